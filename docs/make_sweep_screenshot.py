"""Screenshot of the sweep window for the README (run under Xvfb as a real window).

    QT_QPA_PLATFORM=xcb xvfb-run -a -s "-screen 0 1920x1080x24" python docs/make_sweep_screenshot.py

Opens the main window and, from it, the edge-of-chaos scene's sweep window (a real sweep on
worker processes), waits until every point is measured, points at one cell (its numbers show
under the map) and grabs the sweep window at 1920×1080: docs/sweep-edge-of-chaos.png.
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


def main() -> int:
    app = make_application()
    main_window = MainWindow(ExperimentConfig(), controller=TrainingController())
    main_window.resize(1920, 1080)
    main_window.show()
    window = main_window.open_scene("edge-of-chaos")
    window.resize(1920, 1080)
    window.show()
    start = time.monotonic()
    while window.running and time.monotonic() - start < 900:
        app.processEvents()
        time.sleep(0.05)
    print(f"sweep: {len(window.rows)} points in {time.monotonic() - start:.0f} s")
    for _ in range(10):
        app.processEvents()
    view = window.view
    # point at the cell σ_w = 1.5, σ_b = 0.25 (near the edge of chaos)
    scene_pos = view.plot.vb.mapViewToScene(QtCore.QPointF(10.0, 5.0))
    view._on_mouse_moved(scene_pos)
    for _ in range(10):
        app.processEvents()
    out = ROOT / "docs" / "sweep-edge-of-chaos.png"
    window.grab().save(str(out))
    print(f"wrote {out}")
    window.close()
    main_window.close()
    main_window.deleteLater()
    app.processEvents()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
