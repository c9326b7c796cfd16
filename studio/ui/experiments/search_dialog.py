"""The hyperparameter search dialog (core.experiments.search) and the class-balance comparison
(core.experiments.recall), both run in the background by :mod:`studio.ui.experiments.search_worker`.

Trials are scored on the validation split only; the core cuts the test split away before any
trial sees the data.

About 500 lines in one module: the dialog's parameter table, its live results (table and
scatter) and the recall comparison share one result state; the jobs are in search_worker.py.
"""

from __future__ import annotations

from typing import Any

import pyqtgraph as pg
from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from studio.core.experiments.search import metric_for
from studio.core.experiments.space import (
    PARAMS,
    Range,
    SearchError,
    default_space,
    parse_param,
)
from studio.core.i18n import _, ngettext
from studio.ui.common import theme
from studio.ui.experiments.search_worker import ExperimentController, recall_job, search_job
from studio.ui.state import StudioState

#: Values offered for parameters that default_space leaves out (unchecked at first).
EXTRA_VALUES = {"activation": "relu, tanh", "l2": "0.0001:0.01", "batch_size": "16, 32, 64",
                "optimizer": "adam, sgd, rmsprop"}


def param_titles() -> dict[str, str]:
    return {"units": _("Units per hidden layer"), "layers": _("Hidden layers"),
            "activation": _("Activation"), "dropout": _("Dropout rate"), "l2": _("L2 penalty"),
            "lr": _("Learning rate"), "batch_size": _("Batch size"),
            "optimizer": _("Optimizer")}


def value_text(value: Any) -> str:
    if isinstance(value, Range):
        return f"{value.low:g}:{value.high:g}"
    return ", ".join(f"{v:g}" if isinstance(v, float) else str(v) for v in value)


class NumberItem(QTableWidgetItem):
    """A cell that sorts by its number."""

    def __init__(self, value: float | None, text: str | None = None) -> None:
        super().__init__(text if text is not None else ("–" if value is None else f"{value:.4g}"))
        self.value = float("inf") if value is None else float(value)
        self.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

    def __lt__(self, other) -> bool:
        if isinstance(other, NumberItem):
            return self.value < other.value
        return super().__lt__(other)


