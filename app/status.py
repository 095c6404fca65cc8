"""What the status banner says about a snapshot: vanishing, exploding, diverged or healthy.

Pure logic (no Qt) so the thresholds are unit-tested on their own.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from model import Snapshot
from model.diagnostics import gradient_ratio as _ratio_of_norms
from model.diagnostics import ratio_verdict

#: a global gradient norm past this counts as exploding
EXPLODING_NORM = 1e3


@dataclass(frozen=True)
class Verdict:
    kind: str  # "ok", "vanishing", "exploding", "diverged"
    text: str


def gradient_ratio(snap: Snapshot) -> float:
    """‖dL/dz‖ of the first hidden layer divided by that of the last hidden layer (the output
    layer when there is a single hidden layer); see model.diagnostics."""
    return _ratio_of_norms(snap.stats["delta_norm"])


def verdict(snap: Snapshot) -> Verdict:
    if snap.diverged:
        where = f" in layer {snap.diverged_layer + 1}" if snap.diverged_layer is not None else ""
        return Verdict("diverged", f"DIVERGED{where} at step {snap.step} — paused. Reset (R) to start again.")
    d = np.asarray(snap.stats["delta_norm"], dtype=float)
    if not np.all(np.isfinite(d)) or not math.isfinite(snap.grad_norm):
        return Verdict("exploding", "EXPLODING gradients: non-finite values")
    ratio = gradient_ratio(snap)
    kind = ratio_verdict(ratio)
    if snap.grad_norm > EXPLODING_NORM or kind == "exploding":
        return Verdict(
            "exploding",
            f"EXPLODING gradients: ‖∇‖ = {snap.grad_norm:.1e}, layer 1 / last hidden = {ratio:.0e}",
        )
    if kind == "vanishing":
        return Verdict("vanishing", f"VANISHING gradients: layer 1 gets {ratio:.0e} × the last hidden layer's")
    return Verdict("ok", f"Gradients healthy: layer 1 / last hidden = {ratio:.1g}")


def is_finite_snapshot(snap: Snapshot) -> bool:
    """True when the loss and every per-layer statistic are finite (a drawable state)."""
    if snap.diverged or not math.isfinite(snap.loss):
        return False
    return all(bool(np.all(np.isfinite(a))) for a in snap.stats.values())


def newest_finite(snapshots: list[Snapshot]) -> Snapshot | None:
    """The newest drawable snapshot of a batch, scanning back from the end: a run that
    diverges inside one batch still leaves its last finite step to show (and a healthy batch
    costs one check)."""
    for snap in reversed(snapshots):
        if is_finite_snapshot(snap):
            return snap
    return None
