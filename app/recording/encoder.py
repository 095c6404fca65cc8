"""The encoder thread: captured QImages go through a bounded queue to a Python thread that
pipes them to the encoder process (:mod:`app.recording.ffmpeg`).  The thread only waits on the
pipe, so it never competes with the GUI thread for the GIL; :meth:`Encoder.finalize` renames
the finished file into place and writes its sidecar.
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import tempfile
import threading
from pathlib import Path
from typing import Any

from PySide6 import QtGui

from app.export import ExportError, _umask
from app.recording import ffmpeg
from app.recording.plan import GIF_MAX_WIDTH, Plan, RecordingResult, output_size
from app.safe_write import commit, os_reason, stage

#: frames waiting for the encoder take at most this much memory
QUEUE_BYTES = 256 * 1024 * 1024

_END = object()


class Encoder:
    """A Python thread that takes QImages from a bounded queue and pipes them to the encoder
    process, which writes a temporary file next to the target; :meth:`finalize` renames it
    into place."""

    def __init__(
        self,
        plan: Plan,
        capture: tuple[int, int],
        *,
        logical: tuple[int, int] | None = None,
        gif_max_width: int | None = GIF_MAX_WIDTH,
        background: tuple[int, int, int] = (255, 255, 255),
    ) -> None:
        self.plan = plan
        self.capture = capture
        # without a size the file has the widget's logical size (a 2× screen's pictures are
        # scaled down: four times the pixels would cost four times the encoding)
        self.out = output_size(plan.kind, logical or capture, plan.size, gif_max_width)
        self.background = background
        frame_bytes = max(1, capture[0] * capture[1] * 4)
        self.queue: queue.Queue[Any] = queue.Queue(maxsize=max(2, QUEUE_BYTES // frame_bytes))
        self.written = 0
        self.error: str | None = None
        self._abort = threading.Event()
        self._end = threading.Event()
        self._writer: ffmpeg.PipeWriter | None = None
        try:
            fd, tmp = tempfile.mkstemp(prefix=f".{plan.target.name}.", suffix=".part", dir=plan.target.parent)
        except OSError as exc:
            raise ExportError(f"cannot write in {plan.target.parent}: {os_reason(exc)}") from exc
        os.close(fd)
        self.tmp: Path | None = Path(tmp)
        self.thread = threading.Thread(target=self._run, name="backprop-lab-recorder", daemon=True)
        self.thread.start()

    # -- encoder thread ----------------------------------------------------------------------
    def _run(self) -> None:
        try:
            assert self.tmp is not None
            comment = None
            if self.plan.config_text is not None:
                comment = json.dumps(json.loads(self.plan.config_text), sort_keys=True, separators=(",", ":"))
            args = (self.tmp, self.capture, self.out, self.plan.fps, comment, self.background)
            if self.plan.kind == ".mp4":
                self._writer = ffmpeg.PipeWriter(ffmpeg.mp4_command(*args), "ffmpeg", self.capture)
            else:
                self._writer = ffmpeg.GifPipeWriter(self.tmp, ffmpeg.gif_command(*args), self.capture, comment)
            while not self._abort.is_set():
                try:
                    item = self.queue.get(timeout=0.05)
                except queue.Empty:
                    # the producer puts no frame after setting _end: empty then means done
                    if self._end.is_set() and self.queue.empty():
                        break
                    continue
                if item is _END or self._abort.is_set():
                    break
                image, count = item
                del item
                self._writer.write(image, count)
                self.written += count
                del image
            if not self._abort.is_set():
                self._writer.close()
                self._writer = None
        except ExportError as exc:
            self.error = str(exc)
        except Exception as exc:
            self.error = f"{type(exc).__name__}: {exc}"
        finally:
            if self._writer is not None:
                with contextlib.suppress(Exception):
                    self._writer.abort()
                self._writer = None
            if self.error is not None or self._abort.is_set():
                # let a blocked producer go on
                with contextlib.suppress(queue.Empty):
                    while True:
                        self.queue.get_nowait()

    # -- producer side (GUI thread) -------------------------------------------------------------
    def put(self, image: QtGui.QImage, count: int = 1, *, block: bool) -> bool:
        """Queue ``image`` as the next ``count`` frames; without ``block``, False when the queue
        is full.  Raises ExportError if the encoder failed."""
        while True:
            if self.error is not None:
                raise ExportError(self.error)
            if not self.thread.is_alive():
                raise ExportError("the encoder stopped")
            try:
                self.queue.put((image, count), timeout=0.1 if block else None, block=block)
                return True
            except queue.Full:
                if not block:
                    return False

    def finish(self) -> None:
        """No more frames; the thread writes what is queued and closes the file (returns at once)."""
        self._end.set()

    @property
    def done(self) -> bool:
        return not self.thread.is_alive()

    def wait(self) -> None:
        self.thread.join()

    def abort(self) -> None:
        """Stop at once (kill the encoder process) and remove the temporary file."""
        self._abort.set()
        writer = self._writer
        if writer is not None:
            with contextlib.suppress(Exception):
                writer.abort()
        with contextlib.suppress(queue.Full):
            self.queue.put_nowait(_END)
        self.thread.join(timeout=10)
        self.cleanup()

    def cleanup(self) -> None:
        if self.tmp is not None:
            with contextlib.suppress(OSError):
                self.tmp.unlink()
            self.tmp = None

    def finalize(self, force: bool, *, repeated: int = 0, held: int = 0, capture: str = "grab") -> RecordingResult:
        """After the thread ended: rename the file into place and write the sidecar."""
        plan = self.plan
        try:
            if self.error is not None:
                raise ExportError(f"recording {plan.target} failed: {self.error}")
            if self.written == 0:
                raise ExportError(f"recording {plan.target} failed: no frame was recorded")
            assert self.tmp is not None
            try:
                os.chmod(self.tmp, 0o666 & ~_umask())
            except OSError as exc:
                raise ExportError(f"cannot write {plan.target}: {os_reason(exc)}") from exc
            # the sidecar is written in full before the video is renamed into place: a full
            # disk cannot leave a video without the config that made it
            staged = [(self.tmp, plan.target)]
            if plan.config_text is not None:
                staged.append((stage(plan.sidecar, (plan.config_text + "\n").encode("utf-8")), plan.sidecar))
            self.tmp = None
            commit(staged, force=force)
        finally:
            self.cleanup()
        return RecordingResult(
            path=plan.target,
            frames=self.written,
            fps=plan.fps,
            seconds=self.written / plan.fps,
            size=self.out,
            repeated=repeated,
            held=held,
            capture=capture,
        )
