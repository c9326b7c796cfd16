"""Hostile and awkward environments for `studio gui`'s check before Qt starts.

Each case is an environment (platform variables, a display, damaged libraries found first on
LD_LIBRARY_PATH) checked with the real ``ldd`` and the real X connection. ``error-`` cases must
give one specific sentence (the GUI would otherwise abort or hang inside Qt); ``ok-`` cases must
pass, so that a machine where Qt can start is never refused. Damaged libraries were checked
against Qt itself: each one the check reports makes ``QApplication()`` abort, each one it lets
through (a 32-bit ELF, a symlink loop) is skipped by the loader and Qt starts.
"""

from __future__ import annotations

import struct
import sys

import pytest

from studio import preflight

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="the check is for Linux")

HAS_XCB_PLUGIN = preflight.plugin_file("xcb") is not None

NO_DISPLAY = "no display to open the window on"
NO_CONNECTION = "cannot connect to the display"

#: (id, environment, expected fragment or None); "{X}" stands for the session's Xvfb display.
ENVIRONMENTS = [
    ("error-nothing-set", {}, NO_DISPLAY + " (DISPLAY not set)"),
    ("error-empty-display", {"DISPLAY": ""}, NO_DISPLAY),
    ("error-explicit-xcb-no-display", {"QT_QPA_PLATFORM": "xcb"}, NO_DISPLAY),
    ("error-explicit-xcb-upper-case", {"QT_QPA_PLATFORM": "XCB"}, NO_DISPLAY),
    ("error-explicit-xcb-with-options", {"QT_QPA_PLATFORM": "xcb:dpi=96"}, NO_DISPLAY),
    ("error-semicolons-around-xcb", {"QT_QPA_PLATFORM": ";;xcb;;"}, NO_DISPLAY),
    ("error-explicit-wayland-no-display", {"QT_QPA_PLATFORM": "wayland"},
     NO_DISPLAY + " (WAYLAND_DISPLAY not set)"),
    ("error-wayland-session-no-display", {"XDG_SESSION_TYPE": "wayland"},
     "(WAYLAND_DISPLAY / DISPLAY not set)"),
    ("error-display-unused-number", {"DISPLAY": ":987"}, NO_CONNECTION + " :987"),
    ("error-display-unused-screen", {"DISPLAY": ":987.3"}, NO_CONNECTION + " :987.3"),
    ("error-display-not-a-number", {"DISPLAY": ":abc"}, NO_CONNECTION + " :abc"),
    ("error-display-no-colon", {"DISPLAY": "0"}, NO_CONNECTION),
    ("error-display-only-colon", {"DISPLAY": ":"}, NO_CONNECTION),
    ("error-display-localhost-refused", {"DISPLAY": "localhost:987"}, NO_CONNECTION),
    ("error-display-missing-socket-path", {"DISPLAY": "/nonexistent/x11-socket:0"},
     NO_CONNECTION),
    ("error-display-hangul", {"DISPLAY": "화면:0"}, NO_CONNECTION + " 화면:0"),
    ("error-display-very-long", {"DISPLAY": ":" + "9" * 300}, NO_CONNECTION),
    ("error-display-spaces", {"DISPLAY": "   "}, NO_CONNECTION),
    ("error-display-shell-text", {"DISPLAY": ":0; rm -rf ~"}, NO_CONNECTION),
    ("error-xcb-explicit-bad-display", {"QT_QPA_PLATFORM": "xcb", "DISPLAY": ":986"},
     NO_CONNECTION + " :986"),
    ("ok-offscreen", {"QT_QPA_PLATFORM": "offscreen"}, None),
    ("ok-offscreen-upper-case", {"QT_QPA_PLATFORM": "OFFSCREEN"}, None),
    ("ok-offscreen-first", {"QT_QPA_PLATFORM": "offscreen;xcb"}, None),
    ("ok-minimal", {"QT_QPA_PLATFORM": "minimal"}, None),
    ("ok-vnc-with-options", {"QT_QPA_PLATFORM": "vnc:size=800x600"}, None),
    ("ok-linuxfb", {"QT_QPA_PLATFORM": "linuxfb"}, None),
    ("ok-eglfs-no-display", {"QT_QPA_PLATFORM": "eglfs"}, None),
    ("ok-xvfb", {"DISPLAY": "{X}"}, None),
    ("ok-xvfb-explicit-xcb", {"QT_QPA_PLATFORM": "xcb", "DISPLAY": "{X}"}, None),
    ("ok-xvfb-xcb-options", {"QT_QPA_PLATFORM": " xcb:dpi=96 ", "DISPLAY": "{X}"}, None),
    ("ok-xvfb-with-screen", {"DISPLAY": "{X}.0"}, None),
    ("ok-xvfb-after-a-bad-wayland", {"WAYLAND_DISPLAY": "no-such-wayland", "DISPLAY": "{X}"},
     None),
    ("ok-xvfb-after-unknown-session", {"XDG_SESSION_TYPE": "tty", "DISPLAY": "{X}"}, None),
]


