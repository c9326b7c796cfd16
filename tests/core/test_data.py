"""Reading CSV files as people have them, profiling columns, inferring the task, samples."""

from __future__ import annotations

import json
import string

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from studio import resources
from studio.core import data
from studio.core.data import ReadOptions, infer_task, load, profile, read_csv
from studio.core.errors import DataError


def write(tmp_path, name: str, content: bytes | str, encoding: str = "utf-8"):
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode(encoding))
    return path


# -- encodings ------------------------------------------------------------------------------------

def test_cp949_with_korean_headers_round_trips(tmp_path):
    text = "지역,면적,가격\n서울,84.5,120000\n부산,59.9,45000\n대구,72.1,38000\n"
    path = write(tmp_path, "집값.csv", text, encoding="cp949")
    df, info = read_csv(path)
    assert info.encoding == "cp949"
    assert list(df.columns) == ["지역", "면적", "가격"]
    assert df["지역"].tolist() == ["서울", "부산", "대구"]
    assert df["면적"].tolist() == [84.5, 59.9, 72.1]


def test_utf8_bom_is_detected_and_not_in_the_header(tmp_path):
    path = write(tmp_path, "bom.csv", b"\xef\xbb\xbf" + "이름,값\n가,1\n나,2\n".encode())
    df, info = read_csv(path)
    assert info.encoding == "utf-8-sig"
    assert list(df.columns) == ["이름", "값"]
    assert not any("\ufeff" in c for c in df.columns)


def test_plain_utf8_and_latin1_fallback(tmp_path):
    df, info = read_csv(write(tmp_path, "u.csv", "city,n\nMünchen,1\nKöln,2\n"))
    assert info.encoding == "utf-8"
    assert df["city"].tolist() == ["München", "Köln"]
    df, info = read_csv(write(tmp_path, "l.csv", "city,n\nMünchen,1\nKöln,2\n",
                              encoding="latin-1"))
    assert info.encoding == "latin-1"
    assert df["city"].tolist() == ["München", "Köln"]


def test_utf16_with_bom_from_excel_unicode_text(tmp_path):
    path = write(tmp_path, "u16.txt", "a\tb\n1\t가\n2\t나\n", encoding="utf-16")
    df, info = read_csv(path)
    assert (info.encoding, info.sep) == ("utf-16", "\t")
    assert df["b"].tolist() == ["가", "나"]


def test_encoding_override_is_used(tmp_path):
    path = write(tmp_path, "o.csv", "a,b\nx,1\n", encoding="cp949")
    _df, info = read_csv(path, ReadOptions(encoding="latin-1"))
    assert info.encoding == "latin-1"
    korean = write(tmp_path, "k.csv", "이름,값\n가,1\n", encoding="cp949")
    with pytest.raises(DataError, match="not in the utf-8 encoding"):
        read_csv(korean, ReadOptions(encoding="utf-8"))
    with pytest.raises(DataError, match="Unknown encoding"):
        read_csv(korean, ReadOptions(encoding="klingon"))


# -- separators and decimals ----------------------------------------------------------------------

def test_semicolon_with_decimal_comma(tmp_path):
    path = write(tmp_path, "de.csv", "name;wert;anzahl\nA;1,5;3\nB;-2,25;4\nC;3;5\n")
    df, info = read_csv(path)
    assert (info.sep, info.decimal) == (";", ",")
    assert df["wert"].dtype == np.float64
    assert df["wert"].tolist() == [1.5, -2.25, 3.0]
    assert df["anzahl"].tolist() == [3, 4, 5]


def test_semicolon_with_decimal_point_keeps_point(tmp_path):
    df, info = read_csv(write(tmp_path, "p.csv", "a;b\n1.5;2\n3.5;4\n"))
    assert (info.sep, info.decimal) == (";", ".")
    assert df["a"].tolist() == [1.5, 3.5]


def test_tab_and_pipe_separators(tmp_path):
    df, info = read_csv(write(tmp_path, "t.tsv", "a\tb\tc\n1\t2\t3\n4\t5\t6\n"))
    assert info.sep == "\t" and df.shape == (2, 3)
    df, info = read_csv(write(tmp_path, "p.csv", "a|b\nx, y|1\nz|2\n"))
    assert info.sep == "|" and df["a"].tolist() == ["x, y", "z"]


