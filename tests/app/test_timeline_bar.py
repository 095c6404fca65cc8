"""TimelineBar: scrubbing emits the entry, playback advances and stops, Live returns to
following, and new entries never move a scrubbed slider. Also: a past frame draws with
``history.until`` in the real views."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import numpy as np
import pytest
from PySide6 import QtCore, QtGui, QtWidgets

from app.main_window import make_application
from app.timeline_bar import MIN_HANDLE_PX, TimelineBar
from model import ExperimentConfig, Snapshot, Trainer
from model.history import History
from model.timeline import Timeline

CONFIG = ExperimentConfig(depth=3, width=8, n_samples=120)
EVERY = 25


@pytest.fixture(scope="module")
def detail() -> Snapshot:
    trainer = Trainer(CONFIG)
    for _ in range(3):
        trainer.step()
    return trainer.step(detail=True)


def fill(tl: Timeline, detail: Snapshot, n: int) -> None:
    """Entries up to ``n`` in all, one every EVERY steps after the newest."""
    start = 0 if len(tl) == 0 else tl.step_at(-1) + EVERY
    for k in range(n - len(tl)):
        tl.append(dataclasses.replace(detail, step=start + k * EVERY))


@pytest.fixture
def bar(qtbot, detail: Snapshot) -> Iterator[TimelineBar]:  # type: ignore[no-untyped-def]
    make_application()
    tl = Timeline()
    fill(tl, detail, 8)
    w = TimelineBar(tl)
    qtbot.addWidget(w)
    w.resize(1000, 60)
    w.show()
    qtbot.waitExposed(w)
    yield w
    w.pause_playback()


def test_starts_live_and_follows_new_entries_silently(bar: TimelineBar, qtbot, detail: Snapshot) -> None:  # type: ignore[no-untyped-def]
    assert bar.is_live() and bar.index() == 7 and bar.label.text() == "LIVE"
    assert not bar.live_button.isEnabled()
    with qtbot.assertNotEmitted(bar.scrubbed), qtbot.assertNotEmitted(bar.live_requested):
        for n in (9, 12, 30):
            fill(bar.timeline, detail, n)
            bar.set_count(len(bar.timeline))
            assert bar.index() == n - 1 and bar.slider.maximum() == n - 1
    assert bar.is_live() and bar.label.text() == "LIVE"


def test_setting_the_slider_emits_the_entry_and_leaves_live(bar: TimelineBar, qtbot) -> None:  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(bar.scrubbed, timeout=1000) as blocker:
        bar.slider.setValue(3)
    assert blocker.args == [3]
    assert not bar.is_live() and bar.live_button.isEnabled()
    assert bar.label.text() == f"step {3 * EVERY}"


def test_dragging_the_handle_emits_the_entries_passed(bar: TimelineBar, qtbot) -> None:  # type: ignore[no-untyped-def]
    slider = bar.slider
    seen: list[int] = []
    bar.scrubbed.connect(seen.append)
    handle = handle_rect(slider)
    start = handle.center()
    qtbot.mousePress(slider, QtCore.Qt.MouseButton.LeftButton, pos=start)
    for x in range(start.x(), 0, -20):
        qtbot.mouseMove(slider, QtCore.QPoint(x, start.y()))
    qtbot.mouseRelease(slider, QtCore.Qt.MouseButton.LeftButton, pos=QtCore.QPoint(1, start.y()))
    assert seen and seen[-1] == 0 and bar.index() == 0
    assert seen == sorted(seen, reverse=True)
    assert not bar.is_live()


def test_keyboard_home_end_page_up_page_down(bar: TimelineBar, qtbot, detail: Snapshot) -> None:  # type: ignore[no-untyped-def]
    fill(bar.timeline, detail, 40)
    bar.set_count()
    seen: list[int] = []
    bar.scrubbed.connect(seen.append)
    bar.slider.setFocus()
    Key = QtCore.Qt.Key
    for key in (Key.Key_Home, Key.Key_PageUp, Key.Key_PageUp, Key.Key_PageDown, Key.Key_End):
        qtbot.keyClick(bar.slider, key)
    assert seen == [0, 4, 8, 4, 39]


def test_the_slider_keeps_its_keys_from_window_shortcuts(qtbot, detail: Snapshot) -> None:  # type: ignore[no-untyped-def]
    # the main window binds → to "step once"; on a focused slider it must move the slider
    make_application()
    window = QtWidgets.QMainWindow()
    qtbot.addWidget(window)
    tl = Timeline()
    fill(tl, detail, 8)
    bar = TimelineBar(tl)
    window.setCentralWidget(bar)
    fired: list[str] = []
    for key in ("Right", "Home"):
        shortcut = QtGui.QShortcut(QtGui.QKeySequence(key), window)
        shortcut.activated.connect(lambda k=key: fired.append(k))
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    bar.slider.setFocus()
    qtbot.waitUntil(bar.slider.hasFocus, timeout=2000)
    qtbot.keyClick(bar.slider, QtCore.Qt.Key.Key_Home)
    qtbot.keyClick(bar.slider, QtCore.Qt.Key.Key_Right)
    assert bar.index() == 1 and fired == []


def test_playback_advances_and_stops_at_the_newest_entry(bar: TimelineBar, qtbot) -> None:  # type: ignore[no-untyped-def]
    seen: list[int] = []
    bar.scrubbed.connect(seen.append)
    bar.set_rate(50.0)
    qtbot.mouseClick(bar.play_button, QtCore.Qt.MouseButton.LeftButton)  # from live: starts at the first
    assert bar.is_playing() and bar.play_button.isChecked() and not bar.is_live()
    qtbot.waitUntil(lambda: not bar.is_playing(), timeout=5000)
    assert seen == list(range(8))
    assert bar.index() == 7 and not bar.is_live() and bar.label.text() == f"step {7 * EVERY}"
    assert not bar.play_button.isChecked()
    # playing again from the newest entry starts over
    seen.clear()
    bar.play()
    qtbot.waitUntil(lambda: not bar.is_playing(), timeout=5000)
    assert seen == list(range(8))


def test_playback_pauses_and_resumes_where_it_was(bar: TimelineBar, qtbot) -> None:  # type: ignore[no-untyped-def]
    bar.slider.setValue(2)
    bar.set_rate(10.0)
    bar.play()
    qtbot.waitUntil(lambda: bar.index() >= 3, timeout=3000)
    qtbot.mouseClick(bar.play_button, QtCore.Qt.MouseButton.LeftButton)
    assert not bar.is_playing()
    stopped = bar.index()
    qtbot.wait(250)
    assert bar.index() == stopped < 7
    bar.play()
    qtbot.waitUntil(lambda: bar.index() > stopped, timeout=3000)
    bar.pause_playback()


def test_live_button_emits_and_returns_to_following(bar: TimelineBar, qtbot, detail: Snapshot) -> None:  # type: ignore[no-untyped-def]
    bar.slider.setValue(2)
    bar.play()
    with qtbot.waitSignal(bar.live_requested, timeout=1000), qtbot.assertNotEmitted(bar.scrubbed):
        qtbot.mouseClick(bar.live_button, QtCore.Qt.MouseButton.LeftButton)
    assert bar.is_live() and not bar.is_playing() and bar.index() == 7 and bar.label.text() == "LIVE"
    fill(bar.timeline, detail, 12)
    with qtbot.assertNotEmitted(bar.scrubbed):
        bar.set_count()
    assert bar.index() == 11


def test_new_entries_do_not_move_a_scrubbed_slider(bar: TimelineBar, qtbot, detail: Snapshot) -> None:  # type: ignore[no-untyped-def]
    bar.slider.setValue(2)
    with qtbot.assertNotEmitted(bar.scrubbed):
        fill(bar.timeline, detail, 20)
        bar.set_count()
    assert bar.index() == 2 and not bar.is_live() and bar.slider.maximum() == 19
    assert bar.label.text() == f"step {2 * EVERY}"


def test_a_scrubbed_slider_stays_on_its_step_when_the_timeline_decimates(qtbot, detail: Snapshot) -> None:  # type: ignore[no-untyped-def]
    make_application()
    tl = Timeline(max_entries=16)
    fill(tl, detail, 14)
    bar = TimelineBar(tl)
    qtbot.addWidget(bar)
    bar.slider.setValue(10)  # step 250
    with qtbot.assertNotEmitted(bar.scrubbed):
        fill(tl, detail, 16)  # full: every second entry goes
        bar.set_count()
    assert len(tl) < 16 and tl.min_gap > 0
    assert bar.index() == tl.index_at_or_before(250) and tl.step_at(bar.index()) == 250
    assert bar.label.text() == "step 250"


def test_empty_and_single_entry_timelines(qtbot, detail: Snapshot) -> None:  # type: ignore[no-untyped-def]
    make_application()
    tl = Timeline()
    bar = TimelineBar(tl)
    qtbot.addWidget(bar)
    assert not bar.slider.isEnabled() and not bar.play_button.isEnabled()
    bar.play()
    assert not bar.is_playing()
    tl.append(detail)
    bar.set_count()
    assert bar.slider.isEnabled() and not bar.play_button.isEnabled() and bar.index() == 0


def handle_rect(slider: QtWidgets.QSlider) -> QtCore.QRect:
    opt = QtWidgets.QStyleOptionSlider()
    slider.initStyleOption(opt)
    return slider.style().subControlRect(
        QtWidgets.QStyle.ComplexControl.CC_Slider, opt, QtWidgets.QStyle.SubControl.SC_SliderHandle, slider
    )


def test_big_enough_for_a_projector_and_growing_with_the_font(bar: TimelineBar, qtbot) -> None:  # type: ignore[no-untyped-def]
    handle = handle_rect(bar.slider)
    assert handle.width() >= MIN_HANDLE_PX and handle.height() >= MIN_HANDLE_PX, handle
    assert bar.slider.height() >= handle.height() and bar.play_button.height() >= handle.height()
    assert bar.play_button.font().pointSize() == QtWidgets.QApplication.font().pointSize()
    font = bar.font()
    font.setPointSize(font.pointSize() * 2)
    bar.setFont(font)  # e.g. the application's size scale doubled
    qtbot.waitUntil(lambda: handle_rect(bar.slider).height() >= 1.7 * handle.height(), timeout=2000)
    assert bar.play_button.minimumHeight() >= handle_rect(bar.slider).height()


def test_a_past_frame_draws_in_the_views_with_history_until(qtbot) -> None:  # type: ignore[no-untyped-def]
    from app.export import metrics_dict
    from views.gradients_view import GradientsView
    from views.loss_view import LossView

    make_application()
    trainer = Trainer(CONFIG)
    history, tl = History(CONFIG.depth + 1), Timeline()
    tl.append(trainer.inspect())
    for i in range(1, 201):
        snap = trainer.step(detail=i % 25 == 0)
        history.append(snap)
        tl.append(snap)
    frame = tl.frame(tl.index_at_or_before(100) or 0)
    assert frame.step == 100
    past = history.until(frame.step)
    loss, grads = LossView(), GradientsView()
    for view in (loss, grads):
        qtbot.addWidget(view)
        view.set_experiment(CONFIG)
        view.show_snapshot(frame.snapshot, past)
    xs, _ = loss.train_loss.getData()
    assert xs is not None and xs.max() == 100
    assert grads.heat_image.image is not None and grads.heat_image.image.shape[1] == 100
    cut = metrics_dict(past)
    assert cut["steps"] == list(range(1, 101)) and cut["stride"] == history.stride
    assert np.all(np.diff(cut["steps"]) > 0)
