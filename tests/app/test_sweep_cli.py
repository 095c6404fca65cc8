"""``backprop-lab sweep``: the command line, a stopped and resumed sweep, and Dask distributed."""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from model.sweep import MEASURES, SerialExecutor, parse_vary, plan, run_sweep

ROOT = Path(__file__).resolve().parents[2]
SMALL = [
    "--set",
    "depth=4",
    "--set",
    "width=8",
    "--set",
    "n_samples=120",
    "--set",
    "activation=tanh",
    "--set",
    "init=lecun_normal",
]


def _sweep(*args: str, cwd: Path, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run(
        [sys.executable, "-m", "app", "sweep", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout
    )


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="") as f:
        return list(csv.DictReader(f))


def test_sweep_writes_one_row_per_point(tmp_path: Path) -> None:
    r = _sweep(
        *SMALL,
        "--vary",
        "init_scale=0.5:2:3",
        "--vary",
        "bias_std=0,0.3",
        "--seeds",
        "2",
        "--steps",
        "5",
        "--out",
        "s.csv",
        "--workers",
        "2",
        cwd=tmp_path,
    )
    assert r.returncode == 0, r.stderr
    rows = _rows(tmp_path / "s.csv")
    assert list(rows[0]) == ["init_scale", "bias_std", *MEASURES]
    assert [(row["init_scale"], row["bias_std"]) for row in rows] == [
        (a, b) for a in ("0.5", "1.25", "2.0") for b in ("0.0", "0.3")
    ]
    assert all(row["chi1"] and float(row["diverged_fraction"]) == 0.0 for row in rows)
    assert "ETA" in r.stderr and "6/6 points" in r.stderr
    sidecar = json.loads((tmp_path / "s.csv.json").read_text())
    assert sidecar["config"]["activation"] == "tanh" and sidecar["sweep"]["seeds"] == 2
    # the same numbers as an in-process sweep (the pool changes nothing)
    spec = plan(
        __import__("model").ExperimentConfig(depth=4, width=8, n_samples=120, activation="tanh", init="lecun_normal"),
        [],
        ["init_scale=0.5:2:3", "bias_std=0,0.3"],
        seeds=2,
        steps=5,
    )
    local: list[dict] = []
    run_sweep(spec, SerialExecutor(), local.append)
    by_key = {(repr(x["init_scale"]), repr(x["bias_std"])): x for x in local}
    for row in rows:
        assert float(row["grad_ratio_final"]) == by_key[(row["init_scale"], row["bias_std"])]["grad_ratio_final"]


def test_steps_zero_json_and_no_prediction(tmp_path: Path) -> None:
    r = _sweep(
        *SMALL,
        "--set",
        "batch_norm=true",
        "--vary",
        "depth=2,3",
        "--steps",
        "0",
        "--out",
        "s.json",
        "--workers",
        "1",
        cwd=tmp_path,
    )
    assert r.returncode == 0, r.stderr
    data = json.loads((tmp_path / "s.json").read_text())
    assert [row["depth"] for row in data["rows"]] == [2, 3]
    assert all(row["chi1"] is None for row in data["rows"])  # batch norm: no mean-field prediction
    assert all(row["grad_ratio_init"] == row["grad_ratio_final"] for row in data["rows"])


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--vary", "nope=1,2", "--out", "x.csv"], "unknown config field 'nope'"),
        (["--vary", "depth=0,2", "--out", "x.csv"], "depth must be in [1, 64]"),
        (["--vary", "depth=2:3", "--out", "x.csv"], "START:STOP:N"),
        (["--out", "x.csv"], "at least one --vary"),
        (["--vary", "depth=2,3", "--out", "x.txt"], ".csv or .json"),
        (["--vary", "depth=2,3", "--out", "nodir/x.csv"], "does not exist"),
        (["--vary", "depth=2,3", "--out", "x.csv", "--set", "width=abc"], "width needs a number"),
        (["--vary", "depth=2,3", "--out", "x.csv", "--scene", "no-such-scene"], "unknown scene"),
        (["--vary", "depth=2,3", "--out", "x.csv", "--seeds", "0"], "--seeds"),
        (["--vary", "depth=2,3", "--out", "x.csv", "--plot", "x.jpg"], "--plot must name a .png"),
        (["--vary", "depth=2,3", "--out", "x.csv", "--measure", "speed"], "--measure must be one of"),
        (["--vary", "depth=2,3", "--out", "x.csv", "--scheduler", "tcp://127.0.0.1:9", "--workers", "2"], "--workers"),
    ],
)
def test_bad_input_exits_2_with_one_line(tmp_path: Path, args: list[str], message: str) -> None:
    r = _sweep(*args, cwd=tmp_path)
    assert r.returncode == 2
    assert r.stderr.count("\n") == 1 and message in r.stderr and "Traceback" not in r.stderr
    assert not (tmp_path / "x.csv").exists()


