"""Damaged and crafted studio documents: project files, lessons, metrics.json and autosaves.

Each case is one file. ``error-`` cases must be refused with a :class:`StudioError` whose one
sentence names the place that is wrong (the fragments listed); ``ok-`` cases must load, and
what loads must save, load again unchanged and pass through the design doctor. Never another
exception type: a ``KeyError`` or ``RecursionError`` here is the bug this file guards against.
"""

from __future__ import annotations

import copy
import json
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from studio.core import autosave, doctor, jsondoc
from studio.core.errors import StudioError
from studio.core.lesson import open_lesson, read_metrics, save_lesson
from studio.core.project import Project, new_project
from studio.core.runs import RunRecord

DEEP = "[" * 200 + "]" * 200


@pytest.fixture(scope="module")
def iris():
    proj = new_project("sample:iris", "species")
    return proj, proj.load_data()


def _run(doc: dict[str, Any]) -> dict[str, Any]:
    """A run record as the studio writes it, without training."""
    return {"id": "abc123", "started_at": "2024-03-01T09:00:00+00:00",
            "design": copy.deepcopy(doc["design"]), "compile": copy.deepcopy(doc["compile"]),
            "training": copy.deepcopy(doc["training"]), "split": copy.deepcopy(doc["split"]),
            "history": {"loss": [1.2, 0.8], "val_loss": [1.3, 0.9]},
            "metrics": {"accuracy": 0.9}, "per_class": {"setosa": {"precision": 1.0}},
            "best_epoch": 2, "epochs_run": 2, "seconds": 1.5, "device": "CPU",
            "params": {"total": 739}, "stopped_reason": "completed", "note": ""}


@pytest.fixture(scope="module")
def base_doc(iris) -> dict[str, Any]:
    doc = iris[0].to_dict()
    doc["runs"] = [_run(doc)]
    return doc


# -- building cases ---------------------------------------------------------------------------
def put(path: str, value: Any) -> Callable[[dict], None]:
    """Set the value at a dotted path (``design.1.units``) of the document."""
    def change(doc: dict) -> None:
        *parents, last = path.split(".")
        node: Any = doc
        for key in parents:
            node = node[int(key)] if isinstance(node, list) else node[key]
        node[int(last) if isinstance(node, list) else last] = value
    return change


def drop(path: str) -> Callable[[dict], None]:
    def change(doc: dict) -> None:
        *parents, last = path.split(".")
        node: Any = doc
        for key in parents:
            node = node[int(key)] if isinstance(node, list) else node[key]
        del node[last]
    return change


def both(*changes: Callable[[dict], None]) -> Callable[[dict], None]:
    def change(doc: dict) -> None:
        for c in changes:
            c(doc)
    return change


def raw(text: str) -> Callable[[dict], str]:
    """The file's whole text instead of a document (``{doc}`` stands for the valid one)."""
    return lambda doc: text.replace("{doc}", json.dumps(doc)) if "{doc}" in text else text


def text_with(path: str, literal: str) -> Callable[[dict], str]:
    """The valid document with the value at ``path`` written as ``literal`` (NaN, 1e400)."""
    def change(doc: dict) -> str:
        put(path, "@@HERE@@")(doc)
        return json.dumps(doc).replace('"@@HERE@@"', literal)
    return change


U = "design[1].units"
WHOLE = "a whole number"

