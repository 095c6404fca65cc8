"""TimelineGroup: runs of different speed scrubbed together by step (against each run's own
Timeline as the reference)."""

from __future__ import annotations

import pytest

from model import ExperimentConfig, Trainer
from model.timeline import Timeline
from model.timeline_group import TimelineGroup

CONFIG = ExperimentConfig(depth=3, width=8, n_samples=200)


def _record(timeline: Timeline, trainer: Trainer, steps: int, detail_every: int) -> None:
    for i in range(steps):
        timeline.append(trainer.step(detail=(i + 1) % detail_every == 0))


def test_the_furthest_run_leads_and_every_run_shows_its_state_at_that_step() -> None:
    fast, slow = Timeline(), Timeline()
    _record(fast, Trainer(CONFIG), 60, 5)
    _record(slow, Trainer(CONFIG.replace(activation="tanh")), 23, 5)
    group = TimelineGroup([slow, fast])
    assert group.lead is fast and len(group) == len(fast)
    assert group.step_at(-1) == 60
    for i in range(len(group)):
        step = group.step_at(i)
        slow_frame, fast_frame = group.frames(i)
        assert fast_frame is not None and fast_frame.step == step
        assert slow_frame is not None
        # the slow run's newest record at or before the step (or its newest, if behind)
        j = slow.index_at_or_before(step)
        assert slow_frame.step == slow.step_at(j if j is not None else 0)
        assert slow_frame.step <= max(step, slow.step_at(0))
    # past the slow run's end: it stays on its last state
    assert group.frames(len(group) - 1)[0].step == 23
    assert group.index_at_or_before(37) == fast.index_at_or_before(37)


def test_an_empty_run_shows_nothing_and_clear_forgets_all() -> None:
    one, empty = Timeline(), Timeline()
    _record(one, Trainer(CONFIG), 10, 5)
    group = TimelineGroup([one, empty])
    assert group.frames(0)[1] is None
    group.clear()
    assert len(group) == 0 and len(one) == 0
    with pytest.raises(ValueError):
        TimelineGroup([])
