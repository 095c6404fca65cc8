"""Which parts of a compare window are drawn in one display frame.

Measured (benchmarks/bench_gui.py --compare noisy-relu, py-spy on the GUI thread): the
frame went to repainting every run's plots every frame — each column's gradient view (bars,
heat map and their axes), its step/loss line and verdict, plus the loss and output views of
whichever column's slow clock came due, on top of the overlaid gradient plot.  With three
runs that is four gradient plots and up to six slow views in one frame.

The cadence draws, per frame:

* the overlaid gradient plot (what the window is for) whenever any run has a new step;
* the gradient view, numbers and verdict of **one** run, in turn (with N runs each is drawn
  at 1/N of the frame rate: 30 Hz for two runs, 20 Hz for three);
* the slow views (loss, output) of at most one run, on its staggered clock, and never of the
  run whose gradients were drawn in the same frame (when another run can go instead).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any


class Cadence:
    """Round-robin turns over a compare window's columns."""

    def __init__(self, n_runs: int) -> None:
        self.n = n_runs
        self._fast_next = 0
        self._slow_next = 0

    def _next(self, start: int, wanted: Sequence[bool], avoid: int | None = None) -> int | None:
        candidates = [(start + k) % self.n for k in range(self.n)]
        chosen = [i for i in candidates if wanted[i]]
        if not chosen:
            return None
        for i in chosen:
            if i != avoid:
                return i
        return chosen[0]

    def draw(self, columns: Sequence[Any], now: float) -> bool:
        """Draw this frame's share of ``columns``; True when a column drew its newest snapshot."""
        fast = self._next(self._fast_next, [column.dirty for column in columns])
        drawn = False
        if fast is not None:
            self._fast_next = (fast + 1) % self.n
            drawn = columns[fast].draw_fast()
        slow = self._next(self._slow_next, [column.slow_due(now) for column in columns], avoid=fast)
        if slow is not None:
            self._slow_next = (slow + 1) % self.n
            columns[slow].draw_slow(now)
        return drawn


def engine_share(n_runs: int, cores: int | None = None) -> float:
    """How many times less often each of ``n_runs`` engines takes a detailed step.

    The runs' engines and the window's GUI process share the cores: with more of them than
    cores (three runs and a window on two cores: 4 / 2), each engine's detailed statistics and
    output samples (up to ~30 % of an engine's time alone) come that many times less often,
    which is still more often than the window draws one run's views (once per N frames).
    """
    cores = cores or os.cpu_count() or 1
    return max(1.0, (n_runs + 1) / cores)
