"""NetworkView: draws snapshots, survives inf/NaN, samples wide layers, rebuilds on depth change."""

from __future__ import annotations

import dataclasses
import itertools
import warnings

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6 import QtCore, QtGui, QtWidgets

from model.config import ExperimentConfig
from model.history import History
from tests.fakes import make_snapshot
from views.labels import FitLabel, spaced_indices
from views.network_view import NetworkView, format_sci, sample_units

#: Cells of the 1920×1080 lecture window (top row) and of a 1280×720 one.
CELL_SIZES = [(520, 580), (420, 420)]


# -- fit helpers (shared with the other view tests) -------------------------------------
def device_rect(view: QtWidgets.QGraphicsView, item: QtWidgets.QGraphicsItem) -> QtCore.QRectF:
    """Where ``item`` lands in ``view``'s viewport, in pixels (honours ItemIgnoresTransformations)."""
    return item.deviceTransform(view.viewportTransform()).mapRect(item.boundingRect())


def widget_rect(view: QtWidgets.QGraphicsView, item: QtWidgets.QGraphicsWidget) -> QtCore.QRectF:
    """A layout item's own rectangle in viewport pixels (not its painting bounds)."""
    return item.deviceTransform(view.viewportTransform()).mapRect(item.rect())


def overflow(widget: QtWidgets.QWidget) -> list[str]:
    """What of ``widget``'s plots, texts and title labels reaches outside where it is visible.

    Checks: the GraphicsLayout fits the viewport; every visible layout item (plots, axes,
    view boxes) and every tick label an axis draws lies inside the viewport; every visible
    text item lies inside the viewport, and inside its ViewBox (which clips its children) if
    it has one; every FitLabel shows a wording that fits, inside the widget.
    """
    glw = widget._glw  # type: ignore[attr-defined]
    slack = 0.5
    port = QtCore.QRectF(glw.viewport().rect()).adjusted(-slack, -slack, slack, slack)
    bad = []
    geom = glw.ci.geometry()
    if geom.width() > port.width() or geom.height() > port.height():
        bad.append(f"layout {geom.width():.0f}x{geom.height():.0f} > viewport {port.width():.0f}")
    for item in glw.scene().items():
        if not item.isVisible():
            continue
        if isinstance(item, QtWidgets.QGraphicsWidget) and item.parentItem() is not None:
            rect = widget_rect(glw, item)
            if rect.width() > 0 and not port.contains(rect):
                bad.append(f"{type(item).__name__} {rect.getRect()}")
            if isinstance(item, pg.AxisItem):
                to_device = item.deviceTransform(glw.viewportTransform())
                for text_rect, _, text in drawn_ticks(item):
                    rect = to_device.mapRect(text_rect)
                    if not port.contains(rect):
                        bad.append(f"tick {text!r} {rect.getRect()} outside the viewport")
        elif isinstance(item, QtWidgets.QGraphicsSimpleTextItem | QtWidgets.QGraphicsTextItem):
            rect = device_rect(glw, item)
            if rect.isEmpty():
                continue
            if not port.contains(rect):
                bad.append(f"text {_text(item)!r} {rect.getRect()} outside the viewport")
            box = _viewbox_of(item)
            if box is not None:
                area = widget_rect(glw, box).adjusted(-slack, -slack, slack, slack)
                if not area.contains(rect):
                    bad.append(f"text {_text(item)!r} {rect.getRect()} clipped by its plot {area.getRect()}")
    for label in widget.findChildren(FitLabel):
        if not label.isVisible():
            continue
        if not label.text_fits():
            bad.append(f"label {label.shown_text!r} does not fit {label.width()} px")
        if not QtCore.QRect(QtCore.QPoint(0, 0), widget.size()).contains(label.geometry()):
            bad.append(f"label {label.shown_text!r} outside the widget")
    return bad


