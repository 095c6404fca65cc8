"""The window's single point of contact with training: a QObject living in a QThread.

The worker owns the child process that runs the Trainer (see ``engine_process``), forwards
commands to it, and keeps what arrives for the GUI to *pull* on its display timer: the newest
snapshot, every snapshot since the last pull (for the history) and the newest weights.
Nothing here touches a widget.

The engine's lifecycle lives here too.  An engine that dies (killed, crashed, failed to start)
is reported once as the message ``("died", reason)``; one that stays silent for HANG_SECONDS
while it should be working as ``("hung", seconds)`` (and ``("responding", "")`` if it comes
back).  ``TrainingController.restart()`` replaces a dead or hung engine with a fresh thread and
process; the windows call it (through ``reset``) when the user presses Play, Step or Reset.
Stopping never waits more than the caller's budget: an engine that does not quit in time is
killed (SIGKILL also ends a stopped process).  Every started controller is counted, so the
windows can refuse to start more engines than the machine can run (``ensure_room``).
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import multiprocessing as mp
import os
import queue
import signal
import threading
import time
import weakref
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from multiprocessing.connection import wait as wait_for
from typing import Any

from PySide6 import QtCore

from app import engine_process
from model import Snapshot

#: while playing (or waiting for an answer) this long without a word from the engine, the
#: engine is reported as not responding (it says "alive" twice a second)
HANG_SECONDS = 5.0
#: the same, before its first word: a spawned engine imports NumPy first, slow on a busy machine
START_SECONDS = 20.0
#: the most engine processes alive at once: one per core and one more, but never fewer than
#: the main window's run and a four-run comparison
ENGINE_LIMIT = max((os.cpu_count() or 1) + 1, 5)

#: how often the worker thread hands memory the allocator holds free back to the system
TRIM_SECONDS = 20.0

Engine = Callable[[Any], None]


def _find_malloc_trim() -> Callable[[int], int] | None:
    """glibc's ``malloc_trim``, or None on other C libraries."""
    name = ctypes.util.find_library("c")
    if name is None:
        return None
    try:
        fn = ctypes.CDLL(name).malloc_trim
    except (OSError, AttributeError):
        return None
    fn.argtypes = [ctypes.c_size_t]
    fn.restype = ctypes.c_int
    trim: Callable[[int], int] = fn
    return trim


_malloc_trim = _find_malloc_trim()


def release_free_memory() -> bool:
    """Give memory that the C allocator holds free back to the system; True if it could.

    Snapshots arrive unpickled in the worker thread (in that thread's glibc arena) and the
    timeline frees most of them again, scattered, when it decimates.  glibc keeps such free
    blocks for reuse and shrinks an arena only from its top, so without this the process's
    RSS stays at the timeline's high-water mark and creeps up with fragmentation over a long
    run.  ``malloc_trim(0)`` returns every free page of every arena (a few ms)."""
    if _malloc_trim is None:
        return False
    _malloc_trim(0)
    return True


