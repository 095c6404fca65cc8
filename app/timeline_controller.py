"""Scrubbing back through a run's past, written once for the main and the compare window.

:class:`TimelineControl` owns a :class:`app.view_deck.FitTimelineBar` over what the window
records (a :class:`model.timeline.Timeline`, or a :class:`model.timeline_group.TimelineGroup`
of every run).  Choosing an entry pauses training and shows the window as it was then
(``show_entry``); Live shows the newest state again (``show_newest``) and goes on training;
``go_live`` leaves a scrubbed position before training goes on.  :class:`MainTimeline` draws
the main window's views; :class:`app.compare_timeline.CompareTimeline` every run's column.
"""

from __future__ import annotations

from typing import Any

from PySide6 import QtCore

from app.view_deck import FitTimelineBar
from model.timeline import DEFAULT_MAX_BYTES, Timeline

#: memory the main window's timeline may hold for scrubbing back (entries are decimated to stay
#: under it; the budget is sized in model/timeline.py)
TIMELINE_BYTES = DEFAULT_MAX_BYTES


class TimelineControl(QtCore.QObject):
    """Owned by a window with ``playing``, ``pause()`` and ``play()``; ``source`` is what the
    bar scrubs through (``len`` entries).  The window places the bar ``make_bar`` gives."""

    bar: FitTimelineBar

    def __init__(self, window: Any, source: Any) -> None:
        super().__init__(window)
        self.window = window
        self.source = source

    def make_bar(self) -> FitTimelineBar:
        """A new bar (a window that rebuilds its widgets asks again); it replaces ``bar``.
        It sheds its rate box and label when narrow (a large type on a small screen)."""
        self.bar = FitTimelineBar(self.source)
        self.bar.scrubbed.connect(self._on_scrubbed)
        self.bar.live_requested.connect(self._on_live_requested)
        return self.bar

    def is_live(self) -> bool:
        return self.bar.is_live()

    def position(self) -> int | None:
        """The entry shown, or None while following the newest steps."""
        return None if self.bar.is_live() else self.bar.index()

    def show_position(self, index: int) -> None:
        """Scrub to entry ``index`` (a rebuilt bar shows where the old one was)."""
        self.bar.set_count()
        self.bar.slider.setValue(index)
        self._on_scrubbed(index)

    def go_live(self) -> None:
        """Training goes on from the live end: leave a scrubbed position first."""
        if not self.bar.is_live():
            self.bar.set_live()
            self.show_newest()

    @QtCore.Slot(int)
    def _on_scrubbed(self, index: int) -> None:
        if self.window.playing:
            self.window.pause()
        if 0 <= index < len(self.source):
            self.show_entry(index)

    @QtCore.Slot()
    def _on_live_requested(self) -> None:
        self.show_newest()
        self.play_on()

    # -- what a window shows -------------------------------------------------------------
    def show_entry(self, index: int) -> None:
        raise NotImplementedError

    def show_newest(self) -> None:
        raise NotImplementedError

    def play_on(self) -> None:
        self.window.play()


class MainTimeline(TimelineControl):
    """The main window's run (``window.history``, ``weights``, ``diverged``, ``display``)."""

    def __init__(self, window: Any) -> None:
        self.timeline = Timeline(max_bytes=TIMELINE_BYTES)
        super().__init__(window, self.timeline)

    def show_entry(self, index: int) -> None:
        """Every view as it was at entry ``index``."""
        w = self.window
        frame = self.timeline.frame(index)
        w.display.draw(frame.snapshot, history=w.history.until(frame.step), weights=frame.weights, past=True)

    def show_newest(self) -> None:
        if len(self.timeline):
            frame = self.timeline.frame(-1)
            # the newest entry carries the newest histograms and output: it replaces the past
            # drawing the views keep
            self.window.display.draw(frame.snapshot, weights=frame.weights or self.window.weights, past=True)

    def play_on(self) -> None:
        if not self.window.diverged:
            self.window.play()

    def clear(self) -> None:
        """A new run: forget the past and follow the newest steps."""
        self.timeline.clear()
        self.bar.set_live()
