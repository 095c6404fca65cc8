"""The network diagram's edges: which weights are drawn, in which style, and one item that
draws them all from a cached picture.

Only the strongest few weights of each layer are drawn (``NetworkEdges.update``), binned by
sign and |w| into a fixed set of pens: weak edges pale and thin, strong ones saturated and
thick (thick edges are parallel 1-px lines: Qt strokes a 2-px pen ~7× slower).

Weights drift slowly, but the column tints behind the edges change every few frames and the
node colours in front of them with every probe.  When the edges were 13 curve items, each such
change repainted every edge: ~5 ms of a 1080 × 930 px diagram at 3840 × 2160 (profiled),
most of the network's cost.  ``EdgeLayer`` rasterises its lines once into an image aligned to
the device pixels; until the edges or the view's scale change, a repaint copies the exposed
part of that image.  The picture is the same: the same lines in the same order, shifted by
whole device pixels.  Painting on anything but a raster device (an SVG export) draws the
lines themselves, so exports stay vector graphics.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg
from numpy.typing import NDArray
from pyqtgraph.Qt.internals import PrimitiveArray
from PySide6 import QtCore, QtGui, QtWidgets

from views import theme


def _line_count(lines: NDArray[np.float64]) -> int:
    return int(lines.shape[0])


class EdgeLayer(pg.GraphicsObject):  # type: ignore[misc]
    """Lines in a few pens, drawn in pen order from one cached, device-aligned image."""

    def __init__(self, pens: Sequence[QtGui.QPen]) -> None:
        super().__init__()
        # a dict: exports find the cosmetic pens among an item's attributes (and dict values)
        # and widen them for a scaled render (app/export.py)
        self._pens = dict(enumerate(pens))
        self._lines: list[NDArray[np.float64]] = [np.zeros((0, 4)) for _ in self._pens]
        self._segments: list[PrimitiveArray | None] = [None for _ in self._pens]
        self._bounds = QtCore.QRectF()
        #: False draws the lines on every paint (for comparisons and benchmarks)
        self.cache_enabled = True
        self._cache: QtGui.QImage | None = None
        self._cache_key: tuple[float, ...] | None = None

    def set_bounds(self, rect: QtCore.QRectF) -> None:
        """The data rectangle every line lies in (the size of the cached image)."""
        if rect != self._bounds:
            self.prepareGeometryChange()
            self._bounds = QtCore.QRectF(rect)
            self._invalidate()

    def set_lines(self, lines: Sequence[NDArray[np.float64]]) -> None:
        """One (k, 4) array of x0, y0, x1, y1 per pen (in data coordinates)."""
        if len(lines) != len(self._pens):
            raise ValueError(f"{len(lines)} line sets for {len(self._pens)} pens")
        self._lines = [np.asarray(a, dtype=np.float64).reshape(-1, 4) for a in lines]
        self._segments = [None for _ in self._pens]
        self._invalidate()

    def line_counts(self) -> list[int]:
        """Lines drawn in each pen."""
        return [_line_count(a) for a in self._lines]

    def _invalidate(self) -> None:
        self._cache = None
        self._cache_key = None
        self.update()

    def boundingRect(self) -> QtCore.QRectF:
        return QtCore.QRectF(self._bounds)

    def paint(
        self,
        p: QtGui.QPainter,
        opt: QtWidgets.QStyleOptionGraphicsItem | None = None,
        widget: QtWidgets.QWidget | None = None,
    ) -> None:
        if not any(_line_count(a) for a in self._lines):
            return
        engine = p.paintEngine()
        raster = engine is not None and engine.type() == QtGui.QPaintEngine.Type.Raster
        to_pixels = p.deviceTransform()  # world, device pixel ratio, a render's scale
        rest, invertible = p.worldTransform().inverted()
        after_world, ok = (rest * to_pixels).inverted() if invertible else (rest, False)
        if (
            not (self.cache_enabled and raster and ok)
            or to_pixels.type().value > QtGui.QTransform.TransformationType.TxScale.value
            or self._bounds.isEmpty()
        ):
            self._draw_lines(p, as_paths=not raster)
            return
        rect = to_pixels.mapRect(self._bounds)
        # The image starts at the device's origin: its lines are drawn through the very same
        # transform as on the device (an image shifted by whole pixels moved a few pixels of
        # lines that lie exactly between two pixels, by rounding).  One more pixel at the far
        # end: a 1-px line on the edge.
        width, height = math.ceil(rect.right()) + 1, math.ceil(rect.bottom()) + 1
        if width <= 0 or height <= 0 or width * height > 64_000_000:
            self._draw_lines(p)
            return
        device = p.device()
        dpr = device.devicePixelRatio() if device is not None else 1.0
        key: tuple[float, ...] = (to_pixels.m11(), to_pixels.m22(), to_pixels.dx(), to_pixels.dy(), width, height, dpr)
        key += tuple(pen.widthF() for pen in self._pens.values())
        if key != self._cache_key or self._cache is None:
            image = QtGui.QImage(width, height, QtGui.QImage.Format.Format_ARGB32_Premultiplied)
            image.fill(QtCore.Qt.GlobalColor.transparent)
            image.setDevicePixelRatio(dpr)  # (cosmetic pens follow it as on the device)
            painter = QtGui.QPainter(image)
            try:
                painter.setWorldTransform(to_pixels * QtGui.QTransform.fromScale(1.0 / dpr, 1.0 / dpr))
                self._draw_lines(painter)
            finally:
                painter.end()
            self._cache, self._cache_key = image, key
        p.save()
        try:
            # world coordinates that are the device pixels
            p.setWorldTransform(after_world)
            whole = QtCore.QRectF(0, 0, width, height)
            p.drawImage(whole, self._cache, whole)
        finally:
            p.restore()

    def _draw_lines(self, p: QtGui.QPainter, *, as_paths: bool = False) -> None:
        """Every pen's lines; ``as_paths``: one path per pen (one element each in an SVG)."""
        p.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, False)
        for k, (pen, lines) in enumerate(zip(self._pens.values(), self._lines, strict=True)):
            if not _line_count(lines):
                continue
            if as_paths:
                p.strokePath(pg.arrayToQPath(lines[:, 0::2].ravel(), lines[:, 1::2].ravel(), connect="pairs"), pen)
                continue
            segments = self._segments[k]
            if segments is None:
                segments = PrimitiveArray(QtCore.QLineF, 4)
                segments.resize(_line_count(lines))
                segments.ndarray()[:] = lines
                self._segments[k] = segments
            p.setPen(pen)
            p.drawLines(*segments.drawargs())


