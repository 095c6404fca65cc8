"""What a view draws outside its widget: the check the view tests share."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6 import QtCore, QtWidgets

from app.layout_fit import fit_to_screen
from views.walkthrough_view import WalkthroughView


def scene_overflow(view: QtWidgets.QWidget) -> list[str]:
    """Everything drawn that does not fit its GraphicsView: layout, plot areas, titles, labels."""
    problems = []
    for gv in view.findChildren(pg.GraphicsView):
        if not gv.isVisibleTo(view):
            continue
        area = QtCore.QRectF(gv.viewport().rect()).adjusted(-0.5, -0.5, 0.5, 0.5)
        layout = gv.centralWidget.geometry()
        if layout.width() > area.width() or layout.height() > area.height():
            problems.append(
                f"layout {layout.width():.0f}×{layout.height():.0f} in {area.width():.0f}×{area.height():.0f}"
            )
        for item in gv.scene().items():
            if not item.isVisible():
                continue
            if isinstance(item, pg.ViewBox) and not area.contains(item.sceneBoundingRect()):
                problems.append(f"plot area {item.sceneBoundingRect()}")
            if isinstance(item, pg.LabelItem) and item.text:
                text = item.mapRectToScene(item.itemRect())
                if not area.contains(text):
                    problems.append(f"text {item.text[:40]!r} at {text}")
    return problems


# -- text in windows: clipped or overlapping (issue 13) ----------------------------------------
def _drawn_ticks(axis: pg.AxisItem) -> list[tuple[QtCore.QRectF, str]]:
    """(rect in the axis's coordinates, text) of the tick labels ``axis`` draws."""
    from PySide6 import QtGui

    image = QtGui.QImage(8, 8, QtGui.QImage.Format.Format_ARGB32)
    painter = QtGui.QPainter(image)
    try:
        specs = axis.generateDrawSpecs(painter)
    finally:
        painter.end()
    return [(rect, text) for rect, _, text in specs[2]] if specs else []


def scene_texts(gv: pg.GraphicsView) -> list[tuple[str, QtCore.QRectF, object]]:
    """Every visible text a GraphicsView draws, as (text, rect in viewport pixels, owner):
    titles and labels (LabelItem), text items, legends, axis labels and axis tick labels."""
    texts: list[tuple[str, QtCore.QRectF, object]] = []
    to_port = gv.viewportTransform()
    for item in gv.scene().items():
        if not item.isVisible() or item.opacity() == 0:
            continue
        if isinstance(item, pg.LabelItem) and item.text:
            glyphs = item.itemRect().adjusted(2, 4, -2, -4)
            texts.append((item.text, to_port.mapRect(item.mapRectToScene(glyphs)), item))
        elif isinstance(item, pg.TextItem) and item.textItem.toPlainText().strip():
            rect = item.textItem.mapRectToScene(item.textItem.boundingRect().adjusted(2, 2, -2, -2))
            texts.append((item.textItem.toPlainText(), to_port.mapRect(rect), item))
        elif isinstance(item, pg.LegendItem):
            for _sample, label in item.items:
                if label.isVisible() and label.text:
                    rect = label.mapRectToScene(label.itemRect().adjusted(2, 4, -2, -4))
                    texts.append((label.text, to_port.mapRect(rect), item))
        elif isinstance(item, pg.AxisItem) and item.isVisible():
            to_device = item.deviceTransform(to_port)
            for rect, text in _drawn_ticks(item):
                texts.append((text, to_device.mapRect(rect), item))
    return texts


def _owner_chain(item: object) -> set[int]:
    ids = set()
    while item is not None:
        ids.add(id(item))
        item = item.parentItem() if hasattr(item, "parentItem") else None
    return ids


def text_problems(view: QtWidgets.QWidget) -> list[str]:
    """Texts of ``view``'s plots that leave their GraphicsView or overlap each other,
    tick labels of one axis included (pyqtgraph drops crowded minor labels, but draws every
    major one: views/theme.py widens the major spacing to make room)."""
    problems = []
    for gv in view.findChildren(pg.GraphicsView):
        if not gv.isVisibleTo(view) or gv.width() < 2:
            continue
        port = QtCore.QRectF(gv.viewport().rect()).adjusted(-1, -1, 1, 1)
        texts = scene_texts(gv)
        for text, rect, _ in texts:
            if not port.contains(rect):
                problems.append(f"{text[:30]!r} leaves its view ({rect} in {port})")
        for i, (a, ra, oa) in enumerate(texts):
            for b, rb, ob in texts[i + 1 :]:
                if oa is ob and isinstance(oa, pg.AxisItem):
                    overlap = ra.intersected(rb)
                    if overlap.width() > 1 and overlap.height() > 1:
                        problems.append(f"tick labels {a[:12]!r} and {b[:12]!r} overlap")
                    continue
                if oa is ob or id(ob) in _owner_chain(oa) or id(oa) in _owner_chain(ob):
                    continue
                overlap = ra.intersected(rb)
                if overlap.width() > 2 and overlap.height() > 2:
                    problems.append(f"{a[:30]!r} overlaps {b[:30]!r}")
    return problems


def _shown(label: QtWidgets.QLabel) -> str:
    """What a label draws (a fitting label may draw its text elided)."""
    shown = getattr(label, "shown_text", None)
    if callable(shown):
        return str(shown())
    return shown if isinstance(shown, str) else label.text()


def label_problems(window: QtWidgets.QWidget) -> list[str]:
    """Visible QLabels of ``window`` whose text is cut (wider or taller than the label, unless
    elided with the full text as tooltip) or that overlap another visible label."""
    from PySide6 import QtGui

    problems = []
    labels = [
        label
        for label in window.findChildren(QtWidgets.QLabel)
        # a label squeezed to no height is dropped (a secondary text on a short screen), not cut
        if label.isVisible() and _shown(label).strip() and label.width() > 0 and label.height() > 1
    ]
    rects = {}
    for label in labels:
        inner = label.contentsRect().adjusted(label.margin(), label.margin(), -label.margin(), -label.margin())
        text = _shown(label)
        elided = "…" in text and bool(label.toolTip())
        if label.textFormat() == QtCore.Qt.TextFormat.PlainText or not QtGui.Qt.mightBeRichText(text):
            metrics = QtGui.QFontMetrics(label.font())
            if label.wordWrap():
                need = metrics.boundingRect(
                    QtCore.QRect(0, 0, max(1, inner.width()), 10**6), QtCore.Qt.TextFlag.TextWordWrap, text
                )
                too_wide = False
                too_tall = need.height() > inner.height() + 2
            else:
                lines = text.split("\n")
                too_wide = max(metrics.horizontalAdvance(line) for line in lines) > inner.width() + 2
                too_tall = metrics.lineSpacing() * len(lines) > inner.height() + metrics.leading() + 4
        else:
            hint = label.sizeHint()
            if label.wordWrap():
                too_wide = False
                too_tall = label.heightForWidth(label.width()) > label.height() + 2
            else:
                too_wide = hint.width() > label.width() + 2
                too_tall = hint.height() > label.height() + 4
        if (too_wide or too_tall) and not elided:
            problems.append(
                f"label {label.objectName() or type(label.parent()).__name__} {text[:40]!r} cut "
                f"({label.width()}×{label.height()})"
            )
        # the visible part, in window coordinates (a label scrolled out of a scroll area's
        # viewport is hidden by it, not overlapped)
        visible = label.visibleRegion().boundingRect()
        if not visible.isEmpty():
            rects[label] = visible.translated(label.mapTo(window, QtCore.QPoint(0, 0)))
    items = list(rects.items())
    for i, (a, ra) in enumerate(items):
        for b, rb in items[i + 1 :]:
            if a.isAncestorOf(b) or b.isAncestorOf(a) or a.window() is not b.window():
                continue
            overlap = ra.intersected(rb)
            if overlap.width() > 2 and overlap.height() > 2:
                problems.append(f"label {_shown(a)[:30]!r} overlaps {_shown(b)[:30]!r}")
    return problems


def combo_problems(window: QtWidgets.QWidget) -> list[str]:
    """Visible combo boxes narrower than their longest choice needs (the text would be cut)."""
    return [
        f"combo {combo.objectName() or type(combo.parent()).__name__} {combo.width()} px < {combo.sizeHint().width()}"
        for combo in window.findChildren(QtWidgets.QComboBox)
        if combo.isVisible() and combo.width() < combo.sizeHint().width()
    ]


def open_walkthrough(qtbot: object, walk: object, screen: tuple[int, int]) -> WalkthroughView:
    """A walk-through window showing ``walk``, sized as the main window opens it on a screen
    of ``screen`` (call it inside ``fake_available_geometry``)."""
    view = WalkthroughView()
    view.setWindowFlag(QtCore.Qt.WindowType.Window, True)
    qtbot.addWidget(view)  # type: ignore[attr-defined]
    view.set_walk(walk)  # type: ignore[arg-type]
    view.show()
    fit_to_screen(view, QtCore.QSize(*screen))
    qtbot.waitExposed(view)  # type: ignore[attr-defined]
    return view
