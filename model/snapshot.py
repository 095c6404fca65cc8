"""Snapshot: a frozen record of one training step, safe to hand to another thread.

Every array in a Snapshot is a private, read-only copy: the trainer never writes it again.
Per-layer statistics are stored column-wise (one array per statistic, one entry per weight
layer, input → output) because views draw whole columns; :attr:`Snapshot.layers` offers the
same numbers row-wise as :class:`LayerStats`.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]

#: Names of the cheap statistics computed every step, one value per weight layer.
LAYER_STAT_NAMES: tuple[str, ...] = (
    "weight_norm",
    "weight_grad_norm",
    "bias_grad_norm",
    "delta_norm",
    "update_ratio",
    "activation_mean",
    "activation_std",
    "saturated_fraction",
    "zero_fraction",
    "dead_fraction",
)

#: Fixed histogram bin edges, identical for every layer and step so bars can be compared.
ACTIVATION_BINS: FloatArray = np.linspace(-3.0, 3.0, 61)
PREACTIVATION_BINS: FloatArray = np.linspace(-8.0, 8.0, 65)
#: log10 |dL/dW| bins; values outside are counted in the end bins, exact zeros in the first.
GRADIENT_LOG_BINS: FloatArray = np.linspace(-12.0, 4.0, 65)


@dataclass(frozen=True)
class LayerStats:
    """Statistics of one weight layer for one step (row view of a Snapshot)."""

    index: int
    weight_norm: float
    weight_grad_norm: float
    bias_grad_norm: float
    delta_norm: float
    update_ratio: float
    activation_mean: float
    activation_std: float
    saturated_fraction: float
    zero_fraction: float
    dead_fraction: float
    activation_hist: FloatArray | None = None
    preactivation_hist: FloatArray | None = None
    weight_grad_hist: FloatArray | None = None


@dataclass(frozen=True)
class OutputSample:
    """What the output view draws, computed by the trainer on detail steps.

    ``kind`` is ``"grid"`` (2-D classification: class probabilities on a grid spanning
    ``extent`` = (xmin, xmax, ymin, ymax); ``values`` has shape (ny, nx, classes)),
    ``"curve"`` (1-D regression: ``xs`` and predicted ``values``), or ``"confusion"``
    (many-feature classification: ``values`` is the test-set confusion matrix, rows = truth).
    """

    kind: str
    values: FloatArray
    xs: FloatArray | None = None
    extent: tuple[float, float, float, float] | None = None


def _frozen(a: Any) -> Any:
    if isinstance(a, np.ndarray):
        a = np.array(a, copy=True)
        a.flags.writeable = False
    return a


@dataclass(frozen=True)
class Snapshot:
    """The state of one training step.

    Statistics describe the step's own forward/backward pass, i.e. before its update
    (``update_ratio`` describes the update that the step then applied).
    """

    step: int
    loss: float
    grad_norm: float
    clipped: bool
    diverged: bool
    stats: dict[str, FloatArray]
    layer_sizes: tuple[int, ...]
    diverged_layer: int | None = None
    diverged_reason: str = ""
    learning_rate: float = 0.0
    phase: str = "train"
    pretrain_layer: int | None = None
    detail: bool = False
    train_accuracy: float | None = None
    test_accuracy: float | None = None
    test_loss: float | None = None
    activation_hists: FloatArray | None = None
    preactivation_hists: FloatArray | None = None
    weight_grad_hists: FloatArray | None = None
    probe: tuple[FloatArray, ...] | None = None
    output: OutputSample | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def create(cls, owned: bool = False, **kwargs: Any) -> Snapshot:
        """Build a snapshot whose arrays are read-only copies of the given ones.

        ``owned=True`` promises that the per-layer ``stats`` arrays are fresh float64 arrays
        nobody else holds (the trainer's case): they are frozen in place instead of copied.
        """
        if owned:
            stats = kwargs.pop("stats")
            for arr in stats.values():
                arr.flags.writeable = False
            if all(kwargs.get(k) is None for k in _HEAVY_FIELDS):
                # the every-step case: skip the dataclass __init__ (a measurable share of a
                # step), filling the same attributes directly
                snap = object.__new__(cls)
                fields_ = dict(_DEFAULTS)
                fields_["extra"] = {}
                fields_.update(kwargs)
                fields_["stats"] = stats
                snap.__dict__.update(fields_)
                return snap
        else:
            stats = {k: _frozen(np.asarray(v, dtype=np.float64)) for k, v in kwargs.pop("stats").items()}
        for key in ("activation_hists", "preactivation_hists", "weight_grad_hists"):
            if kwargs.get(key) is not None:
                kwargs[key] = _frozen(np.asarray(kwargs[key], dtype=np.float64))
        if kwargs.get("probe") is not None:
            kwargs["probe"] = tuple(_frozen(np.asarray(p, dtype=np.float64)) for p in kwargs["probe"])
        out = kwargs.get("output")
        if out is not None:
            kwargs["output"] = OutputSample(
                kind=out.kind,
                values=_frozen(out.values),
                xs=_frozen(out.xs) if out.xs is not None else None,
                extent=out.extent,
            )
        return cls(stats=stats, **kwargs)

    def __reduce_ex__(self, protocol: Any) -> Any:
        """Pickle the every-step snapshot (no heavy fields) compactly.

        Snapshots cross the pipe from the engine process thousands of times a second: one
        bytes block for the per-layer statistics and a tuple of the plain fields pickle and
        unpickle about three times faster than ten arrays and a ``__dict__``.
        """
        d = self.__dict__
        stats = d["stats"]
        if d["extra"] or any(d[k] is not None for k in _HEAVY_FIELDS) or stats.keys() != _STAT_NAME_SET:
            return super().__reduce_ex__(protocol)
        columns = [stats[name] for name in LAYER_STAT_NAMES]
        n_layers = len(columns[0])
        table = b"".join([c.tobytes() for c in columns])  # float64 by construction (create)
        if len(table) != 8 * n_layers * len(columns):
            return super().__reduce_ex__(protocol)
        plain = tuple(d[k] for k in _PLAIN_FIELDS)
        return (_unpack_plain, (plain, n_layers, table))

    @property
    def n_layers(self) -> int:
        """Number of weight layers (hidden layers + the output layer)."""
        return len(self.layer_sizes) - 1

    @cached_property
    def layers(self) -> tuple[LayerStats, ...]:
        """One :class:`LayerStats` per weight layer, input → output."""
        rows = []
        for i in range(self.n_layers):
            values = {name: float(self.stats[name][i]) for name in LAYER_STAT_NAMES}
            rows.append(
                LayerStats(
                    index=i,
                    activation_hist=None if self.activation_hists is None else self.activation_hists[i],
                    preactivation_hist=None if self.preactivation_hists is None else self.preactivation_hists[i],
                    weight_grad_hist=None if self.weight_grad_hists is None else self.weight_grad_hists[i],
                    **values,
                )
            )
        return tuple(rows)


_HEAVY_FIELDS = ("activation_hists", "preactivation_hists", "weight_grad_hists", "probe", "output")
_STAT_NAME_SET = frozenset(LAYER_STAT_NAMES)
_PLAIN_FIELDS = tuple(f.name for f in dataclasses.fields(Snapshot) if f.name not in ("stats", "extra", *_HEAVY_FIELDS))


def _unpack_plain(plain: tuple[Any, ...], n_layers: int, table: bytes) -> Snapshot:
    """Rebuild a snapshot pickled by :meth:`Snapshot.__reduce_ex__` (read-only stats rows)."""
    rows = np.frombuffer(table, dtype=np.float64).reshape(len(LAYER_STAT_NAMES), n_layers)
    snap = object.__new__(Snapshot)
    fields_ = dict(zip(_PLAIN_FIELDS, plain, strict=True))
    fields_.update(dict.fromkeys(_HEAVY_FIELDS))
    fields_["extra"] = {}
    fields_["stats"] = dict(zip(LAYER_STAT_NAMES, rows, strict=True))
    snap.__dict__.update(fields_)
    return snap


_DEFAULTS: dict[str, Any] = {
    f.name: f.default for f in dataclasses.fields(Snapshot) if f.default is not dataclasses.MISSING
}
