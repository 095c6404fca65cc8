"""One run of a comparison: its column (or, with four runs, its panel) of texts and views.

A column keeps its run's History and newest snapshots, and draws them when the window's
cadence (app/compare_cadence.py) gives it a turn: the gradient view, numbers and verdict on
the fast turn, the loss and output (or activations) views on its slow clock.  Its texts live
in :class:`app.run_texts.RunTexts`.
"""

from __future__ import annotations

import functools
import types
from collections.abc import Callable
from typing import Any

from PySide6 import QtCore, QtGui, QtWidgets

from app import engine_notice
from app.run_texts import (
    HEADER_MIN_PT,
    HEADER_PT,
    RunTexts,
    _building,
    _engine_trouble,
    _error,
    _font,
    _font_at,
    _pretraining,
    _snapshot_verdict,
)
from app.status import is_finite_snapshot, newest_finite
from app.worker import Updates
from model import ExperimentConfig, Snapshot
from model.history import History
from views import theme
from views.activations_view import ActivationsView
from views.compare_gradients_view import run_colour, run_symbol
from views.gradients_view import GradientsView
from views.loss_view import LossView
from views.output_view import OutputView
from views.settle import quiet_axes, settle

#: Loss curves and decision regions change slowly: redrawn at most this often (s), each
#: column at its own phase, so 3–4 columns do not all repaint their slow views in one frame.
SLOW_INTERVAL = 0.1
#: The run's marker in the overlay, as a character for its column header.
SYMBOL_CHARS = {"o": "●", "s": "■", "t": "▼", "d": "◆"}
GRADIENTS_MIN_HEIGHT = 320
#: pixels between a column's views
VIEW_SPACING = 4


class FitLabel(QtWidgets.QLabel):
    """One line of plain text in the biggest font (``max_pt`` … ``min_pt``, sizes at scale 1,
    set at the type scale) that fits its width, elided below that (the full text is the
    tooltip).  Refitted on resize only."""

    def __init__(self, text: str, max_pt: int, min_pt: int, *, bold: bool = True) -> None:
        super().__init__()
        self.full_text = text
        self._sizes = range(theme.pt(max_pt), theme.pt(min_pt) - 1, -1)
        self.setFont(_font(max_pt, bold))
        self.setToolTip(text)
        self.setSizePolicy(QtWidgets.QSizePolicy.Policy.Ignored, QtWidgets.QSizePolicy.Policy.Fixed)
        self.setFixedHeight(QtGui.QFontMetrics(self.font()).lineSpacing() + 6)
        self.setText(text)

    def set_sizes(self, max_pt: int, min_pt: int) -> None:
        """New largest and smallest point sizes (as they are: no scale)."""
        sizes = range(max_pt, min_pt - 1, -1)
        if sizes == self._sizes:
            return
        self._sizes = sizes
        self.setFont(_font_at(max_pt, True))
        self.setFixedHeight(QtGui.QFontMetrics(self.font()).lineSpacing() + 6)
        if self.width() > 0:
            self._fit(self.width())

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


#: the views of each part of a column ("detail": the output or the activations view)
PARTS = {"all": ("gradients", "loss", "detail"), "gradients": ("gradients",), "plots": ("loss", "detail")}


def shape_cells(part: str, shape: str) -> dict[str, tuple[int, int, int, int]]:
    """The grid cells (row, column, row span, column span) of ``part``'s views in ``shape``."""
    names = PARTS[part]
    if shape == "row":
        return {name: (0, c, 1, 1) for c, name in enumerate(names)}
    if shape == "tall":
        return {name: (r, 0, 1, 1) for r, name in enumerate(names)}
    # column: the gradients across the top, loss | detail below
    if part == "plots":
        return {"loss": (0, 0, 1, 1), "detail": (0, 1, 1, 1)}
    if part == "gradients":
        return {"gradients": (0, 0, 1, 1)}
    return {"gradients": (0, 0, 1, 2), "loss": (1, 0, 1, 1), "detail": (1, 1, 1, 1)}


