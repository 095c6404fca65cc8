"""The dialog that asks for a recording's file, frame rate, duration and size."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6 import QtCore, QtWidgets

from app.recording.plan import GIF_MAX_FPS, GIF_MAX_WIDTH, KINDS, MAX_DURATION_S, MAX_FPS, MIN_FPS


class RecordDialog(QtWidgets.QDialog):
    """Asks for the file, frame rate, duration and size of a recording.

    ``values()`` → (path, fps, duration_s, size or None); :attr:`force` says whether the user
    agreed to replace an existing file (asked when OK is pressed; see :meth:`ask_force`).
    The message boxes and the file dialog go through :meth:`_question`, :meth:`_warn` and
    :meth:`_save_file_name`, which tests override.
    """

    SIZES: tuple[tuple[int, int], ...] = ((1280, 720), (1920, 1080))

    def __init__(
        self,
        parent: QtWidgets.QWidget | None = None,
        *,
        path: str | os.PathLike[str] | None = None,
        window_size: tuple[int, int] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(QtCore.QCoreApplication.translate("RecordDialog", "Record a video"))
        self.force = False
        form = QtWidgets.QFormLayout(self)

        row = QtWidgets.QHBoxLayout()
        self.path_edit = QtWidgets.QLineEdit(str(path) if path is not None else "")
        self.path_edit.setObjectName("path")
        self.path_edit.setMinimumWidth(360)
        self.path_edit.textChanged.connect(self._update_format)
        self.browse_button = QtWidgets.QPushButton(QtCore.QCoreApplication.translate("RecordDialog", "Browse…"))
        self.browse_button.setObjectName("browse")
        self.browse_button.clicked.connect(self.browse)
        row.addWidget(self.path_edit, 1)
        row.addWidget(self.browse_button)
        form.addRow(QtCore.QCoreApplication.translate("RecordDialog", "File"), row)

        self.format_label = QtWidgets.QLabel("")
        self.format_label.setObjectName("format")
        form.addRow(QtCore.QCoreApplication.translate("RecordDialog", "Format"), self.format_label)

        self.fps_spin = QtWidgets.QSpinBox()
        self.fps_spin.setObjectName("fps")
        self.fps_spin.setRange(MIN_FPS, MAX_FPS)
        self.fps_spin.setValue(30)
        self.fps_spin.setSuffix(QtCore.QCoreApplication.translate("RecordDialog", " fps"))
        form.addRow(QtCore.QCoreApplication.translate("RecordDialog", "Frame rate"), self.fps_spin)

        self.duration_spin = QtWidgets.QDoubleSpinBox()
        self.duration_spin.setObjectName("duration")
        self.duration_spin.setDecimals(1)
        self.duration_spin.setRange(0.1, MAX_DURATION_S)
        self.duration_spin.setSingleStep(1.0)
        self.duration_spin.setValue(10.0)
        self.duration_spin.setSuffix(QtCore.QCoreApplication.translate("RecordDialog", " s"))
        form.addRow(QtCore.QCoreApplication.translate("RecordDialog", "Duration"), self.duration_spin)

        self.size_combo = QtWidgets.QComboBox()
        self.size_combo.setObjectName("size")
        if window_size is None and parent is not None:
            window_size = (parent.width(), parent.height())
        if window_size is not None:
            label = QtCore.QCoreApplication.translate("RecordDialog", "Window size ({width} × {height})").format(
                width=window_size[0], height=window_size[1]
            )
        else:
            label = QtCore.QCoreApplication.translate("RecordDialog", "Window size")
        self.size_combo.addItem(label, None)
        for w, h in self.SIZES:
            self.size_combo.addItem(
                QtCore.QCoreApplication.translate("RecordDialog", "{width} × {height}").format(width=w, height=h),
                (w, h),
            )
        form.addRow(QtCore.QCoreApplication.translate("RecordDialog", "Size"), self.size_combo)

        self.hint = QtWidgets.QLabel("")
        self.hint.setObjectName("hint")
        self.hint.setWordWrap(True)
        form.addRow(self.hint)

        buttons = QtWidgets.QDialogButtonBox(
            QtWidgets.QDialogButtonBox.StandardButton.Ok | QtWidgets.QDialogButtonBox.StandardButton.Cancel
        )
        ok = buttons.button(QtWidgets.QDialogButtonBox.StandardButton.Ok)
        ok.setText(QtCore.QCoreApplication.translate("RecordDialog", "Record"))
        cancel = buttons.button(QtWidgets.QDialogButtonBox.StandardButton.Cancel)
        cancel.setText(QtCore.QCoreApplication.translate("RecordDialog", "Cancel"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self._update_format()

    # -- values -----------------------------------------------------------------------------
    def path(self) -> Path:
        return Path(self.path_edit.text().strip()).expanduser()

    def values(self) -> tuple[Path, int, float, tuple[int, int] | None]:
        """(path, fps, duration in seconds, size or None for the window's size)."""
        size = self.size_combo.currentData()
        return self.path(), int(self.fps_spin.value()), float(self.duration_spin.value()), size

    def _kind(self) -> str | None:
        ext = self.path().suffix.lower() if self.path_edit.text().strip() else ""
        return ext if ext in KINDS else None

    @QtCore.Slot()
    def _update_format(self) -> None:
        kind = self._kind()
        if kind == ".mp4":
            self.format_label.setText(QtCore.QCoreApplication.translate("RecordDialog", "MP4 video (H.264)"))
            self.fps_spin.setMaximum(MAX_FPS)
            self.hint.setText("")
        elif kind == ".gif":
            self.format_label.setText(QtCore.QCoreApplication.translate("RecordDialog", "Animated GIF"))
            self.fps_spin.setMaximum(GIF_MAX_FPS)
            self.hint.setText(
                QtCore.QCoreApplication.translate(
                    "RecordDialog", "GIFs are scaled to at most {width} pixels wide unless you choose a size."
                ).format(width=GIF_MAX_WIDTH)
            )
        else:
            self.format_label.setText(
                QtCore.QCoreApplication.translate("RecordDialog", "Choose a file ending in .mp4 or .gif")
            )
            self.fps_spin.setMaximum(MAX_FPS)
            self.hint.setText("")

    # -- file dialog ------------------------------------------------------------------------
    def _save_file_name(self, start: str, filters: str, selected: str) -> tuple[str, str]:
        """The save dialog (overridden in tests): (file name or "", chosen filter)."""
        name, chosen = QtWidgets.QFileDialog.getSaveFileName(
            self, QtCore.QCoreApplication.translate("RecordDialog", "Record to file"), start, filters, selected
        )
        return name, chosen

    @QtCore.Slot()
    def browse(self) -> None:
        mp4 = QtCore.QCoreApplication.translate("RecordDialog", "MP4 video (*.mp4)")
        gif = QtCore.QCoreApplication.translate("RecordDialog", "Animated GIF (*.gif)")
        selected = gif if self._kind() == ".gif" else mp4
        name, chosen = self._save_file_name(self.path_edit.text(), f"{mp4};;{gif}", selected)
        if not name:
            return
        chosen_path = Path(name)
        if chosen_path.suffix.lower() not in KINDS:
            chosen_path = chosen_path.with_name(chosen_path.name + (".gif" if chosen == gif else ".mp4"))
        self.path_edit.setText(str(chosen_path))

    # -- confirmation -----------------------------------------------------------------------
    def _question(self, title: str, text: str) -> bool:
        """Ask yes/no (overridden in tests so they do not block)."""
        answer = QtWidgets.QMessageBox.question(
            self,
            title,
            text,
            QtWidgets.QMessageBox.StandardButton.Yes | QtWidgets.QMessageBox.StandardButton.No,
            QtWidgets.QMessageBox.StandardButton.No,
        )
        return answer == QtWidgets.QMessageBox.StandardButton.Yes

    def _warn(self, title: str, text: str) -> None:
        """Tell the user about a problem (overridden in tests)."""
        QtWidgets.QMessageBox.warning(self, title, text)

    def ask_force(self) -> bool | None:
        """Whether the recording may replace files: False when neither the file nor its
        settings file (``.json``) exists, True when the user agreed to replace them, None when
        the user declined (nothing must be written)."""
        target = self.path()
        sidecar = target.with_name(target.name + ".json")
        existing = [p for p in (target, sidecar) if p.exists()]
        if not existing:
            return False
        names = ", ".join(p.name for p in existing)
        text = QtCore.QCoreApplication.translate(
            "RecordDialog", "{names} already exists in {folder}. Replace it?"
        ).format(names=names, folder=target.parent)
        return (
            True if self._question(QtCore.QCoreApplication.translate("RecordDialog", "Replace file?"), text) else None
        )

    def validate(self) -> str | None:
        """A message saying what is wrong with the values, or None."""
        text = self.path_edit.text().strip()
        if not text:
            return QtCore.QCoreApplication.translate("RecordDialog", "Choose a file to record to.")
        target = self.path()
        if self._kind() is None:
            return QtCore.QCoreApplication.translate(
                "RecordDialog", "The file must end in .mp4 (video) or .gif (animated GIF): {name}"
            ).format(name=target.name)
        if target.is_dir():
            return QtCore.QCoreApplication.translate("RecordDialog", "{name} is a folder; choose a file name.").format(
                name=target
            )
        if not target.parent.is_dir():
            return QtCore.QCoreApplication.translate("RecordDialog", "The folder {folder} does not exist.").format(
                folder=target.parent
            )
        _, fps, seconds, _ = self.values()
        if round(fps * seconds) < 1:
            return QtCore.QCoreApplication.translate("RecordDialog", "Record for at least one frame (1 / fps seconds).")
        return None

    def accept(self) -> None:
        problem = self.validate()
        if problem is not None:
            self._warn(QtCore.QCoreApplication.translate("RecordDialog", "Cannot record"), problem)
            return
        force = self.ask_force()
        if force is None:
            return
        self.force = force
        super().accept()
