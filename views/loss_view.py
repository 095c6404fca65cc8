"""LossView: train and test loss on a log axis, and train/test accuracy (classification only)."""

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
from views.labels import fitting

if TYPE_CHECKING:
    from model.datasets import Dataset

NONFINITE = theme.LIGHT.nonfinite  # the same in every theme (``Theme.nonfinite``)
#: Below this height (px at scale 1) the accuracy plot is hidden: two plots would be slivers.
COMPACT_HEIGHT = 280
#: Horizontal room (px at scale 1) kept free beside a title (layout margins).
TEXT_SLACK = 12
#: Curve widths and the test-loss marker size (px at scale 1).
LINE_WIDTH, MARKER_SIZE, NONFINITE_SIZE = 3, 7, 16


def tick_font() -> QtGui.QFont:
    return theme.font(theme.current().font_pt)


def left_axis_width() -> int:
    """Room for the widest tick label ("1.0005", "100%") plus the tick and its gap."""
    metrics = QtGui.QFontMetrics(tick_font())
    return max(metrics.horizontalAdvance(s) for s in ("1.0005", "100%", "2e-10")) + 18


def value_label(value: float, decimals: int | None = None) -> str:
    """Short tick text: ``0.002``, ``1.25``, ``40``, ``2e-5``, ``3e+6``."""
    if value == 0.0:
        return "0"
    if 1e-3 <= abs(value) < 1e4:
        return f"{value:.{decimals}f}" if decimals is not None else f"{value:.4g}"
    mantissa, exponent = f"{value:.1e}".split("e")
    mantissa = mantissa.removesuffix(".0")
    exp = int(exponent)
    return f"{mantissa}e{exp:+d}" if exp > 0 else f"{mantissa}e{exp}"


def log_ticks(lo: float, hi: float, max_labels: int) -> list[list[tuple[float, str]]]:
    """Labelled ticks for a log10 axis showing log10 values ``lo``…``hi``.

    pyqtgraph labels only whole decades, so a loss between 0.3 and 2 got no numbers at
    all. Here: 1-2-5 steps (or every k-th decade) over a decade or more, round linear
    steps within less than a decade. Positions are log10 values, as on the axis.
    """
    limit = max(max_labels, 2)
    if not (math.isfinite(lo) and math.isfinite(hi)) or hi <= lo:
        return [[]]
    span = hi - lo
    if span >= 1.0:
        first, last = math.floor(lo), math.ceil(hi)
        for mantissas in ((1, 2, 5), (1,)):
            values = [k + math.log10(m) for k in range(first, last + 1) for m in mantissas]
            values = [v for v in values if lo <= v <= hi]
            if len(values) <= limit:
                return [[(v, value_label(10.0**v)) for v in values]]
        step = next((s for s in (2, 5, 10, 20, 50) if span / s <= limit), 100)
        return [[(float(k), value_label(10.0**k)) for k in range(math.ceil(lo), last + 1) if k % step == 0]]
    a, b = 10.0**lo, 10.0**hi
    power = 10.0 ** (math.floor(math.log10((b - a) / limit)) - 1)
    # the finest round step (1, 2, 5 × 10^k) that gives at most ``limit`` labels
    for step in (m * power * 10**e for e in range(4) for m in (1, 2, 5)):
        values = [k * step for k in range(math.ceil(a / step - 1e-9), math.floor(b / step + 1e-9) + 1)]
        if len(values) <= limit:
            break
    decimals = max(0, -math.floor(math.log10(step) + 1e-9))
    return [[(math.log10(v), value_label(v, decimals)) for v in values if v > 0]]


def _style(plot: pg.PlotItem, left: str = "", bottom: str = "") -> None:
    """theme.style_plot with tick labels at the full body size (projector legibility).

    No left axis label: what is plotted is named in the title, which has room for it (a
    rotated "cross-entropy loss" was taller than the plot in a lecture-window cell).
    """
    theme.style_plot(plot, "", left, bottom)
    plot.getAxis("left").setWidth(left_axis_width())
    plot.setMenuEnabled(False)
    plot.setMouseEnabled(x=False, y=False)
    plot.hideButtons()


