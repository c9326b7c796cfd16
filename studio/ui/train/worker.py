"""Training off the GUI thread: one worker object per QThread (Mu's wiring).

:class:`TrainWorker` runs :func:`studio.core.train.train` and turns its plain-Python hooks into
Qt signals that carry plain numbers. :class:`TrainingController` lives in the GUI thread, owns
the QThread and relays the worker's signals from its own slots, so that panels connect to one
long-lived object and every connection from the worker ends in a slot of a GUI-thread QObject
(a lambda or plain function connected to a worker signal would run in the worker's thread).

Pause, step, slow motion and stop go through :class:`studio.core.train.TrainControl`
(``threading.Event``): the training thread waits, never the GUI thread. A thread is never
terminated, it is asked to stop and waited for.
"""

from __future__ import annotations

import copy
import gc
import logging
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QThread, Signal, Slot

from studio.core.errors import StudioError
from studio.core.i18n import _
from studio.core.train import TrainControl, train

log = logging.getLogger(__name__)


class TrainWorker(QObject):
    """Runs one training in the thread it was moved to. Use once."""

    sig_epoch_finished = Signal(int, dict)        # epoch (1-based), logs (plain floats)
    sig_progress = Signal(int, int, int, dict)    # epoch, step, steps, running-mean logs
    sig_weights = Signal(int, object)             # epoch, list of Dense kernels (numpy copies)
    sig_finished = Signal(object)                 # core.train.TrainResult
    sig_failed = Signal(str)                      # a message for the user
    sig_done = Signal()                           # after finished or failed: quit the thread

    def __init__(self, project: Any, dataset: Any, control: TrainControl | None = None,
                 progress_interval: float = 0.1, record_weights: Any = None) -> None:
        super().__init__()
        self._project = project
        self._dataset = dataset
        self.control = control or TrainControl()
        self._progress_interval = progress_interval
        self._record_weights = record_weights

    # -- controls (thread-safe: they only set events) ------------------------------------------
    def pause(self) -> None:
        self.control.pause()

    def resume(self) -> None:
        self.control.resume()

    def stop(self) -> None:
        self.control.request_stop()

    # -- the work --------------------------------------------------------------------------------
    @Slot()
    def run(self) -> None:
        try:
            result = train(self._project, self._dataset, on_epoch=self._on_epoch,
                           on_progress=self._on_progress, control=self.control,
                           progress_interval=self._progress_interval,
                           on_weights=self._on_weights, record_weights=self._record_weights)
        except StudioError as exc:
            self.sig_failed.emit(str(exc))
        except Exception as exc:
            log.exception("Training failed unexpectedly")
            self.sig_failed.emit(_("Unexpected error: {detail}",
                                   detail=f"{type(exc).__name__}: {exc}"))
        else:
            self.sig_finished.emit(result)
        finally:
            self._project = self._dataset = self._record_weights = None
            self.sig_done.emit()

    def _on_epoch(self, epoch: int, logs: dict[str, float]) -> None:
        self.sig_epoch_finished.emit(int(epoch), dict(logs))

    def _on_progress(self, epoch: int, step: int, steps: int, logs: dict[str, float]) -> None:
        self.sig_progress.emit(int(epoch), int(step), int(steps), dict(logs))

    def _on_weights(self, epoch: int, kernels: list) -> None:
        self.sig_weights.emit(int(epoch), kernels)


