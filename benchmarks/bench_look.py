"""GUI time of a theme, scale or language change with four compare windows open (run by
hand; prints JSON).

The main window trains the lecture config; four compare windows show the bundled scenes
`relu-rescue`, `he-vs-xavier-30`, `batchnorm-rescue` and `residual-rescue`.  With
``--engines live`` every compare run has its own engine process training (the situation of
issue 14, nine engines on the machine: the GUI starved by them while it restyles; the app now
refuses more than ENGINE_LIMIT engines, so this is a worst case opened around it); with
``paused`` the same windows exist but three are paused as background windows are; with
``offline`` the windows were fed 200 steps in this process and only the GUI's cost is measured.

Each change is timed from the call until a zero-delay single-shot timer fires, i.e. until
the GUI thread has processed everything the change posted (restyling, relayout, the
rebuilt main window's first paint): ``wall`` seconds, and ``cpu`` seconds the GUI thread
itself computed in that time (``time.thread_time``; on a machine shared with other work the
wall time also counts the waits for a core).  Target: every change under 1 s.

    python benchmarks/bench_look.py [--engines live|offline] [--rounds 3]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

SCENES = ("relu-rescue", "he-vs-xavier-30", "batchnorm-rescue", "residual-rescue")


def settle(app) -> float:  # type: ignore[no-untyped-def]
    """Seconds until a zero-delay single-shot timer fires (the event queue drained once)."""
    from PySide6 import QtCore

    fired: list[float] = []
    t0 = time.perf_counter()
    QtCore.QTimer.singleShot(0, lambda: fired.append(time.perf_counter()))
    while not fired:
        app.processEvents(QtCore.QEventLoop.ProcessEventsFlag.AllEvents, 50)
    return fired[0] - t0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engines", choices=("live", "paused", "offline"), default="live")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    from app.compare_window import open_scene_compare, train_compare_offline
    from app.main_window import MainWindow, make_application
    from app.worker import TrainingController, live_engines, stop_controllers
    from model import ExperimentConfig
    from model.scenes import load_scene

    app = make_application()
    main_window = MainWindow(ExperimentConfig(depth=10, width=32), controller=TrainingController())
    main_window.resize(1600, 900)
    main_window.show()
    factory = None if args.engines == "offline" else TrainingController
    windows = []
    for name in SCENES:
        w = open_scene_compare(load_scene(name), factory)
        if factory is None:
            train_compare_offline(w, 200)
        w.resize(1600, 900)
        w.show()
        windows.append(w)
    if args.engines == "paused":
        for w in windows[:-1]:
            w.pause()
    # let every engine start and train a little
    t_end = time.perf_counter() + (1.0 if factory is None else 8.0)
    while time.perf_counter() < t_end:
        app.processEvents()
        time.sleep(0.005)
    engines = live_engines()
    playing = sum(1 for w in windows if w.playing)

    actions = {
        "theme": [main_window.toggle_theme, main_window.toggle_theme],
        "scale": [lambda: main_window.set_scale(1.25), lambda: main_window.set_scale(1.0)],
        "language": [lambda: main_window.set_language("zh_CN"), lambda: main_window.set_language("en")],
    }
    times: dict[str, list[float]] = {kind: [] for kind in actions}
    cpu: dict[str, list[float]] = {kind: [] for kind in actions}
    for _ in range(args.rounds):
        for kind, calls in actions.items():
            for call in calls:
                t0, c0 = time.perf_counter(), time.thread_time()
                call()
                call_s = time.perf_counter() - t0
                times[kind].append(call_s + settle(app))
                cpu[kind].append(time.thread_time() - c0)
                for _ in range(20):  # a few frames between changes
                    app.processEvents()
                    time.sleep(0.01)
    result = {
        "engines": args.engines,
        "compare_windows": len(windows),
        "engine_processes": engines,
        "compare_windows_playing": playing,
        "cpu_count": os.cpu_count(),
        "load_average_1min": round(os.getloadavg()[0], 2),
        "wall_s": {
            kind: {"median": round(statistics.median(v), 3), "max": round(max(v), 3), "all": [round(x, 3) for x in v]}
            for kind, v in times.items()
        },
        "cpu_s": {
            kind: {"median": round(statistics.median(v), 3), "max": round(max(v), 3), "all": [round(x, 3) for x in v]}
            for kind, v in cpu.items()
        },
        "target_max_s": 1.0,
    }
    for w in windows:
        w.close()
        w.deleteLater()
    main_window.close()
    main_window.deleteLater()
    app.processEvents()
    if factory is not None:
        stop_controllers([c for w in windows for c in (w.controllers or [])], 1000)
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
