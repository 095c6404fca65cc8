"""NetworkView: the network as a node-link diagram, live.

Columns are layers (input → output, left to right). Node colour is each unit's activation on
the probe input (diverging map, symmetric levels), edge colour is the weight's sign (blue −,
red +) and its width/opacity grow with |w|. Each layer's column is tinted by log10 of its
backpropagated error norm ‖δ‖, so a vanishing gradient shows as columns fading to dark purple
towards the input.

Drawing cost is kept flat: every item is created when the architecture is set; a frame only
swaps cached brushes on one scatter item and re-bins the edges into a fixed set of
``connect='pairs'`` curves (never one pen per edge — see PITFALLS.md).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg
from numpy.typing import NDArray
from PySide6 import QtCore, QtGui, QtWidgets

from model.config import ExperimentConfig
from model.history import History
from model.snapshot import Snapshot
from views import theme

#: Fill of a value that is inf or NaN (with a yellow outline / hatch so it reads on any theme).
NONFINITE = "#000000"
NONFINITE_EDGE = "#F0E442"


def format_sci(value: float) -> str:
    """Short scientific notation for a label: 3.2e-06 → "3e-6", inf → "inf", NaN → "NaN"."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "inf" if value > 0 else "−inf"
    if value == 0.0:
        return "0"
    mantissa, exponent = f"{value:.0e}".split("e")
    return f"{mantissa}e{int(exponent)}"


def sample_units(n: int, cap: int) -> NDArray[np.intp]:
    """Indices of at most ``cap`` evenly spaced units out of ``n`` (first and last included)."""
    if n <= cap:
        return np.arange(n)
    return np.unique(np.round(np.linspace(0, n - 1, cap)).astype(np.intp))


