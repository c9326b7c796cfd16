"""The Data step: re-reading with other options, the column table's editors, charts, split,
and a preview model that stays instant with a million rows."""

from __future__ import annotations

import time

import numpy as np
import pandas as pd
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QStyleOptionViewItem, QTableView

from studio.core.data import ReadOptions
from studio.ui.common.table_model import DataFrameModel, format_value
from studio.ui.data.column_model import ENCODE, IMPUTE, KIND, MISSING, NAME, ROLE, SCALE, UNIQUE
from studio.ui.data.panel import DataPanel


@pytest.fixture
def panel(qtbot, state):
    p = DataPanel(state)
    qtbot.addWidget(p)
    p.resize(1000, 700)
    p.show()
    return p


def _choose(combo, value) -> None:
    """What a user's pick does: select the item, then `activated`."""
    combo.setCurrentIndex(combo.findData(value))
    combo.activated.emit(combo.currentIndex())


def _edit_with_delegate(view: QTableView, row: int, col: int, value: str) -> None:
    """Open the cell's real editor, pick ``value`` and commit, as a click would."""
    index = view.model().index(row, col)
    delegate = view.itemDelegate()
    editor = delegate.createEditor(view.viewport(), QStyleOptionViewItem(), index)
    delegate.setEditorData(editor, index)
    editor.setCurrentIndex(editor.findData(value))
    delegate.setModelData(editor, view.model(), index)
    editor.deleteLater()


def test_shows_the_sample_and_its_columns(panel, state):
    assert panel.table_model.rowCount() == 150
    assert panel.table_model.columnCount() == 5
    model = panel.column_model
    assert model.rowCount() == 5
    row = model.row_of("species")
    assert model.index(row, ROLE).data() == "Target"
    assert model.index(row, KIND).data() == "Categories"
    assert model.index(row, UNIQUE).data() == "3"
    assert model.index(row, MISSING).data() == "0"
    assert not (model.flags(model.index(row, ROLE)) & Qt.ItemIsEditable)   # the target's role
    first = model.row_of("sepal_length")
    assert model.index(first, SCALE).data() == "Standardise"
    assert model.flags(model.index(first, IMPUTE)) & Qt.ItemIsEditable
    assert panel.encoding_combo.currentText() == "Auto (utf-8)"
    assert not panel.warnings.isVisible()
    # the first feature is selected and charted; the target's class balance beside it
    assert panel.column_chart.title.text() == "Column: sepal_length"
    assert panel.column_chart.counts.sum() == 150
    assert panel.target_chart.labels == ["setosa", "versicolor", "virginica"]
    assert list(panel.target_chart.counts) == [50, 50, 50]


def test_semicolon_file_read_with_commas_then_reread_with_semicolons(qtbot, state, tmp_path):
    path = tmp_path / "semi.csv"
    rows = ["a;b;c;label"] + [f"{i};{i * 2};{i % 3};{'yes' if i % 2 else 'no'}"
                              for i in range(40)]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    state.open_data(str(path), options=ReadOptions(sep=","))
    panel = DataPanel(state)
    qtbot.addWidget(panel)
    panel.show()
    assert panel.table_model.columnCount() == 1
    assert panel.warnings.isVisible()
    assert "Only one column" in panel.warnings.text.text()
    assert panel.sep_combo.currentData() == ","
    _choose(panel.sep_combo, ";")
    assert state.dataset.frame.shape == (40, 4)
    assert panel.table_model.columnCount() == 4
    assert panel.column_model.rowCount() == 4
    assert state.project.read_options.sep == ";"
    assert state.project.target == "label"
    assert not panel.warnings.isVisible()
    assert panel.size_chip.text() == "40 rows × 4 columns"
    # back to automatic: detection finds the semicolon by itself
    _choose(panel.sep_combo, "")
    assert state.project.read_options.sep is None
    assert panel.table_model.columnCount() == 4
    assert panel.sep_combo.currentText() == "Auto (Semicolon)"


def test_ignoring_a_column_updates_the_project_and_the_input_width(panel, state):
    view = panel.column_view
    row = panel.column_model.row_of("sepal_length")
    assert state.project.design.layers[0].units == 4
    _edit_with_delegate(view, row, ROLE, "ignore")
    assert state.project.columns["sepal_length"].role == "ignore"
    assert "sepal_length" not in state.project.features
    assert state.project.design.layers[0].units == 3
    assert panel.column_model.index(row, ROLE).data() == "Ignore"
    assert panel.table_model.headerData(0, Qt.Horizontal, Qt.ToolTipRole) == \
        "sepal_length: ignored"
    assert state.dirty


