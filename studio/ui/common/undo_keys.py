"""Undo and redo keys that work everywhere in the window.

Two traps, both seen on Linux in a real window:

- Redo registered as ``Ctrl+Shift+Z`` *and* ``QKeySequence.StandardKey.Redo`` binds the same
  keys twice on platforms whose standard Redo already includes them; Qt then reports
  "Ambiguous shortcut overload" and does nothing. :func:`redo_shortcuts` de-duplicates.
- A focused spin box or line edit accepts Ctrl+Z as a ShortcutOverride for its own text
  undo, so the studio's undo never fires. :class:`UndoPassThrough` lets the window's undo and
  redo keys through (after committing what was typed, so that Ctrl+Z undoes that edit).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QAbstractSpinBox


def _unique(sequences: list[QKeySequence]) -> list[QKeySequence]:
    seen: set[str] = set()
    out = []
    for seq in sequences:
        key = seq.toString(QKeySequence.SequenceFormat.PortableText)
        if key and key not in seen:
            seen.add(key)
            out.append(seq)
    return out


def undo_shortcuts() -> list[QKeySequence]:
    return _unique(QKeySequence.keyBindings(QKeySequence.StandardKey.Undo)
                   + [QKeySequence("Ctrl+Z")])


def redo_shortcuts() -> list[QKeySequence]:
    """The platform's Redo keys plus Ctrl+Shift+Z and Ctrl+Y, each once."""
    return _unique(QKeySequence.keyBindings(QKeySequence.StandardKey.Redo)
                   + [QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])


def _matches(event, sequences: list[QKeySequence]) -> bool:
    combo = QKeySequence(event.keyCombination())
    return any(seq.matches(combo) == QKeySequence.SequenceMatch.ExactMatch
               for seq in sequences)


class UndoPassThrough(QObject):
    """Event filter for editors inside a panel: undo/redo keys reach the window's actions."""

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and (
                _matches(event, undo_shortcuts()) or _matches(event, redo_shortcuts())):
            spin = obj if isinstance(obj, QAbstractSpinBox) else obj.parent()
            if isinstance(spin, QAbstractSpinBox):
                spin.interpretText()        # what was typed becomes an edit first
            event.ignore()                  # not taken by the editor: the shortcut fires
            return True
        return False


def pass_undo_keys(spins: list[QAbstractSpinBox], keeper: QObject) -> UndoPassThrough:
    """Install the pass-through on each spin box and its line edit (``keeper`` owns it)."""
    filt = UndoPassThrough(keeper)
    for spin in spins:
        spin.installEventFilter(filt)
        if spin.lineEdit() is not None:
            spin.lineEdit().installEventFilter(filt)
    return filt