#: (id, change, fragments the message must contain; None for ok- cases)
PROJECT_CASES: list[tuple[str, Callable, tuple[str, ...] | None]] = [
    # files that are not projects at all
    ("error-not-json", raw("{not json"), ("not valid JSON", "line 1")),
    ("error-empty-file", raw(""), ("not valid JSON",)),
    ("error-top-level-list", raw("[1, 2, 3]"), ("not a NetSketch Studio project",)),
    ("error-top-level-text", raw('"netsketch-project"'), ("not a NetSketch Studio project",)),
    ("error-trailing-junk", raw("{doc} trailing"), ("not valid JSON",)),
    ("error-format-missing", drop("format"), ("not a NetSketch Studio project",)),
    ("error-format-other", put("format", "netsketch-lesson"),
     ("not a NetSketch Studio project",)),
    ("error-version-missing", drop("version"), ("no valid version number",)),
    ("error-version-text", put("version", "2"), ("no valid version number",)),
    ("error-version-true", put("version", True), ("no valid version number",)),
    ("error-version-fraction", put("version", 1.5), ("no valid version number",)),
    ("error-version-zero", put("version", 0), ("at version", "at least 1")),
    ("error-version-negative", put("version", -3), ("at version", "at least 1")),
    ("error-version-newer", put("version", 99), ("newer NetSketch Studio", "99")),
    ("error-version-huge", put("version", 10 ** 40), ("newer NetSketch Studio",)),
    # data, target, task
    ("error-data-missing", drop("data"), ("a field data",)),
    ("error-data-list", put("data", ["iris.csv"]), ("at data ", "an object")),
    ("error-source-missing", drop("data.source"), ("at data ", "a field source")),
    ("error-source-number", put("data.source", 7), ("data.source", "text")),
    ("error-source-empty", put("data.source", ""), ("data.source", "at least 1 characters")),
    ("error-read-list", put("data.read", [",", "."]), ("data.read", "an object or null")),
    ("error-read-sep-number", put("data.read.sep", 44), ("data.read.sep", "text or null")),
    ("error-read-header-text", put("data.read.header", "yes"),
     ("data.read.header", "true or false")),
    ("error-target-missing", drop("target"), ("a field target",)),
    ("error-target-empty", put("target", ""), ("at target", "at least 1 characters")),
    ("error-target-number", put("target", 3), ("at target", "text")),
    ("error-task-unknown", put("task", "clustering"), ("at task", '"regression"')),
    ("error-name-number", put("name", 12), ("at name", "text")),
    # the design
    ("error-design-missing", drop("design"), ("a field design",)),
    ("error-design-empty", put("design", []), ("at design ", "at least 1 entries")),
    ("error-design-object", put("design", {"kind": "input"}), ("at design ", "a list")),
    ("error-design-too-many-layers", put("design", [{"kind": "batchnorm"}] * 1001),
     ("at design ", "at most 1000 entries")),
    ("error-layer-not-object", put("design.1", "dense"), ("design[1]", "an object")),
    ("error-layer-null", put("design.1", None), ("design[1]", "an object")),
    ("error-layer-kind-missing", drop("design.2.kind"), ("design[2]", "a field kind")),
    ("error-layer-kind-unknown", put("design.1.kind", "conv2d"),
     ("design[1].kind", '"dense"')),
    ("error-units-negative", put("design.1.units", -32), (U, "at least 0")),
    ("error-units-text", put("design.1.units", "32"), (U, WHOLE)),
    ("error-units-fraction", put("design.1.units", 2.5), (U, WHOLE)),
    ("error-units-null", put("design.1.units", None), (U, WHOLE)),
    ("error-units-true", put("design.1.units", True), (U, WHOLE)),
    ("error-units-list", put("design.1.units", [32]), (U, WHOLE)),
    ("error-units-huge", put("design.1.units", 10 ** 7), (U, "at most 1000000")),
    ("error-units-400-digits", put("design.1.units", 10 ** 400), (U, "at most")),
    ("error-units-overflow", text_with("design.1.units", "1e400"), (U, WHOLE)),
    ("error-input-units-negative", put("design.0.units", -1), ("design[0].units",)),
    ("error-dense-without-units", drop("design.1.units"), ("design[1]", "a field units")),
    ("error-activation-unknown", put("design.1.activation", "os.system"),
     ("design[1].activation", '"relu"')),
    ("error-activation-number", put("design.1.activation", 1), ("design[1].activation",)),
    ("error-activation-upper-case", put("design.1.activation", "RELU"),
     ("design[1].activation",)),
    ("error-initializer-unknown", put("design.1.initializer", "ones"),
     ("design[1].initializer",)),
    ("error-l2-negative", put("design.1.l2", -0.01), ("design[1].l2", "at least 0")),
    ("error-l1-text", put("design.1.l1", "0.01"), ("design[1].l1", "a number")),
    ("error-l2-overflow", text_with("design.1.l2", "1e400"),
     ("design[1].l2", "a finite number")),
    ("error-l2-400-digits", put("design.1.l2", 10 ** 400), ("design[1].l2", "a finite number")),
    ("error-rate-negative", put("design.2.rate", -0.2), ("design[2].rate", "at least 0")),
    ("error-rate-above-one", put("design.2.rate", 1.5), ("design[2].rate", "at most 1")),
    ("error-nan-literal", text_with("design.2.rate", "NaN"), ("NaN",)),
    ("error-infinity-literal", text_with("compile.learning_rate", "Infinity"),
     ("Infinity",)),
    ("error-minus-infinity-literal", text_with("design.1.l2", "-Infinity"), ("-Infinity",)),
    # columns
    ("error-columns-list", put("columns", ["sepal_length"]), ("at columns", "an object")),
    ("error-column-not-object", put("columns.sepal_length", "feature"),
     ("columns.sepal_length", "an object")),
    ("error-column-role-unknown", put("columns.sepal_length.role", "label"),
     ("columns.sepal_length.role", '"feature"')),
    ("error-column-impute-unknown", put("columns.sepal_length.impute", "zero"),
     ("columns.sepal_length.impute",)),
    ("error-column-scale-unknown", put("columns.sepal_length.scale", "log"),
     ("columns.sepal_length.scale",)),
    ("error-column-encode-unknown", put("columns.species.encode", "hash"),
     ("columns.species.encode",)),
    ("error-column-fill-list", put("columns.sepal_length.fill_value", [0]),
     ("columns.sepal_length.fill_value",)),
    # split
    ("error-split-list", put("split", [0.7, 0.15, 0.15]), ("at split", "an object")),
    ("error-split-text-ratio", put("split.train", "0.7"), ("split.train", "a number")),
    ("error-split-negative", put("split.test", -0.15), ("split.test", "at least 0")),
    ("error-split-above-one", put("split.train", 70), ("split.train", "at most 1")),
    ("error-split-seed-negative", put("split.seed", -1), ("split.seed", "at least 0")),
    ("error-split-seed-too-big", put("split.seed", 2 ** 32), ("split.seed", "at most")),
    ("error-split-stratify-text", put("split.stratify", "yes"),
     ("split.stratify", "true or false")),
    # compile
    ("error-compile-list", put("compile", ["adam"]), ("at compile", "an object")),
    ("error-optimizer-unknown", put("compile.optimizer", "lbfgs"),
     ("compile.optimizer", '"adam"')),
    ("error-lr-zero", put("compile.learning_rate", 0), ("compile.learning_rate", "above 0")),
    ("error-lr-negative", put("compile.learning_rate", -0.01),
     ("compile.learning_rate", "above 0")),
    ("error-lr-text", put("compile.learning_rate", "fast"),
     ("compile.learning_rate", "a number")),
    ("error-lr-huge", put("compile.learning_rate", 1e300),
     ("compile.learning_rate", "at most 10")),
    ("error-momentum-one", put("compile.momentum", 1.0), ("compile.momentum", "below 1")),
    ("error-loss-unknown", put("compile.loss", "hinge"), ("compile.loss", '"mse"')),
    ("error-metrics-text", put("compile.metrics", "accuracy"), ("compile.metrics", "a list")),
    ("error-metric-unknown", put("compile.metrics", ["accuracy", "__import__"]),
     ("compile.metrics[1]",)),
    # training
    ("error-training-list", put("training", [100, 32]), ("at training", "an object")),
    ("error-epochs-zero", put("training.epochs", 0), ("training.epochs", "at least 1")),
    ("error-epochs-fraction", put("training.epochs", 10.5), ("training.epochs", WHOLE)),
    ("error-epochs-huge", put("training.epochs", 10 ** 9), ("training.epochs", "at most")),
    ("error-batch-zero", put("training.batch_size", 0), ("training.batch_size", "at least 1")),
    ("error-batch-negative", put("training.batch_size", -16), ("training.batch_size",)),
    ("error-batch-huge", put("training.batch_size", 10 ** 30),
     ("training.batch_size", "at most")),
    ("error-early-stopping-list", put("training.early_stopping", []),
     ("training.early_stopping", "an object")),
    ("error-es-patience-zero", put("training.early_stopping.patience", 0),
     ("training.early_stopping.patience", "at least 1")),
    ("error-es-enabled-text", put("training.early_stopping.enabled", "no"),
     ("training.early_stopping.enabled", "true or false")),
    ("error-schedule-kind-unknown", put("training.schedule.kind", "cosine"),
     ("training.schedule.kind",)),
    ("error-schedule-factor-one", put("training.schedule.factor", 1),
     ("training.schedule.factor", "below 1")),
    ("error-class-weight-unknown", put("training.class_weight", "auto"),
     ("training.class_weight",)),
    ("error-manual-weights-negative", put("training.manual_class_weights", {"setosa": -2}),
     ("training.manual_class_weights.setosa", "at least 0")),
    ("error-device-unknown", put("training.device", "tpu"), ("training.device", '"cpu"')),
    ("error-resample-unknown", put("training.resample", "adasyn"), ("training.resample",)),
    ("error-training-seed-text", put("training.seed", "42"), ("training.seed", WHOLE)),
    # the run history
    ("error-runs-object", put("runs", {"0": {}}), ("at runs", "a list")),
    ("error-run-not-object", put("runs.0", "run"), ("runs[0]", "an object")),
    ("error-run-history-list", put("runs.0.history", [1.2, 0.8]),
     ("runs[0].history", "an object")),
    ("error-run-history-text", put("runs.0.history.loss", ["1.2"]),
     ("runs[0].history.loss[0]", "a number or null")),
    ("error-run-metric-text", put("runs.0.metrics.accuracy", "90%"),
     ("runs[0].metrics.accuracy",)),
    ("error-run-design-kind", put("runs.0.design", [{"kind": "lambda"}]),
     ("runs[0].design[0].kind",)),
    ("error-run-compile-optimizer", put("runs.0.compile.optimizer", "os.system"),
     ("runs[0].compile.optimizer",)),
    ("error-run-best-epoch-negative", put("runs.0.best_epoch", -1),
     ("runs[0].best_epoch", "at least 0")),
    ("error-run-params-fraction", put("runs.0.params.total", 7.5),
     ("runs[0].params.total", WHOLE)),
    ("error-run-seconds-overflow", text_with("runs.0.seconds", "1e999"),
     ("runs[0].seconds", "a finite number")),
    # limits
    ("error-deep-nesting", raw('{"format": "netsketch-project", "version": 2, "name": '
                               + DEEP + "}"), ("nested more than",)),
    ("error-nested-lists-for-a-name", put("name", json.loads("[" * 60 + "]" * 60)),
     ("at name", "text")),
    ("error-deep-inside-a-layer", put("design.1.units", json.loads("[" * 70 + "]" * 70)),
     ("nested more than",)),
    # what must load
    ("ok-as-saved", lambda doc: None, None),
    ("ok-version-1-without-runs", both(put("version", 1), drop("runs"),
                                       drop("training.resample")), None),
    ("ok-unknown-fields-ignored", both(put("future", {"a": [1, 2]}),
                                       put("design.1.future", True)), None),
    ("ok-task-set", put("task", "multiclass"), None),
    ("ok-read-null", put("data.read", None), None),
    ("ok-read-fields-given", put("data.read", {"encoding": "utf-8", "sep": ",",
                                               "decimal": ".", "header": True}), None),
    ("ok-no-optional-sections", both(drop("columns"), drop("split"), drop("compile"),
                                     drop("training"), drop("runs"), drop("name"),
                                     drop("task")), None),
    ("ok-whole-number-as-float", put("design.1.units", 32.0), None),
    ("ok-zero-units-left-to-the-doctor", put("design.1.units", 0), None),
    ("ok-dropout-one-left-to-the-doctor", put("design.2.rate", 1), None),
    ("ok-odd-layer-order-left-to-the-doctor", put("design.0", {"kind": "batchnorm"}), None),
    ("ok-activation-none", put("design.1.activation", "none"), None),
    ("ok-run-with-null-loss", put("runs.0.history.val_loss", [None, 0.9]), None),
    ("ok-run-with-null-metric", put("runs.0.metrics.accuracy", None), None),
    ("ok-hangul-name-and-note", both(put("name", "붓꽃 분류"), put("runs.0.note", "첫 실험")),
     None),
    ("ok-utf8-bom", lambda doc: "\ufeff" + json.dumps(doc), None),
    ("ok-big-but-whole-exponent", put("runs.0.seconds", 1e300), None),
]


