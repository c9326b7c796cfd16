"""Texts that follow a live language switch, and Qt's own strings in the studio's language.

:class:`LiveTexts` is Qt's ``retranslateUi`` for the studio's catalogue: a text is bound to
its widget once, as a function that makes it (``lambda: _("&File")``, so the string extractor
still sees the literal), and :meth:`LiveTexts.apply` sets every bound text again in the current
language. Long-lived objects (the menus, their actions, the docks' titles, the step list) are
retranslated in place this way, so a switch never recreates an action, a shortcut or a menu.

:func:`install_qt_language` puts Qt's own catalogue (``qtbase_ko.qm``, which PySide6 ships in
``QLibraryInfo.path(TranslationsPath)``) on the application, so that the buttons Qt makes itself
(OK / Cancel, Save / Discard, Yes / No, the file dialog's texts) are in the studio's language
too; a live switch replaces it.
"""

from __future__ import annotations

from collections.abc import Callable

import shiboken6
from PySide6.QtCore import QCoreApplication, QLibraryInfo, QTranslator


class LiveTexts:
    """Bound texts: ``bind(setter, make)`` sets ``setter(make())`` now and on each apply."""

    def __init__(self) -> None:
        self._bound: list[tuple[Callable[[str], object], Callable[[], str]]] = []

    def bind(self, setter: Callable[[str], object], make: Callable[[], str]) -> None:
        setter(make())
        self._bound.append((setter, make))

    def apply(self) -> None:
        """Set every bound text again; texts of objects Qt has deleted are dropped."""
        alive = []
        for setter, make in self._bound:
            owner = getattr(setter, "__self__", None)
            if owner is not None and not shiboken6.isValid(owner):
                continue
            setter(make())
            alive.append((setter, make))
        self._bound = alive

    def __len__(self) -> int:
        return len(self._bound)


#: Qt's catalogues of its own strings, tried in turn: ``qtbase`` (Qt 6's widgets and dialogs,
#: which PySide6 ships) and ``qt``, all of Qt in one file where a packaging has no qtbase (in
#: PySide6 it only names the modules' catalogues and loads when all of them are there).
QT_CATALOGUES = ("qtbase", "qt")
_qt_translators: list[QTranslator] = []


def install_qt_language(lang: str) -> bool:
    """Translate Qt's own strings into ``lang``, replacing the catalogue installed before
    (English: none; a live switch calls this again); True when one was loaded. Where PySide6
    ships no catalogue for ``lang``, Qt's buttons stay in English."""
    app = QCoreApplication.instance()
    if app is None:
        return False
    while _qt_translators:
        app.removeTranslator(_qt_translators.pop())
    if lang == "en":
        return False
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    for catalogue in QT_CATALOGUES:
        translator = QTranslator()
        if translator.load(f"{catalogue}_{lang}", folder):
            app.installTranslator(translator)
            _qt_translators.append(translator)
            return True
    return False
