"""What the main window opens besides itself: scenes (one run here, several in a compare
window, a sweep in a phase-diagram window), one-click comparisons of the current run and the
phase diagram.  The windows it opens are tracked (``windows``) so that closing the main
window closes them, and pausing follows the active scene."""

from __future__ import annotations

import gc
from typing import Any

from PySide6 import QtCore, QtWidgets

from app.background import close_scene_windows, pause_in_background
from app.presentation import scene_title
from app.worker import EngineLimitError, TrainingController, ensure_room
from model import ConfigError, ExperimentConfig
from model.scenes import Scene, list_scenes, load_scene


def _tr(text: str) -> str:
    return QtCore.QCoreApplication.translate("MainWindow", text)


def compare_variants() -> tuple[tuple[str, dict[str, Any]], ...]:
    """One-click comparisons offered by the Compare menu: (label, config changes)."""
    return (
        (_tr("ReLU + He init"), {"activation": "relu", "init": "he_normal"}),
        (_tr("Leaky ReLU + He init"), {"activation": "leaky_relu", "init": "he_normal"}),
        (_tr("tanh"), {"activation": "tanh"}),
        (_tr("batch norm"), {"batch_norm": True}),
        (_tr("residual connections"), {"residual": True}),
        (_tr("gradient clipping (norm 1)"), {"grad_clip_norm": 1.0}),
    )


COMPARE_VARIANTS = compare_variants()


class SceneLauncher(QtCore.QObject):
    """Owned by a MainWindow (``window``: ``config``, ``controller``, ``pause``, ``load_config``)."""

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window = window
        #: the compare and sweep windows this one opened (closed with it)
        self.windows: list[QtWidgets.QMainWindow] = []

    # -- menus -------------------------------------------------------------------------------
    def scenes_menu(self, menu: QtWidgets.QMenu) -> None:
        """Every scene that loads, with what it opens."""
        for name in list_scenes():
            try:
                scene = load_scene(name)
            except ConfigError:
                continue
            runs = _tr("  ({n} runs, compare)").format(n=len(scene.runs)) if len(scene.runs) > 1 else ""
            runs = _tr("  (phase diagram)") if scene.is_sweep else runs
            action = menu.addAction(f"{scene_title(scene)}{runs}")
            action.setData(name)
            action.triggered.connect(lambda _=False, n=name: self.open_scene(n))

    def compare_menu(self, menu: QtWidgets.QMenu) -> None:
        variants = compare_variants()
        for label, changes in variants:
            action = menu.addAction(_tr("Current run vs {label}").format(label=label))
            action.triggered.connect(lambda _=False, c=changes: self.compare_with([c]))
        all_action = menu.addAction(_tr("Current run vs ReLU + He, batch norm and residual"))
        all_action.triggered.connect(
            lambda: self.compare_with([dict(variants[0][1]), {"batch_norm": True}, {"residual": True}])
        )

    # -- opening -----------------------------------------------------------------------------
    def _factory(self) -> type[TrainingController] | None:
        """Live windows for a live main window; windows fed by hand for a test or a render."""
        return TrainingController if self.window.controller is not None else None

    def open_scene(self, name: str) -> QtWidgets.QMainWindow | None:
        """Load scene ``name``: one run here, several runs in a compare window."""
        w = self.window
        try:
            scene = load_scene(name)
        except ConfigError as exc:
            w.show_message(str(exc), "error")
            return None
        if scene.is_sweep:
            return self.open_phase_diagram(scene)
        if len(scene.runs) == 1:
            pause_in_background(self.windows)  # this window is the active scene now
            w.presentation.set_scene(scene)
            w.load_config(scene.runs[0].config)
            w.set_speed(scene.speed)
            return w  # type: ignore[no-any-return]
        from app.compare_window import open_scene_compare

        factory = self._factory()
        place = close_scene_windows(self.windows)  # the new scene takes its place
        try:
            if factory is not None:
                ensure_room(len(scene.runs))
        except EngineLimitError as exc:
            w.show_message(str(exc), "error")
            return None
        pause_in_background(self.windows)
        window = open_scene_compare(scene, factory)
        self.track(window)
        if place is not None:
            window.setGeometry(place)
        return window

    def open_phase_diagram(self, scene: Scene | None = None) -> QtWidgets.QMainWindow:
        """A sweep window: the scene's phase diagram, or gain × bias std of the current config
        (app/sweep_window.py); clicking a point opens its config in the main window."""
        from app.sweep_window import SweepWindow, default_spec

        w = self.window

        def open_here(config: ExperimentConfig) -> None:
            w.load_config(config)
            w.raise_()
            w.activateWindow()

        if scene is not None and scene.sweep is not None:
            window = SweepWindow(scene.sweep, measure=scene.sweep_measure, scene=scene, open_config=open_here)
        else:
            window = SweepWindow(default_spec(w.config), open_config=open_here)
        self.track(window)
        if w.controller is not None:  # a live window (not a headless render or a test)
            window.show()
            window.start()
        return window

    def compare_with(self, variants: list[dict[str, Any]]) -> QtWidgets.QMainWindow | None:
        """The current run beside each of ``variants`` (config changes) in a compare window."""
        from app.compare_window import open_variants_compare

        try:
            factory = self._factory()
            if factory is not None:
                ensure_room(len(variants) + 1)
            window = open_variants_compare(self.window.config, variants, controllers_factory=factory)
        except (ConfigError, ValueError) as exc:
            self.window.show_message(str(exc), "error")
            return None
        self.track(window)
        return window

    def track(self, window: QtWidgets.QMainWindow) -> None:
        """Show ``window`` at the main window's size; this one pauses."""
        self.window.pause()
        self.windows.append(window)
        window.setAttribute(QtCore.Qt.WidgetAttribute.WA_DeleteOnClose)
        window.destroyed.connect(lambda *_: self._forget(window))
        window.resize(self.window.size())
        window.show()

    def _forget(self, window: QtWidgets.QMainWindow) -> None:
        if window in self.windows:
            self.windows.remove(window)
        # a closed window's Python side (its runs' workers, their pipes and process handles,
        # tens of MB of history) sits in reference cycles that Python's collector reaches only
        # rarely on a large heap: collect now, once the deletion has finished
        QtCore.QTimer.singleShot(0, gc.collect)

    def close_all(self) -> None:
        for window in self.windows:
            window.close()
        self.windows.clear()
