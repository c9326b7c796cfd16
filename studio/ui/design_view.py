"""A read-only drawing of the design, as a teacher draws it on the board (입력층, 은닉층, 출력층).

Each layer is a column of neurons, input on the left and output on the right, with a line for
every connection between consecutive dense layers. Large layers are collapsed (the first few
neurons, a vertical ellipsis, the last one); Dropout is a column of crossed-out neurons and
BatchNormalization a thin bar. A side table lists each layer's output shape and parameters.

What to draw is computed by :mod:`studio.ui.design_layout` (pure); :class:`DesignView` only
paints it. The network canvas (a later issue) can reuse both.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QRectF, Qt, Slot
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPainterPath, QPalette, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QBoxLayout,
    QGraphicsEllipseItem,
    QGraphicsItem,
    QGraphicsPathItem,
    QGraphicsRectItem,
    QGraphicsScene,
    QGraphicsSimpleTextItem,
    QGraphicsView,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from studio.core.design import Design, LayerShape
from studio.core.i18n import _
from studio.ui import theme
from studio.ui.design_layout import (
    RADIUS,
    STEP_X,
    STEP_Y,
    ColumnSpec,
    column_specs,
    column_step,
    input_names,
    layer_label,
)

SIDE_WIDTH = 360
#: The table goes beside the drawing only when that leaves a wide drawing area
#: (networks are drawn wider than tall); otherwise under it.
SIDE_BY_SIDE_ASPECT = 1.5
INPUT_FILL = "#56B4E9"     # Okabe-Ito sky blue
HIDDEN_FILL = "#FFFFFF"
OUTPUT_FILL = "#E69F00"    # orange
DROPPED = "#D55E00"        # vermillion cross
BAR_FILL = "#009E73"       # bluish green


@dataclass
class DrawnColumn:
    spec: ColumnSpec
    x: float
    ys: list[float]                                       # one per slot
    circles: list[QGraphicsEllipseItem] = field(default_factory=list)
    items: list[QGraphicsItem] = field(default_factory=list)   # neurons, ⋮ and bars
    label_item: QGraphicsSimpleTextItem | None = None


class _FitView(QGraphicsView):
    """Keeps the whole drawing in view when resized (never magnified beyond ``max_scale``)."""

    max_scale = 1.6

    def fit(self) -> None:
        scene = self.scene()
        if scene is None or scene.items() == []:
            return
        rect = scene.itemsBoundingRect().adjusted(-20, -20, 20, 20)
        self.fitInView(rect, Qt.AspectRatioMode.KeepAspectRatio)
        s = self.transform().m11()
        if s > self.max_scale:
            self.resetTransform()
            self.scale(self.max_scale, self.max_scale)
            self.centerOn(rect.center())

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if self.on_resized is not None:
            self.on_resized()
        self.fit()

    on_resized = None


class DesignView(QWidget):
    """The current design drawn read-only, with a table of shapes and parameters."""

    def __init__(self, state: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.columns: list[DrawnColumn] = []
        self.scene = QGraphicsScene(self)
        self.view = _FitView(self.scene)
        self.view.setRenderHints(QPainter.RenderHint.Antialiasing
                                 | QPainter.RenderHint.TextAntialiasing)
        self.view.setDragMode(QGraphicsView.DragMode.NoDrag)
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.view.setMinimumSize(360, 260)
        self.view.setBackgroundBrush(self.palette().color(QPalette.ColorRole.Base))

        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels([_("Layer"), _("Output shape"), _("Params")])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.table.setWordWrap(False)
        hh = self.table.horizontalHeader()
        hh.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        hh.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        hh.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.total_label = QLabel()
        self.total_label.setObjectName("paramTotal")
        self.total_label.setWordWrap(True)
        f = self.total_label.font()
        f.setBold(True)
        self.total_label.setFont(f)
        self.note_label = theme.label(_("A read-only drawing of the network."), "muted",
                                      wrap=True)
        side = QWidget()
        sl = QVBoxLayout(side)
        sl.setContentsMargins(8, 0, 0, 0)
        sl.addWidget(self.table)
        sl.addWidget(self.total_label)
        sl.addWidget(self.note_label)
        sl.addStretch(1)
        self.side = side
        self._step_x = STEP_X
        self.view.on_resized = self._on_view_resized

        self._box = QBoxLayout(QBoxLayout.Direction.LeftToRight, self)
        self._box.setContentsMargins(12, 12, 12, 12)
        self._box.setSpacing(8)
        self._box.addWidget(self.view, 1)
        self._box.addWidget(side)
        self._arrange()

        state.sig_design_changed.connect(self._on_design_changed)
        if hasattr(state, "sig_result_ready"):
            state.sig_result_ready.connect(self._on_design_changed)
        self.redraw()

    # -- drawing ------------------------------------------------------------------------------------
    @Slot()
    def _on_design_changed(self, *_args: Any) -> None:
        self.redraw()

    def redraw(self) -> None:
        self.scene.clear()
        self.columns = []
        project = getattr(self.state, "project", None)
        if project is None or not project.design.layers:
            self.table.setRowCount(0)
            self.total_label.setText("")
            text = self.scene.addSimpleText(_("Open a data set to see the network."))
            text.setBrush(self.palette().color(QPalette.ColorRole.Text))
            self.view.fit()
            return
        design: Design = project.design
        shapes = design.shapes()
        names = input_names(project, getattr(self.state, "dataset", None),
                            getattr(self.state, "result", None))
        specs = column_specs(design, names, shapes)
        vp = self.view.viewport().size()
        self._step_x = column_step(len(specs), max(len(s.slots) for s in specs),
                                   vp.width(), vp.height())
        self._draw(specs)
        self._fill_table(design, shapes)
        self.view.fit()

    def _draw(self, specs: list[ColumnSpec]) -> None:
        pal = self.palette()
        ink = pal.color(QPalette.ColorRole.Text)
        faint = QColor(ink)
        faint.setAlphaF(0.28)
        max_slots = max(len(s.slots) for s in specs)
        label_y = (max_slots - 1) * STEP_Y / 2 + RADIUS + 18
        prev: DrawnColumn | None = None
        for n, spec in enumerate(specs):
            x = n * self._step_x
            top = -(len(spec.slots) - 1) * STEP_Y / 2
            ys = [top + k * STEP_Y for k in range(len(spec.slots))]
            if spec.kind in ("dropout", "batchnorm") and prev is not None:
                ys = list(prev.ys)            # the same neurons, passed through
                spec.slots = list(prev.spec.slots)
                if spec.kind == "dropout":
                    spec.crossed = {k for k in spec.crossed if k < len(ys)}
            col = DrawnColumn(spec, x, ys)
            if prev is not None:
                self._connect(prev, col, faint)
            self._draw_column(col, ink)
            self._draw_labels(col, ink, label_y)
            self.columns.append(col)
            prev = col

    def _connect(self, a: DrawnColumn, b: DrawnColumn, pen_colour: QColor) -> None:
        path = QPainterPath()
        a_pts = [y for y, s in zip(a.ys, a.spec.slots) if s is not None]
        b_pts = [y for y, s in zip(b.ys, b.spec.slots) if s is not None]
        ax = a.x + (6 if a.spec.kind == "batchnorm" else RADIUS)
        bx = b.x - (6 if b.spec.kind == "batchnorm" else RADIUS)
        if b.spec.kind in ("dropout", "batchnorm"):
            for y in a_pts:                    # one to one
                path.moveTo(ax, y)
                path.lineTo(bx, y)
        else:
            for ya in a_pts:                   # every neuron to every neuron
                for yb in b_pts:
                    path.moveTo(ax, ya)
                    path.lineTo(bx, yb)
        item = QGraphicsPathItem(path)
        item.setPen(QPen(pen_colour, 1.0))
        item.setZValue(-1)
        self.scene.addItem(item)

    def _draw_column(self, col: DrawnColumn, ink: QColor) -> None:
        spec = col.spec
        if spec.kind == "batchnorm":
            h = (col.ys[-1] - col.ys[0]) + 2 * RADIUS if col.ys else 2 * RADIUS
            bar = QGraphicsRectItem(QRectF(col.x - 6, (col.ys[0] if col.ys else 0) - RADIUS,
                                           12, h))
            bar.setBrush(QBrush(QColor(BAR_FILL)))
            bar.setPen(QPen(ink, 1.2))
            bar.setToolTip(spec.label)
            self.scene.addItem(bar)
            col.items.append(bar)
            return
        fill = {"input": INPUT_FILL, "output": OUTPUT_FILL}.get(spec.kind, HIDDEN_FILL)
        pen = QPen(ink, 1.6)
        if spec.kind == "dropout":
            pen.setStyle(Qt.PenStyle.DashLine)
        for k, (slot, y) in enumerate(zip(spec.slots, col.ys)):
            if slot is None:
                dots = QGraphicsSimpleTextItem("⋮")
                f = QFont()
                f.setPointSize(20)
                f.setBold(True)
                dots.setFont(f)
                dots.setBrush(ink)
                r = dots.boundingRect()
                dots.setPos(col.x - r.width() / 2, y - r.height() / 2)
                dots.setToolTip(_("{n} more neurons", n=spec.units - len(spec.slots) + 1))
                self.scene.addItem(dots)
                col.items.append(dots)
                continue
            circle = QGraphicsEllipseItem(col.x - RADIUS, y - RADIUS, 2 * RADIUS, 2 * RADIUS)
            circle.setBrush(QBrush(QColor(fill)))
            circle.setPen(pen)
            circle.setToolTip(_("{layer}: neuron {i}", layer=spec.label, i=slot + 1))
            self.scene.addItem(circle)
            col.circles.append(circle)
            col.items.append(circle)
            if k in spec.crossed:
                cross = QPainterPath()
                d = RADIUS * 0.75
                cross.moveTo(col.x - d, y - d)
                cross.lineTo(col.x + d, y + d)
                cross.moveTo(col.x + d, y - d)
                cross.lineTo(col.x - d, y + d)
                ci = QGraphicsPathItem(cross, circle)
                ci.setPen(QPen(QColor(DROPPED), 2.2))

    def _draw_labels(self, col: DrawnColumn, ink: QColor, label_y: float) -> None:
        spec = col.spec
        title = QGraphicsSimpleTextItem(spec.label)
        f = QFont()
        f.setPointSize(11)
        f.setBold(True)
        title.setFont(f)
        title.setBrush(ink)
        r = title.boundingRect()
        title.setPos(col.x - r.width() / 2, label_y)
        self.scene.addItem(title)
        col.label_item = title
        detail = QGraphicsSimpleTextItem(spec.detail)
        df = QFont()
        df.setPointSize(9)
        detail.setFont(df)
        grey = QColor(ink)
        grey.setAlphaF(0.65)
        detail.setBrush(grey)
        dr = detail.boundingRect()
        detail.setPos(col.x - dr.width() / 2, label_y + r.height() + 2)
        self.scene.addItem(detail)
        for name, y in zip(spec.names, col.ys):
            if not name:
                continue
            t = QGraphicsSimpleTextItem(_elide(name, 22))
            t.setFont(df)
            t.setBrush(ink)
            t.setToolTip(name)
            tr = t.boundingRect()
            t.setPos(col.x - RADIUS - 8 - tr.width(), y - tr.height() / 2)
            self.scene.addItem(t)

    # -- layout -------------------------------------------------------------------------------------
    def resizeEvent(self, event) -> None:
        self._arrange()
        super().resizeEvent(event)

    def _arrange(self) -> None:
        """Table beside the drawing when there is room, under it otherwise."""
        wide = self.width() - SIDE_WIDTH >= SIDE_BY_SIDE_ASPECT * self.height()
        direction = (QBoxLayout.Direction.LeftToRight if wide
                     else QBoxLayout.Direction.TopToBottom)
        if self._box.direction() != direction:
            self._box.setDirection(direction)
        if wide:
            self.side.setMinimumHeight(0)
            self.side.setMaximumHeight(16777215)
            self.side.setFixedWidth(SIDE_WIDTH)
        else:
            self.side.setMinimumWidth(0)
            self.side.setMaximumWidth(16777215)
            self.side.setMaximumHeight(self.table.height() + 80)

    def _on_view_resized(self) -> None:
        """Redraw with new column spacing when the view's shape has changed a lot."""
        if not self.columns:
            return
        vp = self.view.viewport().size()
        step = column_step(len(self.columns), max(len(c.spec.slots) for c in self.columns),
                           vp.width(), vp.height())
        if abs(step - self._step_x) > 0.08 * self._step_x:
            self.redraw()

    # -- side table ---------------------------------------------------------------------------------
    def _fill_table(self, design: Design, shapes: list[LayerShape]) -> None:
        self.table.setRowCount(len(design.layers))
        last = len(design.layers) - 1
        for r, (layer, shape) in enumerate(zip(design.layers, shapes)):
            cells = [layer_label(layer, r == last), f"(None, {shape.output_units})",
                     f"{shape.params:,}"]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if c > 0:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                          | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(r, c, item)
        self.table.resizeRowsToContents()
        h = (self.table.horizontalHeader().height() + 2 * self.table.frameWidth()
             + sum(self.table.rowHeight(r) for r in range(self.table.rowCount())))
        self.table.setFixedHeight(min(h, 480))
        self._arrange()
        pc = design.param_count()
        self.total_label.setText(_("Total: {total:,} parameters ({t:,} trainable, {nt:,} "
                                   "non-trainable)", total=pc.total, t=pc.trainable,
                                   nt=pc.non_trainable))

    @property
    def circle_count(self) -> int:
        return sum(len(c.circles) for c in self.columns)


def _elide(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"
