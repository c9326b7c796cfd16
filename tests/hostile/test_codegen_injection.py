"""Crafted projects against the code exporter: no value from a project file may become code.

Each case puts a payload into one field of a project (as a project file would) and exports it.
``ok-`` cases must export a script whose syntax tree has exactly the clean export's imports,
names and calls (the payload is only ever a string constant or a comment); ``error-`` cases
must be refused with a specific message before anything is written.
"""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys

import pytest

from studio.core import codegen
from studio.core.codegen.literals import _lit
from studio.core.data import load
from studio.core.errors import StudioError
from studio.core.project import Project, new_project

PAYLOADS = [
    'x"); import os; os.system("echo pwned") #',
    "x'''\nimport os\nos.system('echo pwned')\n'''",
    'x"""\nimport os\nos.system("echo pwned")\n"""',
    "x\nimport os  # newline in a name",
    "x\u2028import os",
    "x\u2029import os",
    "x\x85import os",
    "x\rimport os",
    "C:\\New\\Users\\",
    "\\",
    "{__import__('os').system('echo pwned')}",
    "\ud800 lone surrogate",
    "#",
    "x\x00y",
]


@pytest.fixture(scope="module")
def iris():
    return load("sample:iris")


@pytest.fixture(scope="module")
def clean_doc(iris):
    return new_project("sample:iris", "species", dataset=iris).to_dict()


def _shape(code: str) -> tuple[set[str], set[str], set[str]]:
    """(imported modules, names used, attribute names) of a script."""
    tree = ast.parse(code)
    imports, names, attrs = set(), set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imports |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            imports |= {f"{node.module}.{a.name}" for a in node.names}
        elif isinstance(node, ast.Name):
            names.add(node.id)
        elif isinstance(node, ast.Attribute):
            attrs.add(node.attr)
    return imports, names, attrs


def _export(doc, iris, tmp_path, fmt="py"):
    project = Project.from_dict(json.loads(json.dumps(doc)), path=tmp_path / "p.json")
    return codegen.script(project, iris) if fmt == "py" else codegen.notebook(project, iris)


def _mutations():
    """(id, function(doc) -> doc, expected error fragment or None)."""
    cases = []
    for i, payload in enumerate(PAYLOADS):
        cases.append((f"ok-name-{i}", lambda d, v=payload: d.update(name=v), None))
    for field in ("activation", "initializer"):
        for i, payload in enumerate(PAYLOADS[:4]):
            cases.append((f"error-layer-{field}-{i}",
                          lambda d, f=field, v=payload: d["design"][1].update({f: v}),
                          f"design[1].{field}"))
    cases += [
        ("error-activation-callable", lambda d: d["design"][1].update(activation="os.system"),
         "design[1].activation"),
        ("error-optimizer", lambda d: d["compile"].update(optimizer="__import__('os')"),
         "compile.optimizer"),
        ("error-loss", lambda d: d["compile"].update(loss="mse()); import os #"),
         "compile.loss"),
        ("error-metric", lambda d: d["compile"].update(metrics=["accuracy", "os.system"]),
         "compile.metrics[1]"),
        ("error-monitor", lambda d: d["training"]["early_stopping"].update(
            monitor='val_loss"); import os; ("'), "unknown early-stopping monitor"),
        ("error-sample-name", lambda d: d["data"].update(source="sample:iris\nimport os"),
         "unknown sample"),
        ("error-encoding-codec", lambda d: d["data"].update(read={"encoding": "rot13"}),
         "not a text encoding"),
        ("error-encoding-unknown", lambda d: d["data"].update(read={"encoding": "x');os.('"}),
         "encoding"),
        ("error-fill-nan", lambda d: d["columns"]["sepal_length"].update(
            impute="constant", fill_value=float("nan")), "finite number"),
        ("error-fill-text-in-number", lambda d: d["columns"]["sepal_length"].update(
            impute="constant", fill_value="__import__('os')"), "not a number"),
    ]
    for i, payload in enumerate(PAYLOADS):
        cases.append((f"ok-fill-text-{i}", lambda d, v=payload: d["columns"]["sepal_length"]
                      .update(impute="constant", fill_value=v, encode="onehot"), None))
        cases.append((f"ok-class-weight-key-{i}", lambda d, v=payload: d["training"].update(
            class_weight="manual", manual_class_weights={v: 2.0, "setosa": 1.5}), None))
    return cases


CASES = _mutations()
CASES_BY_ID = {c[0]: c for c in CASES}


