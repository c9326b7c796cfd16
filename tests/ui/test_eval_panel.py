"""The Evaluate step shows the numbers core computed on the test split."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt

from studio.ui.evaluate.panel import EvalPanel
from studio.ui.state import StudioState


@pytest.fixture(scope="module")
def trained_results():
    """Core results, trained once for this module: ``trained_results("iris")``."""
    from studio.core.project import new_project
    from studio.core.train import train

    cache: dict[str, tuple] = {}
    targets = {"iris": "species", "diabetes": "progression"}

    def get(sample: str):
        if sample not in cache:
            project = new_project(f"sample:{sample}", targets[sample])
            project.training.epochs = 3
            dataset = project.load_data()
            cache[sample] = (project, dataset, train(project, dataset))
        return cache[sample]

    return get


@pytest.fixture
def panel(qtbot):
    state = StudioState()
    p = EvalPanel(state)
    qtbot.addWidget(p)
    p.resize(1280, 800)
    return p


def show(panel, result):
    panel.state.result = result
    panel.state.sig_result_ready.emit(result)


def test_empty_before_training(panel):
    assert panel.is_empty
    assert panel.empty_label.text() == "Train the model to see its evaluation"


def test_classification(panel, trained_results):
    result = trained_results("iris")[2]
    ev = result.evaluation
    show(panel, result)
    assert not panel.is_empty
    cards = panel.cards.cards
    assert list(cards) == ["accuracy", "precision", "recall", "f1", "auc"]
    assert cards["accuracy"].value_label.text() == f"{ev.metrics['accuracy']:.3f}"
    assert cards["auc"].value_label.text() == f"{ev.metrics['auc']:.3f}"
    view = panel.classification
    assert panel.views.currentWidget() is view
    test_rows = result.prepared.rows["test"]
    table = view.confusion
    cells = [table.item(r, c).data(Qt.ItemDataRole.UserRole)
             for r in range(table.rowCount()) for c in range(table.columnCount())]
    assert sum(cells) == table.total() == test_rows == len(ev.y_true)
    assert np.array_equal(table.counts, ev.confusion)
    assert [table.horizontalHeaderItem(i).text() for i in range(3)] == [
        "setosa", "versicolor", "virginica"]
    assert table.item(0, 0).text() == str(ev.confusion[0, 0])
    view.normalise_box.setChecked(True)
    assert table.item(0, 0).text().endswith("%")
    assert table.item(0, 0).data(Qt.ItemDataRole.UserRole) == ev.confusion[0, 0]
    assert set(view.roc_curves) == set(ev.roc)
    labels = [label.text for _item, label in view.roc_legend.items]
    name = next(iter(ev.roc))
    assert any(f"{name} (AUC {ev.roc[name]['auc']:.3f})" in t for t in labels)
    assert view.per_class.rowCount() == 3
    assert view.per_class.item(0, 3).text() == str(ev.per_class["setosa"]["support"])
    assert view.report.toPlainText() == ev.report
    assert "Per class" in view.per_class_frame.title_label.text()


def test_regression(panel, trained_results, tmp_path):
    result = trained_results("diabetes")[2]
    ev = result.evaluation
    show(panel, result)
    cards = panel.cards.cards
    assert list(cards) == ["mae", "rmse", "r2"]
    assert cards["r2"].value_label.text() == f"{ev.metrics['r2']:.3f}"
    view = panel.regression
    assert panel.views.currentWidget() is view
    n = len(ev.y_true)
    assert len(view.scatter.data) == n == result.prepared.rows["test"]
    assert len(view.residuals.data) == n
    assert int(np.sum(view.hist.yData)) == n
    x, y = view.identity.getData()
    assert list(x) == list(y)                 # the identity line y = x
    saved = view.frames[0].save_png(str(tmp_path / "scatter.png"))
    assert saved and (tmp_path / "scatter.png").stat().st_size > 1000


def test_new_data_empties_the_panel(panel, trained_results):
    show(panel, trained_results("iris")[2])
    panel.state.open_data("sample:iris", "species")
    assert panel.is_empty


def test_roc_legend_never_covers_the_curves(panel, trained_results, qtbot):
    """Inside the plot, under the chance line, where it fits; otherwise a key under the plot
    (a small plot, presentation mode's large text)."""
    show(panel, trained_results("iris")[2])
    view = panel.classification
    panel.show()
    qtbot.wait(50)
    assert view.roc_legend_inside()
    assert view.roc_legend.isVisible() and view.roc_key.isHidden()
    labels = [label.text for _item, label in view.roc_legend.items]
    box = view.roc_legend.mapRectToParent(view.roc_legend.boundingRect())
    vb = view.roc_plot.getPlotItem().vb.boundingRect()
    # its top left corner lies below the diagonal (the chance line), in the plot's units
    assert (vb.bottom() - box.top()) / vb.height() <= (box.left() - vb.left()) / vb.width()
    panel.resize(760, 560)                       # ~ the plot at 1024x768 presenting
    big = view.roc_legend.opts["labelTextSize"]
    view.roc_legend.setLabelTextSize("14pt")
    for _sample, label in view.roc_legend.items:
        label.setText(label.text)
    view.roc_legend.updateSize()
    view._place_roc_legend()
    qtbot.wait(50)
    assert not view.roc_legend_inside()
    assert not view.roc_legend.isVisible() and view.roc_key.isVisible()
    key = view.roc_key.text()
    for text in labels:
        assert text.replace(" ", "&nbsp;") in key
    view.roc_legend.setLabelTextSize(big)
    for _sample, label in view.roc_legend.items:
        label.setText(label.text)
    view.roc_legend.updateSize()
    panel.resize(1600, 1000)
    qtbot.wait(50)
    view._place_roc_legend()
    assert view.roc_legend.isVisible() and view.roc_key.isHidden()

