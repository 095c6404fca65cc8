"""The UI language: zh_CN translates, "en" restores, the switch changes visible texts at run
time, and the committed catalogue is complete, consistent and compiled."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
from PySide6 import QtCore, QtGui, QtWidgets

from app import i18n
from app.compare_window import CompareWindow, train_compare_offline
from app.status import verdict
from app.transport import Transport
from model import ExperimentConfig
from tests.fakes import make_snapshot

ROOT = Path(__file__).resolve().parents[2]
TOOL = ROOT / "tools" / "translations.py"
SMALL = ExperimentConfig(depth=3, width=8, n_samples=200, activation="sigmoid", init="xavier_normal")


def _tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location("translations_tool", TOOL)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def _chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def _tr(context: str, text: str) -> str:
    return QtCore.QCoreApplication.translate(context, text)


@pytest.fixture
def app(qapp: QtWidgets.QApplication) -> Iterator[QtWidgets.QApplication]:
    """The application, back in English with its own font after the test."""
    font = QtGui.QFont(qapp.font())
    yield qapp
    i18n.install(qapp, "en")
    qapp.setFont(font)


def test_zh_cn_translates_and_en_restores(app: QtWidgets.QApplication) -> None:
    i18n.install(app, "zh_CN")
    assert i18n.current() == "zh_CN"
    assert _chinese(_tr("Transport", "Max speed"))
    vanishing = verdict(make_snapshot(depth=6, vanishing=True))
    assert vanishing.kind == "vanishing" and "梯度消失" in vanishing.text
    i18n.install(app, "en")
    assert i18n.current() == "en"
    assert _tr("Transport", "Max speed") == "Max speed"
    assert verdict(make_snapshot(depth=6, vanishing=True)).text.startswith("VANISHING gradients")


def test_placeholders_survive_translation(app: QtWidgets.QApplication) -> None:
    i18n.install(app, "zh_CN")
    snap = make_snapshot(depth=6, vanishing=True)
    text = verdict(snap).text
    assert "{" not in text and "e-0" in text  # the ratio was inserted, in the same notation


@pytest.mark.parametrize(
    ("given", "code"),
    [("zh_CN", "zh_CN"), ("zh-CN", "zh_CN"), ("zh", "zh_CN"), ("zh_CN.UTF-8", "zh_CN"), ("en", "en"), ("en_US", "en")],
)
def test_normalise_accepts_the_usual_spellings(given: str, code: str) -> None:
    assert i18n.normalise(given) == code


def test_normalise_leaves_unknown_languages_to_install() -> None:
    assert i18n.normalise(" fr ") == "fr" and i18n.normalise("fr") not in i18n.LANGUAGES
    with pytest.raises(ValueError, match="choose one of"):
        i18n.check("fr")


def test_unknown_language_is_a_value_error_naming_the_choices(app: QtWidgets.QApplication) -> None:
    i18n.install(app, "zh_CN")
    with pytest.raises(ValueError, match=r"unknown language 'fr'.*en \(English\).*zh_CN") as caught:
        i18n.install(app, "fr")
    assert "\n" not in str(caught.value)
    assert i18n.current() == "zh_CN"  # nothing changed
    assert _chinese(_tr("Transport", "Max speed"))


def test_standard_dialog_buttons_use_qts_own_chinese(app: QtWidgets.QApplication) -> None:
    if not (i18n.qt_translations_dir() / "qtbase_zh_CN.qm").is_file():
        pytest.skip("PySide6 ships no qtbase_zh_CN.qm here")
    i18n.install(app, "zh_CN")
    buttons = QtWidgets.QDialogButtonBox(QtWidgets.QDialogButtonBox.StandardButton.Cancel)
    assert buttons.buttons()[0].text() == "取消"


def test_chinese_has_a_font_with_chinese_glyphs(app: QtWidgets.QApplication) -> None:
    if i18n.cjk_family() is None:
        pytest.skip("no font with Chinese glyphs is installed (fonts-noto-cjk)")
    i18n.install(app, "zh_CN")
    chinese = set(QtGui.QFontDatabase.families(QtGui.QFontDatabase.WritingSystem.SimplifiedChinese))
    assert chinese & set(app.font().families())


def test_the_transport_toolbar_follows_the_language_at_run_time(app: QtWidgets.QApplication, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = QtWidgets.QMainWindow()
    qtbot.addWidget(window)
    transport = Transport(window, on_play=lambda: None, on_step=lambda: None, on_reset=lambda: None, on_speed=print)
    window.addToolBar(transport.bar)
    transport.set_speed(30.0)
    english = transport.play_action.text()
    assert english == "▶ Play (Space)"

    i18n.install(app, "zh_CN")
    qtbot.waitUntil(lambda: transport.play_action.text() != english)
    assert _chinese(transport.play_action.text()) and _chinese(transport.step_action.text())
    assert _chinese(transport.speed_label.text())
    assert all(_chinese(transport.speed_combo.itemText(i)) for i in range(transport.speed_combo.count()))
    assert transport.speed() == 30.0  # the choice survives the switch
    transport.show_playing(True)
    assert _chinese(transport.play_action.text())

    i18n.install(app, "en")
    qtbot.waitUntil(lambda: transport.play_action.text() == "‖ Pause (Space)")
    assert transport.speed_combo.currentText() == "30 steps/s"


def test_a_compare_window_speaks_chinese_and_switches_back(app: QtWidgets.QApplication, qtbot) -> None:  # type: ignore[no-untyped-def]
    i18n.install(app, "zh_CN")
    window = CompareWindow([("sigmoid", SMALL), ("tanh", SMALL.replace(activation="tanh"))])
    qtbot.addWidget(window)
    train_compare_offline(window, 10)
    column = window.columns[0]
    assert _chinese(window.windowTitle()) and _chinese(window.caption.text())
    assert _chinese(window.close_action.text()) and _chinese(window.play_action.text())
    assert _chinese(column.verdict_label.text()) and _chinese(column.stats_label.text())
    chinese_verdict = column.verdict_label.text()

    i18n.install(app, "en")
    qtbot.waitUntil(lambda: column.verdict_label.text() != chinese_verdict)
    assert not _chinese(column.verdict_label.text())
    assert column.stats_label.text().startswith("step 10")
    assert window.windowTitle().startswith("Backprop Lab — Compare")
    assert window.close_action.text() == "✕ Close (Esc)"
    window.close()


def test_the_catalogue_is_complete_and_consistent() -> None:
    """Every text of app/ and views/ is translated, keeps its placeholders, and the .qm is
    compiled from the .ts (``python tools/translations.py check``)."""
    done = subprocess.run([sys.executable, str(TOOL), "check"], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_committed_qm_is_compiled_from_the_ts(tmp_path: Path) -> None:
    tool = _tool()
    if tool.lrelease() is None:
        pytest.skip("pyside6-lrelease is not installed (it comes with PySide6-Essentials)")
    fresh = tmp_path / "fresh.qm"
    tool.run_lrelease(tool.ts_path("zh_CN"), fresh)
    assert fresh.read_bytes() == i18n.catalogue_path("zh_CN").read_bytes(), "run: python tools/translations.py release"


def test_the_ts_round_trips_unchanged(tmp_path: Path) -> None:
    """Reading and writing the committed catalogue gives the same bytes: ``update`` does not
    churn the file when the texts did not change."""
    tool = _tool()
    committed = tool.ts_path("zh_CN")
    again = tmp_path / committed.name
    tool.write_ts(again, "zh_CN", tool.read_ts(committed))
    assert again.read_bytes() == committed.read_bytes()


def test_the_extractor_reads_every_form_of_the_convention() -> None:
    code = """