def test_quoted_fields_with_commas_and_newlines(tmp_path):
    content = ('id,comment,score\n'
               '1,"Good, very good",5\n'
               '2,"Line one\nline two, with comma",3\n'
               '3,"He said ""hi""",4\n')
    df, info = read_csv(write(tmp_path, "q.csv", content))
    assert info.sep == ","
    assert df.shape == (3, 3)
    assert df["comment"].tolist() == ["Good, very good", "Line one\nline two, with comma",
                                      'He said "hi"']


def test_comma_file_with_semicolons_inside_quotes(tmp_path):
    content = 'a,b\n"x;y;z",1\n"p;q",2\n"r;s;t;u",3\n'
    df, info = read_csv(write(tmp_path, "c.csv", content))
    assert info.sep == "," and df["a"].tolist() == ["x;y;z", "p;q", "r;s;t;u"]


def test_separator_and_decimal_overrides(tmp_path):
    path = write(tmp_path, "o.csv", "a;b\n1,5;2\n")
    df, info = read_csv(path, ReadOptions(sep=";", decimal="."))
    assert info.decimal == "." and df["a"].tolist() == ["1,5"]
    df, info = read_csv(path, ReadOptions(sep="tab"))
    assert info.sep == "\t" and df.shape[1] == 1
    with pytest.raises(DataError, match="cannot be the same"):
        read_csv(path, ReadOptions(sep=",", decimal=","))


def test_no_header_option_names_columns(tmp_path):
    df, info = read_csv(write(tmp_path, "n.csv", "1,2,x\n3,4,y\n"), ReadOptions(header=False))
    assert list(df.columns) == ["column_1", "column_2", "column_3"]
    assert len(df) == 2 and info.header is False
    assert info.as_options() == ReadOptions(encoding="utf-8", sep=",", decimal=".",
                                            header=False)


def test_single_column_result_is_questioned(tmp_path):
    df, info = read_csv(write(tmp_path, "one.csv", "value\n1\n2\n3\n"))
    assert df.shape == (3, 1)
    assert any("Only one column" in w for w in info.warnings)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sep=st.sampled_from([",", ";", "\t", "|"]),
       decimal=st.sampled_from([".", ","]),
       rows=st.lists(st.tuples(st.integers(-1000, 1000),
                               st.floats(-1e4, 1e4, allow_nan=False).map(lambda x: round(x, 3)),
                               # a letter first; "L" avoids pandas' missing-value words
                               st.text(alphabet=string.ascii_letters + " ,;|",
                                       max_size=8).map(lambda s: "L" + s)),
                     min_size=2, max_size=30))
def test_detection_round_trips_what_pandas_writes(sep, decimal, rows):
    if sep == decimal:
        decimal = "."
    expected = pd.DataFrame(rows, columns=["count", "amount", "label"])
    raw = expected.to_csv(index=False, sep=sep, decimal=decimal).encode()
    df, info = read_csv(raw)
    assert info.sep == sep
    assert df["count"].tolist() == expected["count"].tolist()
    np.testing.assert_allclose(df["amount"].to_numpy(float), expected["amount"].to_numpy())
    assert df["label"].tolist() == expected["label"].tolist()


# -- errors and warnings --------------------------------------------------------------------------

def test_missing_file(tmp_path):
    with pytest.raises(DataError, match="File not found"):
        read_csv(tmp_path / "nope.csv")


def test_folder_is_not_a_file(tmp_path):
    with pytest.raises(DataError, match="folder"):
        read_csv(tmp_path)


@pytest.mark.parametrize("content", [b"", b"\n\n  \r\n"])
def test_empty_file(tmp_path, content):
    with pytest.raises(DataError, match="is empty"):
        read_csv(write(tmp_path, "empty.csv", content))


def test_header_only(tmp_path):
    with pytest.raises(DataError, match="column names but no data rows"):
        read_csv(write(tmp_path, "h.csv", "a,b,c\n"))


