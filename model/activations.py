"""Activation functions as small objects with ``fn`` and ``grad``.

Every activation maps pre-activations ``z`` to ``h = f(z)``.  ``grad(z, h)`` returns
``f'(z)``; it receives the already computed output so that sigmoid, tanh and friends reuse it.
``max_grad`` is the supremum of ``f'`` over the real line (σ' ≤ 1/4), used for the
"saturated" statistic and drawn by the activation-function view.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

Array = NDArray[np.floating]

_SELU_ALPHA = 1.6732632423543772
_SELU_SCALE = 1.0507009873554805
_GELU_C = math.sqrt(2.0 / math.pi)


@dataclass(frozen=True)
class Activation:
    """A named activation: ``fn(z)``, ``grad(z, h)`` and the supremum of its derivative."""

    name: str
    fn: Callable[[Array], Array]
    grad: Callable[[Array, Array], Array]
    max_grad: float
    formula: str


def _sigmoid(z: Array) -> Array:
    # 0.5(1 + tanh(z/2)) is exact and never overflows, unlike 1/(1+exp(-z)).
    out: Array = np.tanh(0.5 * z)
    out += 1.0
    out *= 0.5
    return out


def _sigmoid_grad(z: Array, h: Array) -> Array:
    return h * (1.0 - h)


def _tanh(z: Array) -> Array:
    return np.tanh(z)


def _tanh_grad(z: Array, h: Array) -> Array:
    return 1.0 - h * h


def _relu(z: Array) -> Array:
    return np.maximum(z, 0.0)


def _relu_grad(z: Array, h: Array) -> Array:
    # f'(0) = 0 by convention (as in PyTorch).
    return (z > 0.0).astype(z.dtype)


def _make_leaky(slope: float) -> tuple[Callable[[Array], Array], Callable[[Array, Array], Array]]:
    def fn(z: Array) -> Array:
        return np.where(z > 0.0, z, slope * z)

    def grad(z: Array, h: Array) -> Array:
        return np.where(z > 0.0, 1.0, slope).astype(z.dtype)

    return fn, grad


def _softplus(z: Array) -> Array:
    # log(1 + e^z) without overflow: max(z, 0) + log1p(e^{-|z|}).
    return np.logaddexp(0.0, z)


def _softplus_grad(z: Array, h: Array) -> Array:
    return _sigmoid(z)


def _elu(z: Array) -> Array:
    return np.where(z > 0.0, z, np.expm1(np.minimum(z, 0.0)))


def _elu_grad(z: Array, h: Array) -> Array:
    return np.where(z > 0.0, 1.0, h + 1.0).astype(z.dtype)


def _selu(z: Array) -> Array:
    return _SELU_SCALE * np.where(z > 0.0, z, _SELU_ALPHA * np.expm1(np.minimum(z, 0.0)))


def _selu_grad(z: Array, h: Array) -> Array:
    return np.where(z > 0.0, _SELU_SCALE, h + _SELU_SCALE * _SELU_ALPHA).astype(z.dtype)


def _gelu(z: Array) -> Array:
    # Tanh approximation of Hendrycks & Gimpel (2016).
    return 0.5 * z * (1.0 + np.tanh(_GELU_C * (z + 0.044715 * z**3)))


def _gelu_grad(z: Array, h: Array) -> Array:
    inner = _GELU_C * (z + 0.044715 * z**3)
    t = np.tanh(inner)
    dinner = _GELU_C * (1.0 + 3.0 * 0.044715 * z * z)
    return 0.5 * (1.0 + t) + 0.5 * z * (1.0 - t * t) * dinner


def _softsign(z: Array) -> Array:
    return z / (1.0 + np.abs(z))


def _softsign_grad(z: Array, h: Array) -> Array:
    d = 1.0 + np.abs(z)
    return 1.0 / (d * d)


def _linear(z: Array) -> Array:
    return z.copy()


def _linear_grad(z: Array, h: Array) -> Array:
    return np.ones_like(z)


def _numeric_max_grad(grad: Callable[[Array, Array], Array], fn: Callable[[Array], Array]) -> float:
    z = np.linspace(-10.0, 10.0, 200_001)
    return float(np.max(grad(z, fn(z))))


ACTIVATION_NAMES: tuple[str, ...] = (
    "sigmoid",
    "tanh",
    "relu",
    "leaky_relu",
    "noisy_relu",
    "softplus",
    "elu",
    "selu",
    "gelu",
    "softsign",
    "linear",
)


def get_activation(name: str, leaky_slope: float = 0.01) -> Activation:
    """Return the activation called ``name`` (one of :data:`ACTIVATION_NAMES`).

    ``noisy_relu`` returns plain ReLU here: its noise is added by the network during
    training steps only (Nair & Hinton 2010), so ``fn``/``grad`` describe the noiseless unit.
    """
    if name == "sigmoid":
        return Activation(name, _sigmoid, _sigmoid_grad, 0.25, "σ(x) = 1 / (1 + e^(−x))")
    if name == "tanh":
        return Activation(name, _tanh, _tanh_grad, 1.0, "tanh(x)")
    if name == "relu":
        return Activation(name, _relu, _relu_grad, 1.0, "max(0, x)")
    if name == "noisy_relu":
        return Activation(name, _relu, _relu_grad, 1.0, "max(0, x + N(0, σ(x)))")
    if name == "leaky_relu":
        fn, grad = _make_leaky(leaky_slope)
        return Activation(name, fn, grad, max(1.0, leaky_slope), f"x if x > 0 else {leaky_slope:g}·x")
    if name == "softplus":
        return Activation(name, _softplus, _softplus_grad, 1.0, "ln(1 + e^x)")
    if name == "elu":
        return Activation(name, _elu, _elu_grad, 1.0, "x if x > 0 else e^x − 1")
    if name == "selu":
        return Activation(name, _selu, _selu_grad, _SELU_SCALE * _SELU_ALPHA, "λ·(x if x > 0 else α(e^x − 1))")
    if name == "gelu":
        return Activation(name, _gelu, _gelu_grad, _numeric_max_grad(_gelu_grad, _gelu), "x·Φ(x) (tanh approximation)")
    if name == "softsign":
        return Activation(name, _softsign, _softsign_grad, 1.0, "x / (1 + |x|)")
    if name == "linear":
        return Activation(name, _linear, _linear_grad, 1.0, "x")
    raise ValueError(f"unknown activation {name!r}; allowed: {', '.join(ACTIVATION_NAMES)}")


def noisy_relu_std(z: Array) -> Array:
    """Standard deviation of the Noisy ReLU noise: the variance is σ(z) (Nair & Hinton 2010)."""
    return np.sqrt(_sigmoid(z))


def sigmoid(z: Array) -> Array:
    """Numerically stable logistic function."""
    return _sigmoid(np.asarray(z, dtype=float))
