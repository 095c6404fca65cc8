"""What a compare column says: its verdict line and its numbers (step, loss, test accuracy).

Every text is set at the type scale (``views.theme.pt``): the point sizes below are those at
scale 1.  The numbers line breaks before the test accuracy when the column is too narrow for
it on one line (at large scales): :meth:`RunTexts.stats_lines_for` says how many lines a width
needs, so the compare deck can measure a column's texts before laying it out.  Where a screen
has no room for the texts at these sizes, the deck sets them smaller (:func:`text_pt`'s levels).

The verdict is kept as a function giving (text, kind) in the current language, so the column
can say it again when the language changes (context "RunColumn").  :class:`RunTexts` is the
part of :class:`app.run_column.RunColumn` that builds and sets these two labels.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

import numpy as np
from PySide6 import QtCore, QtGui, QtWidgets

from app.layout_fit import elide_lines
from app.status import verdict
from model import Snapshot
from model.history import History
from views import theme

HEADER_PT = 20
HEADER_MIN_PT = 14
VERDICT_PT = 13
STATS_PT = 15
#: every text's size at scale 1 on a screen too small for the sizes above: the controls' size
#: (app.look.BASE_POINT_SIZE), still grown with the type scale
SMALL_PT = 12
#: the texts' sizes, largest first (see text_pt)
TEXT_LEVELS = (0, 1, 2)
#: pixels left and right of the numbers
STATS_PADDING = 4
#: the widest numbers the panel's stats line has to hold without moving the layout
STATS_WIDEST = (999_999, "0.0000", "100%")

translate = QtCore.QCoreApplication.translate


def _font(point_size: int, bold: bool = False) -> QtGui.QFont:
    """The application font at ``point_size`` (its size at scale 1) times the type scale."""
    return theme.font(point_size, bold=bold)


def text_pt(level: int) -> tuple[int, int, int, int]:
    """The point sizes of the run label (largest, smallest), verdict and numbers at text size
    ``level``: 0, the sizes above times the type scale; 1, on a screen too small for those,
    the controls' size times the scale; 2, on the smallest screens at the largest scales
    (1280×720 at 2.5: the views need the height), the sizes above as at scale 1 (the label
    at the numbers' size)."""
    if level == 0:
        return theme.pt(HEADER_PT), theme.pt(HEADER_MIN_PT), theme.pt(VERDICT_PT), theme.pt(STATS_PT)
    if level == 1:
        small = theme.pt(SMALL_PT)
        return small, small, small, small
    return STATS_PT, HEADER_MIN_PT, VERDICT_PT, STATS_PT


def _font_at(point_size: int, bold: bool = False) -> QtGui.QFont:
    """The application font at ``point_size`` (as it is: no scale)."""
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
    label: str
    #: the run's marker and its label (an app.run_column.FitLabel)
    mark: QtWidgets.QLabel
    header: Any

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
        self.stats_label.setSizePolicy(expanding, fixed)
        self.stats_label.setStyleSheet(f"color: {t.foreground}; padding: 0px {STATS_PADDING}px;")
        self.stats_lines = 0
        #: the texts' size (text_pt's level)
        self.text_level = 0
        self.set_stats_lines(1)

    def _metrics(self, part: int, level: int | None) -> QtGui.QFontMetrics:
        """Metrics of the run label (0), verdict (2) or numbers (3) at text size ``level``
        (None: as set)."""
        size = text_pt(self.text_level if level is None else level)[part]
        return QtGui.QFontMetrics(_font_at(size, bold=part < 3))

    def stats_height(self, lines: int, level: int | None = None) -> int:
        """The numbers label's height for ``lines`` lines."""
        return lines * self._metrics(3, level).lineSpacing() + 6

    def stats_width(self, lines: int, level: int | None = None) -> int:
        """The width the numbers need in ``lines`` lines (1, or 2: the test accuracy below),
        for the widest numbers of any run (STATS_WIDEST), padding included."""
        metrics = self._metrics(3, level)
        text = self._stats_text(*STATS_WIDEST, lines=lines)
        return max(metrics.horizontalAdvance(line) for line in text.split("\n")) + 2 * STATS_PADDING + 4

    def stats_lines_for(self, width: int, level: int | None = None) -> int:
        """How many lines the numbers take in a label ``width`` pixels wide (1 or 2)."""
        return 1 if self.stats_width(1, level) <= width else 2

    def header_height(self, level: int | None = None) -> int:
        """The run label's height (its largest font's line)."""
        return self._metrics(0, level).lineSpacing() + 6

    def set_stats_lines(self, lines: int) -> None:
        """Show the numbers in ``lines`` lines (1, or 2: the test accuracy below)."""
        if lines != self.stats_lines:
            self.stats_lines = lines
            self.stats_label.setFixedHeight(self.stats_height(lines))
            self._show_stats(self.latest)

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
            self.set_stats_lines(1)
            self._fit_stats_width()
            self.stats_label.setAlignment(QtCore.Qt.AlignmentFlag.AlignRight | QtCore.Qt.AlignmentFlag.AlignVCenter)
        else:
            self.texts.addWidget(self.stats_label)
            width = cast(QtWidgets.QWidget, self).width()
            if width > 0:
                self.set_stats_lines(self.stats_lines_for(width - self._side_margins()))
            self.stats_label.setMinimumWidth(0)
            self.stats_label.setMaximumWidth(16777215)
            ignored, fixed = QtWidgets.QSizePolicy.Policy.Ignored, QtWidgets.QSizePolicy.Policy.Fixed
            self.stats_label.setSizePolicy(ignored, fixed)
            self.stats_label.setAlignment(QtCore.Qt.AlignmentFlag.AlignLeft | QtCore.Qt.AlignmentFlag.AlignVCenter)
        self.verdict_label.set_lines(1 if compact else 2)

    def verdict_height(self, lines: int, level: int | None = None) -> int:
        """The verdict label's height for ``lines`` lines."""
        return lines * self._metrics(2, level).lineSpacing() + 8

    def _side_margins(self) -> int:
        frame = cast(QtWidgets.QFrame, self)
        layout = frame.layout()
        assert layout is not None
        m = layout.contentsMargins()
        return m.left() + m.right() + 2 * frame.frameWidth()

    def set_text_level(self, level: int) -> None:
        """Every text at size ``level`` (app.run_texts.text_pt: full, the controls' size, or
        as at scale 1 on the smallest screens)."""
        if level == self.text_level:
            return
        self.text_level = level
        header_pt, header_min_pt, _, _ = text_pt(level)
        self.mark.setFont(_font_at(header_pt, bold=True))
        self.header.set_sizes(header_pt, header_min_pt)
        self._set_verdict_and_stats_level(level)

    def texts_height(self, compact: bool, width: int | None = None, level: int | None = None) -> int:
        """The height of the label, verdict and numbers above the views (``compact`` or not,
        at text size ``level``: None, as they are) in a column ``width`` pixels wide (None: the
        numbers in the lines they need at the narrowest)."""
        frame = cast(QtWidgets.QFrame, self)
        layout = frame.layout()
        assert layout is not None
        m = layout.contentsMargins()
        verdict = self.verdict_height(1 if compact else 2, level)
        if compact:
            lines = 1
        else:
            lines = 2 if width is None else self.stats_lines_for(width - self._side_margins(), level)
        rows = [self.header_height(level), verdict, self.stats_height(lines, level)]
        if compact:
            rows = [max(rows[0], rows[2]), rows[1]]
        return sum(rows) + layout.spacing() * len(rows) + m.top() + m.bottom() + frame.frameWidth()

    def texts_width(self, compact: bool, level: int | None = None) -> int:
        """The narrowest column that shows its texts uncut: the marker, the label (a few
        letters of it: it elides beyond them; when ``compact``, the label whole at its smallest
        size, or 16 letters of a longer one) and the numbers (beside the label when
        ``compact``, else in two lines below)."""
        header = self._metrics(0, level)
        title = header.horizontalAdvance(self.mark.text()) + 4 + 6 * header.averageCharWidth()
        if compact:
            smallest = self._metrics(1, level)
            label = min(smallest.horizontalAdvance(self.label), 16 * smallest.averageCharWidth()) + 12
            title = header.horizontalAdvance(self.mark.text()) + 4 + label
            need = title + max(0, self.top.spacing()) + self.stats_width(1, level) + 4
        else:
            need = max(title, self.stats_width(2, level))
        return need + self._side_margins()

    def _set_verdict_and_stats_level(self, level: int) -> None:
        """The verdict and numbers at text size ``level`` (see text_pt)."""
        _, _, verdict_pt, stats_pt = text_pt(level)
        self.verdict_label.setFont(_font_at(verdict_pt, bold=True))
        self.verdict_label.set_lines(self.verdict_label.lines)
        self.stats_label.setFont(_font_at(stats_pt))
        self.stats_label.setFixedHeight(self.stats_height(self.stats_lines))
        if self.compact:
            self._fit_stats_width()

    def _stats_text(self, step: int, loss: str, accuracy: str, lines: int | None = None) -> str:
        """The numbers in ``lines`` lines (None: the label's lines)."""
        first, second = self._separators
        text = translate("RunColumn", "step {step}").format(step=f"{step:,}")
        text += first + translate("RunColumn", "loss {loss}").format(loss=loss)
        if accuracy:
            second = "\n" if (lines or self.stats_lines) > 1 else second
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
        self.stats_label.setFixedWidth(self.stats_width(1) + 4)

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