def test_binary_garbage(tmp_path):
    garbage = bytes(np.random.default_rng(0).integers(0, 256, 4000, dtype=np.uint8))
    with pytest.raises(DataError, match="does not look like a text CSV"):
        read_csv(write(tmp_path, "x.bin", garbage))


def test_excel_workbook_gets_a_hint(tmp_path):
    with pytest.raises(DataError, match="Excel workbook"):
        read_csv(write(tmp_path, "book.xlsx", b"PK\x03\x04" + b"\x00" * 100))


def test_unknown_sample_lists_the_available_ones():
    with pytest.raises(DataError, match="no sample named 'nope'") as err:
        read_csv("sample:nope")
    assert "iris" in str(err.value) and "korean_housing" in str(err.value)


def test_unclosed_quote_is_a_plain_error(tmp_path):
    with pytest.raises(DataError, match="quotation mark") as err:
        read_csv(write(tmp_path, "u.csv", 'a,b\n1,"2\n3,4\n'))
    assert "C error" not in str(err.value)


def test_ragged_rows_are_skipped_with_a_warning(tmp_path):
    content = "a,b\n1,2\n3,4,5\n6,7\n8,9,10,11\n12,13\n"
    df, info = read_csv(write(tmp_path, "r.csv", content))
    assert df["a"].tolist() == [1, 6, 12]
    assert info.skipped_rows == 2
    assert any("2 rows had the wrong number of fields" in w and "line 3" in w
               for w in info.warnings)


def test_trailing_separators_do_not_shift_columns(tmp_path):
    df, info = read_csv(write(tmp_path, "t.csv", "a,b,c\n1,2,3,\n4,5,6,\n"))
    assert list(df.columns) == ["a", "b", "c"] and df["a"].tolist() == [1, 4]
    assert info.warnings == []


def test_extra_unnamed_field_is_dropped_with_a_warning(tmp_path):
    df, info = read_csv(write(tmp_path, "x.csv", "a,b\n1,2,3\n4,5,6\n"), ReadOptions(sep=","))
    assert df.shape == (2, 2)
    assert any("more fields than there are column names" in w for w in info.warnings)


def test_one_column_of_decimal_comma_numbers(tmp_path):
    df, info = read_csv(write(tmp_path, "x.csv", "x\n1,5\n2,25\n"))
    assert df["x"].tolist() == [1.5, 2.25]
    assert info.decimal == "," and any("Only one column" in w for w in info.warnings)


def test_duplicate_and_blank_header_names(tmp_path):
    df, info = read_csv(write(tmp_path, "d.csv", " a ,,a,b ,a\n1,2,3,4,5\n"))
    assert list(df.columns) == ["a", "column_2", "a.1", "b", "a.2"]
    assert any("more than once: a" in w for w in info.warnings)


# -- profile --------------------------------------------------------------------------------------

def make_frame(n: int = 100) -> pd.DataFrame:
    rng = np.random.default_rng(1)
    return pd.DataFrame({
        "row": np.arange(1, n + 1),
        "height": rng.normal(170, 10, n),
        "age": rng.integers(18, 80, n),
        "city": rng.choice(["Seoul", "Busan", "Daegu"], n),
        "smoker": rng.choice([0, 1], n),
        "member": rng.choice(["예", "아니오"], n),
        "flag": rng.choice([True, False], n),
        "answer": rng.choice(["Yes", "no"], n),
        "review": [f"This product was number {i} of many that I really liked a lot"
                   for i in range(n)],
        "code": [f"X{i:05d}" for i in rng.permutation(n)],
        "country": ["KR"] * n,
        "mostly_empty": [1.0] * 10 + [np.nan] * (n - 10) if n >= 10 else [np.nan] * n,
        "score": rng.choice(["low", "mid", "high"], n),
    })


