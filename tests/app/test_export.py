"""Exports: PNG at any scale, SVG, metrics CSV/JSON, clipboard (pytest-qt, offscreen)."""

from __future__ import annotations

import csv
import json
import os
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from PySide6 import QtGui

from app import export
from app.export import ExportError, atomic_write_bytes
from app.headless import train_into_window
from app.main_window import MainWindow, make_application
from model import ExperimentConfig
from model.snapshot import LAYER_STAT_NAMES

CONFIG = ExperimentConfig(depth=3, width=8, n_samples=200)


@pytest.fixture(scope="module")
def window() -> Iterator[MainWindow]:
    app = make_application()
    w = MainWindow(CONFIG, controller=None)
    train_into_window(w, CONFIG, 30)
    w.resize(1280, 720)
    w.show()
    for _ in range(5):
        app.processEvents()
    yield w
    w.close()
    w.deleteLater()
    app.processEvents()


def _array(image: QtGui.QImage) -> np.ndarray:
    image = image.convertToFormat(QtGui.QImage.Format.Format_RGB32)
    ptr = image.constBits()
    arr = np.frombuffer(ptr, dtype=np.uint8).reshape(image.height(), image.bytesPerLine())
    return arr[:, : image.width() * 4].reshape(image.height(), image.width(), 4)[..., :3].copy()


def _distinct_colours(arr: np.ndarray) -> int:
    flat = arr.reshape(-1, 3).astype(np.uint32)
    return len(np.unique((flat[:, 0] << 16) | (flat[:, 1] << 8) | flat[:, 2]))


def _edge_energy(arr: np.ndarray) -> float:
    grey = arr.astype(np.float64).mean(axis=2)
    return float(np.abs(np.diff(grey, axis=0)).mean() + np.abs(np.diff(grey, axis=1)).mean())


def test_png_1x_has_widget_size_and_content(window: MainWindow, tmp_path: Path) -> None:
    out = export.render_png(window, tmp_path / "win.png")
    image = QtGui.QImage(str(out))
    assert (image.width(), image.height()) == (window.width(), window.height()) == (1280, 720)
    arr = _array(image)
    assert _distinct_colours(arr) > 200
    assert arr.std() > 20


def test_png_2x_is_rendered_not_upscaled(window: MainWindow, tmp_path: Path) -> None:
    one = _array(QtGui.QImage(str(export.render_png(window, tmp_path / "a.png", scale=1.0))))
    two_img = QtGui.QImage(str(export.render_png(window, tmp_path / "b.png", scale=2)))
    assert (two_img.width(), two_img.height()) == (2560, 1440)
    two = _array(two_img)
    nearest = one.repeat(2, axis=0).repeat(2, axis=1)
    differs = np.any(two != nearest, axis=2).mean()
    assert differs > 0.02, f"only {differs:.1%} of pixels differ from a nearest-neighbour upscale"
    # the re-rendered picture has finer detail: more distinct colours than the 1× picture (and
    # so than its upscale), and its own 2×2 blocks are not constant
    assert _distinct_colours(two) > _distinct_colours(one)
    blocks = two.reshape(720, 2, 1280, 2, 3).astype(int)
    not_flat = (blocks.max(axis=(1, 3)) != blocks.min(axis=(1, 3))).any(axis=2).mean()
    assert not_flat > 0.02
    assert _edge_energy(two) > 0.5 * _edge_energy(nearest)


def test_png_at_exact_4k_size(window: MainWindow, tmp_path: Path) -> None:
    image = QtGui.QImage(str(export.render_png(window, tmp_path / "4k.png", size=(3840, 2160))))
    assert (image.width(), image.height()) == (3840, 2160)
    assert _distinct_colours(_array(image.copy(0, 0, 1920, 1080))) > 200


def test_scaled_export_restores_the_window(window: MainWindow, tmp_path: Path) -> None:
    before = _array(export.render_image(window))
    export.render_png(window, tmp_path / "big.png", scale=3)
    after = _array(export.render_image(window))
    assert np.array_equal(before, after)


def test_png_embeds_config_and_writes_sidecar(window: MainWindow, tmp_path: Path) -> None:
    out = export.render_png(window, tmp_path / "cfg.png", config=window.config)
    text = QtGui.QImage(str(out)).text(export.CONFIG_KEY)
    assert ExperimentConfig.from_dict(json.loads(text)) == CONFIG
    sidecar = tmp_path / "cfg.png.json"
    assert ExperimentConfig.from_dict(json.loads(sidecar.read_text())) == CONFIG


def test_single_view_exports(window: MainWindow, tmp_path: Path) -> None:
    view = window.views["gradients"]
    image = QtGui.QImage(str(export.render_png(view, tmp_path / "grad.png", scale=2)))
    assert (image.width(), image.height()) == (2 * view.width(), 2 * view.height())
    assert _distinct_colours(_array(image)) > 50


def test_svg_parses_and_has_paths(window: MainWindow, tmp_path: Path) -> None:
    out = export.render_svg(window, tmp_path / "win.svg", config=CONFIG)
    root = ET.parse(out).getroot()
    assert root.tag.endswith("svg")
    assert "<path" in out.read_text()
    assert sum(1 for el in root.iter() if el.tag.endswith("path")) > 10
    view_svg = export.render_svg(window.views["gradients"], tmp_path / "grad.svg")
    ET.parse(view_svg)


