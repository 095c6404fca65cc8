"""Weight initialisers.  ``scale`` is the std/bound for ``normal``/``uniform`` and a gain for
every named scheme, so "too small" and "too large" are one slider away."""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray

from model.config import INIT_NAMES


def init_std(name: str, fan_in: int, fan_out: int, scale: float) -> float:
    """The standard deviation each scheme gives one weight (theory, used by tests and views)."""
    if name == "normal":
        return scale
    if name == "uniform":
        return scale / math.sqrt(3.0)
    if name == "glorot_standard":
        return scale / math.sqrt(3.0 * fan_in)
    if name == "xavier_uniform":
        return scale * math.sqrt(6.0 / (fan_in + fan_out)) / math.sqrt(3.0)
    if name == "xavier_normal":
        return scale * math.sqrt(2.0 / (fan_in + fan_out))
    if name == "he_uniform":
        return scale * math.sqrt(6.0 / fan_in) / math.sqrt(3.0)
    if name == "he_normal":
        return scale * math.sqrt(2.0 / fan_in)
    if name == "lecun_normal":
        return scale * math.sqrt(1.0 / fan_in)
    if name == "orthogonal":
        return scale / math.sqrt(max(fan_in, fan_out))
    raise ValueError(f"unknown init {name!r}; allowed: {', '.join(INIT_NAMES)}")


def initialize(name: str, fan_in: int, fan_out: int, scale: float, rng: np.random.Generator) -> NDArray[np.float64]:
    """A (fan_in, fan_out) float64 weight matrix drawn from scheme ``name``."""
    shape = (fan_in, fan_out)
    if name == "normal":
        return rng.normal(0.0, scale, shape)
    if name == "uniform":
        return rng.uniform(-scale, scale, shape)
    if name == "glorot_standard":
        bound = scale / math.sqrt(fan_in)
        return rng.uniform(-bound, bound, shape)
    if name == "xavier_uniform":
        bound = scale * math.sqrt(6.0 / (fan_in + fan_out))
        return rng.uniform(-bound, bound, shape)
    if name == "xavier_normal":
        return rng.normal(0.0, scale * math.sqrt(2.0 / (fan_in + fan_out)), shape)
    if name == "he_uniform":
        bound = scale * math.sqrt(6.0 / fan_in)
        return rng.uniform(-bound, bound, shape)
    if name == "he_normal":
        return rng.normal(0.0, scale * math.sqrt(2.0 / fan_in), shape)
    if name == "lecun_normal":
        return rng.normal(0.0, scale * math.sqrt(1.0 / fan_in), shape)
    if name == "orthogonal":
        # Saxe et al. (2014): QR of a Gaussian matrix, sign-corrected so Q is Haar-distributed.
        rows, cols = max(fan_in, fan_out), min(fan_in, fan_out)
        a = rng.normal(0.0, 1.0, (rows, cols))
        q, r = np.linalg.qr(a)
        q = q * np.sign(np.diag(r))
        w = q if fan_in >= fan_out else q.T
        return np.ascontiguousarray(scale * w)
    raise ValueError(f"unknown init {name!r}; allowed: {', '.join(INIT_NAMES)}")
