"""Keys a compare window handles itself: Space, S / →, R, Escape, Ctrl+Q, Ctrl+E and
Ctrl+Shift+C, as keys rather than QShortcuts.

The main window binds the same keys as application-wide shortcuts; two shortcuts on one key
are ambiguous and Qt fires neither.  Claiming the keys in ShortcutOverride keeps them for the
compare window whenever it is active.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6 import QtCore, QtGui, QtWidgets

if TYPE_CHECKING:
    from app.compare_window import CompareWindow

#: (key, modifiers) → (command, repeats while the key is held)
KeyTable = dict[tuple[QtCore.Qt.Key, QtCore.Qt.KeyboardModifier], tuple[Callable[[], Any], bool]]


def compare_keys(window: CompareWindow) -> KeyTable:
    """The compare window's keys and the commands they run."""
    key = QtCore.Qt.Key
    none, ctrl = QtCore.Qt.KeyboardModifier.NoModifier, QtCore.Qt.KeyboardModifier.ControlModifier
    return {
        (key.Key_Space, none): (window.toggle_play, False),
        (key.Key_S, none): (window.step_once, True),
        (key.Key_Right, none): (window.step_once, True),
        (key.Key_R, none): (window.reset, False),
        (key.Key_Escape, none): (window.close, False),
        (key.Key_Q, ctrl): (window.close, False),
        (key.Key_E, ctrl): (window.export_png_dialog, False),
        (key.Key_C, ctrl | QtCore.Qt.KeyboardModifier.ShiftModifier): (window.copy_picture, False),
    }


class KeyCommands(QtWidgets.QMainWindow):
    """A window that claims the keys of its ``_keys`` table in ShortcutOverride and runs their
    commands on KeyPress."""

    _keys: KeyTable

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
