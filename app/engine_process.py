"""The training loop that runs in a child process (no Qt here: it is spawned fresh).

Training in its own process gives the trainer a core of its own: the GUI process's painting
never waits on the trainer's GIL and vice versa.  The protocol is a duplex Pipe of tuples.

Commands (parent → child): ``("reset", config_dict)``, ``("play",)``, ``("pause",)``,
``("step", n)``, ``("live", changes)``, ``("speed", steps_per_second_or_None)``,
``("walk",)`` (pause, then walk the backward pass of the next batch), ``("share", k)``
(detail and output steps k times less often: k runs share the cores), ``("quit",)``.

Messages (child → parent): ``("ready", info)`` after every reset, ``("snapshots", list,
weights_or_None)`` in batches about 60 times a second, ``("paused", reason)``,
``("walk", BackwardWalk)`` in answer to ``("walk",)``, ``("error", text)``,
``("alive",)`` at least every HEARTBEAT_INTERVAL while the loop runs (the parent tells a hung
engine from a quiet one by it) and ``("crashed", "Type: text")`` just before the process ends
on an unexpected exception (the parent then reports the engine's death with that reason).

Messages leave through a :class:`QueuedSender`: a thread of the child writes them to the pipe,
so training never waits on a parent that reads late (its GUI thread painting a frame).  While
the sender is behind, new snapshots wait in one growing batch instead of many small ones; only
when that batch is MAX_PENDING snapshots long does training itself wait.
"""

from __future__ import annotations

import collections
import contextlib
import os
import threading
import time
from multiprocessing.connection import Connection
from typing import Any

from model import ConfigError, ExperimentConfig, Snapshot, Trainer
from model.walkthrough import backward_walk

SEND_INTERVAL = 1 / 60
#: heavy statistics (histograms) at most this often: the views that draw them redraw at most
#: this often too (see views/), so more would be computed and sent for nothing
DETAIL_INTERVAL = 1 / 15
OUTPUT_INTERVAL = 1 / 5
#: weight matrices (megabytes on wide nets) travel at most this often; the network view
#: redraws its edges no faster
WEIGHTS_INTERVAL = 1 / 5
CHUNK_SECONDS = 0.008
#: the engine says it is alive at least this often (s), playing or not
HEARTBEAT_INTERVAL = 0.5
#: messages the sender may be behind before snapshot batches are held back (merged)
MAX_BACKLOG = 2
#: snapshots held back before training waits for the parent to read
MAX_PENDING = 4096


class QueuedSender:
    """Sends messages on ``conn`` from a thread of its own, in order.

    ``send`` returns at once; ``backlog`` counts the messages not yet written.  Once the pipe
    breaks (the parent is gone), messages are dropped and ``broken`` is set.
    """

    def __init__(self, conn: Connection, sender: QueuedSender | None = None) -> None:
        self.conn = conn
        #: where messages go: a sender thread in the child, the pipe itself in tests
        self.out: Connection | QueuedSender = sender if sender is not None else conn
        self.sender = sender
        self.broken = False
        self._queue: collections.deque[Any] = collections.deque()
        self._cond = threading.Condition()
        self._closing = False
        self._thread = threading.Thread(target=self._run, name="engine-sender", daemon=True)
        self._thread.start()

    @property
    def backlog(self) -> int:
        return len(self._queue)

    def send(self, message: Any) -> None:
        if self.broken:
            return
        with self._cond:
            self._queue.append(message)
            self._cond.notify()

    def _run(self) -> None:
        while True:
            with self._cond:
                while not self._queue and not self._closing:
                    self._cond.wait()
                if not self._queue:
                    return
                message = self._queue[0]
            try:
                self.out.send(message)
            except (OSError, ValueError):
                # the parent closed its end: nobody reads any more
                self.broken = True
                self._queue.clear()
                return
            with self._cond:
                if self._queue:
                    self._queue.popleft()
                self._cond.notify_all()

    def close(self, timeout: float = 1.0) -> None:
        """Send what is queued (for at most ``timeout`` seconds), then stop the thread."""
        with self._cond:
            self._closing = True
            self._cond.notify_all()
        self._thread.join(timeout)


