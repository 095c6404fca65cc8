"""The experiment controls (the dock on the left): a widget for every ExperimentConfig field a
user touches, grouped as data, architecture, remedies and optimiser; it emits (field, value)."""

from __future__ import annotations

from typing import Any

from PySide6 import QtCore, QtWidgets

from app.layout_fit import fit_form
from model import ExperimentConfig
from model.activations import ACTIVATION_NAMES
from model.config import DATASET_NAMES, INIT_NAMES, LOSS_NAMES, MAX_DEPTH, MAX_WIDTH, OPTIMIZER_NAMES


class ControlPanel(QtWidgets.QWidget):
    """Widgets for every ExperimentConfig field a user touches; emits (field, value)."""

    changed = QtCore.Signal(str, object)

    def __init__(self, config: ExperimentConfig, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self._widgets: dict[str, QtWidgets.QWidget] = {}
        self._updating = False
        form = QtWidgets.QFormLayout(self)
        form.setLabelAlignment(QtCore.Qt.AlignmentFlag.AlignRight)

        def header(text: str) -> None:
            label = QtWidgets.QLabel(f"<b>{text}</b>")
            form.addRow(label)

        header(self.tr("Data"))
        self._combo(form, "dataset", self.tr("Dataset"), DATASET_NAMES)
        header(self.tr("Architecture (changes rebuild the network)"))
        self._spin(form, "depth", self.tr("Hidden layers"), 1, MAX_DEPTH)
        self._spin(form, "width", self.tr("Units per layer"), 1, MAX_WIDTH)
        self._combo(form, "activation", self.tr("Activation"), ACTIVATION_NAMES)
        self._combo(form, "init", self.tr("Initialisation"), INIT_NAMES)
        self._dspin(
            form,
            "init_scale",
            self.tr("Init scale (gain)"),
            0.0,
            100.0,
            0.1,
            3,
        )
        self._dspin(form, "bias_std", self.tr("Bias init std (σ_b)"), 0.0, 100.0, 0.05, 3)
        self._combo(form, "loss", self.tr("Loss"), LOSS_NAMES)
        self._spin(form, "batch_size", self.tr("Batch size"), 1, 4096)
        self._spin(form, "seed", self.tr("Seed"), 0, 2**31 - 1)
        header(self.tr("Remedies (rebuild)"))
        self._check(form, "batch_norm", self.tr("Batch norm"))
        self._check(form, "residual", self.tr("Residual (skip) connections"))
        self._spin(
            form,
            "pretrain_epochs",
            self.tr("Pre-training epochs / layer"),
            0,
            1000,
        )
        header(self.tr("Optimiser (applies live)"))
        self._combo(form, "optimizer", self.tr("Optimiser"), OPTIMIZER_NAMES)
        self._dspin(
            form,
            "learning_rate",
            self.tr("Learning rate"),
            0.0,
            1000.0,
            0.01,
            4,
        )
        self._dspin(form, "momentum", self.tr("Momentum"), 0.0, 0.999, 0.1, 3)
        self._optional(form, "grad_clip_norm", self.tr("Clip grad norm"), 0.001, 1e6, 1.0)
        self._optional(
            form,
            "grad_clip_value",
            self.tr("Clip grad value"),
            1e-6,
            1e6,
            0.1,
        )
        fit_form(form)
        self.set_config(config)

    # -- builders ----------------------------------------------------------------------
    def _combo(self, form: QtWidgets.QFormLayout, name: str, label: str, items: tuple[str, ...]) -> None:
        w = QtWidgets.QComboBox()
        w.addItems(list(items))
        w.setObjectName(name)
        w.currentTextChanged.connect(lambda text, n=name: self._emit(n, text))
        form.addRow(label, w)
        self._widgets[name] = w

    def _check(self, form: QtWidgets.QFormLayout, name: str, label: str) -> None:
        w = QtWidgets.QCheckBox()
        w.setObjectName(name)
        w.toggled.connect(lambda on, n=name: self._emit(n, bool(on)))
        form.addRow(label, w)
        self._widgets[name] = w

    def _spin(self, form: QtWidgets.QFormLayout, name: str, label: str, lo: int, hi: int) -> None:
        w = QtWidgets.QSpinBox()
        w.setRange(lo, hi)
        w.setObjectName(name)
        w.setKeyboardTracking(False)
        w.valueChanged.connect(lambda v, n=name: self._emit(n, int(v)))
        form.addRow(label, w)
        self._widgets[name] = w

    def _dspin(
        self, form: QtWidgets.QFormLayout, name: str, label: str, lo: float, hi: float, step: float, dec: int
    ) -> None:
        w = QtWidgets.QDoubleSpinBox()
        w.setRange(lo, hi)
        w.setDecimals(dec)
        w.setSingleStep(step)
        w.setObjectName(name)
        w.setKeyboardTracking(False)
        w.valueChanged.connect(lambda v, n=name: self._emit(n, float(v)))
        form.addRow(label, w)
        self._widgets[name] = w

    def _optional(
        self, form: QtWidgets.QFormLayout, name: str, label: str, lo: float, hi: float, default: float
    ) -> None:
        box = QtWidgets.QWidget()
        row = QtWidgets.QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        check = QtWidgets.QCheckBox()
        check.setObjectName(f"{name}_on")
        spin = QtWidgets.QDoubleSpinBox()
        spin.setRange(lo, hi)
        spin.setDecimals(3)
        spin.setValue(default)
        spin.setObjectName(name)
        spin.setKeyboardTracking(False)
        row.addWidget(check)
        row.addWidget(spin, 1)

        def emit(*_: Any) -> None:
            spin.setEnabled(check.isChecked())
            self._emit(name, float(spin.value()) if check.isChecked() else None)

        check.toggled.connect(emit)
        spin.valueChanged.connect(emit)
        form.addRow(label, box)
        self._widgets[name] = box
        box.setProperty("check", check)
        box.setProperty("spin", spin)

    def _emit(self, name: str, value: object) -> None:
        if not self._updating:
            self.changed.emit(name, value)

    def widget(self, name: str) -> QtWidgets.QWidget:
        return self._widgets[name]

    def set_config(self, config: ExperimentConfig) -> None:
        """Show ``config`` without emitting changes."""
        self._updating = True
        try:
            for name, w in self._widgets.items():
                value = getattr(config, name)
                if isinstance(w, QtWidgets.QComboBox):
                    w.setCurrentText(str(value))
                elif isinstance(w, QtWidgets.QCheckBox):
                    w.setChecked(bool(value))
                elif isinstance(w, (QtWidgets.QSpinBox, QtWidgets.QDoubleSpinBox)):
                    w.setValue(value)
                else:
                    check = w.findChild(QtWidgets.QCheckBox)
                    spin = w.findChild(QtWidgets.QDoubleSpinBox)
                    assert check is not None and spin is not None
                    check.setChecked(value is not None)
                    spin.setEnabled(value is not None)
                    if value is not None:
                        spin.setValue(float(value))
        finally:
            self._updating = False
