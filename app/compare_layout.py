"""The compare window's central area: the caption, the overlaid gradient plot above the runs,
and the runs themselves (all side by side, 2 × 2 panels for four, or pages with tabs when
they do not fit: app.view_deck.RunDeck), with the timeline bar at the bottom.

The overlay takes a fixed share of the window's height (not layout stretch: the columns' size
hints would win otherwise) and gives way on a short screen before the window grows off it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6 import QtCore, QtGui, QtWidgets

from app.run_texts import _font
from app.view_deck import OVERLAY_FLOOR, RunDeck, overlay_room
from views import theme

CAPTION_PT = 16
#: Share of the window's height given to the overlaid gradient plot.
OVERLAY_SHARE = 0.30
#: ... with four runs, shown as 2 × 2 panels that need more height
OVERLAY_SHARE_PANELS = 0.19
OVERLAY_MIN_HEIGHT = 200

translate = QtCore.QCoreApplication.translate


class CompareLayout:
    """Builds ``window``'s central widget around ``overlay`` and ``columns`` and shares out its
    height when the window is resized (:meth:`resized`)."""

    def __init__(
        self,
        window: QtWidgets.QMainWindow,
        overlay: QtWidgets.QWidget,
        columns: Sequence[QtWidgets.QWidget],
        panels: bool,
        titles: Callable[[int], str],
    ) -> None:
        t = theme.current()
        self.window = window
        self.overlay = overlay
        self.panels = panels
        central = QtWidgets.QWidget()
        self.outer = outer = QtWidgets.QVBoxLayout(central)
        outer.setContentsMargins(8, 4, 8, 4)
        outer.setSpacing(4)

        self.caption = QtWidgets.QLabel()
        self.caption.setObjectName("caption")
        self.caption.setTextFormat(QtCore.Qt.TextFormat.RichText)
        self.caption.setWordWrap(True)
        self.caption.setFont(_font(CAPTION_PT))
        self.caption.setStyleSheet(f"color: {t.foreground}; padding: 2px 4px;")
        self.caption.setSizePolicy(QtWidgets.QSizePolicy.Policy.Ignored, QtWidgets.QSizePolicy.Policy.Preferred)
        outer.addWidget(self.caption)

        self.overlay.setMinimumHeight(min(OVERLAY_MIN_HEIGHT, OVERLAY_FLOOR))
        outer.addWidget(self.overlay)

        # all runs side by side (2 × 2 panels for four) when they fit, else pages with tabs
        per_row = 2 if panels else len(columns)
        self.run_deck = RunDeck(columns, per_row, titles)
        outer.addWidget(self.run_deck, 1)
        window.setCentralWidget(central)

    def add_bottom(self, widget: QtWidgets.QWidget) -> None:
        """``widget`` (the timeline bar) below the runs."""
        self.outer.addWidget(widget)

    def resized(self, size: QtCore.QSize) -> None:
        """The window is becoming ``size``: give the overlay its share of the height."""
        # A caption longer than two lines takes its extra lines from the overlay, not from
        # the runs' views (the gradients view would drop its heat map).
        share = OVERLAY_SHARE_PANELS if self.panels else OVERLAY_SHARE
        caption = self.caption.heightForWidth(size.width() - 16)
        two_lines = 2 * QtGui.QFontMetrics(self.caption.font()).lineSpacing() + 4
        extra = max(0, caption - two_lines)
        height = max(OVERLAY_MIN_HEIGHT, round(share * size.height()) - extra)
        # on a short screen the overlay gives way before the window grows off it
        height = min(height, overlay_room(self.window, self.overlay, size.height()))
        if self.overlay.height() != height:
            self.overlay.setFixedHeight(height)


class ToolbarEnd:
    """The compare toolbar after the transport: the message, then Save picture, Copy and
    Close at the right end (their texts set by :meth:`retranslate`)."""

    def __init__(
        self,
        window: QtWidgets.QMainWindow,
        bar: QtWidgets.QToolBar,
        *,
        save: Callable[[], None],
        copy: Callable[[], None],
    ) -> None:
        self.close_action = QtGui.QAction(window)
        self.close_action.triggered.connect(window.close)
        self.save_action = QtGui.QAction(window)
        self.save_action.setObjectName("save_picture")
        self.save_action.triggered.connect(save)
        self.copy_action = QtGui.QAction(window)
        self.copy_action.setObjectName("copy_picture")
        self.copy_action.triggered.connect(copy)
        self.message = QtWidgets.QLabel("")
        self.message.setObjectName("message")
        self.message.setFont(_font(14))
        bar.addWidget(self.message)
        spacer = QtWidgets.QWidget()
        spacer.setSizePolicy(QtWidgets.QSizePolicy.Policy.Expanding, QtWidgets.QSizePolicy.Policy.Preferred)
        bar.addWidget(spacer)
        bar.addAction(self.save_action)
        bar.addAction(self.copy_action)
        bar.addAction(self.close_action)

    def retranslate(self) -> None:
        self.close_action.setText(translate("CompareWindow", "✕ Close (Esc)"))
        self.save_action.setText(translate("CompareWindow", "Save picture… (Ctrl+E)"))
        self.copy_action.setText(translate("CompareWindow", "Copy (Ctrl+Shift+C)"))
