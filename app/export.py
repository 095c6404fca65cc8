"""Exports for lectures and papers: PNG (any scale), SVG, metrics CSV/JSON, clipboard.

Every file is written atomically (a temporary file in the same folder, then ``os.replace``)
and an existing file is only overwritten with ``force=True``.  PNG exports embed the
experiment config as a text chunk (key :data:`CONFIG_KEY`) and, when a config is given, also
write a sidecar ``OUT.png.json`` so any picture can be reproduced.

High-resolution PNGs are rendered, not upscaled: the widget is painted into a larger QImage
through a scaled QPainter, so text and widget frames are drawn at the target resolution.
pyqtgraph draws with *cosmetic* pens (a fixed width in device pixels that ignores the
painter's scale); during the render their widths are multiplied by the scale so lines keep
their proportion, and restored afterwards.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import math
import os
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtGui, QtSvg, QtWidgets

from app.safe_write import ExportError, atomic_write_bytes, atomic_write_files, check_target, umask
from model.history import SCALARS, History
from model.snapshot import LAYER_STAT_NAMES

CONFIG_KEY = "backprop-lab-config"
#: refuse absurd renders (a 16k × 16k ARGB image is already 1 GiB)
MAX_PIXELS = 16384 * 16384 // 2
METRIC_SCALARS: tuple[str, ...] = ("loss", "grad_norm", "test_loss", "train_accuracy", "test_accuracy")


# -- atomic writing (app.safe_write) -------------------------------------------------------
_check_target = check_target
_umask = umask


def _atomic_write_text(path: str | os.PathLike[str], text: str, *, force: bool) -> Path:
    return atomic_write_bytes(path, text.encode("utf-8"), force=force)


def _config_dict(config: Any) -> dict[str, Any] | None:
    if config is None:
        return None
    if isinstance(config, Mapping):
        return dict(config)
    if hasattr(config, "to_dict"):
        return dict(config.to_dict())
    raise ExportError(f"config must be an ExperimentConfig or a mapping; got {type(config).__name__}")


def _config_json(config: Any) -> str | None:
    data = _config_dict(config)
    return None if data is None else json.dumps(data, indent=2, sort_keys=True, allow_nan=False)


# -- rendering -----------------------------------------------------------------------------
def _graphics_views(widget: QtWidgets.QWidget) -> list[QtWidgets.QGraphicsView]:
    views = widget.findChildren(QtWidgets.QGraphicsView)
    if isinstance(widget, QtWidgets.QGraphicsView):
        views.insert(0, widget)
    return views


@contextlib.contextmanager
def _scaled_cosmetic_pens(widget: QtWidgets.QWidget, factor: float) -> Iterator[None]:
    """Temporarily multiply the width of every cosmetic pen in ``widget``'s scenes."""
    if abs(factor - 1.0) < 1e-9:
        yield
        return
    pens: dict[int, tuple[QtGui.QPen, float]] = {}
    shapes: list[tuple[Any, QtGui.QPen]] = []
    items: list[QtWidgets.QGraphicsItem] = []
    exporting: list[Any] = []

    def scale(pen: Any) -> None:
        if (
            isinstance(pen, QtGui.QPen)
            and id(pen) not in pens
            and pen.isCosmetic()
            and pen.style() != QtCore.Qt.PenStyle.NoPen
        ):
            pens[id(pen)] = (pen, pen.widthF())
            pen.setWidthF(max(pen.widthF(), 1.0) * factor)

    seen: set[int] = set()
    for view in _graphics_views(widget):
        scene = view.scene()
        if scene is None or id(scene) in seen:
            continue
        seen.add(id(scene))
        for item in scene.items():
            items.append(item)
            if isinstance(item, (QtWidgets.QAbstractGraphicsShapeItem, QtWidgets.QGraphicsLineItem)):
                pen = item.pen()
                if pen.isCosmetic() and pen.style() != QtCore.Qt.PenStyle.NoPen:
                    shapes.append((item, QtGui.QPen(pen)))
                    pen.setWidthF(max(pen.widthF(), 1.0) * factor)
                    item.setPen(pen)
            for value in list(getattr(item, "__dict__", {}).values()):
                if isinstance(value, dict):
                    for v in list(value.values()):
                        scale(v)
                else:
                    scale(value)
            if isinstance(getattr(item, "picture", None), QtGui.QPicture):
                # AxisItem, BarGraphItem: cached drawings hold the old pens
                item.picture = None  # type: ignore[attr-defined]
            if hasattr(item, "fragmentAtlas") and getattr(item, "_exportOpts", None) is False:
                # ScatterPlotItem: draw symbols as vectors instead of upscaling cached pixmaps
                item.setExportMode(True, {"antialias": True, "resolutionScale": 1.0})  # type: ignore[attr-defined]
                exporting.append(item)
    try:
        yield
    finally:
        for pen, width in pens.values():
            pen.setWidthF(width)
        for item, pen in shapes:
            item.setPen(pen)
        for item in exporting:
            item.setExportMode(False)
        for item in items:
            if isinstance(getattr(item, "picture", None), QtGui.QPicture):
                item.picture = None  # type: ignore[attr-defined]
            item.update()


