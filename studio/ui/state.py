"""The GUI's single source of truth: the current project, its data and the doctor's findings.

Panels read from and write to one :class:`StudioState`; they never keep their own copy of the
project. Every change goes through a method here, which re-runs the doctor and emits signals,
so that all panels stay in step (Ryven's ``flow.node_added.sub(...)`` pattern).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from studio.core import doctor
from studio.core.data import Dataset, ReadOptions, TaskInfo, load
from studio.core.design import Design, with_input_width
from studio.core.errors import StudioError
from studio.core.i18n import _
from studio.core.project import Project, estimate_inputs, new_project


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

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.project: Project | None = None
        self.dataset: Dataset | None = None
        self.findings: list[doctor.Finding] = []
        self.result: Any = None
        self._dirty = False
        self.tensorflow_ready = False       # set by the GUI once TensorFlow is imported
        self.device_text = ""
        #: run id -> core.replay.WeightSnapshots, in memory only: the latest run's, for replay
        self.weight_snapshots: dict[str, Any] = {}
        #: The project's undo history (the canvas's edits): kept here, not in a page, so that
        #: pages can be made anew (a language switch) without losing it; a new project starts
        #: a new history.
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

    def set_tensorflow_ready(self, ready: bool, device_text: str = "") -> None:
        self.tensorflow_ready, self.device_text = bool(ready), device_text
        self.sig_tensorflow_changed.emit(self.tensorflow_ready, device_text)

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

    # -- edits ------------------------------------------------------------------------------
    def set_target(self, column: str) -> None:
        """Choose another target: the task, output layer and loss follow it."""
        assert self.project is not None and self.dataset is not None
        old = self.project
        proj = new_project(old.data_source, column, dataset=self.dataset,
                           read_options=old.read_options)
        for c, p in old.columns.items():  # keep the user's choices for other columns
            if c in proj.columns and c != column and c != old.target:
                proj.columns[c] = p
        proj.split, proj.training, proj.path = old.split, old.training, old.path
        proj.training.epochs = old.training.epochs
        self.project = proj
        self._changed(design=True)

    def set_column(self, column: str, field: str, value: Any) -> None:
        assert self.project is not None
        if field == "role" and value == "target":
            self.set_target(column)
            return
        setattr(self.project.columns[column], field, value)
        self._sync_input_width()
        self._changed(design=True)

    def set_design(self, design: Design) -> None:
        assert self.project is not None
        self.project.design = design
        self._changed(design=True)

    def touch(self, design: bool = False) -> None:
        """Call after changing ``project.compile`` / ``training`` / ``split`` in place."""
        self._changed(design=design)

    def apply_fix(self, finding: doctor.Finding) -> bool:
        assert self.project is not None
        ok = doctor.apply_fix(self.project, finding, self.dataset)   # input width follows
        if ok:
            self._changed(design=True)
        return ok

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

    def _sync_input_width(self) -> None:
        if self.project is None or self.dataset is None:
            return
        n = estimate_inputs(self.project, self.dataset)
        self.project.design = with_input_width(self.project.design, n)

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
