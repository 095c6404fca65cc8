"""Compare mode: offline feeding, layout at 1920×1080, and live runs with real controllers."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from PySide6 import QtCore, QtGui

from app.compare_window import (
    GRADIENTS_MIN_HEIGHT,
    CompareWindow,
    auto_caption,
    open_scene_compare,
    open_variants_compare,
    train_compare_offline,
    variant_runs,
)
from app.headless import save_screenshot
from app.main_window import MainWindow, make_application
from app.worker import TrainingController
from model import ConfigError, ExperimentConfig
from model.scenes import list_scenes, load_scene, parse_scene

BASE = ExperimentConfig(depth=6, width=16, n_samples=200, activation="sigmoid", init="xavier_normal")
ACTIVATIONS = [
    ("sigmoid", BASE),
    ("tanh", BASE.replace(activation="tanh")),
    ("relu", BASE.replace(activation="relu", init="he_normal")),
]
SMALL = ExperimentConfig(depth=3, width=8, n_samples=200, activation="relu", init="he_normal")
EXPLODING = ExperimentConfig(
    depth=8, width=32, activation="relu", init="normal", init_scale=3.0, learning_rate=1.0, n_samples=200
)


def _points(curve) -> int:  # type: ignore[no-untyped-def]
    y = curve.getData()[1]
    return 0 if y is None else len(y)


def _close(window: CompareWindow) -> None:
    window.close()
    window.deleteLater()


@pytest.fixture
def offline(qtbot) -> Iterator[CompareWindow]:  # type: ignore[no-untyped-def]
    make_application()
    w = CompareWindow(ACTIVATIONS, title="Three activations", caption="Only the activation changes.")
    qtbot.addWidget(w)
    w.resize(1920, 1080)
    w.show()
    qtbot.waitExposed(w)
    yield w
    _close(w)


# -- offline ---------------------------------------------------------------------------------
def test_offline_window_shows_one_labelled_column_per_run(offline: CompareWindow) -> None:
    assert "Backprop Lab — Compare" in offline.windowTitle()
    assert [c.header.full_text for c in offline.columns] == ["sigmoid", "tanh", "relu"]
    assert offline.controllers is None and not offline.timer.isActive()
    # columns left to right in run order, below the full-width overlay
    xs = [c.mapTo(offline, QtCore.QPoint(0, 0)).x() for c in offline.columns]
    assert xs == sorted(xs)
    overlay_bottom = offline.overlay.mapTo(offline, QtCore.QPoint(0, offline.overlay.height())).y()
    assert all(c.mapTo(offline, QtCore.QPoint(0, 0)).y() >= overlay_bottom for c in offline.columns)
    assert offline.overlay.width() > 0.95 * offline.centralWidget().width()
    assert [label.text for _, label in offline.overlay.legend.items] == ["sigmoid", "tanh", "relu"]


def test_caption_has_title_and_text_in_a_big_font(offline: CompareWindow) -> None:
    text = offline.caption.text()
    assert "Three activations" in text and "Only the activation changes." in text
    assert offline.caption.font().pointSize() >= 14
    assert offline.caption.wordWrap()


def test_train_offline_feeds_every_column_and_the_overlay(offline: CompareWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    before = offline.overlay.grab().toImage()
    train_compare_offline(offline, 30)
    curves = offline.overlay.curves
    assert len(curves) == 3
    for column, curve in zip(offline.columns, curves, strict=True):
        assert column.latest is not None and column.latest.step == 30
        assert column.stats_label.text().startswith("step 30")
        assert "loss" in column.stats_label.text()
        assert column.verdict_label.text() != ""
        assert len(column.history) == 30
        _, y = curve.getData()
        np.testing.assert_allclose(y, np.log10(column.latest.stats["delta_norm"]))
    assert offline.overlay.grab().toImage() != before
    # the activations really differ: sigmoid's first layer gets the weakest signal
    firsts = [c.latest.stats["delta_norm"][0] for c in offline.columns]
    assert firsts[0] < min(firsts[1:])


def test_a_diverging_run_says_where_and_the_others_do_not(qtbot) -> None:  # type: ignore[no-untyped-def]
    make_application()
    w = CompareWindow([("he", SMALL), ("exploding", EXPLODING)])
    qtbot.addWidget(w)
    train_compare_offline(w, 30)
    ok, bad = w.columns
    assert bad.diverged and not ok.diverged
    assert "DIVERGED in layer" in bad.verdict_label.text()
    assert bad.verdict_kind == "diverged"
    assert "DIVERGED" not in ok.verdict_label.text()
    assert ok.latest is not None and ok.latest.step == 30
    assert bad.latest is not None and bad.latest.step < 30
    _close(w)


def test_reset_offline_forgets_every_run(offline: CompareWindow) -> None:
    train_compare_offline(offline, 10)
    offline.reset()
    for column in offline.columns:
        assert column.latest is None and len(column.history) == 0
        assert column.stats_label.text() == "step 0"
    assert [_points(c) for c in offline.overlay.curves] == [0, 0, 0]


def test_transport_keys(offline: CompareWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    offline.activateWindow()
    qtbot.waitActive(offline)
    assert not offline.playing
    qtbot.keyClick(offline, QtCore.Qt.Key.Key_Space)
    assert offline.playing
    qtbot.keyClick(offline, QtCore.Qt.Key.Key_Right)
    assert not offline.playing  # a step pauses
    qtbot.keyClick(offline, QtCore.Qt.Key.Key_Space)
    qtbot.keyClick(offline, QtCore.Qt.Key.Key_S)
    assert not offline.playing
    qtbot.keyClick(offline, QtCore.Qt.Key.Key_Escape)
    assert not offline.isVisible()


def test_keys_still_work_beside_the_main_window(qtbot) -> None:  # type: ignore[no-untyped-def]
    """The main window binds Space etc. application-wide; two shortcuts on one key would be
    ambiguous and Qt would fire neither (found by this test)."""
    make_application()
    main = MainWindow(BASE, controller=None)
    qtbot.addWidget(main)
    main.show()
    w = CompareWindow(ACTIVATIONS[:2])
    qtbot.addWidget(w)
    w.show()
    w.activateWindow()
    qtbot.waitActive(w)
    focused = w.columns[0].views["loss"].loss_widget  # keys go to the focus widget first
    focused.setFocus()
    qtbot.keyClick(focused, QtCore.Qt.Key.Key_Space)
    assert w.playing and not main.playing
    qtbot.keyClick(focused, QtCore.Qt.Key.Key_Space)
    assert not w.playing and not main.playing
    qtbot.keyClick(focused, QtCore.Qt.Key.Key_Q, QtCore.Qt.KeyboardModifier.ControlModifier)
    assert not w.isVisible() and main.isVisible()
    w.deleteLater()
    main.close()


@pytest.mark.parametrize("n_runs", [2, 3, 4])
def test_layout_at_1920x1080_keeps_every_view_whole(qtbot, n_runs: int) -> None:  # type: ignore[no-untyped-def]
    make_application()
    runs = [*ACTIVATIONS, ("relu, gain 2", BASE.replace(activation="relu", init_scale=2.0))][:n_runs]
    w = CompareWindow(runs, title="Layout", caption="A caption long enough to wrap onto a second line " * 3)
    qtbot.addWidget(w)
    w.resize(1920, 1080)
    w.show()
    qtbot.waitExposed(w)
    train_compare_offline(w, 5)
    QtGui.QGuiApplication.processEvents()
    window_rect = w.rect()
    for column in w.columns:
        gradients = column.views["gradients"]
        if n_runs < 4:
            # tall enough for the heat map (below that the view drops it); four runs keep the
            # overlay at its share of the height instead (app.compare_deck)
            assert gradients.height() >= GRADIENTS_MIN_HEIGHT
            assert gradients.heat_plot.isVisible()
        # the output and the activations view share one place: one of them is shown
        assert column.views["output"].isVisible() != column.views["activations"].isVisible()
        for view in (v for v in column.views.values() if v.isVisible()):
            top_left = view.mapTo(w, QtCore.QPoint(0, 0))
            rect = QtCore.QRect(top_left, view.size())
            assert window_rect.contains(rect), (column.label, type(view).__name__, rect)
            assert view.width() >= 230 and view.height() >= 150
    # no two runs' areas overlap
    rects = [QtCore.QRect(c.mapTo(w, QtCore.QPoint(0, 0)), c.size()) for c in w.columns]
    for i, a in enumerate(rects):
        for b in rects[i + 1 :]:
            assert not a.intersects(b)
    assert w.overlay.height() >= 200
    _close(w)


def test_headless_screenshot_is_full_hd(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    make_application()
    w = CompareWindow(ACTIVATIONS, title="Shot", caption="Three runs.")
    qtbot.addWidget(w)
    train_compare_offline(w, 20)
    out = tmp_path / "compare.png"
    save_screenshot(w, out, (1920, 1080))
    image = QtGui.QImage(str(out))
    assert (image.width(), image.height()) == (1920, 1080)
    _close(w)


# -- opening compare mode ------------------------------------------------------------------
def test_run_count_is_checked(qtbot) -> None:  # type: ignore[no-untyped-def]
    make_application()
    with pytest.raises(ValueError):
        CompareWindow([("only", BASE)])
    with pytest.raises(ValueError):
        CompareWindow([(str(i), BASE) for i in range(5)])
    with pytest.raises(ValueError):
        CompareWindow(ACTIVATIONS[:2], controllers=[])


def test_variant_runs_keep_data_and_seed_and_name_the_change() -> None:
    base = BASE.replace(seed=7)
    runs = variant_runs(base, [{"activation": "relu", "init": "he_normal"}, {"learning_rate": 1.0}])
    labels = [label for label, _ in runs]
    assert labels == ["current: sigmoid, xavier_normal, lr=0.1", "relu, he_normal", "lr=1"]
    assert all(c.seed == 7 and c.dataset == base.dataset for _, c in runs)
    assert runs[0][1] == base
    assert "activation, init, learning rate" in auto_caption([c for _, c in runs])
    assert "seed 7" in auto_caption([c for _, c in runs])
    with pytest.raises(ConfigError):
        variant_runs(base, [{"activation": "no-such"}])
    custom = variant_runs(base, [{"depth": 3}], labels=["deep", "shallow"])
    assert [label for label, _ in custom] == ["deep", "shallow"]


def test_open_variants_compare_offline(qtbot) -> None:  # type: ignore[no-untyped-def]
    make_application()
    w = open_variants_compare(BASE, [{"activation": "tanh"}], controllers_factory=None)
    qtbot.addWidget(w)
    assert w.controllers is None
    assert [c.config.activation for c in w.columns] == ["sigmoid", "tanh"]
    assert "activation" in w.caption.text()
    _close(w)


def _scene(n_runs: int):  # type: ignore[no-untyped-def]
    runs = [
        {"label": "sigmoid", "config": {"depth": 4, "width": 8, "n_samples": 200}},
        {"label": "relu", "config": {"depth": 4, "width": 8, "n_samples": 200, "activation": "relu"}},
    ][:n_runs]
    return parse_scene("test", {"title": "Scene title", "caption": "Scene caption.", "steps": 40, "runs": runs})


def test_open_scene_compare_offline(qtbot) -> None:  # type: ignore[no-untyped-def]
    make_application()
    scene = _scene(2)
    w = open_scene_compare(scene, None)
    qtbot.addWidget(w)
    assert w.scene is scene
    assert "Scene title" in w.windowTitle() and "Scene caption." in w.caption.text()
    assert w.transport.speed() == scene.speed  # a scene starts at its recommended pace
    train_compare_offline(w, scene.steps)
    assert [c.latest.step for c in w.columns if c.latest] == [40, 40]
    _close(w)
    with pytest.raises(ValueError, match="main window"):
        open_scene_compare(_scene(1), None)


@pytest.mark.parametrize("name", list_scenes())
def test_every_bundled_scene_opens_in_compare_mode_or_is_refused(qtbot, name: str) -> None:  # type: ignore[no-untyped-def]
    make_application()
    scene = load_scene(name)
    if len(scene.runs) < 2:
        with pytest.raises(ValueError, match="main window"):
            open_scene_compare(scene, None)
        return
    w = open_scene_compare(scene, None)
    qtbot.addWidget(w)
    assert [c.header.full_text for c in w.columns] == [run.label for run in scene.runs]
    train_compare_offline(w, 3)
    for column in w.columns:
        assert column.latest is not None and column.latest.step >= 1
    assert sum(_points(c) > 0 for c in w.overlay.curves) == len(scene.runs)
    _close(w)


def test_importing_compare_window_does_not_import_the_main_window() -> None:
    """The main window imports this module: importing it back would be a cycle."""
    code = "import sys, app.compare_window; sys.exit('app.main_window' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr


# -- live, with a worker thread and an engine process per run --------------------------------
def _steps(w: CompareWindow) -> list[int]:
    return [c.latest.step if c.latest is not None else -1 for c in w.columns]


def _settle(qtbot, w: CompareWindow, ms: int = 400) -> list[int]:  # type: ignore[no-untyped-def]
    """Wait until no run's step counter changes for ``ms``."""
    last = _steps(w)
    while True:
        qtbot.wait(ms)
        now = _steps(w)
        if now == last:
            return now
        last = now


