"""GradientsView: per-layer gradient norms now, and their history as a layer × step heat map.

The vanishing band is the point of the whole app: the bars show how many decades the
gradient loses between the output layer (right) and the input layer (left), the heat map
shows the same thing over the whole run (dark rows = layers that no longer learn), and the
ratio text states the key number of the lecture (views/gradient_ratio.py).

The bars and the ratio are cheap and drawn for every snapshot.  The heat map is the costly
part (at 3840×2160: ~1.3 ms of tick layout for its moving step axis and ~0.5 ms of image
scaling per frame, profiled): a live window may draw it on a slower clock of its own with
``show_snapshot(..., heat=False)`` and :meth:`GradientsView.show_heat`.
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
from views.gradient_ratio import RatioLine, verdict_text
from views.gradient_scales import (
    DEFAULT_RANGE,
    HARD_RANGE,
    NONFINITE,
    axis_width,
    colour_indices,
    decade_label,
    decade_ticks,
    format_power,
    heat_lut,
    layer_ticks,
    log10_norm,
)
from views.labels import fitting, html_width

if TYPE_CHECKING:
    from model.datasets import Dataset

# the scales' helpers are imported from here by the other views and the tests
__all__ = [
    "COMPACT_HEIGHT",
    "DEFAULT_RANGE",
    "HARD_RANGE",
    "NONFINITE",
    "GradientsView",
    "colour_indices",
    "decade_label",
    "decade_ticks",
    "format_power",
    "heat_lut",
    "html_width",
    "layer_ticks",
    "log10_norm",
    "verdict_text",
]

#: Horizontal room (px at scale 1) kept free around the one-line texts (label padding, margins).
TEXT_SLACK = 16
#: Below this plot-area height (px at scale 1; plus the text's growth) only the bars are shown.
COMPACT_HEIGHT = 260
#: More layer labels than this are noise, however wide the plot.
MAX_LAYER_LABELS = 20


def _style(plot: pg.PlotItem, left: str = "", bottom: str = "") -> None:
    """theme.style_plot with tick labels at the full body size (projector legibility).

    The titles are LabelItems of the whole layout (full cell width), not of the plots.
    """
    theme.style_plot(plot, "", left, bottom)
    plot.setMenuEnabled(False)
    plot.setMouseEnabled(x=False, y=False)
    plot.hideButtons()


def _title_variants(t: theme.Theme) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The bar chart's and the heat map's titles (rich text), longest first."""
    dw_colour, dz_colour, nonfinite_colour = t.blue, t.vermillion, t.nonfinite
    dw_key = f'<span style="color:{dw_colour}">■ ‖∂L/∂W‖</span>'
    dz_key = f'<span style="color:{dz_colour}">■ ‖∂L/∂z‖</span>'
    gap = "&nbsp;&nbsp;&nbsp;"
    weights = QtCore.QCoreApplication.translate("GradientsView", "weights")
    signal = QtCore.QCoreApplication.translate("GradientsView", "backprop signal")
    bar_titles = (
        f'<span style="color:{dw_colour}">■ ‖∂L/∂W‖ {weights}</span>{gap}'
        f'<span style="color:{dz_colour}">■ ‖∂L/∂z‖ {signal}</span>',
        f"{dw_key}{gap}{dz_key}",
    )
    nonfinite_key = f'&nbsp;&nbsp;<span style="color:{nonfinite_colour}">■ inf/NaN</span>'
    quantity = "log₁₀ ‖∂L/∂z‖"
    heat_titles = (
        QtCore.QCoreApplication.translate("GradientsView", "{quantity} per layer over training").format(
            quantity=quantity
        )
        + nonfinite_key,
        QtCore.QCoreApplication.translate("GradientsView", "{quantity} over training").format(quantity=quantity)
        + nonfinite_key,
        quantity + nonfinite_key,
    )
    return bar_titles, heat_titles


