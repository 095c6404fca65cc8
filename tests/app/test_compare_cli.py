"""The command line on multi-run scenes: --view, --metrics and --record hold every run, and a
successful headless run prints its result line only (read back from the files)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
from PySide6 import QtGui

from app.export import CONFIG_KEY
from model.scenes import load_scene
from tests.app.test_cli import run_cli


def _labels(scene: str) -> list[str]:
    return [run.label for run in load_scene(scene).runs]


def _distinct_colours(image: QtGui.QImage, colours: list[str]) -> int:
    """How many of ``colours`` (run colours) appear somewhere in ``image``."""
    ptr = image.convertToFormat(QtGui.QImage.Format.Format_RGB32)
    arr = np.frombuffer(ptr.constBits(), np.uint8).reshape(ptr.height(), ptr.bytesPerLine() // 4, 4)[..., :3]
    found = 0
    for colour in colours:
        c = QtGui.QColor(colour)
        bgr = np.array([c.blue(), c.green(), c.red()])
        if np.any(np.all(np.abs(arr.astype(int) - bgr) <= 8, axis=-1)):
            found += 1
    return found


def test_gradients_view_overlays_every_run_and_csv_has_a_run_column(tmp_path: Path) -> None:
    from views import theme

    png, table = tmp_path / "grad.png", tmp_path / "runs.csv"
    r = run_cli(
        "--scene", "noisy-relu", "--steps", "30", "--view", "gradients",
        "--screenshot", str(png), "--size", "1280x720", "--metrics", str(table),
    )  # fmt: skip
    assert r.returncode == 0, r.stderr
    assert r.stderr == ""
    assert len(r.stdout.strip().splitlines()) == 1 and "3 runs" in r.stdout
    image = QtGui.QImage(str(png))
    assert (image.width(), image.height()) == (1280, 720)
    # the overlay draws every run in its own colour
    assert _distinct_colours(image, list(theme.current().series[:3])) == 3
    record = json.loads(image.text(CONFIG_KEY))
    assert [run["label"] for run in record["runs"]] == _labels("noisy-relu")
    with table.open() as fh:
        rows = list(csv.DictReader(fh))
    assert sorted({row["run"] for row in rows}) == ["0", "1", "2"]
    for index, label in enumerate(_labels("noisy-relu")):
        mine = [row for row in rows if row["run"] == str(index)]
        assert [int(row["step"]) for row in mine] == list(range(1, 31))
        assert {row["label"] for row in mine} == {label}
        assert all(float(row["loss"]) > 0 for row in mine)
    # the runs really differ (sigmoid vs ReLU): not one run's numbers three times
    first = [float(row["loss"]) for row in rows if row["run"] == "0"]
    second = [float(row["loss"]) for row in rows if row["run"] == "1"]
    assert first != second
    sidecar = json.loads((tmp_path / "runs.csv.json").read_text())
    assert len(sidecar["runs"]) == 3


def test_loss_view_is_one_panel_per_run_and_json_metrics_list_the_runs(tmp_path: Path) -> None:
    png, doc = tmp_path / "loss.png", tmp_path / "runs.json"
    r = run_cli(
        "--scene", "relu-rescue", "--steps", "25", "--view", "loss",
        "--screenshot", str(png), "--size", "1600x600", "--metrics", str(doc),
    )  # fmt: skip
    assert r.returncode == 0 and r.stderr == "", r.stderr
    image = QtGui.QImage(str(png))
    assert (image.width(), image.height()) == (1600, 600)
    data = json.loads(doc.read_text())
    assert [run["label"] for run in data["runs"]] == _labels("relu-rescue")
    assert [run["run"] for run in data["runs"]] == [0, 1]
    for run in data["runs"]:
        assert run["steps"] == list(range(1, 26))
        assert len(run["scalars"]["loss"]) == 25
    assert data["runs"][0]["config"]["activation"] == "sigmoid"
    assert data["runs"][1]["config"]["activation"] == "relu"
    # the left half (first run) and the right half (second run) are different pictures
    left = image.copy(0, 0, 800, 600)
    right = image.copy(800, 0, 800, 600)
    assert left != right


def test_record_a_comparison(tmp_path: Path) -> None:
    import imageio.v3 as iio

    out = tmp_path / "cmp.gif"
    args = ("--scene", "relu-rescue", "--steps", "20", "--record", str(out))
    r = run_cli(*args, "--fps", "5", "--duration", "1", "--size", "960x540")
    assert r.returncode == 0, r.stderr
    assert r.stderr == ""
    frames = iio.imread(out, index=None)
    assert frames.shape[0] == 5
    assert frames.shape[1:3] == (540, 960)
    sidecar = json.loads((tmp_path / "cmp.gif.json").read_text())
    assert [run["label"] for run in sidecar["runs"]] == _labels("relu-rescue")
    assert sidecar["runs"][0]["config"]["activation"] == "sigmoid"
    # the frames change as the runs train
    assert not np.array_equal(frames[0], frames[-1])
    again = run_cli(*args)
    assert again.returncode == 2 and "exists" in again.stderr and len(again.stderr.strip().splitlines()) == 1
    forced = run_cli(*args, "--fps", "5", "--duration", "1", "--size", "640x360", "--force")
    assert forced.returncode == 0, forced.stderr
    assert not list(tmp_path.glob(".*part*"))  # nothing half-written left behind


def test_headless_runs_print_nothing_on_stderr(tmp_path: Path) -> None:
    """Qt's "This plugin does not support propagateSizeHints()" used to follow every show()."""
    single = run_cli("--steps", "5", "--screenshot", str(tmp_path / "one.png"), "--size", "800x450")
    assert single.returncode == 0 and single.stderr == "", single.stderr
    assert single.stdout.startswith("wrote ") and len(single.stdout.strip().splitlines()) == 1
    multi = run_cli("--scene", "relu-rescue", "--steps", "5", "--screenshot", str(tmp_path / "two.png"))
    assert multi.returncode == 0 and multi.stderr == "", multi.stderr


def test_the_filter_drops_only_that_message(capfd) -> None:  # type: ignore[no-untyped-def]
    from PySide6 import QtCore

    from app import qt_messages

    seen: list[str] = []
    previous = QtCore.qInstallMessageHandler(lambda mode, ctx, msg: seen.append(msg))
    try:
        qt_messages._installed = False
        qt_messages.silence_platform_noise()
        QtCore.qWarning("This plugin does not support propagateSizeHints()")
        QtCore.qWarning("something that matters")
    finally:
        QtCore.qInstallMessageHandler(previous)
        qt_messages._installed = False
        qt_messages._previous = None
    assert seen == ["something that matters"]
