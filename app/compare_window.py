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

import functools
import html
import time
import types
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from PySide6 import QtCore, QtGui, QtWidgets

from app import engine_notice
from app.background import BackgroundPause
from app.compare_cadence import Cadence, engine_share
from app.export import copy_to_clipboard, render_png
from app.headless import offline_updates
from app.save_dialogs import SaveDialogs
from app.status import is_finite_snapshot, newest_finite, verdict
from app.transport import Transport
from app.view_deck import OVERLAY_FLOOR, column_gradients_min
from app.worker import TrainingController, Updates, stop_controllers
from model import ExperimentConfig, Snapshot
from model.history import History
from model.scenes import Scene
from views import theme
from views.activations_view import ActivationsView
from views.compare_gradients_view import MAX_RUNS, CompareGradientsView, run_colour, run_symbol
from views.gradients_view import GradientsView
from views.loss_view import LossView
from views.output_view import OutputView
from views.settle import quiet_axes, settle

APP_TITLE = "Backprop Lab"
MIN_RUNS = 2
FRAME_MS = 16
#: Loss curves and decision regions change slowly: redrawn at most this often (s), each
#: column at its own phase, so 3–4 columns do not all repaint their slow views in one frame.
SLOW_INTERVAL = 0.1
#: Share of the window's height given to the overlaid gradient plot.
OVERLAY_SHARE = 0.30
#: ... with four runs, shown as 2 × 2 panels that need more height
OVERLAY_SHARE_PANELS = 0.19
OVERLAY_MIN_HEIGHT = 200
#: Every controller is told to stop at once, then all are waited for within this budget.
SHUTDOWN_MS = 900
#: The run's marker in the overlay, as a character for its column header.
SYMBOL_CHARS = {"o": "●", "s": "■", "t": "▼", "d": "◆"}
#: More runs than this are shown as 2 × 2 panels rather than columns.
PANELS_FROM = 3
#: Fields named with their value in an automatic run label (text values speak for themselves).
SHORT_NAMES = {"learning_rate": "lr", "init_scale": "gain", "batch_size": "batch", "momentum": "momentum"}

CAPTION_PT = 16
HEADER_PT = 20
HEADER_MIN_PT = 14
VERDICT_PT = 13
STATS_PT = 15
GRADIENTS_MIN_HEIGHT = 320
#: the widest numbers the panel's stats line has to hold without moving the layout
STATS_WIDEST = (999_999, "0.0000", "100%")

translate = QtCore.QCoreApplication.translate


def _font(point_size: int, bold: bool = False) -> QtGui.QFont:
    font = QtGui.QFont()
    font.setPointSize(point_size)
    font.setBold(bold)
    return font


# -- describing runs ----------------------------------------------------------------------
def differing_fields(configs: Sequence[ExperimentConfig]) -> list[str]:
    """Names of the config fields whose values are not the same in every config (in field order)."""
    if not configs:
        return []
    dicts = [c.to_dict() for c in configs]
    return [name for name in dicts[0] if any(d[name] != dicts[0][name] for d in dicts[1:])]


def field_title(name: str) -> str:
    """A config field in words, in the current language (``learning_rate`` → "learning rate")."""
    titles = {
        "dataset": translate("CompareWindow", "dataset"),
        "n_samples": translate("CompareWindow", "n samples"),
        "noise": translate("CompareWindow", "noise"),
        "classes": translate("CompareWindow", "classes"),
        "test_fraction": translate("CompareWindow", "test fraction"),
        "depth": translate("CompareWindow", "depth"),
        "width": translate("CompareWindow", "width"),
        "activation": translate("CompareWindow", "activation"),
        "leaky_slope": translate("CompareWindow", "leaky slope"),
        "batch_norm": translate("CompareWindow", "batch norm"),
        "residual": translate("CompareWindow", "residual"),
        "init": translate("CompareWindow", "init"),
        "init_scale": translate("CompareWindow", "init scale"),
        "loss": translate("CompareWindow", "loss"),
        "optimizer": translate("CompareWindow", "optimizer"),
        "learning_rate": translate("CompareWindow", "learning rate"),
        "momentum": translate("CompareWindow", "momentum"),
        "nesterov": translate("CompareWindow", "nesterov"),
        "weight_decay": translate("CompareWindow", "weight decay"),
        "grad_clip_norm": translate("CompareWindow", "grad clip norm"),
        "grad_clip_value": translate("CompareWindow", "grad clip value"),
        "batch_size": translate("CompareWindow", "batch size"),
        "pretrain_epochs": translate("CompareWindow", "pretrain epochs"),
        "seed": translate("CompareWindow", "seed"),
    }
    return titles.get(name, name.replace("_", " "))


