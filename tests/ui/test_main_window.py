"""The main window: first start, steps, opening files (dialog-free), drops, the doctor's fix
button, saving, the unsaved-changes prompt and TensorFlow's background loading."""

from __future__ import annotations

import json

from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QMessageBox

from studio.core.design import Layer
from studio.ui.shell.main_window import MainWindow


def write_csv(path, text: str) -> str:
    path.write_text(text, encoding="utf-8")
    return str(path)


STEPS = ["start", "data", "design", "compile", "train", "evaluate"]


def _csv(tmp_path, rows: int = 25) -> str:
    lines = ["height,weight,city,label"]
    for i in range(rows):
        lines.append(f"{150 + i},{50 + (i * 7) % 30},{'ABC'[i % 3]},{'yes' if i % 2 else 'no'}")
    return write_csv(tmp_path / "people.csv", "\n".join(lines) + "\n")


def test_first_start_opens_the_iris_sample_with_every_step(window):
    assert window.steps() == STEPS
    assert window.step_list.count() == 6
    assert [window.step_list.item(i).text().strip() for i in range(6)] == \
        ["Start", "Data", "Design", "Compile", "Train", "Evaluate"]
    proj = window.state.project
    assert proj.data_source == "sample:iris" and proj.target == "species"
    assert proj.design.layers[0].units == 4 and proj.design.layers[-1].units == 3
    assert window.current_step() == "start"
    assert window.windowTitle().startswith("iris")
    assert not window.isWindowModified()
    # every step is enabled once data is open, and each page is the one shown when selected
    for i, key in enumerate(STEPS):
        assert window.step_list.item(i).flags() & Qt.ItemIsEnabled
        window.show_step(key)
        assert window.stack.currentWidget() is window.page(key)
    assert window.doctor_dock.isVisible() is False       # on Evaluate
    window.show_step("data")
    assert window.doctor_dock.isVisible()
    # a first start is not remembered as a recent file
    assert window.settings.recent_files() == []


def test_start_with_recent_files_waits_on_the_start_page(qtbot, studio_app, tmp_path):
    from studio.ui.common.qt_settings import StudioSettings

    settings = StudioSettings()
    settings.add_recent(_csv(tmp_path))
    w = MainWindow(settings=settings)
    qtbot.addWidget(w)
    w.start()
    assert w.state.project is None
    assert w.current_step() == "start"
    assert not (w.step_list.item(1).flags() & Qt.ItemIsEnabled)
    assert w.start_page.recent_list.count() == 1
    assert w.train_blocked_reason() == "Open a data set first."


def test_add_step_plugs_in_a_page(window):
    from PySide6.QtWidgets import QLabel

    page = QLabel("extra")
    index = window.add_step("Extra", page, "extra")
    assert index == 6 and window.steps()[-1] == "extra"
    window.show_step("extra")
    assert window.stack.currentWidget() is page


def test_opening_a_csv_updates_the_preview_and_recent_files(window, tmp_path):
    path = _csv(tmp_path, rows=25)
    assert window.files.open_path(path)
    panel = window.data_panel
    assert panel.table_model.rowCount() == 25
    assert panel.table_model.columnCount() == 4
    assert panel.preview.model().rowCount() == 25
    assert panel.column_model.rowCount() == 4
    assert panel.size_chip.text() == "25 rows × 4 columns"
    assert window.current_step() == "data"
    assert window.windowTitle().startswith("people")
    assert window.settings.recent_files()[0].endswith("people.csv")
    assert window.start_page.recent_list.count() == 1
    assert [a.data() for a in window.recent_menu.actions() if a.data()] == \
        window.settings.recent_files()


def test_new_from_csv_on_a_later_step_goes_to_the_data_step(window, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    path = _csv(tmp_path, rows=25)
    window.show_step("evaluate")
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        staticmethod(lambda *a, **k: (path, "")))
    window.files.new_from_csv()
    assert window.current_step() == "data"
    assert window.data_panel.table_model.rowCount() == 25


