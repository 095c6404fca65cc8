"""Many scenes in one sitting (issue 14): only what the user looks at trains, closing a
window stops its engines within a second, the number of engines is capped, and a seeded storm
of scene opens, closes and theme toggles leaves the app answering and no engine behind."""

from __future__ import annotations

import gc
import multiprocessing
import os
import random
import time
import warnings
from collections.abc import Iterator

import pytest
from PySide6 import QtCore, QtWidgets

from app import engine_notice, worker
from app.compare_window import CompareWindow
from app.main_window import MainWindow, make_application
from app.worker import TrainingController, live_engines
from model import ExperimentConfig

SMALL = ExperimentConfig(depth=4, width=16, activation="relu", init="he_normal", n_samples=200)
MULTI_RUN_SCENES = ("relu-rescue", "he-vs-xavier-30", "clipping", "noisy-relu", "glorot-init", "leaky-relu")
SINGLE_RUN_SCENES = ("vanishing-sigmoid", "relu-sparsity", "dying-relu")


def engine_pids() -> set[int]:
    """Child processes of this one that run a spawned engine (a /proc scan, no psutil)."""
    me = str(os.getpid())
    found = set()
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            with open(f"/proc/{entry}/cmdline", "rb") as f:
                cmdline = f.read()
        except OSError:
            continue
        if fields[1] == me and fields[0] != "Z" and b"spawn_main" in cmdline:
            found.add(int(entry))
    return found


def os_threads() -> int:
    return len(os.listdir("/proc/self/task"))


def running_qthreads() -> int:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return sum(1 for o in gc.get_objects() if isinstance(o, QtCore.QThread) and o.isRunning())


def _controllers(window: QtWidgets.QMainWindow) -> list[TrainingController]:
    return list(getattr(window, "controllers", None) or [])


def _answers_within(qtbot, seconds: float) -> float:  # type: ignore[no-untyped-def]
    """Seconds until a zero-delay single-shot timer fires; fails past ``seconds``."""
    fired: list[float] = []
    t0 = time.perf_counter()
    QtCore.QTimer.singleShot(0, lambda: fired.append(time.perf_counter()))
    qtbot.waitUntil(lambda: bool(fired), timeout=int(seconds * 1000))
    return fired[0] - t0


@pytest.fixture
def main(qtbot) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    make_application()
    window = MainWindow(SMALL, controller=TrainingController())
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    yield window
    window.close()


def _steps(window: CompareWindow) -> list[int]:
    return [c.latest.step if c.latest is not None else -1 for c in window.columns]


def _live_compare(qtbot) -> CompareWindow:  # type: ignore[no-untyped-def]
    make_application()
    runs = [("a", SMALL), ("b", SMALL.replace(activation="tanh", init="xavier_normal"))]
    window = CompareWindow(runs, controllers=[TrainingController() for _ in runs])
    qtbot.addWidget(window)
    window.resize(1400, 800)
    window.show()
    qtbot.waitUntil(lambda: min(_steps(window)) > 10, timeout=20000)
    return window


def _settled(qtbot, window: CompareWindow) -> list[int]:  # type: ignore[no-untyped-def]
    last = _steps(window)
    while True:
        qtbot.wait(400)
        now = _steps(window)
        if now == last:
            return now
        last = now


@pytest.mark.parametrize("how", ["hide", "minimise"])
def test_a_compare_window_out_of_sight_pauses_and_says_so_when_back(qtbot, how: str) -> None:  # type: ignore[no-untyped-def]
    w = _live_compare(qtbot)
    try:
        if how == "hide":
            w.hide()
        else:
            w.showMinimized()
            qtbot.waitUntil(w.isMinimized, timeout=2000)
        assert not w.playing
        assert all(not c.playing for c in _controllers(w))
        stopped = _settled(qtbot, w)
        qtbot.wait(500)
        assert _steps(w) == stopped  # the engines stopped computing
        if how == "hide":
            w.show()
        else:
            w.showNormal()
        qtbot.waitUntil(lambda: w.message.text() == engine_notice.paused_in_background(), timeout=2000)
        assert not w.playing
        w.play()
        qtbot.waitUntil(lambda: min(_steps(w)) > max(stopped) + 10, timeout=20000)
    finally:
        w.close()


