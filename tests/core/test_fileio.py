"""Saving files: unique temporary names, the mode an ordinary file gets, an existing file's
mode kept, symlinks kept, and one writer per output folder."""

from __future__ import annotations

import os
import stat
import subprocess
import sys

import pytest

from studio.core import fileio
from studio.core.errors import StudioError


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX modes")
def test_new_files_get_the_umask_mode_and_existing_files_keep_theirs(tmp_path):
    old = os.umask(0o022)
    try:
        fileio.atomic_write_text(tmp_path / "new.json", "{}")
        assert _mode(tmp_path / "new.json") == 0o644          # not a temp file's 0o600
        os.umask(0o002)
        fileio.atomic_write_text(tmp_path / "group.json", "{}")
        assert _mode(tmp_path / "group.json") == 0o664
        (tmp_path / "kept.json").write_text("old")
        os.chmod(tmp_path / "kept.json", 0o640)
        fileio.atomic_write_text(tmp_path / "kept.json", "new")
        assert _mode(tmp_path / "kept.json") == 0o640
        assert (tmp_path / "kept.json").read_text() == "new"
    finally:
        os.umask(old)


@pytest.mark.skipif(sys.platform == "win32", reason="symlinks need privileges on Windows")
def test_a_symlinked_file_stays_a_symlink_and_its_target_is_written(tmp_path):
    real = tmp_path / "elsewhere" / "real.json"
    real.parent.mkdir()
    real.write_text("old")
    link = tmp_path / "project.json"
    link.symlink_to(real)
    fileio.atomic_write_text(link, "new")
    assert link.is_symlink() and real.read_text() == "new"
    assert sorted(p.name for p in real.parent.iterdir()) == ["real.json"]   # no temp left


def test_the_project_save_goes_through_the_same_rules(tmp_path):
    from studio.core.project import new_project

    project = new_project("sample:iris", "species")
    real = tmp_path / "real.json"
    project.save(real)
    link = tmp_path / "link.json"
    link.symlink_to(real)
    project.name = "changed"
    project.save(link)
    assert link.is_symlink() and '"changed"' in real.read_text()


def test_temporary_names_are_unique(tmp_path):
    a = fileio.unique_temp(tmp_path, "model", ".keras")
    b = fileio.unique_temp(tmp_path, "model", ".keras")
    assert a != b and a.suffix == ".keras" and a.exists() and b.exists()


def test_a_second_writer_of_a_folder_is_refused_at_once(tmp_path):
    out = tmp_path / "run"
    with fileio.folder_lock(out):
        assert (out / fileio.LOCK_NAME).read_text() == str(os.getpid())
        # another process trying the same folder gets the message, not a silent overwrite
        code = ("import sys\nfrom studio.core import fileio\n"
                "try:\n    with fileio.folder_lock(sys.argv[1]):\n        print('locked')\n"
                "except Exception as e:\n    print(type(e).__name__, e)\n")
        r = subprocess.run([sys.executable, "-c", code, str(out)], capture_output=True,
                           text=True, timeout=60, check=False)
        assert r.stdout.startswith("StudioError Another training is writing to")
        assert f"process {os.getpid()}" in r.stdout
    with fileio.folder_lock(out):      # released when the holder is done
        pass


def test_studio_train_into_a_folder_being_written_exits_2(tmp_path, capsys):
    from studio.cli import main

    out = tmp_path / "run"
    with fileio.folder_lock(out):
        code = main(["train", "sample:iris", "--target", "species", "--epochs", "1",
                     "--out", str(out)])
    assert code == 2
    assert "Another training is writing to" in capsys.readouterr().err
    assert not (out / "model.keras").exists()


def test_folder_lock_reports_a_folder_it_cannot_create(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with (pytest.raises(StudioError, match="Cannot create the output folder"),
          fileio.folder_lock(blocker / "sub")):
        pass
