"""GradientsView: bars are log10 of the stats, the heat map shows the vanishing band, bad values are safe."""

from __future__ import annotations

import dataclasses
import warnings

import numpy as np
import pytest
from PySide6 import QtCore

from model.config import ExperimentConfig
from model.history import History
from model.snapshot import Snapshot
from tests.fakes import make_snapshot
from tests.views.fitting import scene_overflow
from views import theme
from views.gradients_view import (
    COMPACT_HEIGHT,
    DEFAULT_RANGE,
    GradientsView,
    colour_indices,
    decade_ticks,
    format_power,
    heat_lut,
    html_width,
    layer_ticks,
)

DEPTH = 4  # make_snapshot's default: 5 weight layers


@pytest.fixture
def view(qtbot):
    w = GradientsView()
    qtbot.addWidget(w)
    w.resize(800, 600)
    w.set_experiment(ExperimentConfig(depth=DEPTH))
    w.show()
    qtbot.waitExposed(w)
    return w


def filled_history(n: int = 50, **kwargs) -> tuple[History, Snapshot]:
    history = History(DEPTH + 1)
    snap = make_snapshot(step=0, depth=DEPTH, **kwargs)
    for i in range(n):
        snap = make_snapshot(step=i, depth=DEPTH, **kwargs)
        history.append(snap)
    return history, snap


def bar_tops(bars) -> np.ndarray:
    return np.asarray(bars.opts["y0"]) + np.asarray(bars.opts["height"])


def test_title_and_contract() -> None:
    assert GradientsView.title == "Gradients"
    for name in ("set_experiment", "show_snapshot", "clear"):
        assert callable(getattr(GradientsView, name))


def test_bars_are_log10_of_the_stats(view) -> None:
    history, snap = filled_history()
    view.show_snapshot(snap, history)
    np.testing.assert_allclose(bar_tops(view.dw_bars), np.log10(snap.stats["weight_grad_norm"]))
    np.testing.assert_allclose(bar_tops(view.dz_bars), np.log10(snap.stats["delta_norm"]))
    # input side left, output right, dW and dz side by side per layer
    np.testing.assert_allclose(view.dw_bars.opts["x"], np.arange(1, DEPTH + 2) - 0.2)
    np.testing.assert_allclose(view.dz_bars.opts["x"], np.arange(1, DEPTH + 2) + 0.2)
    assert len(view.nonfinite_bars.opts["x"]) == 0


def test_layer_ticks_are_named_l1_to_ln(view) -> None:
    ticks = view.bar_plot.getAxis("bottom")._tickLevels[0]
    assert [label for _, label in ticks] == [f"L{i}" for i in range(1, DEPTH + 2)]


def test_new_snapshot_changes_pixels(view, qtbot) -> None:
    history, snap = filled_history()
    view.show_snapshot(snap, history)
    before = view.grab().toImage()
    healthy = make_snapshot(step=50, depth=DEPTH, vanishing=False)
    history.append(healthy)
    view.show_snapshot(healthy, history)
    after = view.grab().toImage()
    assert before != after
    np.testing.assert_allclose(bar_tops(view.dz_bars), np.log10(healthy.stats["delta_norm"]))


def test_heat_map_shows_the_vanishing_band(view) -> None:
    history, snap = filled_history(vanishing=True)
    view.show_snapshot(snap, history)
    image = view.heat_image.image
    assert image.shape == (DEPTH + 1, 50)  # rows = layers (input first), columns = kept steps
    assert image[0].mean() < image[-1].mean()
    assert np.all(np.diff(image.mean(axis=1)) > 0)  # darker with every layer towards the input


def test_heat_map_x_axis_is_in_step_numbers(view) -> None:
    history = History(DEPTH + 1)
    for i in range(100, 150):
        history.append(make_snapshot(step=i, depth=DEPTH))
    view.show_snapshot(make_snapshot(step=149, depth=DEPTH), history)
    rect = view.heat_image.mapRectToParent(view.heat_image.boundingRect())
    assert rect.left() == pytest.approx(99.5)
    assert rect.right() == pytest.approx(149.5)
    assert rect.top() == pytest.approx(0.5) and rect.bottom() == pytest.approx(DEPTH + 1.5)


def test_ratio_text_names_the_problem(view) -> None:
    history, snap = filled_history(vanishing=True)
    view.show_snapshot(snap, history)
    text = view.ratio_label.text()
    assert "vanishing" in text
    # the app-wide definition: layer 1 over the last hidden layer (model.diagnostics)
    assert format_power(snap.stats["delta_norm"][0] / snap.stats["delta_norm"][-2]) in text
    healthy = make_snapshot(step=60, depth=DEPTH, vanishing=False)
    view.show_snapshot(healthy, history)
    assert "healthy" in view.ratio_label.text()


