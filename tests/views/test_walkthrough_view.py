"""WalkthroughView: keys reveal the backward pass layer by layer; bad numbers are drawn, not raised."""

from __future__ import annotations

import functools
import math
import warnings
from collections.abc import Iterator

import numpy as np
import pytest
from PySide6 import QtCore, QtGui, QtWidgets

from app.layout_fit import fake_available_geometry
from model.config import ExperimentConfig
from model.trainer import Trainer
from model.walkthrough import BackwardWalk, backward_walk
from tests.views.fitting import open_walkthrough
from views import theme
from views.gradients_view import NONFINITE
from views.walkthrough_boxes import choose_box_fonts
from views.walkthrough_text import box_rows, number_text, walk_text
from views.walkthrough_view import SHRINK, WalkthroughView

Key = QtCore.Qt.Key
DEPTH = 4


def make_walk(depth: int = DEPTH, width: int = 8, **kwargs: object) -> BackwardWalk:
    trainer = Trainer(ExperimentConfig(depth=depth, width=width, n_samples=200, **kwargs))  # type: ignore[arg-type]
    x, y = trainer._next_batch()
    return backward_walk(trainer.network, x, y, step=42)


def diverged_walk() -> BackwardWalk:
    """A ReLU net whose activations overflow: inf and NaN all the way back."""
    trainer = Trainer(ExperimentConfig(depth=6, width=8, n_samples=200, activation="relu", init="he_normal"))
    trainer.network.weights[2][...] *= 1e160
    trainer.network.weights[4][...] *= 1e160
    x, y = trainer._next_batch()
    return backward_walk(trainer.network, x, y)


@pytest.fixture(scope="module")
def walk() -> BackwardWalk:
    return make_walk()


@pytest.fixture
def view(qtbot, walk: BackwardWalk) -> WalkthroughView:  # type: ignore[no-untyped-def]
    w = WalkthroughView()
    qtbot.addWidget(w)
    w.resize(1200, 450)
    w.show()
    qtbot.waitExposed(w)
    w.set_walk(walk)
    w.setFocus()
    return w


def pixels(view: WalkthroughView) -> QtGui.QImage:
    return view.grab().toImage()


def test_title_and_api() -> None:
    assert WalkthroughView.title == "Backward pass"
    for name in ("set_walk", "next", "previous", "reset", "reveal_all", "clear"):
        assert callable(getattr(WalkthroughView, name))


def test_a_new_walk_starts_at_the_output(view: WalkthroughView, walk: BackwardWalk) -> None:
    assert view.position == 1
    assert view.caption_text() == walk_text(walk, 1)
    assert "output" in view.caption_text()


def test_right_reveals_one_more_layer(qtbot, view: WalkthroughView, walk: BackwardWalk) -> None:  # type: ignore[no-untyped-def]
    before_text, before_image = view.caption_text(), pixels(view)
    qtbot.keyClick(view, Key.Key_Right)
    assert view.position == 2
    assert view.caption_text() == walk_text(walk, 2) != before_text
    assert f"Layer {DEPTH}:" in view.caption_text()  # the last hidden layer, 1-based
    assert pixels(view) != before_image


def test_left_goes_back(qtbot, view: WalkthroughView, walk: BackwardWalk) -> None:  # type: ignore[no-untyped-def]
    start = pixels(view)
    qtbot.keyClick(view, Key.Key_Right)
    qtbot.keyClick(view, Key.Key_Right)
    qtbot.keyClick(view, Key.Key_Left)
    assert view.position == 2
    qtbot.keyClick(view, Key.Key_Left)
    assert view.position == 1
    assert view.caption_text() == walk_text(walk, 1)
    assert pixels(view) == start
    qtbot.keyClick(view, Key.Key_Left)  # the output stays revealed
    assert view.position == 1