@pytest.mark.parametrize("case_id, mutate, fragment", CASES, ids=[c[0] for c in CASES])
def test_crafted_project_never_becomes_code(case_id, mutate, fragment, clean_doc, iris,
                                            tmp_path):
    doc = json.loads(json.dumps(clean_doc))
    mutate(doc)
    if fragment is not None:
        with pytest.raises(StudioError) as exc:
            _export(doc, iris, tmp_path)
        assert fragment in str(exc.value)
        return
    code = _export(doc, iris, tmp_path)
    compile(code, "<export>", "exec")
    # the same project with a harmless word where the payload was: the same code shape
    reference = json.loads(json.dumps(clean_doc))
    mutate_benign = CASES_BY_ID[case_id][1].__defaults__
    CASES_BY_ID[case_id][1](reference, *(["benign"] if mutate_benign else []))
    assert _shape(code) == _shape(_export(reference, iris, tmp_path))
    imports, names, attrs = _shape(code)
    assert "os" not in imports | names and "system" not in attrs and "__import__" not in names
    # every line of the script and of the notebook splits where Python splits it
    assert code.splitlines() == code.split("\n")[:-1] or code.splitlines() == code.split("\n")
    nb = json.loads(_export(doc, iris, tmp_path, fmt="ipynb"))
    joined = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")
    assert _shape(joined) == _shape(code)


def test_nan_and_inf_numbers_are_refused_not_pasted(clean_doc, iris, tmp_path):
    project = Project.from_dict(json.loads(json.dumps(clean_doc)), path=tmp_path / "p.json")
    project.compile.learning_rate = float("nan")
    with pytest.raises(StudioError, match="learning_rate is not a valid number"):
        codegen.script(project, iris)


def test_literals_round_trip_exactly():
    values = PAYLOADS + [1.5, -0.0, 10**30, True, None, float("nan"), float("-inf"),
                         ["a", 1, {"k": "v\n"}]]
    for v in values:
        text = _lit(v)
        assert "\n" not in text and "\u2028" not in text
        back = eval(text, {"__builtins__": {"float": float}})  # literals only
        if isinstance(v, float) and v != v:
            assert back != back
        else:
            assert back == v or (isinstance(v, str) and "\ud800" in v)


def test_awkward_headers_no_header_row_and_relative_data_path(tmp_path):
    """The exported script reads the file as the studio did (blank, repeated and
    space-differing headers, and a file without a header row), from any working directory."""
    folder = tmp_path / "project"
    folder.mkdir()
    rows = [f"1,2,3,4,{i % 2}" if i % 3 else f"2,1,0,5,{i % 2}"
            for i in range(60)]
    (folder / "awkward.csv").write_text(" a ,a,,A ,label\n" + "\n".join(rows) + "\n")
    (folder / "noheader.csv").write_text("\n".join(rows) + "\n")
    from studio.core.data import ReadOptions

    results = {}
    for name, target, options in (("awkward", "label", None),
                                  ("noheader", "column_5", ReadOptions(header=False))):
        ds = load(str(folder / f"{name}.csv"), options)
        project = new_project(str(folder / f"{name}.csv"), target, dataset=ds,
                              read_options=options)
        project.training.epochs = 2
        script = folder / f"{name}.py"
        codegen.export(project, script, dataset=ds)
        assert "HERE / " in script.read_text()
        results[name] = list(ds.frame.columns)
    assert results["awkward"] == ["a", "a.1", "column_3", "A", "label"]
    env = dict(os.environ, MPLBACKEND="Agg", CUDA_VISIBLE_DEVICES="-1", TF_CPP_MIN_LOG_LEVEL="2")
    runner = ("import runpy, sys\n"
              "for s in sys.argv[1:]:\n"
              "    runpy.run_path(s, run_name='__main__')\n")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    r = subprocess.run([sys.executable, "-c", runner, str(folder / "awkward.py"),
                        str(folder / "noheader.py")], capture_output=True, text=True, env=env,
                       cwd=elsewhere, timeout=300, check=False)
    assert r.returncode == 0, r.stderr[-3000:]
    outputs = [json.loads(line) for line in r.stdout.splitlines() if line.startswith('{"params"')]
    assert len(outputs) == 2 and all("accuracy" in o["test_metrics"] for o in outputs)


@pytest.mark.parametrize(("field", "value", "fragment"), [
    ("activation", "os.system", "unknown activation"),
    ("initializer", "__import__('os')", "unknown initializer"),
], ids=["error-memory-activation", "error-memory-initializer"])
def test_codegen_refuses_a_bad_choice_that_got_past_loading(field, value, fragment,
                                                             clean_doc, iris, tmp_path):
    """The schema refuses such files on load; the code generator checks again, for a
    project changed in memory (a bug elsewhere, a plug-in)."""
    project = Project.from_dict(json.loads(json.dumps(clean_doc)), path=tmp_path / "p.json")
    setattr(project.design.layers[1], field, value)
    with pytest.raises(StudioError, match=fragment):
        codegen.script(project, iris)
