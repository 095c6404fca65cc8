"""The compare window's timeline and activations view: every run moves together when
scrubbed, Live goes back to the newest state, and a scene can show activations."""

from __future__ import annotations

from app.compare_window import CompareWindow, open_scene_compare, train_compare_offline
from app.main_window import make_application
from model import ExperimentConfig
from model.scenes import load_scene

SMALL = ExperimentConfig(depth=3, width=8, n_samples=200, activation="relu", init="he_normal")
RUNS = [("relu", SMALL), ("tanh", SMALL.replace(activation="tanh", init="xavier_normal"))]


def _stats_steps(w: CompareWindow) -> list[str]:
    return [column.stats_label.text().split("·")[0].strip() for column in w.columns]


def test_scrubbing_moves_every_run_to_the_same_step_and_live_comes_back(qtbot) -> None:  # type: ignore[no-untyped-def]
    make_application()
    w = CompareWindow(RUNS, title="Timeline")
    qtbot.addWidget(w)
    w.resize(1600, 900)
    w.show()
    train_compare_offline(w, 200)
    bar = w.timeline.bar
    assert bar.is_live() and len(w.timeline.group) > 3
    assert _stats_steps(w) == ["step 200", "step 200"]
    newest = [c.latest.step for c in w.columns]
    bar.slider.setValue(2)  # the user drags the handle
    step = w.timeline.group.step_at(2)
    assert not bar.is_live() and 0 < step < 200
    assert _stats_steps(w) == [f"step {step}", f"step {step}"]
    # the overlay shows both runs at that step: its lines are those of the recorded snapshots
    frames = w.timeline.group.frames(2)
    for curve, frame in zip(w.overlay.curves, frames, strict=True):
        assert frame is not None and frame.step == step
        assert len(curve.getData()[1]) == SMALL.depth + 1
    # the heat maps and loss curves end at that step, not at the newest
    for column in w.columns:
        x, _ = column.views["loss"].train_loss.getData()
        assert x.max() <= step
    assert [c.latest.step for c in w.columns] == newest  # the runs themselves are untouched
    bar.live_button.click()
    assert bar.is_live() and _stats_steps(w) == ["step 200", "step 200"]
    w.close()
    w.deleteLater()


def test_reset_clears_the_timeline(qtbot) -> None:  # type: ignore[no-untyped-def]
    make_application()
    w = CompareWindow(RUNS, title="Timeline")
    qtbot.addWidget(w)
    train_compare_offline(w, 50)
    assert len(w.timeline.group) > 0
    w.reset()
    assert len(w.timeline.group) == 0 and w.timeline.is_live()
    w.close()
    w.deleteLater()


def test_activations_beside_the_loss(qtbot) -> None:  # type: ignore[no-untyped-def]
    make_application()
    w = open_scene_compare(load_scene("leaky-relu"), None)
    qtbot.addWidget(w)
    w.resize(1920, 1080)
    w.show()
    qtbot.waitExposed(w)
    # the scene asks for activations: ReLU's dead units beside Leaky ReLU's
    assert all(c.views["activations"].isVisible() and not c.views["output"].isVisible() for c in w.columns)
    assert w.file_menu.activations_action.isChecked()
    train_compare_offline(w, 300)
    relu, leaky = (c.views["activations"] for c in w.columns)
    dead = [float(c.latest.stats["dead_fraction"][:-1].max()) for c in w.columns]
    assert dead[0] > 0.5 and dead[1] == 0.0  # what the two views draw
    assert relu._last_stats is not None and leaky._last_stats is not None  # both were drawn
    w.file_menu.activations_action.trigger()  # back to the decision regions
    assert all(c.views["output"].isVisible() and not c.views["activations"].isVisible() for c in w.columns)
    w.close()
    w.deleteLater()
