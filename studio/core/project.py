"""The project file: a documented, versioned JSON document (see docs/project-format.md).

It holds the data source (a path relative to the project file, or ``sample:NAME``), how to read
it, column roles and preprocessing, the split, the design, and the compile and training
settings. Saving is atomic. Older versions are migrated; newer ones are refused clearly.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from studio.core import jsondoc
from studio.core.data import Dataset, ReadOptions, TaskInfo, infer_task, load
from studio.core.design import SMALL_DATA_ROWS, Design, default_design
from studio.core.errors import DataError, ProjectError
from studio.core.fileio import atomic_write_bytes, atomic_write_text  # noqa: F401 - re-exported
from studio.core.i18n import _, ngettext
from studio.core.prep import ColumnPrep, SplitSettings, default_column_prep
from studio.core.results import _json_safe
from studio.core.runs import RunRecord
from studio.core.schemas import finite as schemas
from studio.core.schemas import project as schema
from studio.core.settings import CompileSettings, TrainSettings

FORMAT = "netsketch-project"
VERSION = 2


#: The Design step's drawing styles (studio.ui.design.style has how each looks).
CANVAS_STYLES = ("clean", "sketch")


def _canvas_style(view: Any) -> str:
    style = view.get("canvas_style") if isinstance(view, dict) else None
    return style if style in CANVAS_STYLES else "clean"


@dataclass
class Project:
    """Everything needed to reproduce a training run, except the data itself."""

    data_source: str
    target: str
    columns: dict[str, ColumnPrep]
    design: Design
    compile: CompileSettings
    training: TrainSettings
    split: SplitSettings = field(default_factory=SplitSettings)
    read_options: ReadOptions = field(default_factory=ReadOptions)
    task: str | None = None          # None: inferred from the target
    name: str = ""
    path: Path | None = field(default=None, compare=False)  # where it was loaded / saved
    runs: list[RunRecord] = field(default_factory=list)  # every training run (core.runs)
    canvas_style: str = "clean"      # how the Design step draws the network (CANVAS_STYLES)

    # -- data -----------------------------------------------------------------------------------
    @property
    def base_dir(self) -> Path | None:
        return self.path.parent if self.path else None

    def load_data(self) -> Dataset:
        return load(self.data_source, self.read_options, base_dir=self.base_dir)

    def task_info(self, dataset: Dataset) -> TaskInfo:
        """The target's task, honouring the user's override."""
        if self.target not in dataset.frame.columns:
            raise DataError(_("The target column {name} is not in the data. Columns: "
                              "{columns}.", name=repr(self.target),
                              columns=", ".join(map(str, dataset.frame.columns))))
        info = infer_task(dataset.frame[self.target])
        if self.task and self.task != info.task:
            if self.task == "regression":
                return TaskInfo("regression", [], _("set by you"))
            classes = info.classes
            if not classes:
                s = dataset.frame[self.target].dropna()
                classes = sorted(s.unique().tolist(), key=str)
            return TaskInfo(self.task, classes, _("set by you"))
        return info

    @property
    def features(self) -> list[str]:
        return [c for c, p in self.columns.items() if p.role == "feature" and c != self.target]

    # -- persistence ----------------------------------------------------------------------------
    def to_dict(self, relative_to: Path | None = None) -> dict[str, Any]:
        source = self.data_source
        if relative_to is not None and not source.startswith("sample:"):
            p = Path(source)
            if not p.is_absolute() and self.base_dir is not None:
                p = self.base_dir / p
            try:
                source = os.path.relpath(p.resolve(), relative_to.resolve())
            except ValueError:  # another drive on Windows
                source = str(p.resolve())
            source = source.replace(os.sep, "/")
        return {
            "format": FORMAT,
            "version": VERSION,
            "name": self.name,
            "data": {"source": source, "read": self.read_options.to_dict()},
            "target": self.target,
            "task": self.task,
            "columns": {c: p.to_dict() for c, p in self.columns.items()},
            "split": self.split.to_dict(),
            "design": self.design.to_list(),
            "compile": self.compile.to_dict(),
            "training": self.training.to_dict(),
            "view": {"canvas_style": self.canvas_style},
            "runs": [r.to_dict() for r in self.runs],
        }

    @classmethod
    def from_dict(cls, d: Any, path: Path | None = None, what: str | None = None) -> Project:
        """The project in document ``d``, checked against its schema first (``what`` names
        the document in messages); a damaged document is a :class:`ProjectError` naming the
        place that is wrong."""
        d = check_document(d, what or _("The project file"))
        data = d["data"]
        return cls(
            data_source=data["source"],
            read_options=ReadOptions.from_dict(data.get("read")),
            target=d["target"],
            task=d.get("task"),
            columns={str(c): ColumnPrep.from_dict(p) for c, p in d.get("columns", {}).items()},
            split=SplitSettings.from_dict(d.get("split")),
            design=Design.from_list(d["design"]),
            compile=CompileSettings.from_dict(d.get("compile")),
            training=TrainSettings.from_dict(d.get("training")),
            name=d.get("name", ""),
            path=path,
            runs=[RunRecord.from_dict(r) for r in d.get("runs", [])],
            canvas_style=_canvas_style(d.get("view")),
        )

    def save(self, path: str | os.PathLike) -> Path:
        """Write atomically: a temporary file in the same folder, then rename. A write that
        fails (:class:`ProjectError`) leaves any earlier file at ``path`` as it was."""
        path = Path(path)
        doc = self.to_dict(relative_to=path.parent)
        try:
            atomic_write_text(path, dumps(doc))
        except OSError as exc:   # a full disk, a read-only folder, a missing folder
            raise ProjectError(_("The project could not be saved to {path}: {reason}. Any "
                                 "earlier file there is unchanged.", path=str(path),
                                 reason=exc.strerror or exc)) from exc
        self.data_source = doc["data"]["source"]  # now relative to the new location
        self.path = path
        return path

    @classmethod
    def load(cls, path: str | os.PathLike, what: str | None = None) -> Project:
        """Read the project file at ``path`` with :mod:`~studio.core.jsondoc`'s size and depth
        limits, then check it (:meth:`from_dict`)."""
        path = Path(path)
        d = jsondoc.read(path, what or _("The project file"), ProjectError)
        return cls.from_dict(d, path=path,
                             what=what or _("The project file {name}", name=path.name))


def dumps(doc: dict[str, Any]) -> str:
    """A project document as the studio writes it: indented UTF-8 JSON, with a value that is
    not a finite number (a run's NaN loss) written as null, which JSON allows and reading
    turns back into NaN."""
    return json.dumps(_json_safe(doc), indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def check_document(d: Any, what: str) -> dict[str, Any]:
    """``d`` migrated to :data:`VERSION` if it is a project document this studio can read,
    checked against :data:`~studio.core.schemas.project.SCHEMA`; else a :class:`ProjectError`
    with one sentence naming the first problem."""
    if not isinstance(d, dict) or d.get("format") != FORMAT:
        raise ProjectError(_("{what} is not a NetSketch Studio project file.", what=what))
    version = d.get("version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise ProjectError(_("{what} has no valid version number.", what=what))
    if version > VERSION:
        raise ProjectError(_("{what} was saved by a newer NetSketch Studio (format version "
                             "{v}); this one reads up to version {mine}. Please update.",
                             what=what, v=version, mine=VERSION))
    jsondoc.check(d, schema.HEADER, what, ProjectError)     # e.g. version 0
    d = migrate(d)
    return schemas.validate(d, schema.SCHEMA, what, ProjectError)


def migrate(d: dict[str, Any]) -> dict[str, Any]:
    """Bring an older project document up to :data:`VERSION` (Orange's migrate_settings)."""
    d = dict(d)
    if d["version"] < 2:
        # Version 2 added the run history (studio.core.runs).
        d["runs"] = []
        d["version"] = 2
    # Future migrations go here, one step per version.
    return d


def new_project(data_source: str, target: str, ignore: list[str] | None = None,
                dataset: Dataset | None = None, read_options: ReadOptions | None = None,
                base_dir: str | os.PathLike | None = None, task: str | None = None) -> Project:
    """A project with the defaults for that data: roles and preprocessing from the profile,
    the default design for the task, and compile settings that fit it."""
    read_options = read_options or ReadOptions()
    if dataset is None:
        dataset = load(data_source, read_options, base_dir=base_dir)
    if target not in dataset.frame.columns:
        raise DataError(_("The target column {name} is not in the data. Columns: {columns}.",
                          name=repr(target),
                          columns=", ".join(map(str, dataset.frame.columns))))
    ignore = list(ignore or [])
    unknown = [c for c in ignore if c not in dataset.frame.columns]
    if unknown:
        raise DataError(ngettext("Cannot ignore an unknown column: {names}.",
                                 "Cannot ignore unknown columns: {names}.", len(unknown),
                                 names=", ".join(unknown)))
    columns: dict[str, ColumnPrep] = {}
    for prof in dataset.profiles:
        prep = default_column_prep(prof)
        if prof.name == target:
            prep.role = "target"
        elif prof.name in ignore:
            prep.role = "ignore"
        columns[prof.name] = prep
    proj = Project(data_source=str(data_source), target=target, columns=columns,
                   design=Design([]), compile=CompileSettings(), training=TrainSettings(),
                   read_options=read_options, task=task,
                   name=Path(str(data_source).replace("sample:", "")).stem)
    info = proj.task_info(dataset)
    n_inputs = estimate_inputs(proj, dataset)
    n_rows = int(dataset.frame[target].notna().sum())
    proj.design = default_design(n_inputs, info.task, len(info.classes),
                                 n_train_rows=int(n_rows * proj.split.train))
    proj.compile = CompileSettings.for_task(info.task)
    if n_rows * proj.split.train < SMALL_DATA_ROWS:
        # Few rows make few steps per epoch: a higher rate, smaller batches and more patience
        # reach what a careful student gets by hand (measured on the bundled samples).
        proj.compile.learning_rate = 0.003 if info.task == "regression" else 0.01
        proj.training.batch_size = 16
        proj.training.epochs = 200
        proj.training.early_stopping.patience = 20
    return proj


def estimate_inputs(project: Project, dataset: Dataset) -> int:
    """The input width the preprocessing will produce (one-hot columns count each category)."""
    n = 0
    frame = dataset.frame
    for c in project.features:
        if c not in frame.columns:
            continue
        p = project.columns[c]
        if p.encode == "onehot":
            s = frame[c]
            n += max(1, int(s.nunique(dropna=True)))
            if p.impute == "constant" and s.isna().any():
                n += 1  # the fill value becomes a category of its own
        else:
            n += 1
    return n
