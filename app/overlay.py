"""The ``?`` overlay: every keyboard shortcut in large type over the window."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6 import QtCore, QtGui, QtWidgets


class ShortcutOverlay(QtWidgets.QWidget):
    """A translucent panel covering its parent, listing (keys, description) rows.

    Any key or click hides it again.
    """

    def __init__(self, parent: QtWidgets.QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("shortcut_overlay")
        self.setAttribute(QtCore.Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet("QWidget#shortcut_overlay { background: rgba(10, 12, 16, 215); }")
        self.setFocusPolicy(QtCore.Qt.FocusPolicy.StrongFocus)
        layout = QtWidgets.QVBoxLayout(self)
        layout.setAlignment(QtCore.Qt.AlignmentFlag.AlignCenter)
        self.label = QtWidgets.QLabel()
        self.label.setObjectName("shortcut_table")
        self.label.setTextFormat(QtCore.Qt.TextFormat.RichText)
        self.label.setStyleSheet("color: #FFFFFF;")
        layout.addWidget(self.label, 0, QtCore.Qt.AlignmentFlag.AlignCenter)
        self.rows: list[tuple[str, str]] = []
        self.hide()
        parent.installEventFilter(self)

    def set_rows(self, title: str, rows: Sequence[tuple[str, str]], hint: str, point_size: int) -> None:
        self.rows = list(rows)
        self._content = (title, hint, point_size)
        self._render(point_size)

    def _render(self, point_size: int) -> None:
        title, hint, _ = self._content
        rows = self.rows
        body = "".join(
            f"<tr><td align='right' style='padding:4px 28px 4px 0; color:#FFD54F'><b>{_escape(keys)}</b></td>"
            f"<td style='padding:4px 0'>{_escape(text)}</td></tr>"
            for keys, text in rows
        )
        self.label.setText(
            f"<div style='font-size:{point_size + 8}pt'><b>{_escape(title)}</b></div>"
            f"<table style='font-size:{point_size}pt; margin-top:12px'>{body}</table>"
            f"<div style='font-size:{max(8, point_size - 4)}pt; color:#BBBBBB; margin-top:14px'>{_escape(hint)}</div>"
        )

    def toggle(self) -> None:
        if self.isVisible():
            self.hide()
        else:
            self.show_over_parent()

    def fit(self) -> None:
        """The largest type (down to 8 pt) at which the table fits over the parent."""
        parent = self.parentWidget()
        if parent is None or not hasattr(self, "_content"):
            return
        room = parent.rect().size() - QtCore.QSize(24, 24)
        size = self._content[2]
        self._render(size)
        while size > 8 and (
            self.label.sizeHint().width() > room.width() or self.label.sizeHint().height() > room.height()
        ):
            size -= 1
            self._render(size)

    def show_over_parent(self) -> None:
        parent = self.parentWidget()
        assert parent is not None
        self.setGeometry(parent.rect())
        self.fit()
        self.show()
        self.raise_()
        self.setFocus()

    def eventFilter(self, watched: QtCore.QObject, event: QtCore.QEvent) -> bool:
        if event.type() == QtCore.QEvent.Type.Resize and self.isVisible():
            parent = self.parentWidget()
            if parent is not None:
                self.setGeometry(parent.rect())
                self.fit()
        return False

    def keyPressEvent(self, event: QtGui.QKeyEvent) -> None:
        self.hide()
        event.accept()

    def mousePressEvent(self, event: QtGui.QMouseEvent) -> None:
        self.hide()
        event.accept()


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
