"""One paint per update: let pyqtgraph finish its range and transform work before Qt paints
(and do less of it: :func:`quiet_axes`).

pyqtgraph defers a ViewBox's auto-range and view matrix to ``GraphicsScene.prepareForPaint``,
which ``GraphicsView.paintEvent`` emits *inside* the paint.  Changing the matrix and the axes
there marks the scene changed again, so every update whose range moves (a loss curve that
grows, a heat map that scrolls) was painted twice: measured on a 600 × 400 view fed 200
snapshots, GradientsView painted 400 times and LossView (two plots) 800 times.  Running the
same preparation right after the new data is set, before the event loop paints, does the
work once and the paint that follows finds nothing left to change (200 and 400 paints).
"""

from __future__ import annotations

import weakref

import pyqtgraph as pg
from PySide6 import QtCore, QtWidgets

_views: weakref.WeakKeyDictionary[QtWidgets.QWidget, list[pg.GraphicsView]] = weakref.WeakKeyDictionary()


def graphics_views(widget: QtWidgets.QWidget) -> list[pg.GraphicsView]:
    """The pyqtgraph views inside ``widget`` (itself included), looked up once."""
    found = _views.get(widget)
    if found is None:
        found = [widget] if isinstance(widget, pg.GraphicsView) else []
        found += widget.findChildren(pg.GraphicsView)
        _views[widget] = found
    return found


def quiet_axes(widget: QtWidgets.QWidget) -> None:
    """Turn off the automatic SI prefix of every axis in ``widget``'s plots.

    With it on, pyqtgraph re-renders the axis title (``QGraphicsTextItem.setHtml``) and
    re-fits the axis on *every* range change, i.e. every frame of a growing loss curve or a
    scrolling heat map (measured: about a fifth of a compare window's drawing time).  No axis
    here has units, so a prefix would only ever have rescaled ticks of values below 1.

    The windows run this once on every view: it also makes the views' viewports opaque
    (:func:`opaque_viewports`).
    """
    opaque_viewports(widget)
    for view in graphics_views(widget):
        scene = view.scene()
        if scene is None:
            continue
        for item in scene.items():
            if isinstance(item, pg.AxisItem) and item.autoSIPrefix:
                item.autoSIPrefix = False
                # a prefix chosen for the range the axis had so far must not stay (it would
                # scale every tick label from now on)
                item.autoSIPrefixScale = 1.0
                item.labelUnitPrefix = ""
                item._updateLabel()


def opaque_viewports(widget: QtWidgets.QWidget) -> None:
    """Let each view's opaque background be the only fill of its viewport.

    A QGraphicsView's viewport fills its dirty region with the palette's Base colour before the
    view paints its own background over it: a second full fill of every repainted area (at
    3840×2160 the largest single cost outside the views, ~6 % of the window's CPU, profiled).
    """
    for view in graphics_views(widget):
        if view.backgroundBrush().isOpaque():
            view.viewport().setAttribute(QtCore.Qt.WidgetAttribute.WA_OpaquePaintEvent, True)


def settle(widget: QtWidgets.QWidget) -> None:
    """Prepare every scene in ``widget`` for its next paint now (after ``show_snapshot``)."""
    for view in graphics_views(widget):
        scene = view.scene()
        if scene is not None:
            scene.prepareForPaint()
