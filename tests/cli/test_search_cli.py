"""`studio search`: the results table, the best settings, user errors."""

import numpy as np
import pandas as pd

from studio.cli import main
from studio.core.project import Project, new_project


def _project(tmp_path):
    rng = np.random.default_rng(3)
    x = rng.normal(size=(160, 2))
    df = pd.DataFrame(x, columns=["a", "b"])
    df["label"] = np.where(x[:, 0] + x[:, 1] > 0, "y", "n")
    df.to_csv(tmp_path / "d.csv", index=False)
    proj = new_project(str(tmp_path / "d.csv"), "label")
    proj.training.epochs = 6
    path = tmp_path / "p.json"
    proj.save(path)
    return path


def test_search_prints_table_and_best_and_applies(capsys, tmp_path):
    path = _project(tmp_path)
    code = main(["search", str(path), "--strategy", "grid", "--trials", "2",
                 "--param", "lr=0.00001,0.05", "--apply"])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "val_loss" in out and "trial 2:" in out
    assert "lr=0.05" in out.split("Best settings:")[1].splitlines()[0]
    assert Project.load(path).compile.learning_rate == 0.05


def test_search_user_errors_exit_2(capsys, tmp_path):
    path = _project(tmp_path)
    for argv in (["--param", "speed=1,2"], ["--param", "lr"], ["--trials", "0"]):
        code = main(["search", str(path), *argv])
        _out, err = capsys.readouterr()
        assert code == 2 and err.startswith("error:") and err.count("\n") == 1, err