def _join(parts: Sequence[str]) -> str:
    return translate("CompareWindow", ", ", "separator between the items of a list").join(parts)


def describe(config: ExperimentConfig, fields: Sequence[str]) -> str:
    """A short label from the values of ``fields``: ``"relu, he_normal"``, ``"lr=1.0"``."""
    parts = []
    for name in fields:
        value = getattr(config, name)
        if isinstance(value, str):
            parts.append(value)
        elif isinstance(value, bool) or value is None:
            without = translate("CompareWindow", "no {setting}").format(setting=field_title(name))
            parts.append(field_title(name) if value else without)
        else:
            parts.append(f"{SHORT_NAMES.get(name, name)}={value:g}")
    return _join(parts) or translate("CompareWindow", "baseline")


def auto_caption(configs: Sequence[ExperimentConfig]) -> str:
    """What the runs share and what sets them apart, for a comparison without a caption."""
    fields = differing_fields(configs)
    if not fields:
        return translate("CompareWindow", "The runs have identical settings.")
    first = configs[0]
    differs = _join([field_title(name) for name in fields])
    if "dataset" not in fields and "seed" not in fields:
        text = translate("CompareWindow", "Same {dataset} data and seed {seed}; the runs differ only in: {settings}.")
    elif "dataset" not in fields:
        text = translate("CompareWindow", "Same {dataset} data; the runs differ only in: {settings}.")
    elif "seed" not in fields:
        text = translate("CompareWindow", "Same seed {seed}; the runs differ only in: {settings}.")
    else:
        text = translate("CompareWindow", "The runs differ in: {settings}.")
    return text.format(dataset=first.dataset, seed=first.seed, settings=differs)


def variant_runs(
    base: ExperimentConfig,
    variants: Sequence[Mapping[str, Any]],
    labels: Sequence[str] | None = None,
    *,
    include_base: bool = True,
) -> list[tuple[str, ExperimentConfig]]:
    """``base`` and ``base.replace(**changes)`` for each variant, labelled by what differs.

    Data and seed stay the base's unless a variant changes them.  Raises ConfigError for an
    invalid variant (the message names the field).
    """
    configs = [base] if include_base else []
    configs += [base.replace(**dict(changes)) for changes in variants]
    if labels is not None:
        if len(labels) != len(configs):
            raise ValueError(f"{len(labels)} labels for {len(configs)} runs")
        return list(zip(labels, configs, strict=True))
    fields = differing_fields(configs)
    names = []
    for config in configs:
        # a variant is named by what it changes; the base by its values of those fields
        changed = [name for name in fields if getattr(config, name) != getattr(base, name)]
        names.append(describe(config, changed or fields))
    if include_base:
        names[0] = translate("CompareWindow", "current: {settings}").format(settings=describe(base, fields))
    return list(zip(names, configs, strict=True))


# -- one run's column ---------------------------------------------------------------------
# What a column's verdict line says, as functions giving (text, kind) in the current
# language: the column keeps the last one and calls it again when the language changes.
def _building() -> tuple[str, str]:
    return translate("RunColumn", "Building the network…"), "info"


def _error(message: str) -> tuple[str, str]:
    return translate("RunColumn", "Error: {message}").format(message=message), "error"


