"""Messages stay visible with the controls hidden (issue 13): the status bar, or a toast that
fades over the views when H has hidden the controls; in both languages."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6 import QtWidgets

from app import i18n
from app.main_window import MainWindow, make_application
from app.toast import FADE_MS, TOAST_MS
from model import ExperimentConfig


@pytest.fixture
def window(qtbot) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    make_application()
    w = MainWindow(ExperimentConfig(depth=3, width=8, n_samples=100), controller=None)
    qtbot.addWidget(w)
    w.resize(1280, 800)
    w.show()
    qtbot.waitExposed(w)
    yield w
    w.close()


def _visible_on_screen(widget: QtWidgets.QWidget, window: QtWidgets.QWidget) -> bool:
    if not widget.isVisibleTo(window) or not widget.isVisible():
        return False
    rect = widget.rect().translated(widget.mapTo(window, widget.rect().topLeft()))
    return window.rect().contains(rect)


def test_a_live_change_is_said_in_the_status_bar_not_the_dock(window: MainWindow) -> None:
    window.controls.widget("learning_rate").setValue(0.05)  # type: ignore[attr-defined]
    label = window.message
    assert "applied live" in label.text()
    assert label.parent() is window.statusBar() or window.statusBar().isAncestorOf(label)
    assert not window.dock.isAncestorOf(label)
    assert _visible_on_screen(label, window)


def test_with_controls_hidden_a_message_is_a_toast_that_fades(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    window.presentation.set_controls_visible(False)
    assert not window.statusBar().isVisible()
    window.controls.widget("depth").setValue(5)  # type: ignore[attr-defined]  # rebuilds the network
    toast = window.messages.toast
    assert "rebuilt" in toast.text()
    assert _visible_on_screen(toast, window) and toast.opacity() == 1.0
    # inside the window, over the views, never wider than the window
    assert toast.width() <= window.width() and toast.geometry().bottom() < window.height()
    qtbot.waitUntil(lambda: not toast.isVisible(), timeout=TOAST_MS["info"] + FADE_MS + 2000)
    # showing the controls again brings the status bar back with the last message
    window.presentation.set_controls_visible(True)
    assert window.statusBar().isVisible() and "rebuilt" in window.message.text()


def test_errors_toast_in_chinese(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    app = QtWidgets.QApplication.instance()
    window.presentation.set_controls_visible(False)
    window.set_language("zh_CN")
    try:
        window.play()  # no engine: nothing; a diverged run refuses to play, with a message
        window.diverged = True
        window.play()
        toast = window.messages.toast
        assert toast.isVisible() and toast.property("kind") == "error"
        assert any("\u4e00" <= ch <= "\u9fff" for ch in toast.text()), toast.text()
    finally:
        window.set_language("en")
        assert i18n.current() == "en" and app is not None