@pytest.mark.parametrize("key", [Key.Key_Right, Key.Key_Down, Key.Key_Space, Key.Key_N])
def test_every_next_key(qtbot, view: WalkthroughView, key: Key) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClick(view, key)
    assert view.position == 2


@pytest.mark.parametrize("key", [Key.Key_Left, Key.Key_Up, Key.Key_Backspace, Key.Key_P])
def test_every_previous_key(qtbot, view: WalkthroughView, key: Key) -> None:  # type: ignore[no-untyped-def]
    view.reveal_all()
    qtbot.keyClick(view, key)
    assert view.position == DEPTH


def test_end_reveals_all_and_home_starts_over(qtbot, view: WalkthroughView, walk: BackwardWalk) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClick(view, Key.Key_End)
    assert view.position == walk.n_layers == DEPTH + 1
    assert "Layer 1:" in view.caption_text() and "vanishing" in view.caption_text()
    qtbot.keyClick(view, Key.Key_Right)  # nothing beyond the input layer
    assert view.position == walk.n_layers
    qtbot.keyClick(view, Key.Key_Home)
    assert view.position == 1


def test_escape_emits_closed(qtbot, view: WalkthroughView) -> None:  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(view.closed, timeout=1000):
        qtbot.keyClick(view, Key.Key_Escape)


def test_position_changed_is_emitted(qtbot, view: WalkthroughView) -> None:  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(view.position_changed, timeout=1000) as blocker:
        qtbot.keyClick(view, Key.Key_Right)
    assert blocker.args == [2]


def test_view_keys_beat_window_shortcuts(qtbot, walk: BackwardWalk) -> None:  # type: ignore[no-untyped-def]
    # the main window binds Space (play) and → (step) as application shortcuts
    window = QtWidgets.QWidget()
    qtbot.addWidget(window)
    fired: list[str] = []
    for name in ("Space", "Right"):
        shortcut = QtGui.QShortcut(QtGui.QKeySequence(name), window)
        shortcut.setContext(QtCore.Qt.ShortcutContext.ApplicationShortcut)
        shortcut.activated.connect(lambda n=name: fired.append(n))
    other = QtWidgets.QPushButton("other", window)  # claims neither → nor Space
    view = WalkthroughView(window)
    layout = QtWidgets.QVBoxLayout(window)
    layout.addWidget(other)
    layout.addWidget(view)
    window.resize(1000, 500)
    window.show()
    window.activateWindow()  # shortcuts need an active window
    qtbot.waitUntil(window.isActiveWindow, timeout=2000)
    view.set_walk(walk)
    view.setFocus()
    qtbot.waitUntil(view.hasFocus, timeout=2000)
    qtbot.keyClick(view, Key.Key_Right)
    qtbot.keyClick(view, Key.Key_Space)
    assert view.position == 3
    assert fired == []
    # elsewhere in the window the shortcuts still work
    other.setFocus()
    qtbot.waitUntil(other.hasFocus, timeout=2000)
    qtbot.keyClick(other, Key.Key_Right)
    assert fired == ["Right"]  # so the check above could have failed


def test_current_layer_is_highlighted(view: WalkthroughView) -> None:
    view.next()
    current, revealed, hidden = view._boxes[1], view._boxes[0], view._boxes[2]
    assert current.frame.pen().widthF() > revealed.frame.pen().widthF()
    assert hidden.frame.pen().style() == QtCore.Qt.PenStyle.DashLine
    assert current.frame.brush().color() != revealed.frame.brush().color()
    # the numbers appear when a layer is revealed, not before
    assert "f′ mean" in current.html and "f′ mean" not in hidden.html


