"""Colours, type sizes and colour maps shared by every view (projector-first: big and high-contrast).

A view reads ``current()`` and ``scale()`` once, when it is built: its colours come from the
theme, its fonts, pen widths and marker sizes from ``pt()`` / ``px()`` (the theme's base sizes
times the scale). To switch theme or type size the application calls
``apply_pyqtgraph(theme, scale=...)`` and then builds its views anew; ``qt_palette(theme)``
gives the matching palette for the Fusion style (controls, menus, docks).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyqtgraph as pg
from numpy.typing import NDArray
from PySide6 import QtGui

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

#: Smallest and largest type/size scale, and the default.
SCALE_MIN, SCALE_MAX, SCALE_DEFAULT = 0.75, 2.5, 1.0

#: Status kinds that have banner colours (see ``Theme.banner``).
BANNER_KINDS: tuple[str, ...] = ("ok", "vanishing", "exploding", "diverged", "error", "info")


@dataclass(frozen=True)
class Theme:
    """Every colour a view or the application chrome needs, and the base type sizes.

    ``series`` holds the Okabe–Ito roles in their usual order (blue, vermillion, green,
    orange, purple, sky, yellow, ink); a dark theme substitutes a lighter blue and a light
    ink for the two that vanish on a dark background. Views name the roles (``t.blue``) so
    the substitution happens in one place.
    """

    name: str
    #: plots and views
    background: str
    foreground: str
    muted: str  # secondary text: notes, unrevealed labels
    neutral: str  # marks without a meaning of their own (a reference bar)
    panel: str  # faint fill: empty bar tracks, unrevealed boxes
    highlight: str  # fill of the item being talked about (the current walkthrough box)
    grid_alpha: float
    series: tuple[str, ...]
    extra_classes: tuple[str, str]  # class colours 9 and 10 after the eight series colours
    negative: str  # sign colours of weights (edges, keys): blue −
    positive: str  # red +
    nonfinite: str  # inf/NaN marker colour (never part of a colour map)
    node_outline: str
    on_fill: str  # text drawn on a bright bar fill
    #: application chrome (``qt_palette``)
    window: str
    base: str
    button: str
    selection: str
    selection_text: str
    tooltip_base: str
    tooltip_text: str
    disabled: str
    link: str
    bevel: tuple[str, str, str, str, str]  # Light, Midlight, Mid, Dark, Shadow (Fusion's frames)
    #: status banners: (kind, background, text) — see ``banner``
    banners: tuple[tuple[str, str, str], ...]
    #: base type sizes (pt) at scale 1
    font_pt: int = 13
    title_pt: int = 15

    # -- colour roles ------------------------------------------------------------------
    @property
    def is_dark(self) -> bool:
        return QtGui.QColor(self.background).lightness() < 128

    @property
    def blue(self) -> str:
        return self.series[0]

    @property
    def vermillion(self) -> str:
        return self.series[1]

    @property
    def green(self) -> str:
        return self.series[2]

    @property
    def orange(self) -> str:
        return self.series[3]

    @property
    def purple(self) -> str:
        return self.series[4]

    @property
    def sky(self) -> str:
        return self.series[5]

    @property
    def yellow(self) -> str:
        return self.series[6]

    @property
    def ink(self) -> str:
        """Okabe–Ito's black: black on a light theme, near-white on a dark one."""
        return self.series[7]

    @property
    def class_colours(self) -> tuple[str, ...]:
        """Ten distinct colours for class labels (the series, then two extra hues)."""
        return (*self.series, *self.extra_classes)

    @property
    def grid(self) -> str:
        """The grid colour, pre-blended (opaque): ``grid_alpha`` of the foreground over the background."""
        return blend(self.background, self.foreground, self.grid_alpha).name()

    def banner(self, kind: str) -> tuple[str, str]:
        """(background, text) of a status banner of ``kind`` (one of BANNER_KINDS).

        The text colour alone also reads on the window background, for status text without a box.
        """
        for name, bg, fg in self.banners:
            if name == kind:
                return bg, fg
        raise ValueError(f"unknown banner kind {kind!r}; expected one of {', '.join(BANNER_KINDS)}")


