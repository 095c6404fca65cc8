"""The window's single point of contact with training: a QObject living in a QThread.

The worker owns the child process that runs the Trainer (see ``engine_process``), forwards
commands to it, and keeps what arrives for the GUI to *pull* on its display timer: the newest
snapshot, every snapshot since the last pull (for the history) and the newest weights.
Nothing here touches a widget.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import queue
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from PySide6 import QtCore

from app import engine_process
from model import Snapshot


@dataclass
class Updates:
    """What the GUI takes from the worker in one pull."""

    snapshots: list[Snapshot] = field(default_factory=list)
    weights: list[Any] | None = None
    ready: dict[str, Any] | None = None
    messages: list[tuple[str, str]] = field(default_factory=list)
    walk: Any = None  # the newest model.walkthrough.BackwardWalk, answer to controller.walk()


class TrainingWorker(QtCore.QObject):
    """Runs in its own QThread: relays commands to the engine process and buffers results."""

    finished = QtCore.Signal()

    def __init__(self) -> None:
        super().__init__()
        self._commands: queue.Queue[tuple[Any, ...]] = queue.Queue()
        self._lock = threading.Lock()
        self._updates = Updates()
        self._stop = threading.Event()
        self.steps_received = 0

    # -- called from the GUI thread (thread-safe) ----------------------------------------
    def send(self, *command: Any) -> None:
        self._commands.put(command)

    def take(self) -> Updates:
        with self._lock:
            out = self._updates
            self._updates = Updates()
        return out

    def stop(self) -> None:
        self._stop.set()

    # -- runs in the worker thread -------------------------------------------------------
    @QtCore.Slot()
    def work(self) -> None:
        # The GUI process needs the other core: one BLAS thread in the engine process avoids
        # oversubscription (OpenBLAS threads spin on a busy machine).  Inherited at spawn.
        os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
        os.environ.setdefault("OMP_NUM_THREADS", "1")
        ctx = mp.get_context("spawn")
        parent, child = ctx.Pipe(duplex=True)
        proc = ctx.Process(target=engine_process.serve, args=(child,), daemon=True, name="backprop-lab-engine")
        proc.start()
        child.close()
        try:
            while not self._stop.is_set():
                self._forward_commands(parent)
                if parent.poll(0.005):
                    try:
                        msg = parent.recv()
                    except (EOFError, OSError):
                        with self._lock:
                            self._updates.messages.append(("error", "the training process stopped"))
                        break
                    self._store(msg)
        finally:
            try:
                parent.send(("quit",))
            except (BrokenPipeError, OSError):
                pass
            # Keep reading until the child has quit: it may be blocked sending to us.
            deadline = time.perf_counter() + 0.3
            while proc.is_alive() and time.perf_counter() < deadline:
                try:
                    while parent.poll(0.01):
                        parent.recv()
                except (EOFError, OSError):
                    break
            proc.join(timeout=0.05)
            if proc.is_alive():
                proc.terminate()
                proc.join(timeout=0.2)
            parent.close()
            self.finished.emit()

    def _forward_commands(self, conn: Any) -> None:
        while True:
            try:
                cmd = self._commands.get_nowait()
            except queue.Empty:
                return
            conn.send(cmd)

    def _store(self, msg: tuple[Any, ...]) -> None:
        kind = msg[0]
        with self._lock:
            if kind == "snapshots":
                self._updates.snapshots.extend(msg[1])
                self.steps_received += len(msg[1])
                if msg[2] is not None:
                    self._updates.weights = msg[2]
            elif kind == "ready":
                # a reset: anything older belongs to the previous network
                self._updates = Updates(ready=msg[1], messages=self._updates.messages)
            elif kind == "walk":
                self._updates.walk = msg[1]
            else:
                self._updates.messages.append((kind, str(msg[1])))


class TrainingController(QtCore.QObject):
    """GUI-side handle: starts the worker thread, sends commands, pulls updates."""

    def __init__(self, parent: QtCore.QObject | None = None) -> None:
        super().__init__(parent)
        self.thread = QtCore.QThread()
        self.thread.setObjectName("backprop-lab-worker")
        self.worker = TrainingWorker()
        self.worker.moveToThread(self.thread)
        self.thread.started.connect(self.worker.work)
        # Direct: the GUI thread may be blocked in wait() and could not run a queued quit().
        self.worker.finished.connect(self.thread.quit, QtCore.Qt.ConnectionType.DirectConnection)
        self.playing = False
        self.thread.start()

    def reset(self, config_dict: dict[str, Any]) -> None:
        self.worker.send("reset", config_dict)

    def play(self) -> None:
        self.playing = True
        self.worker.send("play")

    def pause(self) -> None:
        self.playing = False
        self.worker.send("pause")

    def step(self, n: int = 1) -> None:
        self.playing = False
        self.worker.send("step", n)

    def walk(self) -> None:
        """Pause and ask for the backward walk of the next batch (arrives in ``Updates.walk``)."""
        self.playing = False
        self.worker.send("walk")

    def apply_live(self, changes: dict[str, Any]) -> None:
        self.worker.send("live", changes)

    def set_speed(self, steps_per_second: float | None) -> None:
        self.worker.send("speed", steps_per_second)

    def take(self) -> Updates:
        return self.worker.take()

    def shutdown(self, timeout_ms: int = 1000) -> bool:
        """Stop the worker and its process; True when the thread ended within the timeout.

        A thread that overruns the timeout (a very busy machine) is still waited for, a
        little longer, so that no thread outlives its window."""
        if not self.thread.isRunning():
            return True
        self.worker.stop()
        ok = bool(self.thread.wait(max(1, timeout_ms)))
        if not ok:
            self.thread.quit()
            self.thread.wait(3000)
        return ok