class NetworkView(QtWidgets.QWidget):
    """Neurons, weights and per-layer gradient magnitude of the current network."""

    title = "Network"

    #: Wider layers are drawn as an evenly spaced sample of this many units.
    MAX_DRAWN_UNITS = 32
    #: Node colour bins of the diverging map.
    N_NODE_BINS = 16
    #: |w| bins per sign (2 × this many edge curves).
    N_WEIGHT_BINS = 8
    #: Column tint bins and the fixed log10 ‖δ‖ range they span.
    N_GRAD_BINS = 32
    GRAD_LOG_LEVELS = (-8.0, 1.0)
    GRAD_STAT = "delta_norm"
    #: How strongly the column tint covers the background (0..255).
    TINT_ALPHA = 120

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        t = theme.current()
        self._fg = t.foreground
        self._glw = pg.GraphicsLayoutWidget()
        self._glw.setBackground(t.background)
        self._glw.ci.setContentsMargins(4, 4, 4, 4)
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._glw)

        self._plot: pg.PlotItem = self._glw.addPlot(row=0, col=0)
        theme.style_plot(self._plot, "Network: activations (nodes), weights (edges), ‖δ‖ (columns)")
        for axis in ("left", "bottom"):
            self._plot.hideAxis(axis)
        self._plot.setMenuEnabled(False)
        self._plot.setMouseEnabled(x=False, y=False)
        self._plot.hideButtons()
        self._plot.vb.setDefaultPadding(0.0)
        self._note = pg.LabelItem("", size=f"{t.font_pt}pt", color=t.foreground, justify="left")
        self._glw.addItem(self._note, row=1, col=0)

        self._font = QtGui.QFont()
        self._font.setPointSize(t.font_pt)
        self._small_font = QtGui.QFont()
        self._small_font.setPointSize(max(12, t.font_pt - 1))

        # Cached brushes and pens: building QColors per frame is what makes scatters slow.
        cmap = theme.diverging_colormap()
        self._node_brushes = [
            pg.mkBrush(cmap.map((k + 0.5) / self.N_NODE_BINS, mode="qcolor")) for k in range(self.N_NODE_BINS)
        ]
        self._node_brushes.append(pg.mkBrush(NONFINITE))
        self._node_brush_table = np.empty(len(self._node_brushes), dtype=object)
        self._node_brush_table[:] = self._node_brushes
        self._node_pen = pg.mkPen("#555555", width=1)
        self._nonfinite_node_pen = pg.mkPen(NONFINITE_EDGE, width=3)
        self._neutral_brush = self._node_brushes[self.N_NODE_BINS // 2]

        gmap = theme.magnitude_colormap()
        self._grad_brushes: list[QtGui.QBrush] = []
        for k in range(self.N_GRAD_BINS):
            c = gmap.map((k + 0.5) / self.N_GRAD_BINS, mode="qcolor")
            c.setAlpha(self.TINT_ALPHA)
            self._grad_brushes.append(QtGui.QBrush(c))
        self._nonfinite_band_brush = QtGui.QBrush(QtGui.QColor(NONFINITE), QtCore.Qt.BrushStyle.BDiagPattern)
        self._empty_band_brush = QtGui.QBrush(QtCore.Qt.BrushStyle.NoBrush)
        self._band_pen = QtGui.QPen(QtCore.Qt.PenStyle.NoPen)

        # Edge curves: one per (sign, |w| bin), plus one for non-finite weights.
        self._edge_curves: list[pg.PlotCurveItem] = []
        for color in (theme.NEGATIVE, theme.POSITIVE):
            for k in range(self.N_WEIGHT_BINS):
                frac = (k + 1) / self.N_WEIGHT_BINS
                qc = QtGui.QColor(color)
                qc.setAlpha(int(20 + 235 * frac**1.5))
                width = 1.0 if k < self.N_WEIGHT_BINS - 3 else (2.0 if k < self.N_WEIGHT_BINS - 1 else 3.0)
                self._edge_curves.append(self._make_edge_curve(pg.mkPen(qc, width=width)))
        self._edge_curves.append(self._make_edge_curve(pg.mkPen(NONFINITE, width=2)))

        self._scatter = pg.ScatterPlotItem(pxMode=True, size=12, pen=self._node_pen, brush=self._neutral_brush)
        self._scatter.setZValue(10)
        self._plot.addItem(self._scatter)

        self._bands: list[QtWidgets.QGraphicsRectItem] = []
        self._band_bins: list[int] = []
        self._grad_labels: list[pg.TextItem] = []
        self._grad_texts: list[str] = []
        self._static_items: list[QtWidgets.QGraphicsItem] = []
        self._sizes: tuple[int, ...] = ()
        self._samples: list[NDArray[np.intp]] = []
        self._node_bins = np.zeros(0, dtype=np.intp)
        self._nonfinite_nodes = np.zeros(0, dtype=bool)
        self._edge_xy = np.zeros((0, 4))
        self._last_weights: Sequence[np.ndarray] | None = None
        self._have_node_colors = False
        self._unit_spacing = 1.0

    # -- construction -------------------------------------------------------------------
    def _make_edge_curve(self, pen: QtGui.QPen) -> pg.PlotCurveItem:
        curve = pg.PlotCurveItem(pen=pen, connect="pairs", skipFiniteCheck=True, antialias=False)
        curve.setZValue(0)
        self._plot.addItem(curve)
        return curve

    def _build(self, sizes: tuple[int, ...]) -> None:
        """Create the geometry for ``sizes`` = (n_in, hidden..., n_out); called on rebuild only."""
        for item in self._static_items:
            self._plot.removeItem(item)
        self._static_items = []
        self._bands = []
        self._band_bins = []
        self._grad_labels = []
        self._grad_texts = []
        self._sizes = tuple(int(s) for s in sizes)
        n_cols = len(self._sizes)
        n_weight_layers = n_cols - 1
        self._samples = [sample_units(n, self.MAX_DRAWN_UNITS) for n in self._sizes]
        drawn = [len(s) for s in self._samples]
        spacing = 1.0 / max(max(drawn), 2)
        self._unit_spacing = spacing

        # Unit k of a column sits at y = 0.5 - (k - (n-1)/2)·spacing: centred, first unit on top.
        ys = [0.5 - (np.arange(n) - (n - 1) / 2.0) * spacing for n in drawn]
        xs = [np.full(n, float(c)) for c, n in enumerate(drawn)]
        self._col_y = ys
        node_x = np.concatenate(xs)
        node_y = np.concatenate(ys)
        n_nodes = len(node_x)
        self._node_bins = np.full(n_nodes, self.N_NODE_BINS // 2, dtype=np.intp)
        self._nonfinite_nodes = np.zeros(n_nodes, dtype=bool)
        self._have_node_colors = False
        self._scatter.setData(
            x=node_x, y=node_y, brush=[self._neutral_brush] * n_nodes, pen=[self._node_pen] * n_nodes
        )

        # Edge endpoints between sampled units, layer by layer: rows (x0, y0, x1, y1).
        blocks = []
        for i in range(n_weight_layers):
            y0, y1 = ys[i], ys[i + 1]
            src, dst = np.meshgrid(np.arange(len(y0)), np.arange(len(y1)), indexing="ij")
            block = np.empty((src.size, 4))
            block[:, 0] = i
            block[:, 1] = y0[src.ravel()]
            block[:, 2] = i + 1
            block[:, 3] = y1[dst.ravel()]
            blocks.append(block)
        self._edge_xy = np.concatenate(blocks) if blocks else np.zeros((0, 4))
        self._last_weights = None
        for curve in self._edge_curves:
            curve.setData([], [])

        # Column tint (weight layer i ↔ column i+1, whose units receive δ of that layer).
        top = 0.5 + (max(drawn) - 1) / 2.0 * spacing + spacing
        bottom = 0.5 - (max(drawn) - 1) / 2.0 * spacing - spacing
        label_stride = max(1, math.ceil(n_weight_layers / 14))
        for i in range(n_weight_layers):
            rect = QtWidgets.QGraphicsRectItem(i + 0.5, bottom, 1.0, top - bottom)
            rect.setPen(self._band_pen)
            rect.setBrush(self._empty_band_brush)
            rect.setZValue(-10)
            self._add_static(rect)
            self._bands.append(rect)
            self._band_bins.append(-1)
            label = pg.TextItem("", color=self._fg, anchor=(0.5, 1.0))
            label.setFont(self._small_font)
            label.setPos(i + 1, top)
            label.setZValue(20)
            label.setVisible(i % label_stride == 0 or i == n_weight_layers - 1)
            self._add_static(label)
            self._grad_labels.append(label)
            self._grad_texts.append("")

        head = pg.TextItem("‖δ‖", color=self._fg, anchor=(0.5, 1.0))
        head.setFont(self._small_font)
        head.setPos(0, top)
        self._add_static(head)
        col_stride = max(1, math.ceil(n_cols / 16))
        for c in range(n_cols):
            if c == 0:
                text = "in"
            elif c == n_cols - 1:
                text = "out"
            elif c % col_stride == 0:
                text = f"L{c}"
            else:
                continue
            label = pg.TextItem(text, color=self._fg, anchor=(0.5, 0.0))
            label.setFont(self._font)
            label.setPos(c, bottom)
            self._add_static(label)

        self._plot.setXRange(-0.6, n_cols - 0.4, padding=0.0)
        self._plot.setYRange(bottom - 1.6 * spacing - 0.04, top + 1.6 * spacing + 0.04, padding=0.0)
        self._note.setText(self._note_text())
        self._update_node_size()

    def _add_static(self, item: QtWidgets.QGraphicsItem) -> None:
        self._plot.addItem(item)
        self._static_items.append(item)

    def _note_text(self) -> str:
        parts = ["nodes: activation on one probe input (blue −, white 0, red +)", "edges: weight sign and |w|"]
        hidden = self._sizes[1:-1]
        if hidden and max(hidden) > self.MAX_DRAWN_UNITS:
            shown = len(sample_units(max(hidden), self.MAX_DRAWN_UNITS))
            parts.append(f"showing {shown} of {max(hidden)} units per hidden layer")
        for name, n in (("inputs", self._sizes[0]), ("outputs", self._sizes[-1])):
            if n > self.MAX_DRAWN_UNITS:
                parts.append(f"showing {len(sample_units(n, self.MAX_DRAWN_UNITS))} of {n} {name}")
        return " · ".join(parts)

    @property
    def note_text(self) -> str:
        """The legend line under the diagram (includes "showing N of M units" when sampling)."""
        return str(self._note.text)

    def _update_node_size(self) -> None:
        height = self._plot.vb.height()
        if not self._sizes or height <= 0:
            return
        y0, y1 = self._plot.vb.viewRange()[1]
        px = self._unit_spacing * height / max(y1 - y0, 1e-9)
        self._scatter.setSize(float(np.clip(0.75 * px, 5.0, 26.0)))

    def resizeEvent(self, event: QtGui.QResizeEvent) -> None:
        super().resizeEvent(event)
        QtCore.QTimer.singleShot(0, self._update_node_size)

    # -- the view contract --------------------------------------------------------------
    def set_experiment(self, config: ExperimentConfig, weights: list[np.ndarray] | None = None) -> None:
        """Rebuild for a (possibly new) architecture; draw ``weights`` if given."""
        if weights:
            sizes = (int(weights[0].shape[0]), *(int(w.shape[1]) for w in weights))
        else:
            n_in = 64 if config.dataset == "digits" else (1 if config.is_regression else 2)
            n_out = 1 if config.is_regression else (10 if config.dataset == "digits" else config.classes)
            sizes = (n_in, *([config.width] * config.depth), n_out)
        self._build(sizes)
        if weights:
            self._update_edges(weights)

    def show_snapshot(
        self, snapshot: Snapshot, history: History, weights: list[np.ndarray] | None = None
    ) -> None:
        """Draw ``snapshot``; cheap enough for every display frame."""
        if tuple(snapshot.layer_sizes) != self._sizes:
            self._build(tuple(snapshot.layer_sizes))
        if snapshot.probe is not None and len(snapshot.probe) == len(self._sizes):
            self._update_nodes(snapshot.probe)
        if weights is not None and weights is not self._last_weights:
            self._update_edges(weights)
        grad = snapshot.stats.get(self.GRAD_STAT)
        if grad is not None:
            self._update_bands(grad)

    def clear(self) -> None:
        """Forget drawn values (geometry stays): neutral nodes, no edges, untinted columns."""
        n = len(self._node_bins)
        self._node_bins[:] = self.N_NODE_BINS // 2
        self._nonfinite_nodes[:] = False
        self._have_node_colors = False
        if n:
            self._scatter.setBrush([self._neutral_brush] * n)
            self._scatter.setPen([self._node_pen] * n)
        for curve in self._edge_curves:
            curve.setData([], [])
        self._last_weights = None
        for k, (rect, label) in enumerate(zip(self._bands, self._grad_labels, strict=True)):
            rect.setBrush(self._empty_band_brush)
            self._band_bins[k] = -1
            label.setText("")
            self._grad_texts[k] = ""

    # -- per-frame updates --------------------------------------------------------------
    def _update_nodes(self, probe: Sequence[np.ndarray]) -> None:
        values = []
        levels = []
        hidden_vals = []
        n_cols = len(self._sizes)
        for c, idx in enumerate(self._samples):
            a = np.asarray(probe[c], dtype=np.float64)
            if a.shape[0] != self._sizes[c]:
                return
            v = a[idx]
            values.append(v)
            if 0 < c < n_cols - 1:
                hidden_vals.append(v)
        # One symmetric level shared by all hidden layers (so shrinking activations show as
        # paling columns); input and output get their own scale.
        hidden_level = self._sym_level(np.concatenate(hidden_vals)) if hidden_vals else 1.0
        hidden_level = max(hidden_level, 1.0)
        for c, v in enumerate(values):
            levels.append(np.full(len(v), hidden_level if 0 < c < n_cols - 1 else self._sym_level(v)))
        v_all = np.concatenate(values)
        lv_all = np.concatenate(levels)
        finite = np.isfinite(v_all)
        scaled = np.where(finite, v_all, 0.0) / lv_all
        bins = np.clip(((scaled + 1.0) * 0.5 * self.N_NODE_BINS).astype(np.intp), 0, self.N_NODE_BINS - 1)
        bins[~finite] = self.N_NODE_BINS
        if self._have_node_colors and np.array_equal(bins, self._node_bins):
            return
        self._node_bins = bins
        self._have_node_colors = True
        nonfinite = ~finite
        if not np.array_equal(nonfinite, self._nonfinite_nodes):
            self._nonfinite_nodes = nonfinite
            pens = np.where(nonfinite, self._nonfinite_node_pen, self._node_pen)
            self._scatter.setPen(list(pens), update=False)
        self._scatter.setBrush(list(self._node_brush_table[bins]))

    @staticmethod
    def _sym_level(v: np.ndarray) -> float:
        finite = np.abs(v[np.isfinite(v)])
        if finite.size == 0:
            return 1.0
        level = float(finite.max())
        return level if level > 1e-12 else 1.0

    def _update_edges(self, weights: Sequence[np.ndarray]) -> None:
        n_weight_layers = len(self._sizes) - 1
        if len(weights) != n_weight_layers:
            return
        parts = []
        for i, w in enumerate(weights):
            w = np.asarray(w)
            if w.shape != (self._sizes[i], self._sizes[i + 1]):
                return
            parts.append(w[np.ix_(self._samples[i], self._samples[i + 1])].ravel())
        self._last_weights = weights
        w_all = np.concatenate(parts).astype(np.float64, copy=False)
        finite = np.isfinite(w_all)
        mag = np.abs(np.where(finite, w_all, 0.0))
        # Scale by a high quantile, not the max: one outlier must not fade every other edge.
        if mag.size:
            q = int(0.98 * (mag.size - 1))
            scale = float(np.partition(mag, q)[q])
        else:
            scale = 0.0
        if scale <= 0.0:
            scale = float(mag.max()) if mag.size and mag.max() > 0 else 1.0
        nb = self.N_WEIGHT_BINS
        mag_bin = np.minimum((mag / scale * nb).astype(np.intp), nb - 1)
        curve_idx = np.where(w_all < 0.0, 0, nb) + mag_bin
        curve_idx[~finite] = 2 * nb
        order = np.argsort(curve_idx, kind="stable")
        counts = np.bincount(curve_idx, minlength=len(self._edge_curves))
        xy = self._edge_xy[order]
        start = 0
        for curve, count in zip(self._edge_curves, counts, strict=True):
            block = xy[start : start + count]
            start += count
            curve.setData(block[:, 0::2].ravel(), block[:, 1::2].ravel())

    def _update_bands(self, grad: np.ndarray) -> None:
        g = np.asarray(grad, dtype=np.float64)
        lo, hi = self.GRAD_LOG_LEVELS
        for i, rect in enumerate(self._bands):
            if i >= len(g):
                break
            value = float(g[i])
            if math.isfinite(value) and value >= 0.0:
                log = math.log10(value) if value > 0.0 else lo
                frac = (min(max(log, lo), hi) - lo) / (hi - lo)
                b = min(int(frac * self.N_GRAD_BINS), self.N_GRAD_BINS - 1)
            else:
                b = self.N_GRAD_BINS
            if b != self._band_bins[i]:
                self._band_bins[i] = b
                rect.setBrush(self._grad_brushes[b] if b < self.N_GRAD_BINS else self._nonfinite_band_brush)
            text = format_sci(value)
            if text != self._grad_texts[i]:
                self._grad_texts[i] = text
                self._grad_labels[i].setText(text)
