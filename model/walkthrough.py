"""The backward pass walked layer by layer: local factors and their running product.

Backpropagation through hidden layer l computes

    δ_l = (δ_{l+1} W_{l+1}ᵀ) ⊙ f′(u_l)          (δ = dL/dz, one row per sample)

so the size of the signal reaching layer l is the size at the output times one factor per
step.  :func:`backward_walk` measures those factors on the live network from ONE exact
forward/backward pass (batch statistics, no noise, no update): ``factor`` is
‖δ_l‖ / ‖δ_{l+1}‖, split into how much the weights scale the signal (``weight_gain``) and how
much f′ does (``fprime_gain``); ``running_product`` is ‖δ_l‖ / ‖δ_out‖, the product of the
factors so far.  For a plain layer ``factor == weight_gain × fprime_gain``.

Two architectures change what a step is:

* **Residual** (``skip``): hidden layer l+1 computes h_{l+1} = h_l + f(u_{l+1}), so
  dL/dh_l = δ_{l+1} W_{l+1}ᵀ + dL/dh_{l+1}.  ``factor`` is still ‖δ_l‖ / ‖δ_{l+1}‖ and the
  factors still multiply to the running product, but it now includes the identity path, which
  carries the upstream gradient past the weights and f′: it is *not* weight_gain × fprime_gain.
  ``weight_gain`` and ``fprime_gain`` describe the weight path alone.
* **Batch norm**: δ_l is dL/dz *before* normalisation (as in :class:`~model.network.Gradients`);
  the normalisation's backward (γ / σ_z, minus the batch-mean and -direction components) is
  part of ``factor`` and ``fprime_gain`` describes f′ alone (f′ is taken at the normalised u).

Nothing raises on a diverged network: inf/NaN flow into the numbers (a lesson, not a crash).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from model.network import Network

Array = NDArray[np.floating]


@dataclass(frozen=True)
class LayerFactor:
    """One step of the backward pass, arriving at weight layer ``layer``."""

    layer: int  # weight-layer index (0 = first hidden layer); the output layer is n_layers − 1
    delta_norm: float  # ‖dL/dz_l‖ (Frobenius over batch × units)
    mean_fprime: float  # mean of f′(u_l) over batch × units; 1.0 for the linear output layer
    max_fprime: float  # max of f′(u_l)
    weight_gain: float  # ‖δ_{l+1} W_{l+1}ᵀ‖ / ‖δ_{l+1}‖; NaN for the output layer
    factor: float  # ‖δ_l‖ / ‖δ_{l+1}‖, the local factor of this step; NaN for the output layer
    running_product: float  # ‖δ_l‖ / ‖δ_out‖ = product of the factors so far
    fprime_gain: float = 1.0  # ‖(δ_{l+1} W_{l+1}ᵀ) ⊙ f′‖ / ‖δ_{l+1} W_{l+1}ᵀ‖ (exact share of f′)
    skip: bool = False  # the step includes a residual identity path (see the module docstring)


@dataclass(frozen=True)
class BackwardWalk:
    """The backward pass of one batch, ordered from the output layer to the input layer."""

    step: int
    loss: float
    activation: str
    layers: tuple[LayerFactor, ...]  # output → input
    batch_norm: bool = False
    residual: bool = False

    @property
    def n_layers(self) -> int:
        return len(self.layers)


def frobenius(a: Array) -> float:
    """‖a‖ over every element in float64 (float32 squares overflow early); inf/NaN propagate."""
    flat = np.asarray(a, dtype=np.float64).ravel()
    with np.errstate(all="ignore"):
        return math.sqrt(float(np.dot(flat, flat))) if flat.size else 0.0


def _ratio(num: float, den: float) -> float:
    """num / den with IEEE semantics (x/0 → ±inf, 0/0 → NaN) instead of ZeroDivisionError."""
    with np.errstate(all="ignore"):
        return float(np.float64(num) / np.float64(den))


def backward_walk(network: Network, x: Array, y: NDArray[np.generic], step: int = 0) -> BackwardWalk:
    """Walk one exact backward pass of ``network`` on the batch (x, y), output → input.

    Runs ``forward(train=True)`` without noise and ``backward`` into scratch gradients: the
    parameters, the batch-norm running statistics and any optimiser state are not touched.
    """
    with np.errstate(all="ignore"):
        cache = network.forward(np.asarray(x, dtype=network.dtype), train=True)
        loss, dlogits = network.loss_and_dlogits(cache.logits, y)
        deltas = network.backward(cache, dlogits, network.new_gradients())
        all_deltas: list[Array] = [*list(deltas), dlogits]
        norms = [frobenius(d) for d in all_deltas]
        out_norm = norms[-1]
        depth = network.depth
        layers = [
            LayerFactor(
                layer=depth,
                delta_norm=out_norm,
                mean_fprime=1.0,
                max_fprime=1.0,
                weight_gain=math.nan,
                factor=math.nan,
                running_product=_ratio(out_norm, out_norm),
            )
        ]
        for l in range(depth - 1, -1, -1):
            upstream = all_deltas[l + 1]
            # the same product network.backward forms, so a linear layer's factor equals its gain
            through_weights = upstream @ network.weights[l + 1].T
            through_norm = frobenius(through_weights)
            fprime = cache.fprime[l]
            layers.append(
                LayerFactor(
                    layer=l,
                    delta_norm=norms[l],
                    mean_fprime=float(np.mean(fprime)) if fprime.size else math.nan,
                    max_fprime=float(np.max(fprime)) if fprime.size else math.nan,
                    weight_gain=_ratio(through_norm, norms[l + 1]),
                    factor=_ratio(norms[l], norms[l + 1]),
                    running_product=_ratio(norms[l], out_norm),
                    fprime_gain=_ratio(frobenius(through_weights * fprime), through_norm),
                    skip=l + 1 < depth and network.residual[l + 1],
                )
            )
    return BackwardWalk(
        step=int(step),
        loss=float(loss),
        activation=network.activation.name,
        layers=tuple(layers),
        batch_norm=network.batch_norm,
        residual=any(network.residual),
    )
