"""What the windows say when a training engine dies, hangs or is paused in the background.

The worker reports ``("died", reason)``, ``("hung", seconds)`` and ``("responding", "")``
(see ``app.worker``); these functions turn them into text in the current language.  Each is
called again when the language changes, so the windows keep the function, not the text.
"""

from __future__ import annotations

import re

from PySide6 import QtCore

translate = QtCore.QCoreApplication.translate


def reason_text(reason: str) -> str:
    """The worker's reason (``killed by SIGKILL``, ``exit status 1``, ``ValueError: …``) in words."""
    killed = re.fullmatch(r"killed by (\S+)", reason)
    if killed:
        return translate("EngineNotice", "killed by {signal}").format(signal=killed.group(1))
    status = re.fullmatch(r"exit status (-?\d+)", reason)
    if status:
        return translate("EngineNotice", "exit status {code}").format(code=status.group(1))
    if reason == "no answer":
        return translate("EngineNotice", "no answer")
    return reason  # an exception raised inside the engine: its own words


def died(reason: str) -> str:
    """The main window's banner after the engine died."""
    return translate(
        "EngineNotice",
        "The training engine stopped ({reason}). Press Play, Step or Reset to start a fresh one "
        "from the configuration; the history so far stays visible and can be exported.",
    ).format(reason=reason_text(reason))


def hung(seconds: str) -> str:
    """The main window's banner while the engine does not answer."""
    return translate(
        "EngineNotice",
        "The training engine is not responding (silent for {seconds} s). Press Restart engine to "
        "start a fresh one from the configuration, or wait.",
    ).format(seconds=seconds)


def run_died(reason: str) -> str:
    """A compare run's verdict line after its engine died."""
    return translate("EngineNotice", "Engine stopped ({reason}): Play, Step or Reset starts a fresh one.").format(
        reason=reason_text(reason)
    )


def run_hung(seconds: str) -> str:
    """A compare run's verdict line while its engine does not answer."""
    return translate("EngineNotice", "Engine not responding ({seconds} s): press Restart engine.").format(
        seconds=seconds
    )


def restarted() -> str:
    return translate("EngineNotice", "A fresh training engine started from the configuration.")


def paused_in_background() -> str:
    return translate("EngineNotice", "Paused in the background: press Space (Play) to go on.")
