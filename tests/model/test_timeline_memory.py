"""Timeline memory: the byte budget bounds what the timeline really holds (measured with
tracemalloc, the independent reference), weights and outputs are kept compactly, and the
default budget still spans a long run of the default 10-layer net."""

from __future__ import annotations

import dataclasses
import gc
import pickle
import tracemalloc
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest

from model import ExperimentConfig, Snapshot, Trainer
from model.timeline import DEFAULT_MAX_BYTES, Timeline

#: the app's default network (10 hidden layers of 32), whose entries the default budget is for
CONFIG = ExperimentConfig()


@pytest.fixture(scope="module")
def received() -> tuple[bytes, bytes, bytes, bytes]:
    """Pickled messages of a live run: a cheap step, a detailed one, a detailed one with an output
    sample, and the weights (the window unpickles each batch afresh, so arrays are never shared
    between batches)."""
    trainer = Trainer(CONFIG)
    cheap = trainer.step()
    detail = trainer.step(detail=True, output=False)
    with_output = trainer.step(detail=True, output=True)
    weights = [w.copy() for w in trainer.network.weights]
    return tuple(pickle.dumps(x) for x in (cheap, detail, with_output, weights))  # type: ignore[return-value]


def live_feed(received: tuple[bytes, bytes, bytes, bytes], n: int) -> Iterator[tuple[int, list[Snapshot], Any]]:
    """Batches as the window gets them: 16 steps a batch, every 4th step detailed (freshly
    unpickled, as the window receives them), an output sample every 6th batch and weights every
    3rd."""
    cheap_b, detail_b, output_b, weights_b = received
    cheap: Snapshot = pickle.loads(cheap_b)
    step = 0
    for b in range(n // 16):
        batch = []
        for k in range(16):
            step += 1
            if k % 4 == 3:
                snap: Snapshot = pickle.loads(output_b if k == 15 and b % 6 == 0 else detail_b)
                object.__setattr__(snap, "step", step)
            else:
                snap = dataclasses.replace(cheap, step=step)
            batch.append(snap)
        weights = pickle.loads(weights_b) if b % 3 == 0 else None
        yield step, batch, weights


def fill(tl: Timeline, received: tuple[bytes, bytes, bytes, bytes], n: int) -> None:
    for step, batch, weights in live_feed(received, n):
        if weights is not None:
            tl.set_weights(step, weights)
        for snap in batch:
            tl.append(snap)
        assert tl.nbytes <= tl.max_bytes


@pytest.mark.parametrize("budget", [2_000_000, 6_000_000])
def test_nbytes_is_what_the_timeline_really_holds(received: Any, budget: int) -> None:
    """tracemalloc counts every allocation the timeline keeps alive (arrays, headers, snapshot
    objects, its own bookkeeping); nbytes must agree within 10 %, after the budget has made the
    timeline decimate several times."""
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        tl = Timeline(max_bytes=budget)
        fill(tl, received, 16_000)
        gc.collect()
        held = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert tl.min_gap > 16  # decimated: the budget, not the run length, bounds it
    assert held <= budget * 1.1
    assert abs(tl.nbytes - held) <= 0.1 * held, (tl.nbytes, held)


def test_the_old_count_missed_a_fifth_of_a_detailed_snapshot(received: Any) -> None:
    """Why arrays alone are not the budget: a detailed snapshot's Python objects and array
    headers are ~20 % on top of its array data (measured, not assumed)."""
    detail_b = received[1]
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        snaps = [pickle.loads(detail_b) for _ in range(50)]
        real = (tracemalloc.get_traced_memory()[0] - before) / 50
    finally:
        tracemalloc.stop()
    from model.timeline import snapshot_arrays

    arrays = sum(a.nbytes for a in snapshot_arrays(snaps[0]))
    assert real > 1.1 * arrays


def test_weights_and_outputs_are_kept_compactly_and_drawn_alike(received: Any) -> None:
    tl = Timeline()
    weights = pickle.loads(received[3])
    out_snap: Snapshot = pickle.loads(received[2])
    tl.set_weights(out_snap.step, weights)
    tl.append(out_snap)
    frame = tl.frame(0)
    assert frame.weights is not None
    assert all(w.dtype == np.float16 and not w.flags.writeable for w in frame.weights)
    for kept, given in zip(frame.weights, weights, strict=True):
        np.testing.assert_allclose(kept, given, rtol=2**-11, atol=2**-24)
    out = frame.snapshot.output
    assert out is not None and out_snap.output is not None
    assert out.values.dtype == np.float64  # the views get float64 back
    assert out.kind == "grid"  # class probabilities: kept as float16, within half a step of 1/2048
    np.testing.assert_allclose(out.values, out_snap.output.values, rtol=0, atol=2.5e-4)
    # the stored snapshot no longer refers to the float64 sample it came with
    held = {id(entry[0]) for entry in tl._held.values()}
    assert id(out_snap.output.values) not in held


def test_weights_beyond_float16_stay_as_they_came() -> None:
    tl = Timeline()
    huge = [np.array([[1e5, -2.0]]), np.array([[np.inf, np.nan]])]
    tl.set_weights(0, huge)
    kept = tl._weights[0][1]
    assert kept[0] is huge[0]  # 1e5 would become inf in float16
    assert kept[1].dtype == np.float16  # inf and NaN are the same in float16
    assert np.isinf(kept[1][0, 0]) and np.isnan(kept[1][0, 1])


def test_default_budget_spans_a_long_run_of_the_default_net(received: Any) -> None:
    """At the default budget, a run of the default 10-layer net keeps dozens of entries spread
    over the whole run (the scrub resolution the README states)."""
    tl = Timeline()
    assert tl.max_bytes == DEFAULT_MAX_BYTES
    n = 40_000
    fill(tl, received, n)
    steps = tl.steps()
    assert steps[0] == 1 and steps[-1] == n - n % 16
    assert 35 <= len(tl) <= 100, len(tl)
    gaps = np.diff(steps[:-1])
    assert gaps.max() <= 4 * np.median(gaps)
