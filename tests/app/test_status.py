"""The status banner's verdicts from hand-made snapshots."""

from __future__ import annotations

import numpy as np

from app.status import gradient_ratio, verdict
from tests.fakes import make_snapshot


def _with_deltas(deltas: list[float], grad_norm: float = 1.0, diverged: bool = False):  # type: ignore[no-untyped-def]
    snap = make_snapshot(depth=len(deltas) - 1)
    stats = dict(snap.stats)
    stats["delta_norm"] = np.array(deltas)
    return type(snap).create(
        step=snap.step,
        loss=1.0,
        grad_norm=grad_norm,
        clipped=False,
        diverged=diverged,
        diverged_layer=2 if diverged else None,
        stats=stats,
        layer_sizes=snap.layer_sizes,
    )


def test_vanishing_when_first_layer_thousand_times_smaller() -> None:
    snap = _with_deltas([1e-7, 1e-5, 1e-3, 1e-1, 1.0])
    assert gradient_ratio(snap) == 1e-7 / 1e-1
    assert verdict(snap).kind == "vanishing"
    assert "VANISHING" in verdict(snap).text


def test_healthy_just_above_threshold() -> None:
    assert verdict(_with_deltas([2e-3, 1e-2, 0.1, 1.0, 1.0])).kind == "ok"


def test_exploding_by_ratio_by_norm_and_non_finite() -> None:
    assert verdict(_with_deltas([1e4, 1e2, 1.0, 1.0, 1.0])).kind == "exploding"
    assert verdict(_with_deltas([1.0, 1.0, 1.0, 1.0, 1.0], grad_norm=1e5)).kind == "exploding"
    assert verdict(_with_deltas([np.inf, 1.0, 1.0, 1.0, 1.0])).kind == "exploding"


def test_diverged_names_the_layer() -> None:
    v = verdict(_with_deltas([1.0, 1.0, 1.0, 1.0, 1.0], diverged=True))
    assert v.kind == "diverged"
    assert "layer 3" in v.text


def test_dead_network_with_zero_gradients_is_vanishing_not_healthy() -> None:
    snap = _with_deltas([0.0, 0.0, 0.0, 0.0, 0.3])
    assert gradient_ratio(snap) == 0.0
    assert verdict(snap).kind == "vanishing"