class EngineLimitError(ValueError):
    """Starting more engines would pass ENGINE_LIMIT (the message is for the user)."""


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

    def __init__(self, engine: Engine | None = None) -> None:
        super().__init__()
        self._commands: queue.Queue[tuple[Any, ...]] = queue.Queue()
        self._lock = threading.Lock()
        self._updates = Updates()
        self._stop = threading.Event()
        self._engine = engine or engine_process.serve
        self.steps_received = 0
        #: the engine process, once started (the controller kills it when it will not quit)
        self.proc: Any = None
        #: time.monotonic() of the engine's last message (written here, read by the GUI)
        self.last_message = time.monotonic()
        #: the engine has sent at least one message
        self.heard = False
        #: the engine died on its own (killed, crashed, could not start), not asked to stop
        self.dead = False
        #: write end of the pipe that wakes the worker thread for a command (None when closed)
        self._wake_fd: int | None = None
        self._wake_lock = threading.Lock()
        #: how long the newest release_free_memory() took (ms; for benchmarks)
        self.trim_ms = 0.0

    # -- called from the GUI thread (thread-safe) ----------------------------------------
    def send(self, *command: Any) -> None:
        self._commands.put(command)
        self._wake()

    def take(self) -> Updates:
        with self._lock:
            out = self._updates
            self._updates = Updates()
        return out

    def stop(self) -> None:
        self._stop.set()
        self._wake()

    def _wake(self) -> None:
        # the worker sleeps until the engine or this pipe has something (no polling: a
        # thread waking every few ms takes the GIL from the GUI thread as often)
        with self._wake_lock:
            if self._wake_fd is not None:
                with contextlib.suppress(OSError):
                    os.write(self._wake_fd, b"!")

    def kill(self) -> None:
        """End the engine process now (SIGKILL: also a stopped or hung one)."""
        proc = self.proc
        if proc is not None:
            with contextlib.suppress(OSError, ValueError, AttributeError):
                proc.kill()

    # -- runs in the worker thread -------------------------------------------------------
    @QtCore.Slot()
    def work(self) -> None:
        # The GUI process needs the other core: one BLAS thread in the engine process avoids
        # oversubscription (OpenBLAS threads spin on a busy machine).  Inherited at spawn.
        os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
        os.environ.setdefault("OMP_NUM_THREADS", "1")
        ctx = mp.get_context("spawn")
        parent, child = ctx.Pipe(duplex=True)
        proc = ctx.Process(target=self._engine, args=(child,), daemon=True, name="backprop-lab-engine")
        try:
            proc.start()
        except Exception as exc:  # no process at all (out of memory, no fork): say why
            child.close()
            parent.close()
            self._died(f"{type(exc).__name__}: {exc}")
            self.finished.emit()
            return
        self.proc = proc
        child.close()
        wake_r, wake_w = os.pipe()
        os.set_blocking(wake_w, False)
        with self._wake_lock:
            self._wake_fd = wake_w
        crash: str | None = None
        next_trim = time.monotonic() + TRIM_SECONDS
        try:
            while not self._stop.is_set():
                if time.monotonic() >= next_trim:
                    t0 = time.perf_counter()
                    release_free_memory()
                    self.trim_ms = 1000 * (time.perf_counter() - t0)
                    next_trim = time.monotonic() + TRIM_SECONDS
                try:
                    self._forward_commands(parent)
                except OSError:
                    pass  # a broken pipe: the engine is gone, and the read below says so
                ready = wait_for([parent, proc.sentinel, wake_r], timeout=0.25)
                if wake_r in ready:
                    os.read(wake_r, 4096)
                    ready.remove(wake_r)
                if not ready:
                    continue
                if parent not in ready:  # the process ended and left nothing to read
                    self._died(crash or exit_reason(proc))
                    break
                try:
                    msg = parent.recv()
                except (EOFError, OSError):
                    self._died(crash or exit_reason(proc))
                    break
                self.last_message = time.monotonic()
                self.heard = True
                if msg[0] == "crashed":
                    crash = str(msg[1])
                elif msg[0] != "alive":
                    self._store(msg)
        finally:
            with contextlib.suppress(OSError):
                parent.send(("quit",))
            if not self.heard:
                proc.kill()  # still starting (importing NumPy): it would not read "quit" soon
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
                proc.kill()  # a stopped or busy engine: SIGTERM would wait for it
                proc.join(timeout=0.5)
            parent.close()
            with self._wake_lock:
                self._wake_fd = None
            os.close(wake_r)
            os.close(wake_w)
            self.finished.emit()

    def _died(self, reason: str) -> None:
        self.dead = True
        with self._lock:
            self._updates.messages.append(("died", reason))

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


def exit_reason(proc: Any) -> str:
    """How an engine process ended, for the message that reports its death."""
    proc.join(timeout=0.5)
    code = proc.exitcode
    if code is None:
        return "no answer"
    if code < 0:
        try:
            return f"killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"killed by signal {-code}"
    return f"exit status {code}"


#: every controller whose engine may be running (counted against ENGINE_LIMIT)
_controllers: weakref.WeakSet[TrainingController] = weakref.WeakSet()


def live_engines() -> int:
    """How many engine processes are running (or starting) for a window."""
    return sum(1 for c in list(_controllers) if c.engine_running)


def ensure_room(count: int) -> None:
    """Raise EngineLimitError (a message for the user) when ``count`` more engines would pass
    ENGINE_LIMIT; the caller starts none of them then."""
    running = live_engines()
    if running + count > ENGINE_LIMIT:
        text = QtCore.QCoreApplication.translate(
            "Engines",
            "Too many runs at once: {running} are running and this needs {count} more, but this "
            "machine runs at most {limit} ({cores} cores). Close a compare window first.",
        )
        raise EngineLimitError(text.format(running=running, count=count, limit=ENGINE_LIMIT, cores=os.cpu_count() or 1))


