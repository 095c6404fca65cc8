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

import html
import math
from typing import NamedTuple

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtGui, QtWidgets

from model.walkthrough import BackwardWalk, LayerFactor
from views import theme
from views.gradients_view import decade_ticks, format_power
from views.labels import fitting, html_width, plural

Qt = QtCore.Qt
Key = Qt.Key

#: factor < 1 (the signal shrinks) and factor > 1 (it grows): Okabe–Ito blue and orange (the
#: light theme's; a view uses its theme's ``blue`` and ``orange``).
SHRINK = theme.LIGHT.blue
GROW = theme.LIGHT.orange
#: The output layer's bar (the reference, running product 1) and unrevealed text (light theme).
NEUTRAL = theme.LIGHT.neutral
#: Font sizes (pt at scale 1; see ``_pt``): the caption shrinks from the first to the second to fit one line.
CAPTION_MAX_PT, CAPTION_MIN_PT = 28, 16
BOX_MAX_PT, BOX_MIN_PT = 30, 8
#: Below this number size the stacked/inline boxes give way to the compact ones (at scale 1;
#: never more than BOX_READABLE_MAX_PT: at a large type scale, numbers in every box at 14 pt
#: read better than empty boxes and one call-out)
BOX_READABLE_PT = 12
BOX_READABLE_MAX_PT = 14
#: Largest share of the drawing's height for the boxes, and of the bars' height for a bar label.
BOX_SHARE, BAR_LABEL_SHARE = 0.5, 0.12
#: ... and the boxes' largest share when the text does not fit the usual one
BOX_SHARE_TIGHT = 0.62
#: Type size of the current layer's call-out when the boxes are too narrow for text.
CALLOUT_PT = 18
#: The running-product axis never spans more than this (log10), whatever the walk holds.
HARD_RANGE: tuple[float, float] = (-60.0, 40.0)
#: |f′ gain / f′ mean − 1| beyond this earns a note (ReLU's mask acts as √p, not p).
FPRIME_NOTE_TOLERANCE = 0.15

NEXT_KEYS = frozenset({Key.Key_Right, Key.Key_Down, Key.Key_Space, Key.Key_N})
PREVIOUS_KEYS = frozenset({Key.Key_Left, Key.Key_Up, Key.Key_Backspace, Key.Key_P})
OWN_KEYS = NEXT_KEYS | PREVIOUS_KEYS | {Key.Key_Home, Key.Key_End, Key.Key_Escape}


# -- text (pure) -------------------------------------------------------------------------------
def number_text(value: float) -> str:
    """Short, projector-readable: ``0.027``, ``0.27``, ``1.30``, ``42``, ``1.2e-6``, ``inf``, ``NaN``."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "inf" if value > 0 else "−inf"
    a = abs(value)
    if a == 0.0:
        return "0"
    if 0.01 <= a < 0.1:
        return f"{value:.2g}"
    if 0.1 <= a < 9.995:  # two decimals: 0.97 and 1.04 must not both read "1"
        return f"{value:.2f}"
    if 9.995 <= a < 999.5:
        return f"{value:.0f}"
    return format_power(value)


def _finite(*values: float) -> bool:
    return all(math.isfinite(v) for v in values)


def layer_name(factor: LayerFactor) -> str:
    """ "L4" for weight layer 3: 1-based, as on the gradients view's axis."""
    return f"L{factor.layer + 1}"


def trend(walk: BackwardWalk, index: int) -> str:
    """Colour role of ``walk.layers[index]``: 'bad' (inf/NaN), 'shrink' (factor < 1 or nothing
    left), 'grow' (factor > 1) or '' (the output layer, where the walk starts)."""
    f = walk.layers[index]
    if not _finite(f.running_product, f.delta_norm):
        return "bad"
    if index == 0:
        return ""
    if f.running_product == 0.0:
        return "shrink"
    if not math.isfinite(f.factor):
        return "bad"
    return "shrink" if f.factor < 1.0 else "grow"


