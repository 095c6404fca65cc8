"""Every view built and fed from a real (small, fast) Trainer run, for theme and scale tests.

``build_view(name)`` constructs the view under the current theme and scale, sizes it like a
lecture-window cell and draws a few dozen real training steps into it.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from PySide6 import QtWidgets

from model.config import ExperimentConfig
from model.history import History
from model.snapshot import Snapshot
from model.trainer import Trainer
from model.walkthrough import BackwardWalk, backward_walk
from views.activation_function_view import ActivationFunctionView
from views.activations_view import ActivationsView
from views.compare_gradients_view import CompareGradientsView
from views.gradients_view import GradientsView
from views.loss_view import LossView
from views.network_view import NetworkView
from views.output_view import OutputView
from views.walkthrough_view import WalkthroughView

#: The lecture default, shrunk to train fast: a deep sigmoid net (vanishing gradients).
CONFIG = ExperimentConfig(depth=6, width=16, n_samples=300)
STEPS = 40


@dataclass(frozen=True)
class Run:
    config: ExperimentConfig
    dataset: object
    history: History
    latest: Snapshot  # newest snapshot with every detail (histograms, probe, output)
    weights: list[np.ndarray]
    walk: BackwardWalk


@functools.cache
def run(config: ExperimentConfig = CONFIG, steps: int = STEPS) -> Run:
    """``steps`` training steps of ``config``, every 5th with full detail (cached per config)."""
    trainer = Trainer(config)
    history = History(config.depth + 1)
    latest = None
    for i in range(steps):
        detail = i % 5 == 4 or i == steps - 1
        snap = trainer.step(detail=detail)
        history.append(snap)
        if detail:
            latest = snap
    assert latest is not None
    x, y = trainer._next_batch()
    walk = backward_walk(trainer.network, x, y, step=steps)
    weights = [np.array(w) for w in trainer.network.weights]
    return Run(config, trainer.dataset, history, latest, weights, walk)


def _network(r: Run) -> QtWidgets.QWidget:
    view = NetworkView()
    view.set_experiment(r.config, r.weights)
    view.show_snapshot(r.latest, r.history, r.weights)
    return view


def _gradients(r: Run) -> QtWidgets.QWidget:
    view = GradientsView()
    view.set_experiment(r.config, r.dataset)  # type: ignore[arg-type]
    view.show_snapshot(r.latest, r.history)
    return view


def _activations(r: Run) -> QtWidgets.QWidget:
    view = ActivationsView()
    view.set_experiment(r.config)
    view.show_snapshot(r.latest, r.history)
    return view


def _loss(r: Run) -> QtWidgets.QWidget:
    view = LossView()
    view.set_experiment(r.config, r.dataset)  # type: ignore[arg-type]
    view.show_snapshot(r.latest, r.history)
    return view


def _output(r: Run) -> QtWidgets.QWidget:
    view = OutputView()
    view.set_experiment(r.config, r.dataset)  # type: ignore[arg-type]
    view.show_snapshot(r.latest, r.history)
    return view


def _activation_function(r: Run) -> QtWidgets.QWidget:
    view = ActivationFunctionView()
    view.set_experiment(r.config)
    view.show_snapshot(r.latest, r.history)
    return view


def _compare(r: Run) -> QtWidgets.QWidget:
    view = CompareGradientsView()
    relu = run(CONFIG.replace(activation="relu", init="he_normal"))
    view.set_runs(["sigmoid", "relu"], [r.config.depth + 1, relu.config.depth + 1])
    view.show_snapshots([r.latest, relu.latest])
    return view


def _walkthrough(r: Run) -> QtWidgets.QWidget:
    view = WalkthroughView()
    view.set_walk(r.walk)
    return view


#: name → (builder, cell size in the 1920×1080 lecture window)
VIEWS: dict[str, tuple[Callable[[Run], QtWidgets.QWidget], tuple[int, int]]] = {
    "network": (_network, (640, 560)),
    "gradients": (_gradients, (640, 560)),
    "activations": (_activations, (640, 560)),
    "loss": (_loss, (640, 560)),
    "output": (_output, (640, 560)),
    "activation_function": (_activation_function, (640, 560)),
    "compare_gradients": (_compare, (1900, 360)),
    "walkthrough": (_walkthrough, (1280, 520)),
}


def build_view(name: str, size: tuple[int, int] | None = None) -> QtWidgets.QWidget:
    """View ``name`` built under the current theme and scale, drawn, resized and shown."""
    builder, cell = VIEWS[name]
    view = builder(run())
    view.resize(*(size or cell))
    view.show()
    if isinstance(view, WalkthroughView):
        view.next()
        view.next()
    QtWidgets.QApplication.processEvents()
    return view
