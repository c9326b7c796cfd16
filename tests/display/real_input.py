"""Real input on the session's Xvfb display: xdotool for the pointer and menus, and the small
helpers the flows share (screen positions, the active window, the menu path to an action)."""

from __future__ import annotations

import os
import subprocess

from PySide6.QtCore import QPoint
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QMenu, QWidget


class Xdo:
    """``xdotool`` on the session's Xvfb display: real pointer and key events."""

    def __init__(self, display: str) -> None:
        self.env = dict(os.environ, DISPLAY=display)

    def run(self, *args: object) -> str:
        proc = subprocess.run(["xdotool", *map(str, args)], env=self.env, capture_output=True,
                              text=True, timeout=20, check=False)
        assert proc.returncode == 0, f"xdotool {args}: {proc.stderr}"
        return proc.stdout

    def start(self, *args: object) -> subprocess.Popen:
        """Run without waiting: for gestures that Qt must see while its event loop runs
        (a drag: Qt's drag loop starts only after the first motion has been handled)."""
        return subprocess.Popen(["xdotool", *map(str, args)], env=self.env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)

    def click(self, point: QPoint) -> None:
        self.run("mousemove", "--sync", point.x(), point.y(), "click", "1")

    def key(self, *keys: str) -> None:
        self.run("key", "--clearmodifiers", *keys)


def global_centre(widget: QWidget, rect=None) -> QPoint:
    """The screen position of ``rect``'s centre (the whole widget by default)."""
    rect = rect if rect is not None else widget.rect()
    return widget.mapToGlobal(rect.center())


def wait_active(qtbot, widget: QWidget) -> None:
    """Raise ``widget`` and wait until the window manager has made it the active window
    (window shortcuts reach only the active window)."""
    widget.raise_()
    widget.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is widget.window(), timeout=10000)


def menu_path(window, target: QAction) -> list[QAction]:
    """The actions to click from the menu bar down to ``target`` (a submenu's own action on
    the way); empty when no menu of the window holds it."""
    def search(menu: QMenu, trail: list[QAction]) -> list[QAction]:
        for act in menu.actions():
            if act is target:
                return [*trail, act]
            if act.menu() is not None:
                found = search(act.menu(), [*trail, act])
                if found:
                    return found
        return []

    for top in window.menuBar().actions():
        if top is target:
            return [top]
        if top.menu() is not None:
            found = search(top.menu(), [top])
            if found:
                return found
    return []


def click_menu(qtbot, xdo: Xdo, window, target: QAction) -> None:
    """Open the menus down to ``target`` and click it, each with the real pointer."""
    path = menu_path(window, target)
    assert path, f"no menu holds {target.text()!r}"
    bar = window.menuBar()
    xdo.click(global_centre(bar, bar.actionGeometry(path[0])))
    holder = path[0].menu()
    for act in path[1:]:
        qtbot.waitUntil(holder.isVisible, timeout=5000)
        xdo.click(global_centre(holder, holder.actionGeometry(act)))
        holder = act.menu()


def find_action(window, predicate) -> QAction:
    """The one action of ``window``'s menus that ``predicate`` accepts."""
    found = [a for a in window.findChildren(QAction) if predicate(a) and menu_path(window, a)]
    assert len(found) == 1, [a.text() for a in found]
    return found[0]
