"""LossView: curves follow the history, test gaps are skipped, accuracy only for classification."""

from __future__ import annotations

import dataclasses
import warnings

import numpy as np
import pytest

from model.config import ExperimentConfig
from model.history import History
from tests.fakes import make_snapshot
from views.loss_view import LossView

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
