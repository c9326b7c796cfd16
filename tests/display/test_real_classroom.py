"""Classroom flows in the real window on the xcb platform, with the real pointer and keyboard:
View > Language both ways and then a training run; presentation mode (F5) at the projector
sizes 1024x768 and 1280x800 with every step reachable by key; the window closed by the window
manager (Alt+F4) while a model trains."""

from __future__ import annotations

import time

import pytest
import shiboken6
from PySide6.QtCore import QSize, Qt
from real_input import click_menu, find_action, global_centre, wait_active

pytestmark = pytest.mark.display

RUN_TIMEOUT_MS = 120_000


@pytest.fixture
def english_afterwards():
    """Whatever a test switched to, later tests start in English."""
    yield
    from studio.core import i18n

    i18n.set_language("en")


def _language_action(window, code: str):
    return find_action(window, lambda a: a.isCheckable() and a.data() == code)


def _top_menus(window) -> list[str]:
    return [a.text() for a in window.menuBar().actions() if a.isVisible()]


def _switch_language(qtbot, xdo, window, code: str) -> None:
    from studio.core import i18n

    click_menu(qtbot, xdo, window, _language_action(window, code))
    qtbot.waitUntil(lambda: i18n.language() == code, timeout=10000)
    qtbot.waitUntil(lambda: _language_action(window, code).isChecked(), timeout=10000)
    qtbot.wait(100)                             # the pages rebuilt behind the menu


def test_language_both_ways_then_train(ready, qtbot, xdo, english_afterwards):
    window, state = ready, ready.state
    english = _top_menus(window)
    assert english[:3] == ["&File", "&Edit", "&View"]

    _switch_language(qtbot, xdo, window, "ko")
    korean = _top_menus(window)
    assert len(korean) == len(english), f"menus lost in the switch: {korean}"
    assert all(k != e for k, e in zip(korean, english)), korean   # every title translated

    wait_active(qtbot, window)
    _switch_language(qtbot, xdo, window, "en")
    assert _top_menus(window) == english

    # then a real run from the Train page's button, clicked with the pointer
    state.project.training.epochs = 2
    state.project.training.early_stopping.enabled = False
    state.touch()
    window.show_step("train")
    panel = window.page("train")
    qtbot.waitUntil(panel.train_button.isVisible)
    assert panel.train_button.isEnabled(), panel.reason_label.text()
    wait_active(qtbot, window)
    with qtbot.waitSignal(state.sig_result_ready, timeout=RUN_TIMEOUT_MS):
        xdo.click(global_centre(panel.train_button))
    assert state.result.epochs_run == 2
    qtbot.waitUntil(lambda: not panel.controller.is_running, timeout=10000)
    assert window.page("train").curves.epochs == [1, 2]
    assert window.error_text() == ""
    window.show_step("evaluate")
    assert not window.page("evaluate").is_empty


@pytest.mark.parametrize("size", [QSize(1024, 768), QSize(1280, 800)], ids=["1024x768",
                                                                           "1280x800"])
def test_presentation_mode_at_projector_sizes(ready, qtbot, xdo, size):
    from studio.ui.common import theme

    window = ready
    window.showNormal()
    window.resize(size)
    qtbot.waitUntil(lambda: window.size() == size, timeout=5000)
    wait_active(qtbot, window)
    normal_pt = window.font().pointSizeF()

    xdo.key("F5")                                       # the real key, through the X server
    qtbot.waitUntil(window.classroom.presentation_action.isChecked, timeout=5000)
    qtbot.wait(400)                                     # the look is applied after 120 ms
    assert window.font().pointSizeF() > normal_pt
    assert window.size() == size, f"presenting grew the window to {window.size()}"
    assert window.minimumSizeHint().width() <= size.width()
    assert window.minimumSizeHint().height() <= size.height()

    # every enabled step, one Page Down after the other from the first
    window.show_step(window.steps()[0])
    visited = [window.current_step()]
    for _ in range(len(window.steps())):
        xdo.key("Next")
        qtbot.wait(150)
        if window.current_step() == visited[-1]:
            break
        visited.append(window.current_step())
        page = window.page(visited[-1])
        assert page.isVisible()
        assert page.width() <= size.width() and page.height() <= size.height()
        assert window.size() == size, f"{visited[-1]} grew the window to {window.size()}"
    enabled = [k for i, k in enumerate(window.steps())
               if window.step_list.item(i).flags() & Qt.ItemFlag.ItemIsEnabled]
    assert visited == enabled

    xdo.key("F5")
    qtbot.waitUntil(lambda: not window.classroom.presentation_action.isChecked(), timeout=5000)
    qtbot.wait(400)
    assert window.font().pointSizeF() == pytest.approx(theme.BASE_POINT_SIZE, abs=0.01) \
        or window.font().pointSizeF() == pytest.approx(normal_pt)


def test_closing_by_the_window_manager_while_training_ends_the_run(ready, qtbot, xdo,
                                                                   gui_platform_choice):
    if gui_platform_choice.window_manager != "openbox":
        pytest.skip("closes with openbox's Alt+F4")
    window, state = ready, ready.state
    training = state.project.training
    training.epochs = 5000
    training.early_stopping.enabled = False
    state.touch()
    window.show_step("train")
    panel = window.page("train")
    controller = panel.controller
    qtbot.waitUntil(panel.train_button.isVisible)
    wait_active(qtbot, window)
    with qtbot.waitSignal(controller.sig_epoch_finished, timeout=RUN_TIMEOUT_MS):
        xdo.click(global_centre(panel.train_button))
    thread = controller.training_thread
    assert thread is not None and thread.isRunning()

    wait_active(qtbot, window)
    started = time.perf_counter()
    xdo.key("alt+F4")                                   # openbox's Close: WM_DELETE_WINDOW
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=15000)
    assert time.perf_counter() - started < 10, "closing waited for the run"
    assert not controller.is_running
    assert not shiboken6.isValid(thread) or not thread.isRunning()
    assert state.result is None or state.result.epochs_run < 5000