class NetworkEdges:
    """The strongest weights of each layer between the drawn units, binned into pens."""

    #: |w| bins per sign (2 × this many pens, plus one for inf/NaN).
    N_WEIGHT_BINS = 6
    #: Only the strongest edges of each layer are drawn (this many per drawn unit): long
    #: lines are what costs (≈6-10 µs each), and a full 32×32 fan is an unreadable hairball.
    EDGES_PER_UNIT = 1.5
    #: |w| at or above this many Glorot standard deviations is drawn in the strongest style.
    WEIGHT_REF_STDS = 3.0

    def __init__(self, plot: pg.PlotItem, t: theme.Theme) -> None:
        bg = QtGui.QColor(t.background)
        pens: list[QtGui.QPen] = []
        #: parallel 1-px lines per edge of each pen
        self.copies: list[int] = []
        # Colours are opaque (pre-blended with the background): semi-transparent lines cost
        # ~7x more to rasterise.
        for color in (t.negative, t.positive):
            for k in range(self.N_WEIGHT_BINS):
                frac = (k + 1) / self.N_WEIGHT_BINS
                pens.append(pg.mkPen(theme.blend(bg, color, 0.4 + 0.6 * frac), width=1))
                # Only the two strongest bins are doubled/tripled: with a Glorot init most drawn
                # edges stay 1 px, a too-large init turns the diagram visibly heavy. A larger
                # type scale draws every edge with proportionally more lines.
                self.copies.append(_lines(1 + max(0, k - (self.N_WEIGHT_BINS - 3))))
        pens.append(pg.mkPen(t.ink, width=1))
        self.copies.append(_lines(3))
        self.layer = EdgeLayer(pens)
        self.layer.setZValue(0)
        plot.addItem(self.layer, ignoreBounds=True)
        self.per_layer = 0
        self._sizes: tuple[int, ...] = ()
        self._pair_index: list[NDArray[np.intp]] = []
        self._pair_offset: list[int] = []
        self._weight_ref: list[float] = []
        self._pair_x = np.zeros((0, 2))
        self._pair_y = np.zeros((0, 2))
        self._px_dy = 0.002
        #: the chosen candidate pairs, sorted by pen, and the pen of each
        self.pick = np.zeros(0, dtype=np.intp)
        self.bins = np.zeros(0, dtype=np.intp)

    def build(
        self,
        sizes: tuple[int, ...],
        samples: Sequence[NDArray[np.intp]],
        ys: Sequence[NDArray[np.float64]],
        bounds: QtCore.QRectF,
    ) -> None:
        """Every candidate edge (pairs of sampled units), layer after layer: its flat index into
        that layer's weight matrix and its two endpoints. Per update only indices are chosen."""
        self._sizes = sizes
        self.per_layer = max(1, round(self.EDGES_PER_UNIT * max(len(s) for s in samples)))
        self._pair_index = []
        self._pair_offset = []
        self._weight_ref = []
        pair_x = []
        pair_y = []
        offset = 0
        for i in range(len(sizes) - 1):
            src, dst = np.meshgrid(samples[i], samples[i + 1], indexing="ij")
            self._pair_index.append((src * sizes[i + 1] + dst).ravel())
            self._pair_offset.append(offset)
            # |w| in units of this layer's Glorot std: a fixed yardstick, so a large init or
            # growing weights show up as thicker edges instead of being normalised away.
            glorot = math.sqrt(2.0 / (sizes[i] + sizes[i + 1]))
            self._weight_ref.append(1.0 / (self.WEIGHT_REF_STDS * glorot))
            ys0, ys1 = np.meshgrid(ys[i], ys[i + 1], indexing="ij")
            pair_y.append(np.stack([ys0.ravel(), ys1.ravel()], axis=1))
            pair_x.append(np.tile([float(i), float(i + 1)], (ys0.size, 1)))
            offset += ys0.size
        self._pair_x = np.concatenate(pair_x) if pair_x else np.zeros((0, 2))
        self._pair_y = np.concatenate(pair_y) if pair_y else np.zeros((0, 2))
        self.layer.set_bounds(bounds)
        self.clear()

    def clear(self) -> None:
        """No edges."""
        self.pick = np.zeros(0, dtype=np.intp)
        self.bins = np.zeros(0, dtype=np.intp)
        self.layer.set_lines([np.zeros((0, 4)) for _ in self.copies])

    def set_pixel_height(self, px_dy: float) -> None:
        """One screen pixel in data units (vertically): the spacing of a thick edge's lines."""
        if abs(px_dy - self._px_dy) > 1e-3 * px_dy:
            self._px_dy = px_dy
            if len(self.pick):
                self._emit()

    def update(self, weights: Sequence[NDArray[np.floating]]) -> bool:
        """Choose and draw the strongest edges of ``weights``; False if they do not fit."""
        if len(weights) != len(self._pair_index):
            return False
        keep = self.per_layer
        picks = []
        values = []
        for i, w in enumerate(weights):
            if w.shape != (self._sizes[i], self._sizes[i + 1]):
                return False
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
        pick_all = np.concatenate(picks)
        w_rel = np.concatenate(values)
        finite = np.isfinite(w_rel)
        nb = self.N_WEIGHT_BINS
        with np.errstate(invalid="ignore"):
            mag_bin = np.minimum(np.abs(np.where(finite, w_rel, 0.0)) * nb, nb - 1).astype(np.intp)
        pen_idx = np.where(w_rel < 0.0, 0, nb) + mag_bin
        pen_idx[~finite] = 2 * nb
        order = np.lexsort((pick_all, pen_idx))
        pen_idx = pen_idx[order]
        pick_all = pick_all[order]
        if not (np.array_equal(pen_idx, self.bins) and np.array_equal(pick_all, self.pick)):
            self.bins = pen_idx
            self.pick = pick_all
            self._emit()
        return True

    def _emit(self) -> None:
        """Hand the chosen edges to the layer; thick edges become parallel 1-px lines."""
        counts = np.bincount(self.bins, minlength=len(self.copies))
        xs = self._pair_x[self.pick]
        ys = self._pair_y[self.pick]
        lines = []
        start = 0
        for count, copies in zip(counts, self.copies, strict=True):
            stop = start + count
            x, y = xs[start:stop], ys[start:stop]
            start = stop
            if copies > 1 and count:
                shifts = (np.arange(copies) - (copies - 1) / 2.0) * self._px_dy
                x = np.tile(x, (copies, 1))
                y = (y[None, :, :] + shifts[:, None, None]).reshape(-1, 2)
            lines.append(np.stack([x[:, 0], y[:, 0], x[:, 1], y[:, 1]], axis=1))
        self.layer.set_lines(lines)


def _lines(copies: int) -> int:
    """Parallel 1-px lines that draw an edge ``copies`` px thick at scale 1."""
    return max(1, round(copies * theme.scale()))