def test_bad_values_never_warn_and_are_marked(view) -> None:
    history, good = filled_history(20)
    view.show_snapshot(good, history)
    bad = make_snapshot(step=20, depth=DEPTH, bad_values=True)
    history.append(bad)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        view.show_snapshot(bad, history)
        view.grab()
    # inf in the first layer, NaN in the last: both groups get a non-finite marker there
    xs = sorted(np.asarray(view.nonfinite_bars.opts["x"]).tolist())
    assert xs == pytest.approx([0.8, 1.2, DEPTH + 0.8, DEPTH + 1.2])
    # ...and the bars keep their last finite state
    tops = bar_tops(view.dw_bars)
    assert tops[0] == pytest.approx(np.log10(good.stats["weight_grad_norm"][0]))
    assert tops[-1] == pytest.approx(np.log10(good.stats["weight_grad_norm"][-1]))
    assert np.all(np.isfinite(tops))
    # reserved colour index 0 in the heat map column of the bad step, nowhere else
    image = view.heat_image.image
    assert image[0, -1] == 0 and image[-1, -1] == 0
    assert np.all(image[:, :-1] > 0)
    assert "inf/NaN" in view.ratio_label.text()
    # recovering clears the markers
    view.show_snapshot(good, history)
    assert len(view.nonfinite_bars.opts["x"]) == 0


def test_bad_first_snapshot_never_warns(view) -> None:
    history = History(DEPTH + 1)
    bad = make_snapshot(step=0, depth=DEPTH, bad_values=True)
    history.append(bad)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        view.show_snapshot(bad, history)
        view.grab()
    assert np.all(np.isfinite(view.dw_bars.opts["height"]))


def test_range_grows_for_tiny_and_huge_gradients(view) -> None:
    history, snap = filled_history(5)
    dw = snap.stats["weight_grad_norm"].copy()
    dw[0], dw[-1] = 1e-25, 1e7
    extreme = dataclasses.replace(snap, stats={**snap.stats, "weight_grad_norm": dw})
    view.show_snapshot(extreme, history)
    lo, hi = view._range
    assert lo <= -25 and hi >= 7
    np.testing.assert_allclose(bar_tops(view.dw_bars), np.log10(dw))
    view.clear()
    assert view._range == DEFAULT_RANGE


def test_zero_gradient_sits_on_the_floor(view) -> None:
    history, snap = filled_history(5)
    dw = snap.stats["weight_grad_norm"].copy()
    dw[0] = 0.0
    dead = dataclasses.replace(snap, stats={**snap.stats, "weight_grad_norm": dw})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        view.show_snapshot(dead, history)
    assert view.dw_bars.opts["height"][0] == 0.0
    assert len(view.nonfinite_bars.opts["x"]) == 0


def test_depth_change_rebuilds_the_layer_axis(view) -> None:
    view.set_experiment(ExperimentConfig(depth=8))
    history = History(9)
    for i in range(30):
        snap = make_snapshot(step=i, depth=8)
        history.append(snap)
    view.show_snapshot(snap, history)
    assert len(view.dw_bars.opts["x"]) == 9
    assert view.heat_image.image.shape == (9, 30)
    assert view.bar_plot.getAxis("bottom")._tickLevels[0][-1][1] == "L9"
    # a snapshot of another depth than configured is drawn rather than crashing
    view.show_snapshot(make_snapshot(step=31, depth=2), history)
    assert len(view.dz_bars.opts["x"]) == 3


def test_clear_empties_the_drawing(view) -> None:
    history, snap = filled_history()
    view.show_snapshot(snap, history)
    view.clear()
    assert len(view.dw_bars.opts["x"]) == 0
    assert view.heat_image.image is None
    view.show_snapshot(snap, History(DEPTH + 1))  # empty history is fine
    assert view.heat_image.image is None


def test_many_layers_keep_tick_labels_readable(view, qtbot) -> None:
    view.set_experiment(ExperimentConfig(depth=64))
    for size in ((800, 600), (1600, 900), (500, 400)):
        view.resize(*size)
        qtbot.wait(10)
        for axis in (view.bar_plot.getAxis("bottom"), view.heat_plot.getAxis("left")):
            labels = axis._tickLevels[0]
            assert labels[0][1] == "L1" and labels[-1][1] == "L65"
            assert len(labels) <= 20
    # the heat map axis of a small widget gets fewer labels than a tall one
    view.resize(500, 300)
    qtbot.wait(10)
    few = len(view.heat_plot.getAxis("left")._tickLevels[0])
    view.resize(800, 1000)
    qtbot.wait(10)
    assert len(view.heat_plot.getAxis("left")._tickLevels[0]) > few