def test_existing_output_needs_force(tmp_path: Path) -> None:
    (tmp_path / "s.csv").write_text("mine\n")
    r = _sweep(*SMALL, "--vary", "depth=2,3", "--out", "s.csv", cwd=tmp_path)
    assert r.returncode == 2 and "--force" in r.stderr
    assert (tmp_path / "s.csv").read_text() == "mine\n"
    r = _sweep(*SMALL, "--vary", "depth=2,3", "--out", "s.csv", "--force", "--workers", "1", cwd=tmp_path)
    assert r.returncode == 0 and len(_rows(tmp_path / "s.csv")) == 2


def test_ctrl_c_keeps_finished_points_and_resume_runs_the_rest(tmp_path: Path) -> None:
    """SIGINT mid-sweep: exit 130, the finished rows stay; --resume adds only the missing ones.
    A SIGKILL leaves a file that resumes too."""
    args = [
        *SMALL,
        "--set",
        "depth=6",
        "--vary",
        "init_scale=0.3:3:12",
        "--steps",
        "600",
        "--out",
        "s.csv",
        "--workers",
        "1",
    ]
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.Popen(
        [sys.executable, "-m", "app", "sweep", *args],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    out = tmp_path / "s.csv"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not (out.exists() and len(_rows(out)) >= 2):
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    kept = _rows(out)
    assert 2 <= len(kept) < 12 and "--resume" in err and "Traceback" not in err
    r = _sweep(*args, "--resume", cwd=tmp_path, timeout=300)
    assert r.returncode == 0, r.stderr
    rows = _rows(out)
    assert [row["init_scale"] for row in rows] == [repr(v) for v in parse_vary("init_scale=0.3:3:12").values]
    assert all(row in rows for row in kept)  # the kept points were not run again
    assert f"({len(kept)} kept from before)" in r.stdout
    # a resume of a finished sweep runs nothing; another sweep's file is refused
    r = _sweep(*args, "--resume", cwd=tmp_path)
    assert r.returncode == 0 and "(12 kept from before)" in r.stdout
    r = _sweep(*[a.replace("12", "13") for a in args], "--resume", cwd=tmp_path)
    assert r.returncode == 2 and "different sweep" in r.stderr
    # SIGKILL: no chance to clean up, the appended rows are still there
    proc = subprocess.Popen(
        [sys.executable, "-m", "app", "sweep", *args, "--force"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not (
        out.exists() and len(_rows(out)) >= 1 and (tmp_path / "s.csv.json").exists()
    ):
        time.sleep(0.05)
    proc.kill()
    proc.communicate(timeout=30)
    survived = _rows(out)
    assert len(survived) >= 1
    r = _sweep(*args, "--resume", cwd=tmp_path, timeout=300)
    assert r.returncode == 0, r.stderr
    assert len(_rows(out)) == 12 and f"({len(survived)} kept from before)" in r.stdout


def test_a_sweep_on_a_dask_local_cluster(tmp_path: Path) -> None:
    """The Dask path: the same sweep through Client(...).get_executor(), in-process and from the
    command line's --scheduler, gives the numbers of a serial run."""
    distributed = pytest.importorskip("distributed")
    from model import ExperimentConfig

    spec = plan(
        ExperimentConfig(depth=4, width=8, n_samples=120, activation="tanh", init="lecun_normal"),
        [],
        ["init_scale=0.5,1,2", "bias_std=0,0.3"],
        seeds=2,
        steps=3,
    )
    expected: list[dict] = []
    run_sweep(spec, SerialExecutor(), expected.append)
    key = lambda r: (r["init_scale"], r["bias_std"])  # noqa: E731
    with (
        distributed.LocalCluster(
            n_workers=1, threads_per_worker=2, processes=False, protocol="tcp", dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        rows: list[dict] = []
        executor = client.get_executor()
        assert run_sweep(spec, executor, rows.append) == 6
        assert sorted(rows, key=key) == sorted(expected, key=key)
        r = _sweep(
            *SMALL,
            "--vary",
            "init_scale=0.5,1,2",
            "--vary",
            "bias_std=0,0.3",
            "--seeds",
            "2",
            "--steps",
            "3",
            "--out",
            "d.csv",
            "--scheduler",
            cluster.scheduler_address,
            cwd=tmp_path,
        )
        assert r.returncode == 0, r.stderr
    rows_cli = _rows(tmp_path / "d.csv")
    assert len(rows_cli) == 6
    by_key = {(repr(x["init_scale"]), repr(x["bias_std"])): x for x in expected}
    for row in rows_cli:
        assert float(row["grad_ratio_final"]) == by_key[(row["init_scale"], row["bias_std"])]["grad_ratio_final"]


def test_unreachable_scheduler_is_one_line(tmp_path: Path) -> None:
    pytest.importorskip("distributed")
    r = _sweep(
        *SMALL, "--vary", "depth=2,3", "--out", "x.csv", "--scheduler", "tcp://127.0.0.1:9", cwd=tmp_path, timeout=120
    )
    assert r.returncode == 2 and "cannot reach the scheduler" in r.stderr and r.stderr.count("\n") == 1
    assert not (tmp_path / "x.csv").exists()


def test_a_sweep_scene_from_the_command_line_with_a_plot(tmp_path: Path) -> None:
    from PySide6 import QtGui

    r = _sweep(
        "--scene",
        "edge-of-chaos",
        "--vary",
        "init_scale=0.5,2.5",
        "--vary",
        "bias_std=0,0.5",
        "--seeds",
        "1",
        "--out",
        "e.csv",
        "--plot",
        "e.png",
        "--workers",
        "2",
        cwd=tmp_path,
    )
    assert r.returncode == 0, r.stderr
    rows = _rows(tmp_path / "e.csv")
    ratio = {(row["init_scale"], row["bias_std"]): float(row["grad_ratio_init"]) for row in rows}
    assert ratio[("0.5", "0.0")] < 1e-6 and ratio[("2.5", "0.0")] > 1e2  # ordered and chaotic phases
    image = QtGui.QImage(str(tmp_path / "e.png"))
    assert image.width() >= 800
    record = json.loads((tmp_path / "e.png.json").read_text())
    assert record["config"]["depth"] == 30 and record["measure"] == "grad_ratio_init"
    # the main command points a phase-diagram scene to the sweep command
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    listing = subprocess.run(
        [sys.executable, "-m", "app", "--list-scenes"], env=env, capture_output=True, text=True, timeout=60
    )
    assert "edge-of-chaos" in listing.stdout and "phase diagram 21×11" in listing.stdout
    shot = subprocess.run(
        [sys.executable, "-m", "app", "--scene", "edge-of-chaos", "--screenshot", "x.png"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert shot.returncode == 2 and "sweep --scene edge-of-chaos" in shot.stderr
