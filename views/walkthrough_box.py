"""One layer of the walk-through on screen: its box (frame and text) and the label over its bar.

:class:`LayerBox` owns the graphics items of one layer; :meth:`LayerBox.draw` puts one state of
the walk into them ('current', 'revealed' or 'hidden') and returns the layer's bar, which the
view draws with all the others in one BarGraphItem.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import pyqtgraph as pg
from PySide6 import QtCore, QtGui, QtWidgets

from model.walkthrough import BackwardWalk
from views import theme
from views.walkthrough_boxes import BoxFonts, box_html, colour, name_html, span
from views.walkthrough_text import Row, box_rows, finite, layer_name, number_text, trend

Qt = QtCore.Qt

#: The running-product axis never spans more than this (log10), whatever the walk holds.
HARD_RANGE: tuple[float, float] = (-60.0, 40.0)


class BoxPaint(NamedTuple):
    """What every box shares in one redraw: the theme, the type, the room and the bar axis."""

    scheme: theme.Theme  # the colours
    fonts: BoxFonts
    room_px: float  # notes wider than this are left out of a box
    value_pt: int  # the bar labels' type
    bar_range: tuple[float, float]  # log10 of the bar axis' bottom and top
    n: int  # boxes in the row
    col_px: float  # one column's width
    fills: dict[str, QtGui.QBrush]  # a box's background, by state
    frames: dict[str, QtGui.QPen]  # a box's outline, by state

    @classmethod
    def make(
        cls,
        t: theme.Theme,
        fonts: BoxFonts,
        room_px: float,
        value_pt: int,
        bar_range: tuple[float, float],
        n: int,
        col_px: float,
    ) -> BoxPaint:
        fills = {
            "current": QtGui.QBrush(QtGui.QColor(t.highlight)),
            "revealed": QtGui.QBrush(QtGui.QColor(t.background)),
            "hidden": QtGui.QBrush(QtGui.QColor(t.panel)),
        }
        frames = {
            "current": pg.mkPen(t.foreground, width=theme.px(5)),
            "revealed": pg.mkPen(t.foreground, width=theme.px(1.5)),
            "hidden": pg.mkPen(t.neutral, width=theme.px(1.5), style=Qt.PenStyle.DashLine),
        }
        return cls(t, fonts, room_px, value_pt, bar_range, n, col_px, fills, frames)


class Bar(NamedTuple):
    """One revealed layer's bar: where it stands, how tall it is (log10) and how it is painted."""

    x: float
    height: float
    brush: QtGui.QBrush
    pen: QtGui.QPen


def bar_span(walk: BackwardWalk) -> tuple[float, float]:
    """log10 of the bars' floor and of the tallest bar: the log axis holds every layer of the
    walk (it does not move while walking), within HARD_RANGE."""
    logs = [math.log10(f.running_product) for f in walk.layers if finite(f.running_product) and f.running_product > 0]
    lo = math.floor(min([0.0, *logs])) - 1.0
    top = math.ceil(max([0.0, *logs]))
    return max(HARD_RANGE[0], lo), min(HARD_RANGE[1], top)


def bar_range(span: tuple[float, float], value_pt: int, height_px: float) -> tuple[float, float]:
    """The bar axis (log10): the walk's decades (``span``) plus room, in pixels, for the label
    (``value_pt`` bold) over the tallest bar, on an axis ``height_px`` high."""
    lo, top = span
    font = QtGui.QFont()
    font.setPointSize(value_pt)
    font.setBold(True)
    label_px = QtGui.QFontMetricsF(font).height() + 6
    room = (top - lo) * label_px / (height_px - label_px) if height_px > 2 * label_px else 1.0
    return lo, top + max(room, 0.2)


def state_of(index: int, position: int) -> str:
    """'current', 'revealed' or 'hidden' for ``walk.layers[index]`` with ``position`` revealed."""
    return "current" if index == position - 1 else "revealed" if index < position else "hidden"


