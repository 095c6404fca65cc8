"""The lecture's key number: how much of the backward signal reaches the first layer.

One definition for every part of the app (status banner, gradient view, compare columns):
the first hidden layer's ‖dL/dz‖ divided by the last hidden layer's (the output layer's when
there is a single hidden layer); vanishing at or below 1e-3, exploding at or above 1e3.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray

VANISHING_RATIO = 1e-3
EXPLODING_RATIO = 1e3


def reference_layer(n_layers: int) -> int:
    """Index of the layer the first one is compared with: the last hidden layer."""
    return n_layers - 2 if n_layers > 2 else n_layers - 1


def gradient_ratio(delta_norms: NDArray[np.floating]) -> float:
    """‖dL/dz‖ of layer 1 over that of :func:`reference_layer`; 0/0 (a dead network) is 0."""
    d = np.asarray(delta_norms, dtype=float)
    if d.shape[0] < 2:
        return 1.0
    first, last = float(d[0]), float(d[reference_layer(d.shape[0])])
    if last > 0:
        return first / last
    return math.inf if first > 0 else (math.nan if math.isnan(first) else 0.0)


def ratio_verdict(ratio: float) -> str:
    """ "vanishing", "exploding", "healthy" or "diverged" (non-finite) for a ratio."""
    if not math.isfinite(ratio):
        return "exploding" if ratio == math.inf else "diverged"
    if ratio <= VANISHING_RATIO:
        return "vanishing"
    if ratio >= EXPLODING_RATIO:
        return "exploding"
    return "healthy"
