"""The main window's menu bar: File (new, samples, open, recent, save, quit), View, Help.

:class:`MainMenus` builds the actions and keeps the ones the window enables or refills
(save, recent); what they do stays in :class:`~studio.ui.main_window.MainWindow`.
"""

from __future__ import annotations

import os

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu, QMessageBox

from studio import __version__
from studio.core.data import list_samples
from studio.core.i18n import _


class MainMenus(QObject):
    """Menus of ``window`` (a MainWindow); see the module docstring."""

    def __init__(self, window: QMainWindow, step_names: dict[str, str]) -> None:
        super().__init__(window)
        self.window = window
        mb = window.menuBar()
        file_menu = mb.addMenu(_("&File"))
        self._add(file_menu, _("&New from CSV…"), window.new_from_csv, QKeySequence.New)
        self.samples_menu = file_menu.addMenu(_("Open &sample"))
        for sample in list_samples():
            act = self.samples_menu.addAction(sample.title)
            act.setData(sample.source)
            act.triggered.connect(self._on_open_action)
        self._add(file_menu, _("&Open project…"), window.open_project_dialog, QKeySequence.Open)
        self.recent_menu = file_menu.addMenu(_("Open &recent"))
        file_menu.addSeparator()
        self.save_action = self._add(file_menu, _("&Save"), window.save, QKeySequence.Save)
        self.save_as_action = self._add(file_menu, _("Save &as…"), window.save_as,
                                        QKeySequence.SaveAs)
        file_menu.addSeparator()
        self.export_action = self._add(file_menu, _("&Export code…"), window.export_code_dialog)
        self.save_lesson_action = self._add(file_menu, _("Save &lesson…"),
                                            window.save_lesson_dialog)
        self._add(file_menu, _("Open l&esson…"), window.open_lesson_dialog)
        file_menu.addSeparator()
        self._add(file_menu, _("&Quit"), window.close, QKeySequence.Quit)

        view = mb.addMenu(_("&View"))
        self.doctor_action = QAction(_("&Doctor panel"), window)
        self.doctor_action.setCheckable(True)
        self.doctor_action.setChecked(True)
        self.doctor_action.setShortcut(QKeySequence("Ctrl+D"))
        view.addAction(self.doctor_action)
        view.addAction(window.code_dock.toggleViewAction())
        view.addAction(window.predict_dock.toggleViewAction())
        runs_view = getattr(window, "runs_view", None)
        if runs_view is not None:
            view.addAction(window.runs_dock.toggleViewAction())
        view.addSeparator()
        for i, (key, name) in enumerate(step_names.items()):
            act = view.addAction(_("Go to {step}", step=name))
            act.setShortcut(QKeySequence(f"Ctrl+{i + 1}"))
            act.setData(key)
            act.triggered.connect(self._on_goto_action)

        if runs_view is not None:
            experiments = mb.addMenu(_("E&xperiments"))
            self._add(experiments, _("&Runs"), self._show_runs)
            self.search_action = self._add(experiments, _("Hyperparameter &search…"),
                                           runs_view.open_search)

        help_menu = mb.addMenu(_("&Help"))
        self._add(help_menu, _("&About NetSketch Studio"), self.show_about)

    def _show_runs(self) -> None:
        self.window.runs_dock.show()
        self.window.runs_dock.raise_()

    def _add(self, menu: QMenu, text: str, slot, shortcut=None) -> QAction:
        act = QAction(text, self.window)
        if shortcut is not None:
            act.setShortcut(shortcut)
        act.triggered.connect(slot)
        menu.addAction(act)
        return act

    def set_recent(self, paths: list[str]) -> None:
        self.recent_menu.clear()
        for path in paths:
            text = path if path.startswith("sample:") else os.path.basename(path)
            act = self.recent_menu.addAction(text)
            act.setToolTip(path)
            act.setData(path)
            act.triggered.connect(self._on_open_action)
        if paths:
            self.recent_menu.addSeparator()
            self.recent_menu.addAction(_("Clear the list"), self.window.clear_recent)
        self.recent_menu.setEnabled(bool(paths))

    def _on_open_action(self) -> None:
        self.window.open_path(self.sender().data())

    def _on_goto_action(self) -> None:
        key = self.sender().data()
        item = self.window.step_list.item(self.window.steps().index(key))
        if item.flags() & Qt.ItemIsEnabled:
            self.window.show_step(key)

    def show_about(self) -> None:
        QMessageBox.about(self.window, _("About NetSketch Studio"),
                          _("<h3>NetSketch Studio {version}</h3><p>Design, train and evaluate "
                            "Keras neural networks on your own tabular data.</p>",
                            version=__version__))