def test_profile_kinds_and_counts():
    df = make_frame()
    df.loc[[3, 5, 7], "height"] = np.nan
    profiles = {p.name: p for p in profile(df)}
    kinds = {name: p.kind for name, p in profiles.items()}
    assert kinds == {"row": "id", "height": "numeric", "age": "numeric", "city": "categorical",
                     "smoker": "boolean", "member": "boolean", "flag": "boolean",
                     "answer": "boolean", "review": "text", "code": "id",
                     "country": "constant", "mostly_empty": "constant", "score": "categorical"}
    h = profiles["height"]
    assert (h.count, h.missing, h.unique) == (97, 3, 97)
    assert 120 < h.minimum < h.mean < h.maximum < 220 and 5 < h.std < 15
    assert profiles["smoker"].minimum == 0 and profiles["smoker"].maximum == 1
    assert profiles["member"].minimum is None          # text booleans have no numbers
    city = profiles["city"]
    assert city.unique == 3 and sum(c for _, c in city.top_values) == 100
    assert [c for _, c in city.top_values] == sorted((c for _, c in city.top_values),
                                                     reverse=True)
    assert all(isinstance(v, str) for v, _ in city.top_values)
    assert profiles["mostly_empty"].missing == 90
    assert all(p.reason for p in profiles.values())


def test_profile_roles():
    df = make_frame()
    roles = {p.name: p.suggested_role for p in profile(df)}
    for col in ("row", "review", "code", "country", "mostly_empty"):
        assert roles[col] == "ignore", col
    assert roles["score"] == "target"                 # the last column, categorical
    assert list(roles.values()).count("target") == 1

    df["label"] = df["city"]                           # a column named like a target wins
    df = df[["label"] + [c for c in df.columns if c != "label"]]
    roles = {p.name: p.suggested_role for p in profile(df)}
    assert roles["label"] == "target" and list(roles.values()).count("target") == 1


def test_mostly_missing_feature_is_ignored_and_last_text_is_no_target():
    n = 50
    df = pd.DataFrame({"x": np.r_[np.arange(15.5, 30.5), [np.nan] * 35],
                       "y2": np.linspace(0, 1, n),
                       "notes": [f"long free text entry number {i} with several words" for i in
                                 range(n)]})
    p = {q.name: q for q in profile(df)}
    assert p["x"].kind == "numeric" and p["x"].suggested_role == "ignore"
    assert "70%" in p["x"].reason
    assert p["notes"].kind == "text" and p["notes"].suggested_role == "ignore"
    assert [q.suggested_role for q in p.values()].count("target") == 0


def test_float_all_unique_is_numeric_not_id_and_id_names():
    n = 40
    df = pd.DataFrame({"PassengerId": np.random.default_rng(0).permutation(1000)[:n] * 7,
                       "customer_id": [f"c{i}" for i in range(n)],
                       "valid": np.arange(n) * 3 % 17,
                       "w": np.linspace(0.5, 9.5, n),
                       "회원번호": np.arange(n) + 1000})
    kinds = {p.name: p.kind for p in profile(df)}
    assert kinds == {"PassengerId": "id", "customer_id": "id", "valid": "numeric",
                     "w": "numeric", "회원번호": "id"}


def test_numbers_stored_as_text_are_numeric():
    df = pd.DataFrame({"a": pd.Series(["1", "2.5", "3", "4"] * 10, dtype=object),
                       "b": pd.Series(["0", "1"] * 20, dtype=object)})
    p = {q.name: q for q in profile(df)}
    assert p["a"].kind == "numeric" and p["a"].maximum == 4.0
    assert p["b"].kind == "boolean"


def test_profile_of_and_to_dict_are_json_ready():
    ds = load("sample:iris")
    prof = ds.profile_of("species")
    assert prof.kind == "categorical" and prof.suggested_role == "target"
    json.dumps([p.to_dict() for p in ds.profiles])
    json.dumps(ds.info.to_dict())
    with pytest.raises(KeyError):
        ds.profile_of("nope")


# -- task -----------------------------------------------------------------------------------------

def test_infer_task_regression():
    t = infer_task(pd.Series(np.linspace(0.1, 99.9, 200)))
    assert t.task == "regression" and t.classes == [] and t.reason
    t = infer_task(pd.Series(np.arange(500) % 300))       # many whole numbers
    assert t.task == "regression"


