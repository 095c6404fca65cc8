"""LossView: curves follow the history, test gaps are skipped, accuracy only for classification."""

from __future__ import annotations

import dataclasses
import math
import warnings

import numpy as np
import pytest

from model.config import ExperimentConfig
from model.history import History
from tests.fakes import make_snapshot
from tests.views.fitting import scene_overflow
from views.loss_view import COMPACT_HEIGHT, LossView, log_ticks, value_label

DEPTH = 4


@pytest.fixture
def view(qtbot):
    w = LossView()
    qtbot.addWidget(w)
    w.resize(800, 600)
    w.set_experiment(ExperimentConfig(depth=DEPTH))
    w.show()
    qtbot.waitExposed(w)
    return w


def filled_history(n: int = 50, test_every: int = 1) -> History:
    """``n`` steps; test metrics (and accuracy) only every ``test_every`` steps."""
    history = History(DEPTH + 1)
    for i in range(n):
        snap = make_snapshot(step=i, depth=DEPTH, output_kind=None)
        if i % test_every:
            snap = dataclasses.replace(snap, test_loss=None, train_accuracy=None, test_accuracy=None)
        history.append(snap)
    return history


def data(item) -> tuple[np.ndarray, np.ndarray]:
    x, y = item.getOriginalDataset()
    return (np.array([]), np.array([])) if x is None else (np.asarray(x), np.asarray(y))


def legend_labels(view: LossView) -> str:
    """The colour key lives in the plot titles."""
    return view.loss_plot.titleLabel.text + view.accuracy_plot.titleLabel.text


def test_title() -> None:
    assert LossView.title == "Loss"


def test_curves_follow_the_history(view) -> None:
    history = filled_history()
    view.show_snapshot(make_snapshot(step=49, depth=DEPTH), history)
    x, y = data(view.train_loss)
    np.testing.assert_array_equal(x, history.steps)
    np.testing.assert_allclose(y, history.scalar("loss"))
    x, y = data(view.train_accuracy)
    np.testing.assert_allclose(y, history.scalar("train_accuracy"))
    assert view.loss_plot.getAxis("left").logMode  # loss on a log axis
    assert "train" in legend_labels(view) and "test" in legend_labels(view)
    assert "inf/NaN" not in legend_labels(view)


def test_sparse_test_loss_skips_the_gaps(view) -> None:
    history = filled_history(50, test_every=10)
    view.show_snapshot(make_snapshot(step=49, depth=DEPTH), history)
    x, y = data(view.test_loss)
    np.testing.assert_array_equal(x, [0, 10, 20, 30, 40])
    assert np.all(np.isfinite(y))
    assert len(data(view.test_accuracy)[0]) == 5
    assert len(data(view.train_loss)[0]) == 50


def test_growing_history_changes_pixels(view) -> None:
    history = filled_history(20)
    view.show_snapshot(make_snapshot(step=19, depth=DEPTH), history)
    before = view.grab().toImage()
    for i in range(20, 60):
        history.append(make_snapshot(step=i, depth=DEPTH, seed=7))
    view.show_snapshot(make_snapshot(step=59, depth=DEPTH), history)
    after = view.grab().toImage()
    assert before != after
    assert data(view.train_loss)[0][-1] == 59


def test_accuracy_hidden_for_regression(view, qtbot) -> None:
    assert view.accuracy_widget.isVisibleTo(view)
    view.set_experiment(ExperimentConfig(dataset="sine", loss="mse"))
    assert not view.accuracy_widget.isVisibleTo(view)
    # the loss plot takes the freed space
    assert view.loss_widget.height() > 0.9 * view.height()
    view.show_snapshot(make_snapshot(step=49, depth=DEPTH), filled_history())
    assert len(data(view.train_accuracy)[0]) == 0
    view.set_experiment(ExperimentConfig(dataset="moons"))
    assert view.accuracy_widget.isVisibleTo(view)


def test_dataset_overrides_config_for_regression(view) -> None:
    class Regression:
        is_regression = True

    view.set_experiment(ExperimentConfig(), Regression())  # type: ignore[arg-type]
    assert not view.accuracy_widget.isVisibleTo(view)


def test_bad_values_never_warn_and_are_marked(view) -> None:
    history = filled_history(20)
    bad = make_snapshot(step=20, depth=DEPTH, bad_values=True)
    history.append(bad)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        view.show_snapshot(bad, history)
        view.grab()
    x, y = data(view.nonfinite_loss)
    np.testing.assert_array_equal(x, [20])
    assert "inf/NaN" in legend_labels(view)
    assert np.isfinite(y).all()
    assert 20 not in data(view.train_loss)[0]
    # an all-bad history (nothing finite to plot) is fine too
    only_bad = History(DEPTH + 1)
    only_bad.append(bad)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        view.show_snapshot(bad, only_bad)
        view.grab()
    # once the history no longer holds the bad step the marker goes away
    view.show_snapshot(bad, filled_history(5))
    assert len(data(view.nonfinite_loss)[0]) == 0
    assert "inf/NaN" not in legend_labels(view)


def test_empty_history_and_clear(view) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        view.show_snapshot(make_snapshot(step=0, depth=DEPTH), History(DEPTH + 1))
        view.grab()
    view.show_snapshot(make_snapshot(step=49, depth=DEPTH), filled_history())
    view.clear()
    for item in (view.train_loss, view.test_loss, view.train_accuracy, view.test_accuracy):
        assert len(data(item)[0]) == 0


