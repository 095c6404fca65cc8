"""The network diagram's legend: one or two short lines under it (the longest wording that
fits is shown) and the full key as a tooltip."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from PySide6 import QtCore


def sample_units(n: int, cap: int) -> NDArray[np.intp]:
    """Indices of at most ``cap`` evenly spaced units out of ``n`` (first and last included)."""
    if n <= cap:
        return np.arange(n)
    return np.unique(np.round(np.linspace(0, n - 1, cap)).astype(np.intp))


@dataclass(frozen=True)
class Legend:
    """What the legend describes."""

    sizes: tuple[int, ...]
    max_units: int
    edges_per_layer: int
    weight_ref_stds: float
    centre_text: str
    negative: str
    positive: str

    def variants(self) -> list[str]:
        """The legend's wordings (rich text), longest first."""
        tr = QtCore.QCoreApplication.translate
        keys = self._keys()
        sampled = self._sampled()
        tail = "".join(f" · {s}" for s in sampled)
        if sampled:
            n_shown, n_all = len(sample_units(max(self.sizes), self.max_units)), max(self.sizes)
            text = tr("NetworkView", "{shown} of {total} units shown").format(shown=n_shown, total=n_all)
            short_tail = f" · <b>{text}</b>"
        else:
            short_tail = ""
        return [
            tr(
                "NetworkView",
                "nodes: activation (white = {centre}) · edges: strongest weights ({pos}, {neg})"
                " · columns: ‖δ‖ (dark = vanishing)",
            ).format(**keys)
            + tail,
            tr(
                "NetworkView", "nodes: activation · edges: weights ({pos}, {neg}) · columns: ‖δ‖ (dark = vanishing)"
            ).format(**keys)
            + short_tail,
            tr("NetworkView", "edges: weights ({pos}, {neg}) · columns: ‖δ‖ (dark = vanishing)").format(**keys)
            + short_tail,
            tr("NetworkView", "{pos}, {neg} weights · dark column = vanishing ‖δ‖").format(**keys) + short_tail,
            tr("NetworkView", "{pos}, {neg} weights · ‖δ‖ per column").format(**keys) + short_tail,
        ]

    def tooltip(self) -> str:
        """The full key (rich text)."""
        tr = QtCore.QCoreApplication.translate
        keys = self._keys()
        tip = [
            tr(
                "NetworkView",
                "Nodes: each unit's activation on one probe input (white = {centre}, {neg} below, {pos} above;"
                " a yellow ring = inf/NaN).",
            ).format(**keys),
            tr(
                "NetworkView",
                "Edges: the {count} strongest weights per layer ({pos}, {neg}; thickest: |w| ≥ {stds} Glorot std).",
            ).format(count=self.edges_per_layer, stds=f"{self.weight_ref_stds:g}", **keys),
            tr(
                "NetworkView",
                "Columns: the error ‖δ‖ reaching each layer (viridis: dark purple = vanishing, yellow = large);"
                " the number above each column is ‖δ‖.",
            ),
        ]
        sampled = self._sampled()
        if sampled:
            tip.append(
                tr("NetworkView", "Wide layers are drawn as an evenly spaced sample: {list}.").format(
                    list="; ".join(sampled)
                )
            )
        return "<br>".join(tip)

    def _keys(self) -> dict[str, str]:
        tr = QtCore.QCoreApplication.translate
        red = tr("NetworkView", "red").replace(" ", "&nbsp;")
        blue = tr("NetworkView", "blue").replace(" ", "&nbsp;")
        pos = f'<span style="color:{self.positive}"><b>{red}&nbsp;+</b></span>'
        neg = f'<span style="color:{self.negative}"><b>{blue}&nbsp;−</b></span>'
        return {"pos": pos, "neg": neg, "centre": self.centre_text}

    def _sampled(self) -> list[str]:
        """ "showing N of M …" for the hidden, input and output columns that are sampled."""
        tr = QtCore.QCoreApplication.translate
        cap = self.max_units
        sampled = []
        hidden = self.sizes[1:-1]
        if hidden and max(hidden) > cap:
            shown = len(sample_units(max(hidden), cap))
            text = tr("NetworkView", "showing {shown} of {total} units").format(shown=shown, total=max(hidden))
            sampled.append(f"<b>{text}</b>")
        n_in, n_out = self.sizes[0], self.sizes[-1]
        if n_in > cap:
            shown = len(sample_units(n_in, cap))
            text = tr("NetworkView", "showing {shown} of {total} inputs").format(shown=shown, total=n_in)
            sampled.append(f"<b>{text}</b>")
        if n_out > cap:
            shown = len(sample_units(n_out, cap))
            text = tr("NetworkView", "showing {shown} of {total} outputs").format(shown=shown, total=n_out)
            sampled.append(f"<b>{text}</b>")
        return sampled
