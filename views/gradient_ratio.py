"""The ratio line above the gradient plots: the key number of the lecture, e.g.
"‖∂L/∂z‖ L1 ÷ L11 = 9.7e-7  vanishing", or a sentence where a number would mislead."""

from __future__ import annotations

import html
import math

import numpy as np
from numpy.typing import NDArray
from PySide6 import QtCore, QtGui, QtWidgets

from model.diagnostics import ratio_verdict, reference_layer  # one definition for the whole app
from views import theme
from views.gradient_scales import format_power
from views.labels import html_width

#: The ratio line is the biggest text of the view: this size when it fits, never below the floor.
RATIO_MAX_EXTRA_PT, RATIO_MIN_EXTRA_PT = 9, 1  # added to the theme's title size (both scaled)


def verdict_text(verdict: str) -> str:
    """The ratio verdict of ``model.diagnostics`` (or "diverged") as shown on screen."""
    words = {
        "vanishing": QtCore.QCoreApplication.translate("GradientsView", "vanishing"),
        "exploding": QtCore.QCoreApplication.translate("GradientsView", "exploding"),
        "healthy": QtCore.QCoreApplication.translate("GradientsView", "healthy"),
        "diverged": QtCore.QCoreApplication.translate("GradientsView", "diverged"),
    }
    return words.get(verdict, verdict)


class _Box(QtWidgets.QWidget):
    """Holds the label outside every layout, as tall as the label wants to be.

    ``QLabel.setText`` invalidates the layout of the label's parent, and every layout that
    recomputes asks its own parent's to (Qt's ``QLayout::activate``): a ratio that changed in
    every frame re-laid out the whole main window and repainted the label two or three times
    per frame (profiled at 3840×2160).  A parent without a layout stops that at once.
    """

    def __init__(self, parent: QtWidgets.QWidget) -> None:
        super().__init__(parent)
        self.label = QtWidgets.QLabel(self)
        self.setSizePolicy(QtWidgets.QSizePolicy.Policy.Ignored, QtWidgets.QSizePolicy.Policy.Fixed)
        self._height = 0

    def sizeHint(self) -> QtCore.QSize:
        return QtCore.QSize(self.label.sizeHint().width(), self._height)

    def follow_label(self) -> None:
        """Take the label's height (after a font or text change), relaying out only if it changed."""
        height = self.label.sizeHint().height()
        if height != self._height:
            self._height = height
            self.updateGeometry()

    def resizeEvent(self, event: QtGui.QResizeEvent) -> None:
        super().resizeEvent(event)
        self.label.setGeometry(self.rect())