from PySide6 import QtCore
from PySide6.QtCore import QCoreApplication
tr = QtCore.QCoreApplication.translate

def _label(text):
    return QCoreApplication.translate("Helper", text)

class View:
    def texts(self, n, name):
        return [
            QtCore.QCoreApplication.translate("View", "one {value}").format(value=n),
            QCoreApplication.translate("View", "two", "a comment"),
            tr("Alias", "three"),
            f"<b>{tr('Alias', 'four')}</b>",
            self.tr("five"),
            _label("six"),
            QCoreApplication.translate("View", "%n step(s)", "", n),
            QCoreApplication.translate("View", name),
            QCoreApplication.translate("View", f"bad {name}"),
        ]
"""
    found = _tool().scan_text(code, "sample.py")
    good = [f.key for f in found if not f.problem]
    assert good == [
        ("View", "one {value}", ""),
        ("View", "two", "a comment"),
        ("Alias", "three", ""),
        ("Alias", "four", ""),
        ("View", "five", ""),
        ("Helper", "six", ""),
        ("View", "%n step(s)", ""),
    ]
    lines = code.splitlines()
    non_literal = [i for i, line in enumerate(lines, 1) if '"View", name)' in line or "bad {name}" in line]
    assert [f.line for f in found if f.problem] == non_literal
    assert [f.numerus for f in found if not f.problem] == [False] * 6 + [True]


def test_check_catches_translations_that_lose_placeholders_tags_or_numbers() -> None:
    tool = _tool()

    def problems(source: str, translation: str) -> list[str]:
        return tool.translation_problems(tool.Message("C", source, translation=translation, kind=""))

    assert problems("step {step} of {n}", "第 {step} 步，共 {n} 步") == []
    assert "placeholders differ" in problems("step {step}", "第 {stp} 步")[0]
    assert "HTML tags differ" in problems("<b>{x}</b> loss", "{x} 损失")[0]
    assert "numbers differ" in problems("layer 1 / last", "第一层 / 最后")[0]
    assert problems("%n layer(s)", "%n 层") == []
    assert tool.translation_problems(tool.Message("C", "text")) == ["unfinished"]
