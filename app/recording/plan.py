"""What a recording is asked to be (checked before the first frame) and what it became.

:func:`make_plan` validates a recording's parameters into a :class:`Plan`, raising
:class:`~app.export.ExportError` with a clear message; :func:`output_size` decides the
file's frame size; :class:`RecordingResult` describes a finished file.
"""

from __future__ import annotations

import json
import math
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.export import ExportError, _check_target, _config_dict

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


@dataclass(frozen=True)
class Plan:
    """A recording's parameters, validated by :func:`make_plan`."""

    target: Path
    kind: str  # ".mp4" or ".gif"
    fps: float
    frames: int
    size: tuple[int, int] | None
    config_text: str | None

    @property
    def sidecar(self) -> Path:
        return self.target.with_name(self.target.name + ".json")


def make_plan(
    path: str | os.PathLike[str],
    fps: float,
    duration_s: float,
    size: tuple[int, int] | None,
    config: Any,
) -> Plan:
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
    return Plan(target, kind, fps_f, frames, size, text)


def check_targets(plan: Plan, force: bool) -> None:
    _check_target(plan.target, force)
    if plan.config_text is not None:
        _check_target(plan.sidecar, force)


def even_size(n: int) -> int:
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
        return even_size(w), even_size(h)
    return max(1, w), max(1, h)


def fit(src: tuple[int, int], dst: tuple[int, int]) -> tuple[int, int]:
    """The largest size with ``src``'s proportions inside ``dst`` (``dst`` itself when within
    a pixel, so a rounding difference never leaves a one-pixel bar)."""
    sw, sh = src
    dw, dh = dst
    s = min(dw / sw, dh / sh)
    w, h = min(dw, max(1, round(sw * s))), min(dh, max(1, round(sh * s)))
    if abs(w - dw) <= 1 and abs(h - dh) <= 1:
        return dw, dh
    return w, h