def test_layer_ticks_spacing() -> None:
    major, minor = layer_ticks(11, 20)
    assert [label for _, label in major] == [f"L{k}" for k in range(1, 12)] and minor == []
    major, minor = layer_ticks(65, 8)
    labels = [label for _, label in major]
    assert labels[0] == "L1" and labels[-1] == "L65" and len(labels) <= 9
    assert len(major) + len(minor) == 65
    positions = [p for p, _ in major]
    assert min(np.diff(positions)) >= 5


def test_colour_indices_reserve_zero_for_non_finite() -> None:
    idx = colour_indices(np.array([np.nan, np.inf, 0.0, 1e-30, 1e-10, 1e2, 1e9]), -10.0, 2.0)
    assert idx.tolist()[:2] == [0, 0]
    assert idx.tolist()[2:] == [1, 1, 1, 255, 255]
    lut = heat_lut()
    assert lut.shape == (256, 4) and tuple(lut[0]) == (255, 0, 255, 255)


def test_decade_ticks_and_format() -> None:
    major, minor = decade_ticks(-10.0, 2.0)
    labels = [label for _, label in major]
    assert "1e-6" in labels and "1" in labels
    assert len(major) <= 9 and len(major) + len(minor) == 13
    assert format_power(1.2e-5) == "1.2e-5"
    assert format_power(1e-6) == "1e-6"
    assert format_power(300.0) == "3e+2"
    assert format_power(0.5) == "5e-1"


def test_show_snapshot_does_not_create_items(view) -> None:
    history, snap = filled_history()
    view.show_snapshot(snap, history)
    before = len(view.plots.scene().items())
    for i in range(5):
        s = make_snapshot(step=50 + i, depth=DEPTH)
        history.append(s)
        view.show_snapshot(s, history)
    assert len(view.plots.scene().items()) == before


def test_heat_image_is_row_major_regardless_of_global_config(view) -> None:
    assert view.heat_image.axisOrder == "row-major"


# -- fitting a main-window cell (1920×1080: ~520×580; 1280×720: ~420×360) --------------------
def overflow(view) -> list[str]:
    """Everything drawn that does not fit its widget: layout, plot areas, titles, ratio line."""
    problems = scene_overflow(view)
    label = view.ratio_label
    if html_width(label.text(), label.font().pointSize(), bold=True) > label.contentsRect().width():
        problems.append(f"ratio line {label.text()!r} wider than {label.contentsRect().width()} px")
    return problems


def settle(qtbot, view, size) -> None:
    view.resize(*size)
    qtbot.wait(20)


def ratio_lines(view) -> int:
    return view.ratio_label.height() // view.ratio_label.fontMetrics().lineSpacing()


def test_fits_a_main_window_cell(view, qtbot) -> None:
    """The lecture default (10 hidden layers, 11 bars) at every cell size of the main window."""
    view.set_experiment(ExperimentConfig(depth=10))
    history = History(11)
    for i in range(40):
        snap = make_snapshot(step=i, depth=10)
        history.append(snap)
    bad = make_snapshot(step=40, depth=10, bad_values=True)  # the longest ratio text
    for size in ((800, 600), (520, 580), (520, 390), (420, 360), (360, 450), (520, 390)):
        settle(qtbot, view, size)
        for s in (snap, bad):
            view.show_snapshot(s, history)
            assert overflow(view) == [], (size, s.step)
        assert ratio_lines(view) == 1
        assert view.bar_plot.vb.height() > 60 and view.heat_plot.vb.height() > 40
        # every layer's bar is inside the plot, L1 and L11 labelled
        assert view.bar_plot.vb.viewRange()[0] == pytest.approx([0.4, 11.6])
        labels = [label for _, label in view.bar_plot.getAxis("bottom")._tickLevels[0]]
        assert labels[0] == "L1" and labels[-1] == "L11"
    # at the 1920×1080 cell every layer gets its label
    settle(qtbot, view, (520, 580))
    labels = [label for _, label in view.bar_plot.getAxis("bottom")._tickLevels[0]]
    assert labels == [f"L{k}" for k in range(1, 12)]


def test_ratio_is_the_biggest_text_and_fonts_stay_readable(view, qtbot) -> None:
    t = theme.current()
    for size in ((800, 600), (420, 360)):
        settle(qtbot, view, size)
        ratio_pt = view.ratio_label.font().pointSize()
        assert ratio_pt > t.title_pt
        for label in (view.bar_title, view.heat_title):
            assert 12 <= int(label.opts["size"].removesuffix("pt")) < ratio_pt
        for plot in (view.bar_plot, view.heat_plot):
            for name in ("left", "bottom"):
                assert plot.getAxis(name).style["tickFont"].pointSize() >= 12
        assert view.color_bar.axis.style["tickFont"].pointSize() >= 12
    # wide: the long legend and the full ratio line; narrow: shorter, smaller, still one line
    settle(qtbot, view, (900, 600))
    wide_pt, wide_title = view.ratio_label.font().pointSize(), view.bar_title.text
    assert "‖∂L/∂z‖ L1" in view.ratio_label.text()
    settle(qtbot, view, (360, 450))
    assert view.ratio_label.font().pointSize() <= wide_pt
    assert len(view.bar_title.text) < len(wide_title)


