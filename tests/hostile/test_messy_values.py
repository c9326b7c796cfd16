"""Messy values real files have: each kind is detected, said in words, converted by a read
option, and the exported script's reading part gives the same table from the same file.

``ok-`` cases must load correctly once converted; ``error-`` cases are ones the studio must
refuse to convert (it explains instead)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from studio.core import codegen, messy
from studio.core.data import ReadOptions, load
from studio.core.i18n import set_language
from studio.core.project import new_project

N = 60


def _messy_rows() -> list[str]:
    rows = ["id,city,price,amount,rate,score,grade,label"]
    for i in range(N):
        city = ("Seoul " if i % 3 == 0 else "Seoul" if i % 3 == 1 else " Busan")
        if i == 7:
            city = "   "                                   # a blank made of spaces
        score = "?" if i % 7 == 0 else "-" if i % 11 == 0 else f"{i * 1.5}"
        grade = "n.a." if i % 5 == 0 else "A" if i % 2 else "B"
        rows.append(f'{i},{city},"₩{1000 + i * 37:,}","{1000 * i + 234:,}",{i % 17}%,{score},'
                    f"{grade},{i % 2}")
    return rows


@pytest.fixture(autouse=True)
def _english():
    set_language("en")


@pytest.fixture
def messy_csv(tmp_path):
    path = tmp_path / "messy.csv"
    path.write_text("# exported by the shop system\n# prices in won, rates in percent\n"
                    + "\n".join(_messy_rows()) + "\n", encoding="utf-8")
    return path


def _apply_all(path, options=None):
    options = options or ReadOptions()
    for _round in range(3):
        ds = load(str(path), options)
        findings = [f for f in messy.detect(ds.frame, ds.info, options) if f.can_apply]
        if not findings:
            return ds, options
        for f in findings:
            options = messy.apply_finding(options, f)
    raise AssertionError("the findings do not settle")


# (id, column, kind, check of the converted column)
KIND_CASES = [
    ("ok-currency", "price", "currency",
     lambda s: s.tolist() == [1000.0 + i * 37 for i in range(N)]),
    ("ok-thousands", "amount", "thousands",
     lambda s: s.tolist() == [1000.0 * i + 234 for i in range(N)]),
    ("ok-percent", "rate", "percent", lambda s: s.tolist() == [float(i % 17) for i in range(N)]),
    ("ok-missing-question-and-dash", "score", "missing",
     lambda s: int(s.isna().sum()) == sum(1 for i in range(N) if i % 7 == 0 or i % 11 == 0)
     and s.dtype == np.float64 and s[1] == 1.5),
    ("ok-missing-in-categories", "grade", "missing",
     lambda s: int(s.isna().sum()) == N // 5 and set(s.dropna()) == {"A", "B"}),
    ("ok-spaces", "city", "spaces",
     lambda s: set(s.dropna()) == {"Seoul", "Busan"} and int(s.isna().sum()) == 1),
]


@pytest.mark.parametrize("case_id, column, kind, check", KIND_CASES,
                         ids=[c[0] for c in KIND_CASES])
def test_each_kind_is_found_and_converted(case_id, column, kind, check, messy_csv):
    ds = load(str(messy_csv))
    before = ds.profile_of(column).kind
    findings = messy.detect(ds.frame, ds.info, ReadOptions())
    found = [f for f in findings if f.kind == kind and (f.column == column or f.column is None)]
    assert found, [f.message for f in findings]
    assert column in found[0].message and found[0].can_apply
    ds, options = _apply_all(messy_csv)
    assert check(ds.frame[column]), ds.frame[column].tolist()
    if kind in ("currency", "thousands", "percent"):
        assert before in ("text", "id", "categorical")
        assert ds.profile_of(column).kind == "numeric"
    assert ReadOptions.from_dict(json.loads(json.dumps(options.to_dict()))) == options


def test_the_message_names_the_column_count_and_an_example(messy_csv):
    ds = load(str(messy_csv))
    texts = [f.message for f in messy.detect(ds.frame, ds.info, ReadOptions())]
    assert (f"Column price: {N} values like '₩1,000' look like numbers with a currency sign."
            in texts)


def test_ok_comment_lines_are_skipped_and_said(messy_csv):
    ds = load(str(messy_csv))
    assert ds.info.comment == "#" and ds.info.rows == N
    assert next(iter(ds.frame.columns)) == "id"
    assert any("2 lines start with #" in w and "lines 1, 2" in w for w in ds.info.warnings)


def test_error_hash_inside_values_is_not_skipped_blindly(tmp_path):
    path = tmp_path / "hash.csv"
    path.write_text("# note\nname,n\nApt #3,1\nApt #4,2\nHouse,3\n", encoding="utf-8")
    ds = load(str(path))
    assert ds.info.comment is None                       # never cut "Apt #3" to "Apt "
    finding = next(f for f in messy.detect(ds.frame, ds.info, ReadOptions())
                   if f.kind == "comment")
    assert not finding.can_apply and "text editor" in finding.message
    ds = load(str(path), ReadOptions(comment="#"))       # the user's explicit choice
    assert ds.frame.columns.tolist() == ["name", "n"]


def test_a_header_named_hash_is_not_a_comment(tmp_path):
    path = tmp_path / "hashhead.csv"
    path.write_text("#,name,value\n" + "".join(f"{i},n{i % 3},{i}\n" for i in range(30)))
    ds = load(str(path))
    assert ds.info.comment is None and ds.frame.columns.tolist() == ["#", "name", "value"]
    assert not [f for f in messy.detect(ds.frame, ds.info, ReadOptions()) if f.kind == "comment"]


def test_ok_decimal_comma_thousands(tmp_path):
    path = tmp_path / "eu.csv"
    rows = ["name;amount;x"] + [f"r{i};" + f"{(1000 + i) * 1000 + i:,}".replace(",", ".")
                                + f",5;{i},5" for i in range(30)]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    ds, options = _apply_all(path)
    assert ds.info.decimal == "," and options.number_columns == ["amount"]
    assert ds.frame["amount"].tolist() == [(1000 + i) * 1000 + i + 0.5 for i in range(30)]


def test_a_clean_file_has_no_findings():
    ds = load("sample:iris")
    assert messy.detect(ds.frame, ds.info, ReadOptions()) == []


def test_values_that_stay_text_become_missing_with_a_note(tmp_path):
    path = tmp_path / "mostly.csv"
    rows = ["price,y"] + [f'"${i},000",{i % 2}' for i in range(1, 40)] + ["call us,1"]
    path.write_text("\n".join(rows) + "\n")
    ds = load(str(path), ReadOptions(number_columns=["price"]))
    assert ds.frame["price"].isna().sum() == 1 and ds.frame["price"][0] == 1000.0
    assert any("1 values that are not numbers became missing" in w for w in ds.info.warnings)


def _reading_part(script: str) -> str:
    """The exported script up to its split section (header, imports, read and clean)."""
    cut = script.index("# 2. ")
    return script[:script.rindex("# ---", 0, cut)]


def test_exported_script_reads_the_same_numbers(messy_csv, tmp_path):
    ds, options = _apply_all(messy_csv)
    assert options.na_values and options.number_columns and options.strip_spaces
    project = new_project(str(messy_csv), "label", dataset=ds, read_options=options)
    script = tmp_path / "messy.py"
    codegen.export(project, script, dataset=ds)
    code = _reading_part(script.read_text(encoding="utf-8"))
    (tmp_path / "reading.py").write_text(code, encoding="utf-8")
    # keras is not needed to read the data: a stand-in keeps the run short
    runner = ("import json, runpy, sys, types\n"
              "sys.modules['keras'] = types.ModuleType('keras')\n"
              "ns = runpy.run_path(sys.argv[1], run_name='__main__')\n"
              "df = ns['df']\n"
              "print('TABLE' + df.to_json(orient='split', double_precision=15))\n"
              "print('DTYPES' + json.dumps({c: str(t) for c, t in df.dtypes.items()}))\n")
    env = dict(os.environ, CUDA_VISIBLE_DEVICES="-1")
    r = subprocess.run([sys.executable, "-c", runner, str(tmp_path / "reading.py")],
                       capture_output=True, text=True, env=env, cwd=tmp_path, timeout=300,
                       check=False)
    assert r.returncode == 0, r.stderr[-3000:]
    table = next(line[5:] for line in r.stdout.splitlines() if line.startswith("TABLE"))
    dtypes = json.loads(next(line[6:] for line in r.stdout.splitlines()
                             if line.startswith("DTYPES")))
    theirs = pd.read_json(__import__("io").StringIO(table), orient="split")
    ours = ds.frame
    assert list(theirs.columns) == list(ours.columns)
    for column in ("price", "amount", "rate", "score"):
        assert dtypes[column] == "float64"
        np.testing.assert_array_equal(theirs[column].to_numpy(dtype=float),
                                      ours[column].to_numpy(dtype=float))
    assert theirs["city"].fillna("<NA>").tolist() == ours["city"].fillna("<NA>").tolist()
    assert theirs["grade"].fillna("<NA>").tolist() == ours["grade"].fillna("<NA>").tolist()
    # every value of the project went in as a literal: the clean code is only data and pandas
    assert "MISSING_MARKERS = " in code and "to_number" in code