def test_metrics_csv(window: MainWindow, tmp_path: Path) -> None:
    history = window.history
    out = export.metrics_csv(history, tmp_path / "m.csv")
    with out.open(newline="") as fh:
        rows = list(csv.reader(fh))
    header, body = rows[0], rows[1:]
    n_layers = CONFIG.depth + 1
    assert history.n_layers == n_layers
    assert len(header) == len(LAYER_STAT_NAMES) * n_layers + 6
    assert header[:6] == ["step", "loss", "grad_norm", "test_loss", "train_accuracy", "test_accuracy"]
    assert "delta_norm_L1" in header and f"delta_norm_L{n_layers}" in header
    assert len(body) == len(history) > 0
    assert [int(r[0]) for r in body] == history.steps.tolist()
    col = header.index("delta_norm_L2")
    np.testing.assert_allclose([float(r[col]) for r in body], history.layer_stat("delta_norm")[:, 1])
    np.testing.assert_allclose([float(r[1]) for r in body], history.scalar("loss"))


def test_metrics_json_round_trips(window: MainWindow, tmp_path: Path) -> None:
    history = window.history
    data = json.loads(export.metrics_json(history, tmp_path / "m.json", config=CONFIG).read_text())
    assert ExperimentConfig.from_dict(data["config"]) == CONFIG
    assert data["steps"] == history.steps.tolist()
    np.testing.assert_allclose(data["scalars"]["loss"], history.scalar("loss"))
    for name in LAYER_STAT_NAMES:
        got = np.array([[np.nan if v is None else v for v in row] for row in data["layers"][name]], dtype=float)
        np.testing.assert_allclose(got, history.layer_stat(name), equal_nan=True)


@pytest.mark.parametrize("kind", ["png", "svg", "csv", "json", "bytes"])
def test_overwrite_protection(window: MainWindow, tmp_path: Path, kind: str) -> None:
    path = tmp_path / f"out.{kind}"

    def write(force: bool) -> None:
        if kind == "png":
            export.render_png(window.views["loss"], path, force=force)
        elif kind == "svg":
            export.render_svg(window.views["loss"], path, force=force)
        elif kind == "csv":
            export.metrics_csv(window.history, path, force=force)
        elif kind == "json":
            export.metrics_json(window.history, path, force=force)
        else:
            export.atomic_write_bytes(path, b"second", force=force)

    path.write_bytes(b"first")
    with pytest.raises(ExportError, match="exists"):
        write(False)
    assert path.read_bytes() == b"first"
    write(True)
    assert path.read_bytes() != b"first"
    assert sorted(os.listdir(tmp_path)) == [path.name]


def test_png_sidecar_is_protected_too(window: MainWindow, tmp_path: Path) -> None:
    (tmp_path / "p.png.json").write_text("keep")
    with pytest.raises(ExportError, match="exists"):
        export.render_png(window.views["loss"], tmp_path / "p.png", config=CONFIG)
    assert not (tmp_path / "p.png").exists()
    assert (tmp_path / "p.png.json").read_text() == "keep"


def test_failing_write_raises_and_leaves_nothing(window: MainWindow, tmp_path: Path) -> None:
    missing = tmp_path / "no" / "such" / "dir"
    with pytest.raises(ExportError, match="does not exist"):
        export.render_png(window, missing / "x.png", config=CONFIG)
    with pytest.raises(ExportError):
        export.metrics_csv(window.history, missing / "x.csv")
    with pytest.raises(ExportError, match="is a directory"):
        export.atomic_write_bytes(tmp_path, b"x", force=True)
    assert list(tmp_path.iterdir()) == []


def test_failure_during_write_removes_temp_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(export.os, "replace", boom)
    with pytest.raises(ExportError, match=r"cannot write .*No space left"):
        export.atomic_write_bytes(tmp_path / "x.bin", b"data")
    assert list(tmp_path.iterdir()) == []


def test_bad_arguments(window: MainWindow, tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="either scale or size"):
        export.render_png(window, tmp_path / "x.png", scale=2, size=(100, 100))
    with pytest.raises(ExportError, match="scale"):
        export.render_png(window, tmp_path / "x.png", scale=0)
    assert list(tmp_path.iterdir()) == []


def test_clipboard_holds_image(window: MainWindow) -> None:
    export.copy_to_clipboard(window)
    image = QtGui.QGuiApplication.clipboard().image()
    assert not image.isNull()
    assert (image.width(), image.height()) == (window.width(), window.height())


def test_written_files_get_the_usual_permissions(tmp_path: Path) -> None:
    import stat

    out = atomic_write_bytes(tmp_path / "x.bin", b"data")
    mask = os.umask(0)
    os.umask(mask)
    assert stat.S_IMODE(out.stat().st_mode) == 0o666 & ~mask


def test_metrics_of_an_empty_history(tmp_path: Path) -> None:
    # a fresh window (no step yet) exported its metrics with a ValueError from numpy
    from model.history import History

    empty = History(3)
    export.metrics_csv(empty, tmp_path / "m.csv")
    assert (tmp_path / "m.csv").read_text().count("\n") == 1  # the header only
    export.metrics_json(empty, tmp_path / "m.json")
    data = json.loads((tmp_path / "m.json").read_text())
    assert data["steps"] == [] and all(rows == [] for rows in data["layers"].values())
