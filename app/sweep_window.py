"""The sweep window (Lecture → Phase diagram…, and scenes of type ``sweep``): a sweep's measure
as a heat map over its grid, filling in as points finish, with the mean-field theory's lines.

The sweep runs in worker processes (model.sweep.local_executor, started with ``spawn``); a
QThread only waits on their futures and relays each finished row to the GUI thread through a
signal to a ``@Slot`` of this window.  Clicking a point opens its config in the main window.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6 import QtCore, QtGui, QtWidgets
from PySide6.QtCore import Slot

from app.save_dialogs import SaveDialogs
from model.config import ExperimentConfig
from model.scenes import Scene
from model.sweep import (
    MEASURES,
    Progress,
    SweepSpec,
    local_executor,
    rows_to_csv,
    run_sweep,
    stop_executor,
    sweep_record,
)
from views import theme
from views.phase_view import PhaseView, measure_title

translate = QtCore.QCoreApplication.translate

#: a phase diagram of the current config: σ_w (as the initialiser's gain) × σ_b, at initialisation
DEFAULT_VARY = ("init_scale=0.25:2.5:19", "bias_std=0:0.5:11")
CAPTION_PT = 15


def default_spec(config: ExperimentConfig) -> SweepSpec:
    """The phase diagram the Lecture menu opens for ``config``: gain × bias std at init."""
    from model.sweep import plan

    return plan(config.replace(bias_std=0.0), [], list(DEFAULT_VARY), seeds=1, steps=0)


class _Runner(QtCore.QObject):
    """Runs a sweep in a QThread; the work itself is in the executor's processes."""

    row_ready = QtCore.Signal(object, object)  # (grid index, row)
    progress = QtCore.Signal(int, int)
    finished = QtCore.Signal(str)  # "" when complete, else why it stopped

    def __init__(self, spec: SweepSpec, workers: int | None, skip: list[tuple[Any, ...]]) -> None:
        super().__init__()
        self.spec = spec
        self.workers = workers
        self.skip = skip
        self.stop_flag = threading.Event()
        self.executor: Any = None

    @Slot()
    def work(self) -> None:
        index_of = {p.key: p.index for p in self.spec.points()}
        message = ""
        try:
            self.executor = local_executor(self.workers)
            run_sweep(
                self.spec,
                self.executor,
                lambda row: self.row_ready.emit(index_of[tuple(row[f] for f in self.spec.fields)], row),
                skip=self.skip,
                should_stop=self.stop_flag.is_set,
                on_progress=lambda d, t: self.progress.emit(d, t),
            )
        except Exception as exc:  # a worker that crashed: say so in the window
            message = str(exc) or type(exc).__name__
        finally:
            if self.executor is not None:
                if self.stop_flag.is_set():
                    stop_executor(self.executor)
                else:
                    self.executor.shutdown(wait=True)
        if self.stop_flag.is_set() and not message:
            message = "stopped"
        self.finished.emit(message)


