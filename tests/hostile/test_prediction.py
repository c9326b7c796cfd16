"""Hostile preprocessing files and prediction inputs against ``studio predict``.

Two corpora. Tampered ``preprocessing.json`` documents (each a mutation of a valid one) must be
refused by :func:`studio.core.predict.load_preprocessing` with a message naming the problem
(``error-``), or load as the studio wrote them (``ok-``). CSV files given to ``studio predict``
must either exit 2 with one ``error:`` line naming the problem and write nothing (``error-``),
or exit 0 with a prediction for each row that can have one (``ok-``).

(Named ``test_prediction.py``: ``tests/core/test_predict.py`` has the other name, and test
folders have no package marker, so two test files must not share a name.)
"""

from __future__ import annotations

import copy
import csv
import io
import json
import os
import re
import shutil

import pytest

from studio.cli import main
from studio.core import prep_file
from studio.core.errors import StudioError
from studio.core.predict import load_preprocessing

HEADER = "id,age,income,city,smoker"


def valid_doc() -> dict:
    """What ``FittedPreprocessing.to_dict`` writes for a table of four feature columns."""
    return {
        "format": "netsketch-preprocessing", "version": 1, "target": "risk",
        "task": "multiclass", "classes": ["low", "mid", "high"], "target_mean": 0.0,
        "target_std": 1.0, "n_inputs": 6,
        "steps": [
            {"column": "age", "kind": "numeric", "impute": None, "scale": "standard",
             "mean": 40.0, "std": 10.0},
            {"column": "income", "kind": "numeric", "impute": 50.0, "scale": "minmax",
             "mm_scale": 0.01, "mm_min": 0.0},
            {"column": "city", "kind": "onehot", "impute": "Seoul", "scale": "none",
             "categories": ["Busan", "Daegu", "Seoul"]},
            {"column": "smoker", "kind": "ordinal", "impute": None, "scale": "none",
             "categories": ["no", "yes"]},
        ]}


def step(doc, i, **changes):
    doc["steps"][i].update(changes)
    return doc


def drop(d, *path):
    for key in path[:-1]:
        d = d[key]
    del d[path[-1]]


def mutate(fn):
    def apply():
        doc = valid_doc()
        out = fn(doc)
        return doc if out is None else out
    return apply


def text(t: str):
    """A case given as the file's text (for what json.dumps would not write)."""
    return lambda: t


