"""Faulty engine entry points for the lifecycle tests (spawned in a child process, so they
must be importable module-level functions)."""

from __future__ import annotations

import os
from multiprocessing.connection import Connection
from typing import Any

from app import engine_process


class _CrashOnReset(engine_process.EngineLoop):
    def _reset(self, config_dict: dict[str, Any]) -> None:
        raise RuntimeError("the network could not be built")


def crash_on_reset(conn: Connection) -> None:
    """The real engine, except that building the network raises inside the child."""
    original = engine_process.EngineLoop
    engine_process.EngineLoop = _CrashOnReset  # type: ignore[misc]
    try:
        engine_process.serve(conn)
    finally:
        engine_process.EngineLoop = original  # type: ignore[misc]


def exit_at_start(conn: Connection) -> None:
    """An engine that ends before saying anything (a native crash at import, say)."""
    os._exit(3)
