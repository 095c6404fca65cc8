"""NetworkView: the network as a node-link diagram, live.

Columns are layers (input → output, left to right). Node colour is each unit's activation on
the probe input (diverging map, symmetric around f(0), so saturated sigmoid units are deep
blue/red), edge colour is the weight's sign (blue −, red +) and its strength and thickness
grow with |w|; only the strongest few weights per layer are drawn. Each layer's column is
tinted by log10 of its backpropagated error norm ‖δ‖ (viridis), so a vanishing gradient shows
as columns fading to dark purple towards the input.

Drawing cost is kept flat: every item is created when the architecture is set; a frame only
swaps cached brushes on one scatter item and re-bins the edges into a fixed set of
``connect='pairs'`` curves (never one pen per edge — see PITFALLS.md). Edges and the number
labels are throttled (5 Hz / 4 Hz, with a trailing timer so the last state is always drawn).
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
from views.labels import FastLabel, FitLabel, label_stride, spaced_indices


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


def _margin_for(pixels: float, span: float, size_px: float) -> float:
    """Data margin on each side of ``span`` so that it is ``pixels`` wide on a ``size_px`` view."""
    return pixels * span / max(size_px - 2.0 * pixels, 1.0)


def sample_units(n: int, cap: int) -> NDArray[np.intp]:
    """Indices of at most ``cap`` evenly spaced units out of ``n`` (first and last included)."""
    if n <= cap:
        return np.arange(n)
    return np.unique(np.round(np.linspace(0, n - 1, cap)).astype(np.intp))


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
    #: |w| bins per sign (2 × this many edge curves).
    N_WEIGHT_BINS = 6
    #: Only the strongest edges of each layer are drawn (this many per drawn unit): long
    #: lines are what costs (≈6-10 µs each), and a full 32×32 fan is an unreadable hairball.
    EDGES_PER_UNIT = 1.5
    #: |w| at or above this many Glorot standard deviations is drawn in the strongest style.
    WEIGHT_REF_STDS = 3.0
    #: Column tint bins and the fixed log10 ‖δ‖ range they span.
    N_GRAD_BINS = 32
    GRAD_LOG_LEVELS = (-8.0, 1.0)
    GRAD_STAT = "delta_norm"
    #: Throttles (seconds). Edges are re-binned at most this often: weights drift slowly, and
    #: long lines are the costliest thing drawn. Numbers change at most 4× a second: faster
    #: is unreadable anyway. What a throttle holds back is drawn by a timer shortly after.
    EDGE_INTERVAL_S = 0.2
    LABEL_INTERVAL_S = 0.25
    #: How strongly the column tint covers the background (0..1); tints are pre-blended and
    #: opaque because alpha blending triples the fill cost.
    TINT_STRENGTH = 0.45
    #: Minimum free pixels between two neighbouring column labels.
    LABEL_GAP_PX = 4

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        t = self._theme = theme.current()
        self._fg = t.foreground
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

        self._font = theme.font(t.font_pt)
        self._small_font = theme.font(max(12, t.font_pt - 1))
        # Label widths (+ a gap) for thinning the two label rows when columns crowd: the ‖δ‖
        # row is measured on its current texts ("3e-5" vs "1e-12"), the name row on "L88".
        gap = theme.px(self.LABEL_GAP_PX)
        self._label_gap = gap
        self._grad_label_px = QtGui.QFontMetrics(self._small_font).horizontalAdvance("8e-8") + gap
        self._name_label_px = (
            max(QtGui.QFontMetrics(self._font).horizontalAdvance(s) for s in ("L88", *self._end_names())) + gap
        )
        self._x_margin_px = 0.5 * QtGui.QFontMetrics(self._small_font).horizontalAdvance("8e-88") + 2
        self._y_margin_px = QtGui.QFontMetrics(self._font).height() + 4
        self._col_px = 0.0

        # Cached brushes and pens: building QColors per frame is what makes scatters slow.
        cmap = theme.diverging_colormap()
        self._node_brushes = [
            pg.mkBrush(cmap.map((k + 0.5) / self.N_NODE_BINS, mode="qcolor")) for k in range(self.N_NODE_BINS)
        ]
        self._node_brushes.append(pg.mkBrush(t.ink))
        self._node_brush_table = np.empty(len(self._node_brushes), dtype=object)
        self._node_brush_table[:] = self._node_brushes
        dark = t.is_dark
        self._node_pen = pg.mkPen(t.node_outline, width=theme.px(1))
        # inf/NaN: the theme's ink (black or white) in a yellow ring, on either background
        self._nonfinite_node_pen = pg.mkPen(t.yellow, width=theme.px(3))
        self._neutral_brush = self._node_brushes[self.N_NODE_BINS // 2]

        bg = QtGui.QColor(t.background)
        gmap = theme.magnitude_colormap()
        self._grad_brushes: list[QtGui.QBrush] = []
        for k in range(self.N_GRAD_BINS):
            tint = gmap.map((k + 0.5) / self.N_GRAD_BINS, mode="qcolor")
            # Dark themes get a fainter tint so the red/blue edges keep their contrast.
            strength = self.TINT_STRENGTH * (0.6 if dark else 1.0)
            self._grad_brushes.append(QtGui.QBrush(theme.blend(bg, tint, strength)))
        self._nonfinite_band_brush = QtGui.QBrush(QtGui.QColor(t.ink), QtCore.Qt.BrushStyle.BDiagPattern)
        self._empty_band_brush = QtGui.QBrush(QtCore.Qt.BrushStyle.NoBrush)
        self._band_pen = QtGui.QPen(QtCore.Qt.PenStyle.NoPen)

        # Edge curves: one per (sign, |w| bin), plus one for non-finite weights. Weak edges are
        # pale and thin, strong ones saturated and thick; colours are opaque (pre-blended with
        # the background) because semi-transparent lines cost ~7x more to rasterise.
        self._edge_curves: list[pg.PlotCurveItem] = []
        self._edge_copies: list[int] = []
        self._legend_colors = [t.negative, t.positive]
        for color in (t.negative, t.positive):
            for k in range(self.N_WEIGHT_BINS):
                frac = (k + 1) / self.N_WEIGHT_BINS
                qc = theme.blend(bg, color, 0.4 + 0.6 * frac)
                self._edge_curves.append(self._make_edge_curve(pg.mkPen(qc, width=1)))
                # Thick edges are drawn as parallel 1-px lines: Qt strokes a scaled path with a
                # 2-px pen ~7x slower than it draws 1-px lines (11 ms vs 1.5 ms at 10×64).
                # Only the two strongest bins are doubled/tripled: with a Glorot init most drawn
                # edges stay 1 px, a too-large init turns the diagram visibly heavy. A larger
                # type scale draws every edge with proportionally more lines.
                self._edge_copies.append(self._lines(1 + max(0, k - (self.N_WEIGHT_BINS - 3))))
        self._edge_curves.append(self._make_edge_curve(pg.mkPen(t.ink, width=1)))
        self._edge_copies.append(self._lines(3))

        # One scatter for all nodes: per-column scatters were tried and cost ~0.45 ms of Python
        # per item and paint, without saving edge repaints (a probe changes every column).
        self._node_size = theme.px(12.0)
        self._node_size_range = (theme.px(3.0), theme.px(26.0))
        self._scatter = pg.ScatterPlotItem(
            pxMode=True, size=self._node_size, pen=self._node_pen, brush=self._neutral_brush
        )
        self._scatter.setZValue(10)
        self._plot.addItem(self._scatter)

        self._bands: list[QtWidgets.QGraphicsRectItem] = []
        self._band_bins: list[int] = []
        self._grad_labels: list[FastLabel] = []
        self._grad_texts: list[str] = []
        self._grad_head: FastLabel | None = None
        self._name_labels: list[FastLabel] = []
        self._label_strides = (0, 0)
        self._y_extent = (1.0, 0.0)
        self._margins = (0.0, 0.0)
        self._static_items: list[QtWidgets.QGraphicsItem] = []
        self._sizes: tuple[int, ...] = ()
        self._samples: list[NDArray[np.intp]] = []
        self._node_bins = np.zeros(0, dtype=np.intp)
        self._nonfinite_nodes = np.zeros(0, dtype=bool)
        self._col_y: list[NDArray[np.float64]] = []
        self._pair_index: list[NDArray[np.intp]] = []
        self._pair_offset: list[int] = []
        self._weight_ref: list[float] = []
        self._pair_x = np.zeros((0, 2))
        self._pair_y = np.zeros((0, 2))
        self._edge_pick = np.zeros(0, dtype=np.intp)
        self._edge_bins = np.zeros(0, dtype=np.intp)
        self._edges_per_layer = 0
        self._last_weights: Sequence[np.ndarray] | None = None
        self._last_probe: tuple[np.ndarray, ...] | None = None
        self._have_node_colors = False
        self._unit_spacing = 1.0
        self._px_dy = 0.002  # one screen pixel in data units (vertical), updated on resize
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

    # -- construction -------------------------------------------------------------------
    @staticmethod
    def _lines(copies: int) -> int:
        """Parallel 1-px lines that draw an edge ``copies`` px thick at scale 1."""
        return max(1, round(copies * theme.scale()))

    @staticmethod
    def _end_names() -> tuple[str, str]:
        """Labels of the input and output columns."""
        return (
            QtCore.QCoreApplication.translate("NetworkView", "in"),
            QtCore.QCoreApplication.translate("NetworkView", "out"),
        )

    def _make_edge_curve(self, pen: QtGui.QPen) -> pg.PlotCurveItem:
        curve = pg.PlotCurveItem(pen=pen, connect="pairs", skipFiniteCheck=True, antialias=False)
        # drawLines beats drawPath by ~10 % on freshly set data (no path conversion).
        curve.setSegmentedLineMode("on")
        curve.setZValue(0)
        self._plot.addItem(curve)
        return curve

    def _build(self, sizes: tuple[int, ...]) -> None:
        """Create the geometry for ``sizes`` = (n_in, hidden..., n_out); called on rebuild only."""
        self._cancel_pending()
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
        ys = [0.5 - (np.arange(n, dtype=np.float64) - (n - 1) / 2.0) * spacing for n in drawn]
        xs = [np.full(n, float(c)) for c, n in enumerate(drawn)]
        self._col_y = ys
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

        self._edges_per_layer = max(1, round(self.EDGES_PER_UNIT * max(drawn)))
        # Every candidate edge (pairs of sampled units), layer after layer: its flat index into
        # that layer's weight matrix and its two endpoints. Per frame only indices are chosen.
        self._pair_index = []
        self._pair_offset = []
        self._weight_ref = []
        pair_x = []
        pair_y = []
        offset = 0
        for i in range(n_weight_layers):
            src, dst = np.meshgrid(self._samples[i], self._samples[i + 1], indexing="ij")
            self._pair_index.append((src * self._sizes[i + 1] + dst).ravel())
            self._pair_offset.append(offset)
            # |w| in units of this layer's Glorot std: a fixed yardstick, so a large init or
            # growing weights show up as thicker edges instead of being normalised away.
            glorot = math.sqrt(2.0 / (self._sizes[i] + self._sizes[i + 1]))
            self._weight_ref.append(1.0 / (self.WEIGHT_REF_STDS * glorot))
            ys0, ys1 = np.meshgrid(ys[i], ys[i + 1], indexing="ij")
            pair_y.append(np.stack([ys0.ravel(), ys1.ravel()], axis=1))
            pair_x.append(np.tile([float(i), float(i + 1)], (ys0.size, 1)))
            offset += ys0.size
        self._pair_x = np.concatenate(pair_x) if pair_x else np.zeros((0, 2))
        self._pair_y = np.concatenate(pair_y) if pair_y else np.zeros((0, 2))
        self._edge_pick = np.zeros(0, dtype=np.intp)
        self._edge_bins = np.zeros(0, dtype=np.intp)
        self._last_weights = None
        self._last_probe = None
        for curve in self._edge_curves:
            curve.setData([], [])

        # Column tint (weight layer i ↔ column i+1, whose units receive δ of that layer).
        top = 0.5 + (max(drawn) - 1) / 2.0 * spacing + spacing
        bottom = 0.5 - (max(drawn) - 1) / 2.0 * spacing - spacing
        for i in range(n_weight_layers):
            rect = QtWidgets.QGraphicsRectItem(i + 0.5, bottom, 1.0, top - bottom)
            rect.setPen(self._band_pen)
            rect.setBrush(self._empty_band_brush)
            rect.setZValue(-10)
            self._add_static(rect)
            self._bands.append(rect)
            self._band_bins.append(-1)
            label = FastLabel("", self._fg, self._small_font, anchor=(0.5, 1.0))
            label.setPos(i + 1, top)
            label.setZValue(20)
            self._add_static(label)
            self._grad_labels.append(label)
            self._grad_texts.append("")

        # The row's heading sits over the input column and takes part in the thinning.
        self._grad_head = FastLabel("‖δ‖", self._fg, self._small_font, anchor=(0.5, 1.0))
        self._grad_head.setPos(0, top)
        self._add_static(self._grad_head)
        # Every column gets a name label; which ones show depends on the on-screen width.
        self._name_labels = []
        first, last = self._end_names()
        for c in range(n_cols):
            text = first if c == 0 else (last if c == n_cols - 1 else f"L{c}")
            label = FastLabel(text, self._fg, self._font, anchor=(0.5, 0.0))
            label.setPos(c, bottom)
            self._add_static(label)
            self._name_labels.append(label)
        self._label_strides = (0, 0)

        self._y_extent = (top, bottom)
        self._margins = (0.6, 1.6 * spacing + 0.04)
        self._plot.setRange(
            xRange=(-0.6, n_cols - 0.4), yRange=(bottom - self._margins[1], top + self._margins[1]), padding=0.0
        )
        self._set_note()
        self._on_view_resized()

    def _add_static(self, item: QtWidgets.QGraphicsItem) -> None:
        self._plot.addItem(item, ignoreBounds=True)
        self._static_items.append(item)

    def _set_note(self) -> None:
        """Legend under the diagram: one or two short lines; the full key is the tooltip."""
        tr = QtCore.QCoreApplication.translate
        red = tr("NetworkView", "red").replace(" ", "&nbsp;")
        blue = tr("NetworkView", "blue").replace(" ", "&nbsp;")
        pos = f'<span style="color:{self._legend_colors[1]}"><b>{red}&nbsp;+</b></span>'
        neg = f'<span style="color:{self._legend_colors[0]}"><b>{blue}&nbsp;−</b></span>'
        sampled = []
        hidden = self._sizes[1:-1]
        if hidden and max(hidden) > self.MAX_DRAWN_UNITS:
            shown = len(sample_units(max(hidden), self.MAX_DRAWN_UNITS))
            text = tr("NetworkView", "showing {shown} of {total} units").format(shown=shown, total=max(hidden))
            sampled.append(f"<b>{text}</b>")
        n_in, n_out = self._sizes[0], self._sizes[-1]
        if n_in > self.MAX_DRAWN_UNITS:
            shown = len(sample_units(n_in, self.MAX_DRAWN_UNITS))
            text = tr("NetworkView", "showing {shown} of {total} inputs").format(shown=shown, total=n_in)
            sampled.append(f"<b>{text}</b>")
        if n_out > self.MAX_DRAWN_UNITS:
            shown = len(sample_units(n_out, self.MAX_DRAWN_UNITS))
            text = tr("NetworkView", "showing {shown} of {total} outputs").format(shown=shown, total=n_out)
            sampled.append(f"<b>{text}</b>")
        tail = "".join(f" · {s}" for s in sampled)
        if sampled:
            n_shown, n_all = len(sample_units(max(self._sizes), self.MAX_DRAWN_UNITS)), max(self._sizes)
            text = tr("NetworkView", "{shown} of {total} units shown").format(shown=n_shown, total=n_all)
            short_tail = f" · <b>{text}</b>"
        else:
            short_tail = ""
        keys = {"pos": pos, "neg": neg, "centre": self._centre_text}
        self._note.set_variants(
            [
                tr(
                    "NetworkView",
                    "nodes: activation (white = {centre}) · edges: strongest weights ({pos}, {neg})"
                    " · columns: ‖δ‖ (dark = vanishing)",
                ).format(**keys)
                + tail,
                tr(
                    "NetworkView", "nodes: activation · edges: weights ({pos}, {neg}) · columns: ‖δ‖ (dark = vanishing)"
                ).format(**keys)
                + short_tail,
                tr("NetworkView", "edges: weights ({pos}, {neg}) · columns: ‖δ‖ (dark = vanishing)").format(**keys)
                + short_tail,
                tr("NetworkView", "{pos}, {neg} weights · dark column = vanishing ‖δ‖").format(**keys) + short_tail,
                tr("NetworkView", "{pos}, {neg} weights · ‖δ‖ per column").format(**keys) + short_tail,
            ]
        )
        tip = [
            tr(
                "NetworkView",
                "Nodes: each unit's activation on one probe input (white = {centre}, {neg} below, {pos} above;"
                " a yellow ring = inf/NaN).",
            ).format(**keys),
            tr(
                "NetworkView",
                "Edges: the {count} strongest weights per layer ({pos}, {neg}; thickest: |w| ≥ {stds} Glorot std).",
            ).format(count=self._edges_per_layer, stds=f"{self.WEIGHT_REF_STDS:g}", **keys),
            tr(
                "NetworkView",
                "Columns: the error ‖δ‖ reaching each layer (viridis: dark purple = vanishing, yellow = large);"
                " the number above each column is ‖δ‖.",
            ),
        ]
        if sampled:
            tip.append(
                tr("NetworkView", "Wide layers are drawn as an evenly spaced sample: {list}.").format(
                    list="; ".join(sampled)
                )
            )
        self._note.setToolTip("<br>".join(tip))
        self._plot.vb.setToolTip("<br>".join(tip))

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
        self._thin_labels()

        px_per_unit = height / (top - bottom + 2.0 * y_margin)
        size = float(np.clip(min(0.75 * self._unit_spacing * px_per_unit, 0.6 * self._col_px), *self._node_size_range))
        if size != self._node_size:
            self._node_size = size
            self._scatter.setSize(size)
        px_dy = 1.0 / px_per_unit
        if abs(px_dy - self._px_dy) > 1e-3 * px_dy:
            self._px_dy = px_dy
            if len(self._edge_pick):
                self._emit_edges()

    def _thin_labels(self) -> None:
        """Show every k-th column label, with k as small as the labels allow without touching."""
        if self._col_px <= 0 or self._grad_head is None:
            return
        widest = max((label.boundingRect().width() for label in self._grad_labels), default=0.0)
        grad_px = max(self._grad_label_px, widest + self._label_gap)
        grad_stride = label_stride(grad_px, self._col_px)
        if 0 < grad_stride < self._label_strides[0]:
            # Hysteresis: show more labels only with a few pixels to spare, so a value that
            # wobbles between "9e-10" and "1e-9" does not make every other label blink.
            grad_stride = label_stride(grad_px + 4, self._col_px)
        strides = (grad_stride, label_stride(self._name_label_px, self._col_px))
        if strides == self._label_strides:
            return
        self._label_strides = strides
        grad_shown = set(spaced_indices(len(self._grad_labels) + 1, strides[0]))
        for c, label in enumerate([self._grad_head, *self._grad_labels]):
            label.setVisible(c in grad_shown)
        name_shown = set(spaced_indices(len(self._name_labels), strides[1]))
        for c, label in enumerate(self._name_labels):
            label.setVisible(c in name_shown)

    def sizeHint(self) -> QtCore.QSize:
        """The cell this view gets in the 1920×1080 lecture window (it fits far smaller ones)."""
        return QtCore.QSize(520, 580)

    # -- the view contract --------------------------------------------------------------
    def set_experiment(self, config: ExperimentConfig, weights: list[np.ndarray] | None = None) -> None:
        """Rebuild for a (possibly new) architecture; draw ``weights`` if given."""
        act = get_activation(config.activation, config.leaky_slope)
        probe_z = np.array([-50.0, 0.0, 50.0])
        with np.errstate(all="ignore"):
            f = act.fn(probe_z)
        self._centre = float(f[1]) if np.isfinite(f[1]) else 0.0
        self._centre_text = f"f(0) = {self._centre:g}" if self._centre != 0.0 else "0"
        # Bounded activations get a fixed level (their range) so shrinking activations fade;
        # unbounded ones adapt per frame.
        if np.all(np.isfinite(f)) and np.max(np.abs(f - self._centre)) < 10.0:
            self._hidden_level = float(np.max(np.abs(f - self._centre)))
        else:
            self._hidden_level = None
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
            self._update_bands(grad)
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
        for curve in self._edge_curves:
            curve.setData([], [])
        self._last_weights = None
        self._last_probe = None
        self._edge_bins = np.zeros(0, dtype=np.intp)
        self._edge_pick = np.zeros(0, dtype=np.intp)
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
        # One symmetric level around f(0) shared by all hidden layers (so shrinking activations
        # show as paling columns); input and output are centred on 0 with their own scale.
        if self._hidden_level is not None:
            hidden_level = self._hidden_level
        else:
            hidden_level = max(self._sym_level(np.concatenate(hidden_vals) - self._centre), 1.0)
        centres = []
        for c, v in enumerate(values):
            hidden = 0 < c < n_cols - 1
            levels.append(np.full(len(v), hidden_level if hidden else self._sym_level(v)))
            centres.append(np.full(len(v), self._centre if hidden else 0.0))
        v_all = np.concatenate(values)
        lv_all = np.concatenate(levels)
        finite = np.isfinite(v_all)
        scaled = (np.where(finite, v_all, 0.0) - np.concatenate(centres)) / lv_all
        bins = np.clip(((scaled + 1.0) * 0.5 * self.N_NODE_BINS).astype(np.intp), 0, self.N_NODE_BINS - 1)
        bins[~finite] = self.N_NODE_BINS
        if self._have_node_colors and np.array_equal(bins, self._node_bins):
            return
        nonfinite = ~finite
        if not np.array_equal(nonfinite, self._nonfinite_nodes):
            pens = [self._nonfinite_node_pen if bad else self._node_pen for bad in nonfinite]
            self._scatter.setPen(pens, update=False)
        self._scatter.setBrush(list(self._node_brush_table[bins]))
        self._node_bins = bins
        self._nonfinite_nodes = nonfinite
        self._have_node_colors = True

    @staticmethod
    def _sym_level(v: np.ndarray) -> float:
        finite = np.abs(v[np.isfinite(v)])
        if finite.size == 0:
            return 1.0
        level = float(finite.max())
        return level if level > 1e-12 else 1.0

    def _update_edges(self, weights: Sequence[np.ndarray]) -> None:
        if len(weights) != len(self._pair_index):
            return
        keep = self._edges_per_layer
        picks = []
        values = []
        for i, w in enumerate(weights):
            if w.shape != (self._sizes[i], self._sizes[i + 1]):
                return
            block = np.take(w, self._pair_index[i]).astype(np.float64, copy=False)
            if block.size > keep:
                # Non-finite weights always make the cut, ahead of the strongest finite ones.
                key = np.abs(block)
                key[np.isnan(key)] = np.inf
                pick = np.argpartition(key, block.size - keep)[block.size - keep :]
            else:
                pick = np.arange(block.size)
            picks.append(pick + self._pair_offset[i])
            values.append(block[pick] * self._weight_ref[i])
        self._last_weights = weights
        pick_all = np.concatenate(picks)
        w_rel = np.concatenate(values)
        finite = np.isfinite(w_rel)
        nb = self.N_WEIGHT_BINS
        with np.errstate(invalid="ignore"):
            mag_bin = np.minimum(np.abs(np.where(finite, w_rel, 0.0)) * nb, nb - 1).astype(np.intp)
        curve_idx = np.where(w_rel < 0.0, 0, nb) + mag_bin
        curve_idx[~finite] = 2 * nb
        order = np.lexsort((pick_all, curve_idx))
        curve_idx = curve_idx[order]
        pick_all = pick_all[order]
        if np.array_equal(curve_idx, self._edge_bins) and np.array_equal(pick_all, self._edge_pick):
            return
        self._edge_bins = curve_idx
        self._edge_pick = pick_all
        self._emit_edges()

    def _emit_edges(self) -> None:
        """Hand the chosen edges to their curves; thick edges become parallel 1-px lines."""
        counts = np.bincount(self._edge_bins, minlength=len(self._edge_curves))
        xs = self._pair_x[self._edge_pick]
        ys = self._pair_y[self._edge_pick]
        start = 0
        for curve, count, copies in zip(self._edge_curves, counts, self._edge_copies, strict=True):
            stop = start + count
            if count == 0:
                if curve.xData is None or len(curve.xData):
                    curve.setData([], [])
                continue
            x, y = xs[start:stop], ys[start:stop]
            start = stop
            if copies > 1:
                shifts = (np.arange(copies) - (copies - 1) / 2.0) * self._px_dy
                x = np.tile(x, (copies, 1))
                y = (y[None, :, :] + shifts[:, None, None]).reshape(-1, 2)
            curve.setData(x.ravel(), y.ravel())

    def _update_bands(self, grad: np.ndarray) -> None:
        g = np.asarray(grad, dtype=np.float64)
        lo, hi = self.GRAD_LOG_LEVELS
        for i, rect in enumerate(self._bands):
            if i >= len(g):
                break
            value = float(g[i])
            if math.isfinite(value) and value >= 0.0:
                log = math.log10(value) if value > 0.0 else lo
                pos = (min(max(log, lo), hi) - lo) / (hi - lo) * self.N_GRAD_BINS
                b = min(int(pos), self.N_GRAD_BINS - 1)
                # Hysteresis: batch noise near a bin edge must not make the column flicker
                # (and each flip repaints every edge crossing the column).
                current = self._band_bins[i]
                if 0 <= current < self.N_GRAD_BINS and current - 0.3 <= pos < current + 1.3:
                    b = current
            else:
                b = self.N_GRAD_BINS
            if b != self._band_bins[i]:
                self._band_bins[i] = b
                rect.setBrush(self._grad_brushes[b] if b < self.N_GRAD_BINS else self._nonfinite_band_brush)

    def _update_grad_labels(self, grad: np.ndarray) -> None:
        changed = False
        for i, label in enumerate(self._grad_labels):
            if i >= len(grad):
                break
            text = format_sci(float(grad[i]))
            if text != self._grad_texts[i]:
                self._grad_texts[i] = text
                label.setText(text)
                changed = True
        if changed:
            self._thin_labels()
