"""Test configuration shared by every package: offscreen Qt, isolated settings."""

from __future__ import annotations

import os
import tempfile

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("XDG_CONFIG_HOME", tempfile.mkdtemp(prefix="bplab-cfg-"))
os.environ.setdefault("XDG_RUNTIME_DIR", tempfile.mkdtemp(prefix="bplab-run-"))

import gc
import warnings

import pytest


@pytest.fixture(autouse=True)
def _dangling_qthreads(request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    """Fail any test that leaves a QThread running (idea from napari's conftest)."""
    yield
    # only Qt tests can start threads; a gc scan after every model test would cost minutes
    if "qtbot" not in request.fixturenames and "qapp" not in request.fixturenames:
        return
    from PySide6 import QtCore

    with warnings.catch_warnings():
        # touching every live object trips deprecation shims of other libraries (torch)
        warnings.simplefilter("ignore")
        running = [o for o in gc.get_objects() if isinstance(o, QtCore.QThread) and o.isRunning()]
    if running:
        for thread in running:
            thread.quit()
            thread.wait(2000)
        pytest.fail(f"{request.node.name} left {len(running)} QThread(s) running")
