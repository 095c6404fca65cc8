"""The engine process dies or hangs: the windows say so, and Play/Step/Reset/load start a
fresh one (issue 9, "Engine death" and "Hung engine")."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6 import QtWidgets

from app import engine_notice, i18n, worker
from app.compare_window import CompareWindow
from app.main_window import MainWindow, make_application
from app.worker import TrainingController
from model import ExperimentConfig
from tests.app import engine_faults

SMALL = ExperimentConfig(depth=4, width=16, activation="relu", init="he_normal", n_samples=200)
SIGMOID = SMALL.replace(activation="sigmoid", init="xavier_normal")


def _open(qtbot, config: ExperimentConfig = SMALL, **kw) -> MainWindow:  # type: ignore[no-untyped-def]
    make_application()
    window = MainWindow(config, controller=TrainingController(**kw))
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    return window


@pytest.fixture
def window(qtbot) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    w = _open(qtbot)
    yield w
    w.close()


def _step(w: MainWindow) -> int:
    return w.latest.step if w.latest is not None else -1


def _pid(controller: TrainingController) -> int:
    proc = controller.worker.proc
    assert proc is not None
    return int(proc.pid)


def _gone(pid: int) -> bool:
    """The process ``pid`` has ended (a zombie not yet reaped counts as ended)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] == "Z"
    except FileNotFoundError:
        return True


def _kill_engine(qtbot, w: MainWindow) -> tuple[int, float]:  # type: ignore[no-untyped-def]
    assert w.controller is not None
    qtbot.waitUntil(lambda: _step(w) > 20, timeout=20000)
    pid = _pid(w.controller)
    os.kill(pid, signal.SIGKILL)
    return pid, time.perf_counter()


