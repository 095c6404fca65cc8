"""Lecture mode: themes, scale, language, presentation keys, preferences, configs in files
and on drag-and-drop, GUI exports (pytest-qt, offscreen, no engine process)."""

from __future__ import annotations

import dataclasses
import json
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from PySide6 import QtCore, QtGui, QtWidgets

from app import i18n
from app.config_io import load_config_file
from app.export import CONFIG_KEY, ExportError
from app.headless import train_into_window
from app.main_window import MainWindow, make_application
from app.prefs import Prefs
from model import ConfigError, ExperimentConfig, Trainer
from model.scenes import load_scene
from views import theme

CONFIG = ExperimentConfig(depth=3, width=8, n_samples=200, learning_rate=0.123456789, seed=7)


def _pixels(image: QtGui.QImage) -> np.ndarray:
    image = image.convertToFormat(QtGui.QImage.Format.Format_RGB32)
    arr = np.frombuffer(image.constBits(), dtype=np.uint8).reshape(image.height(), image.bytesPerLine())
    return arr[:, : image.width() * 4].reshape(image.height(), image.width(), 4)[..., :3].copy()


@pytest.fixture
def window(qtbot) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    app = make_application(theme_name="light", scale=1.0, language="en")
    w = MainWindow(CONFIG, controller=None)
    qtbot.addWidget(w)
    train_into_window(w, CONFIG, 30)
    w.resize(1280, 720)
    w.show()
    app.processEvents()
    yield w
    w.close()
    make_application(theme_name="light", scale=1.0, language="en")


# -- configs ---------------------------------------------------------------------------
def _run(config: ExperimentConfig, steps: int = 25) -> list:  # type: ignore[type-arg]
    trainer = Trainer(config)
    return [trainer.step(detail=i % 10 == 0) for i in range(steps)]


def test_saved_and_loaded_config_reproduces_snapshots_bit_for_bit(window: MainWindow, tmp_path: Path) -> None:
    config = CONFIG.replace(activation="tanh", init_scale=1.3, momentum=0.37, grad_clip_norm=0.77)
    window.load_config(config)
    path = window.configs.save(tmp_path / "run.json")
    loaded = load_config_file(path)
    assert loaded == config
    a, b = _run(config), _run(loaded)
    for sa, sb in zip(a, b, strict=True):
        assert sa.loss == sb.loss and sa.grad_norm == sb.grad_norm
        for name, arr in sa.stats.items():
            assert arr.tobytes() == sb.stats[name].tobytes(), name
        if sa.activation_hists is not None:
            assert sa.activation_hists.tobytes() == sb.activation_hists.tobytes()
    # and the window takes it back
    window.load_config(ExperimentConfig())
    assert window.configs.load_path(path) and window.config == config


def test_config_save_refuses_to_overwrite(window: MainWindow, tmp_path: Path) -> None:
    target = tmp_path / "mine.json"
    target.write_text("precious")
    with pytest.raises(ExportError, match="exists"):
        window.configs.save(target)
    assert target.read_text() == "precious"
    window.configs.save(target, force=True)
    assert json.loads(target.read_text())["learning_rate"] == CONFIG.learning_rate


@pytest.mark.parametrize(
    ("name", "content", "needle"),
    [
        ("broken.json", "{not json", "not valid JSON"),
        ("field.json", '{"depth": -3}', "depth"),
        ("list.json", "[1, 2]", "JSON object"),
        ("plain.png", None, "carries no Backprop Lab config"),
    ],
)
def test_bad_config_files_are_reported_and_change_nothing(
    window: MainWindow, tmp_path: Path, name: str, content: str | None, needle: str
) -> None:
    path = tmp_path / name
    if content is None:
        image = QtGui.QImage(8, 8, QtGui.QImage.Format.Format_RGB32)
        image.fill(QtGui.QColor("white"))
        assert image.save(str(path))
    else:
        path.write_text(content)
    before = window.config
    assert not window.configs.load_path(path)
    assert needle in window.message.text() and window.message.property("kind") == "error"
    assert window.config == before
    with pytest.raises(ConfigError):
        load_config_file(path)


