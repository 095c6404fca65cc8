"""The main window's pictures and numbers: the window or one view as PNG (screen size, 2× or
3840×2160) or SVG, to a file or the clipboard, and the run's metrics as CSV or JSON; every
file carries the config.  ``window_menu`` and ``views_menu`` fill the File menu's parts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6 import QtCore, QtWidgets

from app.export import ExportError, copy_to_clipboard, metrics_csv, metrics_json, render_png, render_svg
from app.main_views import VIEW_NAMES, view_title

#: picture sizes offered by the export menus: (key, scale, exact size)
EXPORT_SIZES: tuple[tuple[str, float | None, tuple[int, int] | None], ...] = (
    ("1x", 1.0, None),
    ("2x", 2.0, None),
    ("4k", None, (3840, 2160)),
)
#: logical layout size of a 4K export (rendered at 2×: fonts and lines scale in proportion)
UHD_LAYOUT = (1920, 1080)


def _tr(text: str) -> str:
    return QtCore.QCoreApplication.translate("MainWindow", text)


def _settle_layout() -> None:
    app = QtWidgets.QApplication.instance()
    if app is not None:
        for _ in range(3):
            app.processEvents()


class ExportController(QtCore.QObject):
    """Owned by a MainWindow (``window``: its ``views``, ``deck``, ``history``, ``config``,
    ``scene``, ``latest`` and save dialogs)."""

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window = window

    def suggested_name(self, view: str | None, suffix: str) -> str:
        w = self.window
        base = w.scene.name if w.scene is not None else "backprop-lab"
        step = w.latest.step if w.latest is not None else 0
        part = f"-{view}" if view else ""
        return f"{base}{part}-step{step}{suffix}"

    # -- menus -------------------------------------------------------------------------------
    def window_menu(self, menu: QtWidgets.QMenu) -> None:
        """File → Export window as PNG."""
        self._add_size_actions(menu.addMenu(_tr("Export window as PNG")), None)

    def views_menu(self, menu: QtWidgets.QMenu) -> None:
        """File → Export one view: each view as PNG in every size, SVG or to the clipboard."""
        views_menu = menu.addMenu(_tr("Export one view"))
        views_menu.setObjectName("export_view_menu")
        for name in VIEW_NAMES:
            sub = views_menu.addMenu(view_title(name))
            self._add_size_actions(sub, name)
            svg = sub.addAction(_tr("SVG…"))
            svg.triggered.connect(lambda _=False, n=name: self.export_svg_dialog(n))
            copy = sub.addAction(_tr("Copy to clipboard"))
            copy.triggered.connect(lambda _=False, n=name: self.copy_picture(n))

    def _add_size_actions(self, menu: QtWidgets.QMenu, view: str | None) -> None:
        labels = {
            "1x": _tr("PNG at screen size (1×)…"),
            "2x": _tr("PNG at double size (2×)…"),
            "4k": _tr("PNG at 3840×2160 (4K)…"),
        }
        for key, _, _ in EXPORT_SIZES:
            action = menu.addAction(labels[key])
            action.setData(key)
            action.triggered.connect(lambda _=False, k=key: self.export_png_dialog(view, k))

    # -- pictures ----------------------------------------------------------------------------
    def export_picture(
        self, path: str | Path, *, view: str | None = None, size: str = "1x", force: bool = False
    ) -> Path:
        """Render the window or one view to a PNG carrying the config (``size``: 1x, 2x or
        4k = 3840×2160).  Raises ExportError."""
        from app.headless import standalone_view

        w = self.window
        sizes = {key: (scale, exact) for key, scale, exact in EXPORT_SIZES}
        if size not in sizes:
            raise ExportError(f"unknown size {size!r}; choose one of: {', '.join(sizes)}")
        if view is not None and view not in w.views:
            raise ExportError(f"unknown view {view!r}; choose one of: {', '.join(VIEW_NAMES)}")
        scale, exact = sizes[size]
        config = w.config.to_dict()
        if view is None:
            if exact is None:
                return render_png(w, path, scale=scale, force=force, config=config)
            # lay the window out at 16:9 for the render, then put it back
            before = w.size()
            was_full = w.isFullScreen()
            if not was_full:
                w.resize(*UHD_LAYOUT)
                _settle_layout()
            try:
                return render_png(w, path, size=exact, force=force, config=config)
            finally:
                if not was_full:
                    w.resize(before)
                    _settle_layout()
        if exact is None:
            return render_png(w.deck.reveal(view), path, scale=scale, force=force, config=config)
        copy = standalone_view(w, view, (1600, 900))
        try:
            return render_png(copy, path, size=exact, force=force, config=config)
        finally:
            copy.close()
            copy.deleteLater()

    def export_png_dialog(self, view: str | None, size: str) -> None:
        self.window._save_via_dialog(
            _tr("Export PNG"),
            _tr("PNG image (*.png)"),
            self.suggested_name(view, ".png"),
            lambda path, force: self.export_picture(path, view=view, size=size, force=force),
            _tr("Saved {path} (its config is inside, and in {path}.json)."),
            sidecar=True,
        )

    def export_svg_dialog(self, view: str) -> None:
        w = self.window
        w._save_via_dialog(
            _tr("Export SVG"),
            _tr("SVG drawing (*.svg)"),
            self.suggested_name(view, ".svg"),
            lambda path, force: render_svg(w.deck.reveal(view), path, force=force, config=w.config.to_dict()),
            _tr("Saved {path}."),
        )

    def copy_picture(self, view: str | None) -> None:
        w = self.window
        copy_to_clipboard(w if view is None else w.deck.reveal(view))
        w.show_message(_tr("Copied to the clipboard."), "info")

    # -- numbers -----------------------------------------------------------------------------
    def export_metrics(self, path: str | Path, *, force: bool = False) -> Path:
        """Per-step, per-layer statistics of the run so far (.csv or .json)."""
        w = self.window
        if Path(path).suffix.lower() == ".json":
            return metrics_json(w.history, path, force=force, config=w.config.to_dict())
        return metrics_csv(w.history, path, force=force, config=w.config.to_dict())

    def export_metrics_dialog(self, suffix: str) -> None:
        self.window._save_metrics_via_dialog(
            _tr("Export metrics"),
            self.suggested_name("metrics", suffix),
            lambda path, force: self.export_metrics(path, force=force),
        )
