"""The column table of the Data step: one row per CSV column, its role and preprocessing.

:class:`ColumnModel` reads the profile (``dataset.profiles``), the choices
(``project.columns``) and the doctor's findings from a StudioState; edits go back through
``state.set_column``. :class:`ChoiceDelegate` paints editable cells as combo boxes without
creating a widget per row, and opens a real combo box only for the cell being edited.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QPointF,
    QRectF,
    Qt,
    QTimer,
)
from PySide6.QtGui import QBrush, QColor, QPainter, QPen
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from studio.core.data import ColumnProfile
from studio.core.i18n import _
from studio.ui.common import theme
from studio.ui.common.guard import reports_errors

_Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()

NAME, ROLE, KIND, MISSING, UNIQUE, IMPUTE, SCALE, ENCODE, DOCTOR = range(9)
EDITABLE = {ROLE: "role", IMPUTE: "impute", SCALE: "scale", ENCODE: "encode"}
CHOICE_ROLE = Qt.UserRole + 1       # list[(key, label)] for a combo cell


def role_labels() -> dict[str, str]:
    return {"feature": _("Feature"), "target": _("Target"), "ignore": _("Ignore")}


def impute_labels() -> dict[str, str]:
    return {"none": _("No"), "mean": _("Mean"), "median": _("Median"),
            "most_frequent": _("Most frequent"), "constant": _("Constant"),
            "drop": _("Drop rows")}


def scale_labels() -> dict[str, str]:
    return {"standard": _("Standardise"), "minmax": _("Normalise"), "none": _("None")}


def encode_labels() -> dict[str, str]:
    return {"none": _("Numbers"), "onehot": _("One-hot"), "ordinal": _("Label")}


def kind_labels() -> dict[str, str]:
    return {"numeric": _("Numbers"), "categorical": _("Categories"), "boolean": _("Yes / no"),
            "text": _("Text"), "id": _("ID"), "constant": _("Constant")}


class ColumnModel(QAbstractTableModel):
    """Rows are the dataset's columns; see the module docstring."""

    def __init__(self, state, parent=None) -> None:
        super().__init__(parent)
        self.state = state
        self._names: list[str] = []
        self._findings: dict[str, list] = {}
        self._muted = QBrush(QColor(theme.MUTED))
        self._target_bg = QBrush(QColor(theme.TARGET_TINT))
        self._missing_fg = QBrush(QColor(theme.SEVERITY_COLOURS["warning"]))
        self._headers = [_("Column"), _("Role"), _("Type"), _("Missing"), _("Unique"),
                         _("Impute"), _("Scale"), _("Encode"), ""]
        self._header_tips = [
            _("The column's name in the CSV file."),
            _("Feature: an input to the network. Target: what to predict. Ignore: left out."),
            _("What the values look like."),
            _("Rows with no value in this column."),
            _("Number of different values."),
            _("How to fill missing values (결측치 처리), learnt from the training rows only."),
            _("Scaling (스케일링): standardise to mean 0 and variance 1, or normalise to the range "
              "0 to 1 (min-max). Networks learn badly from unscaled numbers."),
            _("How categories become numbers: one-hot (one input per category) or a label "
              "number."),
            _("What the doctor says about this column."),
        ]
        state.sig_dataset_changed.connect(self.reset)
        state.sig_project_changed.connect(self.refresh)
        state.sig_findings_changed.connect(self._on_findings_changed)
        self.reset()

    # -- sync with the state ------------------------------------------------------------------
    def reset(self) -> None:
        self.beginResetModel()
        ds = self.state.dataset
        self._names = [p.name for p in ds.profiles] if ds is not None else []
        self._index_findings(self.state.findings)
        self.endResetModel()

    def refresh(self) -> None:
        ds = self.state.dataset
        names = [p.name for p in ds.profiles] if ds is not None else []
        if names != self._names:
            self.reset()
        elif names:
            self.dataChanged.emit(self.index(0, 0), self.index(len(names) - 1, DOCTOR))

    def _on_findings_changed(self, findings: list) -> None:
        self._index_findings(findings)
        if self._names:
            self.dataChanged.emit(self.index(0, DOCTOR), self.index(len(self._names) - 1, DOCTOR))

    def _index_findings(self, findings: list) -> None:
        self._findings = {}
        for f in findings or []:
            if getattr(f, "column", None):
                self._findings.setdefault(f.column, []).append(f)

    def column_name(self, row: int) -> str:
        return self._names[row]

    def row_of(self, name: str) -> int:
        return self._names.index(name) if name in self._names else -1

    def findings_for(self, name: str) -> list:
        return list(self._findings.get(name, []))

    # -- helpers --------------------------------------------------------------------------------
    def _profile(self, name: str) -> ColumnProfile | None:
        try:
            return self.state.dataset.profile_of(name)
        except (AttributeError, KeyError):
            return None

    def _prep(self, name: str):
        proj = self.state.project
        return proj.columns.get(name) if proj is not None else None

    def _is_target(self, name: str) -> bool:
        proj = self.state.project
        return proj is not None and proj.target == name

    def _applies(self, name: str, col: int) -> bool:
        """Whether a preprocessing cell means anything for this column."""
        if self._is_target(name):
            return col not in (IMPUTE, SCALE, ENCODE)
        prep, prof = self._prep(name), self._profile(name)
        if prep is None or prof is None:
            return False
        if col == SCALE:
            return not (prep.encode == "onehot" or (not prof.is_numeric and prep.encode == "none"))
        return True

    def choices(self, index: _Index) -> list[tuple[str, str]]:
        name = self._names[index.row()]
        col = index.column()
        prof, prep = self._profile(name), self._prep(name)
        numeric = prof is not None and prof.is_numeric and prof.minimum is not None
        if col == ROLE:
            return list(role_labels().items())
        if col == IMPUTE:
            keys = ["none", "mean", "median", "most_frequent", "constant", "drop"] if numeric \
                else ["none", "most_frequent", "constant", "drop"]
            if prep is not None and prep.impute not in keys:
                keys.append(prep.impute)
            labels = impute_labels()
            return [(k, labels[k]) for k in keys]
        if col == SCALE:
            return list(scale_labels().items())
        if col == ENCODE:
            keys = ["none", "onehot", "ordinal"] if numeric else ["onehot", "ordinal"]
            if prep is not None and prep.encode not in keys:
                keys.insert(0, prep.encode)
            labels = encode_labels()
            return [(k, labels[k]) for k in keys]
        return []

    # -- QAbstractTableModel --------------------------------------------------------------------
    def rowCount(self, parent: _Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._names)

    def columnCount(self, parent: _Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._headers)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.DisplayRole) -> Any:
        if orientation != Qt.Horizontal or not 0 <= section < len(self._headers):
            return None
        if role == Qt.DisplayRole:
            return self._headers[section]
        if role == Qt.ToolTipRole:
            return self._header_tips[section]
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.NoItemFlags
        f = Qt.ItemIsEnabled | Qt.ItemIsSelectable
        name = self._names[index.row()]
        col = index.column()
        if (col in EDITABLE and self._applies(name, col)
                and not (col == ROLE and self._is_target(name))):
            f |= Qt.ItemIsEditable
        return f

    def data(self, index: _Index, role: int = Qt.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._names):
            return None
        name, col = self._names[index.row()], index.column()
        prof, prep = self._profile(name), self._prep(name)
        if prof is None or prep is None:
            return name if (col == NAME and role == Qt.DisplayRole) else None
        ignored = prep.role == "ignore" and not self._is_target(name)
        if role == Qt.DisplayRole:
            return self._display(name, col, prof, prep)
        if role == Qt.EditRole:
            return getattr(prep, EDITABLE[col]) if col in EDITABLE else self._display(
                name, col, prof, prep)
        if role == CHOICE_ROLE:
            return self.choices(index) if col in EDITABLE else None
        if role == Qt.ToolTipRole:
            return self._tooltip(name, col, prof, prep)
        if role == Qt.DecorationRole and col == DOCTOR:
            worst = theme.worst_severity(f.severity for f in self._findings.get(name, []))
            return theme.severity_icon(worst) if worst else None
        if role == Qt.TextAlignmentRole and col in (MISSING, UNIQUE):
            return int(Qt.AlignRight | Qt.AlignVCenter)
        if role == Qt.TextAlignmentRole and col == DOCTOR:
            return int(Qt.AlignCenter)
        if role == Qt.BackgroundRole and self._is_target(name):
            return self._target_bg
        if role == Qt.ForegroundRole:
            if ignored or (col in EDITABLE and not self._applies(name, col)):
                return self._muted
            if col == MISSING and prof.missing:
                return self._missing_fg
        if role == Qt.FontRole and col == NAME and self._is_target(name):
            font = QApplication.font()
            font.setBold(True)
            return font
        return None

    def _display(self, name: str, col: int, prof: ColumnProfile, prep) -> str | None:
        if col == NAME:
            return name
        if col == ROLE:
            return role_labels()["target" if self._is_target(name) else prep.role]
        if col == KIND:
            return kind_labels().get(prof.kind, prof.kind)
        if col == MISSING:
            return f"{prof.missing:,}"
        if col == UNIQUE:
            return f"{prof.unique:,}"
        if col in (IMPUTE, SCALE, ENCODE) and not self._applies(name, col):
            return "—"
        if col == IMPUTE:
            return impute_labels().get(prep.impute, prep.impute)
        if col == SCALE:
            return scale_labels().get(prep.scale, prep.scale)
        if col == ENCODE:
            return encode_labels().get(prep.encode, prep.encode)
        return None

    def _tooltip(self, name: str, col: int, prof: ColumnProfile, prep) -> str | None:
        if col in (DOCTOR, NAME):
            found = self._findings.get(name, [])
            lines = [f"<b>{_esc(name)}</b>: {_esc(prof.reason)}" if prof.reason
                     else f"<b>{_esc(name)}</b>"]
            for f in found:
                lines.append(f"<br><b>{_esc(f.title)}</b><br>{_esc(f.fix)}")
            return "".join(lines) if (found or col == NAME) else None
        if col == ROLE and self._is_target(name):
            return _("This is the target. To predict another column, set that column's role "
                     "to Target.")
        if col == KIND:
            return prof.reason or None
        if col == MISSING and len(self.state.dataset.frame):
            share = 100.0 * prof.missing / len(self.state.dataset.frame)
            return _("{n} missing ({share:.1f}% of the rows)", n=prof.missing, share=share)
        if col == SCALE and not self._applies(name, col):
            return _("One-hot columns are already 0 or 1; they are not scaled.")
        return self._header_tips[col]

    @reports_errors
    def setData(self, index: _Index, value: Any, role: int = Qt.EditRole) -> bool:
        if role != Qt.EditRole or index.column() not in EDITABLE:
            return False
        name, fld = self._names[index.row()], EDITABLE[index.column()]
        prep = self._prep(name)
        if prep is None or getattr(prep, fld) == value:
            return False
        self.state.set_column(name, fld, value)
        return True


