"""The design doctor: checks a project against its data before training.

:func:`diagnose` returns :class:`Finding` objects, errors first. Each says what is wrong, why it
matters to a beginner (in the course's terms: output activation, loss, scaling, over-fitting,
early stopping ...) and what to do. Errors block training; warnings and infos do not. When the
fix is unambiguous a finding carries an ``action`` that :func:`apply_fix` applies in place (the
GUI wraps that call in one undoable command). Given the data, :func:`apply_fix` leaves a
consistent project: a fix that changes the columns (a leaking column ignored, a one-hot
encoding) also gives the input layer the width the preprocessing will produce, so one click is
enough and no "input-width" error follows it.

Action ops::

    {"op": "set_loss", "value": "binary_crossentropy"}
    {"op": "set_metrics", "value": ["accuracy"]}
    {"op": "set_activation", "layer": uid, "value": "softmax"}
    {"op": "set_units", "layer": uid, "value": 3}
    {"op": "set_input_units", "value": n}
    {"op": "set_column", "column": c, "field": "scale" | "role" | "impute" | "encode", "value": v}
    {"op": "set_class_weight", "value": "balanced"}
    {"op": "set_task", "value": "multiclass"}
    {"op": "set_early_stopping", "value": True}
    {"op": "set_learning_rate", "value": 0.001}
    {"op": "set_batch_size", "value": 32}

Every check is vectorised (profiles, ``value_counts``, ``factorize``); the leakage check looks at
a sample of at most :data:`LEAKAGE_SAMPLE` rows, so a 100k-row table is diagnosed in well under
a second.

One module per part: :mod:`.finding` (:class:`Finding` and the questions asked of a list of
them), :mod:`.diagnosis` (:func:`diagnose`), the checks by family (:mod:`.design_checks`,
:mod:`.data_checks`, :mod:`.training_checks`) over the shared :mod:`.state`, what each finding
says by its code (:mod:`.explanations`), the limits (:mod:`.thresholds`) and the one-click
fixes (:mod:`.fixes`).
"""

from studio.core.doctor.diagnosis import diagnose
from studio.core.doctor.finding import SEVERITIES, Finding, errors, first_error, has_errors
from studio.core.doctor.fixes import apply_fix, sync_input_width
from studio.core.doctor.thresholds import (
    CORR_LEAK,
    FEW_ROWS_PER_WEIGHT,
    HIGH_LR,
    IMBALANCE_RATIO,
    IMBALANCE_SHARE,
    LARGE_VALUE,
    LEAKAGE_SAMPLE,
    LOW_LR,
    MANY_CATEGORIES,
    MANY_EPOCHS,
    MAX_CLASSES,
    MAX_PARAMS,
    MIN_ROWS,
    RANGE_RATIO,
)

__all__ = [
    "CORR_LEAK",
    "FEW_ROWS_PER_WEIGHT",
    "HIGH_LR",
    "IMBALANCE_RATIO",
    "IMBALANCE_SHARE",
    "LARGE_VALUE",
    "LEAKAGE_SAMPLE",
    "LOW_LR",
    "MANY_CATEGORIES",
    "MANY_EPOCHS",
    "MAX_CLASSES",
    "MAX_PARAMS",
    "MIN_ROWS",
    "RANGE_RATIO",
    "SEVERITIES",
    "Finding",
    "apply_fix",
    "diagnose",
    "errors",
    "first_error",
    "has_errors",
    "sync_input_width",
]
