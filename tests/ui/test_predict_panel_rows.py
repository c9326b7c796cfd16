"""The Predict dock with rows that cannot be predicted: the reason in its table, the count in
its result line, the file's own text kept, and no save over the CSV predicted."""

import pandas as pd
import pytest

from studio.ui.evaluate.predict_panel import PredictPanel
from studio.ui.state import StudioState

HEADER = "id,sepal_length,sepal_width,petal_length,petal_width"


@pytest.fixture(scope="module")
def iris_result():
    from studio.core.project import new_project
    from studio.core.train import train

    proj = new_project("sample:iris", "species")
    proj.training.epochs = 2
    return train(proj)


@pytest.fixture
def panel(qtbot, iris_result):
    state = StudioState()
    panel = PredictPanel(state)
    qtbot.addWidget(panel)
    state.open_data("sample:iris", "species")
    state.result = iris_result
    state.sig_result_ready.emit(iris_result)
    errors = []
    state.sig_error.connect(errors.append)
    panel.errors = errors
    return panel


def _column(panel, name):
    headers = [panel.table.horizontalHeaderItem(j).text()
               for j in range(panel.table.columnCount())]
    j = headers.index(name)
    return j, [panel.table.item(i, j).text() for i in range(panel.table.rowCount())]


def test_rows_without_prediction_show_their_reason_and_are_counted(panel, tmp_path):
    """Before: the 'abc' row showed class 'setosa' and the label said '3 rows predicted.'"""
    data = tmp_path / "new.csv"
    data.write_text(f"{HEADER}\n007,5.1,3.5,1.4,0.2\n008,abc,3.5,1.4,0.2\n009,,3.5,1.4,0.2\n")
    pred = panel.predict_csv(str(data))
    assert pred["prediction"].isna().tolist() == [False, True, True]
    assert panel.result_label.text() == ("1 of 3 rows predicted. 2 of 3 rows could not be "
                                         "predicted: see the 'reason' column.")
    j, reasons = _column(panel, "reason")
    assert not panel.table.isColumnHidden(j)
    assert reasons == ["", "'sepal_length' is not a number: 'abc'",
                       "'sepal_length' is empty and the model has no fill-in value for it"]
    assert _column(panel, "prediction")[1][1:] == ["", ""]
    assert _column(panel, "id")[1] == ["007", "008", "009"]        # the file's text


def test_the_reason_column_is_hidden_while_every_row_is_predicted(panel, tmp_path):
    data = tmp_path / "new.csv"
    data.write_text(f"{HEADER}\n1,5.1,3.5,1.4,0.2\n")
    panel.predict_csv(str(data))
    assert panel.result_label.text() == "1 of 1 rows predicted."
    assert panel.table.isColumnHidden(_column(panel, "reason")[0])


def test_one_typed_row_without_a_value_says_why(panel):
    panel.predict_row()                              # placeholders: the training means
    assert panel.result_label.text().startswith("Prediction: ")
    from studio.ui.evaluate.predict_panel import _row_result

    pred = panel._predict(pd.DataFrame([{"sepal_length": float("nan"), "sepal_width": 3.5,
                                         "petal_length": 1.4, "petal_width": 0.2}]))
    assert _row_result(pred) == ("No prediction: 'sepal_length' is empty and the model has no "
                                 "fill-in value for it")


def test_predictions_are_not_saved_over_the_csv_they_came_from(panel, tmp_path):
    data = tmp_path / "new.csv"
    data.write_text(f"{HEADER}\n1,5.1,3.5,1.4,0.2\n")
    before = data.read_bytes()
    panel.predict_csv(str(data))
    assert not panel.save_predictions(str(data))
    assert data.read_bytes() == before
    assert "the data file being predicted" in panel.errors[-1]
    assert panel.save_predictions(str(tmp_path / "out.csv"))
    assert pd.read_csv(tmp_path / "out.csv", dtype=str)["id"].tolist() == ["1"]
