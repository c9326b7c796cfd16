"""Runs, hyperparameter search, class imbalance and cross-validation on tiny problems."""

import json

import numpy as np
import pandas as pd
import pytest

from studio.core import runs as runs_mod
from studio.core.experiments.crossval import cross_validate
from studio.core.experiments.recall import recall_comparison
from studio.core.experiments.search import apply_best, search
from studio.core.experiments.space import Range, apply_params, parse_param
from studio.core.project import Project, new_project
from studio.core.resampling import class_balance, resample_prepared
from studio.core.train import prepare_project, train
from studio.core.train_control import TrainControl


@pytest.fixture(scope="module")
def easy_csv(tmp_path_factory):
    """A linearly separable binary problem: a sane learning rate solves it in a few epochs."""
    rng = np.random.default_rng(1)
    x = rng.normal(size=(240, 3))
    df = pd.DataFrame(x, columns=["a", "b", "c"])
    df["label"] = np.where(x[:, 0] - x[:, 1] > 0, "pos", "neg")
    path = tmp_path_factory.mktemp("exp") / "easy.csv"
    df.to_csv(path, index=False)
    return str(path)


@pytest.fixture(scope="module")
def imbalanced_csv(tmp_path_factory):
    rng = np.random.default_rng(2)
    n_major, n_minor = 270, 30
    x = np.vstack([rng.normal(0, 1, size=(n_major, 2)), rng.normal(1.5, 1, size=(n_minor, 2))])
    df = pd.DataFrame(x, columns=["a", "b"])
    df["label"] = ["major"] * n_major + ["minor"] * n_minor
    path = tmp_path_factory.mktemp("imb") / "imb.csv"
    df.to_csv(path, index=False)
    return str(path)


def _project(path, epochs=8):
    proj = new_project(path, "label")
    proj.training.epochs = epochs
    proj.training.batch_size = 32
    proj.training.early_stopping.patience = 3
    return proj


# -- runs ---------------------------------------------------------------------------------------
def test_runs_are_recorded_saved_compared_and_restored(easy_csv, tmp_path):
    proj = _project(easy_csv, epochs=3)
    ds = proj.load_data()
    r1 = runs_mod.record_run(proj, train(proj, ds, check=False), note="first")
    original_design = proj.design.to_list()
    apply_params(proj, {"layers": 3, "lr": 0.02})
    r2 = runs_mod.record_run(proj, train(proj, ds, check=False))
    assert r1.metrics["accuracy"] > 0 and r1.history["val_loss"] and r1.device
    proj.save(tmp_path / "p.json")
    doc = json.loads((tmp_path / "p.json").read_text())
    assert doc["version"] == 2 and len(doc["runs"]) == 2
    loaded = Project.load(tmp_path / "p.json")
    assert [r.id for r in loaded.runs] == [r1.id, r2.id]
    assert loaded.runs[0] == r1

    diff = runs_mod.compare(loaded.runs)
    assert diff["settings"]["compile.learning_rate"][1] == 0.02
    assert diff["layers"][0]["added"], diff["layers"]
    assert len(diff["metrics"]["accuracy"]) == 2 and diff["metrics"]["epochs_run"] == [3, 3]
    assert runs_mod.describe_comparison(diff)

    runs_mod.restore(loaded, loaded.runs[0])
    assert loaded.design.to_list() == original_design
    assert loaded.compile.learning_rate == r1.compile["learning_rate"]


def test_version_1_files_migrate_to_empty_runs(easy_csv, tmp_path):
    proj = _project(easy_csv)
    doc = proj.to_dict()
    doc["version"] = 1
    del doc["runs"]
    loaded = Project.from_dict(doc)
    assert loaded.runs == [] and loaded.to_dict()["version"] == 2


# -- search -------------------------------------------------------------------------------------
def _lr_space():
    return {"lr": [1e-5, 0.05]}


@pytest.mark.parametrize("strategy", ["grid", "random"])
def test_grid_and_random_find_the_good_learning_rate(easy_csv, strategy):
    proj = _project(easy_csv)
    seen = []
    result = search(proj, space=_lr_space(), strategy=strategy, trials=4,
                    on_trial=seen.append)
    assert len(result.trials) == 2 == len(seen)  # only two combinations exist
    assert result.best["lr"] == 0.05
    table = result.table()
    assert table[0]["score"] <= table[-1]["score"]
    apply_best(proj, result)
    assert proj.compile.learning_rate == 0.05


def test_bayes_finds_a_good_region(easy_csv):
    proj = _project(easy_csv)
    result = search(proj, space={"lr": Range(1e-5, 0.1, log=True)}, strategy="bayes",
                    trials=4, seed=0)
    assert len(result.trials) == 4
    assert result.best["lr"] > 1e-3
    assert result.best["score"] < min(t["score"] for t in result.trials if t["lr"] < 1e-4)


