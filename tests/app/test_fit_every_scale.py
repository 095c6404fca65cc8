"""Every window at every type scale on every screen size (issue 13).

Scales {0.75, 1, 1.5, 2, 2.5} × screens {1280×720, 1920×1080, 3840×2160} (a faked available
geometry, app.layout_fit): the window's frame fits the screen; no label, plot title, legend or
axis text is cut or overlaps another, on every page the views reflowed into; no tab label is
elided; every walk-through box names its layer and shows its numbers; the shortcut overlay and the toast
fit over the window; scaling back restores the window's size.  One main window is shared by
all parameters (a scale change rebuilds it, as Ctrl+= does); compare windows and walk-throughs
are built per scale, because they read the scale when they are built.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator

import pytest
from PySide6 import QtCore, QtGui, QtWidgets

from app.compare_window import open_variants_compare, train_compare_offline
from app.headless import train_into_window
from app.layout_fit import fake_available_geometry, fit_to_screen
from app.main_window import MainWindow, make_application
from model import ExperimentConfig
from model.scenes import load_scene
from tests.views import test_theme_scale_i18n as scale_checks
from tests.views.fitting import combo_problems, label_problems, open_walkthrough, scene_overflow, text_problems
from tests.views.realistic import run
from views import theme

SCALES = (0.75, 1.0, 1.5, 2.0, 2.5)
SCREENS = ((1280, 720), (1920, 1080), (3840, 2160))
TIMINGS: dict[str, float] = {}


def settle() -> None:
    for _ in range(3):
        QtWidgets.QApplication.processEvents()


def frame_problems(window: QtWidgets.QWidget, screen: tuple[int, int]) -> list[str]:
    area = QtCore.QRect(0, 0, *screen)
    frame = window.frameGeometry()
    return [] if area.contains(frame) else [f"frame {frame} leaves the screen {area}"]


def view_problems(view: QtWidgets.QWidget) -> list[str]:
    return scene_overflow(view) + scale_checks.row_and_tick_overflow(view) + text_problems(view)


@pytest.fixture(autouse=True, scope="module")
def _report_timings() -> Iterator[None]:
    yield
    print("\nfit-every-scale timings: " + ", ".join(f"{k} {v:.1f} s" for k, v in TIMINGS.items()))


@pytest.fixture(autouse=True)
def _back_to_scale_1() -> Iterator[None]:
    yield
    theme.apply_pyqtgraph(theme.LIGHT, scale=1.0)


# -- the main window -----------------------------------------------------------------------------
@pytest.fixture(scope="module")
def main() -> Iterator[MainWindow]:
    app = make_application()
    scene = load_scene("vanishing-sigmoid")
    config = scene.runs[0].config
    window = MainWindow(config, controller=None)
    window.presentation.set_scene(scene)  # the longest caption of the lecture's default
    window.resize(1280, 720)
    window.show()
    train_into_window(window, config, 60)
    yield window
    window.set_scale(1.0)
    window.close()
    window.deleteLater()
    app.processEvents()


def main_window_problems(window: MainWindow) -> list[str]:
    problems = []
    deck = window.deck
    for page in range(deck.pages()):
        deck.tabs.setCurrentIndex(page)
        settle()
        for name in deck.visible_views():
            problems += [f"{name}: {p}" for p in view_problems(window.views[name])]
        problems += [f"page {page}: {p}" for p in label_problems(window)]
    deck.tabs.setCurrentIndex(0)
    return problems


@pytest.mark.parametrize("screen", SCREENS, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("scale", SCALES)
def test_main_window_fits_every_scale_and_screen(main: MainWindow, scale: float, screen: tuple[int, int]) -> None:
    start = time.perf_counter()
    with fake_available_geometry(*screen):
        main.presentation.set_controls_visible(True)
        if theme.scale() != 1.0:
            main.set_scale(1.0)
        fit_to_screen(main, QtCore.QSize(*screen))  # as large as the screen allows
        settle()
        before = main.size()
        main.set_scale(scale)  # what Ctrl+= does
        settle()
        problems = frame_problems(main, screen)
        assert main.minimumSizeHint().width() <= screen[0] and main.minimumSizeHint().height() <= screen[1]
        problems += main_window_problems(main)
        # views only (H): the views take the dock's room and reflow again
        main.presentation.set_controls_visible(False)
        settle()
        problems += [f"H: {p}" for p in main_window_problems(main)]
        # a message with the controls hidden: the toast fits over the window
        main.show_message(main.tr("The walk-through needs a live run.") + " " * 2 + "(R)", "info")
        settle()
        toast = main.messages.toast
        assert toast.isVisible() and main.rect().contains(toast.geometry())
        problems += [f"toast: {p}" for p in label_problems(main) if "toast" in p]
        main.presentation.set_controls_visible(True)
        # the shortcut list fits over the window
        main.presentation.toggle_overlay()
        settle()
        label = main.presentation.overlay.label
        if not main.presentation.overlay.rect().contains(label.geometry()):
            problems.append(f"shortcut list {label.geometry()} outside {main.presentation.overlay.rect()}")
        main.presentation.toggle_overlay()
        main.set_scale(1.0)  # Ctrl+0
        settle()
        assert main.size() == before, "scaling back did not restore the window's size"
    TIMINGS["main"] = TIMINGS.get("main", 0.0) + time.perf_counter() - start
    assert problems == []


# -- the walk-through ------------------------------------------------------------------------------
LAYER_NUMBER = re.compile(r"\d\.\d|\de-\d|\d{2}")


@pytest.mark.parametrize("screen", SCREENS, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("scale", SCALES)
def test_walkthrough_boxes_name_their_layer_with_numbers(qtbot, scale: float, screen: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    make_application()
    theme.apply_pyqtgraph(theme.LIGHT, scale=scale)
    walk = run(ExperimentConfig(depth=10, width=32, n_samples=300), 40).walk  # L1…L11
    with fake_available_geometry(*screen):
        view = open_walkthrough(qtbot, walk, screen)
        settle()
        problems = frame_problems(view, screen)
        for position in (5, walk.n_layers):  # mid-walk (current box between others) and all
            view._go(position)
            settle()
            n = len(view._boxes)
            for i, box in enumerate(view._boxes):
                text = box.text.toPlainText()
                name = f"L{n - i}"
                if name not in text.split():
                    problems.append(f"box {i} does not name {name}: {text!r}")
                revealed = i < view.position
                if revealed and not LAYER_NUMBER.search(text.replace(name, "")):
                    problems.append(f"box {name} shows no numbers: {text!r}")
            assert view._fonts.mode != "compact", (scale, screen)
            assert not view.callout.isVisible()
            problems += [f"at {position}: {p}" for p in view_problems(view) + label_problems(view)]
    TIMINGS["walk-through"] = TIMINGS.get("walk-through", 0.0) + time.perf_counter() - start
    assert problems == []


# -- the compare window ----------------------------------------------------------------------------
BASE = ExperimentConfig(depth=6, width=16, n_samples=200)
VARIANTS = [{"activation": "relu", "init": "he_normal"}, {"batch_norm": True}, {"residual": True}]
_open: list[QtWidgets.QMainWindow] = []


def _compare_new(n_runs: int, scale: float) -> QtWidgets.QMainWindow:
    """A compare window of ``n_runs`` opened at ``scale`` on the (faked) screen: it reads both
    when it opens, as the app's compare windows do (the previous one is closed)."""
    from app.look import apply_look

    while _open:
        old = _open.pop()
        old.close()
        old.deleteLater()
    app = make_application()
    apply_look(app, "light", scale)
    window = open_variants_compare(BASE, VARIANTS[: n_runs - 1], controllers_factory=None)
    window.show()
    train_compare_offline(window, 5)
    _open.append(window)
    return window


