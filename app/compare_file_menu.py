"""The compare window's File menu: save or copy a picture, record a GIF or MP4, export every
run's statistics, close.  Its texts follow the language (``retranslate``)."""

from __future__ import annotations

from typing import Any

from PySide6 import QtCore

from app.compare_export import write_compare_metrics
from app.compare_recording import CompareRecording

translate = QtCore.QCoreApplication.translate


class CompareFileMenu(QtCore.QObject):
    """Built on ``window`` (a CompareWindow with ``save_action``, ``copy_action``, ``close_action``,
    ``_save_via_dialog`` and ``_notify``)."""

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window = window
        self.recording = CompareRecording(window, window._notify)
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
        self.retranslate()

    def retranslate(self) -> None:
        self.menu.setTitle(translate("CompareFileMenu", "&File"))
        self.metrics_actions[".csv"].setText(translate("CompareFileMenu", "Export every run's metrics (CSV)…"))
        self.metrics_actions[".json"].setText(translate("CompareFileMenu", "Export every run's metrics (JSON)…"))
        self.recording.retranslate()

    def export_metrics_dialog(self, suffix: str) -> None:
        scene = getattr(self.window, "scene", None)
        name = scene.name if scene is not None else "backprop-lab-compare"
        self.window._save_via_dialog(
            translate("CompareFileMenu", "Export every run's metrics"),
            translate("CompareFileMenu", "CSV table (*.csv)")
            if suffix == ".csv"
            else translate("CompareFileMenu", "JSON (*.json)"),
            f"{name}-metrics{suffix}",
            lambda path, force: write_compare_metrics(self.window, path, force=force),
            translate("CompareFileMenu", "Saved {path}."),
            sidecar=suffix == ".csv",
        )


__all__ = ["CompareFileMenu"]
