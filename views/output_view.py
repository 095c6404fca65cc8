"""OutputView: what the network currently predicts.

* ``"grid"`` (2-D classification): decision regions coloured by the predicted class, paler
  where the network is unsure, under the training points coloured by their true class.
* ``"curve"`` (1-D regression): the training points and the fitted curve.
* ``"confusion"`` (many-feature classification such as digits): the test confusion matrix,
  coloured by row share (recall) and annotated with counts.

Snapshots without an output sample keep the last drawing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pyqtgraph as pg
from numpy.typing import NDArray
from PySide6 import QtCore, QtGui, QtWidgets

from model.config import ExperimentConfig
from model.history import History
from model.snapshot import OutputSample, Snapshot
from views import theme
from views.labels import fitting

if TYPE_CHECKING:
    from model.datasets import Dataset

NONFINITE = theme.LIGHT.nonfinite  # the same in every theme (``Theme.nonfinite``)
#: Count labels on the viridis confusion matrix: dark text on its bright end, white on its dark end.
ON_BRIGHT, ON_DARK = "#111111", "#FFFFFF"
#: The light theme's class colours: Okabe–Ito first (class 7 is its black), then two extra hues
#: for up to 10 classes. Views use the current theme's ``class_colours`` (same order).
CLASS_COLOURS: tuple[str, ...] = theme.LIGHT.class_colours
#: Drawing 20 000 points every repaint is slow and unreadable; a fixed subset shows the shape.
MAX_POINTS = 1500
#: Decision-region colour strength from "uncertain" (1/classes) to "sure" (1.0).
MIN_STRENGTH, MAX_STRENGTH = 0.10, 0.70
#: Margin (data units) around the training points before the first decision-region image
#: arrives; the trainer's grid extends the data range by the same amount.
GRID_MARGIN = 0.5
#: The decision regions fill the plot unless that would stretch one axis more than this
#: much against the other (then the view widens around the image instead).
MAX_STRETCH = 2.0
#: Assumed left-axis width (px at scale 1) of the curve plot, whose axis grows to its tick labels.
CURVE_AXIS_WIDTH = 75
#: Horizontal room (px at scale 1) kept free beside the title (layout margins).
TEXT_SLACK = 12
#: Training-point and fitted-curve sizes (px at scale 1).
POINT_SIZE, CURVE_POINT_SIZE, FIT_WIDTH = 10, 7, 4


def _rgb(colour: str) -> NDArray[np.float64]:
    c = QtGui.QColor(colour)
    return np.array([c.red(), c.green(), c.blue()], dtype=np.float64)


def class_colour(k: int) -> str:
    """Colour of class ``k`` in the current theme."""
    colours = theme.current().class_colours
    return colours[k % len(colours)]


def region_image(probs: NDArray[np.float64], background: str) -> NDArray[np.uint8]:
    """(ny, nx, 3) RGB: argmax-class colour blended into ``background`` by confidence.

    Pixels with any non-finite probability are drawn in the non-finite colour.
    """
    p = np.asarray(probs, dtype=np.float64)
    n_classes = p.shape[2]
    bad = ~np.isfinite(p).all(axis=2)
    clean = np.where(np.isfinite(p), p, -np.inf)
    cls = clean.argmax(axis=2)
    conf = np.take_along_axis(clean, cls[..., None], axis=2)[..., 0]
    floor = 1.0 / n_classes
    sure = np.clip((np.where(bad, floor, conf) - floor) / max(1.0 - floor, 1e-9), 0.0, 1.0)
    strength = (MIN_STRENGTH + (MAX_STRENGTH - MIN_STRENGTH) * sure)[..., None]
    palette = np.array([_rgb(class_colour(k)) for k in range(n_classes)])
    rgb: NDArray[np.float64] = _rgb(background) * (1.0 - strength) + palette[cls] * strength
    rgb[bad] = _rgb(theme.current().nonfinite)
    return np.clip(rgb + 0.5, 0, 255).astype(np.uint8)


def confusion_indices(counts: NDArray[np.float64]) -> NDArray[np.uint8]:
    """LUT indices 1…255 by row share (recall); non-finite cells → 0 (reserved colour)."""
    c = np.asarray(counts, dtype=np.float64)
    finite = np.isfinite(c)
    clean = np.where(finite, c, 0.0)
    totals = clean.sum(axis=1, keepdims=True)
    share = np.divide(clean, totals, out=np.zeros_like(clean), where=totals > 0)
    idx: NDArray[np.uint8] = (np.clip(share, 0.0, 1.0) * 254.0 + 1.0).astype(np.uint8)
    idx[~finite] = 0
    return idx


def confusion_lut() -> NDArray[np.uint8]:
    table = np.empty((256, 4), dtype=np.uint8)
    table[0] = pg.mkColor(theme.current().nonfinite).getRgb()
    table[1:] = theme.lut(theme.magnitude_colormap(), 255)
    return table


def _style(plot: pg.PlotItem, left: str = "", bottom: str = "") -> None:
    """theme.style_plot with tick labels at the full body size (projector legibility).

    The title is set by OutputView._fit_title (the longest variant that fits).
    """
    theme.style_plot(plot, "", left, bottom)


class OutputView(QtWidgets.QWidget):
    """Decision regions, fitted curve or confusion matrix, whichever the snapshot carries."""

    title = "Output"

    @staticmethod
    def translated_title() -> str:
        """``title`` in the current language (dock and window titles)."""
        return QtCore.QCoreApplication.translate("OutputView", "Output")

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        t = self._theme = theme.current()
        self._title_pt = theme.pt(t.title_pt)
        self._text_slack = theme.ipx(TEXT_SLACK)
        self._mode = ""
        self._n_classes = 0
        self._style_cache: dict[Any, Any] = {}
        self._extent: tuple[float, float, float, float] | None = None
        self._frame_rect: tuple[float, float, float, float] | None = None
        self._texts: list[pg.TextItem] = []
        self._text_state: list[tuple[str, bool]] = []
        self._titles: tuple[str, ...] = ("",)

        self.plot_widget = pg.PlotWidget(self, background=t.background)
        self.plot_widget.setMinimumSize(0, 0)
        self.plot_widget.installEventFilter(self)
        self.plot: pg.PlotItem = self.plot_widget.getPlotItem()
        self.plot.vb.sigResized.connect(self._reframe)
        self.plot.setMenuEnabled(False)
        self.plot.setMouseEnabled(x=False, y=False)
        self.plot.hideButtons()

        self.region_image = pg.ImageItem(axisOrder="row-major")
        self.confusion_image = pg.ImageItem(axisOrder="row-major")
        self.confusion_image.setLookupTable(confusion_lut())
        self.confusion_image.setLevels((0, 255))
        self.points = pg.ScatterPlotItem(size=theme.px(POINT_SIZE), pxMode=True)
        self.fit_curve = pg.PlotCurveItem(pen=pg.mkPen(t.vermillion, width=theme.px(FIT_WIDTH)), connect="finite")
        for z, item in enumerate((self.region_image, self.confusion_image, self.points, self.fit_curve)):
            item.setZValue(z)
            self.plot.addItem(item)

        self._text_font = theme.font(t.font_pt, bold=True)

        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.plot_widget)

        self._enter_mode("grid", 3)

    # -- contract ------------------------------------------------------------------------
    def set_experiment(self, config: ExperimentConfig, dataset: Dataset | None = None) -> None:
        """Prepare the mode the dataset implies and draw its training points."""
        regression = bool(getattr(dataset, "is_regression", config.is_regression))
        n_inputs = int(getattr(dataset, "n_inputs", 2))
        image_shape = getattr(dataset, "image_shape", None)
        if regression:
            mode, n_classes = "curve", 1
        elif image_shape is not None or n_inputs > 2 or (dataset is None and config.dataset == "digits"):
            mode, n_classes = "confusion", int(getattr(dataset, "n_outputs", 10))
        else:
            mode, n_classes = "grid", int(getattr(dataset, "n_outputs", config.classes))
        self._mode = ""  # force the axes to be rebuilt even if the mode is unchanged
        self._enter_mode(mode, n_classes)
        self._set_points(dataset, mode)
        self.clear()

    def show_snapshot(self, snapshot: Snapshot, history: History) -> None:
        """Draw ``snapshot.output`` if the step has one; otherwise keep the last drawing."""
        out = snapshot.output
        if out is None:
            return
        if out.kind == "grid":
            self._draw_grid(out)
        elif out.kind == "curve":
            self._draw_curve(out)
        elif out.kind == "confusion":
            self._draw_confusion(out)

    def clear(self) -> None:
        """Remove the drawn prediction (training points stay: they belong to the experiment)."""
        self.region_image.clear()
        self.confusion_image.clear()
        self.fit_curve.setData([], [])
        for text in self._texts:
            text.setText("")
        self._text_state = [("", False)] * len(self._texts)

    # -- modes (rare) ----------------------------------------------------------------------
    def _enter_mode(self, mode: str, n_classes: int) -> None:
        if mode == self._mode and n_classes == self._n_classes:
            return
        self._mode, self._n_classes = mode, n_classes
        self._extent = None
        self._frame_rect = None
        self.region_image.setVisible(mode == "grid")
        self.confusion_image.setVisible(mode == "confusion")
        self.points.setVisible(mode in ("grid", "curve"))
        self.fit_curve.setVisible(mode == "curve")
        self._set_texts(n_classes if mode == "confusion" else 0)
        plot = self.plot
        plot.invertY(mode == "confusion")
        # Never aspect-locked: the decision regions / the matrix fill the plotted area (a
        # locked square in a wide cell left empty bands and cramped the count labels).
        plot.setAspectLocked(False)
        tr = QtCore.QCoreApplication.translate
        t = self._theme
        if mode == "grid":
            self._titles = (
                tr("OutputView", "Decision regions (colour = predicted class, faint = unsure)"),
                tr("OutputView", "Predicted class (faint = unsure)"),
                tr("OutputView", "Predicted class"),
            )
            _style(plot, left="x₂", bottom="x₁")
            for name in ("left", "bottom"):
                plot.getAxis(name).setTicks(None)
            plot.enableAutoRange(False)
            theme.opaque_grid(plot, x=False, y=False)
        elif mode == "curve":
            data = f'<span style="color:{t.blue}">● {tr("OutputView", "data")}</span>'
            fit = f'<span style="color:{t.vermillion}">━ {tr("OutputView", "network output")}</span>'
            short_fit = f'<span style="color:{t.vermillion}">━ {tr("OutputView", "output")}</span>'
            self._titles = (f"{data}&nbsp;&nbsp;{fit}", f"{data}&nbsp;&nbsp;{short_fit}")
            _style(plot, left="y", bottom="x")
            for name in ("left", "bottom"):
                plot.getAxis(name).setTicks(None)
            theme.opaque_grid(plot, x=True, y=True)
            plot.enableAutoRange(True)
        else:
            self._titles = (
                tr("OutputView", "Test confusion matrix (colour = share of row)"),
                tr("OutputView", "Test confusion matrix"),
                tr("OutputView", "Confusion matrix"),
            )
            _style(plot, left=tr("OutputView", "true class"), bottom=tr("OutputView", "predicted"))
            ticks = [[(float(k), str(k)) for k in range(n_classes)]]
            for name in ("left", "bottom"):
                plot.getAxis(name).setTicks(ticks)
            theme.opaque_grid(plot, x=False, y=False)
            plot.enableAutoRange(False)
            plot.setRange(xRange=(-0.5, n_classes - 0.5), yRange=(-0.5, n_classes - 0.5), padding=0.02)
        plot.getAxis("left").setWidth(self._left_axis_width(mode, n_classes))
        for name in ("left", "bottom"):  # the curve's grid: labelled lines only, not every minor one
            plot.getAxis(name).setStyle(maxTickLevel=0 if mode == "curve" else 2)
        self._fit_title()

    def _left_axis_width(self, mode: str, n_classes: int) -> int | None:
        """Tick labels plus the axis label, nothing more (every pixel counts in a grid cell).

        ``None`` (pyqtgraph grows the axis to its tick labels) for the curve, whose y range
        follows the network's output.
        """
        if mode == "curve":
            return None
        metrics = QtGui.QFontMetrics(theme.font(self._theme.font_pt))
        widest = "-10" if mode == "grid" else str(max(n_classes - 1, 0))
        return metrics.horizontalAdvance(widest) + metrics.height() + theme.ipx(24)

    # -- layout (on resize and mode changes only) ------------------------------------------
    def _frame(self, rect: tuple[float, float, float, float]) -> None:
        """Show ``rect`` (xmin, xmax, ymin, ymax) filling the plot, within MAX_STRETCH."""
        self._frame_rect = rect
        xmin, xmax, ymin, ymax = rect
        vb = self.plot.vb
        w, h = vb.width(), vb.height()
        dx, dy = xmax - xmin, ymax - ymin
        if w > 0 and h > 0 and dx > 0 and dy > 0:
            stretch = (w / dx) / (h / dy)  # x pixels per unit over y pixels per unit
            if stretch > MAX_STRETCH:
                grow = dx * (stretch / MAX_STRETCH - 1) / 2
                xmin, xmax = xmin - grow, xmax + grow
            elif stretch < 1 / MAX_STRETCH:
                grow = dy * (1 / (stretch * MAX_STRETCH) - 1) / 2
                ymin, ymax = ymin - grow, ymax + grow
        self.plot.setRange(xRange=(xmin, xmax), yRange=(ymin, ymax), padding=0)

    @QtCore.Slot()
    def _reframe(self) -> None:
        if self._mode == "grid" and self._frame_rect is not None:
            self._frame(self._frame_rect)

    def eventFilter(self, watched: QtCore.QObject, event: QtCore.QEvent) -> bool:
        # Before the plot lays out its new size: a title wider than the plot would keep the
        # layout wider than the widget (clipped on the right).
        if watched is self.plot_widget and event.type() == QtCore.QEvent.Type.Resize:
            self._fit_title(event.size().width())  # type: ignore[attr-defined]
        return super().eventFilter(watched, event)

    def _fit_title(self, width: int | None = None) -> None:
        # the axis' fixed width (its geometry may not be laid out yet), or what it has grown to
        axis = self.plot.getAxis("left")
        left = axis.fixedWidth if axis.fixedWidth is not None else max(axis.width(), theme.px(CURVE_AXIS_WIDTH))
        room = (self.plot_widget.width() if width is None else width) - left
        html = fitting(self._titles, self._title_pt, room - self._text_slack)
        if html != self.plot.titleLabel.text or not self.plot.titleLabel.isVisible():
            theme.set_plot_title(self.plot, html, self._title_pt, self._theme.foreground)

    def _set_texts(self, n_classes: int) -> None:
        if len(self._texts) == n_classes * n_classes:
            return
        for text in self._texts:
            self.plot.removeItem(text)
        self._texts = []
        for row in range(n_classes):
            for col in range(n_classes):
                text = pg.TextItem("", anchor=(0.5, 0.5))
                text.setFont(self._text_font)
                text.setPos(col, row)
                text.setZValue(10)
                self.plot.addItem(text)
                self._texts.append(text)
        self._text_state = [("", False)] * len(self._texts)

    def _styled(self, key: Any, make: Any) -> Any:
        """The same QPen/QBrush object for the same style, run after run.

        pyqtgraph's symbol atlas keys on the pen and brush objects: fresh ones on every reset
        would render (and keep) the same markers again each time.
        """
        key = (key, theme.px(1), self._theme.foreground)
        if key not in self._style_cache:
            self._style_cache[key] = make()
        return self._style_cache[key]

    def _set_points(self, dataset: Any, mode: str) -> None:
        x = getattr(dataset, "x_train", None)
        y = getattr(dataset, "y_train", None)
        if x is None or y is None or mode == "confusion":
            self.points.setData([], [])
            return
        x = np.asarray(x, dtype=np.float64)
        y = np.asarray(y)
        if len(x) > MAX_POINTS:
            pick = np.random.default_rng(0).choice(len(x), MAX_POINTS, replace=False)
            x, y = x[pick], y[pick]
        outline = self._styled("outline", lambda: pg.mkPen(self._theme.foreground, width=theme.px(1)))
        if mode == "curve":
            ys = y.reshape(len(y), -1)[:, 0].astype(np.float64)
            keep = np.isfinite(x[:, 0]) & np.isfinite(ys)
            colour = QtGui.QColor(self._theme.blue)
            colour.setAlpha(150)
            brush = self._styled(("curve", colour.rgba()), lambda: pg.mkBrush(colour))
            no_pen = self._styled("no pen", lambda: pg.mkPen(None))
            self.points.setData(x[keep, 0], ys[keep], brush=brush, pen=no_pen, size=theme.px(CURVE_POINT_SIZE))
            return
        labels = y.reshape(len(y), -1)[:, 0].astype(int) if y.ndim > 1 else y.astype(int)
        brushes = [
            self._styled(("class", class_colour(k)), lambda k=k: pg.mkBrush(class_colour(k)))
            for k in range(max(self._n_classes, int(labels.max()) + 1))
        ]
        keep = np.isfinite(x[:, :2]).all(axis=1)
        self.points.setData(
            x[keep, 0], x[keep, 1], brush=[brushes[k] for k in labels[keep]], pen=outline, size=theme.px(POINT_SIZE)
        )
        if keep.any():
            # Frame the points as the decision-region image will (data range ± a margin).
            lo = x[keep, :2].min(axis=0) - GRID_MARGIN
            hi = x[keep, :2].max(axis=0) + GRID_MARGIN
            self._frame((float(lo[0]), float(hi[0]), float(lo[1]), float(hi[1])))

    # -- per detail frame -------------------------------------------------------------------
    def _draw_grid(self, out: OutputSample) -> None:
        values = np.asarray(out.values)
        if values.ndim != 3:
            return
        self._enter_mode("grid", values.shape[2])
        self.region_image.setImage(region_image(values, self._theme.background), autoLevels=False)
        extent = out.extent or (0.0, float(values.shape[1]), 0.0, float(values.shape[0]))
        if extent != self._extent:
            self._extent = extent
            xmin, xmax, ymin, ymax = extent
            self.region_image.setRect(QtCore.QRectF(xmin, ymin, xmax - xmin, ymax - ymin))
            self._frame(extent)

    def _draw_curve(self, out: OutputSample) -> None:
        self._enter_mode("curve", 1)
        values = np.asarray(out.values, dtype=np.float64)
        ys = values.reshape(len(values), -1)[:, 0]
        xs = np.asarray(out.xs, dtype=np.float64) if out.xs is not None else np.arange(len(ys), dtype=float)
        # connect="finite" leaves a gap at non-finite predictions; clamp huge values so the
        # axis stays readable when the fit explodes.
        self.fit_curve.setData(xs, np.clip(ys, -1e6, 1e6))

    def _draw_confusion(self, out: OutputSample) -> None:
        counts = np.asarray(out.values, dtype=np.float64)
        if counts.ndim != 2 or counts.shape[0] != counts.shape[1]:
            return
        n = counts.shape[0]
        self._enter_mode("confusion", n)
        idx = confusion_indices(counts)
        self.confusion_image.setImage(idx, autoLevels=False, levels=(0, 255))
        self.confusion_image.setRect(QtCore.QRectF(-0.5, -0.5, n, n))
        finite = np.isfinite(counts)
        for k, (count, ok, index) in enumerate(zip(counts.flat, finite.flat, idx.flat, strict=True)):
            state = (f"{int(count)}" if ok else "NaN", bool(index > 150))
            if state != self._text_state[k]:
                self._text_state[k] = state
                text = self._texts[k]
                text.setText(state[0])
                text.setColor(ON_BRIGHT if state[1] else ON_DARK)

    def sizeHint(self) -> QtCore.QSize:
        """The cell this view gets in the 1920×1080 lecture window (it fits far smaller ones)."""
        return QtCore.QSize(520, 390)
