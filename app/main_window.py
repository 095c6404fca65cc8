"""The main window: controls, transport, the six views and the status banner.

Data flow: the TrainingController's worker buffers snapshots; a display timer on the GUI
thread pulls them (``_on_frame``), appends every one to the History and hands the newest to
each view.  Commands go the other way through the controller.  With ``controller=None`` the
window is fed by hand (``feed``), which the headless screenshot mode and tests use.
"""

from __future__ import annotations

import time
import types
from collections import deque
from typing import Any

import numpy as np
from PySide6 import QtCore, QtGui, QtWidgets

from app.status import newest_finite, verdict
from app.transport import Transport
from app.worker import TrainingController, Updates
from model import ConfigError, ExperimentConfig, Snapshot
from model.activations import ACTIVATION_NAMES
from model.config import DATASET_NAMES, INIT_NAMES, LOSS_NAMES, MAX_DEPTH, MAX_WIDTH, OPTIMIZER_NAMES
from model.history import History
from model.scenes import Scene, list_scenes, load_scene
from model.trainer import LIVE_FIELDS
from views import theme
from views.activation_function_view import ActivationFunctionView
from views.activations_view import ActivationsView
from views.gradients_view import GradientsView
from views.loss_view import LossView
from views.network_view import NetworkView
from views.output_view import OutputView
from views.walkthrough_view import WalkthroughView

APP_TITLE = "Backprop Lab"
FRAME_MS = 16
#: one-click comparisons offered by the Compare menu: (label, config changes)
COMPARE_VARIANTS: tuple[tuple[str, dict[str, Any]], ...] = (
    ("ReLU + He init", {"activation": "relu", "init": "he_normal"}),
    ("Leaky ReLU + He init", {"activation": "leaky_relu", "init": "he_normal"}),
    ("tanh", {"activation": "tanh"}),
    ("batch norm", {"batch_norm": True}),
    ("residual connections", {"residual": True}),
    ("gradient clipping (norm 1)", {"grad_clip_norm": 1.0}),
)
BANNER_STYLE = {
    "ok": ("#E8F5E9", "#1B5E20"),
    "vanishing": ("#FFF3E0", "#8A3B00"),
    "exploding": ("#FDECEA", "#8E1B10"),
    "diverged": ("#B71C1C", "#FFFFFF"),
    "error": ("#FDECEA", "#8E1B10"),
    "info": ("#E3F2FD", "#0D3C61"),
}


