"""Undoable edits of the project: what the state pushes on its one undo stack.

Every change a user makes to the project (a column's role or preprocessing, a compile or
training field, a doctor's one-click fix, restoring a run, applying the best search result, a
canvas edit) is one command on :attr:`StudioState.undo_stack`, so Edit > Undo reverts any of
them in the order they were made. A :class:`ProjectEdit` holds the editable parts of the
project before and after the change (:class:`ProjectParts`) and puts one or the other back;
the canvas's own commands (studio/ui/design/commands.py) do the same for the design alone.

Consecutive changes of one field (typing 0.0005 into the learning rate is four value changes)
merge into one undo step, as a text editor merges typing.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QUndoCommand

from studio.core.design import Design
from studio.core.prep import ColumnPrep, SplitSettings
from studio.core.project import Project
from studio.core.settings import CompileSettings, TrainSettings

if TYPE_CHECKING:
    from studio.ui.state import StudioState

#: QUndoCommand ids: edits with the same id and the same merge key merge into one step.
_FIELD_EDIT_ID = 5001


@dataclass(frozen=True)
class ProjectParts:
    """The parts of a project a user edits, copied so that later edits cannot reach them.

    What is not here is not undone: the run history (a run is kept, not edited), the data
    source and read options (reading the file again starts a new history), the file path.
    """

    target: str
    task: str | None
    columns: dict[str, ColumnPrep]
    design: Design
    compile: CompileSettings
    training: TrainSettings
    split: SplitSettings

    @classmethod
    def of(cls, project: Project) -> ProjectParts:
        return cls(project.target, project.task, copy.deepcopy(project.columns),
                   project.design.copy(), copy.deepcopy(project.compile),
                   copy.deepcopy(project.training), copy.deepcopy(project.split))

    def put_into(self, project: Project) -> None:
        """Make these parts the project's (copies: the command keeps its own)."""
        project.target, project.task = self.target, self.task
        project.columns = copy.deepcopy(self.columns)
        project.design = self.design.copy()
        project.compile = copy.deepcopy(self.compile)
        project.training = copy.deepcopy(self.training)
        project.split = copy.deepcopy(self.split)

    def same_as(self, other: ProjectParts) -> bool:
        return (self.target, self.task, self.columns, self.compile, self.training,
                self.split) == (other.target, other.task, other.columns, other.compile,
                                other.training, other.split) \
            and self.design.to_list() == other.design.to_list()


class ProjectEdit(QUndoCommand):
    """One change of the project: redo puts ``after`` in, undo puts ``before`` back.

    ``merge_key`` (a field's path, say) lets consecutive edits of the same thing merge into
    one step; ``design`` says whether the design may have changed (the canvas redraws).
    """

    def __init__(self, state: StudioState, text: str, before: ProjectParts,
                 after: ProjectParts, *, design: bool = False,
                 merge_key: str | None = None) -> None:
        super().__init__(text)
        self.state = state
        self.project = state.project          # an edit belongs to one project
        self.before, self.after = before, after
        self.design = design
        self.merge_key = merge_key

    def id(self) -> int:  # QUndoCommand's name
        return _FIELD_EDIT_ID if self.merge_key else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not (isinstance(other, ProjectEdit) and other.merge_key == self.merge_key
                and other.project is self.project):
            return False
        self.after = other.after
        self.setObsolete(self.after.same_as(self.before))   # typed back: no step at all
        return True

    def redo(self) -> None:
        self._put(self.after)

    def undo(self) -> None:
        self._put(self.before)

    def _put(self, parts: ProjectParts) -> None:
        if self.state.project is not self.project:
            return                                # the project was replaced: nothing to do
        parts.put_into(self.project)
        self.state.touch(design=self.design)


def field_value(project: Project, path: str) -> Any:
    """The value at ``path`` ("compile.learning_rate", "training.early_stopping.patience")."""
    obj: Any = project
    for name in path.split("."):
        obj = getattr(obj, name)
    return obj


def set_field_value(project: Project, path: str, value: Any) -> None:
    """Set the value at ``path``; an unknown path is a programming error (AttributeError)."""
    *parents, name = path.split(".")
    obj: Any = project
    for parent in parents:
        obj = getattr(obj, parent)
    if not hasattr(obj, name):
        raise AttributeError(f"{type(obj).__name__} has no field {name!r} ({path})")
    setattr(obj, name, value)
