"""The timeline bar: scrub back through a run's recorded steps, play them back, return to live.

A slider over the entries of a :class:`model.timeline.Timeline`, a "step N" / "LIVE" label,
Play back / Pause, a playback speed and a Live button. The bar only chooses an entry: it
emits ``scrubbed(index)`` when the user (or playback) picks one and ``live_requested()`` when
the user asks to follow training again; the window draws the frame and pauses or resumes
training.

While live the slider sits at the newest entry and follows new ones silently. Once scrubbed it
stays on the step chosen, even when the timeline decimates and indices shift.

Every text is translated (context "TimelineBar") and set again when the language changes.
"""

from __future__ import annotations

from PySide6 import QtCore, QtGui, QtWidgets

from model.timeline import Timeline

#: playback speeds offered, in recorded entries per second
RATES: tuple[float, ...] = (2.0, 5.0, 10.0, 20.0, 50.0)
DEFAULT_RATE = 10.0
#: the slider handle's smallest size in pixels; it grows with the application's font (at the
#: lecture's 12 pt, about 28 px: easy to grab on a projector)
MIN_HANDLE_PX = 24
#: keys the slider keeps while it has the focus, ahead of the window's shortcuts (→ steps)
_SLIDER_KEYS = frozenset(
    {
        QtCore.Qt.Key.Key_Home,
        QtCore.Qt.Key.Key_End,
        QtCore.Qt.Key.Key_PageUp,
        QtCore.Qt.Key.Key_PageDown,
        QtCore.Qt.Key.Key_Left,
        QtCore.Qt.Key.Key_Right,
    }
)
_RESTYLE_EVENTS = frozenset(
    {
        QtCore.QEvent.Type.FontChange,
        QtCore.QEvent.Type.ApplicationFontChange,
        QtCore.QEvent.Type.PaletteChange,
        QtCore.QEvent.Type.ApplicationPaletteChange,
    }
)


def handle_px(font: QtGui.QFont) -> int:
    """The handle's diameter for ``font``: one and a half lines, at least MIN_HANDLE_PX."""
    return max(MIN_HANDLE_PX, round(1.5 * QtGui.QFontMetrics(font).height()))


def _blend(a: QtGui.QColor, b: QtGui.QColor, amount: float) -> str:
    mix = [
        round((1 - amount) * x + amount * y)
        for x, y in zip((a.red(), a.green(), a.blue()), (b.red(), b.green(), b.blue()), strict=True)
    ]
    return QtGui.QColor(*mix).name()


