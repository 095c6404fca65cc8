"""Every writer × every disk fault: a clear message, nothing partial or temporary left behind,
an existing file untouched (GUI: message area and a warning dialog; CLI: exit 2, one line)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6 import QtCore, QtWidgets

from app.__main__ import main
from app.export import ExportError, render_svg
from app.headless import train_into_window
from app.main_window import MainWindow, make_application
from app.prefs import Prefs
from app.recording import Recorder, record_run
from model import ExperimentConfig
from tests.app.disk_faults import EXPECTED, FAULTS, Fault, fault_factory  # noqa: F401

CONFIG = ExperimentConfig(depth=3, width=8, n_samples=200)
RUN_SIZE = (1024, 576)


@pytest.fixture(scope="module")
def window() -> Iterator[MainWindow]:
    app = make_application()
    w = MainWindow(CONFIG, controller=None)
    train_into_window(w, CONFIG, 20)
    w.resize(*RUN_SIZE)
    w.show()
    for _ in range(5):
        app.processEvents()
    yield w
    w.close()
    w.deleteLater()
    app.processEvents()


def _record(window: MainWindow, path: Path, force: bool) -> object:
    return record_run(window, CONFIG, 4, path, fps=2, duration_s=1.0, size=RUN_SIZE, force=force)


def _live_record(window: MainWindow, path: Path, force: bool) -> object:
    """The live Recorder (the window's Record action): errors arrive at start or via ``failed``."""
    recorder = Recorder(window, path, fps=4, duration_s=0.75, size=RUN_SIZE, force=force, config=CONFIG)
    outcome: list[object] = []
    recorder.finished.connect(outcome.append)
    recorder.failed.connect(lambda message: outcome.append(ExportError(message)))
    recorder.start()
    app = QtWidgets.QApplication.instance()
    deadline = QtCore.QDeadlineTimer(20000)
    while not outcome and not deadline.hasExpired():
        app.processEvents(QtCore.QEventLoop.ProcessEventsFlag.AllEvents, 20)
    assert outcome, "the recorder neither finished nor failed"
    if isinstance(outcome[0], ExportError):
        raise outcome[0]
    return outcome[0]


def _prefs(window: MainWindow, path: Path, force: bool) -> object:
    problem = Prefs(theme="dark", last_config=CONFIG.to_dict()).save(
        QtCore.QSettings(str(path), QtCore.QSettings.Format.IniFormat)
    )
    if problem is not None:
        raise ExportError(problem)
    return path


WRITERS: dict[str, tuple[str, Callable[[MainWindow, Path, bool], object]]] = {
    "png": ("out.png", lambda w, p, f: w.exports.export_picture(p, force=f)),
    "png-view-2x": ("view.png", lambda w, p, f: w.exports.export_picture(p, view="gradients", size="2x", force=f)),
    "svg": ("view.svg", lambda w, p, f: render_svg(w.views["loss"], p, force=f, config=CONFIG)),
    "csv": ("run.csv", lambda w, p, f: w.exports.export_metrics(p, force=f)),
    "metrics-json": ("run.json", lambda w, p, f: w.exports.export_metrics(p, force=f)),
    "config": ("config.json", lambda w, p, f: w.configs.save(p, force=f)),
    "gif": ("run.gif", _record),
    "mp4": ("run.mp4", _record),
    "live-gif": ("live.gif", _live_record),
    "prefs": ("prefs.ini", _prefs),
}


@pytest.mark.parametrize("fault", FAULTS)
@pytest.mark.parametrize("writer", list(WRITERS))
def test_every_writer_refuses_every_fault_and_leaves_nothing(
    window: MainWindow, fault_factory: Callable[[str, str], Fault], writer: str, fault: str
) -> None:
    name, write = WRITERS[writer]
    f = fault_factory(fault, name)
    if writer in ("gif", "mp4", "live-gif") and not f.real:
        pytest.skip("the encoder child process cannot see a simulated full disk (needs root for a tmpfs)")
    if writer == "prefs" and fault == "missing":
        # QSettings creates its folder (~/.config/BackpropLab on a first start): that is wanted
        write(window, f.target, True)
        assert Prefs.load(QtCore.QSettings(str(f.target), QtCore.QSettings.Format.IniFormat)).theme == "dark"
        return
    with pytest.raises(ExportError) as info:
        write(window, f.target, True)  # force: even when allowed to replace, nothing is harmed
    message = str(info.value)
    assert "\n" not in message
    assert str(f.target.name) in message or str(f.target.parent) in message, message
    assert re.search(EXPECTED[fault], message), message
    f.assert_untouched()


def test_the_gui_shows_a_dialog_and_keeps_working(
    window: MainWindow, fault_factory: Callable[[str, str], Fault], monkeypatch: pytest.MonkeyPatch
) -> None:
    for fault in FAULTS:
        f = fault_factory(fault, "shot.png")
        monkeypatch.setattr(window, "_ask_save_path", lambda *a, p=f.target: p)
        monkeypatch.setattr(window, "_confirm_overwrite", lambda paths: True)
        window.exports.export_png_dialog(None, "1x")
        boxes = [b for b in window.findChildren(QtWidgets.QMessageBox) if b.isVisible()]
        assert len(boxes) == 1, fault
        assert re.search(EXPECTED[fault], boxes[0].text()), boxes[0].text()
        assert re.search(EXPECTED[fault], window.message.text())
        assert window.message.property("kind") == "error"
        boxes[0].accept()
        QtWidgets.QApplication.processEvents()
        f.assert_untouched()
    # and the next save into a good folder works
    good = f.target.parent.parent / "good.png"
    monkeypatch.setattr(window, "_ask_save_path", lambda *a: good)
    window.exports.export_png_dialog(None, "1x")
    assert good.is_file() and good.with_name("good.png.json").is_file()


def test_gui_recording_into_a_bad_folder_shows_a_dialog(
    window: MainWindow, fault_factory: Callable[[str, str], Fault]
) -> None:
    for fault in ("readonly", "missing", "directory"):
        f = fault_factory(fault, "rec.mp4")
        assert window.recording.start(f.target, fps=2, duration_s=1.0, force=True) is None
        boxes = [b for b in window.findChildren(QtWidgets.QMessageBox) if b.isVisible()]
        assert len(boxes) == 1 and re.search(EXPECTED[fault], boxes[0].text()), fault
        boxes[0].accept()
        QtWidgets.QApplication.processEvents()
        f.assert_untouched()


def test_gui_recording_onto_a_full_disk_fails_with_a_dialog(
    window: MainWindow, fault_factory: Callable[[str, str], Fault], qtbot: Any
) -> None:
    f = fault_factory("full", "rec.gif")
    if not f.real:
        pytest.skip("the encoder child process cannot see a simulated full disk")
    recorder = window.recording.start(f.target, fps=4, duration_s=1.0, force=True)
    assert recorder is not None  # the folder is writable: the disk fills while encoding
    qtbot.waitUntil(lambda: window.recording.recorder is None, timeout=30000)
    boxes = [b for b in window.findChildren(QtWidgets.QMessageBox) if b.isVisible()]
    assert len(boxes) == 1 and re.search(EXPECTED["full"], boxes[0].text()), [b.text() for b in boxes]
    boxes[0].accept()
    QtWidgets.QApplication.processEvents()
    f.assert_untouched()


def test_preferences_that_cannot_be_saved_are_reported_at_close(
    fault_factory: Callable[[str, str], Fault], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    make_application()
    f = fault_factory("full", "backprop-lab.ini")
    monkeypatch.setattr(
        "app.prefs.settings", lambda: QtCore.QSettings(str(f.target), QtCore.QSettings.Format.IniFormat)
    )
    alerts: list[tuple[str, str]] = []
    w = MainWindow(CONFIG, controller=None, prefs=Prefs())
    monkeypatch.setattr(w, "_alert", lambda title, text, wait=False: alerts.append((title, text)))
    w.close()
    w.deleteLater()
    QtWidgets.QApplication.processEvents()
    assert len(alerts) == 1 and re.search(EXPECTED["full"], alerts[0][1]), alerts
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "preferences" in err[0] and re.search(EXPECTED["full"], err[0])
    f.assert_untouched()


CLI = {
    "screenshot": ("shot.png", ["--steps", "2", "--screenshot"]),
    "metrics": ("run.csv", ["--steps", "2", "--metrics"]),
    "record": ("run.gif", ["--steps", "2", "--fps", "2", "--duration", "1", "--record"]),
}


@pytest.mark.parametrize("fault", FAULTS)
@pytest.mark.parametrize("what", list(CLI))
def test_cli_exits_2_with_one_line(
    fault_factory: Callable[[str, str], Fault], capsys: pytest.CaptureFixture[str], what: str, fault: str
) -> None:
    name, argv = CLI[what]
    f = fault_factory(fault, name)
    if what == "record" and not f.real:
        pytest.skip("the encoder child process cannot see a simulated full disk")
    capsys.readouterr()
    try:
        code = main([*argv, str(f.target), "--force", "--size", "1024x576"])
    except SystemExit as exc:
        code = exc.code
    out = capsys.readouterr()
    assert code == 2, out
    lines = out.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("backprop-lab: error:"), out.err
    assert re.search(EXPECTED[fault], lines[0]), lines[0]
    assert "Traceback" not in out.err
    f.assert_untouched()
