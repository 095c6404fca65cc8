"""Property tests: any JSON value given as a config or a scene is valid or refused with a
ConfigError naming the field; the command line never shows a traceback, whatever its flags'
values (exit 0, or 2 with one line)."""

from __future__ import annotations

import contextlib
import io
import json
import math
import os
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import app.__main__ as cli
from app.config_io import load_runs_file
from model import ConfigError, ExperimentConfig
from model.config import FIELD_NAMES
from model.scenes import list_scenes, parse_scene, scenes_dir

FUZZ = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])

SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**20), max_value=10**20)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=12)
)
JSON = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=16,
)
#: keys a config might have: real field names (most of the time) and others
KEYS = st.sampled_from(FIELD_NAMES) | st.text(min_size=1, max_size=10)

WORK = Path(tempfile.mkdtemp(prefix="bplab-fuzz-"))


def _write(text: str) -> Path:
    path = WORK / "fuzz.json"
    path.write_text(text, encoding="utf-8")
    return path


def _dump(value: Any) -> str:
    # NaN/Infinity tokens are not JSON, but Python reads them: a user's file may hold them
    return json.dumps(value, allow_nan=True)


@FUZZ
@given(value=JSON)
@example(value={"runs": []})
@example(value={"runs": [{"config": {"depth": "3"}}]})
@example(value={"config": {"width": None}})
@example(value=[{"depth": 3}])
def test_any_json_value_is_a_config_or_a_config_error(value: Any) -> None:
    try:
        runs = load_runs_file(_write(_dump(value)))
    except ConfigError as exc:
        message = str(exc)
        assert message and "\n" not in message and len(message) < 2000
        return
    assert 1 <= len(runs) <= 4
    for _, config in runs:
        assert isinstance(config, ExperimentConfig)


@FUZZ
@given(changes=st.dictionaries(KEYS, JSON, min_size=1, max_size=3))
@example(changes={"depth": 3.0})
@example(changes={"learning_rate": float("nan")})
@example(changes={"seed": 10**19})
@example(changes={"dataset": "sine", "loss": "cross_entropy"})
def test_a_bad_field_is_named(changes: dict[str, Any]) -> None:
    data = {**ExperimentConfig().to_dict(), **changes}
    try:
        config = load_runs_file(_write(_dump(data)))[0][1]
    except ConfigError as exc:
        message = str(exc)
        # the message names one of the fields that were changed (a combination such as a
        # regression dataset with a classification loss names both)
        assert any(key in message or repr(key) in message for key in changes), (changes, message)
        return
    for key, value in changes.items():
        got = getattr(config, key)
        assert got == value or (isinstance(value, float) and math.isnan(value) and math.isnan(got)), key


def _scene() -> dict[str, Any]:
    return json.loads((scenes_dir() / f"{list_scenes()[0]}.json").read_text())


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix] if prefix else []
    if isinstance(node, dict):
        for k, v in node.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out += _paths(v, (*prefix, i))
    return out


SCENE_PATHS = _paths(_scene())


@FUZZ
@given(value=JSON)
def test_any_json_value_is_a_scene_or_a_config_error(value: Any) -> None:
    try:
        scene = parse_scene("fuzz", value)
    except ConfigError as exc:
        assert str(exc).startswith("scene fuzz")
        return
    assert 1 <= len(scene.runs) <= 4


@FUZZ
@given(where=st.sampled_from(SCENE_PATHS), value=JSON)
def test_a_bad_scene_field_is_named(where: tuple[Any, ...], value: Any) -> None:
    data = _scene()
    node = data
    for key in where[:-1]:
        node = node[key]
    node[where[-1]] = value
    try:
        parse_scene("fuzz", data)
    except ConfigError as exc:
        message = str(exc)
        names = [str(k) for k in where if isinstance(k, str)]
        # the innermost key (a config field, "label", "steps"...), or the run that is wrong
        assert names[-1] in message or (names[-1] == "runs" and "run " in message), (where, message)


# -- the command line ------------------------------------------------------------------------------
def _files() -> dict[str, str]:
    good = WORK / "good.json"
    good.write_text(json.dumps(ExperimentConfig(depth=2, width=4).to_dict()))
    bad = WORK / "bad.json"
    bad.write_text('{"depth": "many"}')
    binary = WORK / "binary.png"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    big = WORK / "big.json"
    with open(big, "wb") as fh:
        fh.truncate(1 << 30)
    fifo = WORK / "pipe.json"
    if not fifo.exists():
        os.mkfifo(fifo)
    (WORK / "folder").mkdir(exist_ok=True)
    return {
        "good": str(good),
        "bad": str(bad),
        "binary": str(binary),
        "big": str(big),
        "fifo": str(fifo),
        "folder": str(WORK / "folder"),
        "missing": str(WORK / "no" / "such.json"),
        "dev": "/dev/null",
        "out-png": str(WORK / "out.png"),
        "out-csv": str(WORK / "out.csv"),
        "out-gif": str(WORK / "out.gif"),
        "out-txt": str(WORK / "out.txt"),
    }


