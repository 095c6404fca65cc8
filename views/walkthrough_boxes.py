"""Typesetting the walk-through: type sizes that fit, and the rich text of boxes, caption and key.

The view (:mod:`views.walkthrough_view`) measures its pixels and asks here which type sizes make
every layer's box, the caption and the bar labels fit; :func:`box_html` and :func:`span` write
the rich text at those sizes.  Only font metrics and QTextDocument layout, no widgets.
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable
from typing import NamedTuple

from PySide6 import QtCore, QtGui

from views import theme
from views.labels import html_width
from views.walkthrough_text import Row

#: Font sizes of the boxes (pt at scale 1; see ``theme.pt``).
BOX_MAX_PT, BOX_MIN_PT = 30, 8
#: Below this number size the stacked/inline boxes give way to the compact ones (at scale 1;
#: never more than BOX_READABLE_MAX_PT: at a large type scale, numbers in every box at 14 pt
#: read better than empty boxes and one call-out)
BOX_READABLE_PT = 12
BOX_READABLE_MAX_PT = 14
#: Largest share of the drawing's height for the boxes, and of the bars' height for a bar label.
BOX_SHARE, BAR_LABEL_SHARE = 0.5, 0.12
#: ... and the boxes' largest share when the text does not fit the usual one
BOX_SHARE_TIGHT = 0.62
#: Type size of the current layer's call-out when the boxes are too narrow for text.
CALLOUT_PT = 18
#: Compact boxes hold only their layer's name, on one line: never below this size (pt, at any
#: scale; narrower columns leave the name to the call-out), and as a bare number ("41") where
#: that reads this much larger than "L41".
NAME_MIN_PT = 6
BARE_GAIN = 1.2
#: ... and upright (read from below) where that reads this much larger than across the box; an
#: upright name's capitals take this share more than their height across the box.
UPRIGHT_GAIN, UPRIGHT_SPARE = 1.5, 1.1


def colour(role: str) -> str:
    t = theme.current()
    return {"shrink": t.blue, "grow": t.orange, "bad": t.nonfinite, "note": t.muted, "hidden": t.neutral}.get(
        role, t.foreground
    )


def span(text: str, role: str, size: int) -> str:
    bold = role not in ("", "note", "label")
    weight = "font-weight:700;" if bold else ""
    return f'<span style="color:{colour(role)};{weight}font-size:{size}pt">{html.escape(text)}</span>'


class BoxFonts(NamedTuple):
    """How the boxes are typeset: 'inline' ("f′ mean 0.23" on one line), 'stacked' (a label over
    a big number) or 'compact' (too many layers for any text: the boxes stay empty and the current
    layer's numbers appear in a call-out, typeset inline at these sizes)."""

    mode: str
    value_pt: int
    label_pt: int
    header_pt: int


def metrics(pt: int, bold: bool) -> QtGui.QFontMetricsF:
    font = QtGui.QFont()
    font.setPointSize(pt)
    font.setBold(bold)
    return QtGui.QFontMetricsF(font)


def box_size(rows: list[Row], fonts: BoxFonts, room_px: float = math.inf) -> tuple[float, float]:
    """Pixel (width, height) of one box's text in ``fonts`` (compact boxes are typeset inline);
    notes wider than ``room_px`` are left out (see :func:`box_html`)."""
    value, label, header = (
        metrics(fonts.value_pt, True),
        metrics(fonts.label_pt, False),
        metrics(fonts.header_pt, True),
    )
    height, width = 0.0, 0.0
    for row in rows:
        if row.role == "header":
            height += header.lineSpacing()
            width = max(width, header.horizontalAdvance(row.label))
        elif row.role == "note":
            note = label.horizontalAdvance(row.label)
            if note <= room_px:
                height += label.lineSpacing()
                width = max(width, note)
        elif fonts.mode == "stacked":
            height += value.lineSpacing() + label.lineSpacing()
            width = max(width, value.horizontalAdvance(row.value), label.horizontalAdvance(row.label))
        else:
            height += value.lineSpacing()
            width = max(width, value.horizontalAdvance(f"{row.label} {row.value}"))
    return width, height


def bar_title_variants(pt: int) -> tuple[str, ...]:
    """The bars' title and colour key, longest first."""
    gap = "&nbsp;&nbsp;&nbsp;"

    def key(shrink: str, grow: str, bad: str) -> str:
        return gap.join((span(shrink, "shrink", pt), span(grow, "grow", pt), span(bad, "bad", pt)))

    tr = QtCore.QCoreApplication.translate
    ratio = "‖δ‖ ÷ ‖δ_out‖"
    return (
        span(tr("WalkthroughView", "running product {ratio} (log scale)").format(ratio=ratio), "", pt)
        + gap
        + key(
            "■ " + tr("WalkthroughView", "factor < 1: shrinks"),
            "■ " + tr("WalkthroughView", "factor > 1: grows"),
            "■ inf/NaN",
        ),
        span(tr("WalkthroughView", "{ratio} (log)").format(ratio=ratio), "", pt)
        + gap
        + key("■ " + tr("WalkthroughView", "shrinks"), "■ " + tr("WalkthroughView", "grows"), "■ inf/NaN"),
        key("■ < 1", "■ > 1", "■ inf/NaN"),
    )


def html_height(html_: str, width_px: float) -> float:
    """Pixel height of rich text laid out ``width_px`` wide (as a TextItem shows it)."""
    doc = QtGui.QTextDocument()
    doc.setDefaultFont(QtGui.QFont())
    doc.setHtml(html_)
    if math.isfinite(width_px):
        doc.setTextWidth(width_px)
    return float(doc.size().height())


def _smallest_pt() -> int:
    """The smallest box type: BOX_MIN_PT at the type scale, but never above 9 pt (labels beside
    14-pt numbers; see BOX_READABLE_MAX_PT)."""
    return min(theme.pt(BOX_MIN_PT), 9)


def _scaled(mode: str, pt: int) -> BoxFonts:
    smallest = _smallest_pt()
    return BoxFonts(mode, pt, max(smallest, round(0.62 * pt)), max(smallest, round(0.8 * pt)))


def choose_box_fonts(rows: list[list[Row]], col_px: float, box_px: float) -> BoxFonts:
    """The largest type with which every box's text fits its column (``col_px``) and ``box_px``
    of height: inline when the columns are wide, else stacked, else compact (a call-out)."""
    room = 0.92 * col_px - 8
    # heights depend only on the kinds of rows: one box of each shape is measured
    shapes = list({tuple(r.role if r.role in ("header", "note") else "" for r in box): box for box in rows}.values())

    def fits(fonts: BoxFonts) -> bool:
        if fonts.mode != "compact" and any(box_size(box, fonts, room)[0] > room for box in rows):
            return False
        text_px = math.inf if fonts.mode == "compact" else 0.92 * col_px
        shown = math.inf if fonts.mode == "compact" else room
        # the text starts 3 % below the box's top: 94 % of the height is usable
        return all(html_height(box_html(box, fonts, shown), text_px) <= 0.94 * box_px for box in shapes)

    def best(mode: str, largest: int, smallest: int) -> BoxFonts | None:
        return next((fonts for pt in range(largest, smallest - 1, -1) if fits(fonts := _scaled(mode, pt))), None)

    largest, smallest = theme.pt(BOX_MAX_PT), _smallest_pt()
    readable = max(smallest, min(theme.pt(BOX_READABLE_PT), BOX_READABLE_MAX_PT))
    choices = [f for f in (best("inline", largest, readable), best("stacked", largest, readable)) if f]
    if choices:
        return max(choices, key=lambda f: f.value_pt)  # inline first on ties
    return best("compact", theme.pt(CALLOUT_PT), smallest) or _scaled("compact", smallest)


def box_html(rows: list[Row], fonts: BoxFonts, room_px: float = math.inf) -> str:
    """Rich text of one box, centred, in the chosen layout (compact: inline, for the call-out);
    a note wider than ``room_px`` is left out rather than wrapped out of the box."""
    parts = []
    note_metrics = metrics(fonts.label_pt, False)
    for row in rows:
        if row.role == "header":
            parts.append(span(row.label, "strong", fonts.header_pt))
        elif row.role == "note":
            if note_metrics.horizontalAdvance(row.label) <= room_px:
                parts.append(span(row.label, "note", fonts.label_pt))
        elif fonts.mode == "stacked":
            parts.append(span(row.label, "label", fonts.label_pt))
            parts.append(span(row.value, row.role or "strong", fonts.value_pt))
        else:
            parts.append(
                span(f"{row.label} ", "", fonts.value_pt) + span(row.value, row.role or "strong", fonts.value_pt)
            )
    return '<div align="center">' + "<br>".join(parts) + "</div>"


def caption_pt(captions: Callable[[int], list[str]], room_px: float, smallest: int, largest: int) -> int:
    """The largest caption size from ``smallest`` to ``largest`` pt at which every caption
    (``captions(pt)``: each step's, typeset at ``pt``) fits ``room_px`` on one line."""
    widest = max(html_width(c, largest) for c in captions(largest))
    size = max(smallest, min(largest, int(largest * room_px / max(widest, 1.0))))
    while size > smallest and max(html_width(c, size) for c in captions(size)) > room_px:
        size -= 1
    return size


class BoxFit(NamedTuple):
    """How the boxes are set at one size of the view."""

    fonts: BoxFonts
    room_px: float  # the width of a box's text (notes wider than this are left out)
    height_px: float  # the box row's height, the plot's margins included


def fit_boxes(rows: list[list[Row]], col_px: float, drawing_px: float, overhead_px: float) -> BoxFit:
    """Type for the boxes (``rows``: each box's, ``col_px`` wide) and the height they take of
    ``drawing_px``: at most half of it and only what their text needs (the rest goes to the bars).
    ``overhead_px``: what the box plot adds around its view box."""
    cap = BOX_SHARE * drawing_px
    fonts = choose_box_fonts(rows, col_px, cap - overhead_px - 4)
    if fonts.mode == "compact":
        # numbers in every box beat empty boxes and a call-out: the boxes may take more height
        cap = BOX_SHARE_TIGHT * drawing_px
        fonts = choose_box_fonts(rows, col_px, cap - overhead_px - 4)
    room_px = math.inf if fonts.mode == "compact" else 0.92 * col_px - 8
    # measured as laid out (rich text lines are taller than the font metrics say)
    text_px = math.inf if fonts.mode == "compact" else col_px * 0.92
    need = max(html_height(box_html(box, fonts, room_px), text_px) for box in rows)
    need = min(need / 0.94 + overhead_px + 4, cap)  # the text starts 3 % below the top
    return BoxFit(fonts, room_px, need)


def bar_label_pt(labels: list[str], fonts: BoxFonts, col_px: float, bar_px: float) -> int:
    """Type size of the bar labels ("1.3e-6"): the box numbers' size when they fit the bar's
    column (``col_px``), and never more than a slice of the bars' height (``bar_px``)."""
    smallest = theme.pt(BOX_MIN_PT)
    pt = min(fonts.value_pt, max(smallest, int(BAR_LABEL_SHARE * bar_px * 0.75)))
    while pt > smallest and max(metrics(pt, True).horizontalAdvance(s) for s in labels) > 0.98 * col_px - 6:
        pt -= 1
    # in compact mode only the current bar is labelled: it may be wider than its column
    return max(pt, theme.pt(BOX_READABLE_PT + 2)) if fonts.mode == "compact" else pt


class NameFit(NamedTuple):
    """How compact boxes name their layers: ``form`` ("L{}" or a bare "{}"), one type size for
    every box (``pt``; 0 when not even NAME_MIN_PT fits) and ``angle`` (0, or 90: read upwards
    along the box when the columns are too narrow for a readable name across them)."""

    form: str
    pt: int
    angle: int = 0


def name_pt(names: list[str], room_px: float, largest: int, length_px: float = math.inf) -> int:
    """The largest size from ``largest`` down to NAME_MIN_PT pt at which every one of ``names``
    (bold) fits ``room_px`` on one line; 0 if none does.  With ``length_px`` the names are set
    upright (angle 90): their capitals must fit ``room_px`` across, their length ``length_px``."""
    for pt in range(largest, NAME_MIN_PT - 1, -1):
        m = metrics(pt, True)
        widest = max(m.horizontalAdvance(s) for s in names)
        if math.isinf(length_px):
            if widest <= room_px:
                return pt
        elif m.capHeight() * UPRIGHT_SPARE <= room_px and widest <= length_px:
            return pt
    return 0


def fit_names(numbers: list[int], fonts: BoxFonts, room_px: float, length_px: float) -> NameFit:
    """One type size for the names of compact boxes (layers ``numbers``), up to the header size,
    at which the widest name fits ``room_px`` across a box: "L41", or "41" where bare numbers
    read larger by BARE_GAIN (the call-out and the caption still say "L41" / "Layer 41"), or
    "L41" upright in a box ``length_px`` tall where that reads larger by UPRIGHT_GAIN."""
    named = name_pt([f"L{k}" for k in numbers], room_px, fonts.header_pt)
    bare = name_pt([str(k) for k in numbers], room_px, fonts.header_pt)
    across = NameFit("L{}", named) if named and named * BARE_GAIN >= bare else NameFit("{}", bare)
    upright = name_pt([f"L{k}" for k in numbers], room_px, fonts.header_pt, length_px)
    if upright and upright >= UPRIGHT_GAIN * across.pt:
        return NameFit("L{}", upright, 90)
    return across


def name_html(name: str, hidden: bool, pt: int) -> str:
    """A compact box's layer name at ``pt`` (nothing at 0)."""
    return span(name, "hidden" if hidden else "strong", pt) if pt else ""
