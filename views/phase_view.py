"""PhaseView: a sweep's measure as a heat map over its grid (a curve for one varied field),
with the mean-field theory's χ₁ = 1 line and depth-scale contours drawn over it
(:mod:`views.phase_theory`).

Cells fill in as rows arrive (``set_row``); missing cells stay empty.  Grid cell (i, j) sits at
(i, j) in plot coordinates and the axes are labelled with the fields' values.  Hovering shows a
point's numbers (``hovered``); a click emits ``clicked`` with the point's grid index.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pyqtgraph as pg
from numpy.typing import NDArray
from PySide6 import QtCore, QtWidgets

from model.sweep import MEASURES, SweepSpec
from views import theme
from views.phase_theory import HALO, LINE, XI_LEVELS, theory_curves, theory_grid

translate = QtCore.QCoreApplication.translate

#: measures drawn as log10 and centred on 0 (1 = no change), as log10, or as they are
LOG_CENTRED = frozenset({"grad_ratio_init", "grad_ratio_final", "chi1"})
LOG = frozenset({"q_star", "depth_scale", "loss_final"})
UNIT = frozenset({"test_accuracy_final", "diverged_fraction"})
MAX_TICKS = 8


def measure_title(name: str) -> str:
    titles = {
        "grad_ratio_init": translate("PhaseView", "‖∂L/∂z‖ first ÷ last hidden layer, at initialisation"),
        "grad_ratio_final": translate("PhaseView", "‖∂L/∂z‖ first ÷ last hidden layer, after training"),
        "loss_final": translate("PhaseView", "final training loss"),
        "test_accuracy_final": translate("PhaseView", "final test accuracy"),
        "diverged_fraction": translate("PhaseView", "share of seeds that diverged"),
        "chi1": translate("PhaseView", "mean-field χ₁ (gradient factor² per layer)"),
        "q_star": translate("PhaseView", "mean-field q* (pre-activation variance)"),
        "depth_scale": translate("PhaseView", "mean-field depth scale ξ (layers)"),
    }
    return titles.get(name, name)


def display_value(name: str, value: Any) -> float:
    """The number a cell's colour shows (log10 for ratios and scales); NaN when missing."""
    if value is None:
        return math.nan
    v = float(value)
    if name in LOG_CENTRED or name in LOG:
        if v > 0 and math.isfinite(v):
            return math.log10(v)
        if v == math.inf:
            return math.inf
        return math.nan
    return v


def format_value(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float):
        if math.isnan(value):
            return "NaN"
        if math.isinf(value):
            return "∞" if value > 0 else "−∞"
        if value == 0 or 1e-3 <= abs(value) < 1e5:
            return f"{value:.4g}"
        return f"{value:.2e}"
    return str(value)


def _tick_label(value: Any) -> str:
    return format_value(value) if isinstance(value, float) else str(value)