FILES = _files()
#: text a user might type: no NUL (argv cannot hold one); lone surrogates only in the range
#: Python uses for undecodable bytes of a real argv
TYPED = st.text(
    alphabet=st.characters(blacklist_characters="\0", blacklist_categories=("Cs",))
    | st.characters(min_codepoint=0xDC80, max_codepoint=0xDCFF),
    max_size=12,
)
NUMBERISH = st.sampled_from(["0", "-1", "1", "2", "1.5", "nan", "inf", "-inf", "1e309", "10" * 20, "0x10", "", " 3"])
VALUES = {
    "--config": st.sampled_from(list(FILES.values())) | TYPED,
    "--scene": st.sampled_from([*list_scenes()[:3], "nope", ""]) | TYPED,
    "--steps": NUMBERISH | TYPED,
    "--screenshot": st.sampled_from([FILES["out-png"], FILES["out-txt"], FILES["folder"], FILES["missing"]]),
    "--size": st.sampled_from(["1920x1080", "64x64", "63x64", "8193x100", "x", "1920X1080", "axb", "1x2x3"]) | TYPED,
    "--view": st.sampled_from(["gradients", "loss", "nope", ""]) | TYPED,
    "--metrics": st.sampled_from([FILES["out-csv"], FILES["out-txt"], FILES["folder"], FILES["missing"]]),
    "--record": st.sampled_from([FILES["out-gif"], FILES["out-png"], FILES["folder"], FILES["missing"]]),
    "--fps": NUMBERISH | TYPED,
    "--duration": NUMBERISH | TYPED,
    "--theme": st.sampled_from(["light", "dark", "purple", ""]) | TYPED,
    "--lang": st.sampled_from(["en", "zh_CN", "zh", "klingon", ""]) | TYPED,
    "--scale": NUMBERISH | TYPED,
    "--speed": st.sampled_from(["max", "20", "0", "-5", "1e9", "nan"]) | TYPED,
}
SWITCHES = ["--force", "--list-scenes", "--help", "--version", "--bogus", "-x"]


@st.composite
def argvs(draw: st.DrawFn) -> list[str]:
    argv: list[str] = []
    for _ in range(draw(st.integers(0, 6))):
        if draw(st.integers(0, 5)) == 0:
            argv.append(draw(st.sampled_from(SWITCHES) | TYPED))
            continue
        flag = draw(st.sampled_from(sorted(VALUES)))
        if draw(st.integers(0, 9)) == 0:
            argv.append(flag)  # a flag without its value
        elif draw(st.booleans()):
            argv += [flag, draw(VALUES[flag])]
        else:
            argv.append(f"{flag}={draw(VALUES[flag])}")
    return argv


@pytest.fixture
def no_window(monkeypatch: pytest.MonkeyPatch) -> Any:
    """Run the CLI's checks for real but stop before a window opens or training starts."""
    calls: list[str] = []
    monkeypatch.setattr(cli, "_headless", lambda *a, **k: calls.append("headless") or 0)
    monkeypatch.setattr(cli, "_interactive", lambda *a, **k: calls.append("interactive") or 0)
    return calls


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(argv=argvs())
@example(argv=["--config", FILES["big"], "--screenshot", FILES["out-png"]])
@example(argv=["--config", FILES["fifo"]])
@example(argv=["--config", FILES["dev"]])
@example(argv=["--screenshot", FILES["folder"]])
@example(argv=["--lang", "\udcff"])
@example(argv=["--size", "١٩٢٠x١٠٨٠"])  # Arabic-Indic digits: int() accepts them
@example(argv=["--steps", "3\n4"])
def test_the_cli_never_shows_a_traceback(no_window: list[str], argv: list[str]) -> None:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = cli.main(argv)
        except SystemExit as exc:
            code = exc.code
    text = err.getvalue()
    assert "Traceback" not in text
    assert code in (0, 2), (argv, code, text)
    if code == 2:
        lines = text.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("backprop-lab: error:"), (argv, text)


@st.composite
def headless_argvs(draw: st.DrawFn) -> list[str]:
    """Command lines that really train and write (few steps), with random presentation flags."""
    argv = ["--steps", str(draw(st.integers(1, 3))), "--force"]
    argv += draw(st.sampled_from([["--config", FILES["good"]], ["--scene", "relu-sparsity"], []]))
    out = draw(st.sampled_from(["screenshot", "metrics-csv", "metrics-json", "record"]))
    if out == "screenshot":
        argv += ["--screenshot", FILES["out-png"]]
        if draw(st.booleans()):
            argv += ["--view", draw(st.sampled_from(["gradients", "network", "output", "nope"]))]
    elif out == "record":
        argv += ["--record", FILES["out-gif"], "--fps", draw(st.sampled_from(["1", "2", "0", "x"])), "--duration", "1"]
    else:
        argv += ["--metrics", FILES["out-csv"] if out == "metrics-csv" else str(WORK / "out.json")]
    for flag in ("--theme", "--lang", "--scale", "--size"):
        if draw(st.booleans()):
            argv += [flag, draw(VALUES[flag])]
    return argv


@pytest.mark.timeout(600)
@settings(max_examples=4, deadline=None, suppress_health_check=list(HealthCheck))
@given(argv=headless_argvs())
def test_the_cli_runs_headless_without_a_traceback(argv: list[str]) -> None:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = cli.main(argv)
        except SystemExit as exc:
            code = exc.code
    text = err.getvalue()
    assert "Traceback" not in text
    assert code in (0, 2), (argv, code, text)
    if code == 2:
        assert len(text.strip().splitlines()) == 1, (argv, text)
    else:
        assert out.getvalue().startswith("wrote "), (argv, out.getvalue())
