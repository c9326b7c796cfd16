"""The canvas scene: draws a :class:`~studio.core.design.Design` as a teacher does on the board.

The scene is rebuilt from the design whenever it changes (it holds no state of its own besides
the chosen style and the latest weights). Connections are batched into a few
``QGraphicsPathItem`` per pair of columns and colour bucket, never one item per line.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from PySide6.QtCore import QLineF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFontMetricsF, QPainterPath, QPen
from PySide6.QtWidgets import (
    QGraphicsLineItem,
    QGraphicsPathItem,
    QGraphicsRectItem,
    QGraphicsScene,
)

from studio.core.design import Design
from studio.core.i18n import _
from studio.ui.common.diagram import RADIUS, STEP_X, STEP_Y, ColumnSpec, column_specs
from studio.ui.design import style as st
from studio.ui.design.items import (
    BadgeItem,
    ButtonItem,
    LayerItem,
    elide,
    text_item,
    text_width,
    units_tooltip,
)

#: Magnitude buckets for weight colouring: (opacity, width) from small to large |w|.
WEIGHT_LEVELS = ((0.12, 0.6), (0.3, 1.0), (0.55, 1.7), (0.9, 2.6))
BAR_STEP = 0.75          # BatchNormalization bars sit closer to their neighbours


@dataclass
class Column:
    spec: ColumnSpec
    uid: str
    x: float
    ys: list[float]
    item: LayerItem


class CanvasScene(QGraphicsScene):
    sig_selected = Signal(str)            # uid
    sig_move_requested = Signal(str, int)  # uid, new index
    sig_units_requested = Signal(str, int)  # uid, delta (+1 / -1 step)
    sig_edit_requested = Signal(str)      # uid (double-click)
    sig_message = Signal(str)             # an explanation for the user

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.style = st.CLEAN
        self.ink = QColor("#222222")
        self.columns: list[Column] = []
        self.design: Design | None = None
        self.kernels: list[np.ndarray] | None = None
        self.show_weights = True
        #: line widths times this: thicker in presentation mode
        #: (presentation.PRESENTATION_PEN_SCALE)
        self.pen_scale = 1.0
        #: label sizes times this: larger in presentation mode
        #: (presentation.PRESENTATION_TEXT_SCALE); the columns move apart so that the larger
        #: labels never overlap
        self.text_scale = 1.0
        self._args: tuple = (None, None, None, (), None)
        #: (index of the right column, slot left, slot right) -> (colour, opacity, width)
        self.line_styles: dict[tuple[int, int, int], tuple[str, float, float]] = {}
        self.connection_items: list[QGraphicsPathItem] = []
        self._marker: QGraphicsLineItem | None = None
        self._fixed: dict[str, str] = {}
        self.total_text = ""

    # -- building -----------------------------------------------------------------------------
    def rebuild(self, design: Design | None, input_names: Sequence[str] | None = None,
                output_names: Sequence[str] | None = None, findings: Sequence[Any] = (),
                fixed: dict[str, str] | None = None) -> None:
        self._args = (design, input_names, output_names, tuple(findings), fixed)
        self.clear()
        self._marker = None
        self.columns, self.connection_items, self.line_styles = [], [], {}
        self.design = design
        self._fixed = dict(fixed or {})
        s, ink = self.style, self.ink
        if design is None or not design.layers:
            self.addItem(text_item(_("Open a data set to see the network."), self.font(12),
                                   ink))
            return
        shapes = design.shapes()
        specs = column_specs(design, input_names, shapes)
        xs = self._column_xs(specs, shapes)
        prev: Column | None = None
        for n, (spec, layer) in enumerate(zip(specs, design.layers)):
            x = xs[n]
            top = -(len(spec.slots) - 1) * STEP_Y / 2
            ys = [top + k * STEP_Y for k in range(len(spec.slots))]
            if spec.kind in ("dropout", "batchnorm") and prev is not None:
                ys, spec.slots = list(prev.ys), list(prev.spec.slots)   # the same neurons
                spec.crossed = {k for k in spec.crossed
                                if k < len(ys) and spec.slots[k] is not None}
            item = LayerItem(self, spec, layer.uid, ys, s, self._fixed.get(layer.uid), ink)
            item.setPos(x, 0)
            item.setZValue(1)
            self.addItem(item)
            col = Column(spec, layer.uid, x, ys, item)
            self.columns.append(col)
            prev = col
        label_y = max(c.item.bottom for c in self.columns) + 22
        top_y = min(c.item.top for c in self.columns) - self._cap_gap()
        hidden_no = 0
        for col, shape, layer in zip(self.columns, shapes, design.layers):
            if col.spec.kind == "dense":
                hidden_no += 1
            self._decorate(col, shape, layer, label_y, top_y, hidden_no)
            if col.spec.kind == "input" and col.spec.names:
                self._input_names(col)
            if col.spec.kind == "output" and output_names:
                self._output_names(col, output_names)
        self._badges(findings)
        pc = design.param_count()
        self.total_text = _("Total: {total:,} parameters ({t:,} trainable, {nt:,} "
                            "non-trainable)", total=pc.total, t=pc.trainable,
                            nt=pc.non_trainable)
        total = text_item(self.total_text, self.font(10.5, bold=True), ink)
        rows = 2 if any(c.spec.kind == "batchnorm" for c in self.columns) else 1
        total.setPos(-RADIUS, label_y + rows * self._label_block() + 18)
        self.addItem(total)
        self.redraw_connections()

    # -- sizes that follow the text scale -------------------------------------------------------
    def font(self, size: float, bold: bool = False):
        """The style's font at ``size`` points times the text scale."""
        return self.style.font(size * self.text_scale, bold)

    def _grey(self, alpha: float) -> QColor:
        grey = QColor(self.ink)
        # presentation: less faint, a projector washes light grey out
        grey.setAlphaF(alpha if self.text_scale <= 1.0 else min(1.0, alpha + 0.25))
        return grey

    def button_scale(self) -> float:
        """The +/- buttons and badges grow a little with the text (easier to hit)."""
        return 1.0 + (self.text_scale - 1.0) * 0.6

    def _cap_gap(self) -> float:
        """From the top neuron up to the bottom of the role caption (above the +/- buttons)."""
        return (14 + 9) * self.button_scale() + 4

    def _detail_lines(self) -> int:
        """Presentation mode puts the detail under a title on two lines, the output shape
        and the parameters: narrower labels let the columns stay closer (a larger drawing)."""
        return 2 if self.text_scale > 1.0 else 1

    def _label_block(self) -> float:
        """The height of a column's label: its title line and its detail lines."""
        return (QFontMetricsF(self.font(11, bold=True)).height()
                + self._detail_lines() * QFontMetricsF(self.font(8.5)).height() + 4)

    def _texts(self, spec: ColumnSpec, shape: Any) -> tuple[str, list[str]]:
        """A column's title and detail lines, as drawn under it."""
        title = _("BatchNorm") if spec.kind == "batchnorm" else spec.label
        detail = _("({none}, {n}) · {p:,} params", none="None", n=shape.output_units,
                   p=shape.params)
        if shape.non_trainable:
            detail = _("{base} ({nt:,} non-trainable)", base=detail, nt=shape.non_trainable)
        lines = detail.split(" · ", 1) if self._detail_lines() > 1 else [detail]
        return title, lines

    def _role(self, kind: str, hidden_no: int) -> str | None:
        return {"input": _("Input layer"), "output": _("Output layer"),
                "dense": _("Hidden layer {n}", n=hidden_no)}.get(kind)

    def _column_xs(self, specs: Sequence[ColumnSpec], shapes: Sequence[Any]) -> list[float]:
        """Each column's x: the usual spacing, wider where two labels on the same row (the
        titles under the columns, a BatchNorm's one row lower, the role captions above)
        would otherwise touch. Larger text (presentation mode) moves the columns apart."""
        title_f, detail_f, cap_f = self.font(11, bold=True), self.font(8.5), self.font(9)
        gap = 18 * self.text_scale
        spans: list[tuple[str, float, float]] = []     # (row, label width, caption width)
        hidden_no = 0
        for spec, shape in zip(specs, shapes):
            if spec.kind == "dense":
                hidden_no += 1
            title, details = self._texts(spec, shape)
            role = self._role(spec.kind, hidden_no)
            spans.append(("low" if spec.kind == "batchnorm" else "main",
                          max([text_width(title, title_f)]
                              + [text_width(d, detail_f) for d in details]),
                          text_width(role, cap_f) if role else 0.0))
        xs: list[float] = []
        for n, spec in enumerate(specs):
            if not n:
                xs.append(0.0)
                continue
            near = spec.kind == "batchnorm" or specs[n - 1].kind == "batchnorm"
            x = xs[-1] + STEP_X * (BAR_STEP if near else 1.0)
            row, width, cap = spans[n]
            for m in range(n):
                if spans[m][0] == row:
                    x = max(x, xs[m] + (spans[m][1] + width) / 2 + gap)
                if spans[m][2] and cap:
                    x = max(x, xs[m] + (spans[m][2] + cap) / 2 + gap)
            xs.append(x)
        return xs

    def set_text_scale(self, scale: float) -> None:
        """Draw the labels ``scale`` times as large (a projector); the drawing is laid out
        again from the same design, with the same layer selected."""
        scale = max(0.5, float(scale))
        if scale == self.text_scale:
            return
        self.text_scale = scale
        selected = [it.uid for it in self.selectedItems() if isinstance(it, LayerItem)]
        self.rebuild(*self._args)
        for uid in selected:
            col = self.column_of(uid)
            if col is not None:
                col.item.setSelected(True)

    def _decorate(self, col: Column, shape: Any, layer: Any, label_y: float, top_y: float,
                  hidden_no: int) -> None:
        ink = self.ink
        kind = col.spec.kind
        role = self._role(kind, hidden_no)
        grey = self._grey(0.6)
        if role:
            cap = text_item(role, self.font(9), grey, col.item)
            cap.setPos(-cap.boundingRect().width() / 2, top_y - cap.boundingRect().height())
        text, details = self._texts(col.spec, shape)
        title = text_item(text, self.font(11, bold=True), ink, col.item)
        if kind == "batchnorm":            # a narrow column: its labels go one row lower
            label_y += self._label_block()
        title.setPos(-title.boundingRect().width() / 2, label_y)
        y = label_y + title.boundingRect().height()
        for line in details:
            d = text_item(line, self.font(8.5), grey, col.item)
            d.setPos(-d.boundingRect().width() / 2, y)
            y += d.boundingRect().height()
        if kind == "dense":
            k = self.button_scale()
            y = col.item.top - 14 * k
            for sign, dx in ((-1, -11), (+1, 11)):
                b = ButtonItem("+" if sign > 0 else "-", units_tooltip(sign),
                               lambda u=col.uid, d=sign: self.sig_units_requested.emit(u, d),
                               ink, col.item, self.font(9))
                b.setScale(k)
                b.setPos(dx * k, y)
                col.item.extras.append(b)     # keep the Python wrapper (and its paint) alive
        if col.spec.units > len([sl for sl in col.spec.slots if sl is not None]) \
                and kind != "batchnorm":
            shown = len([sl for sl in col.spec.slots if sl is not None])
            more = text_item(_("+{n} more", n=col.spec.units - shown), self.font(8), grey,
                             col.item)
            i = col.spec.slots.index(None)
            more.setPos(RADIUS - 4, col.ys[i] - more.boundingRect().height() / 2)
            # a backing so the connections passing behind do not cross the words out
            back = QGraphicsRectItem(more.mapRectToParent(more.boundingRect()).adjusted(
                -2, 0, 2, 0), col.item)
            paper = QColor("white")
            paper.setAlphaF(0.85)
            back.setBrush(paper)
            back.setPen(QPen(Qt.PenStyle.NoPen))
            more.setZValue(1)                     # above its backing

    def _input_names(self, col: Column) -> None:
        """Feature names left of the input neurons; one-hot groups as "city → 5"."""
        ink = self.ink
        font, small = self.font(8.5), self.font(8)
        all_names = list(self.input_names_full or [])
        counts: dict[str, int] = {}
        for nm in all_names:
            if "=" in nm:
                counts[nm.split("=", 1)[0]] = counts.get(nm.split("=", 1)[0], 0) + 1
        groups: list[tuple[str, list[float]]] = []
        right = -RADIUS - 14            # clear of the selection's outline
        for name, slot, y in zip(col.spec.names, col.spec.slots, col.ys):
            if not name or slot is None:
                continue
            group = name.split("=", 1)[0] if "=" in name else None
            text = name.split("=", 1)[1] if group else name
            t = text_item(elide(text, 20), small if group else font, ink, col.item)
            t.setToolTip(name)
            t.setPos(right - t.boundingRect().width(), y - t.boundingRect().height() / 2)
            if group:
                if groups and groups[-1][0] == group:
                    groups[-1][1].append(y)
                else:
                    groups.append((group, [y]))
        grey = self._grey(0.7)
        for group, ys in groups:
            widest = max(text_width(elide(n.split("=", 1)[1], 20), small)
                         for n in all_names if n.startswith(group + "="))
            bx = right - min(widest, 110 * self.text_scale) - 8
            path = QPainterPath()
            y0, y1 = ys[0] - 9, ys[-1] + 9
            path.moveTo(bx + 4, y0)
            path.lineTo(bx, y0)
            path.lineTo(bx, y1)
            path.lineTo(bx + 4, y1)
            b = QGraphicsPathItem(path, col.item)
            b.setPen(QPen(grey, 1.2))
            t = text_item(_("{name} → {n}", name=elide(group, 16), n=counts[group]), font, ink,
                          col.item)
            t.setToolTip(_("{name}: one-hot encoded into {n} inputs", name=group,
                           n=counts[group]))
            t.setPos(bx - 6 - t.boundingRect().width(),
                     (y0 + y1) / 2 - t.boundingRect().height() / 2)

    def _output_names(self, col: Column, names: Sequence[str]) -> None:
        ink = self.ink
        for slot, y in zip(col.spec.slots, col.ys):
            if slot is None:
                continue
            label = names[slot] if slot < len(names) else ""
            t = text_item(elide(str(label), 22), self.font(9), ink, col.item)
            t.setToolTip(str(label))
            t.setPos(RADIUS + 14, y - t.boundingRect().height() / 2)

    def _badges(self, findings: Sequence[Any]) -> None:
        by_uid: dict[str, list[Any]] = {}
        for f in findings:
            if getattr(f, "layer", None):
                by_uid.setdefault(f.layer, []).append(f)
        order = {"error": 0, "warning": 1, "info": 2}
        for col in self.columns:
            fs = sorted(by_uid.get(col.uid, []), key=lambda f: order.get(f.severity, 3))
            if not fs:
                continue
            tip = "\n\n".join(f"{f.title}\n{f.explanation}\n→ {f.fix}" for f in fs)
            badge = BadgeItem(fs[0].severity, tip, col.item, self.font(9, bold=True))
            badge.setScale(self.button_scale())
            badge.setPos(RADIUS + 6, col.item.top + 2)
            col.item.extras.append(badge)

    input_names_full: Sequence[str] | None = None

    # -- connections ----------------------------------------------------------------------------
    def set_weights(self, kernels: Sequence[np.ndarray] | None) -> None:
        self.kernels = None if kernels is None else [np.asarray(k) for k in kernels]
        self.redraw_connections()

    def set_show_weights(self, on: bool) -> None:
        self.show_weights = bool(on)
        self.redraw_connections()

    def set_pen_scale(self, scale: float) -> None:
        """Draw the connections and neuron outlines ``scale`` times as thick (a projector)."""
        scale = max(0.1, float(scale))
        if scale == self.pen_scale:
            return
        self.pen_scale = scale
        self.redraw_connections()
        for col in self.columns:
            col.item.update()

    def neuron_pen_width(self) -> float:
        """The width of the neurons' outlines as drawn now."""
        return self.style.neuron_pen * self.pen_scale

    def _kernel_for(self, index: int) -> np.ndarray | None:
        """The Dense kernel feeding column ``index`` (kernels come in Dense order)."""
        if not self.kernels or not self.show_weights or self.design is None:
            return None
        k = sum(1 for layer in self.design.layers[1:index + 1] if layer.kind == "dense") - 1
        if 0 <= k < len(self.kernels):
            return self.kernels[k]
        return None

    def redraw_connections(self) -> None:
        for it in self.connection_items:
            self.removeItem(it)
        self.connection_items, self.line_styles = [], {}
        s = self.style
        k = self.pen_scale
        faint = QColor(self.ink)
        faint.setAlphaF(s.line_alpha)
        for n in range(1, len(self.columns)):
            a, b = self.columns[n - 1], self.columns[n]
            ax = a.x + (6 if a.spec.kind == "batchnorm" else RADIUS)
            bx = b.x - (6 if b.spec.kind == "batchnorm" else RADIUS)
            a_pts = [(sl, y) for sl, y in zip(a.spec.slots, a.ys) if sl is not None]
            b_pts = [(sl, y) for sl, y in zip(b.spec.slots, b.ys) if sl is not None]
            seed = a.uid + b.uid
            if b.spec.kind in ("dropout", "batchnorm"):
                path = QPainterPath()
                for sl, y in a_pts:
                    s.line(path, ax, y, bx, y, seed, sl)
                self._add_path(path, QPen(faint, s.line_pen * k))
                continue
            kernel = self._kernel_for(n)
            if kernel is None or kernel.shape != (a.spec.units, b.spec.units):
                path = QPainterPath()
                for sa, ya in a_pts:
                    for sb, yb in b_pts:
                        s.line(path, ax, ya, bx, yb, seed, sa * 7919 + sb)
                self._add_path(path, QPen(faint, s.line_pen * k))
                continue
            rows = [sa for sa, _y in a_pts]
            cols = [sb for sb, _y in b_pts]
            w = kernel[np.ix_(rows, cols)]
            top = float(np.max(np.abs(w))) or 1.0
            levels = np.minimum((np.abs(w) / top * len(WEIGHT_LEVELS)).astype(int),
                                len(WEIGHT_LEVELS) - 1)
            paths = {}
            for i, (sa, ya) in enumerate(a_pts):
                for j, (sb, yb) in enumerate(b_pts):
                    colour = st.POSITIVE if w[i, j] >= 0 else st.NEGATIVE
                    lvl = int(levels[i, j])
                    key = (colour, lvl)
                    path = paths.setdefault(key, QPainterPath())
                    s.line(path, ax, ya, bx, yb, seed, sa * 7919 + sb)
                    alpha, width = WEIGHT_LEVELS[lvl]
                    self.line_styles[(n, sa, sb)] = (colour, alpha, width)
            for (colour, lvl), path in sorted(paths.items(), key=lambda kv: kv[0][1]):
                c = QColor(colour)
                alpha, width = WEIGHT_LEVELS[lvl]
                c.setAlphaF(alpha)
                self._add_path(path, QPen(c, width * k), z=-1 + lvl * 0.01)

    def _add_path(self, path: QPainterPath, pen: QPen, z: float = -1) -> None:
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        item = QGraphicsPathItem(path)
        item.setPen(pen)
        item.setZValue(z)
        self.addItem(item)
        self.connection_items.append(item)

    # -- insertion and move targets ---------------------------------------------------------------
    def gap_at(self, x: float) -> int:
        """Where a new layer dropped at scene x goes: an index in 1..len(layers)-1."""
        n = len(self.columns)
        if n < 2:
            return 1
        best, best_d = 1, float("inf")
        for g in range(1, n):
            mid = (self.columns[g - 1].x + self.columns[g].x) / 2
            d = abs(mid - x)
            if d < best_d:
                best, best_d = g, d
        return best

    def gap_x(self, g: int) -> float:
        return (self.columns[g - 1].x + self.columns[g].x) / 2

    def move_target(self, uid: str, x: float) -> int | None:
        """The index a column dragged to scene x moves to (None: where it was)."""
        idx = [c.uid for c in self.columns].index(uid)
        others = [c for c in self.columns if c.uid != uid]
        t = sum(1 for c in others if c.x < x)
        t = max(1, min(len(others) - 1, t))
        return None if t == idx else t

    def show_marker(self, g: int) -> None:
        if not self.columns:
            return
        x = self.gap_x(g)
        top = min(c.item.top for c in self.columns) - 10
        bottom = max(c.item.bottom for c in self.columns) + 10
        if self._marker is None:
            self._marker = QGraphicsLineItem()
            pen = QPen(QColor(st.POSITIVE), 3, Qt.PenStyle.DashLine, Qt.PenCapStyle.RoundCap)
            self._marker.setPen(pen)
            self._marker.setZValue(10)
            self.addItem(self._marker)
        self._marker.setLine(QLineF(x, top, x, bottom))
        self._marker.setVisible(True)
        self.marker_gap = g

    def show_move_marker(self, uid: str, x: float) -> None:
        t = self.move_target(uid, x)
        if t is None:
            self.hide_marker()
            return
        idx = [c.uid for c in self.columns].index(uid)
        g = t if t < idx else t + 1           # the gap in the current drawing
        self.show_marker(g)

    def hide_marker(self) -> None:
        if self._marker is not None:
            self._marker.setVisible(False)
        self.marker_gap = None

    @property
    def marker_visible(self) -> bool:
        return self._marker is not None and self._marker.isVisible()

    marker_gap: int | None = None

    def column_of(self, uid: str) -> Column | None:
        return next((c for c in self.columns if c.uid == uid), None)

    def drawing_rect(self) -> QRectF:
        return self.itemsBoundingRect().adjusted(-24, -24, 24, 24)
