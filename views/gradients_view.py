"""GradientsView: per-layer gradient norms now, and their history as a layer × step heat map.

The vanishing band is the point of the whole app: the bars show how many decades the
gradient loses between the output layer (right) and the input layer (left), the heat map
shows the same thing over the whole run (dark rows = layers that no longer learn), and the
ratio text states the key number of the lecture.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np
import pyqtgraph as pg
from numpy.typing import NDArray
from PySide6 import QtCore, QtGui, QtWidgets

from model.config import ExperimentConfig
from model.history import History
from model.snapshot import Snapshot
from views import theme

if TYPE_CHECKING:
    from model.datasets import Dataset

#: Colour reserved for inf/NaN everywhere in this view (never part of viridis).
NONFINITE = "#FF00FF"
#: log10 range drawn before anything falls outside it; it only ever grows, within the hard limits.
DEFAULT_RANGE: tuple[float, float] = (-10.0, 2.0)
HARD_RANGE: tuple[float, float] = (-60.0, 40.0)
#: The first/last-layer ratio is called vanishing/exploding beyond these factors.
VANISHING_RATIO = 1e-2
EXPLODING_RATIO = 1e2
LEFT_AXIS_WIDTH = 90


def log10_norm(values: NDArray[np.float64]) -> NDArray[np.float64]:
    """log10 of non-negative norms; zeros map to -inf, inf/NaN stay non-finite, never warns."""
    v = np.asarray(values, dtype=np.float64)
    finite = np.isfinite(v)
    out = np.full(v.shape, np.nan)
    safe = np.where(finite, np.abs(v), 1.0)
    with np.errstate(divide="ignore"):
        out[finite] = np.log10(safe[finite])
    out[np.isposinf(v)] = np.inf
    return out


def colour_indices(values: NDArray[np.float64], lo: float, hi: float) -> NDArray[np.uint8]:
    """Map norms to LUT indices 1…255 over log10 [lo, hi]; inf/NaN → 0 (the reserved colour).

    Exact zeros (a gradient that vanished completely) get the lowest colour, not the
    non-finite one.
    """
    v = np.asarray(values, dtype=np.float64)
    finite = np.isfinite(v)
    logs = np.log10(np.maximum(np.where(finite, v, 1.0), 1e-300))
    scaled = (np.clip(logs, lo, hi) - lo) * (254.0 / (hi - lo)) + 1.0
    idx = scaled.astype(np.uint8)
    idx[~finite] = 0
    return idx


def heat_lut() -> NDArray[np.uint8]:
    """256 RGBA entries: index 0 is the non-finite colour, 1…255 are viridis."""
    table = np.empty((256, 4), dtype=np.uint8)
    table[0] = pg.mkColor(NONFINITE).getRgb()
    table[1:] = theme.lut(theme.magnitude_colormap(), 255)
    return table


def format_power(value: float) -> str:
    """Short scientific text such as ``1.2e-5`` or ``3e+2`` (readable from the back row)."""
    if value == 0.0:
        return "0"
    mantissa, exponent = f"{value:.1e}".split("e")
    mantissa = mantissa.removesuffix(".0")
    exp = int(exponent)
    if exp == 0:
        return mantissa
    return f"{mantissa}e{exp:+d}" if exp > 0 else f"{mantissa}e{exp}"


def decade_label(k: int) -> str:
    return "1" if k == 0 else f"1e{k}"


def decade_ticks(lo: float, hi: float) -> list[list[tuple[float, str]]]:
    """Major ticks with labels (at most ~9) and unlabelled minor ticks at every decade."""
    span = hi - lo
    step = next(s for s in (1, 2, 4, 5, 10, 20) if span / s <= 9)
    first, last = math.ceil(lo), math.floor(hi)
    major = [(float(k), decade_label(k)) for k in range(first, last + 1) if k % step == 0]
    minor = [(float(k), "") for k in range(first, last + 1) if k % step] if span <= 24 else []
    return [major, minor]


def layer_ticks(n_layers: int, max_labels: int) -> list[list[tuple[float, str]]]:
    """Labels L1, Lk, L2k, …, Ln at layer positions 1…n with at most ~``max_labels`` of them.

    The first (input) and last (output) layer are always labelled; a label crowding
    either of them is dropped. Unlabelled layers keep a minor tick.
    """
    every = next(
        (k for k in (1, 2, 5, 10, 20, 50) if n_layers / k <= max(max_labels, 2)), math.ceil(n_layers / 2)
    )
    numbers = [k for k in range(1, n_layers + 1) if k in (1, n_layers) or k % every == 0]
    numbers = [
        k for k in numbers if k in (1, n_layers) or (k - 1 >= 0.75 * every and n_layers - k >= 0.75 * every)
    ]
    major = [(float(k), f"L{k}") for k in numbers]
    minor = [(float(k), "") for k in range(1, n_layers + 1) if k not in numbers] if every > 1 else []
    return [major, minor]


def _style(plot: pg.PlotItem, title: str, left: str = "", bottom: str = "") -> None:
    """theme.style_plot with tick labels at the full body size (projector legibility)."""
    theme.style_plot(plot, title, left, bottom)
    font = QtGui.QFont()
    font.setPointSize(theme.current().font_pt)
    for name in ("left", "bottom"):
        plot.getAxis(name).setTickFont(font)
    plot.setMenuEnabled(False)
    plot.setMouseEnabled(x=False, y=False)
    plot.hideButtons()


def _opaque_grid(plot: pg.PlotItem, *, x: bool, y: bool) -> None:
    """Grid lines in a solid, pre-blended colour, drawn behind the data.

    pyqtgraph's default translucent grid made a 1600×900 frame ~4× slower (alpha-blended
    lines), measured here; a solid light pen looks the same.
    """
    t = theme.current()
    bg, fg = QtGui.QColor(t.background), QtGui.QColor(t.foreground)
    a = t.grid_alpha
    colour = QtGui.QColor(
        *(
            round(b * (1 - a) + f * a)
            for b, f in ((bg.red(), fg.red()), (bg.green(), fg.green()), (bg.blue(), fg.blue()))
        )
    )
    for name, on in (("bottom", x), ("left", y)):
        axis = plot.getAxis(name)
        if not on:
            axis.setGrid(False)
            axis.setTickPen()
            axis.setStyle(tickAlpha=None)
            axis.setZValue(0.5)
            continue
        axis.setGrid(255)
        axis.setTickPen(pg.mkPen(colour))
        axis.setStyle(tickAlpha=255)
        axis.setZValue(-0.5)


class GradientsView(QtWidgets.QWidget):
    """Bars of log10 ‖dL/dW‖ and ‖dL/dz‖ per layer, a layer × step heat map and the ratio text."""

    title = "Gradients"
    #: The per-layer statistic drawn in the heat map and used for the ratio text.
    heat_stat = "delta_norm"

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        t = theme.current()
        self._n_layers = 0
        self._range = DEFAULT_RANGE
        self._last_dw = np.full(0, np.nan)
        self._last_dz = np.full(0, np.nan)
        self._ratio_text = ""
        self._layer_ticks: tuple[object, object] | None = None
        self._tick_font = QtGui.QFont()
        self._tick_font.setPointSize(t.font_pt)

        self.ratio_label = QtWidgets.QLabel(self)
        font = QtGui.QFont()
        font.setPointSize(t.title_pt + 9)
        font.setBold(True)
        self.ratio_label.setFont(font)
        self.ratio_label.setTextFormat(QtCore.Qt.TextFormat.RichText)
        self.ratio_label.setAlignment(QtCore.Qt.AlignmentFlag.AlignCenter)
        self.ratio_label.setWordWrap(True)  # two lines in a narrow dock rather than clipped
        self.ratio_label.setStyleSheet(f"color: {t.foreground}; background: {t.background}; padding: 4px;")

        self.plots = pg.GraphicsLayoutWidget(self)
        self.plots.setBackground(t.background)

        self.bar_plot = self.plots.addPlot(row=0, col=0)
        # Okabe–Ito blue is too dim on a dark background; its sky blue is not.
        dw_colour = theme.OKABE_ITO[5] if t.name == "dark" else theme.OKABE_ITO[0]
        _style(
            self.bar_plot,
            f'<span style="color:{dw_colour}">■ ‖dL/dW‖ (weight gradient)</span>'
            f'&nbsp;&nbsp;&nbsp;<span style="color:{theme.OKABE_ITO[1]}">■ ‖dL/dz‖ (backprop signal)</span>',
            left="norm",
        )
        self.bar_plot.getAxis("left").setWidth(LEFT_AXIS_WIDTH)
        self.bar_plot.getAxis("bottom").setStyle(hideOverlappingLabels=40)  # keep L1 and Ln
        _opaque_grid(self.bar_plot, x=False, y=True)
        self.bar_plot.enableAutoRange(False)
        no_pen = pg.mkPen(None)
        self.dw_bars = pg.BarGraphItem(x=[], height=[], width=0.38, brush=dw_colour, pen=no_pen)
        self.dz_bars = pg.BarGraphItem(x=[], height=[], width=0.38, brush=theme.OKABE_ITO[1], pen=no_pen)
        nonfinite = QtGui.QColor(NONFINITE)
        nonfinite.setAlpha(110)
        self.nonfinite_bars = pg.BarGraphItem(
            x=[], height=[], width=0.38, brush=nonfinite, pen=pg.mkPen(NONFINITE, width=3)
        )
        for item in (self.dw_bars, self.dz_bars, self.nonfinite_bars):
            self.bar_plot.addItem(item)

        self.heat_plot = self.plots.addPlot(row=1, col=0)
        _style(
            self.heat_plot,
            f'log₁₀ ‖dL/dz‖ per layer over training &nbsp;(<span style="color:{NONFINITE}">■ inf/NaN</span>)',
            left="layer",
            bottom="training step",
        )
        self.heat_plot.getAxis("left").setWidth(LEFT_AXIS_WIDTH)
        self.heat_plot.enableAutoRange(False)
        self.heat_image = pg.ImageItem(axisOrder="row-major")
        self.heat_image.setLookupTable(heat_lut())
        self.heat_image.setLevels((0, 255))
        self.heat_plot.addItem(self.heat_image)

        self.color_bar = pg.ColorBarItem(
            values=self._range,
            colorMap=theme.magnitude_colormap(),
            interactive=False,
            colorMapMenu=False,
            width=22,
        )
        tick_font = QtGui.QFont()
        tick_font.setPointSize(t.font_pt)
        self.color_bar.axis.setTickFont(tick_font)
        self.color_bar.axis.setTextPen(t.foreground)
        self.color_bar.axis.setWidth(70)
        self.plots.addItem(self.color_bar, row=1, col=1)
        self.plots.ci.layout.setRowStretchFactor(0, 1)
        self.plots.ci.layout.setRowStretchFactor(1, 1)

        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.ratio_label)
        layout.addWidget(self.plots, 1)

        self._set_range(DEFAULT_RANGE)
        self._set_layers(ExperimentConfig().depth + 1)
        self.clear()
        self.bar_plot.vb.sigResized.connect(self._on_resized)
        self.heat_plot.vb.sigResized.connect(self._on_resized)

    # -- contract ------------------------------------------------------------------------
    def set_experiment(self, config: ExperimentConfig, dataset: Dataset | None = None) -> None:
        """Rebuild the layer axis for ``config.depth + 1`` weight layers and forget the old run."""
        self._set_layers(config.depth + 1)
        self.clear()

    def show_snapshot(self, snapshot: Snapshot, history: History) -> None:
        """Draw the current step's bars and ratio, and the heat map of ``history``."""
        n = len(snapshot.stats["weight_grad_norm"])
        if n != self._n_layers:
            self._set_layers(n)
        dw = log10_norm(snapshot.stats["weight_grad_norm"])
        dz = log10_norm(snapshot.stats["delta_norm"])
        self._grow_range(dw, dz)
        self._draw_bars(dw, dz)
        self._draw_ratio(snapshot.stats[self.heat_stat])
        self._draw_heat(history)

    def clear(self) -> None:
        """Forget everything drawn (the layer axis stays)."""
        self._last_dw = np.full(self._n_layers, np.nan)
        self._last_dz = np.full(self._n_layers, np.nan)
        self._set_range(DEFAULT_RANGE)
        empty: list[float] = []
        for item in (self.dw_bars, self.dz_bars, self.nonfinite_bars):
            item.setOpts(x=empty, height=empty, y0=empty)
        self.heat_image.clear()
        self._set_ratio_text(
            f'<span style="color:{theme.current().foreground}">‖dL/dz‖ first ÷ last layer = —</span>'
        )

    # -- layout changes (rare) -------------------------------------------------------------
    @QtCore.Slot()
    def _on_resized(self) -> None:
        self._update_layer_ticks()

    def _set_layers(self, n_layers: int) -> None:
        self._n_layers = n_layers
        self._last_dw = np.full(n_layers, np.nan)
        self._last_dz = np.full(n_layers, np.nan)
        self._x = np.arange(1, n_layers + 1, dtype=np.float64)
        self.bar_plot.setXRange(0.4, n_layers + 0.6, padding=0)
        self.heat_plot.setYRange(0.5, n_layers + 0.5, padding=0)
        self._update_layer_ticks()

    def _update_layer_ticks(self) -> None:
        """As many layer labels as fit the plots' current pixel size (on resize and rebuild only)."""
        metrics = QtGui.QFontMetrics(self._tick_font)
        width = self.bar_plot.vb.width() or 800.0
        height = self.heat_plot.vb.height() or 300.0
        across = int(width / (1.5 * metrics.horizontalAdvance(f"L{self._n_layers}")))
        down = int(height / (1.2 * metrics.height()))
        ticks = (layer_ticks(self._n_layers, across), layer_ticks(self._n_layers, down))
        if ticks != self._layer_ticks:
            self._layer_ticks = ticks
            self.bar_plot.getAxis("bottom").setTicks(ticks[0])
            self.heat_plot.getAxis("left").setTicks(ticks[1])

    def _set_range(self, log_range: tuple[float, float]) -> None:
        self._range = log_range
        lo, hi = log_range
        ticks = decade_ticks(lo, hi)
        self.bar_plot.getAxis("left").setTicks(ticks)
        self.bar_plot.setYRange(lo, hi, padding=0)
        self.color_bar.setLevels(log_range)
        self.color_bar.axis.setTicks(ticks)

    def _grow_range(self, *logs: NDArray[np.float64]) -> None:
        lo, hi = self._range
        values = np.concatenate(logs)
        values = values[np.isfinite(values)]
        if values.size == 0:
            return
        vmin, vmax = float(values.min()), float(values.max())
        new_lo = max(HARD_RANGE[0], math.floor(vmin) - 1.0) if vmin < lo else lo
        new_hi = min(HARD_RANGE[1], math.ceil(vmax) + 1.0) if vmax > hi else hi
        if (new_lo, new_hi) != (lo, hi):
            self._set_range((new_lo, new_hi))

    # -- per frame -------------------------------------------------------------------------
    def _draw_bars(self, dw: NDArray[np.float64], dz: NDArray[np.float64]) -> None:
        lo, hi = self._range
        bad_dw = np.isnan(dw) | np.isposinf(dw)
        bad_dz = np.isnan(dz) | np.isposinf(dz)
        # Non-finite layers keep their last finite bar; zeros (-inf) sit on the floor.
        self._last_dw = np.where(bad_dw, self._last_dw, dw)
        self._last_dz = np.where(bad_dz, self._last_dz, dz)
        h_dw = np.nan_to_num(np.clip(self._last_dw, lo, hi) - lo, nan=0.0)
        h_dz = np.nan_to_num(np.clip(self._last_dz, lo, hi) - lo, nan=0.0)
        self.dw_bars.setOpts(x=self._x - 0.2, height=h_dw, y0=lo)
        self.dz_bars.setOpts(x=self._x + 0.2, height=h_dz, y0=lo)
        if bad_dw.any() or bad_dz.any() or len(self.nonfinite_bars.opts["x"]):
            xs = np.concatenate([self._x[bad_dw] - 0.2, self._x[bad_dz] + 0.2])
            self.nonfinite_bars.setOpts(x=xs, height=np.full(xs.size, hi - lo), y0=lo)

    def _draw_ratio(self, norms: NDArray[np.float64]) -> None:
        t = theme.current()
        # Name the layers as the axes do: "‖dL/dz‖ L1 ÷ L11 = 1e-6".
        label = f"‖dL/dz‖ L1 ÷ L{len(norms)} = "
        first, last = float(norms[0]), float(norms[-1])
        if not (math.isfinite(first) and math.isfinite(last)):
            text = f'<span style="color:{NONFINITE}">{label}inf/NaN — diverged</span>'
        elif last == 0.0:
            text = f'<span style="color:{t.foreground}">{label}— (last layer gradient is 0)</span>'
        else:
            ratio = first / last
            if ratio < VANISHING_RATIO:
                verdict, colour = "vanishing", theme.OKABE_ITO[1]
            elif ratio > EXPLODING_RATIO:
                verdict, colour = "exploding", theme.OKABE_ITO[1]
            else:
                verdict, colour = "healthy", theme.OKABE_ITO[2]
            text = (
                f'<span style="color:{t.foreground}">{label}{format_power(ratio)}</span>'
                f'&nbsp;&nbsp;<span style="color:{colour}">{verdict}</span>'
            )
        self._set_ratio_text(text)

    def _set_ratio_text(self, text: str) -> None:
        if text != self._ratio_text:  # QLabel relayouts on every setText
            self._ratio_text = text
            self.ratio_label.setText(text)

    def _draw_heat(self, history: History) -> None:
        steps = history.steps
        if len(steps) == 0:
            self.heat_image.clear()
            return
        grid = np.ascontiguousarray(history.layer_stat(self.heat_stat).T)  # (layers, rows)
        lo, hi = self._range
        self.heat_image.setImage(colour_indices(grid, lo, hi), autoLevels=False, levels=(0, 255))
        first, last = float(steps[0]), float(steps[-1])
        dx = (last - first) / (len(steps) - 1) if len(steps) > 1 else 1.0
        n_rows = grid.shape[0]
        x0, width = first - dx / 2, dx * len(steps)
        self.heat_image.setRect(QtCore.QRectF(x0, 0.5, width, n_rows))
        self.heat_plot.setXRange(x0, x0 + width, padding=0)
        if n_rows != self._n_layers:
            self.heat_plot.setYRange(0.5, n_rows + 0.5, padding=0)
