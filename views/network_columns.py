"""The network diagram's columns: a tint per layer for its backpropagated error ‖δ‖, the ‖δ‖
number above each column and the layer names below, thinned when columns crowd.

Each layer's column is tinted by log10 ‖δ‖ (viridis), so a vanishing gradient shows as
columns fading to dark purple towards the input.  Tints are pre-blended and opaque (alpha
blending triples the fill cost), and a column changes its tint only when ‖δ‖ leaves its
bin by a margin, so batch noise does not make it flicker.
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from numpy.typing import NDArray
from PySide6 import QtCore, QtGui, QtWidgets

from views import theme
from views.labels import FastLabel, label_stride, spaced_indices


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


def end_names() -> tuple[str, str]:
    """Labels of the input and output columns."""
    return (
        QtCore.QCoreApplication.translate("NetworkView", "in"),
        QtCore.QCoreApplication.translate("NetworkView", "out"),
    )


class Columns:
    """Column tints (weight layer i ↔ column i+1, whose units receive δ of that layer) and
    the two label rows of the diagram in ``plot``."""

    #: Column tint bins and the fixed log10 ‖δ‖ range they span.
    N_GRAD_BINS = 32
    GRAD_LOG_LEVELS = (-8.0, 1.0)
    #: How strongly the column tint covers the background (0..1).
    TINT_STRENGTH = 0.45
    #: Minimum free pixels between two neighbouring column labels.
    LABEL_GAP_PX = 4

    def __init__(self, plot: pg.PlotItem, t: theme.Theme, font: QtGui.QFont, small_font: QtGui.QFont) -> None:
        self._plot = plot
        self._fg = t.foreground
        self._font = font
        self._small_font = small_font
        # Label widths (+ a gap) for thinning the two label rows when columns crowd: the ‖δ‖
        # row is measured on its current texts ("3e-5" vs "1e-12"), the name row on "L88".
        gap = theme.px(self.LABEL_GAP_PX)
        self._label_gap = gap
        self._grad_label_px = QtGui.QFontMetrics(small_font).horizontalAdvance("8e-8") + gap
        self._name_label_px = max(QtGui.QFontMetrics(font).horizontalAdvance(s) for s in ("L88", *end_names())) + gap
        bg = QtGui.QColor(t.background)
        gmap = theme.magnitude_colormap()
        # Dark themes get a fainter tint so the red/blue edges keep their contrast.
        strength = self.TINT_STRENGTH * (0.6 if t.is_dark else 1.0)
        self._grad_brushes = [
            QtGui.QBrush(theme.blend(bg, gmap.map((k + 0.5) / self.N_GRAD_BINS, mode="qcolor"), strength))
            for k in range(self.N_GRAD_BINS)
        ]
        self._nonfinite_band_brush = QtGui.QBrush(QtGui.QColor(t.ink), QtCore.Qt.BrushStyle.BDiagPattern)
        self._empty_band_brush = QtGui.QBrush(QtCore.Qt.BrushStyle.NoBrush)
        self._band_pen = QtGui.QPen(QtCore.Qt.PenStyle.NoPen)
        self.bands: list[QtWidgets.QGraphicsRectItem] = []
        self.band_bins: list[int] = []
        self.grad_labels: list[FastLabel] = []
        self.grad_texts: list[str] = []
        self.grad_head: FastLabel | None = None
        self.name_labels: list[FastLabel] = []
        self._strides = (0, 0)
        self._items: list[QtWidgets.QGraphicsItem] = []

    def build(self, n_cols: int, top: float, bottom: float) -> None:
        """Bands and labels for ``n_cols`` columns whose units lie between ``bottom`` and ``top``."""
        for item in self._items:
            self._plot.removeItem(item)
        self._items = []
        self.bands = []
        self.band_bins = []
        self.grad_labels = []
        self.grad_texts = []
        for i in range(n_cols - 1):
            rect = QtWidgets.QGraphicsRectItem(i + 0.5, bottom, 1.0, top - bottom)
            rect.setPen(self._band_pen)
            rect.setBrush(self._empty_band_brush)
            rect.setZValue(-10)
            self._add(rect)
            self.bands.append(rect)
            self.band_bins.append(-1)
            label = FastLabel("", self._fg, self._small_font, anchor=(0.5, 1.0))
            label.setPos(i + 1, top)
            label.setZValue(20)
            self._add(label)
            self.grad_labels.append(label)
            self.grad_texts.append("")
        # The row's heading sits over the input column and takes part in the thinning.
        self.grad_head = FastLabel("‖δ‖", self._fg, self._small_font, anchor=(0.5, 1.0))
        self.grad_head.setPos(0, top)
        self._add(self.grad_head)
        # Every column gets a name label; which ones show depends on the on-screen width.
        self.name_labels = []
        first, last = end_names()
        for c in range(n_cols):
            text = first if c == 0 else (last if c == n_cols - 1 else f"L{c}")
            label = FastLabel(text, self._fg, self._font, anchor=(0.5, 0.0))
            label.setPos(c, bottom)
            self._add(label)
            self.name_labels.append(label)
        self._strides = (0, 0)

    def _add(self, item: QtWidgets.QGraphicsItem) -> None:
        self._plot.addItem(item, ignoreBounds=True)
        self._items.append(item)

    def clear(self) -> None:
        """Untinted columns without numbers."""
        for k, (rect, label) in enumerate(zip(self.bands, self.grad_labels, strict=True)):
            rect.setBrush(self._empty_band_brush)
            self.band_bins[k] = -1
            label.setText("")
            self.grad_texts[k] = ""

    def thin(self, col_px: float) -> None:
        """Show every k-th column label, with k as small as the labels allow without touching."""
        if col_px <= 0 or self.grad_head is None:
            return
        widest = max((label.boundingRect().width() for label in self.grad_labels), default=0.0)
        grad_px = max(self._grad_label_px, widest + self._label_gap)
        grad_stride = label_stride(grad_px, col_px)
        if 0 < grad_stride < self._strides[0]:
            # Hysteresis: show more labels only with a few pixels to spare, so a value that
            # wobbles between "9e-10" and "1e-9" does not make every other label blink.
            grad_stride = label_stride(grad_px + 4, col_px)
        strides = (grad_stride, label_stride(self._name_label_px, col_px))
        if strides == self._strides:
            return
        self._strides = strides
        grad_shown = set(spaced_indices(len(self.grad_labels) + 1, strides[0]))
        for c, label in enumerate([self.grad_head, *self.grad_labels]):
            label.setVisible(c in grad_shown)
        name_shown = set(spaced_indices(len(self.name_labels), strides[1]))
        for c, label in enumerate(self.name_labels):
            label.setVisible(c in name_shown)

    def update_bands(self, grad: NDArray[np.floating]) -> None:
        """Tint each column by its layer's ‖δ‖ (hatched for inf/NaN)."""
        g = np.asarray(grad, dtype=np.float64)
        lo, hi = self.GRAD_LOG_LEVELS
        for i, rect in enumerate(self.bands):
            if i >= len(g):
                break
            value = float(g[i])
            if math.isfinite(value) and value >= 0.0:
                log = math.log10(value) if value > 0.0 else lo
                pos = (min(max(log, lo), hi) - lo) / (hi - lo) * self.N_GRAD_BINS
                b = min(int(pos), self.N_GRAD_BINS - 1)
                # Hysteresis: batch noise near a bin edge must not make the column flicker.
                current = self.band_bins[i]
                if 0 <= current < self.N_GRAD_BINS and current - 0.3 <= pos < current + 1.3:
                    b = current
            else:
                b = self.N_GRAD_BINS
            if b != self.band_bins[i]:
                self.band_bins[i] = b
                rect.setBrush(self._grad_brushes[b] if b < self.N_GRAD_BINS else self._nonfinite_band_brush)

    def update_labels(self, grad: NDArray[np.floating]) -> bool:
        """Write each layer's ‖δ‖ above its column; True if a text changed."""
        changed = False
        for i, label in enumerate(self.grad_labels):
            if i >= len(grad):
                break
            text = format_sci(float(grad[i]))
            if text != self.grad_texts[i]:
                self.grad_texts[i] = text
                label.setText(text)
                changed = True
        return changed
