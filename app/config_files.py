"""Configs in files for the main window: open (a JSON config, or a PNG the app exported; a
comparison's picture opens the comparison again), save, and drop a file on the window.  A bad
file is reported in the message area and a dialog, and changes nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6 import QtCore

from app.config_io import CONFIG_SUFFIXES, load_runs_file, save_config_file
from app.worker import TrainingController, ensure_room
from model import ConfigError
from model.trainer import LIVE_FIELDS


def _tr(text: str) -> str:
    return QtCore.QCoreApplication.translate("MainWindow", text)


def dropped_config(mime: QtCore.QMimeData) -> Path | None:
    """The first local config-like file (.json / .png) in a drag, if any."""
    if not mime.hasUrls():
        return None
    for url in mime.urls():
        if url.isLocalFile():
            path = Path(url.toLocalFile())
            if path.suffix.lower() in CONFIG_SUFFIXES:
                return path
    return None


class ConfigFiles(QtCore.QObject):
    """Owned by a MainWindow (``window``: ``config``, ``load_config``, ``scenes`` and the save
    dialogs)."""

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window = window

    def on_control_changed(self, name: str, value: object) -> None:
        """A control's change: optimiser settings apply live, anything else rebuilds the
        network; an invalid combination is refused with the config's message."""
        w = self.window
        changes: dict[str, Any] = {name: value}
        if name == "dataset" and value == "sine":
            # the regression dataset needs the squared error; classification defaults back
            changes["loss"] = "mse"
        try:
            new = w.config.replace(**changes)
        except ConfigError as exc:
            w.show_message(str(exc), "error")
            w.controls.set_config(w.config)
            return
        if set(changes) <= LIVE_FIELDS:
            w.config = new
            if w.controller is not None:
                w.controller.apply_live(changes)
            w.show_message(_tr("{name} = {value} (applied live)").format(name=name, value=value), "info")
            return
        w.controls.set_config(new)
        w.start_config(new, reason=_tr("{name} changed: the network was rebuilt.").format(name=name))

    def load_path(self, path: str | Path) -> bool:
        """Load the config in ``path`` (JSON, or a PNG exported by the app); a bad file is
        reported in the message area and in a dialog, and changes nothing."""
        w = self.window
        try:
            runs = load_runs_file(path)
        except ConfigError as exc:
            w.show_message(str(exc), "error")
            w._alert(_tr("Cannot open this file"), str(exc))
            return False
        if len(runs) > 1:
            # a compare-window picture: compare the same runs again
            from app.compare_window import CompareWindow

            try:
                if w.controller is not None:
                    ensure_room(len(runs))
                controllers = [TrainingController() for _ in runs] if w.controller is not None else None
                window = CompareWindow(runs, title=Path(path).stem, controllers=controllers)
            except ValueError as exc:
                w.show_message(str(exc), "error")
                return False
            w.scenes.track(window)
            return True
        w.presentation.set_scene(None)
        w.load_config(runs[0][1], reason=_tr("Loaded {path}.").format(path=Path(path).name))
        return True

    def save(self, path: str | Path, *, force: bool = False) -> Path:
        """Write the current config as JSON (``ExportError`` if it exists and not ``force``)."""
        return save_config_file(self.window.config, path, force=force)

    def open_dialog(self) -> None:
        path = self.window._ask_open_path(_tr("Open a config"), _tr("Configs and exported pictures (*.json *.png)"))
        if path is not None:
            self.load_path(path)

    def save_dialog(self) -> None:
        self.window._save_via_dialog(
            _tr("Save the config"),
            _tr("Config (*.json)"),
            "backprop-lab-config.json",
            lambda path, force: self.save(path, force=force),
            _tr("Saved {path}."),
        )
