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
from pathlib import Path

from app.export import CONFIG_KEY, _config_json, atomic_write_bytes
from model import ConfigError, ExperimentConfig

#: a config is a few hundred bytes; refuse to parse anything absurdly large
MAX_CONFIG_BYTES = 1 << 20
CONFIG_SUFFIXES = (".json", ".png")


Runs = list[tuple[str, ExperimentConfig]]


def _parse(text: str, where: str) -> Runs:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ConfigError(f"{where} is not valid JSON: {exc.msg} (line {exc.lineno})") from None
    if isinstance(data, dict) and isinstance(data.get("runs"), list):
        # a comparison (compare-window exports): [{"label": ..., "config": {...}}, ...]
        runs: Runs = []
        for i, run in enumerate(data["runs"]):
            if not isinstance(run, dict) or not isinstance(run.get("config"), dict):
                raise ConfigError(f'{where}: run {i + 1} must be an object with a "config" object')
            runs.append((str(run.get("label", f"run {i + 1}")), ExperimentConfig.from_dict(run["config"])))
        if not runs:
            raise ConfigError(f"{where} lists no runs")
        return runs
    if isinstance(data, dict) and isinstance(data.get("config"), dict):
        data = data["config"]
    if not isinstance(data, dict):
        raise ConfigError(f"{where} must hold a JSON object with the experiment's fields")
    return [("", ExperimentConfig.from_dict(data))]


def _png_config_text(path: Path) -> str | None:
    from PySide6 import QtGui

    reader = QtGui.QImageReader(str(path))
    if not reader.canRead():
        raise ConfigError(f"{path} is not a readable PNG image")
    text = reader.text(CONFIG_KEY)
    if text:
        return text
    sidecar = path.with_name(path.name + ".json")
    if sidecar.is_file():
        return sidecar.read_text(encoding="utf-8")
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
    2–4 for a compare-window export."""
    p = Path(path)
    if p.is_dir():
        raise ConfigError(f"{p} is a folder; choose a config file (.json) or an exported picture (.png)")
    try:
        size = p.stat().st_size
    except OSError as exc:
        raise ConfigError(f"cannot read config file {p}: {exc.strerror or exc}") from None
    if p.suffix.lower() == ".png":
        try:
            text = _png_config_text(p)
        except OSError as exc:
            raise ConfigError(f"cannot read {p}: {exc.strerror or exc}") from None
        if text is None:
            raise ConfigError(f"{p} carries no Backprop Lab config (it was not exported by Backprop Lab)")
        return _parse(text, f"the config in {p}")
    if size > MAX_CONFIG_BYTES:
        raise ConfigError(f"{p} is {size:,} bytes; a config file is a small JSON file")
    try:
        text = p.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ConfigError(f"config file {p} is not UTF-8 text (a config is a JSON file)") from None
    except OSError as exc:
        raise ConfigError(f"cannot read config file {p}: {exc.strerror or exc}") from None
    return _parse(text, f"config file {p}")


def save_config_file(config: ExperimentConfig, path: str | os.PathLike[str], *, force: bool = False) -> Path:
    """Write ``config`` as JSON to ``path`` atomically; an existing file needs ``force``."""
    text = _config_json(config)
    assert text is not None
    return atomic_write_bytes(path, (text + "\n").encode("utf-8"), force=force)
