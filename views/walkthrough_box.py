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
from views.walkthrough_boxes import BoxFonts, NameFit, box_html, colour, name_html, name_pt, span
from views.walkthrough_text import Row, box_rows, finite, layer_name, number_text, trend

Qt = QtCore.Qt

#: The running-product axis never spans more than this (log10), whatever the walk holds.
HARD_RANGE: tuple[float, float] = (-60.0, 40.0)
#: A box's frame: its share of the column, and its outline (px at scale 1) for the current layer
#: and for the others.
FRAME_SHARE = 0.9
CURRENT_PEN, FRAME_PEN = 5.0, 1.5


def current_pen(fonts: BoxFonts, col_px: float) -> float:
    """The current box's outline, px: CURRENT_PEN at the scale, but in a compact box never more
    than a fifth of the column."""
    pen = theme.px(CURRENT_PEN)
    return min(pen, 0.2 * col_px) if fonts.mode == "compact" else pen


def name_room(col_px: float, pen_px: float, spare_px: float = 2.0) -> float:
    """Room for a compact box's name, in px: inside the frame's outline (``pen_px`` wide, half of
    it inside the box) with ``spare_px`` to spare on either side."""
    return FRAME_SHARE * col_px - pen_px - 2 * spare_px


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
    names: NameFit  # how compact boxes name their layer
    name_length_px: float  # room along a compact box for an upright name

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
        names: NameFit,
        name_length_px: float,
    ) -> BoxPaint:
        fills = {
            "current": QtGui.QBrush(QtGui.QColor(t.highlight)),
            "revealed": QtGui.QBrush(QtGui.QColor(t.background)),
            "hidden": QtGui.QBrush(QtGui.QColor(t.panel)),
        }
        frames = {
            # compact boxes are narrow: the current one's outline must leave room for its name
            "current": pg.mkPen(t.foreground, width=current_pen(fonts, col_px)),
            "revealed": pg.mkPen(t.foreground, width=theme.px(FRAME_PEN)),
            "hidden": pg.mkPen(t.neutral, width=theme.px(FRAME_PEN), style=Qt.PenStyle.DashLine),
        }
        return cls(t, fonts, room_px, value_pt, bar_range, n, col_px, fills, frames, names, name_length_px)


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
        self.frame = QtWidgets.QGraphicsRectItem(QtCore.QRectF(x - FRAME_SHARE / 2, 0.02, FRAME_SHARE, 0.96))
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
        self.compact = False  # a compact box's name sits in the middle of the box

    def set_compact(self, compact: bool, col_px: float, angle: int = 0) -> None:
        """Lay the text out for compact boxes (one name, unwrapped, in the middle of the box,
        turned by ``angle``) or for the others (rows from the top, wrapped to the column)."""
        self.text.setTextWidth(-1 if compact else col_px * 0.92)
        if compact != self.compact:
            self.compact = compact
            self.text.setAnchor((0.5, 0.5) if compact else (0.5, 0.0))
            self.text.setPos(self.x, 0.5 if compact else 0.97)
        angle = angle if compact else 0
        if angle != self.text.angle:
            self.text.setAngle(angle)

    def remove(self, plot: pg.PlotItem, bar_plot: pg.PlotItem) -> None:
        plot.removeItem(self.frame)
        plot.removeItem(self.text)
        bar_plot.removeItem(self.value)

    def draw(self, walk: BackwardWalk, index: int, state: str, paint: BoxPaint, covered: bool = False) -> Bar | None:
        """Show ``walk.layers[index]`` in ``state``; its bar, or None while it is hidden.
        ``covered``: the call-out lies over this box (a compact box then leaves out its name)."""
        t = paint.scheme
        fonts = paint.fonts
        f = walk.layers[index]
        self.frame.setPen(paint.frames[state])
        self.frame.setBrush(paint.fills[state])
        # compact: no text fits the boxes; every box keeps its layer's name (one line, one size
        # for all; the current box's thick outline may ask for a smaller one) and the current
        # layer's numbers go into the view's call-out
        compact = fonts.mode == "compact"
        if compact:
            name = paint.names.form.format(f.layer + 1)
            # the current box's thicker outline: its name may come closer to it
            room = name_room(paint.col_px, paint.frames[state].widthF(), 1.0 if state == "current" else 2.0)
            length = paint.name_length_px if paint.names.angle else math.inf
            pt = name_pt([name], room, paint.names.pt, length) if paint.names.pt and not covered else 0
            text = name_html(name, state == "hidden", pt)
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
