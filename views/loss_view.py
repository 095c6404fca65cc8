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
TEST_COLOUR = theme.OKABE_ITO[1]


def _train_colour() -> str:
    """Okabe–Ito blue, or its sky blue on a dark background (the blue is too dim there)."""
    return theme.OKABE_ITO[5] if theme.current().name == "dark" else theme.OKABE_ITO[0]


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


def _key(colour: str, text: str, mark: str = "━") -> str:
    """A colour key inside a plot title: a legend inside the plot would hide data, a title does not."""
    return f'<span style="color:{colour}">{mark} {text}</span>'


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
        train_colour = _train_colour()
        self._regression = False
        self._nonfinite_shown = False

        self.loss_widget = pg.PlotWidget(self, background=t.background)
        self.loss_plot: pg.PlotItem = self.loss_widget.getPlotItem()
        self._loss_title = (
            f"Loss (log scale) &nbsp; {_key(train_colour, 'train')} &nbsp; {_key(TEST_COLOUR, 'test', '━●')}"
        )
        _style(self.loss_plot, self._loss_title, left="loss", bottom="training step")
        self.loss_plot.setLogMode(x=False, y=True)
        _opaque_grid(self.loss_plot, x=True, y=True)
        self.loss_plot.getAxis("bottom").setStyle(maxTickLevel=0)
        self.train_loss = self.loss_plot.plot(
            [], [], pen=pg.mkPen(train_colour, width=3), skipFiniteCheck=True
        )
        self.test_loss = self.loss_plot.plot(
            [],
            [],
            pen=pg.mkPen(TEST_COLOUR, width=3),
            symbol="o",
            symbolSize=7,
            symbolBrush=TEST_COLOUR,
            symbolPen=None,
            skipFiniteCheck=True,
        )
        # Named in the title only while the history holds a non-finite loss.
        self.nonfinite_loss = self.loss_plot.plot(
            [],
            [],
            pen=None,
            symbol="x",
            symbolSize=16,
            symbolBrush=NONFINITE,
            symbolPen=pg.mkPen(NONFINITE, width=2),
        )

        self.accuracy_widget = pg.PlotWidget(self, background=t.background)
        self.accuracy_plot: pg.PlotItem = self.accuracy_widget.getPlotItem()
        _style(
            self.accuracy_plot,
            f"Accuracy &nbsp; {_key(train_colour, 'train')} &nbsp; {_key(TEST_COLOUR, 'test')}",
            left="accuracy",
            bottom="training step",
        )
        _opaque_grid(self.accuracy_plot, x=True, y=True)
        self.accuracy_plot.getAxis("bottom").setStyle(maxTickLevel=0)
        self.accuracy_plot.setYRange(-0.05, 1.05, padding=0)  # room for the 0 % and 100 % labels
        self.accuracy_plot.enableAutoRange(y=False)
        self.accuracy_plot.getAxis("left").setTicks([[(v, f"{v:.0%}") for v in (0.0, 0.25, 0.5, 0.75, 1.0)]])
        self.accuracy_plot.setXLink(self.loss_plot)
        self.train_accuracy = self.accuracy_plot.plot(
            [], [], pen=pg.mkPen(train_colour, width=3), skipFiniteCheck=True
        )
        self.test_accuracy = self.accuracy_plot.plot(
            [], [], pen=pg.mkPen(TEST_COLOUR, width=3), skipFiniteCheck=True
        )

        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.loss_widget, 3)
        layout.addWidget(self.accuracy_widget, 2)

    # -- contract ------------------------------------------------------------------------
    def set_experiment(self, config: ExperimentConfig, dataset: Dataset | None = None) -> None:
        """Show the accuracy plot for classification only, and forget the old run."""
        self._regression = bool(getattr(dataset, "is_regression", config.is_regression))
        self.accuracy_widget.setVisible(not self._regression)
        self.layout().activate()  # give the loss plot the freed space now, not on the next event
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
            title = self._loss_title + (f" &nbsp; {_key(NONFINITE, 'inf/NaN', '✖')}" if shown else "")
            t = theme.current()
            self.loss_plot.setTitle(title, size=f"{t.title_pt}pt", color=t.foreground)

    def sizeHint(self) -> QtCore.QSize:
        return QtCore.QSize(800, 600)