def _key(colour: str, text: str, mark: str = "━") -> str:
    """A colour key inside a plot title: a legend inside the plot would hide data, a title does not."""
    return f'<span style="color:{colour}">{mark} {text}</span>'


def _finite(
    xs: NDArray[np.float64], ys: NDArray[np.float64], *, positive: bool = False
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    keep = np.isfinite(ys)
    if positive:
        keep &= ys > 0
    return xs[keep], ys[keep]


class LossView(QtWidgets.QWidget):
    """Loss over steps (log y) and, for classification, accuracy over steps below it."""

    title = "Loss"

    @staticmethod
    def translated_title() -> str:
        """``title`` in the current language (dock and window titles)."""
        return QtCore.QCoreApplication.translate("LossView", "Loss")

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        t = self._theme = theme.current()
        train_colour, test_colour, nonfinite = t.blue, t.vermillion, t.nonfinite
        self._title_pt = theme.pt(t.title_pt)
        self._left_width = left_axis_width()
        self._text_slack = theme.ipx(TEXT_SLACK)
        self._compact_height = theme.px(COMPACT_HEIGHT)
        self._regression = False
        self._compact = False
        self._nonfinite_shown = False
        self._loss_ticks: tuple[object, ...] | None = None
        self._accuracy_ticks = 0
        self._tick_line = QtGui.QFontMetrics(tick_font()).height()
        train = QtCore.QCoreApplication.translate("LossView", "train")
        test = QtCore.QCoreApplication.translate("LossView", "test")
        self._keys = f"{_key(train_colour, train)} &nbsp; {_key(test_colour, test, '━●')}"
        self._nonfinite_key = _key(nonfinite, "inf/NaN", "✖")
        step = QtCore.QCoreApplication.translate("LossView", "training step")
        width = theme.px(LINE_WIDTH)

        self.loss_widget = pg.PlotWidget(self, background=t.background)
        self.loss_plot: pg.PlotItem = self.loss_widget.getPlotItem()
        _style(self.loss_plot, bottom=step)
        self.loss_plot.setLogMode(x=False, y=True)
        theme.opaque_grid(self.loss_plot, x=True, y=True)
        self.loss_plot.getAxis("bottom").setStyle(maxTickLevel=0)
        self.train_loss = self.loss_plot.plot([], [], pen=pg.mkPen(train_colour, width=width), skipFiniteCheck=True)
        self.test_loss = self.loss_plot.plot(
            [],
            [],
            pen=pg.mkPen(test_colour, width=width),
            symbol="o",
            symbolSize=theme.px(MARKER_SIZE),
            # QBrush/QPen objects, not colours: pyqtgraph's symbol atlas keys on the objects, and
            # would render (and keep) a new marker on every setData for a colour
            symbolBrush=pg.mkBrush(test_colour),
            symbolPen=pg.mkPen(None),
            skipFiniteCheck=True,
        )
        # Named in the title only while the history holds a non-finite loss.
        self.nonfinite_loss = self.loss_plot.plot(
            [],
            [],
            pen=None,
            symbol="x",
            symbolSize=theme.px(NONFINITE_SIZE),
            symbolBrush=pg.mkBrush(nonfinite),
            symbolPen=pg.mkPen(nonfinite, width=theme.px(2)),
        )

        self.accuracy_widget = pg.PlotWidget(self, background=t.background)
        self.accuracy_plot: pg.PlotItem = self.accuracy_widget.getPlotItem()
        accuracy = QtCore.QCoreApplication.translate("LossView", "Accuracy")
        self._accuracy_titles = (
            f"{accuracy} &nbsp; {_key(train_colour, train)} &nbsp; {_key(test_colour, test)}",
            accuracy,
        )
        _style(self.accuracy_plot, bottom=step)
        theme.opaque_grid(self.accuracy_plot, x=True, y=True)
        self.accuracy_plot.getAxis("bottom").setStyle(maxTickLevel=0)
        self.accuracy_plot.setYRange(-0.05, 1.05, padding=0)  # refined to the pixel height on resize
        self.accuracy_plot.enableAutoRange(y=False)
        self.accuracy_plot.setXLink(self.loss_plot)
        self.train_accuracy = self.accuracy_plot.plot(
            [], [], pen=pg.mkPen(train_colour, width=width), skipFiniteCheck=True
        )
        self.test_accuracy = self.accuracy_plot.plot(
            [], [], pen=pg.mkPen(test_colour, width=width), skipFiniteCheck=True
        )

        for widget in (self.loss_widget, self.accuracy_widget):
            widget.setMinimumSize(0, 0)
            widget.installEventFilter(self)
        self.loss_plot.vb.sigYRangeChanged.connect(self._update_loss_ticks)
        self.loss_plot.vb.sigResized.connect(self._update_loss_ticks)
        self.accuracy_plot.vb.sigResized.connect(self._update_accuracy_axis)

        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        # 4:3 rather than 3:2: the accuracy plot carries the step axis and its label.
        layout.addWidget(self.loss_widget, 4)
        layout.addWidget(self.accuracy_widget, 3)
        self._show_accuracy()
        self._fit_titles()

    # -- contract ------------------------------------------------------------------------
    def set_experiment(self, config: ExperimentConfig, dataset: Dataset | None = None) -> None:
        """Show the accuracy plot for classification only, and forget the old run."""
        self._regression = bool(getattr(dataset, "is_regression", config.is_regression))
        self._show_accuracy()
        self._fit_titles()
        self.clear()

    def show_snapshot(self, snapshot: Snapshot, history: History) -> None:
        """Redraw every curve from ``history`` (already bounded, so this stays cheap)."""
        steps = history.steps.astype(np.float64)
        loss = history.scalar("loss")
        self.train_loss.setData(*_finite(steps, loss, positive=True))
        self.test_loss.setData(*_finite(steps, history.scalar("test_loss"), positive=True))
        bad = ~np.isfinite(loss)
        if bad.any() or self._nonfinite_shown:
            # Mark diverged steps at the top of the finite curve, where the eye already is.
            good = loss[~bad & (loss > 0)]
            top = float(good.max()) if good.size else 1.0
            self.nonfinite_loss.setData(steps[bad], np.full(int(bad.sum()), top))
            self._show_nonfinite_key(bool(bad.any()))
        if not self._regression:
            self.train_accuracy.setData(*_finite(steps, history.scalar("train_accuracy")))
            self.test_accuracy.setData(*_finite(steps, history.scalar("test_accuracy")))

    def clear(self) -> None:
        """Forget every curve."""
        for item in (
            self.train_loss,
            self.test_loss,
            self.nonfinite_loss,
            self.train_accuracy,
            self.test_accuracy,
        ):
            item.setData([], [])
        self._show_nonfinite_key(False)

    def _show_nonfinite_key(self, shown: bool) -> None:
        # Rare: only when a divergence enters or leaves the history (setTitle relayouts).
        if shown != self._nonfinite_shown:
            self._nonfinite_shown = shown
            self._fit_titles()

    # -- layout (on resize and experiment changes only) ----------------------------------
    def resizeEvent(self, event: QtGui.QResizeEvent) -> None:
        compact = event.size().height() < self._compact_height
        if compact != self._compact:
            self._compact = compact
            self._show_accuracy()
        super().resizeEvent(event)

    def eventFilter(self, watched: QtCore.QObject, event: QtCore.QEvent) -> bool:
        # Before a plot widget lays out its new size: a title wider than the plot would keep
        # the layout wider than the widget (clipped on the right).
        if (
            isinstance(event, QtGui.QResizeEvent)
            and isinstance(watched, QtWidgets.QWidget)
            and watched in (self.loss_widget, self.accuracy_widget)
        ):
            self._fit_titles(watched, event.size().width())
        return super().eventFilter(watched, event)

    def _show_accuracy(self) -> None:
        """Accuracy below the loss for classification (not when too short); one step axis."""
        shown = not (self._regression or self._compact)
        self.accuracy_widget.setVisible(shown)
        self.loss_plot.getAxis("bottom").showLabel(not shown)
        layout = self.layout()
        if layout is not None:
            layout.activate()  # give the loss plot the freed space now, not on the next event

    def _loss_titles(self) -> tuple[str, ...]:
        tr = QtCore.QCoreApplication.translate
        if self._regression:
            heads: tuple[str, ...] = (tr("LossView", "MSE loss (log scale)"), tr("LossView", "MSE loss (log)"))
        else:
            heads = (tr("LossView", "Cross-entropy loss (log scale)"), tr("LossView", "Cross-entropy loss (log)"))
        loss = tr("LossView", "Loss")
        heads = (*heads, tr("LossView", "Loss (log scale)"), tr("LossView", "Loss (log)"), loss)
        nonfinite = f" &nbsp; {self._nonfinite_key}" if self._nonfinite_shown else ""
        variants = tuple(f"{head} &nbsp; {self._keys}{nonfinite}" for head in heads)
        # Keys dropped last: a narrow cell at a large type scale has room for the name alone.
        return (*variants, f"{loss}{nonfinite}", loss) if nonfinite else (*variants, loss)

    def _fit_titles(self, widget: QtWidgets.QWidget | None = None, width: int | None = None) -> None:
        """The longest title variant that fits above each plot (a LabelItem cannot shrink)."""
        t = self._theme
        for w, plot, variants in (
            (self.loss_widget, self.loss_plot, self._loss_titles()),
            (self.accuracy_widget, self.accuracy_plot, self._accuracy_titles),
        ):
            if widget is not None and w is not widget:
                continue
            room = (w.width() if width is None else width) - self._left_width - self._text_slack
            html = fitting(variants, self._title_pt, room)
            if html != plot.titleLabel.text:
                theme.set_plot_title(plot, html, self._title_pt, t.foreground)

    @QtCore.Slot()
    def _update_loss_ticks(self) -> None:
        """Numbered ticks for whatever range the loss spans (only when range or size change)."""
        lo, hi = self.loss_plot.vb.viewRange()[1]
        line = 1.6 * self._tick_line
        max_labels = int((self.loss_plot.vb.height() or 300.0) / line) + 1
        key = (round(lo, 4), round(hi, 4), max_labels)
        if key != self._loss_ticks:
            self._loss_ticks = key
            self.loss_plot.getAxis("left").setTicks(log_ticks(lo, hi, max_labels))

    @QtCore.Slot()
    def _update_accuracy_axis(self) -> None:
        """0…100 % with room for the end labels, as many labels as the height allows."""
        height = self.accuracy_plot.vb.height()
        if height <= 0:
            return
        line = self._tick_line
        # label pitch of at least 1.3 lines once the end labels have their half line each
        n = next((k for k in (5, 3) if height - line >= (k - 1) * 1.3 * line), 2)
        if n != self._accuracy_ticks:
            self._accuracy_ticks = n
            values = np.linspace(0.0, 1.0, n)
            self.accuracy_plot.getAxis("left").setTicks([[(float(v), f"{v:.0%}") for v in values]])
        edge = min((line / 2 + 2) / height, 0.3)
        pad = edge / (1 - 2 * edge)
        self.accuracy_plot.setYRange(-pad, 1 + pad, padding=0)

    def sizeHint(self) -> QtCore.QSize:
        """The cell this view gets in the 1920×1080 lecture window (it fits far smaller ones)."""
        return QtCore.QSize(520, 390)
