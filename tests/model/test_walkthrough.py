"""backward_walk: the per-layer factors of one exact backward pass, and its live wiring."""

from __future__ import annotations

import math
import multiprocessing as mp
import warnings

import numpy as np
import pytest

from model.config import ExperimentConfig
from model.trainer import Trainer
from model.walkthrough import BackwardWalk, LayerFactor, backward_walk, frobenius


def _trainer(**kwargs: object) -> Trainer:
    defaults: dict[str, object] = {"n_samples": 200, "batch_size": 32}
    return Trainer(ExperimentConfig(**{**defaults, **kwargs}))  # type: ignore[arg-type]


def _walk(**kwargs: object) -> tuple[BackwardWalk, Trainer, np.ndarray, np.ndarray]:
    trainer = _trainer(**kwargs)
    x, y = trainer._next_batch()
    return backward_walk(trainer.network, x, y, step=7), trainer, x, y


def test_walk_is_ordered_output_to_input_and_described() -> None:
    walk, trainer, _, _ = _walk(depth=5, width=8)
    net = trainer.network
    assert walk.step == 7 and walk.activation == "sigmoid"
    assert walk.n_layers == net.n_layers == 6
    assert [f.layer for f in walk.layers] == [5, 4, 3, 2, 1, 0]
    out = walk.layers[0]
    assert out.mean_fprime == 1.0 and out.max_fprime == 1.0
    assert math.isnan(out.weight_gain) and math.isnan(out.factor)
    assert out.running_product == 1.0
    assert all(isinstance(f, LayerFactor) for f in walk.layers)


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"activation": "relu", "init": "he_normal"},
        {"activation": "tanh", "residual": True},
        {"batch_norm": True},
        {"dtype": "float32"},
    ],
)
def test_factors_multiply_to_the_running_product(kwargs: dict[str, object]) -> None:
    walk, _, _, _ = _walk(depth=6, width=16, **kwargs)
    product = 1.0
    for f in walk.layers[1:]:
        product *= f.factor
        assert f.running_product == pytest.approx(product, rel=1e-9)
    assert walk.layers[-1].running_product == pytest.approx(
        walk.layers[-1].delta_norm / walk.layers[0].delta_norm, rel=1e-12
    )


@pytest.mark.parametrize("kwargs", [{}, {"batch_norm": True}, {"residual": True, "activation": "tanh"}])
def test_running_product_matches_network_gradients(kwargs: dict[str, object]) -> None:
    walk, trainer, x, y = _walk(depth=6, width=16, **kwargs)
    deltas = trainer.network.gradients(x, y).deltas  # an independent path: input → output order
    norms = [float(np.linalg.norm(d)) for d in deltas]
    assert walk.layers[-1].running_product == pytest.approx(norms[0] / norms[-1], rel=1e-9)
    for f in walk.layers:
        assert f.delta_norm == pytest.approx(norms[f.layer], rel=1e-9)


def test_walk_does_not_touch_the_network_or_the_batch_statistics() -> None:
    trainer = _trainer(depth=4, width=8, batch_norm=True)
    net = trainer.network
    params = net.params.copy()
    running = [m.copy() for m in net.running_mean]
    x, y = trainer._next_batch()
    backward_walk(net, x, y)
    np.testing.assert_array_equal(net.params, params)
    for before, after in zip(running, net.running_mean, strict=True):
        np.testing.assert_array_equal(before, after)


def test_sigmoid_fprime_is_at_most_a_quarter() -> None:
    walk, _, _, _ = _walk(depth=8, width=16)
    for f in walk.layers[1:]:
        assert 0.0 < f.mean_fprime <= f.max_fprime <= 0.25


def test_relu_mean_fprime_is_the_fraction_of_positive_preactivations() -> None:
    walk, trainer, x, _ = _walk(depth=5, width=16, activation="relu", init="he_normal")
    u = trainer.network.forward(x, train=True).u
    for f in walk.layers[1:]:
        assert f.mean_fprime == pytest.approx(float(np.mean(u[f.layer] > 0.0)), abs=1e-12)
        assert f.max_fprime == 1.0