def test_infer_task_binary_and_multiclass():
    t = infer_task(pd.Series(["yes", "no", None, "yes"]))
    assert t.task == "binary" and t.classes == ["no", "yes"]
    t = infer_task(pd.Series(["setosa", "virginica", "versicolor"] * 5))
    assert t.task == "multiclass" and t.classes == ["setosa", "versicolor", "virginica"]
    t = infer_task(pd.Series([0, 1, 2, 2, 1, 0] * 20))
    assert t.task == "multiclass" and t.classes == [0, 1, 2]
    assert all(type(c) is int for c in t.classes)
    t = infer_task(pd.Series([1.0, 0.0, np.nan, 1.0]))
    assert t.task == "binary" and t.classes == [0, 1] and all(type(c) is int for c in t.classes)
    t = infer_task(pd.Series([True, False, True]))
    assert t.task == "binary" and t.classes == [False, True]
    assert all(type(c) is bool for c in t.classes)
    t = infer_task(pd.Series(np.arange(1000) % 15))      # 15 values in 1000 rows: classes
    assert t.task == "multiclass" and len(t.classes) == 15
    json.dumps(t.classes)


def test_infer_task_edge_cases():
    assert infer_task(pd.Series([], dtype=float)).task == "regression"
    assert infer_task(pd.Series([np.nan, np.nan])).classes == []
    t = infer_task(pd.Series(["a"] * 5))
    assert t.classes == ["a"]                          # one class: the doctor reports it
    t = infer_task(pd.Series(["1", "2", "3", "1"], dtype=object))
    assert t.task == "multiclass" and t.classes == [1, 2, 3]


# -- samples and load -----------------------------------------------------------------------------

def test_samples_index_and_files():
    samples = data.list_samples()
    names = data.sample_names()
    assert {"iris", "wine", "breast_cancer", "diabetes", "korean_housing"} <= set(names)
    total = 0
    for s in samples:
        raw = resources.read_bytes(f"datasets/{s.name}.csv")
        total += len(raw)
        assert s.title and s.description and s.source == f"sample:{s.name}"
    assert total < 500_000


@pytest.mark.parametrize("name", [s.name for s in data.list_samples()])
def test_every_sample_loads_and_matches_its_index(name):
    info = {s.name: s for s in data.list_samples()}[name]
    ds = load(info.source)
    assert ds.source == info.source
    assert ds.frame.shape == (info.rows, info.columns)
    assert (ds.info.rows, ds.info.columns) == (info.rows, info.columns)
    assert ds.info.warnings == []
    assert infer_task(ds.frame[info.target]).task == info.task
    assert ds.profile_of(info.target).suggested_role == "target"


def test_korean_housing_sample():
    ds = load("sample:korean_housing")
    assert ds.info.encoding == "utf-8-sig"
    assert ds.frame.columns[0] == "지역" and ds.frame.columns[-1] == "가격"
    assert ds.profile_of("지역").kind == "categorical"
    assert ds.profile_of("주차 가능").kind == "boolean"
    assert sum(p.missing > 0 for p in ds.profiles) == 2


def test_load_resolves_relative_paths_against_base_dir(tmp_path):
    (tmp_path / "data").mkdir()
    write(tmp_path / "data", "d.csv", "x,y\n1,a\n2,b\n3,a\n")
    ds = load("data/d.csv", base_dir=tmp_path)
    assert ds.source == "data/d.csv"
    assert ds.frame.shape == (3, 2) and [p.name for p in ds.profiles] == ["x", "y"]
    ds = load(str(tmp_path / "data" / "d.csv"), base_dir="/somewhere/else")
    assert ds.frame.shape == (3, 2)
    with pytest.raises(DataError, match="File not found"):
        load("data/d.csv", base_dir=tmp_path / "other")


def test_read_csv_accepts_bytes_and_options_round_trip():
    df, info = read_csv(b"a;b\n1,5;x\n2,5;y\n")
    assert df["a"].tolist() == [1.5, 2.5]
    again = ReadOptions.from_dict(info.as_options().to_dict())
    df2, info2 = read_csv(b"a;b\n1,5;x\n2,5;y\n", again)
    pd.testing.assert_frame_equal(df, df2)
    assert (info2.sep, info2.decimal) == (";", ",")
