"""Saved models: safe loading, predictions on new rows, rows that cannot be predicted, outputs
that never replace their inputs, refusal of unsafe models."""

import csv
import io
import json
import os
import shutil

import numpy as np
import pandas as pd
import pytest

from studio.core.data import load
from studio.core.errors import StudioError
from studio.core.predict import (
    check_output_path,
    combine,
    load_model_dir,
    predict_csv,
    predict_frame,
)
from studio.core.prep import FittedPreprocessing
from studio.core.project import new_project
from studio.core.results import save_run
from studio.core.train import train

IRIS_HEADER = "sepal_length,sepal_width,petal_length,petal_width"


@pytest.fixture(scope="session")
def iris_run(tmp_path_factory):
    proj = new_project("sample:iris", "species")
    proj.training.epochs = 3
    result = train(proj)
    out = tmp_path_factory.mktemp("run") / "iris"
    save_run(result, out)
    return result, out


@pytest.fixture(scope="session")
def lambda_model_dir(iris_run, tmp_path_factory):
    import keras

    _result, good = iris_run
    d = tmp_path_factory.mktemp("unsafe")
    model = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Lambda(lambda x: x * 2),
                              keras.layers.Dense(3, activation="softmax")])
    model.save(d / "model.keras")
    (d / "preprocessing.json").write_text((good / "preprocessing.json").read_text())
    return d


class LinearModel:
    """A stand-in network: softmax of the inputs' first columns (or their sum, for
    regression), so that tests know exactly which rows reached it and with what."""

    def __init__(self, outputs: int = 2, value: float | None = None) -> None:
        self.outputs, self.value, self.seen = outputs, value, []

    def predict(self, x, batch_size=None, verbose=0):
        self.seen.append(np.array(x))
        if self.value is not None:
            return np.full((len(x), self.outputs), self.value, dtype=np.float32)
        z = x[:, :self.outputs]
        e = np.exp(z - z.max(axis=1, keepdims=True))
        return e / e.sum(axis=1, keepdims=True)


def _fitted(impute=None, categories=("Busan", "Seoul"), city_fill=None) -> FittedPreprocessing:
    return FittedPreprocessing.from_dict({
        "format": "netsketch-preprocessing", "version": 1, "target": "y", "task": "binary",
        "classes": ["no", "yes"], "steps": [
            {"column": "age", "kind": "numeric", "impute": impute, "scale": "standard",
             "mean": 40.0, "std": 10.0},
            {"column": "city", "kind": "onehot", "impute": city_fill, "scale": "none",
             "categories": list(categories)}]})


def test_load_and_predict_matches_training(iris_run):
    result, out = iris_run
    model, fitted = load_model_dir(out)
    df = load("sample:iris").frame
    pred = predict_frame(model, fitted, df.drop(columns=["species"]))
    assert list(pred.columns) == ["prediction", "P(setosa)", "P(versicolor)", "P(virginica)",
                                  "reason"]
    assert set(pred["prediction"]) <= {"setosa", "versicolor", "virginica"}
    assert (pred["reason"] == "").all()
    assert pred.filter(like="P(").sum(axis=1).round(4).eq(1).all()
    test_rows = df.loc[result.prepared.index_test]
    acc = (predict_frame(model, fitted, test_rows)["prediction"] == test_rows["species"]).mean()
    assert acc == pytest.approx(result.evaluation.metrics["accuracy"])


def test_predict_csv_writes_file(iris_run, tmp_path):
    _result, out = iris_run
    result = predict_csv(out, "sample:iris", tmp_path / "p.csv")
    assert (tmp_path / "p.csv").exists() and result.rows == 150 and result.failed == 0
    assert pd.read_csv(tmp_path / "p.csv")["prediction"].notna().all()


def test_rows_with_text_empty_or_infinite_cells_get_a_reason_and_no_prediction(iris_run,
                                                                              tmp_path):
    """Before: such rows got class 0 ('setosa') with empty probabilities."""
    _result, out = iris_run
    data = tmp_path / "new.csv"
    data.write_text(f"{IRIS_HEADER}\n5.1,3.5,1.4,0.2\nabc,3.5,1.4,0.2\n,3.5,1.4,0.2\n"
                    "inf,3.0,5.0,1.8\n6.3,2.9,5.6,1.8\n")
    result = predict_csv(out, str(data))
    table = result.table
    assert (result.rows, result.predicted, result.failed) == (5, 2, 3)
    assert table["prediction"].isna().tolist() == [False, True, True, True, False]
    assert table.loc[1, "reason"] == "'sepal_length' is not a number: 'abc'"
    assert table.loc[2, "reason"].startswith("'sepal_length' is empty and the model has no")
    assert table.loc[3, "reason"].startswith("'sepal_length' is infinite ('inf')")
    assert table.loc[1:3, "P(setosa)"].isna().all()
    assert result.summary() == ["3 of 5 rows could not be predicted: see the 'reason' column."]
    model, fitted = load_model_dir(out)
    clean = predict_frame(model, fitted, load(str(data)).frame.iloc[[0, 4]])
    assert table.loc[[0, 4], "prediction"].tolist() == clean["prediction"].tolist()


