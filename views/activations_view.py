"""ActivationsView: where every hidden layer's activations lie, all layers at once.

Left: one ridge line (filled step histogram of ``Snapshot.activation_hists``) per hidden layer,
layer 1 on top, each scaled to its own peak so the shape is readable even when a layer's
activations collapse into one bin. Right: per layer, the fractions of saturated, zero and
dead units as horizontal bars on a 0–100 % scale, on the same rows (:mod:`views.fraction_bars`).

Items are created when the architecture is set; a frame only calls ``setData`` on the ridge
curves and ``setRect`` on the bars, and only for what changed.
"""

from __future__ import annotations

import itertools

import numpy as np
import pyqtgraph as pg
from numpy.typing import NDArray
from PySide6 import QtCore, QtGui, QtWidgets

from model.activations import get_activation
from model.config import ExperimentConfig
from model.history import History
from model.snapshot import ACTIVATION_BINS, Snapshot
from views import theme
from views.fraction_bars import FRACTIONS, FractionBars
from views.labels import FitLabel, label_stride, spaced_indices


def fraction_names() -> tuple[str, str, str]:
    """The bars' legend words, in FRACTIONS order."""
    return (
        QtCore.QCoreApplication.translate("ActivationsView", "saturated"),
        QtCore.QCoreApplication.translate("ActivationsView", "zero"),
        QtCore.QCoreApplication.translate("ActivationsView", "dead"),
    )


def _activation_range(config: ExperimentConfig) -> tuple[float, float]:
    """The part of ACTIVATION_BINS the activation's outputs can reach (padded)."""
    act = get_activation(config.activation, config.leaky_slope)
    z = np.linspace(-6.0, 6.0, 241)
    with np.errstate(all="ignore"):
        h = act.fn(z)
    h = h[np.isfinite(h)]
    lo_bin, hi_bin = float(ACTIVATION_BINS[0]), float(ACTIVATION_BINS[-1])
    lo = max(lo_bin, float(h.min())) if h.size else lo_bin
    hi = min(hi_bin, float(h.max())) if h.size else hi_bin
    pad = 0.04 * max(hi - lo, 0.5)
    return max(lo - pad, lo_bin), min(hi + pad, hi_bin)


def saturated_intervals(config: ExperimentConfig) -> list[tuple[float, float]]:
    """Activation-value intervals whose units are saturated (f′ < 10 % of its maximum).

    Found numerically on a fine grid of pre-activations, so every activation works; intervals
    of zero width (ReLU's h = 0) are left out: a zero-width band cannot be seen.
    """
    act = get_activation(config.activation, config.leaky_slope)
    z = np.linspace(-12.0, 12.0, 4801)
    with np.errstate(all="ignore"):
        h = act.fn(z)
        g = act.grad(z, h)
    low = np.isfinite(h) & np.isfinite(g) & (g < 0.1 * act.max_grad)
    out: list[tuple[float, float]] = []
    if not low.any():
        return out
    # Split the saturated z-grid into contiguous runs and map each to its range of h.
    edges = np.flatnonzero(np.diff(low.astype(np.int8)))
    bounds = np.concatenate(([0], edges + 1, [len(z)]))
    lo_bin, hi_bin = float(ACTIVATION_BINS[0]), float(ACTIVATION_BINS[-1])
    for a, b in itertools.pairwise(bounds):
        if not low[a]:
            continue
        hs = h[a:b]
        lo, hi = max(float(hs.min()), lo_bin), min(float(hs.max()), hi_bin)
        if hi - lo > 1e-3:
            out.append((lo, hi))
    return out