def test_preprocessing_edits_go_through_the_state(panel, state):
    row = panel.column_model.row_of("petal_width")
    _edit_with_delegate(panel.column_view, row, SCALE, "minmax")
    _edit_with_delegate(panel.column_view, row, IMPUTE, "median")
    prep = state.project.columns["petal_width"]
    assert (prep.scale, prep.impute) == ("minmax", "median")
    assert panel.column_model.index(row, SCALE).data() == "Normalise"
    # numbers can be one-hot encoded; then scaling no longer applies and is shown as such
    _edit_with_delegate(panel.column_view, row, ENCODE, "onehot")
    assert state.project.columns["petal_width"].encode == "onehot"
    assert panel.column_model.index(row, SCALE).data() == "—"
    assert not (panel.column_model.flags(panel.column_model.index(row, SCALE))
                & Qt.ItemIsEditable)
    assert state.project.design.layers[0].units == 3 + state.dataset.profile_of(
        "petal_width").unique


def test_choosing_another_target_changes_the_task(panel, state):
    row = panel.column_model.row_of("petal_length")
    _edit_with_delegate(panel.column_view, row, ROLE, "target")
    assert state.project.target == "petal_length"
    assert state.task_info().task == "regression"
    assert state.project.compile.loss in ("mse", "mae", "huber")
    assert panel.column_model.index(row, ROLE).data() == "Target"
    assert panel.target_chart.title.text() == "Target: petal_length"
    assert panel.target_chart.counts.sum() == 150
    assert not panel.stratify_check.isEnabled()


def test_doctor_findings_appear_beside_their_column(qtbot, state, tmp_path):
    path = tmp_path / "ids.csv"
    lines = ["row_id,x,y,label"] + [f"{i},{i % 7},{(i * 3) % 11},{i % 2}" for i in range(80)]
    path.write_text("\n".join(lines), encoding="utf-8")
    state.open_data(str(path), target="label")
    panel = DataPanel(state)
    qtbot.addWidget(panel)
    model = panel.column_model
    row = model.row_of("row_id")
    state.set_column("row_id", "role", "feature")       # an ID used as a feature
    found = [f for f in state.findings if f.column == "row_id"]
    assert found
    icon = model.index(row, 8).data(Qt.DecorationRole)
    assert icon is not None and not icon.isNull()
    tip = model.index(row, 8).data(Qt.ToolTipRole)
    assert found[0].title in tip
    assert model.index(model.row_of("x"), 8).data(Qt.DecorationRole) is None


def test_histogram_of_the_selected_column(panel, state):
    panel.select_column("petal_length")
    counts = panel.column_chart.counts
    assert counts.sum() == 150
    values = state.dataset.frame["petal_length"].to_numpy()
    assert 5 <= len(counts) <= 30
    assert panel.column_chart.caption.text().startswith(f"min {values.min():.3g}")
    assert panel.table_model.highlighted() == 2
    assert panel.table_model.index(5, 2).data(Qt.BackgroundRole) is not None
    panel.select_column("species")                       # categories: bars of the values
    assert panel.column_chart.labels == ["setosa", "versicolor", "virginica"]


def test_split_spin_boxes_edit_the_project(panel, state):
    panel.train_spin.setValue(60)
    panel.val_spin.setValue(20)
    panel.test_spin.setValue(20)
    panel.seed_spin.setValue(7)
    sp = state.project.split
    assert (sp.train, sp.validation, sp.test, sp.seed) == (0.6, 0.2, 0.2, 7)
    assert panel.split_sum.text() == "= 100 %"
    panel.train_spin.setValue(70)
    assert panel.split_sum.text() == "= 110 %"
    assert state.project.split.train == 0.7
    # the state changing the split shows in the spin boxes, without echoing back
    state.project.split.train, state.project.split.validation = 0.6, 0.2
    state.touch()
    assert panel.train_spin.value() == 60