def _remark(walk: BackwardWalk, f: LayerFactor) -> str:
    """What this kind of step does to the signal, in the lecture's words."""
    tr = QtCore.QCoreApplication.translate
    if f.skip:
        return tr("WalkthroughView", "the skip path carries the signal around f′ and W")
    if walk.batch_norm:
        return tr("WalkthroughView", "batch norm rescales every step")
    name = walk.activation
    if name == "sigmoid":
        return tr("WalkthroughView", "each sigmoid step multiplies by σ′ ≤ 1/4")
    if name == "tanh":
        return tr("WalkthroughView", "each tanh step multiplies by tanh′ ≤ 1")
    if name in ("relu", "noisy_relu"):
        return tr("WalkthroughView", "ReLU′ is 0 or 1: the weights set the size")
    if name == "leaky_relu":
        return tr("WalkthroughView", "leaky ReLU′ is 1 or the slope: the weights set the size")
    if name == "linear":
        return tr("WalkthroughView", "f′ = 1: only the weights scale the signal")
    return tr("WalkthroughView", "each {name} step multiplies by f′ and by W").format(name=name)


def _verdict(walk: BackwardWalk, rp: float) -> str:
    """The closing remark: the verdict, how many steps, and what every step was made of."""
    tr = QtCore.QCoreApplication.translate
    words = {
        "vanishing": tr("WalkthroughView", "vanishing"),
        "exploding": tr("WalkthroughView", "exploding"),
        "healthy": tr("WalkthroughView", "healthy"),
    }
    verdict = words["vanishing" if rp < 1e-2 else "exploding" if rp > 1e2 else "healthy"]
    steps = walk.n_layers - 1
    if walk.residual:
        text = tr("WalkthroughView", "{verdict} after %n step(s) (with skip paths)", "", steps)
    elif walk.batch_norm:
        text = tr("WalkthroughView", "{verdict} after %n step(s) (with batch norm)", "", steps)
    elif walk.activation == "sigmoid":
        text = tr("WalkthroughView", "{verdict} after %n step(s) of σ′ ≤ 1/4", "", steps)
    elif walk.activation == "tanh":
        text = tr("WalkthroughView", "{verdict} after %n step(s) of tanh′ ≤ 1", "", steps)
    else:
        text = tr("WalkthroughView", "{verdict} after %n step(s)", "", steps)
    return plural(text, steps).format(verdict=verdict)


def empty_caption() -> str:
    """The caption before any step is frozen."""
    return QtCore.QCoreApplication.translate(
        "WalkthroughView", "Backward pass: freeze a step to walk it layer by layer"
    )


def caption_segments(walk: BackwardWalk, position: int) -> list[tuple[str, str]]:
    """The caption as (text, role) pieces; roles: '' plain, 'strong', 'shrink', 'grow', 'bad'."""
    tr = QtCore.QCoreApplication.translate
    n = walk.n_layers
    p = max(0, min(position, n))
    if p == 0 or n == 0:
        return [
            (tr("WalkthroughView", "Step {step} frozen:").format(step=f"{walk.step:,}") + " ", "strong"),
            (tr("WalkthroughView", "press → to walk back from the output"), ""),
        ]
    index = p - 1
    f = walk.layers[index]
    role = trend(walk, index)
    if index == 0:
        return [
            (tr("WalkthroughView", "Layer {layer} (output):").format(layer=f.layer + 1) + " ", "strong"),
            ("‖δ_out‖ = ", ""),
            (number_text(f.delta_norm), role or "strong"),
            (" — " + tr("WalkthroughView", "the backward pass starts here (→ next layer)"), ""),
        ]
    rp = f.running_product
    head = [
        (tr("WalkthroughView", "Layer {layer}:").format(layer=f.layer + 1) + " ", "strong"),
        (tr("WalkthroughView", "running product") + " ", ""),
        (number_text(rp), role),
    ]
    if role == "bad":
        if math.isinf(rp) or math.isinf(f.delta_norm):
            what = tr("WalkthroughView", "the signal overflowed: this run diverged")
        else:
            what = tr("WalkthroughView", "the signal became NaN: this run diverged")
        return [*head, (" — " + what, "")]
    if rp == 0.0:
        died = next(g for g in walk.layers[1 : index + 1] if g.delta_norm == 0.0)
        if died.mean_fprime == 0.0:
            why = tr("WalkthroughView", "the signal died at layer {layer}: f′ = 0 everywhere")
        else:
            why = tr("WalkthroughView", "the signal died at layer {layer}")
        return [*head, (" — " + why.format(layer=died.layer + 1), "")]
    if p == n:
        return [*head, (" — " + _verdict(walk, rp), "")]
    return [*head, (" — " + _remark(walk, f), "")]


