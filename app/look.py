"""The application's look: theme (light/dark, plots included), size scale and language.

One call applies all three to the running application; windows then rebuild their views,
which read the theme and scale when they are constructed.
"""

from __future__ import annotations

from PySide6 import QtWidgets

from app import i18n
from app.prefs import clamp_scale
from views import theme

#: the controls' font size at scale 1 (projector-friendly)
BASE_POINT_SIZE = 12


class ScaledStyle(QtWidgets.QProxyStyle):
    """Fusion, with its check box and radio button indicators (and their gap to the text)
    grown with the type scale: Fusion draws them 13 px square at every font size."""

    SCALED = (
        QtWidgets.QStyle.PixelMetric.PM_IndicatorWidth,
        QtWidgets.QStyle.PixelMetric.PM_IndicatorHeight,
        QtWidgets.QStyle.PixelMetric.PM_ExclusiveIndicatorWidth,
        QtWidgets.QStyle.PixelMetric.PM_ExclusiveIndicatorHeight,
        QtWidgets.QStyle.PixelMetric.PM_CheckBoxLabelSpacing,
        QtWidgets.QStyle.PixelMetric.PM_RadioButtonLabelSpacing,
    )

    def __init__(self) -> None:
        super().__init__("Fusion")

    def pixelMetric(
        self,
        metric: QtWidgets.QStyle.PixelMetric,
        option: QtWidgets.QStyleOption | None = None,
        widget: QtWidgets.QWidget | None = None,
    ) -> int:
        value = super().pixelMetric(metric, option, widget)
        return round(value * theme.scale()) if metric in self.SCALED else value


def apply_look(
    app: QtWidgets.QApplication, theme_name: str = "light", scale: float = 1.0, language: str | None = None
) -> None:
    """Apply theme, scale and (if given) language; raise ValueError naming a bad value."""
    t = theme.by_name(theme_name)
    lang = None if language is None else i18n.check(language)
    s = clamp_scale(scale)
    theme.apply_pyqtgraph(t, scale=s)
    # Each of these re-polishes or re-lays out every widget of every open window (compare
    # windows included): only what changed is set.  setStyle creates a new style object and
    # re-polishes everything even when the name is the same.
    if not isinstance(app.style(), ScaledStyle):
        app.setStyle(ScaledStyle())
    palette = theme.qt_palette(t)
    if app.palette() != palette:
        app.setPalette(palette)
    font = app.font()
    if font.pointSizeF() != BASE_POINT_SIZE * s:
        font.setPointSizeF(BASE_POINT_SIZE * s)
        app.setFont(font)
    if lang is not None:
        i18n.install(app, lang)
