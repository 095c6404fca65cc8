"""ExperimentConfig: every setting of one training run, validated and JSON-safe."""

from __future__ import annotations

import dataclasses
import math
import reprlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from model.activations import ACTIVATION_NAMES

INIT_NAMES: tuple[str, ...] = (
    "normal",
    "uniform",
    "glorot_standard",
    "xavier_uniform",
    "xavier_normal",
    "he_uniform",
    "he_normal",
    "lecun_normal",
    "orthogonal",
)
LOSS_NAMES: tuple[str, ...] = ("cross_entropy", "mse")
OPTIMIZER_NAMES: tuple[str, ...] = ("sgd", "rmsprop", "adam")
DATASET_NAMES: tuple[str, ...] = ("circles", "xor", "gaussians", "spiral", "moons", "sine", "digits")
REGRESSION_DATASETS: frozenset[str] = frozenset({"sine"})
DTYPE_NAMES: tuple[str, ...] = ("float64", "float32")

MAX_DEPTH = 64
MAX_WIDTH = 512
MAX_BATCH = 4096
MAX_SAMPLES = 20_000


class ConfigError(ValueError):
    """An invalid or unknown configuration value; the message names the field."""


@dataclass(frozen=True)
class ExperimentConfig:
    """One experiment: data, architecture, initialisation, loss, optimiser and seed.

    Every field has a default, so ``ExperimentConfig()`` is a valid (vanishing-gradient) run.
    Construction validates every field and raises :class:`ConfigError` naming the field and
    what it allows.
    """

    # data
    dataset: str = "spiral"
    n_samples: int = 600
    noise: float = 0.1
    classes: int = 3
    test_fraction: float = 0.25
    # architecture
    depth: int = 10
    width: int = 32
    activation: str = "sigmoid"
    leaky_slope: float = 0.01
    batch_norm: bool = False
    residual: bool = False
    # initialisation
    init: str = "xavier_normal"
    init_scale: float = 1.0
    bias_std: float = 0.0  # σ_b: biases start as N(0, σ_b²); 0 starts them at zero
    # loss and optimisation
    loss: str = "cross_entropy"
    optimizer: str = "sgd"
    learning_rate: float = 0.1
    momentum: float = 0.0
    nesterov: bool = False
    beta1: float = 0.9
    beta2: float = 0.999
    rho: float = 0.9
    eps: float = 1e-8
    weight_decay: float = 0.0
    grad_clip_norm: float | None = None
    grad_clip_value: float | None = None
    batch_size: int = 64
    pretrain_epochs: int = 0
    # reproducibility and numerics
    seed: int = 0
    dtype: str = "float64"

    def __post_init__(self) -> None:
        _validate(self)

    # -- conversions -------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """A JSON-safe dict of every field."""
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ExperimentConfig:
        """Build a config from a mapping; unknown keys raise :class:`ConfigError`."""
        if not isinstance(data, Mapping):
            raise ConfigError(f"config must be a JSON object, got {type(data).__name__}")
        known = {f.name for f in dataclasses.fields(cls)}
        not_text = [k for k in data if not isinstance(k, str)]
        if not_text:
            raise ConfigError(f"config field names must be text; got {_shown(not_text[0])}")
        unknown = sorted(set(data) - known)
        if unknown:
            raise ConfigError(f"unknown config field {_shown(unknown[0])}; known fields: {', '.join(sorted(known))}")
        return cls(**dict(data))

    def replace(self, **changes: Any) -> ExperimentConfig:
        """A copy with ``changes`` applied (validated)."""
        known = {f.name for f in dataclasses.fields(self)}
        for key in changes:
            if key not in known:
                raise ConfigError(f"unknown config field {_shown(key)}")
        return dataclasses.replace(self, **changes)

    @property
    def is_regression(self) -> bool:
        return self.dataset in REGRESSION_DATASETS


FIELD_NAMES: tuple[str, ...] = tuple(f.name for f in dataclasses.fields(ExperimentConfig))


_REPR = reprlib.Repr()
_REPR.maxlevel = 2
_REPR.maxstring = 40
_REPR.maxother = 40
_REPR.maxlist = _REPR.maxdict = _REPR.maxtuple = 4


def _shown(value: Any) -> str:
    """``value`` for an error message: short, whatever it is (deeply nested, huge, odd)."""
    if isinstance(value, str) and len(value) <= 24:
        return repr(value)  # short texts in full, as typed
    try:
        return _REPR.repr(value)
    except Exception:  # a message must never fail to be written
        return f"a {type(value).__name__}"


