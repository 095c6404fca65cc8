"""What a training step measures: the cheap per-layer statistics of every step, the layer where
a diverging run first showed a non-finite value, and the histograms of a detailed step.

Pure NumPy, on whole-network arrays (no loop over samples); :class:`~model.trainer.Trainer`
calls these on its forward/backward pass.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from model.network import ForwardCache, Gradients, Network
from model.snapshot import ACTIVATION_BINS, GRADIENT_LOG_BINS, PREACTIVATION_BINS

Array = NDArray[np.floating]


def cheap_stats(
    net: Network,
    cache: ForwardCache,
    deltas: Array,
    dlogits: Array,
    grad_sq: Array,
    param_sq: Array,
    ws: dict[str, Array],
    *,
    binary_fprime: bool,
    max_fprime: float,
) -> dict[str, Array]:
    """The statistics computed every step, one value per layer (hidden layers, then the
    output layer): weight and gradient norms, ‖∂L/∂z‖, activation mean and spread, and the
    saturated, zero and dead fractions.  ``ws`` caches the ones vectors and buffers between
    steps.  ``binary_fprime``: f' is exactly 0 or 1 (ReLU without skip connections);
    ``max_fprime`` is the activation's largest slope (saturated: f' ≤ 0.1 of it)."""
    n_layers = net.n_layers
    depth = net.depth
    h = cache.h
    logits = cache.logits
    stats: dict[str, Array] = {}
    stats["weight_norm"] = np.sqrt(param_sq)
    stats["weight_grad_norm"] = np.sqrt(grad_sq[:n_layers])
    stats["bias_grad_norm"] = np.sqrt(grad_sq[n_layers : 2 * n_layers])
    delta_sq = np.empty(n_layers)
    dflat = deltas.reshape(depth, -1)
    delta_sq[:depth] = _row_dots(dflat)
    delta_sq[depth] = np.vdot(dlogits, dlogits)
    stats["delta_norm"] = np.sqrt(delta_sq)
    batch, width = h.shape[1], h.shape[2]
    count = batch * width
    # Reductions as matrix-vector products with cached ones vectors: BLAS beats
    # ufunc.reduce on these small arrays, and all hidden layers go in one call.
    ones = ws.get("ones_count")
    if ones is None or ones.shape[0] != count:
        ones = ws["ones_count"] = np.ones(count)
        ws["ones_batch"] = np.ones(batch)
        ws["ones_width"] = np.ones(width)
    ones_batch, ones_width = ws["ones_batch"], ws["ones_width"]
    flat = h.reshape(depth, count)
    mean = np.empty(n_layers)
    sq = np.empty(n_layers)
    mean[:depth] = flat @ ones
    sq[:depth] = _row_dots(flat)
    mean[depth] = float(np.add.reduce(logits, axis=None))
    sq[depth] = float(np.vdot(logits, logits))
    sizes = ws.get("sizes")
    if sizes is None or sizes[0] != count:
        sizes = ws["sizes"] = np.full(n_layers, float(count))
        sizes[depth] = logits.size
    mean /= sizes
    sq /= sizes
    stats["activation_mean"] = mean
    sq -= mean * mean
    stats["activation_std"] = np.sqrt(np.maximum(sq, 0.0, out=sq), out=sq)
    sat = np.zeros(n_layers)  # the output layer is linear: never saturated
    zero = np.empty(n_layers)
    dead = np.empty(n_layers)
    if binary_fprime:
        # ReLU without skip connections: f'(u) is exactly 1 where h > 0 and 0 where h = 0,
        # so one batched product with a ones vector counts saturated, zero and dead
        # units at once (f' = 0 ≤ 0.1 · max f', so saturated and zero coincide).
        active_per_unit = np.matmul(ones_batch, cache.fprime)  # (depth, width)
        zero[:depth] = active_per_unit @ ones_width
        zero[:depth] = 1.0 - zero[:depth] / count
        sat[:depth] = zero[:depth]
        # a dead unit has a count of 0; min(count, 1) is 1 for every live unit
        np.minimum(active_per_unit, 1.0, out=active_per_unit)
        dead[:depth] = active_per_unit @ ones_width
        dead[:depth] = 1.0 - dead[:depth] / width
    else:
        indicator = ws.get("indicator")
        if indicator is None or indicator.shape != h.shape:
            indicator = ws["indicator"] = np.empty(h.shape)
        ind_flat = indicator.reshape(depth, count)
        # comparisons into bool, then one cast: faster than a comparison writing floats
        np.copyto(indicator, cache.fprime <= 0.1 * max_fprime)
        sat[:depth] = ind_flat @ ones
        sat /= count
        np.copyto(indicator, h == 0.0)
        zero[:depth] = ind_flat @ ones
        # a unit is dead when it is zero for every sample: its column count equals the batch
        zeros_per_unit = np.matmul(ones_batch, indicator)
        np.floor_divide(zeros_per_unit, batch, out=zeros_per_unit)
        dead[:depth] = zeros_per_unit @ ones_width
        zero[:depth] /= count
        dead[:depth] /= width
    stats["saturated_fraction"] = sat
    out_zeros = np.count_nonzero(logits == 0.0)
    zero[depth] = out_zeros / logits.size
    dead[depth] = np.count_nonzero((logits == 0.0).all(axis=0)) / logits.shape[1] if out_zeros else 0.0
    stats["zero_fraction"] = zero
    stats["dead_fraction"] = dead
    return stats


def first_bad_layer(stats: dict[str, Array], per_layer: Array, n: int) -> int:
    """The first of the ``n`` layers where a non-finite value showed, in the order the values
    were computed: the forward pass (input → output), then the weights, then the backward pass
    (output → input), then ``per_layer`` (the per-layer update or squared gradient)."""

    def bad(*names: str) -> NDArray[np.bool_]:
        out = np.zeros(n, dtype=bool)
        for name in names:
            out |= ~np.isfinite(stats[name])
        return out

    forward = bad("activation_mean", "activation_std")
    weights = bad("weight_norm")
    backward = bad("delta_norm", "weight_grad_norm", "bias_grad_norm")
    if forward.any():
        return int(np.argmax(forward))
    if weights.any():
        return int(np.argmax(weights))
    if backward.any():
        return int(n - 1 - np.argmax(backward[::-1]))
    # every statistic finite: the sum over layers overflowed; blame the largest term
    values = np.where(np.isfinite(per_layer), per_layer, np.inf)
    return int(np.argmax(values))


def histograms(cache: ForwardCache, grads: Gradients, n_layers: int) -> dict[str, Any]:
    """A detailed step's histograms per layer: activations, pre-activations and log10 |∂L/∂W|."""
    layer_outputs = [*list(cache.h), cache.logits]
    layer_inputs = [*list(cache.u), cache.logits]
    return {
        "activation_hists": np.stack([_hist(a, ACTIVATION_BINS) for a in layer_outputs]),
        "preactivation_hists": np.stack([_hist(z, PREACTIVATION_BINS) for z in layer_inputs]),
        "weight_grad_hists": np.stack(
            [_hist(np.log10(np.abs(grads.weights[i]) + 1e-300), GRADIENT_LOG_BINS) for i in range(n_layers)]
        ),
    }


def _row_dots(a: Array) -> Array:
    """Sum of squares of each row of the 2-D array ``a`` (a batched BLAS dot product)."""
    out: Array = np.matmul(a[:, None, :], a[:, :, None]).reshape(a.shape[0])
    return out


def _hist(values: Array, edges: NDArray[np.float64]) -> NDArray[np.float64]:
    """Counts in fixed bins; values beyond the edges go to the end bins, NaN is dropped."""
    v = np.asarray(values, dtype=np.float64).ravel()
    v = v[~np.isnan(v)]
    v = np.clip(v, edges[0], edges[-1])
    counts, _ = np.histogram(v, bins=edges)
    return counts.astype(np.float64)
