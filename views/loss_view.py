"""LossView: train and test loss on a log axis, and train/test accuracy (classification only)."""

from __future__ import annotations

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

NONFINITE = "#FF00FF"
LEFT_AXIS_WIDTH = 90
TRAIN_COLOUR = theme.OKABE_ITO[0]
TEST_COLOUR = theme.OKABE_ITO[1]


def _style(plot: pg.PlotItem, title: str, left: str = "", bottom: str = "") -> None:
    """theme.style_plot with tick labels at the full body size (projector legibility)."""
    theme.style_plot(plot, title, left, bottom)
    font = QtGui.QFont()
    font.setPointSize(theme.current().font_pt)
    for name in ("left", "bottom"):
        plot.getAxis(name).setTickFont(font)
    plot.getAxis("left").setWidth(LEFT_AXIS_WIDTH)
    plot.setMenuEnabled(False)
    plot.setMouseEnabled(x=False, y=False)
    plot.hideButtons()


def _legend(plot: pg.PlotItem) -> pg.LegendItem:
    t = theme.current()
    background = QtGui.QColor(t.background)
    background.setAlpha(200)
    return plot.addLegend(
        offset=(-10, 10),
        labelTextSize=f"{t.font_pt}pt",
        labelTextColor=t.foreground,
        brush=background,
        pen=pg.mkPen(t.foreground, width=1),
    )


def _finite(xs: NDArray[np.float64], ys: NDArray[np.float64], *, positive: bool = False) -> tuple:
    keep = np.isfinite(ys)
    if positive:
        keep &= ys > 0
    return xs[keep], ys[keep]


class LossView(QtWidgets.QWidget):
    """Loss over steps (log y) and, for classification, accuracy over steps below it."""

    title = "Loss"

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        t = theme.current()

        self.loss_widget = pg.PlotWidget(self, background=t.background)
        self.loss_plot: pg.PlotItem = self.loss_widget.getPlotItem()
        _style(self.loss_plot, "Loss (log scale)", left="loss", bottom="training step")
        self.loss_plot.setLogMode(x=False, y=True)
        self.loss_plot.showGrid(x=True, y=True, alpha=t.grid_alpha)
        _legend(self.loss_plot)
        self.train_loss = self.loss_plot.plot(
            [], [], name="train", pen=pg.mkPen(TRAIN_COLOUR, width=3), skipFiniteCheck=True
        )
        self.test_loss = self.loss_plot.plot(
            [],
            [],
            name="test",
            pen=pg.mkPen(TEST_COLOUR, width=3),
            symbol="o",
            symbolSize=7,
            symbolBrush=TEST_COLOUR,
            symbolPen=None,
            skipFiniteCheck=True,
        )
        self.nonfinite_loss = self.loss_plot.plot(
            [],
            [],
            name="inf/NaN",
            pen=None,
            symbol="x",
            symbolSize=16,
            symbolBrush=NONFINITE,
            symbolPen=pg.mkPen(NONFINITE, width=2),
        )

        self.accuracy_widget = pg.PlotWidget(self, background=t.background)
        self.accuracy_plot: pg.PlotItem = self.accuracy_widget.getPlotItem()
        _style(self.accuracy_plot, "Accuracy", left="accuracy", bottom="training step")
        self.accuracy_plot.showGrid(x=True, y=True, alpha=t.grid_alpha)
        self.accuracy_plot.setYRange(0.0, 1.0, padding=0.02)
        self.accuracy_plot.enableAutoRange(y=False)
        self.accuracy_plot.getAxis("left").setTicks([[(v, f"{v:.0%}") for v in (0.0, 0.25, 0.5, 0.75, 1.0)]])
        self.accuracy_plot.setXLink(self.loss_plot)
        _legend(self.accuracy_plot)
        self.train_accuracy = self.accuracy_plot.plot(
            [], [], name="train", pen=pg.mkPen(TRAIN_COLOUR, width=3), skipFiniteCheck=True
        )
        self.test_accuracy = self.accuracy_plot.plot(
            [], [], name="test", pen=pg.mkPen(TEST_COLOUR, width=3), skipFiniteCheck=True
        )

        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.loss_widget, 3)
        layout.addWidget(self.accuracy_widget, 2)
        self._regression = False
        self._nonfinite_shown = False

    # -- contract ------------------------------------------------------------------------
    def set_experiment(self, config: ExperimentConfig, dataset: Dataset | None = None) -> None:
        """Show the accuracy plot for classification only, and forget the old run."""
        self._regression = bool(getattr(dataset, "is_regression", config.is_regression))
        self.accuracy_widget.setVisible(not self._regression)
        self.loss_plot.setLabel("left", "MSE loss" if self._regression else "cross-entropy loss")
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
            self._nonfinite_shown = bool(bad.any())
        if not self._regression:
            self.train_accuracy.setData(*_finite(steps, history.scalar("train_accuracy")))
            self.test_accuracy.setData(*_finite(steps, history.scalar("test_accuracy")))

    def clear(self) -> None:
        for item in (
            self.train_loss,
            self.test_loss,
            self.nonfinite_loss,
            self.train_accuracy,
            self.test_accuracy,
        ):
            item.setData([], [])
        self._nonfinite_shown = False

    def sizeHint(self) -> QtCore.QSize:
        return QtCore.QSize(800, 600)