def _choice(name: str, value: Any, allowed: tuple[str, ...]) -> None:
    if not isinstance(value, str) or value not in allowed:
        raise ConfigError(f"{name} must be one of {', '.join(allowed)}; got {_shown(value)}")


def _int(name: str, value: Any, lo: int, hi: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ConfigError(f"{name} must be an integer in [{lo}, {hi}]; got {_shown(value)}")
    if not lo <= value <= hi:
        raise ConfigError(f"{name} must be in [{lo}, {hi}]; got {_shown(value)}")


def _real(name: str, value: Any, lo: float, hi: float, *, lo_open: bool = False, hi_open: bool = False) -> None:
    lo_b = "(" if lo_open else "["
    hi_b = ")" if hi_open else "]"
    rng = f"{lo_b}{lo:g}, {hi:g}{hi_b}"
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ConfigError(f"{name} must be a number in {rng}; got {_shown(value)}")
    try:
        v = float(value)
    except OverflowError:
        raise ConfigError(f"{name} must be in {rng}; got {_shown(value)}") from None
    if not math.isfinite(v):
        raise ConfigError(f"{name} must be a finite number in {rng}; got {_shown(value)}")
    if (v < lo or (lo_open and v == lo)) or (v > hi or (hi_open and v == hi)):
        raise ConfigError(f"{name} must be in {rng}; got {_shown(value)}")


def _bool(name: str, value: Any) -> None:
    if not isinstance(value, bool):
        raise ConfigError(f"{name} must be true or false; got {_shown(value)}")


def _optional_positive(name: str, value: Any) -> None:
    if value is None:
        return
    _real(name, value, 0.0, 1e12, lo_open=True)


def _validate(c: ExperimentConfig) -> None:
    _choice("dataset", c.dataset, DATASET_NAMES)
    _int("n_samples", c.n_samples, 20, MAX_SAMPLES)
    _real("noise", c.noise, 0.0, 5.0)
    _int("classes", c.classes, 2, 10)
    _real("test_fraction", c.test_fraction, 0.05, 0.9)
    _int("depth", c.depth, 1, MAX_DEPTH)
    _int("width", c.width, 1, MAX_WIDTH)
    _choice("activation", c.activation, ACTIVATION_NAMES)
    _real("leaky_slope", c.leaky_slope, 0.0, 1.0)
    _bool("batch_norm", c.batch_norm)
    _bool("residual", c.residual)
    _choice("init", c.init, INIT_NAMES)
    _real("init_scale", c.init_scale, 0.0, 1000.0)
    _real("bias_std", c.bias_std, 0.0, 100.0)
    _choice("loss", c.loss, LOSS_NAMES)
    _choice("optimizer", c.optimizer, OPTIMIZER_NAMES)
    _real("learning_rate", c.learning_rate, 0.0, 1000.0)
    _real("momentum", c.momentum, 0.0, 1.0, hi_open=True)
    _bool("nesterov", c.nesterov)
    _real("beta1", c.beta1, 0.0, 1.0, hi_open=True)
    _real("beta2", c.beta2, 0.0, 1.0, hi_open=True)
    _real("rho", c.rho, 0.0, 1.0, hi_open=True)
    _real("eps", c.eps, 0.0, 1.0, lo_open=True)
    _real("weight_decay", c.weight_decay, 0.0, 10.0)
    _optional_positive("grad_clip_norm", c.grad_clip_norm)
    _optional_positive("grad_clip_value", c.grad_clip_value)
    _int("batch_size", c.batch_size, 1, MAX_BATCH)
    _int("pretrain_epochs", c.pretrain_epochs, 0, 1000)
    _int("seed", c.seed, 0, 2**32 - 1)
    _choice("dtype", c.dtype, DTYPE_NAMES)
    if c.dataset in REGRESSION_DATASETS and c.loss != "mse":
        raise ConfigError(f"loss must be mse for the regression dataset {c.dataset!r}; got {c.loss!r}")


def config_field_names() -> tuple[str, ...]:
    """Names of every :class:`ExperimentConfig` field, in declaration order."""
    return FIELD_NAMES


__all__ = [
    "DATASET_NAMES",
    "INIT_NAMES",
    "LOSS_NAMES",
    "OPTIMIZER_NAMES",
    "ConfigError",
    "ExperimentConfig",
    "config_field_names",
]
