"""What a compare column says: its verdict line and its numbers (step, loss, test accuracy).

The verdict is kept as a function giving (text, kind) in the current language, so the column
can say it again when the language changes (context "RunColumn").  :class:`RunTexts` is the
part of :class:`app.run_column.RunColumn` that builds and sets these two labels.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from PySide6 import QtCore, QtGui, QtWidgets

from app.layout_fit import elide_lines
from app.status import verdict
from model import Snapshot
from model.history import History
from views import theme

VERDICT_PT = 13
STATS_PT = 15
#: the widest numbers the panel's stats line has to hold without moving the layout
STATS_WIDEST = (999_999, "0.0000", "100%")

translate = QtCore.QCoreApplication.translate


def _font(point_size: int, bold: bool = False) -> QtGui.QFont:
    font = QtGui.QFont()
    font.setPointSize(point_size)
    font.setBold(bold)
    return font


def verdict_colour(kind: str) -> str:
    """Text colour of a verdict ``kind`` on the window background (the theme's banner text)."""
    t = theme.current()
    return t.banner(kind if kind in theme.BANNER_KINDS else "info")[1]


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


class VerdictLabel(QtWidgets.QLabel):
    """A word-wrapped verdict in a fixed number of lines, so that a verdict that wraps
    differently never moves the plots below; a longer one is elided, with the full text as
    the tooltip.  ``text()`` is the full text, ``shown_text()`` what is drawn."""

    def __init__(self) -> None:
        super().__init__()
        self.full_text = ""
        self.lines = 2
        self.setWordWrap(True)

    def text(self) -> str:
        return self.full_text

    def shown_text(self) -> str:
        return QtWidgets.QLabel.text(self)

    def setText(self, text: str) -> None:
        self.full_text = text
        self._refit()

    def set_lines(self, lines: int) -> None:
        self.lines = lines
        self.setFixedHeight(lines * QtGui.QFontMetrics(self.font()).lineSpacing() + 8)
        self._refit()

    def resizeEvent(self, event: QtGui.QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self._refit()

    def _refit(self) -> None:
        text = self.full_text
        room = max(1, self.contentsRect().width() - 2 * self.margin())
        metrics = QtGui.QFontMetrics(self.font())
        shown = text
        # one line always fits: only a text wider than the label is measured wrapped
        if text and self.width() > 0 and metrics.horizontalAdvance(text) > room:
            need = metrics.boundingRect(QtCore.QRect(0, 0, room, 10**6), QtCore.Qt.TextFlag.TextWordWrap, text)
        else:
            need = QtCore.QRect()
        if need.height() > self.lines * metrics.lineSpacing():
            shown = elide_lines(text, metrics, room, self.lines)
        tip = text if shown != text else ""
        if tip != self.toolTip():
            self.setToolTip(tip)
        if shown != self.shown_text():
            QtWidgets.QLabel.setText(self, shown)


class RunTexts:
    """A column's verdict line and numbers line (a part of RunColumn, which sets ``config``,
    ``history``, ``latest`` and ``panel`` before calling :meth:`_build_texts`)."""

    config: Any
    history: History
    latest: Snapshot | None
    panel: bool
    #: the label's line (the numbers join it when compact) and the texts' column
    top: QtWidgets.QHBoxLayout
    texts: QtWidgets.QVBoxLayout
    compact: bool | None

    def _build_texts(self, panel: bool) -> None:
        t = theme.current()
        expanding, fixed = QtWidgets.QSizePolicy.Policy.Ignored, QtWidgets.QSizePolicy.Policy.Fixed
        #: between step and loss, and between loss and accuracy
        self._separators = (" · ", " · ") if panel else ("   ·   ", "   ·   ")
        self.verdict_label = VerdictLabel()
        self.verdict_label.setObjectName("verdict")
        self.verdict_label.setFont(_font(VERDICT_PT, bold=True))
        self.verdict_label.set_lines(1 if panel else 2)
        self.verdict_label.setSizePolicy(expanding, fixed)
        self._verdict_kind = ""
        self._verdict_source: Callable[[], tuple[str, str]] = _building

        self.stats_label = QtWidgets.QLabel()
        self.stats_label.setObjectName("stats")
        self.stats_label.setFont(_font(STATS_PT))
        metrics = QtGui.QFontMetrics(self.stats_label.font())
        self.stats_label.setFixedHeight(metrics.lineSpacing() + 6)
        self.stats_label.setSizePolicy(expanding, fixed)
        self.stats_label.setStyleSheet(f"color: {t.foreground}; padding: 0px 4px;")

    def set_texts(self, compact: bool) -> None:
        """Label, verdict and numbers one below the other (the verdict in two lines), or
        ``compact``: label and numbers on one line, the verdict in one line below."""
        if compact == self.compact:
            return
        self.compact = compact
        self.top.removeWidget(self.stats_label)
        self.texts.removeWidget(self.stats_label)
        if compact:
            self.top.addWidget(self.stats_label)
            fixed = QtWidgets.QSizePolicy.Policy.Fixed
            self.stats_label.setSizePolicy(fixed, fixed)  # (Ignored would overflow the row)
            self._fit_stats_width()
            self.stats_label.setAlignment(QtCore.Qt.AlignmentFlag.AlignRight | QtCore.Qt.AlignmentFlag.AlignVCenter)
        else:
            self.texts.addWidget(self.stats_label)
            self.stats_label.setMinimumWidth(0)
            self.stats_label.setMaximumWidth(16777215)
            ignored, fixed = QtWidgets.QSizePolicy.Policy.Ignored, QtWidgets.QSizePolicy.Policy.Fixed
            self.stats_label.setSizePolicy(ignored, fixed)
            self.stats_label.setAlignment(QtCore.Qt.AlignmentFlag.AlignLeft | QtCore.Qt.AlignmentFlag.AlignVCenter)
        self.verdict_label.set_lines(1 if compact else 2)

    def verdict_height(self, lines: int) -> int:
        """The verdict label's height for ``lines`` lines."""
        return lines * QtGui.QFontMetrics(self.verdict_label.font()).lineSpacing() + 8

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
                style = f"color: {verdict_colour(kind)}; padding: 2px 4px;"
            self.verdict_label.setStyleSheet(style)
            self.verdict_label.setProperty("kind", kind)

    @property
    def verdict_kind(self) -> str:
        return self._verdict_kind
