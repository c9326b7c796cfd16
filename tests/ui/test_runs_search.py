"""The Runs dock (table, overlaid curves, diff, restore, delete) and the search dialog (a
2-trial grid search in the worker, stop, apply best, recall before / after)."""

from __future__ import annotations

import pytest

from studio.core.design import Layer
from studio.core.runs import record_from_result
from studio.core.train import train
from studio.ui.experiments.runs_view import RunsView
from studio.ui.experiments.search_dialog import SearchDialog


@pytest.fixture
def two_runs(state):
    """conftest's iris state with two 2-epoch runs: 8 units, then 16 units and lr 0.003."""
    proj = state.project
    proj.training.epochs = 2
    hidden = next(la for la in proj.design.hidden if la.kind == "dense")
    hidden.units = 8
    proj.runs.append(record_from_result(proj, train(proj, state.dataset, check=False)))
    hidden.units = 16
    proj.compile.learning_rate = 0.003
    proj.runs.append(record_from_result(proj, train(proj, state.dataset, check=False)))
    state.touch(design=True)
    return state


@pytest.fixture
def view(qtbot, two_runs):
    v = RunsView(two_runs)
    qtbot.addWidget(v)
    v.resize(900, 520)
    v.show()
    yield v
    assert v.shutdown()


@pytest.fixture
def dialog(qtbot, state):
    state.project.training.epochs = 2
    d = SearchDialog(state)
    qtbot.addWidget(d)
    d.show()
    yield d
    assert d.shutdown()


def test_runs_table_lists_the_runs(view, two_runs):
    assert view.model.rowCount() == 2
    texts = [view.model.index(1, c).data() for c in range(view.model.columnCount())]
    assert "16" in texts[1] and "lr=0.003" in texts[2]
    assert texts[5] == "2"


def test_selecting_two_overlays_curves_and_shows_the_diff(view):
    view.select_rows([0, 1])
    assert len(view.curves) == 2
    assert len(view.legend.items) == 2
    text = view.diff_text.toPlainText()
    assert "units 8 → 16" in text
    assert "compile.learning_rate" in text and "0.003" in text
    assert "best_val_loss" in text


def test_restore_changes_the_project(view, two_runs):
    def hidden() -> Layer:
        return next(la for la in two_runs.project.design.hidden if la.kind == "dense")

    assert hidden().units == 16
    view.select_rows([0])
    assert view.restore_button.isEnabled()
    changed = []
    two_runs.sig_design_changed.connect(lambda: changed.append(1))
    assert view.restore_selected()
    assert hidden().units == 8 and two_runs.project.compile.learning_rate == 0.01
    assert changed


def test_delete_removes_runs(view, two_runs):
    view.select_rows([0])
    assert view.delete_selected() == 1
    assert len(two_runs.project.runs) == 1 and view.model.rowCount() == 1


def test_a_new_result_refreshes_the_table(view, two_runs):
    proj = two_runs.project
    result = train(proj, two_runs.dataset, check=False)
    proj.runs.append(record_from_result(proj, result))
    two_runs.sig_result_ready.emit(result)
    assert view.model.rowCount() == 3


def test_grid_search_fills_the_table_and_applies_best(qtbot, dialog, state):
    for key in ("units", "layers", "lr", "dropout"):
        dialog.set_param(key, None)
    dialog.set_param("units", "4, 24")
    dialog.strategy_combo.setCurrentIndex(dialog.strategy_combo.findData("grid"))
    dialog.trials_spin.setValue(2)
    before = [la.units for la in state.project.design.hidden if la.kind == "dense"]
    with qtbot.waitSignal(dialog.controller.sig_running_changed, timeout=120000,
                          check_params_cb=lambda running: not running):
        assert dialog.start_search()
        assert dialog.stop_button.isEnabled() and not dialog.run_button.isEnabled()
    assert dialog.result is not None and len(dialog.result.trials) == 2
    assert dialog.results_table.rowCount() == 2
    scores = [dialog.results_table.item(r, 1).value for r in range(2)]
    assert scores == sorted(scores)                      # val_loss: best first
    assert len(dialog.scatter.data) == 2
    assert "Best" in dialog.status_label.text()
    assert dialog.apply_button.isEnabled()
    best = dialog.result.best["params"]["units"]
    params = dialog.apply_best()
    assert params == {"units": best}
    units = [la.units for la in state.project.design.hidden if la.kind == "dense"]
    assert units and all(u == best for u in units)
    state.undo_stack.undo()                              # applying the best is one undo step
    assert [la.units for la in state.project.design.hidden if la.kind == "dense"] == before


def test_stop_ends_the_search(qtbot, dialog):
    dialog.set_param("units", "4, 8, 16, 32")
    dialog.trials_spin.setValue(50)
    dialog.epochs_spin.setValue(200)
    with qtbot.waitSignal(dialog.controller.sig_running_changed, timeout=120000,
                          check_params_cb=lambda running: not running):
        assert dialog.start_search()
        qtbot.waitUntil(lambda: dialog.progress.format().startswith("Trial 1/"), timeout=60000)
        qtbot.wait(300)
        dialog.stop()
    assert dialog.result.stopped_reason == "stopped"
    assert len(dialog.result.trials) < 50


def test_bad_values_are_reported_not_raised(dialog):
    dialog.set_param("lr", "fast")
    assert dialog.start_search() is False
    assert "lr" in dialog.status_label.text()


def test_recall_comparison_fills_the_table(qtbot, dialog):
    assert dialog.balance_table.rowCount() == 3
    dialog.epochs_spin.setValue(2)
    with qtbot.waitSignal(dialog.controller.sig_running_changed, timeout=120000,
                          check_params_cb=lambda running: not running):
        assert dialog.start_recall()
    assert dialog.recall is not None
    assert dialog.recall_table.rowCount() == 3


def test_window_has_the_runs_dock_and_menu(window):
    assert window.runs_dock.widget() is window.runs_view
    texts = [a.text() for a in window.menuBar().actions()]
    assert any("xperiments" in t for t in texts)
    window.menus._show_runs()
    assert window.runs_dock.isVisible()
