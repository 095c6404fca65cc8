"""The compare window's timeline: scrub back through every run at once.

Each run is recorded in its own :class:`model.timeline.Timeline`; a
:class:`model.timeline_group.TimelineGroup` puts them under the bar of
:class:`app.timeline_controller.TimelineControl`, the main window's timeline too.  Choosing an
entry pauses training and shows every run as it was at that entry's step (a run that had not
got there shows its newest state); Live returns to the newest state of every run and goes on training.
"""

from __future__ import annotations

from typing import Any

from app.timeline_controller import TimelineControl
from app.worker import Updates
from model.timeline import Timeline, TimelineFrame
from model.timeline_group import TimelineGroup
from views.settle import settle


class CompareTimeline(TimelineControl):
    """Owned by a CompareWindow (``columns``, ``overlay``, ``playing``, ``pause``, ``play``, ``_draw``)."""

    def __init__(self, window: Any) -> None:
        self.timelines = [Timeline() for _ in window.columns]
        self.group = TimelineGroup(self.timelines)
        super().__init__(window, self.group)
        self.make_bar().setObjectName("compare_timeline")

    def record(self, index: int, updates: Updates) -> None:
        """Keep what run ``index`` produced (a fresh network starts its timeline again)."""
        timeline = self.timelines[index]
        if updates.ready is not None:
            timeline.clear()
        for snap in updates.snapshots:
            if len(timeline) and snap.step < timeline.step_at(-1):
                timeline.clear()  # a restarted engine counts from 0 again
            timeline.append(snap)
        if updates.snapshots or updates.ready is not None:
            self.bar.set_count()

    def clear(self) -> None:
        """Every run starts again: forget the past and follow the newest steps."""
        self.group.clear()
        self.bar.set_live()

    # -- drawing -----------------------------------------------------------------------
    def show_entry(self, index: int) -> None:
        self.show(self.group.frames(index))

    def show(self, frames: list[TimelineFrame | None]) -> None:
        """Draw every run's ``frames`` entry (its state at one step)."""
        for column, frame in zip(self.window.columns, frames, strict=True):
            if frame is None:
                continue
            snap = frame.snapshot
            history = column.history.until(frame.step)
            column.show_past(snap, history)
        self.window.overlay.show_snapshots([None if f is None else f.snapshot for f in frames])
        settle(self.window.overlay)

    def show_newest(self) -> None:
        """Every run's newest state again (all views redrawn now)."""
        for column in self.window.columns:
            column.dirty = column.slow_dirty = column.fresh = True
            column.forget_drawn_output()
        self.window._draw(None)