def test_million_row_model_is_instant():
    n = 1_000_000
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({
        "x": rng.normal(size=n),
        "k": rng.integers(0, 100, n),
        "city": rng.choice(["Seoul", "Busan", "Incheon"], n),
        "gap": np.where(rng.random(n) < 0.1, np.nan, rng.random(n)),
    })
    start = time.perf_counter()
    model = DataFrameModel(frame)
    assert model.rowCount() == n and model.columnCount() == 4
    cells = [model.index(r, c).data() for r, c in
             ((0, 0), (n - 1, 1), (500_000, 2), (123_456, 3), (n - 1, 3))]
    elapsed = time.perf_counter() - start
    assert elapsed < 1.0, elapsed
    assert cells[0] == format_value(frame.iat[0, 0])
    assert cells[1] == str(frame.iat[n - 1, 1])
    assert cells[2] in ("Seoul", "Busan", "Incheon")
    assert model.headerData(n - 1, Qt.Vertical) == str(n)


def test_million_row_dataset_stays_responsive(qtbot, state):
    from studio.core.data import CsvInfo, Dataset, profile

    n = 1_000_000
    rng = np.random.default_rng(1)
    frame = pd.DataFrame({"a": rng.normal(size=n), "b": rng.integers(0, 9, n),
                          "city": rng.choice(["Seoul", "Busan"], n), "y": rng.normal(size=n)})
    ds = Dataset(frame=frame, info=CsvInfo("utf-8", ",", ".", n, 4), source="big.csv",
                 profiles=profile(frame))
    state.open_data_from(ds, "big.csv", "y", None)
    panel = DataPanel(state)
    qtbot.addWidget(panel)
    panel.resize(1000, 700)
    panel.show()
    qtbot.wait(1)
    assert panel.preview.model().rowCount() == n
    for name in ("b", "city", "a"):                      # chart + preview follow the column
        start = time.perf_counter()
        panel.select_column(name)
        panel.grab()
        assert time.perf_counter() - start < 1.0, name
    assert panel.column_chart.counts.sum() == n
    start = time.perf_counter()
    panel.preview.scrollToBottom()
    panel.grab()
    assert time.perf_counter() - start < 0.5
    assert panel.preview.rowAt(panel.preview.viewport().height() - 2) > n - 40


def test_format_value():
    assert format_value(float("nan")) == "·"
    assert format_value(None) == "·"
    assert format_value(3.0) == "3"
    assert format_value(3.14159265) == "3.14159"
    assert format_value(True) == "True"
    assert format_value("서울") == "서울"


def test_name_column_is_the_stretching_one(panel):
    from PySide6.QtWidgets import QHeaderView

    hh = panel.column_view.horizontalHeader()
    assert hh.sectionResizeMode(NAME) == QHeaderView.Stretch
    assert hh.sectionResizeMode(ROLE) == QHeaderView.Fixed


def test_a_click_on_a_choice_cell_opens_a_combo_that_commits(panel, state, qtbot):
    from PySide6.QtWidgets import QAbstractItemView, QComboBox

    view = panel.column_view
    row = panel.column_model.row_of("sepal_width")
    index = panel.column_model.index(row, IMPUTE)
    rect = view.visualRect(index)
    qtbot.mouseClick(view.viewport(), Qt.LeftButton, pos=rect.center())
    assert view.state() == QAbstractItemView.EditingState
    editor = view.viewport().findChild(QComboBox) or view.findChild(QComboBox)
    assert editor is not None
    assert [editor.itemData(i) for i in range(editor.count())] == \
        ["none", "mean", "median", "most_frequent", "constant", "drop"]
    editor.setCurrentIndex(editor.findData("mean"))
    editor.activated.emit(editor.currentIndex())
    assert state.project.columns["sepal_width"].impute == "mean"
    assert view.state() != QAbstractItemView.EditingState
    assert panel.column_model.index(row, IMPUTE).data() == "Mean"


def test_read_options_and_split_wrap_instead_of_clipping(panel, qtbot):
    """On a narrow page the label + control pairs move to a second line, whole: nothing is
    cut or overlapped (presentation mode at 1024x768, long translations)."""
    def pairs(row):
        return [w for w in row.children() if w.isWidgetType() and w.isVisible()]

    def check(row):
        rects = [w.geometry() for w in pairs(row)]
        for r in rects:
            assert row.rect().contains(r), (r, row.rect())
            assert r.width() >= pairs(row)[rects.index(r)].sizeHint().width()
        for i, a in enumerate(rects):
            assert not any(a.intersects(b) for b in rects[i + 1:])
        return len({r.top() for r in rects})

    panel.resize(1400, 700)
    qtbot.wait(20)
    assert check(panel.read_row) == 1 and check(panel.split_row) == 1
    panel.resize(520, 700)
    qtbot.wait(20)
    assert check(panel.read_row) >= 2 and check(panel.split_row) >= 2
