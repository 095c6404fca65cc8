"""Frame rate and training speed of the live window (run by hand; prints JSON).

The window runs at the requested size with every view showing, training the lecture config
(spiral, 10 × 32, batch 64, ReLU).  Frames are counted from real paint events of the
Gradients view's viewport; training speed is read from the snapshots' step numbers.  The
headless engine's speed (Trainer.step() in a loop, no GUI) is measured in the same run,
before and after the GUI phase, so the ratio compares like with like.

    python benchmarks/bench_gui.py                  # offscreen
    xvfb-run -a -s "-screen 0 1920x1080x24" env QT_QPA_PLATFORM=xcb python benchmarks/bench_gui.py
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from model import ExperimentConfig

LECTURE = ExperimentConfig(dataset="spiral", depth=10, width=32, batch_size=64, activation="relu", init="he_normal")


def headless_steps_per_s(config: ExperimentConfig, seconds: float) -> float:
    """Trainer.step() in a loop in a fresh child process (as the app's engine runs it)."""
    import subprocess

    root = str(Path(__file__).resolve().parents[1])
    code = (
        f"import time,sys,json;sys.path.insert(0,{root!r});from model import ExperimentConfig,Trainer;"
        "t=Trainer(ExperimentConfig.from_dict(json.loads(sys.argv[1])));n=0;t0=time.perf_counter()\n"
        f"while time.perf_counter()-t0<{seconds}:\n t.step();n+=1\n"
        "print(n/(time.perf_counter()-t0))"
    )
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1")
    out = subprocess.run(
        [sys.executable, "-c", code, json.dumps(config.to_dict())], capture_output=True, text=True, env=env
    )
    return float(out.stdout.strip())


def measure_gui(config: ExperimentConfig, size: tuple[int, int], warmup: float, seconds: float) -> dict:
    from PySide6 import QtCore

    from app.main_window import MainWindow, make_application
    from app.worker import TrainingController

    app = make_application()
    window = MainWindow(config, controller=TrainingController())
    window.resize(*size)
    window.show()

    paints: list[float] = []
    view_costs: dict[str, list[float]] = {name: [] for name in window.views}

    target = window.views["gradients"]

    class PaintCounter(QtCore.QObject):
        def eventFilter(self, obj: QtCore.QObject, event: QtCore.QEvent) -> bool:
            if event.type() == QtCore.QEvent.Type.Paint:
                paints.append(time.perf_counter())
            return False

    counter = PaintCounter()
    for child in target.findChildren(QtCore.QObject):
        if child.objectName() == "qt_scrollarea_viewport" or child.metaObject().className() == "QWidget":
            child.installEventFilter(counter)

    # per-view cost of show_snapshot, measured by wrapping it
    for name, view in window.views.items():
        original = view.show_snapshot

        def timed(*args, _orig=original, _name=name, **kwargs):  # type: ignore[no-untyped-def]
            t0 = time.perf_counter()
            _orig(*args, **kwargs)
            view_costs[_name].append(time.perf_counter() - t0)

        view.show_snapshot = timed  # type: ignore[method-assign]

    def run_for(duration: float) -> None:
        end = time.perf_counter() + duration
        while time.perf_counter() < end:
            app.processEvents(QtCore.QEventLoop.ProcessEventsFlag.AllEvents, 5)

    run_for(warmup)
    paints.clear()
    for costs in view_costs.values():
        costs.clear()
    step0 = window.latest.step if window.latest else 0
    t0 = time.perf_counter()
    run_for(seconds)
    elapsed = time.perf_counter() - t0
    step1 = window.latest.step if window.latest else 0

    # paint events of one frame arrive together: merge those closer than 2 ms
    frames = []
    for t in paints:
        if not frames or t - frames[-1] > 0.002:
            frames.append(t)
    intervals = sorted(b - a for a, b in itertools.pairwise(frames))
    window.close()
    window.deleteLater()
    app.processEvents()
    p95 = intervals[int(0.95 * (len(intervals) - 1))] if intervals else float("nan")
    return {
        "frames": len(frames),
        "fps_mean": len(frames) / elapsed,
        "frame_interval_median_ms": 1e3 * statistics.median(intervals) if intervals else None,
        "frame_interval_p95_ms": 1e3 * p95,
        "fps_from_median": 1.0 / statistics.median(intervals) if intervals else None,
        "training_steps_per_s": (step1 - step0) / elapsed,
        "show_snapshot_median_ms": {
            k: round(1e3 * statistics.median(v), 2) if v else None for k, v in view_costs.items()
        },
        "platform": os.environ.get("QT_QPA_PLATFORM"),
    }


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--size", default="1920x1080")
    p.add_argument("--seconds", type=float, default=10.0)
    p.add_argument("--warmup", type=float, default=3.0)
    args = p.parse_args()
    size = tuple(int(v) for v in args.size.split("x"))
    before = headless_steps_per_s(LECTURE, 5.0)
    gui = measure_gui(LECTURE, size, args.warmup, args.seconds)  # type: ignore[arg-type]
    after = headless_steps_per_s(LECTURE, 5.0)
    headless = (before + after) / 2
    result = {
        "config": "lecture (spiral, 10x32, batch 64, relu, he_normal)",
        "size": args.size,
        "headless_steps_per_s": {"before": before, "after": after, "mean": headless},
        "gui": gui,
        "training_under_gui_over_headless": gui["training_steps_per_s"] / headless,
        "targets": {"median_fps": ">= 30", "p95_frame_ms": "<= 50", "training_ratio": ">= 0.6"},
        "load_average": os.getloadavg(),
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
