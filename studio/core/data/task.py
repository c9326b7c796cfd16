"""The task a target column implies (:func:`infer_task`): regression, binary or multiclass."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from studio.core.data.types import TaskInfo
from studio.core.i18n import _


def infer_task(series: pd.Series) -> TaskInfo:
    """Regression, binary or multiclass for a target column.

    Labels that are not numbers, or yes/no values, are classes. Whole numbers with few distinct
    values (at most 10, or at most 20 and under 5% of the rows) are classes too; other numbers
    mean regression. ``classes`` are plain Python values, sorted, so they serialise to JSON.
    """
    s = series.dropna()
    if s.empty:
        return TaskInfo("regression", [], _("The target column has no values."))
    if pd.api.types.is_bool_dtype(s.dtype):
        classes: list[Any] = sorted({bool(v) for v in s.unique()})
        return TaskInfo(_n_task(len(classes)), classes, _("Yes/no values."))
    numeric = s if pd.api.types.is_numeric_dtype(s.dtype) else None
    if numeric is None:
        uniq = pd.Series(s.unique())
        if all(isinstance(v, (bool, np.bool_)) for v in uniq):
            classes = sorted({bool(v) for v in uniq})
            return TaskInfo(_n_task(len(classes)), classes, _("Yes/no values."))
        coerced = pd.to_numeric(uniq, errors="coerce")
        if not coerced.notna().all():
            classes = _sorted_plain(uniq.tolist())
            return TaskInfo(_n_task(len(classes)), classes,
                            _("Labels that are not numbers: {count} classes.",
                              count=len(classes)))
        numeric = pd.to_numeric(s, errors="coerce")
    values = numeric.to_numpy(dtype="float64")
    values = values[np.isfinite(values)]
    if values.size == 0:
        return TaskInfo("regression", [], _("The target column has no values."))
    distinct = np.unique(values)
    whole = bool(np.all(distinct == np.round(distinct)))
    n_unique = len(distinct)
    if whole and (n_unique <= 10 or (n_unique <= 20 and n_unique / values.size < 0.05)):
        classes = [int(v) for v in distinct]
        return TaskInfo(_n_task(n_unique), classes,
                        _("Whole numbers with only {count} different values, so each is a "
                          "class.", count=n_unique))
    if not whole:
        return TaskInfo("regression", [], _("Numbers with decimals: predict a quantity."))
    return TaskInfo("regression", [], _("Numbers with {count} different values: predict a "
                                        "quantity.", count=n_unique))


def _n_task(n_classes: int) -> str:
    return "binary" if n_classes <= 2 else "multiclass"


def _plain(v: Any) -> Any:
    if isinstance(v, (bool, np.bool_)):
        return bool(v)
    if isinstance(v, (np.integer,)):
        return int(v)
    if isinstance(v, (float, np.floating)):
        f = float(v)
        return int(f) if f.is_integer() else f
    return v if isinstance(v, (int, str)) else str(v)


def _sorted_plain(values: list[Any]) -> list[Any]:
    plain = list(dict.fromkeys(_plain(v) for v in values))
    try:
        return sorted(plain)
    except TypeError:
        return sorted(plain, key=str)
