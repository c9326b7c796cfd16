"""The background runner (studio.ui.common.runner) with tiny pure-Python tasks: results and
reports arrive in the GUI thread in order, stop reaches the task, failures become one line for
the user, shutdown is bounded, and a second start while a task runs is refused."""

from __future__ import annotations

import logging
import threading
import time

import pytest

from studio.core.errors import StudioError
from studio.ui.common.runner import Runner, TaskState, TaskWorker

WAIT_MS = 5000


@pytest.fixture
def runner(qtbot):
    r = Runner("studio-test-runner")
    yield r
    assert r.shutdown(WAIT_MS)
    assert not r.is_running


def wait_until_stopped(state: TaskState, started: threading.Event | None = None,
                       limit_s: float = 10.0) -> int:
    """A task body: loop until a stop is requested; return how many rounds it made."""
    if started is not None:
        started.set()
    rounds = 0
    deadline = time.monotonic() + limit_s
    while not state.is_interruption_requested() and time.monotonic() < deadline:
        rounds += 1
        time.sleep(0.001)
    return rounds


def test_the_result_arrives_in_the_gui_thread(qtbot, runner):
    gui = threading.get_ident()
    delivered: list[tuple[int, int]] = []
    runner.sig_result.connect(lambda result: delivered.append((result, threading.get_ident())))
    running: list[bool] = []
    runner.sig_running_changed.connect(running.append)

    with qtbot.waitSignal(runner.sig_finished, timeout=WAIT_MS) as finished:
        runner.start(TaskWorker(lambda state: threading.get_ident()))
        assert runner.is_running and runner.task_thread is not None
    [(task_thread, delivered_in)] = delivered
    assert task_thread != gui              # the task ran in the runner's thread
    assert delivered_in == gui             # its result was delivered in the GUI thread
    assert finished.args == [False]        # no stop was requested
    assert running == [True, False] and not runner.is_running


def test_progress_and_partial_results_arrive_in_order(qtbot, runner):
    def count(state: TaskState, n: int) -> str:
        for i in range(n):
            state.set_progress(i, n)
            if i % 10 == 0:
                state.set_partial_result("tenth", i)
        return "counted"

    gui = threading.get_ident()
    events: list[tuple] = []
    runner.sig_progress.connect(
        lambda values: events.append(("progress", values, threading.get_ident())))
    runner.sig_partial_result.connect(
        lambda kind, values: events.append((kind, values, threading.get_ident())))
    runner.sig_result.connect(lambda result: events.append(("result", result, None)))
    with qtbot.waitSignal(runner.sig_finished, timeout=WAIT_MS):
        runner.start(TaskWorker(count, 200))
    assert [e[1] for e in events if e[0] == "progress"] == [(i, 200) for i in range(200)]
    assert [e[1] for e in events if e[0] == "tenth"] == [(i,) for i in range(0, 200, 10)]
    assert events.index(("tenth", (10,), gui)) == events.index(("progress", (10, 200), gui)) + 1
    assert events[-1] == ("result", "counted", None)     # after every report
    assert all(e[2] == gui for e in events[:-1])


def test_stop_reaches_the_task_and_the_runner_reports_stopped(qtbot, runner):
    started = threading.Event()
    told: list[str] = []

    def task(state: TaskState) -> int:
        state.call_on_interruption(lambda: told.append("stop"))   # a core control's stop
        return wait_until_stopped(state, started)

    results: list[int] = []
    runner.sig_result.connect(results.append)
    with qtbot.waitSignal(runner.sig_finished, timeout=WAIT_MS) as finished:
        runner.start(TaskWorker(task))
        assert started.wait(WAIT_MS / 1000)
        runner.stop()
    assert finished.args == [True]          # the runner reports the stop
    assert told == ["stop"]                 # passed on once
    assert len(results) == 1                # a stopped task still reports what it has
    assert not runner.is_running


def test_an_interruption_callback_added_after_the_stop_runs_at_once():
    state = TaskState()
    state.request_interruption()
    told: list[int] = []
    state.call_on_interruption(lambda: told.append(1))
    state.request_interruption()            # asked again: the callbacks do not run twice
    assert told == [1] and state.is_interruption_requested()