def _write(tmp_path: Path, doc: dict, change: Callable) -> Path:
    doc = copy.deepcopy(doc)
    out = change(doc)
    path = tmp_path / "project.json"
    path.write_text(out if isinstance(out, str) else json.dumps(doc), encoding="utf-8")
    return path


def _assert_refused(exc: StudioError, fragments: tuple[str, ...]) -> None:
    message = str(exc)
    assert message.strip() and "\n" not in message.strip() and "Traceback" not in message
    for fragment in fragments:
        assert fragment in message, f"{fragment!r} not in {message!r}"


def _assert_usable(proj: Project, tmp_path: Path, dataset) -> None:
    """What loads saves, loads again unchanged, and goes through the doctor."""
    proj.path = None
    again = Project.load(proj.save(tmp_path / "again.json"))
    assert json.dumps(again.to_dict(), sort_keys=True, default=str) == \
        json.dumps(proj.to_dict(), sort_keys=True, default=str)
    doctor.diagnose(again, dataset)


@pytest.mark.parametrize("change, fragments", [c[1:] for c in PROJECT_CASES],
                         ids=[c[0] for c in PROJECT_CASES])
def test_project_file(base_doc, iris, tmp_path, change, fragments):
    path = _write(tmp_path, base_doc, change)
    if fragments is None:
        _assert_usable(Project.load(path), tmp_path, iris[1])
        return
    with pytest.raises(StudioError) as info:
        Project.load(path)
    _assert_refused(info.value, fragments)
    if "damaged" in str(info.value):
        assert "The project file project.json is damaged" in str(info.value)


