"""The compare window's central area: the caption above the overlaid gradient plot and the
runs (arranged to fit by app.compare_deck.CompareDeck), with the timeline bar at the bottom;
and the end of its toolbar.

The caption shrinks its font to take at most a share of the window's height and is dropped
(its text stays in the tooltip) on a short window: the views need the room.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6 import QtCore, QtGui, QtWidgets

from app.compare_deck import CompareDeck
from app.layout_fit import WrapFitLabel
from app.look import BASE_POINT_SIZE
from app.run_column import RunColumn
from app.run_texts import _font_at
from views import theme

CAPTION_PT = 16
CAPTION_MIN_PT = 12
#: the compare toolbar's texts (buttons, speed box, message) at scale 1
TOOLBAR_PT = 14

translate = QtCore.QCoreApplication.translate


class CompareLayout:
    """Builds ``window``'s central widget around ``overlay`` and ``columns``."""

    def __init__(
        self,
        window: QtWidgets.QMainWindow,
        overlay: QtWidgets.QWidget,
        columns: Sequence[RunColumn],
        panels: bool,
        titles: Callable[[int], str],
    ) -> None:
        t = theme.current()
        central = QtWidgets.QWidget()
        self.outer = outer = QtWidgets.QVBoxLayout(central)
        outer.setContentsMargins(8, 2, 8, 2)
        outer.setSpacing(4)

        # at the type scale; on a short window it may shrink to the smallest size at scale 1
        self.caption = WrapFitLabel(theme.pt(CAPTION_PT), min(theme.pt(CAPTION_PT), CAPTION_MIN_PT), max_share=0.15)
        self.caption.setObjectName("caption")
        self.caption.setStyleSheet(f"color: {t.foreground}; padding: 2px 4px;")
        outer.addWidget(self.caption)

        # the overlay and the runs: all on one page when they fit, else pages with tabs
        self.run_deck = CompareDeck(overlay, columns, panels, titles)
        outer.addWidget(self.run_deck, 1)
        window.setCentralWidget(central)

    def add_bottom(self, widget: QtWidgets.QWidget) -> None:
        """``widget`` (the timeline bar) below the runs."""
        self.outer.addWidget(widget)


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
        # the toolbar's texts grow with the type scale (the transport sets 14 pt at every
        # scale): as large as the controls (app.look.BASE_POINT_SIZE × scale), 14 pt at least
        bar.setFont(_font_at(max(TOOLBAR_PT, theme.pt(BASE_POINT_SIZE))))
        self.message = QtWidgets.QLabel("")
        self.message.setObjectName("message")
        self.message.setFont(bar.font())
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