# (id, document or text, expected fragment); each doc factory returns the document to write
PREP_CASES = [
    ("error-std-zero", mutate(lambda d: step(d, 0, std=0)), "at steps[0].std the studio "
                                                            "expected a number above 0"),
    ("error-std-negative", mutate(lambda d: step(d, 0, std=-1.5)), "steps[0].std"),
    ("error-std-infinite", text(json.dumps(valid_doc()).replace('"std": 10.0', '"std": 1e400')),
     "at steps[0].std the studio expected a finite number"),
    ("error-std-400-digits",
     text(json.dumps(valid_doc()).replace('"std": 10.0', '"std": 1' + "0" * 400)),
     "at steps[0].std the studio expected a finite number"),
    ("error-std-text", mutate(lambda d: step(d, 0, std="10")), "steps[0].std"),
    ("error-std-missing", mutate(lambda d: drop(d, "steps", 0, "std")), "a field std"),
    ("error-mean-nan", text(json.dumps(valid_doc()).replace('"mean": 40.0', '"mean": NaN')),
     "contains NaN"),
    ("error-mean-infinity",
     text(json.dumps(valid_doc()).replace('"mean": 40.0', '"mean": -Infinity')),
     "contains -Infinity"),
    ("error-mean-1e400", text(json.dumps(valid_doc()).replace('"mean": 40.0', '"mean": 1e400')),
     "at steps[0].mean the studio expected a finite number"),
    ("error-mean-null", mutate(lambda d: step(d, 0, mean=None)), "steps[0].mean"),
    ("error-mm-scale-zero", mutate(lambda d: step(d, 1, mm_scale=0)), "steps[1].mm_scale"),
    ("error-mm-min-missing", mutate(lambda d: drop(d, "steps", 1, "mm_min")), "a field mm_min"),
    ("error-impute-text-on-numeric", mutate(lambda d: step(d, 1, impute="fifty")),
     "steps[1].impute"),
    ("error-impute-1e400",
     text(json.dumps(valid_doc()).replace('"impute": 50.0', '"impute": 1e400')),
     "at steps[1].impute the studio expected a finite number"),
    ("error-missing-steps", mutate(lambda d: drop(d, "steps")), "a field steps"),
    ("error-missing-target", mutate(lambda d: drop(d, "target")), "a field target"),
    ("error-missing-task", mutate(lambda d: drop(d, "task")), "a field task"),
    ("error-missing-version", mutate(lambda d: drop(d, "version")), "a field version"),
    ("error-wrong-format", mutate(lambda d: d.update(format="pickle")),
     "is not a NetSketch preprocessing file"),
    ("error-top-level-list", text("[1, 2]"), "is not a NetSketch preprocessing file"),
    ("error-version-text", mutate(lambda d: d.update(version="1")), "at version"),
    ("error-version-zero", mutate(lambda d: d.update(version=0)), "at version"),
    ("error-version-newer", mutate(lambda d: d.update(version=99)), "newer NetSketch Studio"),
    ("error-task-unknown", mutate(lambda d: d.update(task="ranking")), "at task"),
    ("error-classes-empty", mutate(lambda d: d.update(classes=[])),
     "at classes the studio expected at least 2 entries"),
    ("error-classes-missing", mutate(lambda d: drop(d, "classes")), "a field classes"),
    ("error-classes-one", mutate(lambda d: d.update(classes=["only"])), "at least 2 entries"),
    ("error-binary-three-classes", mutate(lambda d: d.update(task="binary")),
     "at most 2 entries"),
    ("error-classes-repeated", mutate(lambda d: d.update(classes=["a", "b", "a"])),
     "at classes the value 'a' is listed twice"),
    ("error-classes-nested", mutate(lambda d: d.update(classes=["a", {"b": 1}, "c"])),
     "classes[1]"),
    ("error-class-null", mutate(lambda d: d.update(classes=["a", None, "c"])), "classes[1]"),
    ("error-target-mean-1e400",
     text(json.dumps(valid_doc()).replace('"target_mean": 0.0', '"target_mean": 1e400')),
     "at target_mean the studio expected a finite number"),
    ("error-target-std-zero", mutate(lambda d: d.update(target_std=0)), "at target_std"),
    ("error-steps-empty", mutate(lambda d: d.update(steps=[])), "at steps"),
    ("error-steps-not-list", mutate(lambda d: d.update(steps={"age": 1})), "at steps"),
    ("error-step-not-object", mutate(lambda d: d["steps"].append("age")), "steps[4]"),
    ("error-step-kind-unknown", mutate(lambda d: step(d, 0, kind="lambda")),
     "steps[0].kind"),
    ("error-step-column-missing", mutate(lambda d: drop(d, "steps", 0, "column")),
     "a field column"),
    ("error-step-column-number", mutate(lambda d: step(d, 0, column=7)), "steps[0].column"),
    ("error-step-column-empty", mutate(lambda d: step(d, 0, column="")), "steps[0].column"),
    ("error-step-column-twice", mutate(lambda d: step(d, 1, column="age")),
     "the column 'age' is listed twice"),
    ("error-scale-unknown", mutate(lambda d: step(d, 0, scale="log")), "steps[0].scale"),
    ("error-onehot-without-categories", mutate(lambda d: drop(d, "steps", 2, "categories")),
     "a field categories"),
    ("error-categories-empty", mutate(lambda d: step(d, 2, categories=[])),
     "steps[2].categories"),
    ("error-categories-repeated", mutate(lambda d: step(d, 2, categories=["a", "b", "a"])),
     "at steps[2].categories the value 'a' is listed twice"),
    ("error-categories-number-and-text-repeated",
     mutate(lambda d: step(d, 3, categories=[3, "3.0", 3.0])), "the value '3' is listed twice"),
    ("error-categories-nested", mutate(lambda d: step(d, 2, categories=[["Busan"]])),
     "steps[2].categories[0]"),
    ("error-categories-huge",
     mutate(lambda d: step(d, 2, categories=[f"c{i}" for i in range(100_001)])),
     "at most 100000 entries"),
    ("error-category-text-huge", mutate(lambda d: step(d, 2, categories=["x" * 10_001])),
     "text of at most 10000 characters"),
    ("error-n-inputs-too-small", mutate(lambda d: d.update(n_inputs=5)),
     "it says the network has 5 inputs, but its columns make 6"),
    ("error-n-inputs-categories-wrong-length",
     mutate(lambda d: step(d, 2, categories=["Busan", "Seoul"])),
     "it says the network has 6 inputs, but its columns make 5"),
    ("error-n-inputs-negative", mutate(lambda d: d.update(n_inputs=-6)), "at n_inputs"),
    ("error-n-inputs-text", mutate(lambda d: d.update(n_inputs="6")), "at n_inputs"),
    ("error-deep-nesting", text('{"format": "netsketch-preprocessing", "x": '
                                + "[" * 500 + "]" * 500 + "}"), "nested more than 64"),
    ("error-not-json", text("{'format': 'netsketch-preprocessing'}"), "is not valid JSON"),
    ("error-truncated", text(json.dumps(valid_doc())[:-20]), "is not valid JSON"),
    ("error-empty-file", text(""), "is not valid JSON"),
]