@pytest.mark.parametrize("kind", ["error-huge-file", "error-not-utf8", "error-a-folder",
                                  "error-missing"])
def test_project_file_on_disk(tmp_path, kind):
    path = tmp_path / "p.json"
    if kind == "error-huge-file":          # sparse: the size is refused before reading
        with path.open("wb") as fh:
            fh.truncate(jsondoc.MAX_BYTES + 1)
        fragment = "MB"
    elif kind == "error-not-utf8":
        path.write_bytes(b'{"format": "netsketch-project", "name": "\xff\xfe"}')
        fragment = "not UTF-8"
    elif kind == "error-a-folder":
        path.mkdir()
        fragment = "not a regular file"
    else:
        fragment = "does not exist"
    with pytest.raises(StudioError) as info:
        Project.load(path)
    _assert_refused(info.value, (fragment,))


def test_every_project_the_studio_writes_loads_again(iris, tmp_path):
    """Round trips: new projects for every bundled sample, with a NaN in a run."""
    from studio.core.data import list_samples

    for sample in list_samples():
        proj = new_project(sample.source, sample.target)
        doc = proj.to_dict()
        run = _run(doc)
        run["history"]["val_loss"] = [float("nan"), 0.5]      # a run whose loss exploded
        proj.runs = [RunRecord.from_dict(run)]
        path = proj.save(tmp_path / f"{sample.name}.json")
        text = path.read_text("utf-8")
        assert "NaN" not in text                               # JSON has no NaN
        again = Project.load(path)
        assert again.design.to_list() == proj.design.to_list()
        assert again.runs[0].history["val_loss"][1] == 0.5
        assert again.runs[0].history["val_loss"][0] != again.runs[0].history["val_loss"][0]


