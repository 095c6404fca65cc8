"""Saving and loading experiment configs: JSON files, and the config embedded in exports.

Loading never executes anything: a file is parsed as JSON (or a PNG's text chunk is read)
and every field is validated by :meth:`ExperimentConfig.from_dict`, whose ``ConfigError``
names the problem.  Accepted inputs:

- a config JSON (``backprop-lab --config`` or File → Save config), optionally wrapped as
  ``{"config": {...}}`` (the metrics JSON and sidecars written by other tools);
- a PNG exported by Backprop Lab (the config is in its ``backprop-lab-config`` text chunk);
- any export's sidecar ``OUT.png.json`` / ``OUT.mp4.json`` (plain config JSON).
"""

from __future__ import annotations

import json
import os
import stat
import struct
import zlib
from pathlib import Path

from app.export import CONFIG_KEY, _config_json, atomic_write_bytes
from app.safe_write import os_reason
from model import ConfigError, ExperimentConfig

#: a config is a few hundred bytes; refuse to parse anything absurdly large
MAX_CONFIG_BYTES = 1 << 20
CONFIG_SUFFIXES = (".json", ".png")
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
#: a picture has a few dozen chunks; walking more than this is not worth it
MAX_PNG_CHUNKS = 100_000
#: a comparison shows at most four runs
MAX_RUNS = 4


Runs = list[tuple[str, ExperimentConfig]]


def _parse(text: str, where: str) -> Runs:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ConfigError(f"{where} is not valid JSON: {exc.msg} (line {exc.lineno})") from None
    except RecursionError:
        raise ConfigError(f"{where} is nested too deeply to be a config") from None
    except ValueError as exc:  # e.g. an integer of more than 4300 digits
        raise ConfigError(f"{where} is not a usable config: {exc}") from None
    try:
        return _runs(data, where)
    except RecursionError:
        raise ConfigError(f"{where} is nested too deeply to be a config") from None


def _runs(data: object, where: str) -> Runs:
    if isinstance(data, dict) and isinstance(data.get("runs"), list):
        # a comparison (compare-window exports): [{"label": ..., "config": {...}}, ...]
        runs: Runs = []
        if len(data["runs"]) > MAX_RUNS:
            raise ConfigError(f"{where} lists {len(data['runs'])} runs; a comparison has at most {MAX_RUNS}")
        for i, run in enumerate(data["runs"]):
            if not isinstance(run, dict) or not isinstance(run.get("config"), dict):
                raise ConfigError(f'{where}: run {i + 1} must be an object with a "config" object')
            label = run.get("label", f"run {i + 1}")
            if not isinstance(label, str):
                raise ConfigError(f"{where}: run {i + 1}: label must be a text")
            try:
                runs.append((label[:200], ExperimentConfig.from_dict(run["config"])))
            except ConfigError as exc:
                raise ConfigError(f"{where}, run {i + 1}: {exc}") from None
        if not runs:
            raise ConfigError(f"{where} lists no runs")
        return runs
    if isinstance(data, dict) and isinstance(data.get("config"), dict):
        data = data["config"]
    if not isinstance(data, dict):
        raise ConfigError(f"{where} must hold a JSON object with the experiment's fields")
    try:
        return [("", ExperimentConfig.from_dict(data))]
    except ConfigError as exc:
        raise ConfigError(f"{where}: {exc}") from None


def _read_small(path: Path, what: str) -> bytes:
    """At most MAX_CONFIG_BYTES of the regular file ``path`` (its size is checked first, so a
    huge file, a device or a pipe is refused without reading it)."""
    try:
        st = path.stat()
    except OSError as exc:
        raise ConfigError(f"cannot read {what} {path}: {os_reason(exc)}") from None
    if not stat.S_ISREG(st.st_mode):
        raise ConfigError(f"{path} is not a regular file; choose a config file (.json) or an exported picture (.png)")
    if st.st_size > MAX_CONFIG_BYTES:
        raise ConfigError(f"{path} is {st.st_size:,} bytes; {what} is a small JSON file (at most {MAX_CONFIG_BYTES:,})")
    try:
        with open(path, "rb") as fh:
            data = fh.read(MAX_CONFIG_BYTES + 1)
    except OSError as exc:
        raise ConfigError(f"cannot read {what} {path}: {os_reason(exc)}") from None
    if len(data) > MAX_CONFIG_BYTES:
        raise ConfigError(f"{path} grew past {MAX_CONFIG_BYTES:,} bytes while it was read")
    return data