OK_PREP = [
    ("ok-as-written", mutate(lambda d: None), 6),
    ("ok-before-n-inputs", mutate(lambda d: drop(d, "n_inputs")), 6),
    ("ok-unknown-extra-field", mutate(lambda d: d.update(comment="from a teacher")), 6),
    ("ok-numeric-categories", mutate(lambda d: step(d, 2, categories=[1, 2, 3.5])), 6),
    ("ok-boolean-classes", mutate(lambda d: d.update(task="binary", classes=[False, True])), 6),
    ("ok-regression-no-classes", mutate(lambda d: d.update(task="regression", classes=[],
                                                           target_mean=120.5,
                                                           target_std=33.0)), 6),
    ("ok-regression-classes-absent", mutate(lambda d: (d.update(task="regression"),
                                                       drop(d, "classes"))[0]), 6),
    ("ok-ordinal-standard", mutate(lambda d: step(d, 3, scale="standard", mean=0.4,
                                                  std=0.5)), 6),
    ("ok-korean-names", mutate(lambda d: step(d, 2, column="도시",
                                              categories=["부산", "서울", "대구"])), 6),
    ("ok-categories-at-limit",
     mutate(lambda d: (step(d, 2, categories=[f"c{i}" for i in range(100_000)]),
                       d.update(n_inputs=100_003))[0]), 100_003),
]


@pytest.mark.parametrize("case_id, make, fragment", PREP_CASES, ids=[c[0] for c in PREP_CASES])
def test_tampered_preprocessing_files_are_refused(tmp_path, case_id, make, fragment):
    doc = make()
    path = tmp_path / "preprocessing.json"
    path.write_text(doc if isinstance(doc, str) else json.dumps(doc), encoding="utf-8")
    with pytest.raises(StudioError) as err:
        load_preprocessing(path)
    assert fragment in str(err.value)


@pytest.mark.parametrize("case_id, make, width", OK_PREP, ids=[c[0] for c in OK_PREP])
def test_studio_preprocessing_files_load(tmp_path, case_id, make, width):
    doc = make()
    path = tmp_path / "preprocessing.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    fitted = load_preprocessing(path)
    assert fitted.n_inputs == width
    written = fitted.to_dict()
    assert written["steps"] == doc["steps"] and written["n_inputs"] == width


def test_error_too_large_file_is_refused_unread(tmp_path):
    path = tmp_path / "preprocessing.json"
    with path.open("wb") as fh:
        fh.truncate(33 * 2**20)
    with pytest.raises(StudioError, match="up to 32 MB"):
        load_preprocessing(path)