class EngineLoop:
    """State machine of the child process; separated from ``serve`` so tests can drive it."""

    def __init__(self, conn: Connection, sender: QueuedSender | None = None) -> None:
        self.conn = conn
        #: where messages go: a sender thread in the child, the pipe itself in tests
        self.out: Connection | QueuedSender = sender if sender is not None else conn
        self.sender = sender
        self.trainer: Trainer | None = None
        self.playing = False
        self.steps_per_second: float | None = None
        #: how many runs share the machine's cores with this one (≥ 1; see "share")
        self.share = 1.0
        self.pending: list[Snapshot] = []
        self.last_send = 0.0
        self.last_detail = 0.0
        self.detail_cost = 0.0
        self.last_output = 0.0
        self.output_cost = 0.0
        self.next_slow_step = 0.0
        self.last_weights = -1.0
        self.running = True
        self.last_heartbeat = 0.0

    # -- commands ----------------------------------------------------------------------
    def handle(self, cmd: tuple[Any, ...]) -> None:
        kind = cmd[0]
        try:
            if kind == "reset":
                self._reset(cmd[1])
            elif kind == "play":
                self.playing = self.trainer is not None and not self.trainer.diverged
                self.next_slow_step = time.perf_counter()
            elif kind == "pause":
                self.playing = False
                self._flush(force=True)
            elif kind == "step":
                self.playing = False
                for _ in range(int(cmd[1])):
                    if not self._train_one(detail=True):
                        break
                self._flush(force=True)
            elif kind == "live":
                if self.trainer is not None:
                    self.trainer.apply_live(**cmd[1])
            elif kind == "speed":
                self.steps_per_second = cmd[1]
                self.next_slow_step = time.perf_counter()
            elif kind == "share":
                # this run shares the machine with others (a compare window): its heavy
                # statistics and output samples come that many times less often
                self.share = max(1.0, float(cmd[1]))
            elif kind == "walk":
                self._walk()
            elif kind == "quit":
                self.running = False
        except ConfigError as exc:
            self.out.send(("error", str(exc)))

    def _reset(self, config_dict: dict[str, Any]) -> None:
        config = ExperimentConfig.from_dict(config_dict)
        self.trainer = Trainer(config)
        self.pending = []
        self.out.send(("ready", ready_info(self.trainer)))
        self.pending.append(self.trainer.inspect())
        self.last_weights = -1.0
        self._flush(force=True)

    def _walk(self) -> None:
        """Freeze training and send the backward walk of the next batch (no update)."""
        if self.trainer is None:
            return
        self.playing = False
        self._flush(force=True)  # the GUI shows the step the walk belongs to
        x, y = self.trainer._next_batch()
        walk = backward_walk(self.trainer.network, x, y, step=self.trainer.step_count)
        self.out.send(("walk", walk))

    # -- training ----------------------------------------------------------------------
    def _train_one(self, detail: bool, output: bool | None = None) -> bool:
        assert self.trainer is not None
        t0 = time.perf_counter()
        output = detail if output is None else output
        snap = self.trainer.step(detail=detail, output=output)
        self.pending.append(snap)
        if detail:
            now = time.perf_counter()
            self.last_detail = now
            if output:
                self.last_output = now
                self.output_cost = now - t0
            else:
                self.detail_cost = now - t0
        if snap.diverged:
            self.playing = False
            self._flush(force=True)
            self.out.send(("paused", diverged_message(snap)))
            return False
        return True

    def _train_chunk(self) -> None:
        now = time.perf_counter()
        if self.steps_per_second is not None:
            # Paced (slow motion or a target rate): every step is detailed.
            if now >= self.next_slow_step:
                self.next_slow_step = max(self.next_slow_step + 1.0 / self.steps_per_second, now - 0.1)
                self._train_one(detail=True)
            return
        end = now + CHUNK_SECONDS
        while self.playing:
            t = time.perf_counter()
            # heavy statistics at most ~15 Hz and never more than ~20 % of the time; the
            # output sample (a forward pass over a grid) at most ~5 Hz, within ~10 %
            detail = t - self.last_detail >= self.share * max(DETAIL_INTERVAL, 4.0 * self.detail_cost)
            output = detail and t - self.last_output >= self.share * max(OUTPUT_INTERVAL, 9.0 * self.output_cost)
            if not self._train_one(detail=detail, output=output) or t >= end:
                break

    def _behind(self) -> bool:
        """The parent reads slower than we send: hold snapshot batches back (merge them)."""
        return self.sender is not None and self.sender.backlog >= MAX_BACKLOG

    def _stalled(self) -> bool:
        """Too many snapshots are held back: training waits until the parent catches up."""
        return len(self.pending) >= MAX_PENDING and self._behind()

    def _flush(self, force: bool = False) -> None:
        now = time.perf_counter()
        if not self.pending or (not force and now - self.last_send < SEND_INTERVAL):
            return
        if not force and self._behind():
            return
        weights = None
        due = force or now - self.last_weights >= WEIGHTS_INTERVAL
        if due and self.trainer is not None and any(s.detail for s in self.pending):
            weights = [w.copy() for w in self.trainer.network.weights]
            self.last_weights = now
        self.out.send(("snapshots", self.pending, weights))
        self.pending = []
        self.last_send = now

    def run(self) -> None:
        while self.running:
            stalled = self._stalled()
            timeout = 0.0 if self.playing and not stalled else 0.02
            if self.playing and not stalled and self.steps_per_second is not None:
                timeout = max(0.0, min(0.02, self.next_slow_step - time.perf_counter()))
            while self.conn.poll(timeout):
                try:
                    cmd = self.conn.recv()
                except (EOFError, OSError):  # the parent is gone
                    return
                self.handle(cmd)
                timeout = 0.0
                if not self.running:
                    return
            if self.sender is not None and self.sender.broken:
                return
            if self.playing and not stalled:
                self._train_chunk()
            self._flush()
            now = time.perf_counter()
            if now - self.last_heartbeat >= HEARTBEAT_INTERVAL:
                self.out.send(("alive",))
                self.last_heartbeat = now


