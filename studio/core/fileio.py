"""Writing the user's files safely: atomically, with the right mode, through symlinks, and
one writer per output folder.

- :func:`atomic_write_bytes` writes a unique temporary file beside the target and renames it
  over the target, so a crash leaves the old file or the new one, never half of one. The new
  file gets the mode an ordinary ``open()`` would give (``0o666`` less the umask; a temporary
  file's ``0o600`` would hide a shared project from its group), an existing file keeps its
  mode, and a symlink stays a symlink: the file it points to is replaced.
- :func:`folder_lock` lets one process at a time write into a folder (``studio train --out``):
  the second gets a clear error at once instead of both "succeeding" while one silently
  replaces the other's files.
"""

from __future__ import annotations

import contextlib
import os
import stat
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

from studio.core.errors import StudioError
from studio.core.i18n import _

LOCK_NAME = ".netsketch.lock"


def _umask() -> int:
    """The process's umask without changing it where the OS can tell (Linux), else by the
    classic set-and-restore."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def target_of(path: str | os.PathLike) -> Path:
    """Where writing to ``path`` should land: the final target of a symlink (chains too)."""
    p = Path(path)
    return Path(os.path.realpath(p)) if p.is_symlink() else p


def unique_temp(folder: Path, name: str, suffix: str = ".tmp") -> Path:
    """A new, empty, uniquely named file in ``folder`` (closed), for a write-then-rename."""
    fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=suffix, dir=folder)
    os.close(fd)
    return Path(tmp)


def final_mode(path: Path) -> int:
    """The mode a file written at ``path`` should have: the existing file's, or the default."""
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:
        return 0o666 & ~_umask()


def atomic_write_bytes(path: str | os.PathLike, data: bytes) -> None:
    """Write ``data`` to ``path`` so that a crash leaves either the old or the new file."""
    path = target_of(path)
    mode = final_mode(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def atomic_write_text(path: str | os.PathLike, text: str) -> None:
    atomic_write_bytes(path, text.encode("utf-8"))


def replace_into(tmp: Path, path: str | os.PathLike) -> None:
    """Rename a finished temporary file over ``path`` with :func:`atomic_write_bytes`'s rules
    for the mode and symlinks (for files another library wrote, e.g. a Keras model)."""
    path = target_of(path)
    os.chmod(tmp, final_mode(path))
    os.replace(tmp, path)


@contextlib.contextmanager
def folder_lock(folder: str | os.PathLike) -> Iterator[None]:
    """Hold an exclusive lock on ``folder`` (created if needed) while writing into it.

    The lock is an OS lock on ``folder/.netsketch.lock`` (``flock`` on POSIX, ``msvcrt`` on
    Windows): it is released when the process ends, however it ends, so a crash never leaves a
    stale lock behind. The file keeps the holder's process id for the message."""
    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fh = open(folder / LOCK_NAME, "a+", encoding="utf-8")   # noqa: SIM115 - held open
    except OSError as exc:
        raise StudioError(_("Cannot create the output folder {path}: {detail}", path=str(folder),
                            detail=exc.strerror or exc)) from exc
    try:
        try:
            _lock(fh)
        except OSError:
            fh.seek(0)
            holder = fh.read().strip() or "?"
            raise StudioError(_("Another training is writing to {path} (process {pid}). Wait "
                                "for it to finish or choose another folder.", path=str(folder),
                                pid=holder)) from None
        fh.seek(0)
        fh.truncate()
        fh.write(str(os.getpid()))
        fh.flush()
        yield
    finally:
        fh.close()          # closing releases the lock


def _lock(fh) -> None:
    if sys.platform == "win32":          # pragma: no cover - exercised on Windows only
        import msvcrt

        fh.seek(0)
        msvcrt.locking(fh.fileno(), msvcrt.LK_NBLCK, 1)
    else:
        import fcntl

        fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