def test_bars_follow_the_walk_on_a_log_axis(view: WalkthroughView, walk: BackwardWalk) -> None:
    view.reveal_all()
    lo, _ = view._range
    tops = np.asarray(view.bars.opts["height"]) + lo
    expected = [math.log10(f.running_product) for f in walk.layers]
    np.testing.assert_allclose(tops, expected)
    # output on the right, input on the left
    np.testing.assert_allclose(view.bars.opts["x"], np.arange(DEPTH + 1, 0, -1))
    # a sigmoid step shrinks: blue bars below the output's reference bar
    brushes = view.bars.opts["brushes"]
    assert all(b.color().name().lower() == SHRINK.lower() for b in brushes[1:])
    view.reset()
    assert len(view.bars.opts["x"]) == 1


def test_bad_numbers_render_without_warnings(qtbot) -> None:  # type: ignore[no-untyped-def]
    bad = diverged_walk()
    values = [f.running_product for f in bad.layers]
    assert not all(math.isfinite(v) for v in values)
    view = WalkthroughView()
    qtbot.addWidget(view)
    view.resize(1200, 450)
    view.show()
    qtbot.waitExposed(view)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        view.set_walk(bad)
        view.grab()
        for _ in range(bad.n_layers):
            qtbot.keyClick(view, Key.Key_Right)
            view.grab()
        assert view.position == bad.n_layers
    assert "NaN" in view.caption_text() or "inf" in view.caption_text()
    assert "diverged" in view.caption_text()
    last = view._boxes[-1]
    assert NONFINITE.lower() in last.html.lower()  # inf/NaN in their own colour
    assert np.all(np.isfinite(view.bars.opts["height"]))


def test_a_gradient_that_died_is_explained_not_alarmed(qtbot) -> None:  # type: ignore[no-untyped-def]
    trainer = Trainer(ExperimentConfig(depth=5, width=8, n_samples=200))
    trainer.network.weights[2][...] = 1e300  # saturates the sigmoid: f′ = 0 exactly
    x, y = trainer._next_batch()
    dead = backward_walk(trainer.network, x, y)
    text = walk_text(dead, dead.n_layers)
    assert "running product 0" in text and "died" in text
    rows = box_rows(dead, dead.n_layers - 1)
    assert any(r.value == "—" for r in rows)  # 0/0 below a dead layer is "—", not an alarm


def test_another_depth_rebuilds_and_keys_create_no_items(view: WalkthroughView) -> None:
    deeper = make_walk(depth=9)
    view.set_walk(deeper)
    assert len(view._boxes) == 10 and view.position == 1
    before = len(view.plots.scene().items())
    for _ in range(12):
        view.next()
    view.previous()
    assert len(view.plots.scene().items()) == before


def test_very_deep_networks_use_a_callout(qtbot) -> None:  # type: ignore[no-untyped-def]
    deep = make_walk(depth=64, width=8, activation="tanh")
    view = WalkthroughView()
    qtbot.addWidget(view)
    view.resize(1200, 450)
    view.show()
    qtbot.waitExposed(view)
    view.set_walk(deep)
    for _ in range(30):
        view.next()
    view.grab()
    assert view._fonts.mode == "compact"
    assert view.callout.isVisible() and "f′ mean" in view._callout_html
    # the boxes keep only their layer's name (issue 13: never an empty box), on one line
    assert not any("f′ mean" in box.html for box in view._boxes)
    assert name_problems(view) == []


NAME_SCREENS = ((1280, 720), (1920, 1080), (3840, 2160))
NAME_SCALES = (0.75, 1.0, 2.0, 2.5)


@functools.cache
def deep_walk(depth: int) -> BackwardWalk:
    return make_walk(depth=depth, width=8)


@pytest.fixture
def scale_back() -> Iterator[None]:
    yield
    theme.apply_pyqtgraph(theme.LIGHT, scale=1.0)