@pytest.fixture(scope="module", autouse=True)
def _close_compare_windows() -> Iterator[None]:
    yield
    from app.look import apply_look

    while _open:
        window = _open.pop()
        window.close()
        window.deleteLater()
    apply_look(make_application(), "light", 1.0)


def _compare_params() -> list[object]:
    params = []
    for n in (2, 3, 4):
        for scale in SCALES:
            for screen in SCREENS:
                sid = f"{screen[0]}x{screen[1]}"
                marks = [pytest.mark.slow] if screen == (3840, 2160) else []
                params.append(pytest.param(n, scale, screen, id=f"{n}-{scale}-{sid}", marks=marks))
    return params


def tab_problems(tabs: QtWidgets.QTabBar) -> list[str]:
    """Tabs whose label is drawn elided (what the tab bar draws is what its style option
    says: QTabBar.initStyleOption elides the text to the tab's room)."""
    problems = []
    for i in range(tabs.count()):
        option = QtWidgets.QStyleOptionTab()
        tabs.initStyleOption(option, i)
        if option.text != tabs.tabText(i):
            problems.append(f"tab {i} {tabs.tabText(i)!r} drawn as {option.text!r} ({tabs.tabRect(i).width()} px)")
        if not tabs.tabToolTip(i):
            problems.append(f"tab {i} {tabs.tabText(i)!r} has no tooltip")
    return problems


