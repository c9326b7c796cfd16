"""The schema of ``metrics.json`` (``TrainResult.metrics_document``, written by
``studio train --out``, *Save model* and ``save_lesson``).

Opening a lesson reads the run facts from it (epochs, best epoch, why it stopped, seconds,
device); the evaluation is recomputed from the model, so the ``evaluation`` section is only
checked for its shape, not cell by cell (a confusion matrix of a thousand classes holds a
million numbers). Test metrics (``accuracy``, ``rmse``, ...) are numbers, or null where they
were not a number.
"""

from __future__ import annotations

from typing import Any

from studio.core.design import TASKS
from studio.core.schemas.project import MAX_EPOCHS
from studio.core.settings import METRICS

#: Metrics the evaluation reports besides those a project can choose.
EXTRA_METRICS = ("f1", "mse", "loss")

_measure = {"type": ["number", "null"]}
_measures = {"type": "object", "additionalProperties": _measure}
_count = {"type": "integer", "minimum": 0}

SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "properties": {
        "task": {"enum": list(TASKS)},
        "params": {"type": "object", "additionalProperties": _count},
        "rows": {"type": "object", "additionalProperties": _count},
        "epochs_run": {"type": "integer", "minimum": 0, "maximum": MAX_EPOCHS},
        "best_epoch": {"type": "integer", "minimum": 0, "maximum": MAX_EPOCHS},
        "stopped_reason": {"type": "string", "maxLength": 200},
        "seconds": {"type": "number", "minimum": 0},
        "device": {"type": "string", "maxLength": 200},
        "evaluation": {
            "type": "object",
            "properties": {
                "task": {"enum": list(TASKS)},
                "metrics": _measures,
                "classes": {"type": "array"},
                "per_class": {"type": "object", "additionalProperties": {"type": "object"}},
                "confusion_matrix": {"type": "array"},
                "roc_auc": _measures,
                "report": {"type": "string"},
                "residuals": _measures,
            },
        },
    },
}
# the test metrics, by name (accuracy, precision, mae, rmse, r2, ...)
SCHEMA["properties"].update(dict.fromkeys((*METRICS, *EXTRA_METRICS), _measure))
