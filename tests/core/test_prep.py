"""Preprocessing: fitted on training rows only, stratified split, readable fitted state."""

import json

import numpy as np
import pandas as pd
import pytest

from studio.core.data import TaskInfo, infer_task, profile
from studio.core.errors import DataError
from studio.core.prep import (
    FittedPreprocessing,
    SplitSettings,
    default_column_prep,
    prepare,
)


def _frame(n=400, seed=0):
    rng = np.random.default_rng(seed)
    df = pd.DataFrame({
        "age": rng.normal(40, 12, n).round(),
        "income": rng.normal(50_000, 15_000, n),
        "city": rng.choice(["Seoul", "Busan", "Daegu"], n),
        "smoker": rng.choice(["yes", "no"], n),
    })
    df.loc[rng.choice(n, 20, replace=False), "age"] = np.nan
    df.loc[rng.choice(n, 15, replace=False), "city"] = np.nan
    df["label"] = np.where(df["income"] > 55_000, "high", "low")
    return df


def _columns(df, target="label"):
    cols = {p.name: default_column_prep(p) for p in profile(df)}
    cols[target].role = "target"
    return cols


def test_scaler_sees_only_training_rows():
    df = _frame()
    cols = _columns(df)
    prep = prepare(df, "label", cols, infer_task(df["label"]), SplitSettings(seed=3))
    step = next(s for s in prep.fitted.steps if s["column"] == "income")
    train_rows = df.loc[prep.index_train, "income"]
    assert step["mean"] == pytest.approx(train_rows.mean())
    assert step["std"] == pytest.approx(train_rows.std(ddof=0))
    assert step["mean"] != pytest.approx(df["income"].mean(), rel=1e-9)
    # the imputer's median is the training rows' median
    age = next(s for s in prep.fitted.steps if s["column"] == "age")
    assert age["impute"] == pytest.approx(df.loc[prep.index_train, "age"].median())
    # scaled training column has mean 0, validation/test do not exactly
    i = prep.fitted.feature_names.index("income")
    assert abs(prep.x_train[:, i].mean()) < 1e-5


def test_split_sizes_disjoint_and_stratified():
    df = _frame(1000)
    prep = prepare(df, "label", _columns(df), infer_task(df["label"]),
                   SplitSettings(0.6, 0.2, 0.2, seed=1))
    assert prep.rows == {"train": 600, "validation": 200, "test": 200}
    sets = [set(prep.index_train), set(prep.index_val), set(prep.index_test)]
    assert not (sets[0] & sets[1]) and not (sets[0] & sets[2]) and not (sets[1] & sets[2])
    share = [np.mean(y) for y in (prep.y_train, prep.y_val, prep.y_test)]
    assert max(share) - min(share) < 0.02  # stratified


def test_split_is_reproducible_for_a_seed():
    df = _frame()
    a = prepare(df, "label", _columns(df), infer_task(df["label"]), SplitSettings(seed=5))
    b = prepare(df, "label", _columns(df), infer_task(df["label"]), SplitSettings(seed=5))
    c = prepare(df, "label", _columns(df), infer_task(df["label"]), SplitSettings(seed=6))
    assert np.array_equal(a.index_test, b.index_test)
    assert not np.array_equal(a.index_test, c.index_test)


def test_one_hot_groups_tell_the_design_where_inputs_come_from():
    df = _frame()
    prep = prepare(df, "label", _columns(df), infer_task(df["label"]), SplitSettings())
    groups = {g.column: g for g in prep.fitted.groups}
    assert groups["city"].kind == "onehot" and groups["city"].width == 3
    assert groups["city"].describe() == "city -> 3 one-hot inputs"
    assert prep.n_inputs == prep.fitted.n_inputs == 1 + 1 + 3 + 1


def test_json_transform_equals_sklearn_transform():
    df = _frame()
    cols = _columns(df)
    cols["income"].scale = "minmax"
    cols["smoker"].encode = "ordinal"
    cols["smoker"].scale = "standard"
    prep = prepare(df, "label", cols, infer_task(df["label"]), SplitSettings(seed=2))
    doc = json.loads(json.dumps(prep.fitted.to_dict()))
    fitted = FittedPreprocessing.from_dict(doc)
    x = fitted.transform(df.loc[prep.index_test])
    np.testing.assert_allclose(x, prep.x_test, rtol=1e-5, atol=1e-5)
    # unseen category -> all zeros in its one-hot block, no crash
    new = df.loc[prep.index_test[:3]].copy()
    new["city"] = "Jeju"
    out = fitted.transform(new)
    start = fitted.feature_names.index("city=Busan")
    assert out[:, start:start + 3].sum() == 0


def test_regression_target_is_standardised_and_restored():
    rng = np.random.default_rng(0)
    df = pd.DataFrame({"x": rng.normal(size=300)})
    df["price"] = 50_000 + 10_000 * df["x"] + rng.normal(0, 100, 300)
    cols = _columns(df, "price")
    prep = prepare(df, "price", cols, infer_task(df["price"]), SplitSettings())
    assert abs(prep.y_train.mean()) < 1e-5 and abs(prep.y_train.std() - 1) < 1e-4
    restored = prep.fitted.target_to_labels(prep.y_test)
    np.testing.assert_allclose(restored, df.loc[prep.index_test, "price"], rtol=1e-5)


def test_missing_target_rows_dropped_and_missing_without_strategy_refused():
    df = _frame()
    df.loc[:9, "label"] = np.nan
    cols = _columns(df)
    prep = prepare(df, "label", cols, infer_task(df["label"]), SplitSettings())
    assert prep.dropped_rows == 10 and sum(prep.rows.values()) == len(df) - 10
    cols["age"].impute = "none"
    with pytest.raises(DataError, match="age"):
        prepare(df, "label", cols, infer_task(df["label"]), SplitSettings())
    cols["age"].impute = "drop"
    prep = prepare(df, "label", cols, infer_task(df["label"]), SplitSettings())
    assert prep.dropped_rows == 10 + df.loc[10:, "age"].isna().sum()


def test_class_labels_map_back():
    df = _frame()
    prep = prepare(df, "label", _columns(df), TaskInfo("binary", ["high", "low"]),
                   SplitSettings())
    labels = prep.fitted.target_to_labels(prep.y_test)
    assert list(labels) == list(df.loc[prep.index_test, "label"])


def test_split_settings_validation():
    assert SplitSettings().validate() == []
    assert SplitSettings(0.5, 0.2, 0.2).validate()
    assert SplitSettings(0.9, 0.0, 0.1).validate()
