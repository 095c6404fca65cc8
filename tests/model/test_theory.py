"""Mean-field theory (model/theory.py) against closed forms, Monte-Carlo estimates, wide random
networks and the engine's own measured gradients."""

from __future__ import annotations

import math

import numpy as np
import pytest

from model.activations import ACTIVATION_NAMES, get_activation
from model.config import INIT_NAMES, ExperimentConfig
from model.datasets import make_dataset
from model.network import Network
from model.theory import (
    CLOSED_FORM,
    critical_sigma_w,
    depth_scale,
    gauss_expectation,
    mean_field,
    moments,
    predict,
    sigma_w,
)

PREDICTED = [a for a in ACTIVATION_NAMES if a != "noisy_relu"]


def _mc_moments(name: str, q: float, n: int = 2_000_000, seed: int = 0) -> tuple[float, float, float, float]:
    """Monte-Carlo E[φ(√q z)²], E[φ′(√q z)²] and their standard errors."""
    act = get_activation(name)
    u = math.sqrt(q) * np.random.default_rng(seed).standard_normal(n)
    h = act.fn(u)
    a, b = h * h, act.grad(u, h) ** 2
    return float(a.mean()), float(b.mean()), float(a.std() / math.sqrt(n)), float(b.std() / math.sqrt(n))


@pytest.mark.parametrize("name", sorted(CLOSED_FORM))
@pytest.mark.parametrize("q", [1e-3, 0.3, 1.0, 4.0, 25.0])
def test_closed_forms_match_quadrature(name: str, q: float) -> None:
    act = get_activation(name)

    def sq(u: np.ndarray) -> np.ndarray:
        return act.fn(u) ** 2

    def dsq(u: np.ndarray) -> np.ndarray:
        return act.grad(u, act.fn(u)) ** 2

    closed = moments(name, q)
    assert closed[0] == pytest.approx(gauss_expectation(sq, q, kinked=True), rel=1e-9)
    assert closed[1] == pytest.approx(gauss_expectation(dsq, q, kinked=True), rel=1e-9)


@pytest.mark.parametrize("name", PREDICTED)
@pytest.mark.parametrize("q", [0.05, 1.0, 9.0])
def test_moments_match_monte_carlo(name: str, q: float) -> None:
    e_sq, e_dsq = moments(name, q)
    mc_sq, mc_dsq, se_sq, se_dsq = _mc_moments(name, q)
    assert abs(e_sq - mc_sq) < 5 * se_sq + 1e-12
    assert abs(e_dsq - mc_dsq) < 5 * se_dsq + 1e-12


@pytest.mark.parametrize(
    ("name", "sw", "sb"),
    [
        ("tanh", 1.5, 0.1),
        ("tanh", 0.8, 0.3),
        ("tanh", 3.0, 0.5),
        ("sigmoid", 4.0, 0.2),
        ("softsign", 2.0, 0.2),
        ("gelu", 1.3, 0.3),
        ("softplus", 1.0, 0.1),
        ("elu", 1.2, 0.1),
        ("selu", 1.0, 0.0),
        ("relu", 1.2, 0.3),
    ],
)
def test_fixed_point_and_chi1_match_monte_carlo(name: str, sw: float, sb: float) -> None:
    mf = mean_field(name, sw, sb)
    assert mf.q_star is not None and mf.chi1 is not None and 0 < mf.q_star < math.inf
    mc_sq, mc_dsq, se_sq, se_dsq = _mc_moments(name, mf.q_star, seed=1)
    # q* is a fixed point of the variance map, χ₁ the mean squared slope there
    assert abs(sw * sw * mc_sq + sb * sb - mf.q_star) < 5 * sw * sw * se_sq + 1e-9
    assert abs(sw * sw * mc_dsq - mf.chi1) < 5 * sw * sw * se_dsq + 1e-9


@pytest.mark.parametrize(("name", "sw", "sb"), [("tanh", 1.5, 0.1), ("tanh", 2.5, 0.4), ("sigmoid", 3.0, 0.5)])
def test_fixed_point_matches_a_wide_random_network(name: str, sw: float, sb: float) -> None:
    """Propagate a batch through 40 random layers of width 2000: the empirical pre-activation
    variance of the last layers is q*."""
    rng = np.random.default_rng(7)
    act = get_activation(name)
    n = 2000
    h = rng.standard_normal((64, n))
    qs = []
    for _ in range(40):
        w = rng.normal(0.0, sw / math.sqrt(n), (n, n))
        b = rng.normal(0.0, sb, n)
        z = h @ w + b
        qs.append(float(np.mean(z * z)))
        h = act.fn(z)
    mf = mean_field(name, sw, sb)
    assert np.mean(qs[-10:]) == pytest.approx(mf.q_star, rel=0.03)


