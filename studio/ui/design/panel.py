"""The Design step's page: palette | canvas | inspector, with one undo stack for every edit.

On a page too narrow for the three side by side (a projector at 1024x768, presentation mode's
large text, a laptop beside the doctor) the palette becomes a row above the canvas and the
inspector a strip under it, so that the drawing, which is wider than tall, gets the whole
width (:meth:`CanvasPanel.arrange`)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QStyle,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from studio.core.design import Layer
from studio.core.i18n import _
from studio.ui.common.diagram import input_names
from studio.ui.common.undo_keys import pass_undo_keys, redo_shortcuts, undo_shortcuts
from studio.ui.design import commands as cmd
from studio.ui.design import export
from studio.ui.design import style as st
from studio.ui.design.inspector import Inspector
from studio.ui.design.palette import Palette
from studio.ui.design.scene import CanvasScene
from studio.ui.design.view import CanvasView

#: Palette and inspector go beside the canvas only when it keeps this share of the page's
#: width and this shape (width over height); otherwise above and under it.
SIDE_SHARE, SIDE_ASPECT = 0.62, 1.3
QWIDGETSIZE_MAX = (1 << 24) - 1
UNITS_STEPS = (1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096)


def next_units(units: int, delta: int) -> int:
    """The next width a teacher would pick: powers of two (8 -> 16, 12 -> 16 or 8)."""
    if delta > 0:
        return next((u for u in UNITS_STEPS if u > units), units * 2)
    return next((u for u in reversed(UNITS_STEPS) if u < units), 1)


class CanvasPanel(QWidget):
    """The Design step's page: the network drawn as a teacher draws it, edited with undo."""

    sig_layer_selected = Signal(str)      # a layer's uid the user clicked (the code follows)

    def __init__(self, state: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("canvasPanel")
        self.state = state
        self.undo_stack = state.undo_stack     # the state's: every edit, and it outlives the page
        self.scene = CanvasScene(self)
        self.scene.ink = self.palette().color(QPalette.ColorRole.Text)
        self.view = CanvasView(self.scene)
        self.view.setBackgroundBrush(QColor("white"))
        self.scene.ink = QColor("#1E2430")
        self.palette_panel = Palette()
        self.inspector = Inspector()
        # the inspector scrolls where the page is too small for it (a large presentation zoom)
        self.inspector_box = QScrollArea()
        self.inspector_box.setObjectName("inspectorBox")
        self.inspector_box.setWidget(self.inspector)
        self.inspector_box.setWidgetResizable(True)
        self.inspector_box.setFrameShape(QFrame.Shape.NoFrame)
        self.inspector_box.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.message = QLabel()
        self.message.setObjectName("canvasMessage")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("QLabel#canvasMessage { background: #FFF4DC; color: #4A3500;"
                                   " border: 1px solid #E69F00; border-radius: 4px;"
                                   " padding: 6px; }")
        self.message.hide()
        self.total_label = QLabel()
        self.total_label.setObjectName("paramTotal")
        self.total_label.setWordWrap(True)
        self.selected: str | None = None
        self._weights_design: list | None = None   # the design the shown weights belong to

        bar = self._bar = QHBoxLayout()
        self.undo_action = self.undo_stack.createUndoAction(self, _("&Undo"))
        self.undo_action.setShortcuts(undo_shortcuts())
        self.redo_action = self.undo_stack.createRedoAction(self, _("&Redo"))
        self.redo_action.setShortcuts(redo_shortcuts())    # each key once: no ambiguity
        self._undo_keys = pass_undo_keys(
            [self.inspector.units, self.inspector.rate, self.inspector.l1, self.inspector.l2], self)
        style = self.style()
        for act, icon in ((self.undo_action, QStyle.StandardPixmap.SP_ArrowBack),
                          (self.redo_action, QStyle.StandardPixmap.SP_ArrowForward)):
            # icon buttons: "실행 취소(&U)" as text squeezed the row at 1024x768 presenting
            act.setIcon(style.standardIcon(icon))
            b = QToolButton()
            b.setDefaultAction(act)
            b.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
            b.setObjectName("undoButton" if act is self.undo_action else "redoButton")
            bar.addWidget(b)              # its tooltip is the action's text ("Undo Delete")
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
        view_bar = self._view_bar = QHBoxLayout()
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

        centre = self._centre = QVBoxLayout()
        centre.addLayout(bar)
        centre.addLayout(view_bar)
        centre.addWidget(self.view, 1)
        centre.addWidget(self.message)
        centre.addWidget(self.total_label)
        lay = self._body = QHBoxLayout(self)
        lay.setContentsMargins(12, 12, 12, 12)
        lay.addWidget(self.palette_panel)
        lay.addLayout(centre, 1)
        lay.addWidget(self.inspector_box)
        #: "side": palette | canvas | inspector; "stacked" (a narrow page, large fonts): the
        #: palette a row above the canvas and the inspector a strip under it, so the drawing
        #: gets the page's whole width (see :meth:`arrange`)
        self.arrangement = "side"
        self._palette_place = "side"
        self._arrange_timer = QTimer(self)
        self._arrange_timer.setSingleShot(True)
        self._arrange_timer.timeout.connect(self.arrange)

        self.view.sig_drop.connect(self.insert)
        self.view.sig_delete.connect(self.delete_selected)
        self.palette_panel.sig_append.connect(self._on_append)
        self.scene.sig_selected.connect(self.select)
        self.scene.sig_selected.connect(self.sig_layer_selected)
        self.scene.sig_move_requested.connect(self.move)
        self.scene.sig_units_requested.connect(self.step_units)
        self.scene.sig_edit_requested.connect(self._on_edit_requested)
        self.scene.sig_message.connect(self.show_message)
        self.inspector.sig_edit.connect(self.edit)
        # bound methods, never lambdas, on objects that outlive this page: Qt disconnects
        # them when the page is deleted (a language switch makes the pages anew)
        self.undo_stack.indexChanged.connect(self._on_undo_index)
        state.sig_design_changed.connect(self.redraw)
        state.sig_findings_changed.connect(self._on_findings_changed)
        state.sig_result_ready.connect(self._on_result_ready)
        state.sig_replay_weights.connect(self.set_weights)   # a replayed run's, epoch by epoch
        state.sig_dataset_changed.connect(self._on_project_opened)
        self.redraw()
        self._on_project_opened()

    # -- the page's arrangement ------------------------------------------------------------------
    def side_arrangement_fits(self, width: int, height: int) -> bool:
        """Whether palette | canvas | inspector side by side leaves the canvas enough room on
        a ``width`` x ``height`` page: most of the width (``SIDE_SHARE``), and a landscape
        shape (a network drawing is wider than tall, ``SIDE_ASPECT``)."""
        m = self._body.contentsMargins()
        sp = self._body.spacing()
        canvas_w = (width - m.left() - m.right() - 2 * sp
                    - self.palette_panel.side_width() - self.inspector.side_width())
        canvas_h = height - m.top() - m.bottom() - 4 * self.fontMetrics().lineSpacing()
        return canvas_w >= SIDE_SHARE * width and canvas_w >= SIDE_ASPECT * max(1, canvas_h)

    @Slot()
    def arrange(self, arrangement: str | None = None) -> None:
        """Side by side or stacked, whichever fits the page's size now (or ``arrangement``)."""
        if arrangement is None:
            arrangement = ("side" if self.side_arrangement_fits(self.width(), self.height())
                           else "stacked")
        body, centre, bar = self._body, self._centre, self._bar
        m = body.contentsMargins()
        width = self.width() - m.left() - m.right()
        stacked = arrangement == "stacked"
        self.palette_panel.set_compact(stacked)
        # stacked: the palette's row starts the edit bar's row where both fit in one
        place = "side"
        if stacked:
            own = sum(bar.itemAt(i).sizeHint().width() + bar.spacing()
                      for i in range(bar.count())
                      if bar.itemAt(i).widget() is not self.palette_panel
                      and not (i == 1 and self._palette_place == "bar"))
            place = ("bar" if own + self.palette_panel.sizeHint().width() + 24 <= width
                     else "above")
        if (arrangement, place) != (self.arrangement, self._palette_place):
            self.arrangement, self._palette_place = arrangement, place
            for layout in (body, centre, bar):
                layout.removeWidget(self.palette_panel)
                layout.removeWidget(self.inspector_box)
            if place == "bar":
                bar.insertWidget(0, self.palette_panel)
                bar.insertSpacing(1, 24)
            elif place == "above":
                centre.insertWidget(0, self.palette_panel)
            else:
                body.insertWidget(0, self.palette_panel)
            if place != "bar":          # the spacing after the palette in the bar, if any
                item = bar.itemAt(0)
                if item is not None and item.spacerItem() is not None:
                    bar.takeAt(0)
            if stacked:
                centre.insertWidget(centre.indexOf(self.view) + 1, self.inspector_box)
            else:
                body.addWidget(self.inspector_box)
        # stacked: the drawing shows the total itself; the strip under it is the inspector
        self.total_label.setVisible(not stacked)
        self.inspector.extra_hint = self.palette_panel.hint.text()
        self.inspector.set_orientation("bottom" if stacked else "side", width)
        box = self.inspector_box
        if stacked:
            # what the page has left under the bars and the smallest canvas; 40 % at most,
            # it scrolls beyond that (a large presentation zoom)
            rows = [bar, self._view_bar] + ([self.palette_panel] if place == "above" else [])
            used = (sum(r.sizeHint().height() for r in rows) + m.top() + m.bottom()
                    + (len(rows) + 2) * max(0, centre.spacing())
                    + self.view.minimumHeight())
            cap = min(int(self.height() * 0.4), self.height() - used)
            box.setMinimumWidth(0)
            box.setMaximumWidth(QWIDGETSIZE_MAX)
            box.setFixedHeight(max(min(self.inspector.minimumHeight(), cap),
                                   2 * self.fontMetrics().lineSpacing()))
        else:
            box.setMinimumHeight(0)
            box.setMaximumHeight(QWIDGETSIZE_MAX)
            box.setFixedWidth(self.inspector.side_width())

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.arrange()

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:    # presentation mode: wider side panels
            self._arrange_timer.start(0)

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
        info = self.state.task_info()
        task = info.task if info else "?"
        out[d.output.uid] = _("The output layer follows the task ({task}): its units and "
                              "activation are set by the target. Change the target or task in "
                              "the Data step.", task=task)
        return out

    def output_names(self) -> list[str] | None:
        p = self.state.project
        info = self.state.task_info()
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
        names = input_names(p, self.state.dataset, self.state.result) if p else None
        self.scene.input_names_full = names
        self.scene.rebuild(self.design, names, self.output_names(),
                           self.state.findings, self.fixed_reasons())
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
        self.state.report_status(text, 8000)

    # -- style, weights, export --------------------------------------------------------------------
    def set_style(self, name: str) -> None:
        """Draw in style ``name``; the project keeps it (saved with the project file)."""
        self.state.set_canvas_style(name)
        self.scene.style = st.STYLES[name]
        i = self.style_box.findData(name)
        if i != self.style_box.currentIndex():
            self.style_box.setCurrentIndex(i)
        kernels = self.scene.kernels
        self.redraw()
        if kernels is not None:
            self.scene.set_weights(kernels)

    @Slot()
    def _on_project_opened(self) -> None:
        """Another project or data: its drawing style (a project file keeps it)."""
        style = self.state.project.canvas_style if self.state.project is not None else None
        if style in st.STYLES and self.scene.style is not st.STYLES[style]:
            self.set_style(style)

    @Slot(int)
    def _on_undo_index(self, _index: int) -> None:
        # an edit of the network: the trained weights no longer fit it (the stack holds every
        # edit of the project; a compile or column change leaves the drawing as it was)
        design = self.design
        if design is None or design.to_list() != self._weights_design:
            self.scene.set_weights(None)

    @Slot(object)
    def _on_result_ready(self, _result: object) -> None:
        self.redraw()

    @Slot(int, object)
    def set_weights(self, epoch: int, kernels: Any) -> None:
        """Colour the connections by the Dense kernels (from ``sig_weights`` each epoch)."""
        self.scene.set_weights(kernels)
        self._weights_design = self.design.to_list() if self.design is not None else None

    def attach_training(self, controller: Any) -> None:
        controller.sig_weights.connect(self.set_weights)

    def _export(self, fmt: str) -> None:
        path, _f = QFileDialog.getSaveFileName(self, _("Export diagram"), f"network.{fmt}",
                                               "PNG (*.png)" if fmt == "png" else "SVG (*.svg)")
        if path:
            ok = (export.export_png if fmt == "png" else export.export_svg)(self.scene, path)
            self.show_message(_("Saved {path}", path=path) if ok
                              else _("Could not write {path}", path=path))

    def shutdown(self, timeout_ms: int = 10000) -> bool:
        """Nothing runs in the background here (studio.ui.common.page.StepPage)."""
        return True