def _utf8(data: bytes, where: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise ConfigError(f"{where} is not UTF-8 text (a config is JSON)") from None


def _inflate(data: bytes, where: str) -> bytes:
    """zlib-decompress at most MAX_CONFIG_BYTES (a small bomb cannot fill the memory)."""
    inflater = zlib.decompressobj()
    try:
        out = inflater.decompress(data, MAX_CONFIG_BYTES + 1)
    except zlib.error:
        raise ConfigError(f"{where} is damaged (its compressed text cannot be read)") from None
    if len(out) > MAX_CONFIG_BYTES or inflater.unconsumed_tail:
        raise ConfigError(f"{where} is larger than {MAX_CONFIG_BYTES:,} bytes; it is not a Backprop Lab config")
    return out


def _png_text(ctype: bytes, body: bytes, where: str) -> str:
    """The text of a tEXt / zTXt / iTXt chunk body (after the keyword's NUL)."""
    if ctype == b"tEXt":
        return body.decode("latin-1")
    if ctype == b"zTXt":
        if body[:1] != b"\0":
            raise ConfigError(f"{where} uses an unknown compression")
        return _inflate(body[1:], where).decode("latin-1")
    # iTXt: compressed flag, method, language tag NUL, translated keyword NUL, UTF-8 text
    if len(body) < 2:
        raise ConfigError(f"{where} is damaged")
    compressed = body[0] == 1
    rest = body[2:]
    parts = rest.split(b"\0", 2)
    if len(parts) < 3:
        raise ConfigError(f"{where} is damaged")
    text = parts[2]
    return _utf8(_inflate(text, where) if compressed else text, where)


def _png_config_text(path: Path) -> str | None:
    """The config text chunk of the PNG ``path`` (chunks are walked by seeking: only the
    config chunk is read, so the picture's size does not matter), else its sidecar's text,
    else None."""
    where = f"the config in {path}"
    key = CONFIG_KEY.encode("latin-1")
    with open(path, "rb") as fh:
        if fh.read(8) != PNG_SIGNATURE:
            raise ConfigError(f"{path} is not a PNG image")
        for _ in range(MAX_PNG_CHUNKS):
            head = fh.read(8)
            if len(head) < 8:
                break
            length, ctype = struct.unpack(">I4s", head)
            if ctype == b"IEND":
                break
            if ctype in (b"tEXt", b"zTXt", b"iTXt"):
                start = fh.read(min(length, 80))
                keyword, nul, _ = start.partition(b"\0")
                if keyword == key and nul:
                    if length > MAX_CONFIG_BYTES:
                        raise ConfigError(f"{where} is {length:,} bytes; a config is a few hundred")
                    data = start + fh.read(length - len(start))
                    if len(data) < length:
                        raise ConfigError(f"{path} is cut short (its config chunk is incomplete)")
                    return _png_text(ctype, data[len(key) + 1 :], where)
                if len(start) < min(length, 80):
                    break  # cut short before the config
                fh.seek(length - len(start) + 4, os.SEEK_CUR)
            else:
                fh.seek(length + 4, os.SEEK_CUR)
    sidecar = path.with_name(path.name + ".json")
    if sidecar.is_file():
        return _utf8(_read_small(sidecar, "a config sidecar"), f"config file {sidecar}")
    return None


def load_config_file(path: str | os.PathLike[str]) -> ExperimentConfig:
    """The config in ``path`` (JSON or an exported PNG); ``ConfigError`` names any problem."""
    runs = load_runs_file(path)
    if len(runs) > 1:
        raise ConfigError(
            f"{path} holds a comparison of {len(runs)} runs; open it in the app (File → Open config, "
            "or drop it on the window) to compare them again"
        )
    return runs[0][1]


def load_runs_file(path: str | os.PathLike[str]) -> Runs:
    """(label, config) of every run in ``path``: one for a config or a single-run export,
    2–4 for a compare-window export.  At most what is needed is read: a JSON file's size is
    checked before it is read, a PNG's chunks are skipped up to the config's."""
    p = Path(path)
    if p.is_dir():
        raise ConfigError(f"{p} is a folder; choose a config file (.json) or an exported picture (.png)")
    if p.suffix.lower() == ".png":
        try:
            st = p.stat()
            if not stat.S_ISREG(st.st_mode):
                raise ConfigError(f"{p} is not a regular file; choose an exported picture (.png)")
            text = _png_config_text(p)
        except OSError as exc:
            raise ConfigError(f"cannot read {p}: {os_reason(exc)}") from None
        if text is None:
            raise ConfigError(f"{p} carries no Backprop Lab config (it was not exported by Backprop Lab)")
        return _parse(text, f"the config in {p}")
    text = _utf8(_read_small(p, "a config file"), f"config file {p}")
    return _parse(text, f"config file {p}")


def save_config_file(config: ExperimentConfig, path: str | os.PathLike[str], *, force: bool = False) -> Path:
    """Write ``config`` as JSON to ``path`` atomically; an existing file needs ``force``."""
    text = _config_json(config)
    assert text is not None
    return atomic_write_bytes(path, (text + "\n").encode("utf-8"), force=force)
