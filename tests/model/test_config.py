"""ExperimentConfig: defaults, JSON round trip, and field-by-field validation."""

from __future__ import annotations

import dataclasses
import json
import math
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from model.activations import ACTIVATION_NAMES
from model.config import (
    DATASET_NAMES,
    DTYPE_NAMES,
    FIELD_NAMES,
    INIT_NAMES,
    LOSS_NAMES,
    OPTIMIZER_NAMES,
    REGRESSION_DATASETS,
    ConfigError,
    ExperimentConfig,
    config_field_names,
)

FAST = settings(max_examples=25, deadline=None)

# -- the valid domain of every field ------------------------------------------------------------


def _real(lo: float, hi: float, *, lo_open: bool = False, hi_open: bool = False) -> st.SearchStrategy[Any]:
    floats = st.floats(lo, hi, exclude_min=lo_open, exclude_max=hi_open, allow_nan=False)
    # integers inside the bounds, an open bound's own value left out (bounds, not a filter)
    lo_int = math.ceil(lo) + (1 if lo_open and math.ceil(lo) == lo else 0)
    hi_int = math.floor(hi) - (1 if hi_open and math.floor(hi) == hi else 0)
    if lo_int > hi_int:
        return floats
    return st.one_of(floats, st.integers(lo_int, hi_int))


def _optional_positive() -> st.SearchStrategy[Any]:
    return st.one_of(st.none(), _real(0.0, 1e12, lo_open=True))


# Allowed values by field; "dataset" and "loss" are drawn jointly (regression needs mse).
VALID: dict[str, st.SearchStrategy[Any]] = {
    "n_samples": st.integers(20, 20_000),
    "noise": _real(0.0, 5.0),
    "classes": st.integers(2, 10),
    "test_fraction": _real(0.05, 0.9),
    "depth": st.integers(1, 64),
    "width": st.integers(1, 512),
    "activation": st.sampled_from(ACTIVATION_NAMES),
    "leaky_slope": _real(0.0, 1.0),
    "batch_norm": st.booleans(),
    "residual": st.booleans(),
    "init": st.sampled_from(INIT_NAMES),
    "init_scale": _real(0.0, 1000.0),
    "bias_std": _real(0.0, 100.0),
    "optimizer": st.sampled_from(OPTIMIZER_NAMES),
    "learning_rate": _real(0.0, 1000.0),
    "momentum": _real(0.0, 1.0, hi_open=True),
    "nesterov": st.booleans(),
    "beta1": _real(0.0, 1.0, hi_open=True),
    "beta2": _real(0.0, 1.0, hi_open=True),
    "rho": _real(0.0, 1.0, hi_open=True),
    "eps": _real(0.0, 1.0, lo_open=True),
    "weight_decay": _real(0.0, 10.0),
    "grad_clip_norm": _optional_positive(),
    "grad_clip_value": _optional_positive(),
    "batch_size": st.integers(1, 4096),
    "pretrain_epochs": st.integers(0, 1000),
    "seed": st.integers(0, 2**32 - 1),
    "dtype": st.sampled_from(DTYPE_NAMES),
}


@st.composite
def valid_configs(draw: st.DrawFn) -> dict[str, Any]:
    values = {name: draw(strategy) for name, strategy in VALID.items()}
    dataset = draw(st.sampled_from(DATASET_NAMES))
    values["dataset"] = dataset
    values["loss"] = "mse" if dataset in REGRESSION_DATASETS else draw(st.sampled_from(LOSS_NAMES))
    return values


# -- invalid values of every field -------------------------------------------------------------

_NOT_FINITE = st.sampled_from([math.nan, math.inf, -math.inf])
_JUNK_NOT_NONE = st.one_of(
    st.text(max_size=5),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.text(max_size=2), st.integers(), max_size=1),
)
_JUNK = st.one_of(st.none(), _JUNK_NOT_NONE)


def _bad_int(lo: int, hi: int) -> st.SearchStrategy[Any]:
    return st.one_of(
        st.integers(max_value=lo - 1),
        st.integers(min_value=hi + 1),
        st.booleans(),  # bool is an int subclass but never a valid integer here
        st.floats(allow_nan=True),  # even integral floats such as 3.0 are rejected
        _JUNK,
    )


def _bad_real(lo: float, hi: float, *, lo_open: bool = False, hi_open: bool = False) -> st.SearchStrategy[Any]:
    # hypothesis orders -0.0 below 0.0, but the config (rightly) accepts -0.0 where 0 is allowed:
    # the largest float below lo keeps it out without a filter (30 filtered fields per example
    # tripped hypothesis's filter_too_much health check now and then)
    below = st.floats(max_value=lo if lo_open else math.nextafter(lo, -math.inf), allow_nan=False)
    above = st.floats(min_value=hi, exclude_min=not hi_open, allow_nan=False)
    return st.one_of(
        below,
        above,
        st.integers(max_value=math.ceil(lo) - 1),
        st.integers(min_value=math.floor(hi) + 1, max_value=10**300),
        _NOT_FINITE,
        st.booleans(),
        _JUNK_NOT_NONE,
        st.none(),
    )


