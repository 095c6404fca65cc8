"""Snapshots pickle compactly on their way from the engine process, and come back equal."""

from __future__ import annotations

import pickle

import numpy as np

from model import ExperimentConfig, Trainer
from model.snapshot import LAYER_STAT_NAMES, Snapshot


def _fields_equal(a: Snapshot, b: Snapshot) -> None:
    for name in a.__dataclass_fields__:
        x, y = getattr(a, name), getattr(b, name)
        if name == "stats":
            assert x.keys() == y.keys()
            for k in x:
                np.testing.assert_array_equal(x[k], y[k])
        elif isinstance(x, np.ndarray):
            np.testing.assert_array_equal(x, y)
        elif name == "probe" and x is not None:
            for p, q in zip(x, y, strict=True):
                np.testing.assert_array_equal(p, q)
        elif name == "output" and x is not None:
            assert x.kind == y.kind
            np.testing.assert_array_equal(x.values, y.values)
        else:
            assert x == y, name


def test_every_step_snapshot_round_trips_smaller_than_its_dict() -> None:
    trainer = Trainer(ExperimentConfig(depth=5, width=8, n_samples=200))
    snap = trainer.step()
    assert not snap.detail
    _ = snap.layers  # a cached row view must not travel
    data = pickle.dumps(snap, protocol=pickle.HIGHEST_PROTOCOL)
    back = pickle.loads(data)
    _fields_equal(snap, back)
    assert back.layers[2].weight_grad_norm == snap.layers[2].weight_grad_norm
    for name in LAYER_STAT_NAMES:
        assert not back.stats[name].flags.writeable  # as frozen as the original
    default = pickle.dumps(snap.__dict__ | {"layers": None}, protocol=pickle.HIGHEST_PROTOCOL)
    assert len(data) < len(default)


def test_detail_snapshots_keep_their_histograms_and_output() -> None:
    trainer = Trainer(ExperimentConfig(depth=3, width=8, n_samples=200))
    snap = trainer.step(detail=True, output=True)
    assert snap.activation_hists is not None and snap.output is not None
    back = pickle.loads(pickle.dumps(snap, protocol=pickle.HIGHEST_PROTOCOL))
    _fields_equal(snap, back)


def test_unusual_snapshots_fall_back_to_the_plain_pickle() -> None:
    odd = Snapshot.create(
        step=3,
        loss=0.5,
        grad_norm=1.0,
        clipped=False,
        diverged=False,
        stats={"weight_norm": [1.0, 2.0]},
        layer_sizes=(2, 3, 1),
        extra={"note": "kept"},
    )
    back = pickle.loads(pickle.dumps(odd))
    _fields_equal(odd, back)
    assert back.extra == {"note": "kept"}
