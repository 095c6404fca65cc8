"""Trainer: determinism, exact per-step statistics, clipping, divergence, detail snapshots,
learning behaviour and live changes.  Expected values are recomputed independently from the
network's forward/gradients on the very batch the trainer drew."""

from __future__ import annotations

import dataclasses
import math
import warnings
from typing import Any

import numpy as np
import pytest

from model.activations import get_activation
from model.config import ConfigError, ExperimentConfig
from model.losses import cross_entropy
from model.network import Gradients
from model.optimizers import SGD, Adam
from model.snapshot import (
    ACTIVATION_BINS,
    GRADIENT_LOG_BINS,
    LAYER_STAT_NAMES,
    PREACTIVATION_BINS,
    OutputSample,
    Snapshot,
)
from model.trainer import LIVE_FIELDS, Trainer

SMALL = {"depth": 4, "width": 16, "n_samples": 300}


class BatchSpy:
    """Replaces ``trainer._next_batch``: records each batch and, before the step touches
    anything, the parameters, the exact gradients and the forward pass on that batch."""

    def __init__(self, trainer: Trainer) -> None:
        self.trainer = trainer
        self.original = trainer._next_batch
        self.records: list[dict[str, Any]] = []
        trainer._next_batch = self  # type: ignore[method-assign]

    def __call__(self) -> tuple[np.ndarray, np.ndarray]:
        x, y = self.original()
        net = self.trainer.network
        with np.errstate(all="ignore"):
            cache = net.forward(x, train=True)
            grads = net.gradients(x, y)
        self.records.append(
            {
                "x": x.copy(),
                "y": np.array(y, copy=True),
                "params": net.params.copy(),
                "weights": [w.copy() for w in net.weights],
                "cache": cache,
                "grads": grads,
            }
        )
        return x, y

    @property
    def last(self) -> dict[str, Any]:
        return self.records[-1]


def _norm(a: np.ndarray) -> float:
    return float(np.sqrt(np.sum(np.asarray(a, dtype=np.float64) ** 2)))


def expected_stats(trainer: Trainer, rec: dict[str, Any]) -> dict[str, np.ndarray]:
    """Every per-layer statistic of one step, from first principles (loops, no trainer code)."""
    net = trainer.network
    cache = rec["cache"]
    grads: Gradients = rec["grads"]
    act = get_activation(net.config.activation, net.config.leaky_slope)
    outs = [*list(cache.h), cache.logits]
    n = net.n_layers
    e: dict[str, np.ndarray] = {name: np.zeros(n) for name in LAYER_STAT_NAMES}
    for i in range(n):
        w_before = rec["weights"][i]
        e["weight_norm"][i] = _norm(w_before)
        e["weight_grad_norm"][i] = _norm(grads.weights[i])
        e["bias_grad_norm"][i] = _norm(grads.biases[i])
        e["delta_norm"][i] = _norm(grads.deltas[i])
        e["update_ratio"][i] = _norm(net.weights[i] - w_before) / _norm(w_before)
        out = np.asarray(outs[i], dtype=np.float64)
        e["activation_mean"][i] = out.mean()
        e["activation_std"][i] = out.std()
        e["zero_fraction"][i] = np.mean(out == 0.0)
        e["dead_fraction"][i] = np.mean(np.all(out == 0.0, axis=0))
        if i < net.depth:
            u = cache.u[i]
            fprime = act.grad(u, act.fn(u))
            e["saturated_fraction"][i] = np.mean(fprime <= 0.1 * act.max_grad)
    return e


def assert_snapshots_identical(a: Snapshot, b: Snapshot) -> None:
    for f in dataclasses.fields(Snapshot):
        va, vb = getattr(a, f.name), getattr(b, f.name)
        if f.name == "stats":
            assert va.keys() == vb.keys()
            for k in va:
                assert va[k].tobytes() == vb[k].tobytes(), k
        elif isinstance(va, np.ndarray):
            assert va.tobytes() == vb.tobytes(), f.name
        elif f.name == "probe" and va is not None:
            assert len(va) == len(vb)
            for pa, pb in zip(va, vb, strict=True):
                assert pa.tobytes() == pb.tobytes()
        elif isinstance(va, OutputSample):
            assert va.kind == vb.kind and va.extent == vb.extent
            assert va.values.tobytes() == vb.values.tobytes()
            assert (va.xs is None) == (vb.xs is None)
            if va.xs is not None:
                assert va.xs.tobytes() == vb.xs.tobytes()
        else:
            assert va == vb or (isinstance(va, float) and math.isnan(va) and math.isnan(vb)), f.name


