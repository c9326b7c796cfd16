"""New rows through the fitted preprocessing, row by row, saying why a row cannot be used.

A network computes a number for any input, even for a row of NaN (then every class
probability is NaN and ``argmax`` says class 0). So before predicting, each cell is checked
the way training saw its column:

* a numeric column's cell must be a number: text (``"abc"``) is a problem, always;
* an empty cell, or an infinite number (``inf``, ``1e400``: training treated those as
  missing), takes the fitted fill-in value when the column had an imputer, and is a problem
  when it had none (training refused missing values there, so the model never saw one);
* a category column's unseen value is encoded as scikit-learn's fitted encoder does
  (``handle_unknown``: none of the one-hot inputs set, or -1 for ordinal codes). That is a
  legitimate prediction, but the row gets a note saying so.

Problems and notes are plain sentences, one per row (the first, and how many more).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from studio.core.i18n import _
from studio.core.prep_values import apply_scale, categorical_values, label_text

#: The longest cell text quoted in a reason.
QUOTE_CHARS = 40
_TRUE_FALSE = {"true": 1.0, "false": 0.0}


@dataclass
class RowCheck:
    """Features for each row (NaN in rows with a problem), and per row the first problem and
    the first note ("" when none), with how many there were."""

    x: np.ndarray
    problems: np.ndarray          # object array of str
    notes: np.ndarray             # object array of str

    @property
    def usable(self) -> np.ndarray:
        return self.problems == ""


class _FirstOf:
    """The first message per row among many columns, and how many each row had: holding
    every message would take columns x rows sentences."""

    def __init__(self, n: int) -> None:
        self.first = np.full(n, "", dtype=object)
        self.count = np.zeros(n, dtype=np.int64)

    def add(self, mask: np.ndarray, messages: np.ndarray | str) -> None:
        if not mask.any():
            return
        msgs = np.broadcast_to(np.asarray(messages, dtype=object), mask.shape)
        take = mask & (self.count == 0)
        self.first[take] = msgs[take]
        self.count += mask

    def sentences(self) -> np.ndarray:
        out = self.first.copy()
        for i in np.nonzero(self.count > 1)[0]:
            out[i] = _("{first} (and {n} more)", first=out[i], n=int(self.count[i] - 1))
        return out


def quote(text: Any) -> str:
    """A cell's text for a message, quoted and cut to :data:`QUOTE_CHARS` characters."""
    text = str(text)
    if len(text) > QUOTE_CHARS:
        text = text[:QUOTE_CHARS - 1] + "…"
    return repr(text)


def check_rows(steps: list[dict[str, Any]], df: pd.DataFrame, raw: pd.DataFrame | None = None,
               decimal: str = ".") -> RowCheck:
    """Transform ``df`` with the fitted ``steps``; ``raw`` (the same cells as the file's text)
    only makes messages quote what the file holds. ``decimal`` is the file's decimal mark,
    for numbers pandas left as text."""
    n = len(df)
    problems, notes = _FirstOf(n), _FirstOf(n)
    blocks = []
    for st in steps:
        column = st["column"]
        values = df[column]
        text = raw[column] if raw is not None and column in raw.columns else None
        if st["kind"] == "numeric":
            x = _numeric(st, values, text, decimal, problems)
            blocks.append(apply_scale(x, st)[:, None])
        else:
            codes = _codes(st, values, text, problems, notes)
            if st["kind"] == "onehot":
                block = np.zeros((n, len(st["categories"])))
                ok = codes >= 0
                block[np.nonzero(ok)[0], codes[ok]] = 1.0
                blocks.append(block)
            else:
                blocks.append(apply_scale(codes.astype(np.float64), st)[:, None])
    x = np.hstack(blocks).astype(np.float32) if blocks else np.zeros((n, 0), np.float32)
    bad = problems.count > 0
    if bad.any():
        x[bad] = np.nan
    return RowCheck(x=x, problems=problems.sentences(), notes=notes.sentences())


def _shown(values: pd.Series, text: pd.Series | None) -> pd.Series:
    """What a message quotes for each cell: the file's text when known."""
    return text if text is not None else values.astype(object)


