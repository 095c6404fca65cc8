"""File dialogs shared by the windows: choose a file to open or to write, and ask before an
existing file is replaced (the GUI never overwrites silently).

A mixin for QMainWindow subclasses that define ``_notify(text, kind)`` (their message area).
Tests replace ``_ask_save_path``, ``_ask_open_path`` and ``_confirm_overwrite``; a failed write
is reported in the message area and in a warning dialog (``_alert``).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6 import QtCore, QtWidgets
from PySide6.QtCore import QCoreApplication

translate = QCoreApplication.translate


class SaveDialogs:
    """``_ask_target`` → (path, force) or None; see the module docstring."""

    def _notify(self, text: str, kind: str) -> None:
        raise NotImplementedError

    def _parent(self) -> QtWidgets.QWidget:
        """The window this mixin is part of (every user is a QWidget)."""
        assert isinstance(self, QtWidgets.QWidget)
        return self

    def _ask_open_path(self, title: str, filters: str) -> Path | None:
        name, _ = QtWidgets.QFileDialog.getOpenFileName(self._parent(), title, str(Path.home()), filters)
        return Path(name) if name else None

    def _ask_save_path(self, title: str, filters: str, suggested: str) -> Path | None:
        """The file dialog (overwrite confirmation is ours, see ``_ask_target``)."""
        name, _ = QtWidgets.QFileDialog.getSaveFileName(
            self._parent(),
            title,
            str(Path.home() / suggested),
            filters,
            options=QtWidgets.QFileDialog.Option.DontConfirmOverwrite,
        )
        return Path(name) if name else None

    def _confirm_overwrite(self, paths: list[Path]) -> bool:
        names = "\n".join(str(p) for p in paths)
        answer = QtWidgets.QMessageBox.question(
            self._parent(),
            translate("SaveDialogs", "Replace existing file?"),
            translate("SaveDialogs", "These files exist and would be replaced:\n{names}").format(names=names),
            QtWidgets.QMessageBox.StandardButton.Yes | QtWidgets.QMessageBox.StandardButton.No,
            QtWidgets.QMessageBox.StandardButton.No,
        )
        return answer == QtWidgets.QMessageBox.StandardButton.Yes

    def _alert(self, title: str, text: str, *, wait: bool = False) -> QtWidgets.QMessageBox:
        """A warning dialog over the window; without ``wait`` it does not block (the window
        keeps drawing and training while it is open)."""
        box = QtWidgets.QMessageBox(
            QtWidgets.QMessageBox.Icon.Warning, title, text, QtWidgets.QMessageBox.StandardButton.Ok, self._parent()
        )
        box.setAttribute(QtCore.Qt.WidgetAttribute.WA_DeleteOnClose)
        if wait:
            box.exec()
        else:
            box.open()
        return box

    def _ask_target(self, title: str, filters: str, suggested: str, sidecar: bool = False) -> tuple[Path, bool] | None:
        """(path, force) chosen by the user, or None; existing files are replaced only after
        the user said yes."""
        path = self._ask_save_path(title, filters, suggested)
        if path is None:
            return None
        suffix = Path(suggested).suffix
        if path.suffix.lower() != suffix.lower():
            path = path.with_name(path.name + suffix)
        involved = [path, path.with_name(path.name + ".json")] if sidecar else [path]
        existing = [p for p in involved if p.exists()]
        if existing and not self._confirm_overwrite(existing):
            self._notify(
                translate("SaveDialogs", "Nothing written: {path} exists.").format(path=path),
                "info",
            )
            return None
        return path, bool(existing)

    def _save_via_dialog(
        self,
        title: str,
        filters: str,
        suggested: str,
        write: Callable[[Path, bool], object],
        done: str,
        *,
        sidecar: bool = False,
    ) -> Path | None:
        """Ask for a file (see ``_ask_target``), ``write(path, force)`` it and report ``done``
        (with ``{path}``) or the ExportError's message; the written path, or None."""
        from app.export import ExportError

        target = self._ask_target(title, filters, suggested, sidecar)
        if target is None:
            return None
        path, force = target
        try:
            write(path, force)
        except ExportError as exc:
            self._notify(str(exc), "error")
            self._alert(translate("SaveDialogs", "Nothing was saved"), str(exc))
            return None
        self._notify(done.format(path=path), "info")
        return path

    def _save_metrics_via_dialog(
        self, title: str, suggested: str, write: Callable[[Path, bool], object]
    ) -> Path | None:
        """Statistics as a CSV table (with a JSON sidecar of the config) or as JSON, as the
        suffix of ``suggested`` says; see ``_save_via_dialog``."""
        csv = Path(suggested).suffix == ".csv"
        return self._save_via_dialog(
            title,
            translate("SaveDialogs", "CSV table (*.csv)") if csv else translate("SaveDialogs", "JSON (*.json)"),
            suggested,
            write,
            translate("SaveDialogs", "Saved {path}."),
            sidecar=csv,
        )
