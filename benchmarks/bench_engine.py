"""Throughput of the instrumented engine beside PyTorch and a bare NumPy loop.

Run by hand from the repository root (PyTorch and threadpoolctl must be installed; neither is
a dependency of the app)::

    python benchmarks/bench_engine.py              # library default thread counts
    python benchmarks/bench_engine.py --threads 1  # torch and BLAS limited to one thread

Three contenders train the same network (same initial weights, same mini-batches, float64,
plain SGD, softmax cross-entropy) for two configurations:

``engine``
    ``Trainer.step()`` — forward, backward, update and every per-layer statistic of a
    Snapshot (``detail=False``), as the app runs it.
``torch``
    PyTorch eager on the CPU (``F.linear``/``F.relu``/``F.cross_entropy``, autograd,
    ``torch.optim.SGD``), reading the loss and the gradient norm of every weight layer back
    to Python each step, which is the minimum the app would need from it.
``bare``
    a plain, idiomatic per-layer NumPy forward/backward/SGD loop: lists of arrays, no flat
    buffer, no statistics.  ``engine / bare`` is the price of the instrumentation.

Before timing, three steps of every contender are checked to produce the same parameters, so
the three really compute the same thing.  The contenders then run interleaved in rounds
(``--rounds`` × ``--seconds`` each, the order rotating every round) and the median steps/s
per contender is reported as JSON on stdout.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import threadpoolctl
import torch
import torch.nn.functional as F

from model.config import ExperimentConfig
from model.trainer import Trainer

CONFIGS: dict[str, ExperimentConfig] = {
    "lecture": ExperimentConfig(
        dataset="spiral", depth=10, width=32, batch_size=64, activation="relu", init="he_normal"
    ),
    "large": ExperimentConfig(
        dataset="digits", depth=10, width=256, batch_size=256, activation="relu", init="he_normal"
    ),
}
#: engine steps/s ÷ torch steps/s must reach these
ENGINE_OVER_TORCH_TARGET = {"lecture": 2.0, "large": 0.8}
#: engine steps/s ÷ bare steps/s must reach this (statistics cost ≤ 25 %)
ENGINE_OVER_BARE_TARGET = 0.8
ENV_VARS = (
    "OPENBLAS_CORETYPE",
    "OPENBLAS_L2_SIZE",
    "OPENBLAS_NUM_THREADS",
    "OMP_NUM_THREADS",
    "MKL_NUM_THREADS",
    "OMP_WAIT_POLICY",
    "GOMP_SPINCOUNT",
)


class Batches:
    """The trainer's mini-batch sampler, replicated: a fresh permutation of the training set
    every epoch from ``default_rng([seed, 3])``, so every contender sees the same batches."""

    def __init__(self, n: int, batch_size: int, seed: int) -> None:
        self.n = n
        self.b = min(batch_size, n)
        self.rng = np.random.default_rng([seed, 3])
        self.order = np.empty(0, dtype=np.intp)
        self.cursor = 0

    def next(self) -> np.ndarray:
        if self.cursor + self.b > self.order.shape[0]:
            self.order = self.rng.permutation(self.n)
            self.cursor = 0
        idx = self.order[self.cursor : self.cursor + self.b]
        self.cursor += self.b
        return idx


class EngineContender:
    name = "engine"

    def __init__(self, cfg: ExperimentConfig) -> None:
        self.cfg = cfg
        self.trainer = Trainer(cfg)
        self.last_loss = float("nan")

    def step(self) -> bool:
        snap = self.trainer.step()
        self.last_loss = snap.loss
        return not snap.diverged

    def reset(self) -> None:
        self.trainer = Trainer(self.cfg)

    def weights(self) -> list[np.ndarray]:
        return [w.copy() for w in self.trainer.network.weights]

    def status(self) -> dict[str, Any]:
        return {"diverged": self.trainer.diverged, "last_loss": self.last_loss}


class TorchContender:
    name = "torch"

    def __init__(self, cfg: ExperimentConfig, init: Trainer) -> None:
        self.cfg = cfg
        self.init_w = [w.copy() for w in init.network.weights]
        self.init_b = [b.copy() for b in init.network.biases]
        self.reset()
        self.x = torch.tensor(np.asarray(init.dataset.x_train, dtype=np.float64))
        self.y = torch.tensor(np.asarray(init.dataset.y_train, dtype=np.int64))
        self.batches = Batches(self.x.shape[0], cfg.batch_size, cfg.seed)
        self.last_loss = float("nan")
        self.last_norms: list[float] = []

    def reset(self) -> None:
        self.W = [torch.tensor(w.T.copy(), dtype=torch.float64, requires_grad=True) for w in self.init_w]
        self.b = [torch.tensor(b.copy(), dtype=torch.float64, requires_grad=True) for b in self.init_b]
        self.opt = torch.optim.SGD([*self.W, *self.b], lr=self.cfg.learning_rate)

    def step(self) -> bool:
        idx = torch.from_numpy(self.batches.next())
        x, y = self.x[idx], self.y[idx]
        self.opt.zero_grad(set_to_none=True)
        h = x
        for W, b in zip(self.W[:-1], self.b[:-1], strict=True):
            h = F.relu(F.linear(h, W, b))
        loss = F.cross_entropy(F.linear(h, self.W[-1], self.b[-1]), y)
        loss.backward()
        self.last_norms = torch.stack([w.grad.norm() for w in self.W]).tolist()
        self.opt.step()
        self.last_loss = loss.item()
        return bool(np.isfinite(self.last_loss))

    def weights(self) -> list[np.ndarray]:
        return [w.detach().numpy().T.copy() for w in self.W]

    def status(self) -> dict[str, Any]:
        return {"diverged": not np.isfinite(self.last_loss), "last_loss": self.last_loss}


class BareContender:
    """The idiomatic NumPy MLP: what the engine would cost without any instrumentation."""

    name = "bare"

    def __init__(self, cfg: ExperimentConfig, init: Trainer) -> None:
        assert cfg.activation == "relu" and cfg.loss == "cross_entropy" and not cfg.batch_norm
        self.init_w = [w.copy() for w in init.network.weights]
        self.init_b = [b.copy() for b in init.network.biases]
        self.reset()
        self.lr = cfg.learning_rate
        self.x = np.asarray(init.dataset.x_train, dtype=np.float64)
        self.y = np.asarray(init.dataset.y_train, dtype=np.int64)
        self.batches = Batches(self.x.shape[0], cfg.batch_size, cfg.seed)
        self.last_loss = float("nan")

    def reset(self) -> None:
        self.W = [w.copy() for w in self.init_w]
        self.b = [b.copy() for b in self.init_b]

    def step(self) -> bool:
        with np.errstate(all="ignore"):  # as the engine: a diverging run must not print warnings
            self._step()
        return bool(np.isfinite(self.last_loss))

    def _step(self) -> None:
        idx = self.batches.next()
        x, y = self.x[idx], self.y[idx]
        n = x.shape[0]
        # forward: keep every layer's input
        hs = [x]
        h = x
        for W, b in zip(self.W[:-1], self.b[:-1], strict=True):
            h = np.maximum(h @ W + b, 0.0)
            hs.append(h)
        logits = h @ self.W[-1] + self.b[-1]
        # softmax cross-entropy, batch mean
        shifted = logits - logits.max(axis=1, keepdims=True)
        e = np.exp(shifted)
        s = e.sum(axis=1, keepdims=True)
        rows = np.arange(n)
        self.last_loss = float(np.mean(np.log(s[:, 0]) - shifted[rows, y]))
        d = e / s
        d[rows, y] -= 1.0
        d /= n
        # backward and SGD, layer by layer
        for l in range(len(self.W) - 1, -1, -1):
            dW = hs[l].T @ d
            db = d.sum(axis=0)
            if l > 0:
                d = (d @ self.W[l].T) * (hs[l] > 0.0)
            self.W[l] -= self.lr * dW
            self.b[l] -= self.lr * db

    def weights(self) -> list[np.ndarray]:
        return [w.copy() for w in self.W]

    def status(self) -> dict[str, Any]:
        return {"diverged": not np.isfinite(self.last_loss), "last_loss": self.last_loss}


Contender = EngineContender | TorchContender | BareContender


def make_contenders(cfg: ExperimentConfig) -> list[Contender]:
    engine = EngineContender(cfg)
    # the engine has not stepped yet: its network holds the initial weights
    return [engine, TorchContender(cfg, engine.trainer), BareContender(cfg, engine.trainer)]


def check_same_math(cfg: ExperimentConfig, steps: int = 3) -> float:
    """Max relative weight difference between the contenders after ``steps`` steps."""
    contenders = make_contenders(cfg)
    for c in contenders:
        for _ in range(steps):
            c.step()
    ref = contenders[0].weights()
    worst = 0.0
    for c in contenders[1:]:
        for a, b in zip(c.weights(), ref, strict=True):
            worst = max(worst, float(np.max(np.abs(a - b)) / np.max(np.abs(b))))
    if worst > 1e-9:
        raise SystemExit(f"contenders disagree after {steps} steps: max relative difference {worst:.2e}")
    return worst


def timed(c: Contender, seconds: float, resets: dict[str, int]) -> float:
    """Steps per second of ``c.step`` over at least ``seconds`` of (step) time.

    A contender whose run diverges is put back to the initial weights, outside the clock: a
    diverged engine stops updating and NaN arithmetic is not the workload being measured.
    """
    n = 0
    spent = 0.0
    while spent < seconds:
        t0 = time.perf_counter()
        ok = c.step()
        spent += time.perf_counter() - t0
        n += 1
        if not ok:
            c.reset()
            resets[c.name] = resets.get(c.name, 0) + 1
    return n / spent


def bench_config(name: str, cfg: ExperimentConfig, rounds: int, seconds: float) -> dict[str, Any]:
    difference = check_same_math(cfg)
    contenders = make_contenders(cfg)
    resets: dict[str, int] = {c.name: 0 for c in contenders}
    for c in contenders:  # warm-up: allocations, BLAS/OpenMP thread pools, autograd caches
        timed(c, min(0.3, seconds), resets)
    per_round: dict[str, list[float]] = {c.name: [] for c in contenders}
    for r in range(rounds):
        order = contenders[r % len(contenders) :] + contenders[: r % len(contenders)]
        for c in order:
            per_round[c.name].append(timed(c, seconds, resets))
    median = {k: statistics.median(v) for k, v in per_round.items()}

    def paired(a: str, b: str) -> float:
        """Median over rounds of a/b measured in the same round (robust to load drifting)."""
        return round(statistics.median(x / y for x, y in zip(per_round[a], per_round[b], strict=True)), 3)

    engine_over_torch = median["engine"] / median["torch"]
    engine_over_bare = median["engine"] / median["bare"]
    return {
        "config": {
            k: v
            for k, v in cfg.to_dict().items()
            if k in ("dataset", "depth", "width", "batch_size", "activation", "init", "learning_rate")
        },
        "n_train": int(contenders[0].trainer.dataset.x_train.shape[0]),
        "n_params": int(contenders[0].trainer.network.n_params),
        "max_relative_weight_difference_after_3_steps": difference,
        "median_steps_per_s": {k: round(v, 1) for k, v in median.items()},
        "rounds_steps_per_s": {k: [round(x, 1) for x in v] for k, v in per_round.items()},
        # the fastest round is the least disturbed by other processes
        "best_steps_per_s": {k: round(max(v), 1) for k, v in per_round.items()},
        "best_round_ratios": {
            "engine_over_torch": round(max(per_round["engine"]) / max(per_round["torch"]), 3),
            "engine_over_bare": round(max(per_round["engine"]) / max(per_round["bare"]), 3),
        },
        "engine_over_torch": round(engine_over_torch, 3),
        "engine_over_torch_target": ENGINE_OVER_TORCH_TARGET[name],
        "engine_over_torch_ok": engine_over_torch >= ENGINE_OVER_TORCH_TARGET[name],
        "bare_over_engine": round(median["bare"] / median["engine"], 3),
        "engine_over_bare": round(engine_over_bare, 3),
        "engine_over_bare_target": ENGINE_OVER_BARE_TARGET,
        "engine_over_bare_ok": engine_over_bare >= ENGINE_OVER_BARE_TARGET,
        "statistics_cost": round(median["bare"] / median["engine"] - 1.0, 3),
        "paired_round_medians": {
            "engine_over_torch": paired("engine", "torch"),
            "engine_over_bare": paired("engine", "bare"),
        },
        "final_status": {c.name: c.status() for c in contenders},
        "resets_after_divergence": resets,
    }


def _busy_cpu_seconds() -> float | None:
    """CPU seconds the whole machine spent busy since boot (Linux /proc/stat), else None."""
    try:
        fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    except OSError:
        return None
    ticks = [int(v) for v in fields]
    idle = ticks[3] + (ticks[4] if len(ticks) > 4 else 0)  # idle + iowait
    return (sum(ticks[:8]) - idle) / os.sysconf("SC_CLK_TCK")


class OtherLoad:
    """Share of the machine's CPU time that *other* processes used while the block ran: a
    benchmark taken beside a busy neighbour (two-core VM, test suites, ...) is not comparable."""

    def __enter__(self) -> OtherLoad:
        self.busy0 = _busy_cpu_seconds()
        t = os.times()
        self.own0 = t.user + t.system
        self.wall0 = time.perf_counter()
        self.share: float | None = None
        return self

    def __exit__(self, *exc: object) -> None:
        busy1 = _busy_cpu_seconds()
        if self.busy0 is None or busy1 is None:
            return
        t = os.times()
        own = t.user + t.system - self.own0
        capacity = (time.perf_counter() - self.wall0) * (os.cpu_count() or 1)
        self.share = round(max(0.0, (busy1 - self.busy0 - own) / capacity), 3)


def environment() -> dict[str, Any]:
    keys = ("internal_api", "version", "num_threads", "threading_layer", "architecture")
    blas = [
        {k: info.get(k) for k in keys} for info in threadpoolctl.threadpool_info() if info.get("user_api") == "blas"
    ]
    return {
        "python": platform.python_version(),
        "numpy": np.__version__,
        "torch": torch.__version__,
        "machine": platform.machine(),
        "processor": platform.processor() or None,
        "cpu_count": os.cpu_count(),
        "torch_num_threads": torch.get_num_threads(),
        "numpy_blas": blas,
        "numpy_blas_threads": [b["num_threads"] for b in blas],
        "env": {k: os.environ.get(k) for k in ENV_VARS},
        "loadavg_start": [round(x, 2) for x in os.getloadavg()] if hasattr(os, "getloadavg") else None,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--threads", type=int, default=None, help="torch and BLAS threads (default: the libraries' own)"
    )
    parser.add_argument("--rounds", type=int, default=10, help="interleaved rounds (default 10)")
    parser.add_argument("--seconds", type=float, default=0.75, help="seconds per contender per round (default 0.75)")
    parser.add_argument("--config", choices=[*CONFIGS, "all"], default="all")
    args = parser.parse_args(argv)

    limits: contextlib.AbstractContextManager[Any] = contextlib.nullcontext()
    if args.threads is not None:
        if args.threads < 1:
            parser.error("--threads must be at least 1")
        torch.set_num_threads(args.threads)
        limits = threadpoolctl.threadpool_limits(limits=args.threads)
    with limits:
        result: dict[str, Any] = {
            "threads_option": args.threads,
            "rounds": args.rounds,
            "seconds_per_round": args.seconds,
            "environment": environment(),
            "results": {},
        }
        names = list(CONFIGS) if args.config == "all" else [args.config]
        start = time.perf_counter()
        for name in names:
            with OtherLoad() as other:
                result["results"][name] = bench_config(name, CONFIGS[name], args.rounds, args.seconds)
            result["results"][name]["cpu_share_used_by_other_processes"] = other.share
        result["environment"]["loadavg_end"] = (
            [round(x, 2) for x in os.getloadavg()] if hasattr(os, "getloadavg") else None
        )
        result["wall_seconds"] = round(time.perf_counter() - start, 1)
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
