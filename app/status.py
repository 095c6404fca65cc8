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


def ratio_text(ratio: float) -> str:
    """A gradient ratio as the audience reads it: ``3e-06``, ``0.02``, ``4e+03``; never ``0e+00``
    (exact zeros and non-finite ratios are said in words by the callers)."""
    if not math.isfinite(ratio) or ratio == 0.0:
        return "inf/NaN" if not math.isfinite(ratio) else "0"
    return f"{ratio:.1g}" if 1e-2 <= ratio < 1e3 else f"{ratio:.0e}"


def _first_bad_layer(values: np.ndarray) -> int | None:
    bad = np.flatnonzero(~np.isfinite(values))
    return int(bad[0]) + 1 if bad.size else None


def verdict(snap: Snapshot) -> Verdict:
    """The banner's kind and text for ``snap``, in the current language."""
    tr = QCoreApplication.translate
    if snap.diverged:
        if snap.diverged_layer is not None:
            text = tr("Status", "DIVERGED in layer {layer} at step {step} — paused. Reset (R) to start again.").format(
                layer=snap.diverged_layer + 1, step=snap.step
            )
        else:
            text = tr("Status", "DIVERGED at step {step} — paused. Reset (R) to start again.").format(step=snap.step)
        return Verdict("diverged", text)
    d = np.asarray(snap.stats["delta_norm"], dtype=float)
    if not np.all(np.isfinite(d)) or not math.isfinite(snap.grad_norm):
        layer = _first_bad_layer(d)
        if layer is None:
            text = tr("Status", "EXPLODING gradients: the gradient overflowed (infinite or NaN)")
        else:
            text = tr("Status", "EXPLODING gradients: infinite or NaN gradient from layer {layer} on").format(
                layer=layer
            )
        return _before_training(snap, Verdict("exploding", text))
    hidden = d[:-1] if d.size > 1 else d
    if d.size > 1 and not np.any(hidden > 0):
        text = tr("Status", "DEAD network: no gradient reaches any hidden layer — nothing below the output learns")
        return _before_training(snap, Verdict("vanishing", text))
    ratio = gradient_ratio(snap)
    kind = ratio_verdict(ratio)
    if ratio == math.inf:
        text = tr("Status", "EXPLODING gradients: layer 1 gets a gradient, the last hidden layer none at all")
        return _before_training(snap, Verdict("exploding", text))
    if snap.grad_norm > EXPLODING_NORM or kind == "exploding":
        if ratio == 0.0:
            text = tr("Status", "EXPLODING gradients: ‖∇‖ = {norm}, yet no gradient reaches layer 1 at all").format(
                norm=f"{snap.grad_norm:.1e}"
            )
        else:
            text = tr("Status", "EXPLODING gradients: ‖∇‖ = {norm}, layer 1 / last hidden = {ratio}").format(
                norm=f"{snap.grad_norm:.1e}", ratio=ratio_text(ratio)
            )
        return _before_training(snap, Verdict("exploding", text))
    if kind == "vanishing":
        if ratio == 0.0:
            text = tr("Status", "VANISHING gradients: no gradient reaches layer 1 at all")
        else:
            text = tr("Status", "VANISHING gradients: layer 1 gets {ratio} × the last hidden layer's").format(
                ratio=ratio_text(ratio)
            )
        return _before_training(snap, Verdict("vanishing", text))
    text = tr("Status", "Gradients healthy: layer 1 / last hidden = {ratio}").format(ratio=ratio_text(ratio))
    return _before_training(snap, Verdict("ok", text))


def _before_training(snap: Snapshot, v: Verdict) -> Verdict:
    """At step 0 nothing has been learnt yet: the verdict is about the initialisation."""
    if snap.step != 0:
        return v
    text = QCoreApplication.translate("Status", "Before training: {verdict}").format(verdict=v.text)
    return Verdict(v.kind, text)


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