def _drop(window, path: str) -> QDropEvent:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(path)])
    enter = QDragEnterEvent(window.rect().center(), Qt.CopyAction, mime, Qt.LeftButton,
                            Qt.NoModifier)
    QApplication.sendEvent(window, enter)
    assert enter.isAccepted()
    drop = QDropEvent(QPointF(window.rect().center()), Qt.CopyAction, mime, Qt.LeftButton,
                      Qt.NoModifier)
    QApplication.sendEvent(window, drop)
    return drop


def test_dropping_a_csv_opens_it(window, tmp_path):
    path = _csv(tmp_path, rows=12)
    _drop(window, path)
    assert window.state.project.data_source == path
    assert window.data_panel.table_model.rowCount() == 12


def test_dropping_a_bad_csv_shows_the_message_and_keeps_the_project(window, tmp_path):
    bad = tmp_path / "workbook.csv"
    bad.write_bytes(b"PK\x03\x04" + bytes(range(256)) * 4)
    before = window.state.project
    _drop(window, str(bad))
    assert window.state.project is before                 # nothing replaced
    assert "Excel" in window.error_text()
    assert window.error_banner.isVisible()
    assert "Traceback" not in window.error_text()
    window.error_banner.close_button.click()
    assert window.error_text() == ""


def test_impossible_read_options_are_reported_not_raised(window, qtbot):
    panel = window.data_panel
    window.show_step("data")

    def choose(combo, value):
        combo.setCurrentIndex(combo.findData(value))
        combo.activated.emit(combo.currentIndex())

    choose(panel.sep_combo, ",")
    assert window.state.project.read_options.sep == ","
    with qtbot.waitSignal(window.state.sig_error):
        choose(panel.decimal_combo, ",")                    # same as the separator
    assert "cannot be the same" in window.error_text()
    assert window.state.dataset.frame.shape == (150, 5)
    assert panel.decimal_combo.currentData() == ""         # back to what is in use
    assert panel.sep_combo.currentData() == ","


def test_doctor_fix_button_repairs_the_output_activation(window, qtbot):
    state = window.state
    design = state.project.design.copy()
    design.layers[-1] = Layer.dense(3, "relu")
    state.set_design(design)
    errors = [f for f in state.findings if f.severity == "error"]
    assert errors and state.has_errors
    assert window.train_blocked_reason() == errors[0].title
    card = next(c for c in window.doctor_panel.cards
                if c.finding.layer == design.layers[-1].uid and c.fix_button is not None)
    assert card.finding.severity == "error"
    qtbot.mouseClick(card.fix_button, Qt.LeftButton)
    assert state.project.design.layers[-1].activation == "softmax"
    assert not state.has_errors
    assert "error" not in window.doctor_panel.summary.text()
    assert window.isWindowModified()


def test_clicking_a_column_finding_shows_that_column(window, qtbot, tmp_path):
    lines = ["row_id,x,y,label"] + [f"{i},{i % 7},{(i * 3) % 11},{i % 2}" for i in range(80)]
    window.state.open_data(write_csv(tmp_path / "ids.csv", "\n".join(lines)), target="label")
    window.state.set_column("row_id", "role", "feature")
    finding = next(f for f in window.state.findings if f.column == "row_id")
    card = next(c for c in window.doctor_panel.cards if c.finding is finding)
    qtbot.mouseClick(card, Qt.LeftButton)
    assert window.current_step() == "data"
    view = window.data_panel.column_view
    assert window.data_panel.column_model.column_name(view.currentIndex().row()) == "row_id"
    assert window.data_panel.column_chart.title.text() == "Column: row_id"


def test_save_then_reopen_the_project(window, tmp_path):
    window.state.project.training.epochs = 7
    window.state.touch()
    assert window.isWindowModified()
    path = tmp_path / "my_iris.json"
    assert window.files.save_to(str(path))
    assert not window.isWindowModified()
    assert window.windowTitle().startswith("my_iris")
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert doc["training"]["epochs"] == 7
    window.files.open_path("sample:wine")
    assert window.state.project.target == "cultivar"
    assert window.files.open_path(str(path))
    assert window.state.project.training.epochs == 7
    assert window.settings.recent_files()[0] == str(path.resolve())


