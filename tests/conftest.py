"""Shared test configuration: headless Qt, quiet TensorFlow, isolated user settings."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("CUDA_VISIBLE_DEVICES", os.environ.get("STUDIO_TEST_GPU", "-1"))

# Logs of the CLI and the window go to a temporary folder, never the user's data folder.
if "NETSKETCH_DATA_DIR" not in os.environ:
    import tempfile

    os.environ["NETSKETCH_DATA_DIR"] = tempfile.mkdtemp(prefix="netsketch-test-")


# -- Qt fixtures shared by tests/ui and tests/hardening (Qt is imported only when used) --------
import pytest


@pytest.fixture
def isolated_settings(tmp_path_factory, monkeypatch):
    """QSettings in a temporary folder: the user's real settings are never read or written.
    Unexpected exceptions in guarded slots fail the test instead of showing a message."""
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
def window(qtbot, studio_app, isolated_settings):
    """The main window, shown at 1280x800 and started (first start: the iris sample).
    Unsaved-changes prompts answer Discard unless a test says otherwise (set on the instance,
    so a test's monkeypatch.undo() keeps it)."""
    from PySide6.QtWidgets import QMessageBox

    from studio.ui.main_window import MainWindow

    w = MainWindow()
    w.ask_save_changes = lambda: QMessageBox.Discard
    qtbot.addWidget(w)
    w.resize(1280, 800)
    w.show()
    w.start()
    yield w
    w.close()
