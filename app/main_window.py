"""The main window: controls, transport, the six views, the status banner and the menus
(file: configs and exports; view: theme, scale, language, presentation).

Data flow: the TrainingController's worker buffers snapshots; a display timer on the GUI
thread pulls them (``_on_frame``), appends every one to the History and hands the newest to
each view.  Commands go the other way through the controller.  With ``controller=None`` the
window is fed by hand (``feed``), which the headless screenshot mode and tests use.
"""

from __future__ import annotations

import functools
import gc
import sys
import time
import types
from collections import deque
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from PySide6 import QtCore, QtGui, QtWidgets

from app import engine_notice, i18n
from app.background import close_scene_windows, pause_in_background
from app.config_io import CONFIG_SUFFIXES, load_runs_file, save_config_file
from app.control_panel import ControlPanel
from app.export import ExportError, copy_to_clipboard, metrics_csv, metrics_json, render_png, render_svg
from app.layout_fit import FitLabel, WrapFitLabel, dock_width, fit_to_screen
from app.look import apply_look
from app.overlay import ShortcutOverlay
from app.prefs import LANGUAGES, THEMES, Prefs, clamp_scale
from app.save_dialogs import SaveDialogs
from app.status import newest_finite, verdict
from app.toast import Messages
from app.transport import Transport
from app.view_cadence import ViewCadence
from app.view_deck import FitTimelineBar, ViewDeck
from app.worker import EngineLimitError, TrainingController, Updates, ensure_room, stop_controllers
from model import ConfigError, ExperimentConfig, Snapshot
from model.history import History
from model.scenes import Scene, list_scenes, load_scene
from model.timeline import Timeline
from model.trainer import LIVE_FIELDS
from views import theme
from views.activation_function_view import ActivationFunctionView
from views.activations_view import ActivationsView
from views.gradients_view import GradientsView
from views.loss_view import LossView
from views.network_view import NetworkView
from views.output_view import OutputView
from views.settle import quiet_axes, settle
from views.walkthrough_view import WalkthroughView

APP_TITLE = "Backprop Lab"
#: seconds between redraws of each view while training live (0: every frame; app/view_cadence.py)
VIEW_INTERVALS = {
    "gradients": 0.0,
    # the gradients' heat map, the whole run's history, like the loss (views/gradients_view.py)
    "gradients_heat": 1 / 15,
    "network": 1 / 15,
    "loss": 1 / 15,
    "activations": 1 / 10,
    "output": 1 / 5,
    "activation_function": 1 / 5,
}
FRAME_MS = 16
VIEW_NAMES: tuple[str, ...] = ("network", "gradients", "activations", "loss", "output", "activation_function")
#: picture sizes offered by the export menus: (key, scale, exact size)
EXPORT_SIZES: tuple[tuple[str, float | None, tuple[int, int] | None], ...] = (
    ("1x", 1.0, None),
    ("2x", 2.0, None),
    ("4k", None, (3840, 2160)),
)
#: logical layout size of a 4K export (rendered at 2×: fonts and lines scale in proportion)
UHD_LAYOUT = (1920, 1080)
#: memory the timeline may hold for scrubbing back (entries are decimated to stay under it)
TIMELINE_BYTES = 64_000_000


def view_title(name: str) -> str:
    titles = {
        "network": QtCore.QCoreApplication.translate("MainWindow", "Network"),
        "gradients": QtCore.QCoreApplication.translate("MainWindow", "Gradients by layer"),
        "activations": QtCore.QCoreApplication.translate("MainWindow", "Activations"),
        "loss": QtCore.QCoreApplication.translate("MainWindow", "Loss and accuracy"),
        "output": QtCore.QCoreApplication.translate("MainWindow", "Output"),
        "activation_function": QtCore.QCoreApplication.translate("MainWindow", "Activation function"),
    }
    return titles[name]


def compare_variants() -> tuple[tuple[str, dict[str, Any]], ...]:
    """One-click comparisons offered by the Compare menu: (label, config changes)."""
    return (
        (
            QtCore.QCoreApplication.translate("MainWindow", "ReLU + He init"),
            {"activation": "relu", "init": "he_normal"},
        ),
        (
            QtCore.QCoreApplication.translate("MainWindow", "Leaky ReLU + He init"),
            {"activation": "leaky_relu", "init": "he_normal"},
        ),
        (QtCore.QCoreApplication.translate("MainWindow", "tanh"), {"activation": "tanh"}),
        (QtCore.QCoreApplication.translate("MainWindow", "batch norm"), {"batch_norm": True}),
        (QtCore.QCoreApplication.translate("MainWindow", "residual connections"), {"residual": True}),
        (QtCore.QCoreApplication.translate("MainWindow", "gradient clipping (norm 1)"), {"grad_clip_norm": 1.0}),
    )


COMPARE_VARIANTS = compare_variants()


