"""Reading CSV files as people really have them, and profiling their columns.

Contract (used by prep, doctor, project, CLI and GUI):

- :func:`load` reads ``"sample:NAME"`` or a path into a :class:`Dataset` (frame + what was
  detected + column profiles).
- :func:`read_csv` detects encoding (UTF-8, UTF-8 with BOM, cp949/EUC-KR, latin-1), separator
  (comma, semicolon, tab, pipe) and decimal comma, honouring any override in
  :class:`ReadOptions`. Unreadable input raises :class:`~studio.core.errors.DataError`.
- :func:`profile` describes each column (:class:`ColumnProfile`).
- :func:`infer_task` says regression / binary / multiclass for a target column.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import math
import os
import re
import warnings
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from studio import resources
from studio.core.errors import DataError
from studio.core.i18n import _

COLUMN_KINDS = ("numeric", "categorical", "boolean", "text", "id", "constant")
ROLES = ("feature", "target", "ignore")


@dataclass
class ReadOptions:
    """How to read a CSV. ``None`` means: detect it."""

    encoding: str | None = None
    sep: str | None = None
    decimal: str | None = None
    header: bool = True

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any] | None) -> ReadOptions:
        d = d or {}
        return cls(encoding=d.get("encoding"), sep=d.get("sep"), decimal=d.get("decimal"),
                   header=bool(d.get("header", True)))


@dataclass
class CsvInfo:
    """What was detected (or used, when overridden) while reading."""

    encoding: str
    sep: str
    decimal: str
    rows: int
    columns: int
    warnings: list[str] = field(default_factory=list)
    header: bool = True              # whether the first row held the column names
    skipped_rows: int = 0            # rows dropped for having the wrong number of fields

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def as_options(self) -> ReadOptions:
        """The options that read the file the same way without detecting again."""
        return ReadOptions(encoding=self.encoding, sep=self.sep, decimal=self.decimal,
                           header=self.header)


@dataclass
class ColumnProfile:
    name: str
    kind: str                       # one of COLUMN_KINDS
    dtype: str                      # pandas dtype as text
    count: int                      # non-missing values
    missing: int
    unique: int                     # distinct non-missing values
    minimum: float | None = None    # numeric / boolean only
    maximum: float | None = None
    mean: float | None = None
    std: float | None = None
    top_values: list[tuple[str, int]] = field(default_factory=list)  # up to 10, most frequent
    suggested_role: str = "feature"  # one of ROLES ("target" = a target candidate)
    reason: str = ""                 # why that role / kind, in plain language

    @property
    def is_numeric(self) -> bool:
        return self.kind in ("numeric", "boolean")

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["top_values"] = [list(t) for t in self.top_values]
        return d


@dataclass
class TaskInfo:
    """The task a target implies. ``classes`` are the sorted distinct labels (classification)."""

    task: str                        # regression | binary | multiclass
    classes: list[Any] = field(default_factory=list)
    reason: str = ""


@dataclass
class SampleInfo:
    name: str
    title: str
    task: str
    target: str
    rows: int
    columns: int
    description: str

    @property
    def source(self) -> str:
        """What :func:`load` takes to read this sample."""
        return SAMPLE_PREFIX + self.name


@dataclass
class Dataset:
    """A loaded table with what was detected and the profile of each column."""

    frame: pd.DataFrame
    info: CsvInfo
    source: str
    profiles: list[ColumnProfile]

    def profile_of(self, column: str) -> ColumnProfile:
        for p in self.profiles:
            if p.name == column:
                return p
        raise KeyError(column)


# ---------------------------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------------------------

SAMPLE_PREFIX = "sample:"
#: Encodings tried in this order (a UTF-16 or UTF-8 byte order mark decides before any try).
ENCODINGS = ("utf-8-sig", "utf-8", "cp949", "latin-1")
#: The separators detection chooses from, in order of preference on a tie.
SEPARATORS = (",", ";", "\t", "|")
SEPARATOR_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe", " ": "space"}

_WHOLE_FILE_LIMIT = 50 * 1024 * 1024   # decode all of a file this small to detect its encoding
_LARGE_PREFIX = 8 * 1024 * 1024        # otherwise this much of its start
_SNIFF_BYTES = 64 * 1024               # bytes used to detect the separator and decimal mark
_SNIFF_RECORDS = 500

_BOMS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))
_DECIMAL_COMMA = re.compile(r"^\s*[-+]?\d*,\d+(?:[eE][-+]?\d+)?\s*$")
_DECIMAL_POINT = re.compile(r"^\s*[-+]?\d*\.\d+(?:[eE][-+]?\d+)?\s*$")
_NOT_CONTROL = bytes(b for b in range(256) if b >= 32 or b in (9, 10, 12, 13, 26))
_SEP_ALIASES = {"tab": "\t", "\\t": "\t", "comma": ",", "semicolon": ";", "pipe": "|",
                "space": " "}


def read_csv(source: str | os.PathLike | bytes,
             options: ReadOptions | None = None) -> tuple[pd.DataFrame, CsvInfo]:
    """Read a CSV from a path, raw bytes or ``"sample:NAME"``.

    Encoding, separator and decimal mark are detected from a sample of the file unless
    ``options`` sets them; pandas' C parser then reads the whole file in one call, so detection
    adds little to the cost of ``pandas.read_csv`` itself. Problems the user can fix raise
    :class:`DataError`; questionable results (one column, skipped rows, repeated names) are
    reported in :attr:`CsvInfo.warnings`.
    """
    options = options or ReadOptions()
    name, path, data = _open_source(source)
    if data is None:
        head, truncated = _read_head(path)
        if not truncated:                      # small enough: parse the bytes already read
            data, path = head, None
    else:
        head, truncated = data, False
    if not head or head.isspace():      # (no strip(): it would copy the whole head)
        raise DataError(_("The file {name} is empty.", name=name))

    sep = _normalise_sep(options.sep)
    if options.decimal is not None and sep is not None and options.decimal == sep:
        raise DataError(_("The separator and the decimal mark cannot be the same character."))

    if options.encoding:
        candidates = [_check_encoding(options.encoding)]
    else:
        candidates = _encoding_candidates(head, name, truncated)

    sniff_cut = truncated or len(head) > _SNIFF_BYTES
    for i, encoding in enumerate(candidates):
        text = _decode_prefix(head[:_SNIFF_BYTES], encoding, final=not sniff_cut)
        if text is None:
            continue
        try:
            frame, info = _read_with(name, path, data, text, sniff_cut, encoding, sep, options)
        except UnicodeError:                   # a later part of the file is in another encoding
            continue
        if i > 0 and not options.encoding:
            info.warnings.insert(0, _("Parts of the file are not valid {first}; it was read as "
                                      "{used}.", first=candidates[0], used=encoding))
        return frame, info
    if options.encoding:
        raise DataError(_("The file {name} is not in the {encoding} encoding. Choose another "
                          "encoding or leave it on automatic.", name=name,
                          encoding=options.encoding))
    raise DataError(_("The file {name} does not look like a text CSV file.", name=name))


def _open_source(source: str | os.PathLike | bytes) -> tuple[str, Path | None, bytes | None]:
    """(name for messages, path or None, bytes or None)."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        return _("in memory"), None, bytes(source)
    text = os.fspath(source)
    if isinstance(text, bytes):
        text = os.fsdecode(text)
    if text.startswith(SAMPLE_PREFIX):
        sample = text[len(SAMPLE_PREFIX):].strip()
        names = sample_names()
        if sample not in names:
            raise DataError(_("There is no sample named {name}. Available samples: {names}.",
                              name=repr(sample), names=", ".join(names)))
        return sample + ".csv", None, resources.read_bytes(f"datasets/{sample}.csv")
    path = Path(text).expanduser()
    if not path.exists():
        raise DataError(_("File not found: {path}", path=str(path)))
    if not path.is_file():
        raise DataError(_("{path} is a folder, not a CSV file.", path=str(path)))
    return path.name, path, None


