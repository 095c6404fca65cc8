"""Soak: does the app leak over a long session? (run by hand; prints JSON, --out writes it)

Three parts, each in its own process so one cannot hide another's leak:

``window``   the main window trains live (its worker thread and engine process, exactly as
             the app runs) for ``--minutes`` (default 30), offscreen unless QT_QPA_PLATFORM
             says otherwise.  Every ``--sample-s`` (60 s) it records the GUI process's RSS,
             thread count and open file descriptors, the engine process's RSS, threads and
             fds, and the step reached.  A run that diverges or pauses is played again.
``engine``   the engine process alone (``app.engine_process.serve`` in a spawned child, as
             the window starts it) trains ``--steps`` (default 1 000 000) steps while this
             process reads its messages from the pipe; the child's RSS/threads/fds and the
             parent's are sampled every ``--sample-s``.
``compare``  opens (from a main window, as the Scenes menu does) and closes ``--windows``
             (default 50) compare windows of a scene, each training for ``--open-s``
             seconds; after each close and at the end it counts this process's child
             processes, Python and Qt threads, fds and the shared memory segments (/dev/shm
             entries) against the count before the first window.

Targets (issue 9): growth after the first sample ≤ 20 MB of RSS and 0 threads and fds;
after the compare windows no process, thread or shared-memory segment left.

    python benchmarks/bench_soak.py window --minutes 30 --out docs/bench_soak_window.json
    python benchmarks/bench_soak.py engine --steps 1000000 --out docs/bench_soak_engine.json
    python benchmarks/bench_soak.py compare --windows 50 --out docs/bench_soak_compare.json
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import threading
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

MIB = 1024 * 1024


# -- /proc readings -------------------------------------------------------------------------------
def proc_stats(pid: int | str = "self") -> dict[str, Any]:
    """RSS (MiB), thread count and open fds of a process (None values if it is gone)."""
    try:
        values: dict[str, int] = {}
        with open(f"/proc/{pid}/status", encoding="ascii") as f:
            for line in f:
                key, _, rest = line.partition(":")
                if key in ("VmRSS", "Threads"):
                    values[key] = int(rest.split()[0])
        fds = len(os.listdir(f"/proc/{pid}/fd"))
    except (OSError, ValueError):
        return {"rss_mib": None, "threads": None, "fds": None}
    return {"rss_mib": round(values["VmRSS"] / 1024, 2), "threads": values["Threads"], "fds": fds}


def children() -> list[int]:
    """PIDs of this process's live child processes (zombies excluded)."""
    out: list[int] = []
    for task in os.listdir("/proc/self/task"):
        try:
            with open(f"/proc/self/task/{task}/children", encoding="ascii") as f:
                out.extend(int(p) for p in f.read().split())
        except OSError:
            pass
    alive = []
    for pid in out:
        try:
            with open(f"/proc/{pid}/stat", encoding="ascii") as f:
                if f.read().rsplit(")", 1)[1].split()[0] != "Z":
                    alive.append(pid)
        except OSError:
            pass
    return alive


def shm_segments() -> list[str]:
    try:
        return sorted(os.listdir("/dev/shm"))
    except OSError:
        return []


def growth(samples: list[dict[str, Any]], key: str, who: str) -> float | int | None:
    """Last sample minus the first one (the first minute is warm-up: imports, caches, buffers)."""
    values = [s[who][key] for s in samples if s[who][key] is not None]
    if len(values) < 2:
        return None
    d = values[-1] - values[0]
    return round(d, 2) if isinstance(d, float) else d