def test_search_never_uses_the_test_split(easy_csv):
    proj = _project(easy_csv, epochs=3)
    ds = proj.load_data()
    prepared = prepare_project(proj, ds)
    poisoned = type(prepared)(**{**prepared.__dict__,
                                 "x_test": np.full_like(prepared.x_test, np.nan),
                                 "y_test": np.zeros_like(prepared.y_test)})
    space = {"units": [8]}
    a = search(proj, ds, space=space, strategy="grid", trials=1, prepared=prepared)
    b = search(proj, ds, space=space, strategy="grid", trials=1, prepared=poisoned)
    assert [t["score"] for t in a.trials] == [t["score"] for t in b.trials]
    assert all(np.isfinite(t["score"]) for t in b.trials)


def test_stopping_a_search(easy_csv):
    proj = _project(easy_csv, epochs=50)
    control = TrainControl()

    def on_epoch(trial, epoch, logs):
        if epoch == 2:
            control.request_stop()

    result = search(proj, space={"units": [4, 8, 16]}, strategy="grid", trials=3,
                    control=control, on_epoch=on_epoch)
    assert result.stopped_reason == "stopped"
    assert len(result.trials) == 1 and result.trials[0]["status"] == "stopped"
    assert result.best is None


def test_apply_params_reshapes_the_design(easy_csv):
    proj = _project(easy_csv)
    apply_params(proj, {"layers": 3, "units": 12, "dropout": 0.3, "activation": "tanh",
                        "l2": 0.01, "batch_size": 8, "optimizer": "sgd"})
    dense = [la for la in proj.design.hidden if la.kind == "dense"]
    drops = [la for la in proj.design.hidden if la.kind == "dropout"]
    assert [la.units for la in dense] == [12, 12, 12] and len(drops) == 3
    assert all(la.activation == "tanh" and la.l2 == 0.01 for la in dense)
    assert proj.training.batch_size == 8 and proj.compile.optimizer == "sgd"
    assert proj.design.output.activation == "sigmoid"
    assert parse_param("lr=0.0001:0.1")[1] == Range(0.0001, 0.1, log=True)
    assert parse_param("units=8,32") == ("units", [8, 32])


# -- class imbalance ----------------------------------------------------------------------------
@pytest.mark.parametrize("method", ["smote", "over", "under"])
def test_resampling_changes_only_training_rows(imbalanced_csv, method):
    proj = _project(imbalanced_csv)
    prepared = prepare_project(proj, proj.load_data())
    before = class_balance(prepared.y_train, prepared.classes)
    assert before["major"] > 5 * before["minor"]
    after = resample_prepared(prepared, method, seed=0)
    counts = class_balance(after.y_train, prepared.classes)
    assert counts["major"] == counts["minor"]
    for name in ("x_val", "y_val", "x_test", "y_test", "index_val", "index_test"):
        assert np.array_equal(getattr(after, name), getattr(prepared, name))
    if method == "smote":
        assert len(after.x_train) > len(prepared.x_train)
        # the original training rows are all kept; the new ones are synthetic
        assert np.array_equal(after.x_train[:len(prepared.x_train)], prepared.x_train)


def test_recall_before_and_after_resampling(imbalanced_csv):
    proj = _project(imbalanced_csv, epochs=10)
    proj.compile.learning_rate = 0.01
    out = recall_comparison(proj, method="smote")
    assert set(out["before"]) == set(out["after"]) == {"major", "minor"}
    assert out["train_counts_after"]["major"] == out["train_counts_after"]["minor"]
    assert out["after"]["minor"] >= out["before"]["minor"]


# -- cross-validation ---------------------------------------------------------------------------
def test_stratified_kfold_gives_mean_and_spread(easy_csv):
    proj = _project(easy_csv, epochs=4)
    proj.compile.learning_rate = 0.03
    folds = []
    result = cross_validate(proj, k=3, on_fold=lambda i, m: folds.append(i))
    assert folds == [1, 2, 3] and len(result.folds) == 3
    s = result.summary()
    assert 0.7 < s["accuracy"]["mean"] <= 1.0 and s["accuracy"]["std"] >= 0


def test_higher_is_better_is_one_rule_for_every_use():
    """Training's best epoch, the run history, the search and the curves share one rule;
    the run history took the largest val_mae as its best (only "loss" counted as an error)."""
    from studio.core.experiments.search import metric_for
    from studio.core.runs import RunRecord
    from studio.core.settings import higher_is_better

    assert [higher_is_better(k) for k in ("val_auc", "accuracy", "r2", "auc_1")] == [True] * 4
    assert [higher_is_better(k) for k in ("loss", "val_mae", "rmse", "val_loss")] == [False] * 4
    run = RunRecord(id="r", started_at="", design=[], compile={}, training={}, split={},
                    history={"val_mae": [3.0, 1.5, 2.0], "val_accuracy": [0.5, 0.9, 0.7]})
    assert run.best_value("val_mae") == 1.5 and run.best_value("val_accuracy") == 0.9
    assert metric_for(None, "mae") == ("val_mae", "min")
    assert metric_for(None, "r2") == ("val_r2", "max")