def _open_live(qtbot, runs, autoplay: bool = True) -> CompareWindow:  # type: ignore[no-untyped-def]
    make_application()
    controllers = [TrainingController() for _ in runs]
    w = CompareWindow(runs, title="Live", controllers=controllers, autoplay=autoplay)
    qtbot.addWidget(w)
    w.resize(1600, 900)
    w.show()
    return w


@pytest.fixture
def live(qtbot) -> Iterator[CompareWindow]:  # type: ignore[no-untyped-def]
    w = _open_live(qtbot, [("relu", SMALL), ("tanh", SMALL.replace(activation="tanh", init="xavier_normal"))])
    yield w
    _close(w)


def test_live_both_counters_advance(live: CompareWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    assert live.timer.isActive() and live.playing
    qtbot.waitUntil(lambda: min(_steps(live)) > 50, timeout=20000)
    for column in live.columns:
        assert column.stats_label.text().startswith("step ")
        assert len(column.history) > 10
    qtbot.waitUntil(lambda: [_points(c) for c in live.overlay.curves] == [4, 4], timeout=5000)


def test_live_pause_stops_both_and_step_advances_each_by_one(live: CompareWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: min(_steps(live)) > 10, timeout=20000)
    live.pause()
    stopped = _settle(qtbot, live)
    qtbot.wait(500)
    assert _steps(live) == stopped
    live.step_once()
    expected = [s + 1 for s in stopped]
    qtbot.waitUntil(lambda: _steps(live) == expected, timeout=5000)
    qtbot.wait(500)
    assert _steps(live) == expected
    live.toggle_play()
    qtbot.waitUntil(lambda: all(s > e + 20 for s, e in zip(_steps(live), expected, strict=True)), timeout=10000)


def test_live_reset_restarts_every_run(live: CompareWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: min(_steps(live)) > 200, timeout=20000)
    live.pause()
    _settle(qtbot, live)
    live.reset()
    assert _steps(live) == [-1, -1]
    qtbot.waitUntil(lambda: _steps(live) == [0, 0], timeout=10000)  # fresh networks, paused


def test_close_stops_both_threads_within_a_second(qtbot) -> None:  # type: ignore[no-untyped-def]
    w = _open_live(qtbot, [("a", SMALL), ("b", SMALL.replace(activation="tanh"))])
    qtbot.waitUntil(lambda: min(_steps(w)) > 10, timeout=20000)
    assert w.controllers is not None
    threads = [c.worker_thread for c in w.controllers]
    assert all(t.isRunning() for t in threads)
    t0 = time.perf_counter()
    w.close()
    elapsed = time.perf_counter() - t0
    assert not any(t.isRunning() for t in threads)
    # the shutdown budget is under a second; the margin absorbs a loaded shared machine, a hang
    # (a thread that ignores the stop) still fails
    assert elapsed < 2.0
    w.deleteLater()


def test_a_diverging_run_pauses_itself_while_the_other_goes_on(qtbot) -> None:  # type: ignore[no-untyped-def]
    w = _open_live(qtbot, [("healthy", SMALL), ("exploding", EXPLODING)])
    try:
        qtbot.waitUntil(lambda: w.columns[1].diverged, timeout=20000)
        qtbot.waitUntil(lambda: "DIVERGED in layer" in w.columns[1].verdict_label.text(), timeout=5000)
        assert w.playing  # the window still plays the other run
        stuck = _steps(w)[1]
        qtbot.wait(300)
        assert _steps(w)[1] == stuck  # the diverged snapshot was the last one
        healthy = _steps(w)[0]
        qtbot.waitUntil(lambda: _steps(w)[0] > healthy + 50, timeout=10000)
        assert _steps(w)[1] == stuck
    finally:
        _close(w)