def overlapping_texts(view: QtWidgets.QGraphicsView, items: list[QtWidgets.QGraphicsItem]) -> list[tuple[str, str]]:
    """Pairs of the visible, non-empty ``items`` whose texts touch on screen."""
    shown = [(i, device_rect(view, i)) for i in items if i.isVisible() and _text(i)]
    return [(_text(a), _text(b)) for (a, ra), (b, rb) in itertools.combinations(shown, 2) if ra.intersects(rb)]


def drawn_ticks(axis: pg.AxisItem) -> list[tuple[QtCore.QRectF, int, str]]:
    """(rect, flags, text) of the tick labels the axis draws (pyqtgraph drops some that do not fit)."""
    image = QtGui.QImage(8, 8, QtGui.QImage.Format.Format_ARGB32)
    painter = QtGui.QPainter(image)
    try:
        specs = axis.generateDrawSpecs(painter)
    finally:
        painter.end()
    return list(specs[2]) if specs else []


def _text(item: QtWidgets.QGraphicsItem) -> str:
    if isinstance(item, QtWidgets.QGraphicsTextItem):
        return item.toPlainText()
    return item.text() if isinstance(item, QtWidgets.QGraphicsSimpleTextItem) else ""


def _viewbox_of(item: QtWidgets.QGraphicsItem) -> QtWidgets.QGraphicsWidget | None:
    parent = item.parentItem()
    while parent is not None:
        if isinstance(parent, pg.ViewBox):
            return parent
        parent = parent.parentItem()
    return None


def show_at(qtbot, widget: QtWidgets.QWidget, size: tuple[int, int]) -> None:
    widget.resize(*size)
    widget.show()
    qtbot.waitExposed(widget)
    QtWidgets.QApplication.processEvents()


def _weights(sizes: tuple[int, ...], seed: int = 0, scale: float = 1.0) -> list[np.ndarray]:
    rng = np.random.default_rng(seed)
    return [rng.normal(0.0, scale * np.sqrt(2.0 / (a + b)), (a, b)) for a, b in itertools.pairwise(sizes)]


def _pixels(widget: NetworkView) -> bytes:
    image = widget.grab().toImage().convertToFormat(QtGui.QImage.Format.Format_ARGB32)
    return bytes(image.constBits())


@pytest.fixture
def view(qtbot):
    w = NetworkView()
    qtbot.addWidget(w)
    w.resize(800, 600)
    w.show()
    qtbot.waitExposed(w)
    return w


def _edge_lines(view: NetworkView) -> int:
    return sum(view._edges.layer.line_counts())


def test_title_is_a_class_attribute():
    assert NetworkView.title == "Network"


def test_snapshots_change_pixels_and_node_colours(view):
    config = ExperimentConfig(depth=4, width=8)
    first = make_snapshot(step=1, depth=4, width=8)
    view.set_experiment(config, _weights(first.layer_sizes))
    history = History(first.n_layers)
    view.show_snapshot(first, history, _weights(first.layer_sizes, seed=1))
    bins_before = view._node_bins.copy()
    before = _pixels(view)

    second = make_snapshot(step=2, depth=4, width=8, vanishing=False)
    view.show_snapshot(second, history, _weights(second.layer_sizes, seed=2, scale=3.0))
    after = _pixels(view)

    assert not np.array_equal(bins_before, view._node_bins)
    assert before != after
    assert _edge_lines(view) > 0


def test_column_labels_show_gradient_magnitude(view):
    snap = make_snapshot(depth=4, width=8)
    view.set_experiment(ExperimentConfig(depth=4, width=8))
    view.show_snapshot(snap, History(snap.n_layers))
    texts = [label.text() for label in view._columns.grad_labels]
    assert texts == [format_sci(float(v)) for v in snap.stats["delta_norm"]]
    # vanishing=True: the first layer's error is ~1e-6 of the last one's.
    assert texts[0].endswith(("e-6", "e-7"))


