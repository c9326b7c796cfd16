"""Profiling the columns of a table (:func:`profile`): each column's kind, counts, numeric
summary, most frequent values and the role it should start with (at most one suggested
target)."""

from __future__ import annotations

import math
import re
from typing import Any

import numpy as np
import pandas as pd

from studio.core.data.types import ColumnProfile
from studio.core.i18n import _

_BOOLEAN_PAIRS = (
    frozenset({"yes", "no"}), frozenset({"true", "false"}), frozenset({"y", "n"}),
    frozenset({"t", "f"}), frozenset({"0", "1"}), frozenset({"예", "아니오"}),
    frozenset({"예", "아니요"}), frozenset({"네", "아니오"}), frozenset({"네", "아니요"}),
    frozenset({"o", "x"}),
)
_ID_NAMES = frozenset({"id", "idx", "index", "no", "no.", "row", "rowid", "row_id", "rownum", "#"})
_TARGET_NAMES = ("target", "label", "labels", "class", "y", "outcome", "price", "정답", "타깃",
                 "타겟", "라벨", "레이블", "가격")
_MOSTLY_MISSING = 0.6
_TOP = 10


def profile(df: pd.DataFrame) -> list[ColumnProfile]:
    """Describe each column: its kind, counts, numeric summary, most frequent values, and the
    role it should start with. Vectorised only: one counting pass per column
    (:func:`_value_counts`)."""
    profiles = [_profile_column(str(name), df[name]) for name in df.columns]
    _suggest_target(profiles, len(df))
    return profiles


def _profile_column(name: str, s: pd.Series) -> ColumnProfile:
    n = len(s)
    counts = _value_counts(s)
    count = int(counts.sum())
    unique = len(counts)
    p = ColumnProfile(name=name, kind="numeric", dtype=str(s.dtype), count=count,
                      missing=n - count, unique=unique)
    top = counts.nlargest(_TOP) if unique > _TOP else counts.sort_values(ascending=False,
                                                                         kind="stable")
    p.top_values = [(_value_text(v), int(c)) for v, c in top.items()]

    values, keys = s, counts.index
    is_bool = pd.api.types.is_bool_dtype(s.dtype)
    is_num = pd.api.types.is_numeric_dtype(s.dtype) and not is_bool
    if not is_num and not is_bool and unique:
        if s.dtype == object and all(isinstance(k, (bool, np.bool_)) for k in keys):
            is_bool = True
        elif _all_numbers(keys):                # text that is all numbers ("1", "2.5")
            is_num = True
            keys = pd.Index(pd.to_numeric(keys, errors="coerce"))
            values = pd.to_numeric(s, errors="coerce")
    if is_num or is_bool:
        _numeric_summary(p, keys, counts)

    if unique <= 1:
        p.kind = "constant"
        p.reason = _("It has only one value, so it cannot help the model.")
    elif is_bool or (is_num and unique == 2 and set(keys.tolist()) <= {0, 1}):
        p.kind = "boolean"
        p.reason = _("Two values: yes or no.")
    elif is_num:
        if _looks_like_int_id(name, values, count, unique):
            p.kind = "id"
            p.reason = _("Every value is different, like a row number or an ID; it would not "
                         "help the model generalise.")
        else:
            p.kind = "numeric"
            p.reason = _("Numbers.")
    else:
        _classify_text(p, name, counts, count, unique)

    if p.kind in ("id", "text", "constant"):
        p.suggested_role = "ignore"
    elif n and p.missing / n > _MOSTLY_MISSING:
        p.suggested_role = "ignore"
        p.reason = _("{percent}% of its values are missing.",
                     percent=round(100 * p.missing / n))
    return p


#: Columns at least this long are counted with np.bincount when they can be (_value_counts).
_BINCOUNT_MIN_ROWS = 50_000
_MAX_DECIMALS = 6


def _value_counts(s: pd.Series) -> pd.Series:
    """Each distinct non-missing value of ``s`` and how often it occurs, like
    ``s.value_counts(dropna=True, sort=False)``.

    Hashing every value is most of the cost of profiling a large file. A long column of
    NumPy integers, or of floats that are all decimals with at most six digits after the
    point (what a CSV holds), spanning a range of whole numbers (after scaling) not much
    larger than the column, is counted with ``np.bincount`` instead: the same counts, 3-4
    times faster (benchmarks/csv_read.py). Only the order of the distinct values differs
    (ascending here), which decides nothing but the order of equally frequent top values.
    """
    dtype = s.dtype
    if (len(s) >= _BINCOUNT_MIN_ROWS and isinstance(dtype, np.dtype) and dtype.kind in "if"
            and dtype.itemsize == 8):
        counted = _bincount_values(s.to_numpy())
        if counted is not None:
            keys, counts = counted
            return pd.Series(counts, index=pd.Index(keys), name="count")
    return s.value_counts(dropna=True, sort=False)


