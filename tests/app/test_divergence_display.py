"""A run that diverges inside one batch of snapshots still shows its last finite state."""

from __future__ import annotations

import numpy as np

from app.compare_window import CompareWindow, train_compare_offline
from app.headless import train_into_window
from app.main_window import MainWindow, make_application
from model import ExperimentConfig

# diverges within a handful of steps (he_normal × 2 on ten ReLU layers)
EXPLODING = ExperimentConfig(
    depth=10, width=32, activation="relu", init="he_normal", init_scale=2.0, learning_rate=0.001
)


def test_main_window_draws_the_last_finite_step_of_a_batch_that_diverged(qtbot) -> None:  # type: ignore[no-untyped-def]
    make_application()
    window = MainWindow(EXPLODING, controller=None)
    qtbot.addWidget(window)
    train_into_window(window, EXPLODING, 50)  # every training step arrives in one batch
    assert window.latest is not None and window.latest.diverged
    assert window.last_finite is not None and window.last_finite.step < window.latest.step
    assert window.banner.property("kind") == "diverged"
    ratio = window.views["gradients"].ratio_label.text()
    assert "inf/NaN" not in ratio and "exploding" in ratio
    window.close()


def test_compare_column_draws_the_last_finite_step(qtbot) -> None:  # type: ignore[no-untyped-def]
    make_application()
    window = CompareWindow([("exploding", EXPLODING), ("calm", EXPLODING.replace(init_scale=1.0))])
    qtbot.addWidget(window)
    train_compare_offline(window, 50)
    column = window.columns[0]
    assert column.latest is not None and column.latest.diverged
    shown = column.shown
    assert shown is not None and not shown.diverged
    assert np.all(np.isfinite(shown.stats["delta_norm"]))
    window.close()
