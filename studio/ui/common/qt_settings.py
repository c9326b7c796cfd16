"""User preferences kept by Qt: window geometry, recent files, last folder.

The work itself lives in project files, never here. Keys are namespaced (``window/geometry``,
``files/recent``). Settings are always INI files, so tests can redirect every instance to a
temporary folder with :func:`use_folder` and never touch the user's real settings.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

ORGANIZATION = "NetSketch"
APPLICATION = "NetSketch Studio"
MAX_RECENT = 10


def use_folder(folder: str | os.PathLike) -> None:
    """Store all settings under ``folder`` (tests, portable installs)."""
    for scope in (QSettings.UserScope, QSettings.SystemScope):
        QSettings.setPath(QSettings.IniFormat, scope, str(folder))


class StudioSettings:
    """A thin typed wrapper over one QSettings store."""

    def __init__(self, organization: str = ORGANIZATION, application: str = APPLICATION) -> None:
        self._s = QSettings(QSettings.IniFormat, QSettings.UserScope, organization, application)

    @property
    def file_name(self) -> str:
        return self._s.fileName()

    # -- recent files -------------------------------------------------------------------------
    def recent_files(self) -> list[str]:
        value = self._s.value("files/recent", [])
        if isinstance(value, str):          # QSettings returns a lone item as a string
            value = [value]
        return [str(v) for v in (value or []) if v]

    def add_recent(self, path: str) -> None:
        path = _normal(path)
        items = [p for p in self.recent_files() if _normal(p) != path]
        self._s.setValue("files/recent", ([path] + items)[:MAX_RECENT])

    def remove_recent(self, path: str) -> None:
        path = _normal(path)
        self._s.setValue("files/recent", [p for p in self.recent_files() if _normal(p) != path])

    def clear_recent(self) -> None:
        self._s.setValue("files/recent", [])

    # -- folders ------------------------------------------------------------------------------
    def last_directory(self) -> str:
        return str(self._s.value("directories/last_open", "") or "")

    def set_last_directory(self, path: str) -> None:
        p = Path(path)
        self._s.setValue("directories/last_open", str(p if p.is_dir() else p.parent))

    def last_export_directory(self) -> str:
        return str(self._s.value("directories/last_export", "") or "")

    def set_last_export_directory(self, path: str) -> None:
        self._s.setValue("directories/last_export", str(Path(path).parent))

    # -- window -------------------------------------------------------------------------------
    def window_geometry(self) -> QByteArray | None:
        value = self._s.value("window/geometry")
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    def window_state(self) -> QByteArray | None:
        value = self._s.value("window/state")
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    def save_window(self, geometry: QByteArray, state: QByteArray) -> None:
        self._s.setValue("window/geometry", geometry)
        self._s.setValue("window/state", state)

    # -- interface ---------------------------------------------------------------------------
    def language(self) -> str:
        """The chosen UI language ("en", "ko"), or "" for the system's."""
        return str(self._s.value("ui/language", "") or "")

    def set_language(self, lang: str) -> None:
        self._s.setValue("ui/language", lang)

    def presentation_theme(self) -> str:
        """The presentation mode's theme: "light" (projectors) or "dark"."""
        value = str(self._s.value("ui/presentation_theme", "light") or "light")
        return value if value in ("light", "dark") else "light"

    def set_presentation_theme(self, name: str) -> None:
        self._s.setValue("ui/presentation_theme", name)

    def demo_speed(self) -> str:
        """The Train step's demo speed ("normal", "slow", "very_slow"), or "" if never set."""
        return str(self._s.value("ui/demo_speed", "") or "")

    def set_demo_speed(self, speed: str) -> None:
        self._s.setValue("ui/demo_speed", speed)

    def sync(self) -> None:
        self._s.sync()


def _normal(path: str) -> str:
    if path.startswith("sample:"):
        return path
    return str(Path(path).expanduser().resolve())
