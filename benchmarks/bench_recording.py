"""What recording costs the live window: frame rate and training speed with and without it.

The real main window (worker thread + engine process) trains the lecture config at the
requested size.  In one run, phases alternate (A B C A B C by default, each ``--seconds``
long, after a warm-up): A no recording, B an MP4 at 30 fps, C a GIF at 15 fps.  Frames are
counted from paint events of the Gradients view exactly as ``bench_gui.py`` does (paints less
than 2 ms apart are one frame); training speed comes from the snapshots' step numbers.  Per
phase the table also gives the median cost of one capture on the GUI thread, frames written,
frames repeated (the GUI thread was late) and held (the encoder was behind), the file
size, the time ``stop()`` waited for the encoder, and the CPU used by the GUI process (all its
threads, the encoder thread included), by the engine process and ffmpeg, and by every other
process on the machine.

    QT_QPA_PLATFORM=xcb xvfb-run -a -s "-screen 0 1920x1080x24" python benchmarks/bench_recording.py
    python benchmarks/bench_recording.py --seconds 5 --rounds 1 --out rec.json   # offscreen
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from bench_gui import LECTURE  # the same lecture config as the GUI benchmark

PHASES = {
    "A": ("no recording", None, 0),
    "B": ("MP4 30 fps", ".mp4", 30),
    "C": ("GIF 15 fps", ".gif", 15),
}
CLOCK = os.sysconf("SC_CLK_TCK")


# -- CPU accounting from /proc (Linux) ------------------------------------------------------------
def _stat_cpu(pid: int) -> float:
    """User + system seconds of process ``pid`` (all its threads)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / CLOCK


def _descendants(pid: int) -> list[int]:
    out: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            children = (task / "children").read_text().split()
        except OSError:
            continue
        for child in map(int, children):
            out.append(child)
            out.extend(_descendants(child))
    return out


def _cpu_snapshot() -> dict[str, float]:
    """Busy seconds of the machine, of this process and of its descendants (engine, ffmpeg)."""
    with open("/proc/stat") as fh:
        values = [int(v) for v in fh.readline().split()[1:]]
    idle = values[3] + values[4]  # idle + iowait
    me = os.getpid()
    return {
        "machine": (sum(values[:8]) - idle) / CLOCK,
        "gui_process": _stat_cpu(me),
        "children": sum(_stat_cpu(p) for p in _descendants(me)),
        "wall": time.perf_counter(),
    }


def _cpu_shares(a: dict[str, float], b: dict[str, float]) -> dict[str, float]:
    """Cores used between two snapshots (1.0 = one core busy)."""
    wall = b["wall"] - a["wall"]
    gui = (b["gui_process"] - a["gui_process"]) / wall
    children = (b["children"] - a["children"]) / wall
    machine = (b["machine"] - a["machine"]) / wall
    return {
        "gui_process_cores": round(gui, 2),
        "engine_and_ffmpeg_cores": round(children, 2),
        "other_processes_cores": round(max(0.0, machine - gui - children), 2),
    }


