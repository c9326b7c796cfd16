"""The Compile step: a form bound both ways to ``project.compile`` and ``project.training``.

The curriculum's order is model structure -> **compile** -> fit: compile says how the error is
measured (loss, metrics) and reduced (optimizer, learning rate); fit says how long and in what
steps the network learns (epochs, batch size, early stopping, learning-rate schedule).

Binding follows glue's ``autoconnect`` / napari: one table, :data:`BINDINGS`, pairs each
control with the project field it shows. :meth:`SettingsPanel.refresh` fills every control from
the project with the controls' signals blocked, so filling never echoes back; a control's change
becomes ``state.set_field(path, value)``, one undoable step on the state's stack (typing into a
field is one step, not one per key), after which the doctor runs again. Validation lives in core
(``CompileSettings.validate`` and the doctor); the number fields show their range and never
change a typed value without saying so (a message under the field,
studio/ui/common/number_field.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QPlainTextEdit,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from studio.core import glossary
from studio.core.i18n import _
from studio.core.settings import (
    CLASSIFICATION_METRICS,
    LOSSES,
    OPTIMIZERS,
    REGRESSION_METRICS,
    SCHEDULES,
)
from studio.ui.common import theme
from studio.ui.common.guard import reports_errors
from studio.ui.common.number_field import add_number_row, set_number_row_visible
from studio.ui.common.undo_keys import pass_undo_keys
from studio.ui.common.widgets import blocked, select_data
from studio.ui.compile.widgets import (
    LogSpinBox,
    code_text,
    float_spin,
    int_spin,
    loss_labels,
    metric_labels,
    optimizer_labels,
    schedule_labels,
    schedule_notes,
)
from studio.ui.edits import field_value


@dataclass(frozen=True)
class Binding:
    """A control of the form (an attribute of the panel) and the project field it edits."""

    widget: str
    path: str
    label: Callable[[], str]      # the field's name, for the undo step ("Change Epochs")


#: Every field the form edits, in the form's order. Metrics (a list shown as check boxes) and
#: the early-stopping monitor (choices that follow the metrics) have their own code.
BINDINGS: tuple[Binding, ...] = (
    Binding("optimizer", "compile.optimizer", lambda: _("Optimizer")),
    Binding("learning_rate", "compile.learning_rate", lambda: _("Learning rate")),
    Binding("momentum", "compile.momentum", lambda: _("Momentum")),
    Binding("weight_decay", "compile.weight_decay", lambda: _("Weight decay")),
    Binding("loss", "compile.loss", lambda: _("Loss")),
    Binding("epochs", "training.epochs", lambda: _("Epochs")),
    Binding("batch_size", "training.batch_size", lambda: _("Batch size")),
    Binding("class_weight", "training.class_weight", lambda: _("Class weights")),
    Binding("device", "training.device", lambda: _("Device")),
    Binding("seed", "training.seed", lambda: _("Seed")),
    Binding("es_box", "training.early_stopping.enabled", lambda: _("Early stopping")),
    Binding("es_monitor", "training.early_stopping.monitor", lambda: _("Monitor")),
    Binding("es_patience", "training.early_stopping.patience", lambda: _("Patience")),
    Binding("es_restore", "training.early_stopping.restore_best_weights",
            lambda: _("Restore the best weights")),
    Binding("schedule", "training.schedule.kind", lambda: _("Learning-rate schedule")),
    Binding("sc_factor", "training.schedule.factor", lambda: _("Factor")),
    Binding("sc_patience", "training.schedule.patience", lambda: _("Patience")),
    Binding("sc_decay", "training.schedule.decay_rate", lambda: _("Decay per epoch")),
    Binding("sc_step", "training.schedule.step_epochs", lambda: _("Every N epochs")),
    Binding("sc_min_lr", "training.schedule.min_lr", lambda: _("Minimum rate")),
)


def control_value(widget: QWidget) -> Any:
    """What a bound control shows, as the field's type (None: no choice)."""
    if isinstance(widget, QComboBox):
        return widget.currentData()
    if isinstance(widget, QSpinBox):
        return int(widget.value())
    if isinstance(widget, QAbstractSpinBox):
        return float(widget.value())      # type: ignore[attr-defined]  # every number field
    return bool(widget.isChecked())       # type: ignore[attr-defined]  # check box, group box


