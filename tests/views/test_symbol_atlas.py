"""Marker plots fed every frame keep a bounded symbol atlas.

pyqtgraph keys its symbol atlas on the pen and brush *objects*: a plot given a colour gets a
fresh QBrush on every setData, and renders (and keeps) the same marker again each time, a few
hundred bytes per frame for as long as the window trains.
"""

from __future__ import annotations

import pyqtgraph as pg

from model import ExperimentConfig, Trainer
from model.history import History


def _atlas_entries(item: pg.PlotDataItem) -> int:
    return len(item.scatter.fragmentAtlas)


def test_loss_view_markers_do_not_pile_up(qtbot) -> None:  # type: ignore[no-untyped-def]
    from views.loss_view import LossView

    config = ExperimentConfig(depth=2, width=8, n_samples=200)
    trainer = Trainer(config)
    view = LossView()
    qtbot.addWidget(view)
    view.set_experiment(config, trainer.dataset)  # type: ignore[arg-type]
    view.resize(600, 400)
    view.show()
    qtbot.waitExposed(view)
    history = History(config.depth + 1)
    counts = []
    for _ in range(40):
        snap = trainer.step(detail=True)
        history.append(snap)
        view.show_snapshot(snap, history)
        view.repaint()  # markers enter the atlas when they are drawn
        counts.append(_atlas_entries(view.test_loss))
    assert counts[-1] >= 1  # the test-loss markers are drawn from the atlas
    assert counts[-1] == counts[5]  # the same style is not rendered again and again


def test_compare_overlay_markers_do_not_pile_up(qtbot) -> None:  # type: ignore[no-untyped-def]
    from views.compare_gradients_view import CompareGradientsView

    configs = [ExperimentConfig(depth=3, width=8, n_samples=200, activation=a) for a in ("sigmoid", "relu")]
    trainers = [Trainer(c) for c in configs]
    view = CompareGradientsView()
    qtbot.addWidget(view)
    view.resize(900, 360)
    view.show()
    qtbot.waitExposed(view)
    view.set_runs(["sigmoid", "relu"], [c.depth + 1 for c in configs])
    counts = []
    for _ in range(30):
        view.show_snapshots([t.step() for t in trainers])
        view.repaint()
        counts.append(sum(_atlas_entries(c) for c in view.curves))
    assert counts[-1] >= 2
    assert counts[-1] == counts[5]
