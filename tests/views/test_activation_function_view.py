"""ActivationFunctionView: f, f′, max f′, formula, and the pre-activation overlay."""

from __future__ import annotations

import dataclasses
import warnings

import numpy as np
import pytest
from PySide6 import QtCore, QtGui, QtWidgets

from model.activations import ACTIVATION_NAMES, get_activation
from model.config import ExperimentConfig
from model.history import History
from tests.fakes import make_snapshot
from tests.views.test_network_view import device_rect, drawn_ticks, overflow, show_at, widget_rect
from views.activation_function_view import ActivationFunctionView

#: The activation-function cell of the 1920×1080 lecture window (~520×390) and of a 1280×720 one.
CELL_SIZES = [(520, 390), (420, 390), (420, 300)]


def _pixels(widget: ActivationFunctionView) -> bytes:
    image = widget.grab().toImage().convertToFormat(QtGui.QImage.Format.Format_ARGB32)
    return bytes(image.constBits())


@pytest.fixture
def view(qtbot):
    w = ActivationFunctionView()
    qtbot.addWidget(w)
    w.resize(800, 600)
    w.show()
    qtbot.waitExposed(w)
    return w


def test_title_is_a_class_attribute():
    assert ActivationFunctionView.title == "Activation function"


def test_sigmoid_marks_max_derivative_one_quarter(view):
    view.set_experiment(ExperimentConfig(activation="sigmoid"))
    assert view.max_grad_text == "max f′ = 0.25"
    x, dy = view.derivative_data()
    assert x[0] == -5.0 and x[-1] == 5.0
    assert dy.max() == pytest.approx(0.25, abs=1e-6)
    assert view._max_line.value() == pytest.approx(0.25)
    assert "1 / (1 + e^(−x))" in view.title_text
    assert "(max f′)¹⁰ = 1e-6" in view.title_text  # 0.25¹⁰ ≈ 9.5e-7


def test_relu_marks_max_derivative_one(view):
    view.set_experiment(ExperimentConfig(activation="relu", depth=3))
    assert view.max_grad_text == "max f′ = 1"
    _, dy = view.derivative_data()
    assert dy.max() == pytest.approx(1.0)
    assert "max(0, x)" in view.title_text
    assert "(max f′)³ = 1" in view.title_text


@pytest.mark.parametrize("name", ACTIVATION_NAMES)
def test_every_activation_draws_its_own_curves(view, name):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        view.set_experiment(ExperimentConfig(activation=name))
    act = get_activation(name)
    x, y = view.function_data()
    np.testing.assert_allclose(y, act.fn(x))
    _, dy = view.derivative_data()
    assert np.all(np.isfinite(dy))
    assert dy.max() <= act.max_grad + 1e-9


def test_activation_change_redraws(view):
    view.set_experiment(ExperimentConfig(activation="sigmoid"))
    before = _pixels(view)
    view.set_experiment(ExperimentConfig(activation="tanh"))
    assert view.max_grad_text == "max f′ = 1"
    assert before != _pixels(view)


def test_snapshots_move_the_overlay_but_not_the_curves(view):
    view.set_experiment(ExperimentConfig(activation="sigmoid", depth=4, width=8))
    f_before = view.function_data()[1].copy()
    first = make_snapshot(step=1, depth=4, width=8)
    view.show_snapshot(first, History(first.n_layers))
    overlay = view._hist.yData.copy()
    before = _pixels(view)

    second = make_snapshot(step=2, depth=4, width=8)
    view.show_snapshot(second, History(second.n_layers))

    assert not np.allclose(overlay, view._hist.yData)
    assert before != _pixels(view)
    np.testing.assert_array_equal(f_before, view.function_data()[1])
    assert "of pre-activations where f′ < 10% of max" in view.title_text


def test_saturation_share_counts_flat_bins(view):
    view.set_experiment(ExperimentConfig(activation="sigmoid", depth=1, width=4))
    snap = make_snapshot(depth=1, width=4)
    hists = np.zeros_like(snap.preactivation_hists)
    hists[0, 0] = 3.0  # z ≈ -7.9: σ′ ≈ 4e-4, saturated
    hists[0, 32] = 1.0  # z ≈ 0.1: σ′ ≈ 0.25
    hists[1, 32] = 100.0  # output layer: ignored
    view.show_snapshot(dataclasses.replace(snap, preactivation_hists=hists), History(2))
    assert "75% of pre-activations" in view.title_text


