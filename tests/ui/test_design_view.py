"""The read-only design drawing: columns, neurons, collapsed large layers, shapes table."""

from __future__ import annotations

import pytest

from studio.core.design import Design, Layer
from studio.ui.design_layout import column_specs, visible_slots
from studio.ui.design_view import DesignView


@pytest.fixture
def view(qtbot, state):
    v = DesignView(state)
    qtbot.addWidget(v)
    v.resize(1280, 800)
    return v


def test_small_net_draws_every_neuron(view, state):
    state.set_design(Design([Layer.input(4), Layer.dense(5), Layer.dense(3, "softmax")]))
    assert len(view.columns) == 3
    assert view.circle_count == 4 + 5 + 3
    labels = [c.label_item.text() for c in view.columns]
    assert labels == ["Input · 4", "Dense 5 · relu", "Output · 3 · softmax"]
    assert view.columns[0].spec.names == state.project.features
    assert view.table.rowCount() == 3
    assert view.table.item(1, 2).text() == "25"
    assert "43 parameters" in view.total_label.text()


def test_large_layer_is_collapsed(view, state):
    state.set_design(Design([Layer.input(4), Layer.dense(1024), Layer.dense(3, "softmax")]))
    big = view.columns[1]
    assert len(big.items) <= 12
    assert len(big.circles) == len(visible_slots(1024)) - 1
    assert big.spec.slots[-1] == 1023 and None in big.spec.slots
    assert view.table.item(1, 2).text() == f"{4 * 1024 + 1024:,}"


def test_dropout_and_batchnorm(view, state):
    state.set_design(Design([Layer.input(4), Layer.dense(8), Layer.dropout(0.5),
                             Layer.batchnorm(), Layer.dense(3, "softmax")]))
    kinds = [c.spec.kind for c in view.columns]
    assert kinds == ["input", "dense", "dropout", "batchnorm", "output"]
    dropout = view.columns[2]
    assert len(dropout.spec.crossed) == 4 and len(dropout.circles) == 8
    assert len(view.columns[3].items) == 1 and not view.columns[3].circles  # a bar
    assert "non-trainable" in view.total_label.text()


def test_redraws_when_the_design_changes(view, state):
    before = len(view.columns)
    d = state.project.design.copy()
    d.layers.insert(1, Layer.dense(7))
    state.set_design(d)
    assert len(view.columns) == before + 1


def test_column_specs_are_pure():
    specs = column_specs(Design([Layer.input(2), Layer.dense(20), Layer.dense(1, "linear")]),
                         input_names=["a", "b"])
    assert [s.kind for s in specs] == ["input", "dense", "output"]
    assert specs[0].names == ["a", "b"]
    assert specs[1].slots == list(range(8)) + [None, 19]
    assert specs[2].label == "Output · 1 · linear"