@pytest.mark.parametrize(("n_runs", "scale", "screen"), _compare_params())
def test_compare_window_fits(n_runs: int, scale: float, screen: tuple[int, int]) -> None:
    start = time.perf_counter()
    with fake_available_geometry(*screen):
        window = _compare_new(n_runs, scale)
        fit_to_screen(window, QtCore.QSize(*screen))
        settle()
        problems = frame_problems(window, screen)
        deck = window.run_deck
        for page in range(deck.pages()):
            deck.tabs.setCurrentIndex(page)
            settle()
            for column in window.columns:
                if column.isVisible():
                    for name, view in column.views.items():
                        if view.isVisible():  # output and activations share a place
                            problems += [f"run {column.index} {name}: {p}" for p in view_problems(view)]
            if window.overlay.isVisible():
                problems += [f"page {page} overlay: {p}" for p in view_problems(window.overlay)]
            problems += [f"page {page}: {p}" for p in label_problems(window) + combo_problems(window)]
            problems += [f"page {page}: {p}" for p in tab_problems(deck.tabs)]
        deck.tabs.setCurrentIndex(0)
    TIMINGS["compare"] = TIMINGS.get("compare", 0.0) + time.perf_counter() - start
    assert problems == []


def _compare_text_sizes(window: QtWidgets.QMainWindow) -> dict[str, int]:
    """The pixel size of every kind of text of a compare window: a run's are its last run's
    (a short label, "residual": the first run's long label shrinks to fit its column, as
    designed, at every scale)."""
    column = window.columns[-1]
    bar = window.transport.bar
    widgets: dict[str, QtWidgets.QWidget] = {
        "marker": column.mark,
        "run label": column.header,
        "verdict": column.verdict_label,
        "numbers": column.stats_label,
        "caption": window.caption,
        "toolbar message": window.message,
        "speed label": window.transport.speed_label,
        "speed box": window.transport.speed_combo,
        "tabs": window.run_deck.tabs,
    }
    for action in (window.play_action, window.save_action, window.close_action):
        button = bar.widgetForAction(action)
        assert button is not None
        widgets[f"button {action.text()!r}"] = button
    return {name: QtGui.QFontInfo(widget.font()).pixelSize() for name, widget in widgets.items()}


@pytest.mark.parametrize("n_runs", [2, 4])
def test_compare_texts_grow_with_the_scale(n_runs: int) -> None:
    """Every text of the compare window (run label and marker, verdict, numbers, caption,
    toolbar) is at least twice as large at scale 2.5 as at scale 1, as the main window's
    controls are (on a 3840×2160 screen, where nothing needs to shrink to fit)."""
    sizes = {}
    with fake_available_geometry(3840, 2160):
        for scale in (1.0, 2.5):
            window = _compare_new(n_runs, scale)
            fit_to_screen(window, QtCore.QSize(3840, 2160))
            settle()
            assert window.caption.height() > 0
            sizes[scale] = _compare_text_sizes(window)
    small = {name: size for name, size in sizes[2.5].items() if size < 2 * sizes[1.0][name] - 1}
    assert small == {}, f"at scale 2.5 vs 1: {sizes[2.5]} vs {sizes[1.0]}"


def test_check_box_and_radio_indicators_grow_with_the_scale() -> None:
    """Fusion draws its check box and radio indicators 13 px at every font size: the look's
    style grows them (and their gap to the text) with the type scale."""
    from app.look import apply_look

    app = make_application()
    style = QtWidgets.QStyle
    metrics = (
        style.PixelMetric.PM_IndicatorWidth,
        style.PixelMetric.PM_IndicatorHeight,
        style.PixelMetric.PM_ExclusiveIndicatorWidth,
        style.PixelMetric.PM_ExclusiveIndicatorHeight,
    )
    sizes = {}
    try:
        for scale in (1.0, 2.0):
            apply_look(app, "light", scale)
            box = QtWidgets.QCheckBox("batch norm")
            sizes[scale] = [app.style().pixelMetric(m, None, box) for m in metrics], box.sizeHint().height()
            box.deleteLater()
    finally:
        apply_look(app, "light", 1.0)
    assert sizes[2.0][0] == [2 * v for v in sizes[1.0][0]]
    assert sizes[2.0][1] >= sizes[2.0][0][1]  # the box is as tall as its indicator


def test_gradient_view_heat_map_labels_stay_out_of_its_title() -> None:
    """A run's gradient view at scale 2.5, 684 px wide, at every height from its need up: its
    heat map's L1 and Ln labels never reach into the heat map's title (they did at 500–548 px,
    where a row is shorter than a label: a compare cell of four runs on 1920×1080)."""
    from tests.views.realistic import _gradients

    make_application()
    theme.apply_pyqtgraph(theme.LIGHT, scale=2.5)
    view = _gradients(run(BASE, 5))
    view.show()
    problems = []
    for height in range(380, 800, 12):
        view.resize(684, height)
        settle()
        problems += [f"{height} px: {p}" for p in view_problems(view)]
    view.close()
    view.deleteLater()
    assert problems == []
