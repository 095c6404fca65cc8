"""How the main window presents itself in a lecture hall: full screen, the controls hidden
(views only), the scene's caption, the ``?`` overlay of every shortcut, the theme, the scale
and the language, and the preferences that remember them between sessions.

A look change (theme, scale, language) rebuilds the window's widgets (the views read the
look when they are built) and shows the same state again (``rebuild``).
"""

from __future__ import annotations

import sys
from typing import Any

from PySide6 import QtCore, QtWidgets

from app import i18n, main_actions
from app.layout_fit import fit_to_screen
from app.look import apply_look
from app.overlay import ShortcutOverlay
from app.prefs import Prefs, clamp_scale
from model.scenes import Scene
from views import theme


def _tr(text: str) -> str:
    return QtCore.QCoreApplication.translate("MainWindow", text)


def scene_title(scene: Scene) -> str:
    """The scene's title in the UI language."""
    return scene.title_zh if i18n.current() == "zh_CN" and scene.title_zh else scene.title


def scene_caption(scene: Scene) -> str:
    return scene.caption_zh if i18n.current() == "zh_CN" and scene.caption_zh else scene.caption


class Presentation(QtCore.QObject):
    """Owned by a MainWindow (``window``): its dock, transport bar, menu bar, caption, actions
    and messages are shown or hidden here, and their check marks follow."""

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window = window
        self.controls_visible = True
        self.scene: Scene | None = None
        self.overlay = ShortcutOverlay(window)

    # -- full screen, controls, caption, overlay ----------------------------------------------
    def toggle_fullscreen(self) -> None:
        w = self.window
        if w.isFullScreen():
            w.showNormal()
        else:
            w.showFullScreen()
        w.actions_["fullscreen"].setChecked(w.isFullScreen())

    def escape(self) -> None:
        if self.overlay.isVisible():
            self.overlay.hide()
        elif self.window.isFullScreen():
            self.toggle_fullscreen()

    def toggle_controls(self) -> None:
        self.set_controls_visible(not self.controls_visible)

    def set_controls_visible(self, visible: bool) -> None:
        """Hide the controls dock, toolbar and menu bar to leave only the views (the keyboard
        keeps working)."""
        self.controls_visible = visible
        self.apply_controls_visible()
        self.window.actions_["controls"].setChecked(visible)

    def apply_controls_visible(self) -> None:
        w, visible = self.window, self.controls_visible
        w.dock.setVisible(visible)
        w.transport.bar.setVisible(visible)
        w.menuBar().setVisible(visible)
        w.messages.set_controls_visible(visible)

    def set_scene(self, scene: Scene | None) -> None:
        """Show the scene's title and caption above the views (None hides them)."""
        self.scene = scene
        caption = self.window.caption
        if scene is None:
            caption.hide()
            self.window.actions_["caption"].setChecked(False)
            return
        caption.setText(f"<b>{scene_title(scene)}.</b> {scene_caption(scene)}")
        caption.show()
        self.window.actions_["caption"].setChecked(True)

    def caption_shown(self) -> bool:
        return self.scene is not None and not self.window.caption.isHidden()

    def toggle_caption(self) -> None:
        caption = self.window.caption
        if self.scene is None:
            self.window.show_message(_tr("No scene is loaded: the Scenes menu has captions."), "info")
            self.window.actions_["caption"].setChecked(False)
            return
        caption.setVisible(caption.isHidden())
        self.window.actions_["caption"].setChecked(not caption.isHidden())

    def toggle_overlay(self) -> None:
        self.overlay.set_rows(
            _tr("Keyboard shortcuts"), main_actions.shortcut_rows(), _tr("Press any key to close"), theme.pt(18)
        )
        self.overlay.toggle()

    def sync_checks(self) -> None:
        """The check marks of the view actions as the window is."""
        a = self.window.actions_
        a["fullscreen"].setChecked(self.window.isFullScreen())
        a["controls"].setChecked(self.controls_visible)
        a["caption"].setChecked(self.caption_shown())

    # -- look: theme, scale, language -------------------------------------------------------
    def set_theme(self, name: str) -> None:
        self._set_look(name, theme.scale())

    def toggle_theme(self) -> None:
        self.set_theme("light" if theme.current().name == "dark" else "dark")

    def set_scale(self, scale: float) -> None:
        self._set_look(theme.current().name, clamp_scale(scale))

    def set_language(self, language: str) -> None:
        self._set_look(theme.current().name, theme.scale(), language)

    def _set_look(self, theme_name: str, scale: float, language: str | None = None) -> None:
        app = QtWidgets.QApplication.instance()
        assert isinstance(app, QtWidgets.QApplication)
        try:
            apply_look(app, theme_name, scale, language)
        except ValueError as exc:
            self.window.show_message(str(exc), "error")
            return
        self.rebuild()

    def rebuild(self) -> None:
        """Rebuild every widget with the current theme, scale and language and show the same
        state again (views read those when they are constructed)."""
        w = self.window
        dock_area = w.dockWidgetArea(w.dock)
        size = w.size()
        scrubbed = w.scrub.position()
        caption_shown = self.caption_shown()
        walk_visible = w.walkthrough.isVisible()
        w.removeToolBar(w.transport.bar)
        w.transport.bar.deleteLater()
        w.removeDockWidget(w.dock)
        w.dock.deleteLater()
        if not walk_visible:
            w.walkthrough.deleteLater()
        old_walk = w.walkthrough
        w.build_all()
        if walk_visible:
            # keep the open walk-through; the new one replaces it when it closes
            w.walkthrough.deleteLater()
            w.walkthrough = old_walk
        # the dock stays on its side; its width follows the new type scale (a restored state
        # would keep the old scale's pixels)
        if dock_area != w.dockWidgetArea(w.dock):
            w.addDockWidget(dock_area, w.dock)
        self.apply_controls_visible()
        # the views reflow into the same window: a bigger type never widens it off the screen,
        # and scaling back finds it as it was
        fit_to_screen(w, size)
        self.set_scene(self.scene)
        if self.scene is not None and not caption_shown:
            w.caption.hide()
            w.actions_["caption"].setChecked(False)
        self._show_state()
        if scrubbed is not None:
            w.scrub.show_position(scrubbed)
        if self.overlay.isVisible():
            self.toggle_overlay()
            self.toggle_overlay()

    def _show_state(self) -> None:
        """Show the run's state again on freshly built widgets."""
        w = self.window
        w.transport.show_playing(w.playing)
        text, kind = w._message
        w.show_message(text, kind, toast=False)
        w.views["activation_function"].set_experiment(w.config)
        if w.dataset is not None:
            w.set_experiment_on_views()
        if w.latest is not None:
            w.display.draw(w.latest)
        else:
            w.display.set_banner(_tr("Building the network…"), "info")

    # -- preferences -----------------------------------------------------------------------
    def restore_layout(self, prefs: Prefs) -> None:
        w = self.window
        if prefs.geometry:
            w.restoreGeometry(QtCore.QByteArray(prefs.geometry))
        if prefs.window_state:
            w.restoreState(QtCore.QByteArray(prefs.window_state))
        self.set_controls_visible(prefs.controls_visible)

    def save_prefs(self, prefs: Prefs | None) -> None:
        """Store theme, scale, language, the config and the window layout (QSettings)."""
        if prefs is None:
            return
        w = self.window
        prefs.theme = theme.current().name
        prefs.scale = float(theme.scale())
        prefs.language = i18n.current()
        prefs.last_config = w.config.to_dict()
        prefs.geometry = bytes(w.saveGeometry().data())
        prefs.window_state = bytes(w.saveState().data())
        prefs.controls_visible = self.controls_visible
        problem = prefs.save()
        if problem is not None:
            sys.stderr.write(f"backprop-lab: {problem}\n")
            w._alert(_tr("Preferences not saved"), problem, wait=True)
