"""WalkthroughView: the backward pass of one frozen step, revealed one layer per key press.

The lecture's claim — backpropagation multiplies many numbers smaller than one — shown on the
live network: one box per weight layer (input left, output right, as in the network diagram)
with the step's local derivative factor f′, the weights' gain and their product, and under it
the running product ‖δ_l‖ / ‖δ_out‖ as a bar on a log axis that shrinks (blue) or grows
(orange) with every step.  Keys: → ↓ Space N next · ← ↑ Backspace P back · Home start · End all ·
Esc close; with the view focused these keys win over the window's shortcuts (Space = play).
Data comes from :func:`model.walkthrough.backward_walk`; nothing here computes.
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtGui, QtWidgets

from model.walkthrough import BackwardWalk
from views import theme
from views.gradients_view import decade_ticks
from views.labels import fitting
from views.walkthrough_box import (
    FRAME_PEN,
    FRAME_SHARE,
    Bar,
    BoxPaint,
    LayerBox,
    bar_range,
    bar_span,
    current_pen,
    name_room,
    state_of,
)
from views.walkthrough_boxes import (
    BoxFonts,
    NameFit,
    bar_label_pt,
    bar_title_variants,
    box_html,
    fit_boxes,
    fit_names,
)
from views.walkthrough_caption import WalkCaption
from views.walkthrough_text import box_rows, empty_caption, number_text, walk_text

Qt = QtCore.Qt
Key = Qt.Key

#: factor < 1 (the signal shrinks) and factor > 1 (it grows): Okabe–Ito blue and orange (the
#: light theme's; a view uses its theme's ``blue`` and ``orange``).
SHRINK = theme.LIGHT.blue
GROW = theme.LIGHT.orange
#: The output layer's bar (the reference, running product 1) and unrevealed text (light theme).
NEUTRAL = theme.LIGHT.neutral
NEXT_KEYS = frozenset({Key.Key_Right, Key.Key_Down, Key.Key_Space, Key.Key_N})
PREVIOUS_KEYS = frozenset({Key.Key_Left, Key.Key_Up, Key.Key_Backspace, Key.Key_P})
OWN_KEYS = NEXT_KEYS | PREVIOUS_KEYS | {Key.Key_Home, Key.Key_End, Key.Key_Escape}


class WalkthroughView(QtWidgets.QWidget):
    """One box and one running-product bar per layer; keys reveal the backward pass."""

    title = "Backward pass"

    @staticmethod
    def translated_title() -> str:
        """``title`` in the current language (dock and window titles)."""
        return QtCore.QCoreApplication.translate("WalkthroughView", "Backward pass")

    closed = QtCore.Signal()
    position_changed = QtCore.Signal(int)

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        t = self._theme = theme.current()
        self.walk: BackwardWalk | None = None
        self._position = 0
        self._boxes: list[LayerBox] = []
        self._fonts = BoxFonts("inline", 16, 11, 13)
        self._names = NameFit("L{}", 0)  # the compact boxes' names
        self._name_length_px = 0.0  # room along a compact box for an upright name
        self._value_pt = 16
        self._room_px = math.inf  # the width of a box's text (notes wider than this are left out)
        self._range: tuple[float, float] = (-3.0, 1.0)
        self._bar_span: tuple[float, float] = (-3.0, 0.0)  # log10 of the lowest floor, tallest bar
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAutoFillBackground(True)
        palette = self.palette()
        palette.setColor(QtGui.QPalette.ColorRole.Window, QtGui.QColor(t.background))
        self.setPalette(palette)

        self.caption = WalkCaption(t, self)

        self.plots = pg.GraphicsLayoutWidget(self)
        self.plots.setBackground(t.background)
        self.plots.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keys stay with the view
        self.plots.setMinimumSize(0, 0)

        self._tick_pt = theme.pt(t.font_pt)  # grows with the boxes' type on big screens (see _fit)
        self._key_pt = theme.pt(t.font_pt + 1)
        self.box_plot = self.plots.addPlot(row=0, col=0)
        self.bar_title = self.plots.addLabel(bar_title_variants(self._key_pt)[-1], row=1, col=0)
        self.bar_title.setSizePolicy(QtWidgets.QSizePolicy.Policy.Preferred, QtWidgets.QSizePolicy.Policy.Fixed)
        self.bar_plot = self.plots.addPlot(row=2, col=0)
        for plot in (self.box_plot, self.bar_plot):
            plot.setMenuEnabled(False)
            plot.setMouseEnabled(x=False, y=False)
            plot.hideButtons()
            plot.enableAutoRange(False)
            plot.hideAxis("bottom")
        self.plots.ci.layout.setRowStretchFactor(2, 1)  # the boxes get a fixed height (see _fit)
        # the box row keeps an invisible left axis so its columns line up with the bars
        box_axis = self.box_plot.getAxis("left")
        box_axis.setPen(pg.mkPen(None))
        box_axis.setTextPen(pg.mkPen(None))
        box_axis.setTicks([[], []])
        self.box_plot.setYRange(0.0, 1.0, padding=0)
        self.bar_plot.setXLink(self.box_plot)
        left = self.bar_plot.getAxis("left")
        self._set_tick_font(self._tick_pt)
        left.setTextPen(t.foreground)
        left.setPen(pg.mkPen(t.foreground, width=theme.px(1)))
        # a decade label at the very bottom would be cut in half by the view's edge: dropped
        left.setStyle(hideOverlappingLabels=True)

        self.bars = pg.BarGraphItem(x=[], height=[], width=0.62, brush=t.blue, pen=pg.mkPen(None))
        self.bar_plot.addItem(self.bars)
        self.one_line = pg.InfiniteLine(
            pos=0.0, angle=0, pen=pg.mkPen(t.foreground, width=theme.px(2), style=Qt.PenStyle.DashLine)
        )
        self.bar_plot.addItem(self.one_line)
        self.callout = pg.TextItem(
            anchor=(0.0, 0.0), fill=pg.mkBrush(t.background), border=pg.mkPen(t.foreground, width=theme.px(3))
        )
        self.callout.setZValue(20)
        self.callout.setVisible(False)
        self._callout_html = ""
        self.box_plot.addItem(self.callout, ignoreBounds=True)

        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(0)
        layout.addWidget(self.caption)
        layout.addWidget(self.plots, 1)
        self.bar_plot.vb.sigResized.connect(self._fit)
        self.caption.show_step(self.walk, self._position)

    # -- public API ------------------------------------------------------------------------
    @property
    def position(self) -> int:
        """How many layers are revealed, counted from the output (0 only without a walk)."""
        return self._position

    def set_walk(self, walk: BackwardWalk) -> None:
        """Show ``walk`` from its start: the output layer revealed, nothing below it."""
        self.walk = walk
        n = walk.n_layers
        if n != len(self._boxes):
            self._rebuild(n)
        self._set_range(walk)
        self._position = 1 if n else 0
        self._fit()
        self.position_changed.emit(self._position)

    def clear(self) -> None:
        self.walk = None
        self._rebuild(0)
        self._position = 0
        self._redraw()

    def next(self) -> None:
        self._go(self._position + 1)

    def previous(self) -> None:
        self._go(self._position - 1)

    def reset(self) -> None:
        self._go(1)

    def reveal_all(self) -> None:
        self._go(self.walk.n_layers if self.walk is not None else 0)

    def caption_text(self) -> str:
        """The caption as plain text (what :func:`walk_text` says for the current position)."""
        return walk_text(self.walk, self._position) if self.walk is not None else empty_caption()

    # -- keys ------------------------------------------------------------------------------
    def event(self, event: QtCore.QEvent) -> bool:
        # Claim our keys before window shortcuts (Space = play, → = step) can take them.
        if event.type() == QtCore.QEvent.Type.ShortcutOverride:
            assert isinstance(event, QtGui.QKeyEvent)
            if Key(event.key()) in OWN_KEYS and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
                event.accept()
                return True
        return super().event(event)

    def keyPressEvent(self, event: QtGui.QKeyEvent) -> None:
        key = Key(event.key())
        if key in NEXT_KEYS:
            self.next()
        elif key in PREVIOUS_KEYS:
            self.previous()
        elif key == Key.Key_Home:
            self.reset()
        elif key == Key.Key_End:
            self.reveal_all()
        elif key == Key.Key_Escape:
            self.closed.emit()
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    def resizeEvent(self, event: QtGui.QResizeEvent) -> None:
        self._fit_bar_title(event.size().width())
        super().resizeEvent(event)

    def _fit_bar_title(self, width: int) -> None:
        """The longest key that fits: a wide label would widen the scene beyond the view."""
        html_ = fitting(bar_title_variants(self._key_pt), self._key_pt, width - 40)
        if html_ != self.bar_title.text:
            self.bar_title.setText(html_)

    def _set_tick_font(self, pt: int) -> None:
        """Tick labels of the log axis; both plots keep the same axis width so columns line up."""
        self._tick_pt = pt
        font = QtGui.QFont()
        font.setPointSize(pt)
        self.bar_plot.getAxis("left").setTickFont(font)
        width = QtGui.QFontMetrics(font).horizontalAdvance("1e-60") + 18
        for plot in (self.box_plot, self.bar_plot):
            plot.getAxis("left").setWidth(width)

    def mousePressEvent(self, event: QtGui.QMouseEvent) -> None:
        self.setFocus(Qt.FocusReason.MouseFocusReason)
        super().mousePressEvent(event)

    # -- layout (new walks and resizes only) -----------------------------------------------
    def _go(self, position: int) -> None:
        n = self.walk.n_layers if self.walk is not None else 0
        p = max(min(1, n), min(position, n))
        if p != self._position:
            self._position = p
            self._redraw()
            self.position_changed.emit(p)

    def _rebuild(self, n: int) -> None:
        for box in self._boxes:
            box.remove(self.box_plot, self.bar_plot)
        # walk index i (0 = output) sits at x = n − i: input on the left, output on the right
        self._boxes = [LayerBox(self.box_plot, self.bar_plot, float(n - i)) for i in range(n)]
        x_range = (0.5, n + 0.5) if n else (0.5, 1.5)
        self.box_plot.setXRange(*x_range, padding=0)
        self.bar_plot.setXRange(*x_range, padding=0)

    def _set_range(self, walk: BackwardWalk) -> None:
        self._bar_span = bar_span(walk)
        self._apply_range()

    def _apply_range(self) -> None:
        self._range = bar_range(self._bar_span, self._value_pt, self.bar_plot.vb.height() or 200.0)
        self.bar_plot.setYRange(*self._range, padding=0)
        self._set_value_ticks()

    def _set_value_ticks(self) -> None:
        lo, hi = self._range
        font = QtGui.QFont()
        font.setPointSize(theme.pt(self._theme.font_pt))
        rows = int((self.bar_plot.vb.height() or 200.0) / (1.6 * QtGui.QFontMetrics(font).height())) + 1
        self.bar_plot.getAxis("left").setTicks(decade_ticks(lo, hi, rows))

    def _fit(self) -> None:
        """Type sizes from the pixel size: the caption fits one line, each box its column."""
        walk = self.walk
        n = len(self._boxes)
        if walk is None or n == 0:
            self._redraw()
            return
        self.caption.fit(walk, n)
        col_px = (self.box_plot.vb.width() or 800.0) / n
        drawing = max(self.plots.height() - self.bar_title.height(), 100.0)
        overhead = max(0.0, self.box_plot.height() - self.box_plot.vb.height())
        fit = fit_boxes([box_rows(walk, i) for i in range(n)], col_px, drawing, overhead)
        self._fonts, self._room_px = fit.fonts, fit.room_px
        # the key and the axis grow with the boxes on a big screen
        base = theme.pt(self._theme.font_pt)
        key_pt = max(theme.pt(self._theme.font_pt + 1), min(self._fonts.label_pt + theme.pt(2), theme.pt(22)))
        tick_pt = max(base, min(self._fonts.label_pt, theme.pt(20)))
        if key_pt != self._key_pt:
            self._key_pt = key_pt
            self._fit_bar_title(self.width())
        if tick_pt != self._tick_pt:
            self._set_tick_font(tick_pt)
        self.box_plot.setMinimumHeight(fit.height_px)
        self.box_plot.setMaximumHeight(fit.height_px)
        labels = [number_text(f.running_product) for f in walk.layers]
        self._value_pt = bar_label_pt(labels, self._fonts, col_px, drawing - fit.height_px)
        compact = self._fonts.mode == "compact"
        if compact:
            numbers = [f.layer + 1 for f in walk.layers]
            # an upright name runs along the frame (96 % of the box row's view), inside its outline
            self._name_length_px = name_room(0.96 / FRAME_SHARE * (fit.height_px - overhead), theme.px(FRAME_PEN))
            # one size for every name, the current box's thick outline included
            room = min(name_room(col_px, theme.px(FRAME_PEN)), name_room(col_px, current_pen(self._fonts, col_px), 1.0))
            self._names = fit_names(numbers, self._fonts, room, self._name_length_px)
        for box in self._boxes:
            box.set_compact(compact, col_px, self._names.angle)
        self._apply_range()
        self._redraw()

    # -- drawing (per key press) -----------------------------------------------------------
    def _redraw(self) -> None:
        self.caption.show_step(self.walk, self._position)
        walk = self.walk
        n = len(self._boxes)
        if walk is None or n == 0:
            self.bars.setOpts(x=[], height=[], brushes=None, pens=None)
            self.callout.setVisible(False)
            self._callout_html = ""
            return
        col_px = (self.box_plot.vb.width() or 800.0) / max(1, n)
        paint = BoxPaint.make(
            self._theme,
            self._fonts,
            self._room_px,
            self._value_pt,
            self._range,
            n,
            col_px,
            self._names,
            self._name_length_px,
        )
        covered = self._draw_callout(walk, n, col_px)
        bars: list[Bar] = []
        for i, box in enumerate(self._boxes):
            bar = box.draw(walk, i, state_of(i, self._position), paint, covered=i in covered)
            if bar is not None:
                bars.append(bar)
        lo, _ = self._range
        self.bars.setOpts(
            x=np.asarray([b.x for b in bars], dtype=np.float64),
            height=np.asarray([b.height for b in bars], dtype=np.float64),
            y0=lo,
            brushes=[b.brush for b in bars],
            pens=[b.pen for b in bars],
        )

    def _draw_callout(self, walk: BackwardWalk, n: int, col_px: float) -> set[int]:
        """Compact boxes hold only names: the current layer's numbers go in a call-out beside it.
        The indices of the boxes it lies over (their names are left out rather than cut)."""
        callout = ""
        index = self._position - 1
        span: tuple[float, float] | None = None
        if self._fonts.mode == "compact" and 0 <= index < n:
            box = self._boxes[index]
            callout = box_html(box_rows(walk, index), self._fonts)
            left_side = box.x > (n + 1) / 2
            self.callout.setAnchor((1.0, 0.0) if left_side else (0.0, 0.0))
            self.callout.setPos(box.x - 0.6 if left_side else box.x + 0.6, 0.97)
        if callout != self._callout_html:
            self._callout_html = callout
            self.callout.setHtml(callout)
            self.callout.setVisible(bool(callout))
        if callout:
            box = self._boxes[index]
            width = self.callout.textItem.boundingRect().width() / col_px
            edge = box.x - 0.6 if box.x > (n + 1) / 2 else box.x + 0.6
            lo, hi = (edge - width, edge) if box.x > (n + 1) / 2 else (edge, edge + width)
            border = (self.callout.border.widthF() / 2 + 1) / col_px  # half outside, a pixel to spare
            span = (lo - border, hi + border)
        if span is None:
            return set()
        lo, hi = span
        half = FRAME_SHARE / 2
        return {i for i, b in enumerate(self._boxes) if b.x + half > lo and b.x - half < hi and i != index}
