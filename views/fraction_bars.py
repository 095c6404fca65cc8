"""The right-hand panel of the activations view: per hidden layer, the shares of saturated,
zero and dead units as horizontal bars on a 0–100 % scale, each labelled with its percentage.

:class:`FractionBars` owns the bar items of one plot; rows are built when the architecture is
set, and a frame only calls ``setRect`` (and ``setText``) for what changed.
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from numpy.typing import NDArray
from PySide6 import QtCore, QtGui, QtWidgets

from views import theme
from views.labels import FastLabel

#: (statistic, colour role of the theme) of the bars, top to bottom within a row.
FRACTIONS: tuple[tuple[str, str], ...] = (
    ("saturated_fraction", "orange"),
    ("zero_fraction", "sky"),
    ("dead_fraction", "vermillion"),
)


class FractionBars:
    """The bars, their faint 0–100 % tracks and their percentage labels in ``plot``."""

    BAR_HEIGHT = 0.24
    #: Deeper networks get no per-bar percentage labels (rows too short for the text).
    MAX_LABELLED_LAYERS = 16
    #: Bars longer than this carry their percentage inside (dark text), shorter ones after.
    INSIDE_LABEL_FROM = 0.55

    def __init__(self, plot: pg.PlotItem, t: theme.Theme) -> None:
        self._plot = plot
        self._fg = t.foreground
        bg = QtGui.QColor(t.background)
        colours = [getattr(t, role) for _, role in FRACTIONS]
        self._brushes = [QtGui.QBrush(QtGui.QColor(c)) for c in colours]
        self._nonfinite_brush = QtGui.QBrush(QtGui.QColor(t.ink), QtCore.Qt.BrushStyle.BDiagPattern)
        self._no_pen = QtGui.QPen(QtCore.Qt.PenStyle.NoPen)
        self._track_brush = QtGui.QBrush(theme.blend(bg, t.foreground, 0.07 if not t.is_dark else 0.1))
        self._label_font = theme.font(max(12, t.font_pt - 1))
        self.label_px = QtGui.QFontMetrics(self._label_font).height()
        self._label_brush = QtGui.QBrush(QtGui.QColor(t.foreground))
        self._inside_label_brush = QtGui.QBrush(QtGui.QColor(t.on_fill))  # on orange/sky/vermillion
        self.bars: list[list[QtWidgets.QGraphicsRectItem]] = []
        self.labels: list[list[FastLabel]] = []
        self._texts: list[list[str]] = []
        self._tracks: list[QtWidgets.QGraphicsRectItem] = []
        self.values: NDArray[np.float64] = np.zeros((0, len(FRACTIONS)))
        self.nonfinite: NDArray[np.bool_] = np.zeros((0, len(FRACTIONS)), dtype=bool)
        self.labels_visible = True

    def build(self, n: int) -> None:
        """One row of bars per hidden layer; layer 1 (j = 0) on the top row, y = n − 1."""
        for row in self.bars:
            for rect in row:
                self._plot.removeItem(rect)
        for labels in self.labels:
            for label in labels:
                self._plot.removeItem(label)
        for track in self._tracks:
            self._plot.removeItem(track)
        self._tracks = []
        self.bars = []
        self.labels = []
        self._texts = []
        self.values = np.full((n, len(FRACTIONS)), np.nan)
        self.nonfinite = np.zeros((n, len(FRACTIONS)), dtype=bool)
        for j in range(n):
            row = []
            labels = []
            for k in range(len(FRACTIONS)):
                y = float(n - 1 - j) + (1 - k) * (self.BAR_HEIGHT + 0.04) - self.BAR_HEIGHT / 2
                # A faint 0–100 % track behind each bar, so an empty bar still reads as "0".
                track = QtWidgets.QGraphicsRectItem(0.0, y, 1.0, self.BAR_HEIGHT)
                track.setPen(self._no_pen)
                track.setBrush(self._track_brush)
                track.setZValue(-1)
                self._plot.addItem(track)
                self._tracks.append(track)
                rect = QtWidgets.QGraphicsRectItem(0.0, y, 0.0, self.BAR_HEIGHT)
                rect.setPen(self._no_pen)
                rect.setBrush(self._brushes[k])
                self._plot.addItem(rect)
                row.append(rect)
                # Value labels only while rows are tall enough to hold 12-pt text.
                if n <= self.MAX_LABELLED_LAYERS:
                    label = FastLabel("", self._fg, self._label_font, anchor=(0.0, 0.5))
                    label.setPos(0.01, y + self.BAR_HEIGHT / 2)
                    self._plot.addItem(label, ignoreBounds=True)
                    labels.append(label)
            self.bars.append(row)
            self.labels.append(labels)
            self._texts.append([""] * len(labels))
        self.labels_visible = True
        for labels in self.labels:
            for label in labels:
                label.setVisible(True)

    def set_labels_visible(self, visible: bool) -> None:
        if visible != self.labels_visible:
            self.labels_visible = visible
            for labels in self.labels:
                for label in labels:
                    label.setVisible(visible)

    def update(self, stats: dict[str, NDArray[np.float64]]) -> None:
        """Bars and labels from a snapshot's statistics (inf/NaN: the last length, hatched)."""
        for k, (name, _) in enumerate(FRACTIONS):
            values = stats.get(name)
            if values is None:
                continue
            for j, row in enumerate(self.bars):
                if j >= len(values):
                    break
                value = float(values[j])
                bad = not math.isfinite(value)
                if bad != self.nonfinite[j, k]:
                    self.nonfinite[j, k] = bad
                    row[k].setBrush(self._nonfinite_brush if bad else self._brushes[k])
                if bad:
                    # Keep the last finite length; show at least a full-width hatch if none.
                    value = self.values[j, k] if math.isfinite(self.values[j, k]) else 1.0
                else:
                    value = min(max(value, 0.0), 1.0)
                if value != self.values[j, k] or bad:
                    if not bad:
                        self.values[j, k] = value
                    r = row[k].rect()
                    row[k].setRect(0.0, r.y(), value, r.height())
                if self.labels[j]:
                    text = "NaN" if bad else f"{100.0 * value:.0f}%"
                    if text != self._texts[j][k]:
                        self._texts[j][k] = text
                        self._place_label(self.labels[j][k], text, 0.0 if bad else value, row[k].rect())

    def clear(self) -> None:
        """Every bar back to zero length (rows stay)."""
        for row in self.bars:
            for k, rect in enumerate(row):
                r = rect.rect()
                rect.setRect(0.0, r.y(), 0.0, r.height())
                rect.setBrush(self._brushes[k])
        for labels, texts in zip(self.labels, self._texts, strict=True):
            for k, label in enumerate(labels):
                label.setText("")
                texts[k] = ""
        self.values[:] = np.nan
        self.nonfinite[:] = False

    def _place_label(self, label: FastLabel, text: str, value: float, rect: QtCore.QRectF) -> None:
        """Percentage after a short bar, inside the end of a long one (so it never leaves the plot)."""
        label.setText(text)
        inside = value > self.INSIDE_LABEL_FROM
        label.setAnchor((1.0, 0.5) if inside else (0.0, 0.5))
        label.setBrush(self._inside_label_brush if inside else self._label_brush)
        label.setPos(value - 0.01 if inside else value + 0.01, rect.y() + rect.height() / 2)
