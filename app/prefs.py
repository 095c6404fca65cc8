"""Preferences that persist between sessions (QSettings): theme, scale, language, the last
config and the window layout.

Every stored value is validated on load; a missing, stale or corrupt value falls back to its
default instead of stopping the app.
"""

from __future__ import annotations

import json
import math
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6 import QtCore

from app import i18n
from app.safe_write import os_reason
from model import ConfigError, ExperimentConfig
from views import theme

ORGANISATION = "BackpropLab"
APPLICATION = "backprop-lab"
THEMES: tuple[str, ...] = tuple(t.name for t in theme.THEMES)
LANGUAGES: tuple[str, ...] = tuple(i18n.LANGUAGES)
#: the stored config is a few hundred characters; anything far larger is not ours
MAX_CONFIG_CHARS = 1 << 16


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
        if isinstance(text, str) and text and len(text) <= MAX_CONFIG_CHARS:
            try:
                p.last_config = ExperimentConfig.from_dict(json.loads(text)).to_dict()
            except (ValueError, TypeError, ConfigError, RecursionError):
                p.last_config = None
        for name, attr in (("geometry", "geometry"), ("window_state", "window_state")):
            value = s.value(name)
            if isinstance(value, QtCore.QByteArray) and not value.isEmpty():
                setattr(p, attr, bytes(value.data()))
        p.controls_visible = str(s.value("controls_visible", "true")).lower() != "false"
        return p

    def save(self, store: QtCore.QSettings | None = None) -> str | None:
        """Store every preference; None, or a one-line message saying why they could not be
        written (QSettings writes a temporary file and renames it: a failed save leaves the
        previous file as it was)."""
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
        if s.status() == QtCore.QSettings.Status.NoError:
            return None
        return f"cannot save the preferences to {s.fileName()}: {_unwritable(Path(s.fileName()))}"

    def config(self) -> ExperimentConfig | None:
        return ExperimentConfig.from_dict(self.last_config) if self.last_config else None


def _unwritable(path: Path) -> str:
    """Why ``path`` (a settings file that failed to save) cannot be written, in plain words."""
    if path.is_dir():
        return "it is a directory"
    folder = path.parent
    if not folder.is_dir():
        return f"folder {folder} does not exist"
    try:
        st = os.statvfs(folder)
    except OSError as exc:
        return os_reason(exc)
    if st.f_flag & os.ST_RDONLY:
        return f"folder {folder} is on a read-only disk"
    if st.f_bavail == 0:
        return "the disk is full"
    if not os.access(folder, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        return "no permission to write there"
    return "the file could not be written"
