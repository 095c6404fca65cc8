"""The command line: headless screenshots and clear errors (exit 2, one line, no traceback)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6 import QtGui

ROOT = Path(__file__).resolve().parents[2]


def run_cli(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    return subprocess.run(
        [sys.executable, "-m", "app", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--bogus"], "unrecognized arguments"),
        (["--steps", "abc", "--screenshot", "x.png"], "--steps"),
        (["--steps", "0", "--screenshot", "x.png"], "at least 1"),
        (["--size", "12by4", "--screenshot", "x.png"], "size"),
        (["--steps", "5"], "--screenshot"),
        (["--lang", "klingon", "--steps", "5", "--screenshot", "x.png"], "klingon"),
        (["--theme", "purple"], "--theme"),
        (["--scale", "9", "--steps", "5", "--screenshot", "x.png"], "between"),
        (["--record", "x.avi", "--steps", "5"], ".mp4 or .gif"),
        (["--record", "x.mp4", "--fps", "500"], "between 1 and 60"),
        (["--record", "x.mp4", "--duration", "0"], "seconds"),
    ],
)
def test_bad_options_exit_2_with_one_line(args: list[str], needle: str) -> None:
    r = run_cli(*args)
    assert r.returncode == 2
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1, r.stderr
    assert needle in lines[0]
    assert "Traceback" not in r.stderr


def test_bad_config_files(tmp_path: Path) -> None:
    cases = {
        "missing.json": None,
        "broken.json": "{not json",
        "unknown.json": json.dumps({"depht": 3}),
        "range.json": json.dumps({"depth": 0}),
        "type.json": json.dumps({"activation": "swish"}),
    }
    needles = {
        "missing.json": "cannot read",
        "broken.json": "not valid JSON",
        "unknown.json": "depht",
        "range.json": "depth",
        "type.json": "activation",
    }
    for name, content in cases.items():
        path = tmp_path / name
        if content is not None:
            path.write_text(content)
        r = run_cli("--config", str(path), "--steps", "2", "--screenshot", str(tmp_path / "o.png"))
        assert r.returncode == 2, (name, r.stderr)
        assert len(r.stderr.strip().splitlines()) == 1, r.stderr
        assert needles[name] in r.stderr, (name, r.stderr)
        assert not (tmp_path / "o.png").exists()


def test_headless_screenshot_is_a_nonblank_png_of_the_requested_size(tmp_path: Path) -> None:
    cfg = tmp_path / "cfg.json"
    cfg.write_text(json.dumps({"depth": 4, "width": 16, "activation": "relu", "init": "he_normal"}))
    out = tmp_path / "shot.png"
    r = run_cli("--config", str(cfg), "--steps", "30", "--screenshot", str(out), "--size", "1280x720")
    assert r.returncode == 0, r.stderr
    image = QtGui.QImage(str(out))
    assert (image.width(), image.height()) == (1280, 720)
    colours = {image.pixel(x, y) for x in range(0, 1280, 37) for y in range(0, 720, 23)}
    assert len(colours) > 20  # plots, text and colour maps, not a blank canvas
    # refuses to overwrite without --force, then overwrites with it
    r2 = run_cli("--steps", "2", "--screenshot", str(out), "--size", "640x480")
    assert r2.returncode == 2 and "--force" in r2.stderr
    assert QtGui.QImage(str(out)).width() == 1280
    r3 = run_cli("--steps", "2", "--screenshot", str(out), "--size", "640x480", "--force")
    assert r3.returncode == 0, r3.stderr
    assert QtGui.QImage(str(out)).width() == 640


def test_list_scenes_and_a_compare_scene_screenshot(tmp_path: Path) -> None:
    r = run_cli("--list-scenes")
    assert r.returncode == 0
    for name in ("vanishing-sigmoid", "relu-rescue", "exploding-init", "pretraining"):
        assert name in r.stdout
    out = tmp_path / "compare.png"
    r = run_cli("--scene", "relu-rescue", "--steps", "40", "--screenshot", str(out), "--size", "1600x900")
    assert r.returncode == 0, r.stderr
    image = QtGui.QImage(str(out))
    assert (image.width(), image.height()) == (1600, 900)
    r = run_cli("--scene", "relu-rescue", "--config", "x.json", "--screenshot", str(tmp_path / "y.png"))
    assert r.returncode == 2 and "either --scene or --config" in r.stderr


def test_single_view_at_4k_and_metrics_carry_the_run(tmp_path: Path) -> None:
    import csv

    from model import ExperimentConfig
    from model.snapshot import LAYER_STAT_NAMES

    cfg = tmp_path / "cfg.json"
    cfg.write_text(json.dumps({"depth": 3, "width": 8, "n_samples": 200}))
    png, table = tmp_path / "grad.png", tmp_path / "run.csv"
    r = run_cli(
        "--config", str(cfg), "--steps", "40", "--view", "gradients",
        "--screenshot", str(png), "--size", "3840x2160", "--metrics", str(table),
    )  # fmt: skip
    assert r.returncode == 0, r.stderr
    image = QtGui.QImage(str(png))
    assert (image.width(), image.height()) == (3840, 2160)
    # the picture carries the config that made it (PNG text chunk and sidecar JSON)
    embedded = ExperimentConfig.from_dict(json.loads(image.text("backprop-lab-config")))
    assert embedded.depth == 3 and embedded.width == 8
    assert ExperimentConfig.from_dict(json.loads((tmp_path / "grad.png.json").read_text())) == embedded
    with table.open() as fh:
        rows = list(csv.reader(fh))
    assert len(rows[0]) == 6 + len(LAYER_STAT_NAMES) * 4
    assert [int(r[0]) for r in rows[1:]] == list(range(1, 41))
    # --view needs --screenshot; a multi-run scene has no single network to show
    assert run_cli("--view", "loss").returncode == 2
    bad = run_cli("--scene", "relu-rescue", "--view", "network", "--screenshot", str(tmp_path / "n.png"))
    assert bad.returncode == 2 and "multi-run" in bad.stderr and len(bad.stderr.strip().splitlines()) == 1


def test_dark_chinese_screenshot(tmp_path: Path) -> None:
    out = tmp_path / "zh.png"
    r = run_cli(
        "--scene",
        "vanishing-sigmoid",
        "--steps",
        "20",
        "--screenshot",
        str(out),
        "--size",
        "1280x720",
        "--theme",
        "dark",
        "--lang",
        "zh_CN",
        "--scale",
        "1.25",
    )
    assert r.returncode == 0, r.stderr
    image = QtGui.QImage(str(out))
    assert (image.width(), image.height()) == (1280, 720)
    # dark theme: most of the window is dark (a corner pixel may fall on a control)
    samples = [QtGui.QColor(image.pixel(x, y)).lightness() for x in range(0, 1280, 16) for y in range(0, 720, 16)]
    assert sorted(samples)[len(samples) // 2] < 80


def test_record_from_the_command_line(tmp_path: Path) -> None:
    import imageio.v3 as iio

    cfg = tmp_path / "explode.json"
    cfg.write_text(json.dumps({"depth": 6, "width": 16, "activation": "relu", "init": "he_normal", "init_scale": 2.0}))
    out = tmp_path / "run.gif"
    args = ("--config", str(cfg), "--steps", "12", "--record", str(out))
    r = run_cli(*args, "--fps", "5", "--duration", "1", "--size", "640x360")
    assert r.returncode == 0, r.stderr
    assert iio.improps(out, index=None).shape[0] == 5
    assert json.loads((tmp_path / "run.gif.json").read_text())["init_scale"] == 2.0
    again = run_cli(*args)
    assert again.returncode == 2 and "exists" in again.stderr
    assert r.stderr == ""  # nothing but the result line


@pytest.mark.parametrize(("value", "needle"), [("fast", "steps per second"), ("0", "between"), ("1e9", "between")])
def test_bad_speed_exits_2_with_one_line(value: str, needle: str) -> None:
    r = run_cli("--speed", value, "--scene", "vanishing-sigmoid")
    assert r.returncode == 2
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "--speed" in lines[0] and needle in lines[0], r.stderr


def test_speed_option_parses_max_and_numbers() -> None:
    from app.__main__ import build_parser

    parser = build_parser()
    assert parser.parse_args(["--speed", "max"]).speed is None
    assert parser.parse_args(["--speed", "12.5"]).speed == 12.5
    assert not hasattr(parser.parse_args([]), "speed")  # the scene's pace unless asked
