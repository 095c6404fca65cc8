"""Windows that fit their screen at every type scale (0.75–2.5) and screen size.

* :func:`available_geometry` — the screen area a window may use (tests fake it with
  :func:`fake_available_geometry`);
* :func:`fit_to_screen` — shrink and move a top-level window so its frame lies inside that area;
* :class:`FitLabel` — a text line that shrinks its font to its width, wraps when even the
  smallest font does not fit, and elides (full text in the tooltip) only past ``max_lines``;
  its minimum width is small, so a long banner never widens a window.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from PySide6 import QtCore, QtGui, QtWidgets

from views import theme

_fake: QtCore.QRect | None = None


def available_geometry(widget: QtWidgets.QWidget | None = None) -> QtCore.QRect:
    """The available geometry (screen minus panels) of ``widget``'s screen."""
    if _fake is not None:
        return QtCore.QRect(_fake)
    screen = widget.screen() if widget is not None else None
    screen = screen or QtGui.QGuiApplication.primaryScreen()
    return screen.availableGeometry() if screen is not None else QtCore.QRect(0, 0, 1920, 1080)


def fake_active() -> bool:
    """True while :func:`fake_available_geometry` pretends a screen size."""
    return _fake is not None


@contextlib.contextmanager
def fake_available_geometry(width: int, height: int) -> Iterator[QtCore.QRect]:
    """Pretend the screen offers ``width`` × ``height`` pixels (for tests and headless renders)."""
    global _fake
    old, _fake = _fake, QtCore.QRect(0, 0, width, height)
    try:
        yield QtCore.QRect(_fake)
    finally:
        _fake = old


def frame_margins(window: QtWidgets.QWidget) -> QtCore.QMargins:
    """The window manager's frame around ``window`` (zero before it is shown, or offscreen)."""
    frame, inner = window.frameGeometry(), window.geometry()
    return QtCore.QMargins(
        max(0, inner.left() - frame.left()),
        max(0, inner.top() - frame.top()),
        max(0, frame.right() - inner.right()),
        max(0, frame.bottom() - inner.bottom()),
    )


def room_for(window: QtWidgets.QWidget) -> QtCore.QSize:
    """The largest client size whose frame fits the available geometry."""
    area = available_geometry(window)
    m = frame_margins(window)
    return QtCore.QSize(area.width() - m.left() - m.right(), area.height() - m.top() - m.bottom())


def screen_room(window: QtWidgets.QWidget) -> QtCore.QSize | None:
    """:func:`room_for` on a real (or faked) screen; None offscreen, where there is no screen
    to fit (headless renders choose their own size)."""
    if _fake is None and QtGui.QGuiApplication.platformName() == "offscreen":
        return None
    return room_for(window)


def fit_to_screen(window: QtWidgets.QWidget, wanted: QtCore.QSize | None = None) -> None:
    """Resize ``window`` to ``wanted`` (default: its size) but no larger than the screen allows,
    and move it so its frame lies inside the available geometry.  Full-screen and maximised
    windows are left to the window manager."""
    if window.isFullScreen() or window.isMaximized():
        return
    if _fake is None and QtGui.QGuiApplication.platformName() == "offscreen":
        # no real screen (headless renders, tests): keep the size asked for
        if wanted is not None and wanted != window.size():
            window.resize(wanted)
        return
    room = room_for(window)
    target = wanted or window.size()
    target = QtCore.QSize(min(target.width(), room.width()), min(target.height(), room.height()))
    # a resize may let the contents reflow to a smaller minimum: try again (a few times)
    stable = 0
    for _ in range(8):
        size = target.expandedTo(window.minimumSizeHint()).expandedTo(window.minimumSize())
        if size == window.size():
            stable += 1
            if stable == 2:  # twice: a reflow may lower the minimum one event later
                break
        else:
            stable = 0
            window.resize(size)
        QtCore.QCoreApplication.processEvents()
    area = available_geometry(window)
    frame = window.frameGeometry()
    x = min(max(frame.left(), area.left()), max(area.left(), area.right() + 1 - frame.width()))
    y = min(max(frame.top(), area.top()), max(area.top(), area.bottom() + 1 - frame.height()))
    if (x, y) != (frame.left(), frame.top()):
        window.move(x, y)