# -- lessons ----------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def lesson_bytes(iris, tmp_path_factory) -> bytes:
    path = tmp_path_factory.mktemp("lesson") / "iris.nslesson"
    save_lesson(path, iris[0], iris[1], notes="Look at the petals.")
    return path.read_bytes()


def _replace_entry(data: bytes, path: Path, entry: str, content: bytes | None) -> Path:
    import io

    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(path, "w") as out:
        for info in src.infolist():
            if info.filename != entry:
                out.writestr(info, src.read(info))
        if content is not None:
            out.writestr(entry, content)
    return path


MANIFEST = {"format": "netsketch-lesson", "version": 1, "name": "iris", "has_model": False}

#: (id, entry, new content (None: removed), fragments or None)
LESSON_CASES = [
    ("error-lesson-manifest-missing", "lesson.json", None, ("no lesson.json",)),
    ("error-lesson-manifest-not-json", "lesson.json", b"{format", ("lesson.json",
                                                                   "not valid JSON")),
    ("error-lesson-manifest-list", "lesson.json", b"[]", ("not a NetSketch lesson",)),
    ("error-lesson-format-other", "lesson.json",
     json.dumps({**MANIFEST, "format": "netsketch-project"}).encode(),
     ("not a NetSketch lesson",)),
    ("error-lesson-version-text", "lesson.json",
     json.dumps({**MANIFEST, "version": "1"}).encode(), ("lesson.json", "at version")),
    ("error-lesson-version-zero", "lesson.json",
     json.dumps({**MANIFEST, "version": 0}).encode(), ("at version", "at least 1")),
    ("error-lesson-version-newer", "lesson.json",
     json.dumps({**MANIFEST, "version": 7}).encode(), ("newer NetSketch Studio",)),
    ("error-lesson-name-number", "lesson.json",
     json.dumps({**MANIFEST, "name": 3}).encode(), ("lesson.json", "at name")),
    ("error-lesson-has-model-text", "lesson.json",
     json.dumps({**MANIFEST, "has_model": "no"}).encode(), ("at has_model", "true or false")),
    ("error-lesson-manifest-deep", "lesson.json", DEEP.encode(), ("nested more than",)),
    ("error-lesson-manifest-nan", "lesson.json",
     b'{"format": "netsketch-lesson", "version": NaN}', ("NaN",)),
    ("error-lesson-project-missing", "project.json", None, ("project.json", "does not exist")),
    ("error-lesson-project-not-json", "project.json", b"{", ("project.json",
                                                             "not valid JSON")),
    ("error-lesson-project-not-a-project", "project.json", b'{"format": "x"}',
     ("project.json", "not a NetSketch Studio project")),
    ("ok-lesson-manifest-without-version", "lesson.json",
     json.dumps({"format": "netsketch-lesson"}).encode(), None),
    ("ok-lesson-manifest-extra-fields", "lesson.json",
     json.dumps({**MANIFEST, "teacher": "김선생"}).encode(), None),
    ("ok-lesson-as-saved", "notes.md", b"Look at the petals.", None),
]


