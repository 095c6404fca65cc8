"""CompareGradientsView: the backprop signal per layer of 2–4 runs, overlaid on one plot.

Each run is one line with markers: log10 ‖∂L/∂z‖ of every weight layer, input (L1) on the
left, output on the right.  A vanishing run is a line that falls steeply towards the input;
a healthy one is flat.  Runs may differ in depth: every line starts at L1.

The y axis is a fixed decade grid (1e-12 … 1e4) that only ever grows, so lines do not jump
while training.  A non-finite norm (inf/NaN) breaks its run's line and is marked with a
magenta ✖ (outlined in the run's colour) at the top of the plot.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg
from numpy.typing import NDArray
from pyqtgraph.graphicsItems.LegendItem import ItemSample
from pyqtgraph.graphicsItems.ScatterPlotItem import drawSymbol
from PySide6 import QtCore, QtGui, QtWidgets

from model.snapshot import Snapshot
from views import theme
from views.gradients_view import HARD_RANGE, decade_ticks, layer_ticks, log10_norm
from views.labels import fitting

#: The statistic drawn: the backpropagated error ‖∂L/∂z‖ of each weight layer.
STAT = "delta_norm"
#: log10 range shown before anything falls outside it (it only grows, within HARD_RANGE).
DEFAULT_RANGE: tuple[float, float] = (-12.0, 4.0)
#: Pixels of room above and below the range: pyqtgraph drops a tick label that would
#: stick out of its axis, which cost the end decades (1e4, 1e-12) their labels.
Y_PAD_PX = 12
#: One marker shape per run as well as one colour: reads in greyscale and for every viewer.
SYMBOLS: tuple[str, ...] = ("o", "s", "t", "d")
MAX_RUNS = len(SYMBOLS)
#: Line width and marker sizes (px at scale 1).
LINE_WIDTH = 4
SYMBOL_SIZE = 15
NONFINITE_SIZE = 24
#: Horizontal offset (layers) between runs' inf/NaN marks so coinciding marks stay apart.
NONFINITE_SPREAD = 0.12
#: Layer labels never get denser than this, however wide the plot.
MAX_LAYER_LABELS = 24
#: Horizontal room (px at scale 1) kept free beside the title (layout margins).
TEXT_SLACK = 24
#: The legend is dropped where it would leave the plot less than this width (px at scale 1).
PLOT_MIN_WIDTH = 420
#: Legend sample size (px at scale 1): pyqtgraph's 20×20 sample is too small to read from the back row.
SAMPLE_WIDTH, SAMPLE_HEIGHT = 60, 26


def run_colour(index: int) -> str:
    """The colour of run ``index`` in the current theme (its first five series colours).

    The compare window paints each run's column header in the same colour.
    """
    return theme.current().series[index % 5]


def run_symbol(index: int) -> str:
    return SYMBOLS[index % len(SYMBOLS)]


def layer_logs(snapshot: Snapshot) -> NDArray[np.float64]:
    """log10 ‖∂L/∂z‖ per layer; zeros → -inf, inf/NaN → NaN/+inf, never warns."""
    return log10_norm(np.asarray(snapshot.stats[STAT], dtype=np.float64))


class RunSample(ItemSample):  # type: ignore[misc]
    """A wide legend sample: the run's line with its marker in the middle (not clickable:
    a stray click must not hide a run in the middle of a lecture)."""

    def __init__(self, item: pg.PlotDataItem) -> None:
        super().__init__(item)
        self._size = (theme.px(SAMPLE_WIDTH), theme.px(SAMPLE_HEIGHT))
        self.setFixedWidth(self._size[0])
        self.setFixedHeight(self._size[1])

    def boundingRect(self) -> QtCore.QRectF:
        return QtCore.QRectF(0, 0, *self._size)

    def paint(self, p: QtGui.QPainter, *args: object) -> None:
        opts = self.item.opts
        width, height = self._size
        mid = height / 2
        p.setPen(pg.mkPen(opts["pen"]))
        p.drawLine(QtCore.QPointF(2, mid), QtCore.QPointF(width - 2, mid))
        p.translate(width / 2, mid)
        drawSymbol(p, opts["symbol"], opts["symbolSize"], pg.mkPen(opts["symbolPen"]), pg.mkBrush(opts["symbolBrush"]))

    def mouseClickEvent(self, event: object) -> None:
        event.accept()  # type: ignore[attr-defined]


class CompareGradientsView(QtWidgets.QWidget):
    """log10 ‖∂L/∂z‖ per layer of several runs on one plot, with a legend of their labels."""

    title = "Gradient by layer"

    @staticmethod
    def translated_title() -> str:
        """``title`` in the current language (dock and window titles)."""
        return QtCore.QCoreApplication.translate("CompareGradientsView", "Gradient by layer")

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        t = self._theme = theme.current()
        tr = QtCore.QCoreApplication.translate
        self.labels: list[str] = []
        self.n_layers: list[int] = []
        self._range = DEFAULT_RANGE
        self._max_layers = 0
        self._layer_ticks: object = None
        self._value_ticks: object = None
        self._tick_font = theme.font(t.font_pt)
        self._title_pt = theme.pt(t.title_pt + 1)
        self._text_slack = theme.ipx(TEXT_SLACK)
        self._y_pad_px = theme.px(Y_PAD_PX)
        self.curves: list[pg.PlotDataItem] = []
        self.nonfinite: list[pg.ScatterPlotItem] = []

        self.plots = pg.GraphicsLayoutWidget(self)
        self.plots.setBackground(t.background)
        self.plots.setMinimumSize(0, 0)
        self.plots.ci.layout.setContentsMargins(4, 2, 8, 2)
        self.plots.ci.layout.setHorizontalSpacing(12)

        key = f'&nbsp;&nbsp;&nbsp;<span style="color:{t.nonfinite}">✖ inf/NaN</span>'
        name = f"<b>{self.translated_title()}</b>"
        quantity = "log₁₀ ‖∂L/∂z‖"
        self._titles = (
            tr(
                "CompareGradientsView",
                "{name}: {quantity}, the backprop signal reaching each layer (input L1 left → output right)",
            ).format(name=name, quantity=quantity)
            + key,
            tr("CompareGradientsView", "{name}: {quantity} per layer (input left → output right)").format(
                name=name, quantity=quantity
            )
            + key,
            f"{name}: {quantity}{key}",
            f"{name}{key}",
        )
        self.title_label = self.plots.addLabel(
            self._titles[-1], row=0, col=0, colspan=2, size=f"{self._title_pt}pt", color=t.foreground
        )
        self.title_label.setSizePolicy(QtWidgets.QSizePolicy.Policy.Preferred, QtWidgets.QSizePolicy.Policy.Fixed)

        self.plot: pg.PlotItem = self.plots.addPlot(row=1, col=0)
        self.plot.setMenuEnabled(False)
        self.plot.setMouseEnabled(x=False, y=False)
        self.plot.hideButtons()
        self.plot.enableAutoRange(False)
        metrics = QtGui.QFontMetrics(self._tick_font)
        for name in ("left", "bottom"):
            theme.style_axis(self.plot.getAxis(name))
        self.plot.getAxis("left").setWidth(metrics.horizontalAdvance("1e-60") + 18)
        self.plot.getAxis("bottom").setHeight(metrics.height() + 14)
        theme.opaque_grid(self.plot, x=True, y=True)

        legend_font = theme.pt(max(t.title_pt, 14))
        self.legend = pg.LegendItem(
            labelTextSize=f"{legend_font}pt",
            labelTextColor=t.foreground,
            verSpacing=theme.ipx(6),
            colCount=1,
            sampleType=RunSample,
        )
        margin = theme.ipx(6)
        self.legend.layout.setContentsMargins(margin, margin, margin, margin)
        # compact at the top of its cell, not spread over the plot's height
        self.legend.setSizePolicy(QtWidgets.QSizePolicy.Policy.Fixed, QtWidgets.QSizePolicy.Policy.Fixed)
        self.plots.addItem(self.legend, row=1, col=1)
        self.plots.ci.layout.setAlignment(self.legend, QtCore.Qt.AlignmentFlag.AlignTop)
        self.plots.ci.layout.setRowStretchFactor(1, 1)
        self.plots.ci.layout.setColumnStretchFactor(0, 1)

        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.plots)

        self.plots.installEventFilter(self)
        self.plot.vb.sigResized.connect(self._update_ticks)
        self.plot.vb.sigResized.connect(self._apply_y_range)
        self._set_range(DEFAULT_RANGE)

    # -- contract ------------------------------------------------------------------------
    def set_runs(self, labels: Sequence[str], n_layers: Sequence[int]) -> None:
        """One line per run, labelled ``labels[i]``, with ``n_layers[i]`` weight layers."""
        if len(labels) != len(n_layers):
            raise ValueError(f"{len(labels)} labels for {len(n_layers)} layer counts")
        if len(labels) > MAX_RUNS:
            raise ValueError(f"at most {MAX_RUNS} runs can be overlaid; got {len(labels)}")
        for item in (*self.curves, *self.nonfinite):
            self.plot.removeItem(item)
        self.legend.clear()
        self.labels = list(labels)
        self.n_layers = [int(n) for n in n_layers]
        self.curves, self.nonfinite = [], []
        t = self._theme
        for i, label in enumerate(self.labels):
            colour = t.series[i % 5]
            curve = pg.PlotDataItem(
                [],
                [],
                pen=pg.mkPen(colour, width=theme.px(LINE_WIDTH)),
                symbol=run_symbol(i),
                symbolSize=theme.px(SYMBOL_SIZE),
                # a QBrush, not a colour: the symbol atlas keys on the object (see loss_view)
                symbolBrush=pg.mkBrush(colour),
                symbolPen=pg.mkPen(t.background, width=theme.px(1.5)),
                skipFiniteCheck=True,
            )
            curve.setZValue(10 + i)
            bad = pg.ScatterPlotItem(
                [],
                [],
                symbol="x",
                size=theme.px(NONFINITE_SIZE),
                brush=pg.mkBrush(t.nonfinite),
                pen=pg.mkPen(colour, width=theme.px(2)),
                pxMode=True,
            )
            bad.setZValue(20 + i)
            self.plot.addItem(curve)
            self.plot.addItem(bad)
            self.legend.addItem(curve, label)
            self.legend.layout.setAlignment(self.legend.items[-1][1], QtCore.Qt.AlignmentFlag.AlignVCenter)
            self.curves.append(curve)
            self.nonfinite.append(bad)
        self._max_layers = max(self.n_layers, default=0)
        self._set_x(max(self._max_layers, 1))
        self.clear()

    def show_snapshots(self, snapshots: Sequence[Snapshot | None]) -> None:
        """Draw each run's newest snapshot (``None``: that run has nothing to show yet)."""
        if len(snapshots) != len(self.curves):
            raise ValueError(f"{len(snapshots)} snapshots for {len(self.curves)} runs")
        logs = [None if s is None else layer_logs(s) for s in snapshots]
        longest = max((len(v) for v in logs if v is not None), default=0)
        if longest > self._max_layers:  # a run deeper than announced: widen the axis
            self._max_layers = longest
            self._set_x(longest)
        self._grow_range([v for v in logs if v is not None])
        lo, hi = self._range
        k = len(self.curves)
        for i, values in enumerate(logs):
            if values is None:
                self.curves[i].setData([], [])
                self.nonfinite[i].setData([], [])
                continue
            x = np.arange(1, len(values) + 1, dtype=np.float64)
            # an exact zero (-inf) is a gradient that vanished completely: on the floor
            drawn = np.isfinite(values) | np.isneginf(values)
            xs, ys = x[drawn], np.clip(values[drawn], lo, hi)
            # break the line where a layer is inf/NaN rather than bridge over it
            connect = np.ones(len(xs), dtype=bool)
            if len(xs) > 1:
                connect[:-1] = np.diff(xs) == 1.0
            self.curves[i].setData(xs, ys, connect=connect)
            bad = ~drawn
            if bad.any() or len(self.nonfinite[i].data):
                offset = (i - (k - 1) / 2) * NONFINITE_SPREAD
                top = hi - 0.04 * (hi - lo)
                self.nonfinite[i].setData(x[bad] + offset, np.full(int(bad.sum()), top))

    def clear(self) -> None:
        """Forget every drawn line (the runs and their legend stay)."""
        for curve in self.curves:
            curve.setData([], [])
        for bad in self.nonfinite:
            bad.setData([], [])
        self._set_range(DEFAULT_RANGE)

    # -- axes (rare: on resize, new runs, or when a value leaves the range) ---------------
    def _set_x(self, n_layers: int) -> None:
        self.plot.setXRange(0.6, n_layers + 0.4, padding=0)
        self._layer_ticks = None
        self._update_ticks()

    def _set_range(self, log_range: tuple[float, float]) -> None:
        self._range = log_range
        self._value_ticks = None
        self._update_ticks()
        self._apply_y_range()

    @QtCore.Slot()
    def _apply_y_range(self) -> None:
        lo, hi = self._range
        height = self.plot.vb.height() or 300.0
        pad = self._y_pad_px * (hi - lo) / max(height - 2 * self._y_pad_px, 1.0)
        low, high = self.plot.vb.viewRange()[1]
        if abs(low - (lo - pad)) > 1e-9 or abs(high - (hi + pad)) > 1e-9:
            self.plot.setYRange(lo - pad, hi + pad, padding=0)

    def _grow_range(self, logs: list[NDArray[np.float64]]) -> None:
        if not logs:
            return
        values = np.concatenate(logs)
        values = values[np.isfinite(values)]
        if values.size == 0:
            return
        lo, hi = self._range
        vmin, vmax = float(values.min()), float(values.max())
        new_lo = max(HARD_RANGE[0], math.floor(vmin) - 1.0) if vmin < lo else lo
        new_hi = min(HARD_RANGE[1], math.ceil(vmax) + 1.0) if vmax > hi else hi
        if (new_lo, new_hi) != (lo, hi):
            self._set_range((new_lo, new_hi))

    @QtCore.Slot()
    def _update_ticks(self) -> None:
        """As many layer and decade labels as the plot's pixel size allows."""
        metrics = QtGui.QFontMetrics(self._tick_font)
        n = max(self._max_layers, 1)
        width = self.plot.vb.width() or 1200.0
        height = self.plot.vb.height() or 300.0
        across = min(MAX_LAYER_LABELS, int(width / (1.6 * metrics.horizontalAdvance(f"L{n}"))))
        layer_key = (n, across)
        if layer_key != self._layer_ticks:
            self._layer_ticks = layer_key
            self.plot.getAxis("bottom").setTicks(layer_ticks(n, across))
        down = int(height / (1.5 * metrics.height())) + 1
        value_key = (self._range, down)
        if value_key != self._value_ticks:
            self._value_ticks = value_key
            self.plot.getAxis("left").setTicks(decade_ticks(*self._range, down))

    def eventFilter(self, watched: QtCore.QObject, event: QtCore.QEvent) -> bool:
        # Before the layout takes its new width: a title wider than the widget would keep
        # the layout wider than the widget (clipped on the right).
        if watched is self.plots and event.type() == QtCore.QEvent.Type.Resize:
            size = event.size()  # type: ignore[attr-defined]
            self._fit_title(size.width())
            self._fit_legend(size.width(), size.height())
        return super().eventFilter(watched, event)

    def legend_size(self) -> QtCore.QSizeF:
        """The room the legend takes beside the plot."""
        size: QtCore.QSizeF = self.legend.effectiveSizeHint(QtCore.Qt.SizeHint.PreferredSize)
        return size

    def _fit_legend(self, width: int, height: int) -> None:
        """The legend beside the plot only where it leaves the plot its room: else it is
        dropped (each run's column header shows its marker and label in its colour)."""
        legend = self.legend_size()
        title = self.title_label.effectiveSizeHint(QtCore.Qt.SizeHint.PreferredSize).height()
        room = width - legend.width() - 12 >= theme.px(PLOT_MIN_WIDTH) and height - title >= legend.height() + 8
        shown = self.legend.scene() is not None
        if room and not shown:
            self.plots.addItem(self.legend, row=1, col=1)
            self.plots.ci.layout.setAlignment(self.legend, QtCore.Qt.AlignmentFlag.AlignTop)
        elif not room and shown:
            self.plots.ci.removeItem(self.legend)

    @property
    def legend_shown(self) -> bool:
        return self.legend.scene() is not None

    def _fit_title(self, width: int) -> None:
        html = fitting(self._titles, self._title_pt, width - self._text_slack)
        if html != self.title_label.text:
            self.title_label.setText(html)

    def sizeHint(self) -> QtCore.QSize:
        """A full-width strip of the 1920×1080 compare window."""
        return QtCore.QSize(1900, 300)
