"""Recording MP4 / GIF: live Recorder, headless record_run, the dialog (pytest-qt, offscreen)."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import imageio.v3 as iio
import imageio_ffmpeg
import numpy as np
import pytest
from PIL import Image
from PySide6 import QtCore, QtGui, QtWidgets

from app import recording
from app.export import ExportError
from app.main_window import MainWindow, make_application
from app.recording import RecordDialog, Recorder, RecordingResult, ffmpeg, output_size, record_run
from app.recording import encoder as recording_encoder
from app.recording.plan import make_plan
from model import ExperimentConfig

CONFIG = ExperimentConfig(depth=3, width=8, n_samples=200)
EXPLODING = ExperimentConfig(
    depth=8, width=32, activation="relu", init="normal", init_scale=3.0, learning_rate=1.0, n_samples=200
)
RUN_SIZE = (1024, 576)  # the main window is at least 1023 px wide


# -- helpers -------------------------------------------------------------------------------------
def _frames(path: Path) -> np.ndarray:
    """Every frame of a video or GIF as (n, h, w, 3) uint8."""
    return np.stack([np.asarray(f)[..., :3] for f in iio.imiter(path)])


def _mp4_metadata(path: Path) -> str:
    out = subprocess.run(
        [imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-i", str(path), "-f", "ffmetadata", "-"],
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".part"))


class Ticker(QtWidgets.QLabel):
    """A small widget whose picture changes every 20 ms."""

    def __init__(self) -> None:
        super().__init__("0")
        self.setAlignment(QtCore.Qt.AlignmentFlag.AlignCenter)
        font = self.font()
        font.setPointSize(28)
        self.setFont(font)
        self.setStyleSheet("background: white; color: black;")
        self.count = 0
        self.timer = QtCore.QTimer(self)
        self.timer.timeout.connect(self._advance)
        self.timer.start(20)

    def _advance(self) -> None:
        self.count += 1
        self.setText(str(self.count))


@pytest.fixture
def ticker(qtbot) -> Iterator[Ticker]:  # type: ignore[no-untyped-def]
    make_application()
    w = Ticker()
    qtbot.addWidget(w)
    w.resize(201, 121)  # odd on purpose: MP4 needs even sizes
    w.show()
    qtbot.waitExposed(w)
    qtbot.wait(60)
    yield w
    w.timer.stop()
    w.close()


@pytest.fixture(scope="module")
def window() -> Iterator[MainWindow]:
    app = make_application()
    w = MainWindow(CONFIG, controller=None)
    yield w
    w.close()
    w.deleteLater()
    app.processEvents()


def _record_live(qtbot, recorder: Recorder) -> RecordingResult:  # type: ignore[no-untyped-def]
    results: list[RecordingResult] = []
    errors: list[str] = []
    recorder.finished.connect(results.append)
    recorder.failed.connect(errors.append)
    recorder.start()
    qtbot.waitUntil(lambda: bool(results or errors), timeout=15000)
    assert not errors, errors
    assert not recorder.is_recording
    return results[0]


# -- live recording ---------------------------------------------------------------------------------
def test_live_mp4_has_fps_times_duration_frames(ticker: Ticker, qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "live.mp4"
    recorder = Recorder(ticker, out, fps=10, duration_s=0.5, config=CONFIG)
    assert recorder.frames_total == 5
    result = _record_live(qtbot, recorder)
    assert recorder.capture_method == "backingstore"  # the cheap path works offscreen
    assert result.frames == recorder.frames_captured == 5
    assert result.seconds == pytest.approx(0.5)
    assert result.size == (200, 120)  # rounded down to even
    frames = _frames(out)
    assert frames.shape == (5, 120, 200, 3)
    meta = iio.immeta(out, plugin="FFMPEG")
    assert meta["fps"] == pytest.approx(10)
    assert meta["duration"] == pytest.approx(0.5, abs=0.05)
    assert frames.std() > 10  # text on white, not a blank picture
    assert _leftovers(tmp_path) == []
    recorder.deleteLater()


def test_live_gif_frames_timing_and_changing_picture(ticker: Ticker, qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "live.gif"
    recorder = Recorder(ticker, out, fps=10, duration_s=0.5, size=(100, 60))
    result = _record_live(qtbot, recorder)
    assert result.frames == 5
    assert result.size == (100, 60)
    frames = _frames(out)
    assert frames.shape == (5, 60, 100, 3)
    assert any(not np.array_equal(frames[0], f) for f in frames[1:])  # the counter moved
    with Image.open(out) as im:
        assert im.n_frames == 5
        durations = []
        for k in range(im.n_frames):
            im.seek(k)
            durations.append(im.info["duration"])
    assert sum(durations) == pytest.approx(500, abs=10)
    assert not (tmp_path / "live.gif.json").exists()  # no config, no sidecar
    recorder.deleteLater()


def test_stop_early_keeps_the_frames_captured(ticker: Ticker, qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "early.mp4"
    recorder = Recorder(ticker, out, fps=20, duration_s=30)
    finished: list[RecordingResult] = []
    recorder.finished.connect(finished.append)
    recorder.start()
    assert recorder.is_recording
    qtbot.waitUntil(lambda: recorder.frames_captured >= 4, timeout=5000)
    result = recorder.stop()
    assert finished == [result]
    assert 4 <= result.frames < 600
    assert len(_frames(out)) == result.frames
    assert recorder.stop() is result  # stopping again returns the same result
    recorder.deleteLater()


def test_a_slow_encoder_holds_frames_but_keeps_count_and_timing(
    ticker: Ticker,
    qtbot,  # type: ignore[no-untyped-def]
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A full queue never blocks the live view: the frames that come due hold the last stored
    picture, and the file still has every frame at the right time."""
    # a pipe between the recorder and ffmpeg that passes on one frame every 0.12 s
    slow = (
        "import subprocess, sys, time\n"
        "encoder = subprocess.Popen(sys.argv[2:], stdin=subprocess.PIPE)\n"
        "while frame := sys.stdin.buffer.read(int(sys.argv[1])):\n"
        "    time.sleep(0.12)\n    encoder.stdin.write(frame)\n"
        "encoder.stdin.close()\nsys.exit(encoder.wait())"
    )
    original = ffmpeg.gif_command

    def slow_command(tmp, capture, *rest):  # type: ignore[no-untyped-def]
        return [sys.executable, "-c", slow, str(capture[0] * capture[1] * 4), *original(tmp, capture, *rest)]

    monkeypatch.setattr(ffmpeg, "gif_command", slow_command)
    monkeypatch.setattr(recording_encoder, "QUEUE_BYTES", 1)  # room for two pictures
    out = tmp_path / "slow.gif"
    result = _record_live(qtbot, Recorder(ticker, out, fps=20, duration_s=1.0))
    assert result.held > 0
    assert result.frames == 20
    with Image.open(out) as im:
        assert im.n_frames == 20
        total = 0
        for k in range(im.n_frames):
            im.seek(k)
            total += im.info["duration"]
    assert total == 1000
    recorder_frames = _frames(out)
    assert any(not np.array_equal(recorder_frames[0], f) for f in recorder_frames[1:])


