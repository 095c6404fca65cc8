"""Scenes carry a recommended pace (steps per second) slow enough to narrate (issue 13)."""

from __future__ import annotations

import json

import pytest

from model.config import ConfigError
from model.scenes import DEFAULT_SPEED, SPEED_RANGE, list_scenes, load_scene, parse_scene, scenes_dir

BASE = {"title": "t", "caption": "c", "steps": 10, "runs": [{"label": "a", "config": {}}]}


@pytest.mark.parametrize("name", list_scenes())
def test_every_bundled_scene_names_its_pace(name: str) -> None:
    data = json.loads((scenes_dir() / f"{name}.json").read_text(encoding="utf-8"))
    assert "speed" in data, f"{name} has no recommended speed"
    scene = load_scene(name)
    assert scene.speed == data["speed"]
    # slow enough to narrate, yet the recommended steps fit in about a minute or less
    assert 10 <= scene.speed <= 300
    assert scene.steps / scene.speed <= 60


def test_a_scene_without_a_pace_gets_the_default() -> None:
    assert parse_scene("x", BASE).speed == DEFAULT_SPEED


@pytest.mark.parametrize("bad", [0, -5, "fast", True, None, SPEED_RANGE[1] * 2])
def test_a_bad_pace_is_refused_by_name(bad: object) -> None:
    with pytest.raises(ConfigError, match="'speed'"):
        parse_scene("x", {**BASE, "speed": bad})
