"""A reopened project with saved runs shows its latest run again: the Train step's curves, the
Evaluate step's metrics and plots (from the test answers the project keeps), and the canvas in
the style it was saved in. Before, Train and Evaluate came back empty and the style was lost."""

from __future__ import annotations

import json
import math

import pytest

from studio.core.project import Project
from studio.core.runs import RunRecord, saved_evaluation

RUN_TIMEOUT_MS = 120_000


@pytest.fixture
def trained(window, qtbot):
    """The window (iris) after a 2-epoch run, drawn in the sketch style."""
    from studio.core import build

    build.configure()
    window.set_tensorflow_ready(True, "CPU")
    state = window.state
    state.project.training.epochs = 2
    state.project.training.early_stopping.enabled = False
    state.touch()
    window.page("design").set_style("sketch")
    train = window.page("train")
    with qtbot.waitSignal(state.sig_result_ready, timeout=RUN_TIMEOUT_MS):
        assert train.start_training()
    qtbot.waitUntil(lambda: not train.controller.is_running, timeout=10000)
    yield window
    assert window.page("train").shutdown(30000)


def test_a_reopened_project_shows_its_latest_run_and_style(trained, tmp_path, qtbot):
    window, state = trained, trained.state
    accuracy = state.result.evaluation.metrics["accuracy"]
    n_test = len(state.result.evaluation.y_true)
    path = tmp_path / "iris.json"
    assert window.files.save_to(str(path))
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert doc["view"] == {"canvas_style": "sketch"}
    assert len(doc["runs"][-1]["test"]["y_true"]) == n_test

    window.page("design").set_style("clean")
    state.dirty = False
    assert window.files.open_path(str(path))
    assert state.result is None                       # no model in memory: nothing to predict

    train = window.page("train")
    assert train.curves.epochs == [1, 2]
    assert train.curves._loss_hint == state.project.compile.loss
    assert "2" in train.progress.format()
    evaluate = window.page("evaluate")
    assert not evaluate.is_empty
    assert evaluate.saved_label.isVisibleTo(evaluate)
    assert math.isclose(evaluate.evaluation.metrics["accuracy"], accuracy, rel_tol=1e-9)
    assert evaluate.evaluation.confusion is not None
    assert int(evaluate.evaluation.confusion.sum()) == n_test
    canvas = window.page("design")
    assert canvas.style_box.currentData() == "sketch"
    assert not state.dirty                            # opening is not an edit

    window.classroom.set_language("ko")                         # the rebuilt pages show it too
    try:
        assert window.page("train").curves.epochs == [1, 2]
        assert not window.page("evaluate").is_empty
        assert window.page("design").style_box.currentData() == "sketch"
    finally:
        window.classroom.set_language("en")


def test_only_the_latest_run_keeps_its_test_answers(trained, qtbot):
    window, state = trained, trained.state
    train = window.page("train")
    with qtbot.waitSignal(state.sig_result_ready, timeout=RUN_TIMEOUT_MS):
        assert train.start_training()
    qtbot.waitUntil(lambda: not train.controller.is_running, timeout=10000)
    runs = state.project.runs
    assert len(runs) == 2 and runs[0].test == {} and runs[1].test
    doc = Project.from_dict(state.project.to_dict()).runs
    assert saved_evaluation(doc[-1]) is not None and saved_evaluation(doc[0]) is None


@pytest.mark.parametrize("test", [
    {"y_true": [0, 1], "probabilities": [[0.5, 0.5]], "classes": ["a", "b"]},    # lengths
    {"y_true": [0, 3], "probabilities": [[0.5, 0.5], [0.1, 0.9]], "classes": ["a", "b"]},
    {"y_true": [0.5, 1], "probabilities": [[0.5, 0.5], [0.1, 0.9]], "classes": ["a", "b"]},
    {"y_true": [1.0, None], "y_pred": [1.0, 2.0]},
    {"y_true": [1.0, 2.0], "y_pred": [1.0]},
    {"y_true": "abc", "y_pred": "abc"},
    {"y_true": [[1.0]], "y_pred": [[1.0]]},
    {"y_true": [1.0] * 20_001, "y_pred": [1.0] * 20_001},
    [1, 2],
], ids=[f"error-test-answers-{i}" for i in range(9)])
def test_damaged_test_answers_are_dropped_not_fatal(test):
    run = RunRecord.from_dict({"id": "x", "started_at": "", "design": [], "compile": {},
                               "training": {}, "split": {}, "test": test})
    assert run.test == {} and saved_evaluation(run) is None