# -- determinism ------------------------------------------------------------------------------

DETERMINISM_CONFIGS = {
    "default_sigmoid": {},
    "noisy_relu": {"activation": "noisy_relu", "init": "he_normal", **SMALL},
    "batch_norm": {"activation": "relu", "batch_norm": True, "residual": True, **SMALL},
    "adam_digits": {"dataset": "digits", "optimizer": "adam", "learning_rate": 0.01, **SMALL},
    "sine_float32": {"dataset": "sine", "loss": "mse", "activation": "tanh", "dtype": "float32", **SMALL},
}


@pytest.mark.parametrize("overrides", DETERMINISM_CONFIGS.values(), ids=DETERMINISM_CONFIGS.keys())
def test_same_config_gives_bit_identical_snapshots(overrides: dict[str, Any]) -> None:
    cfg = ExperimentConfig(**overrides)
    a, b = Trainer(cfg), Trainer(cfg)
    for i in range(1, 31):
        detail = i % 5 == 0
        sa, sb = a.step(detail=detail), b.step(detail=detail)
        assert sa.detail == detail
        assert_snapshots_identical(sa, sb)
    assert a.network.params.tobytes() == b.network.params.tobytes()
    assert sa.activation_hists is not None and sa.probe is not None and sa.output is not None


def test_different_seeds_differ() -> None:
    a = Trainer(ExperimentConfig(seed=1, **SMALL))
    b = Trainer(ExperimentConfig(seed=2, **SMALL))
    assert not np.array_equal(a.network.params, b.network.params)
    sa, sb = a.step(), b.step()
    assert sa.loss != sb.loss
    assert not np.array_equal(sa.stats["weight_norm"], sb.stats["weight_norm"])


# -- every-step statistics ----------------------------------------------------------------------

STAT_CONFIGS = {
    "relu": {"activation": "relu", "init": "he_normal", "depth": 5, "width": 16, "learning_rate": 0.05},
    "sigmoid": {"activation": "sigmoid", "init": "xavier_normal", "init_scale": 4.0, "depth": 4, "width": 16},
    "tanh_bn_residual": {
        "activation": "tanh",
        "batch_norm": True,
        "residual": True,
        "depth": 3,
        "width": 12,
        "momentum": 0.9,
    },
}


def _trainer_with_dead_units(overrides: dict[str, Any]) -> Trainer:
    t = Trainer(ExperimentConfig(n_samples=400, batch_size=50, **overrides))
    # hidden layer 2: four units pushed far below zero are dead for every sample under ReLU
    t.network.biases[2][:4] = -50.0
    return t


@pytest.mark.parametrize("overrides", STAT_CONFIGS.values(), ids=STAT_CONFIGS.keys())
def test_every_step_statistics_match_direct_recomputation(overrides: dict[str, Any]) -> None:
    t = _trainer_with_dead_units(overrides)
    spy = BatchSpy(t)
    seen_nontrivial = {"dead": False, "saturated": False}
    for _ in range(6):
        snap = t.step()
        rec = spy.last
        e = expected_stats(t, rec)
        assert snap.n_layers == t.network.n_layers == len(snap.layer_sizes) - 1
        assert snap.loss == pytest.approx(rec["grads"].loss, rel=1e-12)
        assert snap.grad_norm == pytest.approx(_norm(rec["grads"].flat), rel=1e-10)
        for name in LAYER_STAT_NAMES:
            got = snap.stats[name]
            assert got.shape == (t.network.n_layers,), name
            assert got.dtype == np.float64, name
            # (the output layer's weight_norm/update_ratio once counted every bias: reduceat overrun)
            np.testing.assert_allclose(got, e[name], rtol=1e-9, atol=1e-14, err_msg=name)
        # LayerStats rows are the same numbers
        for row in snap.layers:
            assert row.delta_norm == snap.stats["delta_norm"][row.index]
        seen_nontrivial["dead"] |= bool(np.any(e["dead_fraction"] > 0))
        seen_nontrivial["saturated"] |= bool(np.any((e["saturated_fraction"] > 0) & (e["saturated_fraction"] < 1)))
        assert snap.stats["saturated_fraction"][-1] == 0.0  # the output layer is linear
    assert seen_nontrivial["saturated"]
    if overrides["activation"] == "relu":
        assert seen_nontrivial["dead"]
        assert snap.stats["dead_fraction"][2] >= 4 / 16


