"""This test process's own figures, read from /proc."""

from __future__ import annotations


def rss_mib() -> float:
    """Resident memory of this process, MiB."""
    with open("/proc/self/status", encoding="ascii") as f:
        for line in f:
            if line.startswith("VmRSS"):
                return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS")
