"""Property-based tests: random designs and settings, random and damaged project and lesson
files. Few, tiny examples (the suite stays fast); each either works or fails with a message.
"""

from __future__ import annotations

import copy
import io
import json
import math
import os
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from studio.core import doctor
from studio.core.design import INITIALIZERS, Design, Layer, with_input_width
from studio.core.errors import StudioError
from studio.core.project import Project, new_project
from studio.core.settings import LOSSES, OPTIMIZERS

FEW = settings(max_examples=int(os.environ.get("HARDENING_EXAMPLES", "25")), deadline=None,
               derandomize=not os.environ.get("HARDENING_EXAMPLES"),
               suppress_health_check=[HealthCheck.function_scoped_fixture,
                                      HealthCheck.too_slow])


@pytest.fixture(scope="module")
def iris():
    proj = new_project("sample:iris", "species")
    return proj, proj.load_data()


@pytest.fixture(scope="module")
def iris_lesson(iris, tmp_path_factory) -> bytes:
    from studio.core.lesson import save_lesson

    path = tmp_path_factory.mktemp("lesson") / "iris.nslesson"
    save_lesson(path, iris[0], iris[1], notes="Look at the petals.")
    return path.read_bytes()


# -- designs and settings ---------------------------------------------------------------------
# Mostly sensible values with some wrong ones, so that both outcomes are reached.
def mostly(good: list, bad: list):
    """A good value nine times in ten."""
    return st.integers(1, 10).flatmap(
        lambda i: st.sampled_from(bad) if i == 7 else st.sampled_from(good))


layers = st.one_of(
    st.builds(lambda u, a, i, l2: Layer.dense(u, a, initializer=i, l2=l2),
              mostly([1, 3, 8, 16], [0, -2, 10 ** 9]),
              mostly(["relu", "tanh", "elu", "selu", "gelu", "swish", "leaky_relu", "linear",
                      "sigmoid"], ["bogus", "softmax"]),
              mostly(list(INITIALIZERS), ["nope"]),
              mostly([0.0, 0.01], [-0.5])),
    st.builds(Layer.dropout, mostly([0.0, 0.2, 0.5], [0.99, 1.0, 1.5, -0.1])),
    st.builds(Layer.batchnorm),
)
designs = st.builds(
    lambda hidden, output, with_input: Design(
        ([Layer.input(4)] if with_input else []) + hidden + [output]),
    st.lists(layers, max_size=4),
    mostly([Layer.dense(3, "softmax")],
           [Layer.dense(1, "sigmoid"), Layer.dense(2, "softmax"), Layer.dense(3, "relu"),
            Layer.dense(0, "softmax"), Layer.dropout(0.1)]),
    mostly([True], [False]),
)


@FEW
@given(design=designs, optimizer=mostly(list(OPTIMIZERS), ["bogus"]),
       loss=mostly(["sparse_categorical_crossentropy", "categorical_crossentropy"],
                   [x for x in LOSSES if "categorical" not in x] + ["bogus"]),
       lr=mostly([0.001, 0.01, 0.1], [0.0, -1.0, 50.0, math.nan]),
       batch=mostly([1, 16, 32], [0, -4]), epochs=mostly([1, 5], [0, -1]),
       metrics=mostly([["accuracy"], [], ["accuracy", "auc"]], [["mae"], ["bogus"]]))
def test_random_design_is_refused_with_a_message_or_builds_with_the_inferred_size(
        iris, design, optimizer, loss, lr, batch, epochs, metrics):
    from studio.core.build import build_model, keras_param_count

    proj = copy.deepcopy(iris[0])
    proj.design = design
    proj.compile.optimizer, proj.compile.loss = optimizer, loss
    proj.compile.learning_rate, proj.compile.metrics = lr, metrics
    proj.training.batch_size, proj.training.epochs = batch, epochs
    findings = doctor.diagnose(proj, iris[1])
    assert all(f.title and f.severity in ("error", "warning", "info") for f in findings)
    if doctor.has_errors(findings):
        assert all(f.explanation and f.fix for f in findings if f.severity == "error")
        return
    task = proj.task_info(iris[1]).task
    built = with_input_width(proj.design, 4)
    model = build_model(built, proj.compile, task)
    assert keras_param_count(model) == built.param_count().to_dict()


# -- project files ----------------------------------------------------------------------------
json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(-10, 10 ** 20), st.text(max_size=6),
              st.sampled_from([math.inf, -math.inf, math.nan, 0.5, 1e308])),
    lambda children: st.one_of(st.lists(children, max_size=3),
                               st.dictionaries(st.text(max_size=5), children, max_size=3)),
    max_leaves=8,
)


