"""Timeline: a bounded, decimating record of what the views need to redraw past steps.

The views draw a Snapshot (histograms and probe activations come with detailed ones only),
the newest output sample and the newest weights. To show a past step as it was, the timeline
keeps detailed snapshots and, for each, the output sample and the weights that were current
at that step. Outputs and weights arrive far less often than detailed snapshots, so entries
share them: the timeline holds references, never copies.

Memory stays flat on long runs. The timeline is bounded by an entry count and by a byte budget
(counting every distinct array it holds once); when either is exceeded it drops every second
entry, keeping the first and the newest, and from then on keeps new entries at least
:attr:`Timeline.min_gap` steps apart (the spacing of the entries that remain). So, like
:class:`model.history.History`, it always spans the whole run at a resolution that halves each
time it fills.

Cheap (non-detailed) snapshots are kept only where no detailed one can be: the first state of
a run, and the newest step (e.g. the step a run diverged or paused at). The newest cheap one is
held as a provisional last entry that every later snapshot replaces; its frame borrows the
histograms and probe of the newest detailed snapshot, as the live views did.
"""

from __future__ import annotations

import bisect
import dataclasses
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from model.snapshot import OutputSample, Snapshot

#: A network's weight matrices, input → output, as the caller handed them over (never mutated).
Weights = Sequence[NDArray[Any]]

DEFAULT_MAX_ENTRIES = 600
DEFAULT_MAX_BYTES = 150_000_000
#: fields a cheap snapshot lacks and borrows, in its frame, from the newest detailed snapshot
_BORROWED = ("activation_hists", "preactivation_hists", "weight_grad_hists", "probe")


@dataclass(frozen=True)
class TimelineFrame:
    """Everything the views need to redraw one kept step."""

    index: int
    snapshot: Snapshot  # carries the output sample current at its step
    weights: Weights | None  # the weights current at its step (None before any arrived)

    @property
    def step(self) -> int:
        return self.snapshot.step


@dataclass
class _Entry:
    snapshot: Snapshot
    output: OutputSample | None
    weights: Weights | None
    weights_step: int
    donor: Snapshot | None  # a cheap entry's source of histograms and probe

    def arrays(self) -> Iterator[NDArray[Any]]:
        yield from snapshot_arrays(self.snapshot)
        yield from output_arrays(self.output)
        if self.weights is not None:
            yield from self.weights
        if self.donor is not None:
            yield from _borrowed_arrays(self.donor)


def snapshot_arrays(snap: Snapshot) -> Iterator[NDArray[Any]]:
    """Every NumPy array a snapshot holds (statistics, histograms, probe, output, extras)."""
    yield from snap.stats.values()
    yield from _borrowed_arrays(snap)
    yield from output_arrays(snap.output)
    for value in snap.extra.values():
        if isinstance(value, np.ndarray):
            yield value


def output_arrays(out: OutputSample | None) -> Iterator[NDArray[Any]]:
    if out is not None:
        yield out.values
        if out.xs is not None:
            yield out.xs


def _borrowed_arrays(snap: Snapshot) -> Iterator[NDArray[Any]]:
    for name in _BORROWED[:3]:
        arr = getattr(snap, name)
        if arr is not None:
            yield arr
    if snap.probe is not None:
        yield from snap.probe


