"""The transport toolbar shared by the main and the compare window: Play/Pause, Step, Reset
and the speed box, and the wiring both windows share (``TransportCommands``).

Every text is translated (context "Transport") and set again when the language changes at
run time: the toolbar handles its own ``LanguageChange`` event, so neither window has to.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6 import QtCore, QtGui, QtWidgets

#: the speed box's choices in steps per second, None for as fast as possible
SPEEDS: tuple[float | None, ...] = (None, 300.0, 100.0, 50.0, 30.0, 10.0, 3.0, 1.0, 0.5)
#: below this many steps per second a speed is called slow motion
SLOW_MOTION_BELOW = 2.0


def speed_label(speed: float | None) -> str:
    """The speed box's text for ``speed`` steps per second, in the current language."""
    translate = QtCore.QCoreApplication.translate
    if speed is None:
        return translate("Transport", "Max speed")
    if speed == 1.0:
        return translate("Transport", "1 step/s (slow motion)")
    if speed < SLOW_MOTION_BELOW:
        return translate("Transport", "{speed} steps/s (slow motion)").format(speed=f"{speed:g}")
    return translate("Transport", "{speed} steps/s").format(speed=f"{speed:g}")


def play_text() -> str:
    return QtCore.QCoreApplication.translate("Transport", "▶ Play (Space)")


def pause_text() -> str:
    # ‖ is a glyph every font has (⏸ is missing from most)
    return QtCore.QCoreApplication.translate("Transport", "‖ Pause (Space)")


class _TransportBar(QtWidgets.QToolBar):
    """A toolbar that calls ``on_language_change`` when the application's language changes."""

    def __init__(self, owner: QtWidgets.QWidget, on_language_change: Callable[[], None]) -> None:
        super().__init__(owner)
        self._on_language_change = on_language_change

    def changeEvent(self, event: QtCore.QEvent) -> None:
        if event.type() == QtCore.QEvent.Type.LanguageChange:
            self._on_language_change()
        super().changeEvent(event)


class Transport:
    """Builds the toolbar; the window adds its own widgets after it and calls ``addToolBar``."""

    def __init__(
        self,
        owner: QtWidgets.QMainWindow,
        *,
        on_play: Callable[[], None],
        on_step: Callable[[], None],
        on_reset: Callable[[], None],
        on_speed: Callable[[float | None], None],
        on_restart: Callable[[], None] | None = None,
    ) -> None:
        self.playing = False
        bar = self.bar = _TransportBar(owner, self.retranslate)
        bar.setObjectName("transport")
        bar.setMovable(False)
        font = QtGui.QFont()
        font.setPointSize(14)
        bar.setFont(font)
        # the actions belong to the bar: a window that rebuilds its toolbar deletes them with it
        self.play_action = QtGui.QAction(bar)
        self.play_action.triggered.connect(on_play)
        self.step_action = QtGui.QAction(bar)
        self.step_action.triggered.connect(on_step)
        self.reset_action = QtGui.QAction(bar)
        self.reset_action.triggered.connect(on_reset)
        for action in (self.play_action, self.step_action, self.reset_action):
            bar.addAction(action)
        # shown only while an engine is dead or not responding
        self.restart_action = QtGui.QAction(bar)
        self.restart_action.setObjectName("restart_engine")
        self.restart_action.setVisible(False)
        if on_restart is not None:
            self.restart_action.triggered.connect(on_restart)
            bar.addAction(self.restart_action)
        bar.addSeparator()
        self.speed_label = QtWidgets.QLabel()
        self.speed_label.setObjectName("speed_label")
        bar.addWidget(self.speed_label)
        self.speed_combo = QtWidgets.QComboBox()
        self.speed_combo.setObjectName("speed")
        self.speed_combo.setFocusPolicy(QtCore.Qt.FocusPolicy.NoFocus)  # Space stays Play/Pause
        #: the speed box's choices (SPEEDS, plus a scene's or the command line's own pace)
        self.speeds: list[float | None] = list(SPEEDS)
        for speed in self.speeds:
            self.speed_combo.addItem(speed_label(speed))
        self.speed_combo.currentIndexChanged.connect(lambda index: on_speed(self.speeds[index]))
        bar.addWidget(self.speed_combo)
        bar.addSeparator()
        self.retranslate()

    def speed(self) -> float | None:
        """The chosen speed in steps per second (None: as fast as possible)."""
        return self.speeds[self.speed_combo.currentIndex()]

    def set_speed(self, speed: float | None, *, notify: bool = True) -> None:
        """Choose ``speed`` in the speed box, adding it in order when it is not one of the
        choices; ``notify`` calls ``on_speed`` (as a user's choice does)."""
        if speed not in self.speeds:
            at = next(
                (i for i, s in enumerate(self.speeds) if s is not None and speed is not None and s < speed),
                len(self.speeds),
            )
            self.speeds.insert(at, speed)
            self.speed_combo.insertItem(at, speed_label(speed))
        self.speed_combo.blockSignals(not notify)
        try:
            index = self.speeds.index(speed)
            if index == self.speed_combo.currentIndex() and notify:
                self.speed_combo.currentIndexChanged.emit(index)
            else:
                self.speed_combo.setCurrentIndex(index)
        finally:
            self.speed_combo.blockSignals(False)

    def show_playing(self, playing: bool) -> None:
        self.playing = playing
        self.play_action.setText(pause_text() if playing else play_text())

    def show_restart(self, visible: bool) -> None:
        """Offer (or stop offering) to restart the training engine."""
        self.restart_action.setVisible(visible)

    def retranslate(self) -> None:
        """Set every text again in the current language (the speed box keeps its choice)."""
        translate = QtCore.QCoreApplication.translate
        self.bar.setWindowTitle(translate("Transport", "Transport"))
        self.show_playing(self.playing)
        self.step_action.setText(translate("Transport", "Step (S / →)"))
        self.reset_action.setText(translate("Transport", "⟲ Reset (R)"))
        self.restart_action.setText(translate("Transport", "⟳ Restart engine"))
        # the spaces keep the label off its neighbours
        self.speed_label.setText(" " + translate("Transport", "Speed") + " ")
        for index, speed in enumerate(self.speeds):
            self.speed_combo.setItemText(index, speed_label(speed))


class TransportCommands:
    """The transport's wiring, the same in the main and the compare window: a mixin for a
    QMainWindow with ``playing``, ``play``, ``pause``, ``step_once``, ``reset``, ``_on_speed``
    and a restart command."""

    transport: Transport
    playing: bool

    def _make_transport(self, on_restart: Callable[[], None]) -> Transport:
        """The toolbar wired to the window's commands (the window adds it with ``addToolBar``);
        ``play_action`` and ``speed_combo`` name its parts on the window."""
        owner: Any = self
        self.transport = Transport(
            owner,
            on_play=self.toggle_play,
            on_step=owner.step_once,
            on_reset=owner.reset,
            on_speed=owner._on_speed,
            on_restart=on_restart,
        )
        owner.play_action = self.transport.play_action
        owner.speed_combo = self.transport.speed_combo
        return self.transport

    def toggle_play(self) -> None:
        owner: Any = self
        if self.playing:
            owner.pause()
        else:
            owner.play()

    def set_speed(self, steps_per_second: float | None) -> None:
        """Train at ``steps_per_second`` (None: as fast as possible); the speed box shows it."""
        self.transport.set_speed(steps_per_second)
