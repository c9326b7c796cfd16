"""The doctor's checks of the data against the project: the target (present, with values,
more than one class, a task that fits it), the features (present, missing values, identifiers,
free text, constants, too many categories, unscaled ranges), class imbalance and target
leakage.

Every check is vectorised (profiles, ``value_counts``, ``factorize``); the leakage check looks
at a sample of at most :data:`~studio.core.doctor.thresholds.LEAKAGE_SAMPLE` rows.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from studio.core.data import ColumnProfile, TaskInfo, infer_task
from studio.core.doctor.state import Diagnosis, is_number
from studio.core.doctor.thresholds import (
    CORR_LEAK,
    IMBALANCE_RATIO,
    IMBALANCE_SHARE,
    LARGE_VALUE,
    LEAKAGE_SAMPLE,
    MANY_CATEGORIES,
    MAX_CLASSES,
    MIN_ROWS,
    RANGE_RATIO,
)
from studio.core.errors import StudioError

# -- the target -------------------------------------------------------------------------------

def check_target(d: Diagnosis) -> None:
    t = d.p.target
    if t not in d.frame.columns:
        d.add("target-not-found", "error", column=t, name=t)
        return
    y = d.frame[t]
    n_missing = int(y.isna().sum())
    if n_missing == len(y):
        d.add("target-empty", "error", column=t, name=t)
        return
    n_distinct = int(y.nunique(dropna=True))
    if n_distinct < 2:
        d.add("single-class", "error", column=t, name=t, value=y.dropna().iloc[0])
        return
    try:
        info = d.p.task_info(d.ds)
    except StudioError as exc:
        d.add("target-task", "error", column=t, name=t, reason=str(exc))
        return
    d.info = info
    prof = d.profile(t)
    if info.task == "regression":
        y_num = pd.to_numeric(y, errors="coerce")
        usable = int(np.isfinite(y_num.to_numpy(dtype=np.float64, na_value=np.nan)).sum())
        if usable == 0 or (prof is not None and not prof.is_numeric and usable < len(y) / 2):
            d.add("target-not-numeric", "error", column=t, name=t)
            d.info = None
            return
        dropped = len(y) - usable
    else:
        usable = len(y) - n_missing
        dropped = n_missing
    d.n_target_rows = usable
    train = d.p.split.train if is_number(d.p.split.train) and 0 < d.p.split.train <= 1 \
        else 0.7
    d.train_rows = int(usable * train)
    if dropped:
        d.add("target-missing-values", "info", column=t, n=dropped, total=len(y), name=t)
    if usable < MIN_ROWS:
        d.add("few-rows", "warning", column=t, n=usable)
    if info.task in ("binary", "multiclass"):
        _check_classes(d, info, prof)


def _check_classes(d: Diagnosis, info: TaskInfo, prof: ColumnProfile | None) -> None:
    t = d.p.target
    n = len(info.classes) or int(d.frame[t].nunique(dropna=True))
    if info.task == "binary" and n > 2:
        d.add("task-classes", "error", column=t,
              action={"op": "set_task", "value": "multiclass"}, name=t, n=n)
        d.info = None
        return
    inferred = None
    if d.p.task in ("binary", "multiclass") and prof is not None and prof.kind == "numeric":
        try:
            inferred = infer_task(d.frame[t]).task
        except StudioError:
            inferred = None
    if inferred == "regression":
        d.add("task-override", "warning", column=t, name=t, n=n, classes=info.classes)
    elif n > MAX_CLASSES:
        d.add("many-classes", "warning", column=t, name=t, n=n)


# -- the features -----------------------------------------------------------------------------

def check_features(d: Diagnosis) -> None:
    p = d.p
    absent = [c for c in p.features if c not in d.frame.columns]
    for c in absent:
        d.add("column-not-found", "error", column=c,
              action={"op": "set_column", "column": c, "field": "role", "value": "ignore"},
              name=c)
    if not p.features:
        d.add("no-features", "error")
        return
    ranges: dict[str, float] = {}
    unscaled: list[tuple[str, float, float]] = []  # column, range, largest |value|
    for c in d.features:
        prep = p.columns[c]
        prof = d.profile(c)
        if prof is None:
            continue
        kind = prof.kind
        if prof.missing > 0 and prep.impute == "none":
            numeric = kind == "numeric" and prep.encode == "none"
            strategy = "median" if numeric else "most_frequent"
            d.add("missing-values", "error", column=c,
                  action={"op": "set_column", "column": c, "field": "impute",
                          "value": strategy},
                  name=c, n=prof.missing, numeric=numeric)
        if kind in ("text", "id", "constant"):
            _kind_warning(d, c, kind, prof)
        elif prep.encode == "onehot" and prof.unique > MANY_CATEGORIES:
            d.add("many-categories", "warning", column=c, name=c, n=prof.unique)
        if prep.encode == "none" and prof.is_numeric:
            lo, hi, std = prof.minimum, prof.maximum, prof.std
            if lo is None or hi is None:
                s = pd.to_numeric(d.frame[c], errors="coerce")
                lo, hi, std = s.min(), s.max(), s.std()
            if lo is None or hi is None or not np.isfinite(lo) or not np.isfinite(hi):
                continue
            span = float(hi) - float(lo)
            if prep.scale == "standard":
                eff = span / float(std) if std and np.isfinite(std) and std > 0 else 0.0
            elif prep.scale == "minmax":
                eff = 1.0 if span > 0 else 0.0
            else:
                eff = span
                if kind == "numeric":
                    unscaled.append((c, span, max(abs(float(lo)), abs(float(hi)))))
            if eff > 0:
                ranges[c] = eff
    _check_scaling(d, unscaled, ranges)


def _kind_warning(d: Diagnosis, c: str, kind: str, prof: ColumnProfile) -> None:
    action = {"op": "set_column", "column": c, "field": "role", "value": "ignore"}
    if kind == "id":
        d.add("id-feature", "warning", column=c, action=action, name=c)
    elif kind == "text":
        d.add("text-feature", "warning", column=c, action=action, name=c, n=prof.unique)
    else:
        d.add("constant-feature", "warning", column=c, action=action, name=c)


def _check_scaling(d: Diagnosis, unscaled: list[tuple[str, float, float]],
                   ranges: dict[str, float]) -> None:
    if not unscaled:
        return
    spans = [r for r in ranges.values() if r > 0]
    lo, hi = (min(spans), max(spans)) if spans else (0.0, 0.0)
    spread = hi / lo if lo > 0 else 1.0
    for c, span, big in unscaled:
        extreme = spread > RANGE_RATIO and span > 0 and (span >= RANGE_RATIO * lo
                                                         or span * RANGE_RATIO <= hi)
        if not (big > LARGE_VALUE or extreme):
            continue
        if big > LARGE_VALUE:
            reason = "large"
        elif span >= RANGE_RATIO * lo:
            reason = "wide"
        else:
            reason = "narrow"
        d.add("unscaled-features", "warning", column=c,
              action={"op": "set_column", "column": c, "field": "scale", "value": "standard"},
              name=c, reason=reason, value=big, span=span)


# -- imbalance and leakage --------------------------------------------------------------------

def check_imbalance(d: Diagnosis) -> None:
    info = d.info
    assert info is not None
    if info.task == "regression":
        return
    counts = d.frame[d.p.target].value_counts(dropna=True)
    if len(counts) < 2:
        return
    total = int(counts.sum())
    n_min, n_max = int(counts.iloc[-1]), int(counts.iloc[0])
    share = n_min / total
    k = len(counts)
    imbalanced = n_max / max(n_min, 1) > IMBALANCE_RATIO or (
        share < IMBALANCE_SHARE and share < 0.5 / k)
    if not imbalanced or d.p.training.class_weight != "none":
        return
    d.add("class-imbalance", "warning", column=d.p.target,
          action={"op": "set_class_weight", "value": "balanced"},
          cls=counts.index[-1], name=d.p.target, share=share, big=counts.index[0],
          n_max=n_max, small=counts.index[-1], n_min=n_min)


def check_leakage(d: Diagnosis) -> None:
    info = d.info
    assert info is not None
    t = d.p.target
    if not d.features:
        return
    frame = d.frame
    y_all = frame[t]
    if info.task == "regression":
        y_all = pd.to_numeric(y_all, errors="coerce")
    rows = np.flatnonzero(y_all.notna().to_numpy())
    if len(rows) < 10:
        return
    if len(rows) > LEAKAGE_SAMPLE:
        rows = np.sort(np.random.default_rng(0).choice(rows, LEAKAGE_SAMPLE, replace=False))
    sub = frame.iloc[rows]
    y = y_all.iloc[rows]
    t_codes, t_uniq = pd.factorize(y)
    nt = len(t_uniq)
    #: column -> its correlation with the target, None for a one-to-one recoding of it
    leaks: dict[str, float | None] = {}
    if 2 <= nt <= len(rows) / 2:
        n_target_values = int(y_all.nunique(dropna=True))
        for c in d.features:
            prof = d.profile(c)
            if prof is not None and not 2 <= prof.unique <= n_target_values + 1:
                continue  # cannot be a one-to-one recoding of the target
            f_codes, f_uniq = pd.factorize(sub[c])
            ok = f_codes >= 0
            if ok.sum() < 10 or len(f_uniq) < 2:
                continue
            fc, tc = f_codes[ok], t_codes[ok]
            n_f = len(np.unique(fc))
            n_t = len(np.unique(tc))
            if n_f != n_t or n_t < 2:
                continue
            n_pairs = len(np.unique(fc.astype(np.int64) * nt + tc))
            if n_pairs == n_f:
                leaks[c] = None
    if info.task == "regression":
        numeric = [c for c in d.features if c not in leaks
                   and pd.api.types.is_numeric_dtype(sub[c])
                   and not pd.api.types.is_bool_dtype(sub[c])]
        if numeric:
            x = sub[numeric].to_numpy(dtype=np.float64, na_value=np.nan)
            yv = y.to_numpy(dtype=np.float64, na_value=np.nan)
            with np.errstate(all="ignore"), warnings.catch_warnings():
                warnings.simplefilter("ignore")
                both = np.isfinite(x) & np.isfinite(yv)[:, None]
                n = both.sum(axis=0)
                xm = np.where(both, x, 0.0)
                ym = np.where(both, yv[:, None], 0.0)
                mx, my = xm.sum(0) / n, ym.sum(0) / n
                dx, dy = np.where(both, x - mx, 0.0), np.where(both, yv[:, None] - my, 0.0)
                r = (dx * dy).sum(0) / np.sqrt((dx * dx).sum(0) * (dy * dy).sum(0))
            for c, rc, nc in zip(numeric, r, n):
                if nc >= 10 and np.isfinite(rc) and abs(rc) > CORR_LEAK:
                    leaks[c] = rc
    for c, correlation in leaks.items():
        d.add("target-leakage", "error", column=c,
              action={"op": "set_column", "column": c, "field": "role", "value": "ignore"},
              name=c, target=t, correlation=correlation)
