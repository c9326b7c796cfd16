"""The inspector: the selected layer's fields; each change is one undoable edit."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from studio.core.design import ACTIVATIONS, INITIALIZERS, Layer
from studio.core.i18n import _


class Inspector(QWidget):
    sig_edit = Signal(str, dict)          # uid, {field: value}

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.uid: str | None = None
        self._loading = False
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.title = QLabel(_("Select a layer"))
        f = self.title.font()
        f.setBold(True)
        self.title.setFont(f)
        lay.addWidget(self.title)
        form = QFormLayout()
        self.units = QSpinBox()
        self.units.setRange(1, 4096)
        self.activation = QComboBox()
        self.activation.addItems(list(ACTIVATIONS))
        self.rate = QDoubleSpinBox()
        self.rate.setRange(0.0, 0.9)
        self.rate.setSingleStep(0.05)
        self.l1 = QDoubleSpinBox()
        self.l2 = QDoubleSpinBox()
        for box in (self.l1, self.l2):
            box.setDecimals(5)
            box.setRange(0.0, 1.0)
            box.setSingleStep(0.0001)
        self.initializer = QComboBox()
        self.initializer.addItems(list(INITIALIZERS))
        self.fields: dict[str, QWidget] = {"units": self.units, "activation": self.activation,
                                           "rate": self.rate, "l1": self.l1, "l2": self.l2,
                                           "initializer": self.initializer}
        names = {"units": _("Units"), "activation": _("Activation"), "rate": _("Rate"),
                 "l1": _("L1"), "l2": _("L2"), "initializer": _("Initializer")}
        for key, w in self.fields.items():
            form.addRow(names[key], w)
        lay.addLayout(form)
        self._form = form
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
        self.setFixedWidth(230)
        self.show_layer(None)

    def show_layer(self, layer: Layer | None, label: str = "", fixed_reason: str | None = None,
                   is_output: bool = False) -> None:
        self._loading = True
        self.uid = layer.uid if layer else None
        self.current: Any = layer
        self.title.setText(label or _("Select a layer"))
        kind = layer.kind if layer else None
        show = {"units": kind in ("input", "dense"), "activation": kind == "dense",
                "rate": kind == "dropout", "l1": kind == "dense", "l2": kind == "dense",
                "initializer": kind == "dense"}
        for key, w in self.fields.items():
            self._form.setRowVisible(w, bool(show[key]))
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
        self.note.setText(fixed_reason or "")
        self._loading = False

    def _emit(self, key: str, value: Any) -> None:
        if self._loading or self.uid is None or self.current is None:
            return
        if getattr(self.current, key) == value:
            return
        self.sig_edit.emit(self.uid, {key: value})
