"""Opening and saving for the main window: files, samples, projects, lessons, drops, recent
files.

:class:`ProjectFiles` is a part the window installs (``window.files``): File > New / Open /
Save / Recent and the lesson entries call it, and the window hands it its drops. It uses the
window only for feedback (``show_error``, ``hide_error``, ``show_step``, ``update_title``, the
status bar) and for the Start page's and the menus' recent lists. Every error from opening or
saving becomes the window's error banner, never a traceback.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QFileDialog, QMessageBox

from studio.core.data import list_samples
from studio.core.errors import StudioError
from studio.core.i18n import _
from studio.ui.common.guard import reports_errors

if TYPE_CHECKING:
    from studio.ui.shell.main_window import MainWindow

DROPPABLE = (".csv", ".tsv", ".txt", ".json")


class ProjectFiles(QObject):
    """File > New / Open / Save / Recent, lessons, and drag and drop (see the module
    docstring)."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.state = window.state
        self.settings = window.settings
        #: the temporary folder the open lesson was unpacked into (removed when it closes)
        self.lesson_folder: Path | None = None

    def open_path(self, path: str, remember: bool = True) -> bool:
        """Open a CSV, a project file (``.json``), a lesson or ``sample:NAME``. Errors become a
        banner."""
        if not self.confirm_discard():
            return False
        from studio.core.lesson import EXTENSION

        if path.lower().endswith(EXTENSION):
            if self.open_lesson(path) is None:
                return False
            if remember:
                self.settings.add_recent(path)
                self.refresh_recent()
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
            self.window.show_error(str(exc))
            if not path.startswith("sample:") and not os.path.exists(path):
                self.settings.remove_recent(path)
                self.refresh_recent()
            return False
        self.window.hide_error()
        if remember:
            self.settings.add_recent(path)
            if not path.startswith("sample:"):
                self.settings.set_last_directory(path)
            self.refresh_recent()
        # New data starts at the Data step and a project at Design, wherever the user was:
        # the later steps belong to the previous data and would show empty placeholders.
        self.window.show_step(step)
        self.window.update_title()
        return True

    @reports_errors
    def new_from_csv(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self.window, _("Open a CSV file"), self.settings.last_directory(),
            _("CSV files (*.csv *.tsv *.txt);;All files (*)"))
        if path:
            self.open_path(path)

    @reports_errors
    def open_project_dialog(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self.window, _("Open a project"), self.settings.last_directory(),
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
        path, _filter = QFileDialog.getSaveFileName(self.window, _("Save the project"), start,
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
            keep_data_beside(self.state.project, path, self.lesson_folder)
            self.state.save_project(path)
        except StudioError as exc:     # it says what failed and that nothing was lost
            self.window.show_error(str(exc))
            return False
        except OSError as exc:
            self.window.show_error(_("The project could not be saved: {detail}", detail=exc))
            return False
        self.settings.add_recent(path)
        self.settings.set_last_directory(path)
        self.refresh_recent()
        self.window.statusBar().showMessage(_("Saved {path}", path=path), 4000)
        self.window.update_title()
        return True

    def confirm_discard(self) -> bool:
        """True when it is fine to replace or close the current project."""
        if self.state.project is None or not self.state.dirty:
            return True
        answer = self.ask_save_changes()
        if answer == QMessageBox.Save:
            return self.save()
        return answer == QMessageBox.Discard

    def ask_save_changes(self) -> QMessageBox.StandardButton:
        """Save / Discard / Cancel (tests replace this method)."""
        name = self.window.project_name()
        return QMessageBox.question(
            self.window, _("Unsaved changes"),
            _("Save the changes to {name} before closing it?", name=name),
            QMessageBox.Save | QMessageBox.Discard | QMessageBox.Cancel, QMessageBox.Save)

    def refresh_recent(self) -> None:
        paths = self.settings.recent_files()
        self.window.start_page.set_recent(paths)
        self.window.menus.set_recent(paths)

    def clear_recent(self) -> None:
        self.settings.clear_recent()
        self.refresh_recent()

    # -- lessons ----------------------------------------------------------------------------
    def save_lesson_dialog(self) -> None:
        from studio.core.lesson import EXTENSION

        if self.state.project is None:
            return
        path, _f = QFileDialog.getSaveFileName(
            self.window, _("Save lesson"), (self.state.project.name or "lesson") + EXTENSION,
            _("NetSketch lessons (*{ext})", ext=EXTENSION))
        if path:
            self.save_lesson(path)

    def save_lesson(self, path: str, notes: str = "") -> bool:
        from studio.core.lesson import save_lesson

        try:
            save_lesson(path, self.state.project, self.state.dataset, self.state.result, notes)
        except StudioError as exc:
            self.window.show_error(str(exc))
            return False
        return True

    def open_lesson_dialog(self) -> None:
        from studio.core.lesson import EXTENSION

        path, _f = QFileDialog.getOpenFileName(self.window, _("Open lesson"), "",
                                               _("NetSketch lessons (*{ext})", ext=EXTENSION))
        if path and self.confirm_discard():
            self.open_lesson(path)

    def open_lesson(self, path: str):
        """Restore a lesson's project, data, model, curves and evaluation."""
        from studio.core.lesson import open_lesson

        try:
            lesson = open_lesson(path)
        except StudioError as exc:
            self.window.show_error(str(exc))
            return None
        self.state.adopt_lesson(lesson)
        self.lesson_folder = lesson.folder   # removed when this project closes
        if lesson.notes:
            QMessageBox.information(self.window, _("Lesson notes"), lesson.notes)
        return lesson

    def in_lesson_folder(self, path) -> bool:
        """Whether ``path`` lies in the temporary folder the open lesson was unpacked into."""
        if self.lesson_folder is None or path is None:
            return False
        try:
            return Path(path).resolve().is_relative_to(Path(self.lesson_folder).resolve())
        except OSError:
            return False

    def release_lesson_folder(self) -> None:
        """The lesson's project is closing: remove the temporary folder it was unpacked into
        (a project saved elsewhere took a copy of its data with it: save_to)."""
        from studio.core.lesson import remove_folder

        remove_folder(self.lesson_folder)
        self.lesson_folder = None

    # -- drag and drop (the window's events, handed over) ----------------------------------
    def drag_enter(self, event: QDragEnterEvent) -> None:
        if _dropped_path(event) is not None:
            event.acceptProposedAction()
        else:
            event.ignore()

    def drag_move(self, event: QDragMoveEvent) -> None:
        if _dropped_path(event) is not None:
            event.acceptProposedAction()

    def drop(self, event: QDropEvent) -> None:
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
