"""The class-balance comparison: the same project trained without and with resampling, and
each run's per-class recall on the test split (:func:`recall_comparison`)."""

from __future__ import annotations

import copy
from typing import Any

from studio.core.prep import Prepared
from studio.core.resampling import class_balance, resample_prepared
from studio.core.train import prepare_project, train


def recall_comparison(project, dataset=None, method: str | None = None,
                      epochs: int | None = None, prepared: Prepared | None = None
                      ) -> dict[str, Any]:
    """Train without and with ``method`` (default: the project's ``training.resample``) and
    return each run's per-class recall on the test split and the training class counts:
    ``{"method", "before": {class: recall}, "after": {...}, "train_counts_before",
    "train_counts_after"}``."""
    method = method or project.training.resample
    if dataset is None:
        dataset = project.load_data()
    if prepared is None:
        prepared = prepare_project(project, dataset)
    out: dict[str, Any] = {"method": method}
    for label, m in (("before", "none"), ("after", method)):
        p = copy.deepcopy(project)
        p.runs = []
        p.training.resample = m
        if epochs is not None:
            p.training.epochs = int(epochs)
        result = train(p, dataset, prepared=prepared, check=False)
        ev = result.evaluation
        out[label] = {c: float(v["recall"]) for c, v in (ev.per_class if ev else {}).items()}
        resampled = resample_prepared(prepared, m, p.training.seed)
        out[f"train_counts_{label}"] = class_balance(resampled.y_train, prepared.classes)
    return out
