"""Central finite differences against Network.gradients() in float64, every parameter."""

from __future__ import annotations

import numpy as np
import pytest

from model.activations import ACTIVATION_NAMES
from model.config import ExperimentConfig
from model.network import Network


def _fd_check(cfg: ExperimentConfig, n_in: int = 3, n_out: int = 3, batch: int = 6, seed: int = 0) -> None:
    rng = np.random.default_rng(seed)
    net = Network(cfg, n_in, n_out, np.random.default_rng(seed + 1))
    # Non-zero biases and BN parameters so every term of the gradient is exercised.
    net.params[net.n_weight_params :] = rng.normal(0.0, 0.3, net.n_params - net.n_weight_params)
    for g in net.gammas:
        g += 1.0
    x = rng.normal(0.0, 1.0, (batch, n_in))
    if cfg.is_regression:
        y = rng.normal(0.0, 1.0, (batch, n_out))
    else:
        y = rng.integers(0, n_out, batch)
    grads = net.gradients(x, y)
    eps = 1e-6
    numeric = np.empty(net.n_params)
    for i in range(net.n_params):
        old = net.params[i]
        net.params[i] = old + eps
        up = net.gradients(x, y).loss
        net.params[i] = old - eps
        down = net.gradients(x, y).loss
        net.params[i] = old
        numeric[i] = (up - down) / (2 * eps)
    scale = np.maximum(1.0, np.abs(numeric))
    err = np.abs(grads.flat - numeric) / scale
    assert err.max() < 1e-6, f"max relative error {err.max():.2e} at parameter {err.argmax()}"
    # the list views are the same numbers as the flat buffer
    flat_weights = np.concatenate([w.ravel() for w in grads.weights])
    assert np.array_equal(flat_weights, grads.flat[: net.n_weight_params])


@pytest.mark.parametrize("loss", ["cross_entropy", "mse"])
@pytest.mark.parametrize("activation", ACTIVATION_NAMES)
def test_gradients_match_finite_differences(activation: str, loss: str) -> None:
    cfg = ExperimentConfig(depth=3, width=4, activation=activation, loss=loss, init="xavier_normal")
    _fd_check(cfg)


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "gelu", "softplus"])
@pytest.mark.parametrize(("batch_norm", "residual"), [(True, False), (False, True), (True, True)])
def test_gradients_with_remedies(activation: str, batch_norm: bool, residual: bool) -> None:
    cfg = ExperimentConfig(depth=3, width=4, activation=activation, batch_norm=batch_norm, residual=residual)
    _fd_check(cfg, n_in=4)


def test_regression_gradients() -> None:
    cfg = ExperimentConfig(dataset="sine", loss="mse", depth=2, width=5, activation="tanh")
    _fd_check(cfg, n_in=1, n_out=1)


def test_deltas_are_dl_dz() -> None:
    """deltas[i] = dL/dz_i: perturbing z via the bias of one sample's row is not possible, so
    check the identity dW_i = h_{i-1}^T delta_i and db_i = sum(delta_i) instead."""
    cfg = ExperimentConfig(depth=2, width=4, activation="tanh")
    net = Network(cfg, 2, 3, np.random.default_rng(0))
    rng = np.random.default_rng(1)
    x = rng.normal(size=(5, 2))
    y = rng.integers(0, 3, 5)
    g = net.gradients(x, y)
    cache = net.forward(x)
    inputs = [x, cache.h[0], cache.h[1]]
    for i in range(3):
        np.testing.assert_allclose(g.weights[i], inputs[i].T @ g.deltas[i], rtol=1e-12)
        np.testing.assert_allclose(g.biases[i], g.deltas[i].sum(axis=0), rtol=1e-12)
