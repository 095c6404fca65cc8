"""The encoder processes: the ffmpeg binary bundled with imageio-ffmpeg, fed raw BGRX frames on
its stdin at a lower CPU priority.  An MP4 is encoded as the frames arrive; a GIF takes three
passes (frames stored losslessly, then ``palettegen`` and ``paletteuse``), so no GIF bytes
are written here except the comment extension ffmpeg's GIF muxer cannot write.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
from PySide6 import QtGui

from app.export import ExportError
from app.recording.capture import image_array
from app.recording.plan import even_size, fit
from app.safe_write import os_reason

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
    fw, fh = fit((iw, ih), (ow, oh))
    if even and (fw, fh) != (ow, oh):
        fw, fh = even_size(fw), even_size(fh)
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


def mp4_command(
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


def gif_command(
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


def gif_palette_commands(tmp: Path) -> list[list[str]]:
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
    colour table, where readers look for it.  Only the fixed 13-byte header is read (for the
    colour table's size); the rest of ffmpeg's file is copied as it is, never parsed."""
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


class PipeWriter:
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


class GifPipeWriter(PipeWriter):
    """A GIF in three ffmpeg passes: the frames, stored losslessly while they arrive
    (:func:`gif_command`), then the palette of the whole recording and the GIF itself
    (:func:`gif_palette_commands`) once they are all in; the comment goes in last."""

    def __init__(self, tmp: Path, cmd: list[str], capture: tuple[int, int], comment: str | None) -> None:
        self.tmp = tmp
        self.comment = comment
        self._passes: subprocess.Popen[bytes] | None = None
        super().__init__(cmd, "the GIF encoder", capture)

    def close(self) -> None:
        try:
            super().close()
            for cmd in gif_palette_commands(self.tmp):
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