def _target_geometry(
    widget: QtWidgets.QWidget, scale: float | None, size: tuple[int, int] | None
) -> tuple[int, int, float, float]:
    """(image width, image height, x scale, y scale) for the render."""
    w, h = widget.width(), widget.height()
    if w <= 0 or h <= 0:
        raise ExportError(f"cannot render a widget of size {w}×{h}")
    if scale is not None and size is not None:
        raise ExportError("give either scale or size, not both")
    if size is not None:
        tw, th = int(size[0]), int(size[1])
        if tw <= 0 or th <= 0:
            raise ExportError(f"size must be positive; got {size!r}")
        sx, sy = tw / w, th / h
    else:
        s = 1.0 if scale is None else float(scale)
        if not math.isfinite(s) or s <= 0:
            raise ExportError(f"scale must be a positive number; got {scale!r}")
        tw, th = max(1, round(w * s)), max(1, round(h * s))
        sx, sy = tw / w, th / h
    if tw * th > MAX_PIXELS:
        raise ExportError(f"{tw}×{th} pixels is too large to render")
    return tw, th, sx, sy


def render_image(
    widget: QtWidgets.QWidget, *, scale: float | None = None, size: tuple[int, int] | None = None
) -> QtGui.QImage:
    """Render ``widget`` into a new QImage at ``scale`` or exactly ``size`` (w, h).

    With ``size`` of a different aspect ratio than the widget the picture is stretched; use
    a matching aspect (or resize the window first) to keep shapes round.
    """
    tw, th, sx, sy = _target_geometry(widget, scale, size)
    image = QtGui.QImage(tw, th, QtGui.QImage.Format.Format_ARGB32_Premultiplied)
    if image.isNull():
        raise ExportError(f"cannot allocate a {tw}×{th} image")
    image.fill(widget.palette().color(QtGui.QPalette.ColorRole.Window))
    with _scaled_cosmetic_pens(widget, math.sqrt(sx * sy)):
        painter = QtGui.QPainter(image)
        try:
            painter.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, True)
            painter.setRenderHint(QtGui.QPainter.RenderHint.TextAntialiasing, True)
            painter.setRenderHint(QtGui.QPainter.RenderHint.SmoothPixmapTransform, True)
            painter.scale(sx, sy)
            widget.render(painter, QtCore.QPoint())
        finally:
            painter.end()
    return image.convertToFormat(QtGui.QImage.Format.Format_ARGB32)


