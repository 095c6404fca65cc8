"""Preferences that persist between sessions (QSettings): theme, scale, language, the last
config and the window layout.

Every stored value is validated on load; a missing, stale or corrupt value falls back to its
default instead of stopping the app.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import Any

from PySide6 import QtCore

from app import i18n
from model import ConfigError, ExperimentConfig
from views import theme

ORGANISATION = "BackpropLab"
APPLICATION = "backprop-lab"
THEMES: tuple[str, ...] = tuple(t.name for t in theme.THEMES)
LANGUAGES: tuple[str, ...] = tuple(i18n.LANGUAGES)


def settings() -> QtCore.QSettings:
    """The app's settings store (an INI file under the user's config folder)."""
    return QtCore.QSettings(
        QtCore.QSettings.Format.IniFormat, QtCore.QSettings.Scope.UserScope, ORGANISATION, APPLICATION
    )


def clamp_scale(value: float) -> float:
    return round(min(theme.SCALE_MAX, max(theme.SCALE_MIN, float(value))), 2)


@dataclass
class Prefs:
    theme: str = "light"
    scale: float = 1.0
    language: str = "en"
    last_config: dict[str, Any] | None = None
    geometry: bytes | None = None
    window_state: bytes | None = None
    controls_visible: bool = True

    @classmethod
    def load(cls, store: QtCore.QSettings | None = None) -> Prefs:
        s = store or settings()
        p = cls()
        theme = s.value("theme", "light")
        if theme in THEMES:
            p.theme = str(theme)
        try:
            scale = float(s.value("scale", 1.0))  # type: ignore[arg-type]
            if math.isfinite(scale):
                p.scale = clamp_scale(scale)
        except (TypeError, ValueError):
            pass
        language = s.value("language", "en")
        if language in LANGUAGES:
            p.language = str(language)
        text = s.value("last_config", "")
        if isinstance(text, str) and text:
            try:
                p.last_config = ExperimentConfig.from_dict(json.loads(text)).to_dict()
            except (ValueError, TypeError, ConfigError):
                p.last_config = None
        for name, attr in (("geometry", "geometry"), ("window_state", "window_state")):
            value = s.value(name)
            if isinstance(value, QtCore.QByteArray) and not value.isEmpty():
                setattr(p, attr, bytes(value.data()))
        p.controls_visible = str(s.value("controls_visible", "true")).lower() != "false"
        return p

    def save(self, store: QtCore.QSettings | None = None) -> None:
        s = store or settings()
        s.setValue("theme", self.theme)
        s.setValue("scale", float(self.scale))
        s.setValue("language", self.language)
        if self.last_config is not None:
            s.setValue("last_config", json.dumps(self.last_config, sort_keys=True))
        for name in ("geometry", "window_state"):
            value = getattr(self, name)
            if value is not None:
                s.setValue(name, QtCore.QByteArray(value))
        s.setValue("controls_visible", "true" if self.controls_visible else "false")
        s.sync()

    def config(self) -> ExperimentConfig | None:
        return ExperimentConfig.from_dict(self.last_config) if self.last_config else None
