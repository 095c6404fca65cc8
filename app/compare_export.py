"""Exports of a compare window: one view for every run, and every run's statistics in one file.

* :func:`standalone_compare_view` — a fresh widget laid out at the picture's shape: the
  overlaid gradient plot for ``gradients``; for the other views one panel per run (side by
  side, 2 × 2 for four runs), each headed by its run's marker and label in its colour.
* :func:`compare_metrics_csv` / :func:`compare_metrics_json` — the per-step statistics of
  every run in one file: a ``run`` and a ``label`` column in front of the single-run columns
  (runs of different depth share the deepest run's layer columns, the shallower runs leave
  theirs empty), or a JSON document with a list ``runs`` of single-run metrics.

A window here is a :class:`app.compare_window.CompareWindow` (duck-typed: ``runs``,
``columns`` with ``history``, ``dataset``, ``shown``, ``output_snapshot``; ``config_record``).
"""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path
from typing import Any

from PySide6 import QtGui, QtWidgets

from app.export import (
    ExportError,
    _atomic_write_text,
    _cell,
    _check_target,
    _metric_table,
    metric_columns,
    metrics_dict,
)
from views import theme

#: Views a compare window can export for all its runs.
COMPARE_VIEWS = ("gradients", "loss", "output", "activations")
FORMAT = "backprop-lab-compare-metrics/1"


# -- one view for every run ---------------------------------------------------------------
def _view_class(name: str) -> type[QtWidgets.QWidget]:
    if name == "loss":
        from views.loss_view import LossView

        return LossView
    if name == "output":
        from views.output_view import OutputView

        return OutputView
    if name == "activations":
        from views.activations_view import ActivationsView

        return ActivationsView
    raise ValueError(f"no per-run {name!r} view in a comparison; choose one of {', '.join(COMPARE_VIEWS)}")


def _run_panel(window: Any, column: Any, name: str) -> QtWidgets.QWidget:
    """One run's ``name`` view under its marker and label."""
    from app.run_column import SYMBOL_CHARS
    from views.compare_gradients_view import run_symbol

    panel = QtWidgets.QWidget()
    layout = QtWidgets.QVBoxLayout(panel)
    layout.setContentsMargins(2, 2, 2, 2)
    layout.setSpacing(2)
    header = QtWidgets.QLabel(f"{SYMBOL_CHARS.get(run_symbol(column.index), '●')} {column.label}")
    font = QtGui.QFont()
    font.setPointSize(theme.pt(16))
    font.setBold(True)
    header.setFont(font)
    header.setStyleSheet(f"color: {column.colour}; padding: 0px 4px;")
    header.setSizePolicy(QtWidgets.QSizePolicy.Policy.Ignored, QtWidgets.QSizePolicy.Policy.Fixed)
    view: Any = _view_class(name)()
    if name == "activations":
        view.set_experiment(column.config)
    else:
        view.set_experiment(column.config, column.dataset)
    layout.addWidget(header)
    layout.addWidget(view, 1)
    panel.view = view  # type: ignore[attr-defined]
    return panel


def _feed(panel: QtWidgets.QWidget, column: Any, name: str) -> None:
    view: Any = panel.view  # type: ignore[attr-defined]
    snap = column.output_snapshot if name == "output" else column.shown
    if name == "activations":
        snap = getattr(column, "activation_snapshot", None) or column.shown
    if snap is not None:
        view.show_snapshot(snap, column.history)


