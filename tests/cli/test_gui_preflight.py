"""`studio gui` on a machine that lacks a system library Qt's xcb plugin needs, or a display:
one `error:` line naming the Debian/Ubuntu package, exit 2, before Qt can abort the process
(issue: a fresh Debian/Ubuntu machine dumped core on the Quick start's first command)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from studio import preflight
from studio.cli import main

LINUX = sys.platform.startswith("linux")
XCB_PLUGIN = preflight.plugin_file("xcb") if LINUX else None


def _no_missing(_plugin, _expected):
    return []


def _missing(*names):
    return lambda _plugin, _expected: list(names)


def _reachable(_display):
    return True


def test_the_check_imports_no_qt():
    """It must run where Qt cannot even be loaded."""
    code = ("import sys, studio.preflight as p; p.gui_problem({'DISPLAY': ':97'}); "
            "print(sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken'))))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60, check=True)
    assert proc.stdout.strip() == "[]"


# -- which platform Qt will try --------------------------------------------------------------

@pytest.mark.parametrize("env, expected", [
    ({}, ["xcb"]),
    ({"DISPLAY": ":0"}, ["xcb"]),
    ({"WAYLAND_DISPLAY": "wayland-0", "DISPLAY": ":0"}, ["wayland", "xcb"]),
    ({"XDG_SESSION_TYPE": "wayland"}, ["wayland", "xcb"]),
    ({"QT_QPA_PLATFORM": "offscreen", "DISPLAY": ":0"}, ["offscreen"]),
    ({"QT_QPA_PLATFORM": "xcb;offscreen"}, ["xcb", "offscreen"]),
    ({"QT_QPA_PLATFORM": "XCB:dpi=96"}, ["xcb"]),
], ids=["nothing", "x11", "wayland-display", "wayland-session", "offscreen", "list", "args"])
def test_candidate_platforms_follow_qts_rule(env, expected):
    assert preflight.candidate_platforms(env) == expected


# -- the message --------------------------------------------------------------------------------

def test_one_missing_library_names_its_package():
    problem = preflight.gui_problem({"DISPLAY": ":0"}, platform="linux",
                                    find_missing=_missing("libxcb-cursor.so.0"),
                                    reach_display=_reachable)
    assert problem.startswith("Qt needs the system library libxcb-cursor.so.0: install it with")
    if preflight.shutil.which("apt-get"):
        assert problem == ("Qt needs the system library libxcb-cursor.so.0: install it with "
                           "`sudo apt install libxcb-cursor0`")


def test_several_missing_libraries_make_one_apt_command():
    msg = preflight.install_message(["libxcb-cursor.so.0", "libxcb-icccm.so.4",
                                     "libxcb-keysyms.so.1"], has_apt=True)
    assert msg == ("Qt needs the system libraries libxcb-cursor.so.0, libxcb-icccm.so.4, "
                   "libxcb-keysyms.so.1: install them with "
                   "`sudo apt install libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1`")


def test_without_apt_the_message_still_names_the_debian_package():
    msg = preflight.install_message(["libxkbcommon-x11.so.0"], has_apt=False)
    assert "your system's package manager" in msg
    assert "`sudo apt install libxkbcommon-x11-0`" in msg


def test_an_unknown_library_is_named_as_it_is():
    msg = preflight.install_message(["libfancy-new.so.3"], has_apt=True)
    assert "libfancy-new.so.3" in msg and "`sudo apt install libfancy-new.so.3`" in msg


def test_no_display_at_all_is_said_plainly():
    problem = preflight.gui_problem({}, platform="linux", find_missing=_no_missing,
                                    reach_display=_reachable)
    assert problem.startswith("no display to open the window on (DISPLAY not set)")
    assert "studio snapshot" in problem


def test_a_display_nobody_answers_is_said_plainly():
    problem = preflight.gui_problem({"DISPLAY": ":97"}, platform="linux",
                                    find_missing=_no_missing, reach_display=lambda d: False)
    assert problem.startswith("cannot connect to the display :97 (DISPLAY)")


def test_a_working_wayland_session_does_not_need_the_xcb_libraries():
    def missing(plugin, _expected):
        return ["libxcb-cursor.so.0"] if plugin and plugin.name == "libqxcb.so" else []

    env = {"WAYLAND_DISPLAY": "wayland-0", "DISPLAY": ":0"}
    assert preflight.gui_problem(env, platform="linux", find_missing=missing,
                                 reach_display=_reachable) is None


def test_wayland_failing_falls_back_to_xcb_and_names_xcbs_libraries():
    env = {"WAYLAND_DISPLAY": "wayland-0", "DISPLAY": ":0"}
    problem = preflight.gui_problem(env, platform="linux",
                                    find_missing=_missing("libxcb-icccm.so.4"),
                                    reach_display=_reachable)
    assert "libxcb-icccm.so.4" in problem and "libxcb-icccm4" in problem


@pytest.mark.parametrize("env", [{"QT_QPA_PLATFORM": "offscreen"},
                                 {"QT_QPA_PLATFORM": "vnc"}])
def test_platforms_without_system_libraries_are_left_to_qt(env):
    assert preflight.gui_problem(env, platform="linux", find_missing=_missing("x.so"),
                                 reach_display=_reachable) is None


def test_windows_and_macos_are_not_checked():
    for platform in ("win32", "darwin"):
        assert preflight.gui_problem({}, platform=platform,
                                     find_missing=_missing("x.so")) is None


# -- finding missing libraries ----------------------------------------------------------------

LDD_OUTPUT = """\
\tlinux-vdso.so.1 (0x00007ffd)
\tlibQt6XcbQpa.so.6 => /venv/PySide6/Qt/lib/libQt6XcbQpa.so.6 (0x00007f2b)
\tlibxcb-cursor.so.0 => not found
\tlibxcb-icccm.so.4 => not found
\tlibxcb.so.1 => /lib/x86_64-linux-gnu/libxcb.so.1 (0x00007f2b)
"""


def _fake_ldd(monkeypatch, stdout="", stderr="", returncode=0):
    def run(cmd, **_kw):
        assert cmd[0] == "ldd"
        return subprocess.CompletedProcess(cmd, returncode, stdout, stderr)

    monkeypatch.setattr(preflight.subprocess, "run", run)


def test_ldds_not_found_lines_are_the_missing_libraries(monkeypatch):
    _fake_ldd(monkeypatch, stdout=LDD_OUTPUT)
    assert preflight.missing_libraries(Path("libqxcb.so"), ()) == ["libxcb-cursor.so.0",
                                                                   "libxcb-icccm.so.4"]


def test_a_damaged_library_counts_as_missing(monkeypatch):
    _fake_ldd(monkeypatch, returncode=1, stderr=(
        "libqxcb.so: error while loading shared libraries: /usr/lib/libxcb-cursor.so.0: "
        "file too short\n"))
    assert preflight.missing_libraries(Path("libqxcb.so"), ()) == ["libxcb-cursor.so.0"]


def test_without_ldd_each_library_is_loaded_with_ctypes(monkeypatch):
    def no_ldd(*_a, **_kw):
        raise FileNotFoundError("ldd")

    loaded = []

    def cdll(name):
        loaded.append(name)
        if name == "libxcb-keysyms.so.1":
            raise OSError(f"{name}: cannot open shared object file")

    monkeypatch.setattr(preflight.subprocess, "run", no_ldd)
    monkeypatch.setattr(preflight.ctypes, "CDLL", cdll)
    names = ("libxcb.so.1", "libxcb-keysyms.so.1", "libxcb-cursor.so.0")
    assert preflight.missing_libraries(Path("libqxcb.so"), names) == ["libxcb-keysyms.so.1"]
    assert loaded == list(names)


@pytest.mark.skipif(XCB_PLUGIN is None, reason="PySide6's xcb plugin is not installed")
def test_this_machines_xcb_plugin_has_what_it_needs_or_says_what_not():
    missing = preflight.missing_libraries(XCB_PLUGIN, ())
    assert all(name.endswith(tuple(f".so.{n}" for n in range(10))) for name in missing)


def test_cmd_gui_stops_before_qt_with_the_message(monkeypatch, capsys):
    monkeypatch.setattr(preflight, "missing_libraries", _missing("libxcb-cursor.so.0"))
    monkeypatch.setattr(preflight, "display_reachable", _reachable)
    monkeypatch.setattr(preflight.shutil, "which", lambda name: "/usr/bin/" + name)
    monkeypatch.setattr(preflight.sys, "platform", "linux")
    monkeypatch.setenv("DISPLAY", ":0")
    monkeypatch.delenv("QT_QPA_PLATFORM", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.delenv("XDG_SESSION_TYPE", raising=False)
    monkeypatch.setattr("studio.ui.shell.app.run_gui", lambda *a, **k: pytest.fail("Qt started"),
                        raising=False)
    assert main(["gui", "sample:iris"]) == 2
    err = capsys.readouterr().err
    assert err == ("error: Qt needs the system library libxcb-cursor.so.0: install it with "
                   "`sudo apt install libxcb-cursor0`\n")


# -- a real process with a damaged libxcb-cursor.so.0 ahead of the system's -------------------

def _bare_env(tmp_path, **extra) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY", "XDG_SESSION_TYPE")}
    env.update(extra)
    return env


@pytest.fixture
def broken_cursor_library(tmp_path) -> str:
    """A folder whose empty libxcb-cursor.so.0 the dynamic loader finds first and cannot
    load ("file too short"): to Qt, as if the package were missing."""
    folder = tmp_path / "lib"
    folder.mkdir()
    (folder / "libxcb-cursor.so.0").write_bytes(b"")
    return str(folder)


@pytest.mark.skipif(XCB_PLUGIN is None, reason="needs PySide6's xcb plugin (Linux)")
def test_the_simulated_missing_library_makes_qt_itself_abort(tmp_path, broken_cursor_library):
    """What the studio did before it looked first: Qt aborts (SIGABRT, a core dump)."""
    env = _bare_env(tmp_path, DISPLAY=":97", LD_LIBRARY_PATH=broken_cursor_library)
    proc = subprocess.run([sys.executable, "-c",
                           "from PySide6.QtWidgets import QApplication; QApplication([])"],
                          env=env, capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == -signal.SIGABRT, proc.stderr
    assert "xcb-cursor0 or libxcb-cursor0 is needed" in proc.stderr


@pytest.mark.skipif(XCB_PLUGIN is None, reason="needs PySide6's xcb plugin (Linux)")
def test_studio_gui_with_the_library_missing_says_which_package(tmp_path,
                                                                broken_cursor_library):
    env = _bare_env(tmp_path, DISPLAY=":97", LD_LIBRARY_PATH=broken_cursor_library)
    proc = subprocess.run([sys.executable, "-m", "studio", "--lang", "en", "gui", "sample:iris"],
                          env=env, capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("error: Qt needs the system library libxcb-cursor.so.0: "
                               "install it with ")
    assert "libxcb-cursor0" in lines[0]


@pytest.mark.skipif(not LINUX, reason="the display check is for Linux")
def test_studio_gui_without_a_display_says_so(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "studio", "--lang", "en", "gui"],
                          env=_bare_env(tmp_path), capture_output=True, text=True,
                          timeout=120, check=False)
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.startswith("error: no display to open the window on (DISPLAY not set)")
    assert len(proc.stderr.splitlines()) == 1
