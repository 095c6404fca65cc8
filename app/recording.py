"""Recording a run as an MP4 video or an animated GIF (for slides).

Two ways in:

* :class:`Recorder` records a live widget (normally the main window) while it trains: on
  the GUI thread, right after each repaint of the window and on a timer, the window's pixels
  are copied whenever a frame is due; a child process encodes them.
* :func:`record_run` trains a config in this process and renders one frame per slice of the
  run (the headless ``--record`` command line).

Capture.  ``QWidget.grab()`` re-renders the whole window (about 30 ms at 1920×1080, which
would halve the live frame rate) and ``QScreen.grabWindow()`` asks the X server for the
pixels (15–22 ms on Xvfb).  Qt keeps every top-level window's last painted pixels in its
*backing store*, a QImage on the raster platforms (xcb, offscreen, Windows, macOS): copying
the window's rectangle out of it costs about 1 ms at 1920×1080 and shows exactly what is on
the screen, even where another window covers it.  When a recording starts the copy is
compared with one ``grab()``; if there is no QImage backing store or the two pictures
disagree on more than half of the pixels, every frame is taken with ``grab()``.

Pacing.  Frame k is due at ``start + k / fps``.  When the GUI thread was busy past a frame's
time, the next capture fills every frame that has come due (the window showed nothing newer
meanwhile), so the file always plays in real time and has ``round(fps * duration_s)`` frames
after ``duration_s`` seconds.

Encoding happens off the GUI thread and out of its process: captured QImages (shared, not
copied, when a picture fills several frames) go through a bounded queue (at most
:data:`QUEUE_BYTES` of pictures) to a thread that pipes raw BGRA frames to a child process:
the ffmpeg binary bundled with imageio-ffmpeg.  An MP4 is encoded as the frames arrive
(libx264 :data:`MP4_PRESET`, yuv420p, BT.709; scaling and padding are done by ffmpeg).  A
GIF takes three ffmpeg passes: while recording, the frames are scaled and stored losslessly
in a temporary file (H.264 in RGB at QP 0, which costs less than quantising each frame and
next to nothing for an unchanged picture); at the end ``palettegen`` makes one palette of the
whole recording and ``paletteuse`` writes the GIF with it, storing only the rectangle that
changed since the frame before.  The thread
only waits on the pipe, so it never competes with the GUI thread for the GIL.  The child runs
at a lower CPU priority (nice :data:`ENCODER_NICE`, the training engine's).  When the encoder
falls so far behind that the queue is full, the frames that come due hold the last stored
picture until there is room again (the live view is never blocked and no more memory is
taken; :attr:`RecordingResult.held` counts them, so the user can be told that the computer
was too busy; the headless :func:`record_run` never holds a frame).  The encoder works
through its queue after capturing ends: ``finished`` follows once the file is complete.

Files are written like the other exports (``app/export.py``): into a temporary file in the
target folder that is renamed at the end; an existing file is refused unless ``force``
(checked before the first frame); with a ``config`` a sidecar ``OUT.mp4.json`` /
``OUT.gif.json`` is written and the config also goes into the file's comment (MP4
metadata ``comment``, GIF comment extension).  On failure or cancel the temporary file is
removed and nothing that existed is touched.

A GIF stores frame delays in hundredths of a second and browsers slow down delays under
0.02 s, so GIFs are limited to :data:`GIF_MAX_FPS`; by default they are scaled down to at
most :data:`GIF_MAX_WIDTH` pixels wide to keep files small.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import math
import os
import queue
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
from PySide6 import QtCore, QtGui, QtWidgets

from app.engine_process import diverged_message, ready_info
from app.export import ExportError, _check_target, _config_dict, _umask
from app.safe_write import commit, os_reason, stage
from app.worker import Updates
from model import ExperimentConfig, Trainer

#: extension → what it is called in messages
KINDS: dict[str, str] = {".mp4": "MP4 video", ".gif": "animated GIF"}
MIN_FPS = 1
MAX_FPS = 60
GIF_MAX_FPS = 50
MAX_DURATION_S = 600.0
MIN_SIZE = 16
MAX_SIZE = 8192
#: GIFs are scaled down to at most this width unless a size is given
GIF_MAX_WIDTH = 960
#: libx264 settings: "veryfast" at CRF 20 is sharp for text and lines (see benchmarks/bench_recording.py)
MP4_PRESET = "veryfast"
MP4_CRF = 20
#: libx264 threads; 0: all cores but two (those are the GUI's and training's), at least one
MP4_THREADS = 0
#: the encoder process's nice value (ffmpeg, or the GIF encoder): 10, the training engine's, so
#: the GUI keeps precedence and encoding shares the rest with training.  19 (the lowest) slowed
#: training less but starved the encoder: fewer distinct pictures and a long wait for the file
#: once capturing ended (benchmarks/bench_recording.py, 2 cores).  The Python encoder thread
#: keeps normal priority: a thread descheduled while holding the GIL would stall the GUI.
ENCODER_NICE = 10
#: frames waiting for the encoder take at most this much memory
QUEUE_BYTES = 256 * 1024 * 1024
CAPTURE_METHODS = ("auto", "backingstore", "grab")


@dataclass(frozen=True)
class RecordingResult:
    """A finished recording."""

    path: Path
    frames: int
    fps: float
    #: playback length: frames / fps
    seconds: float
    #: (width, height) of the file's frames
    size: tuple[int, int]
    #: live recording: frames repeating the picture before them because the GUI thread was busy
    #: past their time (the window showed nothing newer) or the encoder was behind; 0 for record_run
    repeated: int = 0
    #: of those, frames where the encoder was behind: the last stored picture is held and the
    #: window's newer pictures are lost until it catches up (timing stays real time)
    held: int = 0
    #: how frames were captured: "backingstore" or "grab"
    capture: str = "grab"


# -- parameters ----------------------------------------------------------------------------
@dataclass(frozen=True)
class _Plan:
    target: Path
    kind: str  # ".mp4" or ".gif"
    fps: float
    frames: int
    size: tuple[int, int] | None
    config_text: str | None

    @property
    def sidecar(self) -> Path:
        return self.target.with_name(self.target.name + ".json")


def _plan(
    path: str | os.PathLike[str],
    fps: float,
    duration_s: float,
    size: tuple[int, int] | None,
    config: Any,
) -> _Plan:
    """Validate the parameters of a recording (ExportError with a clear message)."""
    target = Path(path)
    kind = target.suffix.lower()
    if kind not in KINDS:
        allowed = " or ".join(f"{ext} ({name})" for ext, name in KINDS.items())
        raise ExportError(f"cannot record {target.name}: the file must end in {allowed}")
    try:
        fps_f = float(fps)
    except (TypeError, ValueError):
        raise ExportError(f"fps must be a number from {MIN_FPS} to {MAX_FPS}; got {fps!r}") from None
    if not (math.isfinite(fps_f) and MIN_FPS <= fps_f <= MAX_FPS):
        raise ExportError(f"fps must be from {MIN_FPS} to {MAX_FPS}; got {fps!r}")
    if kind == ".gif" and fps_f > GIF_MAX_FPS:
        raise ExportError(
            f"an animated GIF plays at most {GIF_MAX_FPS} frames per second (its delays are in 1/100 s); "
            f"got {fps!r}: choose a lower fps or record an MP4"
        )
    try:
        seconds = float(duration_s)
    except (TypeError, ValueError):
        raise ExportError(f"duration must be a number of seconds; got {duration_s!r}") from None
    if not (math.isfinite(seconds) and 0 < seconds <= MAX_DURATION_S):
        raise ExportError(f"duration must be more than 0 and at most {MAX_DURATION_S:g} seconds; got {duration_s!r}")
    frames = round(fps_f * seconds)
    if frames < 1:
        raise ExportError(f"{seconds:g} s at {fps_f:g} fps is less than one frame; record for longer")
    if size is not None:
        try:
            w, h = (int(v) for v in size)
        except (TypeError, ValueError):
            raise ExportError(f"size must be (width, height); got {size!r}") from None
        if not (MIN_SIZE <= w <= MAX_SIZE and MIN_SIZE <= h <= MAX_SIZE):
            raise ExportError(f"size must be from {MIN_SIZE}×{MIN_SIZE} to {MAX_SIZE}×{MAX_SIZE}; got {w}×{h}")
        size = (w, h)
    data = _config_dict(config)
    text = None if data is None else json.dumps(data, indent=2, sort_keys=True, allow_nan=False)
    return _Plan(target, kind, fps_f, frames, size, text)


def _check_targets(plan: _Plan, force: bool) -> None:
    _check_target(plan.target, force)
    if plan.config_text is not None:
        _check_target(plan.sidecar, force)


def _even(n: int) -> int:
    return max(2, n - n % 2)


def output_size(
    kind: str, capture: tuple[int, int], size: tuple[int, int] | None, gif_max_width: int | None = GIF_MAX_WIDTH
) -> tuple[int, int]:
    """The file's frame size: ``size`` if given, else the captured size (GIFs at most
    ``gif_max_width`` wide, keeping the proportions); MP4 sizes rounded down to even numbers."""
    if size is not None:
        w, h = size
    else:
        w, h = capture
        if kind == ".gif" and gif_max_width is not None and w > gif_max_width:
            w, h = gif_max_width, max(1, round(h * gif_max_width / w))
    if kind == ".mp4":
        return _even(w), _even(h)
    return max(1, w), max(1, h)


def _fit(src: tuple[int, int], dst: tuple[int, int]) -> tuple[int, int]:
    """The largest size with ``src``'s proportions inside ``dst`` (``dst`` itself when within
    a pixel, so a rounding difference never leaves a one-pixel bar)."""
    sw, sh = src
    dw, dh = dst
    s = min(dw / sw, dh / sh)
    w, h = min(dw, max(1, round(sw * s))), min(dh, max(1, round(sh * s)))
    if abs(w - dw) <= 1 and abs(h - dh) <= 1:
        return dw, dh
    return w, h


# -- capture --------------------------------------------------------------------------------
_BGRX_FORMATS = (
    QtGui.QImage.Format.Format_RGB32,
    QtGui.QImage.Format.Format_ARGB32,
    QtGui.QImage.Format.Format_ARGB32_Premultiplied,
)


def _bgrx(image: QtGui.QImage) -> QtGui.QImage:
    """``image`` in a 32-bit format whose bytes are B, G, R, X in memory (little-endian)."""
    if image.format() not in _BGRX_FORMATS:
        image = image.convertToFormat(QtGui.QImage.Format.Format_RGB32)
    return image


def grab_image(widget: QtWidgets.QWidget) -> QtGui.QImage:
    """``widget`` rendered afresh (``QWidget.grab``); about 30 ms for a 1920×1080 window."""
    return _bgrx(widget.grab().toImage())


def backing_store_image(widget: QtWidgets.QWidget) -> QtGui.QImage | None:
    """A copy of ``widget``'s pixels as last painted, from its window's backing store, or None
    when the platform keeps no QImage backing store (about 1 ms for a 1920×1080 window)."""
    top = widget.window()
    if not top.isVisible():
        return None
    store = top.backingStore()
    if store is None:
        return None
    device = store.paintDevice()
    if not isinstance(device, QtGui.QImage) or device.isNull():
        return None
    dpr = device.devicePixelRatio()
    origin = QtCore.QPoint(0, 0) if widget is top else widget.mapTo(top, QtCore.QPoint(0, 0))
    rect = QtCore.QRect(
        round(origin.x() * dpr), round(origin.y() * dpr), round(widget.width() * dpr), round(widget.height() * dpr)
    )
    if rect.isEmpty() or not device.rect().contains(rect):
        return None
    return _bgrx(device.copy(rect))


def image_array(image: QtGui.QImage) -> np.ndarray:
    """A (height, width, 4) uint8 view (B, G, R, X) of a 32-bit ``image``, honouring its
    stride.  The view shares the image's memory: keep ``image`` alive while using it."""
    h, w, bpl = image.height(), image.width(), image.bytesPerLine()
    buf = np.frombuffer(image.constBits(), dtype=np.uint8, count=h * bpl)
    return buf.reshape(h, bpl)[:, : w * 4].reshape(h, w, 4)


