"""Fixtures for the hardening tests: the corpus of awkward files, and the main window with
isolated settings (as in tests/ui, whose conftest does not reach this folder)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import pytest

sys.path.insert(0, str(Path(__file__).parent))   # `import corpus` from the test modules


@pytest.fixture(scope="session")
def corpus_paths(tmp_path_factory) -> dict[str, Path]:
    """Every corpus file, written once per session into tests' temporary folder."""
    from corpus import write_corpus

    return write_corpus(tmp_path_factory.mktemp("corpus"))


@pytest.fixture
def isolated_settings(tmp_path_factory, monkeypatch):
    """QSettings in a temporary folder; unexpected exceptions in guarded slots fail the test."""
    from studio.ui import guard, qt_settings

    qt_settings.use_folder(tmp_path_factory.mktemp("settings"))
    monkeypatch.setattr(guard, "RAISE_UNEXPECTED", True)
    yield


@pytest.fixture
def studio_app(qapp):
    from studio.ui.app import make_application

    return make_application([])


@pytest.fixture
def window(qtbot, studio_app, isolated_settings, monkeypatch):
    """The main window, shown and started on the iris sample; unsaved changes are discarded
    unless a test says otherwise."""
    from PySide6.QtWidgets import QMessageBox

    from studio.ui.main_window import MainWindow

    w = MainWindow()
    w.ask_save_changes = lambda: QMessageBox.Discard   # not undone by a monkeypatch.undo()
    qtbot.addWidget(w)
    w.resize(1280, 800)
    w.show()
    w.start()
    yield w
    w.close()


@pytest.fixture(autouse=True)
def _collect_qt_garbage_between_tests(request):
    """Free each GUI test's Qt objects at a quiet moment (as tests/ui does)."""
    yield
    if "qapp" not in request.fixturenames or "shared_window" in request.fixturenames:
        return      # (a module's shared window is collected once, at the module's end)
    import gc

    qapp = request.getfixturevalue("qapp")
    for _ in range(2):
        qapp.processEvents()
        gc.collect()
    qapp.processEvents()
