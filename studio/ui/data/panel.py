"""The Data step: how the file was read, the columns and their roles, a preview, the split.

Everything shown comes from the StudioState (``dataset`` and ``project``); every edit goes back
through it (``reread``, ``set_column``, ``touch``), so the doctor and the other steps follow.

About 500 lines in one module: the Data step's sections (reading options, messy values,
columns, preview, split) share the page's layout and its fitting to the font; the tables'
models and the chart are their own modules.
"""

from __future__ import annotations

from dataclasses import replace
from functools import partial

from PySide6.QtCore import QEvent, QItemSelectionModel, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from studio.core import messy
from studio.core.data import ReadOptions
from studio.core.i18n import _
from studio.ui.common import theme
from studio.ui.common.doctor_panel import FindingsStrip
from studio.ui.common.flow_layout import FlowLayout, group
from studio.ui.common.guard import reports_errors
from studio.ui.common.table_model import DataFrameModel
from studio.ui.common.widgets import Banner, blocked, select_data
from studio.ui.data import column_fit
from studio.ui.data.column_chart import ChartPair, ColumnChart
from studio.ui.data.column_fit import column_widths  # noqa: F401  (it lived here)
from studio.ui.data.column_model import NAME, ChoiceDelegate, ColumnModel

AUTO = ""   # combo data for "detect it"

ENCODINGS = ("utf-8", "utf-8-sig", "cp949", "euc-kr", "latin-1", "utf-16")


def separator_names() -> dict[str, str]:
    return {",": _("Comma  ,"), ";": _("Semicolon  ;"), "\t": _("Tab"), "|": _("Pipe  |"),
            " ": _("Space")}


def decimal_names() -> dict[str, str]:
    return {".": _("Point  ."), ",": _("Comma  ,")}