def _bad_choice(allowed: tuple[str, ...]) -> st.SearchStrategy[Any]:
    return st.one_of(
        st.text(max_size=12).filter(lambda s: s not in allowed),
        st.sampled_from(allowed).map(str.upper),
        st.sampled_from(allowed).map(lambda s: s + " "),
        st.integers(),
        st.booleans(),
        st.none(),
    )


def _bad_bool() -> st.SearchStrategy[Any]:
    return st.one_of(
        st.integers(),  # 0 and 1 included: not bools
        st.floats(),
        st.sampled_from(["true", "false", "True", ""]),
        st.none(),
    )


def _bad_optional_positive() -> st.SearchStrategy[Any]:
    return st.one_of(
        st.floats(max_value=0.0, allow_nan=False),
        st.floats(min_value=1e12, exclude_min=True, allow_nan=False),
        st.integers(max_value=0),
        st.integers(min_value=10**12 + 1, max_value=10**300),
        _NOT_FINITE,
        st.booleans(),
        _JUNK_NOT_NONE,
    )


INVALID: dict[str, st.SearchStrategy[Any]] = {
    "dataset": _bad_choice(DATASET_NAMES),
    "n_samples": _bad_int(20, 20_000),
    "noise": _bad_real(0.0, 5.0),
    "classes": _bad_int(2, 10),
    "test_fraction": _bad_real(0.05, 0.9),
    "depth": _bad_int(1, 64),
    "width": _bad_int(1, 512),
    "activation": _bad_choice(ACTIVATION_NAMES),
    "leaky_slope": _bad_real(0.0, 1.0),
    "batch_norm": _bad_bool(),
    "residual": _bad_bool(),
    "init": _bad_choice(INIT_NAMES),
    "init_scale": _bad_real(0.0, 1000.0),
    "bias_std": _bad_real(0.0, 100.0),
    "loss": _bad_choice(LOSS_NAMES),
    "optimizer": _bad_choice(OPTIMIZER_NAMES),
    "learning_rate": _bad_real(0.0, 1000.0),
    "momentum": _bad_real(0.0, 1.0, hi_open=True),
    "nesterov": _bad_bool(),
    "beta1": _bad_real(0.0, 1.0, hi_open=True),
    "beta2": _bad_real(0.0, 1.0, hi_open=True),
    "rho": _bad_real(0.0, 1.0, hi_open=True),
    "eps": _bad_real(0.0, 1.0, lo_open=True),
    "weight_decay": _bad_real(0.0, 10.0),
    "grad_clip_norm": _bad_optional_positive(),
    "grad_clip_value": _bad_optional_positive(),
    "batch_size": _bad_int(1, 4096),
    "pretrain_epochs": _bad_int(0, 1000),
    "seed": _bad_int(0, 2**32 - 1),
    "dtype": _bad_choice(DTYPE_NAMES),
}


def test_strategies_cover_every_field() -> None:
    assert set(VALID) | {"dataset", "loss"} == set(FIELD_NAMES)
    assert set(INVALID) == set(FIELD_NAMES)
    assert config_field_names() == tuple(f.name for f in dataclasses.fields(ExperimentConfig))


# -- defaults and round trip -------------------------------------------------------------------


def test_defaults_construct_the_documented_vanishing_run() -> None:
    c = ExperimentConfig()
    assert (c.dataset, c.depth, c.width, c.activation, c.init) == (
        "spiral",
        10,
        32,
        "sigmoid",
        "xavier_normal",
    )
    assert c.grad_clip_norm is None and c.grad_clip_value is None
    assert not c.is_regression
    assert ExperimentConfig.from_dict({}) == c


def test_to_dict_has_every_field_and_is_plain_json() -> None:
    d = ExperimentConfig().to_dict()
    assert list(d) == list(FIELD_NAMES)
    # json.dumps without a default= hook fails on anything that is not plain JSON
    assert json.loads(json.dumps(d)) == d


@FAST
@given(valid_configs())
def test_json_round_trip(values: dict[str, Any]) -> None:
    cfg = ExperimentConfig(**values)
    text = json.dumps(cfg.to_dict(), allow_nan=False)
    back = ExperimentConfig.from_dict(json.loads(text))
    assert back == cfg
    for name in FIELD_NAMES:
        assert getattr(back, name) == values[name], name
    assert back.is_regression == (values["dataset"] in REGRESSION_DATASETS)


# -- invalid values ----------------------------------------------------------------------------


