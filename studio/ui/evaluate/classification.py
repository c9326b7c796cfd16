"""Evaluate step, classification: confusion matrix (혼동 행렬), ROC curves, per-class table and
the classification report."""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QBrush, QColor, QPalette
from PySide6.QtWidgets import (
    QCheckBox,
    QGridLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from studio.core.i18n import _
from studio.ui.common import theme
from studio.ui.evaluate.widgets import (
    CLASS_COLOURS,
    REFERENCE_COLOUR,
    Framed,
    make_plot,
    make_table,
)

HEAT_COLOUR = QColor("#0072B2")


def classification_cards(ev: Any) -> list[tuple[str, str, str, str]]:
    m = ev.metrics
    n = len(ev.y_true)
    correct = int(np.sum(np.asarray(ev.y_true) == np.asarray(ev.y_pred)))

    def f(key: str) -> str:
        v = m.get(key, float("nan"))
        return f"{v:.3f}" if math.isfinite(v) else "–"

    if ev.task == "binary":
        positive = str(ev.classes[1]) if len(ev.classes) > 1 else "1"
        avg = _("for the class {name}", name=positive)
    else:
        avg = _("macro average over {k} classes", k=len(ev.classes))
    return [
        ("accuracy", _("Accuracy"), f("accuracy"),
         _("{c} of {n} test rows correct", c=correct, n=n)),
        ("precision", _("Precision"), f("precision"), avg),
        ("recall", _("Recall"), f("recall"), avg),
        ("f1", _("F1"), f("f1"), _("balance of precision and recall")),
        ("auc", _("AUC"), f("auc"), _("area under the ROC curve; 0.5 is guessing")),
    ]


def _blend(base: QColor, top: QColor, t: float) -> QColor:
    t = min(1.0, max(0.0, t))
    return QColor(round(base.red() + (top.red() - base.red()) * t),
                  round(base.green() + (top.green() - base.green()) * t),
                  round(base.blue() + (top.blue() - base.blue()) * t))


class ConfusionTable(QTableWidget):
    """The confusion matrix as a heat map: rows actual, columns predicted, counts in cells."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.counts = np.zeros((0, 0), dtype=int)
        self.names: list[str] = []
        self.normalised = False
        self.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QTableWidget.SelectionMode.NoSelection)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setShowGrid(True)
        for h in (self.horizontalHeader(), self.verticalHeader()):
            h.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
            h.setMinimumSectionSize(36)
        self.setMinimumSize(220, 180)

    def set_matrix(self, counts: np.ndarray, names: Sequence[str]) -> None:
        self.counts = np.asarray(counts, dtype=int)
        self.names = [str(n) for n in names]
        k = self.counts.shape[0]
        self.setRowCount(k)
        self.setColumnCount(k)
        self.setHorizontalHeaderLabels(self.names)
        self.setVerticalHeaderLabels(self.names)
        self._fill()

    def set_normalised(self, on: bool) -> None:
        self.normalised = bool(on)
        self._fill()

    def total(self) -> int:
        return int(self.counts.sum())

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        # the cells' fonts are set per item: follow presentation mode's font and zoom
        if event.type() == QEvent.Type.FontChange and self.rowCount():
            self._fill()

    def _fill(self) -> None:
        counts = self.counts
        if counts.size == 0:
            return
        rows = counts.sum(axis=1, keepdims=True)
        share = np.divide(counts, rows, out=np.zeros(counts.shape, float), where=rows > 0)
        peak = share.max() if self.normalised else max(1, counts.max())
        base = self.palette().color(QPalette.ColorRole.Base)
        font = self.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        for r in range(counts.shape[0]):
            for c in range(counts.shape[1]):
                value = share[r, c] if self.normalised else counts[r, c]
                t = value / peak if peak else 0.0
                text = f"{share[r, c]:.0%}" if self.normalised else str(int(counts[r, c]))
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, int(counts[r, c]))
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                item.setBackground(QBrush(_blend(base, HEAT_COLOUR, 0.08 + 0.92 * t)))
                item.setForeground(QBrush(QColor("white") if t > 0.5 else
                                          self.palette().color(QPalette.ColorRole.Text)))
                font.setBold(r == c)
                item.setFont(font)
                item.setToolTip(_("actual {a}, predicted {p}: {n} rows ({s:.0%} of the actual "
                                  "{a})", a=self.names[r], p=self.names[c],
                                  n=int(counts[r, c]), s=share[r, c]))
                self.setItem(r, c, item)


class ClassificationView(QWidget):
    """Confusion matrix, ROC curves, per-class table and the report."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.confusion = ConfusionTable(self)
        conf_body = QWidget(self)
        cb = QVBoxLayout(conf_body)
        cb.setContentsMargins(0, 0, 0, 0)
        cb.setSpacing(2)
        caption = theme.label(_("rows: actual class · columns: predicted class"), "muted",
                              wrap=True)
        self.normalise_box = QCheckBox(_("Normalised (% of each actual class)"))
        self.normalise_box.toggled.connect(self.confusion.set_normalised)
        # under the title, not beside it: there it squeezed the title and its own text
        cb.addWidget(caption)
        cb.addWidget(self.normalise_box)
        cb.addWidget(self.confusion, 1)
        self.confusion_frame = Framed(_("Confusion matrix"), conf_body, self)

        self.roc_plot = make_plot(self, _("false positive rate"), _("true positive rate"))
        item = self.roc_plot.getPlotItem()
        item.setXRange(0, 1, padding=0.04)
        item.setYRange(0, 1, padding=0.04)
        item.setMouseEnabled(False, False)
        self.roc_legend = item.addLegend(offset=(-8, -8), labelTextColor=self.roc_plot.foreground,
                                         labelTextSize="9pt")
        self.roc_legend.setBrush(pg.mkBrush(self.palette().color(QPalette.ColorRole.Base)))
        self.roc_curves: dict[str, pg.PlotDataItem] = {}
        # The same key under the plot where the legend would cover the curves or the chance
        # line (a small plot, presentation mode's large text): see _place_roc_legend.
        self.roc_key = QLabel(self)
        self.roc_key.setObjectName("rocKey")
        self.roc_key.setWordWrap(True)
        self.roc_key.setTextFormat(Qt.TextFormat.RichText)
        self.roc_key.hide()
        roc_body = QWidget(self)
        rb = QVBoxLayout(roc_body)
        rb.setContentsMargins(0, 0, 0, 0)
        rb.setSpacing(2)
        rb.addWidget(self.roc_plot, 1)
        rb.addWidget(self.roc_key)
        self.roc_frame = Framed(_("ROC curves"), roc_body, self)
        self._legend_timer = QTimer(self)
        self._legend_timer.setSingleShot(True)
        self._legend_timer.setInterval(0)
        self._legend_timer.timeout.connect(self._place_roc_legend)
        item.vb.sigResized.connect(lambda *_a: self._legend_timer.start())
        # presentation mode calls this after it rescales the plot text (and the legend)
        self.roc_plot._studio_retitle = self._legend_timer.start

        self.per_class = make_table(self)
        self.per_class.setColumnCount(4)
        self.per_class.setHorizontalHeaderLabels([_("Precision"), _("Recall"), _("F1"),
                                                  _("Support")])
        # each column as wide as its header and numbers, the last one takes the rest
        header = self.per_class.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.per_class.setMinimumHeight(120)
        self.per_class_frame = Framed(_("Per class"), self.per_class, self,
                                      copy_table=self.per_class)

        self.report = QPlainTextEdit(self)
        self.report.setReadOnly(True)
        theme.mono_font(self.report)
        self.report.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.report.setMinimumHeight(120)
        self.report_frame = Framed(_("Classification report"), self.report, self)

        lay = QGridLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(10)
        lay.addWidget(self.confusion_frame, 0, 0)
        lay.addWidget(self.roc_frame, 0, 1)
        lay.addWidget(self.per_class_frame, 1, 0)
        lay.addWidget(self.report_frame, 1, 1)
        lay.setRowStretch(0, 1)
        lay.setRowStretch(1, 0)
        lay.setColumnStretch(0, 1)
        lay.setColumnStretch(1, 1)

    def show_evaluation(self, ev: Any) -> None:
        names = list(ev.per_class) or [str(c) for c in ev.classes]
        if ev.confusion is not None:
            self.confusion.set_matrix(ev.confusion, names)
            self.confusion.set_normalised(self.normalise_box.isChecked())
        self._show_roc(ev.roc)
        self.per_class.setRowCount(len(ev.per_class))
        self.per_class.setVerticalHeaderLabels(list(ev.per_class))
        for r, (_name, row) in enumerate(ev.per_class.items()):
            for c, key in enumerate(("precision", "recall", "f1", "support")):
                v = row.get(key, float("nan"))
                text = str(int(v)) if key == "support" else f"{v:.3f}"
                item = QTableWidgetItem(text)
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.per_class.setItem(r, c, item)
        self.report.setPlainText(ev.report)
        # the bottom row is as tall as its content; the plots above take the rest
        self.per_class.resizeRowsToContents()
        table_h = (self.per_class.horizontalHeader().height() + 2 * self.per_class.frameWidth()
                   + sum(self.per_class.rowHeight(r) for r in range(self.per_class.rowCount())))
        lines = ev.report.count("\n") + 2
        report_h = lines * self.report.fontMetrics().lineSpacing() + 16
        h = min(320, max(table_h, report_h, 120))
        self.per_class.setFixedHeight(h)
        self.report.setFixedHeight(h)

    def _show_roc(self, roc: dict[str, dict[str, Any]]) -> None:
        item = self.roc_plot.getPlotItem()
        for curve in self.roc_curves.values():
            item.removeItem(curve)
        self.roc_curves.clear()
        self.roc_legend.clear()
        if not hasattr(self, "_chance"):
            self._chance = item.plot([0, 1], [0, 1], pen=pg.mkPen(
                REFERENCE_COLOUR, width=1.5, style=Qt.PenStyle.DashLine))
        for i, (name, d) in enumerate(roc.items()):
            colour = CLASS_COLOURS[i % len(CLASS_COLOURS)]
            label = _("{name} (AUC {auc:.3f})", name=name, auc=d.get("auc", float("nan")))
            self.roc_curves[name] = item.plot(d["fpr"], d["tpr"],
                                              pen=pg.mkPen(colour, width=2), name=label)
        self.roc_legend.addItem(self._chance, _("chance (AUC 0.5)"))
        entries = [(CLASS_COLOURS[i % len(CLASS_COLOURS)], "━━", label.text)
                   for i, (_item, label) in enumerate(self.roc_legend.items[:-1])]
        entries.append((REFERENCE_COLOUR, "╍╍", _("chance (AUC 0.5)")))
        # non-breaking spaces inside an entry: the key wraps between entries only
        self.roc_key.setText("&nbsp;&nbsp;&nbsp; ".join(
            f"<span style='color:{colour}'><b>{mark}</b></span>&nbsp;"
            + html.escape(text).replace(" ", "&nbsp;") for colour, mark, text in entries))
        self._legend_timer.start()

    def roc_legend_inside(self) -> bool:
        """Whether the ROC legend fits in the plot's lower right corner, under the chance
        line (where the curves do not go): the triangle below the diagonal holds a box whose
        width and height, as shares of the plot's, add up to at most 1."""
        vb = self.roc_plot.getPlotItem().vb.boundingRect()
        width, height = vb.width(), vb.height()
        if not self.roc_key.isHidden():       # the plot's height without the key under it
            height += self.roc_key.height() + 2
        box = self.roc_legend.boundingRect()
        return (width > 0 and height > 0
                and (box.width() + 8) / width + (box.height() + 8) / height <= 1.0)

    def _place_roc_legend(self) -> None:
        """The legend on the plot where it fits (see :meth:`roc_legend_inside`), otherwise
        the key under the plot."""
        if not self.roc_legend.items:
            self.roc_key.hide()
            return
        inside = self.roc_legend_inside()
        self.roc_legend.setVisible(inside)
        self.roc_key.setVisible(not inside)
