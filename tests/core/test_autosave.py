"""Autosave: written atomically, found after a crash, removed after a clean exit."""

import json
import os
import subprocess
import sys

from studio.core import autosave
from studio.core.project import new_project


def test_recovery_after_a_killed_process(tmp_path):
    folder = tmp_path / "userdata"
    code = (
        "import os, sys\n"
        "from studio.core import autosave\n"
        "from studio.core.project import new_project\n"
        "p = new_project('sample:iris', 'species')\n"
        "p.training.epochs = 7\n"
        "p.design.layers[1].units = 48\n"
        f"autosave.write(p, {str(folder)!r})\n"
        "os._exit(9)  # the process dies without a clean exit\n")
    proc = subprocess.run([sys.executable, "-c", code], timeout=120)
    assert proc.returncode == 9
    rec = autosave.find(folder)
    assert rec is not None
    assert rec.project.training.epochs == 7 and rec.project.design.layers[1].units == 48
    assert rec.project.data_source == "sample:iris"
    autosave.discard(folder)
    assert autosave.find(folder) is None


def test_relative_data_becomes_absolute(tmp_path):
    data = tmp_path / "d.csv"
    data.write_text("a,b,y\n" + "".join(f"{i},{i % 7},{i % 2}\n" for i in range(60)))
    proj = new_project(str(data), "y")
    proj.save(tmp_path / "p.json")  # source now relative to the project file
    autosave.write(proj, tmp_path / "auto")
    rec = autosave.find(tmp_path / "auto")
    assert os.path.isabs(rec.project.data_source)
    assert len(rec.project.load_data().frame) == 60
    assert rec.original == str(tmp_path / "p.json")


def test_damaged_autosave_is_ignored(tmp_path):
    (tmp_path / autosave.FILE_NAME).write_text("{half a file", encoding="utf-8")
    assert autosave.find(tmp_path) is None
    doc = {"autosave": 1, "project": {"format": "nope"}}
    (tmp_path / autosave.FILE_NAME).write_text(json.dumps(doc), encoding="utf-8")
    assert autosave.find(tmp_path) is None
