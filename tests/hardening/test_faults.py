"""Faults injected while working: NaN in the middle of training, out of memory, Stop and
window close in the middle of an epoch, a full or read-only disk on save, a crash in the middle
of a save, the process killed. Each ends with a clear message and nothing lost."""

from __future__ import annotations

import errno
import json
import os
import signal
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from studio.cli import main
from studio.core import fileio as fileio_module
from studio.core.errors import StudioError, TrainingError
from studio.core.project import Project, new_project

ROOT = Path(__file__).resolve().parents[2]


def _no_space(*_args, **_kwargs):
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def _read_only(*_args, **_kwargs):
    raise OSError(errno.EROFS, os.strerror(errno.EROFS))


def _files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


@pytest.fixture
def iris_project():
    proj = new_project("sample:iris", "species")
    proj.training.epochs = 2
    return proj


def _oom(*_args, **_kwargs):
    import tensorflow as tf

    raise tf.errors.ResourceExhaustedError(
        None, None, "OOM when allocating tensor with shape[1000000,64] and type float")


# -- NaN and out of memory --------------------------------------------------------------------
@pytest.fixture
def exploding_csv(tmp_path) -> str:
    """Features of 1e18 left unscaled: with SGD at a high rate the loss becomes NaN within the
    first epoch (the recipe of tests/core/test_train.py)."""
    rng = np.random.default_rng(0)
    x = rng.normal(size=(300, 3))
    df = pd.DataFrame(x * 1e18, columns=["a", "b", "c"])
    df["label"] = np.where(x[:, 0] > 0, "yes", "no")
    path = tmp_path / "exploding.csv"
    df.to_csv(path, index=False)
    return str(path)


def _explode(proj):
    proj.compile.optimizer, proj.compile.learning_rate = "sgd", 9.0
    proj.compile.momentum, proj.compile.loss = 0.99, "binary_crossentropy"
    for c in ("a", "b", "c"):
        proj.columns[c].scale = "none"
    proj.training.epochs, proj.training.batch_size = 50, 8
    proj.training.early_stopping.enabled = False


def test_out_of_memory_in_core_is_a_training_error(iris_project, monkeypatch):
    import keras

    from studio.core.train import train

    monkeypatch.setattr(keras.Model, "fit", _oom)
    iris_project.training.batch_size = 1_000_000
    with pytest.raises(TrainingError) as err:
        train(iris_project)
    message = str(err.value)
    assert "out of memory" in message and "1000000" in message and "batch size" in message


def test_out_of_memory_in_the_cli_is_one_error_line(monkeypatch, capsys, tmp_path):
    import keras

    monkeypatch.setattr(keras.Model, "fit", _oom)
    rc = main(["train", "sample:iris", "--target", "species", "--batch-size", "1000000",
               "--out", str(tmp_path / "run")])
    err = capsys.readouterr().err.strip().splitlines()
    assert rc == 2 and len(err) == 1 and err[0].startswith("error: ")
    assert "out of memory" in err[0]


def _train_in_window(window, qtbot):
    panel = window.page("train")
    window.set_tensorflow_ready(True, "CPU")
    assert panel.start_training(), panel.blocked_reason()
    return panel


def test_out_of_memory_in_the_window_is_a_message(window, qtbot, monkeypatch):
    import keras

    monkeypatch.setattr(keras.Model, "fit", _oom)
    before = json.dumps(window.state.project.to_dict())
    with qtbot.waitSignal(window.state.sig_error, timeout=30_000) as blocker:
        panel = _train_in_window(window, qtbot)
    qtbot.waitUntil(lambda: not panel.controller.is_running, timeout=10_000)
    assert "out of memory" in blocker.args[0]
    assert "out of memory" in window.error_text()
    assert json.dumps(window.state.project.to_dict()) == before      # nothing lost
    assert panel.train_button.isEnabled()                              # still usable


