"""The application's look: theme (light/dark, plots included), size scale and language.

One call applies all three to the running application; windows then rebuild their views,
which read the theme and scale when they are constructed.
"""

from __future__ import annotations

from PySide6 import QtGui, QtWidgets

from app import i18n
from app.prefs import LANGUAGES, THEMES, clamp_scale
from views import theme

#: the controls' font size at scale 1 (projector-friendly)
BASE_POINT_SIZE = 12


def apply_look(
    app: QtWidgets.QApplication, theme_name: str = "light", scale: float = 1.0, language: str | None = None
) -> None:
    """Apply theme, scale and (if given) language; raise ValueError naming a bad value."""
    if theme_name not in THEMES:
        raise ValueError(f"unknown theme {theme_name!r}; choose one of: {', '.join(THEMES)}")
    t = theme.by_name(theme_name)
    s = clamp_scale(scale)
    theme.apply_pyqtgraph(t, scale=s)
    app.setStyle("Fusion")
    app.setPalette(theme.qt_palette(t))
    font = app.font()
    font.setPointSizeF(BASE_POINT_SIZE * s)
    app.setFont(font)
    if language is not None:
        lang = i18n.normalise(language)
        if lang not in LANGUAGES:
            raise ValueError(f"unknown language {language!r}; choose one of: {', '.join(LANGUAGES)}")
        i18n.install(app, lang)


def current_theme_name() -> str:
    return theme.current().name


def current_scale() -> float:
    return float(theme.scale())


def point_size(base: float) -> int:
    """``base`` points at the current scale."""
    return max(6, round(base * theme.scale()))


def is_dark() -> bool:
    return QtGui.QColor(theme.current().background).lightness() < 128
