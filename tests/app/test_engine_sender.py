"""The engine's sender thread: training never waits on a parent that reads late."""

from __future__ import annotations

import multiprocessing as mp
import threading
import time

import pytest

from app import engine_process
from app.engine_process import EngineLoop, QueuedSender
from model import ExperimentConfig


def _drain(conn, timeout: float = 0.5) -> list[tuple]:  # type: ignore[no-untyped-def]
    out = []
    while conn.poll(timeout):
        out.append(conn.recv())
    return out


def test_messages_arrive_in_order_and_close_delivers_the_queue() -> None:
    ours, theirs = mp.Pipe()
    sender = QueuedSender(theirs)
    for i in range(200):
        sender.send(("n", i))
    sender.close()
    assert [m[1] for m in _drain(ours)] == list(range(200))
    ours.close()
    theirs.close()


def test_send_returns_while_nobody_reads() -> None:
    """More than a pipe's buffer is queued while the reader sleeps; nothing is lost."""
    ours, theirs = mp.Pipe()
    sender = QueuedSender(theirs)
    block = b"x" * (1 << 20)  # far more than a pipe buffer (64 KiB) in all
    done = threading.Event()

    def produce() -> None:
        for i in range(8):
            sender.send(("block", i, block))
        done.set()

    threading.Thread(target=produce, daemon=True).start()
    # a blocking send would hang here until we read; the queue returns at once
    assert done.wait(5.0)
    assert sender.backlog >= 1  # the sender thread is still stuck on the first write
    got = [ours.recv() for _ in range(8)]
    assert [m[1] for m in got] == list(range(8)) and all(m[2] == block for m in got)
    sender.close()
    ours.close()
    theirs.close()


def test_a_late_reader_gets_merged_batches_and_every_step(monkeypatch: pytest.MonkeyPatch) -> None:
    """While the parent does not read, batches merge; training stalls at MAX_PENDING and resumes."""
    monkeypatch.setattr(engine_process, "MAX_PENDING", 300)
    ours, theirs = mp.Pipe()
    sender = QueuedSender(theirs)
    loop = EngineLoop(theirs, sender)
    loop.handle(("reset", ExperimentConfig(depth=3, width=8, n_samples=200).to_dict()))
    loop.handle(("play",))
    # hold the pipe full: the first message is large enough to block the sender's write
    sender.send(("filler", b"x" * (1 << 20)))
    runner = threading.Thread(target=loop.run, daemon=True)
    runner.start()
    time.sleep(1.0)
    stalled_at = loop.trainer.step_count  # type: ignore[union-attr]
    time.sleep(0.5)
    # training waits for the reader once MAX_PENDING snapshots are held back
    assert loop.trainer.step_count == stalled_at  # type: ignore[union-attr]
    assert len(loop.pending) >= 300
    messages = []
    deadline = time.monotonic() + 2.0
    while time.monotonic() < deadline:
        if ours.poll(0.05):
            messages.append(ours.recv())
    loop.handle(("quit",))
    runner.join(2.0)
    messages += _drain(ours, 0.3)
    batches = [m[1] for m in messages if m[0] == "snapshots"]
    steps = [s.step for batch in batches for s in batch]
    # every step arrives once, in order, after the stall too
    assert steps == list(range(steps[0], steps[0] + len(steps)))
    assert steps[-1] > stalled_at
    # the held-back snapshots travelled as a few big batches, not one per 1/60 s
    assert max(len(b) for b in batches) >= 300
    sender.close()
    ours.close()
    theirs.close()


def test_the_loop_ends_when_the_parent_is_gone() -> None:
    ours, theirs = mp.Pipe()
    sender = QueuedSender(theirs)
    loop = EngineLoop(theirs, sender)
    loop.handle(("reset", ExperimentConfig(depth=2, width=4, n_samples=100).to_dict()))
    loop.handle(("play",))
    ours.close()
    runner = threading.Thread(target=loop.run, daemon=True)
    runner.start()
    runner.join(5.0)
    assert not runner.is_alive()
    sender.close()
    theirs.close()
