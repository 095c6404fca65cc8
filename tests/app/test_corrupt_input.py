"""Corrupt input is refused clearly and quickly (reading at most what is needed), never with a
traceback: QSettings values, scene files with wrong types, config PNGs with huge or binary
text chunks, deeply nested JSON, a 1 GB file given as ``--config``."""

from __future__ import annotations

import io
import json
import os
import struct
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6 import QtCore

from app import config_io
from app.__main__ import main
from app.config_io import load_config_file, load_runs_file
from app.export import CONFIG_KEY, render_png
from app.main_window import MainWindow, make_application
from app.prefs import Prefs
from model import ConfigError, ExperimentConfig
from model.scenes import list_scenes, load_scene, parse_scene, scenes_dir
from views.theme import SCALE_MAX, SCALE_MIN

CONFIG = ExperimentConfig(depth=3, width=8, n_samples=200)
GIB = 1 << 30


# -- helpers ---------------------------------------------------------------------------------------
class _Counting(io.RawIOBase):
    """A file that counts the bytes read through it."""

    def __init__(self, fh: Any, counter: list[int]) -> None:
        self.fh = fh
        self.counter = counter

    def read(self, n: int = -1) -> bytes:
        data = self.fh.read(n)
        self.counter[0] += len(data)
        return data

    def seek(self, offset: int, whence: int = 0) -> int:
        return self.fh.seek(offset, whence)

    def __enter__(self) -> _Counting:
        return self

    def __exit__(self, *exc: object) -> None:
        self.fh.close()


