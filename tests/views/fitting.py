"""What a view draws outside its widget: the check the view tests share."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6 import QtCore, QtWidgets


def scene_overflow(view: QtWidgets.QWidget) -> list[str]:
    """Everything drawn that does not fit its GraphicsView: layout, plot areas, titles, labels."""
    problems = []
    for gv in view.findChildren(pg.GraphicsView):
        if not gv.isVisibleTo(view):
            continue
        area = QtCore.QRectF(gv.viewport().rect()).adjusted(-0.5, -0.5, 0.5, 0.5)
        layout = gv.centralWidget.geometry()
        if layout.width() > area.width() or layout.height() > area.height():
            problems.append(
                f"layout {layout.width():.0f}×{layout.height():.0f} in {area.width():.0f}×{area.height():.0f}"
            )
        for item in gv.scene().items():
            if not item.isVisible():
                continue
            if isinstance(item, pg.ViewBox) and not area.contains(item.sceneBoundingRect()):
                problems.append(f"plot area {item.sceneBoundingRect()}")
            if isinstance(item, pg.LabelItem) and item.text:
                text = item.mapRectToScene(item.itemRect())
                if not area.contains(text):
                    problems.append(f"text {item.text[:40]!r} at {text}")
    return problems
