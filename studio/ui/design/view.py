"""The canvas view: zoom (wheel, Ctrl +/-), pan (drag the background), fit, and drops from the
palette with an insertion marker between columns."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QPainter
from PySide6.QtWidgets import QGraphicsView

MIME = "application/x-netsketch-layer"
MIN_SCALE, MAX_SCALE, FIT_MAX = 0.08, 6.0, 1.6


class CanvasView(QGraphicsView):
    sig_drop = Signal(str, int)       # layer kind, insertion index
    sig_delete = Signal()

    def __init__(self, scene, parent=None) -> None:
        super().__init__(scene, parent)
        self.setAcceptDrops(True)
        self.setRenderHints(QPainter.RenderHint.Antialiasing
                            | QPainter.RenderHint.TextAntialiasing)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.SmartViewportUpdate)
        self.setMinimumSize(360, 200)
        self._user_zoomed = False

    # -- zoom and fit -------------------------------------------------------------------------
    def zoom(self, factor: float) -> None:
        s = self.transform().m11() * factor
        if MIN_SCALE <= s <= MAX_SCALE:
            self.scale(factor, factor)
            self._user_zoomed = True

    def fit(self) -> None:
        sc = self.scene()
        if sc is None or not sc.items():
            return
        rect = sc.itemsBoundingRect().adjusted(-24, -24, 24, 24)
        self.setSceneRect(rect)
        self.fitInView(rect, Qt.AspectRatioMode.KeepAspectRatio)
        if self.transform().m11() > FIT_MAX:
            self.resetTransform()
            self.scale(FIT_MAX, FIT_MAX)
            self.centerOn(rect.center())
        self._user_zoomed = False

    def refit(self) -> None:
        """Fit again after a redraw unless the user zoomed in themselves."""
        if not self._user_zoomed:
            self.fit()
        else:
            sc = self.scene()
            self.setSceneRect(sc.itemsBoundingRect().adjusted(-400, -400, 400, 400))

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if not self._user_zoomed:
            self.fit()

    def wheelEvent(self, event) -> None:
        dy = event.angleDelta().y()
        if dy:
            self.zoom(1.15 if dy > 0 else 1 / 1.15)
        event.accept()

    def keyPressEvent(self, event) -> None:
        if event.matches(QKeySequence.StandardKey.ZoomIn) or (
                event.modifiers() & Qt.KeyboardModifier.ControlModifier
                and event.key() in (Qt.Key.Key_Plus, Qt.Key.Key_Equal)):
            self.zoom(1.25)
        elif event.matches(QKeySequence.StandardKey.ZoomOut) or (
                event.modifiers() & Qt.KeyboardModifier.ControlModifier
                and event.key() == Qt.Key.Key_Minus):
            self.zoom(1 / 1.25)
        elif event.modifiers() & Qt.KeyboardModifier.ControlModifier \
                and event.key() == Qt.Key.Key_0:
            self.fit()
        elif event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.sig_delete.emit()
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    # -- drops from the palette -----------------------------------------------------------------
    def _kind(self, event) -> str | None:
        md = event.mimeData()
        if md is None or not md.hasFormat(MIME):
            return None
        return bytes(md.data(MIME)).decode()

    def dragEnterEvent(self, event) -> None:
        if self._kind(event):
            event.setDropAction(Qt.DropAction.CopyAction)
            event.accept()
            self._mark(event)
        else:
            event.ignore()

    def dragMoveEvent(self, event) -> None:
        self.dragEnterEvent(event)  # same answer and marker while the drag moves

    def dragLeaveEvent(self, event) -> None:
        self.scene().hide_marker()
        event.accept()

    def dropEvent(self, event) -> None:
        kind = self._kind(event)
        sc = self.scene()
        sc.hide_marker()
        if not kind:
            event.ignore()
            return
        g = sc.gap_at(self.mapToScene(event.position().toPoint()).x())
        event.setDropAction(Qt.DropAction.CopyAction)
        event.accept()
        self.sig_drop.emit(kind, g)

    def _mark(self, event) -> None:
        pos = event.position().toPoint() if hasattr(event, "position") else event.pos()
        sc = self.scene()
        sc.show_marker(sc.gap_at(self.mapToScene(pos).x()))
