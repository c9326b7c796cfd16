"""One column's values as the fitted preprocessing turns them into numbers, the same way when it
is fitted (:mod:`studio.core.prep`) and when new rows are checked (:mod:`studio.core.prep_rows`):
category labels as text, and scaling with the fitted statistics."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd


def categorical_values(s: pd.Series) -> pd.Series:
    """Values as text with NaN kept, so that encoders never see mixed types."""
    out = s.astype(object)
    mask = s.notna()
    out[mask] = s[mask].map(label_text)
    out[~mask] = np.nan
    return out


def label_text(v: Any) -> str:
    """A category label as text (a whole float without its ``.0``: 1.0 and 1 are one class)."""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def apply_scale(x: np.ndarray, st: dict[str, Any]) -> np.ndarray:
    """``x`` scaled as the fitted step ``st`` says (standard, min-max or not at all)."""
    if st.get("scale") == "standard":
        return (x - st["mean"]) / st["std"]
    if st.get("scale") == "minmax":
        return x * st["mm_scale"] + st["mm_min"]
    return x
