"""Backprop Lab's engine: an exact, instrumented NumPy network (never imports Qt)."""

from model.config import ConfigError, ExperimentConfig

__all__ = ["ConfigError", "ExperimentConfig"]
