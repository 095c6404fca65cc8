"""Timeline: bounded in entries and bytes, spans the run, and pairs each kept step with the
output and weights that were current then."""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest

from model import ExperimentConfig, Snapshot, Trainer
from model.snapshot import OutputSample
from model.timeline import ENTRY_OVERHEAD, HELD_OVERHEAD, Timeline, TimelineFrame, cost, snapshot_arrays

CONFIG = ExperimentConfig(depth=3, width=8, n_samples=120, dataset="spiral")


@dataclasses.dataclass
class Run:
    """A few real snapshots of a small network, re-stamped with any step."""

    first: Snapshot  # inspect(): detailed, with an output sample
    cheap: Snapshot
    detail: Snapshot  # detailed, no output sample
    output: OutputSample
    weights: list[np.ndarray]


@pytest.fixture(scope="module")
def run() -> Run:
    trainer = Trainer(CONFIG)
    first = trainer.inspect()
    cheap = trainer.step()
    detail = trainer.step(detail=True, output=False)
    with_output = trainer.step(detail=True, output=True)
    assert first.detail and first.output is not None and not cheap.detail and detail.output is None
    assert with_output.output is not None
    return Run(first, cheap, detail, with_output.output, [w.copy() for w in trainer.network.weights])


def output_at(run: Run, step: int) -> OutputSample:
    """An output sample whose extent says which step it belongs to (a grid's probabilities are
    kept as float16, which cannot hold every step number)."""
    values = np.full(run.output.values.shape, 0.25)
    return dataclasses.replace(run.output, values=values, extent=(float(step), 1.0, 0.0, 1.0))


def out_step(out: OutputSample) -> float:
    assert out.extent is not None
    return out.extent[0]


def weights_at(run: Run, step: int) -> list[np.ndarray]:
    """Weights that say which step they belong to: thousands and the rest in the first two
    values (both exact in float16, which the timeline keeps weights as)."""
    out = [np.full(w.shape, 0.5) for w in run.weights]
    out[0].flat[0], out[0].flat[1] = divmod(step, 1000)
    return out


def w_step(weights: Any) -> float:
    return 1000 * float(weights[0].flat[0]) + float(weights[0].flat[1])


def stamped(frame: TimelineFrame) -> tuple[float, float]:
    """(step of the frame's output, step of its weights), as encoded by output_at/weights_at."""
    out = frame.snapshot.output
    assert out is not None and frame.weights is not None
    return out_step(out), w_step(frame.weights)


def snapshots(
    run: Run, n: int, *, detail_every: int = 25, output_every: int = 150, distinct: bool = False
) -> Iterator[Snapshot]:
    """Steps 0..n: detailed every ``detail_every``, with an output every ``output_every``.

    ``distinct`` gives every detailed snapshot arrays of its own (as a live run does), so
    byte counts are realistic; otherwise they share the base snapshot's histograms."""
    for s in range(n + 1):
        if s == 0:
            yield dataclasses.replace(run.first, output=output_at(run, 0))
        elif s % detail_every == 0:
            changes: dict[str, Any] = {"step": s}
            if s % output_every == 0:
                changes["output"] = output_at(run, s)
            if distinct:
                for name in ("activation_hists", "preactivation_hists", "weight_grad_hists"):
                    changes[name] = getattr(run.detail, name).copy()
            yield dataclasses.replace(run.detail, **changes)
        else:
            yield dataclasses.replace(run.cheap, step=s)


def feed(tl: Timeline, run: Run, n: int, *, batch: int = 40, weights_every: int = 4, **kwargs: Any) -> None:
    """Feed steps 0..n as the window receives them: step 0 with the initial weights, then
    batches of snapshots, the weights of the batch's last step handed over *before* its
    snapshots on every ``weights_every``-th batch."""
    pending: list[Snapshot] = []
    n_batches = 0
    for snap in snapshots(run, n, **kwargs):
        pending.append(snap)
        if snap.step == 0 or len(pending) == batch or snap.step == n:
            if snap.step == 0 or n_batches % weights_every == 0 or snap.step == n:
                tl.set_weights(snap.step, weights_at(run, snap.step))
            for p in pending:
                tl.append(p)
            pending = []
            n_batches += snap.step > 0
            assert len(tl) <= tl.max_entries
            assert tl.nbytes <= tl.max_bytes


