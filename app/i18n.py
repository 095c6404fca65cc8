"""The UI language: English (the source texts) or Simplified Chinese, switchable at run time.

Every visible string is written as ``QCoreApplication.translate("Context", "English text")``
(context = the class name, literal strings only, values inserted afterwards with
``.format(name=value)``).  The translations live in ``resources/i18n/backprop_lab_<lang>.ts``
and are compiled to the ``.qm`` next to it, which is committed: the app needs no build step.
``tools/translations.py`` updates, checks and compiles them.

``install(app, lang)`` replaces the installed translators; Qt then sends every widget a
``LanguageChange`` event, and widgets that keep texts set them again in ``changeEvent``
(or the window rebuilds them).

Chinese needs a font with CJK glyphs.  Qt's own font fallback usually finds one through
fontconfig, but which one (and whether at all) depends on the machine, so for Chinese the
application font gets an explicit fallback: its family list becomes ``[its own families...,
the first installed of CJK_FAMILIES]`` (``QFont.setFamilies``).  Latin text keeps the
application's font; only the glyphs it lacks come from the CJK font.  The fallback stays
when switching back to English (it is never used there) so the switch does not relayout twice.
"""

from __future__ import annotations

import logging
from importlib import resources
from pathlib import Path

from PySide6 import QtCore, QtGui

#: code → the language's name in itself (what the language menu shows)
LANGUAGES: dict[str, str] = {"en": "English", "zh_CN": "简体中文"}
#: the language of the source texts: no catalogue is loaded for it
SOURCE_LANGUAGE = "en"
#: the catalogue's file name without the language suffix
CATALOGUE = "backprop_lab"
#: fonts with Simplified Chinese glyphs, preferred first (Linux, then macOS, then Windows)
CJK_FAMILIES: tuple[str, ...] = (
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "Noto Sans SC",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "Droid Sans Fallback",
    "PingFang SC",
    "Hiragino Sans GB",
    "Microsoft YaHei",
    "SimHei",
)
#: what normalise() accepts besides the codes themselves (lower case, "-" read as "_")
_ALIASES: dict[str, str] = {
    "en": "en",
    "en_us": "en",
    "en_gb": "en",
    "english": "en",
    "c": "en",
    "posix": "en",
    "zh": "zh_CN",
    "zh_cn": "zh_CN",
    "zh_hans": "zh_CN",
    "zh_hans_cn": "zh_CN",
    "zh_sg": "zh_CN",
    "cn": "zh_CN",
    "chinese": "zh_CN",
}

_log = logging.getLogger(__name__)
_current = SOURCE_LANGUAGE
_translators: list[QtCore.QTranslator] = []


def _choices() -> str:
    return ", ".join(f"{code} ({name})" for code, name in LANGUAGES.items())


def normalise(text: str) -> str:
    """The language code for ``text``: "zh_CN", "zh-CN", "zh", "zh_CN.UTF-8" → "zh_CN";
    "en", "en_US", "en-GB" → "en".  Anything else comes back stripped but otherwise as given
    (never in LANGUAGES), so callers can test ``normalise(x) in LANGUAGES``; install()
    raises for it."""
    given = str(text).strip()
    key = given.split(".")[0].split("@")[0].replace("-", "_").lower()
    return _ALIASES.get(key, given)


def check(text: str) -> str:
    """normalise(text), or ValueError (one line, naming the choices) for an unknown language."""
    code = normalise(text)
    if code not in LANGUAGES:
        raise ValueError(f"unknown language {text!r}; choose one of: {_choices()}")
    return code


def current() -> str:
    """The installed language's code ("en" until install() says otherwise)."""
    return _current


def catalogue_path(lang: str) -> Path:
    """Where the compiled catalogue of ``lang`` lives (``resources/i18n/backprop_lab_<lang>.qm``)."""
    return Path(str(resources.files("resources").joinpath("i18n", f"{CATALOGUE}_{lang}.qm")))


def qt_translations_dir() -> Path:
    """Qt's own translations (standard dialog buttons): PySide6's ``Qt/translations``."""
    path = Path(QtCore.QLibraryInfo.path(QtCore.QLibraryInfo.LibraryPath.TranslationsPath))
    if not path.is_dir():
        import PySide6

        path = Path(PySide6.__file__).parent / "Qt" / "translations"
    return path


def install(app: QtCore.QCoreApplication, lang: str) -> None:
    """Show the UI in ``lang`` ("en", "zh_CN" or any spelling normalise() knows).

    Removes the translators installed before; for a language other than English loads its
    catalogue (FileNotFoundError when it is missing) and Qt's own ``qtbase_<lang>.qm`` when
    present.  Raises ValueError for an unknown language, before changing anything.
    """
    global _current
    code = check(lang)
    translators = []
    if code != SOURCE_LANGUAGE:
        ours = catalogue_path(code)
        translator = QtCore.QTranslator(app)
        if not translator.load(str(ours)):
            raise FileNotFoundError(f"no translations for {code} at {ours}")
        translators.append(translator)
        qt_base = qt_translations_dir() / f"qtbase_{code}.qm"
        base = QtCore.QTranslator(app)
        if qt_base.is_file() and base.load(str(qt_base)):
            translators.append(base)
    for old in _translators:
        app.removeTranslator(old)
        old.deleteLater()
    _translators[:] = translators
    for translator in translators:
        app.installTranslator(translator)
    _current = code
    if isinstance(app, QtGui.QGuiApplication):
        if code == "zh_CN":
            ensure_cjk_font(app)
        else:
            remove_cjk_fallback(app)


#: the fallback family ensure_cjk_font added to the application font (removed for English)
_added_fallback: list[str] = []


def cjk_family() -> str | None:
    """An installed font family with Simplified Chinese glyphs (CJK_FAMILIES first), or None."""
    chinese = QtGui.QFontDatabase.families(QtGui.QFontDatabase.WritingSystem.SimplifiedChinese)
    for family in CJK_FAMILIES:
        if family in chinese:
            return family
    return chinese[0] if chinese else None


def ensure_cjk_font(app: QtGui.QGuiApplication) -> str | None:
    """Give the application font a CJK fallback family unless it has Chinese glyphs itself.

    Returns the family that renders Chinese (None, with a logged warning, when no installed
    font has Chinese glyphs: the UI would show empty boxes).
    """
    font = app.font()
    families = list(font.families()) or [font.family()]
    chinese = set(QtGui.QFontDatabase.families(QtGui.QFontDatabase.WritingSystem.SimplifiedChinese))
    for family in families:
        if family in chinese:
            return family
    fallback = cjk_family()
    if fallback is None:
        _log.warning("no font with Chinese glyphs is installed (on Debian/Ubuntu: apt install fonts-noto-cjk)")
        return None
    font.setFamilies([*families, fallback])
    app.setFont(font)
    _added_fallback[:] = [fallback]
    return fallback


def remove_cjk_fallback(app: QtGui.QGuiApplication) -> None:
    """Undo ``ensure_cjk_font``: a fallback family makes every line taller (its metrics count
    even for Latin text), which English layouts don't need."""
    if not _added_fallback:
        return
    font = app.font()
    families = [f for f in font.families() if f not in _added_fallback]
    font.setFamilies(families or [font.family()])
    app.setFont(font)
    _added_fallback.clear()
