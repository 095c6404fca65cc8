"""What the status banner says about a snapshot: vanishing, exploding, diverged or healthy.

Pure logic (no widgets) so the thresholds are unit-tested on their own.  The texts are the
ones the audience reads: they go through ``QCoreApplication.translate`` (context "Status"),
which needs no application object and returns the English source when no translator is
installed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QCoreApplication

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
    """The banner's kind and text for ``snap``, in the current language."""
    if snap.diverged:
        if snap.diverged_layer is not None:
            text = QCoreApplication.translate(
                "Status", "DIVERGED in layer {layer} at step {step} — paused. Reset (R) to start again."
            ).format(layer=snap.diverged_layer + 1, step=snap.step)
        else:
            text = QCoreApplication.translate(
                "Status", "DIVERGED at step {step} — paused. Reset (R) to start again."
            ).format(step=snap.step)
        return Verdict("diverged", text)
    d = np.asarray(snap.stats["delta_norm"], dtype=float)
    if not np.all(np.isfinite(d)) or not math.isfinite(snap.grad_norm):
        return Verdict("exploding", QCoreApplication.translate("Status", "EXPLODING gradients: non-finite values"))
    ratio = gradient_ratio(snap)
    kind = ratio_verdict(ratio)
    if snap.grad_norm > EXPLODING_NORM or kind == "exploding":
        text = QCoreApplication.translate(
            "Status", "EXPLODING gradients: ‖∇‖ = {norm}, layer 1 / last hidden = {ratio}"
        ).format(norm=f"{snap.grad_norm:.1e}", ratio=f"{ratio:.0e}")
        return Verdict("exploding", text)
    if kind == "vanishing":
        text = QCoreApplication.translate(
            "Status", "VANISHING gradients: layer 1 gets {ratio} × the last hidden layer's"
        ).format(ratio=f"{ratio:.0e}")
        return Verdict("vanishing", text)
    text = QCoreApplication.translate("Status", "Gradients healthy: layer 1 / last hidden = {ratio}").format(
        ratio=f"{ratio:.1g}"
    )
    return Verdict("ok", text)


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