LIGHT = Theme(
    "light",
    background="#FFFFFF",
    foreground="#111111",
    muted="#555555",
    neutral="#7F7F7F",
    panel="#F0F0F0",
    highlight="#FFF1BF",
    grid_alpha=0.25,
    series=OKABE_ITO,
    extra_classes=("#8C564B", "#882255"),
    negative="#2166AC",
    positive="#B2182B",
    nonfinite="#FF00FF",
    node_outline="#555555",
    on_fill="#000000",
    window="#EFEFEF",
    base="#FFFFFF",
    button="#E4E4E4",
    selection="#0072B2",
    selection_text="#FFFFFF",
    tooltip_base="#FFFFE8",
    tooltip_text="#111111",
    disabled="#8A8A8A",
    link="#0058A0",
    bevel=("#FFFFFF", "#F4F4F4", "#B4B4B4", "#8C8C8C", "#4A4A4A"),
    banners=(
        ("ok", "#E8F5E9", "#1B5E20"),
        ("vanishing", "#FFF3E0", "#8A3B00"),
        ("exploding", "#FDECEA", "#8E1B10"),
        ("diverged", "#B71C1C", "#FFFFFF"),
        ("error", "#FDECEA", "#8E1B10"),
        ("info", "#E3F2FD", "#0D3C61"),
    ),
)

DARK = Theme(
    "dark",
    background="#101216",
    foreground="#F2F2F2",
    muted="#B4B4B4",
    neutral="#8F8F8F",
    panel="#1F232A",
    highlight="#352D10",
    grid_alpha=0.3,
    # Okabe–Ito blue (3.6:1) is too dim on this background and black is invisible: a light
    # blue that stays apart from sky blue, and near-white ink. The rest keep ≥ 4.9:1.
    series=("#6C8EFF", "#D55E00", "#009E73", "#E69F00", "#CC79A7", "#56B4E9", "#F0E442", "#F2F2F2"),
    extra_classes=("#C8A27C", "#FF8FA3"),
    negative="#4DA3FF",
    positive="#FF4D5E",
    nonfinite="#FF00FF",
    node_outline="#AAAAAA",
    on_fill="#000000",
    window="#1A1D23",
    base="#101216",
    button="#2A2E36",
    selection="#2F66C0",
    selection_text="#FFFFFF",
    tooltip_base="#2A2E36",
    tooltip_text="#F2F2F2",
    disabled="#7C828C",
    link="#8AB4FF",
    bevel=("#4A505B", "#363B44", "#262A31", "#0C0E11", "#000000"),
    banners=(
        ("ok", "#173A1E", "#B9F6CA"),
        ("vanishing", "#3F2A0C", "#FFD08A"),
        ("exploding", "#431714", "#FFB4A8"),
        ("diverged", "#C62828", "#FFFFFF"),
        ("error", "#431714", "#FFB4A8"),
        ("info", "#0F2A42", "#B3DBFF"),
    ),
)

THEMES: tuple[Theme, ...] = (LIGHT, DARK)

_current: Theme = LIGHT
_scale: float = SCALE_DEFAULT


def by_name(name: str) -> Theme:
    """The theme called ``name`` ("light" or "dark")."""
    for t in THEMES:
        if t.name == name:
            return t
    raise ValueError(f"unknown theme {name!r}; expected one of {', '.join(t.name for t in THEMES)}")


def current() -> Theme:
    """The active theme."""
    return _current


def scale() -> float:
    """The active type/size scale (1.0 = the base sizes)."""
    return _scale


def set_scale(value: float) -> None:
    """Set the type/size scale (SCALE_MIN…SCALE_MAX); views built afterwards follow it."""
    global _scale
    v = float(value)
    if not SCALE_MIN <= v <= SCALE_MAX:
        raise ValueError(f"scale must be between {SCALE_MIN} and {SCALE_MAX}, got {value!r}")
    _scale = v


def apply_pyqtgraph(theme: Theme = LIGHT, scale: float | None = None) -> None:
    """Make ``theme`` (and ``scale``, if given) current and configure pyqtgraph globally.

    Call before creating plot widgets: views read both when they are built.
    """
    global _current
    if scale is not None:
        set_scale(scale)
    _current = theme
    pg.setConfigOptions(
        background=theme.background,
        foreground=theme.foreground,
        antialias=False,
        imageAxisOrder="row-major",
    )


def pt(base_pt: float) -> int:
    """A point size ``base_pt`` at the current scale (whole points, at least 1)."""
    return max(1, round(base_pt * _scale))


def px(width: float) -> float:
    """A pen width, marker size or other pixel length ``width`` at the current scale."""
    return width * _scale


