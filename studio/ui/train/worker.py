"""Training off the GUI thread, through :class:`studio.ui.common.runner.Runner`.

:func:`train_task` runs :func:`studio.core.train.train` and turns its plain-Python hooks into
task-state reports carrying plain numbers; :class:`TrainWorker` binds it to a run's arguments.
:class:`TrainingController` lives in the GUI thread, owns the runner and the run's
:class:`~studio.core.train.TrainControl`, and turns the runner's reports back into the
signals the panels connect to.

Pause, step, slow motion and stop go through the TrainControl (``threading.Event``): the
training thread waits, never the GUI thread. A thread is never terminated, it is asked to stop
and waited for (the runner's teardown rules).
"""

from __future__ import annotations

import copy
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal, Slot

from studio.core.train import TrainResult, train
from studio.core.train_control import TrainControl
from studio.ui.common.runner import Runner, TaskState, TaskWorker


def train_task(state: TaskState, project: Any, dataset: Any, control: TrainControl,
               progress_interval: float, record_weights: Any) -> TrainResult:
    """Train ``project`` on ``dataset`` in the runner's thread. Reports ``set_progress(epoch,
    step, steps, running-mean logs)``, and partial results ``"epoch"`` (epoch, logs) and
    ``"weights"`` (epoch, list of Dense kernels as numpy copies)."""
    state.call_on_interruption(control.request_stop)
    return train(project, dataset, control=control, progress_interval=progress_interval,
                 record_weights=record_weights,
                 on_epoch=lambda epoch, logs: state.set_partial_result(
                     "epoch", int(epoch), dict(logs)),
                 on_progress=lambda epoch, step, steps, logs: state.set_progress(
                     int(epoch), int(step), int(steps), dict(logs)),
                 on_weights=lambda epoch, kernels: state.set_partial_result(
                     "weights", int(epoch), kernels))


class TrainWorker(TaskWorker):
    """One training run, for a :class:`Runner` (or ``run()`` in the calling thread)."""

    def __init__(self, project: Any, dataset: Any, control: TrainControl | None = None,
                 progress_interval: float = 0.1, record_weights: Any = None) -> None:
        super().__init__(train_task, project, dataset, control or TrainControl(),
                         progress_interval, record_weights)


class TrainingController(QObject):
    """Owns the training runner; lives in the GUI thread. One run at a time."""

    sig_started = Signal()
    sig_epoch_finished = Signal(int, dict)        # epoch (1-based), logs (plain floats)
    sig_progress = Signal(int, int, int, dict)    # epoch, step, steps, running-mean logs
    sig_weights = Signal(int, object)             # epoch, list of Dense kernels (numpy copies)
    sig_finished = Signal(object)                 # core.train.TrainResult
    sig_failed = Signal(str)                      # a message for the user
    sig_running_changed = Signal(bool)            # False once the thread has really finished

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._runner = Runner("studio-training", self)
        self._runner.sig_progress.connect(self._on_progress)
        self._runner.sig_partial_result.connect(self._on_partial_result)
        self._runner.sig_result.connect(self.sig_finished)
        self._runner.sig_failed.connect(self.sig_failed)
        self._runner.sig_running_changed.connect(self._on_running_changed)
        self._control: TrainControl | None = None
        self._epoch_delay = 0.0
        self.project: Any = None   # the copy being trained

    # -- state ------------------------------------------------------------------------------------
    @property
    def is_running(self) -> bool:
        return self._runner.is_running

    @property
    def is_paused(self) -> bool:
        return self._control is not None and self._control.paused

    @property
    def epoch_delay(self) -> float:
        return self._epoch_delay

    @property
    def training_thread(self) -> QThread | None:
        return self._runner.task_thread

    # -- commands ---------------------------------------------------------------------------------
    def start(self, project: Any, dataset: Any, progress_interval: float = 0.1, *,
              step: bool = False, record_weights: Any = None) -> None:
        """Train a deep copy of ``project`` (edits made meanwhile cannot race the run).

        With ``step`` the run pauses after its first epoch (Step with no run going).
        ``record_weights`` (a :class:`studio.core.replay.WeightSnapshots`) keeps each epoch's
        kernels for a replay. Raises RuntimeError while a run is in progress."""
        if self.is_running:
            raise RuntimeError("a training run is already in progress")
        self.project = copy.deepcopy(project)
        self._control = TrainControl(epoch_delay=self._epoch_delay)
        if step:
            self._control.step()
        self._runner.start(TrainWorker(self.project, dataset, self._control, progress_interval,
                                       record_weights))

    def pause(self) -> None:
        if self._control is not None:
            self._control.pause()

    def resume(self) -> None:
        if self._control is not None:
            self._control.resume()

    def step(self) -> None:
        """Train to the end of the current epoch (a whole epoch when paused between two),
        then pause."""
        if self._control is not None:
            self._control.step()

    def set_epoch_delay(self, seconds: float) -> None:
        """Slow motion: wait ``seconds`` after each epoch, in the training thread; applies to
        the run under way and the next ones."""
        self._epoch_delay = max(0.0, float(seconds))
        if self._control is not None:
            self._control.epoch_delay = self._epoch_delay

    def stop(self) -> None:
        """Ask the run to stop after the current few batches; it still reports its result."""
        self._runner.stop()

    def shutdown(self, timeout_ms: int = 10000) -> bool:
        """Stop, wait for the thread and drop whatever it still had queued for us.

        For window close, opening another project and test teardown. Returns False when the
        thread did not finish in time (it is then left to finish on its own, never killed).
        """
        return self._runner.shutdown(timeout_ms)

    # -- the runner's reports (GUI thread) --------------------------------------------------------
    @Slot(object)
    def _on_progress(self, values: tuple) -> None:
        self.sig_progress.emit(*values)

    @Slot(str, object)
    def _on_partial_result(self, kind: str, values: tuple) -> None:
        if kind == "epoch":
            self.sig_epoch_finished.emit(*values)
        elif kind == "weights":
            self.sig_weights.emit(*values)

    @Slot(bool)
    def _on_running_changed(self, running: bool) -> None:
        if running:
            self.sig_started.emit()
        else:
            self._control = None
        self.sig_running_changed.emit(running)
