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


def test_quiet_axes_stops_relabelling_the_axes_on_every_range_change(qtbot) -> None:  # type: ignore[no-untyped-def]
    from views.settle import quiet_axes

    make_application()
    view = LossView()
    qtbot.addWidget(view)
    axes = [i for gv in graphics_views(view) for i in gv.scene().items() if isinstance(i, pg.AxisItem)]
    assert axes and any(axis.autoSIPrefix for axis in axes)
    quiet_axes(view)
    assert not any(axis.autoSIPrefix for axis in axes)
    labels = [axis.label.toHtml() for axis in axes]
    calls: list[object] = []
    for axis in axes:
        axis.label.setHtml = lambda *a, _c=calls: _c.append(a)  # type: ignore[method-assign]
        axis.setRange(0.0, 1234.0)
    assert calls == []  # no re-rendered title
    assert [axis.label.toHtml() for axis in axes] == labels
    # tick labels are the values themselves (no prefix left over from the first range)
    bottom = view.loss_plot.getAxis("bottom")
    assert bottom.autoSIPrefixScale == 1.0
    assert bottom.tickStrings([250.0], bottom.autoSIPrefixScale * bottom.scale, 50.0) == ["250"]


def test_quiet_axes_leaves_no_prefix_behind(qtbot) -> None:  # type: ignore[no-untyped-def]
    """The heat map's step axis was set up on a range below 1 (prefix ×1000): after quiet_axes
    its ticks and title must read plain steps."""
    from views.settle import quiet_axes

    make_application()
    view = GradientsView()
    qtbot.addWidget(view)
    axis = view.heat_plot.getAxis("bottom")
    axis.setRange(0.0, 0.004)  # what an empty heat map may start from
    assert axis.autoSIPrefixScale != 1.0
    quiet_axes(view)
    axis.setRange(0.0, 300.0)
    assert axis.autoSIPrefixScale == 1.0
    assert "x0.001" not in axis.labelString() and "(m" not in axis.labelString()


@pytest.mark.parametrize("cls", [GradientsView, LossView])
def test_opaque_viewports_paint_the_same_pixels(qtbot, cls) -> None:  # type: ignore[no-untyped-def]
    """Only the view's own background fills the viewport: the second fill is gone, the picture stays."""
    from PySide6 import QtCore

    from views.settle import quiet_axes

    make_application()
    updates = offline_updates(CONFIG, 30)
    dataset = types.SimpleNamespace(**updates[0].ready["dataset"])
    history = History(CONFIG.depth + 1)
    for snap in updates[1].snapshots[1:]:
        history.append(snap)
    view = cls()
    qtbot.addWidget(view)
    view.resize(600, 400)
    view.set_experiment(CONFIG, dataset)
    view.show()
    qtbot.waitExposed(view)
    view.show_snapshot(updates[1].snapshots[-1], history)
    before = view.grab().toImage()
    quiet_axes(view)
    opaque = QtCore.Qt.WidgetAttribute.WA_OpaquePaintEvent
    assert all(gv.viewport().testAttribute(opaque) for gv in graphics_views(view))
    assert view.grab().toImage() == before
