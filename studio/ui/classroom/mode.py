"""The main window's classroom features: language switching, presentation mode, step keys.

A mixin for :class:`~studio.ui.shell.main_window.MainWindow`, kept apart so the window file stays
small. :meth:`ClassroomMixin.install_classroom` adds View > Language, View > Presentation mode
(F5) with its light/dark theme and zoom (Ctrl+plus / Ctrl+minus / Ctrl+0), Help > Glossary and
step navigation (Page Down / Page Up, Ctrl+Tab / Ctrl+Shift+Tab).

Switching the language rebuilds the step pages, the doctor and the menus from the
:class:`~studio.ui.state.StudioState`, which is the source of truth: a page
has no state of its own worth keeping, so recreating it is simpler and more robust than a
``retranslate_ui`` in every panel that could forget a string. The doctor is run again so its
findings are in the new language, and a finished run is replayed into the new pages. While a
model trains, the switch waits for the run to end.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QApplication, QDockWidget, QMenu, QWidget

from studio.core import i18n
from studio.core.i18n import _
from studio.ui.classroom import presentation
from studio.ui.common.live_texts import LiveTexts, install_qt_language

#: Language names are shown in their own language, never translated.
LANGUAGES = (("en", "English"), ("ko", "한국어"))


class ClassroomMixin:
    """See the module docstring. Needs the MainWindow attributes it names."""

    def install_classroom(self) -> None:
        self._presenting = False
        self._zoom = presentation.ZOOM_STEPS.index(1.0)
        self._dark = self.settings.presentation_theme() == "dark"
        self._doctor_before = True
        self._pending_language: str | None = None
        self._look_timer = QTimer(self)
        self._look_timer.setSingleShot(True)
        self._look_timer.setInterval(120)
        self._look_timer.timeout.connect(self._apply_look)
        self.state.sig_result_ready.connect(self._on_classroom_result)
        self._add_classroom_menus()

    # -- menus ----------------------------------------------------------------------------------
    def _add_classroom_menus(self) -> None:
        texts = self._classroom_texts = LiveTexts()
        view = self.menus.view_menu
        first = view.actions()[0] if view.actions() else None
        self.presentation_action = QAction(self)
        texts.bind(self.presentation_action.setText, lambda: _("&Presentation mode"))
        self.presentation_action.setCheckable(True)
        self.presentation_action.setChecked(self._presenting)
        self.presentation_action.setShortcut(QKeySequence("F5"))
        self.presentation_action.toggled.connect(self.set_presentation)
        view.insertAction(first, self.presentation_action)
        theme_menu = QMenu(view)
        texts.bind(theme_menu.setTitle, lambda: _("Presentation &theme"))
        group = QActionGroup(theme_menu)
        self.theme_actions = {}
        for key, text in (("light", lambda: _("Light, high contrast")),
                          ("dark", lambda: _("Dark"))):
            act = theme_menu.addAction("")
            texts.bind(act.setText, text)
            act.setCheckable(True)
            act.setChecked((key == "dark") == self._dark)
            act.setData(key)
            act.triggered.connect(self._on_theme_action)
            group.addAction(act)
            self.theme_actions[key] = act
        view.insertMenu(first, theme_menu)
        zoom = [(lambda: _("Zoom &in"), [QKeySequence.ZoomIn, QKeySequence("Ctrl+=")],
                 self.zoom_in),
                (lambda: _("Zoom &out"), [QKeySequence.ZoomOut], self.zoom_out),
                (lambda: _("&Reset zoom"), [QKeySequence("Ctrl+0")], self.zoom_reset)]
        self.zoom_actions = []
        for text, keys, slot in zoom:
            act = QAction(self)
            texts.bind(act.setText, text)
            act.setData(keys)
            act.triggered.connect(slot)
            view.insertAction(first, act)
            self.zoom_actions.append(act)
        self._set_zoom_shortcuts(self._presenting)
        view.insertSeparator(first)
        lang_menu = QMenu(view)
        texts.bind(lang_menu.setTitle, lambda: _("&Language"))
        group = QActionGroup(lang_menu)
        self.language_actions = {}
        for code, name in LANGUAGES:
            act = lang_menu.addAction(name)
            act.setCheckable(True)
            act.setChecked(code == i18n.language())
            act.setData(code)
            act.triggered.connect(self._on_language_action)
            group.addAction(act)
            self.language_actions[code] = act
        view.insertMenu(first, lang_menu)
        view.insertSeparator(first)
        nav = [(lambda: _("&Next step"), [QKeySequence(Qt.Key_PageDown),
                                          QKeySequence("Ctrl+Tab")], self.next_step),
               (lambda: _("&Previous step"), [QKeySequence(Qt.Key_PageUp),
                                              QKeySequence("Ctrl+Shift+Tab")],
                self.previous_step)]
        for text, keys, slot in nav:
            act = QAction(self)
            texts.bind(act.setText, text)
            act.setShortcuts(keys)
            act.setShortcutContext(Qt.WindowShortcut)
            act.triggered.connect(slot)
            view.addAction(act)
        help_menu = self.menus.help_menu
        act = QAction(self)
        texts.bind(act.setText, lambda: _("&Glossary"))
        act.setShortcut(QKeySequence.HelpContents)
        act.triggered.connect(self.show_glossary)
        help_menu.insertAction(help_menu.actions()[0] if help_menu.actions() else None, act)

    def _set_zoom_shortcuts(self, on: bool) -> None:
        """Ctrl+plus / minus / 0 zoom the whole window only while presenting; otherwise
        they stay with the canvas, which zooms the drawing with them."""
        for act in self.zoom_actions:
            act.setShortcuts(act.data() if on else [])

    def _on_language_action(self) -> None:
        self.set_language(self.sender().data())

    def _on_theme_action(self) -> None:
        self.set_presentation_theme(self.sender().data())

    def show_glossary(self) -> None:
        from studio.ui.shell.glossary_dialog import GlossaryDialog

        GlossaryDialog(self).exec()

    # -- steps ------------------------------------------------------------------------------
    def _enabled_rows(self) -> list[int]:
        return [i for i in range(self.step_list.count())
                if self.step_list.item(i).flags() & Qt.ItemIsEnabled]

    def next_step(self) -> None:
        rows = [r for r in self._enabled_rows() if r > self.step_list.currentRow()]
        if rows:
            self.step_list.setCurrentRow(rows[0])

    def previous_step(self) -> None:
        rows = [r for r in self._enabled_rows() if r < self.step_list.currentRow()]
        if rows:
            self.step_list.setCurrentRow(rows[-1])

    # -- language ---------------------------------------------------------------------------
    def set_language(self, lang: str) -> None:
        """Switch the whole window to ``lang`` ("en" or "ko") now, and remember it."""
        self.settings.set_language(lang)
        for code, act in getattr(self, "language_actions", {}).items():
            act.setChecked(code == lang)
        if self._training_running():
            self._pending_language = lang
            self.statusBar().showMessage(_("The language changes when the training ends."),
                                         8000)
            return
        if lang == i18n.language():
            return
        i18n.set_language(lang)
        install_qt_language(lang)
        self.retranslate()

    def _training_running(self) -> bool:
        for i in range(self.stack.count()):
            controller = getattr(self.stack.widget(i), "controller", None)
            if controller is not None and getattr(controller, "is_running", False):
                return True
        return False

    def _on_classroom_result(self, _result=None) -> None:
        if self._pending_language is not None and not self._training_running():
            lang, self._pending_language = self._pending_language, None
            QTimer.singleShot(0, self, lambda: self.set_language(lang))
        if self._presenting:
            QTimer.singleShot(0, self, self._apply_look)

    def retranslate(self) -> None:
        """Every text of the window in the current language.

        The menus, their actions (and so their shortcuts), the docks and the step list are
        the same objects, retranslated in place. The pages and the side panels are made anew
        from the :class:`~studio.ui.state.StudioState`, which holds everything worth keeping
        (the undo stack included), and wired again as at start-up; the doctor runs again so
        that its findings are in the new language, and a finished run is replayed into the new
        Train and Evaluate pages.
        """
        from studio.ui.shell.main_window import step_titles

        current = self.current_step()
        state = self.state
        old_canvas = self.findChild(QWidget, "canvasPanel")
        kernels = getattr(getattr(old_canvas, "scene", None), "kernels", None)
        state.rediagnose()
        self.step_list.blockSignals(True)
        titles = step_titles()
        for i, key in enumerate(self._keys):
            if key not in titles:           # a step added by add_step: keep it
                continue
            old = self.stack.widget(i)
            if hasattr(old, "shutdown"):
                old.shutdown()
            page = self._make_page(key)
            self.stack.insertWidget(i, page)
            self.stack.removeWidget(old)
            old.deleteLater()
            self.step_list.item(i).setText("  " + titles[key])
        self.step_list.blockSignals(False)

        self._make_side_panels()
        self.menus.retranslate()
        self._classroom_texts.apply()
        self._window_texts.apply()
        self._wire_pages()
        self._refresh_recent()

        self._show_tensorflow_state(state.tensorflow_ready,
                                    state.device_text or state.tensorflow_error)
        self._update_blocked()
        self._on_dataset_changed()
        self._replay_result()
        canvas = self.findChild(QWidget, "canvasPanel")
        if kernels is not None and canvas is not None:
            canvas.set_weights(0, kernels)     # the weights the canvas showed, as they were
        self.show_step(current)
        self._on_step_changed(self.step_list.currentRow())   # the stack lost its index
        if self._presenting:
            self._apply_look()

    def _replay_result(self) -> None:
        """Show the finished run (curves, reading, evaluation) in the rebuilt pages."""
        result = self.state.result
        if result is None or "train" not in self._keys:
            return
        train = self.page("train")
        if not hasattr(train, "draw_history"):
            self.state.sig_result_ready.emit(result)
            return
        project = getattr(train.controller, "project", None) or self.state.project
        es = project.training.early_stopping
        train.draw_history(getattr(result, "history", {}) or {},
                           best_epoch=int(getattr(result, "best_epoch", 0) or 0),
                           events=list(getattr(result, "events", []) or []),
                           monitor=es.monitor if es.enabled else "val_loss",
                           loss=project.compile.loss, metrics=list(project.compile.metrics))
        train._on_finished(result)       # shows the texts and emits sig_result_ready

    # -- presentation mode --------------------------------------------------------------------
    def is_presenting(self) -> bool:
        return self._presenting

    def set_presentation(self, on: bool) -> None:
        """Large fonts, high contrast, thick lines, no doctor dock or status bar (F5)."""
        on = bool(on)
        if on == self._presenting:
            return
        self._presenting = on
        self._set_zoom_shortcuts(on)
        if self.presentation_action.isChecked() != on:
            self.presentation_action.setChecked(on)
        if on:
            self._doctor_before = self.menus.doctor_action.isChecked()
            self.menus.doctor_action.setChecked(False)
            self.statusBar().hide()
            # every other side panel (code, ...) too: the steps get the whole projector
            self._docks_hidden = [d for d in self.findChildren(QDockWidget)
                                  if d is not self.doctor_dock and d.isVisible()]
            for dock in self._docks_hidden:
                dock.hide()
        else:
            for dock in getattr(self, "_docks_hidden", []):
                dock.show()
            self._docks_hidden = []       # the zoom belongs to the presentation: the laptop look comes back as it was
            self._zoom = presentation.ZOOM_STEPS.index(1.0)
            self.menus.doctor_action.setChecked(self._doctor_before)
            if self._doctor_before and self.doctor_dock.isVisible():
                self.doctor_dock.raise_()     # its tab in front, as before presenting
            self.statusBar().show()
        self._apply_look()

    def leave_look(self) -> None:
        """The normal look again for the whole application (a closing window: another one
        in the same process must not start presenting or zoomed)."""
        if self._presenting or self.zoom_factor() != 1.0:
            self._presenting = False
            self._zoom = presentation.ZOOM_STEPS.index(1.0)
            presentation.reset_look(QApplication.instance(), self)

    def set_presentation_theme(self, name: str) -> None:
        self._dark = name == "dark"
        self.settings.set_presentation_theme("dark" if self._dark else "light")
        for key, act in getattr(self, "theme_actions", {}).items():
            act.setChecked(key == name)
        if self._presenting:
            self._apply_look()

    def zoom_in(self) -> None:
        self._zoom = min(len(presentation.ZOOM_STEPS) - 1, self._zoom + 1)
        self._apply_look()

    def zoom_out(self) -> None:
        self._zoom = max(0, self._zoom - 1)
        self._apply_look()

    def zoom_reset(self) -> None:
        self._zoom = presentation.ZOOM_STEPS.index(1.0)
        self._apply_look()

    def zoom_factor(self) -> float:
        return presentation.ZOOM_STEPS[self._zoom]

    def _apply_look(self) -> None:
        app = QApplication.instance()
        zoom = self.zoom_factor()
        if not self._presenting and zoom == 1.0:
            presentation.reset_look(app, self)
            self.step_list.setFixedWidth(156)
            return
        pt = presentation.base_point_size(self.height(), zoom, self._presenting)
        presentation.apply_look(app, self, pt, self._dark if self._presenting else None)
        fm = self.step_list.fontMetrics()
        widest = max((fm.horizontalAdvance(self.step_list.item(i).text())
                      for i in range(self.step_list.count())), default=100)
        icon = self.step_list.iconSize().width()
        self.step_list.setFixedWidth(max(156, int((widest + icon) * 1.15) + 40))

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if getattr(self, "_presenting", False):
            self._look_timer.start()