def test_an_empty_cell_takes_the_fill_in_value_when_there_is_one():
    model = LinearModel()
    df = pd.DataFrame({"age": [np.nan, 55.0], "city": ["Seoul", "Seoul"]})
    pred = predict_frame(model, _fitted(impute=55.0), df)
    assert pred["prediction"].notna().all() and (pred["reason"] == "").all()
    np.testing.assert_allclose(model.seen[0][0], model.seen[0][1])     # imputed = 55.0
    pred = predict_frame(model, _fitted(impute=None), df)
    assert pred["prediction"].isna().tolist() == [True, False]


def test_infinite_numbers_are_missing_as_in_training():
    """Training treated inf as missing: with a fill-in value they take it, else no prediction."""
    df = pd.DataFrame({"age": ["inf", "-inf", "1e400", "30"], "city": ["Seoul"] * 4})
    pred = predict_frame(LinearModel(), _fitted(impute=40.0), df)
    assert (pred["reason"] == "").all() and pred["prediction"].notna().all()
    pred = predict_frame(LinearModel(), _fitted(impute=None), df)
    assert pred["prediction"].isna().tolist() == [True, True, True, False]
    assert pred.loc[2, "reason"].startswith("'age' is infinite ('1e400')")


def test_an_unseen_category_is_predicted_as_none_of_the_known_ones_with_a_note():
    model = LinearModel()
    df = pd.DataFrame({"age": [40.0, 40.0], "city": ["Jeju", "Seoul"]})
    pred = predict_frame(model, _fitted(), df)
    assert pred["prediction"].notna().all()
    assert pred.loc[0, "reason"] == ("'city' has a value the model never saw: 'Jeju' (it counts "
                                     "as none of the known ones)")
    assert model.seen[0][0, 1:].tolist() == [0.0, 0.0]          # scikit-learn's "ignore"
    result = combine(df, pred)
    assert (result.failed, result.noted) == (0, 1)
    assert "1 of 2 rows were predicted with a value the model never saw" in result.summary()[0]


def test_an_empty_category_without_fill_in_value_is_not_predicted():
    df = pd.DataFrame({"age": [40.0, 40.0], "city": [np.nan, "  "]})
    assert predict_frame(LinearModel(), _fitted(), df)["prediction"].isna().all()
    pred = predict_frame(LinearModel(), _fitted(city_fill="Seoul"), df)
    assert pred["prediction"].notna().all() and (pred["reason"] == "").all()


def test_several_problems_in_a_row_name_the_first_and_count_the_rest():
    df = pd.DataFrame({"age": ["x"], "city": [np.nan]})
    reason = predict_frame(LinearModel(), _fitted(), df).loc[0, "reason"]
    assert reason == "'age' is not a number: 'x' (and 1 more)"


def test_a_model_output_that_is_not_a_number_is_no_prediction():
    df = pd.DataFrame({"age": [40.0], "city": ["Seoul"]})
    pred = predict_frame(LinearModel(value=np.nan), _fitted(), df)
    assert pred["prediction"].isna().all() and "the model gave no number" in pred.loc[0, "reason"]


def test_rows_with_problems_never_reach_the_network():
    model = LinearModel()
    df = pd.DataFrame({"age": ["abc", "30", None], "city": ["Seoul"] * 3})
    predict_frame(model, _fitted(), df)
    assert len(model.seen) == 1 and len(model.seen[0]) == 1


def test_no_row_predictable_is_an_error_and_nothing_is_written(iris_run, tmp_path):
    _result, out = iris_run
    data = tmp_path / "bad.csv"
    data.write_text(f"{IRIS_HEADER}\nabc,3.5,1.4,0.2\n,1,1,1\n")
    with pytest.raises(StudioError, match="None of the 2 rows could be predicted; the first: "
                                          "'sepal_length' is not a number: 'abc'"):
        predict_csv(out, str(data), tmp_path / "p.csv")
    assert not (tmp_path / "p.csv").exists()


def test_passed_through_columns_keep_their_text(iris_run, tmp_path):
    """Before: 007 became 7.0, 1.50 became 1.5 and an empty cell 'nan'."""
    _result, out = iris_run
    data = tmp_path / "ids.csv"
    rows = [["id", "note", *IRIS_HEADER.split(",")],
            ["007", "1.50", "5.1", "3.5", "1.4", "0.2"],
            ["0x1F", "", "6.30", "2.9", "5.6", "1.8"],
            ["1e3", "NA", "5.0", "3.0", "1.6", "0.2"],
            ["00", '"quoted, text"', "5.7", "2.8", "4.1", "1.3"]]
    data.write_text("\n".join(",".join(r) for r in rows) + "\n")
    predict_csv(out, str(data), tmp_path / "p.csv")
    written = list(csv.reader(io.StringIO((tmp_path / "p.csv").read_text())))
    given = list(csv.reader(io.StringIO(data.read_text())))
    assert [r[:6] for r in written] == given
    assert written[0][6:] == ["prediction", "P(setosa)", "P(versicolor)", "P(virginica)",
                              "reason"]