def _plausible(stored: QtGui.QImage, fresh: QtGui.QImage) -> bool:
    """Whether a backing-store copy shows the same window as a fresh ``grab()``: at least half
    of the pixels equal.  (A live window's store lags the fresh render by the views that
    changed since the last paint, a few per cent of the pixels; an unusable store differs
    nearly everywhere.)"""
    if stored.size() != fresh.size():
        return False
    x, y = image_array(stored)[..., :3], image_array(fresh)[..., :3]
    differ = np.abs(x.astype(np.int16) - y.astype(np.int16)).max(axis=2) > 8
    return float(differ.mean()) <= 0.5


# -- encoder processes ------------------------------------------------------------------------
def _ffmpeg_exe() -> str:
    try:
        import imageio_ffmpeg
    except ImportError as exc:  # pragma: no cover - a declared dependency
        raise ExportError("recording MP4 needs the imageio-ffmpeg package (pip install imageio-ffmpeg)") from exc
    try:
        return str(imageio_ffmpeg.get_ffmpeg_exe())
    except RuntimeError as exc:  # pragma: no cover - the wheel ships a binary
        raise ExportError(f"no ffmpeg binary found: {exc}") from exc


def _hex_colour(colour: tuple[int, int, int]) -> str:
    return "0x{:02X}{:02X}{:02X}".format(*colour)


