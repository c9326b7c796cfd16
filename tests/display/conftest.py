"""End-to-end flows on the real xcb platform (Xvfb with a window manager), driven by real input.

Every module here sets ``pytestmark = pytest.mark.display``: skipped when the session runs
offscreen (tests/conftest.py decides). Menus and drags go through the X server with
``xdotool``: a real pointer press, motion and release that Qt receives exactly as from a
mouse, so Qt's own drag loop and menu popups run; keys go to the shown, active window with
QTest, or as X key events (F5, Page Down; Alt+F4, which only the window manager handles)."""

from __future__ import annotations

import shutil

import pytest
from real_input import Xdo, wait_active


@pytest.fixture(autouse=True)
def _collect_qt_garbage_between_tests(qapp):
    """As in tests/ui: free each test's Qt objects at a quiet moment."""
    import gc

    yield
    for _ in range(2):
        qapp.processEvents()
        gc.collect()
    qapp.processEvents()


@pytest.fixture
def xdo(gui_platform_choice) -> Xdo:
    if shutil.which("xdotool") is None:
        pytest.skip("xdotool is not installed (apt install xdotool)")
    return Xdo(gui_platform_choice.display)


@pytest.fixture
def ready(window, qtbot):
    """The started, shown and active window (iris), TensorFlow loaded as after start-up."""
    from studio.core import build

    build.configure()
    window.set_tensorflow_ready(True, "CPU")
    qtbot.waitExposed(window)
    wait_active(qtbot, window)
    yield window
    page = window.page("train")
    if page is not None and hasattr(page, "shutdown"):
        assert page.shutdown(30000)
