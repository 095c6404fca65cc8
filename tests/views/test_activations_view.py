"""ActivationsView: ridges per hidden layer, unit-fraction bars, inf/NaN, rebuilds."""

from __future__ import annotations

import dataclasses
import itertools
import warnings

import numpy as np
import pytest
from PySide6 import QtGui, QtWidgets

from model.config import ExperimentConfig
from model.history import History
from model.snapshot import ACTIVATION_BINS
from tests.fakes import make_snapshot
from tests.views.test_network_view import drawn_ticks, overflow, overlapping_texts, show_at
from views.activations_view import ActivationsView, saturated_intervals

#: The activations cell of the 1920×1080 lecture window (~520×580) and of a 1280×720 one.
CELL_SIZES = [(520, 580), (420, 580), (420, 420)]


def _pixels(widget: ActivationsView) -> bytes:
    image = widget.grab().toImage().convertToFormat(QtGui.QImage.Format.Format_ARGB32)
    return bytes(image.constBits())


@pytest.fixture
def view(qtbot):
    w = ActivationsView()
    qtbot.addWidget(w)
    w.resize(800, 600)
    w.show()
    qtbot.waitExposed(w)
    return w


def _ridge_heights(view: ActivationsView) -> np.ndarray:
    return view._heights.copy()


def _path_points(item) -> int:
    return item.path().elementCount()


def test_title_is_a_class_attribute():
    assert ActivationsView.title == "Activations"


def test_every_hidden_layer_has_a_ridge_and_bars(view):
    view.set_experiment(ExperimentConfig(depth=6, width=8))
    assert view._heights.shape == (6, len(ACTIVATION_BINS) - 1)
    # One closed step outline per hidden layer, all in one path item.
    assert _path_points(view._ridge_item) == 6 * 2 * len(ACTIVATION_BINS)
    assert len(view._fractions.bars) == 6
    assert all(len(row) == 3 for row in view._fractions.bars)


def test_snapshots_change_ridges_bars_and_pixels(view):
    view.set_experiment(ExperimentConfig(depth=4, width=8, activation="tanh"))
    first = make_snapshot(step=1, depth=4, width=8)
    view.show_snapshot(first, History(first.n_layers))
    heights = _ridge_heights(view)
    widths = [[rect.rect().width() for rect in row] for row in view._fractions.bars]
    before = _pixels(view)

    second = make_snapshot(step=2, depth=4, width=8)
    view.show_snapshot(second, History(second.n_layers))
    after = _pixels(view)

    assert not np.allclose(heights, _ridge_heights(view))
    assert widths != [[rect.rect().width() for rect in row] for row in view._fractions.bars]
    assert before != after
    # Ridges are peak-normalised: every hidden layer's tallest bin reaches the same height.
    assert np.allclose(_ridge_heights(view).max(axis=1), view.RIDGE_HEIGHT)
    # Bars are the fractions themselves (0..1 on the bar axis), hidden layers only.
    np.testing.assert_allclose(
        [row[0].rect().width() for row in view._fractions.bars], second.stats["saturated_fraction"][:-1]
    )
    assert view._fractions.labels[0][0].text() == f"{100 * second.stats['saturated_fraction'][0]:.0f}%"


def test_non_finite_values_are_drawn_without_warnings(view):
    view.set_experiment(ExperimentConfig(depth=4, width=8))
    good = make_snapshot(step=1, depth=4, width=8)
    view.show_snapshot(good, History(good.n_layers))
    first_ridge = view._heights[0].copy()

    bad = make_snapshot(step=2, depth=4, width=8, bad_values=True)
    stats = {k: np.array(v) for k, v in bad.stats.items()}
    stats["saturated_fraction"][1] = np.nan
    stats["dead_fraction"][2] = np.inf
    bad = dataclasses.replace(bad, stats=stats)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        view.show_snapshot(bad, History(bad.n_layers))
        view.grab()
    # Layer 1's histogram holds a NaN: its last finite ridge stays, marked as non-finite.
    assert np.array_equal(first_ridge, view._heights[0])
    assert _path_points(view._bad_ridge_item) > 0  # the dashed non-finite outline is drawn
    assert view._ridge_nonfinite[0]
    assert not view._ridge_nonfinite[1]
    assert view._fractions.nonfinite[1, 0] and view._fractions.nonfinite[2, 2]
    assert view._fractions.labels[1][0].text() == "NaN"

    # Recovery: the next finite snapshot clears the markers.
    view.show_snapshot(make_snapshot(step=3, depth=4, width=8), History(5))
    assert not view._ridge_nonfinite.any()
    assert _path_points(view._bad_ridge_item) == 0
    assert not view._fractions.nonfinite.any()


def test_snapshot_without_histograms_keeps_last_ridges(view):
    view.set_experiment(ExperimentConfig(depth=4, width=8))
    snap = make_snapshot(step=1, depth=4, width=8)
    view.show_snapshot(snap, History(snap.n_layers))
    heights = _ridge_heights(view)
    plain = dataclasses.replace(make_snapshot(step=2, depth=4, width=8), activation_hists=None, detail=False)
    view.show_snapshot(plain, History(snap.n_layers))
    assert np.allclose(heights, _ridge_heights(view))


