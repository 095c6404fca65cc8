"""The app-wide vanishing/exploding ratio."""

from __future__ import annotations

import math

import numpy as np

from model import ExperimentConfig, Trainer
from model.diagnostics import gradient_ratio, ratio_verdict, reference_layer


def test_reference_is_the_last_hidden_layer() -> None:
    assert reference_layer(11) == 9
    assert reference_layer(2) == 1  # a single hidden layer is compared with the output


def test_ratio_and_verdicts_at_the_thresholds() -> None:
    assert gradient_ratio(np.array([1e-6, 1e-2, 1e-1, 5.0])) == 1e-6 / 1e-1
    assert ratio_verdict(1e-3) == "vanishing"
    assert ratio_verdict(1.01e-3) == "healthy"
    assert ratio_verdict(1e3) == "exploding"
    assert ratio_verdict(math.inf) == "exploding"
    assert ratio_verdict(math.nan) == "diverged"
    assert gradient_ratio(np.array([0.0, 0.0, 0.0, 1.0])) == 0.0


def test_deep_sigmoid_vanishes_and_relu_he_does_not() -> None:
    sig = Trainer(ExperimentConfig(depth=10, width=32, activation="sigmoid")).step()
    relu = Trainer(ExperimentConfig(depth=10, width=32, activation="relu", init="he_normal")).step()
    assert ratio_verdict(gradient_ratio(sig.stats["delta_norm"])) == "vanishing"
    assert ratio_verdict(gradient_ratio(relu.stats["delta_norm"])) == "healthy"