class ActivationsView(QtWidgets.QWidget):
    """Per-hidden-layer activation histograms and saturated/zero/dead fractions."""

    title = "Activations"

    @staticmethod
    def translated_title() -> str:
        """``title`` in the current language (dock and window titles)."""
        return QtCore.QCoreApplication.translate("ActivationsView", "Activations")

    #: Fraction of a row a ridge may fill at its peak.
    RIDGE_HEIGHT = 0.86
    #: x range of the bar plot (fractions 0..1 plus room for the end ticks).
    BAR_X_RANGE = (-0.06, 1.15)
    #: Pixels (at scale 1) kept beside the ridge plot's x range, so its end tick labels are drawn.
    TICK_ROOM_PX = 18

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        t = self._theme = theme.current()
        tr = QtCore.QCoreApplication.translate
        self._fg = t.foreground
        # x-axis titles, longest first: the first that fits under its plot is shown.
        self._ridge_axis_labels = (
            tr("ActivationsView", "activation value"),
            tr("ActivationsView", "activation"),
            tr("ActivationsView", "value"),
        )
        self._bar_axis_labels = (tr("ActivationsView", "% of units"), "%")
        self._tick_room_px = theme.px(self.TICK_ROOM_PX)
        self._glw = pg.GraphicsLayoutWidget()
        self._glw.setBackground(t.background)
        self._glw.ci.setContentsMargins(2, 0, 6, 4)
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        bg = QtGui.QColor(t.background)
        colours = [getattr(t, role) for _, role in FRACTIONS]
        names = fraction_names()
        self._saturation_color = theme.blend(bg, colours[0], 0.22 if not t.is_dark else 0.3)
        # Title and legend are QLabels above the scene: pg titles and legends set their minimum
        # width to their text and so force the plots wider than a small cell (clipping them).
        self._title = FitLabel(theme.pt(t.title_pt), t.foreground, t.background)
        self._title.set_variants(
            [
                tr("ActivationsView", "Activations per hidden layer"),
                tr("ActivationsView", "Activations per layer"),
                tr("ActivationsView", "Activations"),
            ]
        )
        self._legend = FitLabel(theme.pt(t.font_pt), t.foreground, t.background)
        swatches = [f'<span style="color:{c}">■</span> {name}' for c, name in zip(colours, names, strict=True)]
        bars = " ".join(swatches)
        short_bars = " ".join(
            [f'<span style="color:{colours[0]}">■</span> {tr("ActivationsView", "sat.")}', *swatches[1:]]
        )
        shade = f'<span style="color:{self._saturation_color.name()}">█</span>'
        self._legend.set_variants(
            [
                f"{bars} · {shade} " + tr("ActivationsView", "f′ &lt; 10% of max"),
                f"{bars} · {shade} f′ &lt; 10%",
                bars,
                short_bars,
            ]
        )
        tip = (
            tr(
                "ActivationsView",
                "Left: histogram of each hidden layer's activations (layer 1 on top), scaled to its own peak;"
                " the shaded band is where the activation is saturated (f′ &lt; 10% of its maximum),"
                " so hardly any gradient passes.",
            )
            + "<br>"
            + tr(
                "ActivationsView",
                "Right: share of the layer's units that are {kinds} (dead: zero for every input of the batch)."
                " A dashed outline or hatched bar means inf/NaN.",
            ).format(kinds=", ".join(swatches))
        )
        for widget in (self._title, self._legend, self._glw):
            widget.setToolTip(tip)
        layout.addWidget(self._title)
        layout.addWidget(self._legend)
        layout.addWidget(self._glw, stretch=1)

        self._tick_font = theme.font(t.font_pt)
        self._tick_px = QtGui.QFontMetrics(self._tick_font).height()

        self._ridge_plot: pg.PlotItem = self._glw.addPlot(row=0, col=0)
        theme.style_plot(self._ridge_plot, "", bottom=self._ridge_axis_labels[0])
        self._bar_plot: pg.PlotItem = self._glw.addPlot(row=0, col=1)
        theme.style_plot(self._bar_plot, "", bottom=self._bar_axis_labels[0])
        self._axis_label_style = theme.axis_label_style()
        self._axis_label_metrics = QtGui.QFontMetrics(theme.font(t.font_pt))
        self._axis_labels = {"ridge": self._ridge_axis_labels[0], "bar": self._bar_axis_labels[0]}
        self._glw.ci.layout.setColumnStretchFactor(0, 3)
        self._glw.ci.layout.setColumnStretchFactor(1, 2)
        self._glw.ci.layout.setHorizontalSpacing(10)
        for plot in (self._ridge_plot, self._bar_plot):
            plot.setMenuEnabled(False)
            plot.setMouseEnabled(x=False, y=False)
            plot.hideButtons()
            theme.opaque_grid(plot, x=True, y=False)
            plot.getAxis("bottom").setStyle(maxTickLevel=0)  # major grid lines only
        self._bar_plot.setYLink(self._ridge_plot)
        self._bar_plot.hideAxis("left")
        self._ridge_plot.getAxis("left").setWidth(
            QtGui.QFontMetrics(self._tick_font).horizontalAdvance("L88") + theme.ipx(14)
        )
        # Room on both sides for the "0"/"100%" ticks; long bars carry their value inside.
        self._bar_plot.setXRange(*self.BAR_X_RANGE, padding=0.0)
        self._bar_plot.getAxis("bottom").setTicks([[(0.0, "0"), (0.5, "50"), (1.0, "100")]])

        self._fractions = FractionBars(self._bar_plot, t)
        self._no_pen = QtGui.QPen(QtCore.Qt.PenStyle.NoPen)
        self._ridge_pen = pg.mkPen(t.blue, width=theme.px(2))
        self._nonfinite_pen = pg.mkPen(t.ink, width=theme.px(3), style=QtCore.Qt.PenStyle.DashLine)
        self._ridge_brush = pg.mkBrush(theme.blend(bg, t.blue, 0.38 if not t.is_dark else 0.33))

        self._edges: NDArray[np.float64] = np.asarray(ACTIVATION_BINS, dtype=np.float64)
        # All ridges are one filled path (a second one outlines non-finite layers): one
        # PlotCurveItem per layer cost ~1 ms of pyqtgraph overhead each per frame.
        self._ridge_item = QtWidgets.QGraphicsPathItem()
        self._ridge_item.setBrush(self._ridge_brush)
        self._ridge_item.setPen(self._ridge_pen)
        self._ridge_plot.addItem(self._ridge_item, ignoreBounds=True)
        self._bad_ridge_item = QtWidgets.QGraphicsPathItem()
        self._bad_ridge_item.setBrush(QtGui.QBrush(QtCore.Qt.BrushStyle.NoBrush))
        self._bad_ridge_item.setPen(self._nonfinite_pen)
        self._bad_ridge_item.setZValue(1)
        self._ridge_plot.addItem(self._bad_ridge_item, ignoreBounds=True)
        self._heights: NDArray[np.float64] = np.zeros((0, len(self._edges) - 1))
        self._ridge_nonfinite: NDArray[np.bool_] = np.zeros(0, dtype=bool)
        # x of a step outline: up at the left edge, along every bin top, down at the right.
        self._step_x = np.repeat(self._edges, 2)
        self._row_stride = 0
        self._view_x_range = (0.0, 0.0)
        self._y_top = 0.6
        self._bar_plot.vb.sigResized.connect(self._on_view_resized)
        self._ridge_plot.vb.sigResized.connect(self._on_view_resized)
        self._saturation_items: list[QtWidgets.QGraphicsItem] = []
        self._saturation_brush = QtGui.QBrush(self._saturation_color)
        self._n_hidden = 0
        self._n_layers = 0
        self._last_hists: NDArray[np.float64] | None = None
        self._last_stats: dict[str, NDArray[np.float64]] | None = None
        self._x_range = (float(ACTIVATION_BINS[0]), float(ACTIVATION_BINS[-1]))

    # -- construction -------------------------------------------------------------------
    def _build(self, n_layers: int) -> None:
        self._n_layers = n_layers
        self._n_hidden = max(n_layers - 1, 1)
        n = self._n_hidden
        self._heights = np.zeros((n, len(self._edges) - 1))
        self._ridge_nonfinite = np.zeros(n, dtype=bool)
        self._last_hists = None
        self._last_stats = None
        self._redraw_ridges()
        self._fractions.build(n)
        self._row_stride = 0  # row labels are thinned to the on-screen row height
        self._y_top = n - 0.4
        self._ridge_plot.setYRange(-0.6, self._y_top, padding=0.0)
        self._view_x_range = (0.0, 0.0)
        self._on_view_resized()

    def _on_view_resized(self, *_: object) -> None:
        """Thin the row labels to the row height; show percentages only where three fit a row."""
        height = self._bar_plot.vb.height()
        if height <= 0 or not self._n_hidden:
            return
        n = self._n_hidden
        # Room above the top row for half of its "L1" tick label (many thin rows leave too little).
        half_tick = 0.5 * self._tick_px + 2.0
        extra = max(0.0, (half_tick * (n + 0.2) - 0.4 * height) / max(height - half_tick, 1.0))
        if abs(n - 0.4 + extra - self._y_top) > 1e-9:
            self._y_top = n - 0.4 + extra
            self._ridge_plot.setYRange(-0.6, self._y_top, padding=0.0)
        row_px = height / (self._y_top + 0.6)
        # The end tick labels (e.g. "1.0") are only drawn if they fit inside the plot's width.
        lo, hi = self._x_range
        width = self._ridge_plot.vb.width()
        room = self._tick_room_px * (hi - lo) / max(width - 2.0 * self._tick_room_px, 1.0)
        view_x = (lo - room, hi + room)
        if view_x != self._view_x_range:
            self._view_x_range = view_x
            self._ridge_plot.setXRange(*view_x, padding=0.0)
        self._fit_axis_labels()
        stride = label_stride(1.15 * self._tick_px, row_px)
        if stride != self._row_stride:
            self._row_stride = stride
            ticks = [(self._row_centre(j), f"L{j + 1}") for j in spaced_indices(n, stride)]
            self._ridge_plot.getAxis("left").setTicks([ticks])
        self._fractions.set_labels_visible(row_px >= 3.0 * self._fractions.label_px)

    def _fit_axis_labels(self) -> None:
        """Shorten an x-axis title that would run past its plot (and into its neighbour)."""
        for key, plot, variants in (
            ("ridge", self._ridge_plot, self._ridge_axis_labels),
            ("bar", self._bar_plot, self._bar_axis_labels),
        ):
            room = plot.vb.width() - 4.0
            text = next((v for v in variants if self._axis_label_metrics.horizontalAdvance(v) <= room), variants[-1])
            if text != self._axis_labels[key]:
                self._axis_labels[key] = text
                plot.setLabel("bottom", text, **self._axis_label_style)

    def _row_centre(self, j: int) -> float:
        """Hidden layer j (0-based) sits on row n-1-j so layer 1 is on top."""
        return float(self._n_hidden - 1 - j)

    def _baseline(self, j: int) -> float:
        return self._row_centre(j) - 0.45

    def sizeHint(self) -> QtCore.QSize:
        """The cell this view gets in the 1920×1080 lecture window (it fits far smaller ones)."""
        return QtCore.QSize(520, 580)

    # -- the view contract --------------------------------------------------------------
    def set_experiment(self, config: ExperimentConfig, weights: list[np.ndarray] | None = None) -> None:
        """Rebuild rows for ``config.depth`` hidden layers and zoom to the activation's range."""
        self._x_range = _activation_range(config)
        for item in self._saturation_items:
            self._ridge_plot.removeItem(item)
        self._saturation_items = []
        for lo, hi in saturated_intervals(config):
            rect = QtWidgets.QGraphicsRectItem(lo, -10.0, hi - lo, 10_000.0)
            rect.setPen(self._no_pen)
            rect.setBrush(self._saturation_brush)
            rect.setZValue(-100)
            self._ridge_plot.addItem(rect, ignoreBounds=True)
            self._saturation_items.append(rect)
        self._build(config.depth + 1)

    def show_snapshot(self, snapshot: Snapshot, history: History, weights: list[np.ndarray] | None = None) -> None:
        """Draw ``snapshot``'s histograms (if it has them) and unit fractions."""
        if snapshot.n_layers != self._n_layers:
            self._build(snapshot.n_layers)
        hists = snapshot.activation_hists
        if hists is not None and hists is not self._last_hists:
            self._last_hists = hists
            self._update_ridges(np.asarray(hists, dtype=np.float64))
        if snapshot.stats is not self._last_stats:
            self._last_stats = snapshot.stats
            self._fractions.update(snapshot.stats)

    def clear(self) -> None:
        """Flatten every ridge and bar (rows stay)."""
        self._heights[:] = 0.0
        self._ridge_nonfinite[:] = False
        self._redraw_ridges()
        self._fractions.clear()
        self._last_hists = None
        self._last_stats = None

    # -- per-frame updates --------------------------------------------------------------
    def _update_ridges(self, hists: NDArray[np.float64]) -> None:
        n_bins = len(self._edges) - 1
        if hists.ndim != 2 or hists.shape[1] != n_bins:
            return
        n = min(hists.shape[0], self._n_hidden)
        counts = hists[:n]
        finite = np.all(np.isfinite(counts), axis=1)
        # A non-finite histogram keeps the last finite ridge, outlined in the marker style.
        self._ridge_nonfinite[:n] = ~finite
        good = counts[finite]
        peaks = good.max(axis=1, initial=0.0)
        scale = np.divide(self.RIDGE_HEIGHT, peaks, out=np.zeros_like(peaks), where=peaks > 0)
        self._heights[:n][finite] = good * scale[:, None]
        self._redraw_ridges()

    def _redraw_ridges(self) -> None:
        n = self._heights.shape[0]
        base = np.array([self._baseline(j) for j in range(n)])
        # y of each step outline: baseline, then every bin's top twice, then baseline again.
        ends = np.zeros((n, 1))
        ys = base[:, None] + np.concatenate((ends, np.repeat(self._heights, 2, axis=1), ends), axis=1)
        xs = np.broadcast_to(self._step_x, ys.shape)
        for item, rows in ((self._ridge_item, slice(None)), (self._bad_ridge_item, self._ridge_nonfinite)):
            x, y = xs[rows], ys[rows]
            if y.size == 0:
                item.setPath(QtGui.QPainterPath())
                continue
            connect = np.ones(y.shape, dtype=bool)
            connect[:, -1] = False  # each ridge is its own (implicitly closed) polygon
            item.setPath(pg.arrayToQPath(x.ravel(), y.ravel(), connect=connect.ravel()))