class MainWindow(SaveDialogs, QtWidgets.QMainWindow):
    """Backprop Lab's window."""

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
        self.controls_visible = True
        self._rates: deque[tuple[float, int]] = deque(maxlen=120)
        #: the speed box's choice in steps per second (None: as fast as possible)
        self._speed: float | None = None
        self._message: tuple[str, str] = ("", "info")
        self.scene: Scene | None = None
        self._closed = False
        self.compare_windows: list[QtWidgets.QMainWindow] = []
        self.recorder: Any = None
        self.views: dict[str, Any] = {}
        #: what the timeline bar scrubs through (bounded: decimated as the run grows)
        self.timeline = Timeline(max_bytes=TIMELINE_BYTES)
        #: what the banner says while the engine is dead or not responding (text function)
        self._engine_note: Callable[[], str] | None = None
        #: messages go to the status bar, or a fading toast when the controls are hidden
        self.messages = Messages(self)
        self.message = self.messages.label
        self._create_actions()
        self._build_all()
        self._bind_shortcuts()
        self.overlay = ShortcutOverlay(self)
        self.setAcceptDrops(True)

        self.timer = QtCore.QTimer(self)
        self.timer.setTimerType(QtCore.Qt.TimerType.PreciseTimer)
        self.timer.setInterval(FRAME_MS)
        self.timer.timeout.connect(self._on_frame)
        self._start_config(self.config, reason="")
        if prefs is not None:
            self._restore_layout(prefs)
        if controller is not None:
            self.timer.start()
            if autoplay:
                self.play()

    # -- layout ------------------------------------------------------------------------
    def _build_all(self) -> None:
        """Build views, central layout, toolbar, dock and menus with the current theme,
        scale and language (again after any of them changes)."""
        self.setWindowTitle(self.tr("Backprop Lab — watch gradients vanish and explode"))
        self.views = {
            "network": NetworkView(),
            "gradients": GradientsView(),
            "activations": ActivationsView(),
            "loss": LossView(),
            "output": OutputView(),
            "activation_function": ActivationFunctionView(),
        }
        for view in self.views.values():
            quiet_axes(view)  # views/settle.py
        self.view_cadence = ViewCadence(VIEW_INTERVALS)
        # its own top-level window, but owned by this one (deleted with it)
        self.walkthrough = WalkthroughView(self)
        self.walkthrough.setWindowFlag(QtCore.Qt.WindowType.Window, True)
        self.walkthrough.setWindowTitle(self.tr("Backprop Lab — backward pass, layer by layer"))
        self.walkthrough.closed.connect(self.walkthrough.hide)
        self._build_ui()
        self._build_menus()
        self._retranslate_actions()

    def _build_ui(self) -> None:
        central = QtWidgets.QWidget()
        outer = QtWidgets.QVBoxLayout(central)
        outer.setContentsMargins(6, 6, 6, 6)
        outer.setSpacing(6)

        # the banner shrinks its type to fit one line (two at the smallest), never widening
        # the window; the caption takes at most a fifth of the height (layout_fit)
        self.banner = FitLabel(theme.pt(20), min(theme.pt(20), 14), bold=True)
        self.banner.setObjectName("banner")
        self.banner.setAlignment(QtCore.Qt.AlignmentFlag.AlignCenter)
        outer.addWidget(self.banner)

        self.caption = WrapFitLabel(theme.pt(14), min(theme.pt(14), 11))
        self.caption.setObjectName("caption")
        self.caption.setStyleSheet("QLabel#caption { padding: 2px 8px; }")
        self.caption.hide()
        outer.addWidget(self.caption)

        self.deck = ViewDeck(self.views, view_title)
        outer.addWidget(self.deck, 1)
        self.timeline_bar = FitTimelineBar(self.timeline)
        self.timeline_bar.scrubbed.connect(self._on_scrubbed)
        self.timeline_bar.live_requested.connect(self._on_live_requested)
        outer.addWidget(self.timeline_bar)
        self.setCentralWidget(central)

        # transport toolbar
        self.transport = Transport(
            self,
            on_play=self.toggle_play,
            on_step=self.step_once,
            on_reset=self.reset,
            on_speed=self._on_speed,
            on_restart=self.restart_engine,
        )
        self.transport.show_restart(self._engine_note is not None)
        bar = self.transport.bar
        self.play_action = self.transport.play_action
        self.speed_combo = self.transport.speed_combo
        self.transport.set_speed(self._speed, notify=False)
        big = bar.font()
        big.setPointSize(theme.pt(14))
        bar.setFont(big)
        self.step_label = QtWidgets.QLabel(self.tr("step {step}").format(step=0))
        self.step_label.setObjectName("step_label")
        self.step_label.setMinimumWidth(round(120 * theme.scale()))
        self.rate_label = QtWidgets.QLabel("")
        self.rate_label.setMinimumWidth(round(130 * theme.scale()))
        self.loss_label = QtWidgets.QLabel("")
        self.loss_label.setMinimumWidth(0)
        for w in (self.step_label, self.rate_label, self.loss_label):
            w.setFont(big)
            bar.addWidget(w)
        self.addToolBar(QtCore.Qt.ToolBarArea.TopToolBarArea, bar)

        # controls dock
        self.controls = ControlPanel(self.config)
        self.controls.changed.connect(self._on_control_changed)
        panel = QtWidgets.QWidget()
        col = QtWidgets.QVBoxLayout(panel)
        col.addWidget(self.controls)
        col.addStretch(1)
        scroll = QtWidgets.QScrollArea()
        scroll.setWidget(panel)
        scroll.setWidgetResizable(True)
        self.dock = QtWidgets.QDockWidget(self.tr("Experiment"), self)
        self.dock.setObjectName("controls_dock")
        self.dock.setWidget(scroll)
        self.dock.setFeatures(QtWidgets.QDockWidget.DockWidgetFeature.DockWidgetMovable)
        self.dock.setMinimumWidth(dock_width(self, panel, round(300 * theme.scale())))
        self.addDockWidget(QtCore.Qt.DockWidgetArea.LeftDockWidgetArea, self.dock)
        self._apply_controls_visible()

    def set_speed(self, steps_per_second: float | None) -> None:
        """Train at ``steps_per_second`` (None: as fast as possible); the speed box shows it."""
        self.transport.set_speed(steps_per_second)

    def _create_actions(self) -> None:
        """Actions that live as long as the window (their shortcuts work with the menu bar
        hidden); their texts are set by ``_retranslate_actions``."""

        def action(
            name: str, slot: Callable[[], object], keys: tuple[str, ...] = (), checkable: bool = False
        ) -> QtGui.QAction:
            a = QtGui.QAction(self)
            a.setObjectName(name)
            a.setCheckable(checkable)
            if keys:
                a.setShortcuts([QtGui.QKeySequence(k) for k in keys])
                a.setShortcutContext(QtCore.Qt.ShortcutContext.WindowShortcut)
            a.triggered.connect(lambda _=False: slot())
            self.addAction(a)
            return a

        self.actions_: dict[str, QtGui.QAction] = {
            "open_config": action("open_config", self.open_config_dialog, ("Ctrl+O",)),
            "save_config": action("save_config", self.save_config_dialog, ("Ctrl+S",)),
            "export_metrics_csv": action("export_metrics_csv", lambda: self.export_metrics_dialog(".csv")),
            "export_metrics_json": action("export_metrics_json", lambda: self.export_metrics_dialog(".json")),
            "copy_window": action("copy_window", lambda: self.copy_picture(None), ("Ctrl+Shift+C",)),
            "quit": action("quit", self.close),
            "fullscreen": action("fullscreen", self.toggle_fullscreen, ("F11",), checkable=True),
            "controls": action("controls", self.toggle_controls, ("H",), checkable=True),
            "caption": action("caption", self.toggle_caption, ("C",), checkable=True),
            "bigger": action("bigger", lambda: self.set_scale(theme.scale() + 0.25), ("Ctrl+=", "Ctrl++")),
            "smaller": action("smaller", lambda: self.set_scale(theme.scale() - 0.25), ("Ctrl+-",)),
            "scale_reset": action("scale_reset", lambda: self.set_scale(1.0), ("Ctrl+0",)),
            "theme_toggle": action("theme_toggle", self.toggle_theme, ("T",)),
            "shortcuts": action("shortcuts", self.toggle_overlay, ("?", "Shift+?", "F1")),
        }
        self.theme_actions: dict[str, QtGui.QAction] = {}
        group = QtGui.QActionGroup(self)
        for name in THEMES:
            a = action(f"theme_{name}", lambda n=name: self.set_theme(n), checkable=True)  # type: ignore[misc]
            group.addAction(a)
            self.theme_actions[name] = a
        self.language_actions: dict[str, QtGui.QAction] = {}
        lgroup = QtGui.QActionGroup(self)
        for lang in LANGUAGES:
            a = action(f"lang_{lang}", lambda n=lang: self.set_language(n), checkable=True)  # type: ignore[misc]
            lgroup.addAction(a)
            self.language_actions[lang] = a

    def _retranslate_actions(self) -> None:
        a = self.actions_
        a["open_config"].setText(self.tr("&Open config…"))
        a["save_config"].setText(self.tr("&Save config as…"))
        a["export_metrics_csv"].setText(self.tr("Metrics as CSV…"))
        a["export_metrics_json"].setText(self.tr("Metrics as JSON…"))
        a["copy_window"].setText(self.tr("Copy window to clipboard"))
        a["quit"].setText(self.tr("&Quit\tCtrl+Q"))
        a["fullscreen"].setText(self.tr("&Full screen"))
        a["controls"].setText(self.tr("Show &controls"))
        a["caption"].setText(self.tr("Show scene &caption"))
        a["bigger"].setText(self.tr("&Bigger text and lines"))
        a["smaller"].setText(self.tr("S&maller text and lines"))
        a["scale_reset"].setText(self.tr("&Normal size"))
        a["theme_toggle"].setText(self.tr("&Toggle light/dark theme"))
        a["shortcuts"].setText(self.tr("&Keyboard shortcuts"))
        self.theme_actions["light"].setText(self.tr("&Light theme"))
        self.theme_actions["dark"].setText(self.tr("&Dark theme"))
        for lang, action in self.language_actions.items():
            action.setText(i18n.LANGUAGES[lang])
        self.theme_actions[theme.current().name].setChecked(True)
        self.language_actions[i18n.current()].setChecked(True)
        a["fullscreen"].setChecked(self.isFullScreen())
        a["controls"].setChecked(self.controls_visible)
        a["caption"].setChecked(self.scene is not None and not self.caption.isHidden())

    def _build_menus(self) -> None:
        bar = self.menuBar()
        bar.clear()
        bar.setFont(QtWidgets.QApplication.font())
        a = self.actions_
        file_menu = bar.addMenu(self.tr("&File"))
        file_menu.setObjectName("file_menu")
        file_menu.addAction(a["open_config"])
        file_menu.addAction(a["save_config"])
        file_menu.addSeparator()
        window_png = file_menu.addMenu(self.tr("Export window as PNG"))
        self._add_size_actions(window_png, None)
        views_menu = file_menu.addMenu(self.tr("Export one view"))
        views_menu.setObjectName("export_view_menu")
        for name in VIEW_NAMES:
            sub = views_menu.addMenu(view_title(name))
            self._add_size_actions(sub, name)
            svg = sub.addAction(self.tr("SVG…"))
            svg.triggered.connect(lambda _=False, n=name: self.export_svg_dialog(n))
            copy = sub.addAction(self.tr("Copy to clipboard"))
            copy.triggered.connect(lambda _=False, n=name: self.copy_picture(n))
        file_menu.addAction(a["copy_window"])
        file_menu.addSeparator()
        file_menu.addAction(a["export_metrics_csv"])
        file_menu.addAction(a["export_metrics_json"])
        self._add_record_action(file_menu)
        file_menu.addSeparator()
        file_menu.addAction(a["quit"])

        scenes = bar.addMenu(self.tr("&Scenes"))
        scenes.setObjectName("scenes_menu")
        for name in list_scenes():
            try:
                scene = load_scene(name)
            except ConfigError:
                continue
            runs = self.tr("  ({n} runs, compare)").format(n=len(scene.runs)) if len(scene.runs) > 1 else ""
            runs = self.tr("  (phase diagram)") if scene.is_sweep else runs
            action = scenes.addAction(f"{scene_title(scene)}{runs}")
            action.setData(name)
            action.triggered.connect(lambda _=False, n=name: self.open_scene(n))
        compare = bar.addMenu(self.tr("&Compare"))
        compare.setObjectName("compare_menu")
        variants = compare_variants()
        for label, changes in variants:
            action = compare.addAction(self.tr("Current run vs {label}").format(label=label))
            action.triggered.connect(lambda _=False, c=changes: self.compare_with([c]))
        all_action = compare.addAction(self.tr("Current run vs ReLU + He, batch norm and residual"))
        all_action.triggered.connect(
            lambda: self.compare_with([dict(variants[0][1]), {"batch_norm": True}, {"residual": True}])
        )
        lecture = bar.addMenu(self.tr("&Lecture"))
        walk = lecture.addAction(self.tr("Backward pass walk-through (W)"))
        walk.triggered.connect(self.start_walkthrough)
        phase = lecture.addAction(self.tr("Phase diagram…"))
        phase.setObjectName("phase_diagram")
        phase.triggered.connect(lambda: self.open_phase_diagram())
        view_menu = bar.addMenu(self.tr("&View"))
        view_menu.setObjectName("view_menu")
        for action in (a["fullscreen"], a["controls"], a["caption"]):
            view_menu.addAction(action)
        view_menu.addSeparator()
        for action in (a["bigger"], a["smaller"], a["scale_reset"]):
            view_menu.addAction(action)
        view_menu.addSeparator()
        for action in self.theme_actions.values():
            view_menu.addAction(action)
        language = view_menu.addMenu(self.tr("&Language"))
        for action in self.language_actions.values():
            language.addAction(action)
        view_menu.addSeparator()
        view_menu.addAction(a["shortcuts"])

    def _add_size_actions(self, menu: QtWidgets.QMenu, view: str | None) -> None:
        labels = {
            "1x": self.tr("PNG at screen size (1×)…"),
            "2x": self.tr("PNG at double size (2×)…"),
            "4k": self.tr("PNG at 3840×2160 (4K)…"),
        }
        for key, _, _ in EXPORT_SIZES:
            action = menu.addAction(labels[key])
            action.setData(key)
            action.triggered.connect(lambda _=False, k=key: self.export_png_dialog(view, k))

    def _add_record_action(self, menu: QtWidgets.QMenu) -> None:
        recording = self.recorder is not None and self.recorder.is_recording
        action = menu.addAction(self.tr("Stop recording") if recording else self.tr("Record GIF or MP4…"))
        action.setObjectName("record")
        action.triggered.connect(self.record_dialog)
        self._record_action = action

    def shortcut_rows(self) -> list[tuple[str, str]]:
        """(keys, what they do) for the ``?`` overlay."""
        return [
            (
                self.tr("Space"),
                self.tr("play / pause training"),
            ),
            (
                self.tr("S or →"),
                self.tr("one training step"),
            ),
            ("R", self.tr("reset: a fresh network from the same seed")),
            ("W", self.tr("walk through the backward pass, layer by layer")),
            ("F11", self.tr("full screen")),
            ("H", self.tr("hide or show the controls (views only)")),
            ("C", self.tr("hide or show the scene caption")),
            ("T", self.tr("light / dark theme")),
            (
                "Ctrl + =  /  Ctrl + −  /  Ctrl + 0",
                self.tr("bigger / smaller / normal text and lines"),
            ),
            (
                "Ctrl+O  /  Ctrl+S",
                self.tr("open / save a config (or drop a config file on the window)"),
            ),
            ("Ctrl+Shift+C", self.tr("copy the window to the clipboard")),
            ("? / F1", self.tr("this list")),
            ("Ctrl+Q", self.tr("quit")),
        ]

    def open_scene(self, name: str) -> QtWidgets.QMainWindow | None:
        """Load scene ``name``: one run here, several runs in a compare window."""
        try:
            scene = load_scene(name)
        except ConfigError as exc:
            self._show_message(str(exc), "error")
            return None
        if scene.is_sweep:
            return self.open_phase_diagram(scene)
        if len(scene.runs) == 1:
            pause_in_background(self.compare_windows)  # this window is the active scene now
            self.set_scene(scene)
            self.load_config(scene.runs[0].config)
            self.set_speed(scene.speed)
            return self
        from app.compare_window import open_scene_compare

        factory = TrainingController if self.controller is not None else None
        place = close_scene_windows(self.compare_windows)  # the new scene takes its place
        try:
            if factory is not None:
                ensure_room(len(scene.runs))
        except EngineLimitError as exc:
            self._show_message(str(exc), "error")
            return None
        pause_in_background(self.compare_windows)
        window = open_scene_compare(scene, factory)
        self._track(window)
        if place is not None:
            window.setGeometry(place)
        return window

    def open_phase_diagram(self, scene: Scene | None = None) -> QtWidgets.QMainWindow:
        """A sweep window: the scene's phase diagram, or gain × bias std of the current config
        (app/sweep_window.py); clicking a point opens its config here."""
        from app.sweep_window import SweepWindow, default_spec

        def open_here(config: ExperimentConfig) -> None:
            self.load_config(config)
            self.raise_()
            self.activateWindow()

        if scene is not None and scene.sweep is not None:
            window = SweepWindow(scene.sweep, measure=scene.sweep_measure, scene=scene, open_config=open_here)
        else:
            window = SweepWindow(default_spec(self.config), open_config=open_here)
        self._track(window)
        if self.controller is not None:  # a live window (not a headless render or a test)
            window.show()
            window.start()
        return window

    def compare_with(self, variants: list[dict[str, Any]]) -> QtWidgets.QMainWindow | None:
        from app.compare_window import open_variants_compare

        try:
            factory = TrainingController if self.controller is not None else None
            if factory is not None:
                ensure_room(len(variants) + 1)
            window = open_variants_compare(self.config, variants, controllers_factory=factory)
        except (ConfigError, ValueError) as exc:
            self._show_message(str(exc), "error")
            return None
        self._track(window)
        return window

    def _track(self, window: QtWidgets.QMainWindow) -> None:
        self.pause()
        self.compare_windows.append(window)
        window.setAttribute(QtCore.Qt.WidgetAttribute.WA_DeleteOnClose)
        window.destroyed.connect(lambda *_: self._forget(window))
        window.resize(self.size())
        window.show()

    def start_walkthrough(self) -> None:
        """Freeze training and walk the backward pass of the live network, layer by layer."""
        self.pause()
        if self.controller is None:
            self._show_message(self.tr("The walk-through needs a live run."), "error")
            return
        self.controller.walk()
        self._show_message(
            self.tr("Walk-through: → next layer, ← back, End all, Esc close."),
            "info",
        )

    def _show_walk(self, walk: Any) -> None:
        view = self.walkthrough
        view.set_walk(walk)
        # as large as the main window, never larger than the screen (the boxes need the height)
        fit_to_screen(view, self.size())
        view.show()
        view.raise_()
        view.activateWindow()
        view.setFocus()

    def _forget(self, window: QtWidgets.QMainWindow) -> None:
        if window in self.compare_windows:
            self.compare_windows.remove(window)
        # a closed window's Python side (its runs' workers, their pipes and process handles,
        # tens of MB of history) sits in reference cycles that Python's collector reaches only
        # rarely on a large heap: collect now, once the deletion has finished
        QtCore.QTimer.singleShot(0, gc.collect)

    def set_scene(self, scene: Scene | None) -> None:
        """Show the scene's title and caption above the views (None hides them)."""
        self.scene = scene
        if scene is None:
            self.caption.hide()
            self.actions_["caption"].setChecked(False)
            return
        self.caption.setText(f"<b>{scene_title(scene)}.</b> {scene_caption(scene)}")
        self.caption.show()
        self.actions_["caption"].setChecked(True)

    def _bind_shortcuts(self) -> None:
        def bind(keys: list[str], slot: Any) -> None:
            for key in keys:
                sc = QtGui.QShortcut(QtGui.QKeySequence(key), self)
                # window-only: a compare window or the walk-through has its own keys
                sc.setContext(QtCore.Qt.ShortcutContext.WindowShortcut)
                sc.activated.connect(slot)

        bind(["Space"], self.toggle_play)
        bind(["S", "Right"], self.step_once)
        bind(["R"], self.reset)
        bind(["W"], self.start_walkthrough)
        bind(["Ctrl+Q"], self.close)
        bind(["Escape"], self._escape)

    # -- presentation ------------------------------------------------------------------
    def toggle_fullscreen(self) -> None:
        if self.isFullScreen():
            self.showNormal()
        else:
            self.showFullScreen()
        self.actions_["fullscreen"].setChecked(self.isFullScreen())

    def _escape(self) -> None:
        if self.overlay.isVisible():
            self.overlay.hide()
        elif self.isFullScreen():
            self.toggle_fullscreen()

    def toggle_controls(self) -> None:
        self.set_controls_visible(not self.controls_visible)

    def set_controls_visible(self, visible: bool) -> None:
        """Hide the controls dock, toolbar and menu bar to leave only the views (the
        keyboard keeps working)."""
        self.controls_visible = visible
        self._apply_controls_visible()
        self.actions_["controls"].setChecked(visible)

    def _apply_controls_visible(self) -> None:
        visible = self.controls_visible
        self.dock.setVisible(visible)
        self.transport.bar.setVisible(visible)
        self.menuBar().setVisible(visible)
        self.messages.set_controls_visible(visible)

    def toggle_caption(self) -> None:
        if self.scene is None:
            self._show_message(
                self.tr("No scene is loaded: the Scenes menu has captions."),
                "info",
            )
            self.actions_["caption"].setChecked(False)
            return
        self.caption.setVisible(self.caption.isHidden())
        self.actions_["caption"].setChecked(not self.caption.isHidden())

    def toggle_overlay(self) -> None:
        self.overlay.set_rows(
            self.tr("Keyboard shortcuts"),
            self.shortcut_rows(),
            self.tr("Press any key to close"),
            theme.pt(18),
        )
        self.overlay.toggle()

    def set_theme(self, name: str) -> None:
        self._set_look(name, theme.scale())

    def toggle_theme(self) -> None:
        self.set_theme("light" if theme.current().name == "dark" else "dark")

    def set_scale(self, scale: float) -> None:
        self._set_look(theme.current().name, clamp_scale(scale))

    def set_language(self, language: str) -> None:
        app = QtWidgets.QApplication.instance()
        assert isinstance(app, QtWidgets.QApplication)
        try:
            apply_look(app, theme.current().name, theme.scale(), language)
        except ValueError as exc:
            self._show_message(str(exc), "error")
            return
        self.rebuild()

    def _set_look(self, theme_name: str, scale: float) -> None:
        app = QtWidgets.QApplication.instance()
        assert isinstance(app, QtWidgets.QApplication)
        try:
            apply_look(app, theme_name, scale)
        except ValueError as exc:
            self._show_message(str(exc), "error")
            return
        self.rebuild()

    def rebuild(self) -> None:
        """Rebuild every widget with the current theme, scale and language and redraw the
        current state (views read those when they are constructed)."""
        dock_area = self.dockWidgetArea(self.dock)
        size = self.size()
        scrubbed = None if self.timeline_bar.is_live() else self.timeline_bar.index()
        caption_shown = self.scene is not None and not self.caption.isHidden()
        walk_visible = self.walkthrough.isVisible()
        self.removeToolBar(self.transport.bar)
        self.transport.bar.deleteLater()
        self.removeDockWidget(self.dock)
        self.dock.deleteLater()
        if not walk_visible:
            self.walkthrough.deleteLater()
        old_walk = self.walkthrough
        self._build_all()
        if walk_visible:
            # keep the open walk-through; the new one replaces it when it closes
            self.walkthrough.deleteLater()
            self.walkthrough = old_walk
        # the dock stays on its side; its width follows the new type scale (a restored state
        # would keep the old scale's pixels)
        if dock_area != self.dockWidgetArea(self.dock):
            self.addDockWidget(dock_area, self.dock)
        self._apply_controls_visible()
        # the views reflow into the same window: a bigger type never widens it off the screen,
        # and scaling back finds it as it was
        fit_to_screen(self, size)
        self.transport.show_playing(self.playing)
        self.set_scene(self.scene)
        if self.scene is not None and not caption_shown:
            self.caption.hide()
            self.actions_["caption"].setChecked(False)
        text, kind = self._message
        self._show_message(text, kind, toast=False)
        self.views["activation_function"].set_experiment(self.config)
        if self.dataset is not None:
            self._set_experiment_on_views()
        if self.latest is not None:
            self._draw(self.latest)
        else:
            self._set_banner(self.tr("Building the network…"), "info")
        if scrubbed is not None:
            self.timeline_bar.set_count()
            self.timeline_bar.slider.setValue(scrubbed)
            self._on_scrubbed(scrubbed)
        if self.overlay.isVisible():
            self.toggle_overlay()
            self.toggle_overlay()

    # -- commands ----------------------------------------------------------------------
    def toggle_play(self) -> None:
        if self.playing:
            self.pause()
        else:
            self.play()

    def play(self) -> None:
        self._leave_timeline()
        self._revive_engine()
        if self.diverged:
            self._show_message(self.tr("The run diverged: reset (R) to start again."), "error")
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
        self._leave_timeline()
        self.pause()
        self._revive_engine()
        if self.controller is not None and not self.diverged:
            self.controller.step(1)

    def _revive_engine(self) -> None:
        """After the engine died or hung: a fresh one, rebuilt from the config."""
        if self.controller is not None and self.controller.needs_restart:
            self._start_config(self.config, reason=engine_notice.restarted())

    def restart_engine(self) -> None:
        """Replace the engine (dead, hung or not) with a fresh one from the config, playing."""
        if self.controller is not None:
            self.controller.restart()
        self._start_config(self.config, reason=engine_notice.restarted())
        self.play()

    def _engine_trouble(self, note: Callable[[], str] | None) -> None:
        """Say in the banner that the engine died or hangs (``None``: it answers again)."""
        self._engine_note = note
        self.transport.show_restart(note is not None)
        if note is not None:
            self._set_banner(note(), "error")
        elif self.latest is not None:
            self._draw(self.latest)

    def reset(self) -> None:
        self._start_config(
            self.config,
            reason=self.tr("Reset: a fresh network from the same seed."),
        )

    def _on_speed(self, steps_per_second: float | None) -> None:
        self._speed = steps_per_second
        if self.controller is not None:
            self.controller.set_speed(steps_per_second)

    def _on_control_changed(self, name: str, value: object) -> None:
        changes: dict[str, Any] = {name: value}
        if name == "dataset":
            # the regression dataset needs the squared error; classification defaults back
            if value == "sine":
                changes["loss"] = "mse"
        try:
            new = self.config.replace(**changes)
        except ConfigError as exc:
            self._show_message(str(exc), "error")
            self.controls.set_config(self.config)
            return
        if set(changes) <= LIVE_FIELDS:
            self.config = new
            if self.controller is not None:
                self.controller.apply_live(changes)
            self._show_message(
                self.tr("{name} = {value} (applied live)").format(name=name, value=value),
                "info",
            )
            return
        self.controls.set_config(new)
        self._start_config(
            new,
            reason=self.tr("{name} changed: the network was rebuilt.").format(name=name),
        )

    def load_config(self, config: ExperimentConfig, reason: str | None = None) -> None:
        self.controls.set_config(config)
        self._start_config(config, reason=reason or self.tr("Loaded a new configuration."))

    def _start_config(self, config: ExperimentConfig, reason: str) -> None:
        # after the engine died or hung, a fresh one goes on training
        was_playing = self.playing or self._engine_note is not None
        self._engine_note = None
        self.transport.show_restart(False)
        self.config = config
        self.diverged = False
        self.latest = None
        self.last_finite = None
        self.weights = None
        self.history = History(config.depth + 1)
        self.timeline.clear()
        self.timeline_bar.set_live()
        self._rates.clear()
        for view in self.views.values():
            view.clear()
        self.views["activation_function"].set_experiment(config)
        self._show_message(reason, "info")
        if self.controller is not None:
            self.controller.reset(config.to_dict())
            self.controller.set_speed(self._speed)
            if was_playing:
                self.controller.play()
        self._set_banner(self.tr("Building the network…"), "info")

    # -- configs: files and drag-and-drop ----------------------------------------------
    def load_config_path(self, path: str | Path) -> bool:
        """Load the config in ``path`` (JSON, or a PNG exported by the app); a bad file is
        reported in the message area and in a dialog, and changes nothing."""
        try:
            runs = load_runs_file(path)
        except ConfigError as exc:
            self._show_message(str(exc), "error")
            self._alert(self.tr("Cannot open this file"), str(exc))
            return False
        if len(runs) > 1:
            # a compare-window picture: compare the same runs again
            from app.compare_window import CompareWindow

            try:
                if self.controller is not None:
                    ensure_room(len(runs))
                controllers = [TrainingController() for _ in runs] if self.controller is not None else None
                window = CompareWindow(runs, title=Path(path).stem, controllers=controllers)
            except ValueError as exc:
                self._show_message(str(exc), "error")
                return False
            self._track(window)
            return True
        config = runs[0][1]
        self.set_scene(None)
        self.load_config(
            config,
            reason=self.tr("Loaded {path}.").format(path=Path(path).name),
        )
        return True

    def save_config(self, path: str | Path, *, force: bool = False) -> Path:
        """Write the current config as JSON (``ExportError`` if it exists and not ``force``)."""
        return save_config_file(self.config, path, force=force)

    def open_config_dialog(self) -> None:
        path = self._ask_open_path(
            self.tr("Open a config"),
            self.tr("Configs and exported pictures (*.json *.png)"),
        )
        if path is not None:
            self.load_config_path(path)

    def save_config_dialog(self) -> None:
        self._save_via_dialog(
            self.tr("Save the config"),
            self.tr("Config (*.json)"),
            "backprop-lab-config.json",
            lambda path, force: self.save_config(path, force=force),
            self.tr("Saved {path}."),
        )

    def dragEnterEvent(self, event: QtGui.QDragEnterEvent) -> None:
        if _dropped_config(event.mimeData()) is not None:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QtGui.QDropEvent) -> None:
        path = _dropped_config(event.mimeData())
        if path is None:
            event.ignore()
            return
        event.acceptProposedAction()
        self.load_config_path(path)

    # -- exports -----------------------------------------------------------------------
    def _suggested_name(self, view: str | None, suffix: str) -> str:
        base = self.scene.name if self.scene is not None else "backprop-lab"
        step = self.latest.step if self.latest is not None else 0
        part = f"-{view}" if view else ""
        return f"{base}{part}-step{step}{suffix}"

    def export_picture(
        self, path: str | Path, *, view: str | None = None, size: str = "1x", force: bool = False
    ) -> Path:
        """Render the window or one view to a PNG carrying the config (``size``: 1x, 2x or
        4k = 3840×2160).  Raises ExportError."""
        from app.headless import standalone_view

        sizes = {key: (scale, exact) for key, scale, exact in EXPORT_SIZES}
        if size not in sizes:
            raise ExportError(f"unknown size {size!r}; choose one of: {', '.join(sizes)}")
        if view is not None and view not in self.views:
            raise ExportError(f"unknown view {view!r}; choose one of: {', '.join(VIEW_NAMES)}")
        scale, exact = sizes[size]
        config = self.config.to_dict()
        if view is None:
            if exact is None:
                return render_png(self, path, scale=scale, force=force, config=config)
            # lay the window out at 16:9 for the render, then put it back
            before = self.size()
            was_full = self.isFullScreen()
            if not was_full:
                self.resize(*UHD_LAYOUT)
                _settle_layout()
            try:
                return render_png(self, path, size=exact, force=force, config=config)
            finally:
                if not was_full:
                    self.resize(before)
                    _settle_layout()
        if exact is None:
            return render_png(self.deck.reveal(view), path, scale=scale, force=force, config=config)
        copy = standalone_view(self, view, (1600, 900))
        try:
            return render_png(copy, path, size=exact, force=force, config=config)
        finally:
            copy.close()
            copy.deleteLater()

    def export_png_dialog(self, view: str | None, size: str) -> None:
        self._save_via_dialog(
            self.tr("Export PNG"),
            self.tr("PNG image (*.png)"),
            self._suggested_name(view, ".png"),
            lambda path, force: self.export_picture(path, view=view, size=size, force=force),
            self.tr("Saved {path} (its config is inside, and in {path}.json)."),
            sidecar=True,
        )

    def export_svg_dialog(self, view: str) -> None:
        self._save_via_dialog(
            self.tr("Export SVG"),
            self.tr("SVG drawing (*.svg)"),
            self._suggested_name(view, ".svg"),
            lambda path, force: render_svg(self.deck.reveal(view), path, force=force, config=self.config.to_dict()),
            self.tr("Saved {path}."),
        )

    def copy_picture(self, view: str | None) -> None:
        copy_to_clipboard(self if view is None else self.deck.reveal(view))
        self._show_message(self.tr("Copied to the clipboard."), "info")

    def export_metrics(self, path: str | Path, *, force: bool = False) -> Path:
        """Per-step, per-layer statistics of the run so far (.csv or .json)."""
        if Path(path).suffix.lower() == ".json":
            return metrics_json(self.history, path, force=force, config=self.config.to_dict())
        return metrics_csv(self.history, path, force=force, config=self.config.to_dict())

    def export_metrics_dialog(self, suffix: str) -> None:
        self._save_via_dialog(
            self.tr("Export metrics"),
            self.tr("CSV table (*.csv)") if suffix == ".csv" else self.tr("JSON (*.json)"),
            self._suggested_name("metrics", suffix),
            lambda path, force: self.export_metrics(path, force=force),
            self.tr("Saved {path}."),
            sidecar=suffix == ".csv",
        )

    def record_dialog(self) -> None:
        """Ask for file, frame rate, duration and size, then record; while recording, stop."""
        from app.recording import RecordDialog

        if self.recorder is not None and self.recorder.is_recording:
            self.stop_recording()
            return
        dialog = RecordDialog(self, path=Path.home() / self._suggested_name(None, ".mp4"))
        if dialog.exec() != QtWidgets.QDialog.DialogCode.Accepted:
            return
        path, fps, duration, size = dialog.values()
        self.start_recording(path, fps=fps, duration_s=duration, size=size, force=dialog.force)

    def start_recording(
        self,
        path: str | Path,
        *,
        fps: float = 30,
        duration_s: float = 10.0,
        size: tuple[int, int] | None = None,
        force: bool = False,
    ) -> Any:
        """Record the window as it trains to an MP4 or GIF (the Recorder, or None after an
        error shown in the message area)."""
        from app.recording import Recorder

        try:
            recorder = Recorder(
                self, path, fps=fps, duration_s=duration_s, size=size, force=force, config=self.config.to_dict()
            )
            recorder.finished.connect(self._on_recorded)
            recorder.failed.connect(self._on_record_failed)
            recorder.start()
        except ExportError as exc:
            self._show_message(str(exc), "error")
            self._alert(self.tr("Recording not saved"), str(exc))
            return None
        self.recorder = recorder
        self._record_action.setText(self.tr("Stop recording"))
        self._show_message(
            self.tr("Recording {path}: {frames} frames at {fps} fps…").format(
                path=Path(path).name, frames=recorder.frames_total, fps=fps
            ),
            "info",
        )
        return recorder

    def stop_recording(self) -> None:
        if self.recorder is not None and self.recorder.is_recording:
            self.recorder.stop_capture()

    def _on_recorded(self, result: Any) -> None:
        self.recorder = None
        self._record_action.setText(self.tr("Record GIF or MP4…"))
        self._show_message(
            self.tr("Saved {path}: {frames} frames, {seconds} s (its config is in {path}.json).").format(
                path=result.path, frames=result.frames, seconds=f"{result.seconds:.1f}"
            ),
            "info",
        )

    def _on_record_failed(self, message: str) -> None:
        self.recorder = None
        self._record_action.setText(self.tr("Record GIF or MP4…"))
        self._show_message(message, "error")
        self._alert(self.tr("Recording not saved"), message)

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
            if kind == "paused":
                self.playing = False
                self.transport.show_playing(False)
                self.diverged = self.diverged or text.startswith("diverged")
            elif kind == "error":
                self._show_message(text, "error")
            elif kind == "died":
                self.playing = False
                self.transport.show_playing(False)
                self._engine_trouble(functools.partial(engine_notice.died, text))
            elif kind == "hung":
                self._engine_trouble(functools.partial(engine_notice.hung, text))
            elif kind == "responding":
                self._engine_trouble(None)
        if updates.weights is not None:
            # checked once when they arrive: the network view keeps the last finite weights
            if _weights_finite(updates.weights):
                self.weights = updates.weights
                if updates.snapshots:
                    self.timeline.set_weights(updates.snapshots[-1].step, updates.weights)
        if updates.walk is not None:
            self._show_walk(updates.walk)
        if updates.snapshots:
            self.feed(updates.snapshots)

    def _on_ready(self, info: dict[str, Any]) -> None:
        self.walkthrough.clear()
        self.walkthrough.hide()
        self.dataset = types.SimpleNamespace(**info["dataset"])
        self.history = History(len(info["layer_sizes"]) - 1)
        # snapshots of the old run may arrive between a reset and "ready"
        self.timeline.clear()
        self.timeline_bar.set_live()
        self._set_experiment_on_views()

    def _set_experiment_on_views(self) -> None:
        """The built network's config and data set to the views that draw them."""
        self.views["network"].set_experiment(self.config)
        for name in ("gradients", "activations", "loss", "output"):
            self.views[name].set_experiment(self.config, self.dataset)

    def feed(self, snapshots: list[Snapshot]) -> None:
        """Record ``snapshots`` in the history and draw the newest one."""
        for snap in snapshots:
            if snap.step > 0:
                self.history.append(snap)
            self.timeline.append(snap)
        latest = snapshots[-1]
        self.latest = latest
        self.last_finite = newest_finite(snapshots) or self.last_finite
        now = time.perf_counter()
        self._rates.append((now, latest.step))
        self.timeline_bar.set_count(len(self.timeline))
        if self.timeline_bar.is_live():
            self._draw(latest)
        elif latest.diverged:
            # scrubbed back: the past frame stays on screen, the run's state is still tracked
            self.diverged = True
            self.playing = False
            self.transport.show_playing(False)

    # -- timeline ----------------------------------------------------------------------
    @QtCore.Slot(int)
    def _on_scrubbed(self, index: int) -> None:
        """Show every view as it was at the timeline's entry ``index`` (training pauses)."""
        if self.playing:
            self.pause()
        if not 0 <= index < len(self.timeline):
            return
        frame = self.timeline.frame(index)
        self._draw(frame.snapshot, history=self.history.until(frame.step), weights=frame.weights, past=True)

    def _show_newest(self) -> None:
        if len(self.timeline):
            frame = self.timeline.frame(-1)
            # the newest entry carries the newest histograms and output: it replaces the past
            # drawing the views keep
            self._draw(frame.snapshot, weights=frame.weights or self.weights, past=True)

    @QtCore.Slot()
    def _on_live_requested(self) -> None:
        self._show_newest()
        if not self.diverged:
            self.play()

    def _leave_timeline(self) -> None:
        """Training goes on from the live end: leave a scrubbed position first."""
        if not self.timeline_bar.is_live():
            self.timeline_bar.set_live()
            self._show_newest()

    def _draw(
        self, snap: Snapshot, *, history: Any = None, weights: Sequence[Any] | None = None, past: bool = False
    ) -> None:
        v = self.views
        history = self.history if history is None else history
        weights = weights if past else self.weights
        # a diverged step is reported by the banner; the views keep the last finite state
        shown = snap if past and not snap.diverged else (self.last_finite or snap)

        def draw(name: str) -> None:
            if name == "network":
                v[name].show_snapshot(shown, history, weights)
            elif name == "gradients":
                v[name].show_snapshot(shown, history, heat=False)
            elif name == "gradients_heat":
                name = "gradients"
                v[name].show_heat(history)
            else:
                v[name].show_snapshot(shown, history)
            settle(v[name])  # one paint per update (views/settle.py)

        # live: the gradients every frame, the other views on staggered clocks (app/view_cadence.py)
        self.view_cadence.frame(time.monotonic(), draw, everything=past or self.controller is None)
        self.step_label.setText(self.tr("step {step}").format(step=f"{snap.step:,}"))
        if len(self._rates) >= 2 and self.controller is not None and not past:
            (t0, s0), (t1, s1) = self._rates[0], self._rates[-1]
            rate = (s1 - s0) / (t1 - t0) if t1 > t0 else 0.0
            self.rate_label.setText(self.tr("{rate} steps/s").format(rate=f"{rate:,.0f}"))
        acc = (
            self.tr("   test acc {acc}").format(acc=f"{snap.test_accuracy:.0%}")
            if snap.test_accuracy is not None
            else ""
        )
        self.loss_label.setText(self.tr("loss {loss}").format(loss=f"{snap.loss:.4g}") + acc)
        if snap.diverged:
            self.diverged = True
            self.playing = False
            self.transport.show_playing(False)
        if snap.phase == "pretrain" and snap.pretrain_layer is not None:
            self._set_banner(
                self.tr(
                    "PRE-TRAINING layer {k} of {n} as an autoencoder (greedy, layer-wise) — supervised training follows"
                ).format(k=snap.pretrain_layer + 1, n=snap.n_layers - 1),
                "info",
            )
            return
        verdict_ = verdict(snap)
        self._set_banner(verdict_.text, verdict_.kind)

    # -- feedback ----------------------------------------------------------------------
    def _set_banner(self, text: str, kind: str) -> None:
        if self._engine_note is not None:
            # a dead or hung engine outranks any verdict until it is restarted
            text, kind = self._engine_note(), "error"
        # the long engine notice may take three lines (the banner wraps, never widening the window)
        self.banner.max_lines = 3 if self._engine_note is not None else 2
        self.banner.set_full_text(text)
        if self.banner.property("kind") != kind:
            # restyling is expensive (a full polish): only when the verdict changes
            bg, fg = theme.current().banner(kind if kind in theme.BANNER_KINDS else "info")
            self.banner.setStyleSheet(f"QLabel#banner {{ background: {bg}; color: {fg}; border-radius: 6px; }}")
            self.banner.setProperty("kind", kind)

    def _notify(self, text: str, kind: str) -> None:
        self._show_message(text, kind)

    def _show_message(self, text: str, kind: str, *, toast: bool = True) -> None:
        self._message = (text, kind)
        self.messages.show(text, kind, controls_visible=self.controls_visible, toast=toast)

    # -- lifetime ----------------------------------------------------------------------
    def _restore_layout(self, prefs: Prefs) -> None:
        if prefs.geometry:
            self.restoreGeometry(QtCore.QByteArray(prefs.geometry))
        if prefs.window_state:
            self.restoreState(QtCore.QByteArray(prefs.window_state))
        self.set_controls_visible(prefs.controls_visible)

    def save_prefs(self) -> None:
        """Store theme, scale, language, the config and the window layout (QSettings)."""
        if self.prefs is None:
            return
        p = self.prefs
        p.theme = theme.current().name
        p.scale = float(theme.scale())
        p.language = i18n.current()
        p.last_config = self.config.to_dict()
        p.geometry = bytes(self.saveGeometry().data())
        p.window_state = bytes(self.saveState().data())
        p.controls_visible = self.controls_visible
        problem = p.save()
        if problem is not None:
            sys.stderr.write(f"backprop-lab: {problem}\n")
            self._alert(self.tr("Preferences not saved"), problem, wait=True)

    def closeEvent(self, event: QtGui.QCloseEvent) -> None:
        if self._closed:
            super().closeEvent(event)
            return
        self._closed = True
        if self.recorder is not None and self.recorder.is_recording:
            # what was captured so far is kept: the file is finished, not thrown away
            try:
                self.recorder.stop()
            except ExportError:
                pass  # already reported through ``failed``
        self.save_prefs()
        self.timer.stop()
        # every engine of every window stops at once: closing waits at most a second in all
        own = [self.controller] if self.controller is not None else []
        stop_controllers(own + [c for w in self.compare_windows for c in getattr(w, "controllers", None) or []])
        for window in self.compare_windows:
            window.close()
        self.compare_windows.clear()
        self.walkthrough.close()
        if self.controller is not None:
            self.controller.shutdown(1000)
        super().closeEvent(event)


def scene_title(scene: Scene) -> str:
    """The scene's title in the UI language."""
    return scene.title_zh if i18n.current() == "zh_CN" and scene.title_zh else scene.title


def scene_caption(scene: Scene) -> str:
    return scene.caption_zh if i18n.current() == "zh_CN" and scene.caption_zh else scene.caption


def _dropped_config(mime: QtCore.QMimeData) -> Path | None:
    """The first local config-like file (.json / .png) in a drag, if any."""
    if not mime.hasUrls():
        return None
    for url in mime.urls():
        if url.isLocalFile():
            path = Path(url.toLocalFile())
            if path.suffix.lower() in CONFIG_SUFFIXES:
                return path
    return None


def _settle_layout() -> None:
    app = QtWidgets.QApplication.instance()
    if app is not None:
        for _ in range(3):
            app.processEvents()


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
