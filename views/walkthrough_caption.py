"""The walk-through's narration: one line over the boxes saying what the current step does.

The words come from :func:`views.walkthrough_text.caption_segments`; here they are typeset in
the largest size at which every step's caption of the walk fits the line (it wraps only when
even the smallest is too wide).
"""

from __future__ import annotations

from PySide6 import QtCore, QtWidgets

from model.walkthrough import BackwardWalk
from views import theme
from views.walkthrough_boxes import caption_pt, span
from views.walkthrough_text import caption_segments, empty_caption

Qt = QtCore.Qt

#: Font sizes (pt at scale 1; see ``theme.pt``): the caption shrinks from the first to the
#: second to fit one line.
CAPTION_MAX_PT, CAPTION_MIN_PT = 28, 16


class WalkCaption(QtWidgets.QLabel):
    """The caption of one step of a walk (or the invitation to freeze one)."""

    def __init__(self, t: theme.Theme, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setWordWrap(True)  # only when even the smallest caption font is too wide
        self.setSizePolicy(QtWidgets.QSizePolicy.Policy.Ignored, QtWidgets.QSizePolicy.Policy.Preferred)
        self.setStyleSheet(f"color: {t.foreground}; background: {t.background}; padding: 4px;")
        # the caption may shrink below the type scale (to 18 pt) before it wraps
        self.pt_range = (min(theme.pt(CAPTION_MIN_PT), 18), theme.pt(CAPTION_MAX_PT))
        self.pt = self.pt_range[1]

    @staticmethod
    def caption_html(walk: BackwardWalk | None, position: int, size: int) -> str:
        if walk is None:
            return span(empty_caption(), "", size)
        return "".join(span(text, role, size) for text, role in caption_segments(walk, position))

    def show_step(self, walk: BackwardWalk | None, position: int) -> None:
        """The caption after ``position`` layers of ``walk`` are revealed."""
        text = self.caption_html(walk, position, self.pt)
        if text != self.text():
            self.setText(text)

    def fit(self, walk: BackwardWalk, n: int) -> None:
        """The largest size at which the caption of every position 0…``n`` fits one line."""
        room = self.contentsRect().width() - 2 * 4 - 12  # padding, document margin, slack
        smallest, largest = self.pt_range
        self.pt = caption_pt(lambda pt: [self.caption_html(walk, p, pt) for p in range(n + 1)], room, smallest, largest)