def test_error_more_inputs_than_any_network_takes(tmp_path, monkeypatch):
    monkeypatch.setattr(prep_file, "MAX_INPUTS", 5)
    path = tmp_path / "preprocessing.json"
    path.write_text(json.dumps(valid_doc()))
    with pytest.raises(StudioError, match="its columns make 6 inputs, more than the 5"):
        load_preprocessing(path)


def test_error_a_document_built_in_python_with_nan_is_refused():
    from studio.core.prep import FittedPreprocessing

    doc = step(valid_doc(), 0, mean=float("nan"))
    with pytest.raises(StudioError,
                       match=re.escape("steps[0].mean the studio expected a finite number")):
        FittedPreprocessing.from_dict(doc)


# -- predict inputs ------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def model_dir(tmp_path_factory):
    """A model folder for ``valid_doc`` (6 inputs, 3 classes): an untrained network is enough
    to tell which rows reach it."""
    from studio.core import build

    build.configure()
    import keras

    d = tmp_path_factory.mktemp("model")
    keras.utils.set_random_seed(1)
    model = keras.Sequential([keras.Input(shape=(6,), name="input"),
                              keras.layers.Dense(3, activation="softmax", name="output")])
    model.save(d / "model.keras")
    (d / "preprocessing.json").write_text(json.dumps(valid_doc()))
    return d


def _run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


# (id, CSV text, expected per row: a reason fragment, "" = predicted without remark,
#  or None = the whole command must fail with this fragment)
OK_ROWS = [
    ("ok-plain", f"{HEADER}\n1,35,60,Busan,no\n", [""]),
    ("ok-income-empty-is-imputed", f"{HEADER}\n1,35,,Busan,no\n", [""]),
    ("ok-income-inf-is-imputed", f"{HEADER}\n1,35,inf,Busan,no\n", [""]),
    ("ok-income-1e400-is-imputed", f"{HEADER}\n1,35,1e400,Busan,no\n", [""]),
    ("ok-income-NA-is-imputed", f"{HEADER}\n1,35,NA,Busan,no\n", [""]),
    ("ok-city-empty-is-imputed", f"{HEADER}\n1,35,60,,yes\n", [""]),
    ("ok-city-unseen-is-noted", f"{HEADER}\n1,35,60,Jeju,no\n",
     ["'city' has a value the model never saw: 'Jeju'"]),
    ("ok-smoker-unseen-is-noted", f"{HEADER}\n1,35,60,Busan,sometimes\n",
     ["'smoker' has a value the model never saw: 'sometimes'"]),
    ("ok-city-case-differs-is-noted", f"{HEADER}\n1,35,60,busan,no\n", ["never saw: 'busan'"]),
    ("ok-spaces-around-numbers", f"{HEADER}\n1, 35 , 60 ,Busan,no\n", [""]),
    ("ok-decimal-comma", "id;age;income;city;smoker\n1;35,5;60,25;Busan;no\n2;40,0;1,5;Seoul;"
                         "yes\n", ["", ""]),
    ("ok-columns-reordered-and-extra", "smoker,extra,city,income,age\nno,x,Busan,60,35\n", [""]),
    ("ok-one-bad-row-among-good", f"{HEADER}\n1,35,60,Busan,no\n2,abc,60,Busan,no\n"
                                  "3,,60,Busan,no\n",
     ["", "'age' is not a number: 'abc'", "'age' is empty"]),
    ("ok-text-in-a-number-column-among-numbers", f"{HEADER}\n1,35,60,Busan,no\n"
                                                 "2,35,sixty,Busan,no\n",
     ["", "'income' is not a number: 'sixty'"]),
    ("ok-bom-and-crlf", "\ufeff" + f"{HEADER}\r\n1,35,60,Busan,no\r\n", [""]),
    ("ok-korean-unseen-category", f"{HEADER}\n1,35,60,부산,no\n", ["never saw: '부산'"]),
    ("ok-quoted-fields", f'{HEADER}\n"1","35","60","Busan","no"\n', [""]),
    ("ok-column-named-prediction", f"{HEADER},prediction,reason\n1,35,60,Busan,no,old,mine\n",
     [""]),
]