def inside(
    ticks: list[list[tuple[float, str]]], height: float, metrics: QtGui.QFontMetrics
) -> list[list[tuple[float, str]]]:
    """The heat map's layer labels with L1 and Ln moved inward where a row is shorter than a
    label: centred on the first or last row they would reach past the plot into its title.
    Labels that would then touch another are dropped (their rows keep a minor tick): L1 first,
    Ln next, then the others; a heat map shorter than two labels names L1 only."""
    n = max((k for k, _ in ticks[0]), default=0.0)
    row = height / n if n else height
    shift = min(max(0.0, (metrics.height() - row) / 2 / row), max(0.0, (n - 1) / 2))
    moved = [(1.0 + shift if k == 1 else n - shift if k == n else k, text) for k, text in ticks[0]]
    ends = [t for t in moved if t[1] in ("L1", f"L{int(n)}")]
    kept: list[tuple[float, str]] = []
    for k, text in ends + [t for t in moved if t not in ends]:
        if all(abs(k - other) * row >= metrics.height() for other, _ in kept):
            kept.append((k, text))
    if len(kept) == len(moved) and shift == 0.0:
        return ticks
    dropped = [(k, "") for k, text in ticks[0] if text not in {t for _, t in kept}]
    return [sorted(kept), sorted(ticks[1] + dropped)]


