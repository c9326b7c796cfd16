"""The whole window, end to end, the way a student uses it: open a sample from the Start page,
change the compile form, press Train, read the Evaluate page; pause, resume and stop with the
buttons; close the window mid-run; a failing run; a bad file dropped on a trained window.

Every run is real (iris, 2-3 epochs, or stopped early), through the window's own widgets.
"""

from __future__ import annotations

import math
import os
import threading
import time

import pytest
import shiboken6
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication

from studio.core.errors import TrainingError
from studio.ui.start.page import SampleCard
from studio.ui.train import worker as worker_module

LEFT = Qt.MouseButton.LeftButton
RUN_TIMEOUT_MS = 120_000


@pytest.fixture
def ready(window):
    """The started window (iris) with TensorFlow marked as loaded, as after start-up."""
    from studio.core import build

    build.configure()              # what the window's background loader does
    window.set_tensorflow_ready(True, "CPU")
    yield window
    train_page = window.page("train")
    assert train_page.shutdown(30000)


@pytest.fixture
def training_threads(monkeypatch):
    """Records the OS thread id of each real training run (the native id itself: Python's
    dummy Thread objects for foreign threads are kept by pthread id, which is reused)."""
    seen: list[int] = []
    real_train = worker_module.train

    def recording_train(*args, **kwargs):
        seen.append(threading.get_native_id())
        return real_train(*args, **kwargs)

    monkeypatch.setattr(worker_module, "train", recording_train)
    return seen


def _thread_alive(native_id: int) -> bool:
    """Whether an OS thread of this process still exists (Linux: /proc; else unknown)."""
    if os.path.isdir("/proc/self/task"):
        return os.path.exists(f"/proc/self/task/{native_id}")
    return False


def _qthread_stopped(thread) -> bool:
    return thread is None or not shiboken6.isValid(thread) or not thread.isRunning()


def _long_run(window, epochs: int = 5000) -> None:
    """A run that lasts until it is stopped: many epochs, no early stopping."""
    t = window.state.project.training
    t.epochs = epochs
    t.early_stopping.enabled = False
    window.state.touch()


def _card_texts(window) -> dict[str, str]:
    cards = window.page("evaluate").cards.cards
    return {key: card.value_label.text() for key, card in cards.items()}


def _drop(window, path: str) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(path)])
    centre = window.rect().center()
    enter = QDragEnterEvent(centre, Qt.CopyAction, mime, LEFT, Qt.NoModifier)
    QApplication.sendEvent(window, enter)
    assert enter.isAccepted()
    QApplication.sendEvent(window, QDropEvent(QPointF(centre), Qt.CopyAction, mime, LEFT,
                                              Qt.NoModifier))


# -- the whole flow -----------------------------------------------------------------------------

def test_sample_then_compile_form_then_train_then_evaluation(ready, qtbot, tmp_path):
    window, state = ready, ready.state
    # Start page: click the iris card (a fresh project on the sample)
    window.show_step("start")
    card = next(c for c in window.start_page.findChildren(SampleCard)
                if c.sample.source == "sample:iris")
    before = state.project
    qtbot.mouseClick(card, LEFT)
    assert state.project is not before and state.project.target == "species"
    assert window.current_step() == "data"

    # Compile step: type 2 into the epochs box of the form
    window.show_step("compile")
    spin = window.settings_panel.epochs
    spin.lineEdit().selectAll()
    qtbot.keyClicks(spin, "2")
    qtbot.keyClick(spin, Qt.Key.Key_Return)
    assert spin.value() == 2
    assert state.project.training.epochs == 2

    # Train step: press Train, wait for the result
    window.show_step("train")
    panel = window.page("train")
    assert panel.train_button.isEnabled(), panel.reason_label.text()
    with qtbot.waitSignal(state.sig_result_ready, timeout=RUN_TIMEOUT_MS):
        qtbot.mouseClick(panel.train_button, LEFT)
        assert not panel.train_button.isEnabled()
    result = state.result
    assert result.epochs_run == 2 and result.stopped_reason == "completed"
    assert panel.curves.epochs == [1, 2]
    qtbot.waitUntil(lambda: not panel.controller.is_running, timeout=10000)
    assert panel.train_button.isEnabled()

    # Evaluate step: the cards show the numbers core computed, formatted as the cards do
    window.show_step("evaluate")
    evaluate = window.page("evaluate")
    assert not evaluate.is_empty
    metrics = result.evaluation.metrics
    expected = {k: (f"{metrics[k]:.3f}" if math.isfinite(metrics[k]) else "–")
                for k in ("accuracy", "precision", "recall", "f1", "auc")}
    assert _card_texts(window) == expected
    n_test = len(result.evaluation.y_true)
    assert f"{n_test} rows" in evaluate.summary_label.text()
    assert evaluate.classification.confusion.total() == n_test

    # A bad CSV dropped on the trained window: a specific message, nothing lost
    bad = tmp_path / "workbook.csv"
    bad.write_bytes(b"PK\x03\x04" + bytes(range(256)) * 4)
    _drop(window, str(bad))
    assert "Excel" in window.error_text() and "Traceback" not in window.error_text()
    assert state.result is result and _card_texts(window) == expected
    assert state.project.training.epochs == 2