def _bincount_values(values: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """(distinct values ascending, counts) by np.bincount, or None when the values are not
    whole numbers (after scaling by 10**decimals) in a range of about the column's length."""
    scale = None
    if values.dtype.kind == "f":
        missing = np.isnan(values)
        if missing.any():
            values = values[~missing]
        if not len(values):
            return None
        head = values[:1000]
        for decimals in range(_MAX_DECIMALS + 1):
            if np.array_equal(np.rint(head * 10.0 ** decimals) / 10.0 ** decimals, head):
                scale = 10.0 ** decimals
                break
        else:
            return None
        whole = values * scale
        np.rint(whole, out=whole)
        lo, hi = float(whole.min()), float(whole.max())
        if not (math.isfinite(lo) and math.isfinite(hi)) or max(-lo, hi) >= 2.0 ** 52 \
                or hi - lo > 2 * len(values) + 1024:
            return None
        # whole / scale == value exactly: each value is the decimal whole * 10**-decimals, so
        # equal values have equal integers and different values different ones
        if not np.array_equal(whole / scale, values):
            return None
        shifted = np.subtract(whole, lo, out=whole).astype(np.intp)
    else:
        lo, hi = int(values.min()), int(values.max())
        if hi - lo > 2 * len(values) + 1024:
            return None
        shifted = (values - lo).astype(np.intp, copy=False)
    counts = np.bincount(shifted)
    present = np.flatnonzero(counts)
    if scale is None:
        keys: np.ndarray = present.astype(values.dtype) + values.dtype.type(lo)
    else:
        keys = (present + lo) / scale
    return keys, counts[present].astype(np.int64)


def _classify_text(p: ColumnProfile, name: str, counts: pd.Series, count: int,
                   unique: int) -> None:
    keys = counts.index.astype(str)
    lowered = frozenset(k.strip().lower() for k in keys) if unique == 2 else frozenset()
    if unique == 2 and lowered in _BOOLEAN_PAIRS:
        p.kind = "boolean"
        p.reason = _("Two values: {values}.", values=" / ".join(sorted(keys)))
        return
    lengths = pd.Series(keys.str.len(), index=counts.index)
    mean_len = float((lengths * counts).sum() / count) if count else 0.0
    if unique == count and (count > 20 or _id_like(name)):
        spaced = float(pd.Series(keys.str.contains(r"\s", regex=True)).mean())
        if _id_like(name) or (mean_len <= 30 and spaced < 0.5):
            p.kind = "id"
            p.reason = _("Every value is different, like an ID; it would not help the model "
                         "generalise.")
            return
    if unique <= max(20, 0.05 * count):
        p.kind = "categorical"
        p.reason = _("Categories: {count} different values.", count=unique)
    elif mean_len > 30 or unique / max(count, 1) > 0.5:
        p.kind = "text"
        p.reason = _("Free text with many different values; it cannot be used as it is.")
    else:
        p.kind = "categorical"
        p.reason = _("Categories: {count} different values.", count=unique)


def _id_like(name: str) -> bool:
    """Named like an identifier: ``id``, ``customer_id``, ``PassengerId``, ``회원번호``."""
    stripped = name.strip()
    low = stripped.lower()
    return (low in _ID_NAMES or re.search(r"(^|[\s_\-.])id$", low) is not None
            or re.search(r"[a-z0-9](Id|ID)$", stripped) is not None
            or "번호" in stripped or "순번" in stripped)


def _looks_like_int_id(name: str, values: pd.Series, count: int, unique: int) -> bool:
    if unique != count or not pd.api.types.is_integer_dtype(values.dtype):
        return False
    if _id_like(name):
        return True
    if count <= 20:
        return False
    v = values.dropna()
    span = float(v.max()) - float(v.min()) + 1
    return span <= 1.5 * count or v.is_monotonic_increasing or v.is_monotonic_decreasing


def _all_numbers(keys: pd.Index) -> bool:
    """Whether text values are all numbers; a few are tried first so text columns stay cheap."""
    if pd.api.types.is_numeric_dtype(keys.dtype) and not pd.api.types.is_bool_dtype(keys.dtype):
        return True
    head = pd.to_numeric(pd.Series(keys[:50], dtype=object), errors="coerce")
    if not head.notna().all():
        return False
    return bool(pd.to_numeric(pd.Series(keys, dtype=object), errors="coerce").notna().all())


def _numeric_summary(p: ColumnProfile, keys: pd.Index, counts: pd.Series) -> None:
    """Minimum, maximum, mean and standard deviation from the distinct values and their
    counts (already made for the profile): one pass over the distinct values instead of four
    over every row, the same figures (up to rounding in the last digit)."""
    if not p.count:
        return
    k = np.asarray(keys, dtype=np.float64)
    c = counts.to_numpy(dtype=np.float64)
    with np.errstate(invalid="ignore", over="ignore"):    # (no np.dot: BLAS threads cost more)
        mean = float((k * c).sum() / p.count)
        p.minimum = _finite(k.min())
        p.maximum = _finite(k.max())
        p.mean = _finite(mean)
        if p.count > 1:
            var = float((c * (k - mean) ** 2).sum()) / (p.count - 1)
            p.std = _finite(math.sqrt(var)) if var >= 0 else None


def _finite(x: Any) -> float | None:
    try:
        f = float(x)
    except (TypeError, ValueError):
        return None
    return f if math.isfinite(f) else None


def _value_text(v: Any) -> str:
    if isinstance(v, (float, np.floating)) and float(v).is_integer():
        return str(int(v))
    return str(v)


def _is_target_name(name: str) -> bool:
    norm = name.strip().lower()
    if norm in _TARGET_NAMES:
        return True
    tokens = re.sub(r"([a-z])([A-Z])", r"\1 \2", name.strip()).lower()
    return any(t in _TARGET_NAMES and t != "y" for t in re.split(r"[\s_\-.()\[\]/]+", tokens))


def _suggest_target(profiles: list[ColumnProfile], n_rows: int) -> None:
    """At most one column is suggested as the target: one named like a target, else the last
    column when it could be one."""
    candidates = [p for p in profiles if p.suggested_role == "feature"
                  and p.kind in ("numeric", "categorical", "boolean")]
    if not candidates:
        return
    named = [p for p in candidates if _is_target_name(p.name)]
    if named:
        chosen = named[0]
        chosen.reason = _("Its name suggests it is what to predict.")
    elif candidates[-1] is profiles[-1]:
        chosen = profiles[-1]
        chosen.reason = _("The last column, and its values suit a target.")
    else:
        return
    chosen.suggested_role = "target"
