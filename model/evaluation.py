"""A network in evaluation mode (no noise, running batch-norm statistics): test loss and
accuracies, and the output sample the output view draws."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from model.datasets import Dataset
from model.network import Network
from model.snapshot import OutputSample

Array = NDArray[np.floating]
GRID_SIZE = 64
CURVE_POINTS = 200


def evaluate(net: Network, ds: Dataset, x_train: Array, x_test: Array, ws: dict[str, Array]) -> dict[str, float | None]:
    """Test loss and train/test accuracy in evaluation mode (no noise, running BN stats);
    ``x_train`` and ``x_test`` are the dataset's inputs in the network's dtype, ``ws`` the
    evaluation workspace."""
    with np.errstate(all="ignore"):
        test_logits = net.predict(x_test, ws)
        test_loss, _ = net.loss_and_dlogits(test_logits, ds.y_test)
        if ds.is_regression:
            return {"test_loss": test_loss, "train_accuracy": None, "test_accuracy": None}
        train_logits = net.predict(x_train, ws)
        train_acc = float(np.mean(np.argmax(train_logits, axis=1) == ds.y_train))
        test_acc = float(np.mean(np.argmax(test_logits, axis=1) == ds.y_test))
    return {"test_loss": test_loss, "train_accuracy": train_acc, "test_accuracy": test_acc}


def output_sample(net: Network, ds: Dataset, x_test: Array, ws: dict[str, Array]) -> OutputSample:
    """The decision surface (2-D inputs), the fitted curve (1-D regression) or the test
    confusion matrix (anything else), in evaluation mode."""
    with np.errstate(all="ignore"):
        if ds.is_regression and ds.n_inputs == 1:
            lo = float(min(ds.x_train.min(), ds.x_test.min()))
            hi = float(max(ds.x_train.max(), ds.x_test.max()))
            xs = np.linspace(lo, hi, CURVE_POINTS)
            return OutputSample(kind="curve", values=np.asarray(net.predict(xs[:, None], ws), dtype=np.float64), xs=xs)
        if ds.n_inputs == 2 and not ds.is_regression:
            both = np.concatenate([ds.x_train, ds.x_test])
            lo = both.min(axis=0) - 0.5
            hi = both.max(axis=0) + 0.5
            gx = np.linspace(lo[0], hi[0], GRID_SIZE)
            gy = np.linspace(lo[1], hi[1], GRID_SIZE)
            xx, yy = np.meshgrid(gx, gy)
            pts = np.column_stack([xx.ravel(), yy.ravel()])
            logits = net.predict(pts, ws)
            shifted = logits - logits.max(axis=1, keepdims=True)
            p = np.exp(shifted)
            p /= p.sum(axis=1, keepdims=True)
            extent = (float(lo[0]), float(hi[0]), float(lo[1]), float(hi[1]))
            probs = np.asarray(p.reshape(GRID_SIZE, GRID_SIZE, -1), dtype=np.float64)
            return OutputSample(kind="grid", values=probs, extent=extent)
        pred = np.argmax(net.predict(x_test, ws), axis=1)
        c = ds.n_outputs
        conf = np.zeros((c, c))
        np.add.at(conf, (np.asarray(ds.y_test, dtype=np.intp), pred), 1.0)
        return OutputSample(kind="confusion", values=conf)
