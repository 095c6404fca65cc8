"""Which of a window's views draw in a display frame: some every frame, the others each on its
own clock, staggered so that at most one of them draws in any frame.

Measured in the main window at 3840×2160 (benchmarks/bench_gui.py --frame-cost): every view
redrew every frame, and the network drawing alone (its gradient bands move every step, and
repainting them repaints every edge behind them) cost 9 ms of CPU per frame, the two loss
plots 7 ms, the activations 2 ms.  Loss curves, histograms and the network change little
between two frames; at 10–15 redraws a second they still move smoothly, while the gradient
view, what the window is for, keeps every frame.

The views a frame leaves out are not lost: the newest state's drawing waits, and
:meth:`ViewCadence.catch_up` (called on every tick of the display timer, with or without new
data) draws each left-out view once its time has come, so the last state of a paused run
always reaches every view.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping


class ViewCadence:
    """``intervals`` maps a view's name to its redraw interval in seconds (0: every frame)."""

    def __init__(self, intervals: Mapping[str, float]) -> None:
        self.intervals = dict(intervals)
        slow = [name for name, interval in self.intervals.items() if interval > 0]
        shortest = min((self.intervals[name] for name in slow), default=0.0)
        #: first due times spread over the shortest interval: the slow views take turns
        self._offsets = {name: shortest * i / max(len(slow), 1) for i, name in enumerate(slow)}
        self._next: dict[str, float] = {}
        self._pending: set[str] = set()
        self._draw: Callable[[str], None] | None = None

    def frame(self, now: float, draw: Callable[[str], None], *, everything: bool = False) -> None:
        """A new state to show: ``draw(name)`` the views that are due (every view with
        ``everything``: a past step, a headless frame); the others wait for ``catch_up``."""
        self._draw = draw
        self._pending = set(self.intervals)
        self.catch_up(now, everything=everything)

    def catch_up(self, now: float, *, everything: bool = False) -> list[str]:
        """Draw the waiting views whose time has come (at most one slow one); their names."""
        if self._draw is None:
            return []
        drawn = [n for n in self.intervals if n in self._pending and (everything or self.intervals[n] == 0)]
        if not everything:
            due = sorted(
                (self._next.setdefault(name, now + self._offsets[name]), name)
                for name in self._pending
                if self.intervals[name] > 0
            )
            if due and due[0][0] <= now:
                drawn.append(due[0][1])
        for name in drawn:
            self._draw(name)
            self._pending.discard(name)
            interval = self.intervals[name]
            if interval > 0:
                self._next[name] = max(self._next.get(name, now) + interval, now)
        if not self._pending:
            self._draw = None
        return drawn

    @property
    def waiting(self) -> frozenset[str]:
        """Views whose newest state is not drawn yet."""
        return frozenset(self._pending)
