"""Lesson files: round trip with model, curves and evaluation; unsafe archives refused."""

import zipfile

import pytest

from studio.core.errors import StudioError
from studio.core.lesson import extract, open_lesson, save_lesson
from studio.core.project import new_project
from studio.core.train import train


def test_round_trip_restores_project_data_model_and_evaluation(tmp_path):
    proj = new_project("sample:iris", "species")
    proj.training.epochs = 2
    ds = proj.load_data()
    result = train(proj, ds)
    path = save_lesson(tmp_path / "iris.nslesson", proj, ds, result, notes="# Week 3\nTry it")
    assert [p.name for p in tmp_path.iterdir()] == ["iris.nslesson"]  # no temp left behind
    names = set(zipfile.ZipFile(path).namelist())
    assert {"lesson.json", "project.json", "data.csv", "notes.md", "model.keras",
            "preprocessing.json", "history.csv", "metrics.json"} <= names
    lesson = open_lesson(path, tmp_path / "open")
    assert lesson.notes.startswith("# Week 3")
    assert lesson.project.design.to_list() == proj.design.to_list()
    assert lesson.dataset.frame.shape == ds.frame.shape
    r = lesson.result
    assert r.history["loss"] == pytest.approx(result.history["loss"], rel=1e-5)
    assert r.evaluation.metrics["accuracy"] == pytest.approx(
        result.evaluation.metrics["accuracy"])
    assert r.params == result.params


def test_without_model(tmp_path):
    proj = new_project("sample:diabetes", "progression")
    path = save_lesson(tmp_path / "d.nslesson", proj, proj.load_data())
    lesson = open_lesson(path, tmp_path / "o")
    assert lesson.result is None and lesson.project.target == "progression"


@pytest.mark.parametrize("bad", ["../evil.txt", "/etc/evil", "a/../../evil", "C:/evil",
                                 "..\\evil"])
def test_escaping_entries_are_refused(tmp_path, bad):
    path = tmp_path / "bad.nslesson"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("lesson.json", "{}")
        zf.writestr(bad, "x")
    with pytest.raises(StudioError, match="outside"):
        extract(path, tmp_path / "out")
    assert not (tmp_path / "evil.txt").exists()


def test_oversized_archive_is_refused(tmp_path):
    path = tmp_path / "big.nslesson"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("data.csv", b"0" * 200_000)
    with pytest.raises(StudioError, match="GB"):
        extract(path, tmp_path / "out", max_bytes=100_000)


def test_not_a_zip(tmp_path):
    (tmp_path / "x.nslesson").write_text("hello")
    with pytest.raises(StudioError):
        open_lesson(tmp_path / "x.nslesson", tmp_path / "o")
