"""Running a sweep: one (point, seed) task trains a config and measures it; :func:`run_sweep`
submits every task to an executor and hands on each point's row as its last seed finishes."""

from __future__ import annotations

import concurrent.futures as cf
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import numpy as np

from model.config import ExperimentConfig
from model.sweep.spec import MEASURED, Point, SweepSpec
from model.theory import predict
from model.trainer import Trainer


def _ratio(delta_norm: Sequence[float] | np.ndarray[Any, Any], depth: int) -> float:
    first, last = float(delta_norm[0]), float(delta_norm[depth - 1])
    with np.errstate(all="ignore"):
        return float(np.float64(first) / np.float64(last)) if last != 0.0 else (math.inf if first > 0 else math.nan)


def run_one(config: ExperimentConfig, steps: int) -> dict[str, float]:
    """Train ``config`` for ``steps`` steps (stopping once diverged) and measure it.

    ``grad_ratio_init`` is ‖∂L/∂z‖ of the first hidden layer ÷ the last hidden layer on the
    first batch, before any update; ``grad_ratio_final`` the same on the last step's batch."""
    trainer = Trainer(config)
    # the batch Trainer.inspect() measures on (the first batch_size training samples), without
    # its histograms and decision surface
    b = min(config.batch_size, trainer.dataset.x_train.shape[0])
    grads = trainer.network.gradients(trainer.dataset.x_train[:b], trainer.dataset.y_train[:b])
    with np.errstate(all="ignore"):
        norms = [float(np.linalg.norm(d)) for d in grads.deltas]
    ratio_init = _ratio(norms, config.depth)
    loss = grads.loss
    ratio_final = ratio_init
    for _ in range(steps):
        snap = trainer.step()
        if snap.diverged:
            break
        loss = snap.loss
        ratio_final = _ratio(snap.stats["delta_norm"], config.depth)
    diverged = trainer.diverged
    if diverged:
        loss, ratio_final = math.nan, math.nan
    accuracy = trainer.evaluate()["test_accuracy"] if not diverged else None
    return {
        "grad_ratio_init": ratio_init,
        "grad_ratio_final": ratio_final,
        "loss_final": float(loss),
        "test_accuracy_final": math.nan if accuracy is None else float(accuracy),
        "diverged": 1.0 if diverged else 0.0,
    }


def run_task(config_data: dict[str, Any], steps: int) -> dict[str, float]:
    """One (point, seed) task: picklable in and out, importable on any worker."""
    return run_one(ExperimentConfig.from_dict(config_data), steps)


def _median(values: Iterable[float]) -> float:
    finite = [v for v in values if not math.isnan(v)]
    return float(np.median(finite)) if finite else math.nan


def point_row(spec: SweepSpec, point: Point, runs: Sequence[Mapping[str, float]]) -> dict[str, Any]:
    """The row of one grid point: the varied values, medians over seeds (diverged seeds left
    out of the measures, counted in ``diverged_fraction``) and the theory's columns (None where
    it has no prediction)."""
    row: dict[str, Any] = dict(zip(spec.fields, point.values, strict=True))
    for name in MEASURED[:-1]:
        row[name] = _median(r[name] for r in runs)
    row["diverged_fraction"] = float(np.mean([r["diverged"] for r in runs]))
    mf = predict(spec.config(point))
    row["chi1"], row["q_star"], row["depth_scale"] = mf.chi1, mf.q_star, mf.depth_scale
    return row


# -- running on an executor -----------------------------------------------------------------
ProgressFn = Callable[[int, int], None]


def run_sweep(
    spec: SweepSpec,
    executor: cf.Executor,
    on_row: Callable[[dict[str, Any]], None],
    *,
    skip: Iterable[tuple[Any, ...]] = (),
    should_stop: Callable[[], bool] | None = None,
    on_progress: ProgressFn | None = None,
    poll_s: float = 0.2,
) -> int:
    """Submit every (point, seed) of ``spec`` not in ``skip`` to ``executor`` and call
    ``on_row(row)`` as each point's last seed finishes.  Stops early, cancelling what has not
    started, when ``should_stop()`` turns true or on KeyboardInterrupt (re-raised).  Returns
    the number of rows delivered."""
    skipped = {tuple(k) for k in skip}
    todo = [p for p in spec.points() if p.key not in skipped]
    total = len(todo)
    futures: dict[cf.Future[dict[str, float]], tuple[int, int]] = {}
    results: list[list[dict[str, float] | None]] = [[None] * spec.seeds for _ in todo]
    # seeds inner-most, points in grid order: the first rows arrive early and the grid fills evenly
    for i, point in enumerate(todo):
        for s in range(spec.seeds):
            fut = executor.submit(run_task, spec.config(point, s).to_dict(), spec.steps)
            futures[fut] = (i, s)
    done_rows = 0
    pending = set(futures)
    if on_progress is not None:
        on_progress(0, total)
    try:
        while pending:
            if should_stop is not None and should_stop():
                break
            finished, pending = cf.wait(pending, timeout=poll_s, return_when=cf.FIRST_COMPLETED)
            for fut in finished:
                i, s = futures[fut]
                results[i][s] = fut.result()
                runs = results[i]
                if all(r is not None for r in runs):
                    on_row(point_row(spec, todo[i], [r for r in runs if r is not None]))
                    done_rows += 1
                    if on_progress is not None:
                        on_progress(done_rows, total)
    finally:
        for fut in pending:
            fut.cancel()
    return done_rows
