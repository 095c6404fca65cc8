"""The mean-field theory drawn over a 2-D sweep's heat map: the χ₁ = 1 line (the edge of chaos)
and dashed contours of the depth scale ξ, black on a white halo.

:func:`theory_grid` evaluates :func:`model.theory.predict` on a grid finer than the sweep's;
:func:`theory_curves` turns it into isocurve items placed in the heat map's grid coordinates.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyqtgraph as pg
from numpy.typing import NDArray
from PySide6 import QtCore, QtGui

from model.sweep import SweepSpec
from model.theory import predict
from views import theme

#: depth scales ξ whose contours are drawn (dashed), in layers
XI_LEVELS = (3.0, 10.0, 30.0)
#: theory is evaluated this many times finer than the grid along float-valued axes
REFINE = 2
#: theory lines and the hover ring: black over a white halo in both themes
LINE, HALO = "#000000", "#FFFFFF"

Grid = tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]


def fine_positions(spec: SweepSpec, k: int) -> tuple[NDArray[np.float64], list[Any]]:
    """Grid positions along axis k where theory is evaluated, and the field values there
    (finer than the grid for float fields, else the grid itself)."""
    axis = spec.axes[k]
    n = len(axis.values)
    numeric = all(isinstance(v, float) for v in axis.values) and n >= 2
    if not numeric:
        return np.arange(n, dtype=float), list(axis.values)
    pos = np.linspace(0.0, n - 1.0, (n - 1) * REFINE + 1)
    vals = np.asarray(axis.values, dtype=float)
    if axis.log and np.all(vals > 0):
        fine = np.exp(np.interp(pos, np.arange(n), np.log(vals)))
    else:
        fine = np.interp(pos, np.arange(n), vals)
    return pos, [float(v) for v in fine]


def theory_grid(spec: SweepSpec) -> Grid | None:
    """(x positions, y positions, χ₁ on them) for a 2-D sweep, None when the theory has no
    prediction anywhere."""
    xs, xv = fine_positions(spec, 0)
    ys, yv = fine_positions(spec, 1)
    base = spec.base
    fx, fy = spec.fields
    chi = np.full((len(ys), len(xs)), np.nan)
    for j, y in enumerate(yv):
        for i, x in enumerate(xv):
            try:
                mf = predict(base.replace(**{fx: x, fy: y}))
            except ValueError:
                continue
            if mf.chi1 is not None:
                chi[j, i] = mf.chi1
    if not np.isfinite(chi).any():
        return None
    return xs, ys, chi


def theory_curves(grid: Grid) -> list[tuple[pg.IsocurveItem, pg.IsocurveItem]]:
    """(halo, line) isocurves of χ₁ = 1 first, then of ξ = each of XI_LEVELS, in grid coordinates."""
    xs, ys, chi = grid
    with np.errstate(divide="ignore", invalid="ignore"):
        log_chi = np.log(chi)
    # IsocurveItem works in image pixels: map them onto grid positions
    sx = (xs[-1] - xs[0]) / max(len(xs) - 1, 1)
    sy = (ys[-1] - ys[0]) / max(len(ys) - 1, 1)
    sx, sy = (sx or 1.0), (sy or 1.0)
    transform = QtGui.QTransform()
    # isocurve puts data[i] at pixel centre i + ½
    transform.translate(xs[0] - 0.5 * sx, ys[0] - 0.5 * sy)
    transform.scale(sx, sy)
    # black on a white halo: readable over both ends and the white middle of the colour map,
    # in either theme
    levels: list[tuple[NDArray[np.float64], float, QtGui.QPen]] = [
        (np.nan_to_num(log_chi, nan=0.0), 0.0, pg.mkPen(LINE, width=theme.px(4)))
    ]
    for xi in XI_LEVELS:
        levels.append(
            (
                np.nan_to_num(np.abs(log_chi), nan=np.inf, posinf=1e9),
                1.0 / xi,
                pg.mkPen(LINE, width=theme.px(2), style=QtCore.Qt.PenStyle.DashLine),
            )
        )
    curves = []
    for data, level, pen in levels:
        halo_pen = QtGui.QPen(pen)
        halo_pen.setColor(QtGui.QColor(HALO))
        halo_pen.setWidthF(pen.widthF() + theme.px(3))
        halo, line = (
            pg.IsocurveItem(data=data, level=level, pen=item_pen, axisOrder="row-major")  # data[y, x]
            for item_pen in (halo_pen, pen)
        )
        for curve, z in ((halo, 9), (line, 10)):
            curve.setTransform(transform)
            curve.setZValue(z)
        curves.append((halo, line))
    return curves
