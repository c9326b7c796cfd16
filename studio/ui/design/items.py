"""Graphics items of the canvas: a layer column (one item that paints all its neurons), the
small +/- and badge items on it. Items are views of core layers: they never change the design
themselves, they ask the scene (signals), which the panel turns into undoable commands."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QPointF, QRectF, Qt, QTimer
from PySide6.QtGui import QBrush, QColor, QFontMetricsF, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsItem, QGraphicsObject, QGraphicsSimpleTextItem

from studio.core.i18n import _
from studio.ui.common.diagram import RADIUS, ColumnSpec
from studio.ui.design import style as st

if TYPE_CHECKING:
    from studio.ui.design.scene import CanvasScene

SEVERITY_COLOURS = {"error": "#C0392B", "warning": "#E69F00", "info": "#0072B2"}
DRAG_THRESHOLD = 6.0


class LayerItem(QGraphicsObject):
    """One layer drawn as a column of neurons (or a thin bar for BatchNormalization)."""

    def __init__(self, scene: CanvasScene, spec: ColumnSpec, uid: str, ys: list[float],
                 style: st.Style, fixed_reason: str | None, ink: QColor) -> None:
        super().__init__()
        self.canvas = scene
        self.spec, self.uid, self.ys, self.style = spec, uid, ys, style
        self.fixed_reason = fixed_reason
        self.ink = QColor(ink)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable)
        self.setAcceptHoverEvents(True)
        self.setCursor(Qt.CursorShape.ArrowCursor if fixed_reason
                       else Qt.CursorShape.OpenHandCursor)
        self._press: QPointF | None = None
        self._start_x = 0.0
        self._dragging = False
        self._refused = False
        self.extras: list[QGraphicsItem] = []
        self._build_paths()
        self.setToolTip(spec.label + (("\n" + fixed_reason) if fixed_reason else ""))

    # -- geometry -----------------------------------------------------------------------------
    @property
    def top(self) -> float:
        return (self.ys[0] if self.ys else 0.0) - RADIUS

    @property
    def bottom(self) -> float:
        return (self.ys[-1] if self.ys else 0.0) + RADIUS

    def _build_paths(self) -> None:
        s, spec = self.style, self.spec
        self.outline = QPainterPath()
        self.crosses = QPainterPath()
        self.dots: list[float] = []
        if spec.kind == "batchnorm":
            r = QRectF(-6, self.top, 12, self.bottom - self.top)
            if s.sketch:
                p = QPainterPath()
                s.line(p, r.left(), r.top(), r.right(), r.top(), self.uid, 1)
                s.line(p, r.right(), r.top(), r.right(), r.bottom(), self.uid, 2)
                s.line(p, r.right(), r.bottom(), r.left(), r.bottom(), self.uid, 3)
                s.line(p, r.left(), r.bottom(), r.left(), r.top(), self.uid, 4)
                self.outline = p
            else:
                self.outline.addRoundedRect(r, 3, 3)
            self.bar = r
            return
        for k, (slot, y) in enumerate(zip(spec.slots, self.ys)):
            if slot is None:
                self.dots.append(y)
                continue
            s.circle(self.outline, 0.0, y, RADIUS, self.uid, slot)
            if k in spec.crossed:
                d = RADIUS * 0.72
                s.line(self.crosses, -d, y - d, d, y + d, self.uid, 1000 + k)
                s.line(self.crosses, d, y - d, -d, y + d, self.uid, 2000 + k)

    def boundingRect(self) -> QRectF:
        return QRectF(-RADIUS - 14, self.top - 14, 2 * RADIUS + 28, self.bottom - self.top + 28)

    def shape(self) -> QPainterPath:
        p = QPainterPath()
        p.addRect(self.boundingRect())
        return p

    # -- painting -----------------------------------------------------------------------------
    def paint(self, painter: QPainter, option: Any, widget: Any = None) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        spec, s = self.spec, self.style
        if self.isSelected():
            sel = QColor(st.POSITIVE)
            sel.setAlphaF(0.12)
            painter.setPen(QPen(QColor(st.POSITIVE), 1.2, Qt.PenStyle.DashLine))
            painter.setBrush(sel)
            painter.drawRoundedRect(self.boundingRect().adjusted(3, 3, -3, -3), 10, 10)
        scale = getattr(self.canvas, "pen_scale", 1.0)     # presentation mode: thicker
        pen = QPen(self.ink, s.neuron_pen * scale)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        if spec.kind == "batchnorm":
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(st.BAR_FILL))
            painter.drawRect(self.bar)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setPen(pen)
            painter.drawPath(self.outline)
            return
        fill = {"input": st.INPUT_FILL, "output": st.OUTPUT_FILL}.get(spec.kind, st.HIDDEN_FILL)
        if spec.kind == "dropout":
            pen.setStyle(Qt.PenStyle.DashLine)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QBrush(QColor(fill)))
        for slot, y in zip(spec.slots, self.ys):     # fills: exact circles under the outline
            if slot is not None:
                painter.drawEllipse(QPointF(0, y), RADIUS - 1, RADIUS - 1)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(pen)
        painter.drawPath(self.outline)
        if not self.crosses.isEmpty():
            painter.setPen(QPen(QColor(st.DROPPED), 2.4 * scale, Qt.PenStyle.SolidLine,
                                Qt.PenCapStyle.RoundCap))
            painter.drawPath(self.crosses)
        if self.dots:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(self.ink)
            for y in self.dots:
                for dy in (-8, 0, 8):
                    painter.drawEllipse(QPointF(0, y + dy), 2.2, 2.2)

    # -- interaction --------------------------------------------------------------------------
    def mousePressEvent(self, event) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            event.ignore()
            return
        self.canvas.clearSelection()
        self.setSelected(True)
        self.canvas.sig_selected.emit(self.uid)
        self._press = event.scenePos()
        self._start_x = self.x()
        self._dragging = self._refused = False
        event.accept()

    def mouseMoveEvent(self, event) -> None:
        if self._press is None:
            return
        dx = event.scenePos().x() - self._press.x()
        if abs(dx) < DRAG_THRESHOLD and not self._dragging:
            return
        if self.fixed_reason:
            if not self._refused:
                self._refused = True
                self.canvas.sig_message.emit(self.fixed_reason)
            return
        self._dragging = True
        self.setCursor(Qt.CursorShape.ClosedHandCursor)
        self.setZValue(5)
        self.setX(self._start_x + dx)
        self.canvas.show_move_marker(self.uid, self.x())

    def mouseReleaseEvent(self, event) -> None:
        if self._dragging:
            x = self.x()
            self.setX(self._start_x)
            self.setZValue(1)
            self.setCursor(Qt.CursorShape.OpenHandCursor)
            self.canvas.hide_marker()
            target = self.canvas.move_target(self.uid, x)
            if target is not None:
                # After this handler returns: the move rebuilds the scene (deletes this item).
                # The scene is the context: if it is gone by then, Qt drops the call.
                QTimer.singleShot(0, self.scene(), lambda u=self.uid, t=target:
                                  self.canvas.sig_move_requested.emit(u, t))
        self._press = None
        self._dragging = False

    def mouseDoubleClickEvent(self, event) -> None:
        self.canvas.sig_edit_requested.emit(self.uid)
        event.accept()


class ButtonItem(QGraphicsObject):
    """A small round + or − button on a layer (changes its units)."""

    def __init__(self, text: str, tooltip: str, on_click, ink: QColor, parent: QGraphicsItem,
                 font) -> None:
        super().__init__(parent)
        self.text, self.on_click, self.ink, self.font = text, on_click, QColor(ink), font
        self.setToolTip(tooltip)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setAcceptHoverEvents(True)
        self._hover = False

    def boundingRect(self) -> QRectF:
        return QRectF(-9, -9, 18, 18)

    def paint(self, painter: QPainter, option: Any, widget: Any = None) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        bg = QColor(st.POSITIVE if self._hover else "#F2F2F2")
        painter.setBrush(bg)
        faint = QColor(self.ink)
        faint.setAlphaF(0.45)
        painter.setPen(QPen(faint, 1))
        painter.drawEllipse(QPointF(0, 0), 8, 8)
        pen = QPen(QColor("white") if self._hover else self.ink, 1.8)
        painter.setPen(pen)
        painter.drawLine(QPointF(-4, 0), QPointF(4, 0))
        if self.text == "+":
            painter.drawLine(QPointF(0, -4), QPointF(0, 4))

    def hoverEnterEvent(self, event) -> None:
        self._hover = True
        self.update()

    def hoverLeaveEvent(self, event) -> None:
        self._hover = False
        self.update()

    def mousePressEvent(self, event) -> None:
        event.accept()

    def mouseReleaseEvent(self, event) -> None:
        if self.boundingRect().contains(event.pos()):
            # the click rebuilds the scene; the scene as context drops the call if it is gone
            QTimer.singleShot(0, self.scene(), self.on_click)


class BadgeItem(QGraphicsObject):
    """A doctor finding on a layer: a coloured disc with "!" and the explanation as tooltip."""

    def __init__(self, severity: str, tooltip: str, parent: QGraphicsItem, font) -> None:
        super().__init__(parent)
        self.severity = severity
        self.colour = QColor(SEVERITY_COLOURS.get(severity, "#0072B2"))
        self.font = font
        self.setToolTip(tooltip)
        self.setZValue(3)

    def boundingRect(self) -> QRectF:
        return QRectF(-9, -9, 18, 18)

    def paint(self, painter: QPainter, option: Any, widget: Any = None) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(QColor("white"), 1.5))
        painter.setBrush(self.colour)
        painter.drawEllipse(QPointF(0, 0), 8.5, 8.5)
        painter.setFont(self.font)
        painter.drawText(self.boundingRect(), Qt.AlignmentFlag.AlignCenter,
                         "i" if self.severity == "info" else "!")


def text_item(text: str, font, colour: QColor, parent: QGraphicsItem | None = None
              ) -> QGraphicsSimpleTextItem:
    t = QGraphicsSimpleTextItem(text, parent)
    t.setFont(font)
    t.setBrush(colour)
    return t


def text_width(text: str, font) -> float:
    return QFontMetricsF(font).horizontalAdvance(text)


def elide(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def units_tooltip(delta: int) -> str:
    return _("More neurons") if delta > 0 else _("Fewer neurons")
