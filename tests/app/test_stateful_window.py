"""A stateful test drives the live main window (worker thread, engine processes) through every
user action in random orders and checks after each one: no exception anywhere (slots
included), the step counter never goes backwards within a run, the banner matches the
newest snapshot while live, and there are never more engine processes than open runs.

The default suite runs a short profile; ``BPLAB_STATEFUL_EXAMPLES=1000 pytest -m slow -k
long_profile`` runs the long one by hand (it prints how many sequences and steps it ran;
``BPLAB_STATEFUL_LOG=FILE`` appends the running figures after every sequence).
"""

from __future__ import annotations

import gc
import json
import multiprocessing as mp
import os
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule
from PySide6 import QtCore, QtWidgets

from app.export import render_svg
from app.main_window import MainWindow, make_application
from app.scene_launcher import COMPARE_VARIANTS
from app.status import verdict
from app.sweep_window import SweepWindow
from app.worker import TrainingController
from model import ExperimentConfig
from model.scenes import list_scenes
from tests.app.process_stats import rss_mib

SMALL = ExperimentConfig(depth=3, width=8, n_samples=200, activation="tanh")
OUT = Path(tempfile.mkdtemp(prefix="bplab-stateful-"))
ENGINE = "backprop-lab-engine"

#: values a user can pick in each control (kept small so rebuilt networks stay fast)
CONTROL_VALUES: dict[str, list[Any]] = {
    "dataset": ["spiral", "moons", "circles", "xor", "sine"],
    "depth": [1, 2, 4, 6],
    "width": [2, 8, 16],
    "activation": ["sigmoid", "tanh", "relu", "leaky_relu", "softplus"],
    "init": ["xavier_normal", "he_normal", "normal"],
    "init_scale": [0.0, 0.5, 1.0, 5.0, 50.0],
    "loss": ["cross_entropy", "mse"],
    "batch_size": [1, 16, 64],
    "seed": [0, 7],
    "batch_norm": [True, False],
    "residual": [True, False],
    "pretrain_epochs": [0, 1],
    "optimizer": ["sgd", "momentum", "adam", "rmsprop"],
    "learning_rate": [0.0, 0.01, 0.5, 50.0, 1000.0],
    "momentum": [0.0, 0.9],
    "grad_clip_norm": [None, 1.0],
    "grad_clip_value": [None, 0.1],
}
SCENES = list_scenes()
#: compare windows open at once (each run is an engine process; two cores)
MAX_COMPARE = 2
TRANSPORT = ["play", "pause", "step_once", "reset", "toggle_play"]
LONG = int(os.environ.get("BPLAB_STATEFUL_EXAMPLES", "0"))
STATS: dict[str, Any] = {
    "sequences": 0,
    "steps": 0,
    "max_engines": 0,
    "max_compare": 0,
    "scenes": 0,
    "compares": 0,
    "compare_closed": 0,
    "close_while_recording_s": [],
}


def _engines() -> int:
    return sum(1 for p in mp.active_children() if p.name == ENGINE)


def _pump(ms: int) -> None:
    app = QtWidgets.QApplication.instance()
    end = time.monotonic() + ms / 1000
    while True:
        app.processEvents(QtCore.QEventLoop.ProcessEventsFlag.AllEvents, 10)
        # what the app's event loop does and processEvents does not: delete what was closed
        # with deleteLater (else every window of the run stays alive, gigabytes by the end)
        QtCore.QCoreApplication.sendPostedEvents(None, QtCore.QEvent.Type.DeferredDelete.value)
        if time.monotonic() >= end:
            return
        time.sleep(0.005)


def _wait_for(condition: Any, ms: int) -> bool:
    end = time.monotonic() + ms / 1000
    while not condition():
        if time.monotonic() >= end:
            return False
        _pump(20)
    return True


class WindowMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        make_application()
        self.errors: list[str] = []
        self.alerts: list[str] = []
        self._hook = sys.excepthook
        sys.excepthook = self._record_exception
        self.window = self._open()
        self.history_id = id(self.window.history)
        self.last_step = -1
        STATS["sequences"] += 1

    # -- plumbing -----------------------------------------------------------------------------
    def _record_exception(self, kind: type[BaseException], value: BaseException, tb: Any) -> None:
        import traceback

        self.errors.append("".join(traceback.format_exception(kind, value, tb)))

    def _open(self) -> MainWindow:
        w = MainWindow(SMALL, controller=TrainingController())
        w.resize(1280, 800)
        w.show()
        # failed writes open a non-blocking dialog: keep it from piling up in a long run
        w._alert = lambda title, text, wait=False: self.alerts.append(text)  # type: ignore[method-assign]
        return w

    def _compares(self) -> list[Any]:
        return [c for c in self.window.scenes.windows if c.isVisible()]

    def _open_runs(self) -> int:
        return 1 + sum(len(c.columns) if hasattr(c, "columns") else 4 for c in self._compares())

    # -- transport -------------------------------------------------------------------------------
    @rule()
    def play(self) -> None:
        self.window.play()

    @rule()
    def pause(self) -> None:
        self.window.pause()

    @rule()
    def toggle_play(self) -> None:
        self.window.toggle_play()

    @rule()
    def step(self) -> None:
        self.window.step_once()

    @rule()
    def reset(self) -> None:
        self.window.reset()

    @rule(ms=st.sampled_from([20, 100, 300, 800]))
    def wait(self, ms: int) -> None:
        _pump(ms)

    @rule(speed=st.sampled_from([None, 0.5, 5.0, 60.0]))
    def speed(self, speed: float | None) -> None:
        self.window.set_speed(speed)

    # -- controls ----------------------------------------------------------------------------------
    @rule(data=st.data())
    def control(self, data: st.DataObject) -> None:
        name = data.draw(st.sampled_from(sorted(CONTROL_VALUES)), label="field")
        value = data.draw(st.sampled_from(CONTROL_VALUES[name]), label="value")
        w = self.window.controls.widget(name)
        if isinstance(w, QtWidgets.QComboBox):
            w.setCurrentText(str(value))
        elif isinstance(w, QtWidgets.QCheckBox):
            w.setChecked(bool(value))
        elif isinstance(w, (QtWidgets.QSpinBox, QtWidgets.QDoubleSpinBox)):
            w.setValue(value)
        else:
            check = w.findChild(QtWidgets.QCheckBox)
            spin = w.findChild(QtWidgets.QDoubleSpinBox)
            if value is None:
                check.setChecked(False)
            else:
                check.setChecked(True)
                spin.setValue(float(value))

    @precondition(lambda self: len(self._compares()) < MAX_COMPARE)
    @rule(name=st.sampled_from(SCENES))
    def scene(self, name: str) -> None:
        STATS["scenes"] += 1
        self.window.open_scene(name)

    @precondition(lambda self: len(self._compares()) < MAX_COMPARE)
    @rule(index=st.integers(0, len(COMPARE_VARIANTS) - 1))
    def compare(self, index: int) -> None:
        STATS["compares"] += 1
        self.window.compare_with([COMPARE_VARIANTS[index][1]])

    @precondition(lambda self: bool(self._compares()))
    @rule(data=st.data())
    def compare_action(self, data: st.DataObject) -> None:
        windows = self._compares()
        window = windows[data.draw(st.integers(0, MAX_COMPARE - 1), label="compare window") % len(windows)]
        # a sweep scene opens a sweep window among the comparisons: it has start and stop instead
        actions = ["start", "stop"] if isinstance(window, SweepWindow) else TRANSPORT
        action = data.draw(st.sampled_from(actions), label="action")
        getattr(window, action)()

    @precondition(lambda self: bool(self._compares()))
    @rule(data=st.data())
    def close_compare(self, data: st.DataObject) -> None:
        windows = self._compares()
        window = windows[data.draw(st.integers(0, MAX_COMPARE - 1), label="compare window") % len(windows)]
        STATS["compare_closed"] += 1
        t0 = time.monotonic()
        window.close()
        assert time.monotonic() - t0 < 2.5, "closing a compare window waited too long"
        _pump(30)

    @rule()
    def walkthrough(self) -> None:
        self.window.start_walkthrough()

    @rule()
    def close_walkthrough(self) -> None:
        self.window.walkthrough.close()

    # -- presentation ----------------------------------------------------------------------------------
    @rule()
    def theme(self) -> None:
        self.window.toggle_theme()

    @rule(scale=st.sampled_from([0.75, 1.0, 1.5, 2.5]))
    def scale(self, scale: float) -> None:
        self.window.set_scale(scale)

    @rule(language=st.sampled_from(["en", "zh_CN"]))
    def language(self, language: str) -> None:
        self.window.set_language(language)

    @rule()
    def controls_hidden(self) -> None:
        self.window.presentation.toggle_controls()

    # -- timeline -------------------------------------------------------------------------------------
    @rule(fraction=st.floats(0, 1))
    def scrub(self, fraction: float) -> None:
        slider = self.window.timeline_bar.slider
        slider.setValue(round(slider.minimum() + fraction * (slider.maximum() - slider.minimum())))

    @rule()
    def live(self) -> None:
        self.window.timeline_bar.live_button.click()

    # -- exports ----------------------------------------------------------------------------------------
    @rule(kind=st.sampled_from(["png", "png-view", "svg", "csv", "json", "config"]))
    def export(self, kind: str) -> None:
        w = self.window
        path = OUT / f"x.{ {'png-view': 'png', 'config': 'json'}.get(kind, kind) }"
        if kind == "png":
            w.exports.export_picture(path, force=True)
        elif kind == "png-view":
            w.exports.export_picture(path, view="gradients", force=True)
        elif kind == "svg":
            render_svg(w.views["loss"], path, force=True, config=w.config)
        elif kind in ("csv", "json"):
            w.exports.export_metrics(path, force=True)  # an empty history too (a fresh window)
        else:
            w.configs.save(path, force=True)
        assert path.is_file()

    @rule()
    def record(self) -> None:
        w = self.window
        if w.recording.recorder is not None and w.recording.recorder.is_recording:
            w.recording.stop()
        else:
            w.recording.start(OUT / "rec.gif", fps=4, duration_s=1.0, force=True)

    @rule()
    def close_and_reopen(self) -> None:
        recording = self.window.recording.recorder is not None and self.window.recording.recorder.is_recording
        t0 = time.monotonic()
        self.window.close()
        closed_in = time.monotonic() - t0
        self.window.deleteLater()
        _pump(50)
        if recording:
            # the recording is finished, not thrown away: closing waits for the encoder
            STATS["close_while_recording_s"].append(round(closed_in, 1))
        else:
            assert closed_in < 3.0, f"closing took {closed_in:.1f} s"
        assert _wait_for(lambda: _engines() == 0, 3000), f"{_engines()} engine process(es) left after close"
        self.window = self._open()

    # -- invariants ---------------------------------------------------------------------------------------
    @invariant()
    def no_exception(self) -> None:
        STATS["steps"] += 1
        assert not self.errors, self.errors[0]

    @invariant()
    def steps_never_go_back_within_a_run(self) -> None:
        w = self.window
        steps = w.history.steps
        assert np.all(np.diff(steps) > 0), "the history's steps go backwards"
        if id(w.history) != self.history_id:
            self.history_id = id(w.history)  # a new run (reset, rebuild, scene, config)
            self.last_step = -1
        if len(steps):
            assert int(steps[-1]) >= self.last_step
            self.last_step = int(steps[-1])

    @invariant()
    def banner_matches_the_newest_snapshot(self) -> None:
        w = self.window
        snap = w.latest
        if snap is None or not w.timeline_bar.is_live() or w.display.engine_note is not None:
            return
        if snap.phase == "pretrain" or not len(w.history) or int(w.history.steps[-1]) != snap.step:
            return  # a new network is being built (its first snapshot has not arrived)
        expected = verdict(snap)
        if w.banner.property("kind") in ("info",) and expected.kind != "info":
            return  # "Building the network…" until the new run's first snapshot
        assert w.banner.text() == expected.text, (w.banner.text(), expected.text)
        if snap.diverged and w.last_finite is not None:
            assert not w.last_finite.diverged

    @invariant()
    def no_more_engines_than_runs(self) -> None:
        allowed = self._open_runs()
        # a closed window's engines get a second to quit
        assert _wait_for(lambda: _engines() <= self._open_runs(), 2000), (_engines(), allowed)
        STATS["max_engines"] = max(STATS["max_engines"], _engines())
        STATS["max_compare"] = max(STATS["max_compare"], len(self._compares()))

    def teardown(self) -> None:
        try:
            for c in list(self.window.scenes.windows):
                c.close()
            self.window.close()
            self.window.deleteLater()
            _pump(50)
            # hypothesis may keep this machine for its report: a deleted window's Python wrapper
            # would keep its plots' parentless menus (pyqtgraph's QMenus) alive with it
            self.window = None  # type: ignore[assignment]
            gc.collect()
            left = _wait_for(lambda: _engines() == 0, 3000)
        finally:
            sys.excepthook = self._hook
        assert left, f"{_engines()} engine process(es) left at the end"
        assert not self.errors, self.errors[0]
        log = os.environ.get("BPLAB_STATEFUL_LOG")
        if log:  # the long profile's progress, readable while it runs
            with open(log, "a", encoding="utf-8") as fh:
                tops = Counter(type(w).__name__ for w in QtWidgets.QApplication.topLevelWidgets())
                widgets = len(QtWidgets.QApplication.allWidgets())
                alive = {"widgets": widgets, "tops": tops, "rss_mib": round(rss_mib(), 1)}
                fh.write(json.dumps({"t": round(time.monotonic(), 1), **STATS, **alive}) + "\n")


def _run(examples: int, steps: int) -> None:
    machine = WindowMachine
    machine.TestCase.settings = settings(
        max_examples=examples,
        stateful_step_count=steps,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        derandomize=examples <= 5,
    )
    STATS.update(sequences=0, steps=0)
    t0 = time.monotonic()
    try:
        machine.TestCase().runTest()
    finally:
        # the machine changed the theme, scale and language of the whole application
        make_application(theme_name="light", scale=1.0, language="en")
        print(
            f"\nstateful: {STATS['sequences']} sequences, {STATS['steps']} checked steps in "
            f"{time.monotonic() - t0:.0f} s; at most {STATS['max_engines']} engines, "
            f"{STATS['max_compare']} compare windows at once; {STATS['scenes']} scenes, {STATS['compares']} "
            f"comparisons opened, {STATS['compare_closed']} closed; closing while recording took "
            f"{STATS['close_while_recording_s']} s",
            file=sys.stderr,
        )


@pytest.mark.timeout(240)
def test_short_profile(qapp: Any) -> None:
    _run(examples=3, steps=10)


@pytest.mark.slow
@pytest.mark.timeout(0)
def test_long_profile(qapp: Any) -> None:
    _run(examples=LONG or 1000, steps=20)
