"""The main window's commands: one table (``ACTIONS``) from which the window's actions and
shortcuts, its menus (``MENUS`` places them), the ``?`` overlay (``shortcut_rows``) and the
tests (tests/app/test_main_actions.py) are built.

An entry names the QAction (its objectName and its key in ``window.actions_``), its menu text
and what the ``?`` overlay says it does (both marked with ``QT_TRANSLATE_NOOP`` in the entry's
translation context, translated when shown), the keys that trigger it (``keys`` are shown in
the menu and the overlay, ``also`` are further bindings of the same command) and its slot, a
function of the window.  The keys work with the menu bar hidden (the actions belong to the
window).  Escape is no command of its own: it closes the overlay or leaves full screen.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6 import QtCore, QtGui, QtWidgets

from app import i18n
from app.prefs import LANGUAGES, THEMES
from views import theme

CONTEXT = "MainWindow"


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:
    """Marks ``text`` for the catalogue in ``context`` (as Qt's macro does); it is translated
    where it is shown (``translated``)."""
    return text


#: the key that closes the overlay or leaves full screen (bound by the window, not a command)
ESCAPE = "Escape"


@dataclass(frozen=True)
class Action:
    """One command of the main window (see the module docstring)."""

    name: str
    text: str
    slot: Callable[[Any], object]
    keys: tuple[str, ...] = ()
    help: str = ""
    also: tuple[str, ...] = ()
    checkable: bool = False
    context: str = CONTEXT

    def bindings(self) -> tuple[str, ...]:
        return self.keys + self.also


def _scale_by(step: float) -> Callable[[Any], object]:
    return lambda w: w.set_scale(theme.scale() + step)


# In the order of the ``?`` overlay.
ACTIONS: tuple[Action, ...] = (
    Action(
        "play",
        QT_TRANSLATE_NOOP("MainWindow", "&Play / pause"),
        lambda w: w.toggle_play(),
        ("Space",),
        QT_TRANSLATE_NOOP("MainWindow", "play / pause training"),
    ),
    Action(
        "step",
        QT_TRANSLATE_NOOP("MainWindow", "One &step"),
        lambda w: w.step_once(),
        ("S", "Right"),
        QT_TRANSLATE_NOOP("MainWindow", "one training step"),
    ),
    Action(
        "reset",
        QT_TRANSLATE_NOOP("MainWindow", "&Reset"),
        lambda w: w.reset(),
        ("R",),
        QT_TRANSLATE_NOOP("MainWindow", "reset: a fresh network from the same seed"),
    ),
    Action(
        "walkthrough",
        QT_TRANSLATE_NOOP("MainWindow", "Backward pass walk-through"),
        lambda w: w.start_walkthrough(),
        ("W",),
        QT_TRANSLATE_NOOP("MainWindow", "walk through the backward pass, layer by layer"),
    ),
    Action(
        "fullscreen",
        QT_TRANSLATE_NOOP("MainWindow", "&Full screen"),
        lambda w: w.presentation.toggle_fullscreen(),
        ("F11",),
        QT_TRANSLATE_NOOP("MainWindow", "full screen"),
        checkable=True,
    ),
    Action(
        "controls",
        QT_TRANSLATE_NOOP("MainWindow", "Show &controls"),
        lambda w: w.presentation.toggle_controls(),
        ("H",),
        QT_TRANSLATE_NOOP("MainWindow", "hide or show the controls (views only)"),
        checkable=True,
    ),
    Action(
        "caption",
        QT_TRANSLATE_NOOP("MainWindow", "Show scene &caption"),
        lambda w: w.presentation.toggle_caption(),
        ("C",),
        QT_TRANSLATE_NOOP("MainWindow", "hide or show the scene caption"),
        checkable=True,
    ),
    Action(
        "theme_toggle",
        QT_TRANSLATE_NOOP("MainWindow", "&Toggle light/dark theme"),
        lambda w: w.toggle_theme(),
        ("T",),
        QT_TRANSLATE_NOOP("MainWindow", "light / dark theme"),
    ),
    Action(
        "bigger",
        QT_TRANSLATE_NOOP("MainWindow", "&Bigger text and lines"),
        _scale_by(0.25),
        ("Ctrl+=",),
        QT_TRANSLATE_NOOP("MainWindow", "bigger text and lines"),
        also=("Ctrl++",),
    ),
    Action(
        "smaller",
        QT_TRANSLATE_NOOP("MainWindow", "S&maller text and lines"),
        _scale_by(-0.25),
        ("Ctrl+-",),
        QT_TRANSLATE_NOOP("MainWindow", "smaller text and lines"),
    ),
    Action(
        "scale_reset",
        QT_TRANSLATE_NOOP("MainWindow", "&Normal size"),
        lambda w: w.set_scale(1.0),
        ("Ctrl+0",),
        QT_TRANSLATE_NOOP("MainWindow", "normal text and lines"),
    ),
    Action(
        "open_config",
        QT_TRANSLATE_NOOP("MainWindow", "&Open config…"),
        lambda w: w.configs.open_dialog(),
        ("Ctrl+O",),
        QT_TRANSLATE_NOOP("MainWindow", "open a config (or drop a config file on the window)"),
    ),
    Action(
        "save_config",
        QT_TRANSLATE_NOOP("MainWindow", "&Save config as…"),
        lambda w: w.configs.save_dialog(),
        ("Ctrl+S",),
        QT_TRANSLATE_NOOP("MainWindow", "save the config"),
    ),
    Action(
        "copy_window",
        QT_TRANSLATE_NOOP("MainWindow", "Copy window to clipboard"),
        lambda w: w.exports.copy_picture(None),
        ("Ctrl+Shift+C",),
        QT_TRANSLATE_NOOP("MainWindow", "copy the window to the clipboard"),
    ),
    Action(
        "shortcuts",
        QT_TRANSLATE_NOOP("MainWindow", "&Keyboard shortcuts"),
        lambda w: w.presentation.toggle_overlay(),
        ("?", "F1"),
        QT_TRANSLATE_NOOP("MainWindow", "this list"),
        also=("Shift+?",),
    ),
    Action(
        "quit",
        QT_TRANSLATE_NOOP("MainWindow", "&Quit"),
        lambda w: w.close(),
        ("Ctrl+Q",),
        QT_TRANSLATE_NOOP("MainWindow", "quit"),
    ),
    Action(
        "export_metrics_csv",
        QT_TRANSLATE_NOOP("MainWindow", "Metrics as CSV…"),
        lambda w: w.exports.export_metrics_dialog(".csv"),
    ),
    Action(
        "export_metrics_json",
        QT_TRANSLATE_NOOP("MainWindow", "Metrics as JSON…"),
        lambda w: w.exports.export_metrics_dialog(".json"),
    ),
    Action(
        "phase_diagram",
        QT_TRANSLATE_NOOP("MainWindow", "Phase diagram…"),
        lambda w: w.scenes.open_phase_diagram(),
    ),
)

#: the menu bar: (object name, title, entries); an entry is an action's name, "-" a separator
#: or "@part", a part built from the window's state (``_PARTS``)
MENUS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    (
        "file_menu",
        QT_TRANSLATE_NOOP("MainWindow", "&File"),
        (
            "open_config",
            "save_config",
            "-",
            "@export_window",
            "@export_view",
            "copy_window",
            "-",
            "export_metrics_csv",
            "export_metrics_json",
            "@record",
            "-",
            "quit",
        ),
    ),
    ("training_menu", QT_TRANSLATE_NOOP("MainWindow", "&Training"), ("play", "step", "reset")),
    ("scenes_menu", QT_TRANSLATE_NOOP("MainWindow", "&Scenes"), ("@scenes",)),
    ("compare_menu", QT_TRANSLATE_NOOP("MainWindow", "&Compare"), ("@compare",)),
    ("lecture_menu", QT_TRANSLATE_NOOP("MainWindow", "&Lecture"), ("walkthrough", "phase_diagram")),
    (
        "view_menu",
        QT_TRANSLATE_NOOP("MainWindow", "&View"),
        (
            "fullscreen",
            "controls",
            "caption",
            "-",
            "bigger",
            "smaller",
            "scale_reset",
            "-",
            "theme_toggle",
            "@themes",
            "@language",
            "-",
            "shortcuts",
        ),
    ),
)


def translated(context: str, source: str) -> str:
    """A text of the tables above in the current language (they are marked with
    ``QT_TRANSLATE_NOOP``, which is where tools/translations.py finds them)."""
    app = QtCore.QCoreApplication.instance()
    return app.translate(context, source) if app is not None else source


def key_text(key: str) -> str:
    """How the overlay writes one key."""
    if key == "Space":
        return QtCore.QCoreApplication.translate("MainWindow", "Space")
    return {"Right": "→", "Left": "←"}.get(key, key)


def keys_text(keys: Sequence[str]) -> str:
    return "  /  ".join(key_text(k) for k in keys)


def shortcut_rows() -> list[tuple[str, str]]:
    """(keys, what they do) for the ``?`` overlay: every action with keys, in table order."""
    return [(keys_text(a.keys), translated(a.context, a.help)) for a in ACTIONS if a.keys]


def create_actions(window: Any) -> dict[str, QtGui.QAction]:
    """Every action of the table, owned by ``window`` (they live as long as the window; the
    texts are set by ``retranslate``)."""
    actions = {}
    for spec in ACTIONS:
        action = QtGui.QAction(window)
        action.setObjectName(spec.name)
        action.setCheckable(spec.checkable)
        if spec.keys:
            action.setShortcuts([QtGui.QKeySequence(k) for k in spec.bindings()])
            action.setShortcutContext(QtCore.Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(lambda _=False, slot=spec.slot: slot(window))
        window.addAction(action)
        actions[spec.name] = action
    return actions


def create_choices(window: Any) -> tuple[dict[str, QtGui.QAction], dict[str, QtGui.QAction]]:
    """The theme and language choices (one checked at a time), owned by ``window``."""

    def group(names: Sequence[str], prefix: str, choose: Callable[[str], object]) -> dict[str, QtGui.QAction]:
        actions = {}
        exclusive = QtGui.QActionGroup(window)
        for name in names:
            action = QtGui.QAction(window)
            action.setObjectName(f"{prefix}_{name}")
            action.setCheckable(True)
            action.triggered.connect(lambda _=False, n=name: choose(n))
            exclusive.addAction(action)
            window.addAction(action)
            actions[name] = action
        return actions

    return group(THEMES, "theme", window.set_theme), group(LANGUAGES, "lang", window.set_language)


def retranslate(window: Any) -> None:
    """Set the texts of the window's actions and choices in the current language."""
    for spec in ACTIONS:
        window.actions_[spec.name].setText(translated(spec.context, spec.text))
    window.theme_actions["light"].setText(QtCore.QCoreApplication.translate("MainWindow", "&Light theme"))
    window.theme_actions["dark"].setText(QtCore.QCoreApplication.translate("MainWindow", "&Dark theme"))
    for lang, action in window.language_actions.items():
        action.setText(i18n.LANGUAGES[lang])
    window.theme_actions[theme.current().name].setChecked(True)
    window.language_actions[i18n.current()].setChecked(True)


def _parts(window: Any) -> dict[str, Callable[[QtWidgets.QMenu], object]]:
    """What builds each "@part" of ``MENUS`` from the window's state."""

    def language(menu: QtWidgets.QMenu) -> None:
        title = QtCore.QCoreApplication.translate("MainWindow", "&Language")
        menu.addMenu(title).addActions(list(window.language_actions.values()))

    return {
        "export_window": window.exports.window_menu,
        "export_view": window.exports.views_menu,
        "record": lambda menu: menu.addAction(window.recording.action),
        "scenes": window.scenes.scenes_menu,
        "compare": window.scenes.compare_menu,
        "themes": lambda menu: menu.addActions(list(window.theme_actions.values())),
        "language": language,
    }


def build_menus(window: Any) -> dict[str, QtWidgets.QMenu]:
    """Fill the window's menu bar as ``MENUS`` says (again after a look change)."""
    parts = _parts(window)
    bar = window.menuBar()
    bar.clear()
    bar.setFont(QtWidgets.QApplication.font())
    menus = {}
    for name, title, entries in MENUS:
        menu = bar.addMenu(translated(CONTEXT, title))
        menu.setObjectName(name)
        for entry in entries:
            if entry == "-":
                menu.addSeparator()
            elif entry.startswith("@"):
                parts[entry[1:]](menu)
            else:
                menu.addAction(window.actions_[entry])
        menus[name] = menu
    return menus
