"""The compare window's overlaid gradient plot and its runs, arranged to fit the window.

Every view of a run has a smallest size at which its texts, ticks and plot fit (``NEED``,
measured at each type scale).  The deck picks the richest arrangement whose pages give every
view that room, in this order: fewest pages; the overlay heading every page rather than on a
page of its own; a run's views on one page rather than split (its gradients on one page, its
loss and output on the next); a run's texts at their full size (grown with the type scale),
else at the controls' size, else at their scale-1 size, and in three lines rather than compact
(label and numbers on one line; compact first for 2 × 2 panels); the preferred grid (all runs
side by side, 2 × 2 panels for four) before fewer runs per page; the gradient view tall enough
for its heat map.  The texts' room is measured with their fonts (app.run_texts), not guessed:
their heights, the numbers' width (in two lines in a narrow column) and the label's.
Within a cell the views go side by side, gradients above loss | output, or one above the
other, whichever fits.  Pages are turned with the tab bar, whose labels are never elided
(it scrolls; the full title is the tooltip), or Ctrl+PgDown / Ctrl+PgUp.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from typing import NamedTuple

from PySide6 import QtCore, QtGui, QtWidgets

from app.layout_fit import available_geometry
from app.run_column import GRADIENTS_MIN_HEIGHT, PARTS, VIEW_SPACING, RunColumn
from app.run_texts import TEXT_LEVELS
from views import theme

#: the smallest (width, height) in pixels at which a view shows every text whole and every
#: plot at least 55 px × scale tall, at the type scales of SCALES (interpolated between
#: them): measured with the fitting checks of tests/app/test_fit_every_scale.py, plus 8 %
#: (3 % for the gradients at 2.5, to fit a 1280×720 screen);
#: not proportional to the scale (axes and margins do not all grow with it)
SCALES = (0.75, 1.0, 1.5, 2.0, 2.5)
NEED: dict[str, tuple[tuple[int, int], ...]] = {
    "gradients": ((216, 156), (276, 190), (400, 259), (527, 328), (665, 372)),
    "loss": ((156, 121), (199, 147), (276, 199), (363, 259), (449, 320)),
    "output": ((190, 121), (251, 147), (372, 199), (492, 259), (622, 320)),
    "activations": ((78, 147), (95, 173), (121, 251), (147, 311), (164, 389)),
    # the overlay without its legend (dropped where it does not fit)
    "overlay": ((294, 121), (380, 147), (562, 207), (752, 259), (916, 311)),
}
#: the comfortable heights at scale 1: the gradients view keeps its heat map
COMFORT_HEIGHT = {"gradients": GRADIENTS_MIN_HEIGHT, "loss": 150, "detail": 150}
#: Share of the window's height the overlay takes when it heads a page of runs
OVERLAY_SHARE = 0.30
#: ... with four runs, shown as 2 × 2 panels that need more height
OVERLAY_SHARE_PANELS = 0.19
#: pixels between cells (across, down) and between the overlay and the runs
CELL_SPACING = (10, 6)

translate = QtCore.QCoreApplication.translate


def scaled_need(name: str) -> tuple[int, int]:
    """``NEED[name]`` at the current type scale."""
    scale = theme.scale()
    table = NEED[name]
    i = max(1, min(len(SCALES) - 1, next((k for k, s in enumerate(SCALES) if s >= scale), len(SCALES) - 1)))
    (s0, s1), (a, b) = SCALES[i - 1 : i + 1], table[i - 1 : i + 1]
    f = (scale - s0) / (s1 - s0)
    return round(a[0] + f * (b[0] - a[0])), round(a[1] + f * (b[1] - a[1]))


class Page(NamedTuple):
    overlay: bool  # the overlay is on this page (heading it, or alone)
    runs: tuple[int, ...]  # the runs shown
    part: str  # "all", "gradients" or "plots" (loss and detail)


class Arrangement(NamedTuple):
    overlay_page: bool  # the overlay has a page of its own (else it heads every page)
    split: bool  # a run's gradients and its other views on separate pages
    cols: int
    rows: int
    shape: str  # the cells' shape: "row", "column" or "tall"
    comfort: bool  # the views get their comfortable heights
    compact: bool  # a run's label and numbers on one line, its verdict in one line
    texts: int = 0  # the size of a run's texts: app.run_texts.text_pt's level

    def pages(self, n_runs: int) -> list[Page]:
        per_page = self.cols * self.rows
        groups = [tuple(range(i, min(n_runs, i + per_page))) for i in range(0, n_runs, per_page)]
        pages = [Page(True, (), "")] if self.overlay_page else []
        on_top = not self.overlay_page
        for group in groups:
            parts = ("gradients", "plots") if self.split else ("all",)
            pages += [Page(on_top, group, part) for part in parts]
        return pages


class CompareDeck(QtWidgets.QWidget):
    """Holds the overlay and the run columns; lays them out in the arrangement that fits."""

    arranged = QtCore.Signal(int)

    def __init__(
        self,
        overlay: QtWidgets.QWidget,
        columns: Sequence[RunColumn],
        panels: bool,
        titles: Callable[[int], str],
    ) -> None:
        super().__init__()
        self.setObjectName("run_deck")
        self.overlay = overlay
        self.columns = list(columns)
        self.panels = panels
        self.per_row = 2 if panels else len(self.columns)
        self._titles = titles
        self.tabs = QtWidgets.QTabBar()
        self.tabs.setObjectName("run_pages")
        self.tabs.setExpanding(False)
        self.tabs.setDrawBase(False)
        self.tabs.setFocusPolicy(QtCore.Qt.FocusPolicy.NoFocus)
        # a tab's label is never elided: tabs that do not fit the bar scroll (its full title
        # is the tooltip)
        self.tabs.setElideMode(QtCore.Qt.TextElideMode.ElideNone)
        self.tabs.setUsesScrollButtons(True)
        self.stage = QtWidgets.QWidget()
        self.grid = QtWidgets.QGridLayout()
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setHorizontalSpacing(CELL_SPACING[0])
        self.grid.setVerticalSpacing(CELL_SPACING[1])
        stage = QtWidgets.QVBoxLayout(self.stage)
        stage.setContentsMargins(0, 0, 0, 0)
        stage.setSpacing(CELL_SPACING[1])
        stage.addWidget(self.overlay)
        stage.addLayout(self.grid, 1)
        self._stage = stage
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.tabs)
        layout.addWidget(self.stage, 1)
        for column in self.columns:
            column.setParent(self.stage)
            column.hide()
        self.arrangement: Arrangement | None = None
        self.page_list: list[Page] = []
        self.page_index = -1
        self.tabs.currentChanged.connect(self._show_page)
        self._arrange(self.candidates()[0])
        for keys, step in (("Ctrl+PgDown", 1), ("Ctrl+PgUp", -1)):
            shortcut = QtGui.QShortcut(QtGui.QKeySequence(keys), self)
            shortcut.setContext(QtCore.Qt.ShortcutContext.WindowShortcut)
            shortcut.activated.connect(lambda step=step: self.turn(step))

    # -- queries ---------------------------------------------------------------------------
    def pages(self) -> int:
        return len(self.page_list)

    def turn(self, step: int) -> None:
        if self.pages() > 1:
            self.tabs.setCurrentIndex((self.tabs.currentIndex() + step) % self.pages())

    def page_of_run(self, index: int) -> int:
        return next(i for i, page in enumerate(self.page_list) if index in page.runs)

    # -- needs -----------------------------------------------------------------------------
    def view_need(self, name: str, comfort: bool = False) -> tuple[int, int]:
        """The smallest size of view ``name`` ("detail": the output or activations view the
        columns show) at the current type scale."""
        if name == "detail":
            details = {column.detail_view for column in self.columns}
            sizes = [self.view_need(detail) for detail in sorted(details)]
            w, h = max(s[0] for s in sizes), max(s[1] for s in sizes)
        else:
            w, h = scaled_need(name)
        if comfort and name in COMFORT_HEIGHT:
            h = max(h, round(COMFORT_HEIGHT[name] * theme.scale()))
        return w, h

    def overlay_need(self) -> tuple[int, int]:
        return scaled_need("overlay")

    def cell_need(
        self, part: str, shape: str, comfort: bool, compact: bool, width: int | None = None, level: int = 0
    ) -> tuple[int, int]:
        """The (width, height) a run's cell needs to show ``part`` in ``shape``, its texts
        ``compact`` or not, at text size ``level``, measured with the columns' fonts;
        ``width``: the cell's width (its numbers may need a second line when narrow; None: the
        narrowest)."""
        names = PARTS[part]
        sizes = [self.view_need(name, comfort) for name in names]
        gap = VIEW_SPACING
        if shape == "row" or (shape == "column" and part == "plots"):
            w, h = sum(s[0] for s in sizes) + gap * (len(sizes) - 1), max(s[1] for s in sizes)
        elif shape == "tall":
            w, h = max(s[0] for s in sizes), sum(s[1] for s in sizes) + gap * (len(sizes) - 1)
        elif part == "all":  # column: gradients above loss | detail
            below = (sizes[1][0] + sizes[2][0] + gap, max(sizes[1][1], sizes[2][1]))
            w, h = max(sizes[0][0], below[0]), sizes[0][1] + gap + below[1]
        else:
            w, h = sizes[0]
        texts = max(column.texts_height(compact, width, level) for column in self.columns)
        words = max(column.texts_width(compact, level) for column in self.columns)
        return max(w + 8, words), h + texts

    def candidates(self) -> list[Arrangement]:
        """Every arrangement, best first (see the module docstring)."""
        n = len(self.columns)
        grids = [(self.per_row, -(-n // self.per_row))]
        grids += [(k, 1) for k in range(n, 0, -1)] + [(1, k) for k in range(2, n + 1)]
        grids = list(dict.fromkeys(grids))
        shapes = ("row", "column", "tall") if self.panels else ("column", "tall", "row")
        # panels are wide and short: compact texts first (at large scales their numbers may
        # not fit beside the label: then three lines); the texts at their full size, else
        # at the controls' size
        compacts = (True, False) if self.panels else (False, True)
        texts = [(level, compact) for level in TEXT_LEVELS for compact in compacts]
        options = []
        for (g, grid), (s, shape), overlay_page, split, comfort, (t, (level, compact)) in itertools.product(
            enumerate(grids), enumerate(shapes), (False, True), (False, True), (True, False), enumerate(texts)
        ):
            arrangement = Arrangement(overlay_page, split, grid[0], grid[1], shape, comfort, compact, level)
            pages = len(arrangement.pages(n))
            options.append(((pages, overlay_page, split, t, g, not comfort, s), arrangement))
        return [a for _, a in sorted(options)]

    def fits(self, arrangement: Arrangement, size: QtCore.QSize) -> bool:
        pages = arrangement.pages(len(self.columns))
        tabs = self.tabs.sizeHint().height() + 2 if len(pages) > 1 else 0
        width, height = size.width(), size.height() - tabs
        ow, oh = self.overlay_need()
        if ow > width or oh > height:
            return False
        cell_width = self._cell_width(arrangement, width)
        for page in pages:
            if not page.runs:
                continue
            a = arrangement
            cw, ch = self.cell_need(page.part, a.shape, a.comfort, a.compact, cell_width, a.texts)
            rows = -(-len(page.runs) // arrangement.cols)
            room = height - (oh + CELL_SPACING[1] if page.overlay else 0)
            if arrangement.cols * cw + CELL_SPACING[0] * (arrangement.cols - 1) > width:
                return False
            if rows * ch + CELL_SPACING[1] * (rows - 1) > room:
                return False
        return True

    @staticmethod
    def _cell_width(arrangement: Arrangement, width: int) -> int:
        """A cell's width in ``arrangement`` on a stage ``width`` pixels wide (a few pixels
        less: the grid's rounding)."""
        cols = arrangement.cols
        return (width - CELL_SPACING[0] * (cols - 1)) // cols - 4

    def choose(self, size: QtCore.QSize) -> Arrangement:
        candidates = self.candidates()
        return next((a for a in candidates if self.fits(a, size)), candidates[-1])

    def minimumSizeHint(self) -> QtCore.QSize:
        # the sparsest arrangement: the overlay on a page of its own, a run's views split,
        # the texts compact (shorter) or not (narrower at large scales), at any of their
        # sizes: the shortest that is narrow enough for the screen, else the narrowest
        ow, oh = self.overlay_need()
        sizes = []
        for compact, level in itertools.product((True, False), TEXT_LEVELS):
            cells = [
                self.cell_need(part, shape, False, compact, None, level)
                for part in ("gradients", "plots")
                for shape in ("column", "tall")
            ]
            w = max(ow, min(c[0] for c in cells[:2]), min(c[0] for c in cells[2:]))
            h = max(oh, min(c[1] for c in cells[:2]), min(c[1] for c in cells[2:]))
            sizes.append((w, h))
        room = available_geometry(self).width()
        narrow = [(h, w) for w, h in sizes if w <= room]
        h, w = min(narrow) if narrow else min((h, w) for w, h in sizes)
        return QtCore.QSize(w, h + self.tabs.sizeHint().height() + 2)

    def sizeHint(self) -> QtCore.QSize:
        return QtCore.QSize(1900, 900)

    # -- layout ----------------------------------------------------------------------------
    def resizeEvent(self, event: QtGui.QResizeEvent) -> None:
        arrangement = self.choose(event.size())
        if arrangement != self.arrangement:
            self._arrange(arrangement)
        self._size_overlay(event.size())
        super().resizeEvent(event)

    def _arrange(self, arrangement: Arrangement) -> None:
        old = self.page_list[self.page_index] if 0 <= self.page_index < len(self.page_list) else None
        self.arrangement = arrangement
        self.page_list = arrangement.pages(len(self.columns))
        needs = {name: self.view_need(name, arrangement.comfort) for name in ("gradients", "loss")}
        for name in ("output", "activations"):
            needs[name] = scaled_need(name)
            if arrangement.comfort:
                needs[name] = (needs[name][0], max(needs[name][1], round(COMFORT_HEIGHT["detail"] * theme.scale())))
        for column in self.columns:
            column.set_view_minimums(needs)
            column.set_text_level(arrangement.texts)
        self.tabs.blockSignals(True)
        while self.tabs.count():
            self.tabs.removeTab(0)
        for _ in self.page_list:
            self.tabs.addTab("")
        self.retitle()
        # stay with what was shown: the page of the first run shown before, or the overlay
        keep = 0
        if old is not None and old.runs:
            keep = next((i for i, p in enumerate(self.page_list) if old.runs[0] in p.runs), 0)
        self.tabs.setCurrentIndex(keep)
        self.tabs.blockSignals(False)
        self.tabs.setVisible(len(self.page_list) > 1)
        self.page_index = -1
        self._show_page(keep)
        self.arranged.emit(len(self.page_list))

    def _show_page(self, index: int) -> None:
        if not 0 <= index < len(self.page_list) or self.arrangement is None:
            return
        self.page_index = index
        page = self.page_list[index]
        cols = self.arrangement.cols
        for column in self.columns:
            if column.index not in page.runs:
                self.grid.removeWidget(column)
                column.hide()
        for c in range(self.grid.columnCount()):
            self.grid.setColumnStretch(c, 0)
        for k, run in enumerate(page.runs):
            column = self.columns[run]
            column.set_shape(page.part, self.arrangement.shape, self.arrangement.compact)
            self.grid.addWidget(column, k // cols, k % cols)
            self.grid.setColumnStretch(k % cols, 1)
            column.show()
        self.overlay.setVisible(page.overlay)
        self._stage.setStretchFactor(self.overlay, 0 if page.runs else 1)
        self._size_overlay(self.size())

    def _size_overlay(self, size: QtCore.QSize) -> None:
        """The overlay heading a page takes its share of the window's height, at least what it
        needs, and leaves the runs below what they need; alone on its page it takes the page."""
        if not 0 <= self.page_index < len(self.page_list) or self.arrangement is None:
            return
        page = self.page_list[self.page_index]
        if not page.runs:
            self.overlay.setMinimumHeight(0)
            self.overlay.setMaximumHeight(16777215)
            return
        tabs = self.tabs.sizeHint().height() + 2 if len(self.page_list) > 1 else 0
        a = self.arrangement
        _, ch = self.cell_need(page.part, a.shape, a.comfort, a.compact, self._cell_width(a, size.width()), a.texts)
        rows = -(-len(page.runs) // self.arrangement.cols)
        runs = rows * ch + CELL_SPACING[1] * rows
        share = OVERLAY_SHARE_PANELS if self.panels else OVERLAY_SHARE
        window = self.window()
        wanted = round(share * (window.height() if window is not self else size.height()))
        height = max(self.overlay_need()[1], min(wanted, size.height() - tabs - runs))
        if self.overlay.height() != height or self.overlay.minimumHeight() != height:
            self.overlay.setFixedHeight(height)

    def retitle(self) -> None:
        """The tabs' titles (again after a language change)."""
        from views.compare_gradients_view import CompareGradientsView

        for i, page in enumerate(self.page_list):
            colour = QtGui.QColor()  # invalid: the style's text colour
            if not page.runs:
                tab = title = CompareGradientsView.translated_title()
            else:
                runs = " · ".join(self._titles(run) for run in page.runs)
                tab = title = runs
                if page.part != "all":
                    detail = self.columns[page.runs[0]].detail_view
                    if page.part == "gradients":
                        what = translate("CompareWindow", "gradients")
                        short = translate("CompareWindow", "grad", "a tab: a run's gradient view")
                    else:
                        if detail == "activations":
                            what = translate("CompareWindow", "loss and activations")
                        else:
                            what = translate("CompareWindow", "loss and output")
                        short = translate("CompareWindow", "loss", "a tab: a run's loss and output views")
                    title = translate("CompareWindow", "{runs}: {views}").format(runs=runs, views=what)
                    # a split run's tabs are short: its markers (in its colour) and the views
                    marks = " ".join(self.columns[run].mark.text() for run in page.runs)
                    tab = f"{marks} {short}"
                    if len(page.runs) == 1:
                        colour = QtGui.QColor(self.columns[page.runs[0]].colour)
            self.tabs.setTabTextColor(i, colour)
            self.tabs.setTabText(i, tab)
            self.tabs.setTabToolTip(i, title)