def test_non_finite_values_are_drawn_without_warnings(view):
    snap = make_snapshot(depth=4, width=8, bad_values=True)
    weights = _weights(snap.layer_sizes)
    weights[1][0, 0] = np.nan
    weights[2][0, 0] = np.inf
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        view.set_experiment(ExperimentConfig(depth=4, width=8))
        view.show_snapshot(snap, History(snap.n_layers), weights)
        view.grab()
    # The NaN probe unit (layer 1, unit 0) gets the non-finite brush; so do the inf/NaN columns.
    first_hidden = len(view._samples[0])
    assert view._node_bins[first_hidden] == view.N_NODE_BINS
    assert view._columns.band_bins[0] == view.N_GRAD_BINS
    assert view._columns.band_bins[-1] == view.N_GRAD_BINS
    assert view._columns.grad_labels[0].text() == "inf"
    assert view._columns.grad_labels[-1].text() == "NaN"
    assert view._edges.layer.line_counts()[-1] > 0  # the inf/NaN pen


def test_wide_layers_are_sampled_and_say_so(view):
    config = ExperimentConfig(depth=3, width=256)
    view.set_experiment(config)
    assert "showing 32 of 256 units" in view.note_text
    snap = make_snapshot(depth=3, width=256)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        view.show_snapshot(snap, History(snap.n_layers), _weights(snap.layer_sizes))
    assert [len(s) for s in view._samples] == [2, 32, 32, 32, 3]
    # Edges only between drawn units, and only the strongest few per layer.
    assert _edge_lines(view) > 0
    assert len(view._edges.pick) <= view._edges.per_layer * (len(snap.layer_sizes) - 1)


def test_narrow_layers_have_no_sampling_note(view):
    view.set_experiment(ExperimentConfig(depth=3, width=16))
    assert "showing" not in view.note_text


def test_set_experiment_with_new_depth_rebuilds(view):
    view.set_experiment(ExperimentConfig(depth=4, width=8))
    assert len(view._columns.bands) == 5
    deeper = make_snapshot(depth=7, width=12)
    view.set_experiment(ExperimentConfig(depth=7, width=12), _weights(deeper.layer_sizes))
    assert view._sizes == deeper.layer_sizes
    assert len(view._columns.bands) == 8
    assert len(view._columns.grad_labels) == 8
    view.show_snapshot(deeper, History(deeper.n_layers))
    assert len(view._node_bins) == sum(deeper.layer_sizes)
    assert view._columns.band_bins[-1] >= 0


def test_snapshot_of_another_architecture_rebuilds_itself(view):
    view.set_experiment(ExperimentConfig(depth=4, width=8))
    other = make_snapshot(depth=2, width=5, n_in=3, n_out=2)
    view.show_snapshot(other, History(other.n_layers))
    assert view._sizes == (3, 5, 5, 2)


def test_snapshot_without_detail_keeps_last_detail(view):
    snap = make_snapshot(depth=4, width=8)
    view.set_experiment(ExperimentConfig(depth=4, width=8))
    view.show_snapshot(snap, History(snap.n_layers))
    bins = view._node_bins.copy()
    plain = dataclasses.replace(make_snapshot(step=5, depth=4, width=8), probe=None, detail=False)
    view.show_snapshot(plain, History(snap.n_layers))
    assert np.array_equal(bins, view._node_bins)


def test_weights_none_keeps_last_edges(view):
    snap = make_snapshot(depth=4, width=8)
    view.set_experiment(ExperimentConfig(depth=4, width=8), _weights(snap.layer_sizes))
    drawn = _edge_lines(view)
    assert drawn > 0
    view.show_snapshot(snap, History(snap.n_layers), None)
    assert _edge_lines(view) == drawn


