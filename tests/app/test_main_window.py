"""The live window with its worker thread and engine process (pytest-qt, offscreen)."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from PySide6 import QtWidgets

from app.main_window import MainWindow, make_application
from app.worker import TrainingController
from model import ExperimentConfig
from model.scenes import load_scene

SMALL = ExperimentConfig(depth=4, width=16, activation="relu", init="he_normal", n_samples=200)
EXPLODING = ExperimentConfig(
    depth=8, width=32, activation="relu", init="normal", init_scale=3.0, learning_rate=1.0, n_samples=200
)


def _open(qtbot, config: ExperimentConfig, autoplay: bool = True) -> MainWindow:  # type: ignore[no-untyped-def]
    make_application()
    window = MainWindow(config, controller=TrainingController(), autoplay=autoplay)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    return window


@pytest.fixture
def window(qtbot) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    w = _open(qtbot, SMALL)
    yield w
    w.close()


def _step(w: MainWindow) -> int:
    return w.latest.step if w.latest is not None else -1


def _settle(qtbot, w: MainWindow, ms: int = 400) -> int:  # type: ignore[no-untyped-def]
    """Wait until the step counter stops changing for ``ms``."""
    last = _step(w)
    while True:
        qtbot.wait(ms)
        now = _step(w)
        if now == last:
            return now
        last = now


def test_title_and_training_updates_the_views(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    assert "Backprop Lab" in window.windowTitle()
    qtbot.waitUntil(lambda: _step(window) > 20, timeout=15000)
    grad_view = window.views["gradients"]
    before = grad_view.grab().toImage()
    first = _step(window)
    qtbot.waitUntil(lambda: _step(window) > first + 200, timeout=15000)
    qtbot.wait(100)
    after = grad_view.grab().toImage()
    assert before != after
    assert len(window.history) > 10
    assert window.step_label.text().startswith("step ")
    assert window.rate_label.text().endswith("steps/s")


def test_pause_stops_the_counter_and_step_advances_exactly_one(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: _step(window) > 10, timeout=15000)
    window.pause()
    stopped = _settle(qtbot, window)
    qtbot.wait(600)
    assert _step(window) == stopped
    window.step_once()
    qtbot.waitUntil(lambda: _step(window) == stopped + 1, timeout=5000)
    qtbot.wait(500)
    assert _step(window) == stopped + 1
    window.toggle_play()
    qtbot.waitUntil(lambda: _step(window) > stopped + 20, timeout=10000)


def test_close_during_training_stops_the_thread_within_a_second(qtbot, qtlog) -> None:  # type: ignore[no-untyped-def]
    w = _open(qtbot, SMALL)
    qtbot.waitUntil(lambda: _step(w) > 10, timeout=15000)
    thread = w.controller.worker_thread
    assert thread.isRunning()
    t0 = time.perf_counter()
    w.close()
    elapsed = time.perf_counter() - t0
    assert not thread.isRunning()
    # the shutdown budget is under a second; the margin absorbs a loaded shared machine, a hang
    # (a thread that ignores the stop) still fails
    assert elapsed < 2.0
    qtbot.wait(100)
    # no Qt warning about threads or timers (e.g. "QThread: Destroyed while thread is still running")
    noisy = [r.message for r in qtlog.records if "Thread" in r.message or "Timer" in r.message]
    assert noisy == []


def test_diverging_run_pauses_itself_and_says_where(qtbot) -> None:  # type: ignore[no-untyped-def]
    w = _open(qtbot, EXPLODING)
    qtbot.waitUntil(lambda: w.diverged, timeout=20000)
    qtbot.waitUntil(lambda: w.banner.property("kind") == "diverged", timeout=5000)
    assert "DIVERGED" in w.banner.text() and "layer" in w.banner.text()
    assert not w.playing
    stopped = _settle(qtbot, w)
    qtbot.wait(300)
    assert _step(w) == stopped
    # the last snapshot drawn is the divergent one, the history kept the finite steps
    assert len(w.history) >= 1
    w.reset()
    qtbot.waitUntil(lambda: not w.diverged and w.latest is not None, timeout=10000)
    w.close()


def test_live_change_keeps_training_and_architecture_change_rebuilds(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: _step(window) > 50, timeout=15000)
    lr = window.controls.widget("learning_rate")
    assert isinstance(lr, QtWidgets.QDoubleSpinBox)
    lr.setValue(0.05)
    assert window.config.learning_rate == pytest.approx(0.05)
    before = _step(window)
    qtbot.waitUntil(lambda: _step(window) > before + 20, timeout=10000)  # not rebuilt: keeps counting
    depth = window.controls.widget("depth")
    assert isinstance(depth, QtWidgets.QSpinBox)
    depth.setValue(6)
    assert window.config.depth == 6
    qtbot.waitUntil(lambda: window.latest is not None and window.latest.n_layers == 7, timeout=10000)
    assert "rebuilt" in window.message.text()


def test_invalid_combination_is_refused_with_the_config_error(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    dataset = window.controls.widget("dataset")
    assert isinstance(dataset, QtWidgets.QComboBox)
    dataset.setCurrentText("sine")  # switches the loss to mse by itself
    assert window.config.dataset == "sine" and window.config.loss == "mse"
    loss = window.controls.widget("loss")
    assert isinstance(loss, QtWidgets.QComboBox)
    loss.setCurrentText("cross_entropy")
    assert window.config.loss == "mse"
    assert "loss must be mse" in window.message.text()
    assert loss.currentText() == "mse"  # the control shows the value in force
    # spin boxes cannot hold out-of-range values at all
    depth = window.controls.widget("depth")
    assert isinstance(depth, QtWidgets.QSpinBox)
    depth.setValue(10_000)
    assert depth.value() == depth.maximum()


def test_walkthrough_freezes_training_and_walks_the_live_network(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    from PySide6 import QtCore

    qtbot.waitUntil(lambda: _step(window) > 20, timeout=15000)
    window.start_walkthrough()
    qtbot.waitUntil(lambda: window.walkthrough.isVisible(), timeout=10000)
    stopped = _settle(qtbot, window)
    assert not window.playing
    view = window.walkthrough
    assert view.position == 1
    caption = view.caption_text()
    qtbot.keyClick(view, QtCore.Qt.Key.Key_Right)
    assert view.position == 2 and view.caption_text() != caption
    qtbot.keyClick(view, QtCore.Qt.Key.Key_End)
    assert view.position == window.latest.n_layers  # type: ignore[union-attr]
    qtbot.keyClick(view, QtCore.Qt.Key.Key_Escape)
    assert not view.isVisible()
    qtbot.wait(300)
    assert _step(window) == stopped  # frozen: the walk made no update


def test_single_run_scene_loads_with_its_caption(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    assert window.open_scene("vanishing-sigmoid") is window
    assert window.caption.isVisible() and "vanish" in window.caption.text().lower()
    assert window.config.activation == "sigmoid" and window.config.depth == 10
    qtbot.waitUntil(lambda: window.latest is not None and window.latest.n_layers == 11, timeout=15000)
    window.open_scene("no-such-scene")
    assert "unknown scene" in window.message.text()


def test_a_scene_starts_at_its_recommended_pace(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    """The speed box shows the scene's pace and the engine keeps to it (issue 13: a scene
    used to start at Max speed, ~1 000 steps/s); Max speed stays one of the choices."""
    scene = load_scene("vanishing-sigmoid")
    window.open_scene(scene.name)
    assert window.transport.speed() == scene.speed
    assert window.speed_combo.currentText() == f"{scene.speed:g} steps/s"
    assert window.transport.speeds[0] is None and window.speed_combo.itemText(0) == "Max speed"
    qtbot.waitUntil(lambda: _step(window) >= 5, timeout=15000)
    start, t0 = _step(window), time.perf_counter()
    qtbot.wait(2000)
    rate = (_step(window) - start) / (time.perf_counter() - t0)
    assert rate < 2 * scene.speed, rate  # paced, not ~1 000 steps/s
    # a reset keeps the pace; the user can still choose Max speed
    window.reset()
    assert window.transport.speed() == scene.speed
    window.speed_combo.setCurrentIndex(0)
    assert window.transport.speed() is None


def test_speed_on_the_command_line_overrides_the_scene(qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from app import __main__ as cli

    seen: list[float | None] = []

    def fake_exec() -> int:
        app = QtWidgets.QApplication.instance()
        for w in app.topLevelWidgets():  # type: ignore[union-attr]
            if isinstance(w, MainWindow) and w.isVisible():
                seen.append(w.transport.speed())
        return 0

    monkeypatch.setattr(QtWidgets.QApplication, "exec", staticmethod(fake_exec))
    assert cli.main(["--scene", "vanishing-sigmoid", "--speed", "7"]) == 0
    assert seen == [7.0]