def test_nan_in_the_middle_of_training_in_the_window(window, qtbot, exploding_csv):
    assert window.files.open_path(exploding_csv)
    _explode(window.state.project)
    window.state.touch()
    assert not window.state.has_errors, [f.title for f in window.state.findings]
    epochs = []
    panel = window.page("train")
    panel.controller.sig_epoch_finished.connect(lambda e, logs: epochs.append(e))
    with qtbot.waitSignal(window.state.sig_error, timeout=60_000) as blocker:
        _train_in_window(window, qtbot)
    qtbot.waitUntil(lambda: not panel.controller.is_running, timeout=10_000)
    assert "NaN" in blocker.args[0] and "learning rate" in blocker.args[0]
    assert len(epochs) < 50                      # it stopped, it did not run to the end
    assert window.state.project.compile.learning_rate == 9.0     # the project is as it was
    assert panel.train_button.isEnabled()


# -- Stop and close in the middle of an epoch -------------------------------------------------
@pytest.fixture(scope="module")
def many_rows_csv(tmp_path_factory) -> str:
    """Enough rows for several calls into the compiled graph per epoch (128 steps each)."""
    rng = np.random.default_rng(1)
    x = rng.normal(size=(3000, 4))
    df = pd.DataFrame(x, columns=["a", "b", "c", "d"])
    df["label"] = np.where(x[:, 0] + x[:, 1] > 0, "yes", "no")
    path = tmp_path_factory.mktemp("rows") / "many_rows.csv"
    df.to_csv(path, index=False)
    return str(path)


def _long_run(window, csv_path):
    assert window.files.open_path(csv_path)
    proj = window.state.project
    proj.training.epochs, proj.training.batch_size = 500, 4      # 525 steps per epoch
    proj.training.early_stopping.enabled = False
    window.state.touch()


def _wait_mid_epoch(panel, qtbot) -> tuple[int, int, int]:
    seen: list = []
    panel.controller.sig_progress.connect(lambda *a: seen.append(a))
    qtbot.waitUntil(lambda: any(step < steps for _e, step, steps, _l in seen),
                    timeout=60_000)
    return next((e, s, n) for e, s, n, _l in seen if s < n)


def test_stop_in_the_middle_of_an_epoch(window, qtbot, many_rows_csv):
    _long_run(window, many_rows_csv)
    panel = _train_in_window(window, qtbot)
    _wait_mid_epoch(panel, qtbot)
    with qtbot.waitSignal(panel.controller.sig_finished, timeout=30_000) as blocker:
        panel.stop_training()
    result = blocker.args[0]
    assert result.stopped_reason == "stopped" and result.epochs_run < 500
    qtbot.waitUntil(lambda: not panel.controller.is_running, timeout=10_000)
    assert window.state.result is result                  # the partial run is kept
    assert window.state.project.runs[-1].epochs_run == result.epochs_run


def _shown_window(qtbot):
    """A main window of the test's own (not the fixture's: the test closes it and counts the
    threads left), shown and started; unsaved changes are discarded, also when pytest-qt
    closes it."""
    from PySide6.QtWidgets import QMessageBox

    from studio.ui.shell.main_window import MainWindow

    w = MainWindow()
    w.files.ask_save_changes = lambda: QMessageBox.Discard
    qtbot.addWidget(w)
    w.show()
    w.start()
    return w


def _python_threads() -> set[str]:
    """Threads Python started. (A QThread that ran Python code shows up as a "Dummy" thread
    that Python never forgets, even after it ended: QThreads are checked by Qt instead.)"""
    return {t.name for t in threading.enumerate()
            if t.is_alive() and not isinstance(t, threading._DummyThread)}


def _running_qthreads() -> list:
    import gc

    from PySide6.QtCore import QCoreApplication, QThread

    main_thread = QCoreApplication.instance().thread()
    out = []
    for obj in gc.get_objects():
        try:
            if isinstance(obj, QThread) and obj is not main_thread and obj.isRunning():
                out.append(obj.objectName() or repr(obj))
        except RuntimeError:        # its C++ object is gone
            continue
    return out


def test_closing_the_window_in_the_middle_of_an_epoch(qtbot, studio_app, isolated_settings,
                                                      monkeypatch, many_rows_csv):
    import time

    threads_before = _python_threads()
    w = _shown_window(qtbot)
    _long_run(w, many_rows_csv)
    panel = _train_in_window(w, qtbot)
    _wait_mid_epoch(panel, qtbot)
    start = time.perf_counter()
    assert w.close()
    assert time.perf_counter() - start < 10
    assert not panel.controller.is_running
    for _ in range(3):
        studio_app.processEvents()
    assert _running_qthreads() == []
    assert _python_threads() <= threads_before