def test_deep_sigmoid_vanishes_while_relu_he_does_not() -> None:
    sigmoid, _, _, _ = _walk(depth=10, width=32, activation="sigmoid", init="xavier_normal")
    assert sigmoid.layers[-1].running_product < 1e-3
    relu, _, _, _ = _walk(depth=10, width=32, activation="relu", init="he_normal")
    assert 1e-2 <= relu.layers[-1].running_product <= 1e2


def test_linear_layer_factor_is_its_weight_gain() -> None:
    walk, _, _, _ = _walk(depth=5, width=16, activation="linear")
    for f in walk.layers[1:]:
        assert f.mean_fprime == 1.0 and f.fprime_gain == 1.0
        assert f.factor == f.weight_gain


def test_plain_layer_factor_is_weight_gain_times_fprime_gain() -> None:
    walk, _, _, _ = _walk(depth=5, width=16, activation="relu", init="he_normal")
    for f in walk.layers[1:]:
        assert f.factor == pytest.approx(f.weight_gain * f.fprime_gain, rel=1e-12)
        assert not f.skip


def test_weight_gain_is_the_weight_path_alone() -> None:
    walk, trainer, x, y = _walk(depth=4, width=8, activation="tanh", residual=True)
    net = trainer.network
    deltas = net.gradients(x, y).deltas
    for f in walk.layers[1:]:
        upstream = deltas[f.layer + 1]
        expected = frobenius(upstream @ net.weights[f.layer + 1].T) / frobenius(upstream)
        assert f.weight_gain == pytest.approx(expected, rel=1e-12)
    # the step into the last hidden layer comes from the (non-residual) output layer
    assert [f.skip for f in walk.layers[1:]] == [False, True, True, True]
    assert walk.residual and not walk.batch_norm


def test_diverged_network_is_walked_without_raising() -> None:
    trainer = _trainer(depth=5, width=8)
    trainer.network.weights[2][...] = np.inf
    x, y = trainer._next_batch()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        walk = backward_walk(trainer.network, x, y)
    assert walk.n_layers == 6
    values = [v for f in walk.layers for v in (f.delta_norm, f.factor, f.running_product)]
    assert not all(math.isfinite(v) for v in values)


def test_a_gradient_that_died_gives_zero_then_nan_not_an_error() -> None:
    trainer = _trainer(depth=3, width=8)
    net = trainer.network
    x, y = trainer._next_batch()
    for w in net.weights:
        w[...] = 0.0  # δ_l = δ_{l+1} Wᵀ = 0 below the output layer
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        walk = backward_walk(net, x, y)
    assert walk.layers[0].delta_norm > 0.0
    assert walk.layers[1].factor == 0.0 and walk.layers[1].running_product == 0.0
    assert math.isnan(walk.layers[2].factor)  # 0 / 0: no signal left to scale
    assert walk.layers[2].running_product == 0.0


# -- live wiring: the engine loop answers ("walk",) ---------------------------------------
def _drain(conn) -> list[tuple]:  # type: ignore[no-untyped-def]
    out = []
    while conn.poll(0.2):
        out.append(conn.recv())
    return out


def test_engine_loop_answers_walk_with_a_backward_walk() -> None:
    from app.engine_process import EngineLoop

    ours, theirs = mp.Pipe()
    loop = EngineLoop(theirs)
    loop.handle(("walk",))  # no network yet: nothing happens
    assert _drain(ours) == []
    cfg = ExperimentConfig(depth=6, width=8, n_samples=200)
    loop.handle(("reset", cfg.to_dict()))
    loop.handle(("play",))
    assert loop.playing
    loop.handle(("walk",))
    assert not loop.playing  # a walk freezes training
    walks = [m for m in _drain(ours) if m[0] == "walk"]
    assert len(walks) == 1
    walk = walks[0][1]
    assert isinstance(walk, BackwardWalk)
    assert walk.n_layers == cfg.depth + 1
    assert walk.step == loop.trainer.step_count  # type: ignore[union-attr]
    ours.close()
    theirs.close()