def test_a_short_cell_keeps_only_the_bars(view, qtbot) -> None:
    settle(qtbot, view, (420, COMPACT_HEIGHT))
    assert not view.heat_plot.isVisible() and not view.color_bar.isVisible()
    assert overflow(view) == []
    settle(qtbot, view, (420, 360))
    assert view.heat_plot.isVisible()


def test_value_ticks_thin_out_in_a_short_plot(view, qtbot) -> None:
    settle(qtbot, view, (520, 1000))
    tall = len(view.bar_plot.getAxis("left")._tickLevels[0])
    settle(qtbot, view, (520, 360))
    short = view.bar_plot.getAxis("left")._tickLevels[0]
    assert len(short) < tall
    # labels at least 1.5 text lines apart
    line = view.bar_plot.getAxis("left").style["tickFont"].pointSize() * 96 / 72
    pitch = view.bar_plot.vb.height() / (DEFAULT_RANGE[1] - DEFAULT_RANGE[0]) * (short[1][0] - short[0][0])
    assert pitch >= 1.5 * line


def _with_deltas(snap: Snapshot, deltas: list[float], **changes) -> Snapshot:
    return dataclasses.replace(snap, stats={**snap.stats, "delta_norm": np.array(deltas)}, **changes)


@pytest.mark.parametrize(
    ("deltas", "words"),
    [
        ([0.0, 1e-3, 1e-2, 0.1, 1.0], "no gradient in L1"),
        ([0.0, 0.0, 0.0, 0.0, 1.0], "none in L1…L4"),
        ([1e-3, 1e-2, 0.1, 0.0, 1.0], "no gradient in L4"),
        ([np.inf, 1.0, np.nan, 1.0, 1.0], "overflow: inf/NaN"),
    ],
)
def test_edge_cases_are_said_in_words_on_one_fitting_line(view, qtbot, deltas, words) -> None:
    """Exact zeros and inf/NaN read as words, never "= 0" or "0e+00" (issue 13), and the
    worst-case font sizing keeps the sentence on one line inside the cell."""
    history, snap = filled_history(5)
    view.resize(520, 420)
    view.show()
    qtbot.waitExposed(view)
    view.show_snapshot(_with_deltas(snap, deltas), history)
    text = view.ratio_label.text()
    assert words in text.replace("&nbsp;", " ")
    assert "= 0<" not in text and "e+00" not in text and "= —" not in text
    label = view.ratio_label
    assert label.sizeHint().width() <= label.contentsRect().width() + 8


def test_pretraining_is_named_in_the_ratio_line(view) -> None:
    history, snap = filled_history(5)
    view.show_snapshot(dataclasses.replace(snap, phase="pretrain", pretrain_layer=1), history)
    assert "pre-training" in view.ratio_label.text()


def test_heat_map_can_be_drawn_on_its_own_clock(view) -> None:
    history, snap = filled_history(vanishing=True)
    view.show_snapshot(snap, history, heat=False)
    assert view.heat_image.image is None  # bars and ratio only
    assert "÷" in view.ratio_label.text()
    view.show_heat(history)
    assert view.heat_image.image.shape == (DEPTH + 1, 50)
    history.append(make_snapshot(step=50, depth=DEPTH, vanishing=True))
    view.show_snapshot(snap, history, heat=False)
    assert view.heat_image.image.shape == (DEPTH + 1, 50)  # the last drawn history stays
    view.show_heat(history)
    assert view.heat_image.image.shape == (DEPTH + 1, 51)


def test_a_new_ratio_text_does_not_relayout_the_view(view, qtbot) -> None:
    """The ratio changes with every snapshot: its label sits outside the view's layout."""
    history, snap = filled_history()
    view.show_snapshot(snap, history)
    qtbot.wait(20)
    requests = []

    class Spy(QtCore.QObject):
        def eventFilter(self, obj: QtCore.QObject, event: QtCore.QEvent) -> bool:
            if event.type() == QtCore.QEvent.Type.LayoutRequest:
                requests.append(obj)
            return False

    spy = Spy()
    view.installEventFilter(spy)
    before = view.ratio_label.text()
    stats = dict(snap.stats, delta_norm=np.asarray(snap.stats["delta_norm"]) * np.linspace(0.5, 1.0, DEPTH + 1))
    view.show_snapshot(dataclasses.replace(snap, step=99, stats=stats), history)
    qtbot.wait(20)
    view.removeEventFilter(spy)
    assert view.ratio_label.text() != before
    assert requests == []
    assert view.ratio_label.geometry().width() == view.width()
