"""The main window's menu bar: File (new, samples, open, recent, save, quit), Edit, View,
Experiments, Help. A language switch retranslates them in place (:meth:`MainMenus.retranslate`).

:class:`MainMenus` builds the actions and keeps the ones the window enables or refills
(save, recent); what they do stays in :class:`~studio.ui.shell.main_window.MainWindow`.
"""

from __future__ import annotations

import os
from collections.abc import Callable

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu, QMessageBox

from studio import __version__
from studio.core.data import list_samples
from studio.core.i18n import _
from studio.ui.common.live_texts import LiveTexts


class MainMenus(QObject):
    """Menus of ``window`` (a MainWindow); see the module docstring. ``step_names`` gives
    each step's title in the current language (called again on a language switch)."""

    def __init__(self, window: QMainWindow, step_names: Callable[[], dict[str, str]]) -> None:
        super().__init__(window)
        self.window = window
        self.texts = LiveTexts()
        self._step_names = step_names
        mb = window.menuBar()
        file_menu = self._menu(mb, lambda: _("&File"))
        self._add(file_menu, lambda: _("&New from CSV…"), window.files.new_from_csv,
                  QKeySequence.New)
        self.samples_menu = self._menu(file_menu, lambda: _("Open &sample"))
        self._fill_samples()
        self._add(file_menu, lambda: _("&Open project…"), window.files.open_project_dialog,
                  QKeySequence.Open)
        self.recent_menu = self._menu(file_menu, lambda: _("Open &recent"))
        self._recent: list[str] = []
        file_menu.addSeparator()
        self.save_action = self._add(file_menu, lambda: _("&Save"), window.files.save,
                                     QKeySequence.Save)
        self.save_as_action = self._add(file_menu, lambda: _("Save &as…"), window.files.save_as,
                                        QKeySequence.SaveAs)
        file_menu.addSeparator()
        self.export_action = self._add(file_menu, lambda: _("&Export code…"),
                                       window.export_code_dialog)
        self.save_lesson_action = self._add(file_menu, lambda: _("Save &lesson…"),
                                            window.files.save_lesson_dialog)
        self._add(file_menu, lambda: _("Open l&esson…"), window.files.open_lesson_dialog)
        file_menu.addSeparator()
        self._add(file_menu, lambda: _("&Quit"), window.close, QKeySequence.Quit)

        #: Edit: undo / redo of the canvas page (refilled when the page is rebuilt)
        self.edit_menu = self._menu(mb, lambda: _("&Edit"))
        view = self.view_menu = self._menu(mb, lambda: _("&View"))
        self.doctor_action = QAction(window)
        self.texts.bind(self.doctor_action.setText, lambda: _("&Doctor panel"))
        self.doctor_action.setCheckable(True)
        self.doctor_action.setChecked(True)
        self.doctor_action.setShortcut(QKeySequence("Ctrl+D"))
        view.addAction(self.doctor_action)
        view.addAction(window.code_dock.toggleViewAction())
        view.addAction(window.predict_dock.toggleViewAction())
        view.addAction(window.runs_dock.toggleViewAction())
        view.addSeparator()
        for i, key in enumerate(step_names()):
            act = self._add(view, lambda key=key: _("Go to {step}",
                                                    step=self._step_names().get(key, key)),
                            self._on_goto_action, QKeySequence(f"Ctrl+{i + 1}"))
            act.setData(key)

        experiments = self._menu(mb, lambda: _("E&xperiments"))
        self._add(experiments, lambda: _("&Runs"), self._show_runs)
        self.search_action = self._add(experiments, lambda: _("Hyperparameter &search…"),
                                       self._open_search)

        self.help_menu = self._menu(mb, lambda: _("&Help"))
        self._add(self.help_menu, lambda: _("&About NetSketch Studio"), self.show_about)

    def retranslate(self) -> None:
        """Every menu and action text again in the current language; the same objects."""
        self.texts.apply()
        self._fill_samples()
        self.set_recent(self._recent)

    def set_edit_actions(self, actions: list[QAction]) -> None:
        """Edit's entries: the canvas page's undo and redo (hidden when there are none)."""
        self.edit_menu.clear()
        for act in actions:
            self.edit_menu.addAction(act)
        self.edit_menu.menuAction().setVisible(bool(actions))

    def _menu(self, parent, title: Callable[[], str]) -> QMenu:
        menu = parent.addMenu("")
        self.texts.bind(menu.setTitle, title)
        return menu

    def _fill_samples(self) -> None:
        self.samples_menu.clear()
        for sample in list_samples():
            act = self.samples_menu.addAction(sample.title)
            act.setData(sample.source)
            act.triggered.connect(self._on_open_action)

    def _open_search(self) -> None:
        self.window.runs_view.open_search()      # the runs view of now (pages are rebuilt)

    def _show_runs(self) -> None:
        self.window.runs_dock.show()
        self.window.runs_dock.raise_()

    def _add(self, menu: QMenu, text: Callable[[], str], slot, shortcut=None) -> QAction:
        act = QAction(self.window)
        self.texts.bind(act.setText, text)
        if shortcut is not None:
            act.setShortcut(shortcut)
        act.triggered.connect(slot)
        menu.addAction(act)
        return act

    def set_recent(self, paths: list[str]) -> None:
        self._recent = list(paths)
        self.recent_menu.clear()
        for path in paths:
            text = path if path.startswith("sample:") else os.path.basename(path)
            act = self.recent_menu.addAction(text)
            act.setToolTip(path)
            act.setData(path)
            act.triggered.connect(self._on_open_action)
        if paths:
            self.recent_menu.addSeparator()
            self.recent_menu.addAction(_("Clear the list"), self.window.files.clear_recent)
        self.recent_menu.setEnabled(bool(paths))

    def _on_open_action(self) -> None:
        self.window.files.open_path(self.sender().data())

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
