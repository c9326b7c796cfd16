""":func:`diagnose`: every check of the doctor, in order, over one project and its data."""

from __future__ import annotations

from studio.core.data import Dataset
from studio.core.doctor.data_checks import (
    check_features,
    check_imbalance,
    check_leakage,
    check_target,
)
from studio.core.doctor.design_checks import check_capacity, check_output, check_structure
from studio.core.doctor.finding import SEVERITIES, Finding
from studio.core.doctor.state import Diagnosis
from studio.core.doctor.training_checks import (
    check_loss,
    check_metrics,
    check_settings,
    check_training,
)
from studio.core.project import Project


def diagnose(project: Project, dataset: Dataset) -> list[Finding]:
    """Check ``project`` against ``dataset``; findings sorted errors, warnings, infos."""
    d = Diagnosis(project, dataset)
    _run(d)
    order = {s: i for i, s in enumerate(SEVERITIES)}
    return sorted(d.findings, key=lambda f: order.get(f.severity, len(order)))


def _run(d: Diagnosis) -> None:
    """The checks in the order their findings are listed within one severity."""
    check_structure(d)
    check_settings(d)
    check_target(d)
    check_features(d)
    if d.info is not None and d.structure_ok:
        out = d.p.design.layers[-1]
        check_output(d, out)
        check_loss(d, out)
    if d.info is not None:
        check_metrics(d)
        check_imbalance(d)
        check_leakage(d)
    check_capacity(d)
    check_training(d)
