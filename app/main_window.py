"""The main window: it assembles the controls, the transport, the six views, the banner and
the menus, and runs one training run.

What it owns and where that lives: the widgets (app/main_layout.py, app/control_panel.py,
app/main_views.py); the commands, menus and shortcuts (one table, app/main_actions.py); full
screen, hidden controls, caption, overlay, theme, scale, language and preferences
(``presentation``, app/presentation.py); pictures and metrics (``exports``,
app/export_controller.py); recording (``recording``, app/recording_controller.py); the
timeline (``scrub``, app/timeline_controller.py); scenes, comparisons and the phase diagram
(``scenes``, app/scene_launcher.py); config files and drag-and-drop (``configs``,
app/config_files.py).

Data flow: the TrainingController's worker buffers snapshots; a display timer on the GUI
thread pulls them (``_on_frame``), appends every one to the History and hands the newest to
each view.  Commands go the other way through the controller.  With ``controller=None`` the
window is fed by hand (``feed``), which the headless screenshot mode and tests use.
"""

from __future__ import annotations

import functools
import time
import types
from typing import Any

import numpy as np
from PySide6 import QtCore, QtGui, QtWidgets

from app import engine_notice, main_actions, main_layout
from app.config_files import ConfigFiles, dropped_config
from app.control_panel import ControlPanel
from app.export_controller import ExportController
from app.layout_fit import FitLabel, WrapFitLabel
from app.look import apply_look
from app.main_views import VIEW_INTERVALS, make_views
from app.prefs import Prefs
from app.presentation import Presentation
from app.recording_controller import RecordingController
from app.run_display import RunDisplay
from app.save_dialogs import SaveDialogs
from app.scene_launcher import SceneLauncher
from app.status import newest_finite
from app.timeline_controller import MainTimeline
from app.toast import Messages
from app.transport import TransportCommands
from app.view_cadence import ViewCadence
from app.view_deck import FitTimelineBar, ViewDeck
from app.worker import TrainingController, Updates, stop_controllers
from model import ExperimentConfig, Snapshot
from model.history import History
from model.scenes import Scene
from views.walkthrough_view import WalkthroughView

APP_TITLE = "Backprop Lab"
FRAME_MS = 16


