"""What a sweep is: its fields and values parsed from the command line's texts, its grid
points and the config of each (point, seed)."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from model.config import ConfigError, ExperimentConfig

MEASURED: tuple[str, ...] = (
    "grad_ratio_init",
    "grad_ratio_final",
    "loss_final",
    "test_accuracy_final",
    "diverged_fraction",
)
THEORY: tuple[str, ...] = ("chi1", "q_star", "depth_scale")
MEASURES: tuple[str, ...] = MEASURED + THEORY
MAX_AXES = 2
MAX_POINTS_PER_AXIS = 500
MAX_SEEDS = 100
MAX_STEPS = 1_000_000
#: fields a sweep cannot vary: seeds have their own option
NOT_VARIABLE = frozenset({"seed"})
FORMAT_VERSION = 1


class SweepError(ValueError):
    """A sweep that cannot run as asked; the message names the problem."""


# -- parsing fields and values -------------------------------------------------------------------
_FIELDS = {f.name: f for f in dataclasses.fields(ExperimentConfig)}
_DEFAULTS = ExperimentConfig()


def _kind(name: str) -> str:
    """``int``, ``float``, ``bool``, ``str`` or ``optional`` (a float that may be none)."""
    default = getattr(_DEFAULTS, name)
    if default is None:
        return "optional"
    if isinstance(default, bool):
        return "bool"
    return type(default).__name__


def _field(name: str) -> str:
    name = name.strip()
    if name not in _FIELDS:
        raise SweepError(f"unknown config field {name!r}; known fields: {', '.join(_FIELDS)}")
    return name


def parse_value(name: str, text: str) -> Any:
    """``text`` as a value of config field ``name`` (type only; the config validates ranges)."""
    kind = _kind(name)
    t = text.strip()
    try:
        if kind == "int":
            return int(t)
        if kind == "float":
            return float(t)
        if kind == "optional":
            return None if t.lower() in ("none", "null", "") else float(t)
    except ValueError:
        raise SweepError(f"{name} needs a number; got {text!r}") from None
    if kind == "bool":
        if t.lower() in ("true", "1", "yes", "on"):
            return True
        if t.lower() in ("false", "0", "no", "off"):
            return False
        raise SweepError(f"{name} needs true or false; got {text!r}")
    return t


def parse_set(text: str) -> tuple[str, Any]:
    """``FIELD=VALUE`` → (field, value)."""
    if "=" not in text:
        raise SweepError(f"--set needs FIELD=VALUE; got {text!r}")
    name, value = text.split("=", 1)
    name = _field(name)
    return name, parse_value(name, value)


@dataclass(frozen=True)
class Axis:
    """One varied field and its values, in grid order."""

    field: str
    values: tuple[Any, ...]
    log: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {"field": self.field, "values": list(self.values), "log": self.log}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Axis:
        try:
            field, values, log = data["field"], data["values"], bool(data.get("log", False))
        except (KeyError, TypeError):
            raise SweepError("a sweep axis needs 'field' and 'values'") from None
        if not isinstance(values, list) or not values:
            raise SweepError(f"axis {field!r}: 'values' must be a non-empty list")
        return cls(_field(str(field)), tuple(values), log)


def parse_vary(text: str) -> Axis:
    """``FIELD=V1,V2,...`` or ``FIELD=START:STOP:N`` or ``FIELD=START:STOP:N:log``."""
    if "=" not in text:
        raise SweepError(f"--vary needs FIELD=V1,V2,... or FIELD=START:STOP:N[:log]; got {text!r}")
    name, spec = text.split("=", 1)
    name = _field(name)
    if name in NOT_VARIABLE:
        raise SweepError(f"{name} cannot be varied; use --seeds K for K seeds per point")
    spec = spec.strip()
    if not spec:
        raise SweepError(f"--vary {name}= needs values")
    parts = spec.split(":")
    if len(parts) == 1:
        values = tuple(parse_value(name, v) for v in spec.split(","))
        log = False
    else:
        if len(parts) not in (3, 4) or (len(parts) == 4 and parts[3].strip().lower() not in ("log", "lin", "linear")):
            raise SweepError(f"--vary {name}: a range is START:STOP:N or START:STOP:N:log; got {spec!r}")
        kind = _kind(name)
        if kind not in ("int", "float", "optional"):
            raise SweepError(f"--vary {name}: a range needs a numeric field; list the values instead")
        try:
            start, stop, n = float(parts[0]), float(parts[1]), int(parts[2])
        except ValueError:
            raise SweepError(
                f"--vary {name}: START and STOP must be numbers and N a whole number; got {spec!r}"
            ) from None
        if not (math.isfinite(start) and math.isfinite(stop)):
            raise SweepError(f"--vary {name}: START and STOP must be finite; got {spec!r}")
        if not 1 <= n <= MAX_POINTS_PER_AXIS:
            raise SweepError(f"--vary {name}: N must be in [1, {MAX_POINTS_PER_AXIS}]; got {n}")
        log = len(parts) == 4 and parts[3].strip().lower() == "log"
        if log:
            if start <= 0 or stop <= 0:
                raise SweepError(f"--vary {name}: a log range needs START and STOP > 0; got {spec!r}")
            grid = np.geomspace(start, stop, n)
        else:
            grid = np.linspace(start, stop, n)
        if kind == "int":
            values = tuple(round(float(v)) for v in grid)
        else:
            values = tuple(float(f"{v:.12g}") for v in grid)
    if len(values) > MAX_POINTS_PER_AXIS:
        raise SweepError(f"--vary {name}: at most {MAX_POINTS_PER_AXIS} values; got {len(values)}")
    if len(set(values)) != len(values):
        raise SweepError(f"--vary {name}: values repeat ({', '.join(map(str, values))})")
    return Axis(name, values, log)


# -- the plan -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Point:
    """One grid point: its index on each axis and the varied fields' values."""

    index: tuple[int, ...]
    values: tuple[Any, ...]

    @property
    def key(self) -> tuple[Any, ...]:
        return self.values


