"""One diagnosis in progress: the project and its data, the facts the checks work out once and
share (the task, the rows with a target, the usable features, whether the structure is sound),
and the findings collected so far."""

from __future__ import annotations

from typing import Any

import numpy as np

from studio.core.data import ColumnProfile, Dataset, TaskInfo
from studio.core.doctor.explanations import explain
from studio.core.doctor.finding import Finding
from studio.core.project import Project


class Diagnosis:
    """The shared state of the checks of one :func:`~studio.core.doctor.diagnose` call."""

    def __init__(self, project: Project, dataset: Dataset) -> None:
        self.p = project
        self.ds = dataset
        self.frame = dataset.frame
        self.findings: list[Finding] = []
        self.info: TaskInfo | None = None       # None: the target is unusable
        self.n_target_rows = 0                  # rows with a usable target
        self.train_rows = 0
        self.features = [c for c in project.features if c in self.frame.columns]
        self.structure_ok = False

    def add(self, code: str, severity: str, *, column: str | None = None,
            layer: str | None = None, action: dict | None = None, **facts: Any) -> None:
        """Record the finding ``code``; its texts come from the catalogue
        (:mod:`studio.core.doctor.explanations`) for these ``facts``."""
        title, explanation, fix = explain(code, **facts)
        self.findings.append(Finding(code, severity, title, explanation, fix, column, layer,
                                     action))

    def profile(self, column: str) -> ColumnProfile | None:
        try:
            return self.ds.profile_of(column)
        except KeyError:
            return None


def is_number(x: Any) -> bool:
    """A real number (an int, a float, a NumPy number), not a bool."""
    return isinstance(x, (int, float, np.number)) and not isinstance(x, bool)