@pytest.fixture
def xvfb_display(gui_platform_choice):
    if gui_platform_choice is None or not gui_platform_choice.is_real:
        pytest.skip("needs the session's Xvfb display")
    return gui_platform_choice.display


@pytest.mark.parametrize("env, expected", [(e, x) for _i, e, x in ENVIRONMENTS],
                         ids=[i for i, _e, _x in ENVIRONMENTS])
def test_environment(env, expected, request):
    if any(v.startswith("{X}") for v in env.values()):
        display = request.getfixturevalue("xvfb_display")
        env = {k: v.replace("{X}", display) for k, v in env.items()}
    problem = preflight.gui_problem(env, platform="linux")
    if expected is None:
        assert problem is None
    else:
        assert problem is not None and expected in problem
        assert "\n" not in problem and "Traceback" not in problem


def _elf32_header() -> bytes:
    """The start of a 32-bit ELF file: the 64-bit loader skips it and looks further."""
    return b"\x7fELF" + bytes([1, 1, 1, 0]) + bytes(8) + struct.pack("<HHI", 3, 3, 1) + bytes(64)


#: (id, file name put first on LD_LIBRARY_PATH, how it is made, the library reported or None)
DAMAGED = [
    ("error-empty-cursor-library", "libxcb-cursor.so.0", "empty", "libxcb-cursor.so.0"),
    ("error-text-file-as-icccm", "libxcb-icccm.so.4", "text", "libxcb-icccm.so.4"),
    ("error-random-bytes-as-keysyms", "libxcb-keysyms.so.1", "random", "libxcb-keysyms.so.1"),
    ("error-folder-as-cursor-library", "libxcb-cursor.so.0", "folder", "libxcb-cursor.so.0"),
    ("error-truncated-elf-as-xkbcommon-x11", "libxkbcommon-x11.so.0", "elf-start",
     "libxkbcommon-x11.so.0"),
    ("error-empty-xcb-core", "libxcb.so.1", "empty", "libxcb.so.1"),
    ("ok-32-bit-elf-skipped", "libxcb-cursor.so.0", "elf32", None),
    ("ok-symlink-loop-skipped", "libxcb-cursor.so.0", "loop", None),
    ("ok-unrelated-broken-library", "libnot-used-by-qt.so.1", "empty", None),
]


def _make(path, how: str) -> None:
    if how == "empty":
        path.write_bytes(b"")
    elif how == "text":
        path.write_text("not a library\n")
    elif how == "random":
        path.write_bytes(bytes((i * 7919) % 251 for i in range(4096)))
    elif how == "folder":
        path.mkdir()
    elif how == "elf-start":
        path.write_bytes(b"\x7fELF\x02\x01\x01" + bytes(9))
    elif how == "elf32":
        path.write_bytes(_elf32_header())
    elif how == "loop":
        path.symlink_to(path.name)


@pytest.mark.skipif(not HAS_XCB_PLUGIN, reason="needs PySide6's xcb plugin")
@pytest.mark.parametrize("name, how, reported", [(n, h, r) for _i, n, h, r in DAMAGED],
                         ids=[i for i, *_rest in DAMAGED])
def test_damaged_library_first_on_the_path(name, how, reported, tmp_path, monkeypatch):
    folder = tmp_path / "lib"
    folder.mkdir()
    _make(folder / name, how)
    monkeypatch.setenv("LD_LIBRARY_PATH", str(folder))          # ldd runs with it
    problem = preflight.gui_problem({"DISPLAY": ":0"}, platform="linux",
                                    reach_display=lambda _d: True)
    if reported is None:
        assert problem is None
    else:
        assert problem is not None and problem.startswith(
            f"Qt needs the system library {reported}: install it with")
        assert preflight.LIBRARY_PACKAGES[reported] in problem
