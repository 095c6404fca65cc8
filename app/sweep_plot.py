"""``backprop-lab sweep --plot OUT.png``: the sweep window's picture of finished rows, rendered
offscreen (with the sweep and its base config in the PNG and its sidecar)."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from app.safe_write import ExportError as PlotError
from model.scenes import Scene
from model.sweep import SweepSpec

SIZE = (1600, 1000)


def plot_png(
    spec: SweepSpec,
    rows: Sequence[Mapping[str, Any]],
    measure: str,
    path: Path,
    *,
    force: bool = False,
    scene: Scene | None = None,
) -> Path:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6 import QtWidgets

    from app.main_window import make_application
    from app.sweep_window import SweepWindow

    app = make_application()
    window = SweepWindow(spec, measure=measure, scene=scene)
    try:
        index_of = {p.key: p.index for p in spec.points()}
        for row in rows:
            window._on_row(index_of[tuple(row[f] for f in spec.fields)], dict(row))
        window._update_progress(len(rows), len(spec.points()))
        window.resize(*SIZE)
        window.show()
        for _ in range(3):
            app.processEvents()
        return window.export_png(path, force=force)
    finally:
        window.close()
        window.deleteLater()
        QtWidgets.QApplication.processEvents()


__all__ = ["PlotError", "plot_png"]
