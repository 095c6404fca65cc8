"""Text items shared by the views: a fast in-plot label and a title that never clips.

``FastLabel`` is a screen-sized text pinned to a data position (cheap to update per frame).
``FitLabel`` is a ``QLabel`` for titles and legends above or below a plot: it never asks for
more width than its cell gives it, and shows the longest of several wordings that fits in its
lines. pyqtgraph's ``LabelItem`` titles and ``LegendItem`` rows instead set their minimum
width to the text width, which forces the whole ``GraphicsLayout`` wider than a small view and
clips its right-hand side.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from PySide6 import QtCore, QtGui, QtWidgets


def html_width(html: str, point_size: int, *, bold: bool = False) -> float:
    """Pixel width of one line of rich text as a QLabel / pyqtgraph LabelItem lays it out."""
    font = QtGui.QFont()
    font.setPointSize(point_size)
    font.setBold(bold)
    doc = QtGui.QTextDocument()
    doc.setDefaultFont(font)
    doc.setHtml(html)
    return float(doc.idealWidth())


def fitting(variants: tuple[str, ...], point_size: int, width: float) -> str:
    """The first (longest) of ``variants`` that fits ``width`` px, else the last (shortest)."""
    for html in variants:
        if html_width(html, point_size) <= width:
            return html
    return variants[-1]


def plural(text: str, n: int) -> str:
    """A numerus text after ``QCoreApplication.translate(context, "%n thing(s)", "", n)``.

    Qt replaces ``%n`` with ``n`` even without a catalogue; the English source's "(s)" then
    becomes "s" or nothing here (a catalogue's own plural forms carry no "(s)").
    """
    return text.replace("(s)", "" if n == 1 else "s")


class FastLabel(QtWidgets.QGraphicsSimpleTextItem):
    """A screen-sized text label pinned to a data position, anchored like ``pg.TextItem``.

    ``pg.TextItem.setText`` re-lays out a QTextDocument (~60 µs); a simple text item costs
    ~3 µs, which matters for labels that change every frame. Add it with
    ``plot.addItem(label, ignoreBounds=True)``.
    """

    def __init__(self, text: str, color: str, font: QtGui.QFont, anchor: tuple[float, float] = (0.0, 0.0)) -> None:
        super().__init__(text)
        self.setFlag(QtWidgets.QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
        self.setBrush(QtGui.QBrush(QtGui.QColor(color)))
        self.setFont(font)
        self._anchor = anchor
        self._reanchor()

    def setText(self, text: str) -> None:
        super().setText(text)
        self._reanchor()

    def setAnchor(self, anchor: tuple[float, float]) -> None:
        self._anchor = anchor
        self._reanchor()

    def _reanchor(self) -> None:
        rect = self.boundingRect()
        ax, ay = self._anchor
        self.setTransform(QtGui.QTransform.fromTranslate(-ax * rect.width(), -ay * rect.height()))


def spaced_indices(n: int, stride: int) -> list[int]:
    """Every ``stride``-th of ``range(n)``, always with the first and the last.

    The last index replaces a regular neighbour closer than ``stride``, so no two chosen
    indices are less than ``stride`` apart (labels placed on them cannot touch), unless
    ``n - 1 < stride`` and the two ends themselves are that close.
    """
    if n <= 0:
        return []
    stride = max(1, stride)
    shown = list(range(0, n, stride))
    if shown[-1] != n - 1:
        if len(shown) > 1 and n - 1 - shown[-1] < stride:
            shown[-1] = n - 1
        else:
            shown.append(n - 1)
    return shown


def label_stride(label_px: float, slot_px: float) -> int:
    """How many slots of ``slot_px`` one label of ``label_px`` (plus a gap) needs."""
    if slot_px <= 0:
        return 1
    return max(1, math.ceil(label_px / slot_px))


class FitLabel(QtWidgets.QLabel):
    """A title/legend line that fits its width: the first wording that fits wins.

    ``set_variants`` takes rich-text wordings from longest to shortest; on every resize the
    first one that fits in ``max_lines`` lines is shown, and if none does, the last one is
    elided. The height is fixed to ``max_lines`` lines so the plot below never jumps when
    the text changes, and the horizontal size policy is ``Ignored`` so the label never makes
    its view wider than its cell.
    """

    #: Pixels kept free on each side of the measured text (rich-text rendering differs a bit).
    SLACK_PX = 6

    def __init__(
        self,
        point_size: int,
        foreground: str,
        background: str,
        *,
        max_lines: int = 1,
        bold: bool = False,
        align: QtCore.Qt.AlignmentFlag = QtCore.Qt.AlignmentFlag.AlignCenter,
        parent: QtWidgets.QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        font = QtGui.QFont(self.font())
        font.setPointSize(point_size)
        font.setBold(bold)
        self.setFont(font)
        self.setTextFormat(QtCore.Qt.TextFormat.RichText)
        self.setWordWrap(max_lines > 1)
        self.setAlignment(align | QtCore.Qt.AlignmentFlag.AlignVCenter)
        self.setStyleSheet(f"background: {background}; color: {foreground}; padding: 0px 6px;")
        self.setSizePolicy(QtWidgets.QSizePolicy.Policy.Ignored, QtWidgets.QSizePolicy.Policy.Fixed)
        self.setMinimumWidth(1)
        self._max_lines = max_lines
        self.setFixedHeight(max_lines * QtGui.QFontMetrics(font).lineSpacing() + 6)
        self._variants: tuple[str, ...] = ()
        self._fitted_for: tuple[tuple[str, ...], int] | None = None
        self._shown_variant = -1
        self._doc = QtGui.QTextDocument()
        self._doc.setDefaultFont(font)
        self._doc.setDocumentMargin(0)

    # -- public -------------------------------------------------------------------------
    def set_variants(self, variants: Sequence[str]) -> None:
        """Show the first of ``variants`` (rich text, longest first) that fits."""
        variants = tuple(variants)
        if variants != self._variants:
            self._variants = variants
            self._refit()

    @property
    def variants(self) -> tuple[str, ...]:
        return self._variants

    @property
    def shown_variant(self) -> int:
        """Index of the wording on screen (``len(variants)`` when the last one is elided)."""
        return self._shown_variant

    @property
    def full_text(self) -> str:
        """The longest wording as plain text (what the label says when there is room)."""
        return self.plain(self._variants[0]) if self._variants else ""

    @property
    def shown_text(self) -> str:
        """The text on screen as plain text."""
        return self.plain(self.text())

    def text_fits(self) -> bool:
        """Whether the shown text fits inside the label's width and lines."""
        return self._fits(self.text(), self.available_width())

    def available_width(self) -> int:
        return max(1, self.contentsRect().width() - 2 * self.SLACK_PX)

    @staticmethod
    def plain(html: str) -> str:
        doc = QtGui.QTextDocument()
        doc.setHtml(html)
        return doc.toPlainText()

    # -- fitting ------------------------------------------------------------------------
    def hasHeightForWidth(self) -> bool:
        # A word-wrapping QLabel reports height-for-width, which makes a QGridLayout of views
        # ignore its row stretch factors; our height is fixed, so opt out.
        return False

    def heightForWidth(self, width: int) -> int:
        return self.height()

    def resizeEvent(self, event: QtGui.QResizeEvent) -> None:
        super().resizeEvent(event)
        self._refit()

    def _refit(self) -> None:
        width = self.available_width()
        key = (self._variants, width)
        if key == self._fitted_for:
            return
        self._fitted_for = key
        if not self._variants:
            self._show("", -1)
            return
        for k, text in enumerate(self._variants):
            if self._fits(text, width):
                self._show(text, k)
                return
        # Nothing fits: elide the shortest wording (plain text, so colours are lost).
        metrics = QtGui.QFontMetrics(self.font())
        plain = self.plain(self._variants[-1]).replace("\n", " ")
        # Several lines wrap at word boundaries and lose some width: elide with a margin.
        room = width if self._max_lines == 1 else int(0.85 * width * self._max_lines)
        elided = metrics.elidedText(plain, QtCore.Qt.TextElideMode.ElideRight, room)
        self._show(elided.replace("&", "&amp;").replace("<", "&lt;"), len(self._variants))

    def _show(self, text: str, index: int) -> None:
        self._shown_variant = index
        if text != self.text():
            self.setText(text)

    def _fits(self, html: str, width: int) -> bool:
        doc = self._doc
        doc.setHtml(html)
        if self._max_lines == 1:
            doc.setTextWidth(-1)
            return doc.idealWidth() <= width and doc.blockCount() == 1
        doc.setTextWidth(width)
        doc.size()  # lays the document out
        if doc.idealWidth() > width:  # a single word wider than the label
            return False
        lines = 0
        block = doc.begin()
        while block.isValid():
            layout = block.layout()
            lines += layout.lineCount() if layout is not None else 1
            block = block.next()
        return lines <= self._max_lines