def _paths(doc, prefix=()):
    """Every (path) to a value in a nested project document."""
    out = [prefix] if prefix else []
    if isinstance(doc, dict):
        for k, v in doc.items():
            out += _paths(v, prefix + (k,))
    elif isinstance(doc, list):
        for i, v in enumerate(doc):
            out += _paths(v, prefix + (i,))
    return out


def _load_or_refuse(text: str, tmp_path, dataset=None) -> None:
    path = tmp_path / "project.json"
    path.write_text(text, encoding="utf-8")
    try:
        proj = Project.load(path)
    except StudioError as exc:
        assert str(exc).strip()
        return
    # what loads must not break the doctor, the code view or saving
    proj.path = None
    if dataset is not None:
        from studio.core.train import prepare_project

        try:
            if not doctor.has_errors(doctor.diagnose(proj, dataset)):
                prepare_project(proj, dataset)          # what training does first
        except StudioError as exc:
            assert str(exc).strip()
    proj.save(tmp_path / "again.json")
    Project.load(tmp_path / "again.json")


@FEW
@given(data=st.data())
def test_damaged_project_loads_or_gives_a_studio_error(iris, tmp_path_factory, data):
    doc = iris[0].to_dict()
    paths = _paths(doc)
    for _ in range(data.draw(st.integers(1, 3))):
        where = data.draw(st.sampled_from(paths))
        parent = doc
        try:
            for key in where[:-1]:
                parent = parent[key]
            if data.draw(st.booleans()) and isinstance(parent, dict):
                parent.pop(where[-1], None)
            else:
                parent[where[-1]] = data.draw(json_values)
        except (KeyError, IndexError, TypeError):
            continue
    text = json.dumps(doc, allow_nan=True)
    _load_or_refuse(text, tmp_path_factory.mktemp("p"), iris[1])


ODD_VALUES = [None, math.nan, math.inf, -1, 10 ** 30, "text", [], {}, True]


def test_every_field_of_a_project_with_an_odd_value(iris, tmp_path):
    """Each value of a project file in turn replaced by NaN, infinity, a huge number, text, a
    list, an object...: it loads (and the doctor runs) or it is refused with a message."""
    doc = iris[0].to_dict()
    tried, problems = 0, []
    for where in _paths(doc):
        for value in ODD_VALUES:
            damaged = copy.deepcopy(doc)
            parent = damaged
            for key in where[:-1]:
                parent = parent[key]
            parent[where[-1]] = value
            tried += 1
            try:
                _load_or_refuse(json.dumps(damaged), tmp_path, iris[1])
            except Exception as exc:       # collected, reported below
                problems.append(f"{'/'.join(map(str, where))} = {value!r}: "
                                f"{type(exc).__name__}: {exc}")
    assert tried > 300
    assert not problems, "\n".join(problems[:20])


@FEW
@given(cut=st.floats(0, 1), junk=st.binary(max_size=8))
def test_truncated_project_file_gives_a_studio_error(iris, tmp_path_factory, cut, junk):
    text = json.dumps(iris[0].to_dict(), indent=2)
    damaged = text[:int(len(text) * cut)] + junk.decode("latin-1")
    _load_or_refuse(damaged, tmp_path_factory.mktemp("p"), iris[1])


# -- lesson files -----------------------------------------------------------------------------
def _open_or_refuse(data: bytes, folder) -> None:
    from studio.core.lesson import open_lesson

    path = folder / "damaged.nslesson"
    path.write_bytes(data)
    try:
        lesson = open_lesson(path, dest=folder / "unpacked")
    except StudioError as exc:
        assert str(exc).strip()
        return
    assert lesson.project is not None and lesson.dataset is not None


@FEW
@given(cut=st.floats(0, 1), flips=st.lists(st.tuples(st.floats(0, 1), st.integers(0, 255)),
                                          max_size=4))
def test_truncated_or_corrupted_lesson_gives_a_studio_error(iris_lesson, tmp_path_factory, cut,
                                                            flips):
    data = bytearray(iris_lesson[:max(0, int(len(iris_lesson) * cut))] if cut < 1
                     else iris_lesson)
    for where, value in flips:
        if data:
            data[int(where * (len(data) - 1))] = value
    _open_or_refuse(bytes(data), tmp_path_factory.mktemp("l"))


@FEW
@given(entry=st.sampled_from(["lesson.json", "project.json", "data.csv"]),
       content=st.one_of(st.binary(max_size=40), json_values.map(json.dumps)))
def test_lesson_with_a_replaced_entry_gives_a_studio_error(iris_lesson, tmp_path_factory,
                                                           entry, content):
    src = zipfile.ZipFile(io.BytesIO(iris_lesson))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as out:
        for info in src.infolist():
            out.writestr(info.filename, content if info.filename == entry
                         else src.read(info.filename))
    _open_or_refuse(buf.getvalue(), tmp_path_factory.mktemp("l"))