ERROR_ROWS = [
    ("error-age-text", f"{HEADER}\n1,abc,60,Busan,no\n", "'age' is not a number: 'abc'"),
    ("error-age-empty", f"{HEADER}\n1,,60,Busan,no\n",
     "'age' is empty and the model has no fill-in value for it"),
    ("error-age-inf", f"{HEADER}\n1,inf,60,Busan,no\n", "'age' is infinite ('inf')"),
    ("error-age-minus-inf", f"{HEADER}\n1,-inf,60,Busan,no\n", "'age' is infinite ('-inf')"),
    ("error-age-1e400", f"{HEADER}\n1,1e400,60,Busan,no\n", "'age' is infinite ('1e400')"),
    ("error-age-nan-text", f"{HEADER}\n1,nan,60,Busan,no\n", "'age' is empty"),
    ("error-age-underscore", f"{HEADER}\n1,1_000,60,Busan,no\n",
     "'age' is not a number: '1_000'"),
    ("error-age-hex", f"{HEADER}\n1,0x10,60,Busan,no\n", "'age' is not a number: '0x10'"),
    ("error-age-long-text", f"{HEADER}\n1,{'x' * 5000},60,Busan,no\n",
     "'age' is not a number: '" + "x" * 39 + "…'"),
    ("error-age-tab-and-newline", f'{HEADER}\n1,"a\tb\nc",60,Busan,no\n',
     "'age' is not a number: 'a\\tb\\nc'"),
    ("error-smoker-empty", f"{HEADER}\n1,35,60,Busan,\n", "'smoker' is empty"),
    ("error-two-problems", f"{HEADER}\n1,abc,60,Busan,\n",
     "'age' is not a number: 'abc' (and 1 more)"),
    ("error-all-rows-bad", f"{HEADER}\n1,a,1,Busan,no\n2,b,1,Busan,no\n3,,1,Busan,no\n",
     "None of the 3 rows could be predicted; the first: 'age' is not a number: 'a'"),
    ("error-missing-column", "id,age,income,city\n1,35,60,Busan\n",
     "lacks the column(s) the model was trained on: smoker"),
    ("error-missing-all-columns", "a,b\n1,2\n", "age, income, city, smoker"),
    ("error-empty-file", "", "is empty"),
    ("error-header-only", f"{HEADER}\n", "has column names but no data rows"),
    ("error-binary-file", "\x00\x01\x02PK" * 100, "does not look like a text CSV file"),
]


@pytest.mark.parametrize("case_id, content, expected", OK_ROWS, ids=[c[0] for c in OK_ROWS])
def test_predict_inputs_that_work(model_dir, tmp_path, capsys, case_id, content, expected):
    data = tmp_path / "new.csv"
    data.write_bytes(content.encode("utf-8"))
    code, _out, err = _run(capsys, "predict", "--model", str(model_dir), str(data),
                           "-o", str(tmp_path / "p.csv"))
    assert code == 0, err
    table = list(csv.DictReader(io.StringIO((tmp_path / "p.csv").read_text("utf-8-sig"))))
    reason = "reason_2" if "reason_2" in table[0] else "reason"
    prediction = "prediction_2" if "prediction_2" in table[0] else "prediction"
    assert len(table) == len(expected)
    for row, want in zip(table, expected):
        assert want in row[reason] and (want == "") == (row[reason] == "")
        predicted = row[prediction] in ("low", "mid", "high")
        assert predicted == ("never saw" in want or want == "")
    failed = sum(1 for w in expected if w and "never saw" not in w)
    assert (f"{failed} of {len(expected)} rows could not be predicted" in err) == bool(failed)


@pytest.mark.parametrize("case_id, content, fragment", ERROR_ROWS,
                         ids=[c[0] for c in ERROR_ROWS])