def test_writing_network_weights_changes_outputs_and_gradients() -> None:
    t = Trainer(ExperimentConfig(activation="relu", init="he_normal", **SMALL))
    net = t.network
    x, y = t.dataset.x_train[:32], t.dataset.y_train[:32]
    before_out = net.predict(x)
    before_grad = net.gradients(x, y).flat.copy()
    net.weights[0][...] *= 2.0
    assert np.shares_memory(net.weights[0], net.params)
    np.testing.assert_array_equal(net.forward(x, train=True).z[0], x @ net.weights[0] + net.biases[0])
    assert not np.allclose(net.predict(x), before_out)
    assert not np.allclose(net.gradients(x, y).flat, before_grad)
    # zero output layer: every logit is the (zero) output bias, and the next step sees it
    net.weights[-1][...] = 0.0
    assert not np.any(net.predict(x))
    snap = t.step()
    assert snap.stats["zero_fraction"][-1] == 1.0
    assert snap.stats["dead_fraction"][-1] == 1.0
    assert snap.stats["activation_std"][-1] == 0.0
    assert snap.loss == pytest.approx(math.log(t.dataset.n_outputs), rel=1e-12)  # uniform softmax


# -- snapshots are private, read-only copies ------------------------------------------------------


def test_snapshot_arrays_are_read_only_copies() -> None:
    t = Trainer(ExperimentConfig(**SMALL))
    snap = t.step(detail=True)
    saved = {k: v.copy() for k, v in snap.stats.items()}
    saved_hist = snap.activation_hists.copy()
    saved_probe = [p.copy() for p in snap.probe]
    arrays: list[np.ndarray] = [
        *snap.stats.values(),
        snap.activation_hists,
        snap.preactivation_hists,
        snap.weight_grad_hists,
        *snap.probe,
        snap.output.values,
    ]
    for arr in arrays:
        assert not arr.flags.writeable
        assert not np.shares_memory(arr, t.network.params)
        with pytest.raises(ValueError):
            arr[...] = 0.0
    # mutate the network and keep training: the old snapshot does not move
    t.network.params *= 3.0
    t.network.weights[0][...] = 1.0
    for _ in range(3):
        t.step(detail=True)
    for k, v in saved.items():
        np.testing.assert_array_equal(snap.stats[k], v)
    np.testing.assert_array_equal(snap.activation_hists, saved_hist)
    for p, q in zip(snap.probe, saved_probe, strict=True):
        np.testing.assert_array_equal(p, q)
    with pytest.raises(dataclasses.FrozenInstanceError):
        snap.loss = 0.0  # type: ignore[misc]


def test_snapshot_create_copies_its_inputs() -> None:
    stats = {name: np.arange(3.0) for name in LAYER_STAT_NAMES}
    snap = Snapshot.create(
        step=1, loss=1.0, grad_norm=1.0, clipped=False, diverged=False, stats=stats, layer_sizes=(2, 4, 3)
    )
    stats["loss_like"] = np.zeros(1)
    stats["weight_norm"][0] = 99.0
    assert snap.stats["weight_norm"][0] == 0.0 and "loss_like" not in snap.stats


# -- clipping --------------------------------------------------------------------------------------

CLIP_BASE = {"activation": "relu", "init": "he_normal", "learning_rate": 1.0, "momentum": 0.0, **SMALL}


def assert_update(before: np.ndarray, after: np.ndarray, expected_delta: np.ndarray) -> None:
    """``after == before + expected_delta`` up to the rounding of that one addition (and a
    relative 1e-12 of the update itself)."""
    err = np.abs((after - before) - expected_delta)
    tol = 4 * np.spacing(np.maximum(np.abs(before), np.abs(after))) + 1e-12 * np.abs(expected_delta)
    assert np.all(err <= tol), f"max excess {np.max(err - tol):.3e} at {int(np.argmax(err - tol))}"


