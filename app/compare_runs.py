"""Describing the runs of a comparison in words: what differs between their configs, a
short label for each run and a caption for the whole comparison (context "CompareWindow")."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from PySide6 import QtCore

from model import ExperimentConfig

#: Fields named with their value in an automatic run label (text values speak for themselves).
SHORT_NAMES = {"learning_rate": "lr", "init_scale": "gain", "batch_size": "batch", "momentum": "momentum"}

translate = QtCore.QCoreApplication.translate


def differing_fields(configs: Sequence[ExperimentConfig]) -> list[str]:
    """Names of the config fields whose values are not the same in every config (in field order)."""
    if not configs:
        return []
    dicts = [c.to_dict() for c in configs]
    return [name for name in dicts[0] if any(d[name] != dicts[0][name] for d in dicts[1:])]


def field_title(name: str) -> str:
    """A config field in words, in the current language (``learning_rate`` → "learning rate")."""
    titles = {
        "dataset": translate("CompareWindow", "dataset"),
        "n_samples": translate("CompareWindow", "n samples"),
        "noise": translate("CompareWindow", "noise"),
        "classes": translate("CompareWindow", "classes"),
        "test_fraction": translate("CompareWindow", "test fraction"),
        "depth": translate("CompareWindow", "depth"),
        "width": translate("CompareWindow", "width"),
        "activation": translate("CompareWindow", "activation"),
        "leaky_slope": translate("CompareWindow", "leaky slope"),
        "batch_norm": translate("CompareWindow", "batch norm"),
        "residual": translate("CompareWindow", "residual"),
        "init": translate("CompareWindow", "init"),
        "init_scale": translate("CompareWindow", "init scale"),
        "loss": translate("CompareWindow", "loss"),
        "optimizer": translate("CompareWindow", "optimizer"),
        "learning_rate": translate("CompareWindow", "learning rate"),
        "momentum": translate("CompareWindow", "momentum"),
        "nesterov": translate("CompareWindow", "nesterov"),
        "weight_decay": translate("CompareWindow", "weight decay"),
        "grad_clip_norm": translate("CompareWindow", "grad clip norm"),
        "grad_clip_value": translate("CompareWindow", "grad clip value"),
        "batch_size": translate("CompareWindow", "batch size"),
        "pretrain_epochs": translate("CompareWindow", "pretrain epochs"),
        "seed": translate("CompareWindow", "seed"),
    }
    return titles.get(name, name.replace("_", " "))


def _join(parts: Sequence[str]) -> str:
    return translate("CompareWindow", ", ", "separator between the items of a list").join(parts)


def describe(config: ExperimentConfig, fields: Sequence[str]) -> str:
    """A short label from the values of ``fields``: ``"relu, he_normal"``, ``"lr=1.0"``."""
    parts = []
    for name in fields:
        value = getattr(config, name)
        if isinstance(value, str):
            parts.append(value)
        elif isinstance(value, bool) or value is None:
            without = translate("CompareWindow", "no {setting}").format(setting=field_title(name))
            parts.append(field_title(name) if value else without)
        else:
            parts.append(f"{SHORT_NAMES.get(name, name)}={value:g}")
    return _join(parts) or translate("CompareWindow", "baseline")


def auto_caption(configs: Sequence[ExperimentConfig]) -> str:
    """What the runs share and what sets them apart, for a comparison without a caption."""
    fields = differing_fields(configs)
    if not fields:
        return translate("CompareWindow", "The runs have identical settings.")
    first = configs[0]
    differs = _join([field_title(name) for name in fields])
    if "dataset" not in fields and "seed" not in fields:
        text = translate("CompareWindow", "Same {dataset} data and seed {seed}; the runs differ only in: {settings}.")
    elif "dataset" not in fields:
        text = translate("CompareWindow", "Same {dataset} data; the runs differ only in: {settings}.")
    elif "seed" not in fields:
        text = translate("CompareWindow", "Same seed {seed}; the runs differ only in: {settings}.")
    else:
        text = translate("CompareWindow", "The runs differ in: {settings}.")
    return text.format(dataset=first.dataset, seed=first.seed, settings=differs)


def variant_runs(
    base: ExperimentConfig,
    variants: Sequence[Mapping[str, Any]],
    labels: Sequence[str] | None = None,
    *,
    include_base: bool = True,
) -> list[tuple[str, ExperimentConfig]]:
    """``base`` and ``base.replace(**changes)`` for each variant, labelled by what differs.

    Data and seed stay the base's unless a variant changes them.  Raises ConfigError for an
    invalid variant (the message names the field).
    """
    configs = [base] if include_base else []
    configs += [base.replace(**dict(changes)) for changes in variants]
    if labels is not None:
        if len(labels) != len(configs):
            raise ValueError(f"{len(labels)} labels for {len(configs)} runs")
        return list(zip(labels, configs, strict=True))
    fields = differing_fields(configs)
    names = []
    for config in configs:
        # a variant is named by what it changes; the base by its values of those fields
        changed = [name for name in fields if getattr(config, name) != getattr(base, name)]
        names.append(describe(config, changed or fields))
    if include_base:
        names[0] = translate("CompareWindow", "current: {settings}").format(settings=describe(base, fields))
    return list(zip(names, configs, strict=True))
