"""TimelineGroup: the timelines of several runs, scrubbed together by training step.

A compare window records each run in its own :class:`model.timeline.Timeline` (runs train
at different speeds, so their entries fall on different steps).  The group offers one list of
entries to scrub — the entries of the run that has trained furthest, so a run that diverged
or fell behind never shortens the scrubber — and, for an entry, every run's frame at or
before that entry's step (a run that had not reached it yet shows its newest state; a run
with nothing recorded yet shows nothing).

It has the reading interface :class:`app.timeline_bar.TimelineBar` uses (``len``,
``step_at``, ``index_at_or_before``), so the same bar drives a single run or a comparison.
"""

from __future__ import annotations

from collections.abc import Sequence

from model.timeline import Timeline, TimelineFrame


class TimelineGroup:
    """Several runs' timelines under one scrubber (see the module docstring)."""

    def __init__(self, timelines: Sequence[Timeline]) -> None:
        if not timelines:
            raise ValueError("a timeline group needs at least one timeline")
        self.timelines = list(timelines)

    @property
    def lead(self) -> Timeline:
        """The timeline whose entries are scrubbed: the run that has trained furthest."""
        recorded = [t for t in self.timelines if len(t)]
        if not recorded:
            return self.timelines[0]
        return max(recorded, key=lambda t: t.step_at(-1))

    def __len__(self) -> int:
        return len(self.lead)

    def step_at(self, i: int) -> int:
        return self.lead.step_at(i)

    def index_at_or_before(self, step: int) -> int | None:
        return self.lead.index_at_or_before(step)

    def frames(self, i: int) -> list[TimelineFrame | None]:
        """Every run's frame at or before the step of entry ``i`` (None: nothing recorded yet)."""
        return self.frames_at_step(self.step_at(i))

    def frames_at_step(self, step: int) -> list[TimelineFrame | None]:
        out: list[TimelineFrame | None] = []
        for timeline in self.timelines:
            j = timeline.index_at_or_before(step)
            if j is None and len(timeline):
                j = 0  # the run's first record is after ``step``: its earliest state
            out.append(None if j is None else timeline.frame(j))
        return out

    def clear(self) -> None:
        for timeline in self.timelines:
            timeline.clear()
