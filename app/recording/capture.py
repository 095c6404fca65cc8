"""Taking a widget's picture: from its window's backing store (about 1 ms at 1920×1080) or by
rendering it afresh with ``QWidget.grab()`` (about 30 ms); see :mod:`app.recording`."""

from __future__ import annotations

import numpy as np
from PySide6 import QtCore, QtGui, QtWidgets

from app.export import ExportError

_BGRX_FORMATS = (
    QtGui.QImage.Format.Format_RGB32,
    QtGui.QImage.Format.Format_ARGB32,
    QtGui.QImage.Format.Format_ARGB32_Premultiplied,
)


def _bgrx(image: QtGui.QImage) -> QtGui.QImage:
    """``image`` in a 32-bit format whose bytes are B, G, R, X in memory (little-endian)."""
    if image.format() not in _BGRX_FORMATS:
        image = image.convertToFormat(QtGui.QImage.Format.Format_RGB32)
    return image


def grab_image(widget: QtWidgets.QWidget) -> QtGui.QImage:
    """``widget`` rendered afresh (``QWidget.grab``); about 30 ms for a 1920×1080 window."""
    return _bgrx(widget.grab().toImage())


def backing_store_image(widget: QtWidgets.QWidget) -> QtGui.QImage | None:
    """A copy of ``widget``'s pixels as last painted, from its window's backing store, or None
    when the platform keeps no QImage backing store (about 1 ms for a 1920×1080 window)."""
    top = widget.window()
    if not top.isVisible():
        return None
    store = top.backingStore()
    if store is None:
        return None
    device = store.paintDevice()
    if not isinstance(device, QtGui.QImage) or device.isNull():
        return None
    dpr = device.devicePixelRatio()
    origin = QtCore.QPoint(0, 0) if widget is top else widget.mapTo(top, QtCore.QPoint(0, 0))
    rect = QtCore.QRect(
        round(origin.x() * dpr), round(origin.y() * dpr), round(widget.width() * dpr), round(widget.height() * dpr)
    )
    if rect.isEmpty() or not device.rect().contains(rect):
        return None
    return _bgrx(device.copy(rect))


def image_array(image: QtGui.QImage) -> np.ndarray:
    """A (height, width, 4) uint8 view (B, G, R, X) of a 32-bit ``image``, honouring its
    stride.  The view shares the image's memory: keep ``image`` alive while using it."""
    h, w, bpl = image.height(), image.width(), image.bytesPerLine()
    buf = np.frombuffer(image.constBits(), dtype=np.uint8, count=h * bpl)
    return buf.reshape(h, bpl)[:, : w * 4].reshape(h, w, 4)


def plausible(stored: QtGui.QImage, fresh: QtGui.QImage) -> bool:
    """Whether a backing-store copy shows the same window as a fresh ``grab()``: at least half
    of the pixels equal.  (A live window's store lags the fresh render by the views that
    changed since the last paint, a few per cent of the pixels; an unusable store differs
    nearly everywhere.)"""
    if stored.size() != fresh.size():
        return False
    x, y = image_array(stored)[..., :3], image_array(fresh)[..., :3]
    differ = np.abs(x.astype(np.int16) - y.astype(np.int16)).max(axis=2) > 8
    return float(differ.mean()) <= 0.5


def first_frame(widget: QtWidgets.QWidget, preference: str) -> tuple[QtGui.QImage, str]:
    """The first picture of a live recording and how the rest are taken: "backingstore" when
    ``preference`` allows it and the store shows what a fresh ``grab()`` does, else "grab"."""
    if preference != "grab":
        stored = backing_store_image(widget)
        if stored is not None:
            if preference == "backingstore" or plausible(stored, grab_image(widget)):
                return stored, "backingstore"
        elif preference == "backingstore":
            raise ExportError("this platform keeps no backing store image of the window; use capture='grab'")
    return grab_image(widget), "grab"


def capture(widget: QtWidgets.QWidget, method: str) -> QtGui.QImage:
    """``widget``'s picture taken by ``method`` (a backing store that is gone falls back to
    ``grab()``)."""
    if method == "backingstore":
        image = backing_store_image(widget)
        if image is not None:
            return image
    return grab_image(widget)


def window_colour(widget: QtWidgets.QWidget) -> tuple[int, int, int]:
    c = widget.palette().color(QtGui.QPalette.ColorRole.Window)
    return c.red(), c.green(), c.blue()
