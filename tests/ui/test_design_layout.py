"""The plain-data layout of the design drawing (which neurons each column shows), reused by
the network canvas; and the Design page's layout: on a projector the canvas gets the page's
width, the inspector shows under it without moving the drawing, and the drawing's labels,
larger in presentation mode, never overlap the columns or each other."""

from __future__ import annotations

import pytest
import shiboken6
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtWidgets import QAbstractButton, QGraphicsSimpleTextItem

from studio.core import i18n
from studio.core.design import Design, Layer
from studio.ui.common.diagram import RADIUS, column_specs


def test_column_specs_are_pure():
    specs = column_specs(Design([Layer.input(2), Layer.dense(20), Layer.dense(1, "linear")]),
                         input_names=["a", "b"])
    assert [s.kind for s in specs] == ["input", "dense", "output"]
    assert specs[0].names == ["a", "b"]
    assert specs[1].slots == list(range(8)) + [None, 19]
    assert specs[2].label == "Output · 1 · linear"


# -- the Design page on a projector: the canvas gets the width, labels stay apart ------------------

#: the drawing at 1024x768, Korean, presenting, before the page was rearranged: palette and
#: inspector beside a 425 px canvas fitted the iris network at 0.42
OLD_SCALE_1024 = 0.42


def _wide_and_deep() -> list[Design]:
    wide = Design([Layer.input(4), Layer.dense(512), Layer.dropout(0.3), Layer.dense(512),
                   Layer.batchnorm(), Layer.dense(256), Layer.dense(3, "softmax")])
    deep = Design([Layer.input(4), Layer.dense(64), Layer.batchnorm(), Layer.dropout(0.2),
                   Layer.dense(512), Layer.dense(128), Layer.dropout(0.5), Layer.dense(32),
                   Layer.batchnorm(), Layer.batchnorm(), Layer.dense(16),
                   Layer.dense(3, "softmax")])
    return [wide, deep]


@pytest.fixture
def make_scene(studio_app):
    """New canvas scenes, owned by a QObject as the panel owns its scene: a scene only Python
    holds can crash the garbage collector (its items' callbacks refer back to it)."""
    from PySide6.QtCore import QObject

    from studio.ui.design.scene import CanvasScene

    holder = QObject()
    yield lambda: CanvasScene(holder)
    shiboken6.delete(holder)


def _texts(scene) -> list[tuple[int, str, QRectF]]:
    """(column, text, scene rectangle) of every label; -1: the parameter total."""
    out = []
    for n, col in enumerate(scene.columns):
        for child in col.item.childItems():
            if isinstance(child, QGraphicsSimpleTextItem):
                out.append((n, child.text(), child.sceneBoundingRect()))
    for item in scene.items():
        if isinstance(item, QGraphicsSimpleTextItem) and item.parentItem() is None:
            out.append((-1, item.text(), item.sceneBoundingRect()))
    return out


def _neurons(col) -> QRectF:
    half = 6 if col.spec.kind == "batchnorm" else RADIUS
    return QRectF(col.x - half, col.item.top, 2 * half, col.item.bottom - col.item.top)


@pytest.mark.parametrize("lang", ["en", "ko"])
@pytest.mark.parametrize("text_scale", [1.0, 1.5])
def test_labels_never_overlap_columns_or_each_other(make_scene, lang, text_scale):
    i18n.set_language(lang)
    try:
        for design in _wide_and_deep():
            scene = make_scene()
            scene.set_text_scale(text_scale)
            scene.rebuild(design, ["sepal_length", "sepal_width", "petal_length",
                                   "petal_width"], ["setosa", "versicolor", "virginica"])
            texts = _texts(scene)
            assert len(texts) > 3 * len(design.layers)
            for i, (ca, ta, ra) in enumerate(texts):
                for cb, tb, rb in texts[i + 1:]:
                    if ca != cb:
                        assert not ra.adjusted(1, 1, -1, -1).intersects(rb), (ta, tb)
                for n, col in enumerate(scene.columns):
                    if n != ca:
                        assert not ra.intersects(_neurons(col)), (ta, n)
            xs = [c.x for c in scene.columns]
            assert xs == sorted(xs) and len(set(xs)) == len(xs)
    finally:
        i18n.set_language("en")