def _drop(window: MainWindow, path: Path, enter: bool = False) -> QtCore.QEvent:
    mime = QtCore.QMimeData()
    mime.setUrls([QtCore.QUrl.fromLocalFile(str(path))])
    pos = QtCore.QPointF(100, 100)
    cls = QtGui.QDragEnterEvent if enter else QtGui.QDropEvent
    if enter:
        event = cls(
            pos.toPoint(),
            QtCore.Qt.DropAction.CopyAction,
            mime,
            QtCore.Qt.MouseButton.LeftButton,
            QtCore.Qt.KeyboardModifier.NoModifier,
        )
        window.dragEnterEvent(event)
    else:
        event = cls(
            pos,
            QtCore.Qt.DropAction.CopyAction,
            mime,
            QtCore.Qt.MouseButton.LeftButton,
            QtCore.Qt.KeyboardModifier.NoModifier,
        )
        window.dropEvent(event)
    return event


def test_dropping_a_config_or_an_exported_picture_loads_it(window: MainWindow, tmp_path: Path) -> None:
    other = CONFIG.replace(depth=5, activation="relu", init="he_normal")
    json_path = tmp_path / "other.json"
    json_path.write_text(json.dumps(other.to_dict()))
    assert _drop(window, json_path, enter=True).isAccepted()
    _drop(window, json_path)
    assert window.config == other and window.controls.widget("depth").value() == 5  # type: ignore[attr-defined]
    # a PNG exported by the app carries its config in a text chunk: drop it, get the run back
    png = window.exports.export_picture(tmp_path / "shot.png")
    (tmp_path / "shot.png.json").unlink()  # the picture alone is enough
    window.load_config(CONFIG)
    _drop(window, png)
    assert window.config == other
    txt = tmp_path / "notes.txt"
    txt.write_text("hello")
    assert not _drop(window, txt, enter=True).isAccepted()


# -- exports ---------------------------------------------------------------------------
@pytest.mark.parametrize(("size", "view"), [("1x", None), ("2x", None), ("2x", "gradients"), ("4k", "loss")])
def test_gui_png_exports_have_the_requested_size_and_config(
    window: MainWindow, tmp_path: Path, size: str, view: str | None
) -> None:
    out = window.exports.export_picture(tmp_path / "pic.png", view=view, size=size)
    image = QtGui.QImage(str(out))
    widget = window if view is None else window.views[view]
    expected = {
        "1x": (widget.width(), widget.height()),
        "2x": (2 * widget.width(), 2 * widget.height()),
        "4k": (3840, 2160),
    }[size]
    assert (image.width(), image.height()) == expected
    pixels = _pixels(image)
    assert pixels.std() > 10  # not blank
    assert ExperimentConfig.from_dict(json.loads(image.text(CONFIG_KEY))) == window.config


def test_window_4k_export_is_exact_and_restores_the_window(window: MainWindow, tmp_path: Path) -> None:
    before = window.size()
    out = window.exports.export_picture(tmp_path / "uhd.png", size="4k")
    image = QtGui.QImage(str(out))
    assert (image.width(), image.height()) == (3840, 2160)
    QtWidgets.QApplication.processEvents()
    assert window.size() == before


