"""Headless recording (the ``--record`` command line): a run is trained in this process and one
frame is rendered per slice of it, so the file shows the whole run whatever the machine's
speed; :func:`record_frames` is the loop shared with a comparison's recording."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypedDict

import numpy as np
from PySide6 import QtCore, QtGui, QtWidgets

from app.engine_process import diverged_message, ready_info
from app.export import ExportError
from app.recording.capture import backing_store_image, grab_image, image_array, window_colour
from app.recording.encoder import Encoder
from app.recording.plan import GIF_MAX_WIDTH, RecordingResult, check_targets, make_plan, output_size
from app.worker import Updates
from model import ExperimentConfig, Trainer

if TYPE_CHECKING:
    from typing import Unpack  # Python 3.11


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


class RecordOptions(TypedDict, total=False):
    """The keyword options of a headless recording (:func:`record_run`, a comparison's); their
    defaults are :func:`record_frames`'s."""

    fps: float
    duration_s: float
    size: tuple[int, int]
    force: bool
    gif_max_width: int | None
    progress: Callable[[int, int], None] | None


def record_run(
    window: QtWidgets.QWidget,
    config: ExperimentConfig,
    steps: int,
    path: str | os.PathLike[str],
    **options: Unpack[RecordOptions],
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
    ``progress(done, total)`` is called after every frame (the options and their defaults are
    :func:`record_frames`'s).
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
        **options,
    )  # fmt: skip


def record_frames(
    window: QtWidgets.QWidget,
    config: Any,
    steps: int,
    path: str | os.PathLike[str],
    begin: Callable[[], None],
    advance: Callable[[int], bool],
    *,
    fps: float = 30,
    duration_s: float = 10.0,
    size: tuple[int, int] = (1920, 1080),
    force: bool = False,
    gif_max_width: int | None = GIF_MAX_WIDTH,
    progress: Callable[[int, int], None] | None = None,
) -> RecordingResult:
    """The headless recording loop shared by one run (:func:`record_run`) and a comparison:
    lay ``window`` out at ``size``, ``begin()`` (show the freshly built runs), then for frame
    ``i`` ``advance(goal)`` trains to ``goal = round(steps * (i + 1) / frames)`` steps and
    feeds the window (False: nothing changed, the last picture is reused).  ``config`` (a
    config or a record of several) goes into the sidecar and the file's comment."""
    plan = make_plan(path, fps, duration_s, size, config)
    if isinstance(steps, bool) or not isinstance(steps, int) or steps < 0:
        raise ExportError(f"steps must be a whole number ≥ 0; got {steps!r}")
    check_targets(plan, force)
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
    encoder = Encoder(
        plan, (frame.width(), frame.height()), gif_max_width=gif_max_width, background=window_colour(window)
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
