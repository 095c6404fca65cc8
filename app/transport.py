"""The transport toolbar shared by the main and the compare window: Play/Pause, Step, Reset
and the speed box."""

from __future__ import annotations

from collections.abc import Callable

from PySide6 import QtCore, QtGui, QtWidgets

#: (label, steps per second or None for as fast as possible)
SPEEDS: tuple[tuple[str, float | None], ...] = (
    ("Max speed", None),
    ("300 steps/s", 300.0),
    ("100 steps/s", 100.0),
    ("30 steps/s", 30.0),
    ("10 steps/s", 10.0),
    ("3 steps/s", 3.0),
    ("1 step/s (slow motion)", 1.0),
    ("0.5 steps/s (slow motion)", 0.5),
)
PLAY_TEXT = "▶ Play (Space)"
PAUSE_TEXT = "‖ Pause (Space)"  # a glyph every font has (⏸ is missing from most)


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
    ) -> None:
        bar = self.bar = QtWidgets.QToolBar("Transport", owner)
        bar.setObjectName("transport")
        bar.setMovable(False)
        font = QtGui.QFont()
        font.setPointSize(14)
        bar.setFont(font)
        self.play_action = QtGui.QAction(PLAY_TEXT, owner)
        self.play_action.triggered.connect(on_play)
        self.step_action = QtGui.QAction("Step (S / →)", owner)
        self.step_action.triggered.connect(on_step)
        self.reset_action = QtGui.QAction("⟲ Reset (R)", owner)
        self.reset_action.triggered.connect(on_reset)
        for action in (self.play_action, self.step_action, self.reset_action):
            bar.addAction(action)
        bar.addSeparator()
        bar.addWidget(QtWidgets.QLabel(" Speed "))
        self.speed_combo = QtWidgets.QComboBox()
        self.speed_combo.setObjectName("speed")
        self.speed_combo.setFocusPolicy(QtCore.Qt.FocusPolicy.NoFocus)  # Space stays Play/Pause
        for label, _ in SPEEDS:
            self.speed_combo.addItem(label)
        self.speed_combo.currentIndexChanged.connect(lambda index: on_speed(SPEEDS[index][1]))
        bar.addWidget(self.speed_combo)
        bar.addSeparator()

    def show_playing(self, playing: bool) -> None:
        self.play_action.setText(PAUSE_TEXT if playing else PLAY_TEXT)