class RatioLine:
    """One line of rich text (``label``, in ``box``) whose font shrinks to the width; never
    widens the view."""

    def __init__(self, parent: QtWidgets.QWidget, t: theme.Theme) -> None:
        self._theme = t
        self._range = (theme.pt(t.title_pt + RATIO_MIN_EXTRA_PT), theme.pt(t.title_pt + RATIO_MAX_EXTRA_PT))
        self._n_layers = 0
        self._text = ""
        self._pretraining = False
        self.box = _Box(parent)
        self.label = self.box.label
        self._font = QtGui.QFont()
        self._font.setBold(True)
        self._long = True  # with the "‖∂L/∂z‖" prefix (dropped when the cell is narrow)
        self._parts: tuple[str, ...] = ("—", t.foreground, "", t.foreground)
        self.label.setTextFormat(QtCore.Qt.TextFormat.RichText)
        self.label.setAlignment(QtCore.Qt.AlignmentFlag.AlignCenter)
        # One line whose font shrinks to the width (see fit); never widens the view.
        self.label.setWordWrap(False)
        self.label.setSizePolicy(QtWidgets.QSizePolicy.Policy.Ignored, QtWidgets.QSizePolicy.Policy.Fixed)
        self.label.setStyleSheet(f"color: {t.foreground}; background: {t.background}; padding: 4px;")
        self.box.follow_label()

    def set_layers(self, n_layers: int) -> None:
        """Layers are named as on the axes ("L9" vs "L100"): call :meth:`fit` after a change."""
        self._n_layers = n_layers

    def fit(self, room: int) -> None:
        """Pick the font size and wording (with or without the prefix) that fit ``room`` px.

        Runs on resize and layer-count changes only: the font is sized for the widest text any
        snapshot can produce, so it does not jump while training.
        """
        floor, top = self._range
        verdicts = ("vanishing", "exploding", "healthy")
        worst = [("9.9e-99", verdict_text(v), "") for v in verdicts]
        for sentence, words, *numeric in self._sentences().values():
            if not numeric:
                worst.append(("", words, sentence))
        choice = None
        for long in (True, False):
            widths = [
                html_width(self._html(long, value, "", verdict, "", sentence), top, bold=True)
                for value, verdict, sentence in worst
            ]
            size = min(top, int(top * room / max(max(widths), 1.0)))
            if size >= floor:
                choice = (long, size)
                break
        # Too narrow even for the floor (a large type scale): smaller, but never clipped.
        long, size = choice or (False, max(6, size))
        if size != self._font.pointSize():
            self._font.setPointSize(size)
            self.label.setFont(self._font)
            self.box.follow_label()
        if long != self._long:
            self._long = long
            self._set(self._parts, force=True)

    def clear(self) -> None:
        """A dash: nothing measured yet."""
        fg = self._theme.foreground
        self._pretraining = False
        self._set(("—", fg, "", fg))

    def _sentences(self) -> dict[str, tuple[str, ...]]:
        """The ratio line's words where a number would mislead: (sentence, verdict) by case."""
        tr = QtCore.QCoreApplication.translate
        ref = f"L{reference_layer(max(self._n_layers, 1)) + 1}"
        return {
            "nonfinite": (tr("GradientsView", "overflow: inf/NaN"), verdict_text("diverged")),
            "dead": (tr("GradientsView", "none in L1…{layer}").format(layer=ref), tr("GradientsView", "dead")),
            "first_zero": (tr("GradientsView", "no gradient in L1"), verdict_text("vanishing")),
            "last_zero": (tr("GradientsView", "no gradient in {layer}").format(layer=ref), verdict_text("exploding")),
            # the supervised gradient is measured, not applied, while layers pre-train (shown
            # without the ‖∂L/∂z‖ prefix: as wide as the widest verdict line)
            "pretraining": ("9.9e-99", tr("GradientsView", "pre-training"), ""),
        }

    def draw(self, norms: NDArray[np.float64], *, pretraining: bool = False) -> None:
        """The first layer's norm over the reference layer's, and its verdict."""
        t = self._theme
        fg = t.foreground
        words = self._sentences()
        first, last = float(norms[0]), float(norms[reference_layer(len(norms))])
        if not (math.isfinite(first) and math.isfinite(last)):
            sentence, verdict = words["nonfinite"][:2]
            parts: tuple[str, ...] = ("", t.nonfinite, verdict, t.nonfinite, sentence)
        elif first == 0.0 or last == 0.0:
            case = "dead" if first == last else ("first_zero" if first == 0.0 else "last_zero")
            sentence, verdict = words[case][:2]
            parts = ("", fg, verdict, t.vermillion, sentence)
        else:
            ratio = first / last
            verdict = ratio_verdict(ratio)
            colour = t.green if verdict == "healthy" else t.vermillion
            parts = (format_power(ratio), fg, verdict_text(verdict), colour)
        if pretraining:
            parts = (*parts[:2], words["pretraining"][1], self._theme.muted, *parts[4:])
        self._pretraining = pretraining
        self._set(parts)

    def _html(
        self, long: bool, value: str, value_colour: str, verdict: str, verdict_colour: str, sentence: str = ""
    ) -> str:
        """One line, e.g. "‖∂L/∂z‖ L1 ÷ L11 = 9.7e-7  vanishing" (layers named as on the axes),
        or a sentence such as "no gradient reaches L1 at all  vanishing" where a number would
        read as a precise zero or a broken display."""
        fg = self._theme.foreground
        prefix = "‖∂L/∂z‖ " if long else ""
        if sentence:
            text = f'<span style="color:{value_colour or fg}">{html.escape(sentence)}</span>'
        else:
            text = (
                f'<span style="color:{fg}">{prefix}L1 ÷ L{reference_layer(self._n_layers) + 1} = </span>'
                f'<span style="color:{value_colour or fg}">{value}</span>'
            )
        if verdict:
            text += f'&nbsp;&nbsp;<span style="color:{verdict_colour or fg}">{html.escape(verdict)}</span>'
        return text

    def _set(self, parts: tuple[str, ...], *, force: bool = False) -> None:
        self._parts = parts
        text = self._html(self._long and not self._pretraining, *parts)
        if force or text != self._text:  # QLabel relayouts on every setText
            self._text = text
            self.label.setText(text)
            self.box.follow_label()
