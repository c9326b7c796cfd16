"""The Runs view: the project's training runs, compared and restored (core.runs).

A table of ``state.project.runs``; selecting two or more overlays their validation-loss
curves and shows :func:`studio.core.runs.compare` as text (what changed, what happened).
Restore and Delete change the project through :class:`~studio.ui.state.StudioState`; Replay
asks the Train step to play the selected run's curves again (it changes nothing).
"""

from __future__ import annotations

from typing import Any

import pyqtgraph as pg
from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from studio.core.i18n import _
from studio.core.runs import RunRecord, compare, describe_comparison
from studio.ui.common import theme
from studio.ui.state import StudioState

#: Okabe-Ito without black and yellow: safe for the common colour-vision deficiencies.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9")
_ROOT = QModelIndex()
TEST_METRICS = ("accuracy", "r2", "auc", "mae", "rmse", "loss")


def layers_summary(design: list[dict[str, Any]]) -> str:
    parts = []
    for layer in design:
        kind = layer.get("kind")
        if kind in ("input", "dense"):
            parts.append(str(layer.get("units")))
        elif kind == "dropout":
            parts.append(f"d{layer.get('rate')}")
    return " → ".join(parts)


def settings_summary(run: RunRecord) -> str:
    c, t = run.compile, run.training
    return (f"{c.get('optimizer', '?')} lr={c.get('learning_rate', '?')}, "
            f"batch {t.get('batch_size', '?')}")


def headline_metric(run: RunRecord) -> tuple[str, float | None]:
    for name in TEST_METRICS:
        if name in run.metrics:
            return name, run.metrics[name]
    return "", None