def _step_update(overrides: dict[str, Any]) -> tuple[Snapshot, np.ndarray, np.ndarray, Gradients, float]:
    t = Trainer(ExperimentConfig(**{**CLIP_BASE, **overrides}))
    spy = BatchSpy(t)
    snap = t.step()
    return snap, spy.last["params"], t.network.params.copy(), spy.last["grads"], t.config.learning_rate


def _unclipped_norm() -> float:
    return _norm(_step_update({})[3].flat)


def test_global_norm_clipping_is_exact() -> None:
    c = _unclipped_norm() / 10.0  # the same first batch and weights, so the clip bites
    snap, before, after, grads, lr = _step_update({"grad_clip_norm": c})
    g = grads.flat
    gnorm = _norm(g)
    assert gnorm == pytest.approx(10.0 * c, rel=1e-12)
    assert snap.clipped is True
    assert snap.grad_norm == pytest.approx(gnorm, rel=1e-12)  # the reported norm is pre-clipping
    assert_update(before, after, -lr * g * (c / gnorm))
    assert _norm(after - before) == pytest.approx(lr * c, rel=1e-9)


def test_clip_norm_above_the_gradient_norm_does_not_clip() -> None:
    for c in (1.01 * _unclipped_norm(), 1e12):
        snap, before, after, grads, lr = _step_update({"grad_clip_norm": c})
        assert snap.clipped is False
        assert_update(before, after, -lr * grads.flat)


def test_value_clipping_clamps_each_component() -> None:
    g0 = _step_update({})[3].flat
    limit = float(np.median(np.abs(g0[g0 != 0])))  # half the non-zero components exceed it
    snap, before, after, grads, lr = _step_update({"grad_clip_value": limit})
    assert snap.clipped is True
    assert_update(before, after, -lr * np.clip(grads.flat, -limit, limit))
    assert np.abs(after - before).max() == pytest.approx(lr * limit, rel=1e-9)
    snap, before, after, grads, lr = _step_update({"grad_clip_value": 2 * float(np.abs(g0).max())})
    assert snap.clipped is False
    assert_update(before, after, -lr * grads.flat)


def test_weight_decay_is_added_to_weight_gradients_only() -> None:
    wd = 0.3
    t = Trainer(ExperimentConfig(**{**CLIP_BASE, "weight_decay": wd}))
    t.network.params[t.network.n_weight_params :] = 0.5  # non-zero biases must not decay
    spy = BatchSpy(t)
    t.step()
    rec = spy.last
    nw = t.network.n_weight_params
    expected = -1.0 * rec["grads"].flat
    expected[:nw] -= 1.0 * wd * rec["params"][:nw]
    assert_update(rec["params"], t.network.params, expected)


# -- divergence ------------------------------------------------------------------------------------

EXPLODING = {
    "relu_scale5_mse": {
        "init": "normal",
        "init_scale": 5.0,
        "activation": "relu",
        "learning_rate": 1.0,
        "loss": "mse",
    },
    "relu_scale20": {"init": "normal", "init_scale": 20.0, "activation": "relu", "learning_rate": 1.0},
    "lr1000": {"activation": "relu", "init": "he_normal", "learning_rate": 1000.0},
    "lr1000_float32": {
        "activation": "relu",
        "init": "he_normal",
        "learning_rate": 1000.0,
        "dtype": "float32",
    },
    "lr1000_momentum": {"activation": "relu", "init": "he_normal", "learning_rate": 1000.0, "momentum": 0.9},
    "sine_lr1000": {
        "dataset": "sine",
        "loss": "mse",
        "activation": "relu",
        "init": "he_normal",
        "learning_rate": 1000.0,
    },
    "tanh_lr1000": {"activation": "tanh", "loss": "mse", "learning_rate": 1000.0},
}


def _run_to_divergence(t: Trainer, limit: int = 100) -> tuple[Snapshot, BatchSpy]:
    spy = BatchSpy(t)
    for i in range(1, limit + 1):
        snap = t.step(detail=i % 10 == 0)
        if snap.diverged:
            return snap, spy
        assert snap.diverged_layer is None and snap.diverged_reason == ""
    raise AssertionError(f"no divergence within {limit} steps")


