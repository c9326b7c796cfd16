"""`studio export` and `studio predict`, including the refusal of an unsafe model."""

import io
import json

import pandas as pd
import pytest

from studio.cli import main
from studio.core.project import new_project


@pytest.fixture(scope="module")
def iris_run(tmp_path_factory):
    from studio.core.results import save_run
    from studio.core.train import train

    proj = new_project("sample:iris", "species")
    proj.training.epochs = 2
    result = train(proj)
    out = tmp_path_factory.mktemp("run") / "iris"
    save_run(result, out)
    return result, out


@pytest.fixture(scope="module")
def lambda_model_dir(iris_run, tmp_path_factory):
    import keras

    d = tmp_path_factory.mktemp("unsafe")
    model = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Lambda(lambda x: x * 2),
                              keras.layers.Dense(3, activation="softmax")])
    model.save(d / "model.keras")
    (d / "preprocessing.json").write_text((iris_run[1] / "preprocessing.json").read_text())
    return d


def test_export_py_and_ipynb(tmp_path, capsys):
    proj = new_project("sample:iris", "species")
    proj.save(tmp_path / "p.json")
    assert main(["export", str(tmp_path / "p.json"), "--format", "py",
                 "-o", str(tmp_path / "p.py")]) == 0
    compile((tmp_path / "p.py").read_text(), "p.py", "exec")
    assert main(["export", str(tmp_path / "p.json"), "-o", str(tmp_path / "p.ipynb")]) == 0
    assert json.loads((tmp_path / "p.ipynb").read_text())["nbformat"] == 4


def test_export_missing_project_exits_2(tmp_path, capsys):
    assert main(["export", str(tmp_path / "none.json"), "-o", str(tmp_path / "x.py")]) == 2
    assert capsys.readouterr().err.startswith("error:")


def test_predict_writes_csv(iris_run, tmp_path, capsys):
    _result, out = iris_run
    assert main(["predict", "--model", str(out), "sample:iris", "-o",
                 str(tmp_path / "pred.csv")]) == 0
    text = (tmp_path / "pred.csv").read_text()
    assert text.splitlines()[0].endswith(
        "prediction,P(setosa),P(versicolor),P(virginica),reason")
    assert capsys.readouterr().out.strip() == f"Wrote 150 predictions to {tmp_path / 'pred.csv'}"


def test_predict_counts_rows_it_could_not_predict_and_exits_0(iris_run, tmp_path, capsys):
    """Before: the row with 'abc' got a class and the command said nothing."""
    _result, out = iris_run
    data = tmp_path / "new.csv"
    data.write_text("sepal_length,sepal_width,petal_length,petal_width\n5.1,3.5,1.4,0.2\n"
                    "abc,3.5,1.4,0.2\n6.3,2.9,5.6,1.8\n")
    assert main(["predict", "--model", str(out), str(data)]) == 0
    captured = capsys.readouterr()
    table = pd.read_csv(io.StringIO(captured.out), keep_default_na=False)
    assert table["prediction"].tolist()[1] == "" and table["prediction"].tolist()[0] != ""
    assert table["reason"].tolist()[1] == "'sepal_length' is not a number: 'abc'"
    assert captured.err.strip() == ("warning: 1 of 3 rows could not be predicted: see the "
                                    "'reason' column.")


def test_predict_exits_2_and_writes_nothing_when_no_row_can_be_predicted(iris_run, tmp_path,
                                                                        capsys):
    _result, out = iris_run
    data = tmp_path / "new.csv"
    data.write_text("sepal_length,sepal_width,petal_length,petal_width\n,3.5,1.4,0.2\n")
    assert main(["predict", "--model", str(out), str(data), "-o",
                 str(tmp_path / "p.csv")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("error: None of the 1 rows could be predicted")
    assert not (tmp_path / "p.csv").exists()


def test_predict_refuses_to_overwrite_its_data(iris_run, tmp_path, capsys):
    """Before: -o equal to the input replaced it with the predictions."""
    _result, out = iris_run
    data = tmp_path / "new.csv"
    data.write_text("id,sepal_length,sepal_width,petal_length,petal_width\n007,5.1,3.5,1.4,0.2\n")
    before = data.read_bytes()
    assert main(["predict", "--model", str(out), str(data), "-o", str(data)]) == 2
    assert "the data file being predicted" in capsys.readouterr().err
    assert data.read_bytes() == before


def test_predict_reads_with_the_given_separator(iris_run, tmp_path, capsys):
    _result, out = iris_run
    data = tmp_path / "new.txt"
    data.write_text("sepal_length|sepal_width|petal_length|petal_width\n5.1|3.5|1.4|0.2\n")
    assert main(["predict", "--model", str(out), str(data), "--sep", "|"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("sepal_length,sepal_width,petal_length,petal_width,prediction")
    assert lines[1].startswith("5.1,3.5,1.4,0.2,")


def test_predict_help_says_what_the_exit_status_means(capsys):
    with pytest.raises(SystemExit):
        main(["predict", "--help"])
    help_text = " ".join(capsys.readouterr().out.split())
    assert "Exit status 0 when at least one row was predicted, 2 when none could be" in help_text


def test_predict_refuses_lambda_model(lambda_model_dir, tmp_path, capsys):
    assert main(["predict", "--model", str(lambda_model_dir), "sample:iris", "-o",
                 str(tmp_path / "pred.csv")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("error:") and "Lambda" in err[0]
    assert not (tmp_path / "pred.csv").exists()
