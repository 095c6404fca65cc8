"""Resident memory of the window over a long run (run by hand; prints a table, --out writes JSON).

The real display path: a ``MainWindow(config, controller=None)`` (offscreen unless told
otherwise) is fed chunk by chunk by a training run in this process, as the live window pulls
batches from its worker: every step's snapshot, detailed every ``--detail-every`` steps, with an
output sample every ``--output-every`` and the weights every ``--weights-every`` steps (the live
rates: detail ≤ 30 Hz, output and weights ≤ 5 Hz at about 1000 steps/s). The window's
``Timeline`` (what the scrub bar reads) holds the detailed snapshots, outputs and weights.
VmRSS is read from /proc/self/status every ``--sample-every`` steps; the report gives RSS at
10 %, 50 % and 100 % of the run and the growth from 10 % to 100 %.

    python benchmarks/bench_memory.py                                # default config, 200k steps
    python benchmarks/bench_memory.py --config large --steps 12000   # wide net: weights dominate
    python benchmarks/bench_memory.py --steps 20000 --out docs/bench_memory.json
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# training runs in this process: one BLAS thread, as in the app's engine process
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

from model import ExperimentConfig

CONFIGS = {
    "default": ExperimentConfig(),
    "large": ExperimentConfig(
        dataset="digits", depth=10, width=256, batch_size=256, activation="relu", init="he_normal"
    ),
}


def rss_kib() -> tuple[int, int]:
    """(VmRSS, VmHWM) of this process in KiB."""
    values: dict[str, int] = {}
    with open("/proc/self/status", encoding="ascii") as f:
        for line in f:
            key, _, rest = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                values[key] = int(rest.split()[0])
    return values["VmRSS"], values["VmHWM"]


def run(args: argparse.Namespace) -> dict[str, Any]:
    from app.engine_process import ready_info
    from app.main_window import MainWindow, make_application
    from app.worker import Updates
    from model import Trainer
    from model.timeline import Timeline

    config = CONFIGS[args.config]
    app = make_application()
    rss_start, _ = rss_kib()
    window = MainWindow(config, controller=None)
    window.resize(*args.size)
    window.show()
    app.processEvents()
    # the window's own timeline (what the scrub bar reads), with the limits asked for
    window.timeline = timeline = Timeline(max_entries=args.max_entries, max_bytes=int(args.max_mb * 1e6))
    window.timeline_bar.timeline = timeline

    trainer = Trainer(config)
    first = trainer.inspect()
    weights = [w.copy() for w in trainer.network.weights]
    window.apply_updates(Updates(ready=ready_info(trainer), snapshots=[first], weights=weights))
    app.processEvents()
    rss_window, _ = rss_kib()

    samples: list[dict[str, Any]] = []
    t0 = time.perf_counter()
    draw_s = 0.0
    step = 0
    while step < args.steps:
        batch = []
        weights_due = False
        for _ in range(min(args.chunk, args.steps - step)):
            step += 1
            output = step % args.output_every == 0
            detail = output or step % args.detail_every == 0 or step == args.steps
            batch.append(trainer.step(detail=detail, output=output))
            weights_due = weights_due or step % args.weights_every == 0
        weights = [w.copy() for w in trainer.network.weights] if weights_due else None
        t_draw = time.perf_counter()
        window.apply_updates(Updates(snapshots=batch, weights=weights))
        app.processEvents()  # paint, as the display timer's frame would
        draw_s += time.perf_counter() - t_draw
        if step % args.sample_every == 0 or step == args.steps:
            rss, hwm = rss_kib()
            samples.append(
                {
                    "step": step,
                    "rss_mib": round(rss / 1024, 1),
                    "peak_rss_mib": round(hwm / 1024, 1),
                    "timeline_entries": len(timeline),
                    "timeline_mb": round(timeline.nbytes / 1e6, 2),
                    "timeline_min_gap": timeline.min_gap,
                    "history_rows": len(window.history),
                    "history_stride": window.history.stride,
                    "seconds": round(time.perf_counter() - t0, 1),
                }
            )
            if args.progress:
                s = samples[-1]
                print(
                    f"  step {step:>9,}  rss {s['rss_mib']:8.1f} MiB  timeline {s['timeline_entries']:4d} entries"
                    f" {s['timeline_mb']:7.1f} MB  {s['seconds']:7.1f} s",
                    file=sys.stderr,
                    flush=True,
                )
    elapsed = time.perf_counter() - t0
    diverged = bool(window.diverged)
    window.close()
    window.deleteLater()
    app.processEvents()

    def at(fraction: float) -> dict[str, Any]:
        target = fraction * args.steps
        return min(samples, key=lambda s: abs(s["step"] - target))

    marks = {f"{round(f * 100)}%": at(f) for f in (0.1, 0.5, 1.0)}
    growth = marks["100%"]["rss_mib"] - marks["10%"]["rss_mib"]
    return {
        "config_name": args.config,
        "config": config.to_dict(),
        "steps": args.steps,
        "chunk": args.chunk,
        "detail_every": args.detail_every,
        "output_every": args.output_every,
        "weights_every": args.weights_every,
        "window_size": list(args.size),
        "timeline_limits": {"max_entries": args.max_entries, "max_mb": args.max_mb},
        "diverged": diverged,
        "seconds": round(elapsed, 1),
        "steps_per_s": round(args.steps / elapsed, 1),
        "drawing_share": round(draw_s / elapsed, 3),
        "rss_mib_before_window": round(rss_start / 1024, 1),
        "rss_mib_after_window": round(rss_window / 1024, 1),
        "marks": marks,
        "growth_10_to_100_mib": round(growth, 1),
        "growth_10_to_100_percent": round(100 * growth / marks["10%"]["rss_mib"], 1),
        "timeline_growth_10_to_100_mb": round(marks["100%"]["timeline_mb"] - marks["10%"]["timeline_mb"], 1),
        # the second half: by then the timeline and the history have reached their bounds
        "growth_50_to_100_mib": round(marks["100%"]["rss_mib"] - marks["50%"]["rss_mib"], 1),
        "timeline_peak_mb": max(s["timeline_mb"] for s in samples),
        "samples": samples,
        "environment": {
            "python": platform.python_version(),
            "machine": platform.machine(),
            "cpu_count": os.cpu_count(),
            "qpa": os.environ.get("QT_QPA_PLATFORM"),
            "loadavg_end": list(os.getloadavg()),
        },
    }


def table(result: dict[str, Any]) -> str:
    rows = [
        f"{result['config_name']}: {result['steps']:,} steps in {result['seconds']:,.0f} s "
        f"({result['steps_per_s']:,.0f} steps/s, drawing {result['drawing_share']:.0%})"
        + ("  [diverged]" if result["diverged"] else ""),
        f"RSS before the window {result['rss_mib_before_window']:.1f} MiB, "
        f"after it and step 0 {result['rss_mib_after_window']:.1f} MiB",
        f"{'at':>5} {'step':>9} {'RSS MiB':>8} {'peak':>8} {'timeline':>9} {'MB':>7} {'history':>8} {'stride':>7}",
    ]
    for name, s in result["marks"].items():
        rows.append(
            f"{name:>5} {s['step']:>9,} {s['rss_mib']:>8.1f} {s['peak_rss_mib']:>8.1f} "
            f"{s['timeline_entries']:>9} {s['timeline_mb']:>7.1f} {s['history_rows']:>8} {s['history_stride']:>7}"
        )
    rows.append(
        f"growth 10% → 100%: {result['growth_10_to_100_mib']:+.1f} MiB "
        f"({result['growth_10_to_100_percent']:+.1f} %), of which the timeline "
        f"{result['timeline_growth_10_to_100_mb']:+.1f} MB"
    )
    rows.append(
        f"growth 50% → 100%: {result['growth_50_to_100_mib']:+.1f} MiB; "
        f"timeline peak {result['timeline_peak_mb']:.1f} MB"
    )
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", choices=sorted(CONFIGS), default="default")
    parser.add_argument("--steps", type=int, default=200_000)
    parser.add_argument("--chunk", type=int, default=100, help="steps per batch the window is fed")
    parser.add_argument("--detail-every", type=int, default=25)
    parser.add_argument("--output-every", type=int, default=150)
    parser.add_argument("--weights-every", type=int, default=150)
    parser.add_argument("--sample-every", type=int, default=None, help="default: steps / 100")
    parser.add_argument("--max-entries", type=int, default=600)
    parser.add_argument("--max-mb", type=float, default=6.0, help="the app's TIMELINE_BYTES / 1e6")
    parser.add_argument("--size", type=lambda s: tuple(int(v) for v in s.split("x")), default=(1280, 720))
    parser.add_argument("--progress", action="store_true", help="print every sample on stderr")
    parser.add_argument("--out", type=Path, help="write the JSON result here")
    args = parser.parse_args(argv)
    if args.sample_every is None:
        args.sample_every = max(args.chunk, args.steps // 100 // args.chunk * args.chunk)
    if args.sample_every % args.chunk:
        parser.error("--sample-every must be a multiple of --chunk")
    result = run(args)
    print(table(result))
    if args.out is not None:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