def diverged_message(snap: Snapshot) -> str:
    """The "paused" message of a diverged run: where, when and why."""
    where = f" in layer {snap.diverged_layer + 1}" if snap.diverged_layer is not None else ""
    return f"diverged{where} at step {snap.step} ({snap.diverged_reason})"


def ready_info(trainer: Trainer) -> dict[str, Any]:
    """What the window needs to know about a freshly built run."""
    ds = trainer.dataset
    return {
        "config": trainer.config.to_dict(),
        "layer_sizes": trainer.network.sizes,
        "dataset": {
            "x_train": ds.x_train,
            "y_train": ds.y_train,
            "x_test": ds.x_test,
            "y_test": ds.y_test,
            "n_inputs": ds.n_inputs,
            "n_outputs": ds.n_outputs,
            "is_regression": ds.is_regression,
            "image_shape": ds.image_shape,
        },
    }


def serve(conn: Connection) -> None:
    """Child-process entry point."""
    # The window's drawing must win when the two cores are contended: a lower priority costs
    # training little when a core is free and keeps the frame rate up when none is.
    with contextlib.suppress(OSError, AttributeError):
        os.nice(10)
    sender = QueuedSender(conn)
    try:
        EngineLoop(conn, sender).run()
    except (EOFError, BrokenPipeError, KeyboardInterrupt):
        pass
    except Exception as exc:
        # the parent reports the engine's death; the reason makes the message useful
        sender.send(("crashed", f"{type(exc).__name__}: {exc}"))
        raise
    finally:
        sender.close()
        conn.close()