def test_gui_export_asks_before_replacing_a_file(window: MainWindow, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "slide.png"
    target.write_bytes(b"the lecturer's own picture")
    asked: list[list[Path]] = []
    monkeypatch.setattr(window, "_ask_save_path", lambda *a: target)
    monkeypatch.setattr(window, "_confirm_overwrite", lambda paths: asked.append(paths) or False)
    window.exports.export_png_dialog("gradients", "1x")
    assert asked and target in asked[0]
    assert target.read_bytes() == b"the lecturer's own picture"
    monkeypatch.setattr(window, "_confirm_overwrite", lambda paths: True)
    window.exports.export_png_dialog("gradients", "1x")
    assert QtGui.QImage(str(target)).width() == window.views["gradients"].width()


def test_svg_of_every_view_parses_and_has_paths(window: MainWindow, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    for name in window.views:
        out = tmp_path / f"{name}.svg"
        monkeypatch.setattr(window, "_ask_save_path", lambda *a, out=out: out)
        window.exports.export_svg_dialog(name)
        root = ET.parse(out).getroot()
        paths = [e for e in root.iter() if e.tag.endswith("path") or e.tag.endswith("polyline")]
        assert paths, name
        assert window.message.property("kind") == "info"


def test_metrics_export_from_the_window(window: MainWindow, tmp_path: Path) -> None:
    out = window.exports.export_metrics(tmp_path / "m.json")
    data = json.loads(out.read_text())
    assert data["config"]["learning_rate"] == CONFIG.learning_rate
    csv_out = window.exports.export_metrics(tmp_path / "m.csv")
    header = csv_out.read_text().splitlines()[0].split(",")
    assert "delta_norm_L1" in header and len(csv_out.read_text().splitlines()) == len(window.history) + 1
    # the CSV's sidecar reproduces the run
    assert load_config_file(tmp_path / "m.csv.json") == window.config


# -- look: theme, scale, language -------------------------------------------------------
def test_dark_theme_restyles_controls_and_plots(window: MainWindow) -> None:
    old_views = dict(window.views)
    window.set_theme("dark")
    QtWidgets.QApplication.processEvents()
    assert theme.current().name == "dark"
    assert all(window.views[n] is not old_views[n] for n in old_views)
    assert QtWidgets.QApplication.palette().color(QtGui.QPalette.ColorRole.Window).lightness() < 80
    for name, view in window.views.items():
        pixels = _pixels(view.grab().toImage())
        border = np.concatenate([pixels[0], pixels[-1], pixels[:, 0], pixels[:, -1]])
        assert border.mean() < 90, name
        assert (pixels.max(axis=2) > 200).any(), f"{name} has no light text"
    # the views still show the run (redrawn from the kept state), and the banner restyled
    assert window.views["loss"].grab().toImage() is not None
    assert window.banner.property("kind") is not None
    window.set_theme("light")
    assert QtWidgets.QApplication.palette().color(QtGui.QPalette.ColorRole.Window).lightness() > 200


def test_scale_applies_to_controls_and_plots(window: MainWindow) -> None:
    banner_pt = window.banner.max_pt  # the banner's type when its text fits one line
    app_pt = QtWidgets.QApplication.font().pointSizeF()
    window.set_scale(1.5)
    assert theme.scale() == 1.5
    assert QtWidgets.QApplication.font().pointSizeF() == pytest.approx(app_pt * 1.5)
    assert window.banner.max_pt == round(banner_pt * 1.5)
    assert window.banner.font().pointSize() <= window.banner.max_pt
    assert theme.pt(10) == 15
    window.actions_["scale_reset"].trigger()
    assert theme.scale() == 1.0 and window.banner.max_pt == banner_pt
    window.set_scale(99)  # clamped, not an error
    assert theme.scale() == 2.5


def test_language_switch_changes_visible_texts(window: MainWindow) -> None:
    window.presentation.set_scene(load_scene("vanishing-sigmoid"))
    menus = [a.text() for a in window.menuBar().actions()]
    dock = window.dock.windowTitle()
    caption = window.caption.text()
    window.set_language("zh_CN")
    assert i18n.current() == "zh_CN"
    zh_menus = [a.text() for a in window.menuBar().actions()]
    assert zh_menus != menus and any(any("\u4e00" <= ch <= "\u9fff" for ch in t) for t in zh_menus)
    assert window.dock.windowTitle() != dock
    assert window.caption.text() != caption and any("\u4e00" <= ch <= "\u9fff" for ch in window.caption.text())
    window.set_language("en")
    assert [a.text() for a in window.menuBar().actions()] == menus and window.caption.text() == caption


def test_unknown_language_is_a_message_not_a_crash(window: MainWindow) -> None:
    window.set_language("klingon")
    assert "klingon" in window.message.text() and i18n.current() == "en"


# -- presentation keys and preferences ---------------------------------------------------
def test_question_mark_shows_every_shortcut_and_any_key_hides_it(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    window.activateWindow()
    # "?" is Shift+/ on most keyboards: both spellings open the list
    qtbot.keyClick(window, QtCore.Qt.Key.Key_Question, QtCore.Qt.KeyboardModifier.ShiftModifier)
    assert window.presentation.overlay.isVisible()
    qtbot.keyClick(window.presentation.overlay, QtCore.Qt.Key.Key_A)
    assert not window.presentation.overlay.isVisible()
    qtbot.keyClick(window, QtCore.Qt.Key.Key_Question)
    assert window.presentation.overlay.isVisible()
    text = window.presentation.overlay.label.text()
    for keys in ("F11", "Space", "Ctrl+Q", "?"):
        assert keys in text
    assert len(window.presentation.overlay.rows) >= 10
    qtbot.keyClick(window.presentation.overlay, QtCore.Qt.Key.Key_Escape)
    assert not window.presentation.overlay.isVisible()


def test_hide_controls_leaves_only_the_views(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    window.activateWindow()
    qtbot.keyClick(window, QtCore.Qt.Key.Key_H)
    assert not window.dock.isVisible() and not window.transport.bar.isVisible()
    assert not window.menuBar().isVisible()
    assert all(v.isVisible() for v in window.views.values())
    # still reachable from the keyboard, and survives a rebuild
    window.set_theme("dark")
    assert not window.dock.isVisible()
    window.actions_["controls"].trigger()
    assert window.dock.isVisible() and window.menuBar().isVisible()


def test_f11_toggles_full_screen_and_escape_leaves_it(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    window.activateWindow()
    qtbot.keyClick(window, QtCore.Qt.Key.Key_F11)
    assert window.windowState() & QtCore.Qt.WindowState.WindowFullScreen
    qtbot.keyClick(window, QtCore.Qt.Key.Key_Escape)
    assert not window.windowState() & QtCore.Qt.WindowState.WindowFullScreen
    window.actions_["fullscreen"].trigger()
    assert window.windowState() & QtCore.Qt.WindowState.WindowFullScreen
    window.actions_["fullscreen"].trigger()
    assert not window.windowState() & QtCore.Qt.WindowState.WindowFullScreen


def test_preferences_persist_across_sessions(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    store = QtCore.QSettings(str(tmp_path / "prefs.ini"), QtCore.QSettings.Format.IniFormat)
    make_application(theme_name="light", scale=1.0, language="en")
    prefs = Prefs.load(store)
    prefs.save = lambda store_=None, p=prefs: Prefs.save(p, store)  # type: ignore[method-assign]
    w = MainWindow(CONFIG, controller=None, prefs=prefs)
    qtbot.addWidget(w)
    w.set_theme("dark")
    w.set_scale(1.25)
    w.set_language("zh_CN")
    w.presentation.set_controls_visible(False)
    w.load_config(CONFIG.replace(depth=6))
    w.close()
    make_application(theme_name="light", scale=1.0, language="en")
    again = Prefs.load(store)
    assert (again.theme, again.scale, again.language, again.controls_visible) == ("dark", 1.25, "zh_CN", False)
    assert again.config() == CONFIG.replace(depth=6)
    assert again.geometry and again.window_state


def test_corrupt_preferences_fall_back_to_defaults(tmp_path: Path) -> None:
    store = QtCore.QSettings(str(tmp_path / "bad.ini"), QtCore.QSettings.Format.IniFormat)
    store.setValue("theme", "purple")
    store.setValue("scale", "huge")
    store.setValue("language", "xx")
    store.setValue("last_config", '{"depth": "deep"}')
    p = Prefs.load(store)
    assert (p.theme, p.scale, p.language, p.last_config) == ("light", 1.0, "en", None)


# -- timeline ----------------------------------------------------------------------------
def test_scrubbing_shows_the_recorded_step_and_live_returns(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    train_into_window(window, CONFIG, 300)  # detail every 25 steps: entries at 25, 50, …
    latest = window.latest
    assert latest is not None and len(window.timeline) >= 10
    assert window.timeline_bar.is_live()
    index = window.timeline.index_at_or_before(100)
    assert index is not None
    step = window.timeline.step_at(index)
    assert step == 100
    window.timeline_bar.slider.setValue(index)  # what dragging the slider does
    assert not window.timeline_bar.is_live()
    assert window.step_label.text() == "step 100"
    xs, _ = window.views["loss"].train_loss.getData()
    assert xs.max() == 100  # the loss curve ends at the recorded step, not at the live one
    assert "100" in window.timeline_bar.label.text()
    # new training results are recorded but do not move a scrubbed view
    window.feed([dataclasses.replace(latest, step=latest.step + k) for k in range(1, 21)])
    assert window.latest.step == latest.step + 20
    assert window.step_label.text() == "step 100"
    # the scrubbed position survives a theme change (views are rebuilt)
    window.set_theme("dark")
    assert window.step_label.text() == "step 100" and not window.timeline_bar.is_live()
    window.timeline_bar.live_button.click()
    assert window.timeline_bar.is_live()
    assert window.step_label.text() == f"step {window.latest.step:,}"
    xs, _ = window.views["loss"].train_loss.getData()
    assert xs.max() == window.history.steps[-1]


def test_timeline_playback_walks_forward_through_recorded_steps(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    train_into_window(window, CONFIG, 200)
    shown: list[str] = []
    window.timeline_bar.scrubbed.connect(lambda _i: shown.append(window.step_label.text()))
    window.timeline_bar.set_rate(50)
    window.timeline_bar.play()
    qtbot.waitUntil(lambda: not window.timeline_bar.is_playing(), timeout=10000)
    steps = [int(t.split()[-1].replace(",", "")) for t in shown]
    assert len(steps) == len(window.timeline) and steps == sorted(steps)
    assert steps[-1] == window.timeline.step_at(len(window.timeline) - 1)


# -- recording from the window -------------------------------------------------------------
def test_record_from_the_menu_writes_a_video_with_its_config(window: MainWindow, qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import imageio.v3 as iio

    out = tmp_path / "lecture.gif"
    recorder = window.recording.start(out, fps=10, duration_s=0.5)
    assert recorder is not None and window.recording.action.text() == "Stop recording"
    for _ in range(12):  # the window keeps drawing while it records
        window.feed([dataclasses.replace(window.latest, step=window.latest.step + 1)])
        qtbot.wait(50)
    qtbot.waitUntil(lambda: out.exists() and window.recording.recorder is None, timeout=20000)
    assert len(iio.improps(out, index=None).shape) == 4 and iio.improps(out, index=None).shape[0] == 5
    assert load_config_file(out.with_name(out.name + ".json")) == window.config
    assert "Saved" in window.message.text() and window.recording.action.text() == "Record GIF or MP4…"
    # an existing file is refused without asking (the dialog asks; here force is False)
    assert window.recording.start(out, fps=10, duration_s=0.5) is None
    assert "exists" in window.message.text()


def test_a_compare_picture_carries_every_run_and_opens_the_comparison_again(
    window: MainWindow, qtbot, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from app.compare_window import CompareWindow, open_scene_compare, train_compare_offline

    compare = open_scene_compare(load_scene("relu-rescue"), None)
    qtbot.addWidget(compare)
    compare.resize(1280, 720)
    compare.show()
    train_compare_offline(compare, 20)
    out = tmp_path / "compare.png"
    monkeypatch.setattr(compare, "_ask_save_path", lambda *a: out)
    compare.export_png_dialog()
    image = QtGui.QImage(str(out))
    assert (image.width(), image.height()) == (2 * compare.width(), 2 * compare.height())
    record = json.loads(image.text(CONFIG_KEY))
    assert [r["label"] for r in record["runs"]] == [label for label, _ in compare.runs]
    with pytest.raises(ConfigError, match="comparison of 2 runs"):
        load_config_file(out)
    # dropped on the main window, the picture opens the same comparison
    before = window.config
    _drop(window, out)
    opened = [w for w in window.scenes.windows if isinstance(w, CompareWindow)]
    assert opened and [c for _, c in opened[-1].runs] == [c for _, c in compare.runs]
    assert window.config == before
    for w in opened:
        w.close()
    compare.close()