def test_presentation_labels_are_larger_and_come_back(make_scene):
    scene = make_scene()
    design = _wide_and_deep()[0]
    scene.rebuild(design)
    uid = design.layers[3].uid
    scene.column_of(uid).item.setSelected(True)

    def title_size():
        col = scene.columns[1]
        return max(t.font().pointSizeF() for t in col.item.childItems()
                   if isinstance(t, QGraphicsSimpleTextItem))

    normal, xs = title_size(), [c.x for c in scene.columns]
    scene.set_text_scale(1.5)
    assert title_size() == pytest.approx(normal * 1.5)
    assert [c.x for c in scene.columns] != xs            # the columns made room
    assert scene.column_of(uid).item.isSelected()        # the same layer still selected
    scene.set_text_scale(1.0)
    assert title_size() == pytest.approx(normal) and [c.x for c in scene.columns] == xs


@pytest.fixture
def presenting_1024(window, qtbot):
    """The window at 1024x768 in Korean presentation mode, on the Design step."""
    window.classroom.set_language("ko")
    window.resize(1024, 768)
    window.classroom.set_presentation(True)
    window.show_step("design")
    qtbot.wait(300)                  # the look and the layout follow the final size
    yield window
    window.classroom.set_presentation(False)
    window.classroom.set_language("en")
    i18n.set_language("en")


def _inside(widget, page) -> bool:
    r = widget.geometry()
    r.moveTopLeft(widget.mapTo(page, widget.rect().topLeft()))
    return page.rect().contains(r)


def test_canvas_gets_most_of_the_width_at_1024x768_presenting(presenting_1024):
    canvas = presenting_1024.page("design")
    view, scene = canvas.view, canvas.scene
    assert canvas.arrangement == "stacked"
    assert view.width() >= 0.6 * canvas.width()
    assert canvas.palette_panel.compact and canvas.palette_panel.hint.isHidden()
    # the drawing is fitted larger than it was beside the side panels, its labels larger still
    scale = view.transform().m11()
    assert scale > OLD_SCALE_1024 * 1.4
    assert scale * scene.text_scale > OLD_SCALE_1024 * 2
    # the whole drawing shows, and no button is cut or squeezed
    drawn = view.mapFromScene(scene.itemsBoundingRect()).boundingRect()
    assert view.viewport().rect().contains(drawn)
    for b in canvas.findChildren(QAbstractButton):
        if b.isVisible():
            assert _inside(b, canvas), b.text()
            assert b.width() >= b.minimumSizeHint().width(), b.text()
    assert _inside(canvas.inspector_box, canvas)


def test_selecting_a_layer_shows_the_inspector_without_moving_the_drawing(presenting_1024,
                                                                          qtbot):
    window = presenting_1024
    canvas = window.page("design")
    view, scene, inspector = canvas.view, canvas.scene, canvas.inspector
    design = window.state.project.design
    dense = next(la for la in design.hidden if la.kind == "dense")
    col = scene.column_of(dense.uid)
    at = QPointF(col.x, col.ys[0])
    before = (view.transform().m11(), view.mapFromScene(at), canvas.inspector_box.geometry())
    assert not inspector.units.isVisible()
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.mapFromScene(at))
    assert canvas.selected == dense.uid
    qtbot.wait(50)
    assert (view.transform().m11(), view.mapFromScene(at),
            canvas.inspector_box.geometry()) == before              # nothing jumped
    for w in (inspector.units, inspector.activation, inspector.l1, inspector.l2):
        assert w.isVisible() and w.isEnabled() and _inside(w, canvas)
        assert w.width() >= w.minimumSizeHint().width()
    assert inspector.title.text() == col.spec.label
    inspector.units.setValue(24)
    inspector.units.editingFinished.emit()
    assert window.state.project.design.layers[design.index_of(dense.uid)].units == 24


def test_side_by_side_on_a_wide_page_stacked_on_a_narrow_one(qtbot, state):
    from studio.ui.design.panel import CanvasPanel

    p = CanvasPanel(state)
    qtbot.addWidget(p)
    p.resize(2600, 900)
    p.show()
    qtbot.wait(50)
    assert p.arrangement == "side"
    assert not p.palette_panel.compact and p.palette_panel.hint.isVisible()
    assert p.inspector_box.x() >= p.view.x() + p.view.width()
    assert p.palette_panel.width() == p.palette_panel.side_width()   # from the font
    wide_scale = p.view.transform().m11()
    p.resize(900, 700)
    qtbot.wait(50)
    assert p.arrangement == "stacked"
    assert p.view.width() >= 0.9 * (p.width() - 24)
    assert p.inspector_box.y() >= p.view.y() + p.view.height()
    assert p.view.transform().m11() < wide_scale                   # fitted again
    p.view.zoom(1.25)                                              # the user's zoom stays
    zoomed = p.view.transform().m11()
    p.resize(1000, 700)
    qtbot.wait(50)
    assert p.view.transform().m11() == pytest.approx(zoomed)
