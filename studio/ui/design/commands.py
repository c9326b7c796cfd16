"""One QUndoCommand per kind of edit (NodeGraphQt's ``base/commands.py``).

The core :class:`~studio.core.design.Design` is the single source of truth: a command holds the
design before and after the edit and hands either to ``state.set_design``; the canvas redraws
from the state's signal. Layer uids are kept across edits (``Design.copy`` keeps them), so undo
and redo give back exactly the same layers.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from PySide6.QtGui import QUndoCommand

from studio.core.design import Design, Layer
from studio.core.i18n import _

_EDIT_ID = 4001      # consecutive edits of one field of one layer merge into one step


class DesignCommand(QUndoCommand):
    """Replace the state's design by ``after``; undo puts ``before`` back."""

    def __init__(self, state: Any, after: Design, text: str) -> None:
        super().__init__(text)
        self.state = state
        self.before = state.project.design.copy()
        self.after = after.copy()

    def redo(self) -> None:
        self.state.set_design(self.after.copy())

    def undo(self) -> None:
        self.state.set_design(self.before.copy())


class InsertLayerCommand(DesignCommand):
    def __init__(self, state: Any, index: int, layer: Layer) -> None:
        d = state.project.design.copy()
        d.layers.insert(index, layer)
        super().__init__(state, d, _("Insert {layer}", layer=layer.describe()))
        self.uid = layer.uid


class RemoveLayerCommand(DesignCommand):
    def __init__(self, state: Any, uid: str) -> None:
        d = state.project.design.copy()
        layer = d.layers.pop(d.index_of(uid))
        super().__init__(state, d, _("Delete {layer}", layer=layer.describe()))


class MoveLayerCommand(DesignCommand):
    """A whole drag of a column: one undo step."""

    def __init__(self, state: Any, uid: str, index: int) -> None:
        d = state.project.design.copy()
        layer = d.layers.pop(d.index_of(uid))
        d.layers.insert(index, layer)
        super().__init__(state, d, _("Move {layer}", layer=layer.describe()))


class DuplicateLayerCommand(DesignCommand):
    def __init__(self, state: Any, uid: str) -> None:
        d = state.project.design.copy()
        i = d.index_of(uid)
        twin = d.layers[i].copy()
        d.layers.insert(i + 1, twin)
        super().__init__(state, d, _("Duplicate {layer}", layer=d.layers[i].describe()))
        self.uid = twin.uid


class EditLayerCommand(DesignCommand):
    """Change fields of one layer (units, activation, rate, l1, l2, initializer)."""

    def __init__(self, state: Any, uid: str, **changes: Any) -> None:
        d = state.project.design.copy()
        i = d.index_of(uid)
        d.layers[i] = replace(d.layers[i], **changes)
        super().__init__(state, d, _("Edit {layer}", layer=d.layers[i].describe()))
        self.uid, self.fields = uid, tuple(sorted(changes))

    def id(self) -> int:
        return _EDIT_ID

    def mergeWith(self, other: QUndoCommand) -> bool:
        """Clicking + five times is one step (the same field of the same layer)."""
        if not isinstance(other, EditLayerCommand) or other.uid != self.uid \
                or other.fields != self.fields:
            return False
        self.after = other.after.copy()
        return True
