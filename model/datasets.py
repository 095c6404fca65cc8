"""Datasets: seeded toy problems plus the real 8×8 handwritten digits, split and standardised.

:func:`make_dataset` turns the data fields of an :class:`~model.config.ExperimentConfig`
(``dataset``, ``n_samples``, ``noise``, ``classes``, ``test_fraction``, ``seed``) into a
:class:`Dataset`. Everything is deterministic: the only randomness is the generator
``np.random.default_rng([cfg.seed, 1])``, a stream of its own so the trainer's other streams
(initialisation, batching, ...) stay independent of the data.

Recipe, for every dataset:

1. generate ``n`` raw points (``cfg.n_samples``, except digits, which always uses all 1797);
2. shuffle them with the same generator and cut off the first ``round(n * test_fraction)``
   as the test split, the rest is the train split;
3. standardise the inputs with the *train* split's per-feature mean and standard deviation
   (a feature whose train std is 0 gets std 1); the test split uses the same parameters.

The generators (``noise`` is ``cfg.noise``, ``C`` is ``cfg.classes``):

``circles``
    2 classes: an inner disc (radius uniform in [0, 0.5]) and an outer ring (radius uniform in
    [0.7, 1]), plus Gaussian jitter of std ``noise`` on both coordinates.
``xor``
    2 classes on uniform [-1, 1]²: class 1 where ``x*y > 0``, class 0 where ``x*y < 0``;
    Gaussian jitter of std ``noise`` is added after labelling (so it can cross the axes).
``gaussians``
    ``C`` isotropic Gaussian blobs centred evenly on the unit circle, each with std
    ``0.05 + noise`` (never 0).
``spiral``
    ``C`` interleaved spiral arms (the CS231n spiral, generalised to evenly spaced arms): arm
    ``k`` has radius ``r`` in (0, 1) and angle ``2πk/C + 4r`` plus angular jitter of std
    ``2·noise`` radians (0.2 at the default noise, as in CS231n) and radial jitter of std
    ``0.1·noise``.
``moons``
    2 classes, two interleaving half circles (as scikit-learn's ``make_moons``: the upper
    one centred at (0, 0), the lower one at (1, 0.5)), angles uniform, jitter std ``noise``.
``sine``
    Regression: ``x`` uniform in [-3, 3], target ``y = sin(2x)`` (:func:`sine_target`) plus
    Gaussian noise of std ``noise``; ``y`` has shape (n, 1) and is *not* standardised.
``digits``
    The real UCI 8×8 handwritten digits (``resources/datasets/digits.npz``), all 1797 samples
    (``n_samples`` and ``classes`` are ignored), labels 0..9, ``image_shape`` (8, 8). If
    ``noise > 0``, Gaussian noise of std ``16·noise`` pixel units is added to the raw 0..16
    pixels, which are then clipped back to [0, 16] (at the default noise 0.1 that is std 1.6,
    still easily learnable). Pixels are then divided by 16 and standardised, so for digits
    ``mean``/``std`` are in units of intensity in [0, 1].

``circles``, ``xor`` and ``moons`` always have 2 classes whatever ``cfg.classes`` says;
classification classes are balanced (counts differ by at most one). All returned arrays are
read-only.
"""

from __future__ import annotations

import functools
import importlib.resources
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from model.config import DATASET_NAMES, REGRESSION_DATASETS, ConfigError, ExperimentConfig

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

#: Inputs of the ``sine`` dataset are drawn uniformly from [-SINE_X_RANGE, SINE_X_RANGE].
SINE_X_RANGE = 3.0
#: The ``sine`` target is ``sin(SINE_FREQUENCY * x)``.
SINE_FREQUENCY = 2.0
#: Number of samples, pixels per sample and classes of the bundled digits.
DIGITS_SAMPLES = 1797
DIGITS_FEATURES = 64
DIGITS_CLASSES = 10
DIGITS_IMAGE_SHAPE: tuple[int, int] = (8, 8)
DIGITS_MAX_PIXEL = 16

_DIGITS_RESOURCE = ("datasets", "digits.npz")


@dataclass(frozen=True, eq=False)
class Dataset:
    """A train/test split with standardised inputs; every array is a read-only copy.

    ``y_train``/``y_test`` are int64 labels ``0..n_outputs-1`` of shape (n,) for
    classification, float64 targets of shape (n, n_outputs) for regression. ``mean`` and
    ``std`` (shape (n_inputs,)) are the train split's standardisation parameters:
    ``raw = x * std + mean`` (see :meth:`unstandardise`).
    """

    name: str
    x_train: FloatArray
    y_train: NDArray[Any]
    x_test: FloatArray
    y_test: NDArray[Any]
    n_inputs: int
    n_outputs: int
    is_regression: bool
    mean: FloatArray
    std: FloatArray
    image_shape: tuple[int, int] | None = None

    @property
    def n_train(self) -> int:
        return int(self.x_train.shape[0])

    @property
    def n_test(self) -> int:
        return int(self.x_test.shape[0])

    def unstandardise(self, x: NDArray[Any]) -> FloatArray:
        """Map standardised inputs (..., n_inputs) back to the raw feature scale."""
        return np.asarray(x, dtype=np.float64) * self.std + self.mean


