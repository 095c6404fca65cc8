"""Compare mode: 2–4 runs side by side in one window, driven by one transport.

Every run has its own TrainingController (worker thread + engine process) and its own
column of views; one overlaid plot (CompareGradientsView) draws every run's gradient by
layer so the difference reads at a glance.  Every command goes to every run: play, pause,
step, reset and speed are synchronised.  A run that diverges is paused by its own engine and
says so in its column while the others go on.

Data flow is the main window's: a display timer on the GUI thread pulls ``take()`` from each
controller, appends the snapshots to that run's History and draws the newest.  With
``controllers=None`` the window is fed by hand (``apply_updates(index, updates)``), which
:func:`train_compare_offline` and the headless screenshots use.

Every visible text is translated (contexts "CompareWindow" and "RunColumn") and set again
when the language changes at run time (``changeEvent``); scene titles and captions are the
scene's own text and stay as written.

This module must not import ``app.main_window`` at import time: the main window imports it.
"""

from __future__ import annotations

import html
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from PySide6 import QtCore, QtGui, QtWidgets

from app import engine_notice
from app.background import BackgroundPause
from app.compare_cadence import Cadence, engine_share
from app.compare_keys import KeyCommands, compare_keys
from app.compare_layout import CompareLayout, ToolbarEnd
from app.compare_runs import (  # noqa: F401 (re-exported: callers import them from here)
    auto_caption,
    describe,
    differing_fields,
    field_title,
    variant_runs,
)
from app.export import copy_to_clipboard, render_png
from app.headless import offline_updates
from app.run_column import GRADIENTS_MIN_HEIGHT, SLOW_INTERVAL, SYMBOL_CHARS, RunColumn  # noqa: F401
from app.run_texts import verdict_colour as _verdict_colour
from app.save_dialogs import SaveDialogs
from app.transport import TransportCommands
from app.worker import TrainingController, Updates, stop_controllers
from model import ExperimentConfig
from model.scenes import Scene
from views.compare_gradients_view import MAX_RUNS, CompareGradientsView
from views.settle import quiet_axes, settle

APP_TITLE = "Backprop Lab"
MIN_RUNS = 2
FRAME_MS = 16
#: Every controller is told to stop at once, then all are waited for within this budget.
SHUTDOWN_MS = 900
#: More runs than this are shown as 2 × 2 panels rather than columns.
PANELS_FROM = 3

translate = QtCore.QCoreApplication.translate


