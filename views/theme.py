"""Colours, fonts and colour maps shared by every view (projector-first: big and high-contrast)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
from numpy.typing import NDArray

# Okabe–Ito palette: distinguishable with every common colour-vision deficiency.
OKABE_ITO: tuple[str, ...] = (
    "#0072B2",  # blue
    "#D55E00",  # vermillion
    "#009E73",  # bluish green
    "#E69F00",  # orange
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#F0E442",  # yellow
    "#000000",  # black
)

NEGATIVE = "#2166AC"  # blue end of the diverging map
POSITIVE = "#B2182B"  # red end of the diverging map


@dataclass(frozen=True)
class Theme:
    """A colour scheme applied to pyqtgraph and Qt palettes."""

    name: str
    background: str
    foreground: str
    grid_alpha: float
    font_pt: int
    title_pt: int


LIGHT = Theme("light", background="#FFFFFF", foreground="#111111", grid_alpha=0.25, font_pt=13, title_pt=15)
DARK = Theme("dark", background="#101216", foreground="#F2F2F2", grid_alpha=0.3, font_pt=13, title_pt=15)

_current: Theme = LIGHT


def current() -> Theme:
    """The active theme."""
    return _current


def apply_pyqtgraph(theme: Theme = LIGHT) -> None:
    """Configure pyqtgraph globally; call before creating plot widgets."""
    global _current
    _current = theme
    pg.setConfigOptions(
        background=theme.background,
        foreground=theme.foreground,
        antialias=False,
        imageAxisOrder="row-major",
    )


def diverging_colormap() -> pg.ColorMap:
    """Blue–white–red map (ColorBrewer RdBu), colour-blind safe, for signed quantities."""
    colors = ["#2166AC", "#67A9CF", "#D1E5F0", "#F7F7F7", "#FDDBC7", "#EF8A62", "#B2182B"]
    return pg.ColorMap(np.linspace(0.0, 1.0, len(colors)), colors)


def magnitude_colormap() -> pg.ColorMap:
    """Perceptually uniform sequential map (viridis) for magnitudes such as log10 gradients."""
    return pg.colormap.get("viridis")


def lut(cmap: pg.ColorMap, n: int = 256) -> NDArray[np.uint8]:
    """A lookup table of ``n`` RGBA colours from ``cmap``."""
    return cmap.getLookupTable(0.0, 1.0, n, alpha=True)


def style_plot(plot: pg.PlotItem, title: str, left: str = "", bottom: str = "") -> None:
    """Large, readable title and axis labels for a projector."""
    t = current()
    plot.setTitle(title, size=f"{t.title_pt}pt", color=t.foreground)
    font = pg.QtGui.QFont()
    font.setPointSize(t.font_pt - 2)
    for name, label in (("left", left), ("bottom", bottom)):
        axis = plot.getAxis(name)
        axis.setTickFont(font)
        axis.setTextPen(t.foreground)
        axis.setPen(t.foreground)
        if label:
            plot.setLabel(name, label, **{"font-size": f"{t.font_pt}pt", "color": t.foreground})


def opaque_grid(plot: pg.PlotItem, *, x: bool, y: bool) -> None:
    """Grid lines in a solid, pre-blended colour, drawn behind the data.

    pyqtgraph's default translucent grid made a 1600×900 frame ~4× slower (alpha-blended
    lines), measured here; a solid light pen looks the same.
    """
    t = current()
    bg, fg = pg.QtGui.QColor(t.background), pg.QtGui.QColor(t.foreground)
    a = t.grid_alpha
    colour = pg.QtGui.QColor(
        *(
            round(b * (1 - a) + f * a)
            for b, f in ((bg.red(), fg.red()), (bg.green(), fg.green()), (bg.blue(), fg.blue()))
        )
    )
    for name, on in (("bottom", x), ("left", y)):
        axis = plot.getAxis(name)
        if not on:
            axis.setGrid(False)
            axis.setTickPen()
            axis.setStyle(tickAlpha=None)
            axis.setZValue(0.5)
            continue
        axis.setGrid(255)
        axis.setTickPen(pg.mkPen(colour))
        axis.setStyle(tickAlpha=255)
        axis.setZValue(-0.5)