def test_predict_inputs_refused(model_dir, tmp_path, capsys, case_id, content, fragment):
    data = tmp_path / "new.csv"
    data.write_bytes(content.encode("utf-8"))
    code, _out, err = _run(capsys, "predict", "--model", str(model_dir), str(data),
                           "-o", str(tmp_path / "p.csv"))
    lines = err.strip().splitlines()
    assert code == 2 and len(lines) == 1 and lines[0].startswith("error:"), err
    assert fragment in lines[0]
    assert not (tmp_path / "p.csv").exists()


def _same(data, model):
    return data


def _symlink_to_data(data, model):
    os.symlink(data, data.parent / "link.csv")
    return data.parent / "link.csv"


def _hardlink_to_data(data, model):
    os.link(data, data.parent / "hard.csv")
    return data.parent / "hard.csv"


def _relative_data(data, model):
    return os.path.relpath(data)


OUTPUT_CASES = [
    ("error-output-is-the-data", _same, "it is the data file being predicted"),
    ("error-output-relative-path-to-the-data", _relative_data, "the data file being predicted"),
    ("error-output-symlink-to-the-data", _symlink_to_data, "the data file being predicted"),
    ("error-output-hard-link-to-the-data", _hardlink_to_data, "the data file being predicted"),
    ("error-output-model-keras", lambda d, m: m / "model.keras",
     "it is model.keras of the model folder"),
    ("error-output-preprocessing", lambda d, m: m / "preprocessing.json",
     "it is preprocessing.json of the model folder"),
    ("error-output-history", lambda d, m: m / "history.csv", "history.csv of the model folder"),
    ("error-output-metrics-not-there-yet", lambda d, m: m / "metrics.json",
     "metrics.json of the model folder"),
    ("error-output-is-a-folder", lambda d, m: d.parent, "is a folder"),
]


@pytest.mark.parametrize("case_id, target, fragment", OUTPUT_CASES,
                         ids=[c[0] for c in OUTPUT_CASES])
def test_predict_never_writes_over_its_inputs(model_dir, tmp_path, capsys, monkeypatch,
                                              case_id, target, fragment):
    model = tmp_path / "model"
    shutil.copytree(model_dir, model)
    data = tmp_path / "data" / "new.csv"
    data.parent.mkdir()
    data.write_text(f"{HEADER}\n007,35,60,Busan,no\n")
    monkeypatch.chdir(tmp_path)
    before = {p: p.read_bytes() for p in [data, *model.iterdir()]}
    code, _out, err = _run(capsys, "predict", "--model", str(model), str(data),
                           "-o", str(target(data, model)))
    assert code == 2 and err.startswith("error:") and fragment in err, err
    assert {p: p.read_bytes() for p in before} == before


def test_ok_ids_and_text_are_written_back_as_they_were(model_dir, tmp_path, capsys):
    data = tmp_path / "new.csv"
    data.write_text(f"{HEADER},note\n007,35.50,60,Busan,no,1e3\n0012,35,,Seoul,yes,\n")
    code, out, err = _run(capsys, "predict", "--model", str(model_dir), str(data))
    assert code == 0, err
    rows = list(csv.reader(io.StringIO(out)))
    assert [r[:6] for r in rows] == list(csv.reader(io.StringIO(data.read_text())))


def test_error_model_folder_missing(tmp_path, capsys):
    data = tmp_path / "new.csv"
    data.write_text(f"{HEADER}\n1,35,60,Busan,no\n")
    code, _out, err = _run(capsys, "predict", "--model", str(tmp_path / "none"), str(data))
    assert code == 2 and "does not exist" in err


def test_error_tampered_preprocessing_in_a_model_folder(model_dir, tmp_path, capsys):
    model = tmp_path / "model"
    shutil.copytree(model_dir, model)
    doc = copy.deepcopy(valid_doc())
    doc["steps"][0]["std"] = 0
    (model / "preprocessing.json").write_text(json.dumps(doc))
    data = tmp_path / "new.csv"
    data.write_text(f"{HEADER}\n1,35,60,Busan,no\n")
    code, _out, err = _run(capsys, "predict", "--model", str(model), str(data))
    assert code == 2 and "at steps[0].std the studio expected a number above 0" in err