def test_show_snapshot_does_not_create_items(view) -> None:
    history = filled_history()
    view.show_snapshot(make_snapshot(step=49, depth=DEPTH), history)
    before = len(view.loss_widget.scene().items())
    for i in range(50, 55):
        history.append(make_snapshot(step=i, depth=DEPTH))
        view.show_snapshot(make_snapshot(step=i, depth=DEPTH), history)
    assert len(view.loss_widget.scene().items()) == before


# -- fitting a main-window cell (1920×1080: ~520×390; 1280×720: ~420×360) --------------------
def overflow(view) -> list[str]:
    """Everything drawn that does not fit its widget: layout, plot areas, titles, labels."""
    return scene_overflow(view)


def settle(qtbot, view, size) -> None:
    view.resize(*size)
    qtbot.wait(20)


def tick_labels(axis) -> list[str]:
    return [label for level in axis._tickLevels or [] for _, label in level if label]


@pytest.mark.parametrize("regression", [False, True])
def test_fits_a_main_window_cell(view, qtbot, regression) -> None:
    if regression:
        view.set_experiment(ExperimentConfig(dataset="sine", loss="mse"))
    history = filled_history(60)
    view.show_snapshot(make_snapshot(step=59, depth=DEPTH), history)
    # also with the longest title (the inf/NaN key)
    bad = make_snapshot(step=60, depth=DEPTH, bad_values=True)
    history.append(bad)
    for size in ((800, 600), (520, 390), (420, 360), (520, 390)):
        settle(qtbot, view, size)
        view.show_snapshot(bad, history)
        qtbot.wait(10)
        assert overflow(view) == [], size
        assert view.loss_plot.vb.height() > 100
        assert view.accuracy_widget.isVisibleTo(view) is not regression
        if not regression:
            assert view.accuracy_plot.vb.height() > 50
            labels = tick_labels(view.accuracy_plot.getAxis("left"))
            assert labels[0] == "0%" and labels[-1] == "100%"


def test_a_short_cell_keeps_only_the_loss(view, qtbot) -> None:
    view.show_snapshot(make_snapshot(step=49, depth=DEPTH), filled_history())
    settle(qtbot, view, (420, COMPACT_HEIGHT - 100))
    assert not view.accuracy_widget.isVisibleTo(view)
    assert overflow(view) == []
    assert view.loss_plot.getAxis("bottom").label.isVisible()  # the step axis moved up
    settle(qtbot, view, (520, 390))
    assert view.accuracy_widget.isVisibleTo(view)
    assert not view.loss_plot.getAxis("bottom").label.isVisible()


def test_loss_axis_is_numbered_within_a_decade(view, qtbot) -> None:
    """pyqtgraph labels only whole decades: a loss between 1.05 and 1.7 had no numbers."""
    settle(qtbot, view, (520, 390))
    history = filled_history(50)
    view.show_snapshot(make_snapshot(step=49, depth=DEPTH), history)
    qtbot.wait(10)
    lo, hi = view.loss_plot.vb.viewRange()[1]
    labels = tick_labels(view.loss_plot.getAxis("left"))
    assert len(labels) >= 2
    for level in view.loss_plot.getAxis("left")._tickLevels:
        for pos, _ in level:
            assert lo - 1e-9 <= pos <= hi + 1e-9


def test_log_ticks() -> None:
    # within a decade: round linear steps, positions are log10 values
    (major,) = log_ticks(math.log10(1.05), math.log10(1.7), 5)
    assert [label for _, label in major] == ["1.2", "1.4", "1.6"]
    assert major[0][0] == pytest.approx(math.log10(1.2))
    # a few decades: 1-2-5
    (major,) = log_ticks(-2.0, 0.0, 8)
    assert [label for _, label in major] == ["0.01", "0.02", "0.05", "0.1", "0.2", "0.5", "1"]
    # many decades, few labels: every k-th decade
    (major,) = log_ticks(-12.0, 2.0, 5)
    assert len(major) <= 5 and all(p == int(p) for p, _ in major)
    assert log_ticks(0.0, 0.0, 5) == [[]] and log_ticks(float("nan"), 1.0, 5) == [[]]
    assert value_label(2e-5) == "2e-5" and value_label(3e6) == "3e+6" and value_label(0.002) == "0.002"


def test_fonts_stay_readable_from_the_back_row(view, qtbot) -> None:
    settle(qtbot, view, (420, 360))
    for plot in (view.loss_plot, view.accuracy_plot):
        for name in ("left", "bottom"):
            assert plot.getAxis(name).style["tickFont"].pointSize() >= 12
        assert int(plot.titleLabel.opts["size"].removesuffix("pt")) >= 12
    # the long title where it fits, a shorter one where it does not
    settle(qtbot, view, (1000, 600))
    long = view.loss_plot.titleLabel.text
    assert "Cross-entropy" in long
    settle(qtbot, view, (420, 360))
    assert len(view.loss_plot.titleLabel.text) < len(long)
    assert "train" in view.loss_plot.titleLabel.text and "test" in view.loss_plot.titleLabel.text
