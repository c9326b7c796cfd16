"""K-fold cross-validation for small datasets: the mean and spread of each metric.

The folds cover the training and validation rows; the test split stays held out. Classification
uses ``StratifiedKFold`` so that every fold keeps the class mix. Each fold trains a fresh model
on the other folds (early stopping watches the held-out fold, as the validation split does in
a normal run) and is scored on its held-out fold. The preprocessing is the project's, fitted on
the training split, so its statistics have seen some rows of every fold; with standard scaling
this effect is small, and it never involves the test split.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from studio.core.errors import StudioError
from studio.core.i18n import _
from studio.core.train import prepare_project, train


@dataclass
class CrossValResult:
    k: int
    folds: list[dict[str, float]] = field(default_factory=list)   # metrics per fold
    stopped: bool = False

    def summary(self) -> dict[str, dict[str, float]]:
        """``{metric: {"mean", "std"}}`` over the finished folds."""
        names = sorted(set().union(*self.folds)) if self.folds else []
        out = {}
        for m in names:
            vals = np.array([f[m] for f in self.folds if m in f], dtype=float)
            out[m] = {"mean": float(np.mean(vals)), "std": float(np.std(vals, ddof=0))}
        return out


def cross_validate(project, dataset=None, k: int = 5, *, prepared=None,
                   epochs: int | None = None, control=None,
                   on_fold: Callable[[int, dict[str, float]], None] | None = None
                   ) -> CrossValResult:
    from sklearn.model_selection import KFold, StratifiedKFold

    if int(k) < 2:
        raise StudioError(_("Cross-validation needs at least 2 folds."))
    if dataset is None and prepared is None:
        dataset = project.load_data()
    if prepared is None:
        prepared = prepare_project(project, dataset)
    x = np.concatenate([prepared.x_train, prepared.x_val])
    y = np.concatenate([prepared.y_train, prepared.y_val])
    idx = np.concatenate([prepared.index_train, prepared.index_val])
    seed = int(project.split.seed)
    if prepared.task == "regression":
        splitter: Any = KFold(n_splits=int(k), shuffle=True, random_state=seed)
    else:
        smallest = int(np.bincount(y.astype(int)).min()) if len(y) else 0
        if smallest < k:
            raise StudioError(_("Stratified {k}-fold cross-validation needs at least {k} rows "
                                "of every class; the smallest class has {n}. Use fewer folds.",
                                k=k, n=smallest))
        splitter = StratifiedKFold(n_splits=int(k), shuffle=True, random_state=seed)
    result = CrossValResult(k=int(k))
    p = copy.deepcopy(project)
    p.runs = []
    if epochs is not None:
        p.training.epochs = int(epochs)
    for fold, (tr, va) in enumerate(splitter.split(x, y), start=1):
        if control is not None and control.stop_requested:
            result.stopped = True
            break
        # The held-out fold is both the validation data and what is scored.
        fold_prep = replace(prepared, x_train=x[tr], y_train=y[tr], index_train=idx[tr],
                            x_val=x[va], y_val=y[va], index_val=idx[va],
                            x_test=x[va], y_test=y[va], index_test=idx[va])
        res = train(p, dataset, prepared=fold_prep, control=control, check=False)
        if res.stopped_reason == "stopped":
            result.stopped = True
            break
        metrics = res.evaluation.scalar_metrics() if res.evaluation else {}
        metrics = {m: float(v) for m, v in metrics.items()}
        result.folds.append(metrics)
        if on_fold is not None:
            on_fold(fold, metrics)
    return result
