"""`studio export` and `studio predict`, including the refusal of an unsafe model."""

import json

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
    assert text.splitlines()[0].endswith("prediction,P(setosa),P(versicolor),P(virginica)")


def test_predict_refuses_lambda_model(lambda_model_dir, tmp_path, capsys):
    assert main(["predict", "--model", str(lambda_model_dir), "sample:iris", "-o",
                 str(tmp_path / "pred.csv")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("error:") and "Lambda" in err[0]
    assert not (tmp_path / "pred.csv").exists()
