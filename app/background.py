"""Only what the user is looking at trains.

A compare window that is hidden or minimised pauses its runs (their engines stop computing)
and says "paused in the background" when it is shown again; it does not resume by itself,
so a lecturer coming back finds the runs where they left them.  Opening a scene replaces the
scene window that is open (same place and size) and pauses every other compare window: the
runs of a scene left behind would only compete with the new one for the cores.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from PySide6 import QtCore, QtWidgets


class BackgroundPause(QtCore.QObject):
    """Watches one compare window (it must have ``playing``, ``pause()``, ``_closed`` and
    ``_show_message(key, kind)`` with the key ``"background"``)."""

    def __init__(self, window: QtWidgets.QMainWindow) -> None:
        super().__init__(window)
        self.target: Any = window
        #: the runs were paused here and the window has not said so yet
        self.paused = False
        window.installEventFilter(self)

    def eventFilter(self, watched: QtCore.QObject, event: QtCore.QEvent) -> bool:
        # installed on the window alone: every event here is the window's
        kind = event.type()
        if kind == QtCore.QEvent.Type.Hide or (
            kind == QtCore.QEvent.Type.WindowStateChange and self.target.isMinimized()
        ):
            self.pause()
        elif kind in (QtCore.QEvent.Type.Show, QtCore.QEvent.Type.WindowStateChange):
            self._announce()
        return False

    def pause(self) -> None:
        """Pause the runs because the user looks elsewhere (hidden, minimised, another scene)."""
        window = self.target
        if window._closed or not window.playing:
            return
        window.pause()
        self.paused = True
        self._announce()

    def _announce(self) -> None:
        window = self.target
        if self.paused and window.isVisible() and not window.isMinimized():
            self.paused = False
            window._show_message("background", "info")


def pause_in_background(windows: Iterable[QtWidgets.QMainWindow]) -> None:
    """Pause every window in ``windows`` that trains: the user turned to another scene."""
    for window in list(windows):
        watcher = getattr(window, "background", None)
        if isinstance(watcher, BackgroundPause):
            watcher.pause()


def close_scene_windows(windows: Iterable[QtWidgets.QMainWindow]) -> QtCore.QRect | None:
    """Close every scene window in ``windows`` (their engines stop); the geometry of the last
    one, for the scene that replaces it."""
    place = None
    for window in list(windows):
        if getattr(window, "scene", None) is not None and window.isVisible():
            place = window.geometry()
            window.close()
    return place