def ipx(width: float) -> int:
    """``px`` rounded to whole pixels (for layout margins and fixed sizes)."""
    return max(1, round(width * _scale)) if width > 0 else 0


def font(base_pt: float, *, bold: bool = False) -> QtGui.QFont:
    """The application font at ``pt(base_pt)``."""
    f = QtGui.QFont()
    f.setPointSize(pt(base_pt))
    f.setBold(bold)
    return f


def blend(base: str | QtGui.QColor, colour: str | QtGui.QColor, amount: float) -> QtGui.QColor:
    """``colour`` laid over ``base`` with opacity ``amount`` (0…1), as an opaque colour."""
    b, c = QtGui.QColor(base), QtGui.QColor(colour)
    a = min(max(amount, 0.0), 1.0)
    return QtGui.QColor(
        round(b.red() + (c.red() - b.red()) * a),
        round(b.green() + (c.green() - b.green()) * a),
        round(b.blue() + (c.blue() - b.blue()) * a),
    )


def qt_palette(t: Theme) -> QtGui.QPalette:
    """A complete QPalette for the Fusion style in ``t``'s colours (controls, menus, docks, tooltips)."""
    P = QtGui.QPalette
    R = P.ColorRole
    light, midlight, mid, dark, shadow = t.bevel
    colours = {
        R.Window: t.window,
        R.WindowText: t.foreground,
        R.Base: t.base,
        R.AlternateBase: t.panel,
        R.Text: t.foreground,
        R.PlaceholderText: t.muted,
        R.Button: t.button,
        R.ButtonText: t.foreground,
        R.BrightText: "#FFFFFF" if t.is_dark else "#000000",
        R.Highlight: t.selection,
        R.HighlightedText: t.selection_text,
        R.ToolTipBase: t.tooltip_base,
        R.ToolTipText: t.tooltip_text,
        R.Link: t.link,
        R.LinkVisited: t.link,
        R.Light: light,
        R.Midlight: midlight,
        R.Mid: mid,
        R.Dark: dark,
        R.Shadow: shadow,
        R.Accent: t.selection,
    }
    palette = P()
    for role, colour in colours.items():
        palette.setColor(P.ColorGroup.All, role, QtGui.QColor(colour))
    for role in (R.WindowText, R.Text, R.ButtonText, R.PlaceholderText, R.HighlightedText):
        palette.setColor(P.ColorGroup.Disabled, role, QtGui.QColor(t.disabled))
    palette.setColor(P.ColorGroup.Disabled, R.Highlight, QtGui.QColor(mid))
    palette.setColor(P.ColorGroup.Disabled, R.Button, QtGui.QColor(t.window))
    return palette


def diverging_colormap() -> pg.ColorMap:
    """Blue–white–red map (ColorBrewer RdBu), colour-blind safe, for signed quantities."""
    colors = ["#2166AC", "#67A9CF", "#D1E5F0", "#F7F7F7", "#FDDBC7", "#EF8A62", "#B2182B"]
    return pg.ColorMap(np.linspace(0.0, 1.0, len(colors)), colors)


def magnitude_colormap() -> pg.ColorMap:
    """Perceptually uniform sequential map (viridis) for magnitudes such as log10 gradients."""
    return pg.colormap.get("viridis")


def lut(cmap: pg.ColorMap, n: int = 256) -> NDArray[np.uint8]:
    """A lookup table of ``n`` RGBA colours from ``cmap``."""
    return np.asarray(cmap.getLookupTable(0.0, 1.0, n, alpha=True), dtype=np.uint8)


def style_axis(axis: pg.AxisItem, tick_pt: float | None = None) -> None:
    """Foreground axis line and labels, tick font at ``pt(tick_pt)`` (default: the body size)."""
    t = current()
    axis.setTickFont(font(t.font_pt if tick_pt is None else tick_pt))
    axis.setTextPen(t.foreground)
    axis.setPen(pg.mkPen(t.foreground, width=px(1)))
    axis.setStyle(tickLength=-round(px(5)))  # negative: into the plot, so no text room is taken
    if axis.orientation in ("bottom", "top"):
        axis.tickSpacing = _ReadableSpacing(axis)


