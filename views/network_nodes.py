"""Node colours of the network diagram: each drawn unit's activation on the probe input as a
bin of the diverging colour map, symmetric around f(0) (so saturated sigmoid units are deep
blue/red)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg
from numpy.typing import NDArray

from model.activations import Activation
from views import theme


def node_brushes(t: theme.Theme, n_bins: int) -> NDArray[np.object_]:
    """``n_bins`` brushes of the diverging map and one (the theme's ink) for inf/NaN, built
    once: building QColors per frame is what makes scatters slow."""
    cmap = theme.diverging_colormap()
    brushes = [pg.mkBrush(cmap.map((k + 0.5) / n_bins, mode="qcolor")) for k in range(n_bins)]
    brushes.append(pg.mkBrush(t.ink))
    table = np.empty(len(brushes), dtype=object)
    table[:] = brushes
    return table


def activation_levels(act: Activation) -> tuple[float, float | None]:
    """(f(0), the hidden layers' fixed colour level or None).

    Node colours are centred on f(0) (0.5 for sigmoid) so saturation reads as blue/red.
    Bounded activations get a fixed level (their range) so shrinking activations fade;
    unbounded ones adapt per probe.
    """
    with np.errstate(all="ignore"):
        f = act.fn(np.array([-50.0, 0.0, 50.0]))
    centre = float(f[1]) if np.isfinite(f[1]) else 0.0
    if np.all(np.isfinite(f)) and np.max(np.abs(f - centre)) < 10.0:
        return centre, float(np.max(np.abs(f - centre)))
    return centre, None


def sym_level(v: NDArray[np.floating]) -> float:
    """The largest finite |v| (1 if there is none or it is ~0): a symmetric colour level."""
    finite = np.abs(v[np.isfinite(v)])
    if finite.size == 0:
        return 1.0
    level = float(finite.max())
    return level if level > 1e-12 else 1.0


def node_bins(
    probe: Sequence[NDArray[np.floating]],
    samples: Sequence[NDArray[np.intp]],
    sizes: tuple[int, ...],
    centre: float,
    hidden_level: float | None,
    n_bins: int,
) -> NDArray[np.intp] | None:
    """The colour bin of every drawn unit, column after column (``n_bins`` for inf/NaN);
    None if ``probe`` does not match ``sizes``.

    One symmetric level around ``centre`` = f(0) is shared by all hidden layers (so shrinking
    activations show as paling columns): ``hidden_level`` for a bounded activation, else the
    largest |a - f(0)| of this probe.  Input and output are centred on 0 with their own scale.
    """
    values = []
    hidden_vals = []
    n_cols = len(sizes)
    for c, idx in enumerate(samples):
        a = np.asarray(probe[c], dtype=np.float64)
        if a.shape[0] != sizes[c]:
            return None
        v = a[idx]
        values.append(v)
        if 0 < c < n_cols - 1:
            hidden_vals.append(v)
    if hidden_level is None:
        hidden_level = max(sym_level(np.concatenate(hidden_vals) - centre), 1.0)
    levels = []
    centres = []
    for c, v in enumerate(values):
        hidden = 0 < c < n_cols - 1
        levels.append(np.full(len(v), hidden_level if hidden else sym_level(v)))
        centres.append(np.full(len(v), centre if hidden else 0.0))
    v_all = np.concatenate(values)
    lv_all = np.concatenate(levels)
    finite = np.isfinite(v_all)
    scaled = (np.where(finite, v_all, 0.0) - np.concatenate(centres)) / lv_all
    bins: NDArray[np.intp] = np.clip(((scaled + 1.0) * 0.5 * n_bins).astype(np.intp), 0, n_bins - 1)
    bins[~finite] = n_bins
    return bins