def walk_text(walk: BackwardWalk, position: int) -> str:
    """The caption shown after ``position`` layers are revealed, as plain text."""
    return "".join(text for text, _ in caption_segments(walk, position))


class Row(NamedTuple):
    """One entry of a layer's box: a header, a labelled number or a note."""

    label: str
    value: str = ""
    role: str = ""  # 'header', 'note', or the number's colour role ('', 'shrink', 'grow', 'bad')


def box_rows(walk: BackwardWalk, index: int) -> list[Row]:
    """What the box of ``walk.layers[index]`` says once revealed (f′ × W gain = factor)."""
    f = walk.layers[index]

    # below a layer whose δ is exactly 0 a ratio is 0/0: undefined, not a divergence
    dead_above = index > 0 and walk.layers[index - 1].delta_norm == 0.0

    def number(label: str, value: float, role: str = "") -> Row:
        if math.isnan(value) and dead_above:
            return Row(label, "—", "note")
        return Row(label, number_text(value), role if math.isfinite(value) else "bad")

    tr = QtCore.QCoreApplication.translate
    if index == 0:
        return [
            Row(layer_name(f), role="header"),
            Row(tr("WalkthroughView", "output"), role="note"),
            number("‖δ_out‖", f.delta_norm),
            number(tr("WalkthroughView", "loss"), walk.loss),
        ]
    rows = [
        Row(layer_name(f), role="header"),
        number(tr("WalkthroughView", "f′ mean"), f.mean_fprime),
        number("× " + tr("WalkthroughView", "W gain"), f.weight_gain),
        number("= " + tr("WalkthroughView", "factor"), f.factor, trend(walk, index)),
    ]
    if f.skip:
        rows.append(Row("+ " + tr("WalkthroughView", "skip path"), role="note"))
    elif walk.batch_norm and _finite(f.factor, f.weight_gain, f.fprime_gain) and f.weight_gain * f.fprime_gain:
        rows.append(Row(f"× BN {number_text(f.factor / (f.weight_gain * f.fprime_gain))}", role="note"))
    elif (
        _finite(f.mean_fprime, f.fprime_gain)
        and f.mean_fprime > 0.0
        and abs(f.fprime_gain / f.mean_fprime - 1.0) > FPRIME_NOTE_TOLERANCE
    ):
        note = tr("WalkthroughView", "(f′ acts ×{value})").format(value=number_text(f.fprime_gain))
        rows.append(Row(note, role="note"))
    return rows


# -- the widget ----------------------------------------------------------------------------------
def _colour(role: str) -> str:
    t = theme.current()
    return {"shrink": t.blue, "grow": t.orange, "bad": t.nonfinite, "note": t.muted, "hidden": t.neutral}.get(
        role, t.foreground
    )


def _span(text: str, role: str, size: int) -> str:
    bold = role not in ("", "note", "label")
    weight = "font-weight:700;" if bold else ""
    return f'<span style="color:{_colour(role)};{weight}font-size:{size}pt">{html.escape(text)}</span>'


class BoxFonts(NamedTuple):
    """How the boxes are typeset: 'inline' ("f′ mean 0.23" on one line), 'stacked' (a label over
    a big number) or 'compact' (too many layers for any text: the boxes stay empty and the current
    layer's numbers appear in a call-out, typeset inline at these sizes)."""

    mode: str
    value_pt: int
    label_pt: int
    header_pt: int


def _metrics(pt: int, bold: bool) -> QtGui.QFontMetricsF:
    font = QtGui.QFont()
    font.setPointSize(pt)
    font.setBold(bold)
    return QtGui.QFontMetricsF(font)