class LayerBox:
    """The graphics items of one layer: a frame, its text and the value label over its bar."""

    def __init__(self, plot: pg.PlotItem, bar_plot: pg.PlotItem, x: float) -> None:
        t = theme.current()
        self.x = x
        self.frame = QtWidgets.QGraphicsRectItem(QtCore.QRectF(x - 0.45, 0.02, 0.9, 0.96))
        plot.addItem(self.frame)
        self.text = pg.TextItem(anchor=(0.5, 0.0))
        self.text.setPos(x, 0.97)
        plot.addItem(self.text)
        # an opaque background keeps the number readable where it crosses the "1" line
        self.value = pg.TextItem(anchor=(0.5, 1.0), fill=pg.mkBrush(t.background))
        self.value.setZValue(10)
        bar_plot.addItem(self.value, ignoreBounds=True)
        self.html = ""
        self.value_html = ""

    def remove(self, plot: pg.PlotItem, bar_plot: pg.PlotItem) -> None:
        plot.removeItem(self.frame)
        plot.removeItem(self.text)
        bar_plot.removeItem(self.value)

    def draw(self, walk: BackwardWalk, index: int, state: str, paint: BoxPaint) -> Bar | None:
        """Show ``walk.layers[index]`` in ``state``; its bar, or None while it is hidden."""
        t = paint.scheme
        fonts = paint.fonts
        f = walk.layers[index]
        self.frame.setPen(paint.frames[state])
        self.frame.setBrush(paint.fills[state])
        # compact: no text fits the boxes; every box keeps its layer's name and the current
        # layer's numbers go into the view's call-out
        compact = fonts.mode == "compact"
        if compact:
            text = name_html(layer_name(f), state == "hidden", fonts, paint.col_px)
        elif state == "hidden":
            rows = [Row(layer_name(f), role="header")]
            text = box_html(rows, fonts).replace(f"color:{t.foreground}", f"color:{t.neutral}")
        else:
            text = box_html(box_rows(walk, index), fonts, paint.room_px)
        if text != self.html:
            self.html = text
            self.text.setHtml(text)
        bar = None
        value_html = ""
        if state != "hidden":
            lo, hi = paint.bar_range
            role = trend(walk, index)
            rp = f.running_product
            if finite(rp):
                top = min(max(math.log10(rp) if rp > 0 else lo, lo), hi)
                brush = QtGui.QColor(colour(role) if role else t.neutral)
            else:  # a full-height, see-through bar in the non-finite colour
                top = hi
                brush = QtGui.QColor(t.nonfinite)
                brush.setAlpha(90)
            if state == "current":
                pen = pg.mkPen(t.foreground, width=theme.px(4))
            elif role == "bad":
                pen = pg.mkPen(t.nonfinite, width=theme.px(3))
            else:
                pen = pg.mkPen(None)
            bar = Bar(self.x, top - lo, pg.mkBrush(brush), pen)
            if not compact or state == "current":
                self._place_value(finite(rp), top, hi, compact, paint.n)
                value_html = span(number_text(rp), role or "strong", paint.value_pt)
        if value_html != self.value_html:
            self.value_html = value_html
            self.value.setHtml(value_html)
            self.value.setVisible(bool(value_html))
        return bar

    def _place_value(self, finite_top: bool, top: float, hi: float, compact: bool, n: int) -> None:
        """The label over the bar (under the top for a non-finite, full-height bar)."""
        # a lone label wider than its column must not run off either edge
        ax, dx = (0.5, 0.0)
        if compact and self.x < 0.15 * n:
            ax, dx = 0.0, -0.5
        elif compact and self.x > 0.85 * n:
            ax, dx = 1.0, 0.5
        self.value.setAnchor((ax, 1.0) if finite_top else (ax, 0.0))
        self.value.setPos(self.x + dx, top if finite_top else hi)
