"""CompareGradientsView: one line per run, log10 of the stats, runs of different depth, bad values safe."""

from __future__ import annotations

import dataclasses
import warnings

import numpy as np
import pyqtgraph as pg
import pytest

from tests.fakes import make_snapshot
from views import theme
from views.compare_gradients_view import (
    DEFAULT_RANGE,
    MAX_RUNS,
    CompareGradientsView,
    run_colour,
)

LABELS = ["sigmoid", "tanh", "relu", "relu, gain 3"]


@pytest.fixture
def view(qtbot):
    w = CompareGradientsView()
    qtbot.addWidget(w)
    w.resize(1400, 360)
    w.show()
    qtbot.waitExposed(w)
    return w


def curve_data(curve) -> tuple[np.ndarray, np.ndarray]:
    x, y = curve.getData()
    return np.asarray(x if x is not None else []), np.asarray(y if y is not None else [])


def legend_labels(view: CompareGradientsView) -> list[str]:
    return [label.text for _, label in view.legend.items]


def test_title_and_contract() -> None:
    assert CompareGradientsView.title == "Gradient by layer"
    for name in ("set_runs", "show_snapshots", "clear"):
        assert callable(getattr(CompareGradientsView, name))


@pytest.mark.parametrize("n_runs", [2, 3, 4])
def test_one_line_per_run_equal_to_log10_of_the_stats(view, n_runs: int) -> None:
    depths = [3, 4, 5, 6][:n_runs]
    view.set_runs(LABELS[:n_runs], [d + 1 for d in depths])
    assert len(view.curves) == n_runs
    assert legend_labels(view) == LABELS[:n_runs]
    snaps = [make_snapshot(step=10, depth=d, seed=i) for i, d in enumerate(depths)]
    view.show_snapshots(snaps)
    for curve, snap, depth in zip(view.curves, snaps, depths, strict=True):
        x, y = curve_data(curve)
        np.testing.assert_allclose(x, np.arange(1, depth + 2))  # L1 (input) on the left
        np.testing.assert_allclose(y, np.log10(snap.stats["delta_norm"]))
    # the layer axis spans the deepest run
    x_lo, x_hi = view.plot.vb.viewRange()[0]
    assert x_lo < 1 and x_hi > max(depths) + 1


def test_each_run_has_its_own_okabe_ito_colour_and_marker(view) -> None:
    view.set_runs(LABELS, [5, 5, 5, 5])
    colours = [curve.opts["pen"].color().name().upper() for curve in view.curves]
    assert colours == [run_colour(i).upper() for i in range(4)]
    assert all(c in theme.OKABE_ITO for c in colours)
    assert len({curve.opts["symbol"] for curve in view.curves}) == 4


def test_fonts_are_big_enough_for_a_projector(view) -> None:
    view.set_runs(LABELS[:2], [5, 5])
    assert view.plot.getAxis("left").style["tickFont"].pointSize() >= 12
    assert view.plot.getAxis("bottom").style["tickFont"].pointSize() >= 12
    for _, label in view.legend.items:
        assert float(label.opts["size"].removesuffix("pt")) >= 12


def test_fixed_decade_grid_from_1e_minus_12_to_1e4(view) -> None:
    view.set_runs(LABELS[:2], [5, 5])
    view.show_snapshots([make_snapshot(step=1, seed=1), make_snapshot(step=1, seed=2)])
    assert view._range == DEFAULT_RANGE == (-12.0, 4.0)
    lo, hi = view.plot.vb.viewRange()[1]
    assert lo <= -12.0 and hi >= 4.0
    labels = [text for level in view.plot.getAxis("left")._tickLevels for _, text in level if text]
    assert "1e-12" in labels and "1e4" in labels


def test_new_snapshots_change_pixels(view) -> None:
    view.set_runs(LABELS[:3], [5, 5, 5])
    view.show_snapshots([make_snapshot(step=1, seed=i) for i in range(3)])
    before = view.grab().toImage()
    view.show_snapshots([make_snapshot(step=2, vanishing=False, seed=i) for i in range(3)])
    after = view.grab().toImage()
    assert before != after


