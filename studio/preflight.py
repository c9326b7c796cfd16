"""Before Qt starts: a missing system library or display, said in one line.

On Linux, Qt's ``xcb`` platform plugin is a shared library that needs about twenty system
libraries (``libxcb-cursor.so.0``, ``libxcb-icccm.so.4``, ...). A fresh Debian or Ubuntu
machine lacks some of them, and then ``QApplication()`` does not raise: Qt prints a paragraph
about plugins and aborts the process with a core dump. Without a display at all it aborts the
same way. This module looks first, without importing Qt, and says which package to install.

It mirrors how Qt picks its platform: ``QT_QPA_PLATFORM`` when set (a ``;``-separated list of
candidates), otherwise ``wayland;xcb`` in a Wayland session and ``xcb`` elsewhere; Qt takes the
first candidate that loads. A platform this module does not know (``offscreen``, ``vnc``, ...)
is left to Qt.
"""

from __future__ import annotations

import ctypes
import importlib.util
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Mapping
from pathlib import Path

from studio.core.errors import StudioError
from studio.core.i18n import _

#: The libraries Qt's platform plugins (and QtGui under them) load, with the Debian/Ubuntu
#: package of each. ``ldd`` finds any missing library; this table names its package and is
#: the list checked where ``ldd`` cannot run.
LIBRARY_PACKAGES: dict[str, str] = {
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-xinerama.so.0": "libxcb-xinerama0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb.so.1": "libxcb1",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libX11.so.6": "libx11-6",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libEGL.so.1": "libegl1",
    "libGL.so.1": "libgl1",
    "libOpenGL.so.0": "libopengl0",
    "libGLX.so.0": "libglx0",
    "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6",
    "libdbus-1.so.3": "libdbus-1-3",
    "libwayland-client.so.0": "libwayland-client0",
    "libwayland-cursor.so.0": "libwayland-cursor0",
    "libwayland-egl.so.1": "libwayland-egl1",
}

#: What each platform needs checked: the libraries to look for when ``ldd`` cannot run, and
#: the environment variable that names its display.
_PLATFORMS: dict[str, tuple[tuple[str, ...], str]] = {
    "xcb": (tuple(n for n in LIBRARY_PACKAGES if not n.startswith("libwayland")), "DISPLAY"),
    "wayland": (("libwayland-client.so.0", "libwayland-cursor.so.0", "libxkbcommon.so.0",
                 "libEGL.so.1", "libfontconfig.so.1", "libdbus-1.so.3"), "WAYLAND_DISPLAY"),
}

_NOT_FOUND = re.compile(r"^\s*(\S+)\s+=>\s+not found", re.MULTILINE)
_LOAD_ERROR = re.compile(r"error while loading shared libraries: ([^:\s]+):")

#: Finds the missing libraries of a plugin file; tests replace it to simulate a bare machine.
MissingFinder = Callable[[Path, tuple[str, ...]], list[str]]


def candidate_platforms(env: Mapping[str, str]) -> list[str]:
    """The platforms Qt will try, in order (Qt 6's rule in ``QGuiApplication``)."""
    requested = env.get("QT_QPA_PLATFORM", "").strip()
    if requested:
        return [p.split(":", 1)[0].strip().lower() for p in requested.split(";") if p.strip()]
    if env.get("WAYLAND_DISPLAY") or env.get("XDG_SESSION_TYPE") == "wayland":
        return ["wayland", "xcb"]
    return ["xcb"]


def plugin_file(platform: str) -> Path | None:
    """PySide6's plugin for ``platform`` (``.../plugins/platforms/libqxcb.so``), found
    without importing Qt; None when PySide6 or the plugin is not there."""
    spec = importlib.util.find_spec("PySide6")
    if spec is None or not spec.submodule_search_locations:
        return None
    for folder in spec.submodule_search_locations:
        path = Path(folder) / "Qt" / "plugins" / "platforms" / f"libq{platform}.so"
        if path.is_file():
            return path
    return None


def missing_libraries(plugin: Path, expected: tuple[str, ...]) -> list[str]:
    """The shared libraries ``plugin`` needs that the dynamic loader cannot load: ``ldd``'s
    "not found" lines and its "error while loading" line (a damaged file); where ``ldd``
    cannot run, each library of ``expected`` tried with ``ctypes``."""
    try:
        proc = subprocess.run(["ldd", str(plugin)], capture_output=True, text=True,
                              timeout=20, check=False)
    except (OSError, subprocess.SubprocessError):
        return _unloadable(expected)
    text = proc.stdout + proc.stderr
    found = _NOT_FOUND.findall(text) + [Path(p).name for p in _LOAD_ERROR.findall(text)]
    if proc.returncode != 0 and not found:
        return _unloadable(expected)       # ldd failed for another reason: try them here
    return list(dict.fromkeys(found))


