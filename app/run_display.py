"""How the main window shows its run: the views (the gradients every frame, the others on
their own clocks while training live, app/view_cadence.py), the step, rate and loss readouts,
and the banner's verdict, which a dead or hung engine outranks until it answers again."""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Sequence
from typing import Any

from app import main_layout
from app.status import verdict
from model import Snapshot
from views.settle import settle


class RunDisplay:
    """Owned by a MainWindow (``window``: ``views``, ``view_cadence``, ``history``, ``weights``,
    ``last_finite``, ``banner``, ``transport``)."""

    def __init__(self, window: Any) -> None:
        self.window = window
        #: (time, step) of the newest snapshots: the training rate
        self.rates: deque[tuple[float, int]] = deque(maxlen=120)
        #: what the banner says while the engine is dead or not responding (text function)
        self.engine_note: Callable[[], str] | None = None

    def clear(self) -> None:
        self.rates.clear()
        self.engine_note = None

    def count(self, snap: Snapshot) -> None:
        self.rates.append((time.perf_counter(), snap.step))

    def draw(
        self, snap: Snapshot, *, history: Any = None, weights: Sequence[Any] | None = None, past: bool = False
    ) -> None:
        """Show ``snap`` (``past``: a recorded step with its own ``history`` and ``weights``)."""
        w = self.window
        v = w.views
        history = w.history if history is None else history
        weights = weights if past else w.weights
        # a diverged step is reported by the banner; the views keep the last finite state
        shown = snap if past and not snap.diverged else (w.last_finite or snap)

        def draw(name: str) -> None:
            if name == "network":
                v[name].show_snapshot(shown, history, weights)
            elif name == "gradients":
                v[name].show_snapshot(shown, history, heat=False)
            elif name == "gradients_heat":
                name = "gradients"
                v[name].show_heat(history)
            else:
                v[name].show_snapshot(shown, history)
            settle(v[name])  # one paint per update (views/settle.py)

        live = w.controller is not None
        # live: the gradients every frame, the other views on staggered clocks (app/view_cadence.py)
        w.view_cadence.frame(time.monotonic(), draw, everything=past or not live)
        rate = None
        if len(self.rates) >= 2 and live and not past:
            (t0, s0), (t1, s1) = self.rates[0], self.rates[-1]
            rate = (s1 - s0) / (t1 - t0) if t1 > t0 else 0.0
        main_layout.show_readouts(w, snap, rate)
        if snap.diverged:
            w.stop_diverged()
        pretraining = main_layout.pretraining_text(snap)
        if pretraining is not None:
            self.set_banner(pretraining, "info")
            return
        verdict_ = verdict(snap)
        self.set_banner(verdict_.text, verdict_.kind)

    def set_banner(self, text: str, kind: str) -> None:
        if self.engine_note is not None:
            # a dead or hung engine outranks any verdict until it is restarted; its long
            # notice may take three lines (the banner wraps, never widening the window)
            main_layout.style_banner(self.window.banner, self.engine_note(), "error", lines=3)
        else:
            main_layout.style_banner(self.window.banner, text, kind)

    def engine_trouble(self, note: Callable[[], str] | None) -> None:
        """Say in the banner that the engine died or hangs (``None``: it answers again)."""
        w = self.window
        self.engine_note = note
        w.transport.show_restart(note is not None)
        if note is not None:
            self.set_banner(note(), "error")
        elif w.latest is not None:
            self.draw(w.latest)
