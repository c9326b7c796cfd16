"""Background work for the GUI: one task at a time on a QThread of its own.

Modelled on Orange's concurrency helpers for widgets (``ConcurrentMixin.start(task, *args)``,
a ``TaskState`` the task polls and reports through), on a QThread with Mu's wiring instead of
a thread pool:

* a *task* is a plain function ``task(state, *args)`` that knows nothing of Qt;
  :class:`TaskWorker` binds it to its arguments (like a ``QRunnable``) and
  :meth:`Runner.start` runs it;
* the task asks ``state.is_interruption_requested()``, or passes a stop on to a core control
  object with ``state.call_on_interruption(control.request_stop)``, and reports with
  ``state.set_progress(...)`` and ``state.set_partial_result(kind, ...)``;
* :class:`Runner` lives in the GUI thread and re-emits all of that, in the order it was sent,
  from its own signals, then the task's return value (``sig_result``) or a message for the
  user (``sig_failed``: a :class:`~studio.core.errors.StudioError`'s text, or "Unexpected
  error" with the traceback in the log only), then ``sig_finished`` once the thread has ended.

A thread is never terminated: :meth:`Runner.stop` asks the task to stop, and
:meth:`Runner.shutdown` asks and waits a bounded time. The teardown rules that keep the GUI
from deadlocking live here, next to the code they are about.
"""

from __future__ import annotations

import gc
import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QThread, Signal, Slot

from studio.core.errors import StudioError
from studio.core.i18n import _

log = logging.getLogger(__name__)

#: ``task(state, *args) -> result``, run in the runner's thread.
Task = Callable[..., Any]


class TaskState(QObject):
    """What a running task sees of its runner. Every method may be called from any thread.

    The state stays in the GUI thread (it is not the worker's child, so it is not moved with
    it): its signals, emitted in the task's thread, are queued to the runner's slots and arrive
    in the GUI thread in the order they were sent. Values travel as they are given: pass plain
    numbers or copies, never an object the task goes on changing.
    """

    sig_progress = Signal(object)             # tuple: the values given to set_progress
    sig_partial_result = Signal(str, object)  # kind, tuple: those given to set_partial_result

    def __init__(self) -> None:
        super().__init__()
        self._interrupted = threading.Event()
        self._lock = threading.Lock()
        self._on_interruption: list[Callable[[], None]] = []

    def is_interruption_requested(self) -> bool:
        return self._interrupted.is_set()

    def request_interruption(self) -> None:
        """Ask the task to stop (the runner's Stop and shutdown); the callbacks run once, in
        the caller's thread."""
        with self._lock:
            if self._interrupted.is_set():
                return
            self._interrupted.set()
            callbacks, self._on_interruption = self._on_interruption, []
        for callback in callbacks:
            callback()

    def call_on_interruption(self, callback: Callable[[], None]) -> None:
        """Call ``callback`` when a stop is requested, at once if one already was: how a task
        hands the stop to a core function that polls a control object of its own."""
        with self._lock:
            if not self._interrupted.is_set():
                self._on_interruption.append(callback)
                return
        callback()

    def set_progress(self, *values: Any) -> None:
        """How far the task is (e.g. epoch, batch, batches): ``Runner.sig_progress(values)``."""
        self.sig_progress.emit(values)

    def set_partial_result(self, kind: str, *values: Any) -> None:
        """A piece of the result ready before the end (an epoch's numbers, a finished trial):
        ``Runner.sig_partial_result(kind, values)``."""
        self.sig_partial_result.emit(kind, values)


class TaskWorker(QObject):
    """``task(state, *args)`` bound to its arguments, run once by :meth:`run` in the thread it
    was moved to. :meth:`run` also works in the calling thread (tests): it never raises, it
    emits ``sig_result`` or ``sig_failed``, then ``sig_done``."""

    sig_result = Signal(object)   # what the task returned
    sig_failed = Signal(str)      # a message for the user
    sig_done = Signal()           # after sig_result or sig_failed: the thread may quit

    def __init__(self, task: Task, *args: Any) -> None:
        super().__init__()
        self.state = TaskState()
        self._task: Task | None = task
        self._args = args

    @Slot()
    def run(self) -> None:
        task, args = self._task, self._args
        if task is None:
            raise RuntimeError("a TaskWorker runs its task once")
        # the worker lets go of the task's data (a project, a data set) as soon as it is done
        self._task, self._args = None, ()
        try:
            result = task(self.state, *args)
        except StudioError as exc:
            self.sig_failed.emit(str(exc))
        except Exception as exc:
            # the traceback goes to the log of the task's own module, the user reads one line
            name = getattr(task, "__qualname__", repr(task))
            logging.getLogger(getattr(task, "__module__", None) or __name__).exception(
                "%s failed unexpectedly", name)
            self.sig_failed.emit(_("Unexpected error: {detail}",
                                   detail=f"{type(exc).__name__}: {exc}"))
        else:
            self.sig_result.emit(result)
        finally:
            self.sig_done.emit()


