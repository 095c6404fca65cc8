"""Writing files so that a failure leaves nothing behind: the one write path of every export.

A file is first written completely to a temporary file next to its target (same folder, so
the final rename stays on one file system), flushed to disk, and only then renamed over the
target (``os.replace``).  A failure at any stage (read-only or missing folder, full disk, a
target that is a folder) raises :class:`ExportError` with a message that names the file and
says what went wrong in plain words, removes every temporary file and leaves any existing
file exactly as it was.

Several files that belong together (a PNG and its ``.json`` sidecar) are staged together:
every temporary file is complete before the first rename, so a full disk cannot leave a
picture without its sidecar.
"""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path


class ExportError(Exception):
    """An export failed; the message names the file and the problem."""


#: plain words for the errors a user can do something about
_REASONS = {
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is used up",
    errno.EROFS: "the folder is on a read-only disk",
    errno.EACCES: "no permission to write there",
    errno.EPERM: "no permission to write there",
    errno.ENOENT: "no such file or folder",
    errno.EISDIR: "it is a folder",
    errno.ENOTDIR: "a part of the path is not a folder",
    errno.ENAMETOOLONG: "the file name is too long",
    errno.EFBIG: "the file is too large for this disk",
}


def os_reason(exc: OSError) -> str:
    """A short, plain description of ``exc`` (e.g. "the disk is full (No space left on device)")."""
    detail = exc.strerror or str(exc)
    plain = _REASONS.get(exc.errno or 0)
    return f"{plain} ({detail})" if plain else detail


def check_target(path: Path, force: bool) -> None:
    """Refuse a target that is a folder, that exists (without ``force``) or whose folder is
    missing or not writable, before anything is computed or written."""
    if path.is_dir():
        raise ExportError(f"{path} is a directory; choose a file name")
    if path.exists() and not force:
        raise ExportError(f"{path} exists; pass force=True (or choose another name) to overwrite it")
    if not path.parent.is_dir():
        raise ExportError(f"cannot write {path}: folder {path.parent} does not exist")
    if not os.access(path.parent, os.W_OK):
        # EROFS is reported to root too; EACCES only to others
        raise ExportError(f"cannot write {path}: {_unwritable_reason(path.parent)}")


def _unwritable_reason(folder: Path) -> str:
    try:
        st = os.statvfs(folder)
    except OSError:
        return "no permission to write there"
    if st.f_flag & os.ST_RDONLY:
        return f"folder {folder} is on a read-only disk"
    return f"no permission to write in folder {folder}"


def umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def stage(target: Path, data: bytes) -> Path:
    """Write ``data`` completely to a new temporary file next to ``target`` (flushed to disk)
    and return its path; on failure nothing is left and ExportError explains why."""
    fd = -1
    tmp = ""
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
        with os.fdopen(fd, "wb") as fh:
            fd = -1
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        # mkstemp creates 0600; give the file the permissions any new file would get
        os.chmod(tmp, 0o666 & ~umask())
        staged = Path(tmp)
        tmp = ""
        return staged
    except OSError as exc:
        raise ExportError(f"cannot write {target}: {os_reason(exc)}") from exc
    finally:
        if fd >= 0:
            with contextlib.suppress(OSError):
                os.close(fd)
        if tmp:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def commit(staged: Sequence[tuple[Path, Path]], *, force: bool) -> None:
    """Rename each staged temporary file over its target, in order; every temporary file
    not renamed (after a failure) is removed."""
    pending = list(staged)
    try:
        if not force:
            for _, target in pending:
                if target.exists():
                    raise ExportError(f"{target} exists; pass force=True (or choose another name) to overwrite it")
        while pending:
            tmp, target = pending[0]
            try:
                os.replace(tmp, target)
            except OSError as exc:
                raise ExportError(f"cannot write {target}: {os_reason(exc)}") from exc
            pending.pop(0)
    finally:
        discard(tmp for tmp, _ in pending)


def discard(paths: Iterable[Path]) -> None:
    """Remove temporary files, ignoring those already gone."""
    for tmp in paths:
        with contextlib.suppress(OSError):
            os.unlink(tmp)


def atomic_write_files(files: Sequence[tuple[str | os.PathLike[str], bytes]], *, force: bool = False) -> list[Path]:
    """Write every (path, data) atomically and together: all or (as far as renames allow)
    none; existing files are replaced only with ``force``."""
    targets = [Path(p) for p, _ in files]
    for target in targets:
        check_target(target, force)
    staged: list[tuple[Path, Path]] = []
    try:
        for target, (_, data) in zip(targets, files, strict=True):
            staged.append((stage(target, data), target))
    except BaseException:
        discard(tmp for tmp, _ in staged)
        raise
    commit(staged, force=force)
    return targets


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes, *, force: bool = False) -> Path:
    """Write ``data`` to ``path`` atomically; refuse to overwrite unless ``force``."""
    return atomic_write_files([(path, data)], force=force)[0]