class FitLabel(QtWidgets.QLabel):
    """Plain text in the largest font from ``max_pt`` down to ``min_pt`` that fits one line;
    below that the text wraps (up to ``max_lines`` lines) and is elided past them, with the
    full text as the tooltip.  The label never asks for more width than the smallest font
    needs for its longest word, so it cannot widen its window."""

    def __init__(self, max_pt: int, min_pt: int, *, bold: bool = False, max_lines: int = 2) -> None:
        super().__init__()
        self._max_pt, self._min_pt = max_pt, min(min_pt, max_pt)
        self._bold = bold
        self.max_lines = max_lines
        self.full_text = ""
        self._fitted: tuple[str, int] | None = None
        font = self.font()
        font.setPointSize(max_pt)
        font.setBold(bold)
        self.setFont(font)
        self.setTextFormat(QtCore.Qt.TextFormat.PlainText)
        self.setSizePolicy(QtWidgets.QSizePolicy.Policy.Ignored, QtWidgets.QSizePolicy.Policy.Fixed)
        self._refit(self.width())

    @property
    def max_pt(self) -> int:
        """The point size the text gets when it fits one line."""
        return self._max_pt

    def set_sizes(self, max_pt: int, min_pt: int) -> None:
        """New type sizes (after a scale change)."""
        if (max_pt, min(min_pt, max_pt)) != (self._max_pt, self._min_pt):
            self._max_pt, self._min_pt = max_pt, min(min_pt, max_pt)
            self._fitted = None
            self._refit(self.width())

    def text(self) -> str:  # the text asked for (what is drawn may be elided: shown_text)
        return self.full_text

    def shown_text(self) -> str:
        return QtWidgets.QLabel.text(self)

    def set_full_text(self, text: str) -> None:
        if text == self.full_text:
            return
        self.full_text = text
        self._refit(self.width())

    def minimumSizeHint(self) -> QtCore.QSize:
        return QtCore.QSize(0, self.height() or super().minimumSizeHint().height())

    def resizeEvent(self, event: QtGui.QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self._refit(event.size().width())

    def _font(self, size: int) -> QtGui.QFont:
        font = QtGui.QFont(self.font())
        font.setPointSize(size)
        font.setBold(self._bold)
        return font

    def _refit(self, width: int) -> None:
        if self._fitted == (self.full_text, width):
            return
        self._fitted = (self.full_text, width)
        margins = self.contentsMargins()
        room = max(1, width - margins.left() - margins.right() - 2 * self.margin() - 8)
        text = self.full_text
        size = self._min_pt
        lines = 1
        for candidate in range(self._max_pt, self._min_pt - 1, -1):
            if QtGui.QFontMetrics(self._font(candidate)).horizontalAdvance(text) <= room:
                size = candidate
                break
        else:
            lines = self.max_lines
        font = self._font(size)
        metrics = QtGui.QFontMetrics(font)
        shown = text
        if lines > 1:
            rect = metrics.boundingRect(QtCore.QRect(0, 0, room, 10**6), QtCore.Qt.TextFlag.TextWordWrap, text)
            needed = max(1, round(rect.height() / metrics.lineSpacing()))
            lines = min(needed, self.max_lines)
            if needed > self.max_lines or rect.width() > room:
                shown = elide_lines(text, metrics, room, self.max_lines)
        self.setWordWrap(lines > 1)
        if font != self.font():
            self.setFont(font)
        self.setToolTip(text if shown != text else "")
        if shown != self.shown_text():
            self.setText(shown)
        extra = margins.top() + margins.bottom() + 2 * self.margin()
        self.setFixedHeight(lines * metrics.lineSpacing() + extra + 8)


def elide_lines(text: str, metrics: QtGui.QFontMetrics, room: int, max_lines: int) -> str:
    """``text`` cut to ``max_lines`` word-wrapped lines of ``room`` pixels, ending in "…"."""
    words = text.split()
    lines: list[str] = []
    current = ""
    for word in words:
        trial = f"{current} {word}".strip()
        if metrics.horizontalAdvance(trial) <= room or not current:
            current = trial
        else:
            lines.append(current)
            current = word
    lines.append(current)
    if len(lines) <= max_lines:
        return "\n".join(metrics.elidedText(line, QtCore.Qt.TextElideMode.ElideRight, room) for line in lines)
    kept = lines[: max_lines - 1]
    last = " ".join(lines[max_lines - 1 :])
    kept.append(metrics.elidedText(last, QtCore.Qt.TextElideMode.ElideRight, room))
    return "\n".join(metrics.elidedText(line, QtCore.Qt.TextElideMode.ElideRight, room) for line in kept)


class WrapFitLabel(QtWidgets.QLabel):
    """Word-wrapped rich text (a scene's caption) that takes at most ``max_share`` of its
    window's height: the font shrinks from ``max_pt`` to ``min_pt`` to fit, and below that the
    text is cut at the height with the full text in the tooltip."""

    #: below this window height per unit of type scale the caption is dropped (its text stays
    #: in the tooltip; C hides or shows it as before): the views need the room
    DROP_BELOW_PER_SCALE = 400

    def __init__(self, max_pt: int, min_pt: int, max_share: float = 0.15) -> None:
        super().__init__()
        self._max_pt, self._min_pt = max_pt, min(min_pt, max_pt)
        self.max_share = max_share
        self.setWordWrap(True)
        self.setTextFormat(QtCore.Qt.TextFormat.RichText)
        self.setSizePolicy(QtWidgets.QSizePolicy.Policy.Ignored, QtWidgets.QSizePolicy.Policy.Fixed)
        self._fitted: tuple[str, int, int] | None = None

    def setText(self, text: str) -> None:
        super().setText(text)
        self._fitted = None
        self.refit()

    def minimumSizeHint(self) -> QtCore.QSize:
        return QtCore.QSize(0, self.height())

    def resizeEvent(self, event: QtGui.QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self.refit()

    def showEvent(self, event: QtGui.QShowEvent) -> None:
        super().showEvent(event)
        self.window().installEventFilter(self)  # its height limits ours
        self.refit()

    def eventFilter(self, watched: QtCore.QObject, event: QtCore.QEvent) -> bool:
        if watched is self.window() and event.type() == QtCore.QEvent.Type.Resize:
            self.refit()
        return False

    def refit(self) -> None:
        width = self.width()
        window = self.window()
        limit = max(40, int(window.height() * self.max_share)) if window is not self else 10**6
        if window is not self and window.height() < self.DROP_BELOW_PER_SCALE * theme.scale():
            limit = 0
        key = (self.text(), width, limit)
        if key == self._fitted or width <= 0:
            return
        self._fitted = key
        if limit == 0:
            self.setToolTip(QtGui.QTextDocumentFragment.fromHtml(self.text()).toPlainText())
            self.setFixedHeight(0)
            return
        font = QtGui.QFont(self.font())
        height = 0
        for size in range(self._max_pt, self._min_pt - 1, -1):
            font.setPointSize(size)
            self.setFont(font)
            height = self.heightForWidth(width)
            if height <= limit:
                break
        cut = height > limit
        self.setToolTip(QtGui.QTextDocumentFragment.fromHtml(self.text()).toPlainText() if cut else "")
        self.setFixedHeight(min(height, limit) if height > 0 else self.sizeHint().height())


def fit_form(form: QtWidgets.QFormLayout) -> None:
    """A form whose labels are never cut: long labels wrap, a field that does not fit beside
    its label goes below it, and combo boxes are as wide as their longest choice."""
    form.setRowWrapPolicy(QtWidgets.QFormLayout.RowWrapPolicy.WrapLongRows)
    for i in range(form.count()):
        item = form.itemAt(i)
        widget = item.widget() if item is not None else None
        if isinstance(widget, QtWidgets.QLabel):
            widget.setWordWrap(True)
        if isinstance(widget, QtWidgets.QComboBox):
            widget.setSizeAdjustPolicy(QtWidgets.QComboBox.SizeAdjustPolicy.AdjustToContents)


def dock_width(window: QtWidgets.QWidget, panel: QtWidgets.QWidget, wanted: int, share: float = 0.4) -> int:
    """A side dock's width: ``wanted`` and at least what ``panel`` needs (plus a scroll bar),
    but never more than ``share`` of the screen's width (the views keep the rest); where that
    is too narrow, the panel's form labels go above their fields."""
    scrollbar = window.style().pixelMetric(QtWidgets.QStyle.PixelMetric.PM_ScrollBarExtent)
    cap = int(available_geometry(window).width() * share)

    def need() -> int:
        # the preferred width: fields as wide as their values (a minimum would cut them)
        return max(wanted, panel.sizeHint().width() + scrollbar + 24)

    if need() > cap:
        # too narrow for labels beside their fields: every label above its field
        for form in panel.findChildren(QtWidgets.QFormLayout):
            form.setRowWrapPolicy(QtWidgets.QFormLayout.RowWrapPolicy.WrapAllRows)
            form.invalidate()
    return min(need(), cap)


def shed_row(row: QtWidgets.QWidget, keep: list[QtWidgets.QWidget], shed: list[QtWidgets.QWidget]) -> int:
    """Hide the ``shed`` widgets of a one-row ``row`` (last first) while the row is narrower
    than all of them need, show them again when there is room; returns the row's smallest
    useful width (the ``keep`` widgets alone)."""
    layout = row.layout()
    spacing = max(0, layout.spacing()) if layout is not None else 6
    m = layout.contentsMargins() if layout is not None else QtCore.QMargins()

    def need(widgets: list[QtWidgets.QWidget]) -> int:
        hints = [max(w.minimumSizeHint().width(), w.minimumWidth(), w.sizeHint().width()) for w in widgets]
        return sum(hints) + spacing * max(0, len(widgets) - 1) + m.left() + m.right()

    width = row.width()
    shown = list(shed)
    while shown and need(keep + shown) > width:
        shown.pop()
    for w in shed:
        w.setVisible(w in shown)
    return need(keep)
