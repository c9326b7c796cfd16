"""Files from others: models load only with ``safe_mode=True``, nothing is unpickled, and lesson
archives that escape their folder, hold too many entries or unpack to too much (a zip bomb)
are refused before anything is written; the folder a lesson unpacks into is cleaned up."""

from __future__ import annotations

import ast
import struct
import tempfile
import zipfile
from pathlib import Path

import pytest

from studio.core.errors import StudioError
from studio.core.lesson import MAX_ENTRIES, MAX_UNPACKED_BYTES, extract, open_lesson, save_lesson
from studio.core.project import new_project

STUDIO = Path(__file__).resolve().parents[2] / "studio"
UNSAFE_MODULES = {"pickle", "cPickle", "_pickle", "joblib", "dill", "shelve", "marshal",
                  "cloudpickle"}
UNSAFE_CALLS = {"read_pickle", "to_pickle"}


def _sources():
    for path in sorted(STUDIO.rglob("*.py")):
        try:
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        except SyntaxError:       # cannot run either (its own tests say so): nothing to scan
            continue
        yield path, tree


def test_models_are_only_loaded_with_safe_mode():
    calls = []
    for path, tree in _sources():
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(
                    node.func, "id", None)) in ("load_model", "load_weights"):
                kw = {k.arg: k.value for k in node.keywords}
                safe = kw.get("safe_mode")
                calls.append(path.name)
                assert isinstance(safe, ast.Constant) and safe.value is True, \
                    f"{path}:{node.lineno} loads a model without safe_mode=True"
    assert calls, "no model loading found: the scan is looking in the wrong place"


def test_nothing_is_unpickled():
    for path, tree in _sources():
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom):
                names = {(node.module or "").split(".")[0]}
            else:
                names = set()
            assert not names & UNSAFE_MODULES, f"{path}:{node.lineno} imports {names}"
            if isinstance(node, ast.Call):
                name = getattr(node.func, "attr", getattr(node.func, "id", None))
                assert name not in UNSAFE_CALLS, f"{path}:{node.lineno} calls {name}"
                for k in node.keywords:
                    assert not (k.arg == "allow_pickle" and isinstance(k.value, ast.Constant)
                                and k.value.value), f"{path}:{node.lineno} allows pickle"


# -- lesson archives --------------------------------------------------------------------------
def _set_declared_size(path: Path, name: str, size: int) -> None:
    """Rewrite the uncompressed size that the archive's central directory declares for
    ``name`` (what a crafted archive can claim)."""
    data = bytearray(path.read_bytes())
    encoded = name.encode()
    at = data.find(b"PK\x01\x02")
    while at >= 0:
        n_name, = struct.unpack_from("<H", data, at + 28)
        if bytes(data[at + 46:at + 46 + n_name]) == encoded:
            struct.pack_into("<I", data, at + 24, size)
            path.write_bytes(bytes(data))
            return
        at = data.find(b"PK\x01\x02", at + 4)
    raise AssertionError(f"{name} not in {path}")