def _read_head(path: Path) -> tuple[bytes, bool]:
    """All of a file up to :data:`_WHOLE_FILE_LIMIT`, else its start; and whether cut."""
    size = _file_size(path)
    limit = _WHOLE_FILE_LIMIT if size <= _WHOLE_FILE_LIMIT else _LARGE_PREFIX
    try:
        with open(path, "rb") as fh:
            head = fh.read(limit)
            return head, bool(fh.read(1))
    except OSError as exc:
        raise DataError(_("The file {name} could not be opened: {reason}", name=path.name,
                          reason=exc.strerror or str(exc))) from None


def _file_size(path: Path | None) -> int:
    try:
        return path.stat().st_size if path is not None else 0
    except OSError:
        return 0


def _normalise_sep(sep: str | None) -> str | None:
    if sep is None or sep == "":
        return None
    return _SEP_ALIASES.get(sep.lower(), sep) if len(sep) > 1 else sep


def _check_encoding(encoding: str) -> str:
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise DataError(_("Unknown encoding: {encoding}.", encoding=encoding)) from None
    return encoding


def _encoding_candidates(head: bytes, name: str, truncated: bool) -> list[str]:
    """Encodings to try, best first: a byte order mark decides; otherwise the ones that decode
    ``head`` strictly (UTF-8, then cp949 if the result is Korean), then latin-1, which always
    does. The later ones are fallbacks when a large file's start misleads."""
    for bom, encoding in _BOMS:
        if head.startswith(bom):
            return [encoding]
    if head[:4] == b"PK\x03\x04" or head[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise DataError(_("The file {name} looks like an Excel workbook, not a CSV file. In "
                          "Excel choose File > Save As > CSV, then open that file.", name=name))
    probe = head[:_SNIFF_BYTES]
    if b"\x00" in probe or len(probe.translate(None, _NOT_CONTROL)) > len(probe) // 100:
        raise DataError(_("The file {name} does not look like a text CSV file (it contains "
                          "binary data).", name=name))
    if head.isascii():
        return ["utf-8", "cp949", "latin-1"]
    order = []
    if _decode_prefix(head, "utf-8", final=not truncated) is not None:
        order.append("utf-8")
    text = _decode_prefix(head, "cp949", final=not truncated)
    if text is not None and _plausibly_korean(text):
        order.append("cp949")
    return order + ["latin-1"]


def _decode_prefix(head: bytes, encoding: str, final: bool = True) -> str | None:
    """``head`` decoded strictly (a character cut at the end is fine unless ``final``)."""
    try:
        decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
        text = decoder.decode(head, final=final)
    except UnicodeError:  # also UTF-16 without a byte-order mark
        return None
    return text.removeprefix("\ufeff")


def _plausibly_korean(text: str) -> bool:
    """cp949 decodes many Western byte pairs too; real Korean text is mostly Hangul."""
    non_ascii = [c for c in text[:200_000] if ord(c) > 127]
    if not non_ascii:
        return True
    hangul = sum(1 for c in non_ascii if "\uac00" <= c <= "\ud7a3" or "\u3130" <= c <= "\u318f")
    return hangul >= 0.5 * len(non_ascii)


def _sample_records(text: str, sep: str, truncated: bool) -> list[list[str]]:
    """The first records of ``text`` split on ``sep`` with CSV quoting; blank lines skipped.
    When ``text`` is only the start of the file its last record may be cut, so it is dropped."""
    sample = text[:_SNIFF_BYTES]
    cut = truncated or len(text) > len(sample)
    records: list[list[str]] = []
    reader = csv.reader(io.StringIO(sample), delimiter=sep, quotechar='"', doublequote=True)
    try:
        for record in reader:
            if record and any(field.strip() for field in record):
                records.append(record)
            if len(records) > _SNIFF_RECORDS:
                cut = True
                break
    except csv.Error:
        cut = True
    if cut and len(records) > 1:
        records.pop()                          # possibly incomplete
    return records


def _field_counts(records: list[list[str]]) -> tuple[int, int, float]:
    """(header fields, most common data row width, share of data rows with that width)."""
    header = len(records[0])
    data = [len(r) for r in records[1:]] or [header]
    mode, n = Counter(data).most_common(1)[0]
    return header, mode, n / len(data)


def detect_separator(text: str, truncated: bool = False) -> str:
    """The separator among :data:`SEPARATORS` that splits ``text`` into consistent rows.

    Each candidate is scored by the width of its rows (with CSV quoting, so quoted commas and
    line breaks do not count): a header as wide as the data rows with more than one column, then
    a header as wide as the rows (a one-column file of ``3,14``-style numbers is not split on
    its decimal commas), then the most rows of the same width win. ``csv.Sniffer`` alone often guesses wrong (a decimal-comma
    file, a comma inside text), so its guess only breaks ties.
    """
    scores = {}
    for sep in SEPARATORS:
        records = _sample_records(text, sep, truncated)
        if not records:
            continue
        header, mode, consistency = _field_counts(records)
        # rows that end with a separator ("1,2,3,") still match a header "a,b,c"
        header_ok = header == mode or (
            mode == header + 1
            and sum(1 for r in records[1:] if len(r) == mode and not r[-1].strip())
            >= 0.9 * max(1, len(records) - 1))
        scores[sep] = (mode > 1 and header_ok, header_ok, mode > 1, consistency >= 0.9,
                       consistency, mode)
    if not scores:
        return ","
    best = max(scores.values())
    tied = [s for s in SEPARATORS if scores.get(s) == best]
    if len(tied) > 1:
        try:
            sniffed = csv.Sniffer().sniff(text[:_SNIFF_BYTES], delimiters="".join(SEPARATORS))
            if sniffed.delimiter in tied:
                return sniffed.delimiter
        except csv.Error:
            pass
    return tied[0]


def detect_decimal(records: list[list[str]], sep: str) -> str:
    """``","`` when a non-comma separated sample has numbers like ``3,14``; else ``"."``."""
    if sep == ",":
        return "."
    comma = point = 0
    for record in records[1:]:
        for value in record:
            if "," in value and _DECIMAL_COMMA.match(value):
                comma += 1
            elif "." in value and _DECIMAL_POINT.match(value):
                point += 1
    return "," if comma > 0 and comma >= point else "."


def _read_with(name: str, path: Path | None, data: bytes | None, text: str, truncated: bool,
               encoding: str, sep: str | None,
               options: ReadOptions) -> tuple[pd.DataFrame, CsvInfo]:
    """Read with everything decided; ``text`` is the decoded start used for detection."""
    if sep is None:
        sep = detect_separator(text, truncated)
    records = _sample_records(text, sep, truncated) if len(sep) == 1 else []
    decimal = options.decimal or detect_decimal(records, sep)
    if decimal == sep:
        decimal = "."

    kwargs: dict[str, Any] = {"sep": sep, "decimal": decimal, "encoding": encoding,
                              "header": 0 if options.header else None, "index_col": False}
    if len(sep) > 1 or sep == " ":
        kwargs.update(engine="python")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            frame = _pandas_read(name, path, data, sep, kwargs, on_bad_lines="error")
        except _RaggedRows:
            # pandas' "warn" mode halves the C parser's speed, so it is only the second try
            frame = _pandas_read(name, path, data, sep, kwargs, on_bad_lines="warn")
    parser_warnings = [str(w.message) for w in caught
                       if issubclass(w.category, pd.errors.ParserWarning)]
    skipped_lines = [int(n) for text in parser_warnings
                     for n in re.findall(r"Skipping line (\d+)", text)]

    info = CsvInfo(encoding=encoding, sep=sep, decimal=decimal, rows=0, columns=0,
                   header=options.header)
    if any("Length of header" in text for text in parser_warnings):
        info.warnings.append(_("Some rows have more fields than there are column names; the "
                               "extra fields were left out."))
    if skipped_lines:
        info.skipped_rows = len(skipped_lines)
        info.warnings.append(_("{count} rows had the wrong number of fields and were skipped "
                               "(the first at line {line}).", count=len(skipped_lines),
                               line=min(skipped_lines)))

    if options.header:
        header = records[0] if records else None
        frame.columns = _clean_header(frame.columns, header, info)
        if len(frame) == 0:
            raise DataError(_("The file {name} has column names but no data rows.", name=name))
        if all(_is_number(c) for c in frame.columns):
            info.warnings.append(_("The first row holds only numbers, so it may be data rather "
                                   "than column names. It was used as the column names; if it "
                                   "is data, untick \"Header row\" "
                                   "(studio: --no-header)."))
    else:
        frame.columns = [f"column_{i + 1}" for i in range(frame.shape[1])]
        if len(frame) == 0:
            raise DataError(_("The file {name} is empty.", name=name))

    _infinite_to_missing(frame, info)
    if frame.shape[1] == 1:
        info.warnings.append(_("Only one column was found. If the file uses another separator, "
                               "choose it."))
    info.rows, info.columns = int(frame.shape[0]), int(frame.shape[1])
    return frame, info


def _infinite_to_missing(frame: pd.DataFrame, info: CsvInfo) -> None:
    """``inf``, ``-inf`` and numbers too large for a float (``1e400``) become missing values,
    with a warning: no scaler, imputer or network can use them, and missing values have a
    remedy (impute or drop) the user can choose."""
    columns, count = [], 0
    for i in range(frame.shape[1]):
        s = frame.iloc[:, i]
        if not pd.api.types.is_float_dtype(s.dtype):
            continue
        mask = np.isinf(s.to_numpy())
        if mask.any():
            frame.iloc[:, i] = s.mask(mask)
            columns.append(str(frame.columns[i]))
            count += int(mask.sum())
    if columns:
        info.warnings.append(_("{count} values in {names} are infinite or too large for a "
                               "number (like inf or 1e400); they are treated as missing.",
                               count=count, names=", ".join(columns)))


def _is_number(text: str) -> bool:
    try:
        float(str(text).replace(",", "."))
    except ValueError:
        return False
    return True


class _RaggedRows(Exception):
    """Some rows have more fields than the header (read again, skipping them)."""


def _pandas_read(name: str, path: Path | None, data: bytes | None, sep: str,
                 kwargs: dict[str, Any], on_bad_lines: str) -> pd.DataFrame:
    try:
        return pd.read_csv(path if path is not None else io.BytesIO(data),
                           on_bad_lines=on_bad_lines, **kwargs)
    except UnicodeDecodeError:
        raise
    except pd.errors.EmptyDataError:
        raise DataError(_("The file {name} is empty.", name=name)) from None
    except (pd.errors.ParserError, ValueError, csv.Error) as exc:
        if on_bad_lines == "error" and re.search(r"Expected \d+ fields", str(exc)):
            raise _RaggedRows from None
        raise DataError(_parser_message(name, sep, exc)) from None
    except OSError as exc:
        raise DataError(_("The file {name} could not be opened: {reason}", name=name,
                          reason=exc.strerror or str(exc))) from None


def _clean_header(columns: pd.Index, header: list[str] | None, info: CsvInfo) -> list[str]:
    """Stripped names, ``column_N`` for empty ones, ``name.1`` for repeated ones (with a
    warning). Names come from our own parse of the header line when it agrees with pandas'
    width, so pandas' ``Unnamed: 3`` and ``a.1`` never leak through."""
    if header is not None and len(header) == len(columns):
        raw = list(header)
    else:
        raw = ["" if re.fullmatch(r"Unnamed: \d+(_level_\d+)?", str(c)) else str(c)
               for c in columns]
    names = [str(n).replace("\ufeff", "").strip() or f"column_{i + 1}"
             for i, n in enumerate(raw)]
    seen: set[str] = set()
    repeated: list[str] = []
    out = []
    for n in names:
        if n in seen:
            if n not in repeated:
                repeated.append(n)
            k = 1
            while f"{n}.{k}" in seen or f"{n}.{k}" in names:
                k += 1
            new = f"{n}.{k}"
        else:
            new = n
        seen.add(new)
        out.append(new)
    if repeated:
        info.warnings.append(_("Some column names appear more than once: {names}. The later "
                               "copies were renamed ({example}).",
                               names=", ".join(repeated),
                               example=", ".join(o for o, n in zip(out, names) if o != n)))
    return out


def _parser_message(name: str, sep: str, exc: Exception) -> str:
    msg = str(exc)
    sep_name = SEPARATOR_NAMES.get(sep, repr(sep))
    m = re.search(r"EOF inside string starting at row (\d+)", msg)
    if m:
        return _("The file {name} has a quotation mark that is never closed (near row "
                 "{row}).", name=name, row=int(m.group(1)) + 1)
    m = re.search(r"line (\d+)", msg)
    if m:
        return _("The file {name} could not be read as a table separated by {sep} (problem "
                 "at line {line}). Check the separator and the encoding.", name=name,
                 sep=sep_name, line=m.group(1))
    return _("The file {name} could not be read as a table separated by {sep}. Check the "
             "separator and the encoding.", name=name, sep=sep_name)


# ---------------------------------------------------------------------------------------------
# Profiling
# ---------------------------------------------------------------------------------------------

_BOOLEAN_PAIRS = (
    frozenset({"yes", "no"}), frozenset({"true", "false"}), frozenset({"y", "n"}),
    frozenset({"t", "f"}), frozenset({"0", "1"}), frozenset({"예", "아니오"}),
    frozenset({"예", "아니요"}), frozenset({"네", "아니오"}), frozenset({"네", "아니요"}),
    frozenset({"o", "x"}),
)
_ID_NAMES = frozenset({"id", "idx", "index", "no", "no.", "row", "rowid", "row_id", "rownum", "#"})
_TARGET_NAMES = ("target", "label", "labels", "class", "y", "outcome", "price", "정답", "타깃",
                 "타겟", "라벨", "레이블", "가격")
_MOSTLY_MISSING = 0.6
_TOP = 10


def profile(df: pd.DataFrame) -> list[ColumnProfile]:
    """Describe each column: its kind, counts, numeric summary, most frequent values, and the
    role it should start with. Vectorised only: one counting pass per column
    (:func:`_value_counts`)."""
    profiles = [_profile_column(str(name), df[name]) for name in df.columns]
    _suggest_target(profiles, len(df))
    return profiles


def _profile_column(name: str, s: pd.Series) -> ColumnProfile:
    n = len(s)
    counts = _value_counts(s)
    count = int(counts.sum())
    unique = len(counts)
    p = ColumnProfile(name=name, kind="numeric", dtype=str(s.dtype), count=count,
                      missing=n - count, unique=unique)
    top = counts.nlargest(_TOP) if unique > _TOP else counts.sort_values(ascending=False,
                                                                         kind="stable")
    p.top_values = [(_value_text(v), int(c)) for v, c in top.items()]

    values, keys = s, counts.index
    is_bool = pd.api.types.is_bool_dtype(s.dtype)
    is_num = pd.api.types.is_numeric_dtype(s.dtype) and not is_bool
    if not is_num and not is_bool and unique:
        if s.dtype == object and all(isinstance(k, (bool, np.bool_)) for k in keys):
            is_bool = True
        elif _all_numbers(keys):                # text that is all numbers ("1", "2.5")
            is_num = True
            keys = pd.Index(pd.to_numeric(keys, errors="coerce"))
            values = pd.to_numeric(s, errors="coerce")
    if is_num or is_bool:
        _numeric_summary(p, keys, counts)

    if unique <= 1:
        p.kind = "constant"
        p.reason = _("It has only one value, so it cannot help the model.")
    elif is_bool or (is_num and unique == 2 and set(keys.tolist()) <= {0, 1}):
        p.kind = "boolean"
        p.reason = _("Two values: yes or no.")
    elif is_num:
        if _looks_like_int_id(name, values, count, unique):
            p.kind = "id"
            p.reason = _("Every value is different, like a row number or an ID; it would not "
                         "help the model generalise.")
        else:
            p.kind = "numeric"
            p.reason = _("Numbers.")
    else:
        _classify_text(p, name, counts, count, unique)

    if p.kind in ("id", "text", "constant"):
        p.suggested_role = "ignore"
    elif n and p.missing / n > _MOSTLY_MISSING:
        p.suggested_role = "ignore"
        p.reason = _("{percent}% of its values are missing.",
                     percent=round(100 * p.missing / n))
    return p


#: Columns at least this long are counted with np.bincount when they can be (_value_counts).
_BINCOUNT_MIN_ROWS = 50_000
_MAX_DECIMALS = 6


def _value_counts(s: pd.Series) -> pd.Series:
    """Each distinct non-missing value of ``s`` and how often it occurs, like
    ``s.value_counts(dropna=True, sort=False)``.

    Hashing every value is most of the cost of profiling a large file. A long column of
    NumPy integers, or of floats that are all decimals with at most six digits after the
    point (what a CSV holds), spanning a range of whole numbers (after scaling) not much
    larger than the column, is counted with ``np.bincount`` instead: the same counts, 3-4
    times faster (benchmarks/csv_read.py). Only the order of the distinct values differs
    (ascending here), which decides nothing but the order of equally frequent top values.
    """
    dtype = s.dtype
    if (len(s) >= _BINCOUNT_MIN_ROWS and isinstance(dtype, np.dtype) and dtype.kind in "if"
            and dtype.itemsize == 8):
        counted = _bincount_values(s.to_numpy())
        if counted is not None:
            keys, counts = counted
            return pd.Series(counts, index=pd.Index(keys), name="count")
    return s.value_counts(dropna=True, sort=False)


def _bincount_values(values: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """(distinct values ascending, counts) by np.bincount, or None when the values are not
    whole numbers (after scaling by 10**decimals) in a range of about the column's length."""
    scale = None
    if values.dtype.kind == "f":
        missing = np.isnan(values)
        if missing.any():
            values = values[~missing]
        if not len(values):
            return None
        head = values[:1000]
        for decimals in range(_MAX_DECIMALS + 1):
            if np.array_equal(np.rint(head * 10.0 ** decimals) / 10.0 ** decimals, head):
                scale = 10.0 ** decimals
                break
        else:
            return None
        whole = values * scale
        np.rint(whole, out=whole)
        lo, hi = float(whole.min()), float(whole.max())
        if not (math.isfinite(lo) and math.isfinite(hi)) or max(-lo, hi) >= 2.0 ** 52 \
                or hi - lo > 2 * len(values) + 1024:
            return None
        # whole / scale == value exactly: each value is the decimal whole * 10**-decimals, so
        # equal values have equal integers and different values different ones
        if not np.array_equal(whole / scale, values):
            return None
        shifted = np.subtract(whole, lo, out=whole).astype(np.intp)
    else:
        lo, hi = int(values.min()), int(values.max())
        if hi - lo > 2 * len(values) + 1024:
            return None
        shifted = (values - lo).astype(np.intp, copy=False)
    counts = np.bincount(shifted)
    present = np.flatnonzero(counts)
    if scale is None:
        keys: np.ndarray = present.astype(values.dtype) + values.dtype.type(lo)
    else:
        keys = (present + lo) / scale
    return keys, counts[present].astype(np.int64)


def _classify_text(p: ColumnProfile, name: str, counts: pd.Series, count: int,
                   unique: int) -> None:
    keys = counts.index.astype(str)
    lowered = frozenset(k.strip().lower() for k in keys) if unique == 2 else frozenset()
    if unique == 2 and lowered in _BOOLEAN_PAIRS:
        p.kind = "boolean"
        p.reason = _("Two values: {values}.", values=" / ".join(sorted(keys)))
        return
    lengths = pd.Series(keys.str.len(), index=counts.index)
    mean_len = float((lengths * counts).sum() / count) if count else 0.0
    if unique == count and (count > 20 or _id_like(name)):
        spaced = float(pd.Series(keys.str.contains(r"\s", regex=True)).mean())
        if _id_like(name) or (mean_len <= 30 and spaced < 0.5):
            p.kind = "id"
            p.reason = _("Every value is different, like an ID; it would not help the model "
                         "generalise.")
            return
    if unique <= max(20, 0.05 * count):
        p.kind = "categorical"
        p.reason = _("Categories: {count} different values.", count=unique)
    elif mean_len > 30 or unique / max(count, 1) > 0.5:
        p.kind = "text"
        p.reason = _("Free text with many different values; it cannot be used as it is.")
    else:
        p.kind = "categorical"
        p.reason = _("Categories: {count} different values.", count=unique)


def _id_like(name: str) -> bool:
    """Named like an identifier: ``id``, ``customer_id``, ``PassengerId``, ``회원번호``."""
    stripped = name.strip()
    low = stripped.lower()
    return (low in _ID_NAMES or re.search(r"(^|[\s_\-.])id$", low) is not None
            or re.search(r"[a-z0-9](Id|ID)$", stripped) is not None
            or "번호" in stripped or "순번" in stripped)


def _looks_like_int_id(name: str, values: pd.Series, count: int, unique: int) -> bool:
    if unique != count or not pd.api.types.is_integer_dtype(values.dtype):
        return False
    if _id_like(name):
        return True
    if count <= 20:
        return False
    v = values.dropna()
    span = float(v.max()) - float(v.min()) + 1
    return span <= 1.5 * count or v.is_monotonic_increasing or v.is_monotonic_decreasing


def _all_numbers(keys: pd.Index) -> bool:
    """Whether text values are all numbers; a few are tried first so text columns stay cheap."""
    if pd.api.types.is_numeric_dtype(keys.dtype) and not pd.api.types.is_bool_dtype(keys.dtype):
        return True
    head = pd.to_numeric(pd.Series(keys[:50], dtype=object), errors="coerce")
    if not head.notna().all():
        return False
    return bool(pd.to_numeric(pd.Series(keys, dtype=object), errors="coerce").notna().all())


def _numeric_summary(p: ColumnProfile, keys: pd.Index, counts: pd.Series) -> None:
    """Minimum, maximum, mean and standard deviation from the distinct values and their
    counts (already made for the profile): one pass over the distinct values instead of four
    over every row, the same figures (up to rounding in the last digit)."""
    if not p.count:
        return
    k = np.asarray(keys, dtype=np.float64)
    c = counts.to_numpy(dtype=np.float64)
    with np.errstate(invalid="ignore", over="ignore"):    # (no np.dot: BLAS threads cost more)
        mean = float((k * c).sum() / p.count)
        p.minimum = _finite(k.min())
        p.maximum = _finite(k.max())
        p.mean = _finite(mean)
        if p.count > 1:
            var = float((c * (k - mean) ** 2).sum()) / (p.count - 1)
            p.std = _finite(math.sqrt(var)) if var >= 0 else None


def _finite(x: Any) -> float | None:
    try:
        f = float(x)
    except (TypeError, ValueError):
        return None
    return f if math.isfinite(f) else None


def _value_text(v: Any) -> str:
    if isinstance(v, (float, np.floating)) and float(v).is_integer():
        return str(int(v))
    return str(v)


def _is_target_name(name: str) -> bool:
    norm = name.strip().lower()
    if norm in _TARGET_NAMES:
        return True
    tokens = re.sub(r"([a-z])([A-Z])", r"\1 \2", name.strip()).lower()
    return any(t in _TARGET_NAMES and t != "y" for t in re.split(r"[\s_\-.()\[\]/]+", tokens))


def _suggest_target(profiles: list[ColumnProfile], n_rows: int) -> None:
    """At most one column is suggested as the target: one named like a target, else the last
    column when it could be one."""
    candidates = [p for p in profiles if p.suggested_role == "feature"
                  and p.kind in ("numeric", "categorical", "boolean")]
    if not candidates:
        return
    named = [p for p in candidates if _is_target_name(p.name)]
    if named:
        chosen = named[0]
        chosen.reason = _("Its name suggests it is what to predict.")
    elif candidates[-1] is profiles[-1]:
        chosen = profiles[-1]
        chosen.reason = _("The last column, and its values suit a target.")
    else:
        return
    chosen.suggested_role = "target"


# ---------------------------------------------------------------------------------------------
# Task
# ---------------------------------------------------------------------------------------------

def infer_task(series: pd.Series) -> TaskInfo:
    """Regression, binary or multiclass for a target column.

    Labels that are not numbers, or yes/no values, are classes. Whole numbers with few distinct
    values (at most 10, or at most 20 and under 5% of the rows) are classes too; other numbers
    mean regression. ``classes`` are plain Python values, sorted, so they serialise to JSON.
    """
    s = series.dropna()
    if s.empty:
        return TaskInfo("regression", [], _("The target column has no values."))
    if pd.api.types.is_bool_dtype(s.dtype):
        classes = sorted({bool(v) for v in s.unique()})
        return TaskInfo(_n_task(len(classes)), classes, _("Yes/no values."))
    numeric = s if pd.api.types.is_numeric_dtype(s.dtype) else None
    if numeric is None:
        uniq = pd.Series(s.unique())
        if all(isinstance(v, (bool, np.bool_)) for v in uniq):
            classes = sorted({bool(v) for v in uniq})
            return TaskInfo(_n_task(len(classes)), classes, _("Yes/no values."))
        coerced = pd.to_numeric(uniq, errors="coerce")
        if not coerced.notna().all():
            classes = _sorted_plain(uniq.tolist())
            return TaskInfo(_n_task(len(classes)), classes,
                            _("Labels that are not numbers: {count} classes.",
                              count=len(classes)))
        numeric = pd.to_numeric(s, errors="coerce")
    values = numeric.to_numpy(dtype="float64")
    values = values[np.isfinite(values)]
    if values.size == 0:
        return TaskInfo("regression", [], _("The target column has no values."))
    distinct = np.unique(values)
    whole = bool(np.all(distinct == np.round(distinct)))
    n_unique = len(distinct)
    if whole and (n_unique <= 10 or (n_unique <= 20 and n_unique / values.size < 0.05)):
        classes = [int(v) for v in distinct]
        return TaskInfo(_n_task(n_unique), classes,
                        _("Whole numbers with only {count} different values, so each is a "
                          "class.", count=n_unique))
    if not whole:
        return TaskInfo("regression", [], _("Numbers with decimals: predict a quantity."))
    return TaskInfo("regression", [], _("Numbers with {count} different values: predict a "
                                        "quantity.", count=n_unique))


def _n_task(n_classes: int) -> str:
    return "binary" if n_classes <= 2 else "multiclass"


def _plain(v: Any) -> Any:
    if isinstance(v, (bool, np.bool_)):
        return bool(v)
    if isinstance(v, (np.integer,)):
        return int(v)
    if isinstance(v, (float, np.floating)):
        f = float(v)
        return int(f) if f.is_integer() else f
    return v if isinstance(v, (int, str)) else str(v)


def _sorted_plain(values: list[Any]) -> list[Any]:
    plain = list(dict.fromkeys(_plain(v) for v in values))
    try:
        return sorted(plain)
    except TypeError:
        return sorted(plain, key=str)


# ---------------------------------------------------------------------------------------------
# Loading and samples
# ---------------------------------------------------------------------------------------------

def resolve_path(source: str | os.PathLike, base_dir: str | os.PathLike | None = None) -> Path:
    """``source`` as a path, relative ones taken from ``base_dir`` when given."""
    path = Path(os.fspath(source)).expanduser()
    if not path.is_absolute() and base_dir is not None:
        path = Path(base_dir).expanduser() / path
    return path


def load(source: str, options: ReadOptions | None = None,
         base_dir: str | os.PathLike | None = None) -> Dataset:
    """Read ``"sample:NAME"`` or a CSV path (relative to ``base_dir`` when given), and profile
    its columns."""
    source = os.fspath(source)
    where = source if source.startswith(SAMPLE_PREFIX) else resolve_path(source, base_dir)
    frame, info = read_csv(where, options)
    return Dataset(frame=frame, info=info, source=source, profiles=profile(frame))


def list_samples() -> list[SampleInfo]:
    """The bundled sample datasets, from ``resources/datasets/samples.json``."""
    try:
        entries = json.loads(resources.read_text("datasets/samples.json"))
    except (FileNotFoundError, json.JSONDecodeError):
        return []
    fields = SampleInfo.__dataclass_fields__
    return [SampleInfo(**{k: v for k, v in e.items() if k in fields}) for e in entries]


def sample_names() -> list[str]:
    return [s.name for s in list_samples()]