def box_size(rows: list[Row], fonts: BoxFonts, room_px: float = math.inf) -> tuple[float, float]:
    """Pixel (width, height) of one box's text in ``fonts`` (compact boxes are typeset inline);
    notes wider than ``room_px`` are left out (see :func:`box_html`)."""
    value, label, header = (
        _metrics(fonts.value_pt, True),
        _metrics(fonts.label_pt, False),
        _metrics(fonts.header_pt, True),
    )
    height, width = 0.0, 0.0
    for row in rows:
        if row.role == "header":
            height += header.lineSpacing()
            width = max(width, header.horizontalAdvance(row.label))
        elif row.role == "note":
            note = label.horizontalAdvance(row.label)
            if note <= room_px:
                height += label.lineSpacing()
                width = max(width, note)
        elif fonts.mode == "stacked":
            height += value.lineSpacing() + label.lineSpacing()
            width = max(width, value.horizontalAdvance(row.value), label.horizontalAdvance(row.label))
        else:
            height += value.lineSpacing()
            width = max(width, value.horizontalAdvance(f"{row.label} {row.value}"))
    return width, height


def bar_title_variants(pt: int) -> tuple[str, ...]:
    """The bars' title and colour key, longest first."""
    gap = "&nbsp;&nbsp;&nbsp;"

    def key(shrink: str, grow: str, bad: str) -> str:
        return gap.join((_span(shrink, "shrink", pt), _span(grow, "grow", pt), _span(bad, "bad", pt)))

    tr = QtCore.QCoreApplication.translate
    ratio = "‖δ‖ ÷ ‖δ_out‖"
    return (
        _span(tr("WalkthroughView", "running product {ratio} (log scale)").format(ratio=ratio), "", pt)
        + gap
        + key(
            "■ " + tr("WalkthroughView", "factor < 1: shrinks"),
            "■ " + tr("WalkthroughView", "factor > 1: grows"),
            "■ inf/NaN",
        ),
        _span(tr("WalkthroughView", "{ratio} (log)").format(ratio=ratio), "", pt)
        + gap
        + key("■ " + tr("WalkthroughView", "shrinks"), "■ " + tr("WalkthroughView", "grows"), "■ inf/NaN"),
        key("■ < 1", "■ > 1", "■ inf/NaN"),
    )


def html_height(html_: str, width_px: float) -> float:
    """Pixel height of rich text laid out ``width_px`` wide (as a TextItem shows it)."""
    doc = QtGui.QTextDocument()
    doc.setDefaultFont(QtGui.QFont())
    doc.setHtml(html_)
    if math.isfinite(width_px):
        doc.setTextWidth(width_px)
    return float(doc.size().height())


def _smallest_pt() -> int:
    """The smallest box type: BOX_MIN_PT at the type scale, but never above 9 pt (labels beside
    14-pt numbers; see BOX_READABLE_MAX_PT)."""
    return min(theme.pt(BOX_MIN_PT), 9)


def _scaled(mode: str, pt: int) -> BoxFonts:
    smallest = _smallest_pt()
    return BoxFonts(mode, pt, max(smallest, round(0.62 * pt)), max(smallest, round(0.8 * pt)))


def choose_box_fonts(rows: list[list[Row]], col_px: float, box_px: float) -> BoxFonts:
    """The largest type with which every box's text fits its column (``col_px``) and ``box_px``
    of height: inline when the columns are wide, else stacked, else compact (a call-out)."""
    room = 0.92 * col_px - 8
    # heights depend only on the kinds of rows: one box of each shape is measured
    shapes = list({tuple(r.role if r.role in ("header", "note") else "" for r in box): box for box in rows}.values())

    def fits(fonts: BoxFonts) -> bool:
        if fonts.mode != "compact" and any(box_size(box, fonts, room)[0] > room for box in rows):
            return False
        text_px = math.inf if fonts.mode == "compact" else 0.92 * col_px
        shown = math.inf if fonts.mode == "compact" else room
        # the text starts 3 % below the box's top: 94 % of the height is usable
        return all(html_height(box_html(box, fonts, shown), text_px) <= 0.94 * box_px for box in shapes)

    def best(mode: str, largest: int, smallest: int) -> BoxFonts | None:
        return next((fonts for pt in range(largest, smallest - 1, -1) if fits(fonts := _scaled(mode, pt))), None)

    largest, smallest = theme.pt(BOX_MAX_PT), _smallest_pt()
    readable = max(smallest, min(theme.pt(BOX_READABLE_PT), BOX_READABLE_MAX_PT))
    choices = [f for f in (best("inline", largest, readable), best("stacked", largest, readable)) if f]
    if choices:
        return max(choices, key=lambda f: f.value_pt)  # inline first on ties
    return best("compact", theme.pt(CALLOUT_PT), smallest) or _scaled("compact", smallest)


