"""The doctor in the window: one Fix leaves a consistent project, and in presentation mode
(the doctor's dock hidden, large fonts, 1024x768) the findings stay visible and fixable on the
Data and Train pages."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from PySide6.QtCore import Qt

from studio.core.prep import prepare
from studio.core.project import estimate_inputs

LEFT = Qt.MouseButton.LeftButton


def leaking_csv(tmp_path) -> str:
    """Iris-like rows with a text copy of the target (one-hot: 3 inputs) and a 4-valued
    category (4 inputs); the target is the last column."""
    n = 300
    rng = np.random.default_rng(0)
    k = np.arange(n) % 3
    species = np.array(["setosa", "versicolor", "virginica"])[k]
    df = pd.DataFrame({
        "sepal_length": 5.0 + 0.8 * k + rng.normal(0, 0.5, n),
        "sepal_width": 3.0 - 0.2 * k + rng.normal(0, 0.4, n),
        "petal_length": 1.5 + 2.0 * k + rng.normal(0, 0.8, n),
        "petal_width": 0.3 + 0.8 * k + rng.normal(0, 0.4, n),
        "site": np.array(["Seoul", "Busan", "Incheon", "Daegu"])[np.arange(n) % 4],
        "species_copy": species,
        "species": species,
    })
    path = tmp_path / "leaky.csv"
    df.to_csv(path, index=False)
    return str(path)


def model_inputs(state) -> int:
    p, ds = state.project, state.dataset
    return prepare(ds.frame, p.target, p.columns, p.task_info(ds), p.split).n_inputs


def leak_row(strip):
    rows = [r for r in strip.rows if r.finding.code == "target-leakage"]
    assert len(rows) == 1, [r.finding.code for r in strip.rows]
    return rows[0]


def shown_on_screen(widget) -> bool:
    """Visible, not clipped away to nothing by its parents, inside the window."""
    if not widget.isVisible() or widget.visibleRegion().isEmpty():
        return False
    win = widget.window()
    top_left = widget.mapTo(win, widget.rect().topLeft())
    bottom_right = widget.mapTo(win, widget.rect().bottomRight())
    return win.rect().contains(top_left) and win.rect().contains(bottom_right)


@pytest.fixture
def leaky(window, tmp_path):
    window.set_tensorflow_ready(True, "CPU")
    assert window.files.open_path(leaking_csv(tmp_path))
    state = window.state
    assert state.project.target == "species"
    assert any(f.code == "target-leakage" for f in state.findings)
    return window


@pytest.fixture
def presenting(leaky, qtbot):
    window = leaky
    window.resize(1024, 768)
    window.classroom.set_presentation(True)
    qtbot.wait(200)                 # the look follows the window's final size
    yield window
    window.classroom.set_presentation(False)


def test_one_fix_in_the_doctor_panel_leaves_a_consistent_project(leaky, qtbot):
    window, state = leaky, leaky.state
    window.show_step("data")
    card = next(c for c in window.doctor_panel.cards if c.finding.code == "target-leakage")
    assert card.fix_button is not None
    qtbot.mouseClick(card.fix_button, LEFT)
    errors = [f.to_dict() for f in state.findings if f.severity == "error"]
    assert errors == []
    assert state.project.columns["species_copy"].role == "ignore"
    width = state.project.design.layers[0].units
    assert width == estimate_inputs(state.project, state.dataset) == model_inputs(state) == 8
    window.show_step("train")
    assert window.page("train").train_button.isEnabled()


def test_presenting_shows_the_leak_on_data_and_train_and_its_fix_works(presenting, qtbot):
    window, state = presenting, presenting.state
    assert window.classroom.is_presenting() and not window.doctor_dock.isVisible()
    window.show_step("data")
    strip = window.data_panel.findings_strip
    qtbot.waitUntil(strip.isVisible, timeout=2000)
    row = leak_row(strip)
    assert "'species_copy'" in row.title.text()
    assert shown_on_screen(row) and shown_on_screen(row.fix_button)

    window.show_step("train")
    train = window.page("train")
    assert not train.train_button.isEnabled()
    row = leak_row(train.findings_strip)
    qtbot.waitUntil(lambda: shown_on_screen(row.fix_button), timeout=2000)
    assert shown_on_screen(row)
    qtbot.mouseClick(row.fix_button, LEFT)

    assert not any(f.severity == "error" for f in state.findings)
    assert state.project.design.layers[0].units == model_inputs(state) == 8
    assert train.train_button.isEnabled()
    assert not any(r.finding.severity == "error" for r in train.findings_strip.rows)
    assert not any(r.finding.code == "target-leakage"
                   for r in window.data_panel.findings_strip.rows)


def test_strips_follow_presentation_mode(leaky, qtbot):
    window = leaky
    data_strip = window.data_panel.findings_strip
    train_strip = window.page("train").findings_strip
    window.show_step("data")
    assert not data_strip.isVisible()              # the doctor's dock shows them
    assert window.doctor_dock.isVisible()
    window.show_step("train")
    assert train_strip.isVisible()                 # what blocks training, with its Fix
    assert [r.finding.code for r in train_strip.rows] == ["target-leakage"]
    window.classroom.set_presentation(True)
    try:
        window.show_step("data")
        qtbot.waitUntil(data_strip.isVisible, timeout=2000)
        assert leak_row(data_strip).fix_button is not None
    finally:
        window.classroom.set_presentation(False)
    assert not data_strip.presenting and not train_strip.presenting
    window.show_step("data")
    assert not data_strip.isVisible()


def test_the_strip_keeps_to_a_few_rows(leaky, qtbot):
    window, state = leaky, leaky.state
    state.project.compile.loss = "mse"           # more errors than rows
    state.project.design.layers[-1].activation = "relu"
    state.project.compile.learning_rate = 0.5
    state.touch(design=True)
    window.classroom.set_presentation(True)
    try:
        strip = window.data_panel.findings_strip
        wanted = strip.wanted(state.findings)
        assert len(wanted) > strip.MAX_ROWS
        assert len(strip.rows) == strip.MAX_ROWS
        assert [r.finding for r in strip.rows] == wanted[:strip.MAX_ROWS]
        assert strip.rows[0].finding.severity == "error"
        assert str(len(wanted) - strip.MAX_ROWS) in strip.more.text()
        assert not strip.more.isHidden()
    finally:
        window.classroom.set_presentation(False)