class SearchDialog(QDialog):
    """See the module docstring."""

    def __init__(self, state: StudioState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("searchDialog")
        self.setWindowTitle(_("Hyperparameter search"))
        self.state = state
        self.result = None
        self.recall = None
        self.rows: list[dict[str, Any]] = []
        self._job = ""
        self._planned = 0
        self._mode = "min"
        self.controller = ExperimentController(self)
        self.controller.sig_trial.connect(self._on_trial)
        self.controller.sig_epoch.connect(self._on_epoch)
        self.controller.sig_finished.connect(self._on_finished)
        self.controller.sig_failed.connect(self._on_failed)
        self.controller.sig_running_changed.connect(self._on_running_changed)
        self.tabs = QTabWidget()
        self.tabs.addTab(self._build_search(), _("Search"))
        self.tabs.addTab(self._build_balance(), _("Class balance"))
        lay = QVBoxLayout(self)
        lay.addWidget(self.tabs)
        self.resize(1080, 820)
        state.sig_project_closing.connect(self.shutdown)
        self.reset_space()
        self._on_running_changed(False)

    # -- layout ---------------------------------------------------------------------------------
    def _build_search(self) -> QWidget:
        self.strategy_combo = QComboBox()
        for key, text in (("grid", _("Grid")), ("random", _("Random")),
                          ("bayes", _("Bayesian (Optuna)"))):
            self.strategy_combo.addItem(text, key)
        self.trials_spin = QSpinBox()
        self.trials_spin.setRange(1, 500)
        self.trials_spin.setValue(10)
        self.seconds_spin = QSpinBox()
        self.seconds_spin.setRange(0, 24 * 3600)
        self.seconds_spin.setSingleStep(30)
        self.seconds_spin.setSpecialValueText(_("no limit"))
        self.seconds_spin.setSuffix(_(" s"))
        self.epochs_spin = QSpinBox()
        self.epochs_spin.setRange(1, 10000)
        self.metric_combo = QComboBox()
        form = QFormLayout()
        form.addRow(_("Strategy"), self.strategy_combo)
        form.addRow(_("Trials"), self.trials_spin)
        form.addRow(_("Time budget"), self.seconds_spin)
        form.addRow(_("Epochs per trial"), self.epochs_spin)
        form.addRow(_("Validation metric"), self.metric_combo)
        note = theme.label(_("Each trial stops early on val_loss. The test split is never used "
                             "to choose."), "muted", wrap=True)
        form.addRow(note)

        self.space_table = QTableWidget(len(PARAMS), 2)
        self.space_table.setObjectName("searchSpace")
        self.space_table.setHorizontalHeaderLabels([_("Parameter"), _("Values")])
        # the syntax under the table, where it wraps: as the header it was cut when presenting
        self.space_hint = theme.label(_("Values (a, b, …) or range low:high"), "muted",
                                      wrap=True)
        self.space_table.verticalHeader().hide()
        self.space_table.verticalHeader().setDefaultSectionSize(26)
        self.space_table.setMinimumHeight(26 * len(PARAMS) + 34)    # every parameter shows
        self.space_table.horizontalHeader().setSectionResizeMode(
            0, QHeaderView.ResizeMode.ResizeToContents)
        self.space_table.horizontalHeader().setStretchLastSection(True)
        for row, (key, title) in enumerate(param_titles().items()):
            item = QTableWidgetItem(title)
            item.setData(Qt.ItemDataRole.UserRole, key)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
            self.space_table.setItem(row, 0, item)
            self.space_table.setItem(row, 1, QTableWidgetItem(""))
        top = QHBoxLayout()
        settings = QGroupBox(_("Budget"))
        settings.setLayout(form)
        top.addWidget(settings, 2)
        space = QGroupBox(_("What to search (tick to use)"))
        sl = QVBoxLayout(space)
        sl.addWidget(self.space_table)
        sl.addWidget(self.space_hint)
        top.addWidget(space, 3)

        self.run_button = QPushButton(_("Run"))
        self.run_button.setDefault(True)
        self.run_button.clicked.connect(self.start_search)
        self.stop_button = QPushButton(_("Stop"))
        self.stop_button.clicked.connect(self.stop)
        self.apply_button = QPushButton(_("Apply best"))
        self.apply_button.setToolTip(_("Set the best trial's parameters on the design."))
        self.apply_button.clicked.connect(self.apply_best)
        self.progress = QProgressBar()
        self.progress.setTextVisible(True)
        self.progress.setFormat(_("Not started"))
        self.status_label = QLabel(" ")
        self.status_label.setObjectName("searchStatus")
        self.status_label.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.run_button)
        buttons.addWidget(self.stop_button)
        buttons.addWidget(self.progress, 1)
        buttons.addWidget(self.apply_button)

        self.results_table = QTableWidget(0, 0)
        self.results_table.setObjectName("searchResults")
        self.results_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.results_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.results_table.verticalHeader().hide()
        self.results_table.setSortingEnabled(True)
        self.x_combo = QComboBox()
        self.x_combo.currentIndexChanged.connect(self._draw_scatter)
        self.scatter_plot = pg.PlotWidget(background=theme.SURFACE)
        self.scatter_plot.setObjectName("searchScatter")
        self.scatter_plot.showGrid(x=True, y=True, alpha=0.25)
        self.scatter = pg.ScatterPlotItem(size=9, pen=pg.mkPen("#0072B2"),
                                          brush=pg.mkBrush(0, 114, 178, 150))
        self.best_point = pg.ScatterPlotItem(size=14, symbol="star", pen=pg.mkPen("#D55E00"),
                                             brush=pg.mkBrush("#D55E00"))
        self.scatter_plot.addItem(self.scatter)
        self.scatter_plot.addItem(self.best_point)
        plot_box = QWidget()
        pl = QVBoxLayout(plot_box)
        pl.setContentsMargins(0, 0, 0, 0)
        xrow = QHBoxLayout()
        xrow.addWidget(QLabel(_("Metric against")))
        xrow.addWidget(self.x_combo, 1)
        pl.addLayout(xrow)
        pl.addWidget(self.scatter_plot, 1)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.results_table)
        split.addWidget(plot_box)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setSizes([620, 400])
        self.results_table.setMinimumHeight(150)

        page = QWidget()
        lay = QVBoxLayout(page)
        lay.addLayout(top)
        lay.addLayout(buttons)
        lay.addWidget(self.status_label)
        lay.addWidget(split, 1)
        return page

    def _build_balance(self) -> QWidget:
        self.balance_table = QTableWidget(0, 2)
        self.balance_table.setObjectName("classBalance")
        self.balance_table.setHorizontalHeaderLabels([_("Class"), _("Rows")])
        self.method_combo = QComboBox()
        for key, text in (("over", _("Random over-sampling")),
                          ("under", _("Random under-sampling")), ("smote", _("SMOTE"))):
            self.method_combo.addItem(text, key)
        self.recall_button = QPushButton(_("Compare recall"))
        self.recall_button.setToolTip(_("Train without and with the resampling and compare "
                                        "each class's recall on the test split."))
        self.recall_button.clicked.connect(self.start_recall)
        self.recall_table = QTableWidget(0, 3)
        self.recall_table.setObjectName("recallTable")
        self.recall_table.setHorizontalHeaderLabels([_("Class"), _("Recall before"),
                                                     _("Recall after")])
        for t in (self.balance_table, self.recall_table):
            t.verticalHeader().hide()
            t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
            t.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        row = QHBoxLayout()
        row.addWidget(QLabel(_("Resampling (training rows only)")))
        row.addWidget(self.method_combo)
        row.addWidget(self.recall_button)
        row.addStretch(1)
        page = QWidget()
        lay = QVBoxLayout(page)
        lay.addWidget(theme.label(_("Rows per class in the whole data set"), "h2"))
        lay.addWidget(self.balance_table, 1)
        lay.addLayout(row)
        lay.addWidget(self.recall_table, 1)
        return page

    # -- public ---------------------------------------------------------------------------------
    def reset_space(self) -> None:
        """Fill the parameter table from core.experiments.space.default_space and the project."""
        proj = self.state.project
        if proj is None or self.controller.is_running:
            return
        space = default_space(proj)
        for row in range(self.space_table.rowCount()):
            key = self.space_table.item(row, 0).data(Qt.ItemDataRole.UserRole)
            used = key in space
            text = value_text(space[key]) if used else EXTRA_VALUES.get(key, "")
            self.space_table.item(row, 0).setCheckState(
                Qt.CheckState.Checked if used else Qt.CheckState.Unchecked)
            self.space_table.item(row, 1).setText(text)
        self.epochs_spin.setValue(proj.training.epochs)
        self.metric_combo.clear()
        for m in ["loss", *proj.compile.metrics]:
            self.metric_combo.addItem("val_" + m, m)
        self._show_balance()

    def set_param(self, key: str, text: str | None) -> None:
        """Use ``key`` with ``text`` (None: leave it out) — for tests and scripts."""
        for row in range(self.space_table.rowCount()):
            if self.space_table.item(row, 0).data(Qt.ItemDataRole.UserRole) == key:
                self.space_table.item(row, 0).setCheckState(
                    Qt.CheckState.Unchecked if text is None else Qt.CheckState.Checked)
                if text is not None:
                    self.space_table.item(row, 1).setText(text)

    def space(self) -> dict[str, Any]:
        """The ticked parameters, parsed by core.experiments.space.parse_param. Raises
        SearchError."""
        out = {}
        for row in range(self.space_table.rowCount()):
            item = self.space_table.item(row, 0)
            if item.checkState() != Qt.CheckState.Checked:
                continue
            key = item.data(Qt.ItemDataRole.UserRole)
            name, values = parse_param(f"{key}={self.space_table.item(row, 1).text()}")
            out[name] = values
        if not out:
            raise SearchError(_("Tick at least one parameter to search."))
        return out

    def start_search(self) -> bool:
        if self.controller.is_running or self.state.project is None:
            return False
        try:
            space = self.space()
        except SearchError as exc:
            self.status_label.setText(str(exc))
            return False
        self.result, self.rows, self._job = None, [], "search"
        _metric, self._mode = metric_for(self.state.project, self.metric_combo.currentData())
        self._planned = self.trials_spin.value()
        self.results_table.setRowCount(0)
        self._setup_results(list(space))
        self.progress.setRange(0, self._planned)
        self.progress.setValue(0)
        self.progress.setFormat(_("Trial 1/{n}", n=self._planned))
        self.status_label.setText(_("Searching…"))
        seconds = self.seconds_spin.value() or None
        self.controller.start(search_job(
            self.state.project, self.state.dataset, space=space,
            strategy=self.strategy_combo.currentData(), trials=self._planned, seconds=seconds,
            metric=self.metric_combo.currentData(), epochs=self.epochs_spin.value()))
        return True

    def start_recall(self) -> bool:
        if self.controller.is_running or self.state.project is None:
            return False
        self.recall, self._job = None, "recall"
        self.recall_table.setRowCount(0)
        self.status_label.setText(_("Training without and with resampling…"))
        self.progress.setRange(0, 0)
        self.controller.start(recall_job(self.state.project, self.state.dataset,
                                         self.method_combo.currentData(),
                                         self.epochs_spin.value()))
        return True

    def stop(self) -> None:
        if self.controller.is_running:
            self.controller.stop()
            self.status_label.setText(_("Stopping after the current trial's batches…"))

    def apply_best(self) -> dict[str, Any] | None:
        if self.result is None or self.state.project is None:
            return None
        try:
            params = self.state.apply_search_result(self.result)
        except SearchError as exc:
            self.status_label.setText(str(exc))
            return None
        self.status_label.setText(_("Applied: {params}", params=_params_text(params)))
        return params

    def shutdown(self, timeout_ms: int = 30000) -> bool:
        return self.controller.shutdown(timeout_ms)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.shutdown()
        super().closeEvent(event)

    def reject(self) -> None:
        self.shutdown()
        super().reject()

    # -- slots ----------------------------------------------------------------------------------
    @Slot(dict)
    def _on_trial(self, row: dict) -> None:
        self.rows.append(row)
        self._add_result_row(row)
        self.progress.setValue(min(len(self.rows), self._planned))
        self.progress.setFormat(_("Trial {k}/{n}", k=min(len(self.rows) + 1, self._planned),
                                  n=self._planned))
        ok = [r for r in self.rows if r["status"] == "ok" and r["score"] is not None]
        if ok:
            best = (min if self._mode == "min" else max)(ok, key=lambda r: r["score"])
            self.status_label.setText(_("Best so far: {metric} {score:.4g} (trial {k}: "
                                        "{params})", metric=self.metric_combo.currentText(),
                                        score=best["score"], k=best["trial"],
                                        params=_params_text(best["params"])))
        self._draw_scatter()

    @Slot(int, int, dict)
    def _on_epoch(self, trial: int, epoch: int, logs: dict) -> None:
        loss = logs.get("val_loss")
        extra = f" · val_loss {loss:.4g}" if loss is not None else ""
        self.progress.setFormat(_("Trial {k}/{n}, epoch {epoch}", k=trial, n=self._planned,
                                  epoch=epoch) + extra)

    @Slot(object)
    def _on_finished(self, result: Any) -> None:
        if self._job == "recall":
            self.recall = result
            self._show_recall(result)
            self.status_label.setText(_("Recall compared."))
            return
        self.result = result
        best = result.best
        reasons = {"completed": _("all trials done"), "trials": _("trial budget used"),
                   "seconds": _("time budget used"), "stopped": _("stopped")}
        text = ngettext("Search finished ({reason}) after {n} trial in {s:.0f} s.",
                        "Search finished ({reason}) after {n} trials in {s:.0f} s.",
                        len(result.trials),
                        reason=reasons.get(result.stopped_reason, result.stopped_reason),
                        s=result.seconds)
        if best is not None:
            text += " " + _("Best: {metric} {score:.4g} with {params}.", metric=result.metric,
                            score=best["score"], params=_params_text(best["params"]))
        self.status_label.setText(text)
        self.progress.setFormat(_("{k}/{n} trials", k=len(result.trials), n=self._planned))
        self.results_table.sortItems(self._score_column(), Qt.SortOrder.AscendingOrder
                                     if result.mode == "min" else Qt.SortOrder.DescendingOrder)
        self._draw_scatter()

    @Slot(str)
    def _on_failed(self, message: str) -> None:
        self.status_label.setText(_("Failed: {message}", message=message))

    @Slot(bool)
    def _on_running_changed(self, running: bool) -> None:
        self.run_button.setEnabled(not running)
        self.recall_button.setEnabled(not running)
        self.stop_button.setEnabled(running)
        self.space_table.setEnabled(not running)
        self.apply_button.setEnabled(not running and self.result is not None
                                     and self.result.best is not None)
        if not running and self.progress.maximum() == 0:
            self.progress.setRange(0, 1)

    # -- helpers --------------------------------------------------------------------------------
    def _setup_results(self, params: list[str]) -> None:
        self._params = params
        titles = param_titles()
        headers = [_("Trial"), self.metric_combo.currentText(), *[titles[p] for p in params],
                   _("Epochs"), _("Seconds"), _("Status")]
        self.results_table.setSortingEnabled(False)
        self.results_table.setColumnCount(len(headers))
        self.results_table.setHorizontalHeaderLabels(headers)
        self.results_table.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents)
        self.results_table.horizontalHeader().setStretchLastSection(True)
        self.results_table.setSortingEnabled(True)
        self.x_combo.blockSignals(True)
        self.x_combo.clear()
        for p in params:
            self.x_combo.addItem(titles[p], p)
        self.x_combo.blockSignals(False)

    def _score_column(self) -> int:
        return 1

    def _add_result_row(self, row: dict) -> None:
        t = self.results_table
        t.setSortingEnabled(False)
        r = t.rowCount()
        t.insertRow(r)
        t.setItem(r, 0, NumberItem(row["trial"], str(row["trial"])))
        t.setItem(r, 1, NumberItem(row["score"]))
        for c, p in enumerate(self._params, start=2):
            v = row["params"].get(p)
            t.setItem(r, c, NumberItem(v, f"{v:g}") if isinstance(v, (int, float))
                      else QTableWidgetItem(str(v)))
        c = 2 + len(self._params)
        t.setItem(r, c, NumberItem(row["epochs_run"], str(row["epochs_run"])))
        t.setItem(r, c + 1, NumberItem(row["seconds"], f"{row['seconds']:.1f}"))
        status = {"ok": _("done"), "failed": _("failed"), "stopped": _("stopped")}
        t.setItem(r, c + 2, QTableWidgetItem(status.get(row["status"], row["status"])))
        t.setSortingEnabled(True)

    def _draw_scatter(self, *_args) -> None:
        key = self.x_combo.currentData()
        ok = [r for r in self.rows if r["status"] == "ok" and r["score"] is not None]
        item = self.scatter_plot.getPlotItem()
        item.setLabel("left", self.metric_combo.currentText())
        item.setLabel("bottom", self.x_combo.currentText())
        if key is None or not ok:
            self.scatter.setData([], [])
            self.best_point.setData([], [])
            return
        values = [r["params"].get(key) for r in ok]
        numeric = all(isinstance(v, (int, float)) for v in values)
        cats = sorted({str(v) for v in values})
        xs = [float(v) if numeric else cats.index(str(v)) for v in values]
        ys = [r["score"] for r in ok]
        axis = item.getAxis("bottom")
        axis.setTicks(None if numeric else [list(enumerate(cats))])
        self.scatter.setData(xs, ys)
        best = self.result.best if self.result is not None else None
        if best is not None and best in ok:
            i = ok.index(best)
            self.best_point.setData([xs[i]], [ys[i]])
        else:
            self.best_point.setData([], [])

    def _show_balance(self) -> None:
        self.balance_table.setRowCount(0)
        ds, proj = self.state.dataset, self.state.project
        if ds is None or proj is None or proj.target not in ds.frame.columns:
            return
        counts = ds.frame[proj.target].value_counts().sort_index()
        if len(counts) > 50:
            return
        for label, n in counts.items():
            r = self.balance_table.rowCount()
            self.balance_table.insertRow(r)
            self.balance_table.setItem(r, 0, QTableWidgetItem(str(label)))
            self.balance_table.setItem(r, 1, NumberItem(n, str(int(n))))

    def _show_recall(self, result: dict) -> None:
        before, after = result.get("before", {}), result.get("after", {})
        self.recall_table.setRowCount(0)
        for cls in sorted(set(before) | set(after)):
            r = self.recall_table.rowCount()
            self.recall_table.insertRow(r)
            self.recall_table.setItem(r, 0, QTableWidgetItem(str(cls)))
            self.recall_table.setItem(r, 1, NumberItem(before.get(cls)))
            self.recall_table.setItem(r, 2, NumberItem(after.get(cls)))


def _params_text(params: dict[str, Any]) -> str:
    return ", ".join(f"{k}={v:g}" if isinstance(v, float) else f"{k}={v}"
                     for k, v in params.items())