def test_no_thread_left_after_a_finished_run_and_close(qtbot, studio_app, isolated_settings,
                                                        monkeypatch):
    threads_before = _python_threads()
    w = _shown_window(qtbot)
    w.state.project.training.epochs = 2
    panel = w.page("train")
    with qtbot.waitSignal(panel.controller.sig_finished, timeout=60_000):
        _train_in_window(w, qtbot)
    qtbot.waitUntil(lambda: not panel.controller.is_running, timeout=10_000)
    assert w.close()
    for _ in range(3):
        studio_app.processEvents()
    assert _running_qthreads() == []
    assert _python_threads() <= threads_before
    for controller in (panel.controller, getattr(w.runs_view, "controller", None)):
        assert controller is None or not controller.is_running


# -- a full or read-only disk on save ---------------------------------------------------------
@pytest.mark.parametrize("fault", [_no_space, _read_only], ids=["disk-full", "read-only"])
@pytest.mark.parametrize("where", ["replace", "mkstemp", "fsync"])
def test_core_save_fails_cleanly_and_keeps_the_old_file(iris_project, tmp_path, monkeypatch,
                                                        fault, where):
    path = tmp_path / "p.json"
    iris_project.save(path)
    old = path.read_bytes()
    iris_project.training.epochs = 77
    target = {"replace": (os, "replace"), "mkstemp": (fileio_module.tempfile, "mkstemp"),
              "fsync": (os, "fsync")}[where]
    monkeypatch.setattr(*target, fault)
    with pytest.raises(StudioError) as err:
        iris_project.save(path)
    monkeypatch.undo()
    assert "could not be saved" in str(err.value) and "unchanged" in str(err.value)
    assert path.read_bytes() == old
    assert _files(tmp_path) == ["p.json"]                 # no temporary file left
    iris_project.save(path)                               # the edit was not lost
    assert Project.load(path).training.epochs == 77


@pytest.mark.parametrize("fault", [_no_space, _read_only], ids=["disk-full", "read-only"])
def test_window_save_on_a_full_disk_shows_a_message_and_keeps_the_work(window, tmp_path,
                                                                       monkeypatch, fault):
    path = tmp_path / "iris.json"
    assert window.files.save_to(str(path))
    old = path.read_bytes()
    window.state.project.training.epochs = 123
    window.state.touch()
    monkeypatch.setattr(os, "replace", fault)
    assert not window.files.save_to(str(path))
    monkeypatch.undo()
    assert "could not be saved" in window.error_text()
    assert path.read_bytes() == old and _files(tmp_path) == ["iris.json"]
    assert window.state.dirty                              # still unsaved, still there
    assert window.autosaver.tick()                         # and the autosave keeps it
    assert window.files.save_to(str(path))
    assert Project.load(path).training.epochs == 123


def test_autosave_on_a_full_disk_keeps_the_previous_autosave(window, monkeypatch):
    window.state.project.training.epochs = 11
    window.state.touch()
    assert window.autosaver.tick()
    saved = (window.autosaver.folder / "autosave.json").read_bytes()
    window.state.project.training.epochs = 12
    window.state.touch()
    monkeypatch.setattr(os, "replace", _no_space)
    assert not window.autosaver.tick()
    monkeypatch.undo()
    assert "Autosave failed" in window.statusBar().currentMessage()
    assert (window.autosaver.folder / "autosave.json").read_bytes() == saved


def test_cli_writes_on_a_full_disk_exit_2(monkeypatch, capsys, tmp_path):
    project_path = tmp_path / "p.json"
    assert main(["new", "sample:iris", "--target", "species", "-o", str(project_path)]) == 0
    old = project_path.read_bytes()
    capsys.readouterr()
    monkeypatch.setattr(os, "replace", _no_space)
    for argv in (["new", "sample:iris", "--target", "species", "-o", str(project_path)],
                 ["export", str(project_path), "-o", str(tmp_path / "code.py")]):
        rc = main(argv)
        err = capsys.readouterr().err.strip().splitlines()
        assert rc == 2 and len(err) == 1 and err[0].startswith("error: "), (argv, err)
        assert "No space left" in err[0]
    monkeypatch.undo()
    assert project_path.read_bytes() == old