def _numeric(st: dict[str, Any], values: pd.Series, text: pd.Series | None, decimal: str,
             problems: _FirstOf) -> np.ndarray:
    column = st["column"]
    x, not_number = _as_numbers(values, decimal)
    infinite = np.isinf(x)
    if text is not None:       # a reader turned inf / 1e400 into missing: the file says which
        gone = np.isnan(x) & ~not_number
        if gone.any():
            parsed = pd.to_numeric(text[gone].str.strip(), errors="coerce").to_numpy(float)
            infinite[np.nonzero(gone)[0][np.isinf(parsed)]] = True
    empty = np.isnan(x) & ~not_number & ~infinite
    shown = _shown(values, text)
    if not_number.any():
        problems.add(not_number, np.array(
            [_("'{column}' is not a number: {value}", column=column, value=quote(v))
             if m else "" for v, m in zip(shown, not_number)], dtype=object))
    fill = st.get("impute")
    if fill is not None:
        x = np.where(empty | infinite, float(fill), x)
    else:
        problems.add(empty, _("'{column}' is empty and the model has no fill-in value for "
                              "it", column=column))
        if infinite.any():
            problems.add(infinite, np.array(
                [_("'{column}' is infinite ({value}) and the model has no fill-in value for "
                   "it", column=column, value=quote(v)) if m else ""
                 for v, m in zip(shown, infinite)], dtype=object))
    return np.where(not_number, np.nan, x)


def _as_numbers(values: pd.Series, decimal: str) -> tuple[np.ndarray, np.ndarray]:
    """(the cells as float64 with NaN for missing, which cells hold something not a number).
    True/false count as 1/0 as in training (a yes/no column is a number column there)."""
    if pd.api.types.is_bool_dtype(values.dtype) or pd.api.types.is_numeric_dtype(values.dtype):
        return values.to_numpy(dtype=np.float64, na_value=np.nan), np.zeros(len(values), bool)
    obj = values.astype(object)
    present = obj.notna().to_numpy()
    x = np.full(len(values), np.nan)
    for i in np.nonzero(present)[0]:
        x[i] = _one_number(obj.iat[i], decimal)
    blank = np.array([isinstance(v, str) and not v.strip() for v in obj], dtype=bool)
    not_number = present & np.isnan(x) & ~blank
    return x, not_number


def _one_number(v: Any, decimal: str) -> float:
    """One cell as a float, NaN when it is not a number (``float()`` alone would accept
    ``"1_000"`` and ``"nan"``)."""
    if isinstance(v, (bool, np.bool_)):
        return float(v)
    if isinstance(v, (int, float, np.integer, np.floating)):
        return float(v)
    t = str(v).strip()
    if t.lower() in _TRUE_FALSE:
        return _TRUE_FALSE[t.lower()]
    if decimal != "." and decimal in t and "." not in t:
        t = t.replace(decimal, ".")
    if "_" in t or t.lower() in ("nan", "+nan", "-nan"):
        return np.nan
    try:
        return float(t)
    except ValueError:
        return np.nan


def _codes(st: dict[str, Any], values: pd.Series, text: pd.Series | None,
           problems: _FirstOf, notes: _FirstOf) -> np.ndarray:
    """Each cell's index in the fitted categories; -1 for a value the model never saw."""
    column = st["column"]
    v = categorical_values(values)
    empty = (v.isna() | v.map(lambda t: isinstance(t, str) and not t.strip())).to_numpy(bool)
    fill = st.get("impute")
    if fill is not None:
        v = v.where(~empty, label_text(fill))
    else:
        problems.add(empty, _("'{column}' is empty and the model has no fill-in value for it",
                              column=column))
    lookup = {label_text(c): i for i, c in enumerate(st["categories"])}
    codes = v.map(lambda t: lookup.get(t, -1) if isinstance(t, str) else -1)
    codes = codes.to_numpy(dtype=np.int64)
    unseen = (codes < 0) & ~(empty & (fill is None))
    if unseen.any():
        shown = _shown(values, text)
        notes.add(unseen, np.array(
            [_("'{column}' has a value the model never saw: {value} (it counts as none of the "
               "known ones)", column=column, value=quote(t)) if m else ""
             for t, m in zip(shown, unseen)], dtype=object))
    return codes
