"""Size of a loss-view SVG with pixmap-stamped markers (pyqtgraph's screen drawing) and with
vector markers and one path per curve (app.export.render_svg), measured in one run.

    QT_QPA_PLATFORM=offscreen python benchmarks/bench_svg.py [STEPS ...]
"""

from __future__ import annotations

import contextlib
import sys
import tempfile
from pathlib import Path
from unittest import mock

from app import export
from app.headless import train_into_window
from app.main_window import MainWindow, make_application
from model.scenes import load_scene


def main(steps_list: list[int]) -> None:
    app = make_application()
    config = load_scene("vanishing-sigmoid").runs[0].config
    out = Path(tempfile.mkdtemp(prefix="svg-bench-"))
    for steps in steps_list:
        window = MainWindow(config, controller=None)
        window.resize(1920, 1080)
        window.show()
        train_into_window(window, config, steps)
        for label, patch in (
            ("screen drawing", mock.patch.object(export, "vector_markers", lambda _w: contextlib.nullcontext())),
            ("vector export", contextlib.nullcontext()),
        ):
            with patch:
                path = export.render_svg(window.views["loss"], out / f"loss-{steps}-{label[:6]}.svg", force=True)
            text = path.read_text(encoding="utf-8")
            print(
                f"{steps:6d} steps  {label:15s} {path.stat().st_size / 1000:7.0f} kB  "
                f"{text.count('<image'):4d} images  {text.count('<path'):5d} paths  "
                f"{text.count('<polyline'):5d} polylines"
            )
        window.close()
        window.deleteLater()
        app.processEvents()


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [1000, 5000])
