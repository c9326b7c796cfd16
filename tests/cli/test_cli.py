"""The `studio` command: output, files written, exit codes and one-line errors."""

import csv
import json
import subprocess
import sys

import pytest

from studio.cli import main


def _run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_samples_lists_every_bundled_sample(capsys):
    code, out, _ = _run(capsys, "samples")
    assert code == 0
    for name in ("iris", "wine", "breast_cancer", "diabetes", "korean_housing"):
        assert f"sample:{name}" in out
    assert "multiclass" in out and "regression" in out and "binary" in out


def test_info_reports_detection_and_profile(capsys, tmp_path):
    path = tmp_path / "k.csv"
    path.write_bytes("이름;키;몸무게\n가;170,5;60\n나;180,2;75\n다;165,0;55\n".encode("cp949"))
    code, out, _ = _run(capsys, "info", str(path))
    assert code == 0
    assert "cp949" in out and "semicolon" in out and "Decimal mark: ," in out
    assert "Rows:      3" in out and "키" in out and "numeric" in out


def test_new_writes_a_project(capsys, tmp_path):
    out_file = tmp_path / "iris.json"
    code, _out, _ = _run(capsys, "new", "sample:iris", "--target", "species", "-o",
                        str(out_file))
    assert code == 0 and out_file.exists()
    doc = json.loads(out_file.read_text("utf-8"))
    assert doc["target"] == "species" and doc["design"][-1]["units"] == 3


def test_train_writes_model_history_and_metrics(capsys, tmp_path):
    out_dir = tmp_path / "run"
    code, out, err = _run(capsys, "train", "sample:breast_cancer", "--target", "diagnosis",
                          "--epochs", "3", "--batch-size", "32", "--seed", "1", "--out",
                          str(out_dir))
    assert code == 0, err
    assert out.count("epoch ") >= 3 and "epoch    1/3" in out
    metrics = json.loads((out_dir / "metrics.json").read_text())
    assert metrics["task"] == "binary" and metrics["epochs_run"] == 3
    for key in ("accuracy", "precision", "recall", "f1", "auc"):
        assert 0.0 <= metrics[key] <= 1.0
    assert sum(metrics["rows"].values()) == 569 and metrics["rows"]["test"] == 86
    assert metrics["params"]["total"] == metrics["params"]["trainable"] + \
        metrics["params"]["non_trainable"] > 0
    assert metrics["device"] == "CPU" and metrics["seconds"] > 0
    rows = list(csv.DictReader((out_dir / "history.csv").open()))
    assert len(rows) == 3 and {"epoch", "loss", "val_loss"} <= set(rows[0])
    assert (out_dir / "model.keras").stat().st_size > 0
    prep = json.loads((out_dir / "preprocessing.json").read_text())
    assert prep["format"] == "netsketch-preprocessing" and len(prep["steps"]) == 30


def test_train_from_project_file(capsys, tmp_path):
    proj = tmp_path / "p.json"
    assert _run(capsys, "new", "sample:diabetes", "--target", "progression", "-o",
                str(proj))[0] == 0
    code, _out, err = _run(capsys, "train", "--project", str(proj), "--epochs", "2", "--out",
                           str(tmp_path / "r"))
    assert code == 0, err
    metrics = json.loads((tmp_path / "r" / "metrics.json").read_text())
    assert metrics["task"] == "regression" and {"mae", "mse", "rmse", "r2"} <= set(metrics)
    assert metrics["rmse"] == pytest.approx(metrics["mse"] ** 0.5)


@pytest.mark.parametrize("argv, fragment", [
    (["info", "missing-file.csv"], "not found"),
    (["info", "sample:nope"], "sample"),
    (["train", "sample:iris", "--target", "colour"], "colour"),
    (["train", "sample:iris"], "--target"),
    (["train", "--project", "nope.json"], "does not exist"),
    (["new", "sample:iris", "-o", "x.json"], "--target"),
    (["frobnicate"], "invalid choice"),
])
def test_user_errors_exit_2_with_one_error_line(capsys, argv, fragment):
    code, _out, err = _run(capsys, *argv)
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:") and fragment in lines[0]
    assert "Traceback" not in err


def test_empty_csv_and_bad_project(capsys, tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    code, _, err = _run(capsys, "train", str(empty), "--target", "y")
    assert code == 2 and err.startswith("error:")
    bad = tmp_path / "bad.json"
    bad.write_text("{oops", encoding="utf-8")
    code, _, err = _run(capsys, "train", "--project", str(bad))
    assert code == 2 and "not valid JSON" in err


def test_doctor_rejection_exits_2(capsys, tmp_path):
    proj = tmp_path / "p.json"
    _run(capsys, "new", "sample:iris", "--target", "species", "-o", str(proj))
    doc = json.loads(proj.read_text("utf-8"))
    doc["compile"]["loss"] = "mse"
    proj.write_text(json.dumps(doc), encoding="utf-8")
    code, out, err = _run(capsys, "train", "--project", str(proj), "--epochs", "1")
    assert code == 2 and err.startswith("error: the design doctor found")
    assert "[error]" in out


def test_python_dash_m_studio_runs_without_traceback(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "studio", "info", str(tmp_path / "x.csv")],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2
    assert proc.stderr.startswith("error:") and "Traceback" not in proc.stderr