def name_problems(view: WalkthroughView) -> list[str]:
    """Every layer name the boxes show: on one line, inside its box's frame, not under the
    call-out; the current layer always named, and every box the call-out leaves free too."""
    problems = []
    sizes: set[int] = set()
    n = len(view._boxes)
    callout = None
    if view.callout.isVisible():  # with its outline, half of it outside, and a pixel to spare
        edge = view.callout.border.widthF() / 2 + 1
        callout = view.callout.mapRectToScene(view.callout.boundingRect()).adjusted(-edge, -edge, edge, edge)
    for i, box in enumerate(view._boxes):
        number = n - i
        frame = box.frame.mapRectToScene(box.frame.rect())
        inside = frame.adjusted(*(d * box.frame.pen().widthF() / 2 for d in (1, 1, -1, -1)))
        block = box.text.textItem.document().firstBlock()
        name = block.text().split("\u2028")[0]  # a box's rows are <br>-separated lines
        if not name.strip():
            if i == view.position - 1:
                problems.append(f"the current layer L{number} is not named")
            elif callout is None or not callout.intersects(frame):
                problems.append(f"box {i} (L{number}) is not named, though nothing covers it")
            continue
        if name not in (f"L{number}", str(number)):
            problems.append(f"box {i} is named {name!r}, not L{number}")
            continue
        layout = block.layout()
        line = layout.lineAt(0)
        if line.textStart() != 0 or line.textLength() < len(name):
            problems.append(f"{name!r} wraps: its first line holds {line.textLength()} characters")
            continue
        # the ink: from the capitals' top to the baseline (digits and "L" have no descenders)
        font = block.begin().fragment().charFormat().font()
        cap = QtGui.QFontMetricsF(font).capHeight()
        rect = line.naturalTextRect().translated(layout.position())
        rect.setTop(rect.top() + line.ascent() - cap)
        rect.setBottom(rect.top() + cap)
        on_screen = box.text.textItem.mapRectToScene(rect)
        if not inside.contains(on_screen):
            problems.append(f"{name!r} at {on_screen} leaves its box {inside}")
        if callout is not None and callout.intersects(on_screen):
            problems.append(f"{name!r} is (partly) under the call-out")
        sizes.add(font.pointSize())
    if view._fonts.mode == "compact" and len(sizes) > 1:  # the current name no smaller than the rest
        problems.append(f"compact boxes name their layers in {len(sizes)} sizes: {sorted(sizes)}")
    return problems