def summary(samples: list[dict[str, Any]], who: tuple[str, ...]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for w in who:
        rss = [s[w]["rss_mib"] for s in samples if s[w]["rss_mib"] is not None]
        out[w] = {
            "rss_growth_after_first_sample_mib": growth(samples, "rss_mib", w),
            "rss_max_minus_first_mib": round(max(rss) - rss[0], 2) if rss else None,
            "threads_growth": growth(samples, "threads", w),
            "fds_growth": growth(samples, "fds", w),
        }
    return out


def verdict(summ: dict[str, Any]) -> bool:
    ok = True
    for part in summ.values():
        g = part["rss_growth_after_first_sample_mib"]
        ok &= g is not None and g * MIB / 1e6 <= 20
        ok &= part["threads_growth"] == 0 and part["fds_growth"] == 0
    return bool(ok)


# -- window ------------------------------------------------------------------------------------
def run_window(args: argparse.Namespace) -> dict[str, Any]:
    from PySide6 import QtCore

    from app.main_window import MainWindow, make_application
    from app.worker import TrainingController
    from model import ExperimentConfig
    from model.scenes import load_scene

    if args.no_trim:
        # to see what handing free memory back is worth: the app as it was without it
        from app import worker as app_worker

        app_worker.release_free_memory = lambda: False
    app = make_application()
    config = load_scene(args.scene).runs[0].config if args.scene else ExperimentConfig()
    controller = TrainingController()
    window = MainWindow(config, controller=controller)
    window.resize(1920, 1080)
    window.show()
    if args.timeline_mb is not None:
        # a smaller budget fills within the first minute, so that later growth is not the
        # timeline filling up (what is measured is everything else)
        from model.timeline import Timeline

        window.timeline = Timeline(max_bytes=int(args.timeline_mb * 1e6))
        window.timeline_bar.timeline = window.timeline
        if hasattr(window, "scrub"):
            window.scrub.timeline = window.timeline
    samples: list[dict[str, Any]] = []
    replays = 0
    start = time.monotonic()
    frames = [0]  # display ticks (the window's frame timer)
    window.timer.timeout.connect(lambda: frames.__setitem__(0, frames[0] + 1))
    window.set_speed(None)  # as fast as the engine goes: the most history per minute

    def engine_pid() -> int | None:
        return getattr(controller.worker.proc, "pid", None)

    def sample() -> None:
        nonlocal replays
        pid = engine_pid()
        step = window.latest.step if window.latest is not None else 0
        s = {
            "t_s": round(time.monotonic() - start, 1),
            "step": int(step),
            "display_ticks": frames[0],
            "gui": proc_stats(),
            "engine": proc_stats(pid) if pid else {"rss_mib": None, "threads": None, "fds": None},
            "children": len(children()),
            "python_threads": threading.active_count(),
            # the bounded record of the run the scrub bar reads: it fills up to its byte
            # budget by design (model/timeline.py), which is growth but not a leak
            "timeline_mib": round(window.timeline.nbytes / MIB, 2),
            "timeline_entries": len(window.timeline),
            # steps between kept entries: the scrub resolution
            "timeline_min_gap": window.timeline.min_gap,
            "load_avg_1m": round(os.getloadavg()[0], 2),
            # the worker thread hands free allocator memory back every TRIM_SECONDS
            "trim_ms": round(controller.worker.trim_ms, 2),
        }
        samples.append(s)
        print(json.dumps(s), file=sys.stderr, flush=True)
        # a diverged or paused run would make the rest of the soak idle: play it again
        if not window.playing:
            window.reset()
            window.play()
            replays += 1

    timer = QtCore.QTimer()
    timer.timeout.connect(sample)
    timer.start(int(args.sample_s * 1000))
    QtCore.QTimer.singleShot(int(args.minutes * 60_000) + 500, app.quit)
    app.exec()
    timer.stop()
    budget = window.timeline.max_bytes
    window.close()
    window.deleteLater()
    app.processEvents()
    summ = summary(samples, ("gui", "engine"))
    if len(samples) >= 2:
        timeline_growth = samples[-1]["timeline_mib"] - samples[0]["timeline_mib"]
        gui = summ["gui"]
        gui["timeline_growth_mib"] = round(timeline_growth, 2)
        gui["rss_growth_not_in_timeline_mib"] = round(gui["rss_growth_after_first_sample_mib"] - timeline_growth, 2)
        peak = max(s["timeline_mib"] for s in samples)
        gui["timeline_peak_mib"] = round(peak, 2)
        # freed timeline memory is not handed back to the system: compare with its high-water mark
        gui["rss_growth_beyond_timeline_peak_mib"] = round(
            gui["rss_growth_after_first_sample_mib"] - (peak - samples[0]["timeline_mib"]), 2
        )
        half = samples[len(samples) // 2]
        gui["rss_growth_second_half_mib"] = round(samples[-1]["gui"]["rss_mib"] - half["gui"]["rss_mib"], 2)
        gui["timeline_growth_second_half_mib"] = round(samples[-1]["timeline_mib"] - half["timeline_mib"], 2)
    loads = sorted(s["load_avg_1m"] for s in samples) or [0.0]
    return {
        "part": "window",
        "minutes": args.minutes,
        "scene": args.scene,
        "timeline_mb": args.timeline_mb,
        "no_trim": args.no_trim,
        "timeline_budget_bytes": budget,
        "load_avg_1m_median": loads[len(loads) // 2],
        "load_avg_1m_max": loads[-1],
        "platform": os.environ.get("QT_QPA_PLATFORM"),
        "replays_after_a_pause": replays,
        "steps": samples[-1]["step"] if samples else 0,
        "summary": summ,
        "meets_target": verdict(summ),
        "samples": samples,
    }


# -- engine --------------------------------------------------------------------------------------
def run_engine(args: argparse.Namespace) -> dict[str, Any]:
    import multiprocessing as mp

    from app import engine_process
    from model import ExperimentConfig
    from model.scenes import load_scene

    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    if args.scene:
        config = load_scene(args.scene).runs[0].config
    elif args.small:
        # a million steps of the default net take hours on a busy two-core machine
        config = ExperimentConfig(depth=3, width=16, batch_size=32, activation="tanh")
    else:
        config = ExperimentConfig()
    ctx = mp.get_context("spawn")
    parent, child = ctx.Pipe(duplex=True)
    proc = ctx.Process(target=engine_process.serve, args=(child,), daemon=True, name="backprop-lab-engine")
    proc.start()
    child.close()
    parent.send(("reset", config.to_dict()))
    parent.send(("play",))
    steps = 0
    restarts = 0
    samples: list[dict[str, Any]] = []
    start = time.monotonic()
    next_sample = start + args.sample_s

    def sample() -> None:
        s = {
            "t_s": round(time.monotonic() - start, 1),
            "step": steps,
            "engine": proc_stats(proc.pid),
            "parent": proc_stats(),
        }
        samples.append(s)
        print(json.dumps(s), file=sys.stderr, flush=True)

    while steps < args.steps:
        if parent.poll(0.5):
            msg = parent.recv()
            if msg[0] == "snapshots":
                steps += len(msg[1])
            elif msg[0] in ("paused", "error"):
                # a diverged run: train again from the config
                restarts += 1
                parent.send(("reset", config.to_dict()))
                parent.send(("play",))
        if not proc.is_alive():
            raise SystemExit(f"the engine process died (exit code {proc.exitcode})")
        if time.monotonic() >= next_sample:
            sample()
            next_sample += args.sample_s
    sample()
    seconds = time.monotonic() - start
    parent.send(("quit",))
    while proc.is_alive():
        try:
            while parent.poll(0.05):
                parent.recv()
        except (EOFError, OSError):
            break
        proc.join(0.05)
    proc.join(5)
    summ = summary(samples, ("engine", "parent"))
    return {
        "part": "engine",
        "steps": steps,
        "seconds": round(seconds, 1),
        "steps_per_s": round(steps / seconds, 1),
        "config": config.to_dict(),
        "restarts_after_divergence": restarts,
        "summary": summ,
        "meets_target": verdict(summ),
        "samples": samples,
    }


# -- compare windows ---------------------------------------------------------------------------------
def run_compare(args: argparse.Namespace) -> dict[str, Any]:
    import gc

    from PySide6 import QtCore, QtWidgets

    from app.main_window import MainWindow, make_application
    from app.worker import TrainingController
    from model import ExperimentConfig
    from model.scenes import load_scene

    app = make_application()
    scene = load_scene(args.scene or "relu-rescue")
    # compare windows are opened as the user opens them: from the main window (Scenes menu)
    main = MainWindow(ExperimentConfig(), controller=TrainingController(), autoplay=False)
    main.resize(1920, 1080)
    main.show()

    def qthreads() -> int:
        return sum(1 for o in gc.get_objects() if isinstance(o, QtCore.QThread) and o.isRunning())

    def settle(seconds: float) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            app.processEvents(QtCore.QEventLoop.ProcessEventsFlag.AllEvents, 20)
            time.sleep(0.01)

    def state() -> dict[str, Any]:
        return {
            "children": len(children()),
            "os_threads": proc_stats()["threads"],
            "python_threads": threading.active_count(),
            "running_qthreads": qthreads(),
            "fds": proc_stats()["fds"],
            "shm": shm_segments(),
            "rss_mib": proc_stats()["rss_mib"],
        }

    settle(0.5)
    before = state()
    after_each: list[dict[str, Any]] = []
    close_ms: list[float] = []
    runs = len(scene.runs)
    peak_children = 0
    for i in range(args.windows):
        window = main.open_scene(scene.name)
        assert window is not None and window is not main
        settle(args.open_s)
        peak_children = max(peak_children, len(children()))
        t0 = time.perf_counter()
        window.close()
        close_ms.append((time.perf_counter() - t0) * 1000)
        del window
        # deferred deletions run in an event loop (processEvents alone does not run them)
        loop = QtCore.QEventLoop()
        QtCore.QTimer.singleShot(300, loop.quit)
        loop.exec()
        s = state()
        s["window"] = i + 1
        after_each.append(s)
        print(json.dumps({k: v for k, v in s.items() if k != "shm"}), file=sys.stderr, flush=True)
    settle(2.0)
    QtWidgets.QApplication.processEvents()
    after = state()
    main.close()
    main.deleteLater()
    app.processEvents()
    left = {
        "processes": after["children"] - before["children"],
        "os_threads": after["os_threads"] - before["os_threads"],
        "python_threads": after["python_threads"] - before["python_threads"],
        "running_qthreads": after["running_qthreads"] - before["running_qthreads"],
        "fds": after["fds"] - before["fds"],
        "shm_segments": sorted(set(after["shm"]) - set(before["shm"])),
    }
    worst = {
        "processes": max(s["children"] for s in after_each) - before["children"],
        "os_threads": max(s["os_threads"] for s in after_each) - before["os_threads"],
        "fds": max(s["fds"] for s in after_each) - before["fds"],
    }
    return {
        "part": "compare",
        "scene": scene.name,
        "runs_per_window": runs,
        "windows": args.windows,
        "open_s": args.open_s,
        "peak_children_while_open": peak_children,
        "close_ms_median": round(sorted(close_ms)[len(close_ms) // 2], 1),
        "close_ms_max": round(max(close_ms), 1),
        "before": {k: v for k, v in before.items() if k != "shm"},
        "after": {k: v for k, v in after.items() if k != "shm"},
        "left_after_all": left,
        "worst_after_a_close": worst,
        "rss_growth_mib": round(after["rss_mib"] - after_each[0]["rss_mib"], 2),
        "meets_target": left["processes"] == 0
        and left["os_threads"] <= 0
        and left["running_qthreads"] == 0
        and not left["shm_segments"],
        "samples": after_each,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="part", required=True)
    w = sub.add_parser("window")
    w.add_argument("--minutes", type=float, default=30)
    w.add_argument("--sample-s", type=float, default=60)
    w.add_argument("--scene", default=None)
    w.add_argument("--timeline-mb", type=float, default=None, help="the timeline's byte budget (default: the app's)")
    w.add_argument("--no-trim", action="store_true", help="never hand free allocator memory back (app.worker)")
    e = sub.add_parser("engine")
    e.add_argument("--steps", type=int, default=1_000_000)
    e.add_argument("--sample-s", type=float, default=60)
    e.add_argument("--scene", default=None)
    e.add_argument("--small", action="store_true", help="3 tanh layers of 16, batch 32 (about 2.5× faster)")
    c = sub.add_parser("compare")
    c.add_argument("--windows", type=int, default=50)
    c.add_argument("--open-s", type=float, default=1.0)
    c.add_argument("--scene", default=None)
    for p in (w, e, c):
        p.add_argument("--out", type=Path)
    args = parser.parse_args()
    result = {"run": args.part}
    result.update({"python": platform.python_version(), "cpus": os.cpu_count()})
    result.update({"window": run_window, "engine": run_engine, "compare": run_compare}[args.part](args))
    text = json.dumps(result, indent=1)
    print(text)
    if args.out:
        args.out.write_text(text + "\n")


if __name__ == "__main__":
    main()
