"""The GUI tests' platform choice (tests/gui_platform.py): xcb on pytest-xvfb's display with a
window manager when possible, offscreen with the reason otherwise, and the run says which."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import gui_platform

ROOT = Path(__file__).resolve().parent.parent


def test_no_xvfb_option_means_offscreen():
    choice = gui_platform.choose(xvfb_running=True, no_xvfb_option=True, env={"DISPLAY": ":3"})
    assert choice.name == "offscreen"
    assert choice.header() == "GUI tests: offscreen (--no-xvfb given)"


def test_without_the_plugin_the_header_says_so():
    choice = gui_platform.choose(xvfb_running=False, no_xvfb_option=False, env={},
                                 plugin_active=False)
    assert choice.header().startswith("GUI tests: offscreen (pytest-xvfb is not installed")


def test_without_xvfb_the_header_says_what_to_install():
    choice = gui_platform.choose(xvfb_running=False, no_xvfb_option=False, env={})
    assert choice.header() == "GUI tests: offscreen (no Xvfb: install xvfb openbox)"


def test_a_missing_xcb_library_means_offscreen_with_the_package(monkeypatch):
    from studio import preflight

    monkeypatch.setattr(preflight, "missing_libraries",
                        lambda _p, _e: ["libxcb-cursor.so.0"])
    choice = gui_platform.choose(xvfb_running=True, no_xvfb_option=False,
                                 env={"DISPLAY": ":3"})
    assert choice.name == "offscreen"
    assert "libxcb-cursor.so.0" in choice.header() and "libxcb-cursor0" in choice.header()


def test_xcb_header_names_the_display_and_the_window_manager():
    choice = gui_platform.GuiPlatform("xcb", display=":7", window_manager="openbox")
    assert choice.header() == "GUI tests: xcb on Xvfb :7 with openbox"
    bare = gui_platform.GuiPlatform("xcb", display=":7")
    assert bare.header() == "GUI tests: xcb on Xvfb :7 without a window manager (install openbox)"


def test_offscreen_drops_the_real_displays_from_the_environment():
    env = {"DISPLAY": ":0", "WAYLAND_DISPLAY": "wayland-0", "QT_QPA_PLATFORM": "xcb"}
    gui_platform.apply(gui_platform.GuiPlatform("offscreen", "test"), env)
    assert env == {"QT_QPA_PLATFORM": "offscreen"}


def test_no_window_manager_installed_starts_nothing(monkeypatch):
    monkeypatch.setattr(gui_platform.shutil, "which", lambda _name: None)
    assert gui_platform.start_window_manager(":3") == (None, None)


def test_this_sessions_qt_runs_on_the_chosen_platform(qapp, gui_platform_choice):
    assert qapp.platformName() == gui_platform_choice.name
    assert os.environ["QT_QPA_PLATFORM"] == gui_platform_choice.name
    assert "WAYLAND_DISPLAY" not in os.environ
    if gui_platform_choice.is_real:
        assert os.environ["DISPLAY"] == gui_platform_choice.display
        screen = qapp.primaryScreen().size()
        assert (screen.width(), screen.height()) == (1920, 1200)     # pyproject's xvfb_*
        assert qapp.primaryScreen().logicalDotsPerInch() == 96      # text sized as offscreen
        if gui_platform_choice.window_manager:
            assert gui_platform_choice._wm_process.poll() is None    # still running
    else:
        assert "DISPLAY" not in os.environ


def test_a_run_without_xvfb_says_offscreen_and_skips_the_display_tests(tmp_path):
    """A whole pytest run where Xvfb cannot be found (an empty PATH): the header says so
    and the real-input flows are skipped, not failed."""
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM",)}
    env["PATH"] = str(tmp_path)                         # no Xvfb, no window manager
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-rs",
         "tests/display/test_real_shortcuts.py"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=240, check=False)
    out = proc.stdout
    assert proc.returncode == 0, out + proc.stderr
    assert "GUI tests: offscreen (no Xvfb: install xvfb openbox)" in out
    assert "1 skipped" in out and "needs real input on xcb" in out
