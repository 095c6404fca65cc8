"""Greedy layer-wise pre-training (Hinton et al. 2006; Bengio et al. 2007).

Each hidden layer in turn is trained as an autoencoder on the representation produced by the
(already pre-trained) layers below it: encoder ``e = f(r W + b)`` with the layer's own
weights, a linear decoder ``r̂ = e V + c`` that is thrown away afterwards, loss
mean((r̂ − r)²), plain SGD at the run's learning rate.  Supervised training starts after.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray

from model.network import Network

Array = NDArray[np.floating]


class LayerwisePretrainer:
    """Runs ``epochs`` epochs of autoencoder training per hidden layer, one batch per call."""

    def __init__(
        self,
        network: Network,
        epochs: int,
        steps_per_epoch: int,
        learning_rate: float,
        rng: np.random.Generator,
    ) -> None:
        self.network = network
        self.steps_per_layer = max(1, epochs * steps_per_epoch)
        self.learning_rate = learning_rate
        self.rng = rng
        self.layer = 0
        self.steps_in_layer = 0
        self.last_loss = math.nan
        self._decoder: tuple[Array, Array] | None = None

    @property
    def done(self) -> bool:
        return self.layer >= self.network.depth

    @property
    def total_steps(self) -> int:
        return self.steps_per_layer * self.network.depth

    def _representation(self, x: Array) -> Array:
        if self.layer == 0:
            return x
        cache = self.network.forward(x, train=False)
        return np.asarray(cache.h[self.layer - 1])

    def step(self, x: Array) -> float:
        """One SGD step of the current layer's autoencoder on the batch ``x``; returns its loss."""
        net = self.network
        l = self.layer
        r = self._representation(x)
        w, b = net.weights[l], net.biases[l]
        fan_in, width = w.shape
        if self._decoder is None:
            bound = math.sqrt(6.0 / (fan_in + width))
            v = self.rng.uniform(-bound, bound, (width, fan_in)).astype(net.dtype)
            self._decoder = (v, np.zeros(fan_in, dtype=net.dtype))
        v, c = self._decoder
        z = r @ w + b
        e = net.activation.fn(z)
        fprime = net.activation.grad(z, e)
        r_hat = e @ v + c
        diff = r_hat - r
        loss = float(np.mean(diff * diff))
        d_rhat = diff * (2.0 / diff.size)
        dv = e.T @ d_rhat
        dc = d_rhat.sum(axis=0)
        dz = (d_rhat @ v.T) * fprime
        dw = r.T @ dz
        db = dz.sum(axis=0)
        lr = self.learning_rate
        if all(np.isfinite(a).all() for a in (dv, dc, dw, db)):
            v -= lr * dv
            c -= lr * dc
            w -= lr * dw
            b -= lr * db
        self.last_loss = loss
        self.steps_in_layer += 1
        if self.steps_in_layer >= self.steps_per_layer:
            self.layer += 1
            self.steps_in_layer = 0
            self._decoder = None
        return loss