@pytest.mark.parametrize("overrides", EXPLODING.values(), ids=EXPLODING.keys())
def test_divergence_is_reported_and_freezes_the_network(overrides: dict[str, Any]) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        t = Trainer(ExperimentConfig(**overrides))
        snap, spy = _run_to_divergence(t)
        n = t.network.n_layers
        assert isinstance(snap.diverged_layer, int) and 0 <= snap.diverged_layer < n
        assert snap.diverged_reason in ("loss", "gradient", "update")
        # the diverging step did not apply its update either
        assert t.network.params.tobytes() == spy.last["params"].tobytes()
        frozen = t.network.params.copy()
        running = [m.copy() for m in t.network.running_mean]
        for k in range(6):
            later = t.step(detail=k % 2 == 1)
            assert later.diverged
            assert later.step == snap.step + k + 1
            assert (later.diverged_layer, later.diverged_reason) == (
                snap.diverged_layer,
                snap.diverged_reason,
            )
            assert np.all(later.stats["update_ratio"] == 0.0)
            assert t.network.params.tobytes() == frozen.tobytes()
        assert all(np.array_equal(a, b) for a, b in zip(t.network.running_mean, running, strict=True))
        assert later.activation_hists is not None and later.output is not None
        t.evaluate()
        t.output_sample()
    assert t.diverged


# Found by a sweep of exploding configs: the update (or the sum over layers) overflows while every
# per-layer statistic is still finite; diverged_layer used to be None for these.
UNNAMED_DIVERGENCE = {
    "update_overflow": {
        "learning_rate": 364.95152070220183,
        "activation": "tanh",
        "init": "normal",
        "init_scale": 11.522921914927123,
        "depth": 7,
        "width": 15,
        "loss": "mse",
        "dtype": "float32",
        "seed": 21,
        "n_samples": 200,
    },
    "global_norm_overflow": {
        "learning_rate": 18.07758472087658,
        "activation": "selu",
        "init": "normal",
        "init_scale": 6.657273306595595,
        "depth": 6,
        "width": 29,
        "loss": "mse",
        "dtype": "float32",
        "seed": 11,
        "n_samples": 200,
    },
}


@pytest.mark.parametrize("overrides", UNNAMED_DIVERGENCE.values(), ids=UNNAMED_DIVERGENCE.keys())
def test_divergence_always_names_a_layer(overrides: dict[str, Any]) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        t = Trainer(ExperimentConfig(**overrides))
        snap, _ = _run_to_divergence(t)
    assert isinstance(snap.diverged_layer, int) and 0 <= snap.diverged_layer < t.network.n_layers


def test_forward_overflow_names_the_layer_where_it_started() -> None:
    # regression: a NaN loss makes every layer's gradient stats NaN, and the lowest index used to win
    t = Trainer(ExperimentConfig(**EXPLODING["relu_scale5_mse"]))
    snap, spy = _run_to_divergence(t)
    assert snap.diverged_reason == "loss"
    cache = spy.last["cache"]
    outs = [*list(cache.h), cache.logits]
    with np.errstate(all="ignore"):
        squares_finite = [bool(np.isfinite(np.sum(np.square(o)))) for o in outs]
    values_finite = [bool(np.all(np.isfinite(o))) for o in outs]
    # the overflow starts where the activations' squares (their std) or the values themselves
    # stop being finite; either is a fair answer, layer 0 is not
    first_sq = squares_finite.index(False)
    first_val = values_finite.index(False) if False in values_finite else len(outs) - 1
    assert 0 < first_sq <= first_val
    assert first_sq <= snap.diverged_layer <= first_val


def test_run_stops_early_on_divergence() -> None:
    t = Trainer(ExperimentConfig(**EXPLODING["relu_scale20"]))
    snap = t.run(200)
    assert snap.diverged and snap.step < 200
    assert t.step_count == snap.step and t.last_snapshot is snap


# -- detail snapshots --------------------------------------------------------------------------------


def _expected_hist(values: np.ndarray, edges: np.ndarray) -> np.ndarray:
    v = np.clip(np.asarray(values, dtype=np.float64).ravel(), edges[0], edges[-1])
    return np.histogram(v, bins=edges)[0].astype(np.float64)


