"""ActivationFunctionView: the activation f, its derivative f′, and the ceiling on f′.

The dashed line at max f′ is the point of the lecture: backprop multiplies one f′ per layer,
so with σ′ ≤ 1/4 ten sigmoid layers shrink the gradient by at least 4¹⁰ ≈ 10⁶. Behind the
curves, a grey histogram shows where the current pre-activations of all hidden layers fall,
and the subtitle says what share of them sit where f′ is below 10 % of its maximum.

Curves change only in ``set_experiment``; a frame only updates the histogram and one label.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from numpy.typing import NDArray
from PySide6 import QtCore, QtGui, QtWidgets

from model.activations import Activation, get_activation
from model.config import ExperimentConfig
from model.history import History
from model.snapshot import PREACTIVATION_BINS, Snapshot
from views import theme
from views.labels import FastLabel, FitLabel, plural
from views.network_view import format_sci

#: Curve widths and the max-f′ line width (px at scale 1).
CURVE_WIDTH, MAX_LINE_WIDTH = 5, 3


_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def _continuous(y: NDArray[np.float64]) -> NDArray[np.bool_]:
    """``connect`` mask that breaks the curve at jumps (ReLU′ at 0) instead of drawing a wall."""
    span = float(np.ptp(y)) if y.size else 0.0
    jumps = np.abs(np.diff(y)) > 0.2 * span if span > 0 else np.zeros(max(len(y) - 1, 0), dtype=bool)
    return np.append(~jumps, False)


def format_max_grad(value: float) -> str:
    """ "0.25", "1", "1.76": short enough for a label, exact for the common cases."""
    return f"{value:.3g}"


class ActivationFunctionView(QtWidgets.QWidget):
    """f and f′ of the configured activation over x ∈ [-5, 5], with max f′ marked."""

    title = "Activation function"

    @staticmethod
    def translated_title() -> str:
        """``title`` in the current language (dock and window titles)."""
        return QtCore.QCoreApplication.translate("ActivationFunctionView", "Activation function")

    X_RANGE = (-5.0, 5.0)
    N_POINTS = 401
    #: f′ below this share of its maximum counts as "saturated" (as in the trainer's statistic).
    SATURATION_SHARE = 0.1
    #: Below this plot size (w, h in px at scale 1) the max-f′ label uses the smaller font.
    SMALL_PLOT_PX = (330, 170)

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        t = self._theme = theme.current()
        tr = QtCore.QCoreApplication.translate
        self._fg = t.foreground
        f_colour, grad_colour = self._f_colour, self._grad_colour = t.blue, t.vermillion
        self._small_plot_px = (theme.px(self.SMALL_PLOT_PX[0]), theme.px(self.SMALL_PLOT_PX[1]))
        self._glw = pg.GraphicsLayoutWidget()
        self._glw.setBackground(t.background)
        self._glw.ci.setContentsMargins(2, 0, 8, 4)
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        # Title, the two lines of numbers and the legend are QLabels around the scene: pg
        # titles and legends set their minimum width to their text and so force the plot wider
        # than a small cell (clipping its right-hand side). Each picks a wording that fits.
        self._title = FitLabel(theme.pt(t.title_pt), t.foreground, t.background)
        self._info = FitLabel(theme.pt(t.font_pt), t.foreground, t.background, max_lines=2)
        self._legend = FitLabel(theme.pt(t.font_pt), t.foreground, t.background)
        layout.addWidget(self._title)
        layout.addWidget(self._info)
        layout.addWidget(self._glw, stretch=1)
        layout.addWidget(self._legend)

        self._plot: pg.PlotItem = self._glw.addPlot(row=0, col=0)
        theme.style_plot(self._plot, "", bottom=tr("ActivationFunctionView", "pre-activation x"))
        self._plot.setMenuEnabled(False)
        self._plot.setMouseEnabled(x=False, y=False)
        self._plot.hideButtons()
        theme.opaque_grid(self._plot, x=True, y=True)
        font = theme.font(t.font_pt)
        for axis in ("left", "bottom"):
            self._plot.getAxis(axis).setStyle(maxTickLevel=0)
        self._plot.setXRange(*self.X_RANGE, padding=0.0)
        self._plot.getAxis("left").setWidth(QtGui.QFontMetrics(font).horizontalAdvance("0.25") + theme.ipx(14))

        # Pre-activation histogram behind the curves (a filled step curve, scaled per frame).
        bg = QtGui.QColor(t.background)
        hist_fill = theme.blend(bg, t.foreground, 0.3 if t.is_dark else 0.2)
        self._hist_pen = pg.mkPen(theme.blend(bg, t.foreground, 0.55), width=theme.px(1))
        self._hist_nonfinite_pen = pg.mkPen(t.ink, width=theme.px(2), style=QtCore.Qt.PenStyle.DashLine)
        self._hist = pg.PlotCurveItem(
            x=np.asarray(PREACTIVATION_BINS, dtype=np.float64),
            y=np.zeros(len(PREACTIVATION_BINS) - 1),
            stepMode="center",
            fillLevel=0.0,
            brush=pg.mkBrush(hist_fill),
            pen=self._hist_pen,
            skipFiniteCheck=True,
        )
        self._hist.setZValue(-10)
        self._plot.addItem(self._hist)

        self._f_curve = self._plot.plot(pen=pg.mkPen(f_colour, width=theme.px(CURVE_WIDTH)))
        self._grad_curve = self._plot.plot(pen=pg.mkPen(grad_colour, width=theme.px(CURVE_WIDTH)))
        hist_color = hist_fill.name()

        def swatch(color: str, mark: str = "━━") -> str:
            return f'<span style="color:{color}"><b>{mark}</b></span>'

        f, g, h = swatch(f_colour), swatch(grad_colour), swatch(hist_color, "█")
        now = tr("ActivationFunctionView", "pre-activations now (hidden layers)")
        now_short = tr("ActivationFunctionView", "pre-activations now")
        pre = tr("ActivationFunctionView", "pre-activations")
        self._legend.set_variants(
            [
                f"{f} f(x)&nbsp;&nbsp; {g} f′(x)&nbsp;&nbsp; {h} {now}",
                f"{f} f(x)&nbsp;&nbsp; {g} f′(x)&nbsp;&nbsp; {h} {now_short}",
                f"{f} f&nbsp; {g} f′&nbsp; {h} {pre}",
                f"{f} f&nbsp; {g} f′&nbsp; {h} z",
            ]
        )
        tip = tr(
            "ActivationFunctionView",
            "f (blue) and its derivative f′ (red) over x ∈ [−5, 5]. The dashed line is the largest f′ can be:"
            " backprop multiplies one f′ per layer, so the gradient reaching layer 1 is scaled by at most"
            " (max f′)<sup>depth</sup>.<br>Grey: where the hidden layers' current pre-activations fall"
            " (all layers together); the share says how many sit where f′ is below 10% of its maximum"
            " (saturated: hardly any gradient passes).",
        )
        for widget in (self._title, self._info, self._legend, self._glw):
            widget.setToolTip(tip)
        self._max_line = pg.InfiniteLine(
            pos=0.0,
            angle=0,
            pen=pg.mkPen(grad_colour, width=theme.px(MAX_LINE_WIDTH), style=QtCore.Qt.PenStyle.DashLine),
            movable=False,
        )
        self._plot.addItem(self._max_line, ignoreBounds=True)
        # The max-f′ label is title-sized, one step smaller (never below 12 pt) on a small plot.
        self._label_fonts = [theme.font(pt, bold=True) for pt in (t.title_pt, max(12, t.font_pt))]
        self._max_label = FastLabel("", grad_colour, self._label_fonts[0], anchor=(1.0, 1.0))
        self._plot.addItem(self._max_label, ignoreBounds=True)
        self._max_label.setZValue(20)

        self._activation: Activation | None = None
        self._grad_on_bins: NDArray[np.float64] = np.zeros(len(PREACTIVATION_BINS) - 1)
        self._y_top = 1.0
        self._last_hists: NDArray[np.float64] | None = None
        self._hist_nonfinite = False
        self._bound_text = ""
        self._layers_text = ""
        self._y_extent = (-0.1, 1.1)
        self._y_range = (0.0, 0.0)
        self._plot.vb.sigResized.connect(self._fit_y_range)
        self._share: str | None = None
        self._title.set_variants([self.translated_title()])

    def sizeHint(self) -> QtCore.QSize:
        """The cell this view gets in the 1920×1080 lecture window (it fits far smaller ones)."""
        return QtCore.QSize(520, 390)

    # -- read-only access (tests, main window) -----------------------------------------
    @property
    def max_grad_text(self) -> str:
        """The label on the dashed max-f′ line, e.g. "max f′ = 0.25"."""
        return str(self._max_label.text())

    def derivative_data(self) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """The drawn f′ curve as (x, y)."""
        x, y = self._grad_curve.getData()
        return np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)

    def function_data(self) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """The drawn f curve as (x, y)."""
        x, y = self._f_curve.getData()
        return np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)

    # -- the view contract --------------------------------------------------------------
    def set_experiment(self, config: ExperimentConfig, weights: list[np.ndarray] | None = None) -> None:
        """Draw f, f′ and max f′ for ``config.activation`` (the only thing that changes them)."""
        act = get_activation(config.activation, config.leaky_slope)
        self._activation = act
        x = np.linspace(*self.X_RANGE, self.N_POINTS)
        with np.errstate(all="ignore"):
            f_raw = act.fn(x)
            g_raw = act.grad(x, f_raw)
        f: NDArray[np.float64] = np.nan_to_num(np.asarray(f_raw, dtype=np.float64))
        g: NDArray[np.float64] = np.nan_to_num(np.asarray(g_raw, dtype=np.float64))
        self._f_curve.setData(x, f, connect=_continuous(f))
        self._grad_curve.setData(x, g, connect=_continuous(g))
        self._max_line.setPos(act.max_grad)
        self._max_label.setText(
            QtCore.QCoreApplication.translate("ActivationFunctionView", "max f′ = {value}").format(
                value=format_max_grad(act.max_grad)
            )
        )
        self._place_max_label(x, f, g, act.max_grad)
        # The lecture's punchline: backprop multiplies one f′ per layer.
        bound = act.max_grad**config.depth
        power = str(config.depth).translate(_SUPERSCRIPT)
        bound_text = f"{bound:.3g}" if 0.01 <= bound < 1e4 else format_sci(bound)
        self._bound_text = f"(max f′){power} = {bound_text}"
        self._layers_text = plural(
            QtCore.QCoreApplication.translate("ActivationFunctionView", "%n layer(s)", "", config.depth), config.depth
        )

        lo = min(0.0, float(np.min(f)), float(np.min(g)))
        hi = max(1.0, float(np.max(f)), float(act.max_grad))
        pad = 0.08 * (hi - lo)
        self._y_top = hi
        self._y_extent = (lo - pad, hi + pad)
        self._fit_y_range()

        centres = 0.5 * (PREACTIVATION_BINS[:-1] + PREACTIVATION_BINS[1:])
        with np.errstate(all="ignore"):
            self._grad_on_bins = np.nan_to_num(act.grad(centres, act.fn(centres)))
        name = config.activation
        self._title.set_variants([f"{name}: {act.formula}", act.formula, act.formula.replace(" ", ""), name])
        self.clear()

    def _fit_y_range(self, *_: object) -> None:
        """y range with room above the max-f′ line for its label (tanh's line sits at the top)."""
        bottom, top = self._y_extent
        if self._activation is None:
            return
        level = float(self._activation.max_grad)
        height = self._plot.vb.height()
        small = self._plot.vb.width() < self._small_plot_px[0] or height < self._small_plot_px[1]
        font = self._label_fonts[1 if small else 0]
        if self._max_label.font() != font:
            self._max_label.setFont(font)
            self._max_label.setText(self._max_label.text())  # re-anchor at the new size
        room = self._max_label.boundingRect().height() + 4.0
        if height > room:
            # (top - level) px ≥ room, with px = height / (top - bottom)
            top = max(top, (level * height - room * bottom) / (height - room))
        if (bottom, top) != self._y_range:
            self._y_range = (bottom, top)
            self._plot.setYRange(bottom, top, padding=0.0)

    def _place_max_label(
        self, x: NDArray[np.float64], f: NDArray[np.float64], g: NDArray[np.float64], level: float
    ) -> None:
        """Put the max-f′ label above its line at whichever end the curves leave free."""
        span = 0.35 * (self.X_RANGE[1] - self.X_RANGE[0])
        left = x < self.X_RANGE[0] + span
        right = x > self.X_RANGE[1] - span

        def clearance(mask: NDArray[np.bool_]) -> float:
            # How close the curves come to the line where the text would sit.
            return float(np.min(np.abs(np.concatenate((f[mask], g[mask])) - level), initial=np.inf))

        if clearance(right) > clearance(left):
            self._max_label.setAnchor((1.0, 1.0))
            self._max_label.setPos(self.X_RANGE[1] - 0.15, level)
        else:
            self._max_label.setAnchor((0.0, 1.0))
            self._max_label.setPos(self.X_RANGE[0] + 0.15, level)

    def show_snapshot(self, snapshot: Snapshot, history: History, weights: list[np.ndarray] | None = None) -> None:
        """Overlay where the snapshot's hidden-layer pre-activations fall (detail steps only)."""
        hists = snapshot.preactivation_hists
        if hists is None or hists is self._last_hists or self._activation is None:
            return
        self._last_hists = hists
        h = np.asarray(hists, dtype=np.float64)
        if h.ndim != 2 or h.shape[1] != len(PREACTIVATION_BINS) - 1:
            return
        # Hidden layers only: the last weight layer's pre-activations are the output logits.
        hidden = h[:-1] if h.shape[0] > 1 else h
        finite = bool(np.all(np.isfinite(hidden)))
        if finite != (not self._hist_nonfinite):
            self._hist_nonfinite = not finite
            self._hist.setPen(self._hist_pen if finite else self._hist_nonfinite_pen)
        if not finite:
            return  # keep the last finite histogram, outlined as non-finite
        counts = hidden.sum(axis=0)
        total = float(counts.sum())
        peak = float(counts.max()) if counts.size else 0.0
        if total <= 0.0 or peak <= 0.0:
            return
        self._hist.setData(x=PREACTIVATION_BINS, y=counts / peak * 0.6 * self._y_top)
        flat = self._grad_on_bins < self.SATURATION_SHARE * self._activation.max_grad
        saturated = float(counts[flat].sum())
        self._set_info(f"{100.0 * saturated / total:.0f}%")

    def clear(self) -> None:
        """Remove the pre-activation overlay (the curves stay)."""
        self._hist.setData(x=PREACTIVATION_BINS, y=np.zeros(len(PREACTIVATION_BINS) - 1))
        self._hist.setPen(self._hist_pen)
        self._hist_nonfinite = False
        self._last_hists = None
        self._set_info(None)

    def _set_info(self, share: str | None) -> None:
        """The lines under the title: the depth bound and (once known) the saturated share."""
        self._share = share
        tr = QtCore.QCoreApplication.translate
        bound = f'<span style="color:{self._grad_colour}"><b>{self._bound_text}</b></span>'
        head = f"{self._layers_text}: {bound}"
        if share is None:
            self._info.set_variants([head, bound])
            return
        self._info.set_variants(
            [
                f"{head}<br>"
                + tr("ActivationFunctionView", "{share} of pre-activations where f′ &lt; 10% of max").format(
                    share=share
                ),
                f"{head}<br>"
                + tr("ActivationFunctionView", "{share} of pre-activations: f′ &lt; 10% of max").format(share=share),
                f"{bound}<br>" + tr("ActivationFunctionView", "{share} with f′ &lt; 10% of max").format(share=share),
                f"{bound} · " + tr("ActivationFunctionView", "{share} saturated").format(share=share),
            ]
        )

    @property
    def title_text(self) -> str:
        """Title and numbers in their longest wording, as plain text (one line)."""
        return f"{self._title.full_text}  ·  {self._info.full_text}".replace("\u2028", "  ·  ")

    @property
    def shown_texts(self) -> tuple[str, str, str]:
        """Title, numbers and legend as currently on screen (plain text)."""
        return self._title.shown_text, self._info.shown_text, self._legend.shown_text