def box_html(rows: list[Row], fonts: BoxFonts, room_px: float = math.inf) -> str:
    """Rich text of one box, centred, in the chosen layout (compact: inline, for the call-out);
    a note wider than ``room_px`` is left out rather than wrapped out of the box."""
    parts = []
    note_metrics = _metrics(fonts.label_pt, False)
    for row in rows:
        if row.role == "header":
            parts.append(_span(row.label, "strong", fonts.header_pt))
        elif row.role == "note":
            if note_metrics.horizontalAdvance(row.label) <= room_px:
                parts.append(_span(row.label, "note", fonts.label_pt))
        elif fonts.mode == "stacked":
            parts.append(_span(row.label, "label", fonts.label_pt))
            parts.append(_span(row.value, row.role or "strong", fonts.value_pt))
        else:
            parts.append(
                _span(f"{row.label} ", "", fonts.value_pt) + _span(row.value, row.role or "strong", fonts.value_pt)
            )
    return '<div align="center">' + "<br>".join(parts) + "</div>"


class _Box:
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
        self._boxes: list[_Box] = []
        self._fonts = BoxFonts("inline", 16, 11, 13)
        self._value_pt = 16
        self._room_px = math.inf  # the width of a box's text (notes wider than this are left out)
        self._range: tuple[float, float] = (-3.0, 1.0)
        self._bar_span: tuple[float, float] = (-3.0, 0.0)  # log10 of the lowest floor, tallest bar
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAutoFillBackground(True)
        palette = self.palette()
        palette.setColor(QtGui.QPalette.ColorRole.Window, QtGui.QColor(t.background))
        self.setPalette(palette)

        self.caption = QtWidgets.QLabel(self)
        self.caption.setTextFormat(Qt.TextFormat.RichText)
        self.caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.caption.setWordWrap(True)  # only when even the smallest caption font is too wide
        self.caption.setSizePolicy(QtWidgets.QSizePolicy.Policy.Ignored, QtWidgets.QSizePolicy.Policy.Preferred)
        self.caption.setStyleSheet(f"color: {t.foreground}; background: {t.background}; padding: 4px;")
        # the caption may shrink below the type scale (to 18 pt) before it wraps
        self._caption_range = (min(theme.pt(CAPTION_MIN_PT), 18), theme.pt(CAPTION_MAX_PT))
        self._caption_pt = self._caption_range[1]

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
        self._set_caption()

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
            self.box_plot.removeItem(box.frame)
            self.box_plot.removeItem(box.text)
            self.bar_plot.removeItem(box.value)
        # walk index i (0 = output) sits at x = n − i: input on the left, output on the right
        self._boxes = [_Box(self.box_plot, self.bar_plot, float(n - i)) for i in range(n)]
        x_range = (0.5, n + 0.5) if n else (0.5, 1.5)
        self.box_plot.setXRange(*x_range, padding=0)
        self.bar_plot.setXRange(*x_range, padding=0)

    def _set_range(self, walk: BackwardWalk) -> None:
        """The log axis holds every layer of the walk (it does not move while walking)."""
        logs = [
            math.log10(f.running_product) for f in walk.layers if _finite(f.running_product) and f.running_product > 0
        ]
        lo = math.floor(min([0.0, *logs])) - 1.0
        top = math.ceil(max([0.0, *logs]))
        self._bar_span = (max(HARD_RANGE[0], lo), min(HARD_RANGE[1], top))
        self._apply_range()

    def _apply_range(self) -> None:
        """The bar axis: the walk's decades plus room, in pixels, for the label over the tallest bar."""
        lo, top = self._bar_span
        font = QtGui.QFont()
        font.setPointSize(self._value_pt)
        font.setBold(True)
        label_px = QtGui.QFontMetricsF(font).height() + 6
        height = self.bar_plot.vb.height() or 200.0
        room = (top - lo) * label_px / (height - label_px) if height > 2 * label_px else 1.0
        self._range = (lo, top + max(room, 0.2))
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
        room = self.caption.contentsRect().width() - 2 * 4 - 12  # padding, document margin, slack
        smallest, largest = self._caption_range
        captions = [self._caption_html(p, largest) for p in range(n + 1)]
        widest = max(html_width(c, largest) for c in captions)
        size = max(smallest, min(largest, int(largest * room / max(widest, 1.0))))
        while size > smallest and max(html_width(self._caption_html(p, size), size) for p in range(n + 1)) > room:
            size -= 1
        self._caption_pt = size

        # The boxes get at most half of the drawing's height and only what their text needs:
        # the rest goes to the bars.
        col_px = (self.box_plot.vb.width() or 800.0) / n
        drawing = max(self.plots.height() - self.bar_title.height(), 100.0)
        cap = BOX_SHARE * drawing
        rows = [box_rows(walk, i) for i in range(n)]
        overhead = max(0.0, self.box_plot.height() - self.box_plot.vb.height())
        self._fonts = choose_box_fonts(rows, col_px, cap - overhead - 4)
        if self._fonts.mode == "compact":
            # numbers in every box beat empty boxes and a call-out: the boxes may take more height
            cap = BOX_SHARE_TIGHT * drawing
            self._fonts = choose_box_fonts(rows, col_px, cap - overhead - 4)
        self._room_px = math.inf if self._fonts.mode == "compact" else 0.92 * col_px - 8
        # the key and the axis grow with the boxes on a big screen
        base = theme.pt(self._theme.font_pt)
        key_pt = max(theme.pt(self._theme.font_pt + 1), min(self._fonts.label_pt + theme.pt(2), theme.pt(22)))
        tick_pt = max(base, min(self._fonts.label_pt, theme.pt(20)))
        if key_pt != self._key_pt:
            self._key_pt = key_pt
            self._fit_bar_title(self.width())
        if tick_pt != self._tick_pt:
            self._set_tick_font(tick_pt)
        # measured as laid out (rich text lines are taller than the font metrics say)
        text_px = math.inf if self._fonts.mode == "compact" else col_px * 0.92
        need = max(html_height(box_html(box, self._fonts, self._room_px), text_px) for box in rows)
        need = min(need / 0.94 + overhead + 4, cap)  # the text starts 3 % below the top
        self.box_plot.setMinimumHeight(need)
        self.box_plot.setMaximumHeight(need)
        # the bar labels ("1.3e-6") share the box numbers' size when they fit the bar's column
        labels = [number_text(f.running_product) for f in walk.layers]
        # ... and never take more than a slice of the bars' height
        bar_px = drawing - need
        smallest = theme.pt(BOX_MIN_PT)
        pt = min(self._fonts.value_pt, max(smallest, int(BAR_LABEL_SHARE * bar_px * 0.75)))
        while pt > smallest and max(_metrics(pt, True).horizontalAdvance(s) for s in labels) > 0.98 * col_px - 6:
            pt -= 1
        # in compact mode only the current bar is labelled: it may be wider than its column
        self._value_pt = max(pt, theme.pt(BOX_READABLE_PT + 2)) if self._fonts.mode == "compact" else pt
        for box in self._boxes:
            box.text.setTextWidth(col_px * 0.92)
        self._apply_range()
        self._redraw()

    # -- drawing (per key press) -----------------------------------------------------------
    def _name_html(self, name: str, state: str) -> str:
        """A compact box's layer name in the largest type (down to 6 pt) that fits its column."""
        n = max(1, len(self._boxes))
        col_px = 0.92 * (self.box_plot.vb.width() or 800.0) / n - 4
        pt = self._fonts.header_pt
        while pt > 6 and _metrics(pt, True).horizontalAdvance(name) > col_px:
            pt -= 1
        html_ = _span(name, "hidden" if state == "hidden" else "strong", pt)
        return f'<div align="center">{html_}</div>'

    def _caption_html(self, position: int, size: int) -> str:
        if self.walk is None:
            return _span(empty_caption(), "", size)
        return "".join(_span(text, role, size) for text, role in caption_segments(self.walk, position))

    def _set_caption(self) -> None:
        text = self._caption_html(self._position, self._caption_pt)
        if text != self.caption.text():
            self.caption.setText(text)

    def _redraw(self) -> None:
        self._set_caption()
        walk = self.walk
        n = len(self._boxes)
        if walk is None or n == 0:
            self.bars.setOpts(x=[], height=[], brushes=None, pens=None)
            self.callout.setVisible(False)
            self._callout_html = ""
            return
        t = self._theme
        fills = {
            "current": QtGui.QBrush(QtGui.QColor(t.highlight)),
            "revealed": QtGui.QBrush(QtGui.QColor(t.background)),
            "hidden": QtGui.QBrush(QtGui.QColor(t.panel)),
        }
        frame_pens = {
            "current": pg.mkPen(t.foreground, width=theme.px(5)),
            "revealed": pg.mkPen(t.foreground, width=theme.px(1.5)),
            "hidden": pg.mkPen(t.neutral, width=theme.px(1.5), style=Qt.PenStyle.DashLine),
        }
        lo, hi = self._range
        fonts = self._fonts
        xs: list[float] = []
        heights: list[float] = []
        brushes: list[QtGui.QBrush] = []
        pens: list[QtGui.QPen] = []
        # compact: no text fits the boxes; the current layer's numbers go into the call-out
        compact = fonts.mode == "compact"
        callout = ""
        for i, box in enumerate(self._boxes):
            f = walk.layers[i]
            state = "current" if i == self._position - 1 else "revealed" if i < self._position else "hidden"
            box.frame.setPen(frame_pens[state])
            box.frame.setBrush(fills[state])
            if compact:
                # every box keeps its layer's name; the current layer's numbers go in the call-out
                text = self._name_html(layer_name(f), state)
                if state == "current":
                    callout = box_html(box_rows(walk, i), fonts)
                    left_side = box.x > (n + 1) / 2
                    self.callout.setAnchor((1.0, 0.0) if left_side else (0.0, 0.0))
                    self.callout.setPos(box.x - 0.6 if left_side else box.x + 0.6, 0.97)
            elif state == "hidden":
                rows = [Row(layer_name(f), role="header")]
                text = box_html(rows, fonts).replace(f"color:{t.foreground}", f"color:{t.neutral}")
            else:
                text = box_html(box_rows(walk, i), fonts, self._room_px)
            if text != box.html:
                box.html = text
                box.text.setHtml(text)
            value_html = ""
            if state != "hidden":
                role = trend(walk, i)
                rp = f.running_product
                if _finite(rp):
                    top = min(max(math.log10(rp) if rp > 0 else lo, lo), hi)
                    brush = QtGui.QColor(_colour(role) if role else t.neutral)
                else:  # a full-height, see-through bar in the non-finite colour
                    top = hi
                    brush = QtGui.QColor(t.nonfinite)
                    brush.setAlpha(90)
                xs.append(box.x)
                heights.append(top - lo)
                brushes.append(pg.mkBrush(brush))
                if state == "current":
                    pens.append(pg.mkPen(t.foreground, width=theme.px(4)))
                elif role == "bad":
                    pens.append(pg.mkPen(t.nonfinite, width=theme.px(3)))
                else:
                    pens.append(pg.mkPen(None))
                if not compact or state == "current":
                    finite_top = _finite(rp)
                    # a lone label wider than its column must not run off either edge
                    ax, dx = (0.5, 0.0)
                    if compact and box.x < 0.15 * n:
                        ax, dx = 0.0, -0.5
                    elif compact and box.x > 0.85 * n:
                        ax, dx = 1.0, 0.5
                    box.value.setAnchor((ax, 1.0) if finite_top else (ax, 0.0))
                    box.value.setPos(box.x + dx, top if finite_top else hi)
                    value_html = _span(number_text(rp), role or "strong", self._value_pt)
            if value_html != box.value_html:
                box.value_html = value_html
                box.value.setHtml(value_html)
                box.value.setVisible(bool(value_html))
        if callout != self._callout_html:
            self._callout_html = callout
            self.callout.setHtml(callout)
            self.callout.setVisible(bool(callout))
        self.bars.setOpts(
            x=np.asarray(xs, dtype=np.float64),
            height=np.asarray(heights, dtype=np.float64),
            y0=lo,
            brushes=brushes,
            pens=pens,
        )