def render_png(
    widget: QtWidgets.QWidget,
    path: str | os.PathLike[str],
    *,
    scale: float | None = None,
    size: tuple[int, int] | None = None,
    force: bool = False,
    config: Any = None,
) -> Path:
    """Render ``widget`` (a window or one view) to the PNG ``path``.

    ``scale`` multiplies the widget's size (lines and text scale with it); ``size`` gives an
    exact (width, height).  The config JSON is stored in the PNG text chunk
    ``backprop-lab-config`` and, when ``config`` is given, in a sidecar ``path + ".json"``.
    """
    target = Path(path)
    sidecar = target.with_name(target.name + ".json")
    _check_target(target, force)
    text = _config_json(config)
    if text is not None:
        _check_target(sidecar, force)
    image = render_image(widget, scale=scale, size=size)
    if text is not None:
        image.setText(CONFIG_KEY, text)
    data = QtCore.QByteArray()
    buffer = QtCore.QBuffer(data)
    buffer.open(QtCore.QIODevice.OpenModeFlag.WriteOnly)
    ok = image.save(buffer, "PNG")  # type: ignore[call-overload]
    buffer.close()
    if not ok:
        raise ExportError(f"cannot encode {target} as PNG")
    files: list[tuple[Path, bytes]] = [(target, bytes(data.data()))]
    if text is not None:
        files.append((sidecar, (text + "\n").encode("utf-8")))
    atomic_write_files(files, force=force)
    return target


@contextlib.contextmanager
def vector_markers(widget: QtWidgets.QWidget) -> Iterator[None]:
    """Scatter markers and curves drawn as vector paths while ``widget`` is rendered.

    pyqtgraph's ScatterPlotItem normally stamps each marker from a cached pixmap atlas (an
    embedded raster image per marker in an SVG); in export mode it draws every symbol's path
    instead, as pyqtgraph's own exporters do (``GraphicsItem.setExportMode``).
    """
    views = widget.findChildren(pg.GraphicsView)
    if isinstance(widget, pg.GraphicsView):
        views.append(widget)
    scene_items = [item for view in views for item in view.scene().items()]
    items = [item for item in scene_items if isinstance(item, pg.ScatterPlotItem)]
    # thick curves are drawn as one line segment each (fast on screen): one path instead
    curves = [(item, item.opts["segmentedLineMode"]) for item in scene_items if isinstance(item, pg.PlotCurveItem)]
    # a cached background is painted as one embedded bitmap per view
    caches = [(view, view.cacheMode()) for view in views]
    for view, _ in caches:
        view.setCacheMode(QtWidgets.QGraphicsView.CacheModeFlag.CacheNone)
    for item in items:
        item.setExportMode(True, {"antialias": True, "resolutionScale": 1.0})
    for curve, _ in curves:
        curve.setSegmentedLineMode("off")
    try:
        yield
    finally:
        for item in items:
            item.setExportMode(False)
        for curve, mode in curves:
            curve.setSegmentedLineMode(mode)
        for view, mode in caches:
            view.setCacheMode(mode)


def render_svg(
    widget: QtWidgets.QWidget, path: str | os.PathLike[str], *, force: bool = False, config: Any = None
) -> Path:
    """Render ``widget`` to the SVG ``path`` (QSvgGenerator; pyqtgraph's SVGExporter fails on Qt ≥ 6.11)."""
    target = Path(path)
    _check_target(target, force)
    data = QtCore.QByteArray()
    buffer = QtCore.QBuffer(data)
    buffer.open(QtCore.QIODevice.OpenModeFlag.WriteOnly)
    gen = QtSvg.QSvgGenerator()
    gen.setOutputDevice(buffer)
    gen.setSize(widget.size())
    gen.setViewBox(QtCore.QRect(QtCore.QPoint(0, 0), widget.size()))
    gen.setTitle(widget.windowTitle() or "Backprop Lab")
    text = _config_json(config)
    if text is not None:
        gen.setDescription(text)
    painter = QtGui.QPainter()
    if not painter.begin(gen):
        raise ExportError(f"cannot start an SVG painter for {target}")
    try:
        with vector_markers(widget):
            widget.render(painter, QtCore.QPoint())
    finally:
        painter.end()
    buffer.close()
    if data.isEmpty():
        raise ExportError(f"rendering {target} produced no SVG")
    return atomic_write_bytes(target, bytes(data.data()), force=force)


