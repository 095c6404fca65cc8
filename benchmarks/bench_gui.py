"""Frame rate and training speed of the live windows (run by hand; prints JSON).

One measurement opens a real window at the requested size, lets it train live (worker thread
+ engine process, exactly as the app runs), counts the frames the user sees and reads the
training speed from the snapshots' step numbers.  Frames are counted from real paint events
of one plot's viewport (paint events closer than 2 ms are one frame): the Gradients view in
the main window, the overlaid gradient plot in a compare window.  The headless engine's speed
(Trainer.step() in a loop in a fresh process, no GUI) is measured in the same run, before and
after the GUI phase, so the ratio compares like with like.

    # the whole table of issue 10 (every row in its own process), under a real X server:
    xvfb-run -a -s "-screen 0 3840x2160x24" env QT_QPA_PLATFORM=xcb \\
        python benchmarks/bench_gui.py --suite

    # the same, interleaved with an older checkout, reporting after/before ratios:
    git worktree add /tmp/base <old-commit>
    xvfb-run -a -s "-screen 0 3840x2160x24" env QT_QPA_PLATFORM=xcb \\
        python benchmarks/bench_gui.py --suite --base /tmp/base --rounds 2

    # one row:
    ... python benchmarks/bench_gui.py --compare noisy-relu --size 1920x1080
    ... python benchmarks/bench_gui.py --size 3840x2160            # the main window
    ... env QT_SCALE_FACTOR=2 python benchmarks/bench_gui.py --size 1920x1080

Numbers (JSON keys):

* ``fps_median`` — frames per second from the median frame interval;
* ``frame_interval_p95_ms`` — the 95th percentile of the frame intervals;
* ``training_ratio`` — main window: training steps/s under the GUI ÷ one headless engine's;
  compare window: the *sum* of the runs' steps/s ÷ one headless engine's (the mean of the
  runs' configs measured headless, one at a time).

``--code DIR`` measures the app's code in DIR (an older checkout) with this script.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve()


def _code_root(argv: list[str]) -> Path:
    """The checkout whose app is measured (``--code DIR``; this one by default)."""
    for i, arg in enumerate(argv):
        if arg == "--code" and i + 1 < len(argv):
            return Path(argv[i + 1]).resolve()
        if arg.startswith("--code="):
            return Path(arg.split("=", 1)[1]).resolve()
    return HERE.parents[1]


ROOT = _code_root(sys.argv)
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# engine processes and CLI children import the same code
os.environ["PYTHONPATH"] = os.pathsep.join([str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])])

from model import ExperimentConfig  # noqa: E402

LECTURE = ExperimentConfig(dataset="spiral", depth=10, width=32, batch_size=64, activation="relu", init="he_normal")

#: The rows of issue 10's table: (name, extra arguments, environment, targets).
SUITE: list[tuple[str, list[str], dict[str, str], dict[str, tuple[str, float]]]] = [
    (
        "noisy-relu 3 runs 1920x1080",
        ["--compare", "noisy-relu", "--size", "1920x1080"],
        {},
        {"fps_median": (">=", 30), "frame_interval_p95_ms": ("<=", 50), "training_ratio": (">=", 0.6)},
    ),
    (
        "relu-rescue 2 runs 1920x1080",
        ["--compare", "relu-rescue", "--size", "1920x1080"],
        {},
        {"fps_median": (">=", 45)},
    ),
    (
        "main window 3840x2160",
        ["--size", "3840x2160"],
        {},
        {"fps_median": (">=", 50), "training_ratio": (">=", 0.7)},
    ),
    (
        "main window 1920x1080 at QT_SCALE_FACTOR=2",
        ["--size", "1920x1080"],
        {"QT_SCALE_FACTOR": "2"},
        {"fps_median": (">=", 50)},
    ),
]


def headless_steps_per_s(config: ExperimentConfig, seconds: float) -> float:
    """Trainer.step() in a loop in a fresh child process (as the app's engine runs it)."""
    code = (
        f"import time,sys,json;sys.path.insert(0,{str(ROOT)!r});from model import ExperimentConfig,Trainer;"
        "t=Trainer(ExperimentConfig.from_dict(json.loads(sys.argv[1])));n=0;t0=time.perf_counter()\n"
        f"while time.perf_counter()-t0<{seconds}:\n t.step();n+=1\n"
        "print(n/(time.perf_counter()-t0))"
    )
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1")
    out = subprocess.run(
        [sys.executable, "-c", code, json.dumps(config.to_dict())], capture_output=True, text=True, env=env, check=True
    )
    return float(out.stdout.strip())


class _PaintCounter:
    """Times of paint events of the graphics views' viewports under ``widget``."""

    def __init__(self, widget: Any) -> None:
        from PySide6 import QtCore

        self.paints: list[float] = []
        paints = self.paints

        class Filter(QtCore.QObject):
            def eventFilter(self, obj: QtCore.QObject, event: QtCore.QEvent) -> bool:
                if event.type() == QtCore.QEvent.Type.Paint:
                    paints.append(time.perf_counter())
                return False

        self.filter = Filter()
        from PySide6 import QtWidgets

        for view in widget.findChildren(QtWidgets.QGraphicsView):
            view.viewport().installEventFilter(self.filter)

    def frames(self) -> list[float]:
        # paint events of one frame arrive together: merge those closer than 2 ms
        frames: list[float] = []
        for t in self.paints:
            if not frames or t - frames[-1] > 0.002:
                frames.append(t)
        return frames


def _timed(obj: Any, method: str, costs: list[float]) -> None:
    """Wrap ``obj.method`` to append its duration to ``costs``."""
    original = getattr(obj, method)

    def timed(*args: Any, **kwargs: Any) -> Any:
        t0 = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            costs.append(time.perf_counter() - t0)

    setattr(obj, method, timed)


def _frame_numbers(frames: list[float], elapsed: float, cpu: float) -> dict[str, Any]:
    """Frame statistics; ``cpu`` (the GUI process's CPU seconds, every thread) gives the cost
    of a frame, a number that depends less on what else the machine is doing than fps."""
    intervals = sorted(b - a for a, b in itertools.pairwise(frames))
    cost = {"gui_cpu_share": cpu / elapsed, "gui_cpu_ms_per_frame": 1e3 * cpu / max(len(frames), 1)}
    if not intervals:
        return {"frames": len(frames), "fps_mean": len(frames) / elapsed, "fps_median": 0.0, **cost}
    median = statistics.median(intervals)
    return {
        **cost,
        "frames": len(frames),
        "fps_mean": len(frames) / elapsed,
        "fps_median": 1.0 / median,
        "frame_interval_median_ms": 1e3 * median,
        "frame_interval_p95_ms": 1e3 * intervals[int(0.95 * (len(intervals) - 1))],
    }


def _run_for(app: Any, duration: float) -> None:
    from PySide6 import QtCore

    end = time.perf_counter() + duration
    while time.perf_counter() < end:
        app.processEvents(QtCore.QEventLoop.ProcessEventsFlag.AllEvents, 5)


def _close(app: Any, window: Any) -> None:
    window.close()
    window.deleteLater()
    app.processEvents()


def measure_main(config: ExperimentConfig, size: tuple[int, int], warmup: float, seconds: float) -> dict[str, Any]:
    from app.main_window import MainWindow, make_application
    from app.worker import TrainingController

    app = make_application()
    window = MainWindow(config, controller=TrainingController())
    if hasattr(window, "set_speed"):
        window.set_speed(None)
    window.resize(*size)
    window.show()
    counter = _PaintCounter(window.views["gradients"])
    view_costs: dict[str, list[float]] = {name: [] for name in window.views}
    for name, view in window.views.items():
        _timed(view, "show_snapshot", view_costs[name])

    _run_for(app, warmup)
    counter.paints.clear()
    for costs in view_costs.values():
        costs.clear()
    step0 = window.latest.step if window.latest else 0
    t0, cpu0 = time.perf_counter(), time.process_time()
    _run_for(app, seconds)
    elapsed, cpu = time.perf_counter() - t0, time.process_time() - cpu0
    step1 = window.latest.step if window.latest else 0
    window_size = (window.width(), window.height())
    _close(app, window)
    return {
        **_frame_numbers(counter.frames(), elapsed, cpu),
        "training_steps_per_s": (step1 - step0) / elapsed,
        "window_size": window_size,
        "show_snapshot_median_ms": {
            k: round(1e3 * statistics.median(v), 2) if v else None for k, v in view_costs.items()
        },
    }


def measure_compare(scene_name: str, size: tuple[int, int], warmup: float, seconds: float) -> dict[str, Any]:
    from app.compare_window import open_scene_compare
    from app.main_window import make_application
    from model.scenes import load_scene

    app = make_application()
    window = open_scene_compare(load_scene(scene_name))
    if hasattr(window, "set_speed"):
        window.set_speed(None)  # as fast as possible, not the scene's narrating pace
    window.resize(*size)
    window.show()
    counter = _PaintCounter(window.overlay)
    draw_costs: list[float] = []
    _timed(window, "_draw", draw_costs)
    view_costs: dict[str, list[float]] = {}
    for column in window.columns:
        for name, view in column.views.items():
            _timed(view, "show_snapshot", view_costs.setdefault(name, []))
    _timed(window.overlay, "show_snapshots", view_costs.setdefault("overlay", []))

    def steps() -> list[int]:
        return [column.latest.step if column.latest else 0 for column in window.columns]

    _run_for(app, warmup)
    counter.paints.clear()
    draw_costs.clear()
    for costs in view_costs.values():
        costs.clear()
    steps0 = steps()
    t0, cpu0 = time.perf_counter(), time.process_time()
    _run_for(app, seconds)
    elapsed, cpu = time.perf_counter() - t0, time.process_time() - cpu0
    steps1 = steps()
    window_size = (window.width(), window.height())
    _close(app, window)
    per_run = [(b - a) / elapsed for a, b in zip(steps0, steps1, strict=True)]
    return {
        **_frame_numbers(counter.frames(), elapsed, cpu),
        "training_steps_per_s": sum(per_run),
        "runs_steps_per_s": per_run,
        "window_size": window_size,
        "draw_median_ms": round(1e3 * statistics.median(draw_costs), 2) if draw_costs else None,
        "show_snapshot_median_ms": {
            k: round(1e3 * statistics.median(v), 2) if v else None for k, v in view_costs.items()
        },
        "show_snapshot_calls": {k: len(v) for k, v in view_costs.items()},
    }


def _recorded_feed(configs: list[ExperimentConfig], frames: int, steps_per_frame: int) -> list[list[Any]]:
    """What the engines would send for ``frames`` display frames: per frame and run, an
    Updates with ``steps_per_frame`` snapshots (the last detailed every 2nd frame, with an
    output sample every 12th and the weights every 12th), after the run's "ready" update."""
    from app.engine_process import ready_info
    from app.worker import Updates
    from model import Trainer

    feed: list[list[Any]] = []
    trainers = [Trainer(c) for c in configs]
    feed.append([Updates(ready=ready_info(t), snapshots=[t.inspect()]) for t in trainers])
    for f in range(frames):
        row = []
        for t in trainers:
            batch = []
            for k in range(steps_per_frame):
                last = k == steps_per_frame - 1
                batch.append(t.step(detail=last and f % 2 == 0, output=last and f % 12 == 0))
            weights = [w.copy() for w in t.network.weights] if f % 12 == 0 else None
            row.append(Updates(snapshots=batch, weights=weights))
        feed.append(row)
    return feed


def measure_frame_cost(args: argparse.Namespace) -> dict[str, Any]:
    """CPU time of the GUI thread per display frame, the engines replaced by recorded updates.

    Every frame feeds each run the updates an engine sends in 1/60 s at ~600 steps/s, draws
    as the live window's display timer does and lets Qt paint and flush.  No engine process
    runs, so the number depends little on what else the machine does: it is the window's own
    cost of a frame (1000 / it = the frame rate one free core could reach)."""
    from PySide6 import QtCore

    from app.main_window import MainWindow, make_application

    size = _size(args.size)
    app = make_application()
    if args.compare:
        from app.compare_window import open_scene_compare
        from model.scenes import load_scene

        scene = load_scene(args.compare)
        window = open_scene_compare(scene, None)
        configs = [run.config for run in scene.runs]
    else:
        window = MainWindow(LECTURE, controller=None)
        configs = [LECTURE]
        # drawn as a live window is (a window without a controller draws every view at
        # once, for headless pictures); nothing calls the controller here
        window.controller = object()
    window.resize(*size)
    window.show()
    feed = _recorded_feed(configs, args.frames + 30, 10)
    counter = _PaintCounter(window.overlay if args.compare else window.views["gradients"])

    def one_frame(row: list[Any]) -> None:
        if args.compare:
            for i, updates in enumerate(row):
                window.columns[i].apply_updates(updates)
                if hasattr(window, "timeline"):
                    window.timeline.record(i, updates)
            window._draw(time.monotonic())
        else:
            window.apply_updates(row[0])
            if hasattr(window, "view_cadence"):
                window.view_cadence.catch_up(time.monotonic())  # as the display timer does
        app.processEvents(QtCore.QEventLoop.ProcessEventsFlag.AllEvents)
        app.processEvents(QtCore.QEventLoop.ProcessEventsFlag.AllEvents)

    for row in feed[:31]:  # ready, then a warm-up
        one_frame(row)
    counter.paints.clear()
    costs = []
    for row in feed[31:]:
        t0 = time.thread_time()
        one_frame(row)
        costs.append(time.thread_time() - t0)
    if not args.compare:
        window.controller = None
    _close(app, window)
    costs.sort()
    return {
        "what": f"frame cost, compare {args.compare}" if args.compare else "frame cost, main window",
        "code": str(ROOT),
        "size": args.size,
        "qt_scale_factor": os.environ.get("QT_SCALE_FACTOR"),
        "platform": os.environ.get("QT_QPA_PLATFORM"),
        "frames": len(costs),
        "gradient_plot_paints": len(counter.frames()),
        "frame_cpu_ms_median": 1e3 * statistics.median(costs),
        "frame_cpu_ms_p95": 1e3 * costs[int(0.95 * (len(costs) - 1))],
        "load_average": os.getloadavg(),
    }


def measure(args: argparse.Namespace) -> dict[str, Any]:
    size = _size(args.size)
    if args.compare:
        from model.scenes import load_scene

        configs = [run.config for run in load_scene(args.compare).runs]
    else:
        configs = [LECTURE]
    distinct = list({json.dumps(c.to_dict(), sort_keys=True): c for c in configs}.values())
    before = [headless_steps_per_s(c, args.headless_seconds) for c in distinct]
    if args.compare:
        gui = measure_compare(args.compare, size, args.warmup, args.seconds)
    else:
        gui = measure_main(LECTURE, size, args.warmup, args.seconds)
    after = [headless_steps_per_s(c, args.headless_seconds) for c in distinct]
    headless = statistics.mean(before + after)
    return {
        "what": f"compare {args.compare}" if args.compare else "main window, lecture config",
        "code": str(ROOT),
        "size": args.size,
        "qt_scale_factor": os.environ.get("QT_SCALE_FACTOR"),
        "platform": os.environ.get("QT_QPA_PLATFORM"),
        "headless_steps_per_s": {"before": before, "after": after, "mean": headless},
        "fps_median": gui["fps_median"],
        "frame_interval_p95_ms": gui.get("frame_interval_p95_ms"),
        "training_ratio": gui["training_steps_per_s"] / headless,
        "gui_cpu_ms_per_frame": gui["gui_cpu_ms_per_frame"],
        "gui": gui,
        "load_average": os.getloadavg(),
    }


def _size(text: str) -> tuple[int, int]:
    w, h = (int(v) for v in text.lower().split("x"))
    return w, h


def _row(args: argparse.Namespace, extra: list[str], env: dict[str, str], code: Path) -> dict[str, Any]:
    """One measurement in a fresh process (the Qt scale factor is read once per process)."""
    cmd = [sys.executable, str(HERE), "--code", str(code), *extra]
    cmd += ["--seconds", str(args.seconds), "--warmup", str(args.warmup)]
    cmd += ["--headless-seconds", str(args.headless_seconds)]
    if args.frame_cost:
        cmd += ["--frame-cost", "--frames", str(args.frames)]
    child_env = {k: v for k, v in os.environ.items() if k not in ("QT_SCALE_FACTOR", "PYTHONPATH")}
    out = subprocess.run(cmd, capture_output=True, text=True, env={**child_env, **env}, check=False)
    if out.returncode != 0:
        return {"error": out.stderr.strip().splitlines()[-1:] or [f"exit {out.returncode}"]}
    return json.loads(out.stdout)


def _verdict(result: dict[str, Any], targets: dict[str, tuple[str, float]]) -> dict[str, Any]:
    verdicts = {}
    for key, (op, limit) in targets.items():
        value = result.get(key)
        ok = value is not None and (value >= limit if op == ">=" else value <= limit)
        verdicts[key] = {"value": value, "target": f"{op} {limit}", "met": ok}
    return verdicts


def suite(args: argparse.Namespace) -> dict[str, Any]:
    here = HERE.parents[1]
    base = Path(args.base).resolve() if args.base else None
    rows: dict[str, Any] = {}
    for name, extra, env, targets in SUITE:
        if args.only and not any(word in name for word in args.only):
            continue
        after_runs: list[dict[str, Any]] = []
        before_runs: list[dict[str, Any]] = []
        for r in range(args.rounds):
            # alternate the order: neither side always gets the quieter half
            order = [("after", here), ("before", base)] if r % 2 == 0 else [("before", base), ("after", here)]
            # (without --base, "after" is simply this checkout)
            for side, code in order:
                if code is None:
                    continue
                result = _row(args, extra, env, code)
                (after_runs if side == "after" else before_runs).append(result)
                print(f"# {name} [{side}] round {r + 1}: " + _brief(result), file=sys.stderr, flush=True)
        row: dict[str, Any] = {"after": _median_row(after_runs), "targets": None}
        row["targets"] = {} if args.frame_cost else _verdict(row["after"], targets)
        if before_runs:
            row["before"] = _median_row(before_runs)
            row["after_over_before"] = {
                key: _ratio(row["after"].get(key), row["before"].get(key)) for key in KEYS if key in row["after"]
            }
        row["runs"] = {"after": after_runs, "before": before_runs}
        rows[name] = row
    return {
        "rows": rows,
        "seconds": args.seconds,
        "rounds": args.rounds,
        "load_average_end": os.getloadavg(),
        "cpus": os.cpu_count(),
    }


KEYS = (
    "fps_median",
    "frame_interval_p95_ms",
    "training_ratio",
    "gui_cpu_ms_per_frame",
    "frame_cpu_ms_median",
    "frame_cpu_ms_p95",
)


def _brief(result: dict[str, Any]) -> str:
    if "error" in result:
        return f"error {result['error']}"
    if "frame_cpu_ms_median" in result:
        return (
            f"GUI thread CPU per frame: median {result['frame_cpu_ms_median']:.1f} ms, "
            f"p95 {result['frame_cpu_ms_p95']:.1f} ms  load {result['load_average'][0]:.1f}"
        )
    p95 = result.get("frame_interval_p95_ms")
    return (
        f"fps {result['fps_median']:.1f}  p95 {p95 if p95 is None else round(p95, 1)} ms  "
        f"training ratio {result['training_ratio']:.2f}  GUI CPU {result['gui_cpu_ms_per_frame']:.1f} ms/frame  "
        f"load {result['load_average'][0]:.1f}"
    )


def _median_row(results: list[dict[str, Any]]) -> dict[str, Any]:
    good = [r for r in results if "error" not in r]
    if not good:
        return {"error": [r.get("error") for r in results]}
    out: dict[str, Any] = {}
    for key in KEYS:
        values = [r[key] for r in good if r.get(key) is not None]
        if values:
            out[key] = statistics.median(values)
    return out


def _ratio(a: float | None, b: float | None) -> float | None:
    return None if a is None or not b else a / b


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--compare", metavar="SCENE", help="a multi-run scene, measured in the compare window")
    p.add_argument("--size", default="1920x1080", help="window size WxH (logical pixels)")
    p.add_argument("--seconds", type=float, default=10.0, help="measured seconds of live training")
    p.add_argument("--warmup", type=float, default=3.0)
    p.add_argument("--headless-seconds", type=float, default=3.0, help="per headless measurement")
    p.add_argument("--suite", action="store_true", help="every row of the table, each in its own process")
    p.add_argument("--only", nargs="*", help="with --suite: rows whose name contains one of these words")
    p.add_argument("--base", metavar="DIR", help="with --suite: also measure this checkout, interleaved")
    p.add_argument("--rounds", type=int, default=1, help="with --suite: measurements per row and side")
    p.add_argument("--code", metavar="DIR", help="measure the app in this checkout")
    p.add_argument(
        "--frame-cost",
        action="store_true",
        help="the GUI thread's CPU per frame, fed recorded updates (no engines; steady on a busy machine)",
    )
    p.add_argument("--frames", type=int, default=300, help="with --frame-cost: frames measured")
    args = p.parse_args()
    if args.frame_cost and not args.suite:
        result = measure_frame_cost(args)
    else:
        result = suite(args) if args.suite else measure(args)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