# -- the window -----------------------------------------------------------------------------
class CompareWindow(TransportCommands, SaveDialogs, KeyCommands):
    """2–4 runs side by side with one synchronised transport and an overlaid gradient plot."""

    def __init__(
        self,
        runs: Sequence[tuple[str, ExperimentConfig]],
        *,
        title: str = "",
        caption: str = "",
        controllers: Sequence[TrainingController] | None = None,
        autoplay: bool = True,
    ) -> None:
        if not MIN_RUNS <= len(runs) <= MAX_RUNS:
            raise ValueError(f"compare mode shows {MIN_RUNS} to {MAX_RUNS} runs; got {len(runs)}")
        if controllers is not None and len(controllers) != len(runs):
            raise ValueError(f"{len(controllers)} controllers for {len(runs)} runs")
        super().__init__()
        self.runs: list[tuple[str, ExperimentConfig]] = [(str(label), config) for label, config in runs]
        self.controllers: list[TrainingController] | None = list(controllers) if controllers is not None else None
        self.scene_title = title
        #: a caption given by the caller (a scene's) stays as written; an automatic one is
        #: written again when the language changes
        self._given_caption = caption
        self.caption_text = caption or auto_caption([config for _, config in self.runs])
        self.scene: Scene | None = None
        self.playing = False
        self._closed = False
        #: the message on the toolbar, as a key of _message_text (and its kind), or None
        self._message: tuple[str, str] | None = None
        labels = [label for label, _ in self.runs]

        self.overlay = CompareGradientsView()
        quiet_axes(self.overlay)
        self.overlay.set_runs(labels, [config.depth + 1 for _, config in self.runs])
        #: four runs do not fit four ~450 px columns (the loss view alone needs ~310 px beside
        #: anything else): they are shown as 2 × 2 wide panels instead
        self.panels = len(self.runs) > PANELS_FROM
        self.columns = [RunColumn(i, label, config, panel=self.panels) for i, (label, config) in enumerate(self.runs)]
        self._build_ui()
        self._keys = compare_keys(self)  # claimed from the main window's shortcuts
        self.retranslate()

        self.cadence = Cadence(len(self.columns))
        self.timer = QtCore.QTimer(self)
        self.timer.setTimerType(QtCore.Qt.TimerType.PreciseTimer)
        self.timer.setInterval(FRAME_MS)
        self.timer.timeout.connect(self._on_frame)
        self._start_all()
        now = time.monotonic()
        for column in self.columns:
            column.stagger(now, column.index / len(self.columns))
        if self.controllers is not None:
            #: hidden or minimised, the window pauses its runs (app.background)
            self.background = BackgroundPause(self)
            self.timer.start()
            if autoplay:
                self.play()

    # -- layout ------------------------------------------------------------------------
    def _build_ui(self) -> None:
        #: caption, overlay and runs (app.compare_layout)
        self.central = CompareLayout(self, self.overlay, self.columns, self.panels, lambda i: self.runs[i][0])
        self.caption = self.central.caption
        self.run_deck = self.central.run_deck

        bar = self._make_transport(self.restart_engines).bar  # app.transport, as the main window's
        #: the message, Save picture, Copy and Close
        self.toolbar_end = ToolbarEnd(self, bar, save=self.export_png_dialog, copy=self.copy_picture)
        self.message = self.toolbar_end.message
        self.save_action, self.copy_action = self.toolbar_end.save_action, self.toolbar_end.copy_action
        self.close_action = self.toolbar_end.close_action
        for button in bar.findChildren(QtWidgets.QToolButton):
            button.setFocusPolicy(QtCore.Qt.FocusPolicy.NoFocus)
        self.addToolBar(QtCore.Qt.ToolBarArea.TopToolBarArea, bar)
        from app.compare_file_menu import CompareFileMenu

        self.file_menu = CompareFileMenu(self)
        from app.compare_timeline import CompareTimeline

        self.timeline = CompareTimeline(self)
        self.central.add_bottom(self.timeline.bar)

    def retranslate(self) -> None:
        """Set the window's own texts in the current language (the toolbar and the columns
        handle their own ``LanguageChange``)."""
        labels = [label for label, _ in self.runs]
        runs = self.scene_title or " vs ".join(labels)
        self.setWindowTitle(translate("CompareWindow", "{app} — Compare: {runs}").format(app=APP_TITLE, runs=runs))
        if not self._given_caption:
            self.caption_text = auto_caption([config for _, config in self.runs])
        head = f"<b>{html.escape(self.scene_title)}</b> — " if self.scene_title else ""
        self.caption.setText(f"{head}{html.escape(self.caption_text)}")
        self.toolbar_end.retranslate()
        self.run_deck.retitle()
        self.file_menu.retranslate()
        if self._message is not None:
            self._show_message(*self._message)

    def changeEvent(self, event: QtCore.QEvent) -> None:
        if event.type() == QtCore.QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # -- pictures ------------------------------------------------------------------------------
    def config_record(self) -> dict[str, Any]:
        """Every run's label and config: what a picture of this window carries, and what
        opening that picture compares again."""
        return {
            "title": self.scene_title,
            "runs": [{"label": label, "config": config.to_dict()} for label, config in self.runs],
        }

    def export_picture(self, path: str | Path, *, scale: float = 2.0, force: bool = False) -> Path:
        """The whole window as a PNG (``scale`` × its size) carrying every run's config."""
        return render_png(self, path, scale=scale, force=force, config=self.config_record())

    def export_png_dialog(self) -> None:
        self._save_via_dialog(
            translate("CompareWindow", "Save a picture of the comparison"),
            translate("CompareWindow", "PNG image (*.png)"),
            f"{self.scene.name if self.scene is not None else 'backprop-lab-compare'}.png",
            lambda path, force: self.export_picture(path, force=force),
            translate("CompareWindow", "Saved {path}."),
            sidecar=True,
        )

    def copy_picture(self) -> None:
        copy_to_clipboard(self)
        self._notify(translate("CompareWindow", "Copied to the clipboard."), "info")

    def _notify(self, text: str, kind: str) -> None:
        """A message in the toolbar that is not one of the retranslated ``_message_text`` keys."""
        self._message = None
        self.message.setStyleSheet(f"color: {_verdict_colour(kind)};")
        self.message.setText(text)

    # -- commands: every one goes to every run ---------------------------------------------
    def play(self) -> None:
        self.timeline.go_live()
        self._revive_engines()
        live = [i for i, column in enumerate(self.columns) if not column.diverged]
        if not live:
            self._show_message("all_diverged", "error")
            return
        self.playing = True
        self.transport.show_playing(True)
        if self.controllers is not None:
            for i in live:
                self.controllers[i].play()

    def pause(self) -> None:
        self.playing = False
        self.transport.show_playing(False)
        if self.controllers is not None:
            for controller in self.controllers:
                controller.pause()

    def step_once(self) -> None:
        self.pause()
        self.timeline.go_live()
        self._revive_engines()
        if self.controllers is not None:
            for column, controller in zip(self.columns, self.controllers, strict=True):
                if not column.diverged:
                    controller.step(1)

    def _revive_engines(self) -> None:
        """Runs whose engine died or hangs start again from their config, in a fresh engine."""
        if self.controllers is None:
            return
        for column, controller, (_, config) in zip(self.columns, self.controllers, self.runs, strict=True):
            if controller.needs_restart:
                column.start()
                controller.reset(config.to_dict())

    def restart_engines(self) -> None:
        """The toolbar's Restart engine: every dead or hung run starts again, and all play."""
        self._revive_engines()
        self.play()

    def reset(self) -> None:
        self._start_all()
        self._show_message("reset", "info")

    def _start_all(self) -> None:
        was_playing = self.playing
        for column in self.columns:
            column.start()
        self.overlay.clear()
        if hasattr(self, "timeline"):
            self.timeline.clear()
        if self.controllers is not None:
            share = engine_share(len(self.runs))
            for (_, config), controller in zip(self.runs, self.controllers, strict=True):
                controller.set_share(share)
                controller.reset(config.to_dict())
                if was_playing:
                    controller.play()

    def show_detail_view(self, name: str) -> None:
        """Every run shows its ``"output"`` or its ``"activations"`` view beside its loss."""
        for column in self.columns:
            column.show_detail_view(name)
        self.file_menu.show_detail_view(name)
        self.run_deck.retitle()
        self._draw(None)

    def _on_speed(self, steps_per_second: float | None) -> None:
        if self.controllers is not None:
            for controller in self.controllers:
                controller.set_speed(steps_per_second)

    # -- data in -----------------------------------------------------------------------
    def _on_frame(self) -> None:
        assert self.controllers is not None
        for i, controller in enumerate(self.controllers):
            updates = controller.take()
            self.columns[i].apply_updates(updates)
            self.timeline.record(i, updates)
        lost = any(controller.needs_restart for controller in self.controllers)
        if lost != self.transport.restart_action.isVisible():
            self.transport.show_restart(lost)
        if self.timeline.is_live():  # a scrubbed past step stays on screen
            self._draw(time.monotonic())

    def apply_updates(self, index: int, updates: Updates) -> None:
        """Feed run ``index`` by hand (offline mode) and draw everything that changed."""
        self.columns[index].apply_updates(updates)
        self.timeline.record(index, updates)
        self._draw(None)

    def _draw(self, now: float | None) -> None:
        if now is None:
            for column in self.columns:
                if column.dirty or column.slow_dirty:
                    column.draw(None)
        else:
            self.cadence.draw(self.columns, now)
        if any(column.fresh for column in self.columns):
            for column in self.columns:
                column.fresh = False
            self.overlay.show_snapshots([column.shown for column in self.columns])
            settle(self.overlay)
        if self.playing and all(column.diverged for column in self.columns):
            self.playing = False
            self.transport.show_playing(False)

    @staticmethod
    def _message_text(key: str) -> str:
        if key == "all_diverged":
            return translate("CompareWindow", "Every run diverged: reset (R) to start again.")
        if key == "background":
            return engine_notice.paused_in_background()
        return translate("CompareWindow", "Reset: fresh networks from the same seeds.")

    def _show_message(self, key: str, kind: str) -> None:
        """Show the toolbar message ``key`` (see _message_text), coloured for ``kind``."""
        self._message = (key, kind)
        colour = _verdict_colour(kind)
        self.message.setStyleSheet(f"color: {colour};")
        self.message.setText(self._message_text(key))

    # -- lifetime ----------------------------------------------------------------------
    def shutdown(self, timeout_ms: int = SHUTDOWN_MS) -> bool:
        """Stop every run's worker and engine; True when all threads ended in ``timeout_ms``."""
        self.timer.stop()
        if self.controllers is None:
            return True
        # every engine is told at once, so they quit in parallel (killed if they do not)
        return stop_controllers(self.controllers, timeout_ms)

    def closeEvent(self, event: QtGui.QCloseEvent) -> None:
        if not self._closed:
            self._closed = True
            self.file_menu.recording.finish_now()
            self.shutdown()
        super().closeEvent(event)


