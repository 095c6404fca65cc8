"""A closed compare window lets go of its runs at once (memory, pipes, process handles), not
whenever Python's cyclic collector happens to run (rarely, on a large heap)."""

from __future__ import annotations

import gc
import weakref
from typing import Any

from PySide6 import QtCore

from app.main_window import MainWindow, make_application
from app.scene_launcher import COMPARE_VARIANTS
from app.worker import TrainingController
from model import ExperimentConfig


def test_a_closed_compare_window_is_freed_without_waiting_for_the_collector(qtbot: Any) -> None:
    make_application()
    main = MainWindow(ExperimentConfig(depth=3, width=8, n_samples=200), controller=TrainingController())
    qtbot.addWidget(main)
    main.show()
    gc.collect()
    gc.disable()  # as on a large heap: no automatic collection during the test
    try:
        window = main.compare_with([COMPARE_VARIANTS[0][1]])
        assert window is not None
        qtbot.wait(300)
        refs = [weakref.ref(c) for c in window.controllers] + [weakref.ref(c.worker) for c in window.controllers]
        refs.append(weakref.ref(window.columns[0].history))
        window.close()
        del window
        for _ in range(20):  # up to 3 s on a busy machine: the engines get a second to quit
            loop = QtCore.QEventLoop()
            QtCore.QTimer.singleShot(150, loop.quit)
            loop.exec()
            if all(r() is None for r in refs):
                break
        assert all(r() is None for r in refs), [type(r()).__name__ for r in refs if r() is not None]
    finally:
        gc.enable()
    main.close()
