"""Hand-made snapshots for view tests (no trainer involved)."""

from __future__ import annotations

import numpy as np

from model.snapshot import (
    ACTIVATION_BINS,
    GRADIENT_LOG_BINS,
    LAYER_STAT_NAMES,
    PREACTIVATION_BINS,
    OutputSample,
    Snapshot,
)


def make_snapshot(
    step: int = 1,
    depth: int = 4,
    width: int = 8,
    n_in: int = 2,
    n_out: int = 3,
    *,
    vanishing: bool = True,
    bad_values: bool = False,
    output_kind: str | None = "grid",
    seed: int = 0,
) -> Snapshot:
    """A plausible detailed snapshot; ``bad_values`` sprinkles inf and NaN everywhere."""
    rng = np.random.default_rng(seed + step)
    n_layers = depth + 1
    sizes = (n_in, *([width] * depth), n_out)
    decay = np.logspace(-6, 0, n_layers) if vanishing else np.ones(n_layers)
    stats = {name: rng.uniform(0.1, 1.0, n_layers) for name in LAYER_STAT_NAMES}
    stats["weight_grad_norm"] = decay * rng.uniform(0.5, 1.5, n_layers)
    stats["delta_norm"] = decay * rng.uniform(0.5, 1.5, n_layers)
    stats["activation_mean"] = rng.normal(0.0, 0.5, n_layers)
    act_h = rng.integers(0, 50, (n_layers, len(ACTIVATION_BINS) - 1)).astype(float)
    pre_h = rng.integers(0, 50, (n_layers, len(PREACTIVATION_BINS) - 1)).astype(float)
    grad_h = rng.integers(0, 50, (n_layers, len(GRADIENT_LOG_BINS) - 1)).astype(float)
    probe = tuple(rng.normal(0.0, 1.0, s) for s in sizes)
    output = None
    if output_kind == "grid":
        p = rng.dirichlet(np.ones(n_out), size=(40, 40))
        output = OutputSample(kind="grid", values=p, extent=(-2.0, 2.0, -2.0, 2.0))
    elif output_kind == "curve":
        xs = np.linspace(-3, 3, 200)
        output = OutputSample(kind="curve", values=np.sin(2 * xs)[:, None], xs=xs)
    elif output_kind == "confusion":
        output = OutputSample(kind="confusion", values=rng.integers(0, 20, (n_out, n_out)).astype(float))
    loss = float(rng.uniform(0.5, 1.5))
    if bad_values:
        for name in ("weight_grad_norm", "delta_norm", "activation_std", "weight_norm"):
            stats[name][0] = np.inf
            stats[name][-1] = np.nan
        act_h[0, 3] = np.nan
        grad_h[-1, 2] = np.inf
        probe[1][0] = np.nan
        probe[-1][-1] = np.inf
        loss = float("nan")
        if output is not None:
            vals = np.array(output.values, dtype=float)
            vals.flat[0] = np.nan
            output = OutputSample(kind=output.kind, values=vals, xs=output.xs, extent=output.extent)
    return Snapshot.create(
        step=step,
        loss=loss,
        grad_norm=float(np.nansum(stats["weight_grad_norm"])),
        clipped=False,
        diverged=bad_values,
        diverged_layer=0 if bad_values else None,
        diverged_reason="gradient" if bad_values else "",
        stats=stats,
        layer_sizes=sizes,
        detail=True,
        train_accuracy=0.5,
        test_accuracy=0.4,
        test_loss=loss * 1.1,
        activation_hists=act_h,
        preactivation_hists=pre_h,
        weight_grad_hists=grad_h,
        probe=probe,
        output=output,
    )