def test_lesson_save_on_a_full_disk_keeps_the_old_lesson(iris_project, tmp_path, monkeypatch):
    from studio.core.lesson import open_lesson, save_lesson

    path = tmp_path / "iris.nslesson"
    ds = iris_project.load_data()
    save_lesson(path, iris_project, ds, notes="first")
    old = path.read_bytes()
    monkeypatch.setattr(os, "replace", _no_space)
    with pytest.raises(StudioError, match="No space left"):
        save_lesson(path, iris_project, ds, notes="second")
    monkeypatch.undo()
    assert path.read_bytes() == old and _files(tmp_path) == ["iris.nslesson"]
    assert open_lesson(path, dest=tmp_path / "open").notes == "first"


# -- a crash in the middle of a save, and a killed process ------------------------------------
def _run_python(code: str, env_extra: dict | None = None, timeout: int = 120):
    env = dict(os.environ, **(env_extra or {}))
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], cwd=ROOT, env=env,
                          timeout=timeout, capture_output=True, text=True, check=False)


@pytest.mark.parametrize("moment", ["before-rename", "mid-write"])
def test_crash_in_the_middle_of_a_save_keeps_the_old_file(iris_project, tmp_path, moment):
    path = tmp_path / "p.json"
    iris_project.save(path)
    old = path.read_bytes()
    proc = _run_python(f"""
        import os
        from studio.core.project import Project
        p = Project.load({str(path)!r})
        p.training.epochs = 999
        if {moment!r} == "before-rename":
            os.replace = lambda *a: os._exit(9)            # the power goes off here
        else:
            real_fsync = os.fsync
            def crash(fd):
                os.ftruncate(fd, 10)                       # half the bytes made it
                os._exit(9)
            os.fsync = crash
        p.save({str(path)!r})
        """)
    assert proc.returncode == 9, proc.stderr
    assert path.read_bytes() == old                          # the old file, whole
    assert Project.load(path).training.epochs == iris_project.training.epochs
    leftovers = [n for n in _files(tmp_path) if n != "p.json"]
    assert all(n.startswith(".p.json.") and n.endswith(".tmp") for n in leftovers)


def test_killed_window_process_is_recovered_by_the_next_start(qtbot, studio_app, tmp_path,
                                                              monkeypatch):
    """A window with unsaved work, autosaved, is killed (SIGKILL: no clean exit); the next
    window offers the work back and gets every edit."""
    from PySide6.QtWidgets import QMessageBox

    from studio.ui.common import guard, qt_settings
    from studio.ui.shell.main_window import MainWindow

    settings_dir = tmp_path / "settings"
    proc = _run_python(f"""
        import os, signal
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        from studio.ui.common import qt_settings
        qt_settings.use_folder({str(settings_dir)!r})
        from studio.ui.shell.app import make_application
        from studio.ui.shell.main_window import MainWindow
        app = make_application([])
        w = MainWindow()
        w.show()
        w.start()
        w.state.project.training.epochs = 321
        w.state.project.design.layers[1].units = 24
        w.state.touch()
        assert w.autosaver.tick()
        os.kill(os.getpid(), signal.SIGKILL)
        """, env_extra={"QT_QPA_PLATFORM": "offscreen"})
    assert proc.returncode == -signal.SIGKILL, proc.stderr[-2000:]
    qt_settings.use_folder(settings_dir)
    monkeypatch.setattr(guard, "RAISE_UNEXPECTED", True)
    w = MainWindow()
    w.ask_recover = lambda when, name: True
    w.files.ask_save_changes = lambda: QMessageBox.Discard   # also when pytest-qt closes it
    qtbot.addWidget(w)
    w.show()
    w.start()
    assert w.state.project.training.epochs == 321
    assert w.state.project.design.layers[1].units == 24
    assert w.state.dirty
    w.close()