def test_close_asks_about_unsaved_changes(window, monkeypatch, tmp_path):
    window.state.project.training.epochs = 3
    window.state.touch()
    monkeypatch.setattr(window.files, "ask_save_changes", lambda: QMessageBox.Cancel)
    assert not window.close()
    assert window.isVisible()
    # Save: with a path already chosen, it saves there and closes
    window.state.project.path = tmp_path / "keep.json"
    monkeypatch.setattr(window.files, "ask_save_changes", lambda: QMessageBox.Save)
    assert window.close()
    assert (tmp_path / "keep.json").exists()


def test_opening_another_file_asks_first(window, monkeypatch):
    window.state.touch()
    monkeypatch.setattr(window.files, "ask_save_changes", lambda: QMessageBox.Cancel)
    assert not window.files.open_path("sample:wine")
    assert window.state.project.data_source == "sample:iris"


def test_tensorflow_loads_in_the_background_and_unblocks_training(window, qtbot, monkeypatch):
    from studio.core import build
    from studio.ui.shell.app import TensorFlowLoader

    monkeypatch.setattr(build, "configure", lambda: None)          # no real import: fast
    monkeypatch.setattr(build, "gpu_name", lambda: None)
    window.show_tensorflow_loading()
    assert window.tf_label.text() == "Loading TensorFlow…"
    assert window.train_blocked_reason() == "TensorFlow is still loading."
    loader = TensorFlowLoader(window)
    loader.sig_finished.connect(window.set_tensorflow_ready)
    with qtbot.waitSignal(window.state.sig_tensorflow_changed, timeout=5000) as blocker:
        loader.start()
    assert blocker.args == [True, "CPU"]
    assert loader.wait(5)
    assert window.tf_label.text() == "TensorFlow ready"
    assert window.device_label.text() == "Device: CPU"
    assert window.state.tensorflow_ready
    assert window.train_blocked_reason() is None


def test_tensorflow_failure_is_shown(window):
    window.set_tensorflow_ready(False, "TensorFlow could not be loaded: no module")
    assert window.tf_label.text() == "TensorFlow could not be loaded"
    assert window.train_blocked_reason() == "TensorFlow is still loading."


def test_window_geometry_persists_in_the_isolated_settings(qtbot, studio_app):
    from studio.ui.common.qt_settings import StudioSettings

    w = MainWindow()
    qtbot.addWidget(w)
    w.resize(1100, 700)
    w.show()
    w.close()
    settings = StudioSettings()
    assert settings.window_geometry() is not None
    assert "settings" in settings.file_name and "pytest" in settings.file_name
    w2 = MainWindow()
    qtbot.addWidget(w2)
    assert w2.height() == 700          # (the offscreen screen clamps the width)


def test_doctor_dock_follows_the_view_menu(window):
    window.show_step("compile")
    assert window.doctor_dock.isVisible()
    window.doctor_dock.close()                         # its own close button
    assert not window.menus.doctor_action.isChecked()
    window.show_step("data")
    assert not window.doctor_dock.isVisible()
    window.menus.doctor_action.setChecked(True)
    assert window.doctor_dock.isVisible()


def test_sample_cards_take_one_column_when_two_would_be_cut(qtbot, studio_app):
    from studio.ui.start.page import StartPage

    page = StartPage()
    qtbot.addWidget(page)
    page.resize(1400, 800)
    page.show()
    qtbot.waitUntil(lambda: page._grid_columns == 2)
    second = page.cards[1].geometry()
    assert second.top() == page.cards[0].geometry().top()          # side by side
    page.resize(420, 800)
    qtbot.waitUntil(lambda: page._grid_columns == 1)
    viewport = page._scroll.viewport().width()
    # none cut on the right, one under the other
    qtbot.waitUntil(lambda: all(c.geometry().right() < viewport for c in page.cards))
    assert page.cards[1].geometry().top() > page.cards[0].geometry().bottom()
    page.resize(1400, 800)
    qtbot.waitUntil(lambda: page._grid_columns == 2)
