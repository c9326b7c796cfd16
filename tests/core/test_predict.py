"""Saved models: safe loading, predictions on new rows, refusal of unsafe models."""

import pytest

from studio.core.errors import StudioError
from studio.core.predict import load_model_dir, predict_csv, predict_frame
from studio.core.project import new_project
from studio.core.results import save_run
from studio.core.train import train


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


def test_load_and_predict_matches_training(iris_run):
    result, out = iris_run
    model, fitted = load_model_dir(out)
    frame = result.prepared
    import pandas as pd

    from studio.core.data import load

    df = load("sample:iris").frame
    pred = predict_frame(model, fitted, df.drop(columns=["species"]))
    assert list(pred.columns) == ["prediction", "P(setosa)", "P(versicolor)", "P(virginica)"]
    assert set(pred["prediction"]) <= {"setosa", "versicolor", "virginica"}
    assert pred.filter(like="P(").sum(axis=1).round(4).eq(1).all()
    test_rows = df.loc[frame.index_test]
    acc = (predict_frame(model, fitted, test_rows)["prediction"] == test_rows["species"]).mean()
    assert acc == pytest.approx(result.evaluation.metrics["accuracy"])
    assert isinstance(pd.DataFrame, type)


def test_predict_csv_writes_file(iris_run, tmp_path):
    _result, out = iris_run
    table = predict_csv(out, "sample:iris", tmp_path / "p.csv")
    assert (tmp_path / "p.csv").exists() and len(table) == 150


def test_lambda_model_is_refused(lambda_model_dir):
    with pytest.raises(StudioError, match="Lambda"):
        load_model_dir(lambda_model_dir)


def test_missing_folder_is_a_user_error(tmp_path):
    with pytest.raises(StudioError):
        load_model_dir(tmp_path / "nope")