def standalone_compare_view(window: Any, name: str, logical_size: tuple[int, int]) -> QtWidgets.QWidget:
    """A fresh widget showing view ``name`` of every run of ``window``, laid out at ``logical_size``."""
    from views.compare_gradients_view import CompareGradientsView

    app = QtWidgets.QApplication.instance()
    assert app is not None
    t = theme.current()
    if name == "gradients":
        widget: QtWidgets.QWidget = CompareGradientsView()
        widget.set_runs([label for label, _ in window.runs], [config.depth + 1 for _, config in window.runs])  # type: ignore[attr-defined]
        panels: list[QtWidgets.QWidget] = []
    else:
        widget = QtWidgets.QWidget()
        widget.setObjectName("compare_view")
        widget.setStyleSheet(f"QWidget#compare_view {{ background: {t.background}; }}")
        grid = QtWidgets.QGridLayout(widget)
        grid.setContentsMargins(4, 4, 4, 4)
        grid.setSpacing(8)
        per_row = 2 if len(window.columns) > 3 else len(window.columns)
        panels = [_run_panel(window, column, name) for column in window.columns]
        for i, panel in enumerate(panels):
            grid.addWidget(panel, i // per_row, i % per_row)
    widget.resize(*logical_size)
    widget.show()
    app.processEvents()
    if name == "gradients":
        widget.show_snapshots([column.shown for column in window.columns])  # type: ignore[attr-defined]
    else:
        for panel, column in zip(panels, window.columns, strict=True):
            _feed(panel, column, name)
    for _ in range(3):
        app.processEvents()
    return widget


# -- every run's statistics in one file -------------------------------------------------------
def compare_metric_columns(n_layers: int) -> list[str]:
    """CSV header of a comparison: ``run``, ``label``, then :func:`app.export.metric_columns`."""
    return ["run", "label", *metric_columns(n_layers)]


def compare_metrics_csv(window: Any, path: str | os.PathLike[str], *, force: bool = False) -> Path:
    """One CSV with a row per recorded step of every run (``run`` counts from 0, in the
    window's order); the sidecar ``path + ".json"`` holds every run's label and config."""
    target = Path(path)
    sidecar = target.with_name(target.name + ".json")
    _check_target(target, force)
    _check_target(sidecar, force)
    deepest = max(column.history.n_layers for column in window.columns)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(compare_metric_columns(deepest))
    width = len(metric_columns(deepest)) - 1
    for column in window.columns:
        columns, table = _metric_table(column.history)
        n = column.history.n_layers
        for step, row in zip(column.history.steps, table, strict=True):
            cells = [_cell(v) for v in row[1:]]
            if n < deepest:
                cells = _widen(columns, cells, n, deepest)
            assert len(cells) == width
            writer.writerow([str(column.index), column.label, str(int(step)), *cells])
    _atomic_write_text(target, out.getvalue(), force=force)
    text = json.dumps(window.config_record(), indent=2, sort_keys=True, allow_nan=False)
    _atomic_write_text(sidecar, text + "\n", force=force)
    return target


def _widen(columns: list[str], cells: list[str], n: int, deepest: int) -> list[str]:
    """Cells of a run with ``n`` layers placed under the header of a ``deepest``-layer run."""
    by_name = dict(zip(columns[1:], cells, strict=True))
    return [by_name.get(name, "") for name in metric_columns(deepest)[1:]]


def compare_metrics_dict(window: Any) -> dict[str, Any]:
    """Every run's :func:`app.export.metrics_dict`, with its index and label, in one document."""
    return {
        "format": FORMAT,
        "title": window.scene_title,
        "runs": [
            {"run": column.index, "label": column.label, **metrics_dict(column.history, column.config)}
            for column in window.columns
        ],
    }


def compare_metrics_json(window: Any, path: str | os.PathLike[str], *, force: bool = False) -> Path:
    _check_target(Path(path), force)
    text = json.dumps(compare_metrics_dict(window), allow_nan=False)
    return _atomic_write_text(path, text + "\n", force=force)


def write_compare_metrics(window: Any, path: Path, *, force: bool = False) -> Path:
    """CSV or JSON by the file's extension."""
    if path.suffix.lower() == ".json":
        return compare_metrics_json(window, path, force=force)
    if path.suffix.lower() == ".csv":
        return compare_metrics_csv(window, path, force=force)
    raise ExportError(f"--metrics must name a .csv or .json file, got {path}")


__all__ = [
    "COMPARE_VIEWS",
    "compare_metric_columns",
    "compare_metrics_csv",
    "compare_metrics_dict",
    "compare_metrics_json",
    "standalone_compare_view",
    "write_compare_metrics",
]
