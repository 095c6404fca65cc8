"""Qt's own warnings that say nothing to a user of a headless run, filtered out.

The offscreen platform cannot pass a window's size limits on and says so every time a window
with a minimum size is shown ("This plugin does not support propagateSizeHints()").  A
headless ``--screenshot`` or ``--record`` shows windows on purpose, so the line is noise on
stderr, where a script expects nothing but errors.  Every other message still goes through
(to the handler that was installed before, or to stderr as Qt would print it).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

from PySide6 import QtCore

#: Exact messages dropped.
SILENCED = frozenset({"This plugin does not support propagateSizeHints()"})

_previous: Callable[..., Any] | None = None
_installed = False


def _handler(mode: QtCore.QtMsgType, context: QtCore.QMessageLogContext, message: str) -> None:
    if message in SILENCED:
        return
    if _previous is not None:
        _previous(mode, context, message)
    else:
        sys.stderr.write(QtCore.qFormatLogMessage(mode, context, message) + "\n")


def silence_platform_noise() -> None:
    """Install the filter (once; later calls do nothing)."""
    global _previous, _installed
    if _installed:
        return
    _installed = True
    _previous = QtCore.qInstallMessageHandler(_handler)
