"""Opening and saving for the main window: files, samples, projects, drops, recent files.

:class:`ProjectFilesMixin` is mixed into :class:`~studio.ui.shell.main_window.MainWindow`. It needs
the window's ``state`` (StudioState), ``settings`` (StudioSettings), ``start_page``,
``menus`` and its feedback methods (``show_error``, ``hide_error``, ``show_step``...). Every
error from opening or saving becomes the window's error banner, never a traceback.
"""

from __future__ import annotations

import os

from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QFileDialog, QMessageBox

from studio.core.data import list_samples
from studio.core.errors import StudioError
from studio.core.i18n import _
from studio.ui.common.guard import reports_errors

DROPPABLE = (".csv", ".tsv", ".txt", ".json")


class ProjectFilesMixin:
    """File > New / Open / Save / Recent, and drag and drop (see the module docstring)."""

    def open_path(self, path: str, remember: bool = True) -> bool:
        """Open a CSV, a project file (``.json``), a lesson or ``sample:NAME``. Errors become a
        banner."""
        if not self._confirm_discard():
            return False
        from studio.core.lesson import EXTENSION

        if path.lower().endswith(EXTENSION):
            if self.open_lesson(path) is None:
                return False
            if remember:
                self.settings.add_recent(path)
                self._refresh_recent()
            return True
        try:
            if path.lower().endswith(".json") and not path.startswith("sample:"):
                self.state.open_project(path)
                step = "design"
            else:
                target = None
                if path.startswith("sample:"):
                    target = next((s.target for s in list_samples() if s.source == path), None)
                self.state.open_data(path, target=target)
                step = "data"
        except StudioError as exc:
            self.show_error(str(exc))
            if not path.startswith("sample:") and not os.path.exists(path):
                self.settings.remove_recent(path)
                self._refresh_recent()
            return False
        self.hide_error()
        if remember:
            self.settings.add_recent(path)
            if not path.startswith("sample:"):
                self.settings.set_last_directory(path)
            self._refresh_recent()
        # New data starts at the Data step and a project at Design, wherever the user was:
        # the later steps belong to the previous data and would show empty placeholders.
        self.show_step(step)
        self._update_title()
        return True

    @reports_errors
    def new_from_csv(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self, _("Open a CSV file"), self.settings.last_directory(),
            _("CSV files (*.csv *.tsv *.txt);;All files (*)"))
        if path:
            self.open_path(path)

    @reports_errors
    def open_project_dialog(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self, _("Open a project"), self.settings.last_directory(),
            _("NetSketch projects (*.json);;All files (*)"))
        if path:
            self.open_path(path)

    def save(self) -> bool:
        if self.state.project is None:
            return False
        path = self.state.project.path
        if path is None or self.in_lesson_folder(path):   # a lesson's copy: choose a place
            return self.save_as()
        return self.save_to(str(path))

    def save_as(self) -> bool:
        if self.state.project is None:
            return False
        proj = self.state.project
        start = str(proj.path) if proj.path and not self.in_lesson_folder(proj.path) \
            else os.path.join(self.settings.last_directory(), (proj.name or "project") + ".json")
        path, _filter = QFileDialog.getSaveFileName(self, _("Save the project"), start,
                                                    _("NetSketch projects (*.json)"))
        if not path:
            return False
        if not path.lower().endswith(".json"):
            path += ".json"
        return self.save_to(path)

    def save_to(self, path: str) -> bool:
        from studio.core.lesson import keep_data_beside

        try:
            # a lesson's data lives in its temporary folder: it moves out with the project
            keep_data_beside(self.state.project, path, getattr(self, "lesson_folder", None))
            self.state.save_project(path)
        except StudioError as exc:     # it says what failed and that nothing was lost
            self.show_error(str(exc))
            return False
        except OSError as exc:
            self.show_error(_("The project could not be saved: {detail}", detail=exc))
            return False
        self.settings.add_recent(path)
        self.settings.set_last_directory(path)
        self._refresh_recent()
        self.statusBar().showMessage(_("Saved {path}", path=path), 4000)
        self._update_title()
        return True

    def _confirm_discard(self) -> bool:
        """True when it is fine to replace or close the current project."""
        if self.state.project is None or not self.state.dirty:
            return True
        answer = self.ask_save_changes()
        if answer == QMessageBox.Save:
            return self.save()
        return answer == QMessageBox.Discard

    def ask_save_changes(self) -> QMessageBox.StandardButton:
        """Save / Discard / Cancel (tests replace this method)."""
        name = self._project_name()
        return QMessageBox.question(
            self, _("Unsaved changes"),
            _("Save the changes to {name} before closing it?", name=name),
            QMessageBox.Save | QMessageBox.Discard | QMessageBox.Cancel, QMessageBox.Save)

    def _refresh_recent(self) -> None:
        paths = self.settings.recent_files()
        self.start_page.set_recent(paths)
        self.menus.set_recent(paths)

    def clear_recent(self) -> None:
        self.settings.clear_recent()
        self._refresh_recent()

    # -- drag and drop ----------------------------------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if _dropped_path(event) is not None:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event) -> None:
        if _dropped_path(event) is not None:
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        path = _dropped_path(event)
        if path is None:
            event.ignore()
            return
        event.acceptProposedAction()
        self.open_path(path)



def _dropped_path(event) -> str | None:
    """The one local file being dragged, if it is a CSV-like or project file."""
    md = event.mimeData()
    if not md.hasUrls():
        return None
    urls = [u for u in md.urls() if u.isLocalFile()]
    if len(urls) != 1:
        return None
    path = urls[0].toLocalFile()
    return path if path.lower().endswith(DROPPABLE) else None
