"""The view deck and the run deck: pages under a tab bar that the tabs and turn() switch."""

from __future__ import annotations

from PySide6 import QtWidgets

from app.view_deck import COMFORT, RunDeck, ViewDeck


def _labels(names: list[str]) -> dict[str, QtWidgets.QWidget]:
    return {name: QtWidgets.QLabel(name) for name in names}


def test_view_deck_pages_follow_its_size_and_turn(qtbot) -> None:  # type: ignore[no-untyped-def]
    views = _labels(list(COMFORT))
    deck = ViewDeck(views, title=str.upper)
    qtbot.addWidget(deck)
    pages_seen: list[int] = []
    deck.arranged.connect(pages_seen.append)

    deck.resize(300, 250)  # room for one view at a time
    deck.show()
    qtbot.waitUntil(lambda: deck.pages() == len(views))
    assert not deck.tabs.isHidden() and deck.tabs.count() == len(views)
    assert [deck.tabs.tabText(i) for i in range(deck.pages())] == [name.upper() for name in COMFORT]
    deck.turn(1)
    assert deck.tabs.currentIndex() == deck.stack.currentIndex() == 1
    assert deck.visible_views() == [list(COMFORT)[1]]
    deck.turn(-2)  # wraps around
    assert deck.stack.currentIndex() == len(views) - 1
    deck.show_view("loss")
    assert deck.visible_views() == ["loss"]

    deck.resize(1600, 900)  # all six in a grid
    qtbot.waitUntil(lambda: deck.pages() == 1)
    assert deck.tabs.isHidden()
    assert sorted(deck.visible_views()) == sorted(views)
    assert all(view.parent() is deck.stack.widget(0) for view in views.values())
    deck.turn(1)  # one page: nothing to turn
    assert deck.stack.currentIndex() == 0
    assert pages_seen[-1] == 1 and len(views) in pages_seen


def test_run_deck_pages_follow_its_size_and_turn(qtbot) -> None:  # type: ignore[no-untyped-def]
    columns = list(_labels([f"run {k}" for k in range(4)]).values())
    for column in columns:
        column.setMinimumSize(200, 150)
    deck = RunDeck(columns, per_row=2, titles=lambda k: f"Run {k}")
    host = QtWidgets.QWidget()  # no layout: the deck may be sized below its grid's minimum
    qtbot.addWidget(host)
    deck.setParent(host)
    deck.resize(1000, 800)  # the 2 × 2 grid fits
    host.resize(1000, 800)
    host.show()
    qtbot.waitUntil(lambda: deck.shape == (2, 2))
    assert deck.pages() == 1 and deck.tabs.isHidden()

    deck.resize(450, 200)  # one row of two a page
    qtbot.waitUntil(lambda: deck.shape == (2, 1))
    assert deck.pages() == 2 and not deck.tabs.isHidden()
    assert [deck.tabs.tabText(i) for i in range(2)] == ["Run 0 · Run 1", "Run 2 · Run 3"]
    deck.turn(1)
    assert deck.tabs.currentIndex() == deck.stack.currentIndex() == 1
    assert columns[2].parent() is deck.stack.widget(1)
    deck.turn(1)
    assert deck.stack.currentIndex() == 0
