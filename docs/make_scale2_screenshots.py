"""Real windows under Xvfb at 1920×1080, type scale 2: the main window and the walk-through
(trained in-process: the same snapshots the engine sends).

    QT_QPA_PLATFORM=xcb xvfb-run -a -s "-screen 0 1920x1080x24" python docs/make_scale2_screenshots.py
"""

import sys
import time

from app.headless import train_into_window
from app.layout_fit import fit_to_screen
from app.main_layout import show_walkthrough
from app.main_window import MainWindow, make_application
from model.scenes import load_scene
from model.trainer import Trainer
from model.walkthrough import backward_walk

out = sys.argv[1] if len(sys.argv) > 1 else "docs"
app = make_application(scale=2.0)
scene = load_scene("vanishing-sigmoid")
config = scene.runs[0].config
window = MainWindow(config, controller=None)
window.resize(1920, 1080)
window.show()
fit_to_screen(window)
window.presentation.set_scene(scene)
window.set_speed(scene.speed)  # as opening the scene does


def wait(seconds):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.01)


train_into_window(window, config, 300)
wait(1.5)
print("main", window.size().toTuple(), window.frameGeometry().getRect(), "pages", window.deck.pages(), flush=True)
screen = app.primaryScreen()
screen.grabWindow(0).save(f"{out}/scale2-main.png")
window.presentation.set_controls_visible(False)
wait(1.5)
print("views only pages", window.deck.pages(), flush=True)
screen.grabWindow(0).save("/tmp/scale2-views-only.png")
window.presentation.set_controls_visible(True)
trainer = Trainer(config)
for _ in range(300):
    trainer.step(detail=False)
x, y = trainer._next_batch()
show_walkthrough(window, backward_walk(trainer.network, x, y, step=300))
wait(1.5)
walk = window.walkthrough
for _ in range(5):
    walk.next()
wait(1.5)
print("walk", walk.size().toTuple(), walk.frameGeometry().getRect(), walk._fonts, flush=True)
screen.grabWindow(0).save(f"{out}/scale2-walkthrough.png")
walk.hide()
window.close()
window.deleteLater()
app.processEvents()
