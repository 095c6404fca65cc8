"""Parameter sweeps (model/sweep/): parsing, the grid, one point's measures, result files."""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path

import numpy as np
import pytest

from model.config import ExperimentConfig
from model.sweep import (
    MEASURES,
    Axis,
    ResultFile,
    SerialExecutor,
    SweepError,
    SweepSpec,
    parse_set,
    parse_vary,
    plan,
    point_row,
    run_one,
    run_sweep,
)
from model.theory import predict
from model.trainer import Trainer

SMALL = ExperimentConfig(depth=4, width=8, n_samples=120, activation="tanh", init="lecun_normal")


def test_parse_vary_lists_and_ranges() -> None:
    assert parse_vary("activation=relu,tanh") == Axis("activation", ("relu", "tanh"))
    assert parse_vary("depth=2,5,10").values == (2, 5, 10)
    assert parse_vary("init_scale=0.5:2:4").values == (0.5, 1.0, 1.5, 2.0)
    log = parse_vary("learning_rate=0.001:1:4:log")
    assert log.log and np.allclose(log.values, [0.001, 0.01, 0.1, 1.0])
    assert parse_vary("depth=2:10:5").values == (2, 4, 6, 8, 10)
    assert parse_vary("batch_norm=false,true").values == (False, True)
    assert parse_vary("grad_clip_norm=none,1").values == (None, 1.0)
    assert parse_set("depth=30") == ("depth", 30)
    assert parse_vary("init_scale=1:1:1").values == (1.0,)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("nope=1,2", "unknown config field 'nope'"),
        ("depth", "FIELD=V1,V2"),
        ("depth=", "needs values"),
        ("depth=a,b", "depth needs a number"),
        ("depth=1:2", "START:STOP:N"),
        ("depth=1:2:3:cubic", "START:STOP:N"),
        ("init_scale=0:1:0", "N must be in"),
        ("init_scale=0:1:4:log", "log range needs START and STOP > 0"),
        ("activation=relu:tanh:2", "numeric field"),
        ("depth=1:3:9", "values repeat"),
        ("seed=1,2", "--seeds"),
        ("batch_norm=maybe", "true or false"),
        ("init_scale=nan:1:3", "finite"),
    ],
)
def test_parse_vary_refuses_bad_input_by_name(text: str, message: str) -> None:
    with pytest.raises(SweepError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse_vary(text)


def test_plan_validates_every_value_against_the_config() -> None:
    with pytest.raises(SweepError, match="depth must be in"):
        plan(SMALL, [], ["depth=0,2"])
    with pytest.raises(SweepError, match="activation must be one of"):
        plan(SMALL, [], ["activation=relu,swish"])
    with pytest.raises(SweepError, match=r"--set: .*width"):
        plan(SMALL, ["width=0"], ["depth=2,3"])
    with pytest.raises(SweepError, match="varied twice"):
        plan(SMALL, [], ["depth=2,3", "depth=4,5"])
    with pytest.raises(SweepError, match="1 or 2 fields"):
        plan(SMALL, [], ["depth=2,3", "width=4,5", "init_scale=1,2"])
    with pytest.raises(SweepError, match="1 or 2 fields"):
        plan(SMALL, [], [])
    with pytest.raises(SweepError, match="seeds"):
        plan(SMALL, [], ["depth=2,3"], seeds=0)


def test_grid_order_and_configs() -> None:
    spec = plan(SMALL.replace(seed=5), ["width=12"], ["depth=2,3", "init_scale=0.5,1,2"], seeds=2, steps=3)
    points = spec.points()
    assert spec.shape == (2, 3) and len(points) == 6
    assert [p.values for p in points[:3]] == [(2, 0.5), (2, 1.0), (2, 2.0)]
    cfg = spec.config(points[4], seed=1)
    assert (cfg.depth, cfg.init_scale, cfg.width, cfg.seed) == (3, 1.0, 12, 6)
    assert SweepSpec.from_dict(json.loads(json.dumps(spec.to_dict()))) == spec


def test_run_one_measures_the_engine() -> None:
    cfg = SMALL.replace(depth=5)
    at_init = run_one(cfg, 0)
    trainer = Trainer(cfg)
    d = trainer.inspect().stats["delta_norm"]
    assert at_init["grad_ratio_init"] == pytest.approx(d[0] / d[cfg.depth - 1], rel=1e-10)
    assert at_init["grad_ratio_final"] == at_init["grad_ratio_init"]
    assert at_init["test_accuracy_final"] == trainer.evaluate()["test_accuracy"]
    trained = run_one(cfg, 30)
    for _ in range(30):
        snap = trainer.step()
    assert trained["loss_final"] == pytest.approx(snap.loss, rel=1e-12)
    d = snap.stats["delta_norm"]
    assert trained["grad_ratio_final"] == pytest.approx(d[0] / d[cfg.depth - 1], rel=1e-10)
    assert trained["test_accuracy_final"] == trainer.evaluate()["test_accuracy"]
    assert trained["diverged"] == 0.0
    blown = run_one(
        ExperimentConfig(
            depth=8, width=32, activation="relu", init="normal", init_scale=3.0, learning_rate=1.0, n_samples=200
        ),
        30,
    )
    assert blown["diverged"] == 1.0 and math.isnan(blown["loss_final"])


def test_point_row_takes_medians_over_seeds_and_adds_theory() -> None:
    spec = plan(SMALL, [], ["init_scale=0.8,1.5"], seeds=3)
    point = spec.points()[1]
    runs = [
        {
            "grad_ratio_init": 1.0,
            "grad_ratio_final": 2.0,
            "loss_final": 0.5,
            "test_accuracy_final": 0.9,
            "diverged": 0.0,
        },
        {
            "grad_ratio_init": 3.0,
            "grad_ratio_final": math.nan,
            "loss_final": math.nan,
            "test_accuracy_final": math.nan,
            "diverged": 1.0,
        },
        {
            "grad_ratio_init": 2.0,
            "grad_ratio_final": 4.0,
            "loss_final": 0.7,
            "test_accuracy_final": 0.7,
            "diverged": 0.0,
        },
    ]
    row = point_row(spec, point, runs)
    assert row["init_scale"] == 1.5
    assert row["grad_ratio_init"] == 2.0 and row["grad_ratio_final"] == 3.0 and row["loss_final"] == pytest.approx(0.6)
    assert row["diverged_fraction"] == pytest.approx(1 / 3)
    mf = predict(spec.config(point))
    assert (row["chi1"], row["q_star"], row["depth_scale"]) == (mf.chi1, mf.q_star, mf.depth_scale)
    # no prediction: empty theory columns
    bn = plan(SMALL.replace(batch_norm=True), [], ["init_scale=1,2"])
    row = point_row(bn, bn.points()[0], runs[:1])
    assert row["chi1"] is None and row["q_star"] is None and row["depth_scale"] is None


def test_run_sweep_delivers_every_point_once_and_skips_done_ones() -> None:
    spec = plan(SMALL, [], ["init_scale=0.5,1,2", "bias_std=0,0.2"], seeds=2, steps=2)
    rows: list[dict] = []
    seen: list[tuple[int, int]] = []
    n = run_sweep(spec, SerialExecutor(), rows.append, on_progress=lambda d, t: seen.append((d, t)))
    assert n == 6 and len(rows) == 6 and seen[-1] == (6, 6)
    assert sorted((r["init_scale"], r["bias_std"]) for r in rows) == sorted(p.values for p in spec.points())
    # each row is the median of its seeds' runs
    point = spec.points()[3]
    runs = [run_one(spec.config(point, s), 2) for s in range(2)]
    row = next(r for r in rows if (r["init_scale"], r["bias_std"]) == point.values)
    assert row["grad_ratio_init"] == pytest.approx(float(np.median([r["grad_ratio_init"] for r in runs])))
    more: list[dict] = []
    run_sweep(spec, SerialExecutor(), more.append, skip=[p.values for p in spec.points()[:4]])
    assert sorted((r["init_scale"], r["bias_std"]) for r in more) == [p.values for p in spec.points()[4:]]
    stopped: list[dict] = []
    assert run_sweep(spec, SerialExecutor(), stopped.append, should_stop=lambda: True) == 0


@pytest.mark.parametrize("suffix", [".csv", ".json"])
def test_result_file_streams_rows_and_resumes(tmp_path: Path, suffix: str) -> None:
    spec = plan(SMALL, [], ["init_scale=0.5,1,2"], seeds=1, steps=0)
    path = tmp_path / f"out{suffix}"
    out = ResultFile(path, spec)
    out.start(resume=False)
    rows: list[dict] = []
    run_sweep(spec, SerialExecutor(), rows.append)
    rows[0]["chi1"] = None  # an empty theory cell survives the round trip
    rows[1]["loss_final"] = math.nan
    out.add(rows[0])
    out.add(rows[1])
    # what a killed sweep leaves: two rows on disk
    again = ResultFile(path, spec)
    loaded = again.load()
    assert len(loaded) == 2 and again.done_keys() == {(rows[0]["init_scale"],), (rows[1]["init_scale"],)}
    assert loaded[0]["chi1"] is None and math.isnan(loaded[1]["loss_final"])
    assert loaded[0]["grad_ratio_init"] == rows[0]["grad_ratio_init"]  # exact: repr round trip
    again.start(resume=True)
    again.add(rows[2])
    again.finish()
    final = ResultFile(path, spec).load()
    assert [r["init_scale"] for r in final] == [0.5, 1.0, 2.0]
    if suffix == ".csv":
        with path.open() as f:
            header = next(csv.reader(f))
        assert header == ["init_scale", *MEASURES]
        assert (
            json.loads((tmp_path / "out.csv.json").read_text())["config"]["depth"] == SMALL.depth
        )  # the config sidecar
    # another sweep's file is refused
    other = plan(SMALL, [], ["init_scale=0.5,1,3"])
    with pytest.raises(SweepError, match="different sweep"):
        ResultFile(path, other).load()


def test_result_file_drops_a_row_cut_short(tmp_path: Path) -> None:
    spec = plan(SMALL, [], ["init_scale=0.5,1"])
    path = tmp_path / "out.csv"
    out = ResultFile(path, spec)
    out.start(resume=False)
    rows: list[dict] = []
    run_sweep(spec, SerialExecutor(), rows.append)
    out.add(rows[0])
    with path.open("a") as f:
        f.write("1.0,0.3")  # killed in the middle of a row
    assert len(ResultFile(path, spec).load()) == 1
