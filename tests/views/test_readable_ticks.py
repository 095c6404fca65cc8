"""Tick labels of a horizontal axis never run into each other, at every type scale."""

from __future__ import annotations

import itertools

import pyqtgraph as pg
import pytest
from PySide6 import QtCore

from app.look import apply_look
from app.main_window import make_application
from tests.views.fitting import _drawn_ticks
from views import theme


def _labels(width: int, lo: float, hi: float) -> list[tuple[QtCore.QRectF, str]]:
    widget = pg.PlotWidget()
    plot = widget.getPlotItem()
    theme.style_plot(plot, "Loss", bottom="training step")
    widget.resize(width, 300)
    widget.show()
    plot.setXRange(lo, hi, padding=0)
    QtCore.QCoreApplication.processEvents()
    labels = _drawn_ticks(plot.getAxis("bottom"))
    widget.close()
    return labels


@pytest.mark.parametrize("scale", [1.0, 2.0, 2.5])
@pytest.mark.parametrize(("lo", "hi"), [(0, 5000), (0, 123_456), (0, 1.0), (-3.5, 3.5), (990_000, 1_000_000)])
def test_bottom_tick_labels_keep_apart(scale: float, lo: float, hi: float) -> None:
    app = make_application()
    apply_look(app, "light", scale)
    try:
        for width in (220, 320, 480, 700, 1100):
            labels = _labels(width, lo, hi)
            # still a scale to read: two labels where a plot has room, one where it is narrow
            # (six-digit steps at 2.5× fill most of a 480 px axis: one label is all that fits)
            wide = max(len(text) for _, text in labels) > 5 if labels else False
            assert len(labels) >= (2 if width >= 480 and not wide else 1), (width, labels)
            rects = sorted((rect for rect, _ in labels), key=lambda r: r.left())
            for a, b in itertools.pairwise(rects):
                assert a.right() <= b.left() + 1, f"{width} px at scale {scale}: {[t for _, t in labels]}"
    finally:
        apply_look(app, "light", 1.0)