@pytest.mark.parametrize("entry, content, fragments", [c[1:] for c in LESSON_CASES],
                         ids=[c[0] for c in LESSON_CASES])
def test_lesson_file(lesson_bytes, tmp_path, entry, content, fragments):
    path = _replace_entry(lesson_bytes, tmp_path / "damaged.nslesson", entry, content)
    if fragments is None:
        lesson = open_lesson(path, dest=tmp_path / "open")
        assert lesson.project.target == "species" and len(lesson.dataset.frame) == 150
        return
    with pytest.raises(StudioError) as info:
        open_lesson(path, dest=tmp_path / "open")
    _assert_refused(info.value, fragments)


@pytest.mark.parametrize("units, fragments", [
    (-4, ("The lesson's project (project.json)", U, "at least 0")),
    ("four", ("The lesson's project (project.json)", U, WHOLE)),
], ids=["error-lesson-project-units-negative", "error-lesson-project-units-text"])
def test_lesson_with_a_damaged_project(lesson_bytes, base_doc, tmp_path, units, fragments):
    doc = copy.deepcopy(base_doc)
    doc["design"][1]["units"] = units
    path = _replace_entry(lesson_bytes, tmp_path / "d.nslesson", "project.json",
                          json.dumps(doc).encode())
    with pytest.raises(StudioError) as info:
        open_lesson(path, dest=tmp_path / "open")
    _assert_refused(info.value, fragments)


