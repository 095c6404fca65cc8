"""NetworkView: the network as a node-link diagram, live.

Columns are layers (input → output, left to right). Node colour is each unit's activation on
the probe input (diverging map, symmetric around f(0), so saturated sigmoid units are deep
blue/red; views/network_nodes.py), edge colour is the weight's sign (blue −, red +) and its
strength and thickness grow with |w|; only the strongest few weights per layer are drawn
(views/network_edges.py). Each layer's column is tinted by log10 of its backpropagated error
norm ‖δ‖ (viridis), so a vanishing gradient shows as columns fading to dark purple towards the
input (views/network_columns.py).

Drawing cost is kept flat: every item is created when the architecture is set; a frame only
swaps cached brushes on one scatter item and on the column tints. The edges are drawn from a
cached image (a tint or node change no longer redraws them) and re-chosen at most 5× a second,
the number labels 4× (with a trailing timer so the last state is always drawn).
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg
from numpy.typing import NDArray
from PySide6 import QtCore, QtGui, QtWidgets

from model.activations import get_activation
from model.config import ExperimentConfig
from model.history import History
from model.snapshot import Snapshot
from views import theme
from views.labels import FitLabel
from views.network_columns import Columns, format_sci
from views.network_edges import NetworkEdges
from views.network_legend import Legend, sample_units
from views.network_nodes import activation_levels, node_bins, node_brushes

__all__ = ["NetworkView", "format_sci", "sample_units"]


def _margin_for(pixels: float, span: float, size_px: float) -> float:
    """Data margin on each side of ``span`` so that it is ``pixels`` wide on a ``size_px`` view."""
    return pixels * span / max(size_px - 2.0 * pixels, 1.0)


class NetworkView(QtWidgets.QWidget):
    """Neurons, weights and per-layer gradient magnitude of the current network."""

    title = "Network"

    @staticmethod
    def translated_title() -> str:
        """``title`` in the current language (dock and window titles)."""
        return QtCore.QCoreApplication.translate("NetworkView", "Network")

    #: Wider layers are drawn as an evenly spaced sample of this many units.
    MAX_DRAWN_UNITS = 32
    #: Node colour bins of the diverging map.
    N_NODE_BINS = 16
    N_GRAD_BINS = Columns.N_GRAD_BINS
    GRAD_STAT = "delta_norm"
    #: Throttles (seconds). Edges are re-chosen at most this often: weights drift slowly.
    #: Numbers change at most 4× a second: faster is unreadable anyway. What a throttle holds
    #: back is drawn by a timer shortly after.
    EDGE_INTERVAL_S = 0.2
    LABEL_INTERVAL_S = 0.25

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        t = self._theme = theme.current()
        self._glw = pg.GraphicsLayoutWidget()
        self._glw.setBackground(t.background)
        self._glw.ci.setContentsMargins(4, 0, 4, 0)
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        # Title and legend are QLabels outside the scene: a pg.LabelItem sets its minimum
        # width to its text and so forces the plot wider than a small cell (clipping it).
        self._title = FitLabel(theme.pt(t.title_pt), t.foreground, t.background)
        self._title.set_variants(
            [
                QtCore.QCoreApplication.translate(
                    "NetworkView", "Network: activations (nodes), weights (edges), ‖δ‖ (columns)"
                ),
                QtCore.QCoreApplication.translate("NetworkView", "Network: activations, weights, ‖δ‖"),
                QtCore.QCoreApplication.translate("NetworkView", "Network"),
            ]
        )
        layout.addWidget(self._title)
        layout.addWidget(self._glw, stretch=1)

        self._plot: pg.PlotItem = self._glw.addPlot(row=0, col=0)
        theme.style_plot(self._plot, "")
        for axis in ("left", "bottom"):
            self._plot.hideAxis(axis)
        self._plot.setMenuEnabled(False)
        self._plot.setMouseEnabled(x=False, y=False)
        self._plot.hideButtons()
        self._plot.vb.setDefaultPadding(0.0)
        # Two short lines under the diagram; the full explanation is the tooltip.
        self._note = FitLabel(theme.pt(t.font_pt), t.foreground, t.background, max_lines=2)
        layout.addWidget(self._note)

        font = theme.font(t.font_pt)
        small_font = theme.font(max(12, t.font_pt - 1))
        self._x_margin_px = 0.5 * QtGui.QFontMetrics(small_font).horizontalAdvance("8e-88") + 2
        self._y_margin_px = QtGui.QFontMetrics(font).height() + 4
        self._col_px = 0.0
        self._columns = Columns(self._plot, t, font, small_font)
        self._edges = NetworkEdges(self._plot, t)

        # Cached brushes and pens: building QColors per frame is what makes scatters slow.
        self._node_brush_table = node_brushes(t, self.N_NODE_BINS)
        self._node_pen = pg.mkPen(t.node_outline, width=theme.px(1))
        # inf/NaN: the theme's ink (black or white) in a yellow ring, on either background
        self._nonfinite_node_pen = pg.mkPen(t.yellow, width=theme.px(3))
        self._neutral_brush = self._node_brush_table[self.N_NODE_BINS // 2]

        # One scatter for all nodes: per-column scatters were tried and cost ~0.45 ms of Python
        # per item and paint, without saving edge repaints (a probe changes every column).
        self._node_size = theme.px(12.0)
        self._node_size_range = (theme.px(3.0), theme.px(26.0))
        self._scatter = pg.ScatterPlotItem(
            pxMode=True, size=self._node_size, pen=self._node_pen, brush=self._neutral_brush
        )
        self._scatter.setZValue(10)
        self._plot.addItem(self._scatter)

        self._y_extent = (1.0, 0.0)
        self._margins = (0.0, 0.0)
        self._sizes: tuple[int, ...] = ()
        self._samples: list[NDArray[np.intp]] = []
        self._node_bins = np.zeros(0, dtype=np.intp)
        self._nonfinite_nodes = np.zeros(0, dtype=bool)
        self._last_weights: Sequence[np.ndarray] | None = None
        self._last_probe: tuple[np.ndarray, ...] | None = None
        self._have_node_colors = False
        self._unit_spacing = 1.0
        self._plot.vb.sigResized.connect(self._on_view_resized)
        self._pending_weights: Sequence[np.ndarray] | None = None
        self._pending_grad: np.ndarray | None = None
        self._edges_time = -math.inf
        self._labels_time = -math.inf
        self._flush_timer = QtCore.QTimer(self)
        self._flush_timer.setSingleShot(True)
        self._flush_timer.timeout.connect(self._flush)
        # Node colours are centred on f(0) (0.5 for sigmoid) so saturation reads as blue/red.
        self._centre = 0.0
        self._hidden_level: float | None = None
        self._centre_text = "0"

    @property
    def _edge_copies(self) -> list[int]:
        """Parallel 1-px lines per edge of each edge pen."""
        return self._edges.copies

    # -- construction -------------------------------------------------------------------
    def _build(self, sizes: tuple[int, ...]) -> None:
        """Create the geometry for ``sizes`` = (n_in, hidden..., n_out); called on rebuild only."""
        self._cancel_pending()
        self._sizes = tuple(int(s) for s in sizes)
        n_cols = len(self._sizes)
        self._samples = [sample_units(n, self.MAX_DRAWN_UNITS) for n in self._sizes]
        drawn = [len(s) for s in self._samples]
        spacing = 1.0 / max(max(drawn), 2)
        self._unit_spacing = spacing

        # Unit k of a column sits at y = 0.5 - (k - (n-1)/2)·spacing: centred, first unit on top.
        ys = [0.5 - (np.arange(n, dtype=np.float64) - (n - 1) / 2.0) * spacing for n in drawn]
        xs = [np.full(n, float(c)) for c, n in enumerate(drawn)]
        n_nodes = sum(drawn)
        self._node_bins = np.full(n_nodes, self.N_NODE_BINS // 2, dtype=np.intp)
        self._nonfinite_nodes = np.zeros(n_nodes, dtype=bool)
        self._have_node_colors = False
        self._scatter.setData(
            x=np.concatenate(xs),
            y=np.concatenate(ys),
            brush=[self._neutral_brush] * n_nodes,
            pen=[self._node_pen] * n_nodes,
            size=self._node_size,
        )
        top = 0.5 + (max(drawn) - 1) / 2.0 * spacing + spacing
        bottom = 0.5 - (max(drawn) - 1) / 2.0 * spacing - spacing
        # every edge lies inside the columns' rectangle
        self._edges.build(self._sizes, self._samples, ys, QtCore.QRectF(-0.5, bottom, n_cols, top - bottom))
        self._last_weights = None
        self._last_probe = None
        self._columns.build(n_cols, top, bottom)

        self._y_extent = (top, bottom)
        self._margins = (0.6, 1.6 * spacing + 0.04)
        self._plot.setRange(
            xRange=(-0.6, n_cols - 0.4), yRange=(bottom - self._margins[1], top + self._margins[1]), padding=0.0
        )
        legend = Legend(
            sizes=self._sizes,
            max_units=self.MAX_DRAWN_UNITS,
            edges_per_layer=self._edges.per_layer,
            weight_ref_stds=self._edges.WEIGHT_REF_STDS,
            centre_text=self._centre_text,
            negative=self._theme.negative,
            positive=self._theme.positive,
        )
        self._note.set_variants(legend.variants())
        self._note.setToolTip(legend.tooltip())
        self._plot.vb.setToolTip(legend.tooltip())
        self._on_view_resized()

    @property
    def note_text(self) -> str:
        """The full legend under the diagram as plain text (says "showing N of M units" when sampling)."""
        return self._note.full_text

    def _on_view_resized(self, *_: object) -> None:
        """Everything that depends on the on-screen scale: margins, node size, label thinning."""
        height = self._plot.vb.height()
        width = self._plot.vb.width()
        if not self._sizes or height <= 0 or width <= 0:
            return
        # Keep the outer columns' labels and the last band inside the view: a margin of at
        # least half a column and half a label; above and below, a label's height.
        span = len(self._sizes) - 1
        x_margin = max(0.6, _margin_for(self._x_margin_px, span, width))
        top, bottom = self._y_extent
        y_margin = _margin_for(self._y_margin_px, top - bottom, height)
        if (x_margin, y_margin) != self._margins:
            self._margins = (x_margin, y_margin)
            self._plot.setRange(
                xRange=(-x_margin, span + x_margin), yRange=(bottom - y_margin, top + y_margin), padding=0.0
            )
        self._col_px = width / (span + 2.0 * x_margin)
        self._columns.thin(self._col_px)

        px_per_unit = height / (top - bottom + 2.0 * y_margin)
        size = float(np.clip(min(0.75 * self._unit_spacing * px_per_unit, 0.6 * self._col_px), *self._node_size_range))
        if size != self._node_size:
            self._node_size = size
            self._scatter.setSize(size)
        self._edges.set_pixel_height(1.0 / px_per_unit)

    def sizeHint(self) -> QtCore.QSize:
        """The cell this view gets in the 1920×1080 lecture window (it fits far smaller ones)."""
        return QtCore.QSize(520, 580)

    # -- the view contract --------------------------------------------------------------
    def set_experiment(self, config: ExperimentConfig, weights: list[np.ndarray] | None = None) -> None:
        """Rebuild for a (possibly new) architecture; draw ``weights`` if given."""
        self._centre, self._hidden_level = activation_levels(get_activation(config.activation, config.leaky_slope))
        self._centre_text = f"f(0) = {self._centre:g}" if self._centre != 0.0 else "0"
        if weights:
            sizes = (int(weights[0].shape[0]), *(int(w.shape[1]) for w in weights))
        else:
            n_in = 64 if config.dataset == "digits" else (1 if config.is_regression else 2)
            n_out = 1 if config.is_regression else (10 if config.dataset == "digits" else config.classes)
            sizes = (n_in, *([config.width] * config.depth), n_out)
        self._build(sizes)
        if weights:
            self._update_edges(weights)

    def show_snapshot(self, snapshot: Snapshot, history: History, weights: list[np.ndarray] | None = None) -> None:
        """Draw ``snapshot``; cheap enough for every display frame."""
        if tuple(snapshot.layer_sizes) != self._sizes:
            self._build(tuple(snapshot.layer_sizes))
        probe = snapshot.probe
        if probe is not None and probe is not self._last_probe and len(probe) == len(self._sizes):
            self._last_probe = probe
            self._update_nodes(probe)
        now = time.monotonic()
        if weights is not None and weights is not self._last_weights and weights is not self._pending_weights:
            if now - self._edges_time >= self.EDGE_INTERVAL_S:
                self._edges_time = now
                self._pending_weights = None
                self._update_edges(weights)
            else:
                self._pending_weights = weights
                self._schedule_flush(self._edges_time + self.EDGE_INTERVAL_S - now)
        grad = snapshot.stats.get(self.GRAD_STAT)
        if grad is not None:
            self._columns.update_bands(grad)
            if now - self._labels_time >= self.LABEL_INTERVAL_S:
                self._labels_time = now
                self._pending_grad = None
                self._update_grad_labels(grad)
            else:
                self._pending_grad = grad
                self._schedule_flush(self._labels_time + self.LABEL_INTERVAL_S - now)

    def _schedule_flush(self, delay_s: float) -> None:
        if not self._flush_timer.isActive():
            self._flush_timer.start(max(1, math.ceil(1000.0 * delay_s)))

    def _flush(self) -> None:
        """Draw what the throttle held back, so the last state always reaches the screen."""
        now = time.monotonic()
        if self._pending_weights is not None:
            weights, self._pending_weights = self._pending_weights, None
            self._edges_time = now
            self._update_edges(weights)
        if self._pending_grad is not None:
            grad, self._pending_grad = self._pending_grad, None
            self._labels_time = now
            self._update_grad_labels(grad)

    def _cancel_pending(self) -> None:
        self._flush_timer.stop()
        self._pending_weights = None
        self._pending_grad = None
        self._edges_time = -math.inf
        self._labels_time = -math.inf

    def clear(self) -> None:
        """Forget drawn values (geometry stays): neutral nodes, no edges, untinted columns."""
        self._cancel_pending()
        n = len(self._node_bins)
        self._node_bins[:] = self.N_NODE_BINS // 2
        self._nonfinite_nodes[:] = False
        self._have_node_colors = False
        if n:
            self._scatter.setPen([self._node_pen] * n, update=False)
            self._scatter.setBrush([self._neutral_brush] * n)
        self._edges.clear()
        self._last_weights = None
        self._last_probe = None
        self._columns.clear()

    # -- per-frame updates --------------------------------------------------------------
    def _update_nodes(self, probe: Sequence[np.ndarray]) -> None:
        bins = node_bins(probe, self._samples, self._sizes, self._centre, self._hidden_level, self.N_NODE_BINS)
        if bins is None or (self._have_node_colors and np.array_equal(bins, self._node_bins)):
            return
        nonfinite = bins == self.N_NODE_BINS
        if not np.array_equal(nonfinite, self._nonfinite_nodes):
            pens = [self._nonfinite_node_pen if bad else self._node_pen for bad in nonfinite]
            self._scatter.setPen(pens, update=False)
        self._scatter.setBrush(list(self._node_brush_table[bins]))
        self._node_bins = bins
        self._nonfinite_nodes = nonfinite
        self._have_node_colors = True

    def _update_edges(self, weights: Sequence[np.ndarray]) -> None:
        if self._edges.update(weights):
            self._last_weights = weights

    def _update_grad_labels(self, grad: np.ndarray) -> None:
        if self._columns.update_labels(grad):
            self._columns.thin(self._col_px)