class DataPanel(QWidget):
    """See the module docstring. ``state`` is the window's StudioState."""

    def __init__(self, state, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("page")
        self.state = state
        self._target_key = None
        self._fitted = False
        self._fit_pending: bool | None = None     # a table fit waits for the event loop

        # -- header: what was read, and how --------------------------------------------------
        self.title = theme.label(_("Data"), "h1")
        self.source_chip = theme.label("", "chip")
        self.size_chip = theme.label("", "chip")
        self.encoding_combo = QComboBox()
        self.sep_combo = QComboBox()
        self.decimal_combo = QComboBox()
        for combo, tip in ((self.encoding_combo, _("The text encoding. Korean files from Excel "
                                                   "are often cp949 (EUC-KR).")),
                           (self.sep_combo, _("The character between values on a line.")),
                           (self.decimal_combo, _("The decimal mark in numbers: 3.14 or 3,14."))):
            combo.setToolTip(tip)
            combo.setMinimumWidth(150)
            combo.activated.connect(self._on_read_option_changed)
        self.header_check = QCheckBox(_("Header row"))
        self.header_check.setToolTip(_("The first row has the column names. Untick it when the "
                                       "file starts with data: the columns are then named "
                                       "column_1, column_2, ..."))
        self.header_check.toggled.connect(self._on_read_option_changed)
        self.warnings = Banner("warning")

        head = QHBoxLayout()
        head.setSpacing(theme.SPACING)
        head.addWidget(self.title)
        head.addSpacing(8)
        head.addWidget(self.source_chip)
        head.addWidget(self.size_chip)
        head.addStretch(1)
        # label + combo pairs that wrap as wholes when the row is too narrow (presentation
        # mode at 1024x768, long translations)
        self.read_row = QWidget()
        read = FlowLayout(self.read_row, spacing=theme.SPACING + 8)
        for text, combo in ((_("Encoding"), self.encoding_combo),
                            (_("Separator"), self.sep_combo),
                            (_("Decimal mark"), self.decimal_combo)):
            read.addWidget(group(text, combo, spacing=theme.SPACING))
        read.addWidget(self.header_check)

        # -- column table --------------------------------------------------------------------
        self.column_model = ColumnModel(state, self)
        self.column_view = QTableView()
        self.column_view.setModel(self.column_model)
        self.column_view.setItemDelegate(ChoiceDelegate(self.column_view))
        self.column_view.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.column_view.setSelectionMode(QAbstractItemView.SingleSelection)
        self.column_view.setEditTriggers(QAbstractItemView.SelectedClicked
                                         | QAbstractItemView.DoubleClicked
                                         | QAbstractItemView.EditKeyPressed)
        self.column_view.clicked.connect(self._on_column_clicked)
        self.column_view.verticalHeader().hide()
        self.column_view.verticalHeader().setDefaultSectionSize(32)
        self.column_view.setAlternatingRowColors(False)
        self.column_view.setShowGrid(False)
        self.column_view.setWordWrap(False)
        hh = self.column_view.horizontalHeader()
        hh.setHighlightSections(False)
        column_fit.fit_column_table(self.column_view)    # again when the font changes
        self.column_view.selectionModel().currentRowChanged.connect(self._on_current_column)
        self.column_view.setMinimumHeight(150)
        hh.setMinimumSectionSize(30)
        self.column_view.setColumnWidth(NAME, 120)

        # -- preview and charts ----------------------------------------------------------------
        self.table_model = DataFrameModel(parent=self)
        self.preview = QTableView()
        self.preview.setModel(self.table_model)
        self.preview.setSelectionBehavior(QAbstractItemView.SelectColumns)
        self.preview.setWordWrap(False)
        vh = self.preview.verticalHeader()
        vh.setSectionResizeMode(QHeaderView.Fixed)
        vh.setDefaultSectionSize(26)
        self.preview.horizontalHeader().setDefaultSectionSize(110)
        self.preview_title = theme.label(_("Preview"), "h2")
        preview_box = QWidget()
        pl = QVBoxLayout(preview_box)
        pl.setContentsMargins(0, 0, 0, 0)
        pl.setSpacing(4)
        pl.addWidget(self.preview_title)
        pl.addWidget(self.preview, 1)

        self.column_chart = ColumnChart(_("Column"))
        self.target_chart = ColumnChart(_("Target"))
        charts = ChartPair(self.column_chart, self.target_chart)   # side by side when low
        charts.setMinimumWidth(260)

        lower = QSplitter(Qt.Horizontal)
        lower.addWidget(preview_box)
        lower.addWidget(charts)
        lower.setStretchFactor(0, 1)
        lower.setStretchFactor(1, 1)
        lower.setChildrenCollapsible(False)
        lower.setSizes([440, 400])     # two charts side by side need the width
        self.splitter = QSplitter(Qt.Vertical)
        self.splitter.addWidget(self.column_view)
        self.splitter.addWidget(lower)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setSizes([360, 280])    # 8 columns' rows at 1280x800 (it showed 3-4)

        # -- split --------------------------------------------------------------------------
        self.train_spin, self.val_spin, self.test_spin = QSpinBox(), QSpinBox(), QSpinBox()
        for spin in (self.train_spin, self.val_spin, self.test_spin):
            spin.setRange(0, 100)
            spin.setSuffix(" %")
            spin.setMinimumWidth(80)
            spin.valueChanged.connect(self._on_split_changed)
        self.seed_spin = QSpinBox()
        self.seed_spin.setRange(0, 2_147_483_647)
        self.seed_spin.setMinimumWidth(90)
        self.seed_spin.setToolTip(_("The same seed gives the same split every time."))
        self.seed_spin.valueChanged.connect(self._on_split_changed)
        self.stratify_check = QCheckBox(_("Stratify"))
        self.stratify_check.setToolTip(_("Keep each class's share the same in every part "
                                         "(classification)."))
        self.stratify_check.toggled.connect(self._on_split_changed)
        self.split_sum = QLabel()
        split_title = theme.label(_("Split"), "h2")
        split_title.setToolTip(_("Train: the network learns from these rows. Validation: "
                                 "watched during training to catch over-fitting. Test: kept "
                                 "aside for the final evaluation."))
        self.split_row = QWidget()           # wraps like the read options when narrow
        split = FlowLayout(self.split_row, spacing=theme.SPACING + 8)
        for parts in ((split_title,), (_("Train"), self.train_spin),
                      (_("Validation"), self.val_spin),
                      (_("Test"), self.test_spin, self.split_sum),
                      (_("Seed"), self.seed_spin), (self.stratify_check,)):
            split.addWidget(group(*parts, spacing=theme.SPACING))

        lay = QVBoxLayout(self)
        lay.setContentsMargins(theme.MARGIN, theme.MARGIN, theme.MARGIN, theme.MARGIN)
        lay.setSpacing(10)
        lay.addLayout(head)
        lay.addWidget(self.read_row)
        lay.addWidget(self.warnings)
        self.messy_box = QWidget()          # messy values found, each with its conversion
        self.messy_box.setObjectName("messyValues")
        self.messy_layout = QVBoxLayout(self.messy_box)
        self.messy_layout.setContentsMargins(0, 0, 0, 0)
        self.messy_layout.setSpacing(4)
        self.messy_findings: list[messy.MessyFinding] = []
        self.messy_buttons: list[QPushButton] = []
        self.messy_undo: QPushButton | None = None
        self._clean_history: list[ReadOptions] = []    # the read options before each cleaning
        self._history_source: str | None = None
        lay.addWidget(self.messy_box)
        self.findings_strip = FindingsStrip(state)   # the doctor, while presenting
        lay.addWidget(self.findings_strip)
        lay.addWidget(self.splitter, 1)
        lay.addWidget(self.split_row)

        state.sig_dataset_changed.connect(self._on_dataset_changed)
        state.sig_project_changed.connect(self._on_project_changed)
        self._on_dataset_changed()

    # -- from the state -------------------------------------------------------------------------
    def _on_dataset_changed(self) -> None:
        ds = self.state.dataset
        self.table_model.set_frame(ds.frame if ds is not None else None)
        column_fit.fit_preview_columns(self.preview)
        self._fill_read_options()
        self._target_key = None
        if ds is None:
            self.source_chip.setText(_("No data"))
            self.size_chip.hide()
            self.warnings.show_message("")
            self._show_messy()
            self.column_chart.clear()
            self.target_chart.clear()
            return
        self.source_chip.setText(_display_source(ds.source))
        self.source_chip.setToolTip(ds.source)
        self.size_chip.show()
        self.size_chip.setText(_("{rows} rows × {cols} columns", rows=f"{ds.info.rows:,}",
                                 cols=ds.info.columns))
        notes = list(ds.info.warnings)
        self.warnings.show_message("\n".join(notes), "warning")
        self._show_messy()
        self._on_project_changed()
        self._fit_column_table()
        proj = self.state.project
        if self.column_model.rowCount() and proj is not None:
            first = proj.features[0] if proj.features else proj.target
            self.select_column(first)

    def _fit_column_table(self) -> None:
        """Give the column table the height of its rows (up to half the splitter)."""
        total = sum(self.splitter.sizes()) or self.splitter.height()
        if total <= 0:
            return
        view = self.column_view
        rows = view.verticalHeader().defaultSectionSize() * self.column_model.rowCount()
        want = rows + view.horizontalHeader().height() + 2 * view.frameWidth() + 2
        # as many rows as fit above the charts' least height (they lost their x axes)
        room = total - self.splitter.handleWidth() - self.splitter.widget(1).minimumSizeHint(
            ).height()
        eight = (8 * view.verticalHeader().defaultSectionSize() + (want - rows)
                 + view.horizontalScrollBar().sizeHint().height())
        top = max(view.minimumHeight(), min(want, room, max(total // 2, eight)))
        self.splitter.setSizes([top, total - top])

    def fit_tables(self, font_changed: bool = True) -> None:
        """Column widths, header and row heights for the current font and width (presentation
        mode's font and zoom change both); with ``font_changed`` the column table's height
        too (its rows grew)."""
        self._fit_pending = None
        column_fit.fit_column_table(self.column_view)
        if font_changed:
            column_fit.fit_preview_columns(self.preview)
            if self.isVisible():      # after the layouts have taken the new font's sizes
                QTimer.singleShot(0, self, self._fit_column_table)
            else:
                self._fitted = False          # the splitter has its sizes once shown

    def cut_headers(self) -> list[str]:
        """Headers of the column table that do not fit as drawn now (tests, snapshots)."""
        return column_fit.cut_headers(self.column_view)

    def _fit_later(self, font_changed: bool) -> None:
        pending = self._fit_pending
        self._fit_pending = bool(pending) or font_changed
        if pending is None:
            QTimer.singleShot(0, self, lambda: self.fit_tables(bool(self._fit_pending)))

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._fit_later(True)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit_later(False)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if not self._fitted:
            self._fitted = True
            QTimer.singleShot(0, self, self._fit_column_table)   # once the layout has sizes

    def _on_project_changed(self) -> None:
        proj = self.state.project
        if proj is None:
            return
        self.table_model.set_roles({c: ("target" if c == proj.target else p.role)
                                    for c, p in proj.columns.items()})
        sp = proj.split
        with blocked(self.train_spin, self.val_spin, self.test_spin, self.seed_spin,
                     self.stratify_check):
            self.train_spin.setValue(round(sp.train * 100))
            self.val_spin.setValue(round(sp.validation * 100))
            self.test_spin.setValue(round(sp.test * 100))
            self.seed_spin.setValue(int(sp.seed))
            self.stratify_check.setChecked(bool(sp.stratify))
        self._show_split_sum()
        info = self.state.task_info()
        classification = info is not None and info.task != "regression"
        self.stratify_check.setEnabled(classification)
        self._update_target_chart(info)

    def _fill_read_options(self) -> None:
        ds, proj = self.state.dataset, self.state.project
        detected = ds.info if ds is not None else None
        chosen = proj.read_options if proj is not None else ReadOptions()
        seps, decs = separator_names(), decimal_names()
        with blocked(self.encoding_combo, self.sep_combo, self.decimal_combo, self.header_check):
            self.header_check.setChecked(chosen.header)
            self.encoding_combo.clear()
            self.encoding_combo.addItem(_auto(detected.encoding if detected else None), AUTO)
            for enc in ENCODINGS:
                self.encoding_combo.addItem(enc, enc)
            if chosen.encoding and self.encoding_combo.findData(chosen.encoding) < 0:
                self.encoding_combo.addItem(chosen.encoding, chosen.encoding)
            select_data(self.encoding_combo, chosen.encoding or AUTO)

            self.sep_combo.clear()
            self.sep_combo.addItem(_auto(seps.get(detected.sep, detected.sep).split()[0]
                                         if detected else None), AUTO)
            for sep, name in seps.items():
                self.sep_combo.addItem(name, sep)
            select_data(self.sep_combo, chosen.sep or AUTO)

            self.decimal_combo.clear()
            self.decimal_combo.addItem(_auto(detected.decimal if detected else None), AUTO)
            for dec, name in decs.items():
                self.decimal_combo.addItem(name, dec)
            select_data(self.decimal_combo, chosen.decimal or AUTO)
        enabled = ds is not None
        for combo in (self.encoding_combo, self.sep_combo, self.decimal_combo, self.header_check):
            combo.setEnabled(enabled)

    def _update_target_chart(self, info) -> None:
        ds, proj = self.state.dataset, self.state.project
        if ds is None or proj is None or proj.target not in ds.frame.columns:
            self.target_chart.clear(_("No target chosen."))
            return
        key = (id(ds), proj.target, info.task if info else None)
        if key == self._target_key:
            return
        self._target_key = key
        prof = ds.profile_of(proj.target)
        classes = info is not None and info.task != "regression"
        title = (_("Class balance: {name}", name=proj.target) if classes
                 else _("Target: {name}", name=proj.target))
        self.target_chart.show_column(ds.frame[proj.target], prof, title, as_classes=classes,
                                      target=True)

    def _show_split_sum(self) -> None:
        total = self.train_spin.value() + self.val_spin.value() + self.test_spin.value()
        ok = total == 100
        colour = theme.MUTED if ok else theme.SEVERITY_COLOURS["error"]
        self.split_sum.setText(_("= {total} %", total=total))
        self.split_sum.setStyleSheet(f"color: {colour}; font-weight: {400 if ok else 600};")
        self.split_sum.setToolTip("" if ok else _("The three parts must add up to 100 %."))

    # -- user edits -----------------------------------------------------------------------------
    @reports_errors
    def _on_read_option_changed(self, *_args) -> None:
        if self.state.project is None:
            return
        # the cleaning of messy values (markers, number columns, ...) is kept
        opts = replace(self.state.project.read_options,
                       encoding=self.encoding_combo.currentData() or None,
                       sep=self.sep_combo.currentData() or None,
                       decimal=self.decimal_combo.currentData() or None,
                       header=self.header_check.isChecked())
        try:
            self.state.reread(opts)
        finally:
            self._fill_read_options()   # show what is really in use (unchanged on failure)

    def _show_messy(self) -> None:
        """One line per messy kind of value found (core.messy), with the button that
        converts it; and an undo button for the last conversion applied here."""
        while self.messy_layout.count():
            item = self.messy_layout.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        self.messy_buttons, self.messy_undo = [], None
        ds, proj = self.state.dataset, self.state.project
        if ds is None or proj is None:
            self.messy_findings = []
            self.messy_box.hide()
            return
        if ds.source != self._history_source:        # other data: an older history is moot
            self._history_source, self._clean_history = ds.source, []
        self.messy_findings = messy.detect(ds.frame, ds.info, proj.read_options)
        for finding in self.messy_findings:
            row = QHBoxLayout()
            row.setSpacing(theme.SPACING)
            label = QLabel(finding.message)
            label.setWordWrap(True)
            row.addWidget(label, 1)
            if finding.can_apply:
                button = QPushButton(finding.action)
                button.setToolTip(_("Changes how the file is read (saved in the project and "
                                    "in the exported code); the data is read again."))
                button.clicked.connect(partial(self._on_messy_apply, finding))
                row.addWidget(button)
                self.messy_buttons.append(button)
            self.messy_layout.addLayout(row)
        steps = messy.describe_options(proj.read_options)
        if steps or self._clean_history:
            row = QHBoxLayout()
            done = QLabel(" ".join(steps))
            done.setWordWrap(True)
            done.setObjectName("cleaningSteps")
            row.addWidget(done, 1)
            if self._clean_history:
                self.messy_undo = QPushButton(_("Undo cleaning"))
                self.messy_undo.setToolTip(_("Read the file as before the last conversion."))
                self.messy_undo.clicked.connect(self._on_messy_undo)
                row.addWidget(self.messy_undo)
            self.messy_layout.addLayout(row)
        self.messy_box.setVisible(bool(self.messy_findings or steps or self._clean_history))

    @reports_errors
    def _on_messy_apply(self, finding: messy.MessyFinding, *_args) -> None:
        proj = self.state.project
        if proj is None:
            return
        old = proj.read_options
        self._clean_history.append(old)
        try:
            self.state.reread(messy.apply_finding(old, finding))
        except Exception:
            self._clean_history.pop()
            raise

    @reports_errors
    def _on_messy_undo(self, *_args) -> None:
        if self.state.project is None or not self._clean_history:
            return
        previous = self._clean_history.pop()
        try:
            self.state.reread(previous)
        except Exception:
            self._clean_history.append(previous)
            raise

    @reports_errors
    def _on_split_changed(self, *_args) -> None:
        if self.state.project is None:
            return

        def change(project) -> None:
            split = project.split
            split.train = self.train_spin.value() / 100
            split.validation = self.val_spin.value() / 100
            split.test = self.test_spin.value() / 100
            split.seed = self.seed_spin.value()
            split.stratify = self.stratify_check.isChecked()

        self._show_split_sum()
        self.state.edit(_("Change the split"), change, merge_key="split")

    def _on_column_clicked(self, index) -> None:
        if index.flags() & Qt.ItemIsEditable:
            self.column_view.edit(index)

    def _on_current_column(self, current, _previous=None) -> None:
        if not current.isValid():
            return
        self.show_column(self.column_model.column_name(current.row()))

    # -- API --------------------------------------------------------------------------------
    def select_column(self, name: str | None) -> None:
        """Select a column in the column table (its chart and preview follow)."""
        row = self.column_model.row_of(name) if name else 0
        row = max(row, 0)
        idx = self.column_model.index(row, NAME)
        self.column_view.selectionModel().setCurrentIndex(
            idx, QItemSelectionModel.ClearAndSelect | QItemSelectionModel.Rows)
        self.show_column(self.column_model.column_name(row))

    def show_column(self, name: str) -> None:
        ds = self.state.dataset
        if ds is None or name not in ds.frame.columns:
            return
        prof = ds.profile_of(name)
        self.column_chart.show_column(ds.frame[name], prof, _("Column: {name}", name=name))
        col = list(map(str, ds.frame.columns)).index(name)
        # a tint from the model, not a selection: selecting a million-row column is slow
        self.table_model.set_highlight(col)
        self.preview.scrollTo(self.preview.indexAt(self.preview.viewport().rect().topLeft())
                              .siblingAtColumn(col), QAbstractItemView.EnsureVisible)

    def shutdown(self, timeout_ms: int = 10000) -> bool:
        """Nothing runs in the background here (studio.ui.common.page.StepPage)."""
        return True


def _auto(detected: str | None) -> str:
    return _("Auto ({value})", value=detected) if detected else _("Auto")


def _display_source(source: str) -> str:
    if source.startswith("sample:"):
        return _("Sample: {name}", name=source[len("sample:"):])
    return source.replace("\\", "/").rsplit("/", 1)[-1]