# -- public entry points -------------------------------------------------------------------


def sine_target(x: NDArray[Any]) -> FloatArray:
    """The noise-free ``sine`` target: ``sin(2x)`` of raw (unstandardised) inputs."""
    return np.sin(SINE_FREQUENCY * np.asarray(x, dtype=np.float64))


@functools.lru_cache(maxsize=1)
def _load_digits_cached() -> tuple[NDArray[np.uint8], NDArray[np.uint8]]:
    ref = importlib.resources.files("resources").joinpath(*_DIGITS_RESOURCE)
    try:
        with ref.open("rb") as fh, np.load(fh, allow_pickle=False) as npz:
            images = np.array(npz["images"])
            labels = np.array(npz["labels"])
    except FileNotFoundError as exc:
        raise FileNotFoundError(
            f"bundled digits data not found at resources/{'/'.join(_DIGITS_RESOURCE)}; the installation is incomplete"
        ) from exc
    except KeyError as exc:
        raise ValueError(f"resources/{'/'.join(_DIGITS_RESOURCE)} lacks the array {exc}") from exc
    if images.dtype != np.uint8 or images.shape != (DIGITS_SAMPLES, DIGITS_FEATURES):
        raise ValueError(
            f"digits images must be uint8 {(DIGITS_SAMPLES, DIGITS_FEATURES)}; got {images.dtype} {images.shape}"
        )
    if labels.dtype != np.uint8 or labels.shape != (DIGITS_SAMPLES,):
        raise ValueError(f"digits labels must be uint8 ({DIGITS_SAMPLES},); got {labels.dtype} {labels.shape}")
    if int(images.max()) > DIGITS_MAX_PIXEL or int(labels.max()) >= DIGITS_CLASSES:
        raise ValueError("digits data out of range (pixels 0..16, labels 0..9)")
    images.flags.writeable = False
    labels.flags.writeable = False
    return images, labels


def load_digits() -> tuple[NDArray[np.uint8], NDArray[np.uint8]]:
    """The bundled 8×8 digits: ``images`` uint8 (1797, 64) in 0..16 and ``labels`` uint8 (1797,).

    Read once from ``resources/datasets/digits.npz`` and cached; the arrays are read-only.
    """
    return _load_digits_cached()


def make_dataset(cfg: ExperimentConfig) -> Dataset:
    """Generate, split and standardise the dataset described by ``cfg`` (see module docstring).

    Raises :class:`~model.config.ConfigError` naming the field when ``cfg`` asks for
    something impossible (unknown dataset, a split leaving the train or test set empty).
    """
    name = cfg.dataset
    generator = _GENERATORS.get(name)
    if generator is None:
        raise ConfigError(f"dataset must be one of {', '.join(DATASET_NAMES)}; got {name!r}")
    rng = np.random.default_rng([cfg.seed, 1])
    x, y, n_outputs = generator(cfg, rng)
    n = x.shape[0]
    n_test = math.floor(n * cfg.test_fraction + 0.5)
    if n_test < 1 or n_test > n - 1:
        raise ConfigError(
            f"test_fraction {cfg.test_fraction!r} of {n} samples leaves "
            f"{n - n_test} train and {n_test} test samples; both must be at least 1"
        )
    order = rng.permutation(n)
    test_idx, train_idx = order[:n_test], order[n_test:]
    x_train_raw, x_test_raw = x[train_idx], x[test_idx]
    mean = x_train_raw.mean(axis=0)
    std = x_train_raw.std(axis=0)
    std = np.where(std > 0.0, std, 1.0)
    regression = name in REGRESSION_DATASETS
    return Dataset(
        name=name,
        x_train=_frozen((x_train_raw - mean) / std),
        y_train=_frozen(y[train_idx]),
        x_test=_frozen((x_test_raw - mean) / std),
        y_test=_frozen(y[test_idx]),
        n_inputs=int(x.shape[1]),
        n_outputs=n_outputs,
        is_regression=regression,
        mean=_frozen(mean),
        std=_frozen(std),
        image_shape=DIGITS_IMAGE_SHAPE if name == "digits" else None,
    )


# -- generators: (cfg, rng) -> (raw x (n, d) float64, y, n_outputs) -------------------------

_Generated = tuple[FloatArray, NDArray[Any], int]


def _frozen(a: NDArray[Any]) -> NDArray[Any]:
    out = np.ascontiguousarray(a)
    out.flags.writeable = False
    return out