class Runner(QObject):
    """Runs one :class:`TaskWorker` at a time on a QThread of its own; lives in the GUI thread.

    Every signal is emitted in the GUI thread. ``sig_finished(stopped)`` comes once the thread
    has ended, after the task's last report and its result or failure; ``stopped`` says whether
    a stop had been requested (a task that stops early still returns what it has, which
    ``sig_result`` delivers). A second :meth:`start` while a task runs is refused with
    RuntimeError: callers check :attr:`is_running` first.
    """

    sig_running_changed = Signal(bool)        # True on start; False once the thread has ended
    sig_progress = Signal(object)             # TaskState.set_progress's values (a tuple)
    sig_partial_result = Signal(str, object)  # TaskState.set_partial_result's kind and values
    sig_result = Signal(object)
    sig_failed = Signal(str)
    sig_finished = Signal(bool)               # the thread has ended; True: a stop was requested

    def __init__(self, thread_name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._thread_name = thread_name
        self._thread: QThread | None = None
        self._worker: TaskWorker | None = None

    # -- state ------------------------------------------------------------------------------------
    @property
    def is_running(self) -> bool:
        """True from :meth:`start` until the thread has ended (not merely the task)."""
        return self._thread is not None

    @property
    def task_thread(self) -> QThread | None:
        return self._thread

    # -- commands ---------------------------------------------------------------------------------
    def start(self, worker: TaskWorker) -> None:
        """Run ``worker`` on a new thread. Raises RuntimeError while another task runs."""
        if self._thread is not None:
            raise RuntimeError(f"{self._thread_name}: a task is already running")
        thread = QThread()
        thread.setObjectName(self._thread_name)
        worker.moveToThread(thread)
        # Every connection from the worker's thread ends in a slot of this GUI-thread object,
        # so it is queued into the GUI thread (a lambda or plain function connected to a
        # worker signal would run in the worker's thread).
        worker.state.sig_progress.connect(self._on_progress)
        worker.state.sig_partial_result.connect(self._on_partial_result)
        worker.sig_result.connect(self._on_result)
        worker.sig_failed.connect(self._on_failed)
        # Mu's wiring: the thread runs the worker when it starts and quits when it is done.
        thread.started.connect(worker.run)
        worker.sig_done.connect(thread.quit)
        thread.finished.connect(self._on_thread_finished)
        # No deleteLater: destroying a Python-wrapped QObject in the worker thread takes
        # Qt's connection lock and then waits for the GIL, while the GUI thread may hold the
        # GIL and wait for that lock (a deadlock seen in CI). The worker, its state and the
        # thread are Python-owned and die in the GUI thread when _clear() drops them, after
        # the thread has finished.
        self._worker, self._thread = worker, thread
        # Garbage (Qt objects among it) is collected here, in the GUI thread, not by the task
        # in the worker thread (core.train: clear_session without its collection there).
        gc.collect()
        thread.start()
        self.sig_running_changed.emit(True)

    def stop(self) -> None:
        """Ask the task to stop; it still reports what it returns. Returns at once."""
        if self._worker is not None:
            self._worker.state.request_interruption()

    def shutdown(self, timeout_ms: int) -> bool:
        """Stop, wait up to ``timeout_ms`` for the thread and drop what it still had queued
        for us (window close, another project, test teardown): the task's result is then not
        delivered. Returns False when the thread did not end in time; it is left to end on its
        own, never killed, and the runner reports it finished when it does."""
        thread = self._thread
        if thread is None:
            return True
        self.stop()
        # worker.sig_done -> thread.quit is queued to this thread, which is about to block in
        # wait(): quit directly (a quit before the thread's event loop starts still ends it).
        thread.quit()
        if not thread.wait(timeout_ms):
            log.warning("The thread %s did not stop within %d ms", self._thread_name,
                        timeout_ms)
            return False
        # The task's last signals are still queued for this object: they belong to a task
        # nobody wants any more.
        QCoreApplication.removePostedEvents(self, QEvent.Type.MetaCall)
        self._clear()
        return True

    # -- relays (GUI thread) ---------------------------------------------------------------------
    @Slot(object)
    def _on_progress(self, values: tuple) -> None:
        self.sig_progress.emit(values)

    @Slot(str, object)
    def _on_partial_result(self, kind: str, values: tuple) -> None:
        self.sig_partial_result.emit(kind, values)

    @Slot(object)
    def _on_result(self, result: object) -> None:
        self.sig_result.emit(result)

    @Slot(str)
    def _on_failed(self, message: str) -> None:
        self.sig_failed.emit(message)

    @Slot()
    def _on_thread_finished(self) -> None:
        if self._thread is not None:
            self._thread.wait(2000)  # `finished` is emitted just before the thread ends
        self._clear()

    def _clear(self) -> None:
        if self._worker is None:
            return
        stopped = self._worker.state.is_interruption_requested()
        self._thread = self._worker = None
        self.sig_finished.emit(stopped)
        self.sig_running_changed.emit(False)
