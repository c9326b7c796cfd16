"""The GUI's single source of truth and its one writer: the project, its data, the doctor's
findings, the last result, and the undo stack.

Panels read from one :class:`StudioState` and change the project only through its methods;
they never keep their own copy of the project, assign its fields or emit the state's signals.
Every change a user makes is an undoable command on :attr:`StudioState.undo_stack`
(studio/ui/edits.py; the canvas's commands in studio/ui/design/commands.py); after each one
the doctor runs again and the signals tell every panel (Ryven's ``flow.node_added.sub(...)``
pattern, glue's command stack on the session).

Replacing the project (new data, opening a project or a lesson) is not undoable: it starts a
new undo history (``sig_project_closing`` clears the stack).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from studio.core import doctor
from studio.core.data import Dataset, ReadOptions, TaskInfo, load
from studio.core.design import Design, with_input_width
from studio.core.errors import StudioError
from studio.core.i18n import _
from studio.core.project import Project, estimate_inputs, new_project
from studio.ui.edits import ProjectEdit, ProjectParts, field_value, set_field_value


class StudioState(QObject):
    """Holds the project and the dataset; emits when either changes."""

    sig_dataset_changed = Signal()         # a new table was loaded (or re-read)
    sig_project_changed = Signal()         # roles, preprocessing, settings or design changed
    sig_design_changed = Signal()          # the design changed (also emits project_changed)
    sig_findings_changed = Signal(list)    # list[doctor.Finding]
    sig_result_ready = Signal(object)      # a core.train.TrainResult
    sig_error = Signal(str)                # a user error to show
    sig_path_changed = Signal()            # the project was saved / opened elsewhere
    sig_dirty_changed = Signal(bool)       # unsaved changes appeared / were saved
    sig_project_closing = Signal()         # the project is about to be replaced: stop work on it
    sig_tensorflow_changed = Signal(bool, str)  # TensorFlow ready?, device text ("CPU", "GPU (…)")
    sig_replay_requested = Signal(object)  # a core.runs.RunRecord to replay in the Train step
    sig_replay_weights = Signal(int, object)  # a replay shows this epoch's Dense kernels
    sig_status = Signal(str, int)          # a passing message for the status bar (text, ms)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.project: Project | None = None
        self.dataset: Dataset | None = None
        self.findings: list[doctor.Finding] = []
        self.result: Any = None
        self._dirty = False
        #: TensorFlow imported (the GUI imports it after the window shows), and the device
        #: text ("CPU", "GPU (…)"): kept here only; pages follow ``sig_tensorflow_changed``.
        self.tensorflow_ready = False
        self.device_text = ""
        self.tensorflow_error = ""          # why TensorFlow could not be loaded
        #: run id -> core.replay.WeightSnapshots, in memory only: the latest run's, for replay
        self.weight_snapshots: dict[str, Any] = {}
        #: The project's undo history (every edit: canvas, columns, compile and fit fields,
        #: doctor fixes, restored runs, applied search results): kept here, not in a page, so
        #: that pages can be made anew (a language switch) without losing it; a new project
        #: starts a new history.
        self.undo_stack = QUndoStack(self)
        self.sig_project_closing.connect(self.undo_stack.clear)

    @property
    def dirty(self) -> bool:
        """Whether the project has changes that are not saved."""
        return self._dirty

    @dirty.setter
    def dirty(self, value: bool) -> None:
        value = bool(value)
        if value != self._dirty:
            self._dirty = value
            self.sig_dirty_changed.emit(value)

    def set_tensorflow_ready(self, ready: bool, text: str = "") -> None:
        """TensorFlow was imported (``text``: the device) or could not be (``text``: why)."""
        self.tensorflow_ready = bool(ready)
        self.device_text, self.tensorflow_error = (text, "") if ready else ("", text)
        self.sig_tensorflow_changed.emit(self.tensorflow_ready, text)

    # -- messages and requests (panels report through the state, never emit its signals) ----
    def report_error(self, message: str) -> None:
        """A user error to show (the window's banner): plain words, never a traceback."""
        self.sig_error.emit(message)

    def report_status(self, message: str, ms: int = 8000) -> None:
        """A passing message (the window's status bar)."""
        self.sig_status.emit(message, ms)

    def request_replay(self, run: Any) -> None:
        """Replay a recorded run (core.runs.RunRecord) in the Train step."""
        self.sig_replay_requested.emit(run)

    def show_replay_weights(self, epoch: int, kernels: Any) -> None:
        """A replay reached ``epoch``: the canvas shows its Dense kernels."""
        self.sig_replay_weights.emit(epoch, kernels)

    # -- loading ----------------------------------------------------------------------------
    def open_data(self, source: str, target: str | None = None,
                  options: ReadOptions | None = None) -> None:
        """Load a CSV or sample and start a fresh project on it. Raises StudioError."""
        ds = load(source, options)
        self.open_data_from(ds, source, target, options)
        self.dirty = False

    def reread(self, options: ReadOptions) -> None:
        """Read the same file again with other options (encoding, separator, decimal)."""
        if self.project is None:
            return
        ds = load(self.project.data_source, options, base_dir=self.project.base_dir)
        target = self.project.target if self.project.target in ds.frame.columns else None
        self.open_data_from(ds, self.project.data_source, target, options)

    def open_data_from(self, ds: Dataset, source: str, target: str | None,
                       options: ReadOptions | None) -> None:
        if not ds.profiles:
            raise StudioError(_("The file has no columns."))
        if target is None:
            target = next((p.name for p in ds.profiles if p.suggested_role == "target"),
                          ds.profiles[-1].name)
        project = new_project(source, target, dataset=ds, read_options=options or ReadOptions())
        self.sig_project_closing.emit()
        self.dataset = ds
        self.project = project
        self.result = None
        self.sig_dataset_changed.emit()
        self._changed(design=True)

    def open_project(self, path: str) -> None:
        self.adopt_project(Project.load(path))

    def adopt_project(self, proj: Project, dirty: bool = False) -> None:
        """Make ``proj`` the current project (e.g. recovered from an autosave)."""
        ds = proj.load_data()
        self.sig_project_closing.emit()
        self.project, self.dataset, self.result, self.dirty = proj, ds, None, False
        self.sig_dataset_changed.emit()
        self.sig_path_changed.emit()
        self._changed(design=True)
        self.dirty = dirty

    def save_project(self, path: str) -> None:
        if self.project is None:
            return
        self.project.save(path)
        self.dirty = False
        self.sig_path_changed.emit()

    # -- edits: each one undoable ------------------------------------------------------------
    def edit(self, text: str, change: Callable[[Project], Any], *, design: bool = False,
             merge_key: str | None = None) -> bool:
        """Apply ``change`` to the project as one undoable step named ``text``.

        ``change`` edits the project in place; what it changed is pushed on the undo stack
        (nothing is pushed when it changed nothing). ``merge_key`` merges consecutive edits of
        the same thing into one step. Returns whether anything changed.
        """
        assert self.project is not None
        before = ProjectParts.of(self.project)
        try:
            change(self.project)
        except BaseException:
            before.put_into(self.project)     # a refused change leaves nothing half done
            raise
        after = ProjectParts.of(self.project)
        if after.same_as(before):
            return False
        self.undo_stack.push(ProjectEdit(self, text, before, after, design=design,
                                         merge_key=merge_key))
        return True

    def set_field(self, path: str, value: Any, text: str) -> bool:
        """Set one field of the project ("compile.learning_rate", "training.epochs",
        "split.seed", ...); consecutive changes of one field are one undo step."""
        if self.project is None or field_value(self.project, path) == value:
            return False
        return self.edit(text, lambda p: set_field_value(p, path, value), merge_key=path)

    def set_target(self, column: str) -> None:
        """Choose another target: the task, output layer and loss follow it."""
        assert self.project is not None and self.dataset is not None
        self.edit(_("Make {column} the target", column=column),
                  lambda p: self._retarget(p, column), design=True)

    def _retarget(self, project: Project, column: str) -> None:
        fresh = new_project(project.data_source, column, dataset=self.dataset,
                            read_options=project.read_options)
        for c, p in project.columns.items():  # keep the user's choices for other columns
            if c in fresh.columns and c != column and c != project.target:
                fresh.columns[c] = p
        fresh.training.epochs = project.training.epochs
        project.target, project.task = fresh.target, fresh.task
        project.columns, project.design, project.compile = (fresh.columns, fresh.design,
                                                            fresh.compile)

    def set_column(self, column: str, field: str, value: Any) -> None:
        """Change one column's role or preprocessing (``field`` of its ColumnPrep)."""
        assert self.project is not None
        if field == "role" and value == "target":
            self.set_target(column)
            return
        if getattr(self.project.columns[column], field) == value:
            return

        def change(project: Project) -> None:
            setattr(project.columns[column], field, value)
            self._sync_input_width(project)

        names = {"role": _("Role"), "impute": _("Impute"), "scale": _("Scale"),
                 "encode": _("Encode")}          # the column table's headers
        self.edit(_("Change {field} of {column}", field=names.get(field, field), column=column),
                  change, design=True)

    def set_design(self, design: Design) -> None:
        """Make ``design`` the project's (the canvas's commands call this for redo/undo)."""
        assert self.project is not None
        self.project.design = design
        self._changed(design=True)

    def apply_fix(self, finding: doctor.Finding) -> bool:
        """The doctor's one-click fix of ``finding``, as one undoable step."""
        assert self.project is not None
        applied: list[bool] = []
        self.edit(_("Fix: {title}", title=finding.title),
                  lambda p: applied.append(doctor.apply_fix(p, finding, self.dataset)),
                  design=True)
        return bool(applied and applied[0])

    def restore_run(self, run: Any) -> None:
        """Make a run's design and settings the project's (core.runs.restore), undoably."""
        from studio.core.runs import restore

        self.edit(_("Restore run {name}", name=getattr(run, "name", "") or run.id),
                  lambda p: restore(p, run), design=True)

    def apply_search_result(self, result: Any) -> dict[str, Any]:
        """Apply the best trial of a hyperparameter search, undoably; returns its parameters.
        Raises the search's error when there is nothing to apply."""
        from studio.core.experiments.search import apply_best

        params: dict[str, Any] = {}
        self.edit(_("Apply the best search result"),
                  lambda p: params.update(apply_best(p, result)), design=True)
        return params

    def delete_runs(self, ids: set[str]) -> int:
        """Remove runs from the history (not undoable: the history is a record, and the
        Runs view asks first). Returns how many were removed."""
        assert self.project is not None
        kept = [r for r in self.project.runs if r.id not in ids]
        removed = len(self.project.runs) - len(kept)
        if removed:
            self.project.runs = kept
            self._changed()
        return removed

    def set_canvas_style(self, name: str) -> None:
        """How the Design step draws the network; saved with the project (a view setting:
        not an undo step, but a change to save)."""
        if self.project is not None and self.project.canvas_style != name:
            self.project.canvas_style = name
            self.dirty = True

    def touch(self, design: bool = False) -> None:
        """Run the doctor again and tell every panel, after the project was changed in place
        by the commands here (and by scripts and tests that set fields directly)."""
        self._changed(design=design)

    def rediagnose(self) -> None:
        """Run the doctor again without a change (its texts follow a language switch)."""
        if self.project is not None and self.dataset is not None:
            with contextlib.suppress(StudioError):
                self.findings = doctor.diagnose(self.project, self.dataset)

    # -- results ----------------------------------------------------------------------------
    def adopt_result(self, result: Any, trained: Project | None = None) -> None:
        """A training run finished: keep its result, add it to the run history (from the
        project copy that was ``trained``) and tell the panels."""
        self.result = result
        if trained is not None and self.project is not None and result.epochs_run > 0:
            from studio.core.runs import add_run, record_from_result

            record = record_from_result(trained, result)
            snapshots = getattr(result, "weight_snapshots", None)
            # the latest run's weights, for its replay (memory only, one run's worth)
            self.weight_snapshots = {record.id: snapshots} if snapshots else {}
            add_run(self.project, record)
            self.dirty = True
        self.sig_result_ready.emit(result)

    def adopt_lesson(self, lesson: Any) -> None:
        """Make an opened lesson (core.lesson.Lesson) current: its project, data, and the
        model and evaluation it was saved with."""
        self.sig_project_closing.emit()
        self.project, self.dataset, self.result = lesson.project, lesson.dataset, None
        self.sig_dataset_changed.emit()
        self.sig_path_changed.emit()
        self._changed(design=True)
        self.dirty = False
        if lesson.result is not None:
            self.result = lesson.result
            self.sig_result_ready.emit(lesson.result)

    # -- derived ----------------------------------------------------------------------------
    def task_info(self) -> TaskInfo | None:
        if self.project is None or self.dataset is None:
            return None
        try:
            return self.project.task_info(self.dataset)
        except StudioError:
            return None

    @property
    def has_errors(self) -> bool:
        return doctor.has_errors(self.findings)

    def _sync_input_width(self, project: Project) -> None:
        if self.dataset is None:
            return
        project.design = with_input_width(project.design, estimate_inputs(project, self.dataset))

    def _changed(self, design: bool = False) -> None:
        self.dirty = True
        if self.project is not None and self.dataset is not None:
            try:
                self.findings = doctor.diagnose(self.project, self.dataset)
            except StudioError as exc:
                self.findings = []
                self.sig_error.emit(str(exc))
        if design:
            self.sig_design_changed.emit()
        self.sig_project_changed.emit()
        self.sig_findings_changed.emit(self.findings)
