"""The Predict view: predictions of the last trained model for a CSV or one typed row.

Uses ``state.result`` (model and fitted preprocessing). Predicting is disabled while a model
trains (a model is not thread-safe): call :meth:`set_training` from the train controller.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from studio.core.errors import StudioError
from studio.core.i18n import _
from studio.core.predict import (
    PREDICTION_COLUMN,
    REASON_COLUMN,
    check_output_path,
    combine,
    predict_frame,
    read_rows,
)
from studio.ui.state import StudioState

MAX_ROWS_SHOWN = 500


class PredictPanel(QWidget):
    def __init__(self, state: StudioState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.training = False
        self.predictions: pd.DataFrame | None = None
        self._source: str | None = None      # the CSV the predictions came from
        self.inputs: dict[str, QWidget] = {}
        lay = QVBoxLayout(self)
        self.status = QLabel()
        self.status.setWordWrap(True)
        lay.addWidget(self.status)
        self.form_box = QGroupBox(_("One row"))
        self.form = QFormLayout(self.form_box)
        lay.addWidget(self.form_box)
        row = QHBoxLayout()
        self.predict_row_button = QPushButton(_("Predict this row"))
        self.load_csv_button = QPushButton(_("Predict a CSV…"))
        self.save_button = QPushButton(_("Save predictions as CSV…"))
        for b in (self.predict_row_button, self.load_csv_button, self.save_button):
            row.addWidget(b)
        row.addStretch(1)
        lay.addLayout(row)
        self.result_label = QLabel()
        self.result_label.setObjectName("predictionLabel")
        lay.addWidget(self.result_label)
        self.table = QTableWidget()
        lay.addWidget(self.table, 1)
        self.predict_row_button.clicked.connect(self.predict_row)
        self.load_csv_button.clicked.connect(self._on_load_csv)
        self.save_button.clicked.connect(self._on_save)
        state.sig_result_ready.connect(self._on_result)
        state.sig_project_closing.connect(self._on_closing)
        self._rebuild()

    # -- state --------------------------------------------------------------------------------
    @property
    def fitted(self):
        r = self.state.result
        return r.prepared.fitted if r is not None else None

    def set_training(self, running: bool) -> None:
        self.training = bool(running)
        self._update_enabled()

    def _on_result(self, _result) -> None:
        self._rebuild()

    def _on_closing(self) -> None:
        self.predictions = None
        self.table.clear()
        self.table.setRowCount(0)
        self.result_label.clear()

    def _update_enabled(self) -> None:
        ok = self.state.result is not None and not self.training
        self.predict_row_button.setEnabled(ok)
        self.load_csv_button.setEnabled(ok)
        self.save_button.setEnabled(ok and self.predictions is not None)
        if self.state.result is None:
            self.status.setText(_("Train a model first: predictions use the last trained "
                                  "model."))
        elif self.training:
            self.status.setText(_("A model is training: predictions wait until it finishes."))
        else:
            self.status.setText(_("Type one row or load a CSV with the same columns."))

    def _rebuild(self) -> None:
        while self.form.rowCount():
            self.form.removeRow(0)
        self.inputs = {}
        fitted = self.fitted
        if fitted is not None:
            for st in fitted.steps:
                col = st["column"]
                if st["kind"] == "numeric":
                    w = QLineEdit()
                    default = st.get("mean", st.get("impute"))
                    if default is not None:
                        w.setPlaceholderText(f"{float(default):.4g}")
                else:
                    w = QComboBox()
                    w.addItems([str(c) for c in st.get("categories", [])])
                self.inputs[col] = w
                self.form.addRow(col, w)
        self._update_enabled()

    # -- predicting ---------------------------------------------------------------------------
    def row_frame(self) -> pd.DataFrame:
        """The form's row; empty numbers become missing (imputed like training, if set)."""
        values = {}
        for col, w in self.inputs.items():
            if isinstance(w, QComboBox):
                values[col] = w.currentText()
            else:
                text = (w.text() or w.placeholderText()).strip().replace(",", ".")
                try:
                    values[col] = float(text) if text else np.nan
                except ValueError:
                    raise StudioError(_("{name}: {text} is not a number.", name=col,
                                        text=repr(w.text()))) from None
        return pd.DataFrame([values])

    def _predict(self, df: pd.DataFrame, raw: pd.DataFrame | None = None,
                 decimal: str = ".") -> pd.DataFrame | None:
        if self.state.result is None or self.training:
            return None
        try:
            return predict_frame(self.state.result.model, self.fitted, df, raw, decimal)
        except StudioError as exc:
            self.state.report_error(str(exc))
            return None

    def predict_row(self) -> pd.DataFrame | None:
        try:
            df = self.row_frame()
        except StudioError as exc:
            self.state.report_error(str(exc))
            return None
        pred = self._predict(df)
        if pred is not None:
            self.result_label.setText(_row_result(pred))
            self._source = None
            self._show(combine(df, pred).table)
        return pred

    def predict_csv(self, source: str) -> pd.DataFrame | None:
        """Predict every row of a CSV; rows that cannot be computed show their reason, and
        the label counts them. The file's columns are shown (and saved) as their text."""
        try:   # cleaned as the training data was (the model's preprocessing keeps how)
            ds, raw = read_rows(source, None, getattr(self.fitted, "cleaning", None))
        except StudioError as exc:
            self.state.report_error(str(exc))
            return None
        pred = self._predict(ds.frame, raw, ds.info.decimal)
        if pred is not None:
            result = combine(raw if raw is not None else ds.frame, pred)
            lines = [_("{k} of {n} rows predicted.", k=result.predicted, n=result.rows)]
            self.result_label.setText(" ".join(lines + result.summary()))
            self._source = source
            self._show(result.table, result.reason_column)
        return pred

    def _show(self, table: pd.DataFrame, reason_column: str = REASON_COLUMN) -> None:
        self.predictions = table
        shown = table.head(MAX_ROWS_SHOWN)
        self.table.clear()
        self.table.setColumnCount(len(shown.columns))
        self.table.setRowCount(len(shown))
        self.table.setHorizontalHeaderLabels([str(c) for c in shown.columns])
        for i, row in enumerate(shown.itertuples(index=False)):
            for j, v in enumerate(row):
                self.table.setItem(i, j, QTableWidgetItem(_fmt(v)))
        if reason_column in table.columns:       # hidden while no row has a reason
            j = list(shown.columns).index(reason_column)
            self.table.setColumnHidden(j, not table[reason_column].astype(bool).any())
        self._update_enabled()

    def save_predictions(self, path: str) -> bool:
        from pathlib import Path

        from studio.core.project import atomic_write_text

        if self.predictions is None:
            return False
        try:
            source = self._source
            data = Path(source) if source and not source.startswith("sample:") else None
            check_output_path(path, data)
        except StudioError as exc:
            self.state.report_error(str(exc))
            return False
        try:
            atomic_write_text(Path(path), self.predictions.to_csv(index=False))
        except OSError as exc:
            self.state.report_error(_("Cannot write {path}: {detail}", path=path,
                                        detail=exc.strerror or exc))
            return False
        return True

    def _on_load_csv(self) -> None:
        path, _f = QFileDialog.getOpenFileName(self, _("Predict a CSV"), "",
                                               _("CSV files (*.csv *.txt);;All files (*)"))
        if path:
            self.predict_csv(path)

    def _on_save(self) -> None:
        path, _f = QFileDialog.getSaveFileName(self, _("Save predictions"), "predictions.csv",
                                               _("CSV files (*.csv)"))
        if path:
            self.save_predictions(path)


def _row_result(pred: pd.DataFrame) -> str:
    """The one-row result: the prediction with its probabilities, or why there is none."""
    reason = str(pred[REASON_COLUMN].iloc[0]) if REASON_COLUMN in pred.columns else ""
    if pd.isna(pred[PREDICTION_COLUMN].iloc[0]):
        return _("No prediction: {reason}", reason=reason)
    text = _("Prediction: {value}", value=_fmt(pred[PREDICTION_COLUMN].iloc[0]))
    probs = [f"{c[2:-1]} {pred[c].iloc[0]:.1%}" for c in pred.columns if c.startswith("P(")]
    if probs:
        text += "   (" + ", ".join(probs) + ")"
    return text + (f"   {reason}" if reason else "")


def _fmt(v) -> str:
    if v is None or (isinstance(v, (float, np.floating)) and np.isnan(v)):
        return ""
    if isinstance(v, (float, np.floating)):
        return f"{float(v):.4g}"
    return str(v)