# -- metrics.json -----------------------------------------------------------------------------
METRICS = {"task": "multiclass", "params": {"total": 739, "trainable": 739, "non_trainable": 0},
           "rows": {"train": 104, "validation": 23, "test": 23}, "epochs_run": 2,
           "best_epoch": 2, "stopped_reason": "completed", "seconds": 2.0, "device": "CPU",
           "accuracy": 0.83, "evaluation": {"task": "multiclass",
                                            "metrics": {"accuracy": 0.83},
                                            "confusion_matrix": [[7, 0], [0, 5]]}}

METRICS_CASES = [
    ("ok-metrics-as-written", lambda d: None, None),
    ("ok-metrics-null-metric", put("accuracy", None), None),
    ("ok-metrics-empty-object", lambda d: d.clear(), None),
    ("ok-metrics-extra-fields", put("notes", {"any": ["thing"]}), None),
    ("error-metrics-not-json", raw("{epochs"), ("metrics.json", "not valid JSON")),
    ("error-metrics-list", raw("[1, 2]"), ("metrics.json", "an object")),
    ("error-metrics-epochs-text", put("epochs_run", "2"), ("at epochs_run", WHOLE)),
    ("error-metrics-best-epoch-negative", put("best_epoch", -1), ("at best_epoch",
                                                                  "at least 0")),
    ("error-metrics-seconds-overflow", text_with("seconds", "1e400"), ("at seconds",)),
    ("error-metrics-nan", text_with("accuracy", "NaN"), ("NaN",)),
    ("error-metrics-task-unknown", put("task", "ranking"), ("at task",)),
    ("error-metrics-params-text", put("params.total", "739"), ("params.total", WHOLE)),
    ("error-metrics-accuracy-text", put("accuracy", "83%"), ("at accuracy",
                                                              "a number or null")),
    ("error-metrics-evaluation-list", put("evaluation", []), ("at evaluation", "an object")),
    ("error-metrics-deep", raw('{"evaluation": ' + DEEP + "}"), ("nested more than",)),
    ("error-metrics-stopped-reason-number", put("stopped_reason", 1), ("at stopped_reason",)),
]


@pytest.mark.parametrize("change, fragments", [c[1:] for c in METRICS_CASES],
                         ids=[c[0] for c in METRICS_CASES])
def test_metrics_file(tmp_path, change, fragments):
    path = _write(tmp_path, METRICS, change).rename(tmp_path / "metrics.json")
    if fragments is None:
        assert isinstance(read_metrics(path), dict)
        return
    with pytest.raises(StudioError) as info:
        read_metrics(path)
    _assert_refused(info.value, fragments)


@pytest.fixture(scope="module")
def trained_lesson(iris, tmp_path_factory) -> bytes:
    from studio.core.train import train

    proj = copy.deepcopy(iris[0])
    proj.training.epochs = 1
    result = train(proj, iris[1])
    path = tmp_path_factory.mktemp("trained") / "iris.nslesson"
    save_lesson(path, proj, iris[1], result)
    return path.read_bytes()