# -- the measurement ---------------------------------------------------------------------------------
def run(args: argparse.Namespace) -> dict[str, Any]:
    from PySide6 import QtCore

    import app.recording as recording
    from app.main_window import MainWindow, make_application
    from app.recording import ffmpeg
    from app.worker import TrainingController

    if args.preset:
        ffmpeg.MP4_PRESET = args.preset
    if args.crf is not None:
        ffmpeg.MP4_CRF = args.crf
    if args.nice is not None:
        ffmpeg.ENCODER_NICE = args.nice

    size = tuple(int(v) for v in args.size.split("x"))
    app = make_application()
    window = MainWindow(LECTURE, controller=TrainingController())
    window.resize(*size)
    window.show()

    # frames: paint events of the Gradients view's viewport, as in bench_gui.measure_gui
    paints: list[float] = []

    class PaintCounter(QtCore.QObject):
        def eventFilter(self, obj: QtCore.QObject, event: QtCore.QEvent) -> bool:
            if event.type() == QtCore.QEvent.Type.Paint:
                paints.append(time.perf_counter())
            return False

    counter = PaintCounter()
    for child in window.views["gradients"].findChildren(QtCore.QObject):
        if child.objectName() == "qt_scrollarea_viewport" or child.metaObject().className() == "QWidget":
            child.installEventFilter(counter)

    # time every capture on the GUI thread
    capture_costs: list[float] = []
    for name in ("backing_store_image", "grab_image"):
        original = getattr(recording, name)

        def timed(widget, _orig=original):  # type: ignore[no-untyped-def]
            t0 = time.perf_counter()
            image = _orig(widget)
            capture_costs.append(time.perf_counter() - t0)
            return image

        setattr(recording, name, timed)

    def run_for(duration: float) -> None:
        end = time.perf_counter() + duration
        while time.perf_counter() < end:
            app.processEvents(QtCore.QEventLoop.ProcessEventsFlag.AllEvents, 5)

    folder = Path(tempfile.mkdtemp(prefix="bplab-bench-rec-"))
    phases: list[dict[str, Any]] = []
    try:
        run_for(args.warmup)
        order = "".join(args.order) * args.rounds
        for index, key in enumerate(order):
            label, ext, fps = PHASES[key]
            recorder = None
            if ext is not None:
                recorder = recording.Recorder(
                    window,
                    folder / f"phase{index}{ext}",
                    fps=fps,
                    duration_s=args.seconds + 5.0,
                    config=LECTURE,
                    size=None,
                )
                recorder.start()
            paints.clear()
            capture_costs.clear()
            step0 = window.latest.step if window.latest else 0
            cpu0 = _cpu_snapshot()
            load0 = os.getloadavg()
            t0 = time.perf_counter()
            run_for(args.seconds)
            elapsed = time.perf_counter() - t0
            cpu1 = _cpu_snapshot()
            step1 = window.latest.step if window.latest else 0
            frames = []
            for t in paints:
                if not frames or t - frames[-1] > 0.002:
                    frames.append(t)
            intervals = sorted(b - a for a, b in itertools.pairwise(frames))
            row: dict[str, Any] = {
                "phase": key,
                "what": label,
                "fps_mean": round(len(frames) / elapsed, 1),
                "frame_interval_median_ms": round(1e3 * statistics.median(intervals), 1) if intervals else None,
                "frame_interval_p95_ms": round(1e3 * intervals[int(0.95 * (len(intervals) - 1))], 1)
                if intervals
                else None,
                "training_steps_per_s": round((step1 - step0) / elapsed),
                **_cpu_shares(cpu0, cpu1),
                "load_average_1min_start": round(load0[0], 2),
            }
            if recorder is not None:
                captured = recorder.frames_captured
                t_stop = time.perf_counter()
                result = recorder.stop()
                row.update(
                    {
                        "capture": result.capture,
                        "capture_median_ms": round(1e3 * statistics.median(capture_costs), 2)
                        if capture_costs
                        else None,
                        "frames_captured_in_phase": captured,
                        "frames_expected_in_phase": round(fps * args.seconds),
                        "frames_in_file": result.frames,
                        "frames_repeated": result.repeated,
                        "frames_held_encoder_behind": result.held,
                        "stop_wait_s": round(time.perf_counter() - t_stop, 2),
                        "file_size": list(result.size),
                        "file_kB": round(result.path.stat().st_size / 1e3),
                    }
                )
                recorder.deleteLater()
            phases.append(row)
            print(_row_text(row), file=sys.stderr, flush=True)
            run_for(1.0)  # let the encoder's exit settle before the next phase
    finally:
        window.close()
        window.deleteLater()
        app.processEvents()
        shutil.rmtree(folder, ignore_errors=True)
    return {"phases": phases, "summary": _summary(phases)}


def _median(rows: list[dict[str, Any]], key: str) -> float | None:
    values = [r[key] for r in rows if r.get(key) is not None]
    return round(statistics.median(values), 2) if values else None


