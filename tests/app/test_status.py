"""The status banner's verdicts from hand-made snapshots."""

from __future__ import annotations

import numpy as np

from app.status import gradient_ratio, verdict
from tests.fakes import make_snapshot


def _with_deltas(deltas: list[float], grad_norm: float = 1.0, diverged: bool = False):  # type: ignore[no-untyped-def]
    snap = make_snapshot(depth=len(deltas) - 1)
    stats = dict(snap.stats)
    stats["delta_norm"] = np.array(deltas)
    return type(snap).create(
        step=snap.step,
        loss=1.0,
        grad_norm=grad_norm,
        clipped=False,
        diverged=diverged,
        diverged_layer=2 if diverged else None,
        stats=stats,
        layer_sizes=snap.layer_sizes,
    )


def test_vanishing_when_first_layer_thousand_times_smaller() -> None:
    snap = _with_deltas([1e-7, 1e-5, 1e-3, 1e-1, 1.0])
    assert gradient_ratio(snap) == 1e-7 / 1e-1
    assert verdict(snap).kind == "vanishing"
    assert "VANISHING" in verdict(snap).text


def test_healthy_just_above_threshold() -> None:
    assert verdict(_with_deltas([2e-3, 1e-2, 0.1, 1.0, 1.0])).kind == "ok"


def test_exploding_by_ratio_by_norm_and_non_finite() -> None:
    assert verdict(_with_deltas([1e4, 1e2, 1.0, 1.0, 1.0])).kind == "exploding"
    assert verdict(_with_deltas([1.0, 1.0, 1.0, 1.0, 1.0], grad_norm=1e5)).kind == "exploding"
    assert verdict(_with_deltas([np.inf, 1.0, 1.0, 1.0, 1.0])).kind == "exploding"


def test_diverged_names_the_layer() -> None:
    v = verdict(_with_deltas([1.0, 1.0, 1.0, 1.0, 1.0], diverged=True))
    assert v.kind == "diverged"
    assert "layer 3" in v.text


def test_dead_network_with_zero_gradients_is_vanishing_not_healthy() -> None:
    snap = _with_deltas([0.0, 0.0, 0.0, 0.0, 0.3])
    assert gradient_ratio(snap) == 0.0
    assert verdict(snap).kind == "vanishing"


# -- words for edge cases (issue 13): never "0e+00", "= 0" or a bare inf ---------------------


def _assert_no_numeric_zero(text: str) -> None:
    import re

    assert not re.search(r"(?<![\d.])0(\.0*)?e[+-]?\d|= 0(?![.\d])", text), text


def test_exact_zero_at_layer_one_is_said_in_words() -> None:
    v = verdict(_with_deltas([0.0, 1e-3, 1e-2, 0.1, 1.0], grad_norm=0.5))
    assert v.kind == "vanishing"
    assert "no gradient reaches layer 1 at all" in v.text
    _assert_no_numeric_zero(v.text)


def test_exact_zero_while_exploding_elsewhere_is_said_in_words() -> None:
    v = verdict(_with_deltas([0.0, 1e3, 1e4, 1e5, 1.0], grad_norm=1e6))
    assert v.kind == "exploding"
    assert "no gradient reaches layer 1 at all" in v.text
    _assert_no_numeric_zero(v.text)


def test_dead_network_is_named() -> None:
    v = verdict(_with_deltas([0.0, 0.0, 0.0, 0.0, 0.3]))
    assert v.text.startswith("DEAD network")
    _assert_no_numeric_zero(v.text)


def test_non_finite_names_the_first_bad_layer() -> None:
    v = verdict(_with_deltas([1.0, 1.0, np.nan, np.inf, 1.0]))
    assert v.kind == "exploding"
    assert "layer 3" in v.text
    assert "nan" not in v.text.replace("NaN", "")  # words, not Python's repr


def test_last_hidden_zero_is_said_in_words() -> None:
    v = verdict(_with_deltas([1e-2, 1.0, 1.0, 0.0, 1.0]))
    assert "none at all" in v.text and "inf" not in v.text


def test_step_zero_says_before_training() -> None:
    snap = _with_deltas([1e-7, 1e-5, 1e-3, 1e-1, 1.0])
    snap0 = type(snap).create(
        step=0, loss=1.0, grad_norm=1.0, clipped=False, diverged=False, stats=snap.stats, layer_sizes=snap.layer_sizes
    )
    assert verdict(snap0).text.startswith("Before training: VANISHING")
    assert not verdict(snap).text.startswith("Before training")


def test_ratio_text_never_prints_scientific_zero() -> None:
    from app.status import ratio_text

    assert ratio_text(0.0) == "0"
    assert ratio_text(3.2e-6) == "3e-06"
    assert ratio_text(0.25) == "0.2"
    assert ratio_text(float("inf")) == "inf/NaN"


def test_edge_case_words_are_translated_to_chinese(qapp) -> None:  # type: ignore[no-untyped-def]
    from app import i18n

    i18n.install(qapp, "zh_CN")
    try:
        v = verdict(_with_deltas([0.0, 1e-3, 1e-2, 0.1, 1.0], grad_norm=0.5))
        assert "没有任何梯度到达第 1 层" in v.text
        assert "网络已死" in verdict(_with_deltas([0.0, 0.0, 0.0, 0.0, 0.3])).text
    finally:
        i18n.install(qapp, "en")
