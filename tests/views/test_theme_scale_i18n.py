"""Every view under the light and dark themes, at larger type scales, and in another language.

Views are built from a real (small) training run (tests/views/realistic.py). Each test leaves
the light theme at scale 1 behind, so the other view tests are unaffected.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6 import QtCore, QtGui, QtWidgets

from tests.views import test_gradients_view, test_network_view
from tests.views.fitting import scene_overflow
from tests.views.realistic import VIEWS, build_view
from views import theme
from views.labels import FitLabel
from views.network_view import NetworkView
from views.walkthrough_view import WalkthroughView

NAMES = list(VIEWS)


@pytest.fixture(autouse=True)
def _light_theme_at_scale_1(qapp) -> Iterator[None]:  # type: ignore[no-untyped-def]
    theme.apply_pyqtgraph(theme.LIGHT, scale=1.0)
    yield
    theme.apply_pyqtgraph(theme.LIGHT, scale=1.0)


@pytest.fixture
def make(qtbot) -> Callable[..., QtWidgets.QWidget]:  # type: ignore[no-untyped-def]
    """Build a view under the current theme and scale; closed after the test."""

    def build(name: str, size: tuple[int, int] | None = None) -> QtWidgets.QWidget:
        view = build_view(name, size)
        qtbot.addWidget(view)
        qtbot.waitExposed(view)
        return view

    return build


# -- pixels ------------------------------------------------------------------------------
def luminance(widget: QtWidgets.QWidget) -> np.ndarray:
    """Per-pixel luminance (0…255) of what ``widget`` draws."""
    image = widget.grab().toImage().convertToFormat(QtGui.QImage.Format.Format_RGB32)
    h, w = image.height(), image.width()
    bgra = np.frombuffer(image.constBits(), dtype=np.uint8).reshape(h, image.bytesPerLine() // 4, 4)[:, :w]
    return 0.0722 * bgra[..., 0] + 0.7152 * bgra[..., 1] + 0.2126 * bgra[..., 2]


def border(lum: np.ndarray, width: int = 3) -> np.ndarray:
    return np.concatenate([lum[:width].ravel(), lum[-width:].ravel(), lum[:, :width].ravel(), lum[:, -width:].ravel()])


def solid_tiles(mask: np.ndarray, tile: int) -> int:
    """How many ``tile``×``tile`` squares (on a grid) are entirely ``mask``."""
    h, w = (mask.shape[0] // tile) * tile, (mask.shape[1] // tile) * tile
    blocks = mask[:h, :w].reshape(h // tile, tile, w // tile, tile)
    return int(blocks.all(axis=(1, 3)).sum())


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two colours."""

    def lum(colour: str) -> float:
        c = QtGui.QColor(colour)
        rgb = [v / 255.0 for v in (c.red(), c.green(), c.blue())]
        lin = [v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4 for v in rgb]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    hi, lo = sorted((lum(a), lum(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


# -- the theme API -----------------------------------------------------------------------
def test_themes_by_name() -> None:
    assert theme.THEMES == (theme.LIGHT, theme.DARK)
    assert theme.by_name("light") is theme.LIGHT and theme.by_name("dark") is theme.DARK
    with pytest.raises(ValueError, match="light, dark"):
        theme.by_name("solarized")


def test_scale_and_its_helpers() -> None:
    theme.apply_pyqtgraph(theme.DARK, scale=2.0)
    assert theme.current() is theme.DARK and theme.scale() == 2.0
    assert theme.pt(13) == 26 and theme.px(1.5) == 3.0 and theme.font(15, bold=True).pointSize() == 30
    assert pg.getConfigOption("background") == theme.DARK.background
    theme.apply_pyqtgraph(theme.LIGHT)  # scale unchanged unless given
    assert theme.scale() == 2.0
    for bad in (0.5, 3.0):
        with pytest.raises(ValueError, match=r"between 0\.75 and 2\.5"):
            theme.set_scale(bad)
    assert theme.scale() == 2.0


@pytest.mark.parametrize("t", theme.THEMES, ids=lambda t: t.name)
def test_themes_are_high_contrast(t: theme.Theme) -> None:
    assert contrast(t.foreground, t.background) >= 12
    assert contrast(t.muted, t.background) >= 4.5
    # the colours that carry text and lines in the views
    for colour in (t.blue, t.vermillion, t.green, t.nonfinite, t.negative, t.positive):
        assert contrast(colour, t.background) >= 3.0, colour
    if t.is_dark:  # on a dark background every series colour, ink included, stands out
        assert all(contrast(c, t.background) >= 3.0 for c in t.class_colours)
    assert len(set(t.class_colours)) == 10
    for kind in theme.BANNER_KINDS:
        bg, fg = t.banner(kind)
        assert contrast(bg, fg) >= 4.5, kind
        assert contrast(fg, t.window) >= 3.0 or kind == "diverged", kind
    with pytest.raises(ValueError, match="info"):
        t.banner("nope")


@pytest.mark.parametrize("t", theme.THEMES, ids=lambda t: t.name)
def test_qt_palette_matches_the_theme(t: theme.Theme) -> None:
    palette = theme.qt_palette(t)
    R, G = QtGui.QPalette.ColorRole, QtGui.QPalette.ColorGroup
    assert palette.color(G.Active, R.Window).name() == t.window.lower()
    assert palette.color(G.Active, R.Base).name() == t.base.lower()
    for role in (R.WindowText, R.Text, R.ButtonText):
        assert palette.color(G.Active, role).name() == t.foreground.lower()
        assert palette.color(G.Disabled, role).name() == t.disabled.lower()
    assert palette.color(G.Active, R.ToolTipText).name() == t.tooltip_text.lower()
    assert contrast(palette.color(R.Text).name(), palette.color(R.Base).name()) >= 12
    assert contrast(palette.color(R.HighlightedText).name(), palette.color(R.Highlight).name()) >= 4.5
    assert contrast(palette.color(G.Disabled, R.Text).name(), palette.color(R.Window).name()) >= 2.5


# -- every view, dark and light ------------------------------------------------------------
@pytest.mark.parametrize("name", NAMES)
def test_dark_theme_draws_light_on_dark(make, name: str) -> None:
    theme.apply_pyqtgraph(theme.DARK)
    lum = luminance(make(name))
    assert border(lum).mean() < 60
    assert (lum > 200).mean() > 0.002  # text and lines in light colours
    # no white box left over: no 48×48 square is all light
    assert solid_tiles(lum > 180, 48) == 0


@pytest.mark.parametrize("name", NAMES)
def test_light_theme_draws_dark_on_light(make, name: str) -> None:
    lum = luminance(make(name))
    assert border(lum).mean() > 200
    assert (lum < 60).mean() > 0.002
    assert solid_tiles(lum < 40, 64) == 0


# -- scale -------------------------------------------------------------------------------
def _title_pt(view: QtWidgets.QWidget) -> float:
    """The point size of the view's main title, as the view typesets it."""
    if isinstance(view, WalkthroughView):  # the caption's largest size (it shrinks to fit)
        return float(view.caption.pt_range[1])
    labels = [w for w in view.findChildren(FitLabel) if w.isVisibleTo(view)]
    if labels:
        return labels[0].font().pointSizeF()
    for attr in ("bar_title", "title_label"):
        if hasattr(view, attr):
            return float(getattr(view, attr).opts["size"].removesuffix("pt"))
    plot = getattr(view, "loss_plot", None) or view.plot  # type: ignore[attr-defined]
    return float(plot.titleLabel.opts["size"].removesuffix("pt"))


def _pen_widths(view: QtWidgets.QWidget) -> list[float]:
    """Widths above 1 px of the pens the view draws curves, bars, outlines and axes with."""
    widths = []
    for gv in view.findChildren(pg.GraphicsView):
        for item in gv.scene().items():
            if isinstance(item, pg.PlotDataItem | pg.PlotCurveItem | pg.BarGraphItem) and item.opts.get("pen"):
                widths.append(pg.mkPen(item.opts["pen"]).widthF())
            elif isinstance(item, QtWidgets.QGraphicsPathItem):
                widths.append(item.pen().widthF())
            elif isinstance(item, pg.InfiniteLine):
                widths.append(item.pen.widthF())
            elif isinstance(item, pg.AxisItem) and item.isVisible():
                widths.append(item.pen().widthF())
    if isinstance(view, NetworkView):  # thick edges are drawn as several 1-px lines
        widths += [view._nonfinite_node_pen.widthF(), float(max(view._edge_copies))]
    return sorted(w for w in widths if w > 1.0)


def _tick_pts(view: QtWidgets.QWidget) -> list[int]:
    """Point sizes of the visible axes' tick labels (the walkthrough's follow its boxes: left out)."""
    if isinstance(view, WalkthroughView):
        return []
    fonts = []
    for gv in view.findChildren(pg.GraphicsView):
        for item in gv.scene().items():
            if isinstance(item, pg.AxisItem) and item.isVisible() and item.style["showValues"]:
                font = item.style["tickFont"]
                if font is not None:
                    fonts.append(font.pointSize())
    return sorted(fonts)


@pytest.mark.parametrize("name", NAMES)
def test_scale_doubles_fonts_and_pens(make, name: str) -> None:
    base = make(name)
    title_1, ticks_1, pens_1 = _title_pt(base), _tick_pts(base), _pen_widths(base)
    theme.set_scale(2.0)
    big = make(name)
    assert _title_pt(big) == pytest.approx(2 * title_1)
    assert _tick_pts(big) == [2 * p for p in ticks_1]
    assert pens_1, "no scalable pen found"
    assert _pen_widths(big)[-len(pens_1) :] == pytest.approx([2 * w for w in pens_1])


# -- nothing clipped at larger scales ------------------------------------------------------
def row_and_tick_overflow(view: QtWidgets.QWidget) -> list[str]:
    """Titles taller than their row, tick labels outside their GraphicsView, FitLabels whose
    wording does not fit (beyond what ``scene_overflow`` checks)."""
    problems = []
    for gv in view.findChildren(pg.GraphicsView):
        if not gv.isVisibleTo(view):
            continue
        port = QtCore.QRectF(gv.viewport().rect()).adjusted(-0.5, -0.5, 0.5, 0.5)
        for item in gv.scene().items():
            if not item.isVisible():
                continue
            if isinstance(item, pg.LabelItem) and item.text:
                # the glyphs (inside the document's 4-px margins) within the label's own row
                glyphs = item.itemRect().adjusted(0, 4, 0, -4)
                if glyphs.height() > item.rect().height() + 1:
                    problems.append(f"text {item.text[:40]!r} taller than its row ({item.rect().height():.0f} px)")
            if isinstance(item, pg.AxisItem):
                to_device = item.deviceTransform(gv.viewportTransform())
                for rect, _, text in test_network_view.drawn_ticks(item):
                    if not port.contains(to_device.mapRect(rect)):
                        problems.append(f"tick {text!r} outside the view")
    for label in view.findChildren(FitLabel):
        if label.isVisibleTo(view) and not label.text_fits():
            problems.append(f"label {label.shown_text!r} does not fit {label.width()} px")
    return problems


def overflow(view: QtWidgets.QWidget, name: str) -> list[str]:
    problems = scene_overflow(view) + row_and_tick_overflow(view)
    if name in ("network", "activations", "activation_function"):
        problems += test_network_view.overflow(view)
    if name == "gradients":
        problems += test_gradients_view.overflow(view)
    return problems


@pytest.mark.parametrize("scale", [1.5, 2.0])
@pytest.mark.parametrize("name", NAMES)
def test_nothing_is_clipped_at_larger_scales(make, name: str, scale: float) -> None:
    theme.apply_pyqtgraph(theme.DARK, scale=scale)
    view = make(name)
    assert overflow(view, name) == []
    if name in ("network", "gradients", "activations", "loss", "output", "activation_function"):
        view.resize(520, 580 if name in ("network", "gradients", "activations") else 390)
        QtWidgets.QApplication.processEvents()
        assert overflow(view, name) == []


# -- translation ---------------------------------------------------------------------------
CONTEXTS = {
    "NetworkView",
    "GradientsView",
    "ActivationsView",
    "LossView",
    "OutputView",
    "ActivationFunctionView",
    "CompareGradientsView",
    "WalkthroughView",
}


class Guillemets(QtCore.QTranslator):
    """Marks every text of the views' contexts: «text»."""

    def translate(self, context: str, source: str, disambiguation: str | None = None, n: int = -1) -> str:
        return f"«{source}»" if context in CONTEXTS else ""

    def isEmpty(self) -> bool:
        return False


@pytest.fixture
def guillemets(qapp) -> Iterator[None]:  # type: ignore[no-untyped-def]
    translator = Guillemets()
    QtCore.QCoreApplication.installTranslator(translator)
    try:
        yield
    finally:
        QtCore.QCoreApplication.removeTranslator(translator)


def shown_title(view: QtWidgets.QWidget) -> str:
    """The longest visible text that the view's title area shows."""
    texts = [label.shown_text for label in view.findChildren(FitLabel) if label.isVisibleTo(view)]
    for attr in ("heat_title", "title_label"):
        if hasattr(view, attr):
            texts.append(getattr(view, attr).text)
    for attr in ("loss_plot", "plot"):
        plot = getattr(view, attr, None)
        if isinstance(plot, pg.PlotItem):
            texts.append(plot.titleLabel.text)
    if hasattr(view, "caption_text"):
        texts.append(view.caption_text())
    return " | ".join(texts)


@pytest.mark.parametrize("name", NAMES)
def test_a_language_switch_and_rebuild_shows_translated_texts(make, guillemets, name: str) -> None:
    view = make(name)
    assert "«" in shown_title(view), shown_title(view)
    assert type(view).translated_title().startswith("«")  # type: ignore[attr-defined]


def test_without_a_translator_the_source_text_shows(make) -> None:
    view = make("loss")
    assert "«" not in shown_title(view) and "Cross-entropy" in shown_title(view)
