"""Regression guard for PySide6 6.12.0 on CPython 3.11: painting and emitting must not drop
references to None or True (the interpreter aborts with none_dealloc/bool_dealloc)."""

from __future__ import annotations

import sys

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore


class _Emitter(QtCore.QObject):
    ping = QtCore.Signal(int)


def test_painting_and_emitting_keep_none_and_true_alive(qtbot) -> None:  # type: ignore[no-untyped-def]
    widget = pg.PlotWidget()
    qtbot.addWidget(widget)
    widget.resize(400, 300)
    curve = widget.plot(np.arange(100.0), np.sin(np.arange(100.0)))
    emitter = _Emitter()
    received: list[int] = []
    emitter.ping.connect(received.append)
    none_before = sys.getrefcount(None)
    true_before = sys.getrefcount(True)
    for i in range(300):
        curve.setData(np.arange(100.0), np.sin(np.arange(100.0) + i))
        widget.grab()
    for i in range(3000):
        emitter.ping.emit(i)
    assert len(received) == 3000
    if sys.version_info < (3, 12):  # immortal objects hide the bug on newer Pythons
        assert sys.getrefcount(None) >= none_before - 50
        assert sys.getrefcount(True) >= true_before - 50