class RunColumn(RunTexts, QtWidgets.QFrame):
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
        self.setObjectName(f"run{index}")
        self.setStyleSheet(f"QFrame#run{index} {{ border-top: 8px solid {self.colour}; }}")

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

        self._build_texts(panel)

        self.views: dict[str, QtWidgets.QWidget] = {
            "gradients": GradientsView(),
            "loss": LossView(),
            "output": OutputView(),
            "activations": ActivationsView(),
        }
        for view in self.views.values():
            quiet_axes(view)

        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 0)
        layout.setSpacing(2)
        #: label, numbers and verdict (set_texts: one line each, or compact)
        self.top = QtWidgets.QHBoxLayout()
        self.top.setSpacing(8)
        self.top.addLayout(title, 1)
        self.texts = QtWidgets.QVBoxLayout()
        self.texts.setSpacing(layout.spacing())
        self.texts.addLayout(self.top)
        self.texts.addWidget(self.verdict_label)
        layout.addLayout(self.texts)
        self.compact: bool | None = None
        # a wide, short panel (four runs as 2 × 2): label and numbers on one line, the
        # verdict (one line at this width) below
        self.set_texts(compact=panel)
        #: the views, in the grid of the column's shape (set_shape)
        self.body = QtWidgets.QGridLayout()
        self.body.setContentsMargins(0, 0, 0, 0)
        self.body.setSpacing(VIEW_SPACING)
        layout.addLayout(self.body, 1)
        self.part = "all"
        self.shape = ""
        #: "output" or "activations": the one of the two that shares its place with the other
        self.detail_view = "output"
        self.set_shape("all", "row" if panel else "column")
        self.start()

    def resizeEvent(self, event: QtGui.QResizeEvent) -> None:
        # the numbers break before the test accuracy when one line does not fit
        if not self.compact:
            self.set_stats_lines(self.stats_lines_for(event.size().width() - self._side_margins()))
        super().resizeEvent(event)

    def set_shape(self, part: str, shape: str, compact: bool | None = None) -> None:
        """Show the views of ``part`` ("all", "gradients" or "plots": loss and detail) in
        ``shape``: "row" (side by side), "column" (gradients above loss | detail) or "tall"
        (one above the other); the texts above them ``compact`` or not (None: as they are)."""
        if compact is not None:
            self.set_texts(compact)
        if (part, shape) == (self.part, self.shape):
            return
        self.part, self.shape = part, shape
        for view in self.views.values():
            self.body.removeWidget(view)
        for i in range(4):
            self.body.setRowStretch(i, 0)
            self.body.setColumnStretch(i, 0)
        cells = shape_cells(part, shape)
        for name in ("gradients", "loss", "output", "activations"):
            place = cells.get("detail" if name in ("output", "activations") else name)
            view = self.views[name]
            if place is None:
                view.hide()
                continue
            self.body.addWidget(view, *place)
            view.setVisible(name not in ("output", "activations") or name == self.detail_view)
        # the room beyond the views' needs goes mostly to the gradients (its heat map)
        rows = sorted({place[0] for place in cells.values()})
        cols = {place[1] for place in cells.values()}
        for r in rows:
            self.body.setRowStretch(r, 3 if "gradients" in cells and cells["gradients"][0] == r else 2)
        widths = {"gradients": 40, "loss": 34, "detail": 26} if shape == "row" else {"loss": 11, "detail": 9}
        for name, place in cells.items():
            if place[3] == 1 and len(cols) > 1:
                self.body.setColumnStretch(place[1], widths.get(name, 1))

    def set_view_minimums(self, needs: dict[str, tuple[int, int]]) -> None:
        """The smallest size of each view (name → (width, height))."""
        for name, view in self.views.items():
            view.setMinimumSize(*needs[name])

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
        shown = self.part != "gradients"
        self.views["output"].setVisible(shown and name == "output")
        self.views["activations"].setVisible(shown and name == "activations")
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

    def changeEvent(self, event: QtCore.QEvent) -> None:
        if event.type() == QtCore.QEvent.Type.LanguageChange:
            self._say(self._verdict_source)
            self._show_stats(self.latest)
            if self.compact:
                self._fit_stats_width()
        super().changeEvent(event)

    @property
    def shown(self) -> Snapshot | None:
        """The snapshot the views draw: the newest, or the last finite one after divergence."""
        return self.last_finite or self.latest  # last_finite is the newest when it is finite

    def stagger(self, now: float, phase: float) -> None:
        """Start the slow views' clock at ``phase`` × SLOW_INTERVAL after ``now``."""
        self._slow_due = now + phase * SLOW_INTERVAL
