"""The main window's widgets, built again whenever the look changes: the banner, the scene's
caption, the views and the timeline in the middle; the step, rate and loss readouts on the
transport bar; the controls dock on the left; the backward-pass walk-through.
``show_readouts`` and ``style_banner`` show a step on them."""

from __future__ import annotations

from typing import Any

from PySide6 import QtCore, QtWidgets

from app.control_panel import ControlPanel
from app.layout_fit import FitLabel, WrapFitLabel, dock_width, fit_to_screen
from app.main_views import view_title
from app.view_deck import ViewDeck
from model import Snapshot
from views import theme
from views.walkthrough_view import WalkthroughView


def _tr(text: str) -> str:
    return QtCore.QCoreApplication.translate("MainWindow", text)


def build_central(window: Any) -> None:
    """Banner, caption, views and timeline bar (``window.banner``, ``caption``, ``deck``,
    ``timeline_bar``) as the window's central widget."""
    central = QtWidgets.QWidget()
    outer = QtWidgets.QVBoxLayout(central)
    outer.setContentsMargins(6, 6, 6, 6)
    outer.setSpacing(6)

    # the banner shrinks its type to fit one line (two at the smallest), never widening
    # the window; the caption takes at most a fifth of the height (layout_fit)
    window.banner = FitLabel(theme.pt(20), min(theme.pt(20), 14), bold=True)
    window.banner.setObjectName("banner")
    window.banner.setAlignment(QtCore.Qt.AlignmentFlag.AlignCenter)
    outer.addWidget(window.banner)

    window.caption = WrapFitLabel(theme.pt(14), min(theme.pt(14), 11))
    window.caption.setObjectName("caption")
    window.caption.setStyleSheet("QLabel#caption { padding: 2px 8px; }")
    window.caption.hide()
    outer.addWidget(window.caption)

    window.deck = ViewDeck(window.views, view_title)
    outer.addWidget(window.deck, 1)
    window.timeline_bar = window.scrub.make_bar()
    outer.addWidget(window.timeline_bar)
    window.setCentralWidget(central)


def add_readouts(window: Any, bar: QtWidgets.QToolBar) -> None:
    """The step counter, training rate and loss (``window.step_label``, ``rate_label``,
    ``loss_label``) in large type after the transport's buttons."""
    big = bar.font()
    big.setPointSize(theme.pt(14))
    bar.setFont(big)
    window.step_label = QtWidgets.QLabel(_tr("step {step}").format(step=0))
    window.step_label.setObjectName("step_label")
    window.step_label.setMinimumWidth(round(120 * theme.scale()))
    window.rate_label = QtWidgets.QLabel("")
    window.rate_label.setMinimumWidth(round(130 * theme.scale()))
    window.loss_label = QtWidgets.QLabel("")
    window.loss_label.setMinimumWidth(0)
    for label in (window.step_label, window.rate_label, window.loss_label):
        label.setFont(big)
        bar.addWidget(label)


def build_dock(window: Any) -> None:
    """The controls (``window.controls``) in a scrolling dock (``window.dock``) on the left."""
    window.controls = ControlPanel(window.config)
    window.controls.changed.connect(window.configs.on_control_changed)
    panel = QtWidgets.QWidget()
    col = QtWidgets.QVBoxLayout(panel)
    col.addWidget(window.controls)
    col.addStretch(1)
    scroll = QtWidgets.QScrollArea()
    scroll.setWidget(panel)
    scroll.setWidgetResizable(True)
    window.dock = QtWidgets.QDockWidget(_tr("Experiment"), window)
    window.dock.setObjectName("controls_dock")
    window.dock.setWidget(scroll)
    window.dock.setFeatures(QtWidgets.QDockWidget.DockWidgetFeature.DockWidgetMovable)
    window.dock.setMinimumWidth(dock_width(window, panel, round(300 * theme.scale())))
    window.addDockWidget(QtCore.Qt.DockWidgetArea.LeftDockWidgetArea, window.dock)


def build_walkthrough(window: Any) -> None:
    """The backward-pass walk-through (``window.walkthrough``): its own top-level window, but
    owned by the main window (deleted with it)."""
    window.walkthrough = WalkthroughView(window)
    window.walkthrough.setWindowFlag(QtCore.Qt.WindowType.Window, True)
    window.walkthrough.setWindowTitle(_tr("Backprop Lab — backward pass, layer by layer"))
    window.walkthrough.closed.connect(window.walkthrough.hide)


def show_walkthrough(window: Any, walk: Any) -> None:
    """The walk-through of ``walk`` over the main window, as large as it."""
    view = window.walkthrough
    view.set_walk(walk)
    # as large as the main window, never larger than the screen (the boxes need the height)
    fit_to_screen(view, window.size())
    view.show()
    view.raise_()
    view.activateWindow()
    view.setFocus()


def show_readouts(window: Any, snap: Snapshot, rate: float | None) -> None:
    """Step, rate (None: keep the last) and loss of ``snap`` on the transport bar."""
    window.step_label.setText(_tr("step {step}").format(step=f"{snap.step:,}"))
    if rate is not None:
        window.rate_label.setText(_tr("{rate} steps/s").format(rate=f"{rate:,.0f}"))
    acc = _tr("   test acc {acc}").format(acc=f"{snap.test_accuracy:.0%}") if snap.test_accuracy is not None else ""
    window.loss_label.setText(_tr("loss {loss}").format(loss=f"{snap.loss:.4g}") + acc)


def pretraining_text(snap: Snapshot) -> str | None:
    """What the banner says during greedy pre-training (None after it)."""
    if snap.phase != "pretrain" or snap.pretrain_layer is None:
        return None
    text = _tr("PRE-TRAINING layer {k} of {n} as an autoencoder (greedy, layer-wise) — supervised training follows")
    return text.format(k=snap.pretrain_layer + 1, n=snap.n_layers - 1)


def style_banner(banner: FitLabel, text: str, kind: str, *, lines: int = 2) -> None:
    """Show ``text`` in the banner coloured for ``kind`` (in up to ``lines`` lines)."""
    banner.max_lines = lines
    banner.set_full_text(text)
    if banner.property("kind") != kind:
        # restyling is expensive (a full polish): only when the verdict changes
        bg, fg = theme.current().banner(kind if kind in theme.BANNER_KINDS else "info")
        banner.setStyleSheet(f"QLabel#banner {{ background: {bg}; color: {fg}; border-radius: 6px; }}")
        banner.setProperty("kind", kind)