def _balanced_labels(n: int, classes: int) -> IntArray:
    """``n`` labels 0..classes-1, sorted, with class counts differing by at most one."""
    if n < classes:
        raise ConfigError(f"n_samples must be at least the number of classes ({classes}); got {n}")
    counts = np.full(classes, n // classes, dtype=np.int64)
    counts[: n % classes] += 1
    return np.repeat(np.arange(classes, dtype=np.int64), counts)


def _polar(r: FloatArray, t: FloatArray) -> FloatArray:
    return np.column_stack((r * np.cos(t), r * np.sin(t)))


def _circles(cfg: ExperimentConfig, rng: np.random.Generator) -> _Generated:
    y = _balanced_labels(cfg.n_samples, 2)
    n = len(y)
    outer = y == 1
    r = np.where(outer, rng.uniform(0.7, 1.0, n), rng.uniform(0.0, 0.5, n))
    t = rng.uniform(0.0, 2.0 * np.pi, n)
    x = _polar(r, t) + rng.normal(0.0, cfg.noise, (n, 2))
    return x, y, 2


def _xor(cfg: ExperimentConfig, rng: np.random.Generator) -> _Generated:
    y = _balanced_labels(cfg.n_samples, 2)
    n = len(y)
    # Draw magnitudes, then signs so that sign(x*y) matches the label: exactly balanced.
    mag = rng.uniform(0.0, 1.0, (n, 2))
    sx = rng.choice(np.array([-1.0, 1.0]), n)
    sy = np.where(y == 1, sx, -sx)
    x = mag * np.column_stack((sx, sy)) + rng.normal(0.0, cfg.noise, (n, 2))
    return x, y, 2


def _gaussians(cfg: ExperimentConfig, rng: np.random.Generator) -> _Generated:
    c = cfg.classes
    y = _balanced_labels(cfg.n_samples, c)
    n = len(y)
    angles = 2.0 * np.pi * np.arange(c) / c
    centres = np.column_stack((np.cos(angles), np.sin(angles)))
    x = centres[y] + rng.normal(0.0, 0.05 + cfg.noise, (n, 2))
    return x, y, c


def _spiral(cfg: ExperimentConfig, rng: np.random.Generator) -> _Generated:
    c = cfg.classes
    y = _balanced_labels(cfg.n_samples, c)
    n = len(y)
    counts = np.bincount(y, minlength=c)
    starts = np.concatenate(([0], np.cumsum(counts)[:-1]))
    # position along the arm, (i + 0.5) / count within each class: radius in (0, 1)
    r = (np.arange(n) - starts[y] + 0.5) / counts[y]
    t = 2.0 * np.pi * y / c + 4.0 * r + rng.normal(0.0, 2.0 * cfg.noise, n)
    r = r + rng.normal(0.0, 0.1 * cfg.noise, n)
    return _polar(r, t), y, c


def _moons(cfg: ExperimentConfig, rng: np.random.Generator) -> _Generated:
    y = _balanced_labels(cfg.n_samples, 2)
    n = len(y)
    t = rng.uniform(0.0, np.pi, n)
    upper = np.column_stack((np.cos(t), np.sin(t)))
    lower = np.column_stack((1.0 - np.cos(t), 0.5 - np.sin(t)))
    x = np.where((y == 0)[:, None], upper, lower) + rng.normal(0.0, cfg.noise, (n, 2))
    return x, y, 2


def _sine(cfg: ExperimentConfig, rng: np.random.Generator) -> _Generated:
    n = cfg.n_samples
    x = rng.uniform(-SINE_X_RANGE, SINE_X_RANGE, (n, 1))
    y = sine_target(x) + rng.normal(0.0, cfg.noise, (n, 1))
    return x, y, 1


def _digits(cfg: ExperimentConfig, rng: np.random.Generator) -> _Generated:
    images, labels = load_digits()
    x = images.astype(np.float64)
    if cfg.noise > 0.0:
        x = np.clip(x + rng.normal(0.0, DIGITS_MAX_PIXEL * cfg.noise, x.shape), 0.0, DIGITS_MAX_PIXEL)
    return x / DIGITS_MAX_PIXEL, labels.astype(np.int64), DIGITS_CLASSES


_GENERATORS: dict[str, Callable[[ExperimentConfig, np.random.Generator], _Generated]] = {
    "circles": _circles,
    "xor": _xor,
    "gaussians": _gaussians,
    "spiral": _spiral,
    "moons": _moons,
    "sine": _sine,
    "digits": _digits,
}

__all__ = [
    "DIGITS_IMAGE_SHAPE",
    "SINE_FREQUENCY",
    "SINE_X_RANGE",
    "Dataset",
    "load_digits",
    "make_dataset",
    "sine_target",
]
