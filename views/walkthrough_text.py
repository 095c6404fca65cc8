"""The walk-through's words and numbers: the caption of each step and what each layer's box says.

Pure functions of a :class:`model.walkthrough.BackwardWalk` (translated, no drawing); the view
(:mod:`views.walkthrough_view`) typesets and draws them.
"""

from __future__ import annotations

import math
from typing import NamedTuple

from PySide6 import QtCore

from model.walkthrough import BackwardWalk, LayerFactor
from views.gradients_view import format_power
from views.labels import plural

#: |f′ gain / f′ mean − 1| beyond this earns a note (ReLU's mask acts as √p, not p).
FPRIME_NOTE_TOLERANCE = 0.15


def number_text(value: float) -> str:
    """Short, projector-readable: ``0.027``, ``0.27``, ``1.30``, ``42``, ``1.2e-6``, ``inf``, ``NaN``."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "inf" if value > 0 else "−inf"
    a = abs(value)
    if a == 0.0:
        return "0"
    if 0.01 <= a < 0.1:
        return f"{value:.2g}"
    if 0.1 <= a < 9.995:  # two decimals: 0.97 and 1.04 must not both read "1"
        return f"{value:.2f}"
    if 9.995 <= a < 999.5:
        return f"{value:.0f}"
    return format_power(value)


def finite(*values: float) -> bool:
    return all(math.isfinite(v) for v in values)


def layer_name(factor: LayerFactor) -> str:
    """ "L4" for weight layer 3: 1-based, as on the gradients view's axis."""
    return f"L{factor.layer + 1}"


def trend(walk: BackwardWalk, index: int) -> str:
    """Colour role of ``walk.layers[index]``: 'bad' (inf/NaN), 'shrink' (factor < 1 or nothing
    left), 'grow' (factor > 1) or '' (the output layer, where the walk starts)."""
    f = walk.layers[index]
    if not finite(f.running_product, f.delta_norm):
        return "bad"
    if index == 0:
        return ""
    if f.running_product == 0.0:
        return "shrink"
    if not math.isfinite(f.factor):
        return "bad"
    return "shrink" if f.factor < 1.0 else "grow"


def _remark(walk: BackwardWalk, f: LayerFactor) -> str:
    """What this kind of step does to the signal, in the lecture's words."""
    tr = QtCore.QCoreApplication.translate
    if f.skip:
        return tr("WalkthroughView", "the skip path carries the signal around f′ and W")
    if walk.batch_norm:
        return tr("WalkthroughView", "batch norm rescales every step")
    name = walk.activation
    if name == "sigmoid":
        return tr("WalkthroughView", "each sigmoid step multiplies by σ′ ≤ 1/4")
    if name == "tanh":
        return tr("WalkthroughView", "each tanh step multiplies by tanh′ ≤ 1")
    if name in ("relu", "noisy_relu"):
        return tr("WalkthroughView", "ReLU′ is 0 or 1: the weights set the size")
    if name == "leaky_relu":
        return tr("WalkthroughView", "leaky ReLU′ is 1 or the slope: the weights set the size")
    if name == "linear":
        return tr("WalkthroughView", "f′ = 1: only the weights scale the signal")
    return tr("WalkthroughView", "each {name} step multiplies by f′ and by W").format(name=name)


def _verdict(walk: BackwardWalk, rp: float) -> str:
    """The closing remark: the verdict, how many steps, and what every step was made of."""
    tr = QtCore.QCoreApplication.translate
    words = {
        "vanishing": tr("WalkthroughView", "vanishing"),
        "exploding": tr("WalkthroughView", "exploding"),
        "healthy": tr("WalkthroughView", "healthy"),
    }
    verdict = words["vanishing" if rp < 1e-2 else "exploding" if rp > 1e2 else "healthy"]
    steps = walk.n_layers - 1
    if walk.residual:
        text = tr("WalkthroughView", "{verdict} after %n step(s) (with skip paths)", "", steps)
    elif walk.batch_norm:
        text = tr("WalkthroughView", "{verdict} after %n step(s) (with batch norm)", "", steps)
    elif walk.activation == "sigmoid":
        text = tr("WalkthroughView", "{verdict} after %n step(s) of σ′ ≤ 1/4", "", steps)
    elif walk.activation == "tanh":
        text = tr("WalkthroughView", "{verdict} after %n step(s) of tanh′ ≤ 1", "", steps)
    else:
        text = tr("WalkthroughView", "{verdict} after %n step(s)", "", steps)
    return plural(text, steps).format(verdict=verdict)


def empty_caption() -> str:
    """The caption before any step is frozen."""
    return QtCore.QCoreApplication.translate(
        "WalkthroughView", "Backward pass: freeze a step to walk it layer by layer"
    )


