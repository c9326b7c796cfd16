"""Code view (live, highlight, export), Predict view (row and CSV), lesson open in the window."""

import pandas as pd
import pytest

from studio.ui.design.code_view import CodeView
from studio.ui.evaluate.predict_panel import PredictPanel
from studio.ui.state import StudioState


@pytest.fixture(scope="module")
def iris_result():
    from studio.core.project import new_project
    from studio.core.train import train

    proj = new_project("sample:iris", "species")
    proj.training.epochs = 2
    return train(proj)


def test_code_view_follows_the_project_and_highlights_layers(qtbot, tmp_path):
    state = StudioState()
    view = CodeView(state)
    qtbot.addWidget(view)
    state.open_data("sample:iris", "species")
    compile(view.code(), "<code>", "exec")
    assert "keras.Sequential" in view.code()
    state.project.training.epochs = 7
    state.touch()
    assert "epochs=7," in view.code()
    uid = state.project.design.layers[1].uid
    line = view.highlight_layer(uid)
    assert 'name="dense_1"' in view.code().split("\n")[line]
    assert view.editor.textCursor().blockNumber() == line
    assert view.export_to(str(tmp_path / "x.ipynb"))
    assert (tmp_path / "x.ipynb").exists()


def test_predict_panel_row_and_csv(qtbot, tmp_path, iris_result):
    state = StudioState()
    panel = PredictPanel(state)
    qtbot.addWidget(panel)
    assert not panel.predict_row_button.isEnabled()
    state.open_data("sample:iris", "species")
    state.result = iris_result
    state.sig_result_ready.emit(iris_result)
    assert set(panel.inputs) == {"sepal_length", "sepal_width", "petal_length", "petal_width"}
    for name, v in zip(panel.inputs, ["5.1", "3.5", "1.4", "0.2"]):
        panel.inputs[name].setText(v)
    pred = panel.predict_row()
    assert list(pred.columns)[:1] == ["prediction"] and "P(setosa)" in pred.columns
    assert "Prediction:" in panel.result_label.text()
    csv = tmp_path / "new.csv"
    state.dataset.frame.drop(columns=["species"]).head(10).to_csv(csv, index=False)
    assert len(panel.predict_csv(str(csv))) == 10
    assert panel.save_predictions(str(tmp_path / "out.csv"))
    assert "prediction" in pd.read_csv(tmp_path / "out.csv").columns
    panel.set_training(True)
    assert not panel.predict_row_button.isEnabled() and panel.predict_row() is None
    panel.set_training(False)
    assert panel.predict_row_button.isEnabled()


def test_window_saves_and_opens_a_lesson(qtbot, tmp_path, iris_result, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    from studio.ui.shell.main_window import MainWindow

    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: None)
    w = MainWindow()
    qtbot.addWidget(w)
    w.state.open_data("sample:iris", "species")
    w.state.result = iris_result
    assert w.files.save_lesson(str(tmp_path / "l.nslesson"), notes="hello")
    w.state.open_data("sample:diabetes", "progression")
    with qtbot.waitSignal(w.state.sig_result_ready):
        lesson = w.files.open_lesson(str(tmp_path / "l.nslesson"))
    assert lesson.notes == "hello"
    assert w.state.project.target == "species"
    assert w.state.result.evaluation.metrics["accuracy"] == pytest.approx(
        iris_result.evaluation.metrics["accuracy"])


def test_a_lesson_opens_like_any_file(qtbot, tmp_path, iris_result, monkeypatch):
    """Double-clicking a .nslesson passes it to the window's open_path (drop, recent, argv)."""
    from PySide6.QtWidgets import QMessageBox

    from studio.ui.shell.main_window import MainWindow

    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: None)
    w = MainWindow()
    qtbot.addWidget(w)
    w.files.ask_save_changes = lambda: QMessageBox.Discard
    w.state.open_data("sample:iris", "species")
    w.state.result = iris_result
    path = str(tmp_path / "class.nslesson")
    assert w.files.save_lesson(path, notes="")
    w.state.open_data("sample:diabetes", "progression")
    assert w.files.open_path(path)
    assert w.state.project.target == "species" and w.state.result is not None
    assert w.settings.recent_files()[0].endswith("class.nslesson")


def test_export_confirms_and_the_dialog_opens_in_the_project_folder(window, tmp_path,
                                                                    monkeypatch):
    """Export code says where it wrote; the dialog opens beside the project, then in the
    last export's folder (never the folder the studio was started in)."""
    from PySide6.QtWidgets import QFileDialog

    (tmp_path / "proj").mkdir()
    assert window.files.save_to(str(tmp_path / "proj" / "iris.json"))
    seen = []

    def fake_dialog(parent, title, start, filt):
        seen.append(start)
        return str(tmp_path / "out" / "iris.py"), filt

    (tmp_path / "out").mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(fake_dialog))
    window.export_code_dialog()
    assert seen[0] == str(tmp_path / "proj" / "iris.py")
    assert (tmp_path / "out" / "iris.py").is_file()
    assert window.statusBar().currentMessage() == \
        f"Exported the code to {tmp_path / 'out' / 'iris.py'}"
    window.export_code_dialog()
    assert seen[1] == str(tmp_path / "out" / "iris.py")
