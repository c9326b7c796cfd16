"""One-click fixes: :func:`apply_fix` applies a finding's ``action`` to the project in place,
and :func:`sync_input_width` gives the input layer the width the data gives after a fix that
changes the columns (so one click is enough and no "input-width" error follows it)."""

from __future__ import annotations

from typing import Any

from studio.core.data import Dataset
from studio.core.doctor.finding import Finding
from studio.core.errors import StudioError
from studio.core.project import Project, estimate_inputs

_COLUMN_FIELDS = ("role", "impute", "scale", "encode", "fill_value")


def apply_fix(project: Project, finding: Finding, dataset: Dataset | None = None) -> bool:
    """Apply ``finding.action`` to ``project`` in place. False if there is none or it is
    unknown or no longer applies (e.g. the layer was removed).

    With the ``dataset`` the project is left consistent: after a fix that changes a column
    (its role, encoding or missing values), the input layer is given the number of inputs the
    preprocessing now produces (one per category of a one-hot column)."""
    ok = _apply_action(project, finding)
    if ok and dataset is not None and (finding.action or {}).get("op") in _RESHAPING_OPS:
        sync_input_width(project, dataset)
    return ok


#: fixes that can change how many inputs the preprocessing produces
_RESHAPING_OPS = ("set_column",)


def sync_input_width(project: Project, dataset: Dataset) -> bool:
    """Give the design's input layer the width the data gives now; True if it changed. A
    design without an input layer first is left alone (the doctor says what to do)."""
    layers = project.design.layers
    if not layers or layers[0].kind != "input":
        return False
    try:
        n = estimate_inputs(project, dataset)
    except (KeyError, StudioError):
        return False
    if n < 1 or layers[0].units == n:
        return False
    layers[0].units = n
    return True


def _apply_action(project: Project, finding: Finding) -> bool:
    a = finding.action
    if not isinstance(a, dict):
        return False
    op = a.get("op")
    value: Any = a.get("value")
    design = project.design
    if op in ("set_activation", "set_units"):
        uid: Any = a.get("layer")
        try:
            layer = design.layers[design.index_of(uid)]
        except KeyError:
            return False
        if op == "set_activation":
            layer.activation = str(value)
        else:
            layer.units = int(value)
        return True
    if op == "set_input_units":
        if not design.layers or design.layers[0].kind != "input":
            return False
        design.layers[0].units = int(value)
        return True
    if op == "set_column":
        col: Any = a.get("column")
        fld: Any = a.get("field")
        prep = project.columns.get(col)
        if prep is None or fld not in _COLUMN_FIELDS:
            return False
        setattr(prep, fld, value)
        return True
    if op == "set_loss":
        project.compile.loss = str(value)
    elif op == "set_metrics":
        project.compile.metrics = [str(m) for m in value]
    elif op == "set_learning_rate":
        project.compile.learning_rate = float(value)
    elif op == "set_class_weight":
        project.training.class_weight = str(value)
    elif op == "set_early_stopping":
        project.training.early_stopping.enabled = bool(value)
    elif op == "set_batch_size":
        project.training.batch_size = int(value)
    elif op == "set_task":
        project.task = value
    else:
        return False
    return True
