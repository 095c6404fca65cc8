"""History: a bounded, decimating record of per-step scalars and per-layer statistics.

Memory stays flat on long runs: when the buffer is full every second row is dropped and from
then on only every ``stride``-th step is kept, so the history always spans the whole run at
a resolution that halves each time it fills.
"""

from __future__ import annotations

from typing import Protocol

import numpy as np
from numpy.typing import NDArray

from model.snapshot import LAYER_STAT_NAMES, Snapshot

SCALARS: tuple[str, ...] = ("loss", "grad_norm", "test_loss", "train_accuracy", "test_accuracy")


class History:
    """Per-step scalars and per-layer statistics of one run, bounded to ``capacity`` rows."""

    def __init__(self, n_layers: int, capacity: int = 2048) -> None:
        if capacity < 4 or capacity % 2:
            raise ValueError("capacity must be an even number >= 4")
        self.n_layers = n_layers
        self.capacity = capacity
        self.stride = 1
        self._n = 0
        self._steps = np.zeros(capacity, dtype=np.int64)
        self._scalars = {name: np.full(capacity, np.nan) for name in SCALARS}
        self._layers = {name: np.full((capacity, n_layers), np.nan) for name in LAYER_STAT_NAMES}
        # Sparse metrics (accuracy, test loss) arrive on detail steps only; remember the newest
        # so a decimated row still carries a value.
        self._pending: dict[str, float] = {}

    def __len__(self) -> int:
        return self._n

    def clear(self) -> None:
        self.stride = 1
        self._n = 0
        self._pending.clear()

    def append(self, snap: Snapshot) -> None:
        """Record ``snap`` (every step may be passed; decimation decides what is kept)."""
        for name in ("test_loss", "train_accuracy", "test_accuracy"):
            value = getattr(snap, name)
            if value is not None:
                self._pending[name] = float(value)
        if snap.step % self.stride:
            return
        if self._n == self.capacity:
            self._decimate()
            if snap.step % self.stride:
                return
        i = self._n
        self._steps[i] = snap.step
        self._scalars["loss"][i] = snap.loss
        self._scalars["grad_norm"][i] = snap.grad_norm
        for name in ("test_loss", "train_accuracy", "test_accuracy"):
            self._scalars[name][i] = self._pending.pop(name, np.nan)
        k = min(self.n_layers, len(snap.stats["weight_norm"]))
        for name in LAYER_STAT_NAMES:
            self._layers[name][i, :k] = snap.stats[name][:k]
        self._n += 1

    def _decimate(self) -> None:
        keep = slice(1, self.capacity, 2)  # keep the newer of each pair
        drop = slice(0, self.capacity, 2)
        half = self.capacity // 2
        self._steps[:half] = self._steps[keep]
        for name, arr in self._scalars.items():
            kept = arr[keep]
            if name in ("test_loss", "train_accuracy", "test_accuracy"):
                # a sparse measurement on a dropped row moves to its kept neighbour
                kept = np.where(np.isnan(kept), arr[drop], kept)
            arr[:half] = kept
            arr[half:] = np.nan
        for arr2 in self._layers.values():
            arr2[:half] = arr2[keep]
            arr2[half:] = np.nan
        self._n = half
        self.stride *= 2

    @property
    def steps(self) -> NDArray[np.int64]:
        """Step numbers of the kept rows (a view; copy before keeping)."""
        return self._steps[: self._n]

    def scalar(self, name: str) -> NDArray[np.float64]:
        """One of :data:`SCALARS` for the kept rows (NaN where not measured)."""
        return self._scalars[name][: self._n]

    def layer_stat(self, name: str) -> NDArray[np.float64]:
        """(rows, n_layers) values of a per-layer statistic from ``LAYER_STAT_NAMES``."""
        return self._layers[name][: self._n]

    def until(self, step: int) -> HistoryView:
        """This history as it reads with only the rows up to ``step`` (for drawing a past step).

        A live view, not a copy: it reads this history's buffers on every access."""
        return HistoryView(self, step)


class HistoryReader(Protocol):
    """What views read from a history: :class:`History` and :class:`HistoryView` both are one."""

    @property
    def n_layers(self) -> int: ...

    @property
    def stride(self) -> int: ...

    @property
    def steps(self) -> NDArray[np.int64]: ...

    def __len__(self) -> int: ...

    def scalar(self, name: str) -> NDArray[np.float64]: ...

    def layer_stat(self, name: str) -> NDArray[np.float64]: ...


class HistoryView:
    """A read-only :class:`History` cut off after ``step``: the same reading interface, whose
    arrays are slices of the history's own buffers (no copies).

    The cut is found again on every access, so the view stays right while the history grows or
    decimates (rows after ``step`` never show; rows the history dropped are gone here too)."""

    def __init__(self, history: History, step: int) -> None:
        self._history = history
        self.step = step

    def _rows(self) -> int:
        return int(np.searchsorted(self._history.steps, self.step, side="right"))

    def __len__(self) -> int:
        return self._rows()

    @property
    def n_layers(self) -> int:
        return self._history.n_layers

    @property
    def stride(self) -> int:
        return self._history.stride

    @property
    def capacity(self) -> int:
        return self._history.capacity

    @property
    def steps(self) -> NDArray[np.int64]:
        """Step numbers of the kept rows up to the cut (a view; copy before keeping)."""
        return self._history.steps[: self._rows()]

    def scalar(self, name: str) -> NDArray[np.float64]:
        return self._history.scalar(name)[: self._rows()]

    def layer_stat(self, name: str) -> NDArray[np.float64]:
        return self._history.layer_stat(name)[: self._rows()]

    def until(self, step: int) -> HistoryView:
        """A cut at the earlier of ``step`` and this view's own."""
        return HistoryView(self._history, min(step, self.step))