def caption_segments(walk: BackwardWalk, position: int) -> list[tuple[str, str]]:
    """The caption as (text, role) pieces; roles: '' plain, 'strong', 'shrink', 'grow', 'bad'."""
    tr = QtCore.QCoreApplication.translate
    n = walk.n_layers
    p = max(0, min(position, n))
    if p == 0 or n == 0:
        return [
            (tr("WalkthroughView", "Step {step} frozen:").format(step=f"{walk.step:,}") + " ", "strong"),
            (tr("WalkthroughView", "press → to walk back from the output"), ""),
        ]
    index = p - 1
    f = walk.layers[index]
    role = trend(walk, index)
    if index == 0:
        return [
            (tr("WalkthroughView", "Layer {layer} (output):").format(layer=f.layer + 1) + " ", "strong"),
            ("‖δ_out‖ = ", ""),
            (number_text(f.delta_norm), role or "strong"),
            (" — " + tr("WalkthroughView", "the backward pass starts here (→ next layer)"), ""),
        ]
    rp = f.running_product
    head = [
        (tr("WalkthroughView", "Layer {layer}:").format(layer=f.layer + 1) + " ", "strong"),
        (tr("WalkthroughView", "running product") + " ", ""),
        (number_text(rp), role),
    ]
    if role == "bad":
        if math.isinf(rp) or math.isinf(f.delta_norm):
            what = tr("WalkthroughView", "the signal overflowed: this run diverged")
        else:
            what = tr("WalkthroughView", "the signal became NaN: this run diverged")
        return [*head, (" — " + what, "")]
    if rp == 0.0:
        died = next(g for g in walk.layers[1 : index + 1] if g.delta_norm == 0.0)
        if died.mean_fprime == 0.0:
            why = tr("WalkthroughView", "the signal died at layer {layer}: f′ = 0 everywhere")
        else:
            why = tr("WalkthroughView", "the signal died at layer {layer}")
        return [*head, (" — " + why.format(layer=died.layer + 1), "")]
    if p == n:
        return [*head, (" — " + _verdict(walk, rp), "")]
    return [*head, (" — " + _remark(walk, f), "")]


def walk_text(walk: BackwardWalk, position: int) -> str:
    """The caption shown after ``position`` layers are revealed, as plain text."""
    return "".join(text for text, _ in caption_segments(walk, position))


class Row(NamedTuple):
    """One entry of a layer's box: a header, a labelled number or a note."""

    label: str
    value: str = ""
    role: str = ""  # 'header', 'note', or the number's colour role ('', 'shrink', 'grow', 'bad')


def box_rows(walk: BackwardWalk, index: int) -> list[Row]:
    """What the box of ``walk.layers[index]`` says once revealed (f′ × W gain = factor)."""
    f = walk.layers[index]

    # below a layer whose δ is exactly 0 a ratio is 0/0: undefined, not a divergence
    dead_above = index > 0 and walk.layers[index - 1].delta_norm == 0.0

    def number(label: str, value: float, role: str = "") -> Row:
        if math.isnan(value) and dead_above:
            return Row(label, "—", "note")
        return Row(label, number_text(value), role if math.isfinite(value) else "bad")

    tr = QtCore.QCoreApplication.translate
    if index == 0:
        return [
            Row(layer_name(f), role="header"),
            Row(tr("WalkthroughView", "output"), role="note"),
            number("‖δ_out‖", f.delta_norm),
            number(tr("WalkthroughView", "loss"), walk.loss),
        ]
    rows = [
        Row(layer_name(f), role="header"),
        number(tr("WalkthroughView", "f′ mean"), f.mean_fprime),
        number("× " + tr("WalkthroughView", "W gain"), f.weight_gain),
        number("= " + tr("WalkthroughView", "factor"), f.factor, trend(walk, index)),
    ]
    if f.skip:
        rows.append(Row("+ " + tr("WalkthroughView", "skip path"), role="note"))
    elif walk.batch_norm and finite(f.factor, f.weight_gain, f.fprime_gain) and f.weight_gain * f.fprime_gain:
        rows.append(Row(f"× BN {number_text(f.factor / (f.weight_gain * f.fprime_gain))}", role="note"))
    elif (
        finite(f.mean_fprime, f.fprime_gain)
        and f.mean_fprime > 0.0
        and abs(f.fprime_gain / f.mean_fprime - 1.0) > FPRIME_NOTE_TOLERANCE
    ):
        note = tr("WalkthroughView", "(f′ acts ×{value})").format(value=number_text(f.fprime_gain))
        rows.append(Row(note, role="note"))
    return rows