class TrainingController(QObject):
    """Owns the training thread; lives in the GUI thread. One run at a time."""

    sig_started = Signal()
    sig_epoch_finished = Signal(int, dict)
    sig_progress = Signal(int, int, int, dict)
    sig_weights = Signal(int, object)
    sig_finished = Signal(object)
    sig_failed = Signal(str)
    sig_running_changed = Signal(bool)   # False once the thread has really finished

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._thread: QThread | None = None
        self._worker: TrainWorker | None = None
        self._control: TrainControl | None = None
        self._epoch_delay = 0.0
        self.project: Any = None   # the copy being trained

    # -- state ------------------------------------------------------------------------------------
    @property
    def is_running(self) -> bool:
        return self._thread is not None

    @property
    def is_paused(self) -> bool:
        return self._control is not None and self._control.paused

    @property
    def epoch_delay(self) -> float:
        return self._epoch_delay

    @property
    def training_thread(self) -> QThread | None:
        return self._thread

    # -- commands ---------------------------------------------------------------------------------
    def start(self, project: Any, dataset: Any, progress_interval: float = 0.1, *,
              step: bool = False, record_weights: Any = None) -> None:
        """Train a deep copy of ``project`` (edits made meanwhile cannot race the run).

        With ``step`` the run pauses after its first epoch (Step with no run going).
        ``record_weights`` (a :class:`studio.core.replay.WeightSnapshots`) keeps each epoch's
        kernels for a replay."""
        if self.is_running:
            raise RuntimeError("a training run is already in progress")
        self.project = copy.deepcopy(project)
        self._control = TrainControl(epoch_delay=self._epoch_delay)
        if step:
            self._control.step()
        worker = TrainWorker(self.project, dataset, self._control, progress_interval,
                             record_weights)
        thread = QThread()
        thread.setObjectName("studio-training")
        worker.moveToThread(thread)
        # Relays: slots of this GUI-thread object, so they are queued into the GUI thread.
        worker.sig_epoch_finished.connect(self._on_worker_epoch)
        worker.sig_progress.connect(self._on_worker_progress)
        worker.sig_weights.connect(self._on_worker_weights)
        worker.sig_finished.connect(self._on_worker_finished)
        worker.sig_failed.connect(self._on_worker_failed)
        # Mu's wiring.
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
        self.sig_started.emit()
        self.sig_running_changed.emit(True)

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
        if self._control is not None:
            self._control.request_stop()

    def shutdown(self, timeout_ms: int = 10000) -> bool:
        """Stop, wait for the thread and drop whatever it still had queued for us.

        For window close, opening another project and test teardown. Returns False when the
        thread did not finish in time (it is then left to finish on its own, never killed).
        """
        thread = self._thread
        if thread is None:
            return True
        self.stop()
        # worker.sig_done -> thread.quit is queued to this (blocked) thread: quit directly.
        thread.quit()
        finished = thread.wait(timeout_ms)
        if not finished:
            log.warning("The training thread did not stop within %d ms", timeout_ms)
            return False
        # The run's last signals are still queued for this object: they belong to a run
        # nobody wants any more (the window closes or another project opens).
        QCoreApplication.removePostedEvents(self, QEvent.Type.MetaCall)
        self._clear()
        return True

    # -- relays (GUI thread) ---------------------------------------------------------------------
    @Slot(int, dict)
    def _on_worker_epoch(self, epoch: int, logs: dict) -> None:
        self.sig_epoch_finished.emit(epoch, logs)

    @Slot(int, int, int, dict)
    def _on_worker_progress(self, epoch: int, step: int, steps: int, logs: dict) -> None:
        self.sig_progress.emit(epoch, step, steps, logs)

    @Slot(int, object)
    def _on_worker_weights(self, epoch: int, kernels: object) -> None:
        self.sig_weights.emit(epoch, kernels)

    @Slot(object)
    def _on_worker_finished(self, result: object) -> None:
        self.sig_finished.emit(result)

    @Slot(str)
    def _on_worker_failed(self, message: str) -> None:
        self.sig_failed.emit(message)

    @Slot()
    def _on_thread_finished(self) -> None:
        if self._thread is not None:
            self._thread.wait(2000)  # `finished` is emitted just before the thread ends
        self._clear()

    def _clear(self) -> None:
        was_running = self._thread is not None
        self._thread = self._worker = None
        self._control = None
        if was_running:
            self.sig_running_changed.emit(False)
