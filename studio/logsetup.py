"""Logging to a file in the user's data folder, and safe standard streams.

Used by the CLI and the GUI alike, so it stays free of Qt (no ``QStandardPaths``): the data
folder comes from the environment, the way each platform documents it:

* Windows: ``%LOCALAPPDATA%\\NetSketch Studio`` (per user, not roaming);
* macOS: ``~/Library/Application Support/NetSketch Studio``;
* elsewhere: ``$XDG_DATA_HOME/netsketch-studio`` or ``~/.local/share/netsketch-studio``.

``NETSKETCH_DATA_DIR`` overrides all of them (tests, portable installs).

A windowed frozen build (PyInstaller ``console=False``) on Windows starts with ``sys.stdout`` and
``sys.stderr`` set to ``None``; any ``print`` or library writing a warning would then raise.
:func:`ensure_std_streams` replaces a missing stream with one that writes to the log file (or
discards), so nothing in the app has to care.
"""

from __future__ import annotations

import contextlib
import logging
import logging.handlers
import os
import sys
from pathlib import Path

APP_NAME = "NetSketch Studio"
APP_SLUG = "netsketch-studio"
LOG_NAME = "studio.log"

_configured: Path | None = None


def data_dir() -> Path:
    """The user's data folder for the studio (not created here)."""
    override = os.environ.get("NETSKETCH_DATA_DIR")
    if override:
        return Path(override)
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or os.environ.get("APPDATA")
        root = Path(base) if base else Path.home() / "AppData" / "Local"
        return root / APP_NAME
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / APP_NAME
    xdg = os.environ.get("XDG_DATA_HOME")
    root = Path(xdg) if xdg and Path(xdg).is_absolute() else Path.home() / ".local" / "share"
    return root / APP_SLUG


def log_dir() -> Path:
    return data_dir() / "logs"


class _StreamToLog:
    """A text stream standing in for a missing stdout/stderr: lines go to a logger."""

    encoding = "utf-8"
    errors = "replace"

    def __init__(self, logger: logging.Logger, level: int):
        self._logger = logger
        self._level = level
        self._buffer = ""

    def write(self, text: str) -> int:
        if not isinstance(text, str):
            text = str(text)
        self._buffer += text
        while "\n" in self._buffer:
            line, self._buffer = self._buffer.split("\n", 1)
            if line.strip():
                with contextlib.suppress(Exception):  # never let logging break the app
                    self._logger.log(self._level, line.rstrip())
        return len(text)

    def flush(self) -> None:
        if self._buffer.strip():
            line, self._buffer = self._buffer, ""
            with contextlib.suppress(Exception):
                self._logger.log(self._level, line.rstrip())

    def isatty(self) -> bool:
        return False

    def fileno(self) -> int:  # like a closed stream: callers that need a descriptor fall back
        raise OSError("no file descriptor for this stream")

    def writable(self) -> bool:
        return True

    def readable(self) -> bool:
        return False

    def close(self) -> None:
        self.flush()

    @property
    def closed(self) -> bool:
        return False


def ensure_std_streams() -> None:
    """Give the process a usable ``sys.stdout``/``sys.stderr`` when it was started without any
    (a windowed build, ``pythonw``): output goes to the log instead of raising."""
    if sys.stdout is None:
        sys.stdout = _StreamToLog(logging.getLogger("studio.stdout"), logging.INFO)
    if sys.stderr is None:
        sys.stderr = _StreamToLog(logging.getLogger("studio.stderr"), logging.WARNING)


def setup_logging(level: int = logging.INFO) -> Path | None:
    """Send the ``studio`` log (and Python warnings) to ``<data dir>/logs/studio.log``, rotating
    at 1 MB with 3 backups. Idempotent. Returns the log file's path, or None when the folder
    cannot be written (the app then runs without a log file rather than failing)."""
    global _configured
    if _configured is not None:
        return _configured
    ensure_std_streams()
    path = None
    try:
        folder = log_dir()
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / LOG_NAME
        handler = logging.handlers.RotatingFileHandler(
            path, maxBytes=1_000_000, backupCount=3, encoding="utf-8", delay=True)
    except OSError:
        handler = None
    if handler is not None:
        handler.setFormatter(logging.Formatter(
            "%(asctime)s %(levelname)s %(name)s [%(process)d]: %(message)s"))
        handler.setLevel(level)
        # On the root logger so other libraries' warnings land there too; the root's own level
        # (WARNING by default) is left alone, and only the studio's loggers are opened to INFO.
        logging.getLogger().addHandler(handler)
        studio_log = logging.getLogger("studio")
        if studio_log.level == logging.NOTSET or studio_log.level > level:
            studio_log.setLevel(level)
    if getattr(sys, "frozen", False):
        logging.captureWarnings(True)   # no console to show them on
    _configured = path if handler is not None else None
    if handler is not None:
        from studio import __version__

        logging.getLogger("studio").info(
            "NetSketch Studio %s starting (python %s, frozen=%s, argv=%s)", __version__,
            sys.version.split()[0], bool(getattr(sys, "frozen", False)), sys.argv[1:])
    return _configured
