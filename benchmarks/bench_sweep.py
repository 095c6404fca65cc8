"""Sweep throughput: grid points per second on 1 and 2 local worker processes.

    python benchmarks/bench_sweep.py [--points 24] [--steps 1000] [--rounds 3] [--out docs/bench_sweep.json]

One fixed sweep (10 hidden ReLU layers × 32 on the spiral, He init × gain, 1000 training
steps per point, one seed) runs on a process pool of 1 worker and of 2 workers (the code path
of ``backprop-lab sweep --workers W``), rounds interleaved.  The pools are started and warmed
up (one point each worker) before the clock starts, so start-up is reported separately.
Scaling efficiency = (points/s on 2 workers) ÷ (2 × points/s on 1 worker).  On a shared
machine that bounds nothing but the spare cores, so the workers' own CPU time is read from
/proc as well: ``cores_obtained`` (CPU seconds ÷ wall seconds; 1 per worker when the cores are
free), ``points_per_cpu_s`` (the pool's overhead apart from the load) and the share of the
machine other processes took, with the load average.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from model.config import ExperimentConfig  # noqa: E402
from model.sweep import local_executor, plan, run_sweep, run_task  # noqa: E402

BASE = ExperimentConfig(dataset="spiral", depth=10, width=32, activation="relu", init="he_normal", learning_rate=0.05)


def _busy() -> float | None:
    """Busy CPU seconds of the whole machine so far (Linux /proc/stat)."""
    try:
        fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    except OSError:
        return None
    ticks = [int(x) for x in fields]
    idle = ticks[3] + (ticks[4] if len(ticks) > 4 else 0)
    return (sum(ticks) - idle) / os.sysconf("SC_CLK_TCK")


def _cpu(pids: list[int]) -> float:
    """User + system CPU seconds of processes ``pids`` so far (Linux /proc/PID/stat)."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)
    return total / os.sysconf("SC_CLK_TCK")


def run_once(workers: int, points: int, steps: int) -> dict[str, Any]:
    spec = plan(BASE, [], [f"init_scale=0.5:2:{points}"], seeds=1, steps=steps)
    t0 = time.perf_counter()
    executor = local_executor(workers)
    # start and warm every worker (imports, first allocations) outside the clock
    warm = [executor.submit(run_task, BASE.replace(depth=2).to_dict(), 1) for _ in range(workers)]
    for f in warm:
        f.result()
    startup = time.perf_counter() - t0
    rows: list[dict[str, Any]] = []
    pids = list(getattr(executor, "_processes", {}) or {})
    busy0, cpu0 = _busy(), _cpu(pids)
    t1 = time.perf_counter()
    run_sweep(spec, executor, rows.append)
    wall = time.perf_counter() - t1
    busy1, cpu1 = _busy(), _cpu(pids)
    executor.shutdown(wait=True)
    assert len(rows) == points
    ours = cpu1 - cpu0
    n_cpu = os.cpu_count() or 1
    other = None if busy0 is None or busy1 is None else round(max(0.0, (busy1 - busy0 - ours) / (wall * n_cpu)), 3)
    return {
        "workers": workers,
        "points": points,
        "wall_s": round(wall, 3),
        "points_per_s": round(points / wall, 3),
        "pool_startup_s": round(startup, 3),
        "workers_cpu_s": round(ours, 3),
        # cores the workers actually got: 1.0 per worker on an idle machine
        "cores_obtained": round(ours / wall, 3),
        "points_per_cpu_s": round(points / ours, 3) if ours > 0 else None,
        "cpu_share_other_processes": other,
    }


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--points", type=int, default=24)
    p.add_argument("--steps", type=int, default=1000)
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--out", type=Path, help="also write the JSON here")
    args = p.parse_args(argv)
    result: dict[str, Any] = {
        "sweep": {"base": BASE.to_dict(), "vary": f"init_scale=0.5:2:{args.points}", "steps": args.steps, "seeds": 1},
        "environment": {
            "python": platform.python_version(),
            "numpy": np.__version__,
            "cpu_count": os.cpu_count(),
            "loadavg_start": [round(x, 2) for x in os.getloadavg()],
        },
        "rounds": [],
    }
    for r in range(args.rounds):
        order = (1, 2) if r % 2 == 0 else (2, 1)
        for workers in order:
            result["rounds"].append(run_once(workers, args.points, args.steps))
            print(json.dumps(result["rounds"][-1]), file=sys.stderr)
    by = {w: [x["points_per_s"] for x in result["rounds"] if x["workers"] == w] for w in (1, 2)}
    med = {w: statistics.median(v) for w, v in by.items()}
    result["median_points_per_s"] = {"1_worker": med[1], "2_workers": med[2]}
    result["speedup_2_over_1"] = round(med[2] / med[1], 3)
    result["scaling_efficiency"] = round(med[2] / (2 * med[1]), 3)
    cores = {w: statistics.median(x["cores_obtained"] for x in result["rounds"] if x["workers"] == w) for w in (1, 2)}
    per_cpu = {
        w: statistics.median(x["points_per_cpu_s"] for x in result["rounds"] if x["workers"] == w) for w in (1, 2)
    }
    result["median_cores_obtained"] = {"1_worker": cores[1], "2_workers": cores[2]}
    # the pool's own overhead, apart from the cores the machine had to spare: work per CPU second
    result["points_per_cpu_s"] = {"1_worker": per_cpu[1], "2_workers": per_cpu[2]}
    result["cpu_efficiency_2_over_1"] = round(per_cpu[2] / per_cpu[1], 3)
    result["environment"]["loadavg_end"] = [round(x, 2) for x in os.getloadavg()]
    text = json.dumps(result, indent=2)
    print(text)
    if args.out is not None:
        args.out.write_text(text + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