def test_opening_a_scene_replaces_the_scene_window_and_pauses_the_others(main: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    variants = main.compare_with([{"activation": "tanh", "init": "xavier_normal"}])
    assert isinstance(variants, CompareWindow) and variants.playing
    first = main.open_scene("relu-rescue")
    assert isinstance(first, CompareWindow)
    # the variants window is not the active scene: paused, and it says so
    assert not variants.playing
    assert variants.message.text() == engine_notice.paused_in_background()
    first.setGeometry(50, 60, 1000, 700)
    place = first.geometry()
    qtbot.waitUntil(lambda: all(c.worker.proc is not None for c in _controllers(first)), timeout=10000)
    first_threads = [c.worker_thread for c in _controllers(first)]
    second = main.open_scene("he-vs-xavier-30")
    assert isinstance(second, CompareWindow) and second is not first
    # the old scene window is gone (its engines stopped) and the new one took its place
    assert all(not t.isRunning() for t in first_threads)
    qtbot.waitUntil(lambda: first not in main.scenes.windows, timeout=2000)
    assert second.geometry() == place
    assert second.playing
    # a single-run scene opens in the main window: the compare window pauses
    main.open_scene("vanishing-sigmoid")
    assert not second.playing
    assert second.message.text() == engine_notice.paused_in_background()


def test_more_engines_than_the_limit_are_refused_clearly(main: MainWindow, qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(worker, "ENGINE_LIMIT", 3)
    window = main.compare_with([{"activation": "tanh"}])  # 1 + 2 engines: at the limit
    assert isinstance(window, CompareWindow)
    assert live_engines() == 3
    refused = main.compare_with([{"activation": "sigmoid"}])
    assert refused is None
    assert "Too many runs at once" in main.message.text()
    assert "at most 3" in main.message.text()
    assert live_engines() == 3
    assert main.open_scene("noisy-relu") is None  # 3 runs: refused as well, nothing started
    assert live_engines() == 3
    window.close()
    qtbot.waitUntil(lambda: live_engines() == 1, timeout=2000)
    assert isinstance(main.compare_with([{"activation": "sigmoid"}]), CompareWindow)


def test_twenty_scene_windows_opened_and_closed_leave_nothing_behind(main: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    # one round first, so that threads Qt starts once (and keeps) are in the baseline
    first = main.open_scene("relu-rescue")
    assert first is not None
    qtbot.waitUntil(lambda: min(_steps(first)) > 0, timeout=20000)
    first.close()
    qtbot.waitUntil(lambda: not main.scenes.windows, timeout=2000)
    processes, threads, qthreads = engine_pids(), os_threads(), running_qthreads()
    assert len(processes) == 1 and qthreads == 1  # the main window's engine and worker
    closing = []
    for i in range(20):
        window = main.open_scene(MULTI_RUN_SCENES[i % len(MULTI_RUN_SCENES)])
        assert isinstance(window, CompareWindow)
        qtbot.waitUntil(lambda w=window: all(c.worker.proc is not None for c in _controllers(w)), timeout=10000)
        qtbot.wait(50)
        t0 = time.perf_counter()
        window.close()
        closing.append(time.perf_counter() - t0)
        assert all(not c.worker_thread.isRunning() for c in _controllers(window))
    qtbot.waitUntil(lambda: not main.scenes.windows, timeout=2000)
    assert max(closing) < 1.0, closing
    qtbot.waitUntil(lambda: engine_pids() == processes, timeout=1000)
    assert [p for p in multiprocessing.active_children() if p.name == "backprop-lab-engine"] == [
        main.controller.worker.proc
    ]
    assert running_qthreads() == 1
    qtbot.waitUntil(lambda: os_threads() == threads, timeout=2000)


def test_seeded_storm_keeps_the_app_answering_and_no_engine_outlives_its_window(main: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    rng = random.Random(14)
    closed: list[CompareWindow] = []
    log = []
    for step in range(30):
        open_windows = [w for w in main.scenes.windows if isinstance(w, CompareWindow) and w.isVisible()]
        action = rng.choices(["open scene", "close", "theme", "single scene", "compare"], weights=[5, 3, 3, 1, 1])[0]
        if action == "close" and not open_windows:
            action = "theme"
        if action == "open scene":
            main.open_scene(rng.choice(MULTI_RUN_SCENES))
        elif action == "close":
            window = rng.choice(open_windows)
            window.close()
            closed.append(window)
        elif action == "theme":
            main.toggle_theme()
        elif action == "single scene":
            main.open_scene(rng.choice(SINGLE_RUN_SCENES))
        else:
            main.compare_with([{"activation": rng.choice(["tanh", "sigmoid", "leaky_relu"])}])
        answered = _answers_within(qtbot, 2.0)
        log.append((step, action, round(answered, 3)))
        # no engine outlives its window; no more engines than open runs (+ the main window's)
        for window in closed:
            assert all(not c.worker_thread.isRunning() for c in _controllers(window)), log
        visible = [w for w in main.scenes.windows if isinstance(w, CompareWindow) and not w._closed]
        runs = sum(len(w.runs) for w in visible)
        assert live_engines() <= runs + 1, log
        # a killed engine may take a moment to exit on a loaded machine: within the second
        qtbot.waitUntil(lambda limit=runs + 1: len(engine_pids()) <= limit, timeout=1000)
        # at most one scene window, and only it may train among the scene windows
        assert sum(1 for w in visible if w.scene is not None) <= 1, log
        qtbot.wait(rng.choice([0, 50, 200]))
    for window in list(main.scenes.windows):
        window.close()
    qtbot.waitUntil(lambda: not main.scenes.windows, timeout=2000)
    assert len(engine_pids()) == 1
    assert running_qthreads() == 1
