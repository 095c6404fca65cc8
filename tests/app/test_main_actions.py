"""The main window's table of commands (app/main_actions.py) against the window built from it:
every command is in a menu and, with its keys, in the ``?`` overlay; no key does two things;
the keys really trigger the command; every text has a translation."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6 import QtCore, QtGui, QtWidgets

from app import main_actions
from app.main_actions import ACTIONS, ESCAPE, MENUS, keys_text, translated
from app.main_window import MainWindow, make_application
from model import ExperimentConfig


@pytest.fixture
def window(qtbot) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    make_application(language="en")
    w = MainWindow(ExperimentConfig(depth=3, width=8, n_samples=100), controller=None)
    qtbot.addWidget(w)
    w.resize(1280, 800)
    w.show()
    qtbot.waitExposed(w)
    yield w
    if QtCore.QCoreApplication.translate("MainWindow", "&File") != "&File":
        w.set_language("en")
    w.close()


def _menu_actions(menu: QtWidgets.QMenu) -> Iterator[QtGui.QAction]:
    for action in menu.actions():
        yield action
        if action.menu() is not None:
            yield from _menu_actions(action.menu())  # type: ignore[arg-type]


def _all_menu_actions(window: MainWindow) -> list[QtGui.QAction]:
    found = []
    for top in window.menuBar().actions():
        found.append(top)
        found += list(_menu_actions(top.menu()))  # type: ignore[arg-type]
    return found


def test_every_command_is_in_a_menu_once_with_its_shortcut(window: MainWindow) -> None:
    in_menus = _all_menu_actions(window)
    for spec in ACTIONS:
        action = window.actions_[spec.name]
        assert in_menus.count(action) == 1, spec.name
        assert action.text() == translated(spec.context, spec.text)
        assert [k.toString() for k in action.shortcuts()] == [
            QtGui.QKeySequence(k).toString() for k in spec.bindings()
        ], spec.name
    # the layout names only commands of the table (and the parts built from the window's state)
    named = [e for _, _, entries in MENUS for e in entries if e != "-" and not e.startswith("@")]
    assert sorted(named) == sorted(spec.name for spec in ACTIONS)
    assert [window.menuBar().actions()[i].menu().objectName() for i in range(len(MENUS))] == [m[0] for m in MENUS]  # type: ignore[union-attr]


def test_every_shortcut_is_in_the_overlay_with_what_it_does(window: MainWindow) -> None:
    window.presentation.toggle_overlay()
    overlay = window.presentation.overlay
    assert overlay.isVisible()
    with_keys = [spec for spec in ACTIONS if spec.keys]
    assert overlay.rows == [(keys_text(s.keys), translated(s.context, s.help)) for s in with_keys]
    for spec in with_keys:
        assert spec.help, spec.name
        assert keys_text(spec.keys) in overlay.label.text().replace("&amp;", "&")
    overlay.hide()


def test_no_key_does_two_things(window: MainWindow) -> None:
    sequences = [QtGui.QKeySequence(k).toString() for spec in ACTIONS for k in spec.bindings()]
    sequences.append(QtGui.QKeySequence(ESCAPE).toString())
    assert all(sequences)
    assert len(sequences) == len(set(sequences)), sorted(sequences)
    # ... and nothing else in the window binds one of them
    for action in window.findChildren(QtGui.QAction):
        if action.objectName() in window.actions_:
            continue
        for key in action.shortcuts():
            assert key.toString() not in sequences, (action.objectName(), key.toString())


def test_the_keys_trigger_their_commands(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=2000)
    qtbot.keyClick(window, QtCore.Qt.Key.Key_H)
    assert not window.presentation.controls_visible and not window.dock.isVisible()
    qtbot.keyClick(window, QtCore.Qt.Key.Key_H)
    assert window.presentation.controls_visible and window.dock.isVisible()
    qtbot.keyClick(window, QtCore.Qt.Key.Key_F1)
    assert window.presentation.overlay.isVisible()
    qtbot.keyClick(window.presentation.overlay, QtCore.Qt.Key.Key_Escape)
    assert not window.presentation.overlay.isVisible()
    qtbot.keyClick(window, QtCore.Qt.Key.Key_Space)
    assert window.playing
    qtbot.keyClick(window, QtCore.Qt.Key.Key_Space)
    assert not window.playing


def test_every_text_is_translated(window: MainWindow) -> None:
    english = {
        spec.name: (translated(spec.context, spec.text), translated(spec.context, spec.help)) for spec in ACTIONS
    }
    menus_en = [a.text() for a in _all_menu_actions(window)]
    rows_en = main_actions.shortcut_rows()
    window.set_language("zh_CN")
    for spec in ACTIONS:
        text, help_ = translated(spec.context, spec.text), translated(spec.context, spec.help)
        assert text and text != english[spec.name][0], spec.name
        assert window.actions_[spec.name].text() == text
        if spec.keys:
            assert help_ and help_ != english[spec.name][1], spec.name
    # every entry of every menu (language names are written in their own language, SVG is SVG)
    menus_zh = [a.text() for a in _all_menu_actions(window)]
    assert len(menus_zh) == len(menus_en)
    same = {en for en, zh in zip(menus_en, menus_zh, strict=True) if en == zh and en}
    assert same <= {"English", "简体中文", "SVG…"}, same
    assert all(zh != en for (_, zh), (_, en) in zip(main_actions.shortcut_rows(), rows_en, strict=True))