# -- opening compare mode -----------------------------------------------------------------
def open_scene_compare(
    scene: Scene,
    controllers_factory: Callable[[], TrainingController] | None = TrainingController,
    *,
    autoplay: bool = True,
) -> CompareWindow:
    """A CompareWindow for a scene with 2–4 runs (``controllers_factory=None``: offline).

    Raises ValueError for a scene with a single run: that one opens in the main window.
    """
    if not MIN_RUNS <= len(scene.runs) <= MAX_RUNS:
        raise ValueError(
            f"scene {scene.name} has {len(scene.runs)} run(s); compare mode needs {MIN_RUNS} to "
            f"{MAX_RUNS} (a single run opens in the main window)"
        )
    runs = [(run.label, run.config) for run in scene.runs]
    controllers = None if controllers_factory is None else [controllers_factory() for _ in runs]
    window = CompareWindow(runs, title=scene.title, caption=scene.caption, controllers=controllers, autoplay=autoplay)
    window.scene = scene
    window.set_speed(scene.speed)
    window.show_detail_view(scene.compare_view)
    return window


def open_variants_compare(
    base: ExperimentConfig,
    variants: Sequence[Mapping[str, Any]],
    labels: Sequence[str] | None = None,
    *,
    controllers_factory: Callable[[], TrainingController] | None = TrainingController,
    title: str = "",
    autoplay: bool = True,
) -> CompareWindow:
    """Compare ``base`` (the current config) against 1–3 variants, e.g. ``[{"activation": "relu"}]``.

    Raises ConfigError for an invalid variant before any controller is started.
    """
    runs = variant_runs(base, variants, labels)
    if not MIN_RUNS <= len(runs) <= MAX_RUNS:
        raise ValueError(f"compare mode shows {MIN_RUNS} to {MAX_RUNS} runs; got {len(runs)}")
    controllers = None if controllers_factory is None else [controllers_factory() for _ in runs]
    return CompareWindow(runs, title=title, controllers=controllers, autoplay=autoplay)


def train_compare_offline(window: CompareWindow, steps: int) -> None:
    """Train every run ``steps`` steps in this process and feed the window (headless screenshots)."""
    for index, (_, config) in enumerate(window.runs):
        for update in offline_updates(config, steps):
            window.apply_updates(index, update)
