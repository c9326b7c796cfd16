"""GUI tests, with settings in a temporary folder and bugs raised, not hidden. The platform
(xcb on Xvfb, or offscreen) is chosen once for the session in tests/conftest.py."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _isolated_settings(isolated_settings):
    """Every GUI test gets its own QSettings folder (tests/conftest.py)."""
    yield


@pytest.fixture
def state(studio_app):
    """A StudioState with the iris sample open."""
    from studio.ui.state import StudioState

    s = StudioState()
    s.open_data("sample:iris", target="species")
    return s


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
