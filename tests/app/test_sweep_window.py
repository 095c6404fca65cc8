"""The sweep window and its phase view: live filling from worker processes, theory lines where
the theory puts them, hover numbers, click to open a point, exports, and the menus that open it."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pytest
from PySide6 import QtCore, QtGui

from app.main_window import MainWindow, make_application
from app.sweep_window import SweepWindow, default_spec
from model.config import ExperimentConfig
from model.scenes import load_scene
from model.sweep import SerialExecutor, plan, run_sweep
from model.theory import critical_sigma_w

SMALL = ExperimentConfig(depth=4, width=8, n_samples=120, activation="tanh", init="lecun_normal")


def _close(w) -> None:  # type: ignore[no-untyped-def]
    w.close()
    w.deleteLater()
    QtCore.QCoreApplication.processEvents()


def _filled(spec, window: SweepWindow) -> None:  # type: ignore[no-untyped-def]
    """Measure ``spec`` in-process and hand the rows to the window as its runner would."""
    index_of = {p.key: p.index for p in spec.points()}
    rows: list[dict] = []
    run_sweep(spec, SerialExecutor(), rows.append)
    for row in rows:
        window._on_row(index_of[tuple(row[f] for f in spec.fields)], row)


def test_window_fills_live_from_worker_processes_and_stops(qtbot) -> None:  # type: ignore[no-untyped-def]
    make_application()
    spec = plan(SMALL, [], ["init_scale=0.5,1,2", "bias_std=0,0.3"], steps=2)
    w = SweepWindow(spec, workers=2)
    qtbot.addWidget(w)
    w.resize(1200, 800)
    w.show()
    assert not w.view.rows and w.run_button.isEnabled()
    w.start()
    assert w.running
    qtbot.waitUntil(lambda: len(w.rows) == 6 and not w.running, timeout=120_000)
    assert w.progress_label.text().startswith("6 / 6")
    assert not w.run_button.isEnabled()  # nothing left to run
    # every cell is coloured: no transparent pixel in the image
    image = w.view.image.image
    assert image.shape == (2, 3, 4) and (image[..., 3] == 255).all()
    # the cells are where the grid says: the weak-gain column vanishes (blue), the strong one does not
    vals = w.view.values()
    assert vals.shape == (2, 3) and vals[0, 0] < vals[0, 2]
    _close(w)


def test_stop_keeps_finished_points_and_continue_runs_the_rest(qtbot) -> None:  # type: ignore[no-untyped-def]
    make_application()
    spec = plan(SMALL.replace(depth=6), [], ["init_scale=0.3:3:8"], steps=400)
    w = SweepWindow(spec, workers=1)
    qtbot.addWidget(w)
    w.show()
    w.start()
    qtbot.waitUntil(lambda: len(w.rows) >= 1, timeout=120_000)
    w.stop(wait=True)
    kept = dict(w.rows)
    assert not w.running and 1 <= len(kept) < 8 and w.run_button.text() == "Continue"
    w.start()
    qtbot.waitUntil(lambda: not w.running, timeout=180_000)
    assert len(w.rows) == 8 and all(w.rows[k] == v for k, v in kept.items())
    # closing while a sweep runs ends it without hanging
    w.rows.clear()
    w.start()
    _close(w)


def test_theory_line_lies_on_the_edge_of_chaos(qtbot) -> None:  # type: ignore[no-untyped-def]
    make_application()
    spec = plan(SMALL, [], ["init_scale=0.6:2.2:9", "bias_std=0:0.4:5"])
    w = SweepWindow(spec)
    qtbot.addWidget(w)
    edge = w.view.theory_lines[0]  # χ₁ = 1
    edge.generatePath()
    path = edge.mapToParent(edge.path)
    assert not path.isEmpty()
    xs = spec.axes[0].values
    for k in range(path.elementCount()):
        e = path.elementAt(k)
        y = e.y  # grid position along bias_std: 0..4 ↔ 0..0.4
        sigma_b = float(np.interp(y, range(5), spec.axes[1].values))
        crit = critical_sigma_w("tanh", sigma_b)
        assert crit is not None
        # the x position maps back to σ_w within a fraction of a grid step
        sigma_w = float(np.interp(e.x, range(len(xs)), xs))
        assert sigma_w == pytest.approx(crit, abs=0.05), (y, sigma_b, sigma_w, crit)
    # no theory for batch norm: no lines, and the legend says why
    bn = SweepWindow(plan(SMALL.replace(batch_norm=True), [], ["init_scale=1,2", "bias_std=0,0.1"]))
    qtbot.addWidget(bn)
    assert bn.view.theory_lines == [] and "No mean-field prediction" in bn.view.legend.text()
    _close(bn)
    _close(w)


def test_hover_shows_numbers_and_click_opens_the_config(qtbot) -> None:  # type: ignore[no-untyped-def]
    make_application()
    spec = plan(SMALL, [], ["init_scale=0.5,1,2", "bias_std=0,0.3"])
    opened: list[ExperimentConfig] = []
    w = SweepWindow(spec, open_config=opened.append)
    qtbot.addWidget(w)
    w.resize(1200, 800)
    w.show()
    qtbot.waitExposed(w)
    _filled(spec, w)
    vb = w.view.plot.vb
    scene_pos = vb.mapViewToScene(QtCore.QPointF(2.0, 1.0))  # init_scale 2, bias_std 0.3
    assert w.view.index_at(scene_pos) == (2, 1)
    w.view._on_mouse_moved(scene_pos)
    text = w.hover_label.text()
    assert "init_scale = 2" in text and "bias_std = 0.3" in text and "grad_ratio_init = " in text and "chi1 = " in text
    view_pos = w.view.graphics.mapFromScene(scene_pos)
    qtbot.mouseClick(w.view.graphics.viewport(), QtCore.Qt.MouseButton.LeftButton, pos=view_pos)
    assert opened and opened[-1] == SMALL.replace(init_scale=2.0, bias_std=0.3)
    _close(w)


def test_exports_carry_the_sweep_and_its_config(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from app.config_io import load_config_file

    make_application()
    spec = plan(SMALL, [], ["init_scale=0.5,1,2", "bias_std=0,0.3"])
    w = SweepWindow(spec, measure="chi1")
    qtbot.addWidget(w)
    w.resize(1200, 800)
    w.show()
    _filled(spec, w)
    png = w.export_png(tmp_path / "p.png", scale=2.0)
    image = QtGui.QImage(str(png))
    assert image.width() == 2 * w.centralWidget().width()
    assert load_config_file(png) == SMALL  # the PNG reopens as the sweep's base config
    record = json.loads((tmp_path / "p.png.json").read_text())
    assert record["sweep"] == spec.to_dict() and record["measure"] == "chi1"
    svg = w.export_svg(tmp_path / "p.svg")
    assert "<svg" in svg.read_text()
    out = w.export_csv(tmp_path / "p.csv")
    with out.open() as f:
        rows = list(csv.DictReader(f))
    assert [(r["init_scale"], r["bias_std"]) for r in rows] == [
        (a, b) for a in ("0.5", "1.0", "2.0") for b in ("0.0", "0.3")
    ]
    assert json.loads((tmp_path / "p.csv.json").read_text())["config"] == SMALL.to_dict()
    from app.safe_write import ExportError

    with pytest.raises(ExportError):
        w.export_csv(tmp_path / "p.csv")  # never overwritten without force
    _close(w)


def test_lecture_menu_and_sweep_scenes_open_the_sweep_window(qtbot) -> None:  # type: ignore[no-untyped-def]
    make_application()
    main = MainWindow(SMALL, controller=None)
    qtbot.addWidget(main)
    actions = {a.objectName(): a for a in main.findChildren(QtGui.QAction)}
    assert "phase_diagram" in actions
    window = main.scenes.open_phase_diagram()
    assert isinstance(window, SweepWindow) and window.spec == default_spec(SMALL) and not window.running
    assert window.spec.fields == ("init_scale", "bias_std")
    for name in ("edge-of-chaos", "depth-vs-gain"):
        scene = load_scene(name)
        w = main.open_scene(name)
        assert isinstance(w, SweepWindow) and w.spec == scene.sweep and w.scene == scene
        assert w.view.measure == scene.sweep_measure
        assert scene.caption in w.caption.text()
        # a clicked point opens in the main window
        w.view.clicked.emit((0, 0))
        assert main.config == w.view.point_config((0, 0))
        _close(w)
    _close(window)
    _close(main)