class RunsModel(QAbstractTableModel):
    """``state.project.runs`` as rows (newest last, as they were recorded)."""

    def __init__(self, state: StudioState, parent=None) -> None:
        super().__init__(parent)
        self.state = state
        self._runs: list[RunRecord] = []

    def headers(self) -> list[str]:
        return [_("Time"), _("Layers"), _("Settings"), _("Test metric"), _("Best val_loss"),
                _("Epochs"), _("Seconds"), _("Device")]

    def reload(self) -> None:
        self.beginResetModel()
        proj = self.state.project
        self._runs = list(proj.runs) if proj is not None else []
        self.endResetModel()

    def run(self, row: int) -> RunRecord:
        return self._runs[row]

    def rowCount(self, parent=_ROOT) -> int:
        return 0 if parent.isValid() else len(self._runs)

    def columnCount(self, parent=_ROOT) -> int:
        return 0 if parent.isValid() else len(self.headers())

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self.headers()[section]
        return str(section + 1)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        run = self._runs[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.ToolTipRole:
            return _("Run {id}", id=run.id)
        if role == Qt.ItemDataRole.TextAlignmentRole and col >= 3 and col != 7:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if col == 0:
            return run.label
        if col == 1:
            return layers_summary(run.design)
        if col == 2:
            return settings_summary(run)
        if col == 3:
            name, value = headline_metric(run)
            return f"{name} {value:.4g}" if value is not None else "–"
        if col == 4:
            best = run.best_value("val_loss")
            return f"{best:.4g}" if best is not None else "–"
        if col == 5:
            return str(run.epochs_run)
        if col == 6:
            return f"{run.seconds:.1f}"
        return run.device


class RunsView(QWidget):
    """See the module docstring. ``open_search`` opens the search dialog."""

    def __init__(self, state: StudioState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("runsView")
        self.state = state
        self.search_dialog = None
        self.model = RunsModel(state, self)
        self.table = QTableView()
        self.table.setObjectName("runsTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setDefaultSectionSize(24)
        self.table.setMinimumHeight(24 * 4 + 30)        # header and four runs at least
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)

        self.plot = pg.PlotWidget(background=theme.SURFACE)
        self.plot.setObjectName("runsPlot")
        self.plot.setMinimumHeight(160)
        item = self.plot.getPlotItem()
        item.showGrid(x=True, y=True, alpha=0.25)
        item.setLabel("bottom", _("Epoch"))
        item.setLabel("left", _("Validation loss"))
        item.getAxis("left").enableAutoSIPrefix(False)   # "(x0.001)" cut the label off
        self.legend = item.addLegend(offset=(-10, 10))
        self.curves: list[pg.PlotDataItem] = []

        self.diff_text = QPlainTextEdit()
        self.diff_text.setObjectName("runsDiff")
        self.diff_text.setReadOnly(True)
        self.diff_text.setMinimumWidth(300)
        self.diff_text.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.diff_text.setPlaceholderText(_("Select two or more runs to compare them."))

        self.restore_button = QPushButton(_("Restore"))
        self.restore_button.setToolTip(_("Make the selected run's design and settings the "
                                         "current ones."))
        self.restore_button.clicked.connect(self.restore_selected)
        self.delete_button = QPushButton(_("Delete"))
        self.delete_button.clicked.connect(self.delete_selected)
        self.replay_button = QPushButton(_("Replay"))
        self.replay_button.setObjectName("runsReplay")
        self.replay_button.setToolTip(_("Play the selected run's curves again, epoch by "
                                        "epoch, in the Train step."))
        self.replay_button.clicked.connect(self.replay_selected)
        self.search_button = QPushButton(_("Search…"))
        self.search_button.setToolTip(_("Search hyperparameters: grid, random or Bayesian."))
        self.search_button.clicked.connect(self.open_search)
        buttons = QHBoxLayout()
        buttons.addWidget(self.restore_button)
        buttons.addWidget(self.delete_button)
        buttons.addWidget(self.replay_button)
        buttons.addStretch(1)
        buttons.addWidget(self.search_button)

        bottom = QSplitter(Qt.Orientation.Horizontal)
        bottom.addWidget(self.plot)
        bottom.addWidget(self.diff_text)
        bottom.setStretchFactor(0, 1)
        bottom.setStretchFactor(1, 1)
        bottom.setSizes([560, 420])
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(bottom)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 2)
        split.setSizes([150, 260])
        lay = QVBoxLayout(self)
        lay.setContentsMargins(8, 8, 8, 8)
        lay.setSpacing(6)
        lay.addLayout(buttons)
        lay.addWidget(split, 1)

        state.sig_project_changed.connect(self.refresh)
        state.sig_result_ready.connect(self._on_result_ready)
        state.sig_project_closing.connect(self.shutdown)
        self.refresh()

    # -- public -----------------------------------------------------------------------------
    @Slot()
    def refresh(self) -> None:
        """Reload the table, keeping the selected runs selected."""
        ids = {r.id for r in self.selected_runs()}
        proj = self.state.project
        current = [r.id for r in proj.runs] if proj is not None else []
        if current == [r.id for r in self.model._runs]:
            self._update_buttons()
            return
        self.model.reload()
        sel = self.table.selectionModel()
        for row in range(self.model.rowCount()):
            if self.model.run(row).id in ids:
                sel.select(self.model.index(row, 0), sel.SelectionFlag.Select
                           | sel.SelectionFlag.Rows)
        self._on_selection_changed()

    def selected_runs(self) -> list[RunRecord]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [self.model.run(r) for r in rows if r < self.model.rowCount()]

    def select_rows(self, rows: list[int]) -> None:
        sel = self.table.selectionModel()
        sel.clearSelection()
        for row in rows:
            sel.select(self.model.index(row, 0), sel.SelectionFlag.Select
                       | sel.SelectionFlag.Rows)

    def restore_selected(self) -> bool:
        runs = self.selected_runs()
        if len(runs) != 1 or self.state.project is None:
            return False
        self.state.restore_run(runs[0])
        return True

    def delete_selected(self) -> int:
        runs = self.selected_runs()
        proj = self.state.project
        if not runs or proj is None:
            return 0
        self.table.selectionModel().clearSelection()
        return self.state.delete_runs({r.id for r in runs})

    def replay_selected(self) -> bool:
        """Replay the selected run in the Train step (the window shows that step)."""
        runs = self.selected_runs()
        if len(runs) != 1 or not runs[0].history:
            return False
        self.state.request_replay(runs[0])
        return True

    def open_search(self):
        from studio.ui.experiments.search_dialog import SearchDialog

        if self.state.project is None or self.state.dataset is None:
            self.state.report_error(_("Open a data set first."))
            return None
        if self.search_dialog is None:
            self.search_dialog = SearchDialog(self.state, self.window())
        self.search_dialog.reset_space()
        self.search_dialog.show()
        self.search_dialog.raise_()
        return self.search_dialog

    def shutdown(self) -> bool:
        if self.search_dialog is not None:
            return self.search_dialog.shutdown()
        return True

    # -- slots ----------------------------------------------------------------------------------
    @Slot(object)
    def _on_result_ready(self, _result: object) -> None:
        self.refresh()

    def _on_selection_changed(self, *_args) -> None:
        runs = self.selected_runs()
        self._draw(runs)
        if len(runs) >= 2:
            self.diff_text.setPlainText(self.comparison_text(runs))
        elif len(runs) == 1:
            self.diff_text.setPlainText(_("Run {id}: select another run to compare.",
                                          id=runs[0].id))
        else:
            self.diff_text.setPlainText("")
        self._update_buttons()

    def comparison_text(self, runs: list[RunRecord]) -> str:
        diff = compare(runs)
        lines = [_("Runs:")]
        lines += [f"  {n}. {r.id} ({r.label})" for n, r in enumerate(runs, start=1)]
        lines += ["", _("What changed (against run 1):")]
        lines += [f"  {line}" for line in describe_comparison(diff)]
        lines += ["", _("What happened:")]
        for name, values in diff["metrics"].items():
            lines.append(f"  {name}: " + " | ".join(_fmt(v) for v in values))
        return "\n".join(lines)

    def _draw(self, runs: list[RunRecord]) -> None:
        for curve in self.curves:
            self.plot.removeItem(curve)
        self.curves = []
        self.legend.clear()
        for n, run in enumerate(runs[:len(PALETTE) * 2]):
            series = run.history.get("val_loss") or []
            if not series:
                continue
            style = Qt.PenStyle.SolidLine if n < len(PALETTE) else Qt.PenStyle.DashLine
            pen = pg.mkPen(PALETTE[n % len(PALETTE)], width=2, style=style)
            curve = self.plot.plot(list(range(1, len(series) + 1)), series, pen=pen,
                                   name=f"{n + 1}. {run.id}")
            self.curves.append(curve)

    def _update_buttons(self) -> None:
        n = len(self.selected_runs())
        self.restore_button.setEnabled(n == 1)
        self.delete_button.setEnabled(n >= 1)
        runs = self.selected_runs() if n == 1 else []
        self.replay_button.setEnabled(bool(runs) and bool(runs[0].history))
        self.search_button.setEnabled(self.state.project is not None)


def _fmt(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)