@dataclass(frozen=True)
class SweepSpec:
    """What to sweep: a base config, one or two axes, seeds per point and steps per run."""

    base: ExperimentConfig
    axes: tuple[Axis, ...]
    seeds: int = 1
    steps: int = 0

    def __post_init__(self) -> None:
        if not 1 <= len(self.axes) <= MAX_AXES:
            raise SweepError(f"a sweep varies 1 or {MAX_AXES} fields; got {len(self.axes)}")
        fields = [a.field for a in self.axes]
        if len(set(fields)) != len(fields):
            raise SweepError(f"{fields[0]} is varied twice")
        if isinstance(self.seeds, bool) or not isinstance(self.seeds, int) or not 1 <= self.seeds <= MAX_SEEDS:
            raise SweepError(f"seeds must be a whole number in [1, {MAX_SEEDS}]; got {self.seeds!r}")
        if isinstance(self.steps, bool) or not isinstance(self.steps, int) or not 0 <= self.steps <= MAX_STEPS:
            raise SweepError(f"steps must be a whole number in [0, {MAX_STEPS}]; got {self.steps!r}")
        for axis in self.axes:
            for value in axis.values:
                try:
                    self.base.replace(**{axis.field: value})
                except (ConfigError, TypeError) as exc:
                    raise SweepError(f"--vary {axis.field}: {exc}") from None

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(a.field for a in self.axes)

    @property
    def shape(self) -> tuple[int, ...]:
        return tuple(len(a.values) for a in self.axes)

    def points(self) -> list[Point]:
        """Every grid point, first axis slowest."""
        out = []
        for index in np.ndindex(*self.shape):
            idx = tuple(int(i) for i in index)
            out.append(Point(idx, tuple(a.values[i] for a, i in zip(self.axes, idx, strict=True))))
        return out

    def config(self, point: Point, seed: int = 0) -> ExperimentConfig:
        """The config of ``point`` for its ``seed``-th run (seeds count up from the base's)."""
        changes = dict(zip(self.fields, point.values, strict=True))
        return self.base.replace(**changes, seed=(self.base.seed + seed) % 2**32)

    def to_dict(self) -> dict[str, Any]:
        return {
            "base": self.base.to_dict(),
            "axes": [a.to_dict() for a in self.axes],
            "seeds": self.seeds,
            "steps": self.steps,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SweepSpec:
        if not isinstance(data, Mapping):
            raise SweepError("a sweep must be a JSON object")
        try:
            base = ExperimentConfig.from_dict(data.get("base", {}))
        except ConfigError as exc:
            raise SweepError(f"sweep base config: {exc}") from None
        axes = data.get("axes")
        if not isinstance(axes, list):
            raise SweepError("a sweep needs a list of 'axes'")
        return cls(base, tuple(Axis.from_dict(a) for a in axes), data.get("seeds", 1), data.get("steps", 0))


def plan(
    base: ExperimentConfig, sets: Sequence[str], varies: Sequence[str], seeds: int = 1, steps: int = 0
) -> SweepSpec:
    """A :class:`SweepSpec` from the command line's texts (``FIELD=VALUE``, ``FIELD=...``)."""
    return SweepSpec(with_sets(base, sets), tuple(parse_vary(v) for v in varies), seeds, steps)


def with_sets(base: ExperimentConfig, sets: Sequence[str]) -> ExperimentConfig:
    """``base`` with every ``FIELD=VALUE`` of ``sets`` applied (validated)."""
    changes = dict(parse_set(s) for s in sets)
    try:
        return base.replace(**changes)
    except (ConfigError, TypeError) as exc:
        raise SweepError(f"--set: {exc}") from None
