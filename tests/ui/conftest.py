"""GUI tests run offscreen, with settings in a temporary folder and bugs raised, not hidden."""

from __future__ import annotations

import os

os.environ["QT_QPA_PLATFORM"] = "offscreen"          # before Qt is imported anywhere
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import pytest


@pytest.fixture(autouse=True)
def _isolated_settings(tmp_path_factory, monkeypatch):
    """Every test gets its own QSettings folder: the user's real settings are never read or
    written. Unexpected exceptions in guarded slots fail the test instead of a message."""
    from studio.ui import guard, qt_settings

    qt_settings.use_folder(tmp_path_factory.mktemp("settings"))
    monkeypatch.setattr(guard, "RAISE_UNEXPECTED", True)
    yield


@pytest.fixture
def studio_app(qapp):
    """The QApplication with the studio's names and theme."""
    from studio.ui.app import make_application

    return make_application([])


@pytest.fixture
def state(studio_app):
    """A StudioState with the iris sample open."""
    from studio.ui.state import StudioState

    s = StudioState()
    s.open_data("sample:iris", target="species")
    return s


@pytest.fixture
def window(qtbot, studio_app, monkeypatch):
    """The main window, shown at 1280x800 and started (first start: the iris sample).
    Unsaved-changes prompts answer Discard unless a test says otherwise."""
    from PySide6.QtWidgets import QMessageBox

    from studio.ui.main_window import MainWindow

    w = MainWindow()
    monkeypatch.setattr(w, "ask_save_changes", lambda: QMessageBox.Discard)
    qtbot.addWidget(w)
    w.resize(1280, 800)
    w.show()
    w.start()
    yield w
    w.close()



@pytest.fixture(autouse=True)
def _collect_qt_garbage_between_tests(qapp):
    """Free each test's Qt objects at a quiet moment, not whenever the garbage collector
    happens to run mid-event in a later test (which delivered a timer event to a freed
    QObject in one suite order)."""
    import gc

    yield
    for _ in range(2):
        qapp.processEvents()
        gc.collect()
    qapp.processEvents()
