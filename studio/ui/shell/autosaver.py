"""Autosave of the open work every minute, and the offer to recover it after a crash.

The autosave file lives beside the studio's settings (so tests, which redirect the settings
to a temporary folder, never touch the user's). It is removed after a save and on a clean
exit; finding one at start-up means the last session did not end cleanly.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import logging
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Slot
from PySide6.QtWidgets import QMessageBox

from studio.core import autosave
from studio.core.errors import StudioError
from studio.core.i18n import _

log = logging.getLogger(__name__)
INTERVAL_MS = 60_000


class Autosaver(QObject):
    """Writes ``window.state.project`` to the autosave while it has unsaved changes."""

    def __init__(self, window, interval_ms: int = INTERVAL_MS) -> None:
        super().__init__(window)
        self._window = window
        self.folder = Path(window.settings.file_name).parent / "autosave"
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.tick)
        self.timer.start()
        window.state.sig_dirty_changed.connect(self._on_dirty_changed)

    @Slot()
    def tick(self) -> bool:
        """Autosave now if there is unsaved work; True when a file was written."""
        state = self._window.state
        if not self._window.isVisible() or state.project is None or not state.dirty:
            return False
        try:
            autosave.write(state.project, self.folder)
        except OSError as exc:  # a full or read-only disk must not interrupt the work
            log.warning("autosave failed: %s", exc)
            self._window.statusBar().showMessage(
                _("Autosave failed: {detail}", detail=exc.strerror or exc), 6000)
            return False
        return True

    @Slot(bool)
    def _on_dirty_changed(self, dirty: bool) -> None:
        if not dirty:  # saved (or a fresh project): nothing to recover
            autosave.discard(self.folder)

    def discard(self) -> None:
        autosave.discard(self.folder)

    def stop(self) -> None:
        """The window is closing: no more autosaves (its state may outlive it)."""
        self.timer.stop()
        with contextlib.suppress(RuntimeError, TypeError):
            self._window.state.sig_dirty_changed.disconnect(self._on_dirty_changed)

    def offer_recovery(self) -> bool:
        """At start-up: if the last session left an autosave, ask and restore it."""
        found = autosave.find(self.folder)
        if found is None:
            autosave.discard(self.folder)  # nothing, or a damaged file
            return False
        when = _dt.datetime.fromtimestamp(found.saved_at).strftime("%Y-%m-%d %H:%M")
        if not self._window.ask_recover(when, found.project.name or found.original or ""):
            autosave.discard(self.folder)
            return False
        try:
            self._window.state.adopt_project(found.project, dirty=True)
        except StudioError as exc:
            self._window.show_error(_("The autosaved work could not be restored: {detail}",
                                      detail=exc))
            return False
        return True


def ask_recover(parent, when: str, name: str) -> bool:
    answer = QMessageBox.question(
        parent, _("Recover unsaved work?"),
        _("NetSketch Studio did not close normally. Unsaved work on {name} from {when} was "
          "kept. Recover it?", name=name or _("a project"), when=when),
        QMessageBox.Yes | QMessageBox.No, QMessageBox.Yes)
    return answer == QMessageBox.Yes