def test_clear_removes_values(view):
    snap = make_snapshot(depth=4, width=8)
    view.set_experiment(ExperimentConfig(depth=4, width=8), _weights(snap.layer_sizes))
    view.show_snapshot(snap, History(snap.n_layers))
    view.clear()
    assert _edge_lines(view) == 0
    assert all(label.text() == "" for label in view._columns.grad_labels)
    assert np.all(view._node_bins == view.N_NODE_BINS // 2)


def test_sigmoid_nodes_are_centred_on_one_half(view):
    view.set_experiment(ExperimentConfig(depth=2, width=4, activation="sigmoid"))
    sizes = (2, 4, 4, 3)
    probe = (np.zeros(2), np.full(4, 0.5), np.array([0.0, 0.25, 0.75, 1.0]), np.zeros(3))
    snap = dataclasses.replace(make_snapshot(depth=2, width=4), probe=probe)
    assert snap.layer_sizes == sizes
    view.show_snapshot(snap, History(3))
    hidden1 = view._node_bins[2:6]
    hidden2 = view._node_bins[6:10]
    mid = view.N_NODE_BINS // 2
    assert np.all(np.abs(hidden1 - mid) <= 1)  # σ = 0.5 is the neutral colour
    assert hidden2[0] == 0 and hidden2[-1] == view.N_NODE_BINS - 1


def test_helpers():
    assert format_sci(3.2e-6) == "3e-6"
    assert format_sci(float("inf")) == "inf"
    assert format_sci(float("nan")) == "NaN"
    assert format_sci(0.0) == "0"
    assert list(sample_units(5, 32)) == [0, 1, 2, 3, 4]
    picked = sample_units(256, 32)
    assert len(picked) == 32 and picked[0] == 0 and picked[-1] == 255


def test_throttled_edges_and_labels_still_reach_the_screen(view, qtbot):
    sizes = make_snapshot(depth=4, width=8).layer_sizes
    view.set_experiment(ExperimentConfig(depth=4, width=8))
    first, second = _weights(sizes, seed=1), _weights(sizes, seed=2, scale=3.0)
    snap1 = make_snapshot(step=1, depth=4, width=8)
    snap2 = make_snapshot(step=2, depth=4, width=8, vanishing=False)
    view.show_snapshot(snap1, History(5), first)
    view.show_snapshot(snap2, History(5), second)  # within the throttle interval: held back
    assert view._last_weights is first
    # Column colours are never held back: snap2 has no vanishing gradient (‖δ‖ ≈ 1 → top bins).
    assert min(view._columns.band_bins) > 0.8 * view.N_GRAD_BINS
    qtbot.waitUntil(lambda: view._last_weights is second, timeout=2000)
    expected = [format_sci(float(v)) for v in snap2.stats["delta_norm"]]
    qtbot.waitUntil(lambda: [label.text() for label in view._columns.grad_labels] == expected, timeout=2000)


# -- fitting the lecture-window cells ---------------------------------------------------
@pytest.mark.parametrize("size", CELL_SIZES)
@pytest.mark.parametrize(("depth", "width"), [(10, 32), (30, 32), (64, 8), (6, 256)])
def test_whole_network_fits_its_cell(qtbot, size, depth, width):
    view = NetworkView()
    qtbot.addWidget(view)
    show_at(qtbot, view, size)
    snap = make_snapshot(depth=depth, width=width)
    # ‖δ‖ down to 1e-12: the widest labels ("1e-12") must not touch either.
    stats = dict(snap.stats, delta_norm=np.logspace(-12, 0, depth + 1))
    snap = dataclasses.replace(snap, stats=stats)
    view.set_experiment(ExperimentConfig(depth=depth, width=width), _weights(snap.layer_sizes))
    view.show_snapshot(snap, History(snap.n_layers))
    QtWidgets.QApplication.processEvents()

    assert overflow(view) == []
    # The output column (and its band) is inside the visible x range and labelled "out".
    n_cols = len(view._sizes)
    x0, x1 = view._plot.vb.viewRange()[0]
    assert x0 <= -0.5 and n_cols - 0.5 <= x1
    box = view._plot.vb.sceneBoundingRect()
    out_pos = view._plot.vb.mapViewToScene(QtCore.QPointF(n_cols - 1, 0.5))
    assert box.contains(out_pos)
    assert view._columns.name_labels[-1].isVisible() and view._columns.name_labels[-1].text() == "out"
    assert view._columns.name_labels[0].isVisible() and view._columns.name_labels[0].text() == "in"
    assert view._columns.grad_labels[-1].isVisible()  # the last layer's ‖δ‖ is always shown
    # Thinned label rows never overlap, and at least every third column keeps its labels.
    assert overlapping_texts(view._glw, view._columns.name_labels) == []
    assert overlapping_texts(view._glw, [view._columns.grad_head, *view._columns.grad_labels]) == []
    if depth <= 10:
        assert sum(label.isVisible() for label in view._columns.name_labels) >= n_cols // 3
    # Nodes never grow into their neighbours.
    assert view._node_size <= 0.6 * view._col_px + 1e-9 or view._node_size == 3.0


def test_note_is_short_with_details_in_the_tooltip(qtbot):
    view = NetworkView()
    qtbot.addWidget(view)
    show_at(qtbot, view, (420, 420))
    view.set_experiment(ExperimentConfig(depth=3, width=256))
    assert view._note.shown_variant < len(view._note.variants)  # a wording fits, unelided
    assert "32 of 256 units shown" in view._note.shown_text
    tip = view._note.toolTip()
    assert "Glorot" in tip and "probe input" in tip and "showing 32 of 256 units" in tip
    # Two lines at most: the diagram keeps the height.
    metrics = QtGui.QFontMetrics(view._note.font())
    assert view._note.height() <= 2 * metrics.lineSpacing() + 8


def test_label_rows_thin_and_unthin_on_resize(qtbot):
    view = NetworkView()
    qtbot.addWidget(view)
    show_at(qtbot, view, (1200, 600))
    snap = make_snapshot(depth=12, width=8)
    view.set_experiment(ExperimentConfig(depth=12, width=8))
    view.show_snapshot(snap, History(snap.n_layers))
    assert all(label.isVisible() for label in view._columns.name_labels)
    show_at(qtbot, view, (300, 400))
    assert not all(label.isVisible() for label in view._columns.name_labels)
    assert overlapping_texts(view._glw, view._columns.name_labels) == []
    show_at(qtbot, view, (1200, 600))
    assert all(label.isVisible() for label in view._columns.name_labels)


def test_spaced_indices_keep_the_ends_and_the_stride():
    assert spaced_indices(5, 1) == [0, 1, 2, 3, 4]
    assert spaced_indices(12, 2) == [0, 2, 4, 6, 8, 11]
    assert spaced_indices(13, 2) == [0, 2, 4, 6, 8, 10, 12]
    assert spaced_indices(1, 3) == [0]
    assert spaced_indices(0, 3) == []
    for n in range(1, 70):
        for stride in range(1, 9):
            shown = spaced_indices(n, stride)
            assert shown[0] == 0 and shown[-1] == n - 1
            if n - 1 >= stride:  # (two ends closer than a stride cannot be kept apart)
                assert all(b - a >= stride for a, b in itertools.pairwise(shown))


def test_edges_are_drawn_from_a_cache_with_the_same_pixels(view):
    """A tint or node change copies the cached edges instead of drawing every line again."""
    snap = make_snapshot(depth=4, width=8)
    weights = _weights(snap.layer_sizes, scale=3.0)  # thick edges (parallel lines) too
    view.set_experiment(ExperimentConfig(depth=4, width=8), weights)
    view.show_snapshot(snap, History(snap.n_layers))
    layer = view._edges.layer
    cached = _pixels(view)
    image = layer._cache
    assert image is not None
    other = make_snapshot(step=2, depth=4, width=8, vanishing=False)  # new tints and nodes
    view.show_snapshot(other, History(other.n_layers))
    tinted = _pixels(view)
    assert tinted != cached
    assert layer._cache is image  # the same weights: the same picture of the edges
    layer.cache_enabled = False
    layer.update()
    assert _pixels(view) == tinted  # lines drawn one by one look the same