def _pretraining(layer: int, layers: int) -> tuple[str, str]:
    text = translate("RunColumn", "PRE-TRAINING layer {layer} of {layers} (autoencoder)")
    return text.format(layer=layer, layers=layers), "info"


def _engine_trouble(text: Callable[[str], str], detail: str) -> tuple[str, str]:
    return text(detail), "error"


def _snapshot_verdict(snap: Snapshot) -> tuple[str, str]:
    v = verdict(snap)
    return v.text, v.kind


class FitLabel(QtWidgets.QLabel):
    """One line of plain text in the biggest font (``max_pt`` … ``min_pt``) that fits its
    width, elided below that (the full text is the tooltip).  Refitted on resize only."""

    def __init__(self, text: str, max_pt: int, min_pt: int, *, bold: bool = True) -> None:
        super().__init__()
        self.full_text = text
        self._sizes = range(max_pt, min_pt - 1, -1)
        self.setFont(_font(max_pt, bold))
        self.setToolTip(text)
        self.setSizePolicy(QtWidgets.QSizePolicy.Policy.Ignored, QtWidgets.QSizePolicy.Policy.Fixed)
        self.setFixedHeight(QtGui.QFontMetrics(self.font()).lineSpacing() + 6)
        self.setText(text)

    def resizeEvent(self, event: QtGui.QResizeEvent) -> None:
        self._fit(event.size().width())
        super().resizeEvent(event)

    def _fit(self, width: int) -> None:
        room = width - 12  # the padding
        font = QtGui.QFont(self.font())
        for size in self._sizes:
            font.setPointSize(size)
            if QtGui.QFontMetrics(font).horizontalAdvance(self.full_text) <= room:
                break
        text = QtGui.QFontMetrics(font).elidedText(self.full_text, QtCore.Qt.TextElideMode.ElideRight, room)
        if font.pointSize() != self.font().pointSize():
            self.setFont(font)
        if text != self.text():
            self.setText(text)