def test_a_run_without_a_snapshot_draws_nothing(view) -> None:
    view.set_runs(LABELS[:2], [5, 5])
    view.show_snapshots([make_snapshot(step=1), None])
    assert len(curve_data(view.curves[0])[1]) == 5
    assert len(curve_data(view.curves[1])[1]) == 0


def test_inf_and_nan_never_warn_and_are_marked_at_the_top(view) -> None:
    view.set_runs(LABELS[:2], [5, 5])
    good = make_snapshot(step=1)
    bad = make_snapshot(step=2, bad_values=True)  # inf in layer 1, NaN in layer 5
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        view.show_snapshots([good, bad])
        view.grab()
    x, y = curve_data(view.curves[1])
    np.testing.assert_allclose(x, [2, 3, 4])  # the line skips the bad layers...
    np.testing.assert_allclose(y, np.log10(bad.stats["delta_norm"][1:4]))
    marks = view.nonfinite[1].data
    assert len(marks) == 2
    assert sorted(np.round(marks["x"]).tolist()) == [1, 5]  # ...which get a ✖ each
    lo, hi = view._range
    assert np.all(marks["y"] > hi - 0.1 * (hi - lo))  # at the top
    assert len(view.nonfinite[0].data) == 0
    # recovering clears the marks
    view.show_snapshots([good, good])
    assert len(view.nonfinite[1].data) == 0


def test_a_line_breaks_around_a_bad_layer_in_the_middle(view) -> None:
    view.set_runs(LABELS[:2], [5, 5])
    snap = make_snapshot(step=1)
    stats = dict(snap.stats)
    delta = np.array(stats["delta_norm"])
    delta[2] = np.nan
    stats["delta_norm"] = delta
    view.show_snapshots([dataclasses.replace(snap, stats=stats), snap])
    x, _ = curve_data(view.curves[0])
    np.testing.assert_allclose(x, [1, 2, 4, 5])
    connect = view.curves[0].opts["connect"]
    assert list(connect[:3]) == [True, False, True]  # 2 → 4 is not bridged


def test_an_exact_zero_sits_on_the_floor(view) -> None:
    view.set_runs(LABELS[:2], [5, 5])
    snap = make_snapshot(step=1)
    stats = dict(snap.stats)
    delta = np.array(stats["delta_norm"])
    delta[0] = 0.0
    stats["delta_norm"] = delta
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        view.show_snapshots([dataclasses.replace(snap, stats=stats), snap])
    _, y = curve_data(view.curves[0])
    assert y[0] == view._range[0]
    assert len(view.nonfinite[0].data) == 0


def test_range_grows_for_huge_gradients_and_clear_resets_it(view) -> None:
    view.set_runs(LABELS[:2], [5, 5])
    snap = make_snapshot(step=1)
    stats = dict(snap.stats)
    stats["delta_norm"] = np.array([1e9, 1.0, 1.0, 1.0, 1e-20])
    view.show_snapshots([dataclasses.replace(snap, stats=stats), snap])
    lo, hi = view._range
    assert hi >= 9.0 and lo <= -20.0
    _, y = curve_data(view.curves[0])
    assert y[0] == pytest.approx(9.0) and y[-1] == pytest.approx(-20.0)
    view.clear()
    assert view._range == DEFAULT_RANGE
    assert all(len(curve_data(c)[1]) == 0 for c in view.curves)
    assert legend_labels(view) == LABELS[:2]  # the runs stay


def test_set_runs_replaces_the_old_lines(view) -> None:
    view.set_runs(LABELS[:4], [5, 5, 5, 5])
    view.set_runs(LABELS[:2], [3, 7])
    assert len(view.curves) == 2
    assert legend_labels(view) == LABELS[:2]
    lines = [item for item in view.plot.listDataItems() if isinstance(item, pg.PlotDataItem)]
    assert lines == view.curves


def test_wrong_counts_are_refused(view) -> None:
    with pytest.raises(ValueError):
        view.set_runs(["a", "b"], [5])
    with pytest.raises(ValueError):
        view.set_runs([f"run {i}" for i in range(MAX_RUNS + 1)], [5] * (MAX_RUNS + 1))
    view.set_runs(["a", "b"], [5, 5])
    with pytest.raises(ValueError):
        view.show_snapshots([make_snapshot(step=1)])
