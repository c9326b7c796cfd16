"""Messy values real CSV files have, found and cleaned the same way in the studio and in the
exported script.

- :func:`detect` looks at a read table (and what the reader saw) and returns
  :class:`MessyFinding` objects: missing-value markers (``?``, ``-``, ``n.a.``, a blank of
  spaces), numbers written with a currency sign, thousands separators or a percent sign
  (``₩1,000``, ``"1,234"``, ``12%``), categories that differ only by spaces around them
  (``"Seoul"`` / ``"Seoul "``) and ``#`` comment lines.
- Each finding says what to change in the :class:`~studio.core.data.ReadOptions`
  (:func:`apply_finding`); the reader then applies those options with :func:`clean`, so
  training, export, snapshots and prediction all see the same table.

Everything is vectorised over a column's distinct values (``value_counts``), so detection
costs about one counting pass per text column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any

import pandas as pd

from studio.core.i18n import _

#: Cells that mean "no value" in files people export (compared stripped and lower-cased).
#: pandas already reads ``NA``, ``N/A``, ``null``, ``NaN``, ``None`` and a blank as missing
#: when they are the whole cell; these are the ones it keeps as text.
MARKERS = frozenset({"?", "??", "-", "--", "---", ".", "..", "n/a", "n.a.", "n.a", "na",
                     "none", "null", "nil", "nan", "missing", "#n/a", "#na", "없음", "",
                     "—", "–"})
#: Currency signs (and the Korean 원) and the percent sign: removed before a number is read.
#: A fixed pattern, written as a literal into exported scripts.
SYMBOLS_PATTERN = r"[\s$€£¥₩₹₽¢₺₫₱₪฿%원]"
_SYMBOLS = re.compile(SYMBOLS_PATTERN)
_CURRENCY = re.compile(r"[$€£¥₩₹₽¢₺₫₱₪฿원]")
#: Thousands groups: 1,234 or 1,234,567.89 (decimal point) / 1.234,5 (decimal comma).
_THOUSANDS = {".": re.compile(r"^[-+]?\d{1,3}(,\d{3})+(\.\d+)?$"),
              ",": re.compile(r"^[-+]?\d{1,3}(\.\d{3})+(,\d+)?$")}
_MIN_SHARE = 0.9          # of a column's values that must read as numbers to offer converting
_EXAMPLES = 3

KINDS = ("missing", "currency", "percent", "thousands", "spaces", "comment")


@dataclass
class MessyFinding:
    """One thing found: ``kind`` (one of :data:`KINDS`), the column (None for the whole
    file), how many values (or lines), examples as they are in the file, a sentence for
    the user and the change of read options that cleans it (``changes``; empty when there is
    nothing the studio can do but explain)."""

    kind: str
    column: str | None
    count: int
    examples: list[str]
    message: str
    action: str = ""
    changes: dict[str, Any] = field(default_factory=dict)

    @property
    def can_apply(self) -> bool:
        return bool(self.changes)


def is_text(column: pd.Series) -> bool:
    """A column of text as the CSV reader makes it (object, or pandas' string dtype)."""
    return pd.api.types.is_string_dtype(column.dtype)


def to_number(column: pd.Series, decimal: str = ".") -> pd.Series:
    """Text like ``₩1,000``, ``"1,234.5"``, ``12%`` or ``1.234,5`` (decimal comma) as numbers
    (12% is 12); what is still not a number becomes missing. The exported script has the same
    steps (:func:`studio.core.codegen` writes them)."""
    text = column.astype(str).str.replace(SYMBOLS_PATTERN, "", regex=True)
    if decimal == ",":
        text = text.str.replace(".", "", regex=False).str.replace(",", ".", regex=False)
    else:
        text = text.str.replace(",", "", regex=False)
    return pd.to_numeric(text, errors="coerce").where(column.notna()).astype("float64")


def clean(frame: pd.DataFrame, options: Any, decimal: str = ".") -> list[str]:
    """Apply the cleaning read options (``strip_spaces``, ``na_values``, ``number_columns``)
    to ``frame`` in place; returns notes for the user. The same steps, in the same order, are
    written into exported scripts: strip spaces, markers to missing, text columns that are
    then all numbers become numbers, then the chosen number columns are converted."""
    notes: list[str] = []
    markers = list(getattr(options, "na_values", None) or [])
    strip = bool(getattr(options, "strip_spaces", False))
    if strip or markers:
        for name in frame.columns:
            s = frame[name]
            if not is_text(s):
                continue
            new = s
            if strip:
                new = new.str.strip()
                new = new.mask(new == "")
            if markers:
                new = new.mask(new.isin(markers))
            changed = (new.isna() != s.isna()) | (new.notna() & (new != s))
            if not changed.any():
                continue
            numbers = pd.to_numeric(new, errors="coerce")
            if new.notna().any() and bool((numbers.notna() == new.notna()).all()):
                new = numbers
            frame[name] = new
    wanted = list(getattr(options, "number_columns", None) or [])
    missing_cols = [c for c in wanted if c not in frame.columns]
    if missing_cols:
        notes.append(_("The read options convert columns that are not in the file: {names}.",
                       names=", ".join(missing_cols)))
    for name in wanted:
        if name not in frame.columns or not is_text(frame[name]):
            continue
        before = int(frame[name].notna().sum())
        frame[name] = to_number(frame[name], decimal)
        lost = before - int(frame[name].notna().sum())
        if lost:
            notes.append(_("Column {name}: {count} values that are not numbers became "
                           "missing.", name=name, count=lost))
    return notes


# -- detection --------------------------------------------------------------------------------

def detect(frame: pd.DataFrame, info: Any = None, options: Any = None) -> list[MessyFinding]:
    """What looks messy in ``frame`` as read with ``options`` (a ReadOptions, or None);
    ``info`` (the CsvInfo) gives the decimal mark and the comment lines the reader saw."""
    decimal = getattr(info, "decimal", ".") or "."
    findings: list[MessyFinding] = []
    comment_lines = list(getattr(info, "comment_lines", None) or [])
    if comment_lines and not getattr(options, "comment", None) \
            and not getattr(info, "comment", None):
        findings.append(_comment_finding(comment_lines, getattr(info, "hash_in_values", False)))
    have = set(getattr(options, "na_values", None) or [])
    chosen = set(getattr(options, "number_columns", None) or [])
    spaces_cols: list[tuple[str, int, list[str]]] = []
    for name in frame.columns:
        s = frame[name]
        if not is_text(s):
            continue
        counts = s.value_counts(dropna=True, sort=False)
        if not len(counts):
            continue
        keys = pd.Series(counts.index.astype(str), index=counts.index)
        stripped = keys.str.strip()
        lowered = stripped.str.lower()
        is_marker = lowered.isin(MARKERS) & ~keys.isin(have)
        rest = ~is_marker
        rest_counts = counts[rest]
        numbers_now = pd.to_numeric(stripped[rest], errors="coerce")
        share_now = float(rest_counts[numbers_now.notna().to_numpy()].sum()) / max(
            1, int(rest_counts.sum()))
        if is_marker.any():
            found = counts[is_marker]
            mostly_numbers = share_now >= _MIN_SHARE and int(rest_counts.sum()) > 0
            findings.append(MessyFinding(
                "missing", str(name), int(found.sum()), _examples(found),
                (_("Column {name}: {count} values like {example} look like missing-value "
                   "markers; the other values are numbers.", name=name, count=int(found.sum()),
                   example=_quote(_examples(found)[0])) if mostly_numbers else
                 _("Column {name}: {count} values like {example} look like missing-value "
                   "markers.", name=name, count=int(found.sum()),
                   example=_quote(_examples(found)[0]))),
                _("Treat as missing"),
                {"na_values": sorted(set(map(str, found.index)))}))
        if str(name) not in chosen and share_now < _MIN_SHARE and int(rest_counts.sum()):
            number = _number_finding(str(name), keys[rest], rest_counts, decimal)
            if number is not None:
                number.changes = {"number_columns": [str(name)]}
                findings.append(number)
        if not getattr(options, "strip_spaces", False):
            spaced = (keys != stripped) & rest
            if spaced.any():
                groups = stripped.nunique()
                merge = groups < len(keys)
                blank = bool((stripped[spaced] == "").any())
                if merge or blank or bool(spaced.mean() > 0.5):
                    spaces_cols.append((str(name), int(counts[spaced].sum()),
                                        _examples(counts[spaced])))
    if spaces_cols:
        total = sum(n for _c, n, _e in spaces_cols)
        first = spaces_cols[0]
        one = len(spaces_cols) == 1
        text = (_("Column {names}: {count} values have spaces before or after them (like "
                  "{example}), so the same category can be counted more than once.") if one
                else _("Columns {names}: {count} values have spaces before or after them "
                       "(like {example}), so the same category can be counted more than "
                       "once."))
        findings.append(MessyFinding(
            "spaces", first[0] if one else None, total, first[2],
            text.format(names=", ".join(c for c, _n, _e in spaces_cols), count=total,
                        example=_quote(first[2][0])),
            _("Remove the spaces"), {"strip_spaces": True}))
    return findings


def _number_finding(name: str, keys: pd.Series, counts: pd.Series,
                    decimal: str) -> MessyFinding | None:
    """Numbers with a currency sign, a percent sign or thousands separators, when at least
    :data:`_MIN_SHARE` of the column's values read as numbers once cleaned."""
    converted = to_number(keys, decimal)
    ok = converted.notna().to_numpy()
    total = int(counts.sum())
    if not ok.any() or float(counts[ok].sum()) / total < _MIN_SHARE:
        return None
    good = keys[ok]
    currency = good.str.contains(_CURRENCY.pattern, regex=True).to_numpy()
    percent = good.str.contains("%", regex=False).to_numpy()
    thousands = good.str.strip().str.replace(_SYMBOLS.pattern, "", regex=True) \
        .str.match(_THOUSANDS.get(decimal, _THOUSANDS["."]).pattern).fillna(False).to_numpy()
    good_counts = counts[ok]
    for kind, mask in (("currency", currency), ("percent", percent),
                       ("thousands", thousands)):
        if mask.any():
            n = int(good_counts[mask].sum())
            examples = _examples(good_counts[mask])
            text = {"currency": _("Column {name}: {count} values like {example} look like "
                                  "numbers with a currency sign."),
                    "percent": _("Column {name}: {count} values like {example} look like "
                                 "percentages (12% is read as 12)."),
                    "thousands": _("Column {name}: {count} values like {example} look like "
                                   "numbers with thousands separators.")}[kind]
            return MessyFinding(kind, name, n, examples,
                                text.format(name=name, count=n, example=_quote(examples[0])),
                                _("Convert to numbers"))
    return None


def _comment_finding(lines: list[int], hash_in_values: bool) -> MessyFinding:
    shown = ", ".join(str(n) for n in lines[:5])
    if hash_in_values:
        return MessyFinding("comment", None, len(lines), [], _(
            "{count} lines start with # and look like comments (lines {lines}), but # also "
            "appears inside values, so they cannot be skipped safely. Remove those lines in a "
            "text editor.", count=len(lines), lines=shown))
    return MessyFinding("comment", None, len(lines), [], _(
        "{count} lines start with # and look like comments (lines {lines}).",
        count=len(lines), lines=shown), _("Skip comment lines"), {"comment": "#"})


def _examples(counts: pd.Series) -> list[str]:
    top = counts.sort_values(ascending=False, kind="stable").index[:_EXAMPLES]
    return [str(v) for v in top]


def _quote(text: str) -> str:
    text = text if len(text) <= 30 else text[:29] + "…"
    return "'" + text + "'"


def apply_finding(options: Any, finding: MessyFinding) -> Any:
    """New read options with ``finding``'s change (``options`` itself is left as it is); the
    lists (markers, number columns) gain the finding's entries, keeping those already there."""
    changes = {}
    for key, value in finding.changes.items():
        if isinstance(value, list):
            value = list(dict.fromkeys([*getattr(options, key), *value]))
        changes[key] = value
    return replace(options, **changes)


def describe_options(options: Any) -> list[str]:
    """The cleaning steps ``options`` ask for, in words (for the Data step and the CLI)."""
    out = []
    if getattr(options, "comment", None):
        out.append(_("Lines starting with {char} are skipped.", char=options.comment))
    if getattr(options, "strip_spaces", False):
        out.append(_("Spaces around values are removed."))
    if getattr(options, "na_values", None):
        out.append(_("Read as missing: {values}.",
                     values=", ".join(_quote(v) for v in options.na_values)))
    if getattr(options, "number_columns", None):
        out.append(_("Converted to numbers: {names}.", names=", ".join(options.number_columns)))
    return out


__all__ = [
    "KINDS",
    "MARKERS",
    "SYMBOLS_PATTERN",
    "MessyFinding",
    "apply_finding",
    "clean",
    "describe_options",
    "detect",
    "to_number",
]