def _check_rejected(field: str, value: Any) -> None:
    base = ExperimentConfig().to_dict()
    if field == "loss":
        base["dataset"] = "spiral"
    with pytest.raises(ConfigError, match=field) as direct:
        ExperimentConfig(**{**base, field: value})
    assert isinstance(direct.value, ValueError)
    with pytest.raises(ConfigError, match=field):
        ExperimentConfig.from_dict({**base, field: value})
    with pytest.raises(ConfigError, match=field):
        ExperimentConfig().replace(**{field: value})


@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_every_invalid_value_names_its_field(data: st.DataObject) -> None:
    # one invalid value for every field per example (one test item keeps the suite's overhead low)
    for field in FIELD_NAMES:
        value = data.draw(INVALID[field], label=field)
        _check_rejected(field, value)


BOUNDARY_REJECTED: list[tuple[str, Any]] = [
    ("depth", True),
    ("depth", 0),
    ("depth", 65),
    ("depth", 3.0),
    ("width", 513),
    ("seed", -1),
    ("seed", 2**32),
    ("momentum", 1.0),
    ("beta2", 1.0),
    ("eps", 0.0),
    ("test_fraction", 0.04),
    ("learning_rate", math.nan),
    ("init_scale", math.inf),
    ("grad_clip_norm", 0.0),
    ("grad_clip_value", -1.0),
    ("batch_norm", 1),
    ("optimizer", "SGD"),
    ("dataset", "mnist"),
]
BOUNDARY_ACCEPTED: list[tuple[str, Any]] = [
    ("momentum", 0.0),
    ("momentum", 0.999999),
    ("eps", 1.0),
    ("test_fraction", 0.05),
    ("test_fraction", 0.9),
    ("seed", 2**32 - 1),
    ("grad_clip_norm", 1e12),
    ("grad_clip_value", 5e-324),
    ("learning_rate", 0),
    ("depth", 64),
]


def test_boundary_values() -> None:
    for field, value in BOUNDARY_REJECTED:
        _check_rejected(field, value)
    for field, value in BOUNDARY_ACCEPTED:
        assert getattr(ExperimentConfig(**{field: value}), field) == value, field


def test_huge_integer_for_a_real_field_is_a_config_error() -> None:
    # regression: float(10**400) raised OverflowError instead of ConfigError
    for field in ("noise", "learning_rate", "grad_clip_norm"):
        data = json.loads("{" + f'"{field}": 1' + "0" * 400 + "}")
        assert isinstance(data[field], int)
        with pytest.raises(ConfigError, match=field):
            ExperimentConfig.from_dict(data)


# -- from_dict / replace ------------------------------------------------------------------------

_UNKNOWN_KEYS = st.text(min_size=1, max_size=12).filter(lambda s: s not in FIELD_NAMES)


@FAST
@given(key=_UNKNOWN_KEYS, value=st.one_of(st.integers(), st.text(max_size=3), st.none()))
def test_from_dict_rejects_unknown_keys_by_name(key: str, value: Any) -> None:
    data = {**ExperimentConfig().to_dict(), key: value}
    with pytest.raises(ConfigError) as err:
        ExperimentConfig.from_dict(data)
    assert repr(key) in str(err.value)


def test_from_dict_unknown_keys_of_mixed_types() -> None:
    # regression: sorting a mix of str and int keys raised TypeError instead of ConfigError
    with pytest.raises(ConfigError):
        ExperimentConfig.from_dict({"depht": 3, 7: 1})


def test_from_dict_rejects_non_mappings() -> None:
    for data in (None, [], [("depth", 3)], "depth=3", 3, 2.5, True, b"{}"):
        with pytest.raises(ConfigError):
            ExperimentConfig.from_dict(data)


def test_replace_validates_and_copies() -> None:
    c = ExperimentConfig()
    d = c.replace(depth=3, activation="relu")
    assert (d.depth, d.activation) == (3, "relu")
    assert (c.depth, c.activation) == (10, "sigmoid")  # original untouched
    assert d == ExperimentConfig(depth=3, activation="relu")
    with pytest.raises(ConfigError, match="depth"):
        c.replace(depth=0)
    with pytest.raises(ConfigError, match="bogus"):
        c.replace(bogus=1)


def test_regression_dataset_requires_mse() -> None:
    with pytest.raises(ConfigError, match="loss"):
        ExperimentConfig(dataset="sine")
    with pytest.raises(ConfigError, match="loss"):
        ExperimentConfig.from_dict({"dataset": "sine", "loss": "cross_entropy"})
    with pytest.raises(ConfigError, match="loss"):
        ExperimentConfig(dataset="sine", loss="mse").replace(loss="cross_entropy")
    ok = ExperimentConfig(dataset="sine", loss="mse")
    assert ok.is_regression


def test_config_is_frozen() -> None:
    c = ExperimentConfig()
    with pytest.raises(dataclasses.FrozenInstanceError):
        c.depth = 3  # type: ignore[misc]
