"""The headless command line for a multi-run scene: ``--screenshot`` (the whole compare window
or, with ``--view``, that view for every run), ``--record`` and ``--metrics``."""

from __future__ import annotations

import argparse
from typing import Any

from PySide6 import QtWidgets

from app.compare_export import COMPARE_VIEWS, standalone_compare_view, write_compare_metrics
from app.export import render_png
from model.scenes import Scene

#: The widest a single view is laid out before it is rendered larger (as for one run).
MAX_LAYOUT_WIDTH = 1600


def check_view(view: str | None) -> str | None:
    """The error message for a ``--view`` a comparison cannot show, else None."""
    if view is None or view in COMPARE_VIEWS:
        return None
    return f"--view {view} shows one run; for a multi-run scene choose one of {', '.join(COMPARE_VIEWS)}"


def run_compare_headless(app: QtWidgets.QApplication, scene: Scene, steps: int, args: argparse.Namespace) -> list[str]:
    """Train every run of ``scene`` ``steps`` steps and write what ``args`` asks for; the
    parts of the result line.  Raises ExportError for a file that cannot be written."""
    from app.compare_window import open_scene_compare, train_compare_offline

    size: tuple[int, int] = args.size
    window: Any = open_scene_compare(scene, None)
    written: list[str] = []
    try:
        if args.record is not None:
            from app.compare_recording import record_compare

            result = record_compare(
                window, steps, args.record, fps=args.fps, duration_s=args.duration, size=size, force=args.force
            )
            written.append(f"{args.record} ({result.frames} frames at {result.fps} fps, {len(window.runs)} runs)")
        else:
            train_compare_offline(window, steps)
        if args.screenshot is not None:
            target: QtWidgets.QWidget = window
            if args.view is None:
                window.resize(*size)
                window.show()
                for _ in range(3):
                    app.processEvents()
            else:
                shrink = max(1.0, size[0] / MAX_LAYOUT_WIDTH)
                target = standalone_compare_view(window, args.view, (round(size[0] / shrink), round(size[1] / shrink)))
            render_png(target, args.screenshot, size=size, force=args.force, config=window.config_record())
            if target is not window:
                target.close()
                target.deleteLater()
            written.append(f"{args.screenshot} ({size[0]}x{size[1]})")
        if args.metrics is not None:
            write_compare_metrics(window, args.metrics, force=args.force)
            written.append(f"{args.metrics} ({len(window.runs)} runs)")
    finally:
        window.close()
        window.deleteLater()
        app.processEvents()
    return written
