"""What a GIF costs to encode: CPU time, peak memory, file size and picture error.

The frames of a scene are rendered once by the headless recorder (``record_run``, 1920×1080
window) and kept raw in a temporary file; then the recorder's own encoder (``Encoder``:
queue, thread and encoder processes, scaled to 960 px wide) writes them as a GIF, ``--rounds``
times.  Reported per round: wall time, CPU time of the encoder processes, their peak RSS,
the file size, and how far the decoded GIF is from the source frames scaled down by
area averaging (mean absolute error per channel, and the 99.9th percentile of the
per-pixel error, median over frames).  ``--frames RAW`` reuses a capture (``--keep`` keeps
one), so two checkouts can encode exactly the same frames, each with its own copy of this
script (it reaches into the recorder's modules, which moved into ``app/recording/``):

    python benchmarks/bench_gif.py --scene dying-relu --steps 3000 --keep /tmp/frames.raw
    cd /tmp && PYTHONPATH=/other/checkout python /other/checkout/benchmarks/bench_gif.py --frames /tmp/frames.raw
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

if not os.environ.get("PYTHONPATH"):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np

CAPTURE = (1920, 1080)
FPS = 15.0


def capture(scene: str, steps: int, seconds: float, raw: Path) -> None:
    """Render the scene's frames with the headless recorder, raw BGRX, one after another."""
    from app.__main__ import main
    from app.recording import ffmpeg

    def dump(tmp: Path, size: tuple[int, int], *_: Any) -> list[str]:
        code = "import shutil, sys; shutil.copyfileobj(sys.stdin.buffer, open(sys.argv[1], 'wb'))"
        return [sys.executable, "-c", code, str(raw)]

    def plain(tmp: Path, cmd: list[str], size: tuple[int, int], comment: str | None) -> Any:
        return ffmpeg.PipeWriter(cmd, "the capture", size)

    saved = ffmpeg.gif_command, ffmpeg.GifPipeWriter
    ffmpeg.gif_command, ffmpeg.GifPipeWriter = dump, plain  # type: ignore[assignment,misc]
    try:
        with tempfile.TemporaryDirectory() as scratch, contextlib.redirect_stdout(sys.stderr):  # stdout: the JSON
            args = ["--scene", scene, "--steps", str(steps), "--fps", str(int(FPS)), "--duration", f"{seconds:g}"]
            main([*args, "--record", str(Path(scratch) / "capture.gif"), "--size", "{}x{}".format(*CAPTURE)])
    finally:
        ffmpeg.gif_command, ffmpeg.GifPipeWriter = saved  # type: ignore[misc]


def frames(raw: Path) -> Any:
    """The raw frames, one (h, w, 4) array at a time; an old checkout's capture has a 4-byte
    frame count before each picture."""
    w, h = CAPTURE
    n = w * h * 4
    counted = raw.stat().st_size % n != 0
    with open(raw, "rb") as f:
        while True:
            count = int.from_bytes(f.read(4), "little") if counted else 1
            data = f.read(n)
            if len(data) < n:
                return
            for _ in range(count):
                yield np.frombuffer(data, np.uint8).reshape(h, w, 4)


def encode(raw: Path, out: Path) -> dict[str, float]:
    from PySide6 import QtGui

    from app.recording.encoder import Encoder
    from app.recording.plan import make_plan

    plan = make_plan(out, FPS, 1.0, None, None)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    encoder = Encoder(plan, CAPTURE)
    for bgrx in frames(raw):
        image = QtGui.QImage(bgrx.data, CAPTURE[0], CAPTURE[1], 4 * CAPTURE[0], QtGui.QImage.Format.Format_RGB32)
        encoder.put(image.copy(), 1, block=True)
    encoder.finish()
    encoder.wait()
    encoder.finalize(force=True)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return {"wall_s": wall, "encoder_cpu_s": cpu, "encoder_peak_rss_mb": after.ru_maxrss / 1024}


def error(raw: Path, gif: Path) -> dict[str, float]:
    from PIL import Image, ImageSequence

    means, tails = [], []
    with Image.open(gif) as im:
        size = im.size
        for source, frame in zip(frames(raw), ImageSequence.Iterator(im), strict=False):
            ref = Image.frombuffer("RGB", CAPTURE, np.ascontiguousarray(source), "raw", "BGRX", 0, 1)
            want = np.asarray(ref.resize(size, Image.Resampling.BOX), dtype=np.int16)
            got = np.asarray(frame.convert("RGB"), dtype=np.int16)
            diff = np.abs(got - want)
            means.append(float(diff.mean()))
            tails.append(float(np.percentile(diff.max(axis=2), 99.9)))
        n = im.n_frames
    return {"frames": n, "mean_abs_error": statistics.mean(means), "p999_pixel_error": statistics.median(tails)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scene", default="vanishing-sigmoid")
    parser.add_argument("--steps", type=int, default=600)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--frames", type=Path, help="encode this capture instead of rendering one")
    parser.add_argument("--keep", type=Path, help="keep the capture here")
    args = parser.parse_args()

    from app.main_window import make_application

    make_application()
    with tempfile.TemporaryDirectory() as scratch:
        raw = args.frames or args.keep or Path(scratch) / "frames.raw"
        if args.frames is None:
            capture(args.scene, args.steps, args.seconds, raw)
        rounds = []
        for _ in range(args.rounds):
            out = Path(scratch) / "out.gif"
            result = encode(raw, out)
            result["bytes"] = out.stat().st_size
            rounds.append(result)
        quality = error(raw, out)
    summary = {key: statistics.median(r[key] for r in rounds) for key in rounds[0]}
    print(json.dumps({"frames": str(raw), "median": summary, **quality, "rounds": rounds}, indent=2))


if __name__ == "__main__":
    main()