class RunColumn(QtWidgets.QFrame):
    """One run: its label, verdict, step counter and numbers, and its own views."""

    def __init__(self, index: int, label: str, config: ExperimentConfig, *, panel: bool = False) -> None:
        super().__init__()
        t = theme.current()
        self.index = index
        self.label = label
        self.config = config
        self.panel = panel
        self.colour = run_colour(index)
        self.history = History(config.depth + 1)
        self.latest: Snapshot | None = None
        self.last_finite: Snapshot | None = None
        self.dataset: Any = None
        self.diverged = False
        #: the verdict while the run's engine is dead or hung (else None)
        self.trouble: Callable[[], tuple[str, str]] | None = None
        self.dirty = False
        #: a snapshot arrived that the overlay has not drawn yet
        self.fresh = False
        self._output_drawn: Snapshot | None = None
        #: newest snapshot with an output sample (only detail steps have one)
        self.output_snapshot: Snapshot | None = None
        self.slow_dirty = False
        self._slow_due = 0.0
        #: between step and loss, and between loss and accuracy
        self._separators = (" · ", " · ") if panel else ("   ·   ", "   ·   ")
        self.setObjectName(f"run{index}")
        self.setStyleSheet(f"QFrame#run{index} {{ border-top: 8px solid {self.colour}; }}")
        expanding, fixed = QtWidgets.QSizePolicy.Policy.Ignored, QtWidgets.QSizePolicy.Policy.Fixed

        mark = SYMBOL_CHARS.get(run_symbol(index), "●")
        self.mark = QtWidgets.QLabel(mark)
        self.mark.setFont(_font(HEADER_PT, bold=True))
        self.mark.setStyleSheet(f"color: {self.colour}; padding: 0px 0px 0px 4px;")
        self.header = FitLabel(label, HEADER_PT, HEADER_MIN_PT)
        self.header.setObjectName("run_label")
        self.header.setStyleSheet(f"color: {t.foreground}; padding: 0px 4px;")
        title = QtWidgets.QHBoxLayout()
        title.setSpacing(0)
        title.addWidget(self.mark)
        title.addWidget(self.header, 1)

        self.verdict_label = QtWidgets.QLabel("")
        self.verdict_label.setObjectName("verdict")
        self.verdict_label.setFont(_font(VERDICT_PT, bold=True))
        self.verdict_label.setWordWrap(True)
        # a fixed number of lines: a verdict that wraps differently must not shift the plots
        line = QtGui.QFontMetrics(self.verdict_label.font()).lineSpacing()
        self.verdict_label.setFixedHeight((1 if panel else 2) * line + 8)
        self.verdict_label.setSizePolicy(expanding, fixed)
        self._verdict_kind = ""
        self._verdict_source: Callable[[], tuple[str, str]] = _building

        self.stats_label = QtWidgets.QLabel()
        self.stats_label.setObjectName("stats")
        self.stats_label.setFont(_font(STATS_PT))
        metrics = QtGui.QFontMetrics(self.stats_label.font())
        self.stats_label.setFixedHeight(metrics.lineSpacing() + 6)
        if panel:
            self._fit_stats_width()
            self.stats_label.setAlignment(QtCore.Qt.AlignmentFlag.AlignRight | QtCore.Qt.AlignmentFlag.AlignVCenter)
        else:
            self.stats_label.setSizePolicy(expanding, fixed)
        self.stats_label.setStyleSheet(f"color: {t.foreground}; padding: 0px 4px;")

        self.views: dict[str, QtWidgets.QWidget] = {
            "gradients": GradientsView(),
            "loss": LossView(),
            "output": OutputView(),
            "activations": ActivationsView(),
        }
        for view in self.views.values():
            view.setMinimumSize(120, 120)
            quiet_axes(view)
        # below this the gradients view drops its heat map (and leaves the space empty)
        self.views["gradients"].setMinimumHeight(column_gradients_min(GRADIENTS_MIN_HEIGHT))

        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 0)
        layout.setSpacing(2)
        if panel:
            # a wide, short panel (four runs as 2 × 2): label and numbers on one line, the
            # verdict (one line at this width) below, the views side by side
            top = QtWidgets.QHBoxLayout()
            top.setSpacing(8)
            top.addLayout(title, 1)
            top.addWidget(self.stats_label)
            layout.addLayout(top)
            layout.addWidget(self.verdict_label)
            row = QtWidgets.QHBoxLayout()
            row.setSpacing(4)
            row.addWidget(self.views["gradients"], 40)
            row.addWidget(self.views["loss"], 34)
            row.addWidget(self.views["output"], 26)
            row.addWidget(self.views["activations"], 26)
            layout.addLayout(row, 1)
        else:
            # a column: the texts, the gradients (tall enough for its heat map), loss | output
            layout.addLayout(title)
            layout.addWidget(self.verdict_label)
            layout.addWidget(self.stats_label)
            layout.addWidget(self.views["gradients"], 3)
            row = QtWidgets.QHBoxLayout()
            row.setSpacing(4)
            row.addWidget(self.views["loss"], 11)
            row.addWidget(self.views["output"], 9)
            row.addWidget(self.views["activations"], 9)
            layout.addLayout(row, 2)
        #: "output" or "activations": the one of the two that shares its place with the other
        self.detail_view = "output"
        self.views["activations"].hide()
        self.start()

    # -- lifecycle of a run ---------------------------------------------------------------
    def start(self) -> None:
        """Forget the run: a fresh network (same config, same seed) is on its way."""
        self.history = History(self.config.depth + 1)
        self.latest = None
        self.diverged = False
        self.dirty = self.fresh = False
        self.output_snapshot = self._output_drawn = None
        self.slow_dirty = False
        self.trouble = None
        for view in self.views.values():
            view.clear()  # type: ignore[attr-defined]
        self.views["gradients"].set_experiment(self.config)  # type: ignore[attr-defined]
        self._say(_building)
        self._show_stats(None)

    def apply_updates(self, updates: Updates) -> None:
        """Take what the run's worker produced; ``dirty`` says whether there is more to draw."""
        if updates.ready is not None:
            self._on_ready(updates.ready)
        for kind, text in updates.messages:
            if kind == "paused" and text.startswith("diverged"):
                self.diverged = True
            elif kind == "error":
                self._say(functools.partial(_error, text))
            elif kind == "died":
                self.trouble = functools.partial(_engine_trouble, engine_notice.run_died, text)
                self._say(self.trouble)
            elif kind == "hung":
                self.trouble = functools.partial(_engine_trouble, engine_notice.run_hung, text)
                self._say(self.trouble)
            elif kind == "responding":
                self.trouble = None
                self.dirty = True  # the next draw says the verdict again
        for snap in updates.snapshots:
            if snap.step > 0:
                self.history.append(snap)
            if snap.output is not None and is_finite_snapshot(snap):
                self.output_snapshot = snap
        if updates.snapshots:
            self.latest = updates.snapshots[-1]
            self.last_finite = newest_finite(updates.snapshots) or self.last_finite
            self.dirty = self.slow_dirty = self.fresh = True

    def _on_ready(self, info: dict[str, Any]) -> None:
        self.dataset = types.SimpleNamespace(**info["dataset"])
        self.history = History(len(info["layer_sizes"]) - 1)
        self.latest = None
        self.last_finite = None
        self.output_snapshot = None
        self.diverged = False
        for name in ("gradients", "loss", "output"):
            self.views[name].set_experiment(self.config, self.dataset)  # type: ignore[attr-defined]
        self.views["activations"].set_experiment(self.config)  # type: ignore[attr-defined]

    def draw(self, now: float | None = None) -> bool:
        """Draw what arrived since the last draw; True when the newest snapshot was drawn.

        ``now`` (time.monotonic()) lets the slow views wait for their turn; ``None`` draws
        everything at once (offline feeding, screenshots).  The live window draws through
        ``draw_fast`` and ``draw_slow`` on its cadence (app/compare_cadence.py).
        """
        if self.latest is None:
            self.dirty = self.slow_dirty = False
            return False
        if now is None or self.slow_due(now):
            self.draw_slow(now)
        return self.draw_fast()

    def slow_due(self, now: float) -> bool:
        """True when the loss and output views have something new and their time has come."""
        return self.slow_dirty and self.latest is not None and now >= self._slow_due

    def draw_slow(self, now: float | None) -> None:
        """The loss and output views (a diverged step is told by the verdict; the views keep
        the last finite state)."""
        self.slow_dirty = False
        shown = self.shown
        if shown is None:
            return
        self.views["loss"].show_snapshot(shown, self.history)  # type: ignore[attr-defined]
        settle(self.views["loss"])
        if self.detail_view == "activations":
            self.views["activations"].show_snapshot(shown, self.history)  # type: ignore[attr-defined]
            settle(self.views["activations"])
        elif self.output_snapshot is not None and self.output_snapshot is not self._output_drawn:
            # the decision regions are computed from the sample: only a new one is drawn
            self._output_drawn = self.output_snapshot
            self.views["output"].show_snapshot(self.output_snapshot, self.history)  # type: ignore[attr-defined]
            settle(self.views["output"])
        if now is not None:
            self._slow_due = max(self._slow_due + SLOW_INTERVAL, now)

    def show_detail_view(self, name: str) -> None:
        """Show the ``"output"`` or the ``"activations"`` view in their shared place."""
        if name not in ("output", "activations"):
            raise ValueError(f"a column shows the output or the activations view, not {name!r}")
        self.detail_view = name
        self.views["output"].setVisible(name == "output")
        self.views["activations"].setVisible(name == "activations")
        self.forget_drawn_output()
        self.slow_dirty = self.latest is not None

    def forget_drawn_output(self) -> None:
        """The next slow draw draws the output view again (after a past step was shown)."""
        self._output_drawn = None

    def show_past(self, snap: Snapshot, history: Any) -> None:
        """Draw a recorded step (the timeline) in every view, with its numbers."""
        for name in ("gradients", "loss", "activations"):
            self.views[name].show_snapshot(snap, history)  # type: ignore[attr-defined]
        if snap.output is not None:
            self.views["output"].show_snapshot(snap, history)  # type: ignore[attr-defined]
            self._output_drawn = None
        for view in self.views.values():
            settle(view)
        self._show_stats(snap)
        self._say(functools.partial(_snapshot_verdict, snap))

    def draw_fast(self) -> bool:
        """The gradient view, the numbers and the verdict; True when there was something new."""
        snap = self.latest
        if not self.dirty or snap is None:
            self.dirty = False
            return False
        self.dirty = False
        self.views["gradients"].show_snapshot(self.shown, self.history)  # type: ignore[attr-defined]
        settle(self.views["gradients"])
        self._show_stats(snap)
        if snap.diverged:
            self.diverged = True
        if self.trouble is not None:
            self._say(self.trouble)  # a dead or hung engine outranks the verdict
        elif snap.phase == "pretrain" and snap.pretrain_layer is not None:
            self._say(functools.partial(_pretraining, snap.pretrain_layer + 1, snap.n_layers - 1))
        else:
            self._say(functools.partial(_snapshot_verdict, snap))
        return True

    # -- texts ----------------------------------------------------------------------------
    def _stats_text(self, step: int, loss: str, accuracy: str) -> str:
        first, second = self._separators
        text = translate("RunColumn", "step {step}").format(step=f"{step:,}")
        text += first + translate("RunColumn", "loss {loss}").format(loss=loss)
        if accuracy:
            text += second + translate("RunColumn", "test acc {accuracy}").format(accuracy=accuracy)
        return text

    def _show_stats(self, snap: Snapshot | None) -> None:
        if snap is None:
            text = translate("RunColumn", "step {step}").format(step=0)
        else:
            text = self._stats_text(snap.step, f"{snap.loss:.3g}", self._accuracy_text(snap))
        self.stats_label.setText(text)

    def _fit_stats_width(self) -> None:
        """A panel's stats line is wide enough for any step count and loss: the text changes
        every frame, the layout must not."""
        metrics = QtGui.QFontMetrics(self.stats_label.font())
        self.stats_label.setFixedWidth(metrics.horizontalAdvance(self._stats_text(*STATS_WIDEST)) + 16)

    def _say(self, source: Callable[[], tuple[str, str]]) -> None:
        """Show the verdict ``source`` gives and keep it, to say it again in another language."""
        self._verdict_source = source
        self.set_verdict(*source())

    def changeEvent(self, event: QtCore.QEvent) -> None:
        if event.type() == QtCore.QEvent.Type.LanguageChange:
            self._say(self._verdict_source)
            self._show_stats(self.latest)
            if self.panel:
                self._fit_stats_width()
        super().changeEvent(event)

    @property
    def shown(self) -> Snapshot | None:
        """The snapshot the views draw: the newest, or the last finite one after divergence."""
        return self.last_finite or self.latest  # last_finite is the newest when it is finite

    def stagger(self, now: float, phase: float) -> None:
        """Start the slow views' clock at ``phase`` × SLOW_INTERVAL after ``now``."""
        self._slow_due = now + phase * SLOW_INTERVAL

    def _accuracy_text(self, snap: Snapshot) -> str:
        """Test accuracy is measured on detail steps only: else the newest measurement."""
        if snap.test_accuracy is not None:
            return f"{snap.test_accuracy:.0%}"
        if self.config.is_regression or len(self.history) == 0:
            return ""
        acc = self.history.scalar("test_accuracy")
        seen = acc[~np.isnan(acc)]
        return f"{seen[-1]:.0%}" if seen.size else ""

    def set_verdict(self, text: str, kind: str) -> None:
        if self.verdict_label.text() != text:
            self.verdict_label.setText(text)
        if kind != self._verdict_kind:
            # restyling costs a full polish: only when the verdict's kind changes
            self._verdict_kind = kind
            if kind == "diverged":
                bg, fg = theme.current().banner("diverged")
                style = f"background: {bg}; color: {fg}; border-radius: 6px; padding: 2px 6px;"
            else:
                style = f"color: {_verdict_colour(kind)}; padding: 2px 4px;"
            self.verdict_label.setStyleSheet(style)
            self.verdict_label.setProperty("kind", kind)

    @property
    def verdict_kind(self) -> str:
        return self._verdict_kind