def show_value(widget: QWidget, value: Any) -> None:
    """Make a bound control show ``value`` (signals are blocked by the caller)."""
    if isinstance(widget, QComboBox):
        select_data(widget, value)
    elif isinstance(widget, QSpinBox):
        _set(widget, int(value))
    elif isinstance(widget, QAbstractSpinBox):
        _set(widget, float(value))
    else:
        widget.setChecked(bool(value))    # type: ignore[attr-defined]


def changed_signal(widget: QWidget):
    """The signal a bound control emits when the user changes it."""
    if isinstance(widget, QComboBox):
        return widget.activated
    if isinstance(widget, QAbstractSpinBox):
        return widget.valueChanged        # type: ignore[attr-defined]
    return widget.toggled                 # type: ignore[attr-defined]


class SettingsPanel(QWidget):
    """The compile and fit settings form; see the module docstring."""

    def __init__(self, state, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("page")
        self.state = state

        # -- model.compile ----------------------------------------------------------------------
        self.optimizer = QComboBox()
        for key in OPTIMIZERS:
            self.optimizer.addItem(optimizer_labels()[key], key)
        self.optimizer.setToolTip(_("How the weights are updated from the error. Adam is a "
                                    "good default for both regression and classification."))
        self.learning_rate = LogSpinBox(name=_("Learning rate"))
        self.learning_rate.setToolTip(_("How big each weight update is. Too high: the loss "
                                        "jumps or explodes. Too low: learning is very slow. "
                                        "0.001 is Adam's usual start."))
        self.momentum = float_spin(0.0, 0.99, 0.05, 2, _("SGD keeps this share of the previous "
                                                     "update, which smooths learning."),
                                   name=_("Momentum"))
        self.weight_decay = float_spin(0.0, 1.0, 0.001, 4, _("AdamW shrinks the weights a little "
                                                         "every step (like L2)."),
                                       name=_("Weight decay"))
        self.loss = QComboBox()
        for key in LOSSES:
            self.loss.addItem(key, key)
            self.loss.setItemData(self.loss.count() - 1, loss_labels()[key], Qt.ToolTipRole)
        self.loss.setToolTip(_("The error the network reduces (손실 함수). Regression: MSE or "
                               "MAE. Classification: cross-entropy."))
        self.metric_checks: dict[str, QCheckBox] = {}
        metrics_row = QWidget()
        mrow = QGridLayout(metrics_row)
        mrow.setContentsMargins(0, 0, 0, 0)
        mrow.setHorizontalSpacing(14)
        mrow.setVerticalSpacing(4)
        for group in (REGRESSION_METRICS, CLASSIFICATION_METRICS):
            for i, key in enumerate(group):
                cb = QCheckBox(metric_labels()[key])
                cb.toggled.connect(self._on_metrics_changed)
                self.metric_checks[key] = cb
                mrow.addWidget(cb, i // 2, i % 2)
        mrow.setColumnStretch(2, 1)

        compile_box = QGroupBox("model.compile(…)")
        self.compile_form = QFormLayout(compile_box)
        self._form_style(self.compile_form)
        self.compile_form.addRow(_("Optimizer"), self.optimizer)
        add_number_row(self.compile_form, _("Learning rate"), self.learning_rate)
        add_number_row(self.compile_form, _("Momentum"), self.momentum)
        add_number_row(self.compile_form, _("Weight decay"), self.weight_decay)
        self.compile_form.addRow(_("Loss"), self.loss)
        self.compile_form.addRow(_("Metrics"), metrics_row)

        # -- model.fit --------------------------------------------------------------------------
        self.epochs = int_spin(1, 100_000, _("How many times the network sees all the training "
                                          "rows. Read the learning curves to choose it."),
                               name=_("Epochs"))
        self.batch_size = int_spin(1, 1_000_000, _("Rows per weight update. Smaller: more, "
                                                "noisier updates; larger: fewer, smoother ones."),
                                   name=_("Batch size"))
        self.class_weight = QComboBox()
        self.class_weight.addItem(_("None"), "none")
        self.class_weight.addItem(_("Balanced"), "balanced")
        self.class_weight.setToolTip(_("Balanced gives rare classes more weight, so the network "
                                       "cannot ignore them (class imbalance)."))
        self.device = QComboBox()
        for key, text in (("auto", _("Automatic (GPU if available)")), ("cpu", _("CPU")),
                          ("gpu", _("GPU"))):
            self.device.addItem(text, key)
        self.seed = int_spin(0, 2_147_483_647, _("The same seed gives the same starting weights."),
                             name=_("Seed"))

        fit_box = QGroupBox("model.fit(…)")
        self.fit_form = QFormLayout(fit_box)
        self._form_style(self.fit_form)
        add_number_row(self.fit_form, _("Epochs"), self.epochs)
        add_number_row(self.fit_form, _("Batch size"), self.batch_size)
        self.fit_form.addRow(_("Class weights"), self.class_weight)
        self.fit_form.addRow(_("Device"), self.device)
        add_number_row(self.fit_form, _("Seed"), self.seed)
        self._glossary_tooltips()

        # -- early stopping -----------------------------------------------------------------
        self.es_box = QGroupBox(_("Early stopping"))
        self.es_box.setCheckable(True)
        self.es_box.setToolTip(_("Stop when the validation value stops improving, against "
                                 "over-fitting (과적합 방지)."))
        self.es_monitor = QComboBox()
        self.es_patience = int_spin(1, 10_000, _("Epochs without improvement before stopping."),
                                    name=_("Patience"))
        self.es_restore = QCheckBox(_("Restore the best weights"))
        self.es_restore.setToolTip(_("At the end, go back to the weights of the best epoch."))
        es_form = QFormLayout(self.es_box)
        self._form_style(es_form)
        es_form.addRow(_("Monitor"), self.es_monitor)
        add_number_row(es_form, _("Patience"), self.es_patience)
        es_form.addRow("", self.es_restore)

        # -- learning-rate schedule -----------------------------------------------------------
        self.schedule = QComboBox()
        for key in SCHEDULES:
            self.schedule.addItem(schedule_labels()[key], key)
        self.schedule.setToolTip(_("Lower the learning rate while training: big steps first, "
                                   "fine steps later."))
        self.sc_factor = float_spin(0.01, 0.99, 0.05, 2, _("Multiply the rate by this."),
                                    name=_("Factor"))
        self.sc_patience = int_spin(1, 10_000, _("Epochs without improvement of the validation "
                                              "loss before lowering the rate."),
                                    name=_("Patience"))
        self.sc_decay = float_spin(0.01, 0.9999, 0.01, 4, _("Multiply the rate by this every "
                                                        "epoch."), name=_("Decay per epoch"))
        self.sc_step = int_spin(1, 100_000, _("Lower the rate every this many epochs."),
                                name=_("Every N epochs"))
        self.sc_min_lr = LogSpinBox(name=_("Minimum rate"))
        self.sc_min_lr.setToolTip(_("Never go below this rate."))
        sched_box = QGroupBox(_("Learning-rate schedule"))
        self.sched_form = QFormLayout(sched_box)
        self._form_style(self.sched_form)
        self.sched_form.addRow(_("Schedule"), self.schedule)
        self.sc_note = theme.label("", "muted", wrap=True)
        self.sched_form.addRow(self.sc_note)
        add_number_row(self.sched_form, _("Factor"), self.sc_factor)
        add_number_row(self.sched_form, _("Patience"), self.sc_patience)
        add_number_row(self.sched_form, _("Decay per epoch"), self.sc_decay)
        add_number_row(self.sched_form, _("Every N epochs"), self.sc_step)
        add_number_row(self.sched_form, _("Minimum rate"), self.sc_min_lr)

        # -- the code it makes ----------------------------------------------------------------
        self.code = QPlainTextEdit()
        self.code.setReadOnly(True)
        theme.mono_font(self.code)
        self.code.setMinimumHeight(200)
        self.code.setObjectName("compileCode")      # its look: theme.py, presentation.py

        # -- layout -----------------------------------------------------------------------------
        grid = QGridLayout()
        grid.setHorizontalSpacing(14)
        grid.setVerticalSpacing(4)
        # two columns of boxes where they fit side by side, else one (presentation mode at
        # 1024x768 cut the right column off): see _fit_columns
        self._grid, self._boxes = grid, [compile_box, fit_box, sched_box, self.es_box]
        self._arrange_boxes(2)

        body = QWidget()
        body.setObjectName("page")
        lay = QVBoxLayout(body)
        lay.setContentsMargins(theme.MARGIN, theme.MARGIN, theme.MARGIN, theme.MARGIN)
        lay.setSpacing(10)
        lay.addWidget(theme.label(_("Compile and fit"), "h1"))
        lay.addWidget(theme.label(_("Compile says how the error is measured (loss) and reduced "
                                    "(optimizer, learning rate). Fit says how long and in what "
                                    "steps the network learns."), "muted", wrap=True))
        lay.addLayout(grid)
        lay.addWidget(theme.label(_("The code these settings make"), "h2"))
        lay.addWidget(self.code)
        lay.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        scroll.setWidget(body)
        self._scroll = scroll
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)

        self._controls = [self.optimizer, self.learning_rate, self.momentum, self.weight_decay,
                          self.loss, *self.metric_checks.values(), self.epochs,
                          self.batch_size, self.class_weight, self.device, self.seed,
                          self.es_box, self.es_monitor, self.es_patience, self.es_restore,
                          self.schedule, self.sc_factor, self.sc_patience, self.sc_decay,
                          self.sc_step, self.sc_min_lr]
        for w in self._controls:
            if isinstance(w, QComboBox):       # as wide as the longest choice (it was cut)
                w.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self._connect()
        state.sig_project_changed.connect(self.refresh)
        self.refresh()

    def _arrange_boxes(self, columns: int) -> None:
        for box in self._boxes:
            self._grid.removeWidget(box)
        for i, box in enumerate(self._boxes):
            self._grid.addWidget(box, i // columns, i % columns)
        for c in range(2):
            self._grid.setColumnStretch(c, 1 if c < columns else 0)
        self._columns = columns

    def _fit_columns(self) -> None:
        """Two columns when both boxes of a row fit in the page's width, else one."""
        for w in self._controls:
            if isinstance(w, QComboBox):
                # a little over the longest choice: the form's row wrapping misjudged the
                # room by a few pixels and left "Automatic (GPU if available)" cut
                w.setMinimumWidth(0)
                w.setMinimumWidth(w.sizeHint().width() + 8)
        margins = self._grid.parentWidget().layout().contentsMargins() if \
            self._grid.parentWidget() is not None else None
        side = margins.left() + margins.right() if margins is not None else 0
        need = (side + self._grid.horizontalSpacing()
                + max(self._boxes[0].minimumSizeHint().width(),
                      self._boxes[2].minimumSizeHint().width())
                + max(self._boxes[1].minimumSizeHint().width(),
                      self._boxes[3].minimumSizeHint().width()))
        columns = 2 if need <= self._scroll.viewport().width() else 1
        if columns != self._columns:
            self._arrange_boxes(columns)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit_columns()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        QTimer.singleShot(0, self, self._fit_columns)   # the look may have changed meanwhile

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            QTimer.singleShot(0, self, self._fit_columns)

    def _glossary_tooltips(self) -> None:
        """The glossary's definitions on the fields and their labels, so the form and
        Help > Glossary explain each term the same way."""
        fields = ((self.compile_form, self.optimizer, "optimizer"),
                  (self.compile_form, self.learning_rate, "learning_rate"),
                  (self.compile_form, self.loss, "loss"),
                  (self.fit_form, self.epochs, "epoch"),
                  (self.fit_form, self.batch_size, "batch"))
        for form, widget, key in fields:
            widget.setToolTip(glossary.tooltip(key))
            label = form.labelForField(widget)
            if label is not None:
                label.setToolTip(glossary.tooltip(key))
        for key, check in self.metric_checks.items():
            text = glossary.tooltip(key)
            if text:
                check.setToolTip(text)

    @staticmethod
    def _form_style(form: QFormLayout) -> None:
        form.setHorizontalSpacing(12)
        form.setVerticalSpacing(8)
        form.setFieldGrowthPolicy(QFormLayout.AllNonFixedFieldsGrow)
        # a field too wide beside its label (a long loss name in a narrow column) goes
        # under it, instead of being cut or pushing the column past the window
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)

    def _connect(self) -> None:
        for binding in BINDINGS:
            widget = getattr(self, binding.widget)
            changed_signal(widget).connect(
                lambda *_args, b=binding: self._on_field_changed(b))
        # Ctrl+Z in a number field undoes the last change of the form (what was typed first
        # becomes that change), as it does on the canvas
        self._undo_keys = pass_undo_keys(
            [getattr(self, b.widget) for b in BINDINGS
             if isinstance(getattr(self, b.widget), QAbstractSpinBox)], self)

    # -- model -> widgets -----------------------------------------------------------------------
    def refresh(self) -> None:
        proj = self.state.project
        self.setEnabled(proj is not None)
        if proj is None:
            return
        c, t = proj.compile, proj.training
        info = self.state.task_info()
        regression = info is None or info.task == "regression"
        with blocked(*self._controls):
            if t.class_weight == "manual" and self.class_weight.findData("manual") < 0:
                self.class_weight.addItem(_("Manual (from the project file)"), "manual")
            for binding in BINDINGS:
                if binding.widget != "es_monitor":       # its choices follow the metrics
                    show_value(getattr(self, binding.widget), field_value(proj, binding.path))
            shown = set(REGRESSION_METRICS if regression else CLASSIFICATION_METRICS)
            for key, cb in self.metric_checks.items():
                cb.setChecked(key in c.metrics)
                cb.setVisible(key in shown or key in c.metrics)
            self.class_weight.setEnabled(not regression)
            self._fill_monitor(t.early_stopping.monitor, c.metrics)
        self._show_relevant()
        self.code.setPlainText(code_text(proj))

    def _fill_monitor(self, current: str, metrics: list[str]) -> None:
        options = ["val_loss"] + [f"val_{m}" for m in metrics]
        if current not in options:
            options.append(current)
        if [self.es_monitor.itemData(i) for i in range(self.es_monitor.count())] != options:
            self.es_monitor.clear()
            for key in options:
                self.es_monitor.addItem(key, key)
        select_data(self.es_monitor, current)

    def _show_relevant(self) -> None:
        opt = self.optimizer.currentData()
        show = set_number_row_visible
        show(self.compile_form, self.momentum, opt == "sgd")
        show(self.compile_form, self.weight_decay, opt == "adamw")
        kind = self.schedule.currentData()
        show(self.sched_form, self.sc_factor, kind in ("plateau", "step"))
        show(self.sched_form, self.sc_patience, kind == "plateau")
        show(self.sched_form, self.sc_decay, kind == "exponential")
        show(self.sched_form, self.sc_step, kind == "step")
        show(self.sched_form, self.sc_min_lr, kind != "none")
        self.sc_note.setText(schedule_notes().get(kind, ""))

    # -- widgets -> model -----------------------------------------------------------------------
    @reports_errors
    def _on_field_changed(self, binding: Binding) -> None:
        value = control_value(getattr(self, binding.widget))
        if self.state.project is None or value is None:
            return
        self.state.set_field(binding.path, value, _("Change {what}", what=binding.label()))

    @reports_errors
    def _on_metrics_changed(self, *_args) -> None:
        proj = self.state.project
        if proj is None:
            return
        metrics = [k for k, cb in self.metric_checks.items()
                   if cb.isChecked() and (cb.isVisibleTo(self) or k in proj.compile.metrics)]
        self.state.set_field("compile.metrics", metrics, _("Change {what}", what=_("Metrics")))

    def shutdown(self, timeout_ms: int = 10000) -> bool:
        """Nothing runs in the background here (studio.ui.common.page.StepPage)."""
        return True


def _set(spin, value) -> None:
    """Set a spin box only when the value differs (keeps the cursor while typing)."""
    if spin.value() != value:
        spin.setValue(value)
