"""Profiling large columns: the bincount path gives pandas' counts, and the same profiles."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from studio.core.data import profiling

N = profiling._BINCOUNT_MIN_ROWS


def _as_dict(counts: pd.Series) -> dict:
    return {float(k): int(v) for k, v in counts.items()}


def _columns() -> dict[str, pd.Series]:
    rng = np.random.default_rng(3)
    decimals = pd.Series(rng.normal(size=N).round(4))
    decimals[::97] = np.nan
    decimals[5] = -0.0
    decimals[6] = 0.0
    return {
        "decimals": decimals,
        "whole floats": pd.Series(rng.integers(-50, 50, size=N).astype(float)),
        "ints": pd.Series(rng.integers(-1000, 3000, size=N)),
        "big ints": pd.Series(rng.integers(0, 2**62, size=N)),            # hashed
        "full precision": pd.Series(rng.normal(size=N)),                   # hashed
        "prices": pd.Series(rng.integers(0, 10**4, size=N) / 100),
        "wide prices": pd.Series(rng.integers(0, 10**8, size=N) / 100),     # hashed
        "infinite": pd.Series(np.r_[np.inf, -np.inf, rng.normal(size=N).round(2)]),
        "all missing": pd.Series(np.full(N, np.nan)),
        "late long decimal": pd.Series(np.r_[np.ones(2000), 1.234567891, np.zeros(N)]),
    }


@pytest.mark.parametrize("name", list(_columns()))
def test_counts_are_pandas_value_counts(name):
    s = _columns()[name]
    got = profiling._value_counts(s)
    want = s.value_counts(dropna=True, sort=False)
    assert _as_dict(got) == _as_dict(want)
    assert got.dtype == np.int64 and int(got.sum()) == int(s.notna().sum())


def test_whole_numbers_and_decimals_take_the_bincount_path():
    cols = _columns()
    for name in ("decimals", "whole floats", "ints", "prices"):
        assert profiling._bincount_values(cols[name].to_numpy()) is not None, name
    for name in ("big ints", "full precision", "infinite", "late long decimal", "wide prices"):
        assert profiling._bincount_values(cols[name].to_numpy()) is None, name


def test_profiles_are_the_same_with_either_way_of_counting(monkeypatch):
    frame = pd.DataFrame({k: v.iloc[:N].reset_index(drop=True) for k, v in _columns().items()})
    frame["row_id"] = np.arange(N)
    fast = profiling.profile(frame)
    monkeypatch.setattr(profiling, "_BINCOUNT_MIN_ROWS", 10**12)
    slow = profiling.profile(frame)
    for a, b in zip(fast, slow, strict=True):
        da, db = a.to_dict(), b.to_dict()
        # only the order of equally frequent top values may differ
        ta, tb = da.pop("top_values"), db.pop("top_values")
        assert sorted(c for _v, c in ta) == sorted(c for _v, c in tb), a.name
        for key in ("mean", "std"):
            x, y = da.pop(key), db.pop(key)
            assert (x is None and y is None) or x == pytest.approx(y, rel=1e-12, abs=1e-15), \
                (a.name, key)
        assert da == db, a.name