def _unloadable(names: tuple[str, ...]) -> list[str]:
    missing = []
    for name in names:
        try:
            ctypes.CDLL(name)
        except OSError:
            missing.append(name)
    return missing


def display_reachable(display: str) -> bool:
    """Whether an X server answers at ``display`` (libxcb's own connect; True when libxcb
    itself cannot be loaded, which the library check reports instead)."""
    try:
        xcb = ctypes.CDLL("libxcb.so.1")
    except OSError:
        return True
    xcb.xcb_connect.restype = ctypes.c_void_p
    xcb.xcb_connect.argtypes = [ctypes.c_char_p, ctypes.c_void_p]
    xcb.xcb_connection_has_error.argtypes = [ctypes.c_void_p]
    xcb.xcb_disconnect.argtypes = [ctypes.c_void_p]
    conn = xcb.xcb_connect(display.encode(), None)
    try:
        return not xcb.xcb_connection_has_error(conn)
    finally:
        xcb.xcb_disconnect(conn)


def gui_problem(env: Mapping[str, str] | None = None, platform: str | None = None,
                find_missing: MissingFinder | None = None,
                reach_display: Callable[[str], bool] | None = None) -> str | None:
    """Why Qt would abort instead of opening a window, in one sentence; None when a
    platform Qt tries can start (or on Windows and macOS, where Qt's plugins are self-contained).
    """
    env = os.environ if env is None else env
    if not (platform or sys.platform).startswith("linux"):
        return None
    find_missing = find_missing or missing_libraries
    reach_display = reach_display or display_reachable
    candidates = candidate_platforms(env)
    missing_by_platform: dict[str, list[str]] = {}
    unreachable: list[tuple[str, str]] = []
    for name in candidates:
        if name not in _PLATFORMS:
            return None                     # offscreen, minimal, vnc...: Qt's own business
        expected, display_var = _PLATFORMS[name]
        display = env.get(display_var, "")
        if not display:
            continue
        plugin = plugin_file(name)
        missing = find_missing(plugin, expected) if plugin else []
        if missing:
            missing_by_platform[name] = missing
        elif name == "xcb" and not reach_display(display):
            unreachable.append((display_var, display))
        else:
            return None
    if missing_by_platform:
        missing = missing_by_platform.get("xcb") or next(iter(missing_by_platform.values()))
        return install_message(missing, has_apt=shutil.which("apt-get") is not None)
    if unreachable:
        var, display = unreachable[0]
        return _("cannot connect to the display {display} ({var}): is the X server running? "
                 "For a picture without a display use `studio snapshot`.",
                 display=display, var=var)
    return _("no display to open the window on ({names} not set): start the studio in a "
             "desktop session, or use `studio snapshot` for a PNG without a display.",
             names=" / ".join(dict.fromkeys(_PLATFORMS[c][1] for c in candidates)))


def install_message(missing: list[str], has_apt: bool = True) -> str:
    """One sentence naming the missing libraries and the packages that provide them."""
    packages = " ".join(dict.fromkeys(LIBRARY_PACKAGES.get(n, n) for n in missing))
    command = f"`sudo apt install {packages}`"
    libraries = ", ".join(missing)
    if len(missing) == 1:
        if has_apt:
            return _("Qt needs the system library {library}: install it with {command}",
                     library=libraries, command=command)
        return _("Qt needs the system library {library}: install it with your system's "
                 "package manager (on Debian/Ubuntu: {command})",
                 library=libraries, command=command)
    if has_apt:
        return _("Qt needs the system libraries {libraries}: install them with {command}",
                 libraries=libraries, command=command)
    return _("Qt needs the system libraries {libraries}: install them with your system's "
             "package manager (on Debian/Ubuntu: {command})",
             libraries=libraries, command=command)


def check_gui_can_start(env: Mapping[str, str] | None = None) -> None:
    """Raise a :class:`StudioError` (the CLI's ``error:`` line, exit 2) when Qt would abort."""
    problem = gui_problem(env)
    if problem:
        raise StudioError(problem)
