"""Every keyboard shortcut of the window, pressed on the shown, active window on the xcb
platform: each fires its action exactly once, does what it says, and Qt reports no
"Ambiguous shortcut overload" (a key bound twice does nothing at all: Redo's doubled
Ctrl+Shift+Z was such a key)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QCoreApplication, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog
from real_input import wait_active

pytestmark = pytest.mark.display

PORTABLE = QKeySequence.SequenceFormat.PortableText


def _key(seq: QKeySequence) -> str:
    return seq.toString(PORTABLE)


def _bound(window) -> list[tuple[QAction, QKeySequence]]:
    """(action, key sequence) for every key of every action of the window."""
    return [(a, s) for a in window.findChildren(QAction) for s in a.shortcuts() if _key(s)]


class DialogCloser:
    """Closes each modal dialog a shortcut opens (Escape, as a user would) and records its
    title; the dialogs run their own event loop inside the key press."""

    def __init__(self) -> None:
        self.titles: list[str] = []
        self._timer = QTimer()
        self._timer.setInterval(30)
        self._timer.timeout.connect(self._poll)
        self._timer.start()

    def _poll(self) -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, QDialog) and dialog.isVisible():
            self.titles.append(dialog.windowTitle())
            QTest.keyClick(dialog, Qt.Key.Key_Escape)
            if dialog.isVisible():
                dialog.reject()

    def stop(self) -> None:
        self._timer.stop()


def _units(window) -> list[int]:
    return [layer.units for layer in window.state.project.design.layers]


def _canvas(window):
    from studio.ui.design.panel import CanvasPanel

    return window.findChild(CanvasPanel, "canvasPanel")


class Expectations:
    """Prepares the window before a key and checks the key's effect after it, by the
    action's role (found by its key, as the menus show it)."""

    def __init__(self, window, qtbot) -> None:
        self.window, self.qtbot = window, qtbot
        self.closer: DialogCloser | None = None
        self._before = None

    def prepare(self, action: QAction, key: str) -> None:
        w = self.window
        canvas = _canvas(w)
        self._units_after = None
        if action in (canvas.undo_action, canvas.redo_action):
            w.show_step("design")
            plain = _units(w)
            canvas.step_units(w.state.project.design.layers[1].uid, +1)
            edited = _units(w)
            assert edited != plain
            if action is canvas.redo_action:
                canvas.undo_action.trigger()                # something to redo
                self._units_after = edited
            else:                                           # something to undo
                self._units_after = plain
        elif key == "F10":
            w.show_step("train")                           # Step lives on the Train page
        elif key in ("PgDown", "Ctrl+Tab"):
            w.show_step("start")
        elif key in ("PgUp", "Ctrl+Shift+Tab"):
            w.show_step("compile")
        self._before = (_units(w), w.current_step(), action.isChecked(),
                        len(self.closer.titles), getattr(w.classroom, "_zoom", None))
        w.setFocus()                         # no editor takes the key for itself

    def check(self, action: QAction, key: str) -> None:
        w = self.window
        _units_before, step, checked, dialogs, zoom = self._before
        canvas = _canvas(w)
        steps = w.steps()
        if action in (canvas.undo_action, canvas.redo_action):
            assert _units(w) == self._units_after, f"{action.text()!r} by {key} did nothing"
        elif action.text().startswith("Go to "):
            target = action.data()
            item = w.step_list.item(steps.index(target))
            enabled = bool(item.flags() & Qt.ItemFlag.ItemIsEnabled)
            assert w.current_step() == (target if enabled else step)
        elif key in ("PgDown", "Ctrl+Tab"):
            assert steps.index(w.current_step()) > steps.index(step)
        elif key in ("PgUp", "Ctrl+Shift+Tab"):
            assert steps.index(w.current_step()) < steps.index(step)
        elif action.isCheckable():                         # Doctor panel, Presentation mode
            assert action.isChecked() != checked
        elif key in ("Ctrl+N", "Ctrl+O", "Ctrl+S", "Ctrl+Shift+S", "F1"):
            assert len(self.closer.titles) == dialogs + 1, f"{key} opened no dialog"
        elif zoom is not None and action in getattr(w, "zoom_actions", []):
            assert w.classroom._zoom != zoom or key == "Ctrl+0"
        elif key == "F10":
            self.qtbot.waitUntil(lambda: bool(w.page("train").curves.epochs), timeout=60000)
        elif key == "Ctrl+Q":
            assert not w.isVisible()


def test_every_shortcut_fires_its_action_once_with_no_ambiguity(ready, qtbot, qtlog):
    window = ready                  # (unsaved changes are discarded on Quit: the fixture)
    attr = Qt.ApplicationAttribute.AA_DontUseNativeDialogs
    QCoreApplication.setAttribute(attr, True)
    fired: dict[int, int] = {}
    connected: set[int] = set()

    def watch(action: QAction) -> None:
        if id(action) not in connected:
            connected.add(id(action))
            action.triggered.connect(lambda *_a, a=action: fired.__setitem__(
                id(a), fired.get(id(a), 0) + 1))

    expect = Expectations(window, qtbot)
    expect.closer = DialogCloser()
    pressed: list[str] = []
    last = ("F10", "Ctrl+Q")        # Step starts a run; Quit closes the window (mid-run)
    try:
        for _round in range(3):     # presenting gives the zoom actions their keys
            for action, _seq in _bound(window):
                watch(action)       # every action: a key must fire its own and no other
            todo = [(a, s) for a, s in _bound(window) if _key(s) not in pressed
                    and _key(s) not in last]
            if not todo:
                break
            for action, seq in todo:
                _press(window, qtbot, expect, fired, watch, pressed, action, seq)
        for key in last:
            for action, seq in [(a, s) for a, s in _bound(window) if _key(s) == key]:
                _press(window, qtbot, expect, fired, watch, pressed, action, seq)
    finally:
        expect.closer.stop()
        QCoreApplication.setAttribute(attr, False)
    assert {"Ctrl+Z", "Ctrl+Shift+Z", "Ctrl+Y", "F5", "Ctrl+1", "Ctrl+Q"} <= set(pressed)
    assert {"Ctrl+=", "Ctrl+0"} <= set(pressed), "presenting gave zoom no keys"
    ambiguous = [r.message for r in qtlog.records if "Ambiguous" in r.message]
    assert not ambiguous, ambiguous
    window.page("train").shutdown(30000)


def _press(window, qtbot, expect, fired, watch, pressed, action, seq) -> None:
    key = _key(seq)
    if not action.isEnabled() and action not in (_canvas(window).undo_action,
                                                 _canvas(window).redo_action):
        pytest.fail(f"{action.text()!r} ({key}) is disabled in a window with data open")
    watch(action)
    expect.prepare(action, key)
    if window.isVisible():
        wait_active(qtbot, window)
    before = dict(fired)
    QTest.keySequence(window, seq)
    QApplication.processEvents()
    changed = {k: v - before.get(k, 0) for k, v in fired.items() if v != before.get(k, 0)}
    assert changed == {id(action): 1}, f"{key} ({action.text()!r}) fired {changed}"
    expect.check(action, key)
    pressed.append(key)
