"""The training worker on its QThread: epochs arrive as plain numbers, pause / resume / stop
work through TrainControl, failures become a message, and no thread is left running."""

from __future__ import annotations

import copy
import logging

import pytest
import shiboken6

from studio.core.project import new_project
from studio.ui.train import worker as worker_module
from studio.ui.train.worker import TrainingController, TrainWorker


@pytest.fixture(scope="module")
def iris():
    project = new_project("sample:iris", "species")
    return project, project.load_data()


def iris_project(iris, epochs: int, early_stopping: bool = False):
    project = copy.deepcopy(iris[0])
    project.training.epochs = epochs
    project.training.batch_size = 32
    project.training.early_stopping.enabled = early_stopping
    return project


@pytest.fixture
def controller(qtbot):
    c = TrainingController()
    yield c
    assert c.shutdown(30000)
    assert not c.is_running


def thread_stopped(thread) -> bool:
    return not shiboken6.isValid(thread) or not thread.isRunning()


def test_three_epochs_then_the_result(qtbot, controller, iris):
    events: list = []
    controller.sig_epoch_finished.connect(lambda e, logs: events.append(("epoch", e, logs)))
    controller.sig_finished.connect(lambda r: events.append(("finished", r)))
    project = iris_project(iris, 3)
    with qtbot.waitSignal(controller.sig_finished, timeout=60000) as blocker:
        controller.start(project, iris[1])
        thread = controller.training_thread
        assert controller.is_running and thread.isRunning()
    result = blocker.args[0]
    assert [e[1] for e in events if e[0] == "epoch"] == [1, 2, 3]
    assert events[-1][0] == "finished"
    logs = events[0][2]
    assert {"loss", "val_loss", "accuracy", "val_accuracy", "learning_rate"} <= set(logs)
    assert all(isinstance(v, float) for v in logs.values())
    assert result.epochs_run == 3 and result.stopped_reason == "completed"
    assert result.evaluation is not None
    assert controller.project is not project          # trained a copy
    qtbot.waitUntil(lambda: not controller.is_running, timeout=10000)
    assert thread_stopped(thread)


def test_progress_reports_steps(qtbot, controller, iris):
    progress: list = []
    controller.sig_progress.connect(lambda *a: progress.append(a))
    with qtbot.waitSignal(controller.sig_finished, timeout=60000):
        controller.start(iris_project(iris, 3), iris[1], progress_interval=0.0)
    assert progress, "no progress reported"
    epoch, step, steps, running = progress[-1]
    assert 1 <= epoch <= 3 and 1 <= step <= steps
    assert "running_loss" in running


def test_stop_in_the_middle_ends_early(qtbot, controller, iris):
    epochs: list[int] = []

    def on_epoch(e, logs):
        epochs.append(e)
        if e == 2:
            controller.stop()

    controller.sig_epoch_finished.connect(on_epoch)
    with qtbot.waitSignal(controller.sig_finished, timeout=60000) as blocker:
        controller.start(iris_project(iris, 500), iris[1])
        thread = controller.training_thread
    result = blocker.args[0]
    assert result.stopped_reason == "stopped"
    assert 2 <= result.epochs_run < 500
    qtbot.waitUntil(lambda: not controller.is_running, timeout=10000)
    assert thread_stopped(thread)


def test_pause_then_resume_completes(qtbot, controller, iris):
    epochs: list[int] = []

    def on_epoch(e, logs):
        epochs.append(e)
        if e == 1:
            controller.pause()

    controller.sig_epoch_finished.connect(on_epoch)
    controller.start(iris_project(iris, 40), iris[1])
    qtbot.waitUntil(lambda: controller.is_paused, timeout=60000)
    qtbot.wait(400)                       # epochs already under way arrive
    paused_at = len(epochs)
    qtbot.wait(500)
    assert len(epochs) == paused_at < 40   # nothing happens while paused
    assert controller.is_running
    with qtbot.waitSignal(controller.sig_finished, timeout=60000) as blocker:
        controller.resume()
    assert blocker.args[0].epochs_run == 40
    assert epochs == list(range(1, 41))


def test_doctor_error_is_reported_not_raised(qtbot, controller, iris):
    project = iris_project(iris, 3)
    project.compile.learning_rate = 1e6
    with qtbot.waitSignal(controller.sig_failed, timeout=30000) as blocker:
        controller.start(project, iris[1])
    assert "learning rate" in blocker.args[0]
    qtbot.waitUntil(lambda: not controller.is_running, timeout=10000)


def test_unexpected_error_becomes_a_message(qtbot, controller, iris, monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise ValueError("boom")

    monkeypatch.setattr(worker_module, "train", broken)
    with (caplog.at_level(logging.ERROR, logger="studio.ui.train.worker"),
          qtbot.waitSignal(controller.sig_failed, timeout=10000) as blocker):
        controller.start(iris_project(iris, 3), iris[1])
    assert blocker.args[0].startswith("Unexpected error")
    assert "boom" in blocker.args[0]
    assert "Traceback" in caplog.text
    qtbot.waitUntil(lambda: not controller.is_running, timeout=10000)


def test_worker_run_reports_failure_synchronously(qtbot, iris):
    project = iris_project(iris, 3)
    project.compile.learning_rate = 1e6
    w = TrainWorker(project, iris[1])
    with qtbot.waitSignals([w.sig_failed, w.sig_done], timeout=10000):
        w.run()


def test_shutdown_while_training_drops_the_run(qtbot, iris):
    controller = TrainingController()
    finished: list = []
    controller.sig_finished.connect(finished.append)
    with qtbot.waitSignal(controller.sig_epoch_finished, timeout=60000):
        controller.start(iris_project(iris, 1000), iris[1])
    thread = controller.training_thread
    assert controller.shutdown(30000)
    assert not controller.is_running and thread_stopped(thread)
    qtbot.wait(200)
    assert finished == []                  # the stopped run's result is not delivered
    with pytest.raises(RuntimeError):      # one run at a time
        controller.start(iris_project(iris, 1), iris[1])
        controller.start(iris_project(iris, 1), iris[1])
    assert controller.shutdown(30000)


def test_weights_reach_the_gui_thread(qtbot, controller, iris):
    got = []
    controller.sig_weights.connect(lambda epoch, kernels: got.append((epoch, kernels)))
    with qtbot.waitSignal(controller.sig_finished, timeout=120_000):
        controller.start(iris_project(iris, 2), iris[1])
    qtbot.waitUntil(lambda: not controller.is_running, timeout=10_000)
    assert got and got[-1][0] >= 1
    assert all(k.ndim == 2 for k in got[-1][1])