def test_set_experiment_with_new_depth_rebuilds(view):
    view.set_experiment(ExperimentConfig(depth=4, width=8))
    view.show_snapshot(make_snapshot(depth=4, width=8), History(5))
    view.set_experiment(ExperimentConfig(depth=9, width=8))
    assert view._heights.shape[0] == 9
    assert len(view._ridge_plot.getAxis("left")._tickLevels[0]) == 9  # 600 px: room for every row
    deeper = make_snapshot(depth=9, width=8)
    view.show_snapshot(deeper, History(deeper.n_layers))
    assert np.allclose(_ridge_heights(view).max(axis=1), view.RIDGE_HEIGHT)


def test_snapshot_of_another_architecture_rebuilds_itself(view):
    view.set_experiment(ExperimentConfig(depth=4, width=8))
    view.show_snapshot(make_snapshot(depth=2, width=8), History(3))
    assert view._heights.shape[0] == 2


def test_very_deep_networks_drop_bar_labels(view):
    view.set_experiment(ExperimentConfig(depth=40, width=8))
    assert view._heights.shape[0] == 40
    assert all(labels == [] for labels in view._fractions.labels)
    view.show_snapshot(make_snapshot(depth=40, width=8), History(41))


def test_clear_flattens(view):
    view.set_experiment(ExperimentConfig(depth=4, width=8))
    view.show_snapshot(make_snapshot(depth=4, width=8), History(5))
    view.clear()
    assert np.allclose(_ridge_heights(view), 0.0)
    assert all(rect.rect().width() == 0.0 for row in view._fractions.bars for rect in row)


def test_x_range_follows_the_activation(view):
    view.set_experiment(ExperimentConfig(activation="sigmoid"))
    lo, hi = view._x_range
    assert -0.2 < lo < 0.0 and 1.0 < hi < 1.2
    view.set_experiment(ExperimentConfig(activation="linear"))
    assert view._x_range == (ACTIVATION_BINS[0], ACTIVATION_BINS[-1])


def test_saturated_intervals():
    lo_sig = saturated_intervals(ExperimentConfig(activation="sigmoid"))
    assert len(lo_sig) == 2
    assert lo_sig[0][0] >= 0.0 and lo_sig[0][1] < 0.05
    assert lo_sig[1][0] > 0.95 and lo_sig[1][1] <= 1.0
    assert saturated_intervals(ExperimentConfig(activation="relu")) == []  # h = 0 has no width
    assert saturated_intervals(ExperimentConfig(activation="linear")) == []


# -- fitting the lecture-window cells ---------------------------------------------------
def _drawn_ticks(axis) -> list[str]:
    return [text for _, _, text in drawn_ticks(axis)]


@pytest.mark.parametrize("size", CELL_SIZES)
@pytest.mark.parametrize(("depth", "activation"), [(10, "sigmoid"), (3, "tanh"), (30, "relu"), (64, "sigmoid")])
def test_everything_fits_its_cell(qtbot, size, depth, activation):
    view = ActivationsView()
    qtbot.addWidget(view)
    show_at(qtbot, view, size)
    view.set_experiment(ExperimentConfig(depth=depth, width=8, activation=activation))
    snap = make_snapshot(depth=depth, width=8)
    stats = {k: np.array(v) for k, v in snap.stats.items()}
    stats["saturated_fraction"][:] = 1.0  # "100%" labels (inside the bars)
    stats["zero_fraction"][:] = 0.5  # "50%" labels (after the bars)
    view.show_snapshot(dataclasses.replace(snap, stats=stats), History(snap.n_layers))
    QtWidgets.QApplication.processEvents()

    assert overflow(view) == []
    # Both plots side by side, inside the viewport, and their x-axis titles do not collide.
    ridge_axis, bar_axis = view._ridge_plot.getAxis("bottom"), view._bar_plot.getAxis("bottom")
    assert overlapping_texts(view._glw, [ridge_axis.label, bar_axis.label]) == []
    # The percentage scale keeps both ends, and the ridge axis its outer ticks.
    assert {"0", "100"} <= set(_drawn_ticks(bar_axis))
    ridge_ticks = _drawn_ticks(ridge_axis)
    if activation == "sigmoid":
        assert {"0", "1.0"} <= set(ridge_ticks) or {"0", "1"} <= set(ridge_ticks)
    if activation == "tanh":
        assert {"-1", "1"} <= set(ridge_ticks)
    # Row labels are thinned to the row height: the first and last layer are always named
    # and no two labels sit closer than one text line.
    ticks = view._ridge_plot.getAxis("left")._tickLevels[0]
    names = [name for _, name in ticks]
    assert names[0] == "L1" and names[-1] == f"L{depth}"
    rows = sorted(y for y, _ in ticks)
    row_px = view._ridge_plot.vb.height() / (view._y_top + 0.6)
    assert all((b - a) * row_px >= view._tick_px for a, b in itertools.pairwise(rows))
    # Value labels (when shown) stay inside the bar plot: checked by overflow(). The legend
    # keeps all three bar names in some wording.
    assert all(name in view._legend.shown_text for name in ("sat", "zero", "dead"))


def test_long_bars_carry_their_value_inside(view):
    view.set_experiment(ExperimentConfig(depth=2, width=8))
    snap = make_snapshot(depth=2, width=8)
    stats = {k: np.array(v) for k, v in snap.stats.items()}
    stats["saturated_fraction"][:] = [0.9, 0.1, 0.0]
    view.show_snapshot(dataclasses.replace(snap, stats=stats), History(3))
    inside, outside = view._fractions.labels[0][0], view._fractions.labels[1][0]
    assert inside.text() == "90%" and outside.text() == "10%"
    assert inside.pos().x() < 0.9 < outside.pos().x() + 1.0
    assert inside._anchor == (1.0, 0.5) and outside._anchor == (0.0, 0.5)