@pytest.mark.parametrize("screen", NAME_SCREENS, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("scale", NAME_SCALES)
@pytest.mark.parametrize("depth", [20, 40])
def test_layer_names_fit_their_boxes_on_one_line(  # type: ignore[no-untyped-def]
    qtbot, scale_back: None, depth: int, scale: float, screen: tuple[int, int]
) -> None:
    """A layer name is never wrapped ("L4" over "0"), cut or hidden under the call-out."""
    theme.apply_pyqtgraph(theme.LIGHT, scale=scale)
    walk = deep_walk(depth)
    with fake_available_geometry(*screen):
        view = open_walkthrough(qtbot, walk, screen)
        problems = []
        for position in (1, walk.n_layers // 2, walk.n_layers - 2, walk.n_layers):
            view._go(position)
            QtWidgets.QApplication.processEvents()
            problems += [f"at {position}: {p}" for p in name_problems(view)]
    assert problems == []


def test_clear_and_an_empty_view(qtbot) -> None:  # type: ignore[no-untyped-def]
    view = WalkthroughView()
    qtbot.addWidget(view)
    view.show()
    view.next()
    view.reveal_all()
    assert view.position == 0
    view.set_walk(make_walk())
    view.clear()
    assert view.position == 0 and len(view.bars.opts["x"]) == 0
    view.grab()


def test_walk_text_speaks_the_lecture() -> None:
    sigmoid = make_walk()
    assert "σ′ ≤ 1/4" in walk_text(sigmoid, 2)
    assert walk_text(sigmoid, 2).startswith(f"Layer {DEPTH}: running product ")
    assert number_text(sigmoid.layers[1].running_product) in walk_text(sigmoid, 2)
    relu = make_walk(activation="relu", init="he_normal")
    assert "ReLU′" in walk_text(relu, 2)
    residual = make_walk(activation="tanh", residual=True)
    assert "skip" in walk_text(residual, 3)
    assert "press →" in walk_text(sigmoid, 0)
    assert walk_text(sigmoid, 99) == walk_text(sigmoid, sigmoid.n_layers)


def test_box_rows_show_the_three_numbers(walk: BackwardWalk) -> None:
    f = walk.layers[2]
    rows = {r.label: r.value for r in box_rows(walk, 2)}
    assert rows["f′ mean"] == number_text(f.mean_fprime)
    assert rows["× W gain"] == number_text(f.weight_gain)
    assert rows["= factor"] == number_text(f.factor)


def test_number_text() -> None:
    assert number_text(0.27) == "0.27"
    assert number_text(1.3) == "1.30"
    assert number_text(0.97) == "0.97" and number_text(1.04) == "1.04"
    assert number_text(0.021) == "0.021"
    assert number_text(42.4) == "42"
    assert number_text(1.2e-6) == "1.2e-6"
    assert number_text(3.1e-4) == "3.1e-4"
    assert number_text(0.0) == "0"
    assert number_text(math.inf) == "inf" and number_text(-math.inf) == "−inf"
    assert number_text(math.nan) == "NaN"


def test_box_fonts_shrink_with_the_columns(walk: BackwardWalk, qtbot) -> None:  # type: ignore[no-untyped-def]
    rows = [box_rows(walk, i) for i in range(walk.n_layers)]
    wide = choose_box_fonts(rows, 300.0, 300.0)
    narrow = choose_box_fonts(rows, 90.0, 300.0)
    tiny = choose_box_fonts(rows, 15.0, 300.0)
    assert wide.value_pt > narrow.value_pt
    assert wide.mode != "compact" and tiny.mode == "compact"


# -- the GUI side of the wiring: worker stores the walk, controller asks for it --------------
def test_worker_keeps_the_newest_walk_until_a_reset(walk: BackwardWalk) -> None:
    from app.worker import TrainingWorker

    worker = TrainingWorker()
    assert worker.take().walk is None
    older = make_walk(depth=2)
    worker._store(("walk", older))
    worker._store(("walk", walk))
    updates = worker.take()
    assert updates.walk is walk and updates.messages == []
    assert worker.take().walk is None  # taken once
    worker._store(("walk", walk))
    worker._store(("ready", {"layer_sizes": (2, 8, 3)}))  # a rebuilt network: the walk is stale
    assert worker.take().walk is None


def test_controller_walk_pauses_and_sends_the_command() -> None:
    from app.worker import TrainingController

    class Recorder:
        def __init__(self) -> None:
            self.sent: list[tuple[object, ...]] = []

        def send(self, *command: object) -> None:
            self.sent.append(command)

    class Fake:
        playing = True
        worker = Recorder()

    fake = Fake()
    TrainingController.walk(fake)  # type: ignore[arg-type]
    assert fake.playing is False
    assert fake.worker.sent == [("walk",)]


def test_live_controller_delivers_a_walk(qtbot) -> None:  # type: ignore[no-untyped-def]
    from app.worker import TrainingController

    config = ExperimentConfig(depth=5, width=8, n_samples=200)
    controller = TrainingController()
    try:
        controller.reset(config.to_dict())
        controller.play()
        qtbot.wait(200)
        controller.walk()
        got: list[BackwardWalk] = []

        def arrived() -> bool:
            updates = controller.take()
            if updates.walk is not None:
                got.append(updates.walk)
            return bool(got)

        qtbot.waitUntil(arrived, timeout=20000)
        assert isinstance(got[0], BackwardWalk) and got[0].n_layers == config.depth + 1
        assert controller.playing is False
        qtbot.wait(300)  # frozen: the engine trains no further step after the walk
        assert all(s.step <= got[0].step for s in controller.take().snapshots)
    finally:
        assert controller.shutdown(3000)
