"""Greedy pre-training is visible: the banner and compare columns say which layer runs."""

from __future__ import annotations

from app.compare_window import CompareWindow, train_compare_offline
from app.headless import train_into_window
from app.main_window import MainWindow, make_application
from model import ExperimentConfig

PRE = ExperimentConfig(depth=3, width=8, n_samples=200, pretrain_epochs=5, batch_size=50)


def test_main_window_banner_names_the_layer_being_pretrained(qtbot) -> None:  # type: ignore[no-untyped-def]
    make_application()
    window = MainWindow(PRE, controller=None)
    qtbot.addWidget(window)
    train_into_window(window, PRE, 20)  # 3 steps per epoch × 5 epochs = 15 per layer
    assert window.latest is not None and window.latest.phase == "pretrain"
    assert "PRE-TRAINING layer 2 of 3" in window.banner.text()
    window.close()


def test_compare_column_says_pretraining_while_the_other_trains(qtbot) -> None:  # type: ignore[no-untyped-def]
    make_application()
    window = CompareWindow([("pre-trained", PRE), ("plain", PRE.replace(pretrain_epochs=0))])
    qtbot.addWidget(window)
    train_compare_offline(window, 5)
    texts = [column.verdict_label.text() for column in window.columns]
    assert texts[0].startswith("PRE-TRAINING layer 1 of 3")
    assert not texts[1].startswith("PRE-TRAINING")
    window.close()