def _bomb(path: Path, megabytes: int) -> Path:
    """A lesson-looking archive whose data.csv is ``megabytes`` of one repeated byte."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        zf.writestr("lesson.json", '{"format": "netsketch-lesson", "version": 1}')
        with zf.open("data.csv", "w") as fh:
            chunk = b"0" * (1 << 20)
            for _ in range(megabytes):
                fh.write(chunk)
    return path


def test_the_limits_are_sane():
    assert 100 * 2 ** 20 <= MAX_UNPACKED_BYTES <= 2 * 2 ** 30
    assert 8 <= MAX_ENTRIES <= 10_000


def test_zip_bomb_is_refused_before_anything_is_written(tmp_path):
    path = _bomb(tmp_path / "bomb.nslesson", 48)
    assert path.stat().st_size < 48 * 2 ** 20 / 100         # very compressible indeed
    with pytest.raises(StudioError, match="refused: it would unpack to more than"):
        extract(path, tmp_path / "out", max_bytes=32 * 2 ** 20)
    assert not (tmp_path / "out").exists()


def test_a_bomb_declaring_gigabytes_is_refused_at_the_default_limit(tmp_path):
    path = _bomb(tmp_path / "bomb.nslesson", 1)
    _set_declared_size(path, "data.csv", 3_000_000_000)
    with pytest.raises(StudioError, match="refused: it would unpack to more than"):
        open_lesson(path, dest=tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_a_bomb_lying_about_its_size_is_stopped_as_damaged(tmp_path):
    path = _bomb(tmp_path / "liar.nslesson", 8)
    _set_declared_size(path, "data.csv", 100)                  # claims 100 bytes
    with pytest.raises(StudioError, match="damaged"):
        extract(path, tmp_path / "out")
    written = sum(p.stat().st_size for p in (tmp_path / "out").rglob("*") if p.is_file())
    assert written <= 2 ** 20


def test_too_many_entries_are_refused(tmp_path):
    path = tmp_path / "many.nslesson"
    with zipfile.ZipFile(path, "w") as zf:
        for i in range(MAX_ENTRIES + 1):
            zf.writestr(f"notes/{i}.md", "x")
    with pytest.raises(StudioError, match="entries"):
        extract(path, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_a_lesson_cannot_point_at_data_outside_itself(tmp_path):
    proj = new_project("sample:iris", "species")
    path = tmp_path / "iris.nslesson"
    save_lesson(path, proj, proj.load_data())
    secret = tmp_path / "secret.csv"
    secret.write_text("a,b\n1,2\n3,4\n")
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(tmp_path / "evil.nslesson", "w") as out:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "project.json":
                data = data.replace(b'"data.csv"', b'"' + str(secret).encode() + b'"')
            out.writestr(info.filename, data)
    lesson = open_lesson(tmp_path / "evil.nslesson", dest=tmp_path / "out")
    assert len(lesson.dataset.frame) == 150                      # its own table, not the file


def test_a_lesson_with_a_lambda_model_is_refused(tmp_path):
    import keras

    proj = new_project("sample:iris", "species")
    path = tmp_path / "iris.nslesson"
    save_lesson(path, proj, proj.load_data())
    model = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Lambda(lambda x: x * 2),
                              keras.layers.Dense(3, activation="softmax")])
    model.save(tmp_path / "model.keras")
    with zipfile.ZipFile(path, "a") as zf:
        zf.write(tmp_path / "model.keras", "model.keras")
        zf.writestr("preprocessing.json", "{}")
    with pytest.raises(StudioError):
        open_lesson(path, dest=tmp_path / "out")


# -- the temporary folder ---------------------------------------------------------------------
@pytest.fixture
def temp_root(tmp_path, monkeypatch) -> Path:
    """Lessons unpack into a temporary folder under this test's own folder."""
    root = tmp_path / "tmp"
    root.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(root))
    return root


def test_a_lesson_that_fails_to_open_leaves_no_folder(tmp_path, temp_root):
    path = _bomb(tmp_path / "bomb.nslesson", 1)
    _set_declared_size(path, "data.csv", 3_000_000_000)
    with pytest.raises(StudioError):
        open_lesson(path)
    (tmp_path / "half.nslesson").write_bytes(path.read_bytes()[:300])
    with pytest.raises(StudioError):
        open_lesson(tmp_path / "half.nslesson")
    assert list(temp_root.iterdir()) == []


def test_the_window_removes_a_closed_lessons_folder(window, tmp_path, temp_root):
    proj = new_project("sample:iris", "species")
    path = tmp_path / "iris.nslesson"
    save_lesson(path, proj, proj.load_data(), notes="")
    assert window.files.open_path(str(path))
    folder = window.files.lesson_folder
    assert folder is not None and folder.is_dir() and folder.parent == temp_root
    # Save never writes into the temporary copy: it asks where (Save As).
    asked = []
    window.files.save_as = lambda: asked.append(True) or False
    assert not window.files.save() and asked
    assert window.files.open_path("sample:iris", remember=False)
    assert not folder.exists() and window.files.lesson_folder is None
    assert list(temp_root.iterdir()) == []


def test_a_lesson_saved_elsewhere_keeps_its_data(window, tmp_path, temp_root):
    proj = new_project("sample:iris", "species")
    path = tmp_path / "iris.nslesson"
    save_lesson(path, proj, proj.load_data(), notes="")
    assert window.files.open_path(str(path))
    folder = window.files.lesson_folder
    (tmp_path / "mine.csv").write_text("someone else's file\n", encoding="utf-8")
    assert window.files.save_to(str(tmp_path / "mine.json"))
    # the data moved out with the project, beside it, without overwriting a file there
    assert (tmp_path / "mine.csv").read_text(encoding="utf-8") == "someone else's file\n"
    copy = tmp_path / "mine-2.csv"
    assert copy.read_bytes() == (folder / "data.csv").read_bytes()
    assert window.state.project.data_source == "mine-2.csv"
    assert window.files.open_path("sample:iris", remember=False)
    assert not folder.exists()                    # nothing reads the temporary folder now
    assert window.files.open_path(str(tmp_path / "mine.json"))
    assert len(window.state.dataset.frame) == 150
