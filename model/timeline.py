"""Timeline: a bounded, decimating record of what the views need to redraw past steps.

The views draw a Snapshot (histograms and probe activations come with detailed ones only),
the newest output sample and the newest weights. To show a past step as it was, the timeline
keeps detailed snapshots and, for each, the output sample and the weights that were current
at that step. Outputs and weights arrive far less often than detailed snapshots, so entries
share them: each set of weights and each output sample is stored once, however many entries
show it.

Weights and output samples are most of an entry's bytes (the default 10×32 net: 75 kB of
weights and a 98 kB output grid against 20 kB of statistics and histograms), so the timeline
keeps them compactly: weights and the output grid's class probabilities as float16 (a quarter
of the bytes; 11 significant bits, finer than the colours and edge widths they are drawn with),
other output samples as float32. Values too large for the narrow type are kept as they came
(float16 ends at 65 504); frames hand output samples back as float64.

Memory stays flat on long runs. The timeline is bounded by an entry count and by a byte budget
that counts what it really holds: every distinct array once, with its object header, and the
Python objects of every snapshot and entry (:attr:`Timeline.nbytes` stays within a few per cent
of what ``tracemalloc`` measures, see the tests). When either is exceeded it drops every second
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
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from model.snapshot import OutputSample, Snapshot

#: A network's weight matrices, input → output, as the caller handed them over (never mutated).
Weights = Sequence[NDArray[Any]]

DEFAULT_MAX_ENTRIES = 600
#: The default byte budget, sized from measurements (benchmarks/bench_soak.py, the main window
#: training for 30 minutes; the target is at most 20 MB of growth after the first minute): with
#: a 12 MB budget (float32 weights) the window grew 20.7 MiB, 9.3 of them the timeline filling
#: and the rest what the allocator keeps of its churn and other creep, so the budget is half
#: that.  On the default 10×32 net a sparse entry (its own weights and output) is ~70 kB:
#: 40–85 entries spread over the whole run, however long.
DEFAULT_MAX_BYTES = 6_000_000
#: bytes of a NumPy array object besides its data (the header; data of views is not counted
#: twice because arrays are counted by identity and views share no data with the timeline)
ARRAY_OVERHEAD = sys.getsizeof(np.empty(0)) + 16
#: bytes the timeline's own bookkeeping spends per distinct object it holds (its holder count,
#: a two-item list; the dictionary of them is counted as it is, it does not shrink)
HELD_OVERHEAD = sys.getsizeof([None, 1])
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


@dataclass(frozen=True, slots=True)
class _Output:
    """An output sample as the timeline keeps it: a grid of class probabilities as float16
    (steps of 1/2048 at most, finer than a colour's 1/256), other values as float32."""

    kind: str
    values: NDArray[Any]
    xs: NDArray[Any] | None
    extent: tuple[float, float, float, float] | None

    @classmethod
    def of(cls, out: OutputSample) -> _Output:
        values = _narrowed(out.values, np.float16 if out.kind == "grid" else np.float32)
        return cls(out.kind, values, out.xs, out.extent)

    def sample(self) -> OutputSample:
        """The output sample again, float64 as the views are given it (a fresh copy)."""
        return OutputSample(self.kind, self.values.astype(np.float64), self.xs, self.extent)

    def arrays(self) -> Iterator[NDArray[Any]]:
        yield self.values
        if self.xs is not None:
            yield self.xs


@dataclass(slots=True)
class _Entry:
    snapshot: Snapshot  # never carries an output sample: that is ``output``
    output: _Output | None
    weights: Weights | None
    weights_step: int
    donor: Snapshot | None  # a cheap entry's source of histograms and probe

    def parts(self) -> Iterator[object]:
        """Everything this entry holds that costs memory (shared parts are counted once)."""
        yield self.snapshot
        yield from snapshot_arrays(self.snapshot)
        if self.output is not None:
            yield self.output
            yield from self.output.arrays()
        if self.weights is not None:
            yield self.weights
            yield from self.weights
        if self.donor is not None:
            yield from _borrowed_arrays(self.donor)


#: bytes of an entry's own objects: the entry, its places in the entry and step lists, its step
ENTRY_OVERHEAD = sys.getsizeof(object.__new__(_Entry)) + 2 * 8 + 32


def _narrowed(a: NDArray[Any], dtype: type[np.floating[Any]] = np.float32) -> NDArray[Any]:
    """``a`` as a read-only copy of the narrower ``dtype``, or ``a`` itself if that would change
    what is finite (values beyond its range)."""
    if a.dtype.itemsize <= np.dtype(dtype).itemsize:
        return a
    with np.errstate(over="ignore", invalid="ignore"):
        out = a.astype(dtype)
    if np.isfinite(out).sum() != np.isfinite(a).sum():
        return a
    out.flags.writeable = False
    return out


def compact_weights(weights: Weights) -> tuple[NDArray[Any], ...]:
    """Weights as the timeline keeps them: float16 read-only copies (see :func:`_narrowed`)."""
    return tuple(_narrowed(np.asarray(w), np.float16) for w in weights)


def cost(obj: object) -> int:
    """Bytes ``obj`` occupies itself (not counting the arrays and snapshots it refers to)."""
    if isinstance(obj, np.ndarray):
        return int(obj.nbytes) + ARRAY_OVERHEAD
    if isinstance(obj, Snapshot):
        return snapshot_object_bytes(obj)
    return sys.getsizeof(obj)


def snapshot_object_bytes(snap: Snapshot) -> int:
    """Bytes of a snapshot's Python objects (itself, its field dictionary, the containers and
    numbers in it), without its arrays."""
    n = sys.getsizeof(snap) + sys.getsizeof(snap.__dict__)
    for value in snap.__dict__.values():
        if isinstance(value, (dict, tuple, float)):
            n += sys.getsizeof(value)
    return n


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
        self._output: _Output | None = None
        self._detail: Snapshot | None = None
        # weights waiting for their step: the newest at or before the newest snapshot, and
        # any newer ones (sorted by step), compacted
        self._weights: list[tuple[int, Weights]] = []
        # every distinct object held (snapshots, arrays, weight tuples, outputs), by id:
        # [object, number of holders]
        self._held: dict[int, list[Any]] = {}
        self._held_bytes = 0
        self._tail_cost = 0  # bytes of a cheap newest snapshot (all of a run's are alike)

    # -- reading -----------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self._entries) + (self._tail is not None)

    @property
    def nbytes(self) -> int:
        """Bytes held: every distinct array (with its header), snapshot, weight set and output
        once, and every entry's own objects (what the byte budget bounds)."""
        extra = 0
        if self._tail is not None:
            tail = [self._tail, *snapshot_arrays(self._tail)]
            extra = sum(cost(a) for a in tail if id(a) not in self._held)
        return self._own_bytes() + extra

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
                if not self._tail_cost:  # the first of the run: from now on room is kept for it
                    self._tail_cost = sum(cost(a) for a in (snap, *snapshot_arrays(snap)))
                    self._fit()
            return
        self._tail = None
        self._newest = snap.step
        if snap.output is not None:
            # kept compactly beside the snapshot: the float64 sample is let go of
            self._swap_output(_Output.of(snap.output))
            snap = dataclasses.replace(snap, output=None)
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
        self._hold(entry.parts())
        self._entries.append(entry)
        steps.append(snap.step)
        if len(self._entries) > self.max_entries - 1:  # one place is kept for a cheap newest step
            self._decimate()
        self._fit()

    def set_weights(self, step: int, weights: Weights) -> None:
        """The network's weights from ``step`` on (kept as a float16 copy, see the module
        docstring).

        Entries at or after ``step`` that hold older weights take these; later entries will too,
        until newer weights arrive."""
        weights = compact_weights(weights)
        ws = self._weights
        k = len(ws)
        while k and ws[k - 1][0] > step:
            k -= 1
        if k and ws[k - 1][0] == step:
            self._release(_weight_parts(ws[k - 1][1]))
            ws[k - 1] = (step, weights)
        else:
            ws.insert(k, (step, weights))
        self._hold(_weight_parts(weights))
        for entry in reversed(self._entries):
            if entry.snapshot.step < step:
                break
            if entry.weights_step <= step and entry.weights is not weights:
                if entry.weights is not None:
                    self._release(_weight_parts(entry.weights))
                entry.weights, entry.weights_step = weights, step
                self._hold(_weight_parts(weights))
        self._drop_old_weights()
        self._fit()

    # -- internals ---------------------------------------------------------------------
    def _fit(self) -> None:
        """Decimate until the entries and a cheap newest snapshot fit the byte budget."""
        while self._own_bytes() + self._tail_cost > self.max_bytes and len(self._entries) > 2:
            self._decimate()

    def _own_bytes(self) -> int:
        table = sys.getsizeof(self._held) if self._held else 0  # a dict never shrinks: count it
        return self._held_bytes + len(self._entries) * ENTRY_OVERHEAD + table

    def _weights_at(self, step: int) -> tuple[int, Weights | None]:
        for s, w in reversed(self._weights):
            if s <= step:
                return s, w
        return -1, None

    def _drop_old_weights(self) -> None:
        """Let go of weights superseded by newer ones that are at or before the newest step."""
        ws = self._weights
        while len(ws) >= 2 and ws[1][0] <= self._newest:
            self._release(_weight_parts(ws.pop(0)[1]))

    def _swap_output(self, out: _Output) -> None:
        if self._output is not None:
            self._release(_output_parts(self._output))
        self._output = out
        self._hold(_output_parts(out))

    def _swap_detail(self, snap: Snapshot) -> None:
        if self._detail is not None:
            self._release(_borrowed_arrays(self._detail))
        self._detail = snap
        self._hold(_borrowed_arrays(snap))

    def _drop(self, i: int) -> None:
        self._release(self._entries.pop(i).parts())
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
                self._release(self._entries[i].parts())
        self._entries = [self._entries[i] for i in keep]
        self._steps = [self._steps[i] for i in keep]
        span = self._steps[-1] - self._steps[0]
        self.min_gap = max(self.min_gap, span // (len(self._steps) - 1))

    def _hold(self, parts: Iterable[object]) -> None:
        held = self._held
        for a in parts:
            slot = held.get(id(a))
            if slot is None:
                held[id(a)] = [a, 1]
                self._held_bytes += cost(a) + HELD_OVERHEAD
            else:
                slot[1] += 1

    def _release(self, parts: Iterable[object]) -> None:
        held = self._held
        for a in parts:
            slot = held[id(a)]
            slot[1] -= 1
            if slot[1] == 0:
                del held[id(a)]
                self._held_bytes -= cost(a) + HELD_OVERHEAD


def _weight_parts(weights: Weights) -> Iterator[object]:
    yield weights
    yield from weights


def _output_parts(out: _Output) -> Iterator[object]:
    yield out
    yield from out.arrays()


def _merged(entry: _Entry) -> Snapshot:
    snap = entry.snapshot
    changes: dict[str, Any] = {}
    if snap.output is None and entry.output is not None:
        changes["output"] = entry.output.sample()
    if entry.donor is not None:
        for name in _BORROWED:
            if getattr(snap, name) is None and getattr(entry.donor, name) is not None:
                changes[name] = getattr(entry.donor, name)
    return dataclasses.replace(snap, **changes) if changes else snap
