"""Shared test configuration: the GUI tests' Qt platform (real xcb on Xvfb when possible),
quiet TensorFlow, isolated user settings."""

import os
import sys
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("CUDA_VISIBLE_DEVICES", os.environ.get("STUDIO_TEST_GPU", "-1"))

# Logs of the CLI and the window go to a temporary folder, never the user's data folder.
if "NETSKETCH_DATA_DIR" not in os.environ:
    import tempfile

    os.environ["NETSKETCH_DATA_DIR"] = tempfile.mkdtemp(prefix="netsketch-test-")


# -- The Qt platform: decided once, after pytest-xvfb has started Xvfb, before any QApplication -
import pytest

sys.path.insert(0, str(Path(__file__).parent))        # tests/gui_platform.py
import gui_platform

#: The session's platform (set in pytest_configure; tests/display skips unless it is xcb).
GUI_PLATFORM: gui_platform.GuiPlatform | None = None


@pytest.hookimpl(trylast=True)       # after pytest-xvfb's pytest_configure set DISPLAY
def pytest_configure(config):
    global GUI_PLATFORM
    plugin_active = config.pluginmanager.hasplugin("xvfb")
    xvfb_running = False
    if plugin_active:
        import pytest_xvfb

        xvfb_running = pytest_xvfb.xvfb_instance is not None
    no_xvfb = bool(config.getoption("--no-xvfb", default=False))
    GUI_PLATFORM = gui_platform.choose(xvfb_running, no_xvfb, dict(os.environ), plugin_active)
    gui_platform.apply(GUI_PLATFORM)


def pytest_unconfigure(config):
    if GUI_PLATFORM is not None:
        GUI_PLATFORM.stop()


def pytest_report_header(config):
    return [GUI_PLATFORM.header()] if GUI_PLATFORM else []


def pytest_terminal_summary(terminalreporter, config):
    """The platform again at the end: `-q` hides the header."""
    if GUI_PLATFORM is not None and config.option.verbose < 0:
        terminalreporter.write_line(GUI_PLATFORM.header())


def pytest_collection_modifyitems(config, items):
    if GUI_PLATFORM is not None and GUI_PLATFORM.is_real:
        return
    header = GUI_PLATFORM.header() if GUI_PLATFORM else "no platform chosen"
    skip = pytest.mark.skip(reason=f"needs real input on xcb; {header}")
    for item in items:
        if item.get_closest_marker("display"):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def gui_platform_choice():
    """The session's :class:`gui_platform.GuiPlatform`."""
    return GUI_PLATFORM


# -- Qt fixtures shared by tests/ui and tests/hardening (Qt is imported only when used) --------


@pytest.fixture
def isolated_settings(tmp_path_factory, monkeypatch):
    """QSettings in a temporary folder: the user's real settings are never read or written.
    Unexpected exceptions in guarded slots fail the test instead of showing a message."""
    from studio.ui.common import guard, qt_settings

    qt_settings.use_folder(tmp_path_factory.mktemp("settings"))
    monkeypatch.setattr(guard, "RAISE_UNEXPECTED", True)
    yield


@pytest.fixture
def studio_app(qapp):
    """The QApplication with the studio's names and theme."""
    from studio.ui.shell.app import make_application

    return make_application([])


@pytest.fixture
def window(qtbot, studio_app, isolated_settings):
    """The main window, shown at 1280x800 and started (first start: the iris sample).
    Unsaved-changes prompts answer Discard unless a test says otherwise (set on the instance,
    so a test's monkeypatch.undo() keeps it)."""
    from PySide6.QtWidgets import QMessageBox

    from studio.ui.shell.main_window import MainWindow

    w = MainWindow()
    w.files.ask_save_changes = lambda: QMessageBox.Discard
    qtbot.addWidget(w)
    w.resize(1280, 800)
    w.show()
    w.start()
    yield w
    w.close()
