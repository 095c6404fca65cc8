"""The six views of the main window: their names, titles and live redraw cadence."""

from __future__ import annotations

from typing import Any

from PySide6 import QtCore

from views.activation_function_view import ActivationFunctionView
from views.activations_view import ActivationsView
from views.gradients_view import GradientsView
from views.loss_view import LossView
from views.network_view import NetworkView
from views.output_view import OutputView
from views.settle import quiet_axes

VIEW_NAMES: tuple[str, ...] = ("network", "gradients", "activations", "loss", "output", "activation_function")
#: seconds between redraws of each view while training live (0: every frame; app/view_cadence.py)
VIEW_INTERVALS = {
    "gradients": 0.0,
    # the gradients' heat map, the whole run's history, like the loss (views/gradients_view.py)
    "gradients_heat": 1 / 15,
    "network": 1 / 15,
    "loss": 1 / 15,
    "activations": 1 / 10,
    "output": 1 / 5,
    "activation_function": 1 / 5,
}


def view_title(name: str) -> str:
    titles = {
        "network": QtCore.QCoreApplication.translate("MainWindow", "Network"),
        "gradients": QtCore.QCoreApplication.translate("MainWindow", "Gradients by layer"),
        "activations": QtCore.QCoreApplication.translate("MainWindow", "Activations"),
        "loss": QtCore.QCoreApplication.translate("MainWindow", "Loss and accuracy"),
        "output": QtCore.QCoreApplication.translate("MainWindow", "Output"),
        "activation_function": QtCore.QCoreApplication.translate("MainWindow", "Activation function"),
    }
    return titles[name]


def make_views() -> dict[str, Any]:
    """A new view of each kind, built with the current theme, scale and language."""
    views: dict[str, Any] = {
        "network": NetworkView(),
        "gradients": GradientsView(),
        "activations": ActivationsView(),
        "loss": LossView(),
        "output": OutputView(),
        "activation_function": ActivationFunctionView(),
    }
    for view in views.values():
        quiet_axes(view)  # views/settle.py
    return views