def _esc(text: str) -> str:
    return (str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"))


class ChoiceDelegate(QStyledItemDelegate):
    """Paints choice cells like combo boxes and edits them with a real one."""

    PADDING = 34    # margins + text inset + the chevron: width a cell needs beyond its text

    def paint(self, painter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        if not (index.flags() & Qt.ItemIsEditable) or index.data(CHOICE_ROLE) is None:
            super().paint(painter, option, index)
            return
        # the cell's background (selection, target tint), then a flat combo-like box on top
        self.initStyleOption(option, index)
        text = option.text
        option.text = ""
        widget = option.widget
        style = widget.style() if widget is not None else QApplication.style()
        style.drawControl(QStyle.CE_ItemViewItem, option, painter, widget)
        box = QRectF(option.rect.adjusted(3, 4, -3, -4))
        painter.save()
        painter.setRenderHint(QPainter.Antialiasing)
        painter.setPen(QPen(QColor(theme.BORDER), 1))
        painter.setBrush(QColor(theme.SURFACE))
        painter.drawRoundedRect(box.adjusted(0.5, 0.5, -0.5, -0.5), 4, 4)
        painter.setPen(QColor(theme.TEXT))
        text_rect = box.adjusted(7, 0, -19, 0)
        elided = option.fontMetrics.elidedText(text, Qt.ElideRight, int(text_rect.width()))
        painter.drawText(text_rect, int(Qt.AlignVCenter | Qt.AlignLeft), elided)
        cx, cy = box.right() - 10, box.center().y()
        painter.setPen(QPen(QColor(theme.MUTED), 1.4))
        painter.drawPolyline([QPointF(cx - 3.5, cy - 1.5), QPointF(cx, cy + 2),
                              QPointF(cx + 3.5, cy - 1.5)])
        painter.restore()

    def createEditor(self, parent: QWidget, option, index: QModelIndex) -> QWidget:
        editor = QComboBox(parent)
        for key, text in index.data(CHOICE_ROLE) or []:
            editor.addItem(text, key)
        editor.activated.connect(self._on_activated)
        QTimer.singleShot(0, editor, editor.showPopup)
        return editor

    def _on_activated(self, _row: int) -> None:
        editor = self.sender()
        self.commitData.emit(editor)
        self.closeEditor.emit(editor, QStyledItemDelegate.NoHint)

    def setEditorData(self, editor: QWidget, index: QModelIndex) -> None:
        i = editor.findData(index.data(Qt.EditRole))
        editor.setCurrentIndex(max(i, 0))

    def setModelData(self, editor: QWidget, model, index: QModelIndex) -> None:
        model.setData(index, editor.currentData(), Qt.EditRole)

    def updateEditorGeometry(self, editor: QWidget, option, index: QModelIndex) -> None:
        editor.setGeometry(option.rect.adjusted(1, 1, -1, -1))