@pytest.mark.parametrize(
    ("overrides", "kind"),
    [
        ({"dataset": "spiral"}, "grid"),
        ({"dataset": "sine", "loss": "mse", "activation": "tanh"}, "curve"),
        ({"dataset": "digits", "activation": "relu", "init": "he_normal"}, "confusion"),
    ],
    ids=["spiral", "sine", "digits"],
)
def test_detail_snapshot_contents(overrides: dict[str, Any], kind: str) -> None:
    t = Trainer(ExperimentConfig(**{**SMALL, "batch_size": 48, **overrides}))
    spy = BatchSpy(t)
    for _ in range(3):
        t.step()
    snap = t.step(detail=True)
    net, ds, rec = t.network, t.dataset, spy.last
    # a snapshot describes the network before its own update: put those parameters back
    assert not np.array_equal(net.params, rec["params"])
    net.params[...] = rec["params"]
    sizes = net.sizes
    n = net.n_layers
    batch = rec["x"].shape[0]
    assert snap.detail and snap.layer_sizes == sizes
    for hists, edges in [
        (snap.activation_hists, ACTIVATION_BINS),
        (snap.preactivation_hists, PREACTIVATION_BINS),
        (snap.weight_grad_hists, GRADIENT_LOG_BINS),
    ]:
        assert hists.shape == (n, len(edges) - 1)
    for i in range(n):
        assert snap.activation_hists[i].sum() == batch * sizes[i + 1]
        assert snap.preactivation_hists[i].sum() == batch * sizes[i + 1]
        assert snap.weight_grad_hists[i].sum() == sizes[i] * sizes[i + 1]
    cache = rec["cache"]
    for i in range(n):
        out = cache.h[i] if i < net.depth else cache.logits
        pre = cache.u[i] if i < net.depth else cache.logits
        np.testing.assert_array_equal(snap.activation_hists[i], _expected_hist(out, ACTIVATION_BINS))
        np.testing.assert_array_equal(snap.preactivation_hists[i], _expected_hist(pre, PREACTIVATION_BINS))
        logg = np.log10(np.abs(rec["grads"].weights[i]) + 1e-300)
        np.testing.assert_array_equal(snap.weight_grad_hists[i], _expected_hist(logg, GRADIENT_LOG_BINS))
    # probe: the first test sample through the network as it was before the update
    assert len(snap.probe) == len(sizes)
    assert [p.shape for p in snap.probe] == [(s,) for s in sizes]
    np.testing.assert_array_equal(snap.probe[0], ds.x_test[0])
    probe_cache = net.forward(ds.x_test[:1], train=False)
    for l in range(net.depth):
        np.testing.assert_allclose(snap.probe[l + 1], probe_cache.h[l][0], rtol=1e-12)
    np.testing.assert_allclose(snap.probe[-1], net.predict(ds.x_test[:1])[0], rtol=1e-12)
    # accuracies and test loss, recomputed
    test_out = net.predict(ds.x_test)
    out = snap.output
    assert out is not None and out.kind == kind
    if ds.is_regression:
        assert snap.test_accuracy is None and snap.train_accuracy is None
        assert snap.test_loss == pytest.approx(float(np.mean((test_out - ds.y_test) ** 2)), rel=1e-10)
    else:
        acc = float(np.mean(np.argmax(test_out, axis=1) == ds.y_test))
        train_acc = float(np.mean(np.argmax(net.predict(ds.x_train), axis=1) == ds.y_train))
        assert 0.0 <= snap.test_accuracy <= 1.0 and 0.0 <= snap.train_accuracy <= 1.0
        assert snap.test_accuracy == pytest.approx(acc) and snap.train_accuracy == pytest.approx(train_acc)
        assert snap.test_loss == pytest.approx(cross_entropy(test_out, ds.y_test)[0], rel=1e-10)
    if kind == "grid":
        c = ds.n_outputs
        assert out.values.shape[2] == c and out.values.shape[0] == out.values.shape[1]
        np.testing.assert_allclose(out.values.sum(axis=2), 1.0, rtol=1e-12)
        both = np.concatenate([ds.x_train, ds.x_test])
        x0, x1, y0, y1 = out.extent
        assert x0 < both[:, 0].min() and x1 > both[:, 0].max()
        assert y0 < both[:, 1].min() and y1 > both[:, 1].max()
        m = out.values.shape[0]
        gx, gy = np.linspace(x0, x1, m), np.linspace(y0, y1, m)
        for i, j in [(0, 0), (m - 1, 0), (5, m // 2), (m - 1, m - 1)]:
            logits = net.predict(np.array([[gx[j], gy[i]]]))[0]
            p = np.exp(logits - logits.max())
            np.testing.assert_allclose(out.values[i, j], p / p.sum(), rtol=1e-9)
    elif kind == "curve":
        assert out.xs is not None and out.xs.ndim == 1 and np.all(np.diff(out.xs) > 0)
        xs_all = np.concatenate([ds.x_train[:, 0], ds.x_test[:, 0]])
        assert out.xs[0] == pytest.approx(xs_all.min()) and out.xs[-1] == pytest.approx(xs_all.max())
        np.testing.assert_allclose(out.values.reshape(-1), net.predict(out.xs[:, None]).reshape(-1), rtol=1e-12)
    else:
        assert out.values.shape == (ds.n_outputs, ds.n_outputs)
        assert out.values.sum() == ds.n_test
        np.testing.assert_array_equal(out.values.sum(axis=1), np.bincount(ds.y_test, minlength=ds.n_outputs))
        assert np.trace(out.values) / ds.n_test == pytest.approx(snap.test_accuracy)


def test_cheap_steps_carry_no_detail() -> None:
    t = Trainer(ExperimentConfig(**SMALL))
    snap = t.step()
    assert not snap.detail
    assert snap.activation_hists is None and snap.probe is None and snap.output is None
    assert snap.test_accuracy is None and snap.test_loss is None


def test_weight_gradient_histogram_is_the_raw_gradient_under_clipping() -> None:
    # regression: clipping rewrote the gradient buffer in place before the histogram was taken
    t = Trainer(ExperimentConfig(**{**CLIP_BASE, "grad_clip_value": 1e-6}))
    spy = BatchSpy(t)
    snap = t.step(detail=True)
    assert snap.clipped
    for i in range(t.network.n_layers):
        logg = np.log10(np.abs(spy.last["grads"].weights[i]) + 1e-300)
        np.testing.assert_array_equal(snap.weight_grad_hists[i], _expected_hist(logg, GRADIENT_LOG_BINS))


# -- learning --------------------------------------------------------------------------------------


def test_default_sigmoid_net_has_vanishing_gradients() -> None:
    snap = Trainer(ExperimentConfig()).step()
    d = snap.stats["delta_norm"]
    assert np.all(np.isfinite(d)) and d[-1] > 0
    assert d[0] < 1e-3 * d[-1]
    # and the decay is monotone through the sigmoid stack (σ' ≤ 1/4 per layer)
    assert np.all(np.diff(d[:-1]) > 0)


def _train_until(t: Trainer, target: float, max_steps: int) -> float:
    acc = 0.0
    for i in range(1, max_steps + 1):
        snap = t.step(detail=i % 50 == 0)
        assert not snap.diverged
        if snap.detail:
            acc = float(snap.test_accuracy)
            if acc > target:
                break
    return acc


@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_relu_he_normal_learns_the_spiral(dtype: str) -> None:
    t = Trainer(ExperimentConfig(activation="relu", init="he_normal", dtype=dtype))
    first_loss = t.step().loss
    acc = _train_until(t, 0.9, 1500)
    assert acc > 0.9
    assert t.network.params.dtype == np.dtype(dtype)
    assert t.last_snapshot.loss < first_loss


# -- noisy ReLU --------------------------------------------------------------------------------------


def test_noisy_relu_noise_only_in_training_steps() -> None:
    base = {"init": "he_normal", "depth": 3, "width": 16, "n_samples": 300}
    noisy = Trainer(ExperimentConfig(activation="noisy_relu", **base))
    plain = Trainer(ExperimentConfig(activation="relu", **base))
    assert noisy.network.params.tobytes() == plain.network.params.tobytes()
    x, y = noisy.dataset.x_train[:40], noisy.dataset.y_train[:40]
    gn, gp = noisy.network.gradients(x, y), plain.network.gradients(x, y)
    assert gn.loss == gp.loss
    assert gn.flat.tobytes() == gp.flat.tobytes()
    np.testing.assert_array_equal(noisy.network.predict(x), plain.network.predict(x))
    sn, sp = noisy.step(), plain.step()
    assert sn.loss != sp.loss
    assert noisy.network.params.tobytes() != plain.network.params.tobytes()


# -- live changes ------------------------------------------------------------------------------------


def test_apply_live_learning_rate_takes_effect() -> None:
    t = Trainer(ExperimentConfig(**CLIP_BASE))
    spy = BatchSpy(t)
    t.step()
    t.apply_live(learning_rate=0.025)
    assert t.config.learning_rate == 0.025 and t.network.config.learning_rate == 0.025
    snap = t.step()
    assert snap.learning_rate == 0.025
    assert_update(spy.last["params"], t.network.params, -0.025 * spy.last["grads"].flat)


def test_apply_live_rejects_structural_and_invalid_changes() -> None:
    t = Trainer(ExperimentConfig(**CLIP_BASE))
    before = t.config
    for field in ("depth", "activation", "seed", "dataset"):
        assert field not in LIVE_FIELDS
        with pytest.raises(ConfigError, match=field):
            t.apply_live(**{field: getattr(before, field)})
    with pytest.raises(ConfigError, match="learning_rate"):
        t.apply_live(learning_rate=-1.0)
    with pytest.raises(ConfigError, match="optimizer"):
        t.apply_live(optimizer="lbfgs")
    assert t.config is before and isinstance(t.optimizer, SGD)


def test_apply_live_switches_optimizer() -> None:
    t = Trainer(ExperimentConfig(**CLIP_BASE))
    spy = BatchSpy(t)
    t.step()
    t.apply_live(optimizer="adam", learning_rate=0.01)
    assert isinstance(t.optimizer, Adam) and t.config.optimizer == "adam"
    t.step()
    g = spy.last["grads"].flat
    # Adam's first step after bias correction: -lr · g / (|g| + eps)
    expected = -0.01 * g / (np.abs(g) + t.config.eps)
    assert_update(spy.last["params"], t.network.params, expected)
    t.apply_live(optimizer="sgd", momentum=0.5)
    assert isinstance(t.optimizer, SGD) and t.optimizer.config.momentum == 0.5


# -- run() ---------------------------------------------------------------------------------------------


def test_run_returns_the_last_snapshot_with_detail() -> None:
    t = Trainer(ExperimentConfig(**SMALL))
    details: list[bool] = []
    step = t.step

    def recording_step(detail: bool = False) -> Snapshot:
        details.append(detail)
        return step(detail=detail)

    t.step = recording_step  # type: ignore[method-assign]
    snap = t.run(12, detail_every=5)
    assert snap.step == 12 and t.step_count == 12 and t.last_snapshot is snap
    assert snap.detail
    assert [i + 1 for i, d in enumerate(details) if d] == [5, 10, 12]
    assert t.run(0) is snap


def test_run_zero_steps_on_a_fresh_trainer_raises() -> None:
    with pytest.raises(ValueError):
        Trainer(ExperimentConfig(**SMALL)).run(0)


def test_trainer_rejects_non_config() -> None:
    with pytest.raises(ConfigError):
        Trainer({"depth": 3})  # type: ignore[arg-type]


def test_inspect_changes_nothing_and_pretraining_reports_its_phase() -> None:
    cfg = ExperimentConfig(depth=3, width=8, n_samples=200)
    a, b = Trainer(cfg), Trainer(cfg)
    first = a.inspect()
    assert first.detail and first.step == 0
    for _ in range(5):
        sa, sb = a.step(), b.step()
        assert sa.loss == sb.loss
    assert np.array_equal(a.network.params, b.network.params)
    p = Trainer(cfg.replace(pretrain_epochs=2, batch_size=50))
    phases = [p.step() for _ in range(p.pretrainer.total_steps + 3)]  # type: ignore[union-attr]
    layers = [s.pretrain_layer for s in phases if s.phase == "pretrain"]
    assert layers == sorted(layers) and set(layers) == {0, 1, 2}
    assert [s.phase for s in phases[-3:]] == ["train"] * 3
    assert all(np.isfinite(s.extra["autoencoder_loss"]) for s in phases if s.phase == "pretrain")


def test_pretraining_lowers_each_layers_reconstruction_error() -> None:
    cfg = ExperimentConfig(depth=2, width=16, n_samples=300, pretrain_epochs=20, batch_size=32, learning_rate=0.1)
    t = Trainer(cfg)
    per_layer: dict[int, list[float]] = {0: [], 1: []}
    while t.phase == "pretrain":
        s = t.step()
        per_layer[s.pretrain_layer].append(s.extra["autoencoder_loss"])  # type: ignore[index]
    for losses in per_layer.values():
        assert len(losses) == t.pretrainer.steps_per_layer  # type: ignore[union-attr]
        assert np.mean(losses[-10:]) < 0.7 * np.mean(losses[:10])