def test_killed_engine_is_reported_within_a_second_and_history_stays(window: MainWindow, qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _, killed = _kill_engine(qtbot, window)
    qtbot.waitUntil(lambda: "SIGKILL" in window.banner.text(), timeout=1000)
    assert time.perf_counter() - killed < 1.0
    assert window.banner.text() == engine_notice.died("killed by SIGKILL")
    assert window.banner.property("kind") == "error"
    assert "Play" in window.banner.text() and "Reset" in window.banner.text()
    assert window.transport.restart_action.isVisible()
    assert not window.playing
    # the history so far stays visible and exportable
    steps = len(window.history)
    assert steps > 10
    qtbot.wait(300)
    assert len(window.history) == steps
    path = window.exports.export_metrics(tmp_path / "run.csv")
    assert len(path.read_text().splitlines()) >= steps
    # a redraw (a theme change rebuilds every widget) keeps saying it
    window.toggle_theme()
    assert window.banner.text() == engine_notice.died("killed by SIGKILL")
    assert window.transport.restart_action.isVisible()


RESTARTS: dict[str, Callable[[MainWindow], None]] = {
    "play": MainWindow.play,
    "step": MainWindow.step_once,
    "reset": MainWindow.reset,
    "load config": lambda w: w.load_config(SIGMOID),
    "restart button": lambda w: w.transport.restart_action.trigger(),
}


@pytest.mark.parametrize("how", list(RESTARTS))
def test_after_engine_death_the_command_starts_a_fresh_engine(window: MainWindow, qtbot, how: str) -> None:  # type: ignore[no-untyped-def]
    pid, _ = _kill_engine(qtbot, window)
    qtbot.waitUntil(lambda: window.controller.needs_restart and "SIGKILL" in window.banner.text(), timeout=5000)
    RESTARTS[how](window)
    assert window.controller is not None
    qtbot.waitUntil(
        lambda: not window.controller.needs_restart and window.controller.worker.proc is not None, timeout=5000
    )
    assert _pid(window.controller) != pid
    if how == "step":
        qtbot.waitUntil(lambda: _step(window) == 1, timeout=20000)
        window.play()
    qtbot.waitUntil(lambda: _step(window) > 20, timeout=20000)
    assert "SIGKILL" not in window.banner.text()
    assert not window.transport.restart_action.isVisible()
    if how == "load config":
        assert window.config.activation == "sigmoid"
    assert worker.live_engines() >= 1


def test_the_death_banner_speaks_the_users_language(qtbot) -> None:  # type: ignore[no-untyped-def]
    app = make_application()
    i18n.install(app, "zh_CN")
    try:
        w = _open(qtbot)
        _kill_engine(qtbot, w)
        qtbot.waitUntil(lambda: "SIGKILL" in w.banner.text(), timeout=1000)
        text = w.banner.text()
        assert text == engine_notice.died("killed by SIGKILL")
        assert any("\u4e00" <= ch <= "\u9fff" for ch in text), text
        w.close()
    finally:
        i18n.install(app, "en")


@pytest.mark.parametrize(
    ("engine", "says"),
    [
        (engine_faults.crash_on_reset, "RuntimeError: the network could not be built"),
        (engine_faults.exit_at_start, "exit status 3"),
    ],
)
def test_an_engine_that_dies_at_start_up_says_why(qtbot, engine, says: str) -> None:  # type: ignore[no-untyped-def]
    w = _open(qtbot, engine=engine)
    qtbot.waitUntil(lambda: says in w.banner.text(), timeout=20000)
    assert w.banner.text() == engine_notice.died(says)
    assert not w.playing
    assert w.transport.restart_action.isVisible()
    # trying again fails the same way, clearly, and the window stays usable
    w.play()
    qtbot.waitUntil(lambda: says in w.banner.text(), timeout=20000)
    t0 = time.perf_counter()
    w.close()
    assert time.perf_counter() - t0 < 1.0
    assert not w.controller.worker_thread.isRunning()


def test_hung_engine_is_reported_and_restart_replaces_it(window: MainWindow, qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(worker, "HANG_SECONDS", 1.5)
    qtbot.waitUntil(lambda: _step(window) > 20, timeout=20000)
    pid = _pid(window.controller)
    os.kill(pid, signal.SIGSTOP)
    try:
        qtbot.waitUntil(lambda: window.controller.hung, timeout=10000)
        # not before the engine was silent that long
        assert window.controller._hung_at - window.controller.worker.last_message >= 1.5
        qtbot.waitUntil(lambda: "not responding" in window.banner.text(), timeout=1000)
        assert window.transport.restart_action.isVisible()
        window.transport.restart_action.trigger()
        qtbot.waitUntil(lambda: _gone(pid), timeout=2000)  # the stopped engine was killed
        qtbot.waitUntil(lambda: window.controller.worker.proc is not None, timeout=5000)
        assert _pid(window.controller) != pid
        qtbot.waitUntil(lambda: _step(window) > 20, timeout=20000)
        assert "not responding" not in window.banner.text()
        assert not window.transport.restart_action.isVisible()
    finally:
        if not _gone(pid):
            os.kill(pid, signal.SIGKILL)


def test_an_engine_that_answers_again_is_no_longer_reported(window: MainWindow, qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(worker, "HANG_SECONDS", 1.0)
    qtbot.waitUntil(lambda: _step(window) > 20, timeout=20000)
    pid = _pid(window.controller)
    os.kill(pid, signal.SIGSTOP)
    qtbot.waitUntil(lambda: "not responding" in window.banner.text(), timeout=10000)
    os.kill(pid, signal.SIGCONT)
    qtbot.waitUntil(lambda: "not responding" not in window.banner.text(), timeout=5000)
    assert not window.controller.hung
    before = _step(window)
    qtbot.waitUntil(lambda: _step(window) > before + 20, timeout=20000)
    assert _pid(window.controller) == pid


def test_a_paused_engine_is_not_called_hung(window: MainWindow, qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(worker, "HANG_SECONDS", 1.0)
    qtbot.waitUntil(lambda: _step(window) > 20, timeout=20000)
    window.pause()
    qtbot.wait(300)
    pid = _pid(window.controller)
    os.kill(pid, signal.SIGSTOP)
    try:
        qtbot.wait(2500)
        assert not window.controller.hung
        assert "not responding" not in window.banner.text()
    finally:
        os.kill(pid, signal.SIGCONT)


def test_closing_never_waits_more_than_a_second_on_a_stopped_engine(qtbot) -> None:  # type: ignore[no-untyped-def]
    w = _open(qtbot)
    qtbot.waitUntil(lambda: _step(w) > 20, timeout=20000)
    pid = _pid(w.controller)
    os.kill(pid, signal.SIGSTOP)
    qtbot.wait(200)
    t0 = time.perf_counter()
    w.close()
    elapsed = time.perf_counter() - t0
    assert elapsed < 1.0, elapsed
    assert not w.controller.worker_thread.isRunning()
    assert _gone(pid)


# -- compare windows ------------------------------------------------------------------------
def _compare(qtbot) -> CompareWindow:  # type: ignore[no-untyped-def]
    make_application()
    runs = [("relu", SMALL), ("sigmoid", SIGMOID)]
    window = CompareWindow(runs, controllers=[TrainingController() for _ in runs])
    qtbot.addWidget(window)
    window.resize(1600, 900)
    window.show()
    return window


def _run_step(w: CompareWindow, i: int) -> int:
    latest = w.columns[i].latest
    return latest.step if latest is not None else -1


@pytest.mark.parametrize("how", ["play", "step", "reset", "restart button"])
def test_compare_run_death_is_reported_and_a_command_restarts_it(qtbot, how: str) -> None:  # type: ignore[no-untyped-def]
    w = _compare(qtbot)
    assert w.controllers is not None
    try:
        qtbot.waitUntil(lambda: min(_run_step(w, 0), _run_step(w, 1)) > 20, timeout=20000)
        dead, alive = w.controllers
        dead_pid, alive_pid = _pid(dead), _pid(alive)
        os.kill(dead_pid, signal.SIGKILL)
        t0 = time.perf_counter()
        qtbot.waitUntil(lambda: "SIGKILL" in w.columns[0].verdict_label.text(), timeout=1000)
        assert time.perf_counter() - t0 < 1.0
        assert w.columns[0].verdict_label.text() == engine_notice.run_died("killed by SIGKILL")
        assert w.columns[0].verdict_kind == "error"
        assert w.transport.restart_action.isVisible()
        # the other run goes on, its history and the dead run's stay
        other = _run_step(w, 1)
        qtbot.waitUntil(lambda: _run_step(w, 1) > other + 20, timeout=20000)
        assert len(w.columns[0].history) > 10
        w.pause()
        if how == "play":
            w.play()
        elif how == "step":
            w.step_once()
            qtbot.waitUntil(lambda: _run_step(w, 0) == 1, timeout=20000)
            w.play()
        elif how == "reset":
            w.reset()
            w.play()
        else:
            w.transport.restart_action.trigger()
        qtbot.waitUntil(lambda: not dead.needs_restart and _run_step(w, 0) > 20, timeout=20000)
        assert _pid(dead) != dead_pid
        if how != "reset":
            assert _pid(alive) == alive_pid  # only the dead run was restarted
        assert "SIGKILL" not in w.columns[0].verdict_label.text()
        qtbot.waitUntil(lambda: not w.transport.restart_action.isVisible(), timeout=2000)
    finally:
        w.close()


def test_closing_a_compare_window_with_stopped_engines_takes_under_a_second(qtbot) -> None:  # type: ignore[no-untyped-def]
    w = _compare(qtbot)
    assert w.controllers is not None
    qtbot.waitUntil(lambda: min(_run_step(w, 0), _run_step(w, 1)) > 5, timeout=20000)
    pids = [_pid(c) for c in w.controllers]
    for pid in pids:
        os.kill(pid, signal.SIGSTOP)
    qtbot.wait(200)
    t0 = time.perf_counter()
    w.close()
    elapsed = time.perf_counter() - t0
    assert elapsed < 1.0, elapsed
    assert all(not c.worker_thread.isRunning() for c in w.controllers)
    assert all(_gone(pid) for pid in pids)
    QtWidgets.QApplication.processEvents()


def test_closing_the_main_window_with_compare_windows_of_stopped_engines_takes_under_a_second(qtbot) -> None:  # type: ignore[no-untyped-def]
    w = _open(qtbot)
    other = w.compare_with([{"activation": "tanh", "init": "xavier_normal"}])
    assert isinstance(other, CompareWindow) and other.controllers is not None
    controllers = [w.controller, *other.controllers]
    qtbot.waitUntil(lambda: all(c.worker.heard for c in controllers), timeout=20000)
    pids = [_pid(c) for c in controllers]
    for pid in pids:
        os.kill(pid, signal.SIGSTOP)
    qtbot.wait(200)
    t0 = time.perf_counter()
    w.close()
    elapsed = time.perf_counter() - t0
    assert elapsed < 1.0, elapsed
    assert all(not c.worker_thread.isRunning() for c in controllers)
    assert all(_gone(pid) for pid in pids)


def test_a_hung_compare_run_says_so_and_restart_engine_replaces_it(qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(worker, "HANG_SECONDS", 1.5)
    w = _compare(qtbot)
    assert w.controllers is not None
    try:
        qtbot.waitUntil(lambda: min(_run_step(w, 0), _run_step(w, 1)) > 20, timeout=20000)
        hung, other = w.controllers
        pid, other_pid = _pid(hung), _pid(other)
        os.kill(pid, signal.SIGSTOP)
        qtbot.waitUntil(lambda: hung.hung, timeout=10000)
        qtbot.waitUntil(lambda: "not responding" in w.columns[0].verdict_label.text(), timeout=1000)
        assert not other.hung
        assert w.transport.restart_action.isVisible()
        w.transport.restart_action.trigger()
        qtbot.waitUntil(lambda: _gone(pid), timeout=2000)
        qtbot.waitUntil(lambda: hung.worker.proc is not None and _run_step(w, 0) > 20, timeout=20000)
        assert _pid(hung) != pid and _pid(other) == other_pid
        assert "not responding" not in w.columns[0].verdict_label.text()
        qtbot.waitUntil(lambda: not w.transport.restart_action.isVisible(), timeout=2000)
    finally:
        if not _gone(pid):
            os.kill(pid, signal.SIGKILL)
        w.close()
