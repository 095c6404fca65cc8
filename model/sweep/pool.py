"""Executors for a sweep: the local process pool (and stopping it at once), a serial one for
tests and small sweeps, and a progress line for a terminal."""

from __future__ import annotations

import concurrent.futures as cf
import os
import time
from collections.abc import Callable
from typing import Any

BLAS_ENV = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


def _quiet_worker() -> None:
    """Pool worker start-up: Ctrl+C is the parent's to handle (it stops the sweep cleanly)."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)


def local_executor(workers: int | None = None) -> cf.ProcessPoolExecutor:
    """A process pool of ``workers`` (default: the cores), one BLAS thread each, started with
    ``spawn`` (safe from a process that runs Qt)."""
    import multiprocessing

    n = workers or os.cpu_count() or 1
    for name in BLAS_ENV:  # inherited by the workers: one BLAS thread per worker process
        os.environ.setdefault(name, "1")
    return cf.ProcessPoolExecutor(
        max_workers=n, mp_context=multiprocessing.get_context("spawn"), initializer=_quiet_worker
    )


def stop_executor(executor: cf.Executor) -> None:
    """Stop at once: cancel what waits and end the pool's worker processes (their current
    points are lost; finished ones are already written)."""
    if isinstance(executor, cf.ProcessPoolExecutor):
        processes = list((getattr(executor, "_processes", None) or {}).values())
        executor.shutdown(wait=False, cancel_futures=True)
        for proc in processes:
            if proc.is_alive():
                proc.terminate()
        for proc in processes:
            proc.join(timeout=5)
    else:
        executor.shutdown(wait=False, cancel_futures=True)


class Progress:
    """Points done, rate and ETA, as one line for a terminal."""

    def __init__(self) -> None:
        self.start = time.monotonic()

    def line(self, done: int, total: int) -> str:
        elapsed = time.monotonic() - self.start
        pct = 100.0 * done / total if total else 100.0
        if done:
            eta = elapsed / done * (total - done)
            rate = f"{elapsed / done:.2f} s/point, ETA {_duration(eta)}"
        else:
            rate = "ETA …"
        return f"sweep: {done}/{total} points ({pct:.0f} %), {_duration(elapsed)} elapsed, {rate}"


def _duration(s: float) -> str:
    s = max(0.0, s)
    if s < 60:
        return f"{s:.0f}s"
    if s < 3600:
        return f"{int(s // 60)}m{int(s % 60):02d}s"
    return f"{int(s // 3600)}h{int(s % 3600 // 60):02d}m"


class SerialExecutor(cf.Executor):
    """Runs each task at once in the calling thread (tests, and sweeps too small for a pool)."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> cf.Future[Any]:
        fut: cf.Future[Any] = cf.Future()
        try:
            fut.set_result(fn(*args, **kwargs))
        except Exception as exc:
            fut.set_exception(exc)
        return fut