def test_columns_named_like_the_predictions_are_kept_and_the_new_ones_renamed():
    df = pd.DataFrame({"age": [40.0], "city": ["Seoul"], "prediction": ["old"],
                       "reason": ["mine"]})
    result = combine(df, predict_frame(LinearModel(), _fitted(), df))
    assert list(result.table.columns) == ["age", "city", "prediction", "reason",
                                          "prediction_2", "P(no)", "P(yes)", "reason_2"]
    assert result.table["prediction"].tolist() == ["old"] and result.reason_column == "reason_2"


@pytest.mark.parametrize("make_target", [
    pytest.param(lambda d, m: d, id="same-path"),
    pytest.param(lambda d, m: d.parent / "." / d.name, id="dot-path"),
    pytest.param(lambda d, m: _symlink(d, d.parent / "link.csv"), id="symlink"),
    pytest.param(lambda d, m: _hardlink(d, d.parent / "hard.csv"), id="hard-link"),
    pytest.param(lambda d, m: m / "model.keras", id="model-keras"),
    pytest.param(lambda d, m: m / "preprocessing.json", id="preprocessing"),
    pytest.param(lambda d, m: m / "metrics.json", id="metrics"),
    pytest.param(lambda d, m: _symlink(m / "history.csv", d.parent / "h.csv"),
                 id="symlink-into-model"),
    pytest.param(lambda d, m: _symlink(m, d.parent / "alias") / "model.keras",
                 id="symlinked-model-folder"),
])
def test_predictions_never_overwrite_their_inputs(iris_run, tmp_path, make_target):
    """Before: -o equal to the data or to a model file replaced it."""
    _result, out = iris_run
    model_dir = tmp_path / "model"
    shutil.copytree(out, model_dir)
    data = tmp_path / "data" / "new.csv"
    data.parent.mkdir()
    data.write_text(f"{IRIS_HEADER}\n5.1,3.5,1.4,0.2\n")
    target = make_target(data, model_dir)
    before = {p: p.read_bytes() for p in [data, *model_dir.iterdir()]}
    with pytest.raises(StudioError, match="which would be overwritten"):
        predict_csv(model_dir, str(data), target)
    assert {p: p.read_bytes() for p in before} == before


def test_a_new_file_in_the_model_folder_or_beside_the_data_is_fine(iris_run, tmp_path):
    _result, out = iris_run
    data = tmp_path / "new.csv"
    data.write_text(f"{IRIS_HEADER}\n5.1,3.5,1.4,0.2\n")
    assert check_output_path(tmp_path / "pred.csv", data, out) == tmp_path / "pred.csv"
    assert check_output_path(out / "predictions.csv", data, out) == out / "predictions.csv"
    with pytest.raises(StudioError, match="is a folder"):
        check_output_path(tmp_path, data, out)


def _symlink(target, link):
    os.symlink(target, link)
    return link


def _hardlink(target, link):
    os.link(target, link)
    return link


def test_preprocessing_round_trip_writes_and_checks_its_width(iris_run):
    _result, out = iris_run
    doc = json.loads((out / "preprocessing.json").read_text())
    assert doc["n_inputs"] == 4
    fitted = FittedPreprocessing.from_dict(doc)
    assert fitted.to_dict() == doc
    del doc["n_inputs"]                       # files written before n_inputs still load
    assert FittedPreprocessing.from_dict(doc).n_inputs == 4


def test_a_preprocessing_for_other_classes_does_not_fit_the_model(iris_run, tmp_path):
    _result, out = iris_run
    d = tmp_path / "mixed"
    shutil.copytree(out, d)
    doc = json.loads((d / "preprocessing.json").read_text())
    doc["classes"] = ["a", "b", "c", "d"]
    (d / "preprocessing.json").write_text(json.dumps(doc))
    with pytest.raises(StudioError, match="gives 3 outputs but its preprocessing needs 4"):
        load_model_dir(d)


def test_missing_columns_are_an_error(iris_run, tmp_path):
    _result, out = iris_run
    data = tmp_path / "new.csv"
    data.write_text("sepal_length,other\n5.1,1\n")
    with pytest.raises(StudioError, match="lacks the column"):
        predict_csv(out, str(data))


def test_lambda_model_is_refused(lambda_model_dir):
    with pytest.raises(StudioError, match="Lambda"):
        load_model_dir(lambda_model_dir)


def test_missing_folder_is_a_user_error(tmp_path):
    with pytest.raises(StudioError, match="does not exist"):
        load_model_dir(tmp_path / "nope")