class MainWindow(TransportCommands, SaveDialogs, QtWidgets.QMainWindow):
    """Backprop Lab's window (see the module docstring for what lives where).

    What stays here is one run's state and its life: the commands (play, pause, step, reset,
    restart the engine, a new config), the updates coming in and the assembly of the parts.
    """

    # built by app/main_layout.py, again after each look change
    banner: FitLabel
    caption: WrapFitLabel
    deck: ViewDeck
    timeline_bar: FitTimelineBar
    controls: ControlPanel
    dock: QtWidgets.QDockWidget
    step_label: QtWidgets.QLabel
    rate_label: QtWidgets.QLabel
    loss_label: QtWidgets.QLabel
    walkthrough: WalkthroughView

    def __init__(
        self,
        config: ExperimentConfig | None = None,
        *,
        controller: TrainingController | None = None,
        autoplay: bool = True,
        prefs: Prefs | None = None,
    ) -> None:
        super().__init__()
        self.config = config or ExperimentConfig()
        self.controller = controller
        #: persisted on close when given (the interactive app); tests and headless runs pass None
        self.prefs = prefs
        self.history = History(self.config.depth + 1)
        self.latest: Snapshot | None = None
        self.last_finite: Snapshot | None = None
        self.weights: list[Any] | None = None
        self.dataset: Any = None
        self.playing = False
        self.diverged = False
        #: the speed box's choice in steps per second (None: as fast as possible)
        self._speed: float | None = None
        self._message: tuple[str, str] = ("", "info")
        self._closed = False
        self.views: dict[str, Any] = {}
        #: messages go to the status bar, or a fading toast when the controls are hidden
        self.messages = Messages(self)
        self.message = self.messages.label
        self.presentation = Presentation(self)
        self.display = RunDisplay(self)
        self.exports = ExportController(self)
        self.recording = RecordingController(
            self, self.show_message, self.config_record, lambda: self.exports.suggested_name(None, ".mp4")
        )
        self.scenes = SceneLauncher(self)
        self.configs = ConfigFiles(self)
        self.scrub = MainTimeline(self)
        #: what the timeline bar scrubs through (bounded: decimated as the run grows)
        self.timeline = self.scrub.timeline
        self.actions_ = main_actions.create_actions(self)
        self.theme_actions, self.language_actions = main_actions.create_choices(self)
        self.build_all()
        escape = QtGui.QShortcut(QtGui.QKeySequence(main_actions.ESCAPE), self)
        escape.setContext(QtCore.Qt.ShortcutContext.WindowShortcut)
        escape.activated.connect(self.presentation.escape)
        self.setAcceptDrops(True)

        self.timer = QtCore.QTimer(self)
        self.timer.setTimerType(QtCore.Qt.TimerType.PreciseTimer)
        self.timer.setInterval(FRAME_MS)
        self.timer.timeout.connect(self._on_frame)
        self.start_config(self.config, reason="")
        if prefs is not None:
            self.presentation.restore_layout(prefs)
        if controller is not None:
            self.timer.start()
            if autoplay:
                self.play()

    @property
    def scene(self) -> Scene | None:
        """The single-run scene shown here (its caption), or None."""
        return self.presentation.scene

    # -- layout ------------------------------------------------------------------------
    def build_all(self) -> None:
        """Build views, central layout, toolbar, dock and menus with the current theme,
        scale and language (again after any of them changes)."""
        self.setWindowTitle(self.tr("Backprop Lab — watch gradients vanish and explode"))
        self.views = make_views()
        self.view_cadence = ViewCadence(VIEW_INTERVALS)
        main_layout.build_walkthrough(self)
        main_layout.build_central(self)
        bar = self._make_transport(self.restart_engine).bar
        self.transport.show_restart(self.display.engine_note is not None)
        self.transport.set_speed(self._speed, notify=False)
        main_layout.add_readouts(self, bar)
        self.addToolBar(QtCore.Qt.ToolBarArea.TopToolBarArea, bar)
        main_layout.build_dock(self)
        self.presentation.apply_controls_visible()
        self.recording.retranslate()
        main_actions.build_menus(self)
        main_actions.retranslate(self)
        self.presentation.sync_checks()

    # -- what other modules and tests call often ---------------------------------------------
    def open_scene(self, name: str) -> QtWidgets.QMainWindow | None:
        return self.scenes.open_scene(name)

    def compare_with(self, variants: list[dict[str, Any]]) -> QtWidgets.QMainWindow | None:
        return self.scenes.compare_with(variants)

    def set_theme(self, name: str) -> None:
        self.presentation.set_theme(name)

    def toggle_theme(self) -> None:
        self.presentation.toggle_theme()

    def set_scale(self, scale: float) -> None:
        self.presentation.set_scale(scale)

    def set_language(self, language: str) -> None:
        self.presentation.set_language(language)

    def config_record(self) -> dict[str, Any]:
        """What a picture or recording of this window carries: the config."""
        return self.config.to_dict()

    # -- commands ----------------------------------------------------------------------
    def play(self) -> None:
        self.scrub.go_live()
        self._revive_engine()
        if self.diverged:
            self.show_message(self.tr("The run diverged: reset (R) to start again."), "error")
            return
        self.playing = True
        self.transport.show_playing(True)
        if self.controller is not None:
            self.controller.play()

    def pause(self) -> None:
        self.playing = False
        self.transport.show_playing(False)
        if self.controller is not None:
            self.controller.pause()

    def step_once(self) -> None:
        self.scrub.go_live()
        self.pause()
        self._revive_engine()
        if self.controller is not None and not self.diverged:
            self.controller.step(1)

    def _revive_engine(self) -> None:
        """After the engine died or hung: a fresh one, rebuilt from the config."""
        if self.controller is not None and self.controller.needs_restart:
            self.start_config(self.config, reason=engine_notice.restarted())

    def restart_engine(self) -> None:
        """Replace the engine (dead, hung or not) with a fresh one from the config, playing."""
        if self.controller is not None:
            self.controller.restart()
        self.start_config(self.config, reason=engine_notice.restarted())
        self.play()

    def reset(self) -> None:
        self.start_config(self.config, reason=self.tr("Reset: a fresh network from the same seed."))

    def _on_speed(self, steps_per_second: float | None) -> None:
        self._speed = steps_per_second
        if self.controller is not None:
            self.controller.set_speed(steps_per_second)

    def load_config(self, config: ExperimentConfig, reason: str | None = None) -> None:
        self.controls.set_config(config)
        self.start_config(config, reason=reason or self.tr("Loaded a new configuration."))

    def start_config(self, config: ExperimentConfig, reason: str) -> None:
        # after the engine died or hung, a fresh one goes on training
        was_playing = self.playing or self.display.engine_note is not None
        self.display.clear()
        self.transport.show_restart(False)
        self.config = config
        self.diverged = False
        self.latest = self.last_finite = None
        self.weights = None
        self.history = History(config.depth + 1)
        self.scrub.clear()
        for view in self.views.values():
            view.clear()
        self.views["activation_function"].set_experiment(config)
        self.show_message(reason, "info")
        if self.controller is not None:
            self.controller.reset(config.to_dict())
            self.controller.set_speed(self._speed)
            if was_playing:
                self.controller.play()
        self.display.set_banner(self.tr("Building the network…"), "info")

    def start_walkthrough(self) -> None:
        """Freeze training and walk the backward pass of the live network, layer by layer."""
        self.pause()
        if self.controller is None:
            self.show_message(self.tr("The walk-through needs a live run."), "error")
            return
        self.controller.walk()
        self.show_message(self.tr("Walk-through: → next layer, ← back, End all, Esc close."), "info")

    # -- data in -----------------------------------------------------------------------
    def _on_frame(self) -> None:
        assert self.controller is not None
        updates = self.controller.take()
        self.apply_updates(updates)
        self.view_cadence.catch_up(time.monotonic())

    def apply_updates(self, updates: Updates) -> None:
        if updates.ready is not None:
            self._on_ready(updates.ready)
        for kind, text in updates.messages:
            if kind in ("paused", "died"):
                self.playing = False
                self.transport.show_playing(False)
            if kind == "paused":
                self.diverged = self.diverged or text.startswith("diverged")
            elif kind == "error":
                self.show_message(text, "error")
            elif kind == "died":
                self.display.engine_trouble(functools.partial(engine_notice.died, text))
            elif kind == "hung":
                self.display.engine_trouble(functools.partial(engine_notice.hung, text))
            elif kind == "responding":
                self.display.engine_trouble(None)
        # checked once when they arrive: the network view keeps the last finite weights
        if updates.weights is not None and _weights_finite(updates.weights):
            self.weights = updates.weights
            if updates.snapshots:
                self.timeline.set_weights(updates.snapshots[-1].step, updates.weights)
        if updates.walk is not None:
            main_layout.show_walkthrough(self, updates.walk)
        if updates.snapshots:
            self.feed(updates.snapshots)

    def _on_ready(self, info: dict[str, Any]) -> None:
        self.walkthrough.clear()
        self.walkthrough.hide()
        self.dataset = types.SimpleNamespace(**info["dataset"])
        self.history = History(len(info["layer_sizes"]) - 1)
        # snapshots of the old run may arrive between a reset and "ready"
        self.scrub.clear()
        self.set_experiment_on_views()

    def set_experiment_on_views(self) -> None:
        """The built network's config and data set to the views that draw them."""
        self.views["network"].set_experiment(self.config)
        for name in ("gradients", "activations", "loss", "output"):
            self.views[name].set_experiment(self.config, self.dataset)

    def stop_diverged(self) -> None:
        self.diverged = True
        self.playing = False
        self.transport.show_playing(False)

    def feed(self, snapshots: list[Snapshot]) -> None:
        """Record ``snapshots`` in the history and draw the newest one."""
        for snap in snapshots:
            if snap.step > 0:
                self.history.append(snap)
            self.timeline.append(snap)
        latest = snapshots[-1]
        self.latest = latest
        self.last_finite = newest_finite(snapshots) or self.last_finite
        self.display.count(latest)
        self.timeline_bar.set_count(len(self.timeline))
        if self.timeline_bar.is_live():
            self.display.draw(latest)
        elif latest.diverged:
            # scrubbed back: the past frame stays on screen, the run's state is still tracked
            self.stop_diverged()

    # -- feedback ----------------------------------------------------------------------
    def _notify(self, text: str, kind: str) -> None:
        self.show_message(text, kind)

    def show_message(self, text: str, kind: str, *, toast: bool = True) -> None:
        """The status bar's message, or a toast over the views while the controls are hidden."""
        self._message = (text, kind)
        self.messages.show(text, kind, controls_visible=self.presentation.controls_visible, toast=toast)

    # -- lifetime ----------------------------------------------------------------------
    def dragEnterEvent(self, event: QtGui.QDragEnterEvent) -> None:
        if dropped_config(event.mimeData()) is not None:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QtGui.QDropEvent) -> None:
        path = dropped_config(event.mimeData())
        if path is None:
            event.ignore()
            return
        event.acceptProposedAction()
        self.configs.load_path(path)

    def closeEvent(self, event: QtGui.QCloseEvent) -> None:
        if self._closed:
            super().closeEvent(event)
            return
        self._closed = True
        # what was captured so far is kept: the file is finished, not thrown away
        self.recording.finish_now()
        self.presentation.save_prefs(self.prefs)
        self.timer.stop()
        # every engine of every window stops at once: closing waits at most a second in all
        own = [self.controller] if self.controller is not None else []
        others = [c for w in self.scenes.windows for c in getattr(w, "controllers", None) or []]
        stop_controllers(own + others)
        self.scenes.close_all()
        self.walkthrough.close()
        if self.controller is not None:
            self.controller.shutdown(1000)
        super().closeEvent(event)


def _weights_finite(weights: list[Any]) -> bool:
    return all(bool(np.isfinite(np.sum(w))) for w in weights)


def make_application(
    argv: list[str] | None = None, *, theme_name: str = "light", scale: float = 1.0, language: str | None = None
) -> QtWidgets.QApplication:
    """The QApplication with Backprop Lab's style (Fusion, the theme's palette, big fonts)."""
    app = QtWidgets.QApplication.instance()
    if app is None:
        app = QtWidgets.QApplication(argv or [APP_TITLE])
    assert isinstance(app, QtWidgets.QApplication)
    app.setApplicationName(APP_TITLE)
    apply_look(app, theme_name, scale, language)
    return app