def test_closed_form_values() -> None:
    for sw in (0.5, 1.0, math.sqrt(2.0), 2.0):
        mf = mean_field("relu", sw)
        assert mf.chi1 == pytest.approx(sw * sw / 2)  # ReLU: χ₁ = σ_w²/2, whatever q*
    assert mean_field("relu", math.sqrt(2.0)).depth_scale == math.inf
    assert mean_field("relu", 1.0, 0.5).q_star == pytest.approx(0.25 / 0.5)  # σ_b²/(1 − σ_w²/2)
    assert mean_field("relu", 2.0, 0.5).q_star == math.inf
    assert mean_field("linear", 0.8).chi1 == pytest.approx(0.64)
    assert mean_field("leaky_relu", 1.0, leaky_slope=0.2).chi1 == pytest.approx(0.5 * 1.04)
    # tanh with σ_b = 0: q* = 0 up to σ_w = 1, so χ₁ = σ_w² there; the edge of chaos is σ_w = 1
    edge = mean_field("tanh", 1.0)
    assert edge.q_star == 0.0 and edge.chi1 == pytest.approx(1.0) and edge.depth_scale == math.inf
    assert mean_field("tanh", 0.6).chi1 == pytest.approx(0.36)
    assert critical_sigma_w("tanh", 0.0) == pytest.approx(1.0, abs=1e-6)
    # with bias noise the critical σ_w moves up (Schoenholz et al. 2017, Fig. 1)
    crit = critical_sigma_w("tanh", 0.3)
    assert crit is not None and 1.2 < crit < 1.6
    assert mean_field("tanh", crit, 0.3).chi1 == pytest.approx(1.0, abs=1e-9)
    assert depth_scale(math.exp(-0.5)) == pytest.approx(2.0)
    assert depth_scale(math.exp(0.25)) == pytest.approx(4.0)


def test_no_prediction_is_said_not_guessed() -> None:
    noisy = mean_field("noisy_relu", 1.4)
    assert not noisy.predicted and noisy.chi1 is None and noisy.q_star is None and noisy.depth_scale is None
    assert "Noisy ReLU" in noisy.reason
    base = ExperimentConfig(activation="tanh", init="lecun_normal")
    for change, word in (({"batch_norm": True}, "batch norm"), ({"residual": True}, "residual")):
        mf = predict(base.replace(**change))
        assert not mf.predicted and word in mf.reason
    assert predict(base).predicted
    with pytest.raises(ValueError, match="unknown activation"):
        mean_field("swish", 1.0)


@pytest.mark.parametrize("init", INIT_NAMES)
@pytest.mark.parametrize("gain", [0.5, 1.7])
def test_sigma_w_is_fan_in_times_the_weight_variance(init: str, gain: float) -> None:
    cfg = ExperimentConfig(depth=3, width=256, init=init, init_scale=gain)
    net = Network(cfg, 2, 3, np.random.default_rng(0))
    hidden = np.concatenate([net.weights[1].ravel(), net.weights[2].ravel()])  # 256 → 256
    measured = 256 * float(np.mean(hidden * hidden))
    assert sigma_w(cfg) ** 2 == pytest.approx(measured, rel=0.02)


def _engine_slope(cfg: ExperimentConfig) -> float:
    """Per-layer slope of ln ‖∂L/∂z‖ over hidden layers 5–25 at initialisation, one batch of 256."""
    data = make_dataset(cfg)
    net = Network(cfg, data.n_inputs, data.n_outputs, np.random.default_rng([cfg.seed, 2]))
    grads = net.gradients(data.x_train[:256], data.y_train[:256])
    norms = np.array([np.linalg.norm(d) for d in grads.deltas[: cfg.depth]])
    layers = np.arange(5, 26)
    return float(np.polyfit(layers, np.log(norms[layers - 1]), 1)[0])


@pytest.mark.parametrize(
    ("act", "init", "gain", "sb", "tol"),
    [
        ("tanh", "lecun_normal", 0.6, 0.0, 0.01),
        ("tanh", "lecun_normal", 1.4, 0.0, 0.01),
        ("tanh", "lecun_normal", 2.0, 0.0, 0.01),
        ("tanh", "lecun_normal", 1.5, 0.3, 0.01),
        ("tanh", "lecun_normal", 0.9, 0.5, 0.015),
        ("relu", "lecun_normal", 1.0, 0.0, 0.01),
        ("relu", "he_normal", 1.0, 0.0, 0.01),
        ("sigmoid", "xavier_normal", 1.0, 0.0, 0.02),
    ],
)
def test_engine_gradient_slopes_match_the_theory(act: str, init: str, gain: float, sb: float, tol: float) -> None:
    """The engine's measured per-layer slope of ln ‖∂L/∂z‖ is −½ ln χ₁ (PITFALLS: 'Mean-field
    check'): tanh 0.511 / −0.047 / −0.154 at gains 0.6 / 1.4 / 2.0, ReLU ½ ln 2."""
    cfg = ExperimentConfig(
        depth=30, width=256, activation=act, init=init, init_scale=gain, bias_std=sb, n_samples=400, test_fraction=0.25
    )
    mf = predict(cfg)
    assert mf.chi1 is not None
    measured = _engine_slope(cfg)
    assert measured == pytest.approx(-0.5 * math.log(mf.chi1), abs=tol)
