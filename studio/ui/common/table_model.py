"""A read-only Qt table model over a pandas DataFrame, for previews of any size.

Nothing is copied or formatted up front: ``data()`` formats only the cells the view paints,
reading from a per-column NumPy array fetched on first use. Creating the model for a million
rows is therefore instant, and scrolling costs only the visible cells.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from studio.core.i18n import _
from studio.ui.common import theme

_Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()


class DataFrameModel(QAbstractTableModel):
    """Shows a DataFrame; the target column is tinted and ignored columns are greyed."""

    def __init__(self, frame: pd.DataFrame | None = None, parent=None) -> None:
        super().__init__(parent)
        self._frame = frame if frame is not None else pd.DataFrame()
        self._arrays: dict[int, np.ndarray] = {}
        self._numeric: dict[int, bool] = {}
        self._roles: dict[str, str] = {}
        self._names = [str(c) for c in self._frame.columns]
        self._target_brush = QBrush(QColor(theme.TARGET_TINT))
        self._muted_brush = QBrush(QColor(theme.MUTED))
        self._missing_brush = QBrush(QColor("#b0b6bf"))
        self._highlight_brush = QBrush(QColor(theme.ACCENT_SOFT))
        self._highlight = -1

    # -- content ------------------------------------------------------------------------------
    def set_frame(self, frame: pd.DataFrame | None) -> None:
        self.beginResetModel()
        self._frame = frame if frame is not None else pd.DataFrame()
        self._names = [str(c) for c in self._frame.columns]
        self._highlight = -1
        self._arrays.clear()
        self._numeric.clear()
        self.endResetModel()

    def set_highlight(self, col: int) -> None:
        """Tint one column (the one chosen in the column table); -1 for none."""
        if col != self._highlight:
            old, self._highlight = self._highlight, col
            last = self.rowCount() - 1
            for c in (old, col):
                if 0 <= c < self.columnCount() and last >= 0:
                    self.dataChanged.emit(self.index(0, c), self.index(last, c),
                                          [Qt.BackgroundRole])

    def highlighted(self) -> int:
        return self._highlight

    def frame(self) -> pd.DataFrame:
        return self._frame

    def set_roles(self, roles: dict[str, str]) -> None:
        """Column name -> feature | target | ignore (for colouring only)."""
        if roles != self._roles:
            self._roles = dict(roles)
            if self.columnCount():
                self.dataChanged.emit(self.index(0, 0),
                                      self.index(self.rowCount() - 1, self.columnCount() - 1))
                self.headerDataChanged.emit(Qt.Horizontal, 0, self.columnCount() - 1)

    def _column(self, col: int) -> np.ndarray:
        arr = self._arrays.get(col)
        if arr is None:
            series = self._frame.iloc[:, col]
            self._numeric[col] = (pd.api.types.is_numeric_dtype(series.dtype)
                                  and not pd.api.types.is_bool_dtype(series.dtype))
            arr = series.to_numpy(dtype=object, na_value=None) \
                if not self._numeric[col] else series.to_numpy()
            self._arrays[col] = arr
        return arr

    # -- QAbstractTableModel ------------------------------------------------------------------
    def rowCount(self, parent: _Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._frame)

    def columnCount(self, parent: _Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._names)

    def data(self, index: _Index, role: int = Qt.DisplayRole) -> Any:
        if not index.isValid():
            return None
        col = index.column()
        if role in (Qt.DisplayRole, Qt.ToolTipRole):
            value = self._column(col)[index.row()]
            return cut_text(format_value(value),
                            MAX_CELL_CHARS if role == Qt.DisplayRole else MAX_TIP_CHARS)
        if role == Qt.TextAlignmentRole:
            self._column(col)
            if self._numeric.get(col):
                return int(Qt.AlignRight | Qt.AlignVCenter)
            return int(Qt.AlignLeft | Qt.AlignVCenter)
        if role == Qt.BackgroundRole:
            if col == self._highlight:
                return self._highlight_brush
            if self._roles.get(self._names[col]) == "target":
                return self._target_brush
            return None
        if role == Qt.ForegroundRole:
            if _is_missing(self._column(col)[index.row()]):
                return self._missing_brush
            if self._roles.get(self._names[col]) == "ignore":
                return self._muted_brush
            return None
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.DisplayRole) -> Any:
        if orientation == Qt.Horizontal:
            if not 0 <= section < len(self._names):
                return None
            name = self._names[section]
            if role == Qt.DisplayRole:
                return cut_text(name, MAX_CELL_CHARS)
            if role == Qt.ToolTipRole:
                r = self._roles.get(name)
                return {"target": _("{name}: the target (what to predict)", name=name),
                        "ignore": _("{name}: ignored", name=name)}.get(r, name)
            if role == Qt.ForegroundRole and self._roles.get(name) == "ignore":
                return self._muted_brush
            return None
        if role == Qt.DisplayRole:
            return str(section + 1)
        if role == Qt.TextAlignmentRole:
            return int(Qt.AlignRight | Qt.AlignVCenter)
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.NoItemFlags
        return Qt.ItemIsEnabled | Qt.ItemIsSelectable


#: A cell shows at most this many characters (and its tooltip a few more): laying out one
#: field of millions of characters would freeze the window for seconds at every repaint.
MAX_CELL_CHARS = 300
MAX_TIP_CHARS = 2000


def cut_text(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _is_missing(value: Any) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, (float, np.floating)) and math.isnan(value)


def format_value(value: Any) -> str:
    """A cell as text: up to 6 significant digits, missing values as an empty marker."""
    if _is_missing(value):
        return "·"
    if isinstance(value, (bool, np.bool_)):
        return str(bool(value))
    if isinstance(value, (float, np.floating)):
        f = float(value)
        if f.is_integer() and abs(f) < 1e15:
            return str(int(f))
        return f"{f:.6g}"
    return str(value)
