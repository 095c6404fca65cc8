"""views.settle: a view whose range moves with every update is painted once per update, not twice."""

from __future__ import annotations

import types

import pyqtgraph as pg
import pytest

from app.headless import offline_updates
from app.main_window import make_application
from model import ExperimentConfig
from model.history import History
from views.gradients_view import GradientsView
from views.loss_view import LossView
from views.settle import graphics_views, settle

CONFIG = ExperimentConfig(dataset="spiral", depth=4, width=8, n_samples=200)


@pytest.mark.parametrize("cls", [GradientsView, LossView])
def test_one_paint_per_update(qtbot, monkeypatch, cls) -> None:  # type: ignore[no-untyped-def]
    app = make_application()
    updates = offline_updates(CONFIG, 60)
    dataset = types.SimpleNamespace(**updates[0].ready["dataset"])
    snaps = updates[1].snapshots
    paints: list[object] = []
    original = pg.GraphicsView.paintEvent
    monkeypatch.setattr(pg.GraphicsView, "paintEvent", lambda self, ev: (paints.append(self), original(self, ev)))
    view = cls()
    qtbot.addWidget(view)
    view.set_experiment(CONFIG, dataset)
    view.resize(600, 400)
    view.show()
    qtbot.waitExposed(view)
    history = History(CONFIG.depth + 1)

    def feed(snaps, prepare: bool) -> int:  # type: ignore[no-untyped-def]
        for _ in range(3):
            app.processEvents()
        paints.clear()
        for snap in snaps:
            history.append(snap)
            view.show_snapshot(snap, history)
            if prepare:
                settle(view)
            for _ in range(3):
                app.processEvents()
        return len(paints)

    plots = len(graphics_views(view))
    unsettled = feed(snaps[:20], prepare=False)
    settled = feed(snaps[20:40], prepare=True)
    assert settled <= 20 * plots
    assert unsettled > settled  # the bug: a second paint for every update
