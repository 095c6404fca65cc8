"""Backprop Lab's engine: an exact, instrumented NumPy network (never imports Qt)."""

from model.config import ConfigError, ExperimentConfig
from model.snapshot import LayerStats, Snapshot
from model.trainer import Trainer

__all__ = ["ConfigError", "ExperimentConfig", "LayerStats", "Snapshot", "Trainer"]