class SweepWindow(SaveDialogs, QtWidgets.QMainWindow):
    """A phase diagram: heat map, theory lines, hover numbers, click to open a point."""

    def __init__(
        self,
        spec: SweepSpec,
        *,
        measure: str = "grad_ratio_init",
        scene: Scene | None = None,
        open_config: Callable[[ExperimentConfig], None] | None = None,
        workers: int | None = None,
        parent: QtWidgets.QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.spec = spec
        self.scene = scene
        self.open_config = open_config
        self.workers = workers
        self.rows: dict[tuple[int, ...], dict[str, Any]] = {}
        self._thread: QtCore.QThread | None = None
        self._runner: _Runner | None = None
        self._progress = Progress()
        self.setObjectName("sweep_window")
        title = scene_title(scene) if scene is not None else translate("SweepWindow", "Phase diagram")
        self.setWindowTitle(translate("SweepWindow", "{title} — Backprop Lab").format(title=title))

        t = theme.current()
        central = QtWidgets.QWidget()
        col = QtWidgets.QVBoxLayout(central)
        self.caption = QtWidgets.QLabel(scene_caption(scene) if scene is not None else self._auto_caption())
        self.caption.setWordWrap(True)
        self.caption.setFont(theme.font(CAPTION_PT))
        col.addWidget(self.caption)
        bar = QtWidgets.QHBoxLayout()
        bar.addWidget(QtWidgets.QLabel(translate("SweepWindow", "Show")))
        self.measure_box = QtWidgets.QComboBox()
        self.measure_box.setObjectName("measure")
        for name in MEASURES:
            self.measure_box.addItem(measure_title(name), name)
        bar.addWidget(self.measure_box, 1)
        self.run_button = QtWidgets.QPushButton()
        self.run_button.setObjectName("run")
        self.run_button.clicked.connect(self._on_run_clicked)
        bar.addWidget(self.run_button)
        self.progress_label = QtWidgets.QLabel()
        self.progress_label.setObjectName("progress")
        bar.addWidget(self.progress_label)
        col.addLayout(bar)
        self.view = PhaseView()
        self.view.setMinimumHeight(300)
        col.addWidget(self.view, 1)
        self.hover_label = QtWidgets.QLabel(
            translate(
                "SweepWindow", "Point at a cell for its numbers; click it to open that config in the main window."
            )
        )
        self.hover_label.setObjectName("hover")
        self.hover_label.setWordWrap(True)
        self.hover_label.setMinimumHeight(QtGui.QFontMetrics(self.hover_label.font()).height() * 2 + 4)
        col.addWidget(self.hover_label)
        self.setCentralWidget(central)
        self.view.set_sweep(spec, measure)
        self.measure_box.setCurrentIndex(MEASURES.index(measure))
        self.measure_box.currentIndexChanged.connect(self._on_measure_changed)
        self.view.hovered.connect(self._on_hovered)
        self.view.clicked.connect(self._on_clicked)
        self._build_menus()
        self._set_running(False)
        self._update_progress(0, len(spec.points()))
        del t

    # -- text -------------------------------------------------------------------------------
    def _auto_caption(self) -> str:
        base = self.spec.base
        return translate(
            "SweepWindow",
            "{activation}, {depth} hidden layers × {width}, {init}: each cell is one config of the grid "
            "({seeds} seed(s), {steps} training steps). Blue: the gradient vanishes towards the first "
            "layer; red: it explodes.",
        ).format(
            activation=base.activation,
            depth=base.depth,
            width=base.width,
            init=base.init,
            seeds=self.spec.seeds,
            steps=self.spec.steps,
        )

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu(translate("SweepWindow", "&File"))
        for label, scale in (
            (translate("SweepWindow", "Export PNG (1×)…"), 1.0),
            (translate("SweepWindow", "Export PNG (2×)…"), 2.0),
        ):
            action = file_menu.addAction(label)
            action.triggered.connect(lambda _=False, s=scale: self.export_png_dialog(s))
        file_menu.addAction(translate("SweepWindow", "Export SVG…")).triggered.connect(self.export_svg_dialog)
        file_menu.addAction(translate("SweepWindow", "Export CSV…")).triggered.connect(self.export_csv_dialog)
        file_menu.addSeparator()
        close = file_menu.addAction(translate("SweepWindow", "Close"))
        close.setShortcut(QtGui.QKeySequence("Ctrl+W"))
        close.triggered.connect(self.close)

    def _notify(self, text: str, kind: str) -> None:
        self.statusBar().showMessage(text, 8000)

    # -- running ----------------------------------------------------------------------------
    @property
    def running(self) -> bool:
        return self._thread is not None

    def start(self) -> None:
        """Run the points not measured yet (in worker processes)."""
        if self.running:
            return
        done = {tuple(row[f] for f in self.spec.fields) for row in self.rows.values()}
        if len(done) == len(self.spec.points()):
            return
        self._progress = Progress()
        runner = _Runner(self.spec, self.workers, sorted(done, key=str))
        thread = QtCore.QThread(self)
        runner.moveToThread(thread)
        thread.started.connect(runner.work)
        runner.row_ready.connect(self._on_row)
        runner.progress.connect(self._on_progress)
        runner.finished.connect(self._on_finished)
        self._runner, self._thread = runner, thread
        self._set_running(True)
        thread.start()

    def stop(self, wait: bool = True) -> None:
        """Stop the sweep (finished points stay); with ``wait``, until its thread has ended."""
        if self._runner is not None:
            self._runner.stop_flag.set()
        if wait and self._thread is not None:
            self._thread.quit()
            self._thread.wait()
            QtCore.QCoreApplication.sendPostedEvents(self)
            self._release()

    def _release(self) -> None:
        if self._thread is not None:
            self._thread.quit()
            self._thread.wait()
        self._thread = None
        self._runner = None
        self._set_running(False)

    def _set_running(self, running: bool) -> None:
        complete = len(self.rows) == len(self.spec.points())
        if running:
            self.run_button.setText(translate("SweepWindow", "Stop"))
        else:
            self.run_button.setText(
                translate("SweepWindow", "Run sweep") if not self.rows else translate("SweepWindow", "Continue")
            )
        self.run_button.setEnabled(running or not complete)

    @Slot()
    def _on_run_clicked(self) -> None:
        if self.running:
            self.stop(wait=False)
        else:
            self.start()

    @Slot(object, object)
    def _on_row(self, index: Any, row: Any) -> None:
        self.rows[tuple(index)] = row
        self.view.set_row(tuple(index), row)
        if not self.running:
            self._set_running(False)

    @Slot(int, int)
    def _on_progress(self, done: int, total: int) -> None:
        before = len(self.rows) - done
        self._update_progress(before + done, before + total, eta=self._progress.line(done, total))

    def _update_progress(self, done: int, total: int, eta: str = "") -> None:
        text = translate("SweepWindow", "{done} / {total} points").format(done=done, total=total)
        if eta and done < total and "ETA" in eta:
            text += " · ETA " + eta.rsplit("ETA ", 1)[1]
        self.progress_label.setText(text)

    @Slot(str)
    def _on_finished(self, message: str) -> None:
        self._release()
        total = len(self.spec.points())
        self._update_progress(len(self.rows), total)
        if message and message != "stopped":
            self._notify(translate("SweepWindow", "The sweep stopped: {reason}").format(reason=message), "error")

    # -- interaction ------------------------------------------------------------------------
    @Slot(int)
    def _on_measure_changed(self, i: int) -> None:
        self.view.set_measure(MEASURES[i])

    @Slot(str)
    def _on_hovered(self, text: str) -> None:
        if text:
            self.hover_label.setText(text)

    @Slot(object)
    def _on_clicked(self, index: Any) -> None:
        config = self.view.point_config(index)
        if self.open_config is None:
            self._notify(translate("SweepWindow", "No main window to open the config in."), "info")
            return
        self.open_config(config)

    # -- exports ----------------------------------------------------------------------------
    def export_record(self) -> dict[str, Any]:
        return sweep_record(self.spec, self.view.measure)

    def _grid_rows(self) -> list[dict[str, Any]]:
        return [self.rows[p.index] for p in self.spec.points() if p.index in self.rows]

    def export_png(self, path: str | Path, *, scale: float = 1.0, force: bool = False) -> Path:
        from app.export import render_png

        central = self.centralWidget()
        assert central is not None
        return render_png(central, path, scale=scale, force=force, config=self.export_record())

    def export_svg(self, path: str | Path, *, force: bool = False) -> Path:
        from app.export import render_svg

        central = self.centralWidget()
        assert central is not None
        return render_svg(central, path, force=force, config=self.export_record())

    def export_csv(self, path: str | Path, *, force: bool = False) -> Path:
        """The measured points in grid order (as ``backprop-lab sweep --out`` writes them) and
        the sweep in a sidecar ``OUT.csv.json``."""
        import json

        from app.safe_write import atomic_write_files

        target = Path(path)
        sidecar = target.with_name(target.name + ".json")
        text = rows_to_csv(self.spec, self._grid_rows())
        record = json.dumps(self.export_record(), indent=2) + "\n"
        atomic_write_files([(target, text.encode("utf-8")), (sidecar, record.encode("utf-8"))], force=force)
        return target

    def export_png_dialog(self, scale: float = 1.0) -> Path | None:
        return self._save_via_dialog(
            translate("SweepWindow", "Export the phase diagram as PNG"),
            translate("SweepWindow", "PNG images (*.png)"),
            "phase-diagram.png",
            lambda p, force: self.export_png(p, scale=scale, force=force),
            translate("SweepWindow", "Saved {path}"),
            sidecar=True,
        )

    def export_svg_dialog(self) -> Path | None:
        return self._save_via_dialog(
            translate("SweepWindow", "Export the phase diagram as SVG"),
            translate("SweepWindow", "SVG images (*.svg)"),
            "phase-diagram.svg",
            lambda p, force: self.export_svg(p, force=force),
            translate("SweepWindow", "Saved {path}"),
        )

    def export_csv_dialog(self) -> Path | None:
        return self._save_via_dialog(
            translate("SweepWindow", "Export the sweep's points as CSV"),
            translate("SweepWindow", "CSV files (*.csv)"),
            "sweep.csv",
            lambda p, force: self.export_csv(p, force=force),
            translate("SweepWindow", "Saved {path}"),
            sidecar=True,
        )

    # -- closing ----------------------------------------------------------------------------
    def closeEvent(self, event: QtGui.QCloseEvent) -> None:
        self.stop(wait=True)
        super().closeEvent(event)


def scene_title(scene: Scene) -> str:
    """The scene's title in the UI language (as the main window shows it)."""
    from app import i18n

    return scene.title_zh if i18n.current() == "zh_CN" and scene.title_zh else scene.title


def scene_caption(scene: Scene) -> str:
    from app import i18n

    return scene.caption_zh if i18n.current() == "zh_CN" and scene.caption_zh else scene.caption


def open_sweep_scene(
    scene: Scene, open_config: Callable[[ExperimentConfig], None] | None = None, *, start: bool = True
) -> SweepWindow:
    """A sweep window for a scene of type ``sweep`` (started unless ``start`` is False)."""
    if scene.sweep is None:
        raise ValueError(f"scene {scene.name} is not a sweep")
    window = SweepWindow(
        scene.sweep, measure=scene.sweep_measure or "grad_ratio_init", scene=scene, open_config=open_config
    )
    if start:
        window.start()
    return window