def _slider_style(handle: int, palette: QtGui.QPalette) -> str:
    # colours from the palette, so the light and the dark theme both apply
    role = QtGui.QPalette.ColorRole
    window, text = palette.color(role.Window), palette.color(role.WindowText)
    groove_colour, off = _blend(window, text, 0.35), _blend(window, text, 0.2)
    accent, rim = palette.color(role.Highlight).name(), palette.color(role.Base).name()
    groove = max(6, handle // 4)
    margin = (handle - groove + 1) // 2
    size = groove + 2 * margin  # the handle's outer height: a circle needs radius = size / 2
    return f"""
QSlider {{ min-height: {handle + 8}px; }}
QSlider::groove:horizontal {{ height: {groove}px; background: {groove_colour}; border-radius: {groove // 2}px; }}
QSlider::sub-page:horizontal {{ height: {groove}px; background: {accent}; border-radius: {groove // 2}px; }}
QSlider::handle:horizontal {{
    background: {accent}; border: 2px solid {rim};
    width: {size - 4}px; height: {size - 4}px;
    margin: -{margin}px 0; border-radius: {size // 2}px;
}}
QSlider::handle:horizontal:disabled, QSlider::sub-page:horizontal:disabled {{ background: {off}; }}
"""


def _tr(text: str) -> str:
    return QtCore.QCoreApplication.translate("TimelineBar", text)


class _Slider(QtWidgets.QSlider):
    """A horizontal slider that keeps its navigation keys when the window binds them too."""

    def event(self, event: QtCore.QEvent) -> bool:
        if event.type() == QtCore.QEvent.Type.ShortcutOverride:
            assert isinstance(event, QtGui.QKeyEvent)
            if event.key() in _SLIDER_KEYS and event.modifiers() == QtCore.Qt.KeyboardModifier.NoModifier:
                event.accept()
                return True
        return super().event(event)


class TimelineBar(QtWidgets.QWidget):
    """Slider, label and buttons over ``timeline``'s entries; see the module docstring."""

    #: the entry index the user (or playback) chose
    scrubbed = QtCore.Signal(int)
    #: the user asked to return to the live end and follow training again
    live_requested = QtCore.Signal()

    def __init__(self, timeline: Timeline, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("timeline_bar")
        self.timeline = timeline
        self._live = True
        self._step: int | None = None  # the step chosen while scrubbed
        self._updating = False
        self._rate = DEFAULT_RATE

        self.play_button = QtWidgets.QPushButton()
        self.play_button.setObjectName("timeline_play")
        self.play_button.setCheckable(True)
        self.play_button.toggled.connect(self._on_play_toggled)
        self.live_button = QtWidgets.QPushButton()
        self.live_button.setObjectName("timeline_live")
        self.live_button.clicked.connect(self._on_live_clicked)
        self.slider = _Slider(QtCore.Qt.Orientation.Horizontal)
        self.slider.setObjectName("timeline_slider")
        self.slider.setFocusPolicy(QtCore.Qt.FocusPolicy.StrongFocus)
        self.slider.setTracking(True)
        self.slider.valueChanged.connect(self._on_value_changed)
        self.slider.sliderPressed.connect(self.pause_playback)  # the user takes over
        self.label = QtWidgets.QLabel()
        self.label.setObjectName("timeline_label")
        self.label.setAlignment(QtCore.Qt.AlignmentFlag.AlignCenter)
        font = self.label.font()
        font.setBold(True)
        self.label.setFont(font)
        self.rate_combo = QtWidgets.QComboBox()
        self.rate_combo.setObjectName("timeline_rate")
        for rate in RATES:
            self.rate_combo.addItem("", rate)
        self.rate_combo.setCurrentIndex(RATES.index(DEFAULT_RATE))
        self.rate_combo.currentIndexChanged.connect(lambda i: self.set_rate(RATES[i]))
        for w in (self.play_button, self.live_button, self.rate_combo):
            # Space stays the window's Play/Pause of training
            w.setFocusPolicy(QtCore.Qt.FocusPolicy.NoFocus)

        row = QtWidgets.QHBoxLayout(self)
        row.setContentsMargins(6, 2, 6, 2)
        row.addWidget(self.play_button)
        row.addWidget(self.rate_combo)
        row.addWidget(self.slider, 1)
        row.addWidget(self.label)
        row.addWidget(self.live_button)

        self.timer = QtCore.QTimer(self)
        self.timer.setTimerType(QtCore.Qt.TimerType.PreciseTimer)
        self.timer.timeout.connect(self._advance)
        self.set_rate(DEFAULT_RATE)
        self._restyle()
        self.retranslate()
        self.set_count(len(timeline))

    # -- state -------------------------------------------------------------------------
    def is_live(self) -> bool:
        """True while following the newest step (nothing scrubbed)."""
        return self._live

    def is_playing(self) -> bool:
        return self.timer.isActive()

    def index(self) -> int:
        """The entry under the slider."""
        return int(self.slider.value())

    # -- commands ----------------------------------------------------------------------
    def set_count(self, n: int | None = None) -> None:
        """The timeline now holds ``n`` entries (default: its length); never emits ``scrubbed``.

        Live: the slider moves to the newest entry. Scrubbed: it stays on the chosen step (the
        entry at or before it, should the timeline have dropped or moved that step)."""
        n = len(self.timeline) if n is None else n
        self._updating = True
        try:
            self.slider.setRange(0, max(0, n - 1))
            self.slider.setPageStep(max(1, n // 10))
            if self._live or self._step is None:
                self.slider.setValue(max(0, n - 1))
            else:
                i = self.timeline.index_at_or_before(self._step)
                self.slider.setValue(0 if i is None else min(i, max(0, n - 1)))
        finally:
            self._updating = False
        self._refresh()

    def set_live(self) -> None:
        """Follow the newest entry again (without emitting anything)."""
        self.pause_playback()
        self._live = True
        self._step = None
        self.set_count()

    def set_rate(self, entries_per_second: float) -> None:
        """Playback speed in recorded entries per second."""
        self._rate = float(entries_per_second)
        self.timer.setInterval(max(1, round(1000.0 / self._rate)))

    def play(self) -> None:
        """Play the recorded entries back from the one shown (from the first when live or at
        the newest), one every 1/rate seconds, stopping at the newest."""
        if self.slider.maximum() < 1:
            self._show_playing(False)
            return
        if self._live or self.index() >= self.slider.maximum():
            self.slider.setValue(0)  # emits scrubbed(0): the maximum is at least 1
        self.timer.start()
        self._show_playing(True)

    def pause_playback(self) -> None:
        self.timer.stop()
        self._show_playing(False)

    # -- slots ---------------------------------------------------------------------------
    def _on_value_changed(self, value: int) -> None:
        if not self._updating:
            self._choose(int(value))

    def _choose(self, index: int) -> None:
        self._live = False
        self._step = self.timeline.step_at(index) if index < len(self.timeline) else None
        self._refresh()
        self.scrubbed.emit(index)

    def _advance(self) -> None:
        i = self.index()
        if i < self.slider.maximum():
            self.slider.setValue(i + 1)
        if self.index() >= self.slider.maximum():
            self.pause_playback()

    def _on_play_toggled(self, checked: bool) -> None:
        if checked and not self.is_playing():
            self.play()
        elif not checked and self.is_playing():
            self.pause_playback()

    def _on_live_clicked(self) -> None:
        self.set_live()
        self.live_requested.emit()

    # -- display -----------------------------------------------------------------------
    def _show_playing(self, playing: bool) -> None:
        self.play_button.blockSignals(True)
        self.play_button.setChecked(playing)
        self.play_button.blockSignals(False)
        self.play_button.setText(_tr("‖ Pause") if playing else _tr("▶ Play back"))

    def _refresh(self) -> None:
        n = len(self.timeline)
        self.slider.setEnabled(n > 0)
        self.play_button.setEnabled(n > 1)
        self.live_button.setEnabled(not self._live)
        if self._live:
            self.label.setText(_tr("LIVE"))
        elif self.index() < len(self.timeline):
            self.label.setText(_tr("step {step}").format(step=f"{self.timeline.step_at(self.index()):,}"))

    def retranslate(self) -> None:
        """Set every text again in the current language."""
        self._show_playing(self.is_playing())
        self.live_button.setText(_tr("● Live"))
        self.live_button.setToolTip(_tr("Return to the newest step and resume training"))
        self.play_button.setToolTip(_tr("Play the recorded steps back"))
        self.slider.setToolTip(_tr("Drag to see an earlier step (Home, End, Page Up, Page Down)"))
        self.rate_combo.setToolTip(_tr("Playback speed"))
        for i, rate in enumerate(RATES):
            self.rate_combo.setItemText(i, _tr("{rate} frames/s").format(rate=f"{rate:g}"))
        self._fit_label()
        self._refresh()

    def _fit_label(self) -> None:
        # wide enough for any step of a long run: the slider does not jump as digits are added
        metrics = self.label.fontMetrics()
        widest = max(_tr("LIVE"), _tr("step {step}").format(step="10,000,000"), key=metrics.horizontalAdvance)
        self.label.setMinimumWidth(metrics.horizontalAdvance(widest) + 16)

    def _restyle(self) -> None:
        """Size the handle and buttons for the current font, colour them from the palette."""
        handle = handle_px(self.font())
        self.slider.setStyleSheet(_slider_style(handle, self.palette()))
        for w in (self.play_button, self.live_button, self.rate_combo):
            w.setMinimumHeight(handle + 8)
        self._fit_label()

    def changeEvent(self, event: QtCore.QEvent) -> None:
        if event.type() == QtCore.QEvent.Type.LanguageChange:
            self.retranslate()
        elif event.type() in _RESTYLE_EVENTS:
            self._restyle()
        super().changeEvent(event)