def weights_steps(n: int, batch: int = 40, every: int = 4) -> np.ndarray:
    """Steps feed() hands weights over at."""
    ends = [min(b * batch + batch, n) for b in range((n + batch - 1) // batch)]
    return np.array([0] + [e for k, e in enumerate(ends) if k % every == 0 or e == n])


def recount(tl: Timeline) -> tuple[int, int]:
    """(bytes, distinct objects) of everything the timeline holds, counted from scratch."""
    parts: dict[int, object] = {}
    for entry in tl._entries:
        for p in entry.parts():
            parts[id(p)] = p
    if tl._output is not None:
        for p in (tl._output, *tl._output.arrays()):
            parts[id(p)] = p
    if tl._detail is not None:
        for a in snapshot_arrays(tl._detail):
            if id(a) in tl._held:
                parts[id(a)] = a
    for _, w in tl._weights:
        for p in (w, *w):
            parts[id(p)] = p
    held = sum(cost(p) + HELD_OVERHEAD for p in parts.values())
    table = sys.getsizeof(tl._held) if tl._held else 0
    return held + len(tl._entries) * ENTRY_OVERHEAD + table, len(parts)


def test_limits_must_be_sensible() -> None:
    with pytest.raises(ValueError):
        Timeline(max_entries=3)
    with pytest.raises(ValueError):
        Timeline(max_bytes=0)


def test_short_run_keeps_every_detailed_step(run: Run) -> None:
    tl = Timeline()
    feed(tl, run, 1000)
    np.testing.assert_array_equal(tl.steps(), np.arange(0, 1001, 25))
    assert tl.min_gap == 0
    for i in range(len(tl)):
        assert tl.frame(i).snapshot.detail


def test_100k_steps_stay_bounded_and_span_the_run(run: Run) -> None:
    tl = Timeline(max_entries=600, max_bytes=10**10)  # the entry count binds here
    n = 100_050
    feed(tl, run, n)  # asserts the bounds after every batch
    steps = tl.steps()
    assert steps[0] == 0 and steps[-1] == n
    assert tl.max_entries // 2 - 2 <= len(tl) <= tl.max_entries
    assert np.all(np.diff(steps) > 0)
    gaps = np.diff(steps[:-1])  # the newest may sit closer than the spacing
    # roughly even: no stretch of the run much coarser than the rest
    assert gaps.max() <= 4 * np.median(gaps), (gaps.min(), np.median(gaps), gaps.max())
    assert tl.min_gap >= 100_000 // 600


def test_byte_budget_binds_before_the_entry_count(run: Run) -> None:
    weights_bytes = sum(w.nbytes for w in run.weights)
    entry_bytes = sum(a.nbytes for a in snapshot_arrays(run.detail))
    budget = 150 * entry_bytes + 10 * (run.output.values.nbytes + weights_bytes)
    tl = Timeline(max_entries=600, max_bytes=budget)
    n = 30_000
    feed(tl, run, n, distinct=True)
    assert tl.nbytes <= budget
    assert 10 < len(tl) < 300
    assert tl.steps()[0] == 0 and tl.steps()[-1] == n
    # the running count after many decimations is what a count from scratch gives: every
    # distinct object held, once (how close that is to the real memory: test_timeline_memory)
    total, distinct = recount(tl)
    assert tl.nbytes == total
    assert len(tl._held) == distinct


def test_frames_show_the_output_and_weights_current_at_their_step(run: Run) -> None:
    tl = Timeline(max_entries=64)
    n = 20_010
    feed(tl, run, n, output_every=150)
    assert tl.min_gap > 150  # decimated many times
    w_steps = weights_steps(n)
    for i in range(len(tl)):
        frame = tl.frame(i)
        step = frame.step
        out_step, w_step = stamped(frame)
        expected_out = 0 if step < 150 else step - step % 150 if step % 25 == 0 else None
        if expected_out is not None:
            assert out_step == expected_out, (step, out_step)
        assert w_step == w_steps[w_steps <= step].max(), (step, w_step)
        assert frame.index == i


def test_weights_handed_over_before_their_snapshots_are_not_given_to_older_steps(run: Run) -> None:
    tl = Timeline()
    tl.append(dataclasses.replace(run.first, step=0))
    w0, w50 = weights_at(run, 0), weights_at(run, 50)
    tl.set_weights(0, w0)
    tl.set_weights(50, w50)  # arrives first: the batch of steps 1..50 follows
    for s in (25, 50):
        tl.append(dataclasses.replace(run.detail, step=s))
    frames = [tl.frame(i) for i in range(3)]
    assert [w_step(f.weights) for f in frames if f.weights is not None] == [0, 0, 50]
    assert frames[0].weights is frames[1].weights  # one copy of w0, shared


def test_weights_handed_over_late_reach_the_entries_of_their_step(run: Run) -> None:
    tl = Timeline()
    for s in (0, 25, 50):
        tl.append(dataclasses.replace(run.detail, step=s))
    tl.set_weights(30, weights_at(run, 30))
    w = tl.frame(2).weights
    assert w is not None and w_step(w) == 30
    assert tl.frame(0).weights is None and tl.frame(1).weights is None


def test_entries_share_outputs_and_weights_and_snapshots_are_not_copied(run: Run) -> None:
    tl = Timeline()
    w = weights_at(run, 0)
    tl.set_weights(0, w)
    first = dataclasses.replace(run.first, step=0)
    tl.append(first)
    for s in (25, 50, 75):
        tl.append(dataclasses.replace(run.detail, step=s))
    out = first.output
    assert out is not None
    frames = [tl.frame(i) for i in range(4)]
    for frame in frames:
        assert frame.weights is frames[0].weights  # one float32 copy of w, shared
        assert frame.snapshot.output is not None
        np.testing.assert_allclose(frame.snapshot.output.values, out.values, rtol=0, atol=2.5e-4)
    assert frames[0].weights is not None
    assert [k.dtype for k in frames[0].weights] == [np.float16] * len(w)
    later = frames[2].snapshot
    assert later.stats is run.detail.stats and later.activation_hists is run.detail.activation_hists
    assert tl.frame(3).snapshot.stats is run.detail.stats
    # one output sample and one weight set, held once: 4 entries cost about 1 compact output
    # (float16 grid), 1 compact weight set (float16) and the snapshots' own arrays
    own = sum(a.nbytes for a in snapshot_arrays(run.detail))
    first_own = (
        sum(a.nbytes for a in snapshot_arrays(first)) - out.values.nbytes - (out.xs.nbytes if out.xs is not None else 0)
    )
    data = first_own + own + out.values.nbytes // 4 + sum(a.nbytes for a in w) // 4
    assert data < tl.nbytes < data + 4 * 6000, (data, tl.nbytes)


def test_a_newer_output_does_not_leak_into_earlier_frames(run: Run) -> None:
    tl = Timeline()
    tl.append(dataclasses.replace(run.first, step=0, output=output_at(run, 0)))
    tl.append(dataclasses.replace(run.detail, step=25))
    tl.append(dataclasses.replace(run.detail, step=50, output=output_at(run, 50)))
    tl.append(dataclasses.replace(run.detail, step=75))
    outs = [tl.frame(i).snapshot.output for i in range(4)]
    assert [out_step(o) for o in outs if o is not None] == [0, 0, 50, 50]


def test_cheap_snapshots_only_as_first_and_provisional_newest(run: Run) -> None:
    tl = Timeline()
    tl.append(dataclasses.replace(run.cheap, step=0))  # nothing detailed yet: kept
    assert len(tl) == 1 and not tl.frame(0).snapshot.detail
    tl.append(dataclasses.replace(run.detail, step=25, output=output_at(run, 25)))
    for s in range(26, 40):
        tl.append(dataclasses.replace(run.cheap, step=s))
    # the newest cheap step is shown as the live views showed it: the last histograms, output
    assert len(tl) == 3
    np.testing.assert_array_equal(tl.steps(), [0, 25, 39])
    newest = tl.frame(-1).snapshot
    assert newest.step == 39 and not newest.detail
    assert newest.activation_hists is run.detail.activation_hists and newest.probe is run.detail.probe
    assert newest.output is not None and out_step(newest.output) == 25
    assert newest.stats is run.cheap.stats
    # the next detailed step replaces it
    tl.append(dataclasses.replace(run.detail, step=50))
    np.testing.assert_array_equal(tl.steps(), [0, 25, 50])


def test_index_at_or_before(run: Run) -> None:
    tl = Timeline()
    assert tl.index_at_or_before(10) is None
    for s in (0, 25, 50):
        tl.append(dataclasses.replace(run.detail, step=s))
    tl.append(dataclasses.replace(run.cheap, step=60))
    assert tl.index_at_or_before(-1) is None
    assert [tl.index_at_or_before(s) for s in (0, 24, 25, 49, 50, 59, 60, 10**9)] == [0, 0, 1, 1, 2, 2, 3, 3]
    assert tl.step_at(3) == 60 and tl.step_at(-2) == 50
    with pytest.raises(IndexError):
        tl.frame(4)


def test_steps_must_not_go_back_and_a_repeated_step_replaces(run: Run) -> None:
    tl = Timeline()
    tl.append(dataclasses.replace(run.detail, step=10))
    again = dataclasses.replace(run.detail, step=10, loss=123.0)
    tl.append(again)
    assert len(tl) == 1 and tl.frame(0).snapshot is again
    with pytest.raises(ValueError, match="clear"):
        tl.append(dataclasses.replace(run.detail, step=9))


def test_clear_forgets_everything(run: Run) -> None:
    tl = Timeline(max_entries=8)
    feed(tl, run, 2000)
    assert tl.min_gap > 0 and tl.nbytes > 0
    tl.clear()
    assert len(tl) == 0 and tl.nbytes == 0 and tl.min_gap == 0 and tl.steps().shape == (0,)
    tl.append(dataclasses.replace(run.detail, step=0))
    assert tl.frame(0).weights is None and tl.frame(0).snapshot.output is None