class ControlPanel(QtWidgets.QWidget):
    """Widgets for every ExperimentConfig field a user touches; emits (field, value)."""

    changed = QtCore.Signal(str, object)

    def __init__(self, config: ExperimentConfig, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self._widgets: dict[str, QtWidgets.QWidget] = {}
        self._updating = False
        form = QtWidgets.QFormLayout(self)
        form.setLabelAlignment(QtCore.Qt.AlignmentFlag.AlignRight)

        def header(text: str) -> None:
            label = QtWidgets.QLabel(f"<b>{text}</b>")
            form.addRow(label)

        header("Data")
        self._combo(form, "dataset", "Dataset", DATASET_NAMES)
        header("Architecture (changes rebuild the network)")
        self._spin(form, "depth", "Hidden layers", 1, MAX_DEPTH)
        self._spin(form, "width", "Units per layer", 1, MAX_WIDTH)
        self._combo(form, "activation", "Activation", ACTIVATION_NAMES)
        self._combo(form, "init", "Initialisation", INIT_NAMES)
        self._dspin(form, "init_scale", "Init scale (gain)", 0.0, 100.0, 0.1, 3)
        self._combo(form, "loss", "Loss", LOSS_NAMES)
        self._spin(form, "batch_size", "Batch size", 1, 4096)
        self._spin(form, "seed", "Seed", 0, 2**31 - 1)
        header("Remedies (rebuild)")
        self._check(form, "batch_norm", "Batch norm")
        self._check(form, "residual", "Residual (skip) connections")
        self._spin(form, "pretrain_epochs", "Pre-training epochs / layer", 0, 1000)
        header("Optimiser (applies live)")
        self._combo(form, "optimizer", "Optimiser", OPTIMIZER_NAMES)
        self._dspin(form, "learning_rate", "Learning rate", 0.0, 1000.0, 0.01, 4)
        self._dspin(form, "momentum", "Momentum", 0.0, 0.999, 0.1, 3)
        self._optional(form, "grad_clip_norm", "Clip grad norm", 0.001, 1e6, 1.0)
        self._optional(form, "grad_clip_value", "Clip grad value", 1e-6, 1e6, 0.1)
        self.set_config(config)

    # -- builders ----------------------------------------------------------------------
    def _combo(self, form: QtWidgets.QFormLayout, name: str, label: str, items: tuple[str, ...]) -> None:
        w = QtWidgets.QComboBox()
        w.addItems(list(items))
        w.setObjectName(name)
        w.currentTextChanged.connect(lambda text, n=name: self._emit(n, text))
        form.addRow(label, w)
        self._widgets[name] = w

    def _check(self, form: QtWidgets.QFormLayout, name: str, label: str) -> None:
        w = QtWidgets.QCheckBox()
        w.setObjectName(name)
        w.toggled.connect(lambda on, n=name: self._emit(n, bool(on)))
        form.addRow(label, w)
        self._widgets[name] = w

    def _spin(self, form: QtWidgets.QFormLayout, name: str, label: str, lo: int, hi: int) -> None:
        w = QtWidgets.QSpinBox()
        w.setRange(lo, hi)
        w.setObjectName(name)
        w.setKeyboardTracking(False)
        w.valueChanged.connect(lambda v, n=name: self._emit(n, int(v)))
        form.addRow(label, w)
        self._widgets[name] = w

    def _dspin(
        self, form: QtWidgets.QFormLayout, name: str, label: str, lo: float, hi: float, step: float, dec: int
    ) -> None:
        w = QtWidgets.QDoubleSpinBox()
        w.setRange(lo, hi)
        w.setDecimals(dec)
        w.setSingleStep(step)
        w.setObjectName(name)
        w.setKeyboardTracking(False)
        w.valueChanged.connect(lambda v, n=name: self._emit(n, float(v)))
        form.addRow(label, w)
        self._widgets[name] = w

    def _optional(
        self, form: QtWidgets.QFormLayout, name: str, label: str, lo: float, hi: float, default: float
    ) -> None:
        box = QtWidgets.QWidget()
        row = QtWidgets.QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        check = QtWidgets.QCheckBox()
        check.setObjectName(f"{name}_on")
        spin = QtWidgets.QDoubleSpinBox()
        spin.setRange(lo, hi)
        spin.setDecimals(3)
        spin.setValue(default)
        spin.setObjectName(name)
        spin.setKeyboardTracking(False)
        row.addWidget(check)
        row.addWidget(spin, 1)

        def emit(*_: Any) -> None:
            spin.setEnabled(check.isChecked())
            self._emit(name, float(spin.value()) if check.isChecked() else None)

        check.toggled.connect(emit)
        spin.valueChanged.connect(emit)
        form.addRow(label, box)
        self._widgets[name] = box
        box.setProperty("check", check)
        box.setProperty("spin", spin)

    def _emit(self, name: str, value: object) -> None:
        if not self._updating:
            self.changed.emit(name, value)

    def widget(self, name: str) -> QtWidgets.QWidget:
        return self._widgets[name]

    def set_config(self, config: ExperimentConfig) -> None:
        """Show ``config`` without emitting changes."""
        self._updating = True
        try:
            for name, w in self._widgets.items():
                value = getattr(config, name)
                if isinstance(w, QtWidgets.QComboBox):
                    w.setCurrentText(str(value))
                elif isinstance(w, QtWidgets.QCheckBox):
                    w.setChecked(bool(value))
                elif isinstance(w, (QtWidgets.QSpinBox, QtWidgets.QDoubleSpinBox)):
                    w.setValue(value)
                else:
                    check = w.findChild(QtWidgets.QCheckBox)
                    spin = w.findChild(QtWidgets.QDoubleSpinBox)
                    check.setChecked(value is not None)
                    spin.setEnabled(value is not None)
                    if value is not None:
                        spin.setValue(float(value))
        finally:
            self._updating = False


class MainWindow(QtWidgets.QMainWindow):
    """Backprop Lab's window."""

    def __init__(
        self,
        config: ExperimentConfig | None = None,
        *,
        controller: TrainingController | None = None,
        autoplay: bool = True,
    ) -> None:
        super().__init__()
        self.config = config or ExperimentConfig()
        self.controller = controller
        self.history = History(self.config.depth + 1)
        self.latest: Snapshot | None = None
        self.last_finite: Snapshot | None = None
        self.weights: list[Any] | None = None
        self.dataset: Any = None
        self.playing = False
        self.diverged = False
        self._rates: deque[tuple[float, int]] = deque(maxlen=120)
        self.setWindowTitle(f"{APP_TITLE} — watch gradients vanish and explode")

        self.views: dict[str, QtWidgets.QWidget] = {
            "network": NetworkView(),
            "gradients": GradientsView(),
            "activations": ActivationsView(),
            "loss": LossView(),
            "output": OutputView(),
            "activation_function": ActivationFunctionView(),
        }
        self.scene: Scene | None = None
        self._closed = False
        self.compare_windows: list[QtWidgets.QMainWindow] = []
        # its own top-level window, but owned by this one (deleted with it)
        self.walkthrough = WalkthroughView(self)
        self.walkthrough.setWindowFlag(QtCore.Qt.WindowType.Window, True)
        self.walkthrough.setWindowTitle(f"{APP_TITLE} — backward pass, layer by layer")
        self.walkthrough.closed.connect(self.walkthrough.hide)
        self._build_ui()
        self._build_menus()
        self._bind_shortcuts()

        self.timer = QtCore.QTimer(self)
        self.timer.setTimerType(QtCore.Qt.TimerType.PreciseTimer)
        self.timer.setInterval(FRAME_MS)
        self.timer.timeout.connect(self._on_frame)
        self._start_config(self.config, reason="")
        if controller is not None:
            self.timer.start()
            if autoplay:
                self.play()

    # -- layout ------------------------------------------------------------------------
    def _build_ui(self) -> None:
        central = QtWidgets.QWidget()
        outer = QtWidgets.QVBoxLayout(central)
        outer.setContentsMargins(6, 6, 6, 6)
        outer.setSpacing(6)

        self.banner = QtWidgets.QLabel("")
        self.banner.setObjectName("banner")
        font = self.banner.font()
        font.setPointSize(20)
        font.setBold(True)
        self.banner.setFont(font)
        self.banner.setMinimumHeight(48)
        self.banner.setAlignment(QtCore.Qt.AlignmentFlag.AlignCenter)
        outer.addWidget(self.banner)

        self.caption = QtWidgets.QLabel("")
        self.caption.setObjectName("caption")
        self.caption.setWordWrap(True)
        cfont = self.caption.font()
        cfont.setPointSize(14)
        self.caption.setFont(cfont)
        self.caption.setStyleSheet("QLabel#caption { padding: 2px 8px; }")
        self.caption.setSizePolicy(QtWidgets.QSizePolicy.Policy.Ignored, QtWidgets.QSizePolicy.Policy.Preferred)
        self.caption.hide()
        outer.addWidget(self.caption)

        grid = QtWidgets.QGridLayout()
        grid.setSpacing(6)
        v = self.views
        grid.addWidget(self._framed(v["network"]), 0, 0)
        grid.addWidget(self._framed(v["gradients"]), 0, 1)
        grid.addWidget(self._framed(v["activations"]), 0, 2)
        grid.addWidget(self._framed(v["loss"]), 1, 0)
        grid.addWidget(self._framed(v["output"]), 1, 1)
        grid.addWidget(self._framed(v["activation_function"]), 1, 2)
        grid.setColumnStretch(0, 5)
        grid.setColumnStretch(1, 5)
        grid.setColumnStretch(2, 4)
        grid.setRowStretch(0, 3)
        grid.setRowStretch(1, 2)
        outer.addLayout(grid, 1)
        self.setCentralWidget(central)

        # transport toolbar
        self.transport = Transport(
            self, on_play=self.toggle_play, on_step=self.step_once, on_reset=self.reset, on_speed=self._on_speed
        )
        bar = self.transport.bar
        self.play_action = self.transport.play_action
        self.speed_combo = self.transport.speed_combo
        big = bar.font()
        self.step_label = QtWidgets.QLabel("step 0")
        self.step_label.setObjectName("step_label")
        self.step_label.setMinimumWidth(120)
        self.rate_label = QtWidgets.QLabel("")
        self.rate_label.setMinimumWidth(130)
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
        self.message = QtWidgets.QLabel("")
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        col.addWidget(self.message)
        col.addStretch(1)
        scroll = QtWidgets.QScrollArea()
        scroll.setWidget(panel)
        scroll.setWidgetResizable(True)
        dock = QtWidgets.QDockWidget("Experiment", self)
        dock.setObjectName("controls_dock")
        dock.setWidget(scroll)
        dock.setFeatures(QtWidgets.QDockWidget.DockWidgetFeature.DockWidgetMovable)
        dock.setMinimumWidth(300)
        self.addDockWidget(QtCore.Qt.DockWidgetArea.LeftDockWidgetArea, dock)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        scenes = bar.addMenu("&Scenes")
        scenes.setObjectName("scenes_menu")
        for name in list_scenes():
            try:
                scene = load_scene(name)
            except ConfigError:
                continue
            runs = f"  ({len(scene.runs)} runs, compare)" if len(scene.runs) > 1 else ""
            action = scenes.addAction(f"{scene.title}{runs}")
            action.setData(name)
            action.triggered.connect(lambda _=False, n=name: self.open_scene(n))
        compare = bar.addMenu("&Compare")
        compare.setObjectName("compare_menu")
        for label, changes in COMPARE_VARIANTS:
            action = compare.addAction(f"Current run vs {label}")
            action.triggered.connect(lambda _=False, c=changes: self.compare_with([c]))
        lecture = bar.addMenu("&Lecture")
        walk = lecture.addAction("Backward pass walk-through (W)")
        walk.triggered.connect(self.start_walkthrough)
        all_action = compare.addAction("Current run vs ReLU + He, batch norm and residual")
        all_action.triggered.connect(
            lambda: self.compare_with([dict(COMPARE_VARIANTS[0][1]), {"batch_norm": True}, {"residual": True}])
        )

    def open_scene(self, name: str) -> QtWidgets.QMainWindow | None:
        """Load scene ``name``: one run here, several runs in a compare window."""
        try:
            scene = load_scene(name)
        except ConfigError as exc:
            self._show_message(str(exc), "error")
            return None
        if len(scene.runs) == 1:
            self.set_scene(scene)
            self.load_config(scene.runs[0].config)
            return self
        from app.compare_window import open_scene_compare

        factory = TrainingController if self.controller is not None else None
        window = open_scene_compare(scene, factory)
        self._track(window)
        return window

    def compare_with(self, variants: list[dict[str, Any]]) -> QtWidgets.QMainWindow | None:
        from app.compare_window import open_variants_compare

        try:
            factory = TrainingController if self.controller is not None else None
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
            self._show_message("The walk-through needs a live run.", "error")
            return
        self.controller.walk()
        self._show_message("Walk-through: → next layer, ← back, End all, Esc close.", "info")

    def _show_walk(self, walk: Any) -> None:
        view = self.walkthrough
        view.set_walk(walk)
        view.resize(self.width(), max(500, self.height() // 2))
        view.show()
        view.raise_()
        view.activateWindow()
        view.setFocus()

    def _forget(self, window: QtWidgets.QMainWindow) -> None:
        if window in self.compare_windows:
            self.compare_windows.remove(window)

    def set_scene(self, scene: Scene | None) -> None:
        """Show the scene's title and caption above the views (None hides them)."""
        self.scene = scene
        if scene is None:
            self.caption.hide()
            return
        self.caption.setText(f"<b>{scene.title}.</b> {scene.caption}")
        self.caption.show()

    def _framed(self, view: QtWidgets.QWidget) -> QtWidgets.QWidget:
        view.setMinimumSize(200, 160)
        return view

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

    # -- commands ----------------------------------------------------------------------
    def toggle_play(self) -> None:
        if self.playing:
            self.pause()
        else:
            self.play()

    def play(self) -> None:
        if self.diverged:
            self._show_message("The run diverged: reset (R) to start again.", "error")
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
        self.pause()
        if self.controller is not None and not self.diverged:
            self.controller.step(1)

    def reset(self) -> None:
        self._start_config(self.config, reason="Reset: a fresh network from the same seed.")

    def _on_speed(self, steps_per_second: float | None) -> None:
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
            self._show_message(f"{name} = {value} (applied live)", "info")
            return
        self.controls.set_config(new)
        self._start_config(new, reason=f"{name} changed: the network was rebuilt.")

    def load_config(self, config: ExperimentConfig) -> None:
        self.controls.set_config(config)
        self._start_config(config, reason="Loaded a new configuration.")

    def _start_config(self, config: ExperimentConfig, reason: str) -> None:
        was_playing = self.playing
        self.config = config
        self.diverged = False
        self.latest = None
        self.last_finite = None
        self.weights = None
        self.history = History(config.depth + 1)
        self._rates.clear()
        for view in self.views.values():
            view.clear()
        self.views["activation_function"].set_experiment(config)
        self._show_message(reason, "info")
        if self.controller is not None:
            self.controller.reset(config.to_dict())
            if was_playing:
                self.controller.play()
        self._set_banner("Building the network…", "info")

    # -- data in -----------------------------------------------------------------------
    def _on_frame(self) -> None:
        assert self.controller is not None
        updates = self.controller.take()
        self.apply_updates(updates)

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
        if updates.weights is not None:
            # checked once when they arrive: the network view keeps the last finite weights
            if _weights_finite(updates.weights):
                self.weights = updates.weights
        if updates.walk is not None:
            self._show_walk(updates.walk)
        if updates.snapshots:
            self.feed(updates.snapshots)

    def _on_ready(self, info: dict[str, Any]) -> None:
        self.walkthrough.clear()
        self.walkthrough.hide()
        self.dataset = types.SimpleNamespace(**info["dataset"])
        self.history = History(len(info["layer_sizes"]) - 1)
        self.views["network"].set_experiment(self.config)
        for name in ("gradients", "activations", "loss", "output"):
            self.views[name].set_experiment(self.config, self.dataset)

    def feed(self, snapshots: list[Snapshot]) -> None:
        """Record ``snapshots`` in the history and draw the newest one."""
        for snap in snapshots:
            if snap.step > 0:
                self.history.append(snap)
        latest = snapshots[-1]
        self.latest = latest
        self.last_finite = newest_finite(snapshots) or self.last_finite
        now = time.perf_counter()
        self._rates.append((now, latest.step))
        self._draw(latest)

    def _draw(self, snap: Snapshot) -> None:
        v = self.views
        # a diverged step is reported by the banner; the views keep the last finite state
        shown = self.last_finite or snap
        v["network"].show_snapshot(shown, self.history, self.weights)
        for name in ("gradients", "activations", "loss", "output", "activation_function"):
            v[name].show_snapshot(shown, self.history)
        self.step_label.setText(f"step {snap.step:,}")
        if len(self._rates) >= 2 and self.controller is not None:
            (t0, s0), (t1, s1) = self._rates[0], self._rates[-1]
            rate = (s1 - s0) / (t1 - t0) if t1 > t0 else 0.0
            self.rate_label.setText(f"{rate:,.0f} steps/s")
        acc = f"   test acc {snap.test_accuracy:.0%}" if snap.test_accuracy is not None else ""
        self.loss_label.setText(f"loss {snap.loss:.4g}{acc}")
        if snap.diverged:
            self.diverged = True
            self.playing = False
            self.transport.show_playing(False)
        if snap.phase == "pretrain" and snap.pretrain_layer is not None:
            self._set_banner(
                f"PRE-TRAINING layer {snap.pretrain_layer + 1} of {snap.n_layers - 1} "
                "as an autoencoder (greedy, layer-wise) — supervised training follows",
                "info",
            )
            return
        verdict_ = verdict(snap)
        self._set_banner(verdict_.text, verdict_.kind)

    # -- feedback ----------------------------------------------------------------------
    def _set_banner(self, text: str, kind: str) -> None:
        if self.banner.text() != text:
            self.banner.setText(text)
        if self.banner.property("kind") != kind:
            # restyling is expensive (a full polish): only when the verdict changes
            bg, fg = BANNER_STYLE.get(kind, BANNER_STYLE["info"])
            self.banner.setStyleSheet(f"QLabel#banner {{ background: {bg}; color: {fg}; border-radius: 6px; }}")
            self.banner.setProperty("kind", kind)

    def _show_message(self, text: str, kind: str) -> None:
        color = "#8E1B10" if kind == "error" else "#0D3C61"
        self.message.setStyleSheet(f"color: {color}; font-size: 13pt;")
        self.message.setText(text)
        self.message.setProperty("kind", kind)

    # -- lifetime ----------------------------------------------------------------------
    def closeEvent(self, event: QtGui.QCloseEvent) -> None:
        if self._closed:
            super().closeEvent(event)
            return
        self._closed = True
        self.timer.stop()
        for window in self.compare_windows:
            window.close()
        self.compare_windows.clear()
        self.walkthrough.close()
        if self.controller is not None:
            self.controller.shutdown(1000)
        super().closeEvent(event)


def _weights_finite(weights: list[Any]) -> bool:
    return all(bool(np.isfinite(np.sum(w))) for w in weights)


def make_application(argv: list[str] | None = None) -> QtWidgets.QApplication:
    """The QApplication with Backprop Lab's style (Fusion, light palette, big fonts)."""
    app = QtWidgets.QApplication.instance()
    if app is None:
        app = QtWidgets.QApplication(argv or [APP_TITLE])
    assert isinstance(app, QtWidgets.QApplication)
    app.setApplicationName(APP_TITLE)
    app.setStyle("Fusion")
    font = app.font()
    font.setPointSize(12)
    app.setFont(font)
    theme.apply_pyqtgraph(theme.LIGHT)
    return app
