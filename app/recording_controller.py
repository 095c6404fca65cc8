"""File → Record GIF or MP4… of the main and the compare window, written once.

The window is recorded as it trains by a :class:`app.recording.Recorder` (capture on the GUI
thread, encoding off it); the file's sidecar holds what ``record_config()`` gives (the main
window's config, every run of a comparison).  ``action`` is the menu entry; its text says what
it will do (record, or stop the recording under way).  How it went is told in the window's
message area (``notify``) and, for a failure, in a warning dialog (``window._alert``).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6 import QtCore, QtGui, QtWidgets

from app.export import ExportError


def _tr(text: str) -> str:
    return QtCore.QCoreApplication.translate("RecordingController", text)


class RecordingController(QtCore.QObject):
    """Owned by ``window`` (a QMainWindow with ``_alert``); ``suggested()`` names the file the
    dialog proposes (in the home folder)."""

    def __init__(
        self,
        window: Any,
        notify: Callable[[str, str], None],
        record_config: Callable[[], dict[str, Any]],
        suggested: Callable[[], str],
    ) -> None:
        super().__init__(window)
        self.window = window
        self.notify = notify
        self.record_config = record_config
        self.suggested = suggested
        self.recorder: Any = None
        self.action = QtGui.QAction(window)
        self.action.setObjectName("record")
        self.action.triggered.connect(self.ask)
        self.retranslate()

    @property
    def is_recording(self) -> bool:
        return self.recorder is not None and self.recorder.is_recording

    def retranslate(self) -> None:
        self.action.setText(_tr("Stop recording") if self.is_recording else _tr("Record GIF or MP4…"))

    def ask(self) -> None:
        """Ask for file, frame rate, duration and size, then record; while recording, stop."""
        from app.recording import RecordDialog

        if self.is_recording:
            self.stop()
            return
        dialog = RecordDialog(self.window, path=Path.home() / self.suggested())
        if dialog.exec() != QtWidgets.QDialog.DialogCode.Accepted:
            return
        path, fps, duration, size = dialog.values()
        self.start(path, fps=fps, duration_s=duration, size=size, force=dialog.force)

    def start(
        self,
        path: str | os.PathLike[str],
        *,
        fps: float = 30,
        duration_s: float = 10.0,
        size: tuple[int, int] | None = None,
        force: bool = False,
    ) -> Any:
        """Record the window as it trains to an MP4 or GIF (the Recorder, or None after
        telling why not)."""
        from app.recording import Recorder

        try:
            recorder = Recorder(
                self.window, path, fps=fps, duration_s=duration_s, size=size, force=force,
                config=self.record_config(),
            )  # fmt: skip
            recorder.finished.connect(self._on_finished)
            recorder.failed.connect(self._on_failed)
            recorder.start()
        except ExportError as exc:
            self._failed(str(exc))
            return None
        self.recorder = recorder
        self.retranslate()
        text = _tr("Recording {path}: {frames} frames at {fps} fps…")
        self.notify(text.format(path=Path(path).name, frames=recorder.frames_total, fps=fps), "info")
        return recorder

    def stop(self) -> None:
        """Stop capturing; the file is finished with what was captured."""
        if self.is_recording:
            self.recorder.stop_capture()

    def finish_now(self) -> None:
        """The window closes: complete the file with what was captured (not thrown away)."""
        if self.is_recording:
            try:
                self.recorder.stop()
            except ExportError:
                pass  # already reported through ``failed``

    @QtCore.Slot(object)
    def _on_finished(self, result: Any) -> None:
        self.recorder = None
        self.retranslate()
        text = _tr("Saved {path}: {frames} frames, {seconds} s (its config is in {path}.json).")
        self.notify(text.format(path=result.path, frames=result.frames, seconds=f"{result.seconds:.1f}"), "info")

    @QtCore.Slot(str)
    def _on_failed(self, message: str) -> None:
        self.recorder = None
        self.retranslate()
        self._failed(message)

    def _failed(self, message: str) -> None:
        self.notify(message, "error")
        self.window._alert(_tr("Recording not saved"), message)
