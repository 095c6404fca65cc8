"""Recording a comparison: the headless ``--record`` of a multi-run scene and File → Record…
in the compare window.

Both reuse :mod:`app.recording`: its headless frame loop
(:func:`~app.recording.record_frames`), parameter checks, encoder (MP4 through the bundled
ffmpeg, GIF through ffmpeg's palette passes), atomic write and sidecar; the live one its
:class:`~app.recording.Recorder` and :class:`~app.recording.RecordDialog`.  The sidecar of a
comparison holds every run's label and config (``CompareWindow.config_record()``).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6 import QtCore, QtGui, QtWidgets

from app.engine_process import diverged_message, ready_info
from app.export import ExportError
from app.recording import RecordingResult, record_frames
from app.worker import Updates
from model import Trainer

if TYPE_CHECKING:
    from typing import Unpack  # Python 3.11

    from app.recording.headless import RecordOptions

translate = QtCore.QCoreApplication.translate


def record_compare(
    window: Any,
    steps: int,
    path: str | os.PathLike[str],
    **options: Unpack[RecordOptions],
) -> RecordingResult:
    """Train every run of a compare ``window`` (fed by hand: ``controllers=None``) for ``steps``
    steps in this process and record the window laid out at ``size``.

    As :func:`app.recording.record_run` does for one run: frame ``i`` shows every run after
    ``round(steps * (i + 1) / frames)`` steps (the last step of each frame detailed); a run
    that diverges stops while the others go on; the same options.
    """
    trainers = [Trainer(config) for _, config in window.runs]
    done = [0] * len(trainers)
    diverged = [False] * len(trainers)

    def begin() -> None:
        for index, trainer in enumerate(trainers):
            window.apply_updates(index, Updates(ready=ready_info(trainer), snapshots=[trainer.inspect()]))

    def advance(goal: int) -> bool:
        fed = False
        for index, trainer in enumerate(trainers):
            batch = []
            while done[index] < goal and not diverged[index]:
                done[index] += 1
                batch.append(trainer.step(detail=done[index] == goal))
                diverged[index] = batch[-1].diverged
            if batch:
                messages = [("paused", diverged_message(batch[-1]))] if batch[-1].diverged else []
                window.apply_updates(index, Updates(snapshots=batch, messages=messages))
                fed = True
        return fed

    return record_frames(
        window, window.config_record(), steps, path, begin, advance,
        **options,
    )  # fmt: skip


class CompareRecording(QtCore.QObject):
    """File → Record… of a compare window: asks with the main window's dialog, records the
    live window with a :class:`~app.recording.Recorder` and tells the window how it went
    (``notify(text, kind)``).  ``action`` is the menu entry; its text says what it will do."""

    def __init__(self, window: Any, notify: Callable[[str, str], None]) -> None:
        super().__init__(window)
        self.window = window
        self.notify = notify
        self.recorder: Any = None
        self.action = QtGui.QAction(window)
        self.action.setObjectName("record")
        self.action.triggered.connect(self.ask)
        self.retranslate()

    def retranslate(self) -> None:
        recording = self.recorder is not None and self.recorder.is_recording
        if recording:
            self.action.setText(translate("CompareRecording", "Stop recording"))
        else:
            self.action.setText(translate("CompareRecording", "Record GIF or MP4…"))

    def _suggested(self) -> Path:
        scene = getattr(self.window, "scene", None)
        name = scene.name if scene is not None else "backprop-lab-compare"
        return Path.home() / f"{name}.mp4"

    def ask(self) -> None:
        """Ask for file, frame rate, duration and size, then record; while recording, stop."""
        from app.recording import RecordDialog

        if self.recorder is not None and self.recorder.is_recording:
            self.stop()
            return
        dialog = RecordDialog(self.window, path=self._suggested())
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
        """Record the window as it trains (the Recorder, or None after telling why not)."""
        from app.recording import Recorder

        try:
            recorder = Recorder(
                self.window, path, fps=fps, duration_s=duration_s, size=size, force=force,
                config=self.window.config_record(),
            )  # fmt: skip
            recorder.finished.connect(self._on_finished)
            recorder.failed.connect(self._on_failed)
            recorder.start()
        except ExportError as exc:
            self.notify(str(exc), "error")
            return None
        self.recorder = recorder
        self.retranslate()
        text = translate("CompareRecording", "Recording {path}: {frames} frames at {fps} fps…")
        self.notify(text.format(path=Path(path).name, frames=recorder.frames_total, fps=fps), "info")
        return recorder

    def stop(self) -> None:
        if self.recorder is not None and self.recorder.is_recording:
            self.recorder.stop_capture()

    def finish_now(self) -> None:
        """The window closes: complete the file with what was captured."""
        if self.recorder is not None and self.recorder.is_recording:
            try:
                self.recorder.stop()
            except ExportError:
                pass

    @QtCore.Slot(object)
    def _on_finished(self, result: Any) -> None:
        self.recorder = None
        self.retranslate()
        text = translate("CompareRecording", "Saved {path} ({frames} frames).")
        self.notify(text.format(path=result.path, frames=result.frames), "info")

    @QtCore.Slot(str)
    def _on_failed(self, message: str) -> None:
        self.recorder = None
        self.retranslate()
        self.notify(message, "error")
