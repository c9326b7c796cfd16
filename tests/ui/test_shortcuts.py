"""Undo and redo by keyboard in the shown window (issue: Redo's keys were bound twice, and a
focused spin box of the inspector swallowed Ctrl+Z)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtTest import QTest

from studio.ui.common.undo_keys import redo_shortcuts, undo_shortcuts


def _design_units(window):
    return [layer.units for layer in window.state.project.design.layers]



def _canvas(window):
    from studio.ui.design.panel import CanvasPanel

    window.show_step("design")
    return window.findChild(CanvasPanel, "canvasPanel")


def test_no_key_sequence_is_bound_twice_in_the_window(window):
    bound: dict[str, str] = {}
    clashes = []
    for action in window.findChildren(QAction):
        for seq in action.shortcuts():
            key = seq.toString(QKeySequence.SequenceFormat.PortableText)
            if key in bound and bound[key] != action.text():
                clashes.append(f"{key}: {bound[key]!r} and {action.text()!r}")
            bound.setdefault(key, action.text())
        keys = [s.toString() for s in action.shortcuts()]
        assert len(keys) == len(set(keys)), f"{action.text()!r} lists a key twice: {keys}"
    assert not clashes, clashes
    assert {"Ctrl+Shift+Z", "Ctrl+Y"} <= {s.toString() for s in redo_shortcuts()}
    assert "Ctrl+Z" in {s.toString() for s in undo_shortcuts()}


def test_ctrl_z_ctrl_shift_z_and_ctrl_y_undo_and_redo_a_design_edit(window, qtbot):
    canvas = _canvas(window)
    before = _design_units(window)
    uid = window.state.project.design.layers[1].uid
    canvas.step_units(uid, +1)
    after = _design_units(window)
    assert after != before
    window.activateWindow()
    canvas.view.setFocus()
    QTest.keySequence(window, QKeySequence("Ctrl+Z"))
    assert _design_units(window) == before
    QTest.keySequence(window, QKeySequence("Ctrl+Shift+Z"))
    assert _design_units(window) == after
    QTest.keySequence(window, QKeySequence("Ctrl+Z"))
    assert _design_units(window) == before
    QTest.keySequence(window, QKeySequence("Ctrl+Y"))
    assert _design_units(window) == after


def test_ctrl_z_in_the_inspector_spin_box_undoes_the_design_edit(window, qtbot):
    canvas = _canvas(window)
    uid = window.state.project.design.layers[1].uid
    canvas.select(uid)
    before = _design_units(window)
    spin = canvas.inspector.units
    spin.setFocus()
    spin.selectAll()
    QTest.keyClicks(spin, "48")
    QTest.keyClick(spin, Qt.Key.Key_Return)
    assert window.state.project.design.layers[1].units == 48
    spin.setFocus()
    QTest.keyClick(spin.lineEdit(), Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert _design_units(window) == before
    QTest.keyClick(spin.lineEdit(), Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert window.state.project.design.layers[1].units == 48
