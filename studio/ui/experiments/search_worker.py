"""Experiments off the GUI thread, through :class:`studio.ui.common.runner.Runner`: a
hyperparameter search or a recall comparison.

:func:`search_task` and :func:`recall_task` call the pure core functions
(:func:`studio.core.experiments.search.search`,
:func:`studio.core.experiments.recall.recall_comparison`) and turn their hooks into task-state
reports carrying plain data; :func:`search_job` and :func:`recall_job` bind them to a copy of
the project. :class:`ExperimentController` lives in the GUI thread, owns the runner and turns
its reports back into the signals the search dialog connects to. Stop reaches the core through
a :class:`~studio.core.train_control.TrainControl`; a
thread is never terminated.
"""

from __future__ import annotations

import copy
from typing import Any

from PySide6.QtCore import QObject, Signal, Slot

from studio.core.train_control import TrainControl
from studio.ui.common.runner import Runner, TaskState, TaskWorker


def search_task(state: TaskState, project: Any, dataset: Any, options: dict[str, Any]) -> Any:
    """:func:`studio.core.experiments.search.search` with ``options``. Reports ``set_progress(trial,
    epoch, logs)`` and partial results ``"trial"`` (a finished trial's row)."""
    from studio.core.experiments.search import search

    control = TrainControl()
    state.call_on_interruption(control.request_stop)
    return search(project, dataset, control=control,
                  on_trial=lambda row: state.set_partial_result("trial", dict(row)),
                  on_epoch=lambda trial, epoch, logs: state.set_progress(
                      int(trial), int(epoch), {k: float(v) for k, v in logs.items()}),
                  **options)


def recall_task(state: TaskState, project: Any, dataset: Any, method: str,
                epochs: int | None) -> dict[str, Any]:
    """:func:`studio.core.experiments.recall.recall_comparison` (two trainings; it cannot be stopped
    half-way, so a stop or shutdown waits for it)."""
    from studio.core.experiments.recall import recall_comparison

    return recall_comparison(project, dataset, method=method, epochs=epochs)


def search_job(project: Any, dataset: Any, **options: Any) -> TaskWorker:
    """A search of a copy of ``project`` (``options``: those of
    :func:`studio.core.experiments.search.search`)."""
    return TaskWorker(search_task, copy.deepcopy(project), dataset, options)


def recall_job(project: Any, dataset: Any, method: str, epochs: int | None) -> TaskWorker:
    """A recall comparison on a copy of ``project``."""
    return TaskWorker(recall_task, copy.deepcopy(project), dataset, method, epochs)


class ExperimentController(QObject):
    """Owns the experiment runner; lives in the GUI thread. One job at a time."""

    sig_trial = Signal(dict)              # a finished trial's row (plain values)
    sig_epoch = Signal(int, int, dict)    # trial, epoch, logs
    sig_finished = Signal(object)         # the job's result (SearchResult, dict)
    sig_failed = Signal(str)              # a message for the user
    sig_running_changed = Signal(bool)    # False once the thread has really finished

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._runner = Runner("studio-experiment", self)
        self._runner.sig_progress.connect(self._on_progress)
        self._runner.sig_partial_result.connect(self._on_partial_result)
        self._runner.sig_result.connect(self.sig_finished)
        self._runner.sig_failed.connect(self.sig_failed)
        self._runner.sig_running_changed.connect(self.sig_running_changed)

    @property
    def is_running(self) -> bool:
        return self._runner.is_running

    def start(self, job: TaskWorker) -> None:
        """Run ``job`` (:func:`search_job`, :func:`recall_job`). Raises RuntimeError while
        another job runs."""
        if self.is_running:
            raise RuntimeError("an experiment is already running")
        self._runner.start(job)

    def stop(self) -> None:
        """Ask the job to stop within the running trial (it still reports its result)."""
        self._runner.stop()

    def shutdown(self, timeout_ms: int = 30000) -> bool:
        """Stop, wait for the thread and drop what it still had queued (close, teardown)."""
        return self._runner.shutdown(timeout_ms)

    # -- the runner's reports (GUI thread) --------------------------------------------------------
    @Slot(object)
    def _on_progress(self, values: tuple) -> None:
        self.sig_epoch.emit(*values)

    @Slot(str, object)
    def _on_partial_result(self, kind: str, values: tuple) -> None:
        if kind == "trial":
            self.sig_trial.emit(*values)
