"""Losses: value and gradient with respect to the network's output (logits)."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

Array = NDArray[np.floating]


def softmax(logits: Array) -> Array:
    """Row-wise softmax, shifted by the row maximum for stability."""
    shifted = logits - logits.max(axis=1, keepdims=True)
    e: Array = np.exp(shifted)
    e /= e.sum(axis=1, keepdims=True)
    return e


def cross_entropy(logits: Array, labels: NDArray[np.int64]) -> tuple[float, Array]:
    """Batch mean of softmax cross-entropy; returns (loss, dL/dlogits)."""
    n, c = logits.shape
    shifted = logits - logits.max(axis=1, keepdims=True)
    e = np.exp(shifted)
    s = e.sum(axis=1, keepdims=True)
    # flat indices of each row's true class: take() is several times faster than fancy indexing
    picks = np.arange(0, n * c, c) + labels
    loss = float(np.log(s).sum() - shifted.take(picks).sum()) / n
    dlogits = e / s
    dlogits.ravel()[picks] -= 1.0
    dlogits /= n
    return loss, dlogits


def mse(outputs: Array, targets: Array) -> tuple[float, Array]:
    """Mean over all elements of (output − target)²; returns (loss, dL/doutputs)."""
    diff = outputs - targets
    loss = float(np.mean(diff * diff))
    return loss, diff * (2.0 / diff.size)


def one_hot(labels: NDArray[np.int64], n_classes: int, dtype: np.dtype[np.floating] | type = np.float64) -> Array:
    out: Array = np.zeros((labels.shape[0], n_classes), dtype=dtype)
    out[np.arange(labels.shape[0]), labels] = 1.0
    return out
