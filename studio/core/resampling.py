"""Class imbalance: the class balance and resampling of the training split (the comparison of
per-class recall with and without it is an experiment: :mod:`studio.core.experiments.recall`).

Resampling (random over-sampling, random under-sampling, SMOTE from imbalanced-learn) changes
only the training rows: the validation and test splits stay as they are, so the scores still
describe the real class mix. Class weights (``training.class_weight``) are the other option
and live in :mod:`studio.core.train`.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np

from studio.core.errors import TrainingError
from studio.core.i18n import _
from studio.core.prep import Prepared
from studio.core.settings import RESAMPLING


def class_balance(y: np.ndarray, classes: list[Any]) -> dict[str, int]:
    """Rows per class label (``y`` holds class indices)."""
    counts = np.bincount(np.asarray(y, dtype=int), minlength=len(classes))
    return {str(c): int(n) for c, n in zip(classes, counts)}


def resample(x: np.ndarray, y: np.ndarray, method: str, seed: int = 42
             ) -> tuple[np.ndarray, np.ndarray]:
    """``x`` and ``y`` resampled to balanced classes by ``method`` (none | over | under |
    smote)."""
    if method not in RESAMPLING:
        raise TrainingError(_("Unknown resampling {name}; choose one of {choices}.",
                              name=repr(method), choices=", ".join(RESAMPLING)))
    y = np.asarray(y)
    if method == "none" or len(np.unique(y)) < 2:
        return x, y
    if method == "over":
        from imblearn.over_sampling import RandomOverSampler

        sampler = RandomOverSampler(random_state=seed)
    elif method == "under":
        from imblearn.under_sampling import RandomUnderSampler

        sampler = RandomUnderSampler(random_state=seed)
    else:
        from imblearn.over_sampling import SMOTE

        smallest = int(np.unique(y, return_counts=True)[1].min())
        if smallest < 2:
            raise TrainingError(_("SMOTE needs at least 2 training rows in every class; the "
                                  "smallest class has {n}. Use random over-sampling or class "
                                  "weights instead.", n=smallest))
        sampler = SMOTE(random_state=seed, k_neighbors=min(5, smallest - 1))
    xr, yr = sampler.fit_resample(x, y)
    return np.asarray(xr, dtype=x.dtype), np.asarray(yr, dtype=y.dtype)


def resample_prepared(prepared: Prepared, method: str, seed: int = 42) -> Prepared:
    """``prepared`` with only the training rows resampled (classification only)."""
    if method == "none" or prepared.task == "regression":
        return prepared
    x, y = resample(prepared.x_train, prepared.y_train, method, seed)
    # Synthetic (SMOTE) rows have no original row label; they get -1.
    index = np.asarray(prepared.index_train)
    if len(x) != len(index):
        index = np.full(len(x), -1)
    return replace(prepared, x_train=x, y_train=y, index_train=index)
