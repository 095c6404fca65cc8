"""Headless runs: train N steps in this process and render the window to a PNG."""

from __future__ import annotations

from pathlib import Path

from PySide6 import QtWidgets

from app.engine_process import diverged_message, ready_info
from app.export import render_png
from app.worker import Updates
from model import ExperimentConfig, Trainer

DETAIL_EVERY = 25


def offline_updates(config: ExperimentConfig, steps: int) -> list[Updates]:
    """Train ``steps`` steps in this process; what a window would have pulled from a live run:
    the freshly built network, then every snapshot (detailed every DETAIL_EVERY steps and at
    the end) with the final weights, and a "paused" message if the run diverged."""
    trainer = Trainer(config)
    updates = [Updates(ready=ready_info(trainer), snapshots=[trainer.inspect()])]
    batch = []
    for i in range(steps):
        snap = trainer.step(detail=(i + 1) % DETAIL_EVERY == 0 or i == steps - 1)
        batch.append(snap)
        if snap.diverged:
            break
    if batch:
        messages = [("paused", diverged_message(batch[-1]))] if batch[-1].diverged else []
        weights = [w.copy() for w in trainer.network.weights]
        updates.append(Updates(snapshots=batch, weights=weights, messages=messages))
    return updates


def train_into_window(window: QtWidgets.QMainWindow, config: ExperimentConfig, steps: int) -> None:
    """Train ``steps`` steps synchronously and feed every snapshot to ``window``."""
    for update in offline_updates(config, steps):
        window.apply_updates(update)  # type: ignore[attr-defined]


def save_screenshot(window: QtWidgets.QWidget, out: Path, size: tuple[int, int]) -> None:
    """Lay ``window`` out at ``size`` and render it to the PNG ``out`` (overwriting it)."""
    window.resize(*size)
    window.show()
    app = QtWidgets.QApplication.instance()
    assert app is not None
    for _ in range(3):
        app.processEvents()
    render_png(window, out, size=size, force=True)


def standalone_view(window: QtWidgets.QMainWindow, name: str, logical_size: tuple[int, int]) -> QtWidgets.QWidget:
    """A fresh copy of one of ``window``'s views, laid out on its own at ``logical_size`` and
    showing the window's current state (so a single-view export has the shape asked for,
    instead of the shape of the view's cell in the window)."""
    views = window.views  # type: ignore[attr-defined]
    view = type(views[name])()
    config = window.config  # type: ignore[attr-defined]
    snap = window.last_finite or window.latest  # type: ignore[attr-defined]
    if name in ("network", "activations", "activation_function"):
        view.set_experiment(config)
    else:
        view.set_experiment(config, window.dataset)  # type: ignore[attr-defined]
    view.resize(*logical_size)
    view.show()
    app = QtWidgets.QApplication.instance()
    assert app is not None
    app.processEvents()
    if snap is not None:
        if name == "network":
            view.show_snapshot(snap, window.history, window.weights)  # type: ignore[attr-defined]
        else:
            view.show_snapshot(snap, window.history)  # type: ignore[attr-defined]
    for _ in range(3):
        app.processEvents()
    assert isinstance(view, QtWidgets.QWidget)
    return view
