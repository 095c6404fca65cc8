"""Optimisers on the flat parameter buffer: each returns the update ΔΘ, never applies it,
so the trainer can refuse a non-finite update and report ``update_ratio`` exactly."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from model.config import ExperimentConfig

Array = NDArray[np.floating]


class Optimizer:
    """Base class: ``update(params, grad, lr) -> delta`` with ``params + delta`` the new values."""

    def __init__(self, config: ExperimentConfig, n_params: int, dtype: np.dtype[np.floating]) -> None:
        self.config = config
        self.n_params = n_params
        self.dtype = dtype
        self.t = 0

    def update(self, grad: Array) -> Array:
        raise NotImplementedError


class SGD(Optimizer):
    """SGD with (Nesterov) momentum, PyTorch semantics: v ← μv + g; Δ = −lr·v (or −lr·(g + μv))."""

    def __init__(self, config: ExperimentConfig, n_params: int, dtype: np.dtype[np.floating]) -> None:
        super().__init__(config, n_params, dtype)
        self.velocity: Array | None = None
        self._out: Array | None = None

    def update(self, grad: Array) -> Array:
        self.t += 1
        c = self.config
        if c.momentum == 0.0:
            if self._out is None or self._out.shape != grad.shape:
                self._out = np.empty_like(grad)
            return np.multiply(grad, -c.learning_rate, out=self._out)
        if self.velocity is None:
            self.velocity = grad.copy()
        else:
            self.velocity *= c.momentum
            self.velocity += grad
        step = grad + c.momentum * self.velocity if c.nesterov else self.velocity
        return step * (-c.learning_rate)


class RMSprop(Optimizer):
    """s ← ρs + (1−ρ)g²; Δ = −lr·g/(√s + ε)."""

    def __init__(self, config: ExperimentConfig, n_params: int, dtype: np.dtype[np.floating]) -> None:
        super().__init__(config, n_params, dtype)
        self.square = np.zeros(n_params, dtype=dtype)

    def update(self, grad: Array) -> Array:
        self.t += 1
        c = self.config
        self.square *= c.rho
        self.square += (1.0 - c.rho) * grad * grad
        return (-c.learning_rate) * grad / (np.sqrt(self.square) + c.eps)


class Adam(Optimizer):
    """Kingma & Ba (2015) with bias correction."""

    def __init__(self, config: ExperimentConfig, n_params: int, dtype: np.dtype[np.floating]) -> None:
        super().__init__(config, n_params, dtype)
        self.m = np.zeros(n_params, dtype=dtype)
        self.v = np.zeros(n_params, dtype=dtype)

    def update(self, grad: Array) -> Array:
        self.t += 1
        c = self.config
        self.m *= c.beta1
        self.m += (1.0 - c.beta1) * grad
        self.v *= c.beta2
        self.v += (1.0 - c.beta2) * grad * grad
        m_hat = self.m / (1.0 - c.beta1**self.t)
        v_hat = self.v / (1.0 - c.beta2**self.t)
        return (-c.learning_rate) * m_hat / (np.sqrt(v_hat) + c.eps)


def make_optimizer(config: ExperimentConfig, n_params: int, dtype: np.dtype[np.floating]) -> Optimizer:
    kinds: dict[str, type[Optimizer]] = {"sgd": SGD, "rmsprop": RMSprop, "adam": Adam}
    return kinds[config.optimizer](config, n_params, dtype)


def clip_by_global_norm(grad: Array, max_norm: float, norm: float) -> bool:
    """g ← g·c/‖g‖ when ‖g‖ > c (Pascanu et al. 2013), in place; returns whether it fired."""
    if norm > max_norm:
        grad *= max_norm / norm
        return True
    return False


def clip_by_value(grad: Array, limit: float) -> bool:
    """Clamp every component to [−limit, limit], in place; returns whether any was clamped."""
    fired = bool(np.any(np.abs(grad) > limit))
    if fired:
        np.clip(grad, -limit, limit, out=grad)
    return fired
