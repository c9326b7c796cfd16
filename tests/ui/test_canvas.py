"""The network canvas: real drop events, reorder, delete, duplicate, undo/redo, inspector edits
checked against Keras, fixed-layer explanations, weight colouring, exports."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QApplication

from studio.core.design import Design, Layer
from studio.ui.design.items import ButtonItem
from studio.ui.design.panel import CanvasPanel
from studio.ui.design.view import MIME


@pytest.fixture
def panel(qtbot, state):
    state.set_design(Design([Layer.input(4), Layer.dense(8), Layer.dense(3, "softmax")]))
    p = CanvasPanel(state)
    qtbot.addWidget(p)
    p.resize(1280, 760)
    p.show()
    return p


def kinds(state):
    return [layer.kind for layer in state.project.design.layers]


def drop(panel, kind: str, gap: int) -> None:
    """Drag ``kind`` from the palette to the gap before layer ``gap``, with real events."""
    view, sc = panel.view, panel.scene
    x = sc.gap_x(gap)
    pos = view.mapFromScene(QPointF(x, 0))
    md = QMimeData()
    md.setData(MIME, kind.encode())
    actions = Qt.DropAction.CopyAction
    vp = view.viewport()
    enter = QDragEnterEvent(pos, actions, md, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(vp, enter)
    assert enter.isAccepted()
    move = QDragMoveEvent(pos, actions, md, Qt.MouseButton.LeftButton,
                          Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(vp, move)
    assert move.isAccepted()
    assert sc.marker_visible and sc.marker_gap == gap      # the insertion marker shows
    ev = QDropEvent(QPointF(pos), actions, md, Qt.MouseButton.LeftButton,
                    Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(vp, ev)
    assert not sc.marker_visible


def test_drop_inserts_between_columns(panel, state):
    drop(panel, "dense", 1)
    assert kinds(state) == ["input", "dense", "dense", "dense"]
    drop(panel, "dropout", 2)
    assert kinds(state) == ["input", "dense", "dropout", "dense", "dense"]
    drop(panel, "batchnorm", 4)
    assert kinds(state) == ["input", "dense", "dropout", "dense", "batchnorm", "dense"]
    assert [c.spec.kind for c in panel.scene.columns] == [
        "input", "dense", "dropout", "dense", "batchnorm", "output"]
    assert panel.undo_stack.count() == 3


def test_undo_redo_back_to_exactly_the_previous_design(panel, state):
    before = state.project.design.to_list()
    uids = [la.uid for la in state.project.design.layers]
    drop(panel, "dropout", 2)
    after = state.project.design.to_list()
    panel.undo_stack.undo()
    assert state.project.design.to_list() == before
    assert [la.uid for la in state.project.design.layers] == uids
    panel.undo_stack.redo()
    assert state.project.design.to_list() == after
    assert len(panel.scene.columns) == 4


def test_reorder_delete_duplicate(panel, state):
    drop(panel, "dropout", 2)                   # input, dense, dropout, output
    d = state.project.design
    dense, dropout = d.layers[1].uid, d.layers[2].uid
    before = d.to_list()
    panel.move(dropout, 1)                      # one undo step
    assert kinds(state) == ["input", "dropout", "dense", "dense"]
    panel.undo_stack.undo()
    assert state.project.design.to_list() == before
    panel.select(dense)
    panel.duplicate_selected()
    assert kinds(state) == ["input", "dense", "dense", "dropout", "dense"]
    assert state.project.design.layers[2].uid != dense
    panel.select(dropout)
    panel.delete_selected()
    assert kinds(state) == ["input", "dense", "dense", "dense"]
    panel.undo_stack.undo()
    panel.undo_stack.undo()
    assert state.project.design.to_list() == before


def test_drag_a_column_with_the_mouse_moves_it(panel, state, qtbot):
    drop(panel, "dropout", 2)
    col = panel.scene.columns[2]                 # the dropout column
    target = panel.scene.columns[1].x - 30      # left of the dense column
    view = panel.view
    start = view.mapFromScene(QPointF(col.x, col.ys[0]))
    end = view.mapFromScene(QPointF(target, col.ys[0]))
    qtbot.mousePress(view.viewport(), Qt.MouseButton.LeftButton, pos=start)
    from PySide6.QtGui import QMouseEvent
    for x in np.linspace(start.x(), end.x(), 5):
        ev = QMouseEvent(QMouseEvent.Type.MouseMove, QPointF(x, start.y()),
                         QPointF(view.viewport().mapToGlobal(QPoint(int(x), start.y()))),
                         Qt.MouseButton.NoButton, Qt.MouseButton.LeftButton,
                         Qt.KeyboardModifier.NoModifier)
        QApplication.sendEvent(view.viewport(), ev)
    assert panel.scene.marker_visible
    qtbot.mouseRelease(view.viewport(), Qt.MouseButton.LeftButton, pos=end)
    qtbot.waitUntil(lambda: kinds(state) == ["input", "dropout", "dense", "dense"], timeout=2000)
    assert panel.undo_stack.count() == 2


def _keras_counts(design, state):
    from studio.core.build import build_model, keras_param_count
    model = build_model(design, state.project.compile, state.project.task_info(state.dataset).task
                        if hasattr(state.project, "task_info") else "multiclass")
    return model, keras_param_count(model)


def test_inspector_units_and_keras_counts(panel, state):
    drop(panel, "batchnorm", 2)
    uid = state.project.design.layers[1].uid
    panel.select(uid)
    panel.inspector.units.setValue(24)
    panel.inspector.units.editingFinished.emit()
    assert state.project.design.layers[1].units == 24
    buttons = [b for b in panel.scene.columns[1].item.extras if isinstance(b, ButtonItem)]
    assert len(buttons) == 2
    panel.step_units(uid, +1)
    assert state.project.design.layers[1].units == 32
    d = state.project.design
    from studio.core.build import build_model, keras_param_count
    info = state.task_info()
    model = build_model(d, state.project.compile, info.task)
    counts = keras_param_count(model)
    pc = d.param_count()
    assert counts == {"total": pc.total, "trainable": pc.trainable,
                      "non_trainable": pc.non_trainable}
    keras_layers = list(model.layers)
    for shape, kl in zip(d.shapes()[1:], keras_layers):
        assert kl.output.shape[-1] == shape.output_units
        assert kl.count_params() == shape.params
    assert f"{pc.total:,} parameters" in panel.total_label.text()


def test_fixed_layers_explain_why(panel, state):
    d = state.project.design
    before = d.to_list()
    panel.select(d.input.uid)
    panel.delete_selected()
    assert panel.message.isVisibleTo(panel) and "data" in panel.message.text().lower()
    panel.move(d.output.uid, 1)
    assert "task" in panel.message.text().lower()
    panel.step_units(d.output.uid, +1)
    panel.edit(d.input.uid, {"units": 9})
    assert state.project.design.to_list() == before
    assert panel.undo_stack.count() == 0
    assert not panel.inspector.units.isEnabled()


def test_weight_colouring_follows_weights(panel, state):
    rng = np.random.default_rng(0)
    k1 = rng.normal(size=(4, 8)).astype("float32")
    k1[0, 0] = 5.0                             # the largest: strong blue
    k1[1, 0] = -5.0                            # strong orange
    k1[2, 0] = 0.01                            # faint
    k2 = rng.normal(size=(8, 3)).astype("float32")
    panel.set_weights(1, [k1, k2])
    ls = panel.scene.line_styles
    colour, alpha, width = ls[(1, 0, 0)]
    assert colour == "#0072B2" and alpha == max(a for a, _w in
                                                 __import__("studio.ui.design.scene",
                                                            fromlist=["x"]).WEIGHT_LEVELS)
    assert ls[(1, 1, 0)][0] == "#D55E00"
    assert ls[(1, 2, 0)][1] < alpha and ls[(1, 2, 0)][2] < width
    assert ls[(2, 0, 0)][0] == ("#0072B2" if k2[0, 0] >= 0 else "#D55E00")
    assert len(panel.scene.connection_items) <= 2 * 8         # batched, not one per line
    panel.weights_box.setChecked(False)
    assert panel.scene.line_styles == {}


def test_weights_from_a_short_training_run(panel, state):
    from studio.core.train import train
    state.project.training.epochs = 2
    result = train(state.project, state.dataset)
    model = getattr(result, "model", None)
    if model is None:
        pytest.skip("the result does not keep the model")
    kernels = [la.get_weights()[0] for la in model.layers if la.__class__.__name__ == "Dense"]
    panel.set_weights(2, kernels)
    w = kernels[0][0, 0]
    assert panel.scene.line_styles[(1, 0, 0)][0] == ("#0072B2" if w >= 0 else "#D55E00")


def test_collapsed_layer_and_styles(panel, state):
    state.set_design(Design([Layer.input(4), Layer.dense(1024), Layer.dense(3, "softmax")]))
    big = panel.scene.columns[1]
    assert None in big.spec.slots and big.spec.slots[-1] == 1023
    panel.set_weights(1, [np.ones((4, 1024)), -np.ones((1024, 3))])
    assert panel.scene.line_styles[(2, 1023, 0)][0] == "#D55E00"
    panel.set_style("sketch")
    assert panel.scene.style.sketch and panel.scene.line_styles   # weights survive
    first = panel.scene.columns[1].item.outline.elementAt(3)
    panel.redraw()
    again = panel.scene.columns[1].item.outline.elementAt(3)
    assert (first.x, first.y) == (again.x, again.y)                # no flicker


def test_badges_and_exports(panel, state, tmp_path):
    from studio.core.doctor import Finding
    from studio.ui.design import export
    from studio.ui.design.items import BadgeItem
    uid = state.project.design.layers[1].uid
    state.findings = [Finding("x", "warning", "Too wide", "Because.", "Shrink it.", layer=uid)]
    panel.redraw()
    badges = [b for b in panel.scene.columns[1].item.extras if isinstance(b, BadgeItem)]
    assert badges and "Because." in badges[0].toolTip()
    png, svg = tmp_path / "n.png", tmp_path / "n.svg"
    assert export.export_png(panel.scene, str(png)) and png.stat().st_size > 1000
    assert export.export_svg(panel.scene, str(svg)) and "<svg" in svg.read_text()[:2000]


def test_a_dense_layer_dropped_from_the_palette_starts_like_the_default_layers(panel, state):
    drop(panel, "dense", 1)
    new = state.project.design.layers[1]
    assert new.kind == "dense" and new.activation == "relu"
    assert new.initializer == "he_uniform"
