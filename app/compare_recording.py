"""Recording a comparison: the headless ``--record`` of a multi-run scene and File → Record…
in the compare window.

Both reuse :mod:`app.recording`: its headless frame loop
(:func:`~app.recording.record_frames`), parameter checks, encoder (MP4 through the bundled
ffmpeg, GIF through ffmpeg's palette passes), atomic write and sidecar; the live one is the
main window's :class:`app.recording_controller.RecordingController`.  The sidecar of a
comparison holds every run's label and config (``CompareWindow.config_record()``).
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from app.engine_process import diverged_message, ready_info
from app.recording import RecordingResult, record_frames
from app.worker import Updates
from model import Trainer

if TYPE_CHECKING:
    from typing import Unpack  # Python 3.11

    from app.recording.headless import RecordOptions


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