# -- the window -----------------------------------------------------------------------------
class CompareWindow(SaveDialogs, QtWidgets.QMainWindow):
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
        self._bind_shortcuts()
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
        t = theme.current()
        central = QtWidgets.QWidget()
        outer = QtWidgets.QVBoxLayout(central)
        outer.setContentsMargins(8, 4, 8, 4)
        outer.setSpacing(4)

        self.caption = QtWidgets.QLabel()
        self.caption.setObjectName("caption")
        self.caption.setTextFormat(QtCore.Qt.TextFormat.RichText)
        self.caption.setWordWrap(True)
        self.caption.setFont(_font(CAPTION_PT))
        self.caption.setStyleSheet(f"color: {t.foreground}; padding: 2px 4px;")
        self.caption.setSizePolicy(QtWidgets.QSizePolicy.Policy.Ignored, QtWidgets.QSizePolicy.Policy.Preferred)
        outer.addWidget(self.caption)

        self.overlay.setMinimumHeight(min(OVERLAY_MIN_HEIGHT, OVERLAY_FLOOR))
        outer.addWidget(self.overlay)

        # all runs side by side (2 × 2 panels for four) when they fit, else pages with tabs
        from app.view_deck import RunDeck

        per_row = 2 if self.panels else len(self.columns)
        self.run_deck = RunDeck(self.columns, per_row, lambda i: self.runs[i][0])
        outer.addWidget(self.run_deck, 1)
        self.setCentralWidget(central)

        self.transport = Transport(
            self,
            on_play=self.toggle_play,
            on_step=self.step_once,
            on_reset=self.reset,
            on_speed=self._on_speed,
            on_restart=self.restart_engines,
        )
        bar = self.transport.bar
        self.play_action = self.transport.play_action
        self.speed_combo = self.transport.speed_combo
        self.close_action = QtGui.QAction(self)
        self.close_action.triggered.connect(self.close)
        self.save_action = QtGui.QAction(self)
        self.save_action.setObjectName("save_picture")
        self.save_action.triggered.connect(self.export_png_dialog)
        self.copy_action = QtGui.QAction(self)
        self.copy_action.setObjectName("copy_picture")
        self.copy_action.triggered.connect(self.copy_picture)
        self.message = QtWidgets.QLabel("")
        self.message.setObjectName("message")
        self.message.setFont(_font(14))
        bar.addWidget(self.message)
        spacer = QtWidgets.QWidget()
        spacer.setSizePolicy(QtWidgets.QSizePolicy.Policy.Expanding, QtWidgets.QSizePolicy.Policy.Preferred)
        bar.addWidget(spacer)
        bar.addAction(self.save_action)
        bar.addAction(self.copy_action)
        bar.addAction(self.close_action)
        for button in bar.findChildren(QtWidgets.QToolButton):
            button.setFocusPolicy(QtCore.Qt.FocusPolicy.NoFocus)
        self.addToolBar(QtCore.Qt.ToolBarArea.TopToolBarArea, bar)
        from app.compare_file_menu import CompareFileMenu

        self.file_menu = CompareFileMenu(self)
        from app.compare_timeline import CompareTimeline

        self.timeline = CompareTimeline(self)
        outer.addWidget(self.timeline.bar)

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
        self.close_action.setText(translate("CompareWindow", "✕ Close (Esc)"))
        self.save_action.setText(translate("CompareWindow", "Save picture… (Ctrl+E)"))
        self.copy_action.setText(translate("CompareWindow", "Copy (Ctrl+Shift+C)"))
        self.file_menu.retranslate()
        if self._message is not None:
            self._show_message(*self._message)

    def changeEvent(self, event: QtCore.QEvent) -> None:
        if event.type() == QtCore.QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _bind_shortcuts(self) -> None:
        """Space, S / →, R, Escape and Ctrl+Q, handled as keys rather than QShortcuts.

        The main window binds the same keys as application-wide shortcuts; two shortcuts on
        one key are ambiguous and Qt fires neither.  Claiming the keys in ShortcutOverride
        keeps them for this window whenever it is active.
        """
        key = QtCore.Qt.Key
        none, ctrl = QtCore.Qt.KeyboardModifier.NoModifier, QtCore.Qt.KeyboardModifier.ControlModifier
        # (key, modifiers) → (command, repeats while the key is held)
        self._keys: dict[tuple[QtCore.Qt.Key, QtCore.Qt.KeyboardModifier], tuple[Callable[[], Any], bool]] = {
            (key.Key_Space, none): (self.toggle_play, False),
            (key.Key_S, none): (self.step_once, True),
            (key.Key_Right, none): (self.step_once, True),
            (key.Key_R, none): (self.reset, False),
            (key.Key_Escape, none): (self.close, False),
            (key.Key_Q, ctrl): (self.close, False),
            (key.Key_E, ctrl): (self.export_png_dialog, False),
            (key.Key_C, ctrl | QtCore.Qt.KeyboardModifier.ShiftModifier): (self.copy_picture, False),
        }

    def _command_for(self, event: QtGui.QKeyEvent) -> tuple[Callable[[], Any], bool] | None:
        modifiers = event.modifiers() & ~QtCore.Qt.KeyboardModifier.KeypadModifier
        keys = getattr(self, "_keys", {})  # events can arrive while __init__ is still running
        return keys.get((QtCore.Qt.Key(event.key()), modifiers))

    def event(self, event: QtCore.QEvent) -> bool:
        if event.type() == QtCore.QEvent.Type.ShortcutOverride:
            assert isinstance(event, QtGui.QKeyEvent)
            if self._command_for(event) is not None:
                event.accept()
                return True
        return super().event(event)

    def keyPressEvent(self, event: QtGui.QKeyEvent) -> None:
        command = self._command_for(event)
        if command is None:
            super().keyPressEvent(event)
            return
        event.accept()
        slot, repeats = command
        if repeats or not event.isAutoRepeat():
            slot()

    def resizeEvent(self, event: QtGui.QResizeEvent) -> None:
        # A fixed share, not layout stretch: the columns' size hints would win otherwise.
        # A caption longer than two lines takes its extra lines from the overlay, not from
        # the runs' views (the gradients view would drop its heat map).
        share = OVERLAY_SHARE_PANELS if self.panels else OVERLAY_SHARE
        caption = self.caption.heightForWidth(event.size().width() - 16)
        two_lines = 2 * QtGui.QFontMetrics(self.caption.font()).lineSpacing() + 4
        extra = max(0, caption - two_lines)
        height = max(OVERLAY_MIN_HEIGHT, round(share * event.size().height()) - extra)
        # on a short screen the overlay gives way before the window grows off it
        from app.view_deck import overlay_room

        height = min(height, overlay_room(self, self.overlay, event.size().height()))
        if self.overlay.height() != height:
            self.overlay.setFixedHeight(height)
        super().resizeEvent(event)

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
    def toggle_play(self) -> None:
        if self.playing:
            self.pause()
        else:
            self.play()

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

    def set_speed(self, steps_per_second: float | None) -> None:
        """Train every run at ``steps_per_second`` (None: as fast as possible)."""
        self.transport.set_speed(steps_per_second)

    def show_detail_view(self, name: str) -> None:
        """Every run shows its ``"output"`` or its ``"activations"`` view beside its loss."""
        for column in self.columns:
            column.show_detail_view(name)
        self.file_menu.show_detail_view(name)
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


def _verdict_colour(kind: str) -> str:
    """Text colour of a verdict ``kind`` on the window background (the theme's banner text)."""
    t = theme.current()
    return t.banner(kind if kind in theme.BANNER_KINDS else "info")[1]