class TrainingController(QtCore.QObject):
    """GUI-side handle: starts the worker thread, sends commands, pulls updates.

    ``engine`` is the child process's entry point (tests pass a faulty one)."""

    def __init__(self, parent: QtCore.QObject | None = None, *, engine: Engine | None = None) -> None:
        super().__init__(parent)
        self._engine = engine
        self.playing = False
        #: the newest config sent with reset (what a restarted engine is rebuilt from)
        self.config: dict[str, Any] | None = None
        self._speed: tuple[float | None] | None = None
        self._share = 1.0
        #: time.monotonic() of the newest command that asks the engine to work
        self._asked = 0.0
        self.hung = False
        #: stopped for good (its window closed): no command starts an engine again
        self.closed = False
        self._start()
        _controllers.add(self)

    def _start(self) -> None:
        self.worker_thread = QtCore.QThread()
        self.worker_thread.setObjectName("backprop-lab-worker")
        self.worker = TrainingWorker(self._engine)
        self.worker.moveToThread(self.worker_thread)
        self.worker_thread.started.connect(self.worker.work)
        # Direct: the GUI thread may be blocked in wait() and could not run a queued quit().
        self.worker.finished.connect(self.worker_thread.quit, QtCore.Qt.ConnectionType.DirectConnection)
        self.hung = False
        self._hung_at = 0.0
        self._asked = time.monotonic()
        self.worker_thread.start()

    # -- state ---------------------------------------------------------------------------
    @property
    def engine_running(self) -> bool:
        """The engine process is running or starting (not dead, not stopped)."""
        return self.worker_thread.isRunning() and not self.worker.dead

    @property
    def needs_restart(self) -> bool:
        """The engine died or does not respond: only a fresh one will train (never after the
        controller was stopped for good)."""
        return not self.closed and (self.worker.dead or self.hung or not self.worker_thread.isRunning())

    def restart(self) -> None:
        """Replace the engine (dead, hung or not) with a fresh thread and process.  The new
        engine has no network: send ``reset`` next (``play`` and ``step`` do it themselves)."""
        stop_controllers([self], 1000)
        self.closed = False
        self._start()
        _controllers.add(self)
        if self._speed is not None:
            self.worker.send("speed", self._speed[0])
        if self._share != 1.0:
            self.worker.send("share", self._share)

    def _revive(self) -> None:
        if self.needs_restart and self.config is not None:
            self.restart()
            self.worker.send("reset", self.config)

    # -- commands ------------------------------------------------------------------------
    def reset(self, config_dict: dict[str, Any]) -> None:
        self.config = config_dict
        if self.needs_restart:
            self.restart()
        self._asked = time.monotonic()
        self.worker.send("reset", config_dict)

    def play(self) -> None:
        self._revive()
        self.playing = True
        self._asked = time.monotonic()
        self.worker.send("play")

    def pause(self) -> None:
        self.playing = False
        self.worker.send("pause")

    def step(self, n: int = 1) -> None:
        self._revive()
        self.playing = False
        self._asked = time.monotonic()
        self.worker.send("step", n)

    def walk(self) -> None:
        """Pause and ask for the backward walk of the next batch (arrives in ``Updates.walk``)."""
        self.playing = False
        self._asked = time.monotonic()
        self.worker.send("walk")

    def apply_live(self, changes: dict[str, Any]) -> None:
        if self.config is not None:
            self.config = {**self.config, **changes}
        self.worker.send("live", changes)

    def set_speed(self, steps_per_second: float | None) -> None:
        self._speed = (steps_per_second,)
        self.worker.send("speed", steps_per_second)

    def set_share(self, share: float) -> None:
        """``share`` runs train on this machine at once: detail steps come that many times less often."""
        self._share = share
        self.worker.send("share", share)

    def take(self) -> Updates:
        updates = self.worker.take()
        for kind, _ in updates.messages:
            if kind == "paused":
                self.playing = False
        self._watch(updates)
        return updates

    def _watch(self, updates: Updates) -> None:
        """Report an engine that stays silent while it should work (and its return)."""
        worker = self.worker
        if worker.dead or not self.worker_thread.isRunning():
            return
        heard = worker.last_message
        if self.hung:
            if heard > self._hung_at:
                self.hung = False
                updates.messages.append(("responding", ""))
            return
        waiting = self.playing or self._asked > heard
        limit = HANG_SECONDS if worker.heard else START_SECONDS
        silent = time.monotonic() - max(heard, self._asked)
        if waiting and silent > limit:
            self.hung = True
            self._hung_at = time.monotonic()
            updates.messages.append(("hung", f"{silent:.0f}"))

    def shutdown(self, timeout_ms: int = 1000) -> bool:
        """Stop the worker and its process; True when the thread ended within the timeout.

        An engine that does not quit within half the budget is killed, so a hung or stopped
        engine delays closing by at most the budget."""
        return stop_controllers([self], timeout_ms)


def stop_controllers(controllers: Iterable[TrainingController], timeout_ms: int = 1000) -> bool:
    """Stop every controller's worker and engine at once; True when every thread ended within
    ``timeout_ms``.  Engines still running at half the budget are killed."""
    controllers = list(controllers)
    for c in controllers:
        _controllers.discard(c)
        c.closed = True
        c.worker.stop()
    start = time.perf_counter()

    def left(share: float) -> int:
        return max(1, int(timeout_ms * share - 1000 * (time.perf_counter() - start)))

    def wait_all(share: float) -> bool:
        ended = True
        for c in controllers:  # every one is waited for, also after one overran
            ended = bool(c.worker_thread.wait(left(share))) and ended
        return ended

    ok = wait_all(0.5)
    if not ok:
        for c in controllers:
            if c.worker_thread.isRunning():
                c.worker.kill()
        ok = wait_all(1.0)
    if not ok:
        # Never seen: the engine was killed, so its pipe has ended.  A thread must still not
        # outlive its window (destroying a running QThread aborts the process).
        for c in controllers:
            c.worker_thread.quit()
            c.worker_thread.wait(3000)
    return ok
