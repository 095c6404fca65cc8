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
    n = logits.shape[0]
    shifted = logits - logits.max(axis=1, keepdims=True)
    e = np.exp(shifted)
    s = e.sum(axis=1, keepdims=True)
    rows = np.arange(n)
    loss = float(np.mean(np.log(s[:, 0]) - shifted[rows, labels]))
    dlogits = e / s
    dlogits[rows, labels] -= 1.0
    dlogits /= n
    return loss, dlogits


def mse(outputs: Array, targets: Array) -> tuple[float, Array]:
    """Mean over all elements of (output − target)²; returns (loss, dL/doutputs)."""
    diff = outputs - targets
    loss = float(np.mean(diff * diff))
    return loss, diff * (2.0 / diff.size)


def one_hot(
    labels: NDArray[np.int64], n_classes: int, dtype: np.dtype[np.floating] | type = np.float64
) -> Array:
    out: Array = np.zeros((labels.shape[0], n_classes), dtype=dtype)
    out[np.arange(labels.shape[0]), labels] = 1.0
    return out
