"""Where the main window's messages ("applied live", "rebuilt", errors) are shown.

In the status bar while the controls are shown; with the controls hidden (H, views only) the
status bar goes too, and each new message appears as a toast over the bottom of the views
that fades out after a few seconds (errors stay longer).  The texts arrive translated.
"""

from __future__ import annotations

from PySide6 import QtCore, QtWidgets

from app.layout_fit import FitLabel
from views import theme

#: how long a toast stays before it fades, in milliseconds (an error is read more slowly)
TOAST_MS = {"info": 3500, "error": 8000}
FADE_MS = 700


class Toast(QtWidgets.QLabel):
    """A rounded, translucent one-to-three-line label over the bottom centre of its parent."""

    def __init__(self, parent: QtWidgets.QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("toast")
        self.setWordWrap(True)
        self.setAlignment(QtCore.Qt.AlignmentFlag.AlignCenter)
        self.setAttribute(QtCore.Qt.WidgetAttribute.WA_TransparentForMouseEvents, True)
        self.setAttribute(QtCore.Qt.WidgetAttribute.WA_StyledBackground, True)
        self._opacity = QtWidgets.QGraphicsOpacityEffect(self)
        self._opacity.setOpacity(1.0)
        self.setGraphicsEffect(self._opacity)
        self._fade = QtCore.QPropertyAnimation(self._opacity, b"opacity", self)
        self._fade.setDuration(FADE_MS)
        self._fade.setStartValue(1.0)
        self._fade.setEndValue(0.0)
        self._fade.finished.connect(self.hide)
        self._timer = QtCore.QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._fade.start)
        self.hide()
        parent.installEventFilter(self)

    def show_text(self, text: str, kind: str) -> None:
        self._fade.stop()
        self._opacity.setOpacity(1.0)
        bg, fg = theme.current().banner("error" if kind == "error" else "info")
        pad = theme.ipx(10)
        self.setStyleSheet(
            f"QLabel#toast {{ background: {bg}; color: {fg}; border: 1px solid {fg}; "
            f"border-radius: {pad}px; padding: {pad}px {2 * pad}px; font-size: {theme.pt(16)}pt; }}"
        )
        self.setText(text)
        self.setProperty("kind", kind)
        self._place()
        self.show()
        self.raise_()
        self._timer.start(TOAST_MS.get(kind, TOAST_MS["info"]))

    def _place(self) -> None:
        parent = self.parentWidget()
        assert parent is not None
        area = parent.rect()
        width = min(self.sizeHint().width(), int(area.width() * 0.7))
        height = self.heightForWidth(width) if self.hasHeightForWidth() else self.sizeHint().height()
        height = min(height, area.height() // 3)
        margin = theme.ipx(24)
        self.setGeometry(area.center().x() - width // 2, area.bottom() - margin - height, width, height)

    def eventFilter(self, watched: QtCore.QObject, event: QtCore.QEvent) -> bool:
        if event.type() == QtCore.QEvent.Type.Resize and self.isVisible():
            self._place()
        return False

    def opacity(self) -> float:
        return float(self._opacity.opacity())


class Messages:
    """The status-bar label and the toast of one main window."""

    def __init__(self, window: QtWidgets.QMainWindow) -> None:
        self.window = window
        #: the status bar's message: its type shrinks to fit, then two lines, then elided with
        #: the full text as tooltip (a long error never widens or heightens the window)
        self.label = FitLabel(theme.pt(13), min(theme.pt(13), 10))
        self.label.setObjectName("message")
        window.statusBar().addWidget(self.label, 1)
        self.toast = Toast(window)
        self.text, self.kind = "", "info"

    def show(self, text: str, kind: str, *, controls_visible: bool, toast: bool = True) -> None:
        """Say ``text``: in the status bar, and as a toast when the controls are hidden."""
        self.text, self.kind = text, kind
        color = theme.current().banner("error" if kind == "error" else "info")[1]
        self.label.setStyleSheet(f"color: {color};")
        self.label.set_sizes(theme.pt(13), min(theme.pt(13), 10))
        self.label.set_full_text(text)
        self.label.setProperty("kind", kind)
        if text and toast and not controls_visible:
            self.toast.show_text(text, kind)
        elif not text:
            self.toast.hide()

    def set_controls_visible(self, visible: bool) -> None:
        self.window.statusBar().setVisible(visible)
        if visible:
            self.toast.hide()
