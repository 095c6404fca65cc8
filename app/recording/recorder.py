"""Live recording: :class:`Recorder` copies a shown widget's pixels on the GUI thread whenever a
frame is due (right after each repaint of its window, and on a timer) and hands them to the
encoder thread (:mod:`app.recording.encoder`).  Capture, pacing and what happens when the
encoder falls behind are described in :mod:`app.recording`.
"""

from __future__ import annotations

import contextlib
import math
import os
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from PySide6 import QtCore, QtGui, QtWidgets

from app.export import ExportError
from app.recording.capture import capture, first_frame, window_colour
from app.recording.encoder import Encoder
from app.recording.plan import (
    CAPTURE_METHODS,
    GIF_MAX_WIDTH,
    RecordingResult,
    check_targets,
    make_plan,
)
from model import ExperimentConfig


class Recorder(QtCore.QObject):
    """Records ``widget`` (normally the main window) as it is shown, to an MP4 or GIF.

    ``fps`` frames a second for ``duration_s`` seconds: exactly ``round(fps * duration_s)``
    frames unless :meth:`stop_capture` / :meth:`stop` end it early.  ``size`` (w, h) scales
    the frames to that size, keeping the window's proportions (bars in the window colour fill
    the rest; MP4 sizes are rounded down to even numbers); without it the file has the
    widget's size (a GIF at most :data:`GIF_MAX_WIDTH` wide).  ``config`` is written to the
    sidecar ``path + ".json"`` and into the file's comment.  ``capture`` forces
    "backingstore" or "grab" (default "auto").

    Parameter errors raise :class:`ExportError` here; an existing file (without ``force``)
    raises in :meth:`start`, before anything is recorded.  Errors while recording are
    reported once through ``failed(str)``; a finished file through ``finished(object)``
    (a :class:`RecordingResult`).  The Recorder must be stopped or cancelled before the
    widget is deleted (deleting it fails the recording) and before the application quits
    (an unfinished encoder leaves a hidden ``.OUT.mp4.*.part`` file behind).
    """

    finished = QtCore.Signal(object)
    failed = QtCore.Signal(str)

    def __init__(
        self,
        widget: QtWidgets.QWidget,
        path: str | os.PathLike[str],
        *,
        fps: float = 30,
        duration_s: float = 10.0,
        size: tuple[int, int] | None = None,
        force: bool = False,
        config: Mapping[str, Any] | ExperimentConfig | None = None,
        capture: str = "auto",
        gif_max_width: int | None = GIF_MAX_WIDTH,
        parent: QtCore.QObject | None = None,
    ) -> None:
        super().__init__(parent)
        if capture not in CAPTURE_METHODS:
            raise ExportError(f"capture must be one of {', '.join(CAPTURE_METHODS)}; got {capture!r}")
        self._plan = make_plan(path, fps, duration_s, size, config)
        self._widget = widget
        self._force = bool(force)
        self._capture_pref = capture
        self._gif_max_width = gif_max_width
        self._method = "grab"
        self._encoder: Encoder | None = None
        self._state = "idle"  # idle → capturing → finishing → done | failed | cancelled
        self._captured = 0
        self._repeated = 0
        self._held = 0
        self._held_pending = 0
        self._last: QtGui.QImage | None = None
        self._t0 = 0.0
        self._result: RecordingResult | None = None
        self._error: str | None = None
        self._timer = QtCore.QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setTimerType(QtCore.Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(self._tick)
        # a capture right after each repaint of the window whose frame time has come (a busy
        # GUI thread starves timers; its repaints are when the picture changes anyway)
        self._after_paint_queued = False
        self._follow_paints = True
        self._poll = QtCore.QTimer(self)
        self._poll.setInterval(20)
        self._poll.timeout.connect(self._check_finished)
        widget.destroyed.connect(self._widget_destroyed)

    # -- properties -------------------------------------------------------------------------
    @property
    def path(self) -> Path:
        return self._plan.target

    @property
    def frames_total(self) -> int:
        """round(fps * duration_s): the number of frames of a recording that is not stopped early."""
        return self._plan.frames

    @property
    def frames_captured(self) -> int:
        return self._captured

    @property
    def is_recording(self) -> bool:
        """True from start() until the file is complete (or the recording failed or was cancelled)."""
        return self._state in ("capturing", "finishing")

    @property
    def is_capturing(self) -> bool:
        return self._state == "capturing"

    @property
    def capture_method(self) -> str:
        """ "backingstore" or "grab" (known after start())."""
        return self._method

    @property
    def result(self) -> RecordingResult | None:
        return self._result

    # -- commands ---------------------------------------------------------------------------
    def start(self) -> None:
        """Check the target (ExportError if it exists without force), capture the first frame
        and start the timer."""
        if self._state != "idle":
            raise RuntimeError("a Recorder records once; create a new one")
        check_targets(self._plan, self._force)
        first = self._first_frame()
        size = (first.width(), first.height())
        self._encoder = Encoder(
            self._plan,
            size,
            logical=(self._widget.width(), self._widget.height()),
            gif_max_width=self._gif_max_width,
            background=window_colour(self._widget),
        )
        self._state = "capturing"
        self._t0 = time.perf_counter()
        self._push(first, 1)
        if self._state == "capturing":
            if self._follow_paints:
                self._widget.window().installEventFilter(self)
            self._schedule()

    def stop_capture(self) -> None:
        """End the recording now without waiting: the file is completed in the background and
        ``finished`` (or ``failed``) is emitted.  Nothing happens if capturing has ended."""
        if self._state == "capturing":
            self._end_capture()
            self._poll.start()

    def stop(self) -> RecordingResult:
        """End the recording now (or return the result if it has ended), wait until the file
        is complete and return it.  Raises ExportError if the recording failed."""
        if self._state == "idle":
            raise RuntimeError("the recording has not started")
        if self._state == "capturing":
            self._end_capture()
        if self._state == "finishing":
            self._poll.stop()
            assert self._encoder is not None
            try:
                if self._held_pending and self._last is not None:
                    self._encoder.put(self._last, self._held_pending, block=True)
                    self._held_pending = 0
            except ExportError as exc:
                self._fail(f"recording {self._plan.target} failed: {exc}")
            else:
                self._encoder.finish()
                self._encoder.wait()
                self._finalize()
        if self._result is None:
            raise ExportError(self._error or "the recording was cancelled")
        return self._result

    def cancel(self) -> None:
        """Stop without writing anything (the temporary file is removed; no signal)."""
        if self._state in ("capturing", "finishing"):
            self._end_capture()
            self._poll.stop()
            self._state = "cancelled"
            if self._encoder is not None:
                self._encoder.abort()

    # -- internals --------------------------------------------------------------------------
    def _first_frame(self) -> QtGui.QImage:
        image, self._method = first_frame(self._widget, self._capture_pref)
        return image

    def _capture(self) -> QtGui.QImage:
        return capture(self._widget, self._method)

    def _end_capture(self) -> None:
        self._timer.stop()
        if self._state == "capturing":
            self._state = "finishing"
            with contextlib.suppress(RuntimeError):  # the widget may be gone
                self._widget.window().removeEventFilter(self)

    def _schedule(self) -> None:
        """Wake up when the next frame is due (frame k is due at t0 + k / fps)."""
        due = self._t0 + self._captured / self._plan.fps
        self._timer.start(max(0, round(1000 * (due - time.perf_counter()))))

    def _queue(self, image: QtGui.QImage, count: int) -> bool:
        assert self._encoder is not None
        try:
            return self._encoder.put(image, count, block=False)
        except ExportError as exc:
            self._fail(f"recording {self._plan.target} failed: {exc}")
            return False

    def _push(self, image: QtGui.QImage, count: int) -> None:
        """``image`` is the picture of the next ``count`` frames (the same QImage, no copies)."""
        count = min(count, self._plan.frames - self._captured)
        if self._held_pending and self._last is not None and self._queue(self._last, self._held_pending):
            self._held_pending = 0
        if self._state != "capturing":
            return
        if not self._held_pending and self._queue(image, count):
            self._last = image
            self._repeated += count - 1
        elif self._state == "capturing":
            # the encoder is far behind and the queue full: rather than block the live view or
            # store more, these frames hold the last stored picture (the timing stays real time)
            self._held_pending += count
            self._held += count
            self._repeated += count
        self._captured += count
        if self._captured >= self._plan.frames and self._state == "capturing":
            self._end_capture()
            self._poll.start()

    def eventFilter(self, watched: QtCore.QObject, event: QtCore.QEvent) -> bool:
        # UpdateRequest: the window is about to repaint its dirty widgets; look right after
        if (
            event.type() == QtCore.QEvent.Type.UpdateRequest
            and self._state == "capturing"
            and not self._after_paint_queued
        ):
            self._after_paint_queued = True
            QtCore.QTimer.singleShot(0, self._after_paint)
        return False

    @QtCore.Slot()
    def _after_paint(self) -> None:
        self._after_paint_queued = False
        if self._state == "capturing" and time.perf_counter() >= self._t0 + self._captured / self._plan.fps:
            self._tick()

    @QtCore.Slot()
    def _tick(self) -> None:
        if self._state != "capturing":
            return
        try:
            image = self._capture()
        except RuntimeError as exc:  # the widget's C++ object is gone
            self._fail(f"recording {self._plan.target} failed: cannot capture the window ({exc})")
            return
        # the frames whose time has come: more than one when the GUI thread was busy past a
        # frame's time (the window showed no newer picture then, so this one fills them)
        due = math.floor((time.perf_counter() - self._t0) * self._plan.fps + 1e-6) + 1
        self._push(image, max(1, due - self._captured))
        if self._state == "capturing":
            self._schedule()

    @QtCore.Slot()
    def _check_finished(self) -> None:
        """While finishing (poll timer): hand over held frames, then wait for the encoder."""
        if self._state != "finishing":
            self._poll.stop()
            return
        assert self._encoder is not None
        if self._encoder.error is not None:
            self._fail(f"recording {self._plan.target} failed: {self._encoder.error}")
            return
        if self._held_pending:
            assert self._last is not None  # frames are held only after one was captured
            if not self._queue(self._last, self._held_pending):
                return
            self._held_pending = 0
        self._encoder.finish()
        if self._encoder.done:
            self._finalize()

    def _finalize(self) -> None:
        self._poll.stop()
        assert self._encoder is not None
        try:
            self._result = self._encoder.finalize(
                self._force, repeated=self._repeated, held=self._held, capture=self._method
            )
        except ExportError as exc:
            self._fail(str(exc))
            return
        self._state = "done"
        self.finished.emit(self._result)

    def _fail(self, message: str) -> None:
        if self._state in ("failed", "cancelled", "done"):
            return
        self._end_capture()
        self._poll.stop()
        self._state = "failed"
        self._error = message
        if self._encoder is not None:
            self._encoder.abort()
        self.failed.emit(message)

    @QtCore.Slot()
    def _widget_destroyed(self) -> None:
        if self._state == "capturing":
            self._fail(f"recording {self._plan.target} failed: the window was closed")