@pytest.mark.parametrize("suffix", [".mp4", ".gif"])
def test_cancel_writes_nothing(ticker: Ticker, qtbot, tmp_path: Path, suffix: str) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / f"cancelled{suffix}"
    recorder = Recorder(ticker, out, fps=20, duration_s=30, config=CONFIG)
    recorder.start()
    qtbot.waitUntil(lambda: recorder.frames_captured >= 2, timeout=5000)
    recorder.cancel()
    assert not recorder.is_recording
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(ExportError, match="cancelled"):
        recorder.stop()
    recorder.deleteLater()


def test_encoder_failure_is_reported_and_cleaned_up(
    ticker: Ticker,
    qtbot,  # type: ignore[no-untyped-def]
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    existing = tmp_path / "keep.mp4"
    existing.write_bytes(b"an older recording")
    monkeypatch.setattr(ffmpeg, "MP4_PRESET", "no-such-preset")  # ffmpeg refuses to start encoding
    recorder = Recorder(ticker, existing, fps=10, duration_s=2, force=True, config=CONFIG)
    errors: list[str] = []
    recorder.failed.connect(errors.append)
    recorder.start()
    qtbot.waitUntil(lambda: bool(errors), timeout=10000)
    assert len(errors) == 1
    assert "keep.mp4" in errors[0] and "ffmpeg" in errors[0]
    assert not recorder.is_recording
    assert existing.read_bytes() == b"an older recording"  # untouched
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keep.mp4"]  # no temp file, no sidecar
    with pytest.raises(ExportError, match="ffmpeg"):
        recorder.stop()
    recorder.deleteLater()


def test_gif_encoder_failure_names_the_cause(
    ticker: Ticker,
    qtbot,  # type: ignore[no-untyped-def]
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    failing = [sys.executable, "-c", "import sys; sys.stderr.write('disk quota exceeded\\n'); sys.exit(1)"]
    monkeypatch.setattr(ffmpeg, "gif_command", lambda *args: failing)
    recorder = Recorder(ticker, tmp_path / "quota.gif", fps=10, duration_s=0.5)
    errors: list[str] = []
    recorder.failed.connect(errors.append)
    recorder.start()
    qtbot.waitUntil(lambda: bool(errors), timeout=10000)
    assert "quota.gif" in errors[0] and "the GIF encoder" in errors[0] and "disk quota exceeded" in errors[0]
    assert list(tmp_path.iterdir()) == []
    recorder.deleteLater()


def test_gif_palette_pass_failure_names_the_cause_and_cleans_up(
    ticker: Ticker,
    qtbot,  # type: ignore[no-untyped-def]
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    failing = [sys.executable, "-c", "import sys; sys.stderr.write('No space left on device\\n'); sys.exit(1)"]
    monkeypatch.setattr(ffmpeg, "gif_palette_commands", lambda tmp: [failing])
    recorder = Recorder(ticker, tmp_path / "full.gif", fps=10, duration_s=0.5, config=CONFIG)
    errors: list[str] = []
    recorder.failed.connect(errors.append)
    recorder.start()
    qtbot.waitUntil(lambda: bool(errors), timeout=10000)
    assert "full.gif" in errors[0] and "the GIF encoder" in errors[0] and "No space left on device" in errors[0]
    assert list(tmp_path.iterdir()) == []  # neither the GIF nor its frames or palette
    recorder.deleteLater()


# -- parameters and overwrite protection -----------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "kwargs", "message"),
    [
        ("run.avi", {}, r"\.mp4 \(MP4 video\) or \.gif \(animated GIF\)"),
        ("run", {}, r"must end in \.mp4"),
        ("run.mp4", {"fps": 0}, "fps must be from 1 to 60"),
        ("run.mp4", {"fps": 61}, "fps must be from 1 to 60"),
        ("run.mp4", {"fps": float("nan")}, "fps must be from 1 to 60"),
        ("run.gif", {"fps": 55}, "at most 50 frames per second"),
        ("run.mp4", {"duration_s": 0}, "duration must be more than 0"),
        ("run.mp4", {"duration_s": 601}, "at most 600 seconds"),
        ("run.mp4", {"fps": 1, "duration_s": 0.2}, "less than one frame"),
        ("run.mp4", {"size": (8, 8)}, "size must be from"),
    ],
)
def test_bad_parameters_raise_a_clear_export_error(
    ticker: Ticker, tmp_path: Path, name: str, kwargs: dict, message: str
) -> None:
    with pytest.raises(ExportError, match=message):
        Recorder(ticker, tmp_path / name, **kwargs)
    assert list(tmp_path.iterdir()) == []


def test_existing_file_is_refused_at_start_and_replaced_with_force(
    ticker: Ticker,
    qtbot,  # type: ignore[no-untyped-def]
    tmp_path: Path,
) -> None:
    out = tmp_path / "taken.gif"
    out.write_bytes(b"not mine")
    recorder = Recorder(ticker, out, fps=10, duration_s=0.2)
    with pytest.raises(ExportError, match="exists; pass force=True"):
        recorder.start()
    assert not recorder.is_recording and recorder.frames_captured == 0
    assert out.read_bytes() == b"not mine"
    # the sidecar counts too: a config file of another recording is not overwritten silently
    other = tmp_path / "other.mp4"
    (tmp_path / "other.mp4.json").write_text("{}")
    with pytest.raises(ExportError, match=r"other\.mp4\.json exists"):
        Recorder(ticker, other, fps=10, duration_s=0.2, config=CONFIG).start()
    assert not other.exists()

    result = _record_live(qtbot, Recorder(ticker, out, fps=10, duration_s=0.2, force=True))
    assert result.frames == 2
    assert out.read_bytes()[:6] == b"GIF89a"
    assert _leftovers(tmp_path) == []


def test_output_size_rules() -> None:
    assert output_size(".mp4", (201, 121), None) == (200, 120)
    assert output_size(".mp4", (1920, 1080), (1281, 721)) == (1280, 720)
    assert output_size(".gif", (1920, 1080), None) == (960, 540)  # GIFs stay small by default
    assert output_size(".gif", (1920, 1080), (1920, 1080)) == (1920, 1080)
    assert output_size(".gif", (1920, 1080), None, gif_max_width=None) == (1920, 1080)


def _encode_gif(path: Path, pictures: list[tuple[np.ndarray, int]], fps: float, config: object = None) -> None:
    """Write (h, w, 3) RGB pictures, each as its number of frames, through the recorder's own
    encoder (queue, thread and ffmpeg passes)."""
    h, w = pictures[0][0].shape[:2]
    plan = make_plan(path, fps, sum(n for _, n in pictures) / fps, None, config)
    encoder = recording_encoder.Encoder(plan, (w, h), gif_max_width=None)
    for rgb, count in pictures:
        bgrx = np.ascontiguousarray(_bgrx(rgb))
        image = QtGui.QImage(bgrx.data, w, h, 4 * w, QtGui.QImage.Format.Format_RGB32).copy()
        encoder.put(image, count, block=True)
    encoder.finish()
    encoder.wait()
    encoder.finalize(force=False)


@pytest.mark.parametrize("fps", [7, 15, 30, 50])
def test_gif_delays_add_up_to_real_time(tmp_path: Path, fps: int) -> None:
    rng = np.random.default_rng(fps)
    pictures = [(rng.integers(0, 256, size=(8, 8, 3), dtype=np.uint8), 1) for _ in range(60)]
    out = tmp_path / "timing.gif"
    _encode_gif(out, pictures, fps)
    with Image.open(out) as im:
        assert im.n_frames == 60
        elapsed_ms = 0
        for k in range(60):
            im.seek(k)
            assert im.info["duration"] >= 20  # browsers slow down shorter delays
            elapsed_ms += im.info["duration"]
            assert abs(elapsed_ms / 1000 - (k + 1) / fps) <= 0.005 + 1e-9, f"frame {k}"


def _bgrx(rgb: np.ndarray) -> np.ndarray:
    return np.concatenate([rgb[..., ::-1], np.full((*rgb.shape[:2], 1), 255, np.uint8)], axis=2)


def test_gif_frames_decode_to_exactly_what_was_written(tmp_path: Path) -> None:
    """Few colours survive quantisation exactly: the changed rectangles and the frames of
    unchanged pictures must rebuild every frame, and the comment must not disturb them."""
    rng = np.random.default_rng(1)
    colours = rng.integers(0, 256, size=(6, 3), dtype=np.uint8)
    frame = colours[rng.integers(0, 6, size=(48, 64))]
    written = [frame.copy()]
    for k in range(7):
        frame = frame.copy()
        if k != 3:  # frame 4 repeats frame 3
            y, x = rng.integers(0, 40), rng.integers(0, 56)
            frame[y : y + 8, x : x + 8] = colours[rng.integers(0, 6, size=(8, 8))]
            frame[rng.integers(0, 48), rng.integers(0, 64)] = colours[k % 6]
        written.append(frame)
    out = tmp_path / "exact.gif"
    _encode_gif(out, [*((rgb, 1) for rgb in written), (written[2], 3)], 10, CONFIG)  # one picture as three frames
    with Image.open(out) as im:
        assert json.loads(im.info["comment"]) == CONFIG.to_dict()
    written += [written[2]] * 3
    decoded = _frames(tmp_path / "exact.gif")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["exact.gif", "exact.gif.json"]  # no pass left behind
    assert decoded.shape == (11, 48, 64, 3)
    for k, (got, want) in enumerate(zip(decoded, written, strict=True)):
        assert np.array_equal(got, want), f"frame {k}"


# -- headless record_run ------------------------------------------------------------------------
def test_record_run_mp4_frames_size_sidecar_and_metadata(window: MainWindow, tmp_path: Path) -> None:
    out = tmp_path / "run.mp4"
    seen: list[tuple[int, int]] = []
    result = record_run(
        window,
        CONFIG,
        60,
        out,
        fps=5,
        duration_s=2.0,
        size=RUN_SIZE,
        progress=lambda done, total: seen.append((done, total)),
    )
    # the window is drawn once per frame: its backing store is copied instead of grab()bing it again
    assert result == RecordingResult(out, 10, 5.0, 2.0, RUN_SIZE, capture="backingstore")
    assert seen[-1] == (10, 10) and len(seen) == 10
    frames = _frames(out)
    assert frames.shape == (10, RUN_SIZE[1], RUN_SIZE[0], 3)
    assert window.latest is not None and window.latest.step == 60  # the last frame shows the end
    final = recording.image_array(recording.grab_image(window))[..., 2::-1].astype(int)  # BGRX → RGB
    assert np.abs(frames[-1].astype(int) - final).mean() < 4  # the picture of the end (H.264 loses a little)
    sidecar = json.loads((tmp_path / "run.mp4.json").read_text())
    assert ExperimentConfig.from_dict(sidecar) == CONFIG
    comment = next(line for line in _mp4_metadata(out).splitlines() if line.startswith("comment="))
    assert ExperimentConfig.from_dict(json.loads(comment[len("comment=") :])) == CONFIG
    assert _leftovers(tmp_path) == []


def test_record_run_gif_moves_and_is_not_blank(window: MainWindow, tmp_path: Path) -> None:
    out = tmp_path / "run.gif"
    result = record_run(window, CONFIG, 80, out, fps=4, duration_s=2.0, size=(1280, 720))
    assert result.frames == 8
    assert result.size == (960, 540)  # a GIF is scaled to at most 960 px wide
    frames = _frames(out)
    assert frames.shape == (8, 540, 960, 3)
    changes = [float(np.abs(frames[k].astype(int) - frames[k - 1]).mean()) for k in range(1, 8)]
    assert sum(c > 0 for c in changes) >= 5  # training moves the views
    last = frames[-1]
    assert len(np.unique(last.reshape(-1, 3), axis=0)) > 20  # plots and text, not one colour
    with Image.open(out) as im:
        assert im.n_frames == 8
        assert json.loads(im.info["comment"]) == CONFIG.to_dict()
    assert ExperimentConfig.from_dict(json.loads((tmp_path / "run.gif.json").read_text())) == CONFIG


def test_record_run_overwrite_protection(window: MainWindow, tmp_path: Path) -> None:
    out = tmp_path / "run.mp4"
    out.write_bytes(b"keep me")
    with pytest.raises(ExportError, match="exists"):
        record_run(window, CONFIG, 5, out, fps=2, duration_s=1.0, size=RUN_SIZE)
    assert out.read_bytes() == b"keep me"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run.mp4"]
    # smaller than the window can be: the picture is scaled into the size, bars fill the rest
    result = record_run(window, CONFIG, 5, out, fps=2, duration_s=1.0, size=(640, 480), force=True)
    assert result.frames == 2
    frames = _frames(out)
    assert frames.shape == (2, 480, 640, 3)
    bar = frames[-1][:20].reshape(-1, 3).astype(int)
    assert np.abs(bar - bar[0]).max() <= 6  # a plain bar at the top


def test_record_run_failure_leaves_no_temp_file(
    window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = {"n": 0}
    original = window.apply_updates

    def failing(updates):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] == 3:
            raise RuntimeError("drawing failed")
        original(updates)

    monkeypatch.setattr(window, "apply_updates", failing)
    with pytest.raises(RuntimeError, match="drawing failed"):
        record_run(window, CONFIG, 20, tmp_path / "broken.gif", fps=5, duration_s=1.0, size=RUN_SIZE)
    assert list(tmp_path.iterdir()) == []


def test_record_run_of_a_diverging_run_keeps_the_frozen_end(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    make_application()
    w = MainWindow(EXPLODING, controller=None)
    qtbot.addWidget(w)
    out = tmp_path / "diverged.gif"  # GIF: an unchanged picture decodes to exactly the same pixels
    result = record_run(w, EXPLODING, 300, out, fps=5, duration_s=1.6, size=RUN_SIZE, gif_max_width=None)
    assert result.frames == 8
    assert result.size == RUN_SIZE
    assert w.diverged
    frames = _frames(out)
    assert len(frames) == 8
    assert np.array_equal(frames[-1], frames[-2])  # frozen after the divergence
    assert "diverged" in w.banner.text().lower()
    w.close()


# -- the dialog ------------------------------------------------------------------------------------
class ScriptedDialog(RecordDialog):
    """The dialog with its message boxes and file dialog answered by the test."""

    def __init__(self, *args, answer: bool = True, save_as: tuple[str, str] = ("", ""), **kwargs) -> None:  # type: ignore[no-untyped-def]
        self.answer = answer
        self.save_as = save_as
        self.questions: list[str] = []
        self.warnings: list[str] = []
        super().__init__(*args, **kwargs)

    def _question(self, title: str, text: str) -> bool:
        self.questions.append(text)
        return self.answer

    def _warn(self, title: str, text: str) -> None:
        self.warnings.append(text)

    def _save_file_name(self, start: str, filters: str, selected: str) -> tuple[str, str]:
        self.filters = filters
        return self.save_as


@pytest.fixture
def dialog(qtbot) -> Iterator[ScriptedDialog]:  # type: ignore[no-untyped-def]
    make_application()
    d = ScriptedDialog(window_size=(1600, 900))
    qtbot.addWidget(d)
    yield d
    d.close()


def test_dialog_defaults_and_values(dialog: ScriptedDialog, tmp_path: Path) -> None:
    dialog.path_edit.setText(str(tmp_path / "talk.mp4"))
    assert dialog.values() == (tmp_path / "talk.mp4", 30, 10.0, None)
    assert dialog.size_combo.itemText(0) == "Window size (1600 × 900)"
    dialog.size_combo.setCurrentIndex(2)
    dialog.fps_spin.setValue(24)
    dialog.duration_spin.setValue(4.5)
    assert dialog.values() == (tmp_path / "talk.mp4", 24, 4.5, (1920, 1080))
    assert dialog.format_label.text() == "MP4 video (H.264)"
    dialog.path_edit.setText(str(tmp_path / "talk.gif"))
    assert dialog.format_label.text() == "Animated GIF"
    assert dialog.fps_spin.maximum() == recording.GIF_MAX_FPS


def test_dialog_browse_follows_the_chosen_filter(dialog: ScriptedDialog, tmp_path: Path) -> None:
    dialog.save_as = (str(tmp_path / "clip"), "Animated GIF (*.gif)")
    dialog.browse()
    assert "MP4 video (*.mp4)" in dialog.filters and "Animated GIF (*.gif)" in dialog.filters
    assert dialog.path() == tmp_path / "clip.gif"
    dialog.save_as = ("", "")  # cancelled: nothing changes
    dialog.browse()
    assert dialog.path() == tmp_path / "clip.gif"


def test_dialog_asks_before_overwriting(dialog: ScriptedDialog, tmp_path: Path) -> None:
    target = tmp_path / "talk.mp4"
    dialog.path_edit.setText(str(target))
    assert dialog.ask_force() is False and dialog.questions == []
    target.write_bytes(b"old")
    dialog.answer = False
    assert dialog.ask_force() is None
    dialog.accept()
    assert dialog.result() != QtWidgets.QDialog.DialogCode.Accepted  # still open, nothing chosen
    assert "talk.mp4" in dialog.questions[-1]
    dialog.answer = True
    dialog.accept()
    assert dialog.result() == QtWidgets.QDialog.DialogCode.Accepted
    assert dialog.force is True
    assert target.read_bytes() == b"old"  # the dialog itself writes nothing


def test_dialog_refuses_a_bad_file_name(dialog: ScriptedDialog, tmp_path: Path) -> None:
    dialog.path_edit.setText(str(tmp_path / "talk.avi"))
    dialog.accept()
    assert dialog.result() != QtWidgets.QDialog.DialogCode.Accepted
    assert ".mp4" in dialog.warnings[-1] and "talk.avi" in dialog.warnings[-1]
    dialog.path_edit.setText(str(tmp_path / "missing" / "talk.mp4"))
    dialog.accept()
    assert "does not exist" in dialog.warnings[-1]
