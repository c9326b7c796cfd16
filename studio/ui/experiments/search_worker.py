"""Experiments off the GUI thread: a hyperparameter search or a recall comparison.

One worker object per QThread with Mu's wiring (as in studio.ui.train.worker). The worker calls the pure
core functions (:func:`studio.core.search.search`,
:func:`studio.core.imbalance.recall_comparison`) and turns their hooks into signals carrying
plain data. :class:`ExperimentController` lives in the GUI thread, owns the thread and relays
the worker's signals from its own slots. Stop goes through the core's
:class:`~studio.core.train.TrainControl`; a thread is never terminated.
"""

from __future__ import annotations

import copy
import gc
import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QThread, Signal, Slot

from studio.core.errors import StudioError
from studio.core.i18n import _
from studio.core.train import TrainControl

log = logging.getLogger(__name__)


class ExperimentWorker(QObject):
    """Runs ``job(control, on_trial, on_epoch)`` once in the thread it was moved to."""

    sig_trial = Signal(dict)              # a finished trial's row (plain values)
    sig_epoch = Signal(int, int, dict)    # trial, epoch, logs
    sig_finished = Signal(object)         # the job's result (SearchResult, dict)
    sig_failed = Signal(str)
    sig_done = Signal()

    def __init__(self, job: Callable[..., Any], control: TrainControl) -> None:
        super().__init__()
        self._job = job
        self.control = control

    @Slot()
    def run(self) -> None:
        try:
            result = self._job(self.control, self._on_trial, self._on_epoch)
        except StudioError as exc:
            self.sig_failed.emit(str(exc))
        except Exception as exc:
            log.exception("An experiment failed unexpectedly")
            self.sig_failed.emit(_("Unexpected error: {detail}",
                                   detail=f"{type(exc).__name__}: {exc}"))
        else:
            self.sig_finished.emit(result)
        finally:
            self._job = None
            self.sig_done.emit()

    def _on_trial(self, row: dict[str, Any]) -> None:
        self.sig_trial.emit(dict(row))

    def _on_epoch(self, trial: int, epoch: int, logs: dict[str, float]) -> None:
        self.sig_epoch.emit(int(trial), int(epoch), {k: float(v) for k, v in logs.items()})


def search_job(project, dataset, **kwargs) -> Callable[..., Any]:
    """A job running :func:`studio.core.search.search` on a copy of ``project``."""
    project = copy.deepcopy(project)

    def job(control, on_trial, on_epoch):
        from studio.core.search import search

        return search(project, dataset, control=control, on_trial=on_trial,
                      on_epoch=on_epoch, **kwargs)
    return job


def recall_job(project, dataset, method: str, epochs: int | None) -> Callable[..., Any]:
    """A job running :func:`studio.core.imbalance.recall_comparison` on a copy."""
    project = copy.deepcopy(project)

    def job(control, on_trial, on_epoch):
        from studio.core.imbalance import recall_comparison

        return recall_comparison(project, dataset, method=method, epochs=epochs)
    return job


class ExperimentController(QObject):
    """Owns the experiment thread; lives in the GUI thread. One job at a time."""

    sig_trial = Signal(dict)
    sig_epoch = Signal(int, int, dict)
    sig_finished = Signal(object)
    sig_failed = Signal(str)
    sig_running_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._thread: QThread | None = None
        self._worker: ExperimentWorker | None = None
        self._control: TrainControl | None = None

    @property
    def is_running(self) -> bool:
        return self._thread is not None

    def start(self, job: Callable[..., Any]) -> None:
        if self.is_running:
            raise RuntimeError("an experiment is already running")
        self._control = TrainControl()
        worker = ExperimentWorker(job, self._control)
        thread = QThread()
        thread.setObjectName("studio-experiment")
        worker.moveToThread(thread)
        worker.sig_trial.connect(self._on_worker_trial)
        worker.sig_epoch.connect(self._on_worker_epoch)
        worker.sig_finished.connect(self._on_worker_finished)
        worker.sig_failed.connect(self._on_worker_failed)
        thread.started.connect(worker.run)
        worker.sig_done.connect(thread.quit)
        thread.finished.connect(self._on_thread_finished)
        # No deleteLater: destroying a Python-wrapped QObject in the worker thread takes
        # Qt's connection lock and then waits for the GIL, while the GUI thread may hold the
        # GIL and wait for that lock (a deadlock seen in CI). Both objects are Python-owned
        # and die in the GUI thread when _clear() drops them after the thread has finished.
        self._worker, self._thread = worker, thread
        # Garbage (Qt objects among it) is collected here, in the GUI thread, not by the run
        # in the worker thread (core.train: clear_session without its collection there).
        gc.collect()
        thread.start()
        self.sig_running_changed.emit(True)

    def stop(self) -> None:
        """Ask the job to stop within the running trial (it still reports its result)."""
        if self._control is not None:
            self._control.request_stop()

    def shutdown(self, timeout_ms: int = 30000) -> bool:
        """Stop, wait for the thread and drop what it still had queued (close, teardown)."""
        thread = self._thread
        if thread is None:
            return True
        self.stop()
        thread.quit()
        if not thread.wait(timeout_ms):
            log.warning("The experiment thread did not stop within %d ms", timeout_ms)
            return False
        QCoreApplication.removePostedEvents(self, QEvent.Type.MetaCall)
        self._clear()
        return True

    @Slot(dict)
    def _on_worker_trial(self, row: dict) -> None:
        self.sig_trial.emit(row)

    @Slot(int, int, dict)
    def _on_worker_epoch(self, trial: int, epoch: int, logs: dict) -> None:
        self.sig_epoch.emit(trial, epoch, logs)

    @Slot(object)
    def _on_worker_finished(self, result: object) -> None:
        self.sig_finished.emit(result)

    @Slot(str)
    def _on_worker_failed(self, message: str) -> None:
        self.sig_failed.emit(message)

    @Slot()
    def _on_thread_finished(self) -> None:
        if self._thread is not None:
            self._thread.wait(2000)
        self._clear()

    def _clear(self) -> None:
        was_running = self._thread is not None
        self._thread = self._worker = None
        self._control = None
        if was_running:
            self.sig_running_changed.emit(False)