class Timeline:
    """Detailed snapshots of one run with the outputs and weights current at each, bounded.

    Append snapshots in step order (every step may be passed: cheap ones cost a reference);
    hand over weights with :meth:`set_weights` whenever they arrive, before or after the
    snapshots of their step. Call :meth:`clear` when a new run starts.
    """

    def __init__(self, max_entries: int = DEFAULT_MAX_ENTRIES, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        if max_entries < 4:
            raise ValueError("max_entries must be at least 4")
        if max_bytes <= 0:
            raise ValueError("max_bytes must be positive")
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self._init()

    def _init(self) -> None:
        self.min_gap = 0
        self._entries: list[_Entry] = []
        self._steps: list[int] = []
        self._tail: Snapshot | None = None  # newest cheap snapshot, newer than every entry
        self._newest = -1
        self._output: OutputSample | None = None
        self._detail: Snapshot | None = None
        # weights waiting for their step: the newest at or before the newest snapshot, and
        # any newer ones (sorted by step)
        self._weights: list[tuple[int, Weights]] = []
        # every distinct array held, by id: [array, number of holders]
        self._held: dict[int, list[Any]] = {}
        self._held_bytes = 0

    # -- reading -----------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self._entries) + (self._tail is not None)

    @property
    def nbytes(self) -> int:
        """Bytes of the distinct arrays held (snapshots, outputs, weights), each counted once."""
        extra = 0
        if self._tail is not None:
            extra = sum(a.nbytes for a in snapshot_arrays(self._tail) if id(a) not in self._held)
        return self._held_bytes + extra

    def steps(self) -> NDArray[np.int64]:
        """Step of every entry, oldest first (a fresh array)."""
        out = np.array(self._steps, dtype=np.int64)
        return out if self._tail is None else np.append(out, np.int64(self._tail.step))

    def step_at(self, i: int) -> int:
        """Step of entry ``i`` (negative indices count from the newest)."""
        i = self._index(i)
        return self._steps[i] if i < len(self._entries) else self._newest

    def index_at_or_before(self, step: int) -> int | None:
        """Index of the newest entry whose step is at most ``step`` (None if there is none)."""
        if self._tail is not None and self._tail.step <= step:
            return len(self._entries)
        i = bisect.bisect_right(self._steps, step) - 1
        return i if i >= 0 else None

    def frame(self, i: int) -> TimelineFrame:
        """Entry ``i`` as the views draw it: its snapshot with the output sample current at its
        step (and, for a cheap entry, the newest histograms and probe), and the weights then."""
        i = self._index(i)
        if i < len(self._entries):
            entry = self._entries[i]
        else:
            assert self._tail is not None
            step, weights = self._weights_at(self._tail.step)
            entry = _Entry(self._tail, self._output, weights, step, self._detail)
        return TimelineFrame(index=i, snapshot=_merged(entry), weights=entry.weights)

    def _index(self, i: int) -> int:
        return range(len(self))[i]  # IndexError out of range, like a list

    # -- writing -----------------------------------------------------------------------
    def clear(self) -> None:
        """Forget everything (a new run starts)."""
        self._init()

    def append(self, snap: Snapshot) -> None:
        """Record ``snap``; steps must not decrease (``clear`` first when a new run starts)."""
        if snap.step < self._newest:
            raise ValueError(f"step {snap.step} is older than step {self._newest}: clear() the timeline first")
        if not snap.detail and self._entries:
            if snap.step > self._steps[-1]:
                self._tail = snap
                self._newest = snap.step
            return
        self._tail = None
        self._newest = snap.step
        if snap.output is not None:
            self._swap_output(snap.output)
        if snap.detail:
            self._swap_detail(snap)
        self._drop_old_weights()
        step, weights = self._weights_at(snap.step)
        entry = _Entry(snap, self._output, weights, step, None if snap.detail else self._detail)
        steps = self._steps
        if steps and snap.step == steps[-1]:
            self._drop(len(steps) - 1)  # the same step again: the newer record wins
        elif len(steps) >= 2 and snap.step - steps[-2] < self.min_gap:
            self._drop(len(steps) - 1)  # too close to the one before: replaces the provisional newest
        self._hold(entry.arrays())
        self._entries.append(entry)
        steps.append(snap.step)
        if len(self._entries) > self.max_entries - 1:  # one place is kept for a cheap newest step
            self._decimate()
        while self._held_bytes > self.max_bytes and len(self._entries) > 2:
            self._decimate()

    def set_weights(self, step: int, weights: Weights) -> None:
        """The network's weights from ``step`` on (kept by reference: never mutate them later).

        Entries at or after ``step`` that hold older weights take these; later entries will too,
        until newer weights arrive."""
        ws = self._weights
        k = len(ws)
        while k and ws[k - 1][0] > step:
            k -= 1
        if k and ws[k - 1][0] == step:
            self._release(ws[k - 1][1])
            ws[k - 1] = (step, weights)
        else:
            ws.insert(k, (step, weights))
        self._hold(weights)
        for entry in reversed(self._entries):
            if entry.snapshot.step < step:
                break
            if entry.weights_step <= step and entry.weights is not weights:
                if entry.weights is not None:
                    self._release(entry.weights)
                entry.weights, entry.weights_step = weights, step
                self._hold(weights)
        self._drop_old_weights()
        while self._held_bytes > self.max_bytes and len(self._entries) > 2:
            self._decimate()

    # -- internals ---------------------------------------------------------------------
    def _weights_at(self, step: int) -> tuple[int, Weights | None]:
        for s, w in reversed(self._weights):
            if s <= step:
                return s, w
        return -1, None

    def _drop_old_weights(self) -> None:
        """Let go of weights superseded by newer ones that are at or before the newest step."""
        ws = self._weights
        while len(ws) >= 2 and ws[1][0] <= self._newest:
            self._release(ws.pop(0)[1])

    def _swap_output(self, out: OutputSample) -> None:
        if self._output is not None:
            self._release(output_arrays(self._output))
        self._output = out
        self._hold(output_arrays(out))

    def _swap_detail(self, snap: Snapshot) -> None:
        if self._detail is not None:
            self._release(_borrowed_arrays(self._detail))
        self._detail = snap
        self._hold(_borrowed_arrays(snap))

    def _drop(self, i: int) -> None:
        self._release(self._entries.pop(i).arrays())
        self._steps.pop(i)

    def _decimate(self) -> None:
        """Drop every second entry, keeping the first and the newest; widen the spacing."""
        n = len(self._entries)
        if n <= 2:
            return
        keep = [*range(0, n - 1, 2), n - 1]
        kept = set(keep)
        for i in range(n):
            if i not in kept:
                self._release(self._entries[i].arrays())
        self._entries = [self._entries[i] for i in keep]
        self._steps = [self._steps[i] for i in keep]
        span = self._steps[-1] - self._steps[0]
        self.min_gap = max(self.min_gap, span // (len(self._steps) - 1))

    def _hold(self, arrays: Iterator[NDArray[Any]] | Weights) -> None:
        held = self._held
        for a in arrays:
            slot = held.get(id(a))
            if slot is None:
                held[id(a)] = [a, 1]
                self._held_bytes += a.nbytes
            else:
                slot[1] += 1

    def _release(self, arrays: Iterator[NDArray[Any]] | Weights) -> None:
        held = self._held
        for a in arrays:
            slot = held[id(a)]
            slot[1] -= 1
            if slot[1] == 0:
                del held[id(a)]
                self._held_bytes -= a.nbytes


def _merged(entry: _Entry) -> Snapshot:
    snap = entry.snapshot
    changes: dict[str, Any] = {}
    if snap.output is None and entry.output is not None:
        changes["output"] = entry.output
    if entry.donor is not None:
        for name in _BORROWED:
            if getattr(snap, name) is None and getattr(entry.donor, name) is not None:
                changes[name] = getattr(entry.donor, name)
    return dataclasses.replace(snap, **changes) if changes else snap
