"""Hostile read options and paths: each is refused with its own clear message (``error-``
cases) or read correctly (``ok-`` cases), from the core, the CLI and a project file; and the
CLI's output survives a console that cannot show Korean."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from studio import cli
from studio.core import codegen
from studio.core.data import ReadOptions, load
from studio.core.errors import DataError, StudioError
from studio.core.i18n import set_language
from studio.core.project import Project, new_project

ROWS = "a;b;label\n" + "".join(f"{i};{i * 2};{'yes' if i % 2 else 'no'}\n" for i in range(30))


@pytest.fixture(autouse=True)
def _english():
    set_language("en")
    yield
    set_language("en")


@pytest.fixture
def semi(tmp_path):
    path = tmp_path / "semi.csv"
    path.write_text(ROWS, encoding="utf-8")
    return path


# (id, options, fragment of the message)
OPTION_CASES = [
    ("error-sep-regex", ReadOptions(sep="(("), "separator '(('"),
    ("error-sep-two-chars", ReadOptions(sep=";;"), "separator ';;'"),
    ("error-sep-backslash-s", ReadOptions(sep="\\s+"), "cannot be used"),
    ("error-sep-quote", ReadOptions(sep='"'), "cannot be used"),
    ("error-sep-newline", ReadOptions(sep="\n"), "cannot be used"),
    ("error-sep-letter", ReadOptions(sep="x"), "cannot be used"),
    ("error-sep-nul", ReadOptions(sep="\x00"), "cannot be used"),
    ("error-sep-not-text", ReadOptions(sep=5), "cannot be used"),
    ("error-encoding-rot13", ReadOptions(encoding="rot13"), "not a text encoding"),
    ("error-encoding-base64", ReadOptions(encoding="base64"), "not a text encoding"),
    ("error-encoding-hex", ReadOptions(encoding="hex"), "not a text encoding"),
    ("error-encoding-zlib", ReadOptions(encoding="zlib"), "not a text encoding"),
    ("error-encoding-unknown", ReadOptions(encoding="klingon"), "Unknown encoding"),
    ("error-encoding-nul", ReadOptions(encoding="utf\x008"), "Unknown encoding"),
    ("error-encoding-blank", ReadOptions(encoding="  "), "Unknown encoding"),
    ("error-decimal", ReadOptions(decimal=";;"), "decimal mark"),
    ("error-decimal-equals-sep", ReadOptions(sep=",", decimal=","), "same character"),
    ("error-comment-two-chars", ReadOptions(comment="//"), "comment mark"),
    ("error-comment-is-sep", ReadOptions(sep=";", comment=";"), "comment mark"),
    ("error-na-values-not-list", ReadOptions(na_values="?"), "na_values"),
    ("error-number-columns-huge", ReadOptions(number_columns=["x" * 500]), "number_columns"),
]
OK_OPTION_CASES = [
    ("ok-sep-name-semicolon", ReadOptions(sep="semicolon"), ";"),
    ("ok-sep-char", ReadOptions(sep=";"), ";"),
    ("ok-sep-auto", ReadOptions(), ";"),
    ("ok-encoding-alias", ReadOptions(encoding="UTF8"), ";"),
    ("ok-encoding-cp949", ReadOptions(encoding="cp949"), ";"),
    ("ok-encoding-latin-1", ReadOptions(encoding="latin-1", sep=";"), ";"),
]


@pytest.mark.parametrize("case_id, options, fragment", OPTION_CASES,
                         ids=[c[0] for c in OPTION_CASES])
def test_bad_read_options_are_refused(case_id, options, fragment, semi):
    with pytest.raises(DataError) as exc:
        load(str(semi), options)
    assert fragment in str(exc.value)
    assert "Traceback" not in str(exc.value)


@pytest.mark.parametrize("case_id, options, sep", OK_OPTION_CASES,
                         ids=[c[0] for c in OK_OPTION_CASES])
def test_good_read_options_read_the_table(case_id, options, sep, semi):
    ds = load(str(semi), options)
    assert ds.info.sep == sep
    assert list(ds.frame.columns) == ["a", "b", "label"]
    assert ds.frame["b"].sum() == 2 * sum(range(30))


def _fifo(tmp_path):
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs here")
    path = tmp_path / "pipe.csv"
    os.mkfifo(path)
    return str(path)


def _unreadable(tmp_path):
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        pytest.skip("root reads every file")
    path = tmp_path / "secret.csv"
    path.write_text(ROWS)
    path.chmod(0)
    return str(path)


def _locked_folder(tmp_path):
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        pytest.skip("root enters every folder")
    folder = tmp_path / "locked"
    folder.mkdir()
    (folder / "x.csv").write_text(ROWS)
    folder.chmod(0)
    return str(folder / "x.csv")


# (id, function(tmp_path) -> path, fragment)
PATH_CASES = [
    ("error-path-too-long", lambda t: str(t / ("a" * 300 + ".csv")), "too long"),
    ("error-path-long-folder", lambda t: str(t / ("b" * 300) / "x.csv"), "too long"),
    ("error-path-no-such-user", lambda t: "~nosuchuser_studio/x.csv", "no such user"),
    ("error-path-fifo", _fifo, "pipe (FIFO)"),
    ("error-path-dev-zero", lambda t: "/dev/zero" if os.path.exists("/dev/zero")
     else pytest.skip("no /dev/zero"), "is a device"),
    ("error-path-folder", lambda t: str(t), "is a folder"),
    ("error-path-missing", lambda t: str(t / "nothing.csv"), "File not found"),
    ("error-path-under-a-file", lambda t: (t / "f.csv").write_text("a\n1\n") and
     str(t / "f.csv" / "x.csv"), "File not found"),
    ("error-path-nul", lambda t: str(t / "a\x00b.csv"), "NUL"),
    ("error-path-permission", _unreadable, "Permission denied"),
    ("error-path-locked-folder", _locked_folder, "Permission denied"),
]


@pytest.mark.parametrize("case_id, make, fragment", PATH_CASES, ids=[c[0] for c in PATH_CASES])
def test_bad_paths_get_a_specific_message(case_id, make, fragment, tmp_path):
    path = make(tmp_path)
    with pytest.raises(DataError) as exc:
        load(path)
    assert fragment in str(exc.value)
    # the CLI says the same in one line and exits 2
    assert cli.main(["info", path]) == cli.EXIT_USER_ERROR


def test_cli_refuses_a_regex_separator_in_one_line(semi, capsys):
    assert cli.main(["info", str(semi), "--sep", "(("]) == cli.EXIT_USER_ERROR
    err = capsys.readouterr().err
    assert err.startswith("error: The separator '(('") and "Traceback" not in err
    assert cli.main(["info", str(semi), "--encoding", "rot13"]) == cli.EXIT_USER_ERROR
    assert "not a text encoding" in capsys.readouterr().err
    assert cli.main(["info", str(semi), "--sep", "tab", "--decimal", ","]) == 0


# -- the same values inside a project file ------------------------------------------------------
PROJECT_CASES = [
    ("error-project-encoding-rot13", {"encoding": "rot13"}, "not a text encoding"),
    ("error-project-encoding-base64", {"encoding": "base64"}, "not a text encoding"),
    ("error-project-sep-regex", {"sep": "(("}, "separator '(('"),
    ("error-project-comment", {"comment": "##"}, "comment"),
    ("error-project-na-values-text", {"na_values": "?"}, "na_values"),
    ("error-project-strip-not-bool", {"strip_spaces": "yes"}, "strip_spaces"),
]


@pytest.fixture
def project_file(tmp_path, semi):
    proj = new_project(str(semi), "label")
    path = tmp_path / "p.json"
    proj.save(path)
    return path


def _with_read(project_file, read):
    doc = json.loads(project_file.read_text())
    doc["data"]["read"] = read
    bad = project_file.with_name("bad.json")
    bad.write_text(json.dumps(doc))
    return bad


@pytest.mark.parametrize("case_id, read, fragment", PROJECT_CASES,
                         ids=[c[0] for c in PROJECT_CASES])
def test_project_read_options_give_the_same_clean_error(case_id, read, fragment, project_file,
                                                        tmp_path, capsys):
    bad = _with_read(project_file, read)
    with pytest.raises(StudioError) as exc:
        Project.load(bad).load_data()
    assert fragment in str(exc.value)
    with pytest.raises(StudioError) as exc:   # export reads the data first
        codegen.export(Project.load(bad), tmp_path / "x.py")
    assert fragment in str(exc.value)
    assert not (tmp_path / "x.py").exists()
    capsys.readouterr()
    for argv in (["train", "--project", str(bad), "--epochs", "1", "--out",
                  str(tmp_path / "run")], ["export", str(bad), "-o", str(tmp_path / "y.py")]):
        assert cli.main(argv) == cli.EXIT_USER_ERROR
        err = capsys.readouterr().err
        assert err.startswith("error: ") and fragment in err and "Traceback" not in err


def test_export_of_a_checked_project_refuses_a_bad_separator_too(project_file, semi):
    """codegen's own check is the reader's check (one validator)."""
    proj = Project.load(project_file)
    ds = proj.load_data()
    proj.read_options.sep = "(("
    with pytest.raises(StudioError, match="separator '\\(\\('"):
        codegen.script(proj, ds)


def _env(**extra):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", CUDA_VISIBLE_DEVICES="-1",
               TF_CPP_MIN_LOG_LEVEL="2", **extra)
    env.pop("PYTHONUTF8", None)
    return env


def test_snapshot_of_such_a_project_is_a_clean_error(project_file, tmp_path):
    bad = _with_read(project_file, {"encoding": "rot13"})
    r = subprocess.run([sys.executable, "-m", "studio", "snapshot", "--project", str(bad),
                        "-o", str(tmp_path / "s.png")], capture_output=True, text=True,
                       env=_env(), timeout=240, check=False)
    assert r.returncode == 2, r.stderr[-2000:]
    assert r.stderr.startswith("error: ") and "not a text encoding" in r.stderr
    assert "Traceback" not in r.stderr and not (tmp_path / "s.png").exists()


# -- a console that is not UTF-8 ----------------------------------------------------------------
def test_korean_output_on_a_cp1252_console(tmp_path):
    data = tmp_path / "한글.csv"
    data.write_text("도시,값,정답\n" + "".join(f"서울,{i},{i % 2}\n" for i in range(30)),
                    encoding="utf-8")
    env = _env(PYTHONIOENCODING="cp1252", LANG="C", LC_ALL="C")
    r = subprocess.run([sys.executable, "-m", "studio", "--lang", "ko", "info", str(data)],
                       capture_output=True, env=env, timeout=120, check=False)
    out, err = r.stdout.decode("cp1252"), r.stderr.decode("cp1252")
    assert r.returncode == 0, err[-2000:]
    assert "Traceback" not in err
    assert "\\ub3c4\\uc2dc" in out            # 도시, escaped: the console cannot show it
    r = subprocess.run([sys.executable, "-m", "studio", "--lang", "ko", "info",
                        str(tmp_path / "없는파일.csv")], capture_output=True, env=env,
                       timeout=120, check=False)
    err = r.stderr.decode("cp1252")
    assert r.returncode == 2 and err.startswith("error: ") and "Traceback" not in err
    assert "\\uc5c6\\ub294" in err              # the path, escaped