def _fit_filters(
    capture: tuple[int, int], out: tuple[int, int], background: tuple[int, int, int], *, even: bool, scale: str = ""
) -> list[str]:
    """ffmpeg filters taking frames of size ``capture`` to ``out``: crop an odd last pixel, or
    scale keeping the proportions (to even sizes if ``even``) and pad with ``background``.
    ``scale`` holds options for the scaler (colour conversion), applied in any case."""
    (iw, ih), (ow, oh) = capture, out
    own_scale = [f"scale={scale}"] if scale else []
    if (iw, ih) == (ow, oh):
        return own_scale
    if 0 <= iw - ow <= 1 and 0 <= ih - oh <= 1:
        return [f"crop={ow}:{oh}:0:0", *own_scale]
    fw, fh = _fit((iw, ih), (ow, oh))
    if even and (fw, fh) != (ow, oh):
        fw, fh = _even(fw), _even(fh)
    parts = [f"scale={fw}:{fh}:flags=area" + (f":{scale}" if scale else "")]
    if (fw, fh) != (ow, oh):
        parts.append(f"pad={ow}:{oh}:{(ow - fw) // 2}:{(oh - fh) // 2}:color={_hex_colour(background)}")
    return parts


def mp4_filter(capture: tuple[int, int], out: tuple[int, int], background: tuple[int, int, int]) -> str:
    """The ffmpeg filter chain taking frames of size ``capture`` to ``out`` (even), then to
    BT.709 yuv420p."""
    parts = _fit_filters(capture, out, background, even=True, scale="out_color_matrix=bt709:out_range=tv")
    # tag the stream as BT.709 so players convert it back with the matrix it was made with
    parts += ["format=yuv420p", "setparams=range=tv:color_primaries=bt709:color_trc=bt709:colorspace=bt709"]
    return ",".join(parts)


