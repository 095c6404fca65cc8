"""The compare window's menus.  File: save or copy a picture, record a GIF or MP4, export
every run's statistics, close.  View: each run's activations instead of its decision regions
(ReLU beside Leaky ReLU: dead units).  Their texts follow the language (``retranslate``)."""

from __future__ import annotations

from typing import Any

from PySide6 import QtCore

from app.compare_export import write_compare_metrics
from app.recording_controller import RecordingController

translate = QtCore.QCoreApplication.translate


class CompareFileMenu(QtCore.QObject):
    """Built on ``window`` (a CompareWindow with ``save_action``, ``copy_action``, ``close_action``,
    ``config_record``, ``_save_via_dialog``, ``_alert`` and ``_notify``)."""

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window = window
        #: File → Record…, the main window's (app/recording_controller.py)
        self.recording = RecordingController(window, window._notify, window.config_record, self._suggested)
        self.menu = window.menuBar().addMenu("")
        self.menu.setObjectName("file_menu")
        self.menu.addAction(window.save_action)
        self.menu.addAction(window.copy_action)
        self.menu.addSeparator()
        self.menu.addAction(self.recording.action)
        self.metrics_actions = {}
        for suffix in (".csv", ".json"):
            action = self.menu.addAction("")
            action.setObjectName(f"metrics{suffix}")
            action.triggered.connect(lambda _=False, s=suffix: self.export_metrics_dialog(s))
            self.metrics_actions[suffix] = action
        self.menu.addSeparator()
        self.menu.addAction(window.close_action)
        self.view_menu = window.menuBar().addMenu("")
        self.view_menu.setObjectName("view_menu")
        self.activations_action = self.view_menu.addAction("")
        self.activations_action.setObjectName("show_activations")
        self.activations_action.setCheckable(True)
        self.activations_action.toggled.connect(self._on_activations_toggled)
        self.retranslate()

    def _name(self) -> str:
        scene = getattr(self.window, "scene", None)
        return scene.name if scene is not None else "backprop-lab-compare"

    def _suggested(self) -> str:
        return f"{self._name()}.mp4"

    def _on_activations_toggled(self, checked: bool) -> None:
        self.window.show_detail_view("activations" if checked else "output")

    def show_detail_view(self, name: str) -> None:
        """Tick the menu entry to match (without toggling again)."""
        self.activations_action.blockSignals(True)
        self.activations_action.setChecked(name == "activations")
        self.activations_action.blockSignals(False)

    def retranslate(self) -> None:
        self.menu.setTitle(translate("CompareFileMenu", "&File"))
        self.metrics_actions[".csv"].setText(translate("CompareFileMenu", "Export every run's metrics (CSV)…"))
        self.metrics_actions[".json"].setText(translate("CompareFileMenu", "Export every run's metrics (JSON)…"))
        self.recording.retranslate()
        self.view_menu.setTitle(translate("CompareFileMenu", "&View"))
        self.activations_action.setText(
            translate("CompareFileMenu", "Activations instead of decision regions (dead and saturated units)")
        )

    def export_metrics_dialog(self, suffix: str) -> None:
        self.window._save_metrics_via_dialog(
            translate("CompareFileMenu", "Export every run's metrics"),
            f"{self._name()}-metrics{suffix}",
            lambda path, force: write_compare_metrics(self.window, path, force=force),
        )


__all__ = ["CompareFileMenu"]
