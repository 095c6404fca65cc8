"""The main window's six views, arranged to fit: all six in a grid when there is room, fewer
per row, or pages with a tab bar when the type scale or the screen leaves too little.

Each view has a comfortable size at scale 1 (``COMFORT``) that grows with the type scale; the
deck picks the first arrangement of ``ARRANGEMENTS`` whose cells give every view at least
that, and falls back to one view per page.  Ctrl+PgDown / Ctrl+PgUp (and the tab bar) turn
the pages.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6 import QtCore, QtGui, QtWidgets

from app.layout_fit import available_geometry, fake_active, screen_room, shed_row
from app.timeline_bar import TimelineBar
from views import theme

#: a view's comfortable size at scale 1 in pixels (width, height): its texts at full size,
#: its plot not squashed
COMFORT: dict[str, tuple[int, int]] = {
    "network": (240, 180),
    "gradients": (260, 200),
    "activations": (260, 200),
    "loss": (220, 160),
    "output": (200, 180),
    "activation_function": (240, 220),
}

#: arrangements, most views per page first: pages of rows of views (a page's columns and
#: rows share out the room in proportion to what their views need)
Page = tuple[tuple[str, ...], ...]
Arrangement = tuple[Page, ...]
ARRANGEMENTS: tuple[Arrangement, ...] = (
    ((("network", "gradients", "activations"), ("loss", "output", "activation_function")),),
    ((("network", "gradients"), ("activations", "activation_function"), ("loss", "output")),),
    ((("network", "gradients", "activations"),), (("loss", "output", "activation_function"),)),
    ((("network", "gradients"), ("loss", "output")), (("activations", "activation_function"),)),
    ((("network", "gradients"),), (("activations", "activation_function"),), (("loss", "output"),)),
)
SPACING = 6


def _one_per_page(names: Sequence[str]) -> Arrangement:
    return tuple(((name,),) for name in names)


class _PagedDeck(QtWidgets.QWidget):
    """Pages of widgets in a stack under a tab bar (hidden while there is one page); the tab
    bar and Ctrl+PgDown / Ctrl+PgUp turn them."""

    def __init__(self, name: str, tabs_name: str, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.tabs = QtWidgets.QTabBar()
        self.tabs.setObjectName(tabs_name)
        self.tabs.setExpanding(False)
        self.tabs.setDrawBase(False)
        self.tabs.setFocusPolicy(QtCore.Qt.FocusPolicy.NoFocus)
        self.tabs.setElideMode(QtCore.Qt.TextElideMode.ElideRight)
        self.stack = QtWidgets.QStackedWidget()
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.tabs)
        layout.addWidget(self.stack, 1)
        self.tabs.currentChanged.connect(self.stack.setCurrentIndex)
        for keys, step in (("Ctrl+PgDown", 1), ("Ctrl+PgUp", -1)):
            shortcut = QtGui.QShortcut(QtGui.QKeySequence(keys), self)
            shortcut.setContext(QtCore.Qt.ShortcutContext.WindowShortcut)
            shortcut.activated.connect(lambda step=step: self.turn(step))

    def pages(self) -> int:
        return self.stack.count()

    def turn(self, step: int) -> None:
        if self.pages() > 1:
            self.tabs.setCurrentIndex((self.tabs.currentIndex() + step) % self.pages())

    def _clear_pages(self, members: Sequence[QtWidgets.QWidget]) -> None:
        """Take ``members`` off their pages and remove every page and tab (the tab bar's
        signals stay blocked until the new pages are in)."""
        for widget in members:
            widget.setParent(None)
        while self.stack.count():
            old = self.stack.widget(0)
            assert old is not None
            self.stack.removeWidget(old)
            old.deleteLater()
        self.tabs.blockSignals(True)
        while self.tabs.count():
            self.tabs.removeTab(0)

    def _add_page(self, page: QtWidgets.QWidget, title: str) -> None:
        self.stack.addWidget(page)
        self.tabs.setTabToolTip(self.tabs.addTab(title), title)


class ViewDeck(_PagedDeck):
    """Holds ``views`` (name → widget) and lays them out in the arrangement that fits."""

    #: the number of pages changed (1: every view visible)
    arranged = QtCore.Signal(int)

    def __init__(
        self, views: dict[str, QtWidgets.QWidget], title: Callable[[str], str], parent: QtWidgets.QWidget | None = None
    ) -> None:
        super().__init__("view_deck", "view_pages", parent)
        self.views = views
        self._title = title
        self.tabs.setUsesScrollButtons(True)
        for view in views.values():
            view.setMinimumSize(0, 0)
        self.arrangement: Arrangement | None = None
        self._arrange(ARRANGEMENTS[0])

    # -- queries ---------------------------------------------------------------------------
    def visible_views(self) -> list[str]:
        """The names of the views on the current page."""
        if self.arrangement is None:
            return []
        page = self.arrangement[max(0, self.stack.currentIndex())]
        return [name for row in page for name in row]

    def page_of(self, name: str) -> int:
        assert self.arrangement is not None
        return next(i for i, page in enumerate(self.arrangement) if any(name in row for row in page))

    def show_view(self, name: str) -> None:
        """Turn to the page that holds ``name``."""
        self.tabs.setCurrentIndex(self.page_of(name))

    def reveal(self, name: str) -> QtWidgets.QWidget:
        """The view ``name``, laid out on screen (its page turned to) for an export."""
        if self.pages() > 1 and name not in self.visible_views():
            self.show_view(name)
            app = QtWidgets.QApplication.instance()
            if app is not None:
                app.processEvents()
        return self.views[name]

    def minimumSizeHint(self) -> QtCore.QSize:
        # one view per page is always possible: the largest comfortable size, a little less
        # when even that does not fit (the views then fit their own texts)
        return QtCore.QSize(120, 100)

    def sizeHint(self) -> QtCore.QSize:
        return QtCore.QSize(1200, 800)

    # -- layout ----------------------------------------------------------------------------
    def comfort(self, name: str) -> QtCore.QSize:
        """``COMFORT`` at the current type scale (texts, margins and ticks all grow with it)."""
        w, h = COMFORT[name]
        grow = theme.scale()
        return QtCore.QSize(round(w * grow), round(h * grow))

    def _needs(self, page: Page) -> tuple[list[int], list[int]]:
        """The widths of a page's grid columns and the heights of its rows that its views need
        (a row shorter than the widest spreads its views over the full width)."""
        span = max(len(row) for row in page)
        cols = [0] * span
        for row in page:
            if len(row) == span:
                for c, name in enumerate(row):
                    cols[c] = max(cols[c], self.comfort(name).width())
        rows = [max(self.comfort(name).height() for name in row) for row in page]
        return cols, rows

    def _fits(self, arrangement: Arrangement, size: QtCore.QSize) -> bool:
        height = size.height() - (self.tabs.sizeHint().height() + 2 if len(arrangement) > 1 else 0)
        for page in arrangement:
            cols, rows = self._needs(page)
            if sum(rows) + SPACING * (len(rows) - 1) > height:
                return False
            if sum(cols) + SPACING * (len(cols) - 1) > size.width():
                return False
            for row in page:
                share = (size.width() - SPACING * (len(row) - 1)) / len(row)
                if any(self.comfort(name).width() > share for name in row) and len(row) < len(cols):
                    return False
        return True

    def choose(self, size: QtCore.QSize) -> Arrangement:
        for arrangement in ARRANGEMENTS:
            if self._fits(arrangement, size):
                return arrangement
        return _one_per_page(list(self.views))

    def resizeEvent(self, event: QtGui.QResizeEvent) -> None:
        super().resizeEvent(event)
        arrangement = self.choose(event.size())
        if arrangement != self.arrangement:
            self._arrange(arrangement)

    def _arrange(self, arrangement: Arrangement) -> None:
        shown = self.visible_views()
        keep = shown[0] if shown else None
        self.arrangement = arrangement
        self._clear_pages(list(self.views.values()))
        for page in arrangement:
            widget = QtWidgets.QWidget()
            grid = QtWidgets.QGridLayout(widget)
            grid.setContentsMargins(0, 0, 0, 0)
            grid.setSpacing(SPACING)
            cols, rows = self._needs(page)
            span = len(cols)
            for r, row in enumerate(page):
                for c, name in enumerate(row):
                    # a short last row spreads over the full width
                    width = span // len(row) if len(row) < span else 1
                    grid.addWidget(self.views[name], r, c * width, 1, width)
                    self.views[name].show()
            # the room left over goes to the cells in proportion to their needs
            for c, need in enumerate(cols):
                grid.setColumnStretch(c, max(1, need))
            for r, need in enumerate(rows):
                grid.setRowStretch(r, max(1, need))
            self._add_page(widget, " · ".join(self._title(name) for row in page for name in row))
        self.tabs.blockSignals(False)
        self.tabs.setVisible(len(arrangement) > 1)
        if keep is not None:
            self.show_view(keep)
        else:
            self.tabs.setCurrentIndex(0)
        self.stack.setCurrentIndex(self.tabs.currentIndex())
        self.arranged.emit(len(arrangement))

    def retitle(self) -> None:
        """Set the tab titles again (after a language change)."""
        if self.arrangement is None:
            return
        for i, page in enumerate(self.arrangement):
            title = " · ".join(self._title(name) for row in page for name in row)
            self.tabs.setTabText(i, title)
            self.tabs.setTabToolTip(i, title)


class FitTimelineBar(TimelineBar):
    """The timeline bar that drops its playback-rate box, then its step label, when the window
    is too narrow for them (at a large type scale on a small screen) instead of widening it."""

    def _parts(self) -> tuple[list[QtWidgets.QWidget], list[QtWidgets.QWidget]]:
        return [self.play_button, self.slider, self.live_button], [self.label, self.rate_combo]

    def minimumSizeHint(self) -> QtCore.QSize:
        keep, _ = self._parts()
        height = super().minimumSizeHint().height()
        slider = 4 * max(24, self.slider.minimumSizeHint().height())
        width = sum(w.sizeHint().width() for w in keep[::2]) + slider + 40
        return QtCore.QSize(width, height)

    def resizeEvent(self, event: QtGui.QResizeEvent) -> None:
        keep, shed = self._parts()
        shed_row(self, keep, shed)
        super().resizeEvent(event)


class RunDeck(_PagedDeck):
    """The compare window's run columns (or panels) in a grid of ``per_row`` per row when
    they fit, else in pages of one row (fewer per row, down to one) with a tab bar."""

    def __init__(self, columns: Sequence[QtWidgets.QWidget], per_row: int, titles: Callable[[int], str]) -> None:
        super().__init__("run_deck", "run_pages")
        self.columns = list(columns)
        self.per_row = per_row
        self._titles = titles
        #: (columns per row, rows per page)
        self.shape: tuple[int, int] | None = None
        n = len(self.columns)
        self._arrange((per_row, -(-n // per_row)))

    def _need(self) -> QtCore.QSize:
        need = QtCore.QSize(0, 0)
        for column in self.columns:
            need = need.expandedTo(column.minimumSizeHint())
        return need

    def minimumSizeHint(self) -> QtCore.QSize:
        need = self._need()
        if screen_room(self.window()) is None:
            # no screen to fit (offscreen renders): the whole grid, as the window asks for it
            cols = self.per_row
            rows = -(-len(self.columns) // cols)
            return QtCore.QSize(cols * need.width() + SPACING * (cols - 1), rows * need.height() + SPACING * (rows - 1))
        tabs = self.tabs.sizeHint().height() + 2 if len(self.columns) > 1 else 0
        return QtCore.QSize(need.width(), need.height() + tabs)

    def choose(self, size: QtCore.QSize) -> tuple[int, int]:
        n, need = len(self.columns), self._need()
        tabs = self.tabs.sizeHint().height() + 2
        candidates = [(self.per_row, -(-n // self.per_row))]
        # then pages of one row: as many per row as the preferred grid has, down to one
        candidates += [(cols, 1) for cols in range(self.per_row, 0, -1)]
        for cols, rows in candidates:
            pages = -(-n // (cols * rows))
            height = size.height() - (tabs if pages > 1 else 0)
            if (
                cols * need.width() + SPACING * (cols - 1) <= size.width()
                and rows * need.height() + SPACING * (rows - 1) <= height
            ):
                return cols, rows
        return 1, 1

    def resizeEvent(self, event: QtGui.QResizeEvent) -> None:
        super().resizeEvent(event)
        shape = self.choose(event.size())
        if shape != self.shape:
            self._arrange(shape)

    def _arrange(self, shape: tuple[int, int]) -> None:
        self.shape = shape
        cols, rows = shape
        per_page = cols * rows
        current = self.tabs.currentIndex()
        self._clear_pages(self.columns)
        for start in range(0, len(self.columns), per_page):
            page = QtWidgets.QWidget()
            grid = QtWidgets.QGridLayout(page)
            grid.setContentsMargins(0, 0, 0, 0)
            grid.setHorizontalSpacing(10)
            grid.setVerticalSpacing(SPACING)
            members = self.columns[start : start + per_page]
            for k, column in enumerate(members):
                grid.addWidget(column, k // cols, k % cols)
                column.show()
            for c in range(cols):
                grid.setColumnStretch(c, 1)
            self._add_page(page, " · ".join(self._titles(start + k) for k in range(len(members))))
        self.tabs.blockSignals(False)
        self.tabs.setVisible(self.stack.count() > 1)
        self.tabs.setCurrentIndex(min(max(current, 0), self.stack.count() - 1))
        self.stack.setCurrentIndex(self.tabs.currentIndex())


#: the compare window's overlaid gradient plot never gets less than this (pixels)
OVERLAY_FLOOR = 100


def overlay_room(window: QtWidgets.QMainWindow, overlay: QtWidgets.QWidget, height: int) -> int:
    """The height ``overlay`` may take in ``window`` (``height`` tall) while everything else in
    it keeps its minimum: the runs below it reflow into pages before the window grows."""
    central = window.centralWidget()
    if central is None:
        return height
    room = screen_room(window)
    if room is not None:
        height = min(height, room.height())  # the window itself is about to shrink to it
    chrome = window.height() - central.height()  # menu bar, toolbar, status bar
    others = central.minimumSizeHint().height() - overlay.height()
    return max(OVERLAY_FLOOR, height - chrome - others)


def column_gradients_min(default: int) -> int:
    """A compare column's smallest gradients view: ``default`` (tall enough for its heat map)
    on a tall screen; on a short one less (the view drops its heat map), so the column fits."""
    if QtGui.QGuiApplication.platformName() == "offscreen" and not fake_active():
        return default
    return max(160, min(default, available_geometry().height() - 560))