@pytest.mark.parametrize("entry, content, fragments", [
    ("metrics.json", b'{"epochs_run": "one"}', ("metrics.json", "at epochs_run", WHOLE)),
    ("history.csv", b"epoch,loss\n1,lots\n", ("history.csv", "line 2", "'lots'")),
    ("metrics.json", None, None),
], ids=["error-lesson-metrics-damaged", "error-lesson-history-text",
        "ok-lesson-with-model-without-metrics"])
def test_lesson_with_a_model(trained_lesson, tmp_path, entry, content, fragments):
    path = _replace_entry(trained_lesson, tmp_path / "m.nslesson", entry, content)
    if fragments is None:
        lesson = open_lesson(path, dest=tmp_path / "open")
        assert lesson.result is not None and lesson.metrics == {}
        return
    with pytest.raises(StudioError) as info:
        open_lesson(path, dest=tmp_path / "open")
    _assert_refused(info.value, fragments)


# -- autosaves --------------------------------------------------------------------------------
@pytest.fixture
def autosave_doc(iris, tmp_path) -> dict[str, Any]:
    autosave.write(iris[0], tmp_path / "written")
    return json.loads((tmp_path / "written" / autosave.FILE_NAME).read_text("utf-8"))


AUTOSAVE_CASES = [
    ("ok-autosave-as-written", lambda d: None, None),
    ("ok-autosave-without-original", put("original", None), None),
    ("ok-autosave-without-time", drop("saved_at"), None),
    ("error-autosave-not-json", raw("{half a file"), ("autosave file", "not valid JSON")),
    ("error-autosave-list", raw("[]"), ("autosave file", "an object")),
    ("error-autosave-marker-missing", drop("autosave"), ("a field autosave",)),
    ("error-autosave-marker-other", put("autosave", 2), ("at autosave",)),
    ("error-autosave-time-text", put("saved_at", "yesterday"), ("at saved_at", "a number")),
    ("error-autosave-time-negative", put("saved_at", -5), ("at saved_at", "at least 0")),
    ("error-autosave-original-number", put("original", 5), ("at original",)),
    ("error-autosave-project-missing", drop("project"), ("a field project",)),
    ("error-autosave-project-list", put("project", []), ("at project", "an object")),
    ("error-autosave-project-units", put("project.design.1.units", -1),
     ("autosaved project", U, "at least 0")),
    ("error-autosave-project-activation", put("project.design.1.activation", "eval"),
     ("autosaved project", "design[1].activation")),
    ("error-autosave-project-newer", put("project.version", 3), ("newer NetSketch Studio",)),
    ("error-autosave-deep", raw('{"autosave": 1, "project": ' + DEEP + "}"),
     ("nested more than",)),
    ("error-autosave-nan", text_with("saved_at", "NaN"), ("NaN",)),
]


@pytest.mark.parametrize("change, fragments", [c[1:] for c in AUTOSAVE_CASES],
                         ids=[c[0] for c in AUTOSAVE_CASES])
def test_autosave_file(autosave_doc, iris, tmp_path, change, fragments):
    folder = tmp_path / "userdata"
    folder.mkdir()
    _write(tmp_path, autosave_doc, change).rename(folder / autosave.FILE_NAME)
    if fragments is None:
        rec = autosave.read(folder / autosave.FILE_NAME)
        assert rec.project.design.to_list() == iris[0].design.to_list()
        assert autosave.find(folder) is not None
        return
    with pytest.raises(StudioError) as info:
        autosave.read(folder / autosave.FILE_NAME)
    _assert_refused(info.value, fragments)
    assert autosave.find(folder) is None          # start-up ignores it quietly


# -- the window -------------------------------------------------------------------------------
def test_opening_a_damaged_project_in_the_window_shows_where(window, base_doc, tmp_path):
    doc = copy.deepcopy(base_doc)
    doc["design"][1]["units"] = "many"
    path = tmp_path / "damaged.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    before = window.state.project
    assert not window.files.open_path(str(path))
    assert window.state.project is before                  # the open work is kept
    text = window.error_text()
    assert window.error_banner.isVisible()
    assert "damaged.json" in text and U in text and "Traceback" not in text
