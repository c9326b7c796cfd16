"""Undo reaches every change of the project, not only the canvas: a doctor fix, a compile or
fit field, a column's role, the split, a restored run, an applied search result. One stack,
the state's; Edit > Undo (and Ctrl+Z) in the window reverts them in order."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtTest import QTest

from studio.core.runs import record_from_result
from studio.ui.compile.panel import SettingsPanel


def _fake_run(project):
    """A run record of the project as it is now (no training: the record is what matters)."""
    result = SimpleNamespace(evaluation=None, history={"loss": [1.0, 0.5]}, best_epoch=2,
                             epochs_run=2, seconds=0.1, device="CPU", params={},
                             stopped_reason="completed")
    return record_from_result(project, result)


@pytest.fixture
def panel(qtbot, state):
    p = SettingsPanel(state)
    qtbot.addWidget(p)
    p.show()
    return p


def test_a_doctor_fix_is_one_undo_step(state):
    state.project.compile.loss = "mse"
    state.touch()
    fix = next(f for f in state.findings if f.action and f.action.get("op") == "set_loss")
    assert state.apply_fix(fix)
    assert state.project.compile.loss == "sparse_categorical_crossentropy"
    assert state.undo_stack.count() == 1
    assert state.undo_stack.undoText().startswith("Fix: ")
    state.undo_stack.undo()
    assert state.project.compile.loss == "mse"
    assert any(f.action and f.action.get("op") == "set_loss" for f in state.findings)
    state.undo_stack.redo()
    assert state.project.compile.loss == "sparse_categorical_crossentropy"


def test_typing_a_learning_rate_is_one_undo_step(qtbot, panel, state):
    before = state.project.compile.learning_rate
    spin = panel.learning_rate
    spin.setFocus()
    spin.lineEdit().selectAll()
    QTest.keyClicks(spin.lineEdit(), "0.0005")
    QTest.keyClick(spin.lineEdit(), Qt.Key.Key_Return)
    assert state.project.compile.learning_rate == pytest.approx(0.0005)
    assert state.undo_stack.count() == 1                      # not one step per key
    assert state.undo_stack.undoText() == "Change Learning rate"
    state.undo_stack.undo()
    assert state.project.compile.learning_rate == pytest.approx(before)
    assert spin.value() == pytest.approx(before)              # the form follows the undo
    state.undo_stack.redo()
    assert state.project.compile.learning_rate == pytest.approx(0.0005)


def test_each_bound_control_is_undoable(panel, state):
    def values():
        p = state.project
        return (p.compile.optimizer, p.training.epochs, p.training.early_stopping.enabled)

    before = values()
    panel.optimizer.setCurrentIndex(panel.optimizer.findData("sgd"))
    panel.optimizer.activated.emit(panel.optimizer.currentIndex())
    panel.epochs.setValue(before[1] + 7)
    panel.es_box.setChecked(not before[2])
    assert values() == ("sgd", before[1] + 7, not before[2])
    assert panel.momentum.isVisible()                          # SGD shows its momentum
    assert state.undo_stack.count() == 3
    for _ in range(3):
        state.undo_stack.undo()
    assert values() == before
    assert (panel.optimizer.currentData(), panel.epochs.value(),
            panel.es_box.isChecked()) == before                # the form follows


def test_metrics_and_typing_back_leave_no_step(panel, state):
    before = list(state.project.compile.metrics)
    box = next(cb for cb in panel.metric_checks.values() if cb.isVisible())
    box.setChecked(not box.isChecked())
    assert state.project.compile.metrics != before and state.undo_stack.count() == 1
    state.undo_stack.undo()
    assert state.project.compile.metrics == before
    seed = state.project.training.seed
    panel.seed.setValue(seed + 1)
    panel.seed.setValue(seed)                  # typed back: the merged step changes nothing
    assert state.project.training.seed == seed
    assert state.undo_stack.count() == 0


def test_column_role_target_and_split_are_undoable(state):
    features = list(state.project.features)
    width = state.project.design.layers[0].units
    column = features[0]
    state.set_column(column, "role", "ignore")
    assert column not in state.project.features
    assert state.project.design.layers[0].units == width - 1       # the input width follows
    state.edit("Change the split", lambda p: setattr(p.split, "seed", 99), merge_key="split")
    assert state.project.split.seed == 99
    state.undo_stack.undo()
    state.undo_stack.undo()
    assert state.project.features == features
    assert state.project.design.layers[0].units == width
    assert state.project.split.seed != 99
    old_target = state.project.target
    state.set_target(column)
    assert state.project.target == column
    state.undo_stack.undo()
    assert state.project.target == old_target and state.project.features == features


def test_restoring_a_run_is_undoable(state):
    proj = state.project
    hidden = next(la for la in proj.design.hidden if la.kind == "dense")
    hidden.units, proj.compile.learning_rate = 8, 0.01
    proj.runs.append(_fake_run(proj))
    hidden.units, proj.compile.learning_rate = 16, 0.003
    state.touch(design=True)
    state.restore_run(proj.runs[0])

    def current():
        return next(la for la in state.project.design.hidden if la.kind == "dense")

    assert (current().units, state.project.compile.learning_rate) == (8, 0.01)
    state.undo_stack.undo()
    assert (current().units, state.project.compile.learning_rate) == (16, 0.003)
    assert len(state.project.runs) == 1                 # the history is a record: kept


def test_a_refused_change_leaves_the_project_as_it_was(state):
    before = state.project.compile.learning_rate

    def change(project):
        project.compile.learning_rate = 5.0
        raise ValueError("refused")

    with pytest.raises(ValueError):
        state.edit("bad", change)
    assert state.project.compile.learning_rate == before
    assert state.undo_stack.count() == 0


def test_edit_undo_in_the_window_reverts_a_compile_change_then_a_canvas_edit(qtbot, window):
    state = window.state
    canvas = window.findChild(type(window.page("design")), "canvasPanel")
    layer = state.project.design.layers[1]
    units = layer.units
    canvas.select(layer.uid)
    canvas.edit(layer.uid, {"units": units + 4})
    window.show_step("compile")
    page = window.page("compile")
    lr = state.project.compile.learning_rate
    page.learning_rate.setValue(0.02)
    assert state.undo_stack.count() == 2
    undo = window.menus.edit_menu.actions()[0]
    assert undo.text().endswith("Change Learning rate")       # Edit > Undo names the step
    window.activateWindow()
    page.learning_rate.setFocus()
    QTest.keySequence(window, QKeySequence("Ctrl+Z"))          # in the Compile page's field
    assert state.project.compile.learning_rate == pytest.approx(lr)
    assert page.learning_rate.value() == pytest.approx(lr)
    undo.trigger()
    assert state.project.design.layers[1].units == units
    assert not state.undo_stack.canUndo()


def test_a_new_project_starts_a_new_history(state):
    state.set_field("training.epochs", 3, "Change Epochs")
    assert state.undo_stack.canUndo()
    state.open_data("sample:iris", target="species")
    assert state.undo_stack.count() == 0
