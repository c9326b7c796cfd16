"""The Design step's page: palette | canvas | inspector, with one undo stack for every edit."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QColor, QKeySequence, QPalette, QUndoStack
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from studio.core.design import Layer
from studio.core.i18n import _
from studio.ui.canvas import commands as cmd
from studio.ui.canvas import export
from studio.ui.canvas import style as st
from studio.ui.canvas.inspector import Inspector
from studio.ui.canvas.palette import Palette
from studio.ui.canvas.scene import CanvasScene
from studio.ui.canvas.view import CanvasView
from studio.ui.design_layout import input_names

UNITS_STEPS = (1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096)


def next_units(units: int, delta: int) -> int:
    """The next width a teacher would pick: powers of two (8 -> 16, 12 -> 16 or 8)."""
    if delta > 0:
        return next((u for u in UNITS_STEPS if u > units), units * 2)
    return next((u for u in reversed(UNITS_STEPS) if u < units), 1)


class CanvasPanel(QWidget):
    def __init__(self, state: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("canvasPanel")
        self.state = state
        self.undo_stack = QUndoStack(self)
        self.scene = CanvasScene(self)
        self.scene.ink = self.palette().color(QPalette.ColorRole.Text)
        self.view = CanvasView(self.scene)
        self.view.setBackgroundBrush(QColor("white"))
        self.scene.ink = QColor("#1E2430")
        self.palette_panel = Palette()
        self.inspector = Inspector()
        self.message = QLabel()
        self.message.setObjectName("canvasMessage")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("QLabel#canvasMessage { background: #FFF4DC; color: #4A3500;"
                                   " border: 1px solid #E69F00; border-radius: 4px;"
                                   " padding: 6px; }")
        self.message.hide()
        self.total_label = QLabel()
        self.total_label.setObjectName("paramTotal")
        self.selected: str | None = None

        bar = QHBoxLayout()
        self.undo_action = self.undo_stack.createUndoAction(self, _("&Undo"))
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.redo_action = self.undo_stack.createRedoAction(self, _("&Redo"))
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence.StandardKey.Redo])
        for act in (self.undo_action, self.redo_action):
            b = QToolButton()
            b.setDefaultAction(act)
            bar.addWidget(b)
        self._tool(bar, _("Delete"), self.delete_selected, _("Delete the selected layer (Del)"))
        self._tool(bar, _("Duplicate"), self.duplicate_selected,
                   _("Insert a copy of the selected layer after it"))
        bar.addSpacing(12)
        self._tool(bar, "−", lambda: self.view.zoom(1 / 1.25), _("Zoom out (Ctrl+-)"))
        self._tool(bar, "+", lambda: self.view.zoom(1.25), _("Zoom in (Ctrl++)"))
        self._tool(bar, _("Fit"), self.view.fit, _("Fit the drawing to the view (Ctrl+0)"))
        bar.addStretch(1)
        # The drawing's options on a second row: one row of everything needed ~710 px, more
        # than the page has at 1280x800 beside the doctor, and squeezed the buttons to "…".
        view_bar = QHBoxLayout()
        self.style_box = QComboBox()
        self.style_box.addItem(_("Clean"), "clean")
        self.style_box.addItem(_("Sketch"), "sketch")
        self.style_box.setToolTip(_("Drawing style"))
        self.style_box.currentIndexChanged.connect(
            lambda _i: self.set_style(self.style_box.currentData()))
        view_bar.addWidget(self.style_box)
        self.weights_box = QCheckBox(_("Show weights"))
        self.weights_box.setChecked(True)
        self.weights_box.setToolTip(_("Colour the connections by the learned weights: blue "
                                      "positive, orange negative; stronger is thicker."))
        self.weights_box.toggled.connect(self.scene.set_show_weights)
        view_bar.addWidget(self.weights_box)
        view_bar.addStretch(1)
        self._tool(view_bar, _("PNG…"), lambda: self._export("png"),
                   _("Export the diagram as PNG"))
        self._tool(view_bar, _("SVG…"), lambda: self._export("svg"),
                   _("Export the diagram as SVG"))

        centre = QVBoxLayout()
        centre.addLayout(bar)
        centre.addLayout(view_bar)
        centre.addWidget(self.view, 1)
        centre.addWidget(self.message)
        centre.addWidget(self.total_label)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(12, 12, 12, 12)
        lay.addWidget(self.palette_panel)
        lay.addLayout(centre, 1)
        lay.addWidget(self.inspector)

        self.view.sig_drop.connect(self.insert)
        self.view.sig_delete.connect(self.delete_selected)
        self.palette_panel.sig_append.connect(self._on_append)
        self.scene.sig_selected.connect(self.select)
        self.scene.sig_move_requested.connect(self.move)
        self.scene.sig_units_requested.connect(self.step_units)
        self.scene.sig_edit_requested.connect(self._on_edit_requested)
        self.scene.sig_message.connect(self.show_message)
        self.inspector.sig_edit.connect(self.edit)
        self.undo_stack.indexChanged.connect(lambda _i: self.scene.set_weights(None))
        state.sig_design_changed.connect(self.redraw)
        state.sig_findings_changed.connect(self._on_findings_changed)
        if hasattr(state, "sig_project_closing"):
            state.sig_project_closing.connect(self.undo_stack.clear)
        if hasattr(state, "sig_result_ready"):
            state.sig_result_ready.connect(lambda _r: self.redraw())
        self.redraw()

    def _tool(self, bar, text, slot, tip) -> QToolButton:
        b = QToolButton()
        b.setText(text)
        b.setToolTip(tip)
        b.clicked.connect(slot)
        bar.addWidget(b)
        return b

    # -- reading the state ----------------------------------------------------------------------
    @property
    def design(self):
        return self.state.project.design if self.state.project is not None else None

    def fixed_reasons(self) -> dict[str, str]:
        d = self.design
        if d is None or not d.layers:
            return {}
        out = {d.input.uid: _("The input layer follows the data: one neuron per feature after "
                              "preprocessing ({n}). Change the features in the Data step.",
                              n=d.input.units)}
        info = self.state.task_info() if hasattr(self.state, "task_info") else None
        task = info.task if info else "?"
        out[d.output.uid] = _("The output layer follows the task ({task}): its units and "
                              "activation are set by the target. Change the target or task in "
                              "the Data step.", task=task)
        return out

    def output_names(self) -> list[str] | None:
        p = self.state.project
        info = self.state.task_info() if hasattr(self.state, "task_info") else None
        if p is None or info is None or self.design is None:
            return None
        units = self.design.output.units
        if info.task == "regression" or not info.classes:
            return [str(p.target)] * units
        classes = [str(c) for c in info.classes]
        if units == 1:
            return [_("P({cls})", cls=classes[-1])]
        return classes if len(classes) == units else None

    @Slot()
    def redraw(self) -> None:
        p = self.state.project
        names = input_names(p, getattr(self.state, "dataset", None),
                            getattr(self.state, "result", None)) if p else None
        self.scene.input_names_full = names
        self.scene.rebuild(self.design, names, self.output_names(),
                           getattr(self.state, "findings", []), self.fixed_reasons())
        self.total_label.setText(self.scene.total_text)
        if self.selected and self.scene.column_of(self.selected):
            self.scene.column_of(self.selected).item.setSelected(True)
            self.select(self.selected)
        else:
            self.select(None)
        self.view.refit()

    def _on_findings_changed(self, _findings) -> None:
        pass          # set_design emits design_changed first; findings are drawn by redraw

    # -- edits: one command each ------------------------------------------------------------------
    def _push(self, command) -> None:
        self.message.hide()
        self.undo_stack.push(command)

    @Slot(str, int)
    def insert(self, kind: str, index: int) -> None:
        d = self.design
        if d is None:
            return
        index = max(1, min(len(d.layers) - 1, index))
        prev_width = d.shapes()[index - 1].output_units
        layer = {"dense": lambda: Layer.dense(max(2, min(prev_width, 64)), "relu"),
                 "dropout": lambda: Layer.dropout(0.2),
                 "batchnorm": Layer.batchnorm}[kind]()
        self.selected = layer.uid
        self._push(cmd.InsertLayerCommand(self.state, index, layer))

    def _on_append(self, kind: str) -> None:
        if self.design is not None:
            self.insert(kind, len(self.design.layers) - 1)

    @Slot(str, int)
    def move(self, uid: str, index: int) -> None:
        if self._refuse(uid):
            return
        d = self.design
        index = max(1, min(len(d.layers) - 2, index))
        if d.index_of(uid) != index:
            self._push(cmd.MoveLayerCommand(self.state, uid, index))

    def delete_selected(self) -> None:
        if self.selected is None:
            self.show_message(_("Select a layer to delete first."))
        elif not self._refuse(self.selected):
            uid, self.selected = self.selected, None
            self._push(cmd.RemoveLayerCommand(self.state, uid))

    def duplicate_selected(self) -> None:
        if self.selected is None:
            self.show_message(_("Select a layer to duplicate first."))
        elif not self._refuse(self.selected):
            c = cmd.DuplicateLayerCommand(self.state, self.selected)
            self.selected = c.uid
            self._push(c)

    @Slot(str, int)
    def step_units(self, uid: str, delta: int) -> None:
        if self._refuse(uid):
            return
        layer = self.design.layers[self.design.index_of(uid)]
        self.edit(uid, {"units": next_units(layer.units, delta)})

    @Slot(str, dict)
    def edit(self, uid: str, changes: dict) -> None:
        d = self.design
        i = d.index_of(uid)
        fixed = self.fixed_reasons().get(uid)
        if fixed and ("units" in changes or (i == 0) or "activation" in changes):
            self.show_message(fixed)
            self.select(uid)           # put the inspector's values back
            return
        self._push(cmd.EditLayerCommand(self.state, uid, **changes))

    def _refuse(self, uid: str) -> bool:
        reason = self.fixed_reasons().get(uid)
        if reason:
            self.show_message(reason)
        return bool(reason)

    def _on_edit_requested(self, uid: str) -> None:
        self.select(uid)
        reason = self.fixed_reasons().get(uid)
        if reason:
            self.show_message(reason)
        else:
            w = self.inspector.units if self.inspector.units.isVisible() else self.inspector.rate
            w.setFocus()
            w.selectAll()

    # -- selection and messages -------------------------------------------------------------------
    @Slot(str)
    def select(self, uid: str | None) -> None:
        d = self.design
        self.selected = uid
        if uid is None or d is None:
            self.inspector.show_layer(None)
            return
        i = d.index_of(uid)
        col = self.scene.column_of(uid)
        label = col.spec.label if col else d.layers[i].describe()
        self.inspector.show_layer(d.layers[i], label, self.fixed_reasons().get(uid),
                                  is_output=i == len(d.layers) - 1)

    def show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()
        win = self.window()
        if hasattr(win, "statusBar"):
            win.statusBar().showMessage(text, 8000)

    # -- style, weights, export ---------------------------------------------------------------------
    def set_style(self, name: str) -> None:
        self.scene.style = st.STYLES[name]
        i = self.style_box.findData(name)
        if i != self.style_box.currentIndex():
            self.style_box.setCurrentIndex(i)
        kernels = self.scene.kernels
        self.redraw()
        if kernels is not None:
            self.scene.set_weights(kernels)

    @Slot(int, object)
    def set_weights(self, epoch: int, kernels: Any) -> None:
        """Colour the connections by the Dense kernels (from ``sig_weights`` each epoch)."""
        self.scene.set_weights(kernels)

    def attach_training(self, controller: Any) -> None:
        if hasattr(controller, "sig_weights"):
            controller.sig_weights.connect(self.set_weights)

    def _export(self, fmt: str) -> None:
        path, _f = QFileDialog.getSaveFileName(self, _("Export diagram"), f"network.{fmt}",
                                               "PNG (*.png)" if fmt == "png" else "SVG (*.svg)")
        if path:
            ok = (export.export_png if fmt == "png" else export.export_svg)(self.scene, path)
            self.show_message(_("Saved {path}", path=path) if ok
                              else _("Could not write {path}", path=path))