def test_pause_resume_and_stop_with_the_buttons(ready, qtbot):
    window, state = ready, ready.state
    _long_run(window)
    window.show_step("train")
    panel = window.page("train")
    controller = panel.controller
    epochs: list[int] = []
    controller.sig_epoch_finished.connect(lambda e, _logs: epochs.append(e))

    with qtbot.waitSignal(controller.sig_epoch_finished, timeout=RUN_TIMEOUT_MS):
        qtbot.mouseClick(panel.train_button, LEFT)
    assert panel.pause_button.isEnabled() and panel.stop_button.isEnabled()

    qtbot.mouseClick(panel.pause_button, LEFT)
    assert controller.is_paused
    assert panel.pause_button.text() == "Resume"
    qtbot.wait(300)                       # the epoch under way may still end
    paused_at = len(epochs)
    qtbot.wait(700)
    assert len(epochs) == paused_at       # nothing trains while paused
    assert "paused" in panel.progress.format() or "Paused" in panel.status_label.text()

    with qtbot.waitSignal(controller.sig_epoch_finished, timeout=RUN_TIMEOUT_MS):
        qtbot.mouseClick(panel.pause_button, LEFT)      # Resume
    assert not controller.is_paused and panel.pause_button.text() == "Pause"

    with qtbot.waitSignal(state.sig_result_ready, timeout=RUN_TIMEOUT_MS):
        qtbot.mouseClick(panel.stop_button, LEFT)
    result = state.result
    assert result.stopped_reason == "stopped"
    assert paused_at < result.epochs_run < 5000
    assert "Stopped" in panel.progress.format()
    qtbot.waitUntil(lambda: not controller.is_running, timeout=10000)
    assert panel.train_button.isEnabled() and not panel.stop_button.isEnabled()
    assert not window.page("evaluate").is_empty           # a stopped run is still evaluated


def test_closing_the_window_while_training_stops_the_thread(ready, qtbot, training_threads):
    window = ready
    baseline = threading.active_count()
    _long_run(window)
    panel = window.page("train")
    controller = panel.controller
    with qtbot.waitSignal(controller.sig_epoch_finished, timeout=RUN_TIMEOUT_MS):
        qtbot.mouseClick(panel.train_button, LEFT)
    qthread = controller.training_thread
    assert qthread.isRunning()
    [native_id] = training_threads
    assert native_id != threading.main_thread().native_id
    assert _thread_alive(native_id) or not os.path.isdir("/proc/self/task")

    started = time.perf_counter()
    assert window.close()
    assert time.perf_counter() - started < 10          # stops within a few batches
    assert not controller.is_running
    assert _qthread_stopped(qthread)
    qtbot.waitUntil(lambda: not _thread_alive(native_id), timeout=5000)   # the OS thread ended
    # Python's own thread count is back where it was (TF's pools are native threads; a
    # foreign thread that ran Python may leave one dummy entry behind).
    assert threading.active_count() <= baseline + 1
    QApplication.processEvents()                      # nothing left queued for the dead run
    assert window.page("train").controller.training_thread is None


def test_an_error_in_the_worker_is_shown_and_the_window_stays_usable(ready, qtbot,
                                                                     monkeypatch):
    window, state = ready, ready.state
    real_train = worker_module.train

    def failing(*args, **kwargs):
        raise TrainingError("The loss became NaN at epoch 1; lower the learning rate.")

    monkeypatch.setattr(worker_module, "train", failing)
    state.project.training.epochs = 2
    state.touch()
    window.show_step("train")
    panel = window.page("train")
    with qtbot.waitSignal(state.sig_error, timeout=RUN_TIMEOUT_MS) as blocker:
        qtbot.mouseClick(panel.train_button, LEFT)
    assert "lower the learning rate" in blocker.args[0]
    assert "lower the learning rate" in window.error_text()
    assert "Traceback" not in window.error_text()
    qtbot.waitUntil(lambda: not panel.controller.is_running, timeout=10000)
    assert panel.train_button.isEnabled()
    assert state.result is None and window.page("evaluate").is_empty

    # still usable: close the message, then a real run works from the same window
    window.error_banner.close_button.click()
    assert window.error_text() == ""
    monkeypatch.setattr(worker_module, "train", real_train)
    with qtbot.waitSignal(state.sig_result_ready, timeout=RUN_TIMEOUT_MS):
        qtbot.mouseClick(panel.train_button, LEFT)
    assert state.result.epochs_run == 2
    assert window.error_text() == ""


def test_side_docks_follow_the_steps(window):
    """Start and Evaluate get the full width; back on a doctor step the doctor is in front,
    with the Code view as the other tab; View > Code off keeps it off."""
    code, doctor = window.code_dock, window.doctor_dock
    for key in ("start", "evaluate"):
        window.show_step(key)
        assert not code.isVisible() and not doctor.isVisible()
    window.show_step("data")
    assert code.isVisible() and doctor.isVisible()
    assert window.tabifiedDockWidgets(doctor) == [code]
    assert not doctor.visibleRegion().isEmpty() and code.visibleRegion().isEmpty()
    code.toggleViewAction().trigger()                 # the user turns the Code view off
    assert not code.isVisible()
    window.show_step("evaluate")
    window.show_step("compile")
    assert doctor.isVisible() and not code.isVisible()
    code.toggleViewAction().trigger()
    assert code.isVisible()
