"""The parts the main and the compare window share are one piece of code each (the transport's
wiring, File → Record…, the timeline's scrubbing, the metrics dialog), and they behave alike in
both windows."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6 import QtWidgets

from app.compare_window import CompareWindow, train_compare_offline
from app.headless import train_into_window
from app.main_window import MainWindow, make_application
from app.recording_controller import RecordingController
from app.save_dialogs import SaveDialogs
from app.timeline_controller import TimelineControl
from app.transport import TransportCommands, pause_text, play_text
from model import ExperimentConfig

SMALL = ExperimentConfig(depth=3, width=8, n_samples=200, activation="relu", init="he_normal")
RUNS = [("relu", SMALL), ("tanh", SMALL.replace(activation="tanh", init="xavier_normal"))]


@pytest.fixture
def windows(qtbot) -> Iterator[tuple[MainWindow, CompareWindow]]:  # type: ignore[no-untyped-def]
    make_application(language="en")
    main = MainWindow(SMALL, controller=None)
    compare = CompareWindow(RUNS, title="Shared")
    for window in (main, compare):
        qtbot.addWidget(window)
        window.resize(1280, 800)
        window.show()
    train_into_window(main, SMALL, 60)
    train_compare_offline(compare, 60)
    yield main, compare
    for window in (main, compare):
        window.close()


def test_one_class_each(windows: tuple[MainWindow, CompareWindow]) -> None:
    main, compare = windows
    for name in ("toggle_play", "set_speed", "_make_transport"):
        assert getattr(type(main), name) is getattr(type(compare), name) is getattr(TransportCommands, name)
    assert type(main.recording) is type(compare.file_menu.recording) is RecordingController
    assert isinstance(main.scrub, TimelineControl) and isinstance(compare.timeline, TimelineControl)
    assert main.scrub.show_newest is not compare.timeline.show_newest  # each draws its own views
    assert type(main)._save_metrics_via_dialog is type(compare)._save_metrics_via_dialog
    assert type(main)._save_metrics_via_dialog is SaveDialogs._save_metrics_via_dialog


def test_transport_and_timeline_behave_alike(windows: tuple[MainWindow, CompareWindow]) -> None:
    for window, timeline in ((windows[0], windows[0].scrub), (windows[1], windows[1].timeline)):
        window.toggle_play()
        assert window.playing and window.play_action.text() == pause_text()
        window.toggle_play()
        assert not window.playing and window.play_action.text() == play_text()
        window.set_speed(10.0)
        assert window.transport.speed() == 10.0
        # scrubbing back pauses; Live shows the newest state and plays on
        window.play()
        timeline.bar.slider.setValue(1)
        assert not window.playing and timeline.position() == 1 and not timeline.is_live()
        timeline.bar.live_button.click()
        assert window.playing and timeline.is_live() and timeline.position() is None
        window.pause()


def test_record_menu_entry_and_refusal_alike(
    windows: tuple[MainWindow, CompareWindow], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[str] = []
    monkeypatch.setattr(QtWidgets.QMessageBox, "open", lambda box: shown.append(box.text()))
    for window, recording in ((windows[0], windows[0].recording), (windows[1], windows[1].file_menu.recording)):
        assert recording.action.text() == "Record GIF or MP4…"
        assert recording.action in _file_menu_actions(window)
        existing = tmp_path / f"{type(window).__name__}.gif"
        existing.write_bytes(b"keep")
        # an existing file is refused in the message area and a dialog; nothing is overwritten
        assert recording.start(existing, fps=10, duration_s=0.3) is None
        assert "exists" in window.message.text() and existing.read_bytes() == b"keep"
        assert shown and "exists" in shown[-1]
        assert recording.action.text() == "Record GIF or MP4…"


def _file_menu_actions(window: QtWidgets.QMainWindow) -> list[object]:
    menu = window.menuBar().actions()[0].menu()
    assert menu is not None
    return list(menu.actions())
