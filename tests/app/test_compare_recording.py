"""Recording a compare window: File → Record… while the runs train live, and the metrics
export of the File menu (read back from the files)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
from PySide6 import QtWidgets

from app.compare_window import CompareWindow
from app.main_window import make_application
from app.worker import TrainingController
from model import ExperimentConfig

SMALL = ExperimentConfig(depth=3, width=8, n_samples=200, activation="relu", init="he_normal")
RUNS = [("relu", SMALL), ("tanh", SMALL.replace(activation="tanh", init="xavier_normal"))]


def test_file_menu_records_the_live_comparison(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import imageio.v3 as iio

    make_application()
    w = CompareWindow(RUNS, title="Live", controllers=[TrainingController() for _ in RUNS])
    qtbot.addWidget(w)
    w.resize(1600, 900)
    w.show()
    try:
        titles = [a.text() for a in w.file_menu.menu.actions()]
        assert "Record GIF or MP4…" in titles
        qtbot.waitUntil(lambda: all(c.latest is not None and c.latest.step > 5 for c in w.columns), timeout=20000)
        out = tmp_path / "live.gif"
        recorder = w.file_menu.recording.start(out, fps=10, duration_s=0.6)
        assert recorder is not None and w.file_menu.recording.action.text() == "Stop recording"
        qtbot.waitUntil(lambda: recorder.result is not None, timeout=20000)
        assert w.file_menu.recording.action.text() == "Record GIF or MP4…"
        assert "Saved" in w.message.text()
        frames = iio.imread(out, index=None)
        assert frames.shape[0] == 6
        # the window's picture, scaled down to a GIF's width (960 px)
        height, width = frames.shape[1:3]
        assert width == 960 and abs(height / width - w.height() / w.width()) < 0.01
        assert not np.array_equal(frames[0], frames[-1])  # it trained while recording
        sidecar = json.loads((tmp_path / "live.gif.json").read_text())
        assert [run["label"] for run in sidecar["runs"]] == ["relu", "tanh"]
        # an existing file is refused with a message, nothing is overwritten
        before = out.read_bytes()
        assert w.file_menu.recording.start(out, fps=10, duration_s=0.3) is None
        assert "exists" in w.message.text() and out.read_bytes() == before
    finally:
        w.close()
        w.deleteLater()


def test_file_menu_exports_every_runs_metrics(qtbot, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from app.compare_window import train_compare_offline

    make_application()
    w = CompareWindow(RUNS, title="Offline")
    qtbot.addWidget(w)
    train_compare_offline(w, 12)
    out = tmp_path / "m.csv"
    monkeypatch.setattr(
        QtWidgets.QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(out), "CSV table (*.csv)"))
    )
    w.file_menu.metrics_actions[".csv"].trigger()
    with out.open() as fh:
        rows = list(csv.DictReader(fh))
    assert [(r["run"], int(r["step"])) for r in rows] == [("0", s) for s in range(1, 13)] + [
        ("1", s) for s in range(1, 13)
    ]
    assert "Saved" in w.message.text()
    w.close()
    w.deleteLater()