class PhaseView(QtWidgets.QWidget):
    """Heat map of one measure over a sweep's grid, theory lines over it."""

    hovered = QtCore.Signal(str)
    clicked = QtCore.Signal(object)

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        t = self._theme = theme.current()
        self.spec: SweepSpec | None = None
        self.measure = "grad_ratio_init"
        self.rows: dict[tuple[int, ...], Mapping[str, Any]] = {}
        self.theory_lines: list[pg.GraphicsObject] = []  # χ₁ = 1 first, then the ξ contours
        self.theory_halos: list[pg.GraphicsObject] = []
        self._last_hover: tuple[int, ...] | None = None

        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.graphics = pg.GraphicsLayoutWidget()
        self.graphics.setBackground(t.background)
        layout.addWidget(self.graphics, 1)
        self.plot: pg.PlotItem = self.graphics.addPlot(row=0, col=0)
        self.plot.setMenuEnabled(False)
        self.plot.hideButtons()
        self.plot.setMouseEnabled(x=False, y=False)
        self.image = pg.ImageItem()
        self.plot.addItem(self.image)
        self.curve = pg.PlotDataItem(
            pen=pg.mkPen(t.blue, width=theme.px(3)),
            symbol="o",
            symbolSize=theme.px(9),
            symbolBrush=pg.mkBrush(t.blue),  # an object, not a colour: see loss_view
        )
        self.plot.addItem(self.curve)
        self.marker = pg.ScatterPlotItem(size=theme.px(18), pen=pg.mkPen(LINE, width=theme.px(2.5)), brush=None)
        self.marker_halo = pg.ScatterPlotItem(size=theme.px(18), pen=pg.mkPen(HALO, width=theme.px(5.5)), brush=None)
        self.plot.addItem(self.marker_halo)
        self.plot.addItem(self.marker)
        self.colorbar = pg.ColorBarItem(
            values=(0.0, 1.0), colorMap=theme.diverging_colormap(), interactive=False, width=theme.px(18)
        )
        self.graphics.addItem(self.colorbar, row=0, col=1)
        self.legend = QtWidgets.QLabel(self)
        self.legend.setWordWrap(True)
        self.legend.setFont(theme.font(t.font_pt))
        layout.addWidget(self.legend)
        self.graphics.scene().sigMouseMoved.connect(self._on_mouse_moved)
        self.graphics.scene().sigMouseClicked.connect(self._on_mouse_clicked)

    # -- data ----------------------------------------------------------------------------
    def set_sweep(self, spec: SweepSpec, measure: str | None = None) -> None:
        """Start drawing ``spec``'s grid (empty until rows arrive)."""
        self.spec = spec
        self.rows = {}
        if measure is not None:
            self.set_measure(measure, redraw=False)
        self._layout_axes()
        self._draw_theory()
        self._redraw()

    def set_measure(self, measure: str, redraw: bool = True) -> None:
        if measure not in MEASURES:
            raise ValueError(f"unknown measure {measure!r}; allowed: {', '.join(MEASURES)}")
        self.measure = measure
        if redraw:
            self._redraw()

    def set_row(self, index: tuple[int, ...], row: Mapping[str, Any]) -> None:
        self.rows[tuple(index)] = row
        self._redraw()

    def set_rows(self, rows: Mapping[tuple[int, ...], Mapping[str, Any]]) -> None:
        self.rows = {tuple(k): v for k, v in rows.items()}
        self._redraw()

    @property
    def two_d(self) -> bool:
        return self.spec is not None and len(self.spec.axes) == 2

    # -- axes ----------------------------------------------------------------------------
    def _layout_axes(self) -> None:
        assert self.spec is not None
        axes = self.spec.axes
        labels = [a.field + (" (log)" if a.log else "") for a in axes]
        if self.two_d:
            theme.style_plot(self.plot, "", left=labels[1], bottom=labels[0])
        else:
            theme.style_plot(self.plot, "", left="", bottom=labels[0])
        for k, axis in enumerate(axes[:2]):
            name = "bottom" if k == 0 else "left"
            n = len(axis.values)
            step = max(1, math.ceil(n / MAX_TICKS))
            ticks = [(float(i), _tick_label(axis.values[i])) for i in range(0, n, step)]
            self.plot.getAxis(name).setTicks([ticks])
        nx = len(axes[0].values)
        if self.two_d:
            ny = len(axes[1].values)
            self.plot.setRange(xRange=(-0.5, nx - 0.5), yRange=(-0.5, ny - 0.5), padding=0)
            self.image.show()
            self.curve.hide()
            self.colorbar.show()
        else:
            self.plot.getAxis("left").setTicks(None)
            self.plot.setXRange(-0.5, nx - 0.5, padding=0)
            self.image.hide()
            self.curve.show()
            self.colorbar.hide()

    # -- theory --------------------------------------------------------------------------
    def _draw_theory(self) -> None:
        for item in self.theory_lines + self.theory_halos:
            self.plot.removeItem(item)
        self.theory_lines = []
        self.theory_halos = []
        self.has_theory = False
        if self.spec is None or not self.two_d:
            self._update_legend()
            return
        grid = theory_grid(self.spec)
        if grid is None:
            self._update_legend()
            return
        for halo, line in theory_curves(grid):
            self.plot.addItem(halo)
            self.plot.addItem(line)
            self.theory_halos.append(halo)
            self.theory_lines.append(line)
        self.has_theory = True
        self._update_legend()

    def _update_legend(self) -> None:
        parts = [f"<b>{measure_title(self.measure)}</b>"]
        if self.two_d and getattr(self, "has_theory", False):
            parts.append(
                translate(
                    "PhaseView", "Solid line: mean-field edge of chaos χ₁ = 1. Dashed: depth scale ξ = {levels} layers."
                ).format(levels=", ".join(f"{v:g}" for v in XI_LEVELS))
            )
        elif self.spec is not None and self.two_d:
            parts.append(translate("PhaseView", "No mean-field prediction for this sweep."))
        if self.spec is not None and self.two_d:
            swatch = f'<span style="color:{self._theme.nonfinite}">■</span>'
            parts.append(
                translate("PhaseView", "{swatch} no number (every seed diverged, or a dead network).").format(
                    swatch=swatch
                )
            )
        self.legend.setText("  ".join(parts))

    # -- drawing -------------------------------------------------------------------------
    def values(self) -> NDArray[np.float64]:
        """The displayed values on the grid (NaN where no row yet), shape (ny, nx) or (nx,)."""
        assert self.spec is not None
        shape = self.spec.shape
        out = np.full(shape, np.nan)
        for index, row in self.rows.items():
            out[index] = display_value(self.measure, row.get(self.measure))
        return out.T if self.two_d else out

    def _measured_mask(self) -> NDArray[np.bool_]:
        assert self.spec is not None
        mask = np.zeros(self.spec.shape, dtype=bool)
        for index in self.rows:
            mask[index] = True
        return mask.T if self.two_d else mask

    def _levels(self, finite: NDArray[np.float64]) -> tuple[float, float]:
        if self.measure in UNIT:
            return 0.0, 1.0
        if finite.size == 0:
            return (-1.0, 1.0) if self.measure in LOG_CENTRED else (0.0, 1.0)
        if self.measure in LOG_CENTRED:
            m = max(1.0, float(np.max(np.abs(finite))))
            return -m, m
        lo, hi = float(finite.min()), float(finite.max())
        return (lo, hi) if hi > lo else (lo - 0.5, hi + 0.5)

    def _redraw(self) -> None:
        if self.spec is None:
            return
        self._update_legend()
        vals = self.values()
        finite = vals[np.isfinite(vals)]
        lo, hi = self._levels(finite)
        if not self.two_d:
            xs = np.arange(len(vals), dtype=float)
            ok = np.isfinite(vals)
            self.curve.setData(xs[ok], vals[ok])
            label = measure_title(self.measure) + (" (log10)" if self.measure in LOG_CENTRED | LOG else "")
            self.plot.setLabel("left", label, **theme.axis_label_style())
            return
        cmap = theme.diverging_colormap() if self.measure in LOG_CENTRED else theme.magnitude_colormap()
        table = theme.lut(cmap)
        scaled = np.clip((np.nan_to_num(vals, nan=lo, posinf=hi, neginf=lo) - lo) / (hi - lo), 0.0, 1.0)
        rgba = table[np.round(scaled * (len(table) - 1)).astype(int)].copy()
        measured = self._measured_mask()
        rgba[np.isnan(vals) & measured] = pg.mkColor(self._theme.nonfinite).getRgb()  # measured, but no number
        rgba[~measured, 3] = 0  # not measured yet: empty
        self.image.setImage(rgba, autoLevels=False, levels=(0, 255))
        nx, ny = self.spec.shape
        self.image.setRect(QtCore.QRectF(-0.5, -0.5, nx, ny))  # after setImage: the rect scales by its size
        self.colorbar.setColorMap(cmap)
        self.colorbar.setLevels((lo, hi))
        self.colorbar.axis.setLabel("log10" if self.measure in LOG_CENTRED | LOG else "")

    # -- interaction ---------------------------------------------------------------------
    def index_at(self, scene_pos: QtCore.QPointF) -> tuple[int, ...] | None:
        """The grid index under a scene position, or None."""
        if self.spec is None or not self.plot.sceneBoundingRect().contains(scene_pos):
            return None
        p = self.plot.vb.mapSceneToView(scene_pos)
        i = round(p.x())
        if not 0 <= i < self.spec.shape[0]:
            return None
        if not self.two_d:
            return (i,)
        j = round(p.y())
        if not 0 <= j < self.spec.shape[1]:
            return None
        return (i, j)

    def describe(self, index: tuple[int, ...]) -> str:
        """One point's numbers as text (for the hover line)."""
        assert self.spec is not None
        parts = [f"{a.field} = {_tick_label(a.values[i])}" for a, i in zip(self.spec.axes, index, strict=True)]
        row = self.rows.get(tuple(index))
        if row is None:
            return ", ".join(parts) + " — " + translate("PhaseView", "not measured yet")
        parts += [f"{name} = {format_value(row.get(name))}" for name in MEASURES]
        return ", ".join(parts)

    def _on_mouse_moved(self, scene_pos: QtCore.QPointF) -> None:
        index = self.index_at(scene_pos)
        if index == self._last_hover:
            return
        self._last_hover = index
        if index is None:
            self.marker.setData([], [])
            self.marker_halo.setData([], [])
            self.hovered.emit("")
            return
        x = float(index[0])
        y = float(index[1]) if self.two_d else float(self.values()[index[0]]) if self.rows.get(index) else 0.0
        self.marker.setData([x], [y])
        self.marker_halo.setData([x], [y])
        self.hovered.emit(self.describe(index))

    def _on_mouse_clicked(self, event: Any) -> None:
        if event.button() != QtCore.Qt.MouseButton.LeftButton:
            return
        index = self.index_at(event.scenePos())
        if index is not None:
            self.clicked.emit(index)

    def point_config(self, index: Sequence[int]) -> Any:
        assert self.spec is not None
        values = {a.field: a.values[i] for a, i in zip(self.spec.axes, index, strict=True)}
        return self.spec.base.replace(**values)