def test_non_finite_values_are_drawn_without_warnings(view):
    view.set_experiment(ExperimentConfig(activation="sigmoid", depth=4, width=8))
    good = make_snapshot(step=1, depth=4, width=8)
    view.show_snapshot(good, History(good.n_layers))
    overlay = view._hist.yData.copy()
    bad = make_snapshot(step=2, depth=4, width=8, bad_values=True)
    hists = np.array(bad.preactivation_hists)
    hists[1, 5] = np.inf
    bad = dataclasses.replace(bad, preactivation_hists=hists)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        view.show_snapshot(bad, History(bad.n_layers))
        view.grab()
    assert np.array_equal(overlay, view._hist.yData)  # last finite overlay stays
    assert view._hist_nonfinite
    view.show_snapshot(make_snapshot(step=3, depth=4, width=8), History(5))
    assert not view._hist_nonfinite


def test_snapshot_without_detail_keeps_overlay(view):
    view.set_experiment(ExperimentConfig(depth=4, width=8))
    snap = make_snapshot(step=1, depth=4, width=8)
    view.show_snapshot(snap, History(snap.n_layers))
    overlay = view._hist.yData.copy()
    plain = dataclasses.replace(make_snapshot(step=2, depth=4, width=8), preactivation_hists=None)
    view.show_snapshot(plain, History(snap.n_layers))
    assert np.array_equal(overlay, view._hist.yData)


def test_set_experiment_with_new_depth_updates_the_bound(view):
    view.set_experiment(ExperimentConfig(activation="sigmoid", depth=4))
    assert "(max f′)⁴ = 4e-3" in view.title_text
    view.set_experiment(ExperimentConfig(activation="sigmoid", depth=20))
    assert "(max f′)²⁰ = 9e-13" in view.title_text
    deeper = make_snapshot(depth=20, width=8)
    view.show_snapshot(deeper, History(deeper.n_layers))
    assert view._hist.yData.max() > 0


def test_clear_removes_overlay(view):
    view.set_experiment(ExperimentConfig(depth=4, width=8))
    view.show_snapshot(make_snapshot(depth=4, width=8), History(5))
    view.clear()
    assert np.all(view._hist.yData == 0)
    assert view.max_grad_text == "max f′ = 0.25"


# -- fitting the lecture-window cells ---------------------------------------------------
def _drawn_ticks(axis) -> list[str]:
    return [text for _, _, text in drawn_ticks(axis)]


@pytest.mark.parametrize("size", CELL_SIZES)
@pytest.mark.parametrize("name", ["sigmoid", "tanh", "relu", "selu", "gelu", "leaky_relu"])
def test_everything_fits_its_cell(qtbot, size, name):
    view = ActivationFunctionView()
    qtbot.addWidget(view)
    show_at(qtbot, view, size)
    view.set_experiment(ExperimentConfig(activation=name, depth=10, width=8))
    snap = make_snapshot(depth=10, width=8)
    view.show_snapshot(snap, History(snap.n_layers))
    QtWidgets.QApplication.processEvents()

    assert overflow(view) == []
    # The whole x range [-5, 5] is visible: both end ticks are drawn.
    assert {"-4", "4"} <= set(_drawn_ticks(view._plot.getAxis("bottom")))
    x0, x1 = view._plot.vb.viewRange()[0]
    assert x0 <= -5.0 + 1e-9 and x1 >= 5.0 - 1e-9
    # The max-f′ label sits inside the plot, above its dashed line (tanh's is at the top).
    label = device_rect(view._glw, view._max_label)
    box = widget_rect(view._glw, view._plot.vb)
    assert box.contains(label)
    line_y = view._plot.vb.mapViewToDevice(QtCore.QPointF(0.0, view._max_line.value())).y()
    assert label.bottom() <= line_y + 1.0
    # The numbers of the lecture stay on screen in some wording: the bound and the share.
    title, info, legend = view.shown_texts
    assert title
    assert "(max f′)¹⁰" in info and "%" in info
    assert "f" in legend and "f′" in legend


def test_short_wordings_replace_long_ones_when_narrow(qtbot):
    view = ActivationFunctionView()
    qtbot.addWidget(view)
    view.set_experiment(ExperimentConfig(activation="sigmoid", depth=10))
    snap = make_snapshot(depth=10, width=8)
    view.show_snapshot(snap, History(snap.n_layers))
    show_at(qtbot, view, (900, 400))
    wide = view.shown_texts
    assert wide[0] == "sigmoid: σ(x) = 1 / (1 + e^(−x))"
    assert "of pre-activations where f′ < 10% of max" in wide[1]
    show_at(qtbot, view, (300, 300))
    narrow = view.shown_texts
    assert len(narrow[0]) < len(wide[0]) and len(narrow[2]) < len(wide[2])
    assert overflow(view) == []
    # title_text keeps the full wording whatever the width (tests, tooltips, main window).
    assert "of pre-activations where f′ < 10% of max" in view.title_text
