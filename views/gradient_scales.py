"""Scales of the gradient views: log10 of norms, their colour indices in the heat map's
look-up table, decade and layer ticks, and the short number format of the ratio line."""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from numpy.typing import NDArray
from PySide6 import QtGui

from views import theme

#: Colour reserved for inf/NaN (never part of viridis); the same in every theme (``Theme.nonfinite``).
NONFINITE = theme.LIGHT.nonfinite
#: log10 range drawn before anything falls outside it; it only ever grows, within the hard limits.
DEFAULT_RANGE: tuple[float, float] = (-10.0, 2.0)
HARD_RANGE: tuple[float, float] = (-60.0, 40.0)


def log10_norm(values: NDArray[np.float64]) -> NDArray[np.float64]:
    """log10 of non-negative norms; zeros map to -inf, inf/NaN stay non-finite, never warns."""
    v = np.asarray(values, dtype=np.float64)
    finite = np.isfinite(v)
    out = np.full(v.shape, np.nan)
    safe = np.where(finite, np.abs(v), 1.0)
    with np.errstate(divide="ignore"):
        out[finite] = np.log10(safe[finite])
    out[np.isposinf(v)] = np.inf
    return out


def colour_indices(values: NDArray[np.float64], lo: float, hi: float) -> NDArray[np.uint8]:
    """Map norms to LUT indices 1…255 over log10 [lo, hi]; inf/NaN → 0 (the reserved colour).

    Exact zeros (a gradient that vanished completely) get the lowest colour, not the
    non-finite one.
    """
    v = np.asarray(values, dtype=np.float64)
    finite = np.isfinite(v)
    logs = np.log10(np.maximum(np.where(finite, v, 1.0), 1e-300))
    scaled = (np.clip(logs, lo, hi) - lo) * (254.0 / (hi - lo)) + 1.0
    idx = scaled.astype(np.uint8)
    idx[~finite] = 0
    return idx


def heat_lut() -> NDArray[np.uint8]:
    """256 RGBA entries: index 0 is the non-finite colour, 1…255 are viridis."""
    table = np.empty((256, 4), dtype=np.uint8)
    table[0] = pg.mkColor(theme.current().nonfinite).getRgb()
    table[1:] = theme.lut(theme.magnitude_colormap(), 255)
    return table


def format_power(value: float) -> str:
    """Short scientific text such as ``1.2e-5`` or ``3e+2`` (readable from the back row)."""
    if value == 0.0:
        return "0"
    mantissa, exponent = f"{value:.1e}".split("e")
    mantissa = mantissa.removesuffix(".0")
    exp = int(exponent)
    if exp == 0:
        return mantissa
    return f"{mantissa}e{exp:+d}" if exp > 0 else f"{mantissa}e{exp}"


def decade_label(k: int) -> str:
    return "1" if k == 0 else f"1e{k}"


def decade_ticks(lo: float, hi: float, max_labels: int = 9) -> list[list[tuple[float, str]]]:
    """Major ticks with labels (at most ~``max_labels``) and unlabelled minor ticks at every decade."""
    span = hi - lo
    limit = max(max_labels, 2)
    step = next((s for s in (1, 2, 4, 5, 10, 20, 25, 50) if span / s <= limit), 100)
    first, last = math.ceil(lo), math.floor(hi)
    major = [(float(k), decade_label(k)) for k in range(first, last + 1) if k % step == 0]
    minor = [(float(k), "") for k in range(first, last + 1) if k % step] if span <= 24 else []
    return [major, minor]


def layer_ticks(n_layers: int, max_labels: int) -> list[list[tuple[float, str]]]:
    """Labels L1, Lk, L2k, …, Ln at layer positions 1…n with at most ~``max_labels`` of them.

    The first (input) and last (output) layer are always labelled; a label crowding
    either of them is dropped. Unlabelled layers keep a minor tick.
    """
    every = next((k for k in (1, 2, 5, 10, 20, 50) if n_layers / k <= max(max_labels, 2)), math.ceil(n_layers / 2))
    # Every other layer counts from L1 (L1, L3, …: even gaps), coarser steps in round numbers.
    start = 1 if every == 2 else 0
    numbers = [k for k in range(1, n_layers + 1) if k in (1, n_layers) or k % every == start % every]
    numbers = [k for k in numbers if k in (1, n_layers) or (k - 1 >= 0.75 * every and n_layers - k >= 0.75 * every)]
    major = [(float(k), f"L{k}") for k in numbers]
    minor = [(float(k), "") for k in range(1, n_layers + 1) if k not in numbers] if every > 1 else []
    return [major, minor]


def axis_width(font: QtGui.QFont, *samples: str) -> int:
    """Room for the widest tick label plus the tick and its gap."""
    metrics = QtGui.QFontMetrics(font)
    return max(metrics.horizontalAdvance(s) for s in samples) + 18