def test_an_unexpected_error_becomes_one_line_for_the_user(qtbot, runner, caplog):
    def broken(state: TaskState) -> None:
        raise ValueError("boom")

    results: list = []
    runner.sig_result.connect(results.append)
    with (caplog.at_level(logging.ERROR, logger=__name__),
          qtbot.waitSignal(runner.sig_failed, timeout=WAIT_MS) as failed):
        runner.start(TaskWorker(broken))
    message = failed.args[0]
    assert message == "Unexpected error: ValueError: boom"
    assert "Traceback" not in message
    # the traceback is in the log of the task's module, for the developer
    [record] = [r for r in caplog.records if r.name == __name__]
    assert "broken failed unexpectedly" in record.getMessage() and record.exc_info
    qtbot.waitUntil(lambda: not runner.is_running, timeout=WAIT_MS)
    assert results == []


def test_a_studio_error_is_shown_as_it_is(qtbot, runner, caplog):
    def refused(state: TaskState) -> None:
        raise StudioError("The learning rate is too large.")

    with qtbot.waitSignal(runner.sig_failed, timeout=WAIT_MS) as failed:
        runner.start(TaskWorker(refused))
    assert failed.args == ["The learning rate is too large."]
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    qtbot.waitUntil(lambda: not runner.is_running, timeout=WAIT_MS)


def test_shutdown_while_running_is_bounded_and_drops_the_result(qtbot, runner):
    started = threading.Event()
    results: list = []
    running: list[bool] = []
    runner.sig_result.connect(results.append)
    runner.sig_running_changed.connect(running.append)
    runner.start(TaskWorker(wait_until_stopped, started))
    assert started.wait(WAIT_MS / 1000)
    thread = runner.task_thread
    begun = time.perf_counter()
    assert runner.shutdown(WAIT_MS)
    assert time.perf_counter() - begun < WAIT_MS / 1000
    assert thread.isFinished() and not runner.is_running and runner.task_thread is None
    qtbot.wait(50)
    assert results == []                    # nobody wants the result any more
    assert running == [True, False]


def test_shutdown_gives_up_after_its_timeout_and_the_thread_ends_on_its_own(qtbot, runner):
    release = threading.Event()
    started = threading.Event()

    def deaf(state: TaskState) -> str:        # does not look at the stop
        started.set()
        release.wait(10)
        return "late"

    runner.start(TaskWorker(deaf))
    assert started.wait(WAIT_MS / 1000)
    begun = time.perf_counter()
    assert not runner.shutdown(100)
    assert time.perf_counter() - begun < 2
    assert runner.is_running                # left to finish, never killed
    with qtbot.waitSignal(runner.sig_finished, timeout=WAIT_MS) as finished:
        release.set()
    assert finished.args == [True] and not runner.is_running


def test_a_second_start_while_running_is_refused(qtbot, runner):
    started = threading.Event()
    second_ran = threading.Event()
    results: list = []
    runner.sig_result.connect(results.append)
    runner.start(TaskWorker(wait_until_stopped, started))
    assert started.wait(WAIT_MS / 1000)
    with pytest.raises(RuntimeError, match="already running"):
        runner.start(TaskWorker(lambda state: second_ran.set()))
    with qtbot.waitSignal(runner.sig_finished, timeout=WAIT_MS):
        runner.stop()
    assert len(results) == 1                # the first task's result only
    assert not second_ran.is_set()          # refused, not queued
    with qtbot.waitSignal(runner.sig_finished, timeout=WAIT_MS):
        runner.start(TaskWorker(lambda state: second_ran.set()))   # idle again: accepted
    assert second_ran.is_set()


def test_a_worker_runs_in_the_calling_thread_too(qtbot):
    worker = TaskWorker(lambda state, a, b: a + b, 2, 3)
    results: list[int] = []
    worker.sig_result.connect(results.append)
    with qtbot.waitSignals([worker.sig_result, worker.sig_done], timeout=WAIT_MS):
        worker.run()
    assert results == [5]
    with pytest.raises(RuntimeError, match="once"):
        worker.run()
