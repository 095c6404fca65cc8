"""Screenshots of the live window for the README (run under Xvfb as a real window).

    QT_QPA_PLATFORM=xcb xvfb-run -a -s "-screen 0 1920x1080x24" python docs/make_screenshots.py

Opens the real window (worker thread + engine process), lets it train for a while at full
speed, then grabs it at 1920×1080.  Writes docs/vanishing.png, docs/exploding.png and
docs/dark-zh.png (the dark theme in Simplified Chinese, on a scene with its caption), and
docs/export-window-3840x2160.png (File → Export window as PNG → 3840×2160, with its config).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from PySide6 import QtCore  # noqa: E402

from app.main_window import MainWindow, make_application  # noqa: E402
from app.worker import TrainingController  # noqa: E402
from model import ExperimentConfig  # noqa: E402

SIGMOID = ExperimentConfig(dataset="spiral", depth=10, width=32, activation="sigmoid")
#: name: (config, seconds of training, look: theme, language, scene)
SHOTS: dict[str, tuple[ExperimentConfig, float, dict[str, str]]] = {
    "vanishing": (SIGMOID, 12.0, {}),
    "dark-zh": (SIGMOID, 12.0, {"theme": "dark", "language": "zh_CN", "scene": "vanishing-sigmoid"}),
    "export-window-3840x2160": (SIGMOID, 12.0, {"export": "4k"}),
    "exploding": (
        ExperimentConfig(
            dataset="spiral",
            depth=10,
            width=32,
            activation="relu",
            init="he_normal",
            init_scale=2.0,
            learning_rate=0.001,
        ),
        12.0,
        {},
    ),
}


def shoot(name: str, config: ExperimentConfig, seconds: float, look: dict[str, str]) -> Path:
    app = make_application(theme_name=look.get("theme", "light"), language=look.get("language", "en"))
    window = MainWindow(config, controller=TrainingController())
    window.resize(1920, 1080)
    window.show()
    if "scene" in look:
        window.open_scene(look["scene"])
    end = time.perf_counter() + seconds
    while time.perf_counter() < end and not (window.diverged and time.perf_counter() > end - seconds + 2):
        app.processEvents(QtCore.QEventLoop.ProcessEventsFlag.AllEvents, 20)
    for _ in range(20):
        app.processEvents()
        time.sleep(0.02)
    out = ROOT / "docs" / f"{name}.png"
    window.pause()
    if "export" in look:
        window.export_picture(out, size=look["export"], force=True)
    else:
        window.grab().save(str(out))
    step = window.latest.step if window.latest else 0
    print(f"{out.name}: step {step}, banner: {window.banner.text()}")
    window.close()
    window.deleteLater()
    app.processEvents()
    make_application(language="en")
    return out


if __name__ == "__main__":
    names = sys.argv[1:] or list(SHOTS)
    for n in names:
        cfg, secs, look = SHOTS[n]
        shoot(n, cfg, secs, look)