class GradientsView(QtWidgets.QWidget):
    """Bars of log10 ‖∂L/∂W‖ and ‖∂L/∂z‖ per layer, a layer × step heat map and the ratio text."""

    title = "Gradients"

    @staticmethod
    def translated_title() -> str:
        """``title`` in the current language (dock and window titles)."""
        return QtCore.QCoreApplication.translate("GradientsView", "Gradients")

    #: The per-layer statistic drawn in the heat map and used for the ratio text.
    heat_stat = "delta_norm"

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        t = self._theme = theme.current()
        self._title_pt = theme.pt(t.title_pt)
        self._text_slack = theme.ipx(TEXT_SLACK)
        # Two titles and two step/layer axes grow with the type; the plots' share does not.
        base_line = QtGui.QFontMetrics(QtGui.QFont(self.font().family(), t.title_pt)).height()
        line = QtGui.QFontMetrics(theme.font(t.title_pt)).height()
        self._compact_height = COMPACT_HEIGHT + 4 * max(0, line - base_line)
        self._n_layers = 0
        self._range = DEFAULT_RANGE
        self._last_dw = np.full(0, np.nan)
        self._last_dz = np.full(0, np.nan)
        self._layer_ticks: tuple[object, object] | None = None
        self._value_ticks: tuple[object, ...] | None = None
        self._tick_font = theme.font(t.font_pt)
        self._heat_heights: dict[int, tuple[float, float]] = {}

        self._ratio = RatioLine(self, t)
        self.ratio_label = self._ratio.label

        self.plots = pg.GraphicsLayoutWidget(self)
        self.plots.setBackground(t.background)
        self.plots.setMinimumSize(0, 0)

        dw_colour, dz_colour, nonfinite_colour = t.blue, t.vermillion, t.nonfinite
        # Titles span the whole cell; the longest variant that fits is shown (on resize only).
        self._bar_titles, self._heat_titles = _title_variants(t)
        title_opts = {"size": f"{self._title_pt}pt", "color": t.foreground}
        self.bar_title = self.plots.addLabel(self._bar_titles[-1], row=0, col=0, colspan=2, **title_opts)
        self.heat_title = self.plots.addLabel(self._heat_titles[-1], row=2, col=0, colspan=2, **title_opts)
        for label in (self.bar_title, self.heat_title):
            label.setSizePolicy(QtWidgets.QSizePolicy.Policy.Preferred, QtWidgets.QSizePolicy.Policy.Fixed)

        tick_font = self._tick_font
        left_width = axis_width(tick_font, "1e-60", "L100")

        self.bar_plot = self.plots.addPlot(row=1, col=0, colspan=2)
        _style(self.bar_plot)
        self.bar_plot.getAxis("left").setWidth(left_width)
        self.bar_plot.getAxis("bottom").setStyle(hideOverlappingLabels=40)  # keep L1 and Ln
        theme.opaque_grid(self.bar_plot, x=False, y=True)
        self.bar_plot.enableAutoRange(False)
        no_pen = pg.mkPen(None)
        self.dw_bars = pg.BarGraphItem(x=[], height=[], width=0.38, brush=dw_colour, pen=no_pen)
        self.dz_bars = pg.BarGraphItem(x=[], height=[], width=0.38, brush=dz_colour, pen=no_pen)
        nonfinite = QtGui.QColor(nonfinite_colour)
        nonfinite.setAlpha(110)
        self.nonfinite_bars = pg.BarGraphItem(
            x=[], height=[], width=0.38, brush=nonfinite, pen=pg.mkPen(nonfinite_colour, width=theme.px(3))
        )
        for item in (self.dw_bars, self.dz_bars, self.nonfinite_bars):
            self.bar_plot.addItem(item)

        self.heat_plot = self.plots.addPlot(row=3, col=0)
        _style(self.heat_plot, bottom=QtCore.QCoreApplication.translate("GradientsView", "training step"))
        self.heat_plot.getAxis("left").setWidth(left_width)
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
            width=theme.ipx(22),
        )
        theme.style_axis(self.color_bar.axis)
        self.color_bar.axis.setWidth(axis_width(tick_font, "1e-60"))
        self.plots.addItem(self.color_bar, row=3, col=1)
        # The bar ends where the heat map ends (not below its step axis), so its end labels
        # have room and its decades line up with the map's colours.
        self.color_bar.layout.setContentsMargins(0, 0, 0, self.heat_plot.getAxis("bottom").height())
        self.plots.ci.layout.setRowStretchFactor(1, 1)
        self.plots.ci.layout.setRowStretchFactor(3, 1)
        self.plots.ci.layout.setContentsMargins(4, 2, 8, 2)

        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self._ratio.box)
        layout.addWidget(self.plots, 1)

        self._set_range(DEFAULT_RANGE)
        self._set_layers(ExperimentConfig().depth + 1)
        self.clear()
        self._fit_texts()
        self.plots.installEventFilter(self)
        self.bar_plot.vb.sigResized.connect(self._on_resized)
        self.heat_plot.vb.sigResized.connect(self._on_resized)
        self.color_bar.vb.sigResized.connect(self._on_resized)

    # -- contract ------------------------------------------------------------------------
    def set_experiment(self, config: ExperimentConfig, dataset: Dataset | None = None) -> None:
        """Rebuild the layer axis for ``config.depth + 1`` weight layers and forget the old run."""
        self._set_layers(config.depth + 1)
        self.clear()

    def show_snapshot(self, snapshot: Snapshot, history: History, *, heat: bool = True) -> None:
        """Draw the current step's bars and ratio, and (``heat``) the heat map of ``history``."""
        n = len(snapshot.stats["weight_grad_norm"])
        if n != self._n_layers:
            self._set_layers(n)
        dw = log10_norm(snapshot.stats["weight_grad_norm"])
        dz = log10_norm(snapshot.stats["delta_norm"])
        self._grow_range(dw, dz)
        self._draw_bars(dw, dz)
        self._ratio.draw(snapshot.stats[self.heat_stat], pretraining=snapshot.phase == "pretrain")
        if heat:
            self._draw_heat(history)

    def show_heat(self, history: History) -> None:
        """Draw the heat map of ``history`` (on a clock of its own; see the module's docstring)."""
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
        self._ratio.clear()

    # -- layout changes (rare) -------------------------------------------------------------
    @QtCore.Slot()
    def _on_resized(self) -> None:
        self._update_layer_ticks()
        # The colour bar ends where the heat map ends, above the step axis (whose height
        # follows its fonts, so it is only known once laid out).
        bottom = self.heat_plot.getAxis("bottom").height()
        if self.heat_plot.isVisible() and abs(self.color_bar.layout.getContentsMargins()[3] - bottom) > 0.5:
            self.color_bar.layout.setContentsMargins(0, 0, 0, bottom)
            self.color_bar.layout.activate()

    def eventFilter(self, watched: QtCore.QObject, event: QtCore.QEvent) -> bool:
        # Before the GraphicsLayoutWidget lays out its new size: the titles' minimum widths
        # must already fit it, or the layout stays wider than the widget (clipped).
        if watched is self.plots and event.type() == QtCore.QEvent.Type.Resize:
            size = event.size()  # type: ignore[attr-defined]
            self._fit_texts(size.width())
            compact = size.height() < self._compact_height
            if compact == self.heat_plot.isVisible():
                self._set_compact(compact)
        return super().eventFilter(watched, event)

    def _set_compact(self, compact: bool) -> None:
        """Hide the heat map and give its rows' height to the bars (or bring it back).

        A QGraphicsGridLayout keeps laying out hidden items, so they are also squeezed to 0 px.
        """
        for item in (self.heat_title, self.heat_plot, self.color_bar):
            item.setVisible(not compact)
            if compact:
                self._heat_heights.setdefault(id(item), (item.minimumHeight(), item.maximumHeight()))
                item.setMinimumHeight(0)
                item.setMaximumHeight(0)
            elif id(item) in self._heat_heights:
                low, high = self._heat_heights.pop(id(item))
                item.setMinimumHeight(low)
                item.setMaximumHeight(high)

    def _fit_texts(self, width: int | None = None) -> None:
        """Pick title variants and the ratio font that fit the current width on one line.

        Runs on resize and layer-count changes only: the ratio font is sized for the widest
        text any snapshot can produce, so it does not jump while training.
        """
        room = (self.plots.width() if width is None else width) - self._text_slack
        for label, variants in ((self.bar_title, self._bar_titles), (self.heat_title, self._heat_titles)):
            html = fitting(variants, self._title_pt, room)
            if html != label.text:
                label.setText(html)
        self._ratio.fit(room)

    def _set_layers(self, n_layers: int) -> None:
        changed = n_layers != self._n_layers
        self._n_layers = n_layers
        self._ratio.set_layers(n_layers)
        self._last_dw = np.full(n_layers, np.nan)
        self._last_dz = np.full(n_layers, np.nan)
        self._x = np.arange(1, n_layers + 1, dtype=np.float64)
        self.bar_plot.setXRange(0.4, n_layers + 0.6, padding=0)
        self.heat_plot.setYRange(0.5, n_layers + 0.5, padding=0)
        self._update_layer_ticks()
        if changed:
            self._fit_texts()  # "L9" vs "L100" in the ratio text

    def _update_layer_ticks(self) -> None:
        """As many layer labels as fit the plots' current pixel size (on resize and rebuild only)."""
        metrics = QtGui.QFontMetrics(self._tick_font)
        width = self.bar_plot.vb.width() or 800.0
        height = self.heat_plot.vb.height() or 300.0
        across = min(MAX_LAYER_LABELS, int(width / (1.25 * metrics.horizontalAdvance(f"L{self._n_layers}"))))
        down = min(MAX_LAYER_LABELS, int(height / (1.2 * metrics.height())))
        ticks = (layer_ticks(self._n_layers, across), inside(layer_ticks(self._n_layers, down), height, metrics))
        if ticks != self._layer_ticks:
            self._layer_ticks = ticks
            self.bar_plot.getAxis("bottom").setTicks(ticks[0])
            self.heat_plot.getAxis("left").setTicks(ticks[1])
        self._update_value_ticks()

    def _update_value_ticks(self) -> None:
        """Decade labels as dense as the bar chart's and colour bar's heights allow (rare)."""
        line = 1.6 * QtGui.QFontMetrics(self._tick_font).height()
        bar = int((self.bar_plot.vb.height() or 300.0) / line) + 1
        cbar = int((self.color_bar.vb.height() or 300.0) / line) + 1
        key = (self._range, bar, cbar)
        if key != self._value_ticks:
            self._value_ticks = key
            lo, hi = self._range
            self.bar_plot.getAxis("left").setTicks(decade_ticks(lo, hi, bar))
            self.color_bar.axis.setTicks(decade_ticks(lo, hi, cbar))

    def _set_range(self, log_range: tuple[float, float]) -> None:
        self._range = log_range
        lo, hi = log_range
        self.bar_plot.setYRange(lo, hi, padding=0)
        self.color_bar.setLevels(log_range)
        self._update_value_ticks()

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

    def sizeHint(self) -> QtCore.QSize:
        """The cell this view gets in the 1920×1080 lecture window (it fits far smaller ones)."""
        return QtCore.QSize(520, 580)