def copy_to_clipboard(widget: QtWidgets.QWidget) -> QtGui.QImage:
    """Put a picture of ``widget`` on the clipboard; returns the image."""
    image = widget.grab().toImage()
    QtGui.QGuiApplication.clipboard().setImage(image)
    return image


# -- metrics -------------------------------------------------------------------------------
def metric_columns(n_layers: int) -> list[str]:
    """CSV header: step, the scalars, then ``<stat>_L<k>`` for every statistic and layer."""
    cols = ["step", *METRIC_SCALARS]
    for name in LAYER_STAT_NAMES:
        cols.extend(f"{name}_L{k + 1}" for k in range(n_layers))
    return cols


def _metric_table(history: History) -> tuple[list[str], np.ndarray]:
    missing = [name for name in METRIC_SCALARS if name not in SCALARS]
    if missing:
        raise ExportError(f"history has no scalar {missing[0]!r}")
    n = len(history)
    blocks = [history.steps.astype(np.float64).reshape(n, 1)]
    blocks.extend(np.asarray(history.scalar(name), dtype=np.float64).reshape(n, 1) for name in METRIC_SCALARS)
    blocks.extend(
        np.asarray(history.layer_stat(name), dtype=np.float64).reshape(n, history.n_layers) for name in LAYER_STAT_NAMES
    )
    return metric_columns(history.n_layers), np.hstack(blocks)


def _cell(value: float) -> str:
    if math.isnan(value):
        return ""
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    return repr(float(value))


def metrics_csv(history: History, path: str | os.PathLike[str], *, force: bool = False, config: Any = None) -> Path:
    """Write one row per recorded step (empty cells where a value was not measured); with a
    ``config``, also the sidecar ``path + ".json"`` that reproduces the run."""
    target = Path(path)
    sidecar = target.with_name(target.name + ".json")
    text = _config_json(config)
    _check_target(target, force)
    if text is not None:
        _check_target(sidecar, force)
    columns, table = _metric_table(history)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for step, row in zip(history.steps, table, strict=True):
        writer.writerow([str(int(step)), *(_cell(v) for v in row[1:])])
    files: list[tuple[Path, bytes]] = [(target, out.getvalue().encode("utf-8"))]
    if text is not None:
        files.append((sidecar, (text + "\n").encode("utf-8")))
    atomic_write_files(files, force=force)
    return target


def _json_value(value: float) -> float | str | None:
    if math.isnan(value):
        return None
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    return float(value)


def metrics_dict(history: History, config: Any = None) -> dict[str, Any]:
    """The metrics as plain lists (NaN → None, ±inf → "inf"/"-inf")."""
    n = len(history)
    return {
        "format": "backprop-lab-metrics/1",
        "config": _config_dict(config),
        "n_layers": history.n_layers,
        "stride": history.stride,
        "layer_stat_names": list(LAYER_STAT_NAMES),
        "steps": [int(s) for s in history.steps],
        "scalars": {name: [_json_value(v) for v in history.scalar(name)] for name in METRIC_SCALARS},
        "layers": {
            name: [[_json_value(v) for v in row] for row in history.layer_stat(name).reshape(n, history.n_layers)]
            for name in LAYER_STAT_NAMES
        },
    }


def metrics_json(history: History, path: str | os.PathLike[str], *, force: bool = False, config: Any = None) -> Path:
    """Write :func:`metrics_dict` as JSON."""
    _check_target(Path(path), force)
    text = json.dumps(metrics_dict(history, config), allow_nan=False)
    return _atomic_write_text(path, text + "\n", force=force)


__all__ = [
    "CONFIG_KEY",
    "ExportError",
    "atomic_write_bytes",
    "atomic_write_files",
    "copy_to_clipboard",
    "metric_columns",
    "metrics_csv",
    "metrics_dict",
    "metrics_json",
    "render_image",
    "render_png",
    "render_svg",
]
