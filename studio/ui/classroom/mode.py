"""Classroom mode, a part the main window installs (``window.classroom``): presenting at a
projector, the language switch, step keys and the glossary.

:meth:`Classroom.install_menus` adds View > Language, View > Presentation mode (F5) with its
light/dark theme and zoom (Ctrl+plus / Ctrl+minus / Ctrl+0), Help > Glossary and step
navigation (Page Down / Page Up, Ctrl+Tab / Ctrl+Shift+Tab). The part keeps its own state
(presenting, zoom, theme, a language switch waiting for a run to end) and asks the window only
through its public methods.

Switching the language rebuilds the window's pages from the
:class:`~studio.ui.state.StudioState` (:meth:`MainWindow.retranslate`); while a model trains,
the switch waits for the run to end.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QApplication, QDockWidget, QMenu

from studio.core import i18n
from studio.core.i18n import _
from studio.ui.common import presentation
from studio.ui.common.live_texts import LiveTexts, install_qt_language

if TYPE_CHECKING:
    from studio.ui.shell.main_window import MainWindow

#: Language names are shown in their own language, never translated.
LANGUAGES = (("en", "English"), ("ko", "한국어"))


class Classroom(QObject):
    """See the module docstring."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.state = window.state
        self.settings = window.settings
        self.presenting = False
        self._zoom = presentation.ZOOM_STEPS.index(1.0)
        self._dark = self.settings.presentation_theme() == "dark"
        self._doctor_before = True
        self._docks_hidden: list[QDockWidget] = []
        self._pending_language: str | None = None
        self._look_timer = QTimer(self)
        self._look_timer.setSingleShot(True)
        self._look_timer.setInterval(120)
        self._look_timer.timeout.connect(self.apply_look)
        self.texts = LiveTexts()
        self.language_actions: dict[str, QAction] = {}
        self.theme_actions: dict[str, QAction] = {}
        self.zoom_actions: list[QAction] = []
        self.state.sig_result_ready.connect(self._on_result)

    # -- menus ----------------------------------------------------------------------------------
    def install_menus(self) -> None:
        """The classroom entries in the window's View and Help menus."""
        texts = self.texts
        window = self.window
        view = window.menus.view_menu
        first = view.actions()[0] if view.actions() else None
        self.presentation_action = QAction(window)
        texts.bind(self.presentation_action.setText, lambda: _("&Presentation mode"))
        self.presentation_action.setCheckable(True)
        self.presentation_action.setChecked(self.presenting)
        self.presentation_action.setShortcut(QKeySequence("F5"))
        self.presentation_action.toggled.connect(self.set_presentation)
        view.insertAction(first, self.presentation_action)
        theme_menu = QMenu(view)
        texts.bind(theme_menu.setTitle, lambda: _("Presentation &theme"))
        group = QActionGroup(theme_menu)
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
        for text, keys, slot in zoom:
            act = QAction(window)
            texts.bind(act.setText, text)
            act.setData(keys)
            act.triggered.connect(slot)
            view.insertAction(first, act)
            self.zoom_actions.append(act)
        self._set_zoom_shortcuts(self.presenting)
        view.insertSeparator(first)
        lang_menu = QMenu(view)
        texts.bind(lang_menu.setTitle, lambda: _("&Language"))
        group = QActionGroup(lang_menu)
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
            act = QAction(window)
            texts.bind(act.setText, text)
            act.setShortcuts(keys)
            act.setShortcutContext(Qt.WindowShortcut)
            act.triggered.connect(slot)
            view.addAction(act)
        help_menu = window.menus.help_menu
        act = QAction(window)
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
        from studio.ui.classroom.glossary_dialog import GlossaryDialog

        GlossaryDialog(self.window).exec()

    # -- steps ------------------------------------------------------------------------------
    def _enabled_rows(self) -> list[int]:
        steps = self.window.step_list
        return [i for i in range(steps.count()) if steps.item(i).flags() & Qt.ItemIsEnabled]

    def next_step(self) -> None:
        steps = self.window.step_list
        rows = [r for r in self._enabled_rows() if r > steps.currentRow()]
        if rows:
            steps.setCurrentRow(rows[0])

    def previous_step(self) -> None:
        steps = self.window.step_list
        rows = [r for r in self._enabled_rows() if r < steps.currentRow()]
        if rows:
            steps.setCurrentRow(rows[-1])

    # -- language ---------------------------------------------------------------------------
    def set_language(self, lang: str) -> None:
        """Switch the whole window to ``lang`` ("en" or "ko") now, and remember it."""
        self.settings.set_language(lang)
        for code, act in self.language_actions.items():
            act.setChecked(code == lang)
        if self.window.training_running():
            self._pending_language = lang
            self.window.statusBar().showMessage(_("The language changes when the training ends."),
                                         8000)
            return
        if lang == i18n.language():
            return
        i18n.set_language(lang)
        install_qt_language(lang)
        self.window.retranslate()
        self.texts.apply()
        if self.presenting:
            self.apply_look()

    def _on_result(self, _result=None) -> None:
        if self._pending_language is not None and not self.window.training_running():
            lang, self._pending_language = self._pending_language, None
            QTimer.singleShot(0, self, lambda: self.set_language(lang))
        if self.presenting:
            QTimer.singleShot(0, self, self.apply_look)

    # -- presentation mode --------------------------------------------------------------------
    def is_presenting(self) -> bool:
        return self.presenting

    def set_presentation(self, on: bool) -> None:
        """Large fonts, high contrast, thick lines, no doctor dock or status bar (F5)."""
        on = bool(on)
        if on == self.presenting:
            return
        window = self.window
        self.presenting = on
        self._set_zoom_shortcuts(on)
        if self.presentation_action.isChecked() != on:
            self.presentation_action.setChecked(on)
        if on:
            self._doctor_before = window.menus.doctor_action.isChecked()
            window.menus.doctor_action.setChecked(False)
            window.statusBar().hide()
            # every other side panel (code, ...) too: the steps get the whole projector
            self._docks_hidden = [d for d in window.findChildren(QDockWidget)
                                  if d is not window.doctor_dock and d.isVisible()]
            for dock in self._docks_hidden:
                dock.hide()
        else:
            for dock in self._docks_hidden:
                dock.show()
            self._docks_hidden = []
            # the zoom belongs to the presentation: the laptop look comes back as it was
            self._zoom = presentation.ZOOM_STEPS.index(1.0)
            window.menus.doctor_action.setChecked(self._doctor_before)
            if self._doctor_before and window.doctor_dock.isVisible():
                window.doctor_dock.raise_()     # its tab in front, as before presenting
            window.statusBar().show()
        self.apply_look()

    def leave_look(self) -> None:
        """The normal look again for the whole application (a closing window: another one
        in the same process must not start presenting or zoomed)."""
        if self.presenting or self.zoom_factor() != 1.0:
            self.presenting = False
            self._zoom = presentation.ZOOM_STEPS.index(1.0)
            presentation.reset_look(QApplication.instance(), self.window)

    def set_presentation_theme(self, name: str) -> None:
        self._dark = name == "dark"
        self.settings.set_presentation_theme("dark" if self._dark else "light")
        for key, act in self.theme_actions.items():
            act.setChecked(key == name)
        if self.presenting:
            self.apply_look()

    def zoom_in(self) -> None:
        self._zoom = min(len(presentation.ZOOM_STEPS) - 1, self._zoom + 1)
        self.apply_look()

    def zoom_out(self) -> None:
        self._zoom = max(0, self._zoom - 1)
        self.apply_look()

    def zoom_reset(self) -> None:
        self._zoom = presentation.ZOOM_STEPS.index(1.0)
        self.apply_look()

    def zoom_factor(self) -> float:
        return presentation.ZOOM_STEPS[self._zoom]

    def apply_look(self) -> None:
        """The window's look for the presenting state and zoom of now."""
        app = QApplication.instance()
        window, steps = self.window, self.window.step_list
        zoom = self.zoom_factor()
        if not self.presenting and zoom == 1.0:
            presentation.reset_look(app, window)
            steps.setFixedWidth(156)
            return
        pt = presentation.base_point_size(window.height(), zoom, self.presenting)
        presentation.apply_look(app, window, pt, self._dark if self.presenting else None)
        fm = steps.fontMetrics()
        widest = max((fm.horizontalAdvance(steps.item(i).text())
                      for i in range(steps.count())), default=100)
        icon = steps.iconSize().width()
        steps.setFixedWidth(max(156, int((widest + icon) * 1.15) + 40))

    def window_resized(self) -> None:
        """The window's size changed: while presenting, the look follows (debounced)."""
        if self.presenting:
            self._look_timer.start()
