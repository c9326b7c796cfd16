"""A file whose encoding changes halfway (UTF-8, then cp949) is never read as latin-1 without
a word: a change halfway is refused naming the line (``error-``), a few stray lines are read
as UTF-8 with a warning naming them (``ok-``), and one-encoding files read as before."""

from __future__ import annotations

import codecs

import pytest

from studio.core import codegen
from studio.core.data import load
from studio.core.errors import DataError
from studio.core.i18n import set_language
from studio.core.project import new_project


@pytest.fixture(autouse=True)
def _english():
    set_language("en")


def _lines(n: int, start: int = 0) -> list[str]:
    cities = ("서울", "부산", "대구")
    return [f"{i},{cities[i % 3]},{i * 1.5},{i % 2}" for i in range(start, start + n)]


HEADER = "id,도시,값,정답"


def _write(tmp_path, name, *parts: tuple[list[str], str], bom: bool = False):
    data = codecs.BOM_UTF8 if bom else b""
    for lines, encoding in parts:
        data += ("\n".join(lines) + "\n").encode(encoding)
    path = tmp_path / name
    path.write_bytes(data)
    return path


CASES = [
    ("error-utf8-then-cp949-halfway",
     lambda t: _write(t, "half.csv", ([HEADER] + _lines(30), "utf-8"), (_lines(30, 30), "cp949")),
     32, "UTF-8", "cp949"),
    ("error-cp949-then-utf8-halfway",
     lambda t: _write(t, "rev.csv", ([HEADER] + _lines(30), "cp949"), (_lines(30, 30), "utf-8")),
     32, "cp949", "UTF-8"),
    ("error-bom-utf8-then-cp949",
     lambda t: _write(t, "bom.csv", ([HEADER] + _lines(20), "utf-8"), (_lines(40, 20), "cp949"),
                      bom=True), 22, "UTF-8", "cp949"),
]


@pytest.mark.parametrize("case_id, make, line, before, after", CASES,
                         ids=[c[0] for c in CASES])
def test_a_change_of_encoding_is_refused_naming_the_line(case_id, make, line, before, after,
                                                         tmp_path):
    path = make(tmp_path)
    with pytest.raises(DataError) as exc:
        load(str(path))
    text = str(exc.value)
    assert f"changes encoding at line {line}" in text
    assert f"before it are {before}" in text and f"from it on are {after}" in text
    assert "save it again as UTF-8" in text


def test_ok_a_few_stray_lines_are_read_as_utf8_with_their_line_numbers(tmp_path):
    path = _write(tmp_path, "stray.csv", ([HEADER] + _lines(57), "utf-8"),
                  (_lines(3, 57), "cp949"))
    ds = load(str(path))
    assert ds.info.encoding == "utf-8" and ds.info.encoding_errors == "replace"
    assert ds.info.rows == 60
    warning = ds.info.warnings[0]
    assert "3 lines are not UTF-8 (lines 59, 60, 61)" in warning and "UTF-8" in warning
    cities = ds.frame["도시"]
    assert cities[:57].tolist() == [("서울", "부산", "대구")[i % 3] for i in range(57)]
    assert all("\ufffd" in c for c in cities[57:])
    assert ds.frame["값"].tolist() == [i * 1.5 for i in range(60)]   # numbers intact
    # the exported script reads it the same way (not a UnicodeDecodeError)
    project = new_project(str(path), "정답", dataset=ds)
    assert 'encoding_errors="replace"' in codegen.script(project, ds)


@pytest.mark.parametrize("case_id, encoding", [("ok-pure-cp949", "cp949"),
                                               ("ok-pure-utf8", "utf-8")],
                         ids=["ok-pure-cp949", "ok-pure-utf8"])
def test_files_in_one_encoding_read_as_before(case_id, encoding, tmp_path):
    path = _write(tmp_path, "one.csv", ([HEADER] + _lines(200), encoding))
    ds = load(str(path))
    assert ds.info.encoding == encoding and not ds.info.warnings
    assert ds.frame["도시"][:3].tolist() == ["서울", "부산", "대구"]


def test_ok_latin1_file_is_still_latin1(tmp_path):
    path = tmp_path / "fr.csv"
    path.write_bytes(("nom,valeur\n" + "".join(f"caf\u00e9 {i},{i}\n" for i in range(40)))
                     .encode("latin-1"))
    ds = load(str(path))
    assert ds.info.encoding == "latin-1" and ds.frame["nom"][0] == "caf\u00e9 0"