def _summary(phases: list[dict[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    base = [r for r in phases if r["phase"] == "A"]
    base_steps = _median(base, "training_steps_per_s")
    base_fps = _median(base, "fps_mean")
    for key, (label, _, _) in PHASES.items():
        rows = [r for r in phases if r["phase"] == key]
        if not rows:
            continue
        entry: dict[str, Any] = {
            "what": label,
            "fps_mean": _median(rows, "fps_mean"),
            "frame_interval_median_ms": _median(rows, "frame_interval_median_ms"),
            "frame_interval_p95_ms": _median(rows, "frame_interval_p95_ms"),
            "training_steps_per_s": _median(rows, "training_steps_per_s"),
        }
        if key != "A" and base_steps and base_fps:
            entry["fps_over_no_recording"] = round(entry["fps_mean"] / base_fps, 2)
            entry["steps_over_no_recording"] = round(entry["training_steps_per_s"] / base_steps, 2)
            entry["capture_median_ms"] = _median(rows, "capture_median_ms")
        out[key] = entry
    return out


def _row_text(r: dict[str, Any]) -> str:
    rec = ""
    if "capture" in r:
        rec = (
            f" | capture {r['capture_median_ms']} ms ({r['capture']}), {r['frames_captured_in_phase']}/"
            f"{r['frames_expected_in_phase']} frames, repeated {r['frames_repeated']},"
            f" held {r['frames_held_encoder_behind']}, stop {r['stop_wait_s']} s, {r['file_kB']} kB"
        )
    return (
        f"{r['phase']} {r['what']:13s} fps {r['fps_mean']:5.1f}  median {r['frame_interval_median_ms']} ms"
        f"  p95 {r['frame_interval_p95_ms']} ms  steps/s {r['training_steps_per_s']:6d}  cores: gui"
        f" {r['gui_process_cores']} engine+ffmpeg {r['engine_and_ffmpeg_cores']} other {r['other_processes_cores']}"
        + rec
    )


def _table(result: dict[str, Any]) -> str:
    lines = [
        "| phase | fps (mean) | frame interval median / p95 (ms) | training steps/s | vs no recording "
        "(fps, steps) | capture (ms) |",
        "|---|---|---|---|---|---|",
    ]
    for key, e in result["summary"].items():
        ratio = f"{e['fps_over_no_recording']}, {e['steps_over_no_recording']}" if key != "A" else "—"
        capture = e.get("capture_median_ms", "—")
        lines.append(
            f"| {key} {e['what']} | {e['fps_mean']} | {e['frame_interval_median_ms']} / "
            f"{e['frame_interval_p95_ms']} | {e['training_steps_per_s']:.0f} | {ratio} | {capture} |"
        )
    return "\n".join(lines)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--size", default="1920x1080")
    p.add_argument("--seconds", type=float, default=8.0, help="length of each phase (default 8)")
    p.add_argument("--warmup", type=float, default=4.0)
    p.add_argument("--rounds", type=int, default=2, help="repetitions of the phase order (default 2)")
    p.add_argument("--order", default="ABC", help="phases of one round (A none, B MP4, C GIF; default ABC)")
    p.add_argument("--out", type=Path, help="also write the JSON here")
    p.add_argument("--preset", help="override the libx264 preset (app.recording.ffmpeg.MP4_PRESET)")
    p.add_argument("--crf", type=int, help="override the libx264 CRF")
    p.add_argument("--nice", type=int, help="override the encoder's nice increment")
    args = p.parse_args()
    if any(k not in PHASES for k in args.order):
        p.error(f"--order takes the letters {''.join(PHASES)}")
    from app.recording import ffmpeg

    load_before = os.getloadavg()
    result = run(args)
    result = {
        "config": "lecture (spiral, 10x32, batch 64, relu, he_normal)",
        "size": args.size,
        "platform": os.environ.get("QT_QPA_PLATFORM"),
        "seconds_per_phase": args.seconds,
        "order": "".join(args.order) * args.rounds,
        "mp4": {"preset": ffmpeg.MP4_PRESET, "crf": ffmpeg.MP4_CRF},
        "encoder_nice": ffmpeg.ENCODER_NICE,
        "cpu_count": os.cpu_count(),
        "load_average_before": [round(v, 2) for v in load_before],
        "load_average_after": [round(v, 2) for v in os.getloadavg()],
        **result,
    }
    print(_table(result))
    text = json.dumps(result, indent=2)
    if args.out is not None:
        args.out.write_text(text + "\n", encoding="utf-8")
    else:
        print(text)


if __name__ == "__main__":
    main()
