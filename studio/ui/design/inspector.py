"""The inspector: the selected layer's fields; each change is one undoable edit."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, Signal
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from studio.core.design import ACTIVATIONS, INITIALIZERS, Layer
from studio.core.i18n import _
from studio.ui.common.number_field import FloatField, IntField

QWIDGETSIZE_MAX = (1 << 24) - 1


#: the fields' order in a row under the canvas: the everyday ones first
ROW_ORDER = ("units", "activation", "initializer", "rate", "l1", "l2")


class Inspector(QWidget):
    """A column beside the canvas (``"side"``) or, on a narrow page, a strip under it
    (``"bottom"``) with the fields side by side. The strip keeps one height whether a layer is
    selected or not, so the drawing above it does not jump when a click selects a layer."""

    sig_edit = Signal(str, dict)          # uid, {field: value}

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("inspector")
        self.uid: str | None = None
        self.current: Any = None
        self._loading = False
        self.orientation = "side"
        self._columns = 1
        self._shown: dict[str, bool] = {}
        #: shown under the empty strip too (the palette's hint, hidden in its compact row)
        self.extra_hint = ""
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.title = QLabel(_("Select a layer"))
        f = self.title.font()
        f.setBold(True)
        self.title.setFont(f)
        self.title.setWordWrap(True)
        lay.addWidget(self.title)
        # number fields state their range and say when they clamp a typed value (the
        # messages go to one label under the fields)
        self.units = IntField(1, 4096, _("Units"), _("Neurons in this layer."))
        self.activation = QComboBox()
        self.activation.addItems(list(ACTIVATIONS))
        self.rate = FloatField(0.0, 0.9, _("Rate"), _("The share of units switched off at "
                                                     "random while training."),
                               decimals=2, step=0.05)
        self.l1 = FloatField(0.0, 1.0, _("L1"), _("The penalty for the weights' sizes."),
                             decimals=5, step=0.0001)
        self.l2 = FloatField(0.0, 1.0, _("L2"), _("The penalty for the weights' squares."),
                             decimals=5, step=0.0001)
        self.field_message = QLabel()
        self.field_message.setObjectName("inspectorFieldMessage")
        self.field_message.setWordWrap(True)
        self.field_message.hide()
        self.number_fields = (self.units, self.rate, self.l1, self.l2)
        for box in self.number_fields:
            box.use_message_label(self.field_message)
        self.initializer = QComboBox()
        self.initializer.addItems(list(INITIALIZERS))
        self.fields: dict[str, QWidget] = {"units": self.units, "activation": self.activation,
                                           "rate": self.rate, "l1": self.l1, "l2": self.l2,
                                           "initializer": self.initializer}
        names = {"units": _("Units"), "activation": _("Activation"), "rate": _("Rate"),
                 "l1": _("L1"), "l2": _("L2"), "initializer": _("Initializer")}
        self.labels: dict[str, QLabel] = {}
        self._grid = QGridLayout()
        for key, w in self.fields.items():
            label = self.labels[key] = QLabel(names[key], self)
            label.setBuddy(w)
            # owned by the inspector even while not in the grid (a field the selected layer
            # has not): a parentless one outlived every inspector (a language switch's leak)
            w.setParent(self)
        lay.addLayout(self._grid)
        lay.addWidget(self.field_message)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setObjectName("muted")
        lay.addWidget(self.note)
        lay.addStretch(1)
        self.units.editingFinished.connect(lambda: self._emit("units", self.units.value()))
        self.rate.editingFinished.connect(lambda: self._emit("rate", round(self.rate.value(), 4)))
        self.l1.editingFinished.connect(lambda: self._emit("l1", self.l1.value()))
        self.l2.editingFinished.connect(lambda: self._emit("l2", self.l2.value()))
        self.activation.activated.connect(
            lambda _i: self._emit("activation", self.activation.currentText()))
        self.initializer.activated.connect(
            lambda _i: self._emit("initializer", self.initializer.currentText()))
        self.show_layer(None)
        self.set_orientation("side")

    # -- geometry -------------------------------------------------------------------------------
    def _pair_width(self) -> int:
        """The width one label and its field need, from the font."""
        sp = max(6, self._grid.horizontalSpacing())
        return (max(la.sizeHint().width() for la in self.labels.values())
                + max(w.sizeHint().width() for w in self.fields.values()) + 2 * sp)

    def side_width(self) -> int:
        """The column's width beside the canvas (at least 15 characters, for the note)."""
        return max(self._pair_width(), self.fontMetrics().averageCharWidth() * 15)

    def strip_height(self, columns: int) -> int:
        """The strip's height under the canvas: the title, the most rows of fields a layer
        has (a Dense layer's five) and two lines of note."""
        rows = -(-5 // max(1, columns))
        row_h = max(max(w.sizeHint().height() for w in self.fields.values()),
                    max(la.sizeHint().height() for la in self.labels.values()))
        sp = max(4, self._grid.verticalSpacing())
        line = self.fontMetrics().lineSpacing()
        title = QFontMetrics(self.title.font()).lineSpacing()
        lay_sp = max(4, self.layout().spacing())
        return title + rows * (row_h + sp) + 2 * line + 3 * lay_sp

    def row_width(self, columns: int) -> int:
        """The width of a Dense layer's fields (the most there are) ``columns`` to a row."""
        keys = [k for k in ROW_ORDER if k != "rate"]
        sp = max(6, self._grid.horizontalSpacing())
        total = 0
        for c in range(columns):
            mine = keys[c::columns]
            if mine:
                total += (max(self.labels[k].sizeHint().width() for k in mine)
                          + max(self.fields[k].sizeHint().width() for k in mine) + 2 * sp)
        return total

    def set_orientation(self, orientation: str, width: int = 0) -> None:
        """``"side"``: a column of fields; ``"bottom"``: a strip ``width`` wide, its fields up
        to three to a row."""
        if orientation == "bottom":
            cols = next((c for c in (3, 2) if self.row_width(c) <= width), 1)
            height = self.strip_height(cols)
            if (orientation, cols, height) == (self.orientation, self._columns,
                                              self.minimumHeight()):
                return
            self.orientation = orientation
            self._columns = cols
            self.setMinimumWidth(0)
            self.setMaximumWidth(QWIDGETSIZE_MAX)
            # a minimum: a note longer than two lines (large zoom) still shows whole
            self.setMinimumHeight(height)
            self.setMaximumHeight(QWIDGETSIZE_MAX)
        else:
            self.orientation = orientation
            self._columns = 1
            self.setMinimumHeight(0)
            self.setMaximumHeight(QWIDGETSIZE_MAX)
            self.setFixedWidth(self.side_width())
        self._arrange()
        if self.uid is None:
            self.note.setText(self._empty_note())

    def _arrange(self) -> None:
        """Put the shown fields in the grid, in order, ``_columns`` label/field pairs a row."""
        grid = self._grid
        for key, w in self.fields.items():
            grid.removeWidget(self.labels[key])
            grid.removeWidget(w)
        for c in range(grid.columnCount()):
            grid.setColumnStretch(c, 0)
        order = ROW_ORDER if self.orientation == "bottom" else tuple(self.fields)
        shown = [k for k in order if self._shown.get(k)]
        cols = self._columns
        for i, key in enumerate(shown):
            r, c = divmod(i, cols)
            grid.addWidget(self.labels[key], r, 2 * c)
            grid.addWidget(self.fields[key], r, 2 * c + 1)
        if self.orientation == "bottom":
            grid.setColumnStretch(2 * cols, 1)          # the fields keep their own widths
        else:
            grid.setColumnStretch(1, 1)
        for key, w in self.fields.items():
            on = key in shown
            self.labels[key].setVisible(on)
            w.setVisible(on)

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange and self.orientation == "side":
            self.setFixedWidth(self.side_width())

    # -- content --------------------------------------------------------------------------------
    def show_layer(self, layer: Layer | None, label: str = "", fixed_reason: str | None = None,
                   is_output: bool = False) -> None:
        self._loading = True
        if (layer.uid if layer else None) != self.uid:     # another layer: its own messages
            for box in self.number_fields:
                box.reset_message()
        self.uid = layer.uid if layer else None
        self.current = layer
        self.title.setText(label or _("Select a layer"))
        kind = layer.kind if layer else None
        self._shown = {"units": kind in ("input", "dense"), "activation": kind == "dense",
                       "rate": kind == "dropout", "l1": kind == "dense", "l2": kind == "dense",
                       "initializer": kind == "dense"}
        self._arrange()
        if layer is not None:
            self.units.setValue(max(1, layer.units))
            self.activation.setCurrentText(layer.activation)
            self.rate.setValue(layer.rate)
            self.l1.setValue(layer.l1)
            self.l2.setValue(layer.l2)
            self.initializer.setCurrentText(layer.initializer)
        # The input follows the data; the output's width follows the task.
        self.units.setEnabled(fixed_reason is None)
        self.activation.setEnabled(kind == "dense" and not is_output)
        self.note.setText(fixed_reason or (self._empty_note() if layer is None else ""))
        self._loading = False

    def _empty_note(self) -> str:
        text = _("Click a layer in the drawing to change its settings here.")
        if self.orientation == "bottom" and self.extra_hint:
            text += "\n" + self.extra_hint
        return text

    def _emit(self, key: str, value: Any) -> None:
        if self._loading or self.uid is None or self.current is None:
            return
        if getattr(self.current, key) == value:
            return
        self.sig_edit.emit(self.uid, {key: value})
