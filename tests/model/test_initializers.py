"""Weight initialisers against their theoretical moments, bounds and orthogonality."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

from model.config import INIT_NAMES, ExperimentConfig
from model.initializers import init_std, initialize
from model.network import Network

SHAPES = [(400, 300), (300, 400)]

# Independent statement of each uniform scheme's bound (scale = 1).
UNIFORM_BOUNDS = {
    "uniform": lambda fi, fo: 1.0,
    "glorot_standard": lambda fi, fo: 1.0 / math.sqrt(fi),
    "xavier_uniform": lambda fi, fo: math.sqrt(6.0 / (fi + fo)),
    "he_uniform": lambda fi, fo: math.sqrt(6.0 / fi),
}
# Independent statement of each Gaussian scheme's std (scale = 1).
NORMAL_STDS = {
    "normal": lambda fi, fo: 1.0,
    "xavier_normal": lambda fi, fo: math.sqrt(2.0 / (fi + fo)),
    "he_normal": lambda fi, fo: math.sqrt(2.0 / fi),
    "lecun_normal": lambda fi, fo: math.sqrt(1.0 / fi),
    "orthogonal": lambda fi, fo: 1.0 / math.sqrt(max(fi, fo)),
}


def test_every_scheme_is_covered() -> None:
    assert set(UNIFORM_BOUNDS) | set(NORMAL_STDS) == set(INIT_NAMES)


def test_init_std_matches_the_textbook_formula() -> None:
    for name in INIT_NAMES:
        for fi, fo in [(400, 300), (3, 50), (64, 64)]:
            if name in UNIFORM_BOUNDS:
                expected = UNIFORM_BOUNDS[name](fi, fo) / math.sqrt(3.0)  # std of U(-b, b)
            else:
                expected = NORMAL_STDS[name](fi, fo)
            assert init_std(name, fi, fo, 1.0) == pytest.approx(expected, rel=1e-12), name
            assert init_std(name, fi, fo, 2.5) == pytest.approx(2.5 * expected, rel=1e-12), name


def test_unknown_init_name_raises() -> None:
    with pytest.raises(ValueError, match="bogus"):
        init_std("bogus", 3, 3, 1.0)
    with pytest.raises(ValueError, match="bogus"):
        initialize("bogus", 3, 3, 1.0, np.random.default_rng(0))


@pytest.mark.parametrize("name", INIT_NAMES)
def test_empirical_std_and_mean(name: str) -> None:
    for fi, fo in SHAPES:
        w = initialize(name, fi, fo, 1.0, np.random.default_rng(7))
        assert w.shape == (fi, fo)
        assert w.dtype == np.float64
        expected = init_std(name, fi, fo, 1.0)
        assert np.std(w) == pytest.approx(expected, rel=0.02)
        # the mean of n iid draws has std sigma/sqrt(n); 5 of those is far out in the tail
        assert abs(np.mean(w)) < 5.0 * expected / math.sqrt(w.size)


@pytest.mark.parametrize("name", sorted(UNIFORM_BOUNDS))
def test_uniform_schemes_respect_and_fill_their_bound(name: str) -> None:
    for (fi, fo), scale in itertools.product([*SHAPES, (5, 7), (64, 64)], (1.0, 3.0)):
        w = initialize(name, fi, fo, scale, np.random.default_rng(1))
        bound = scale * UNIFORM_BOUNDS[name](fi, fo)
        assert np.abs(w).max() <= bound
        if w.size >= 10_000:
            # a uniform draw of 120k values reaches within 0.1 % of both ends
            assert w.max() > 0.999 * bound and w.min() < -0.999 * bound


def test_gaussian_schemes_have_gaussian_tails() -> None:
    for name in sorted(set(NORMAL_STDS) - {"orthogonal"}):
        w = initialize(name, 400, 300, 1.0, np.random.default_rng(3))
        z = w / init_std(name, 400, 300, 1.0)
        # kurtosis 3 for a Gaussian (1.8 for a uniform); a tail beyond 4 sigma exists for 120k draws
        assert np.mean(z**4) == pytest.approx(3.0, abs=0.1), name
        assert np.abs(z).max() > 4.0, name


@pytest.mark.parametrize("name", INIT_NAMES)
def test_init_scale_is_a_gain(name: str) -> None:
    base = initialize(name, 300, 200, 1.0, np.random.default_rng(11))
    for scale in (0.01, 0.5, 2.0, 20.0):
        w = initialize(name, 300, 200, scale, np.random.default_rng(11))
        # same random stream: the matrix itself scales, so the std scales exactly linearly
        np.testing.assert_allclose(w, scale * base, rtol=1e-12, atol=1e-15 * scale)
        assert np.std(w) == pytest.approx(scale * np.std(base), rel=1e-12)
        assert np.std(w) == pytest.approx(init_std(name, 300, 200, scale), rel=0.03)
    assert not initialize(name, 30, 20, 0.0, np.random.default_rng(0)).any()


def test_orthogonal_rows_or_columns_are_orthonormal() -> None:
    shapes = [(400, 300), (300, 400), (50, 50), (7, 3), (3, 7), (1, 9)]
    for (fi, fo), scale in itertools.product(shapes, (1.0, 2.5, 0.1)):
        w = initialize("orthogonal", fi, fo, scale, np.random.default_rng(5))
        assert w.shape == (fi, fo)
        gram = w.T @ w if fi >= fo else w @ w.T
        np.testing.assert_allclose(gram, scale**2 * np.eye(min(fi, fo)), rtol=0, atol=1e-10 * scale**2)
        if w.size <= 2500:
            # every singular value equals the gain
            np.testing.assert_allclose(np.linalg.svd(w, compute_uv=False), scale, rtol=1e-10)


def test_orthogonal_is_not_a_fixed_matrix() -> None:
    a = initialize("orthogonal", 20, 20, 1.0, np.random.default_rng(0))
    b = initialize("orthogonal", 20, 20, 1.0, np.random.default_rng(1))
    assert not np.allclose(a, b)
    assert not np.allclose(np.abs(a), np.eye(20))


def test_initialize_is_seeded() -> None:
    for name in INIT_NAMES:
        a = initialize(name, 30, 40, 1.0, np.random.default_rng(42))
        b = initialize(name, 30, 40, 1.0, np.random.default_rng(42))
        c = initialize(name, 30, 40, 1.0, np.random.default_rng(43))
        assert np.array_equal(a, b), name
        assert not np.array_equal(a, c), name


@pytest.mark.parametrize(("batch_norm", "dtype"), [(False, "float64"), (True, "float32")])
def test_network_starts_with_zero_biases_and_unit_gammas(batch_norm: bool, dtype: str) -> None:
    cfg = ExperimentConfig(depth=4, width=16, batch_norm=batch_norm, init="he_normal", dtype=dtype)
    net = Network(cfg, 2, 3, np.random.default_rng(0))
    assert net.params.dtype == np.dtype(dtype)
    assert len(net.biases) == cfg.depth + 1
    for b in net.biases:
        assert b.dtype == np.dtype(dtype) and not b.any()
    if batch_norm:
        assert len(net.gammas) == len(net.betas) == cfg.depth
        for g, be in zip(net.gammas, net.betas, strict=True):
            assert g.shape == (cfg.width,) and np.all(g == 1.0)
            assert not be.any()
        for m, v in zip(net.running_mean, net.running_var, strict=True):
            assert not m.any() and np.all(v == 1.0)
    else:
        assert net.gammas == [] and net.betas == []
    # weights are not zero, and every weight is a view into the flat buffer
    for w in net.weights:
        assert np.shares_memory(w, net.params) and w.std() > 0


def test_network_draws_each_layer_with_its_own_fans() -> None:
    # fan_in differs between the first layer (2) and the hidden ones (256): he_normal's std does too
    cfg = ExperimentConfig(depth=3, width=256, init="he_normal", init_scale=1.5)
    net = Network(cfg, 2, 10, np.random.default_rng(0))
    assert [w.shape for w in net.weights] == [(2, 256), (256, 256), (256, 256), (256, 10)]
    for w in net.weights:
        fi = w.shape[0]
        expected = 1.5 * math.sqrt(2.0 / fi)
        assert np.std(w) == pytest.approx(expected, rel=0.1)


def test_bias_std_draws_normal_biases_and_leaves_the_weights_alone() -> None:
    cfg = ExperimentConfig(depth=3, width=256, init="he_normal")
    plain = Network(cfg, 2, 10, np.random.default_rng(0))
    noisy = Network(cfg.replace(bias_std=0.3), 2, 10, np.random.default_rng(0))
    for a, b in zip(plain.weights, noisy.weights, strict=True):
        assert np.array_equal(a, b)
    every = np.concatenate(noisy.biases)
    assert every.size == 3 * 256 + 10
    assert np.mean(every) == pytest.approx(0.0, abs=0.03)
    assert np.std(every) == pytest.approx(0.3, rel=0.08)
    # saved and loaded like every field
    assert ExperimentConfig.from_dict(cfg.replace(bias_std=0.3).to_dict()).bias_std == 0.3