@pytest.fixture
def bytes_read(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many bytes ``app.config_io`` read from files during the test."""
    counter = [0]
    monkeypatch.setattr(config_io, "open", lambda *a, **k: _Counting(open(*a, **k), counter), raising=False)
    return counter


def _chunk(ctype: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + ctype + body + struct.pack(">I", zlib.crc32(ctype + body))


def _png(*chunks: bytes) -> bytes:
    ihdr = _chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
    idat = _chunk(b"IDAT", zlib.compress(b"\0\0\0\0"))
    return b"\x89PNG\r\n\x1a\n" + ihdr + b"".join(chunks) + idat + _chunk(b"IEND", b"")


def _text_chunk(text: bytes) -> bytes:
    return _chunk(b"tEXt", CONFIG_KEY.encode() + b"\0" + text)


def _nested(depth: int) -> str:
    return "[" * depth + "]" * depth


def _cli(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str]]:
    capsys.readouterr()
    try:
        code = main(argv)
    except SystemExit as exc:
        code = int(exc.code or 0)
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return code, err.strip().splitlines()


# -- config files -------------------------------------------------------------------------------------
def test_a_1gb_config_is_refused_from_its_size_without_reading(
    tmp_path: Path, bytes_read: list[int], capsys: pytest.CaptureFixture[str]
) -> None:
    big = tmp_path / "huge.json"
    with open(big, "wb") as fh:
        fh.truncate(GIB)  # sparse: takes no disk space
    with pytest.raises(ConfigError, match=r"1,073,741,824 bytes"):
        load_config_file(big)
    assert bytes_read[0] == 0
    code, err = _cli(["--config", str(big), "--steps", "1", "--metrics", str(tmp_path / "m.csv")], capsys)
    assert code == 2 and len(err) == 1 and "bytes" in err[0]
    assert not (tmp_path / "m.csv").exists()


def test_devices_and_pipes_are_not_read(tmp_path: Path, bytes_read: list[int]) -> None:
    with pytest.raises(ConfigError, match="not a regular file"):
        load_config_file("/dev/zero")
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    with pytest.raises(ConfigError, match="not a regular file"):
        load_config_file(fifo)  # opening a FIFO for reading would block forever
    assert bytes_read[0] == 0


def test_json_nested_10000_levels_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for name, text in {
        "list.json": _nested(10_000),
        "object.json": '{"a":' * 10_000 + "1" + "}" * 10_000,
        "field.json": '{"depth": ' + _nested(10_000) + "}",
        "shallow-field.json": '{"depth": ' + _nested(900) + "}",  # parses, then is refused by type
    }.items():
        path = tmp_path / name
        path.write_text(text)
        with pytest.raises(ConfigError) as info:
            load_runs_file(path)
        message = str(info.value)
        assert len(message) < 400 and "\n" not in message, message
        assert "nested too deeply" in message or "depth must be" in message, message
        code, err = _cli(["--config", str(path), "--list-scenes"], capsys)  # --list-scenes ignores --config
        code, err = _cli(["--config", str(path), "--steps", "1", "--metrics", str(tmp_path / "m.csv")], capsys)
        assert code == 2 and len(err) == 1, err


def test_config_values_of_absurd_size_give_short_messages(tmp_path: Path) -> None:
    cases = {
        '{"activation": "' + "x" * 500_000 + '"}': "activation",
        '{"' + "k" * 100_000 + '": 1}': "unknown config field",
        '{"depth": ' + "9" * 5000 + "}": "config",  # past Python's int-conversion limit
        '{"learning_rate": 1e999}': "learning_rate",
        '{"runs": [' + ",".join(['{"config": {}}'] * 5) + "]}": "at most 4",
        '{"runs": [{"label": [1], "config": {}}]}': "label",
    }
    for text, needle in cases.items():
        path = tmp_path / "c.json"
        path.write_text(text)
        with pytest.raises(ConfigError) as info:
            load_runs_file(path)
        assert needle in str(info.value) and len(str(info.value)) < 400 + len(str(path)), str(info.value)[:500]


def test_not_utf8_and_not_json(tmp_path: Path) -> None:
    path = tmp_path / "c.json"
    path.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(ConfigError, match="not UTF-8"):
        load_config_file(path)
    path.write_bytes(b"\x00" * 100)
    with pytest.raises(ConfigError, match="not valid JSON"):
        load_config_file(path)


# -- config PNGs ------------------------------------------------------------------------------------
def test_real_exports_still_round_trip(qtbot: Any, tmp_path: Path) -> None:
    make_application()
    w = MainWindow(CONFIG, controller=None)
    qtbot.addWidget(w)
    render_png(w.views["loss"], tmp_path / "a.png", config=CONFIG)
    (tmp_path / "a.png.json").unlink()  # the chunk alone carries it
    assert load_config_file(tmp_path / "a.png") == CONFIG


@pytest.mark.parametrize("ctype", [b"tEXt", b"zTXt", b"iTXt"])
def test_every_png_text_chunk_kind_is_read(tmp_path: Path, ctype: bytes) -> None:
    text = json.dumps(CONFIG.to_dict()).encode()
    key = CONFIG_KEY.encode() + b"\0"
    body = {
        b"tEXt": key + text,
        b"zTXt": key + b"\0" + zlib.compress(text),
        b"iTXt": key + b"\1\0" + b"en\0\0" + zlib.compress(text),
    }[ctype]
    path = tmp_path / "c.png"
    path.write_bytes(_png(_chunk(b"tEXt", b"Software\0other"), _chunk(ctype, body)))
    assert load_config_file(path) == CONFIG


def test_png_with_a_huge_text_chunk_is_refused_without_reading_it(tmp_path: Path, bytes_read: list[int]) -> None:
    path = tmp_path / "huge.png"
    head = _png()[:33]  # signature + IHDR
    with open(path, "wb") as fh:
        fh.write(head + struct.pack(">I", GIB) + b"tEXt" + CONFIG_KEY.encode() + b"\0{")
        fh.truncate(len(head) + 8 + GIB + 4)  # sparse
    with pytest.raises(ConfigError, match=r"1,073,741,824 bytes"):
        load_config_file(path)
    assert bytes_read[0] < 200


def test_png_config_after_a_1gb_image_chunk_is_found_by_seeking(tmp_path: Path, bytes_read: list[int]) -> None:
    path = tmp_path / "big.png"
    head = _png()[:33]
    tail = _text_chunk(json.dumps(CONFIG.to_dict()).encode()) + _chunk(b"IEND", b"")
    with open(path, "wb") as fh:
        fh.write(head + struct.pack(">I", GIB) + b"IDAT")
        fh.seek(GIB + 4, os.SEEK_CUR)  # a sparse 1 GiB image chunk and its CRC
        fh.write(tail)
    assert load_config_file(path) == CONFIG
    assert bytes_read[0] < 1000


def test_png_with_binary_or_bomb_text_is_refused(tmp_path: Path) -> None:
    rng = __import__("random").Random(0)
    binary = bytes(rng.randrange(256) for _ in range(5000))
    bomb = zlib.compress(b"{" * (200 << 20), 9)  # 200 MB of text in about 200 kB
    cases = {
        "binary": (_png(_text_chunk(binary)), "not valid JSON"),
        "nul": (_png(_text_chunk(b'{"depth": 3}\0\0\0')), "not valid JSON"),
        "bomb": (_png(_chunk(b"zTXt", CONFIG_KEY.encode() + b"\0\0" + bomb)), "larger than"),
        "bad-zlib": (_png(_chunk(b"zTXt", CONFIG_KEY.encode() + b"\0\0" + b"not zlib")), "damaged"),
        "itxt-latin1": (_png(_chunk(b"iTXt", CONFIG_KEY.encode() + b"\0\0\0\0\0" + b"\xff\xfe")), "not UTF-8"),
        "itxt-cut": (_png(_chunk(b"iTXt", CONFIG_KEY.encode() + b"\0\0")), "damaged"),
        "deep": (_png(_text_chunk(_nested(10_000).encode())), "nested too deeply"),
        "not-png": (b"GIF89a" + b"\0" * 100, "not a PNG"),
        "truncated": (_png(_text_chunk(b'{"depth": 3}'))[:60], "cut short|no Backprop Lab config"),
        "no-config": (_png(_chunk(b"tEXt", b"Software\0x")), "carries no Backprop Lab config"),
    }
    for name, (data, needle) in cases.items():
        path = tmp_path / f"{name}.png"
        path.write_bytes(data)
        with pytest.raises(ConfigError, match=needle):
            load_config_file(path)


def test_a_huge_sidecar_is_not_read(tmp_path: Path, bytes_read: list[int]) -> None:
    path = tmp_path / "p.png"
    path.write_bytes(_png())
    with open(tmp_path / "p.png.json", "wb") as fh:
        fh.truncate(GIB)
    with pytest.raises(ConfigError, match="bytes"):
        load_config_file(path)
    assert bytes_read[0] < 200


# -- scenes ------------------------------------------------------------------------------------------
def _valid_scene() -> dict[str, Any]:
    return json.loads((scenes_dir() / f"{list_scenes()[0]}.json").read_text())


@pytest.mark.parametrize(
    ("path", "value", "needle"),
    [
        ((), [], "must be a JSON object"),
        (("title",), 3, "'title'"),
        (("caption",), None, "'caption'"),
        (("title_zh",), ["x"], "'title_zh'"),
        (("steps",), "600", "'steps'"),
        (("steps",), 1.5, "'steps'"),
        (("steps",), True, "'steps'"),
        (("steps",), 10**30, "'steps'"),
        (("runs",), {"a": 1}, "'runs'"),
        (("runs",), [], "'runs'"),
        (("runs", 0), "run", "run 1"),
        (("runs", 0, "label"), 7, "'label'"),
        (("runs", 0, "label_zh"), {}, "'label_zh'"),
        (("runs", 0, "config"), [1], "config must be a JSON object"),
        (("runs", 0, "config", "depth"), "ten", "depth"),
        (("runs", 0, "config", "activation"), 3, "activation"),
        (("runs", 0, "config", "width"), _nested(50), "width"),
        (("extra",), 1, "unknown key 'extra'"),
    ],
)
def test_scene_with_wrong_types_names_the_field(path: tuple[Any, ...], value: Any, needle: str) -> None:
    data: Any = _valid_scene()
    if not path:
        data = value
    else:
        node = data
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = json.loads(value) if isinstance(value, str) and value.startswith("[") else value
    with pytest.raises(ConfigError, match="scene bad") as info:
        parse_scene("bad", data)
    assert needle in str(info.value) and len(str(info.value)) < 400, str(info.value)


def test_every_bundled_scene_still_loads() -> None:
    for name in list_scenes():
        assert load_scene(name).runs


# -- preferences (QSettings) ----------------------------------------------------------------------------
CORRUPT_VALUES = {
    "theme": ["", "purple", "1,2,3", "@Variant(\\0\\0\\0\\x7f\\0\\0\\0\\x10garbage)", "\\x00"],
    "scale": ["nan", "inf", "-1", "1e308", "abc", "1,2", "@ByteArray(\\xff)"],
    "language": ["klingon", "", "en,zh_CN"],
    "last_config": [
        "{not json",
        "[]",
        '"just a text"',
        '{"depth": -3}',
        '{"unknown": 1}',
        _nested(10_000),
        '{"a": ' * 5000 + "1" + "}" * 5000,
        "x" * 2_000_000,
    ],
    "geometry": ["@ByteArray(garbage)", "not bytes", "@ByteArray()", "1,2"],
    "window_state": ["@ByteArray(\\x01\\x02\\x03)", "@Variant(\\0\\0\\0\\x01)"],
    "controls_visible": ["maybe", "", "0"],
}


@pytest.fixture
def ini(tmp_path: Path) -> Iterator[Path]:
    yield tmp_path / "prefs.ini"


def _store(path: Path) -> QtCore.QSettings:
    return QtCore.QSettings(str(path), QtCore.QSettings.Format.IniFormat)


@pytest.mark.parametrize("key", list(CORRUPT_VALUES))
def test_corrupt_settings_fall_back_to_defaults(qtbot: Any, ini: Path, key: str) -> None:
    make_application()
    for value in CORRUPT_VALUES[key]:
        ini.write_text(f"[General]\n{key}={value}\n", encoding="utf-8")
        prefs = Prefs.load(_store(ini))
        default = Prefs()
        for name in ("theme", "language"):
            got = getattr(prefs, name)
            assert got == getattr(default, name) or name != key, (key, value, got)
        assert SCALE_MIN <= prefs.scale <= SCALE_MAX  # a number out of range is clamped
        assert prefs.last_config is None or key != "last_config", (key, value[:40])
        # and a window restores from it without an exception
        w = MainWindow(CONFIG, controller=None, prefs=prefs)
        qtbot.addWidget(w)
        w.prefs = None  # nothing to save back
        w.close()


def test_a_binary_or_huge_settings_file_still_starts(qtbot: Any, ini: Path) -> None:
    make_application()
    rng = __import__("random").Random(1)
    for data in (
        bytes(rng.randrange(256) for _ in range(20_000)),
        b"[General]\n" + b"\xff\xfe" * 1000 + b"=\n",
        b"[General]\ntheme=dark\n" + b"[" * 10_000,
    ):
        ini.write_bytes(data)
        prefs = Prefs.load(_store(ini))
        assert prefs.theme in ("light", "dark") and SCALE_MIN <= prefs.scale <= SCALE_MAX
        w = MainWindow(CONFIG, controller=None, prefs=prefs)
        qtbot.addWidget(w)
        w.prefs = None
        w.close()


def test_the_window_refuses_a_bad_file_with_a_dialog_and_keeps_its_run(qtbot: Any, tmp_path: Path) -> None:
    from PySide6 import QtWidgets

    make_application()
    w = MainWindow(CONFIG, controller=None)
    qtbot.addWidget(w)
    w.show()
    bad = tmp_path / "deep.json"
    bad.write_text(_nested(10_000))
    assert w.configs.load_path(bad) is False
    boxes = [b for b in w.findChildren(QtWidgets.QMessageBox) if b.isVisible()]
    assert len(boxes) == 1 and "nested too deeply" in boxes[0].text()
    assert w.config == CONFIG
    boxes[0].accept()
