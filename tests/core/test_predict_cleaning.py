"""A model trained on cleaned messy values ('₩1,000', '?') predicts new rows of the same
kind: preprocessing.json keeps the cleaning read options and predict applies them. Before,
the new file's prices stayed text and every row came back with a reason, not a prediction."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from studio.core.data import ReadOptions, load
from studio.core.predict import predict_csv
from studio.core.prep import FittedPreprocessing, cleaning_options
from studio.core.project import new_project
from studio.core.results import save_run
from studio.core.train import train


def _messy(n: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    price = rng.integers(1_000, 90_000, n)
    size = rng.normal(50, 10, n).round(1)
    return pd.DataFrame({
        "price": [f"₩{p:,}" for p in price],
        "size": [("?" if i % 17 == 0 else f"{s}") for i, s in enumerate(size)],
        "y": np.where(price > 45_000, "high", "low"),
    })


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    folder = tmp_path_factory.mktemp("clean")
    _messy(160, 0).to_csv(folder / "train.csv", index=False)
    options = ReadOptions(na_values=["?"], number_columns=["price", "size"])
    project = new_project(str(folder / "train.csv"), "y", read_options=options)
    for prep in project.columns.values():
        if prep.role == "feature":
            prep.impute = "mean"
    project.training.epochs = 2
    dataset = load(str(folder / "train.csv"), options)
    assert dataset.frame["price"].dtype.kind == "f"
    result = train(project, dataset)
    save_run(result, folder / "run")
    return folder


def test_the_cleaning_is_saved_with_the_model(trained):
    doc = json.loads((trained / "run" / "preprocessing.json").read_text(encoding="utf-8"))
    assert doc["cleaning"] == {"na_values": ["?"], "number_columns": ["price", "size"]}
    assert FittedPreprocessing.from_dict(doc).cleaning == doc["cleaning"]


def test_new_messy_rows_are_predicted_without_the_flags(trained):
    _messy(30, 1).to_csv(trained / "new.csv", index=False)
    result = predict_csv(trained / "run", str(trained / "new.csv"))
    assert result.predicted == 30
    assert list(result.table["price"][:2]) == list(_messy(30, 1)["price"][:2])   # as written


@pytest.mark.parametrize("cleaning", [
    {"na_values": "?"}, {"comment": "##"}, {"strip_spaces": "yes"}, {"number_columns": [1]},
    {"unknown": True},
], ids=[f"error-cleaning-{i}" for i in range(5)])
def test_a_tampered_cleaning_is_refused(trained, cleaning):
    from studio.core.errors import StudioError

    doc = json.loads((trained / "run" / "preprocessing.json").read_text(encoding="utf-8"))
    doc["cleaning"] = cleaning
    with pytest.raises(StudioError):
        FittedPreprocessing.from_dict(doc)


def test_cleaning_options_keep_only_what_cleans():
    assert cleaning_options(ReadOptions(encoding="cp949", sep=";")) == {}
    assert cleaning_options(ReadOptions(strip_spaces=True, comment="#")) == {
        "strip_spaces": True, "comment": "#"}