def _ffmpeg(*args: str) -> list[str]:
    return [_ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-y", *args]


def _raw_input(capture: tuple[int, int], fps: float) -> list[str]:
    """ffmpeg options reading raw BGRX frames of size ``capture`` from stdin at ``fps``."""
    size = f"{capture[0]}x{capture[1]}"
    return ["-f", "rawvideo", "-pix_fmt", "bgra", "-video_size", size, "-framerate", _fps_text(fps), "-i", "pipe:0"]


def _fps_text(fps: float) -> str:
    return str(Fraction(fps).limit_denominator(1001))


def _mp4_command(
    tmp: Path, capture: tuple[int, int], out: tuple[int, int], fps: float, comment: str | None, bg: Any
) -> list[str]:
    threads = MP4_THREADS if MP4_THREADS > 0 else max(1, (os.cpu_count() or 2) - 2)
    cmd = _ffmpeg(*_raw_input(capture, fps), "-an", "-vf", mp4_filter(capture, out, bg))
    cmd += ["-c:v", "libx264", "-preset", MP4_PRESET, "-crf", str(MP4_CRF), "-pix_fmt", "yuv420p"]
    cmd += ["-r", _fps_text(fps), "-threads", str(threads), "-movflags", "+faststart"]
    if comment is not None:
        cmd += ["-metadata", f"comment={comment}"]
    return [*cmd, "-f", "mp4", str(tmp)]


def _gif_frames_path(tmp: Path) -> Path:
    """Where a GIF's frames wait, losslessly compressed, for the palette passes."""
    return tmp.with_name(tmp.name + ".frames.part")


def _gif_palette_path(tmp: Path) -> Path:
    return tmp.with_name(tmp.name + ".palette.part")


def _gif_command(
    tmp: Path, capture: tuple[int, int], out: tuple[int, int], fps: float, comment: str | None, bg: Any
) -> list[str]:
    """The GIF's first pass, while frames arrive: scaled to the file's size and stored losslessly
    (H.264 in RGB at QP 0: an unchanged picture costs next to nothing)."""
    cmd = _ffmpeg(*_raw_input(capture, fps), "-an")
    scaling = _fit_filters(capture, out, bg, even=False)
    if scaling:
        cmd += ["-vf", ",".join(scaling)]
    cmd += ["-c:v", "libx264rgb", "-qp", "0", "-preset", "ultrafast", "-pix_fmt", "bgr0"]
    return [*cmd, "-f", "matroska", str(_gif_frames_path(tmp))]


def _gif_palette_commands(tmp: Path) -> list[list[str]]:
    """The GIF's passes once every frame is in: ffmpeg's ``palettegen`` makes one palette of
    the whole recording, ``paletteuse`` maps every frame to it (no dithering: flat colours and
    text stay flat) and stores only the rectangle that changed since the frame before."""
    frames, palette = str(_gif_frames_path(tmp)), str(_gif_palette_path(tmp))
    return [
        _ffmpeg(
            "-i", frames, "-vf", "palettegen=stats_mode=full", "-update", "1", "-c:v", "png", "-f", "image2", palette
        ),
        _ffmpeg(
            "-i", frames, "-i", palette, "-lavfi", "[0:v][1:v]paletteuse=dither=none:diff_mode=rectangle",
            "-loop", "0", "-f", "gif", str(tmp),
        ),
    ]  # fmt: skip


def gif_comment_block(comment: str) -> bytes:
    """A GIF comment extension holding ``comment`` (ffmpeg's GIF muxer writes none)."""
    data = comment.encode("utf-8")
    return (
        b"\x21\xfe"
        + b"".join(bytes([len(data[i : i + 255])]) + data[i : i + 255] for i in range(0, len(data), 255))
        + b"\x00"
    )


def _insert_gif_comment(path: Path, comment: str) -> None:
    """Rewrite the GIF at ``path`` with ``comment`` right after its screen descriptor and global
    colour table, where readers look for it."""
    with open(path, "rb") as src:
        head = src.read(13)
        if len(head) < 13 or head[:3] != b"GIF":
            raise ExportError("ffmpeg did not write a GIF")
        if head[10] & 0x80:  # a global colour table of 2^(n+1) colours follows
            head += src.read(3 * (2 << (head[10] & 7)))
        with_comment = path.with_name(path.name + ".comment")
        try:
            with open(with_comment, "wb") as dst:
                dst.write(head + gif_comment_block(comment))
                shutil.copyfileobj(src, dst, 1 << 20)
            os.replace(with_comment, path)
        finally:
            with contextlib.suppress(OSError):
                with_comment.unlink()


def _niced(cmd: list[str]) -> tuple[list[str], int]:
    """``cmd`` at the encoders' lower CPU priority (nice :data:`ENCODER_NICE`), and the process
    creation flags that do it on Windows."""
    if ENCODER_NICE <= 0:
        return cmd, 0
    if sys.platform == "win32":
        return cmd, subprocess.IDLE_PRIORITY_CLASS if ENCODER_NICE >= 15 else subprocess.BELOW_NORMAL_PRIORITY_CLASS
    nice = shutil.which("nice")
    return ([nice, "-n", str(ENCODER_NICE), *cmd] if nice is not None else cmd), 0


class _PipeWriter:
    """An ffmpeg process that reads raw BGRX frames of the capture size on its stdin and writes
    the file (an MP4; a GIF's lossless first pass), at a lower CPU priority."""

    def __init__(self, cmd: list[str], name: str, capture: tuple[int, int]) -> None:
        self.name = name
        self.capture = capture
        self._stderr = tempfile.TemporaryFile()
        cmd, flags = _niced(cmd)
        try:
            self.proc = subprocess.Popen(
                cmd, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=self._stderr, creationflags=flags
            )
        except OSError as exc:
            self._stderr.close()
            raise ExportError(f"cannot start {name}: {os_reason(exc)}") from exc

    def _says(self) -> str:
        try:
            self._stderr.seek(0)
            lines = self._stderr.read().decode("utf-8", "replace").strip().splitlines()
        except (OSError, ValueError):
            return ""
        # the first message names the cause; later ones are its consequences
        return re.sub(r"^(\[[^\]]*\]\s*)+", "", lines[0]).strip() if lines else ""

    def _failure(self, what: str) -> ExportError:
        self.proc.wait()
        said = self._says()
        return ExportError(f"{self.name} {what}" + (f": {said}" if said else f" (exit status {self.proc.returncode})"))

    def write(self, image: QtGui.QImage, count: int = 1) -> None:
        """Send ``image`` as the next ``count`` frames."""
        frame = image_array(image)
        if (image.width(), image.height()) != self.capture:
            frame = _resize_bgrx(frame, self.capture)
        data = memoryview(np.ascontiguousarray(frame).data).cast("B")
        assert self.proc.stdin is not None
        try:
            for _ in range(count):
                self.proc.stdin.write(data)
        except (BrokenPipeError, OSError) as exc:
            raise self._failure("stopped while recording") from exc

    def close(self) -> None:
        assert self.proc.stdin is not None
        try:
            self.proc.stdin.close()
        except (BrokenPipeError, OSError):
            pass
        if self.proc.wait() != 0:
            raise self._failure("failed")
        self._stderr.close()

    def abort(self) -> None:
        with contextlib.suppress(OSError):
            self.proc.kill()
        with contextlib.suppress(OSError, ValueError):
            if self.proc.stdin is not None:
                self.proc.stdin.close()
        self.proc.wait()
        self._stderr.close()


class _GifPipeWriter(_PipeWriter):
    """A GIF in three ffmpeg passes: the frames, stored losslessly while they arrive
    (:func:`_gif_command`), then the palette of the whole recording and the GIF itself
    (:func:`_gif_palette_commands`) once they are all in; the comment goes in last."""

    def __init__(self, tmp: Path, cmd: list[str], capture: tuple[int, int], comment: str | None) -> None:
        self.tmp = tmp
        self.comment = comment
        self._passes: subprocess.Popen[bytes] | None = None
        super().__init__(cmd, "the GIF encoder", capture)

    def close(self) -> None:
        try:
            super().close()
            for cmd in _gif_palette_commands(self.tmp):
                niced, flags = _niced(cmd)
                self._passes = subprocess.Popen(
                    niced,
                    stdin=subprocess.DEVNULL,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.PIPE,
                    creationflags=flags,
                )
                _, said = self._passes.communicate()
                if self._passes.returncode != 0:
                    first = said.decode("utf-8", "replace").strip().splitlines()[:1]
                    raise ExportError(
                        f"{self.name} failed: " + (first[0] if first else f"exit status {self._passes.returncode}")
                    )
            if self.comment:
                try:
                    _insert_gif_comment(self.tmp, self.comment)
                except OSError as exc:
                    raise ExportError(f"{self.name} failed: {os_reason(exc)}") from exc
        finally:
            self._remove_passes()

    def abort(self) -> None:
        if self._passes is not None:
            with contextlib.suppress(OSError):
                self._passes.kill()
        super().abort()
        self._remove_passes()

    def _remove_passes(self) -> None:
        for path in (_gif_frames_path(self.tmp), _gif_palette_path(self.tmp)):
            with contextlib.suppress(OSError):
                path.unlink()


def _resize_bgrx(frame: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """Stretch a (h, w, 4) BGRX frame to ``size`` (w, h) with Pillow (releases the GIL)."""
    from PIL import Image

    h, w = frame.shape[:2]
    im = Image.frombuffer("RGBA", (w, h), np.ascontiguousarray(frame), "raw", "RGBA", 0, 1)
    return np.asarray(im.resize(size, Image.Resampling.BILINEAR, reducing_gap=1.0))


# -- the encoder thread -------------------------------------------------------------------------
_END = object()


class _Encoder:
    """A Python thread that takes QImages from a bounded queue and pipes them to the encoder
    process, which writes a temporary file next to the target; :meth:`finalize` renames it
    into place."""

    def __init__(
        self,
        plan: _Plan,
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
        self._writer: _PipeWriter | None = None
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
                self._writer = _PipeWriter(_mp4_command(*args), "ffmpeg", self.capture)
            else:
                self._writer = _GifPipeWriter(self.tmp, _gif_command(*args), self.capture, comment)
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


def _window_colour(widget: QtWidgets.QWidget) -> tuple[int, int, int]:
    c = widget.palette().color(QtGui.QPalette.ColorRole.Window)
    return c.red(), c.green(), c.blue()


# -- live recording -------------------------------------------------------------------------------
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
        self._plan = _plan(path, fps, duration_s, size, config)
        self._widget = widget
        self._force = bool(force)
        self._capture_pref = capture
        self._gif_max_width = gif_max_width
        self._method = "grab"
        self._encoder: _Encoder | None = None
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
        _check_targets(self._plan, self._force)
        first = self._first_frame()
        size = (first.width(), first.height())
        self._encoder = _Encoder(
            self._plan,
            size,
            logical=(self._widget.width(), self._widget.height()),
            gif_max_width=self._gif_max_width,
            background=_window_colour(self._widget),
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
        widget = self._widget
        if self._capture_pref != "grab":
            stored = backing_store_image(widget)
            if stored is not None:
                if self._capture_pref == "backingstore" or _plausible(stored, grab_image(widget)):
                    self._method = "backingstore"
                    return stored
            elif self._capture_pref == "backingstore":
                raise ExportError("this platform keeps no backing store image of the window; use capture='grab'")
        self._method = "grab"
        return grab_image(widget)

    def _capture(self) -> QtGui.QImage:
        if self._method == "backingstore":
            image = backing_store_image(self._widget)
            if image is not None:
                return image
        return grab_image(self._widget)

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


# -- headless recording ----------------------------------------------------------------------------
def _process_events(app: QtCore.QCoreApplication, times: int) -> None:
    for _ in range(times):
        app.processEvents()


def _settled_frame(
    app: QtCore.QCoreApplication, window: QtWidgets.QWidget, method: str | None
) -> tuple[QtGui.QImage, str]:
    """The window's picture once the events of an update are processed.  Processing them
    paints the window into its backing store, so copying that (1 ms) saves rendering it again
    with ``grab()`` (30 ms at 1920×1080).  ``method`` None: choose, using the backing store
    only if it equals a fresh ``grab()`` (up to 0.1 % of the pixels: a toolbar's extension
    button can differ in its hover state)."""
    _process_events(app, 2)
    QtCore.QCoreApplication.sendPostedEvents(window, QtCore.QEvent.Type.UpdateRequest)
    if method == "grab":
        return grab_image(window), "grab"
    stored = backing_store_image(window)
    if method is None:
        fresh = grab_image(window)
        if stored is None or stored.size() != fresh.size():
            return fresh, "grab"
        differ = np.any(image_array(stored)[..., :3] != image_array(fresh)[..., :3], axis=2)
        return (stored, "backingstore") if float(differ.mean()) <= 0.001 else (fresh, "grab")
    return (stored, "backingstore") if stored is not None else (grab_image(window), "grab")


def record_run(
    window: QtWidgets.QWidget,
    config: ExperimentConfig,
    steps: int,
    path: str | os.PathLike[str],
    *,
    fps: float = 30,
    duration_s: float = 10.0,
    size: tuple[int, int] = (1920, 1080),
    force: bool = False,
    gif_max_width: int | None = GIF_MAX_WIDTH,
    progress: Callable[[int, int], None] | None = None,
) -> RecordingResult:
    """Train ``config`` for ``steps`` steps in this process and record ``window`` (a window
    with ``apply_updates``, e.g. ``MainWindow(config, controller=None)``) laid out at ``size``.

    The steps are spread evenly over the ``round(fps * duration_s)`` frames: frame ``i``
    (from 0) shows the state after ``round(steps * (i + 1) / frames)`` steps, so the last frame
    shows the end of the run.  The last step of every frame is a detailed one and each
    frame's update carries the weights, so every view moves.  A diverging run stops training
    and the frozen last state (with the "diverged" banner) is recorded to the end, so the
    file always has every frame.  The MP4 has ``size`` (even); a GIF is scaled down to at
    most ``gif_max_width`` wide (None keeps ``size``; lay the window out smaller for larger
    text).  The config goes into the sidecar ``path + ".json"`` and the file's comment.
    ``progress(done, total)`` is called after every frame.
    """
    trainer = Trainer(config)

    def begin() -> None:
        window.apply_updates(Updates(ready=ready_info(trainer), snapshots=[trainer.inspect()]))  # type: ignore[attr-defined]

    done, diverged = 0, False

    def advance(goal: int) -> bool:
        nonlocal done, diverged
        batch = []
        while done < goal and not diverged:
            done += 1
            batch.append(trainer.step(detail=done == goal))
            diverged = batch[-1].diverged
        if not batch:
            return False
        messages = [("paused", diverged_message(batch[-1]))] if batch[-1].diverged else []
        weights = [w.copy() for w in trainer.network.weights]
        window.apply_updates(Updates(snapshots=batch, weights=weights, messages=messages))  # type: ignore[attr-defined]
        return True

    return record_frames(
        window, config, steps, path, begin, advance,
        fps=fps, duration_s=duration_s, size=size, force=force, gif_max_width=gif_max_width, progress=progress,
    )  # fmt: skip


def record_frames(
    window: QtWidgets.QWidget,
    config: Any,
    steps: int,
    path: str | os.PathLike[str],
    begin: Callable[[], None],
    advance: Callable[[int], bool],
    *,
    fps: float,
    duration_s: float,
    size: tuple[int, int],
    force: bool,
    gif_max_width: int | None,
    progress: Callable[[int, int], None] | None,
) -> RecordingResult:
    """The headless recording loop shared by one run (:func:`record_run`) and a comparison:
    lay ``window`` out at ``size``, ``begin()`` (show the freshly built runs), then for frame
    ``i`` ``advance(goal)`` trains to ``goal = round(steps * (i + 1) / frames)`` steps and
    feeds the window (False: nothing changed, the last picture is reused).  ``config`` (a
    config or a record of several) goes into the sidecar and the file's comment."""
    plan = _plan(path, fps, duration_s, size, config)
    if isinstance(steps, bool) or not isinstance(steps, int) or steps < 0:
        raise ExportError(f"steps must be a whole number ≥ 0; got {steps!r}")
    _check_targets(plan, force)
    app = QtWidgets.QApplication.instance()
    if app is None:
        raise ExportError("recording headless needs a QApplication")
    assert plan.size is not None
    window.resize(*plan.size)
    window.show()
    _process_events(app, 3)

    begin()
    frame, method = _settled_frame(app, window, None)
    # frames are rendered at the window's size; the encoder scales them to the file's size
    plan = dataclasses.replace(
        plan, size=output_size(plan.kind, plan.size, None if plan.kind == ".gif" else plan.size, gif_max_width)
    )
    encoder = _Encoder(
        plan, (frame.width(), frame.height()), gif_max_width=gif_max_width, background=_window_colour(window)
    )
    try:
        for i in range(plan.frames):
            if advance(round(steps * (i + 1) / plan.frames)):
                frame, method = _settled_frame(app, window, method)
            encoder.put(frame, block=True)
            if progress is not None:
                progress(i + 1, plan.frames)
        encoder.finish()
        encoder.wait()
        return encoder.finalize(force, capture=method)
    except BaseException:
        encoder.abort()
        raise


# -- the dialog --------------------------------------------------------------------------------------
class RecordDialog(QtWidgets.QDialog):
    """Asks for the file, frame rate, duration and size of a recording.

    ``values()`` → (path, fps, duration_s, size or None); :attr:`force` says whether the user
    agreed to replace an existing file (asked when OK is pressed; see :meth:`ask_force`).
    The message boxes and the file dialog go through :meth:`_question`, :meth:`_warn` and
    :meth:`_save_file_name`, which tests override.
    """

    SIZES: tuple[tuple[int, int], ...] = ((1280, 720), (1920, 1080))

    def __init__(
        self,
        parent: QtWidgets.QWidget | None = None,
        *,
        path: str | os.PathLike[str] | None = None,
        window_size: tuple[int, int] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(QtCore.QCoreApplication.translate("RecordDialog", "Record a video"))
        self.force = False
        form = QtWidgets.QFormLayout(self)

        row = QtWidgets.QHBoxLayout()
        self.path_edit = QtWidgets.QLineEdit(str(path) if path is not None else "")
        self.path_edit.setObjectName("path")
        self.path_edit.setMinimumWidth(360)
        self.path_edit.textChanged.connect(self._update_format)
        self.browse_button = QtWidgets.QPushButton(QtCore.QCoreApplication.translate("RecordDialog", "Browse…"))
        self.browse_button.setObjectName("browse")
        self.browse_button.clicked.connect(self.browse)
        row.addWidget(self.path_edit, 1)
        row.addWidget(self.browse_button)
        form.addRow(QtCore.QCoreApplication.translate("RecordDialog", "File"), row)

        self.format_label = QtWidgets.QLabel("")
        self.format_label.setObjectName("format")
        form.addRow(QtCore.QCoreApplication.translate("RecordDialog", "Format"), self.format_label)

        self.fps_spin = QtWidgets.QSpinBox()
        self.fps_spin.setObjectName("fps")
        self.fps_spin.setRange(MIN_FPS, MAX_FPS)
        self.fps_spin.setValue(30)
        self.fps_spin.setSuffix(QtCore.QCoreApplication.translate("RecordDialog", " fps"))
        form.addRow(QtCore.QCoreApplication.translate("RecordDialog", "Frame rate"), self.fps_spin)

        self.duration_spin = QtWidgets.QDoubleSpinBox()
        self.duration_spin.setObjectName("duration")
        self.duration_spin.setDecimals(1)
        self.duration_spin.setRange(0.1, MAX_DURATION_S)
        self.duration_spin.setSingleStep(1.0)
        self.duration_spin.setValue(10.0)
        self.duration_spin.setSuffix(QtCore.QCoreApplication.translate("RecordDialog", " s"))
        form.addRow(QtCore.QCoreApplication.translate("RecordDialog", "Duration"), self.duration_spin)

        self.size_combo = QtWidgets.QComboBox()
        self.size_combo.setObjectName("size")
        if window_size is None and parent is not None:
            window_size = (parent.width(), parent.height())
        if window_size is not None:
            label = QtCore.QCoreApplication.translate("RecordDialog", "Window size ({width} × {height})").format(
                width=window_size[0], height=window_size[1]
            )
        else:
            label = QtCore.QCoreApplication.translate("RecordDialog", "Window size")
        self.size_combo.addItem(label, None)
        for w, h in self.SIZES:
            self.size_combo.addItem(
                QtCore.QCoreApplication.translate("RecordDialog", "{width} × {height}").format(width=w, height=h),
                (w, h),
            )
        form.addRow(QtCore.QCoreApplication.translate("RecordDialog", "Size"), self.size_combo)

        self.hint = QtWidgets.QLabel("")
        self.hint.setObjectName("hint")
        self.hint.setWordWrap(True)
        form.addRow(self.hint)

        buttons = QtWidgets.QDialogButtonBox(
            QtWidgets.QDialogButtonBox.StandardButton.Ok | QtWidgets.QDialogButtonBox.StandardButton.Cancel
        )
        ok = buttons.button(QtWidgets.QDialogButtonBox.StandardButton.Ok)
        ok.setText(QtCore.QCoreApplication.translate("RecordDialog", "Record"))
        cancel = buttons.button(QtWidgets.QDialogButtonBox.StandardButton.Cancel)
        cancel.setText(QtCore.QCoreApplication.translate("RecordDialog", "Cancel"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self._update_format()

    # -- values -----------------------------------------------------------------------------
    def path(self) -> Path:
        return Path(self.path_edit.text().strip()).expanduser()

    def values(self) -> tuple[Path, int, float, tuple[int, int] | None]:
        """(path, fps, duration in seconds, size or None for the window's size)."""
        size = self.size_combo.currentData()
        return self.path(), int(self.fps_spin.value()), float(self.duration_spin.value()), size

    def _kind(self) -> str | None:
        ext = self.path().suffix.lower() if self.path_edit.text().strip() else ""
        return ext if ext in KINDS else None

    @QtCore.Slot()
    def _update_format(self) -> None:
        kind = self._kind()
        if kind == ".mp4":
            self.format_label.setText(QtCore.QCoreApplication.translate("RecordDialog", "MP4 video (H.264)"))
            self.fps_spin.setMaximum(MAX_FPS)
            self.hint.setText("")
        elif kind == ".gif":
            self.format_label.setText(QtCore.QCoreApplication.translate("RecordDialog", "Animated GIF"))
            self.fps_spin.setMaximum(GIF_MAX_FPS)
            self.hint.setText(
                QtCore.QCoreApplication.translate(
                    "RecordDialog", "GIFs are scaled to at most {width} pixels wide unless you choose a size."
                ).format(width=GIF_MAX_WIDTH)
            )
        else:
            self.format_label.setText(
                QtCore.QCoreApplication.translate("RecordDialog", "Choose a file ending in .mp4 or .gif")
            )
            self.fps_spin.setMaximum(MAX_FPS)
            self.hint.setText("")

    # -- file dialog ------------------------------------------------------------------------
    def _save_file_name(self, start: str, filters: str, selected: str) -> tuple[str, str]:
        """The save dialog (overridden in tests): (file name or "", chosen filter)."""
        name, chosen = QtWidgets.QFileDialog.getSaveFileName(
            self, QtCore.QCoreApplication.translate("RecordDialog", "Record to file"), start, filters, selected
        )
        return name, chosen

    @QtCore.Slot()
    def browse(self) -> None:
        mp4 = QtCore.QCoreApplication.translate("RecordDialog", "MP4 video (*.mp4)")
        gif = QtCore.QCoreApplication.translate("RecordDialog", "Animated GIF (*.gif)")
        selected = gif if self._kind() == ".gif" else mp4
        name, chosen = self._save_file_name(self.path_edit.text(), f"{mp4};;{gif}", selected)
        if not name:
            return
        chosen_path = Path(name)
        if chosen_path.suffix.lower() not in KINDS:
            chosen_path = chosen_path.with_name(chosen_path.name + (".gif" if chosen == gif else ".mp4"))
        self.path_edit.setText(str(chosen_path))

    # -- confirmation -----------------------------------------------------------------------
    def _question(self, title: str, text: str) -> bool:
        """Ask yes/no (overridden in tests so they do not block)."""
        answer = QtWidgets.QMessageBox.question(
            self,
            title,
            text,
            QtWidgets.QMessageBox.StandardButton.Yes | QtWidgets.QMessageBox.StandardButton.No,
            QtWidgets.QMessageBox.StandardButton.No,
        )
        return answer == QtWidgets.QMessageBox.StandardButton.Yes

    def _warn(self, title: str, text: str) -> None:
        """Tell the user about a problem (overridden in tests)."""
        QtWidgets.QMessageBox.warning(self, title, text)

    def ask_force(self) -> bool | None:
        """Whether the recording may replace files: False when neither the file nor its
        settings file (``.json``) exists, True when the user agreed to replace them, None when
        the user declined (nothing must be written)."""
        target = self.path()
        sidecar = target.with_name(target.name + ".json")
        existing = [p for p in (target, sidecar) if p.exists()]
        if not existing:
            return False
        names = ", ".join(p.name for p in existing)
        text = QtCore.QCoreApplication.translate(
            "RecordDialog", "{names} already exists in {folder}. Replace it?"
        ).format(names=names, folder=target.parent)
        return (
            True if self._question(QtCore.QCoreApplication.translate("RecordDialog", "Replace file?"), text) else None
        )

    def validate(self) -> str | None:
        """A message saying what is wrong with the values, or None."""
        text = self.path_edit.text().strip()
        if not text:
            return QtCore.QCoreApplication.translate("RecordDialog", "Choose a file to record to.")
        target = self.path()
        if self._kind() is None:
            return QtCore.QCoreApplication.translate(
                "RecordDialog", "The file must end in .mp4 (video) or .gif (animated GIF): {name}"
            ).format(name=target.name)
        if target.is_dir():
            return QtCore.QCoreApplication.translate("RecordDialog", "{name} is a folder; choose a file name.").format(
                name=target
            )
        if not target.parent.is_dir():
            return QtCore.QCoreApplication.translate("RecordDialog", "The folder {folder} does not exist.").format(
                folder=target.parent
            )
        _, fps, seconds, _ = self.values()
        if round(fps * seconds) < 1:
            return QtCore.QCoreApplication.translate("RecordDialog", "Record for at least one frame (1 / fps seconds).")
        return None

    def accept(self) -> None:
        problem = self.validate()
        if problem is not None:
            self._warn(QtCore.QCoreApplication.translate("RecordDialog", "Cannot record"), problem)
            return
        force = self.ask_force()
        if force is None:
            return
        self.force = force
        super().accept()


__all__ = [
    "GIF_MAX_FPS",
    "GIF_MAX_WIDTH",
    "KINDS",
    "MAX_DURATION_S",
    "MAX_FPS",
    "RecordDialog",
    "Recorder",
    "RecordingResult",
    "backing_store_image",
    "grab_image",
    "image_array",
    "output_size",
    "record_run",
]
