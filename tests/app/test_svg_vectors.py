"""Vector exports for slides (issue 13): scatter markers and curves are SVG paths, never
embedded bitmaps, and a 1 000-step loss view stays small."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pyqtgraph as pg
import pytest

from app import export
from app.headless import train_into_window
from app.main_window import MainWindow, make_application
from model import ExperimentConfig

CONFIG = ExperimentConfig(depth=3, width=16, n_samples=300)
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def trained() -> MainWindow:
    make_application()
    w = MainWindow(CONFIG, controller=None)
    w.resize(1920, 1080)
    w.show()
    train_into_window(w, CONFIG, 1000)
    yield w
    w.close()
    w.deleteLater()


def _loss_markers(window: MainWindow) -> int:
    view = window.views["loss"]
    return sum(
        len(item.data)
        for gv in view.findChildren(pg.GraphicsView)
        for item in gv.scene().items()
        if isinstance(item, pg.ScatterPlotItem) and item.isVisible()
    )


def test_loss_view_svg_of_1000_steps_is_vector_and_small(trained: MainWindow, tmp_path: Path) -> None:
    out = export.render_svg(trained.views["loss"], tmp_path / "loss.svg")
    text = out.read_text(encoding="utf-8")
    root = ET.parse(out).getroot()
    assert not list(root.iter(f"{SVG}image")), "embedded bitmaps in the SVG"
    markers = _loss_markers(trained)
    assert markers >= 10  # the test-loss and test-accuracy points of a 1 000-step run
    # every marker is a path of its own; every curve one path, not a polyline per segment
    assert len(list(root.iter(f"{SVG}path"))) >= markers
    assert len(list(root.iter(f"{SVG}polyline"))) < 200
    assert trained.latest is not None and trained.latest.step == 1000
    size = out.stat().st_size
    print(f"loss view SVG, 1000 steps: {size / 1000:.0f} kB, {markers} markers")
    assert size < 200_000
    assert re.search(r"<path[^>]*d=\"M", text)


def test_the_screen_drawing_is_restored_after_an_export(trained: MainWindow, tmp_path: Path) -> None:
    view = trained.views["loss"]
    scene_items = [i for gv in view.findChildren(pg.GraphicsView) for i in gv.scene().items()]
    export.render_svg(view, tmp_path / "again.svg")
    assert all(i._exportOpts is False for i in scene_items if isinstance(i, pg.ScatterPlotItem))
    assert {i.opts["segmentedLineMode"] for i in scene_items if isinstance(i, pg.PlotCurveItem)} == {"auto"}
    for gv in view.findChildren(pg.GraphicsView):
        assert gv.cacheMode() == pg.GraphicsView().cacheMode()


def test_every_view_exports_without_bitmaps_but_its_images(trained: MainWindow, tmp_path: Path) -> None:
    """Only the views that draw images (heat map, decision regions) embed bitmaps."""
    for name in ("loss", "activation_function", "activations"):
        out = export.render_svg(trained.views[name], tmp_path / f"{name}.svg")
        assert not list(ET.parse(out).getroot().iter(f"{SVG}image")), name
