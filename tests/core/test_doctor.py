"""The design doctor: each check is triggered by breaking one thing in a clean project, and its
one-click fix (when it has one) makes the finding go away."""

from __future__ import annotations

import json
import time

import numpy as np
import pandas as pd
import pytest

from studio.core.data import Dataset, load, profile
from studio.core.design import Design, Layer
from studio.core.doctor import Finding, apply_fix, diagnose, has_errors
from studio.core.project import estimate_inputs, new_project

RNG = np.random.default_rng(0)


# -- data -------------------------------------------------------------------------------------

def iris_like(n: int = 600, seed: int = 0) -> pd.DataFrame:
    """Three balanced classes, four noisy numeric features (no feature gives the answer)."""
    rng = np.random.default_rng(seed)
    k = np.arange(n) % 3
    return pd.DataFrame({
        "sepal_length": 5.0 + 0.8 * k + rng.normal(0, 0.5, n),
        "sepal_width": 3.0 - 0.2 * k + rng.normal(0, 0.4, n),
        "petal_length": 1.5 + 2.0 * k + rng.normal(0, 0.8, n),
        "petal_width": 0.3 + 0.8 * k + rng.normal(0, 0.4, n),
        "species": np.array(["setosa", "versicolor", "virginica"])[k],
    })


def binary_like(n: int = 600, minority: float = 0.5, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    y = (np.arange(n) < int(n * minority)).astype(int)
    rng.shuffle(y)
    return pd.DataFrame({
        "radius": 12 + 3 * y + rng.normal(0, 2, n),
        "texture": 19 + 2 * y + rng.normal(0, 4, n),
        "smoothness": 0.1 + 0.01 * y + rng.normal(0, 0.01, n),
        "diagnosis": np.where(y == 1, "malignant", "benign"),
    })


def regression_like(n: int = 600, seed: int = 2) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    x1, x2, x3 = rng.normal(0, 1, n), rng.normal(0, 1, n), rng.uniform(-2, 2, n)
    return pd.DataFrame({
        "bmi": x1, "bp": x2, "s1": x3,
        "progression": 150 + 30 * x1 - 20 * x2 + 10 * x3 + rng.normal(0, 15, n),
    })


def make(tmp_path, df: pd.DataFrame, target: str, name: str = "data.csv", **kw):
    """Write ``df`` as a CSV, load it as the app does and make the default project."""
    path = tmp_path / name
    df.to_csv(path, index=False)
    ds = load(str(path))
    return new_project(str(path), target, dataset=ds, **kw), ds


def codes(findings: list[Finding]) -> set[str]:
    return {f.code for f in findings}


def only(findings: list[Finding], code: str, **match) -> Finding:
    hits = [f for f in findings if f.code == code
            and all(getattr(f, k) == v for k, v in match.items())]
    assert len(hits) == 1, (code, match, [f.to_dict() for f in findings])
    return hits[0]


def fix_and_check(project, ds, finding: Finding) -> list[Finding]:
    """Apply the finding's fix; it must succeed and the same finding must not come back."""
    assert finding.action is not None
    assert apply_fix(project, finding) is True
    after = diagnose(project, ds)
    same = [f for f in after if f.code == finding.code and f.column == finding.column
            and f.layer == finding.layer]
    assert not same, [f.to_dict() for f in same]
    return after


@pytest.fixture
def iris(tmp_path):
    return make(tmp_path, iris_like(), "species")


@pytest.fixture
def binary(tmp_path):
    return make(tmp_path, binary_like(), "diagnosis")


@pytest.fixture
def regression(tmp_path):
    return make(tmp_path, regression_like(), "progression")


# -- clean projects ---------------------------------------------------------------------------

@pytest.mark.parametrize("frame,target", [(iris_like, "species"), (binary_like, "diagnosis"),
                                          (regression_like, "progression")])
def test_default_project_for_clean_data_has_no_errors(tmp_path, frame, target):
    project, ds = make(tmp_path, frame(), target)
    findings = diagnose(project, ds)
    assert not has_errors(findings), [f.to_dict() for f in findings]
    # the only thing a 600-row table may hear about is the size of the default network
    assert codes(findings) <= {"few-rows-per-param"}


def test_clean_data_with_enough_rows_has_no_findings(tmp_path):
    project, ds = make(tmp_path, iris_like(4000), "species")
    assert diagnose(project, ds) == []


def test_findings_are_sorted_serialisable_and_specific(iris):
    project, ds = iris
    project.design.layers[-1].units = 1                      # error
    project.training.early_stopping.enabled = False          # warning
    project.training.epochs = 500
    project.columns["sepal_length"].scale = "none"           # nothing (range is small)
    findings = diagnose(project, ds)
    ranks = [("error", "warning", "info").index(f.severity) for f in findings]
    assert ranks == sorted(ranks)
    json.dumps([f.to_dict() for f in findings])
    for f in findings:
        assert f.title and f.explanation and f.fix


# -- 1. structure -----------------------------------------------------------------------------

def test_empty_design(iris):
    project, ds = iris
    project.design = Design([])
    f = only(diagnose(project, ds), "design-empty")
    assert f.severity == "error"


def test_first_layer_not_input(iris):
    project, ds = iris
    first = project.design.layers.pop(0)
    assert first.kind == "input"
    f = only(diagnose(project, ds), "first-not-input")
    assert f.severity == "error" and f.layer == project.design.layers[0].uid


def test_last_layer_not_dense(iris):
    project, ds = iris
    drop = Layer.dropout(0.2)
    project.design.layers.append(drop)
    findings = diagnose(project, ds)
    f = only(findings, "last-not-dense")
    assert f.severity == "error" and f.layer == drop.uid and "dropout" in f.title


def test_dense_without_units(iris):
    project, ds = iris
    hidden = project.design.layers[1]
    hidden.units = 0
    f = only(diagnose(project, ds), "dense-units", layer=hidden.uid)
    assert f.severity == "error" and "0 units" in f.title


@pytest.mark.parametrize("rate", [1.0, -0.1, 1.5])
def test_dropout_rate_out_of_range(iris, rate):
    project, ds = iris
    drop = Layer.dropout(rate)
    project.design.layers.insert(2, drop)
    f = only(diagnose(project, ds), "dropout-rate", layer=drop.uid)
    assert f.severity == "error"


def test_input_width_mismatch_and_fix(iris):
    project, ds = iris
    project.design.layers[0].units = 7
    f = only(diagnose(project, ds), "input-width")
    assert f.severity == "error" and f.layer == project.design.layers[0].uid
    assert f.action == {"op": "set_input_units", "value": 4}
    assert "7 units" in f.title and "4 inputs" in f.title
    fix_and_check(project, ds, f)
    assert project.design.layers[0].units == estimate_inputs(project, ds) == 4


def test_invalid_settings_are_errors(iris):
    project, ds = iris
    project.compile.learning_rate = -1.0
    project.training.batch_size = 0
    project.split.train = 0.9
    findings = diagnose(project, ds)
    settings = [f for f in findings if f.code == "settings"]
    assert len(settings) == 3 and all(f.severity == "error" for f in settings)
    assert any("learning rate" in f.title for f in settings)
    assert any("batch size" in f.title for f in settings)
    assert any("add up to 1" in f.title for f in settings)


def test_no_features(iris):
    project, ds = iris
    for c in project.features:
        project.columns[c].role = "ignore"
    f = only(diagnose(project, ds), "no-features")
    assert f.severity == "error"


def test_feature_missing_from_data(iris):
    project, ds = iris
    from studio.core.prep import ColumnPrep
    project.columns["colour"] = ColumnPrep()
    f = only(diagnose(project, ds), "column-not-found", column="colour")
    assert f.severity == "error"
    fix_and_check(project, ds, f)


def test_no_hidden_layers_is_info(iris):
    project, ds = iris
    project.design.layers = [project.design.layers[0], project.design.layers[-1]]
    f = only(diagnose(project, ds), "no-hidden-layers")
    assert f.severity == "info"


# -- 2. output vs task ------------------------------------------------------------------------

@pytest.mark.parametrize("act", ["relu", "sigmoid", "softmax", "tanh"])
def test_regression_output_activation(regression, act):
    project, ds = regression
    out = project.design.layers[-1]
    out.activation = act
    f = only(diagnose(project, ds), "output-activation", layer=out.uid)
    assert f.severity == "error" and act in f.title
    assert f.action == {"op": "set_activation", "layer": out.uid, "value": "linear"}
    after = fix_and_check(project, ds, f)
    assert not has_errors(after)


def test_regression_output_units(regression):
    project, ds = regression
    out = project.design.layers[-1]
    out.units = 3
    f = only(diagnose(project, ds), "output-units", layer=out.uid)
    assert f.severity == "error"
    assert f.action == {"op": "set_units", "layer": out.uid, "value": 1}
    assert not has_errors(fix_and_check(project, ds, f))


def test_multiclass_output_with_one_sigmoid_unit(iris):
    project, ds = iris
    out = project.design.layers[-1]
    out.units, out.activation = 1, "sigmoid"
    findings = diagnose(project, ds)
    units = only(findings, "output-units", layer=out.uid)
    assert units.title == "The output layer has 1 unit but the target 'species' has 3 classes"
    assert units.action == {"op": "set_units", "layer": out.uid, "value": 3}
    act = only(findings, "output-activation", layer=out.uid)
    assert act.action == {"op": "set_activation", "layer": out.uid, "value": "softmax"}
    fix_and_check(project, ds, units)
    after = fix_and_check(project, ds, act)
    assert not has_errors(after)


def test_binary_output_softmax_on_one_unit(binary):
    project, ds = binary
    out = project.design.layers[-1]
    out.activation = "softmax"
    f = only(diagnose(project, ds), "output-activation", layer=out.uid)
    assert f.action["value"] == "sigmoid"
    assert not has_errors(fix_and_check(project, ds, f))


def test_binary_two_softmax_units_accepted_with_sparse_ce(binary):
    project, ds = binary
    out = project.design.layers[-1]
    out.units, out.activation = 2, "softmax"
    project.compile.loss = "sparse_categorical_crossentropy"
    assert not has_errors(diagnose(project, ds))
    project.compile.loss = "binary_crossentropy"
    f = only(diagnose(project, ds), "loss-output")
    assert f.severity == "error"
    assert f.action == {"op": "set_loss", "value": "sparse_categorical_crossentropy"}
    assert not has_errors(fix_and_check(project, ds, f))


def test_binary_two_sigmoid_units(binary):
    project, ds = binary
    out = project.design.layers[-1]
    out.units = 2
    f = only(diagnose(project, ds), "output-units", layer=out.uid)
    assert f.action["value"] == 1
    assert not has_errors(fix_and_check(project, ds, f))


def test_binary_task_forced_on_three_classes(iris):
    project, ds = iris
    project.task = "binary"
    f = only(diagnose(project, ds), "task-classes", column="species")
    assert f.severity == "error"
    assert f.action == {"op": "set_task", "value": "multiclass"}
    fix_and_check(project, ds, f)


# -- 3. loss and metrics ----------------------------------------------------------------------

def test_mse_on_class_labels(iris):
    project, ds = iris
    project.compile.loss = "mse"
    f = only(diagnose(project, ds), "loss-task")
    assert f.severity == "error" and "MSE on class labels" in f.title
    assert f.action == {"op": "set_loss", "value": "sparse_categorical_crossentropy"}
    assert not has_errors(fix_and_check(project, ds, f))


def test_mae_on_binary_sets_binary_crossentropy(binary):
    project, ds = binary
    project.compile.loss = "mae"
    f = only(diagnose(project, ds), "loss-task")
    assert f.action == {"op": "set_loss", "value": "binary_crossentropy"}
    fix_and_check(project, ds, f)


def test_cross_entropy_on_regression(regression):
    project, ds = regression
    project.compile.loss = "binary_crossentropy"
    f = only(diagnose(project, ds), "loss-task")
    assert f.action == {"op": "set_loss", "value": "mse"}
    assert not has_errors(fix_and_check(project, ds, f))


def test_sparse_ce_with_a_sigmoid_output(binary):
    project, ds = binary
    project.compile.loss = "sparse_categorical_crossentropy"
    f = only(diagnose(project, ds), "loss-output")
    assert f.action == {"op": "set_loss", "value": "binary_crossentropy"}
    fix_and_check(project, ds, f)


def test_softmax_with_binary_crossentropy_on_multiclass(iris):
    project, ds = iris
    project.compile.loss = "binary_crossentropy"
    f = only(diagnose(project, ds), "loss-output")
    assert "softmax" in f.title
    assert f.action["value"] == "sparse_categorical_crossentropy"
    fix_and_check(project, ds, f)


def test_metrics_that_do_not_fit(regression, iris):
    project, ds = regression
    project.compile.metrics = ["mae", "accuracy"]
    f = only(diagnose(project, ds), "metric-task")
    assert f.severity == "warning" and "accuracy" in f.title
    assert f.action == {"op": "set_metrics", "value": ["mae"]}
    fix_and_check(project, ds, f)

    project, ds = iris
    project.compile.metrics = ["mae"]
    f = only(diagnose(project, ds), "metric-task")
    assert f.action == {"op": "set_metrics", "value": ["accuracy"]}
    fix_and_check(project, ds, f)


# -- 4. data ----------------------------------------------------------------------------------

def test_unscaled_large_values(tmp_path):
    df = regression_like()
    df["income"] = RNG.uniform(20_000, 90_000, len(df))
    project, ds = make(tmp_path, df, "progression")
    project.design.layers[0].units = estimate_inputs(project, ds)
    project.columns["income"].scale = "none"
    f = only(diagnose(project, ds), "unscaled-features", column="income")
    assert f.severity == "warning" and "'income'" in f.title
    assert f.action == {"op": "set_column", "column": "income", "field": "scale",
                        "value": "standard"}
    fix_and_check(project, ds, f)


def test_unscaled_ranges_that_differ(tmp_path):
    df = binary_like()
    df["area"] = RNG.uniform(0, 60, len(df))
    project, ds = make(tmp_path, df, "diagnosis")
    for c in ("area", "smoothness", "texture"):
        project.columns[c].scale = "none"
    findings = diagnose(project, ds)
    flagged = {f.column for f in findings if f.code == "unscaled-features"}
    assert {"area", "smoothness"} <= flagged
    for f in [f for f in findings if f.code == "unscaled-features"]:
        assert apply_fix(project, f)
    assert "unscaled-features" not in codes(diagnose(project, ds))


def test_unscaled_small_ranges_are_fine(iris):
    project, ds = iris
    project.columns["sepal_width"].scale = "none"
    assert "unscaled-features" not in codes(diagnose(project, ds))


def test_class_imbalance(tmp_path):
    project, ds = make(tmp_path, binary_like(minority=0.05), "diagnosis")
    f = only(diagnose(project, ds), "class-imbalance")
    assert f.severity == "warning" and f.column == "diagnosis" and "'malignant'" in f.title
    assert f.action == {"op": "set_class_weight", "value": "balanced"}
    fix_and_check(project, ds, f)
    assert project.training.class_weight == "balanced"


def test_balanced_many_classes_are_not_imbalanced(tmp_path):
    n = 2000
    df = pd.DataFrame({"x": RNG.normal(0, 1, n), "y": RNG.normal(0, 1, n),
                       "digit": [f"d{i % 20}" for i in range(n)]})
    project, ds = make(tmp_path, df, "digit")
    assert "class-imbalance" not in codes(diagnose(project, ds))


def test_few_rows_per_parameter(iris):
    project, ds = iris
    project.design.layers.insert(1, Layer.dense(512, "relu"))
    f = only(diagnose(project, ds), "few-rows-per-param")
    assert f.severity == "warning" and "over-fitting" in f.explanation


def test_id_and_text_features(tmp_path):
    df = iris_like()
    df.insert(0, "customer_id", np.arange(len(df)) + 1000)
    df["comment"] = [f"visit number {i} went {'well' if i % 2 else 'badly'} today"
                     for i in range(len(df))]
    project, ds = make(tmp_path, df, "species")
    assert project.columns["customer_id"].role == "ignore"  # the default is careful
    project.columns["customer_id"].role = "feature"
    project.columns["comment"].role = "feature"
    findings = diagnose(project, ds)
    id_f = only(findings, "id-feature", column="customer_id")
    text_f = only(findings, "text-feature", column="comment")
    assert id_f.severity == text_f.severity == "warning"
    assert id_f.action == {"op": "set_column", "column": "customer_id", "field": "role",
                           "value": "ignore"}
    fix_and_check(project, ds, id_f)
    fix_and_check(project, ds, text_f)


def test_constant_feature(tmp_path):
    df = iris_like()
    df["site"] = "Seoul"
    project, ds = make(tmp_path, df, "species")
    project.columns["site"].role = "feature"
    f = only(diagnose(project, ds), "constant-feature", column="site")
    fix_and_check(project, ds, f)


def test_target_leakage_recoding(tmp_path):
    df = iris_like()
    df["species_code"] = df["species"].map({"setosa": 0, "versicolor": 1, "virginica": 2})
    project, ds = make(tmp_path, df, "species")
    f = only(diagnose(project, ds), "target-leakage", column="species_code")
    assert f.severity == "error" and "'species'" in f.title
    assert f.action == {"op": "set_column", "column": "species_code", "field": "role",
                        "value": "ignore"}
    fix_and_check(project, ds, f)


def test_target_leakage_regression_copy(tmp_path):
    df = regression_like()
    df["progression_x10"] = df["progression"] * 10 + 3
    project, ds = make(tmp_path, df, "progression")
    f = only(diagnose(project, ds), "target-leakage", column="progression_x10")
    fix_and_check(project, ds, f)


def test_no_leakage_from_ordinary_features(regression, iris):
    for project, ds in (regression, iris):
        assert "target-leakage" not in codes(diagnose(project, ds))


def test_single_class_target(tmp_path):
    df = iris_like()
    df["species"] = "setosa"
    path = tmp_path / "one.csv"
    df.to_csv(path, index=False)
    ds = load(str(path))
    project, _ = make(tmp_path, iris_like(), "species")
    f = only(diagnose(project, ds), "single-class")
    assert f.severity == "error" and f.column == "species" and "'setosa'" in f.title


def test_empty_target(tmp_path):
    project, _ = make(tmp_path, iris_like(), "species")
    df = iris_like()
    df["species"] = np.nan
    ds = Dataset(frame=df, info=None, source="memory", profiles=profile(df))
    f = only(diagnose(project, ds), "target-empty")
    assert f.severity == "error" and f.column == "species"


def test_target_with_missing_values_is_info(tmp_path):
    df = iris_like()
    df.loc[:11, "species"] = np.nan
    project, ds = make(tmp_path, df, "species")
    f = only(diagnose(project, ds), "target-missing-values")
    assert f.severity == "info" and f.title.startswith("12 rows")


@pytest.mark.parametrize("column,strategy", [("petal_width", "median"),
                                             ("colour", "most_frequent")])
def test_missing_feature_values_without_impute(tmp_path, column, strategy):
    df = iris_like()
    df["colour"] = np.array(["red", "green", "blue"])[RNG.integers(0, 3, len(df))]
    df.loc[::7, column] = np.nan
    project, ds = make(tmp_path, df, "species")
    project.design.layers[0].units = estimate_inputs(project, ds)
    project.columns[column].impute = "none"
    f = only(diagnose(project, ds), "missing-values", column=column)
    assert f.severity == "error"
    assert f.action == {"op": "set_column", "column": column, "field": "impute",
                        "value": strategy}
    assert not has_errors(fix_and_check(project, ds, f))


def test_many_classes(tmp_path):
    n = 3000
    df = pd.DataFrame({"x": RNG.normal(0, 1, n), "city": [f"c{i % 60:02d}" for i in range(n)]})
    project, ds = make(tmp_path, df, "city")
    f = only(diagnose(project, ds), "many-classes")
    assert f.severity == "warning" and "60 classes" in f.title


def test_regression_target_forced_to_classification(tmp_path):
    project, ds = make(tmp_path, regression_like().round({"progression": 0}), "progression",
                       task="multiclass")
    f = only(diagnose(project, ds), "task-override", column="progression")
    assert f.severity == "warning"


def test_text_target_forced_to_regression(tmp_path):
    project, ds = make(tmp_path, iris_like(), "species", task="regression")
    f = only(diagnose(project, ds), "target-not-numeric")
    assert f.severity == "error"


def test_few_rows(tmp_path):
    project, ds = make(tmp_path, iris_like(30), "species")
    f = only(diagnose(project, ds), "few-rows")
    assert f.severity == "warning" and "30" in f.title


# -- 5. training ------------------------------------------------------------------------------

def test_many_epochs_without_early_stopping(iris):
    project, ds = iris
    project.training.early_stopping.enabled = False
    project.training.epochs = 150
    assert "no-early-stopping" not in codes(diagnose(project, ds))
    project.training.epochs = 500
    f = only(diagnose(project, ds), "no-early-stopping")
    assert f.severity == "warning" and "500" in f.title
    fix_and_check(project, ds, f)
    assert project.training.early_stopping.enabled


def test_high_learning_rate(iris):
    project, ds = iris
    project.compile.learning_rate = 0.5
    f = only(diagnose(project, ds), "high-learning-rate")
    assert f.severity == "warning" and "0.5" in f.title
    fix_and_check(project, ds, f)


def test_batch_larger_than_training_rows(iris):
    project, ds = iris
    project.training.batch_size = 1000
    f = only(diagnose(project, ds), "batch-too-large")
    assert f.severity == "warning" and "420 training rows" in f.title
    assert f.action == {"op": "set_batch_size", "value": 32}
    fix_and_check(project, ds, f)


# -- apply_fix --------------------------------------------------------------------------------

def test_apply_fix_refuses_what_it_cannot_do(iris):
    project, _ds = iris
    before = project.to_dict()
    assert apply_fix(project, Finding("x", "info", "t", "e", "f")) is False
    assert apply_fix(project, Finding("x", "info", "t", "e", "f",
                                      action={"op": "launch_rockets"})) is False
    assert apply_fix(project, Finding("x", "error", "t", "e", "f",
                                      action={"op": "set_units", "layer": "gone",
                                              "value": 3})) is False
    assert apply_fix(project, Finding("x", "error", "t", "e", "f",
                                      action={"op": "set_column", "column": "species",
                                              "field": "__class__", "value": 1})) is False
    assert project.to_dict() == before


# -- speed ------------------------------------------------------------------------------------

def test_diagnose_is_fast_on_a_large_table(tmp_path):
    n = 100_000
    rng = np.random.default_rng(3)
    cols = {f"x{i}": rng.normal(0, 1 + i, n) for i in range(16)}
    cols["city"] = np.array(["Seoul", "Busan", "Incheon", "Daegu"])[rng.integers(0, 4, n)]
    cols["grade"] = rng.integers(1, 6, n)
    cols["flag"] = rng.integers(0, 2, n).astype(bool)
    cols["label"] = np.array(["a", "b", "c"])[rng.integers(0, 3, n)]
    df = pd.DataFrame(cols)
    ds = Dataset(frame=df, info=None, source="memory", profiles=profile(df))
    project = new_project("memory", "label", dataset=ds)
    diagnose(project, ds)  # warm up
    start = time.perf_counter()
    findings = diagnose(project, ds)
    elapsed = time.perf_counter() - start
    assert not has_errors(findings), [f.to_dict() for f in findings]
    assert elapsed < 0.3, elapsed


# -- one fix, a consistent project ------------------------------------------------------------

def _model_inputs(project, ds) -> int:
    """The number of inputs the fitted preprocessing really gives the model."""
    from studio.core.prep import prepare

    prepared = prepare(ds.frame, project.target, project.columns, project.task_info(ds),
                       project.split)
    return int(prepared.x_train.shape[1])


def test_one_leakage_fix_leaves_no_error_and_the_right_input_width(tmp_path):
    """A text copy of the target is one-hot (3 inputs): ignoring it must narrow the input
    layer in the same fix, not leave an "input-width" error for a second click."""
    df = iris_like()
    df["species_copy"] = df["species"]
    df["site"] = np.array(["Seoul", "Busan", "Incheon", "Daegu"])[np.arange(len(df)) % 4]
    project, ds = make(tmp_path, df, "species")
    assert project.columns["species_copy"].encode == "onehot"
    assert project.design.layers[0].units == 4 + 4 + 3
    f = only(diagnose(project, ds), "target-leakage", column="species_copy")
    assert apply_fix(project, f, ds) is True
    after = diagnose(project, ds)
    assert not has_errors(after), [x.to_dict() for x in after]
    assert project.columns["species_copy"].role == "ignore"
    assert project.design.layers[0].units == estimate_inputs(project, ds) == 8
    assert _model_inputs(project, ds) == 8


def test_every_column_fix_keeps_the_input_width_consistent(tmp_path):
    """Fix after fix (leakage, free text, an identifier, a constant, missing categories), the
    input layer always has the width the preprocessing produces."""
    n = 600
    df = iris_like(n)
    rng = np.random.default_rng(5)
    df["species_copy"] = df["species"]
    df["note"] = [f"a remark written by hand, number {i % 400}" for i in range(n)]
    df["row_id"] = [f"id-{i:05d}" for i in range(n)]
    df["site"] = "Seoul"
    colour = np.array(["red", "green", "blue"], dtype=object)[rng.integers(0, 3, n)]
    colour[rng.choice(n, 30, replace=False)] = None
    df["colour"] = colour
    project, ds = make(tmp_path, df, "species")
    for c in ("note", "row_id", "site", "colour"):
        project.columns[c].role = "feature"
        project.columns[c].encode = "onehot"
        project.columns[c].impute = "none"
    project.design.layers[0].units = estimate_inputs(project, ds)
    fixed = []
    for _round in range(10):
        todo = [f for f in diagnose(project, ds) if f.action is not None
                and f.action.get("op") == "set_column"]
        if not todo:
            break
        f = todo[0]
        assert apply_fix(project, f, ds) is True
        fixed.append((f.code, f.column))
        after = diagnose(project, ds)
        assert "input-width" not in codes(after), (fixed, [x.to_dict() for x in after])
        assert project.design.layers[0].units == estimate_inputs(project, ds), fixed
    assert {"target-leakage", "missing-values"} <= {code for code, _c in fixed}
    assert {"species_copy", "note", "row_id", "site", "colour"} <= {c for _code, c in fixed}
    assert not has_errors(diagnose(project, ds))
    assert project.design.layers[0].units == _model_inputs(project, ds) == 4 + 3
