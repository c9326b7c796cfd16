"""Which Qt platform the GUI tests use, decided once per session (tests/conftest.py).

The tests see what users see when they can: the real ``xcb`` platform on the virtual X server
that pytest-xvfb starts (never the developer's own display), with a small window manager so
that windows get frames, placement and focus as on a desktop. Where that cannot be had (no
Xvfb, ``--no-xvfb``, or a system library the xcb plugin needs is missing) they fall back to
``offscreen``, and the run says why in its header.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from dataclasses import dataclass, field

#: Window managers tried in order: small ones that need no session or configuration.
WINDOW_MANAGERS: tuple[tuple[str, ...], ...] = (
    ("openbox", "--sm-disable"),
    ("fluxbox",),
    ("icewm",),
    ("matchbox-window-manager", "-use_titlebar", "yes"),
    ("twm",),
)

INSTALL_HINT = "install xvfb openbox"


@dataclass
class GuiPlatform:
    """The session's choice: ``name`` is what QT_QPA_PLATFORM is set to."""

    name: str
    reason: str = ""
    display: str | None = None
    window_manager: str | None = None
    _wm_process: subprocess.Popen | None = field(default=None, repr=False)

    @property
    def is_real(self) -> bool:
        return self.name == "xcb"

    def header(self) -> str:
        """The line the run starts with, e.g. ``GUI tests: xcb on Xvfb :1 with openbox``."""
        if self.is_real:
            wm = (f"with {self.window_manager}" if self.window_manager
                  else "without a window manager (install openbox)")
            return f"GUI tests: xcb on Xvfb {self.display} {wm}"
        return f"GUI tests: offscreen ({self.reason})"

    def stop(self) -> None:
        """End the window manager this session started (pytest-xvfb ends Xvfb after it)."""
        proc, self._wm_process = self._wm_process, None
        if proc is None or proc.poll() is not None:
            return
        proc.terminate()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)


def choose(xvfb_running: bool, no_xvfb_option: bool, env: dict[str, str],
           plugin_active: bool = True) -> GuiPlatform:
    """``xcb`` on pytest-xvfb's display when it runs and Qt's xcb plugin can load there,
    ``offscreen`` otherwise (with the reason)."""
    if not plugin_active:
        return GuiPlatform("offscreen", "pytest-xvfb is not installed or disabled: "
                                        "pip install \".[test]\"")
    if no_xvfb_option:
        return GuiPlatform("offscreen", "--no-xvfb given")
    if not xvfb_running:
        return GuiPlatform("offscreen", f"no Xvfb: {INSTALL_HINT}")
    display = env.get("DISPLAY", "")
    from studio.preflight import gui_problem

    problem = gui_problem({"QT_QPA_PLATFORM": "xcb", "DISPLAY": display})
    if problem:
        return GuiPlatform("offscreen", f"the xcb plugin cannot start: {problem}")
    return GuiPlatform("xcb", display=display)


def apply(platform: GuiPlatform, env=os.environ) -> None:
    """Set the platform for this process and every child it starts, before any
    QApplication exists. Offscreen runs drop DISPLAY too, and both drop WAYLAND_DISPLAY, so
    that no test (nor a child that picks its own platform) opens a window on the
    developer's real screen."""
    env["QT_QPA_PLATFORM"] = platform.name
    env.pop("WAYLAND_DISPLAY", None)
    if not platform.is_real:
        env.pop("DISPLAY", None)
    if platform.is_real:
        platform.window_manager, platform._wm_process = start_window_manager(platform.display)


def start_window_manager(display: str | None) -> tuple[str | None, subprocess.Popen | None]:
    """The first installed window manager of :data:`WINDOW_MANAGERS`, started on
    ``display`` and waited for (it owns the screen once it has set the root window's
    ``_NET_SUPPORTING_WM_CHECK``); (None, None) when none is installed or none starts."""
    if not display:
        return None, None
    env = dict(os.environ, DISPLAY=display)
    for command in WINDOW_MANAGERS:
        if shutil.which(command[0]) is None:
            continue
        proc = subprocess.Popen(command, env=env, stdin=subprocess.DEVNULL,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                start_new_session=True)
        if _wait_until_managing(proc, env):
            return command[0], proc
        if proc.poll() is None:
            proc.terminate()
            proc.wait(timeout=5)
    return None, None


def _wait_until_managing(proc: subprocess.Popen, env: dict[str, str],
                         timeout: float = 5.0) -> bool:
    """True once the window manager has announced itself on the root window (or, without
    ``xprop`` to ask, once it has run for a second without exiting)."""
    if shutil.which("xprop") is None:
        time.sleep(1.0)
        return proc.poll() is None
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            return False
        out = subprocess.run(["xprop", "-root", "_NET_SUPPORTING_WM_CHECK"], env=env,
                             capture_output=True, text=True, check=False).stdout
        if "window id" in out:
            return True
        time.sleep(0.05)
    return proc.poll() is None
