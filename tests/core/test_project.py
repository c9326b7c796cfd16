"""Project file: round trip, relative data path, atomic save, clear errors."""

import json
import os
from pathlib import Path

import pytest

from studio.core.errors import ProjectError
from studio.core.project import VERSION, Project, atomic_write_text, new_project


def _csv(tmp_path: Path) -> Path:
    path = tmp_path / "data" / "cars.csv"
    path.parent.mkdir()
    rows = ["weight,power,origin,mpg"] + [
        f"{1000 + (i * 37) % 500 + 0.5},{60 + (i * 7) % 90},{['kr', 'us', 'jp'][i % 3]},"
        f"{20 + (i % 13)}"
        for i in range(120)]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_round_trip_keeps_everything(tmp_path):
    proj = new_project(str(_csv(tmp_path)), "mpg", ignore=["origin"])
    proj.compile.optimizer = "sgd"
    proj.training.schedule.kind = "plateau"
    proj.split.seed = 7
    out = tmp_path / "projects" / "cars.json"
    out.parent.mkdir()
    proj.save(out)
    doc = json.loads(out.read_text("utf-8"))
    assert doc["format"] == "netsketch-project" and doc["version"] == VERSION
    assert doc["data"]["source"] == "../data/cars.csv"  # relative to the project file
    loaded = Project.load(out)
    assert loaded.to_dict() == proj.to_dict()
    assert loaded.columns["origin"].role == "ignore"
    assert loaded.training.schedule.kind == "plateau" and loaded.split.seed == 7
    assert len(loaded.load_data().frame) == 120  # the relative path resolves


def test_project_moves_with_its_data(tmp_path):
    proj = new_project(str(_csv(tmp_path)), "mpg")
    proj.save(tmp_path / "p.json")
    moved = tmp_path / "moved"
    (tmp_path).rename(tmp_path.parent / "renamed_tmp") if False else None
    os.makedirs(moved)
    (moved / "data").mkdir()
    (tmp_path / "data" / "cars.csv").rename(moved / "data" / "cars.csv")
    (tmp_path / "p.json").rename(moved / "p.json")
    assert len(Project.load(moved / "p.json").load_data().frame) == 120


def test_sample_source_stays_a_sample(tmp_path):
    proj = new_project("sample:iris", "species")
    proj.save(tmp_path / "iris.json")
    assert Project.load(tmp_path / "iris.json").data_source == "sample:iris"


@pytest.mark.parametrize("text, message", [
    ("{not json", "not valid JSON"),
    ('{"format": "something-else", "version": 1}', "not a NetSketch Studio project"),
    ('{"format": "netsketch-project", "version": 99}', "newer NetSketch Studio"),
    ('{"format": "netsketch-project", "version": 1, "data": {"source": "x.csv"}}',
     "target"),
    ('{"format": "netsketch-project", "version": 1, "data": {"source": "x.csv"}, '
     '"target": "y", "design": []}', "design"),
    ('{"format": "netsketch-project", "version": 1, "data": {"source": "x.csv"}, '
     '"target": "y", "design": [{"kind": "conv2d"}]}', r"design\[0\]\.kind"),
])
def test_malformed_files_give_clear_errors(tmp_path, text, message):
    path = tmp_path / "bad.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ProjectError, match=message):
        Project.load(path)


def test_missing_project_file(tmp_path):
    with pytest.raises(ProjectError, match="does not exist"):
        Project.load(tmp_path / "nope.json")


def test_atomic_save_keeps_the_old_file_when_writing_fails(tmp_path, monkeypatch):
    path = tmp_path / "p.json"
    atomic_write_text(path, "old contents")

    def broken_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError):
        atomic_write_text(path, "new contents")
    monkeypatch.undo()
    assert path.read_text() == "old contents"
    assert [p.name for p in tmp_path.iterdir()] == ["p.json"]  # no temporary file left


def test_new_project_defaults_follow_the_data(tmp_path):
    proj = new_project(str(_csv(tmp_path)), "mpg")
    assert proj.compile.loss == "mse"
    assert proj.design.input.units == 2 + 3  # weight, power, origin one-hot
    assert proj.design.output.units == 1 and proj.design.output.activation == "linear"
    iris = new_project("sample:iris", "species")
    assert iris.design.output.units == 3 and iris.compile.loss == \
        "sparse_categorical_crossentropy"
