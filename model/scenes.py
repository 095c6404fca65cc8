"""Scenes: named, captioned experiments for lectures (``resources/scenes/<name>.json``).

A scene file is JSON::

    {"title": "...", "caption": "...", "steps": 600,
     "runs": [{"label": "sigmoid", "config": {...ExperimentConfig fields...}}, ...]}

Optional: ``"title_zh"``, ``"caption_zh"`` (Simplified Chinese texts), per-run ``"label_zh"``
and ``"speed"``: the recommended pace in training steps per second, slow enough to narrate (a
scene starts at it; :data:`DEFAULT_SPEED` when absent).  Nothing in a scene file is executed; every config is validated.

A scene of ``"type": "sweep"`` is a phase diagram: its one run is the base config and
``"sweep": {"vary": ["init_scale=0.5:2.5:21", "bias_std=0:0.5:11"], "seeds": 1, "steps": 0,
"measure": "grad_ratio_init"}`` the grid (``--vary`` syntax, see model/sweep/spec.py), seeds per
point, training steps per run and the measure the sweep window shows first.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources as importlib_resources
from pathlib import Path
from typing import Any

from model.config import ConfigError, ExperimentConfig
from model.sweep import MEASURES, SweepError, SweepSpec, parse_vary

MAX_RUNS = 4
#: a scene's pace when its file names none (steps per second)
DEFAULT_SPEED = 30.0
#: the range of a recommended pace (steps per second)
SPEED_RANGE = (0.1, 10_000.0)
SCENE_TYPES = ("runs", "sweep")


#: views a compare window can show beside each run's loss (see Scene.compare_view)
COMPARE_VIEWS = ("output", "activations")


@dataclass(frozen=True)
class SceneRun:
    label: str
    config: ExperimentConfig
    label_zh: str = ""


@dataclass(frozen=True)
class Scene:
    name: str
    title: str
    caption: str
    steps: int
    runs: tuple[SceneRun, ...]
    title_zh: str = ""
    caption_zh: str = ""
    #: recommended training speed in steps per second (the scene starts at it)
    speed: float = DEFAULT_SPEED
    #: in compare mode, the view beside each run's loss: "output" or "activations"
    compare_view: str = "output"
    #: a phase-diagram scene's grid (its base config is ``runs[0].config``); None for the others
    sweep: SweepSpec | None = None
    sweep_measure: str = ""

    @property
    def is_sweep(self) -> bool:
        return self.sweep is not None


def parse_speed(value: Any, where: str) -> float:
    """``value`` as a pace in steps per second within :data:`SPEED_RANGE`, or ConfigError."""
    lo, hi = SPEED_RANGE
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not lo <= value <= hi:
        raise ConfigError(f"{where}: 'speed' must be a number of steps per second in [{lo:g}, {hi:g}]; got {value!r}")
    return float(value)


def scenes_dir() -> Path:
    return Path(str(importlib_resources.files("resources"))) / "scenes"


def list_scenes() -> list[str]:
    """Names of the bundled scenes, sorted."""
    return sorted(p.stem for p in scenes_dir().glob("*.json"))


def _text(data: dict[str, Any], key: str, where: str, required: bool = True) -> str:
    value = data.get(key, "")
    if not isinstance(value, str) or (required and not value.strip()):
        raise ConfigError(f"{where}: {key!r} must be a non-empty text")
    return value


def parse_scene(name: str, data: Any) -> Scene:
    """Validate the JSON object ``data`` as the scene ``name``."""
    where = f"scene {name}"
    if not isinstance(data, dict):
        raise ConfigError(f"{where}: must be a JSON object")
    allowed = {"title", "caption", "steps", "runs", "title_zh", "caption_zh", "speed", "type", "sweep", "compare_view"}
    unknown = sorted(str(k) for k in data if k not in allowed)
    if unknown:
        raise ConfigError(f"{where}: unknown key {unknown[0]!r}; allowed: {', '.join(sorted(allowed))}")
    steps = data.get("steps")
    if isinstance(steps, bool) or not isinstance(steps, int) or not 1 <= steps <= 1_000_000:
        raise ConfigError(f"{where}: 'steps' must be a whole number in [1, 1000000]; got {steps!r}")
    runs_data = data.get("runs")
    if not isinstance(runs_data, list) or not 1 <= len(runs_data) <= MAX_RUNS:
        raise ConfigError(f"{where}: 'runs' must be a list of 1 to {MAX_RUNS} runs")
    runs = []
    for i, run in enumerate(runs_data):
        rwhere = f"{where}, run {i + 1}"
        if not isinstance(run, dict) or set(run) - {"label", "label_zh", "config"}:
            raise ConfigError(f"{rwhere}: must be an object with 'label' and 'config'")
        try:
            config = ExperimentConfig.from_dict(run.get("config", {}))
        except ConfigError as exc:
            raise ConfigError(f"{rwhere}: {exc}") from None
        runs.append(
            SceneRun(
                label=_text(run, "label", rwhere),
                config=config,
                label_zh=_text(run, "label_zh", rwhere, required=False),
            )
        )
    kind = data.get("type", "runs")
    if kind not in SCENE_TYPES:
        raise ConfigError(f"{where}: 'type' must be one of {', '.join(SCENE_TYPES)}; got {kind!r}")
    sweep, measure = None, ""
    if kind == "sweep":
        if len(runs) != 1:
            raise ConfigError(f"{where}: a sweep scene has exactly one run (the base config)")
        sweep, measure = _parse_sweep(data.get("sweep"), runs[0].config, where)
    elif "sweep" in data:
        raise ConfigError(f'{where}: \'sweep\' needs "type": "sweep"')
    return Scene(
        sweep=sweep,
        sweep_measure=measure,
        name=name,
        title=_text(data, "title", where),
        caption=_text(data, "caption", where),
        steps=steps,
        runs=tuple(runs),
        title_zh=_text(data, "title_zh", where, required=False),
        caption_zh=_text(data, "caption_zh", where, required=False),
        speed=parse_speed(data["speed"], where) if "speed" in data else DEFAULT_SPEED,
        compare_view=_compare_view(data.get("compare_view", "output"), where),
    )


def _compare_view(value: Any, where: str) -> str:
    if value not in COMPARE_VIEWS:
        raise ConfigError(f"{where}: 'compare_view' must be one of {', '.join(COMPARE_VIEWS)}; got {value!r}")
    return str(value)


def _parse_sweep(data: Any, base: ExperimentConfig, where: str) -> tuple[SweepSpec, str]:
    if not isinstance(data, dict) or set(data) - {"vary", "seeds", "steps", "measure"}:
        raise ConfigError(f"{where}: 'sweep' must be an object with 'vary', 'seeds', 'steps' and 'measure'")
    vary = data.get("vary")
    if not isinstance(vary, list) or not all(isinstance(v, str) for v in vary):
        raise ConfigError(f"{where}: sweep 'vary' must be a list of texts such as \"init_scale=0.5:2:11\"")
    measure = data.get("measure", "grad_ratio_init")
    if measure not in MEASURES:
        raise ConfigError(f"{where}: sweep 'measure' must be one of {', '.join(MEASURES)}; got {measure!r}")
    try:
        spec = SweepSpec(base, tuple(parse_vary(v) for v in vary), data.get("seeds", 1), data.get("steps", 0))
    except SweepError as exc:
        raise ConfigError(f"{where}: sweep: {exc}") from None
    return spec, measure


def load_scene(name: str) -> Scene:
    """Load the bundled scene ``name`` (see :func:`list_scenes`)."""
    names = list_scenes()
    if name not in names:
        raise ConfigError(f"unknown scene {name!r}; available: {', '.join(names) or '(none)'}")
    path = scenes_dir() / f"{name}.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ConfigError(f"scene {name}: invalid JSON: {exc.msg} (line {exc.lineno})") from None
    return parse_scene(name, data)