class _ReadableSpacing:
    """A horizontal axis's tick spacing, widened until its labels fit side by side.

    pyqtgraph picks the major spacing from the axis length alone and always labels every major
    tick, so at a large type scale ("1000", "2000", … at 2.5×) the labels run into each other.
    Here the spacing grows (1, 2, 5 × 10ᵏ) until each label, plus a gap of one digit, fits in
    the room between two ticks.
    """

    def __init__(self, axis: pg.AxisItem) -> None:
        self.axis = axis

    def __call__(self, min_val: float, max_val: float, size: float) -> Any:
        axis = self.axis
        levels = pg.AxisItem.tickSpacing(axis, min_val, max_val, size)
        dif = abs(max_val - min_val)
        if not levels or axis.logMode or size <= 0 or dif == 0 or not math.isfinite(dif):
            return levels
        lo, hi = min(min_val, max_val), max(min_val, max_val)
        metrics = QtGui.QFontMetricsF(axis.style.get("tickFont") or QtGui.QFont())
        first = levels[0][0]
        gap = metrics.horizontalAdvance("0")
        # candidates from pyqtgraph's spacing up; preferred: two labels or more with a digit's
        # gap between them, then two touching, then a single label (which overlaps nothing)
        choices: list[list[float]] = [[], [], []]
        spacing = first
        while spacing <= 2 * dif and not choices[0]:
            width = self._widest(metrics, lo, hi, spacing)
            room = spacing * size / dif
            shown = _ticks_inside(lo, hi, spacing, margin=width / 2 * dif / size)
            if shown >= 2 and room >= width + gap:
                choices[0].append(spacing)
            elif shown >= 2 and room >= width:
                choices[1].append(spacing)
            elif shown == 1:
                choices[2].append(spacing)
            spacing = _next_nice(spacing)
        spacing = next((c[0] for c in choices if c), first)
        if spacing == first:
            return levels
        return [(spacing, 0)] + [level for level in levels[1:] if level[0] < spacing]

    def _widest(self, metrics: QtGui.QFontMetricsF, lo: float, hi: float, spacing: float) -> float:
        first = math.ceil(lo / spacing) * spacing
        values = [first, first + spacing, math.floor(hi / spacing) * spacing]
        strings = self.axis.tickStrings(values, self.axis.autoSIPrefixScale * self.axis.scale, spacing)
        return max(metrics.horizontalAdvance(s) for s in strings)


def _ticks_inside(lo: float, hi: float, spacing: float, margin: float) -> int:
    """How many multiples of ``spacing`` lie in [lo + margin, hi − margin] (labels that fit)."""
    return max(0, math.floor((hi - margin) / spacing) - math.ceil((lo + margin) / spacing) + 1)


def _next_nice(spacing: float) -> float:
    """The next of 1, 2, 5 × 10ᵏ above ``spacing``."""
    power = 10.0 ** math.floor(math.log10(spacing))
    mantissa = spacing / power
    for nice in (2.0, 5.0, 10.0):
        if mantissa < nice * 0.999:
            return nice * power
    return 20.0 * power


def axis_label_style() -> dict[str, str]:
    """Keyword arguments of ``PlotItem.setLabel`` for an axis title at the body size."""
    t = current()
    return {"font-size": f"{pt(t.font_pt)}pt", "color": t.foreground}


def set_plot_title(plot: pg.PlotItem, html: str, point_size: int, colour: str) -> None:
    """``plot``'s title at ``point_size`` in a row tall enough for it.

    ``PlotItem.setTitle`` fixes the title row at 30 px, which clips titles above ~15 pt.
    """
    plot.setTitle(html, size=f"{point_size}pt", color=colour)
    f = QtGui.QFont()
    f.setPointSize(point_size)
    height = max(30, QtGui.QFontMetrics(f).height() + 6)
    plot.titleLabel.setMaximumHeight(height)
    plot.layout.setRowFixedHeight(0, height)


def style_plot(plot: pg.PlotItem, title: str, left: str = "", bottom: str = "") -> None:
    """Large, readable title (if any), axis labels and tick labels for a projector (scaled)."""
    t = current()
    if title:
        set_plot_title(plot, title, pt(t.title_pt), t.foreground)
    for name, label in (("left", left), ("bottom", bottom)):
        style_axis(plot.getAxis(name))
        if label:
            plot.setLabel(name, label, **axis_label_style())


def opaque_grid(plot: pg.PlotItem, *, x: bool, y: bool) -> None:
    """Grid lines in a solid, pre-blended colour, drawn behind the data.

    pyqtgraph's default translucent grid made a 1600×900 frame ~4× slower (alpha-blended
    lines), measured here; a solid light pen looks the same.
    """
    colour = current().grid
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
