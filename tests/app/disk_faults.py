"""Real disk faults for tests: a read-only folder, a missing folder, a full disk, a target
that is a directory.

As root (CI and the development machines) the read-only folder and the full disk are small
tmpfs mounts (EROFS and ENOSPC from the kernel, in this process and in encoder child
processes alike); without root the read-only folder is a chmod 555 folder and the full disk
is simulated by making ``fsync``/``os.replace`` in :mod:`app.safe_write` fail with ENOSPC
(child processes are then not covered: :attr:`Fault.real` says which).
"""

from __future__ import annotations

import contextlib
import errno
import functools
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

FAULTS = ("readonly", "missing", "full", "directory")
PRECIOUS = b"an existing file the user made\n"


@functools.lru_cache(maxsize=1)
def _can_mount() -> bool:
    """Root may still be refused a mount (a container without CAP_SYS_ADMIN): try once."""
    if os.geteuid() != 0 or shutil.which("mount") is None:
        return False
    probe = Path(tempfile.mkdtemp(prefix="bplab-mount-"))
    try:
        ok = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(probe)], capture_output=True)
        if ok.returncode != 0:
            return False
        _umount(probe)
        return True
    finally:
        with contextlib.suppress(OSError):
            probe.rmdir()


@dataclass
class Fault:
    kind: str
    target: Path
    real: bool  # the kernel reports the fault (child processes see it too)
    before: dict[str, bytes] = field(default_factory=dict)
    watch: Path | None = None

    def snapshot(self) -> dict[str, bytes]:
        """Every file under the watched folder (relative name → bytes)."""
        if self.watch is None or not self.watch.exists():
            return {}
        out: dict[str, bytes] = {}
        for p in sorted(self.watch.rglob("*")):
            rel = str(p.relative_to(self.watch))
            out[rel + ("/" if p.is_dir() else "")] = b"" if p.is_dir() else p.read_bytes()
        return out

    def assert_untouched(self) -> None:
        """Nothing written, no temporary file left, the existing file as it was."""
        if self.kind == "missing":
            assert not self.target.parent.parent.exists(), "a missing folder was created"
            return
        after = self.snapshot()
        assert after == self.before, f"files changed: {sorted(set(after) ^ set(self.before)) or 'contents'}"


def _mount_tmpfs(folder: Path, size: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)], check=True)


def _umount(folder: Path) -> None:
    subprocess.run(["umount", "-l", str(folder)], check=False, capture_output=True)


def _fill(folder: Path) -> None:
    """Fill the file system of ``folder`` to the last byte."""
    chunk = b"\0" * 65536
    with open(folder / "filler", "wb", buffering=0) as fh:
        while True:
            try:
                fh.write(chunk)
            except OSError as exc:
                assert exc.errno == errno.ENOSPC
                break
        for size in (4096, 512, 1):
            with_size = b"\0" * size
            while True:
                try:
                    fh.write(with_size)
                except OSError:
                    break


@pytest.fixture
def fault_factory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[object]:
    """``make(kind, name)`` → a :class:`Fault` whose ``target`` (named ``name``) cannot be
    written for the reason ``kind``; mounts are removed after the test."""
    mounts: list[Path] = []
    counter = [0]

    def make(kind: str, name: str) -> Fault:
        counter[0] += 1
        base = tmp_path / f"f{counter[0]}"
        base.mkdir()
        if kind == "missing":
            return Fault(kind, base / "missing" / "folder" / name, real=True)
        if kind == "directory":
            (base / name).mkdir()
            (base / name / "inside.txt").write_bytes(PRECIOUS)
            f = Fault(kind, base / name, real=True, watch=base)
            f.before = f.snapshot()
            return f
        folder = base / "disk"
        if kind == "readonly":
            if _can_mount():
                _mount_tmpfs(folder, "1m")
                mounts.append(folder)
                (folder / name).write_bytes(PRECIOUS)
                subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)
                real = True
            else:
                if os.geteuid() == 0:
                    pytest.skip("root ignores folder permissions and may not mount a read-only tmpfs here")
                folder.mkdir()
                (folder / name).write_bytes(PRECIOUS)
                folder.chmod(0o555)
                real = True
            f = Fault(kind, folder / name, real=real, watch=folder)
            f.before = f.snapshot()
            return f
        if kind == "full":
            if _can_mount():
                _mount_tmpfs(folder, "256k")
                mounts.append(folder)
                (folder / name).write_bytes(PRECIOUS)
                _fill(folder)
                real = True
            else:
                folder.mkdir()
                (folder / name).write_bytes(PRECIOUS)

                def no_space(*args: object, **kwargs: object) -> None:
                    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

                import app.safe_write

                monkeypatch.setattr(app.safe_write.os, "fsync", no_space)
                real = False
            f = Fault(kind, folder / name, real=real, watch=folder)
            f.before = f.snapshot()
            return f
        raise ValueError(kind)

    yield make
    for folder in mounts:
        _umount(folder)
    for p in tmp_path.rglob("*"):
        if p.is_dir():
            p.chmod(0o755)


#: words the message must contain for each fault (it says what went wrong, in plain words)
EXPECTED = {
    "readonly": r"read-only|permission",
    "missing": r"does not exist",
    "full": r"disk is full|No space left",
    "directory": r"is a directory|is a folder",
}
