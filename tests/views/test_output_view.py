"""OutputView: decision regions, fitted curve and confusion matrix; detail-less steps keep the drawing."""

from __future__ import annotations

import dataclasses
import types
import warnings

import numpy as np
import pytest
from PySide6 import QtGui

from model.config import ExperimentConfig
from model.history import History
from model.snapshot import OutputSample, Snapshot
from tests.fakes import make_snapshot
from tests.views.fitting import scene_overflow
from views.output_view import (
    CLASS_COLOURS,
    GRID_MARGIN,
    MAX_POINTS,
    MAX_STRETCH,
    NONFINITE,
    OutputView,
    region_image,
)

DEPTH = 4


def tiny_dataset(kind: str = "grid", classes: int = 3, n: int = 60) -> types.SimpleNamespace:
    """A stand-in for model.datasets.Dataset with the attributes the view reads."""
    rng = np.random.default_rng(0)
    if kind == "curve":
        x = rng.uniform(-2, 2, (n, 1))
        y = np.sin(2 * x)
        n_in, n_out, regression, image_shape = 1, 1, True, None
    elif kind == "digits":
        x = rng.normal(0, 1, (n, 64))
        y = rng.integers(0, classes, n)
        n_in, n_out, regression, image_shape = 64, classes, False, (8, 8)
    else:
        x = rng.normal(0, 1, (n, 2))
        y = np.arange(n) % classes
        n_in, n_out, regression, image_shape = 2, classes, False, None
    return types.SimpleNamespace(
        x_train=x,
        y_train=y,
        x_test=x[: n // 4],
        y_test=y[: n // 4],
        n_inputs=n_in,
        n_outputs=n_out,
        is_regression=regression,
        image_shape=image_shape,
    )


@pytest.fixture
def view(qtbot):
    w = OutputView()
    qtbot.addWidget(w)
    w.resize(800, 600)
    w.set_experiment(ExperimentConfig(depth=DEPTH, classes=3), tiny_dataset("grid"))
    w.show()
    qtbot.waitExposed(w)
    return w


def history_of(*snaps: Snapshot) -> History:
    history = History(DEPTH + 1)
    for i in range(50):
        history.append(make_snapshot(step=i, depth=DEPTH, output_kind=None))
    for snap in snaps:
        history.append(snap)
    return history


def rgb(colour: str) -> tuple[int, int, int]:
    c = QtGui.QColor(colour)
    return c.red(), c.green(), c.blue()


def cell_texts(view: OutputView) -> list[str]:
    return [t.textItem.toPlainText() for t in view._texts]


def test_title() -> None:
    assert OutputView.title == "Output"


def test_grid_draws_regions_and_training_points(view, qtbot) -> None:
    snap = make_snapshot(step=50, depth=DEPTH, output_kind="grid")
    view.show_snapshot(snap, history_of(snap))
    image = view.region_image.image
    assert image.shape == (40, 40, 3) and image.dtype == np.uint8
    probs = snap.output.values
    # each pixel leans towards its argmax class colour
    j, i = 7, 11
    winner = int(np.argmax(probs[j, i]))
    colour = np.array(rgb(CLASS_COLOURS[winner]), dtype=float)
    white = np.array([255.0, 255.0, 255.0])
    pixel = image[j, i].astype(float)
    assert np.linalg.norm(pixel - colour) < np.linalg.norm(white - colour)
    # the image spans the extent in input coordinates
    rect = view.region_image.mapRectToParent(view.region_image.boundingRect())
    assert (rect.left(), rect.right(), rect.top(), rect.bottom()) == pytest.approx((-2, 2, -2, 2))
    assert view.region_image.isVisible() and not view.confusion_image.isVisible()
    assert len(view.points.data) == 60
    assert view.points.isVisible()


def test_confident_pixels_are_stronger_than_unsure_ones() -> None:
    probs = np.array([[[0.98, 0.01, 0.01], [0.34, 0.33, 0.33]]])
    image = region_image(probs, "#FFFFFF").astype(float)
    blue = np.array(rgb(CLASS_COLOURS[0]), dtype=float)
    assert np.linalg.norm(image[0, 0] - blue) < np.linalg.norm(image[0, 1] - blue)


def test_detail_less_snapshot_keeps_the_drawing(view) -> None:
    snap = make_snapshot(step=50, depth=DEPTH, output_kind="grid")
    view.show_snapshot(snap, history_of(snap))
    drawn = view.region_image.image.copy()
    plain = make_snapshot(step=51, depth=DEPTH, output_kind=None)
    assert plain.output is None
    view.show_snapshot(plain, history_of(snap, plain))
    np.testing.assert_array_equal(view.region_image.image, drawn)


def test_new_output_changes_pixels(view) -> None:
    first = make_snapshot(step=50, depth=DEPTH, output_kind="grid")
    view.show_snapshot(first, history_of(first))
    before = view.grab().toImage()
    second = make_snapshot(step=51, depth=DEPTH, output_kind="grid")
    view.show_snapshot(second, history_of(first, second))
    assert view.grab().toImage() != before


def test_curve_draws_data_and_fit(view) -> None:
    view.set_experiment(ExperimentConfig(dataset="sine", loss="mse"), tiny_dataset("curve"))
    snap = make_snapshot(step=50, depth=DEPTH, n_out=1, output_kind="curve")
    before = view.grab().toImage()
    view.show_snapshot(snap, history_of(snap))
    x, y = view.fit_curve.getData()
    np.testing.assert_allclose(x, snap.output.xs)
    np.testing.assert_allclose(y, snap.output.values[:, 0])
    assert len(view.points.data) == 60
    assert view.fit_curve.isVisible() and not view.region_image.isVisible()
    assert view.grab().toImage() != before


def test_confusion_matrix_is_annotated(view) -> None:
    view.set_experiment(ExperimentConfig(dataset="digits"), tiny_dataset("digits", classes=10))
    assert len(view._texts) == 100
    assert not view.points.isVisible()
    snap = make_snapshot(step=50, depth=DEPTH, n_out=10, output_kind="confusion")
    view.show_snapshot(snap, history_of(snap))
    counts = snap.output.values
    assert cell_texts(view) == [str(int(c)) for c in counts.flat]
    image = view.confusion_image.image
    assert image.shape == (10, 10)
    # colour follows each row's share: the biggest cell of a row is the brightest
    row = 3
    assert image[row, int(np.argmax(counts[row]))] == image[row].max()
    ticks = view.plot.getAxis("bottom")._tickLevels[0]
    assert [label for _, label in ticks] == [str(k) for k in range(10)]


def test_set_experiment_follows_class_and_mode_changes(view) -> None:
    view.set_experiment(ExperimentConfig(dataset="gaussians", classes=5), tiny_dataset("grid", classes=5))
    brushes = {b.color().name() for b in view.points.data["brush"]}
    assert brushes == {QtGui.QColor(c).name() for c in CLASS_COLOURS[:5]}
    snap = make_snapshot(step=1, depth=DEPTH, n_out=5, output_kind="grid")
    view.show_snapshot(snap, history_of(snap))
    assert view._n_classes == 5
    view.set_experiment(ExperimentConfig(dataset="digits"), tiny_dataset("digits", classes=4))
    assert len(view._texts) == 16
    view.set_experiment(ExperimentConfig(dataset="digits"), tiny_dataset("digits", classes=10))
    assert len(view._texts) == 100
    view.set_experiment(ExperimentConfig(dataset="sine", loss="mse"), None)
    assert view._mode == "curve" and len(view._texts) == 0
    assert len(view.points.data) == 0  # no dataset, no points


def test_all_three_kinds_in_a_row_without_set_experiment(view) -> None:
    for kind, n_out in (("curve", 1), ("confusion", 3), ("grid", 3), ("confusion", 6), ("grid", 2)):
        snap = make_snapshot(step=5, depth=DEPTH, n_out=n_out, output_kind=kind)
        view.show_snapshot(snap, history_of(snap))
        assert view._mode == kind
    assert view.region_image.image.shape == (40, 40, 3)


@pytest.mark.parametrize("kind", ["grid", "curve", "confusion"])
def test_bad_values_never_warn(view, kind) -> None:
    n_out = 1 if kind == "curve" else 3
    bad = make_snapshot(step=50, depth=DEPTH, n_out=n_out, output_kind=kind, bad_values=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        view.show_snapshot(bad, history_of(bad))
        view.grab()
    if kind == "grid":
        assert tuple(view.region_image.image[0, 0]) == rgb(NONFINITE)
        assert tuple(view.region_image.image[0, 1]) != rgb(NONFINITE)
    elif kind == "confusion":
        assert view.confusion_image.image[0, 0] == 0  # reserved non-finite colour
        assert cell_texts(view)[0] == "NaN"
    else:
        _, y = view.fit_curve.getData()
        assert np.isnan(y[0]) and np.isfinite(y[1:]).all()  # a gap, drawn with connect="finite"


def test_inf_predictions_and_odd_shapes_are_safe(view) -> None:
    base = make_snapshot(step=50, depth=DEPTH, output_kind=None)
    samples = [
        OutputSample("curve", np.full((50, 1), np.inf), xs=np.linspace(0, 1, 50)),
        OutputSample("grid", np.full((4, 4, 3), np.nan), extent=(0.0, 1.0, 0.0, 1.0)),
        OutputSample("grid", np.zeros((4, 4))),  # wrong shape: ignored
        OutputSample("confusion", np.zeros((2, 3))),  # not square: ignored
        OutputSample("unknown", np.zeros(3)),
    ]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for sample in samples:
            view.show_snapshot(dataclasses.replace(base, output=sample), history_of())
            view.grab()


def test_large_datasets_are_subsampled(view) -> None:
    view.set_experiment(ExperimentConfig(), tiny_dataset("grid", n=5000))
    assert len(view.points.data) == MAX_POINTS


def test_clear_keeps_points_and_drops_prediction(view) -> None:
    snap = make_snapshot(step=50, depth=DEPTH, output_kind="grid")
    view.show_snapshot(snap, history_of(snap))
    view.clear()
    assert view.region_image.image is None
    assert len(view.points.data) == 60


# -- fitting a main-window cell (1920×1080: ~520×390; 1280×720: ~420×360) --------------------
def overflow(view) -> list[str]:
    """Everything drawn that does not fit its widget: layout, plot areas, titles, labels."""
    return scene_overflow(view)


def settle(qtbot, view, size) -> None:
    view.resize(*size)
    qtbot.wait(20)


@pytest.mark.parametrize("kind", ["grid", "curve", "confusion"])
def test_every_mode_fits_a_main_window_cell(view, qtbot, kind) -> None:
    config = {
        "grid": ExperimentConfig(dataset="gaussians"),
        "curve": ExperimentConfig(dataset="sine", loss="mse"),
        "confusion": ExperimentConfig(dataset="digits"),
    }[kind]
    n_out = {"grid": 3, "curve": 1, "confusion": 10}[kind]
    view.set_experiment(config, tiny_dataset("digits" if kind == "confusion" else kind, n_out))
    snap = make_snapshot(step=50, depth=DEPTH, n_out=n_out, output_kind=kind)
    view.show_snapshot(snap, history_of(snap))
    # shrinking from a big window exercises the stale-layout case (title picked too late)
    for size in ((800, 600), (520, 390), (420, 360), (520, 390)):
        settle(qtbot, view, size)
        assert overflow(view) == [], size
        assert view.plot.vb.width() > 0.6 * size[0] and view.plot.vb.height() > 0.6 * size[1]


def test_decision_regions_fill_the_plot(view, qtbot) -> None:
    settle(qtbot, view, (520, 390))
    # before any prediction: the training points ± the grid's margin
    x = view.points.data["x"]
    (x0, x1), _ = view.plot.vb.viewRange()
    assert x0 == pytest.approx(x.min() - GRID_MARGIN, abs=1e-6)
    assert x1 == pytest.approx(x.max() + GRID_MARGIN, abs=1e-6)
    snap = make_snapshot(step=50, depth=DEPTH, output_kind="grid")  # extent (-2, 2, -2, 2)
    view.show_snapshot(snap, history_of(snap))
    (x0, x1), (y0, y1) = view.plot.vb.viewRange()
    assert (x0, x1, y0, y1) == pytest.approx((-2, 2, -2, 2))  # no empty band beside the image
    # an extreme cell stretches the regions at most MAX_STRETCH times
    settle(qtbot, view, (900, 200))
    (x0, x1), (y0, y1) = view.plot.vb.viewRange()
    vb = view.plot.vb
    stretch = (vb.width() / (x1 - x0)) / (vb.height() / (y1 - y0))
    assert stretch == pytest.approx(MAX_STRETCH, rel=0.02)
    assert x0 < -2 and x1 > 2 and (y0, y1) == pytest.approx((-2, 2))
    assert overflow(view) == []


def test_fonts_stay_readable_from_the_back_row(view, qtbot) -> None:
    settle(qtbot, view, (420, 360))
    for name in ("left", "bottom"):
        assert view.plot.getAxis(name).style["tickFont"].pointSize() >= 12
    assert "pt" in view.plot.titleLabel.opts["size"]
    assert int(view.plot.titleLabel.opts["size"].removesuffix("pt")) >= 12
    # the long title where it fits, a shorter one where it does not
    settle(qtbot, view, (1000, 600))
    long = view.plot.titleLabel.text
    settle(qtbot, view, (420, 360))
    assert len(view.plot.titleLabel.text) < len(long)
