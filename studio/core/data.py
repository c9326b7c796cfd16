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
import unicodedata
import warnings
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from studio import resources
from studio.core import messy
from studio.core.errors import DataError, ProjectError
from studio.core.i18n import _, translate

COLUMN_KINDS = ("numeric", "categorical", "boolean", "text", "id", "constant")
ROLES = ("feature", "target", "ignore")


@dataclass
class ReadOptions:
    """How to read a CSV. ``None`` means: detect it.

    The last four clean messy values (:mod:`studio.core.messy`): ``na_values`` are extra
    cells read as missing (``?``, ``-``), ``number_columns`` are text columns converted to
    numbers (currency and percent signs, thousands separators removed), ``strip_spaces``
    removes spaces around text values, ``comment`` skips lines starting with that character.
    """

    encoding: str | None = None
    sep: str | None = None
    decimal: str | None = None
    header: bool = True
    na_values: list[str] = field(default_factory=list)
    number_columns: list[str] = field(default_factory=list)
    strip_spaces: bool = False
    comment: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any] | None) -> ReadOptions:
        """From a project file; values of the wrong type are refused
        (:func:`check_read_options` checks the values themselves, before reading)."""
        d = d or {}
        lists = {}
        for key in ("na_values", "number_columns"):
            value = d.get(key) or []
            if not isinstance(value, list) or len(value) > _MAX_LIST \
                    or any(not isinstance(v, str) or len(v) > _MAX_TEXT for v in value):
                raise ProjectError(_("The project's read options are invalid: {key} must be a "
                                     "list of at most {n} short texts.", key=key, n=_MAX_LIST))
            lists[key] = list(value)
        for key, kinds in (("strip_spaces", (bool,)), ("comment", (str, type(None)))):
            if not isinstance(d.get(key, kinds[0]() if kinds[0] is bool else None), kinds):
                raise ProjectError(_("The project's read options are invalid: {key} has a "
                                     "value of the wrong type.", key=key))
        return cls(encoding=d.get("encoding"), sep=d.get("sep"), decimal=d.get("decimal"),
                   header=bool(d.get("header", True)), strip_spaces=d.get("strip_spaces", False),
                   comment=d.get("comment"), **lists)

    @property
    def cleans(self) -> bool:
        """Whether any messy-value cleaning is asked for."""
        return bool(self.na_values or self.number_columns or self.strip_spaces or self.comment)


_MAX_LIST = 1000      # entries in na_values / number_columns
_MAX_TEXT = 200       # characters in one of them


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
    encoding_errors: str = "strict"  # "replace": a few lines were not in ``encoding``
    comment: str | None = None       # lines starting with it were skipped
    comment_lines: list[int] = field(default_factory=list)  # lines starting with # (sample)
    hash_in_values: bool = False     # '#' also inside other lines (so comment="#" is unsafe)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def as_options(self) -> ReadOptions:
        """The options that read the file the same way without detecting again."""
        return ReadOptions(encoding=self.encoding, sep=self.sep, decimal=self.decimal,
                           header=self.header, comment=self.comment)


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
    options = check_read_options(options or ReadOptions())
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
    mixed = None
    if options.encoding:
        candidates = [options.encoding]
    else:
        candidates = _encoding_candidates(head, name, truncated)
        mixed = _mixed_encoding(head, truncated, name) if candidates[0] not in ("utf-8", "utf-16") \
            else None
        if mixed is not None:
            candidates = [mixed[0]]

    sniff_cut = truncated or len(head) > _SNIFF_BYTES
    errors = "replace" if mixed is not None else "strict"
    for i, encoding in enumerate(candidates):
        text = _decode_prefix(head[:_SNIFF_BYTES], encoding, final=not sniff_cut, errors=errors)
        if text is None:
            continue
        try:
            frame, info = _read_with(name, path, data, text, sniff_cut, encoding, sep, options,
                                     errors, head.count(b"#"))
        except UnicodeError:                   # a later part of the file is in another encoding
            continue
        if mixed is not None:
            info.warnings.insert(0, _mixed_message(name, *mixed))
        elif i > 0 and not options.encoding:
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
    path = _expand(text)
    check_data_path(path)
    return path.name, path, None


def _expand(text: str) -> Path:
    """``text`` as a path with ``~`` and ``~user`` expanded (a :class:`DataError` when there is
    no such user or home folder)."""
    if "\x00" in text:
        raise DataError(_("The file name {path} contains a NUL character.", path=repr(text)[:80]))
    try:
        return Path(text).expanduser()
    except (RuntimeError, KeyError):
        user = text.split("/", 1)[0].split(os.sep, 1)[0]
        raise DataError(_("The path {path} starts with {user}, but there is no such user (or "
                          "no home folder) on this computer.", path=text, user=user)) from None


def check_data_path(path: Path) -> None:
    """Refuse, with a specific message, a path that is not a readable regular file: missing,
    a folder, a pipe (FIFO), a device such as /dev/zero, a socket, a name too long for the
    system, a folder that cannot be entered."""
    import errno
    import stat as stat_module

    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise DataError(_("File not found: {path}", path=str(path))) from None
    except NotADirectoryError:
        raise DataError(_("File not found: {path} (a part of the path is a file, not a "
                          "folder).", path=str(path))) from None
    except PermissionError:
        raise DataError(_("Permission denied: {path} cannot be read (a folder on the way "
                          "cannot be entered).", path=str(path))) from None
    except OSError as exc:
        if exc.errno == errno.ENAMETOOLONG:
            raise DataError(_("The file name is too long for this system ({n} characters): "
                              "{path}", n=len(str(path)), path=_short(str(path)))) from None
        raise DataError(_("The file {path} could not be opened: {reason}", path=str(path),
                          reason=exc.strerror or str(exc))) from None
    except ValueError:          # an embedded NUL
        raise DataError(_("The file name {path} contains a NUL character.",
                          path=repr(str(path))[:80])) from None
    mode = st.st_mode
    if stat_module.S_ISDIR(mode):
        raise DataError(_("{path} is a folder, not a CSV file.", path=str(path)))
    if stat_module.S_ISFIFO(mode):
        raise DataError(_("{path} is a pipe (FIFO), not a file: save the data to a CSV file "
                          "and open that.", path=str(path)))
    if stat_module.S_ISCHR(mode) or stat_module.S_ISBLK(mode):
        raise DataError(_("{path} is a device, not a CSV file.", path=str(path)))
    if stat_module.S_ISSOCK(mode):
        raise DataError(_("{path} is a socket, not a CSV file.", path=str(path)))
    if not stat_module.S_ISREG(mode):
        raise DataError(_("{path} is not a regular file.", path=str(path)))
    if not os.access(path, os.R_OK):
        raise DataError(_("Permission denied: you may not read {path}.", path=str(path)))


def _short(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[:limit // 2] + "…" + text[-limit // 2:]


def _read_head(path: Path) -> tuple[bytes, bool]:
    """All of a file up to :data:`_WHOLE_FILE_LIMIT`, else its start; and whether cut."""
    size = _file_size(path)
    limit = _WHOLE_FILE_LIMIT if size <= _WHOLE_FILE_LIMIT else _LARGE_PREFIX
    try:
        with open(path, "rb") as fh:
            head = fh.read(limit)
            return head, bool(fh.read(1))
    except PermissionError:
        raise DataError(_("Permission denied: you may not read {path}.",
                          path=str(path))) from None
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


def check_encoding(encoding: Any) -> str:
    """``encoding`` if Python knows it as a text encoding; ``rot13``, ``base64`` or ``hex``
    (codecs that are not text encodings) and unknown names raise :class:`DataError`."""
    shown = repr(encoding)[:60]
    if not isinstance(encoding, str) or not encoding.strip():
        raise DataError(_("Unknown encoding: {encoding}.", encoding=shown))
    try:
        info = codecs.lookup(encoding)
    except (LookupError, ValueError, TypeError):
        raise DataError(_("Unknown encoding: {encoding}. Use one like utf-8, cp949 or latin-1.",
                          encoding=shown)) from None
    if not getattr(info, "_is_text_encoding", True):
        raise DataError(_("{encoding} is not a text encoding (it turns bytes into other "
                          "bytes). Use one like utf-8, cp949 or latin-1.", encoding=shown))
    return encoding


def check_separator(sep: Any) -> str | None:
    """The one character ``sep`` stands for (a name like ``tab`` or ``semicolon`` is
    accepted), None for "detect"; anything else (several characters, a quote, a line break,
    a digit) raises :class:`DataError`. A separator is never a regular expression."""
    if sep is None or sep == "":
        return None
    if not isinstance(sep, str):
        raise DataError(_("The separator {sep} cannot be used.", sep=repr(sep)[:40]))
    one = _normalise_sep(sep)
    bad = len(one) != 1 or one in "\"\r\n." or one.isalnum() \
        or (unicodedata.category(one) in ("Cc", "Cs") and one != "\t")
    if bad:
        raise DataError(_("The separator {sep} cannot be used: give one character such as , or "
                          "; or a name: {names}.", sep=repr(sep)[:40],
                          names="tab, comma, semicolon, pipe, space"))
    return one


def check_read_options(options: ReadOptions) -> ReadOptions:
    """``options`` checked once, before any reading (the CLI's flags, the Data step's
    choices and a project file's read options all come through here): a known text
    encoding, a one-character separator, ``.`` or ``,`` as the decimal mark, a one-character
    comment mark, short lists of missing-value markers and column names."""
    if not isinstance(options, ReadOptions):
        raise DataError(_("The read options are invalid."))
    if options.encoding is not None:
        check_encoding(options.encoding)
    sep = check_separator(options.sep)
    if options.decimal not in (None, ".", ","):
        raise DataError(_("The decimal mark {mark} cannot be used: choose . or ,.",
                          mark=repr(options.decimal)[:40]))
    if options.decimal is not None and sep is not None and options.decimal == sep:
        raise DataError(_("The separator and the decimal mark cannot be the same character."))
    if not isinstance(options.header, bool) or not isinstance(options.strip_spaces, bool):
        raise DataError(_("The read options are invalid."))
    if options.comment is not None:
        c = options.comment
        if not isinstance(c, str) or len(c) != 1 or c in "\"\r\n" or c == sep \
                or c.isalnum() or ord(c) < 32:
            raise DataError(_("The comment mark {mark} cannot be used: give one character "
                              "such as #.", mark=repr(c)[:40]))
    for key in ("na_values", "number_columns"):
        value = getattr(options, key)
        if not isinstance(value, list) or len(value) > _MAX_LIST \
                or any(not isinstance(v, str) or len(v) > _MAX_TEXT or "\x00" in v
                       for v in value):
            raise DataError(_("The read option {key} must be a list of at most {n} short "
                              "texts.", key=key, n=_MAX_LIST))
    return options


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


def _decode_prefix(head: bytes, encoding: str, final: bool = True,
                   errors: str = "strict") -> str | None:
    """``head`` decoded strictly (a character cut at the end is fine unless ``final``)."""
    try:
        decoder = codecs.getincrementaldecoder(encoding)(errors=errors)
        text = decoder.decode(head, final=final)
    except UnicodeError:  # also UTF-16 without a byte-order mark
        return None
    return text.removeprefix("\ufeff")


def _comment_lines(lines: list[str], hashed: list[int], sep: str,
                   records: list[list[str]], hash_count: int) -> tuple[list[int], bool]:
    """(1-based numbers of the sampled lines that start with ``#`` and look like comments,
    whether ``#`` also appears in other lines). A line like ``#,name,age`` as wide as the
    data rows is a header whose first column is named ``#``, not a comment."""
    if not hashed:
        return [], False
    width = _field_counts(records)[1] if len(records) > 1 else 0
    found = []
    for i in hashed:
        try:
            fields = next(csv.reader([lines[i]], delimiter=sep, quotechar='"'))
        except (csv.Error, StopIteration):
            fields = []
        if len(fields) != width or width <= 1:
            found.append(i + 1)
    in_comments = sum(lines[i].count("#") for i in hashed)
    return found, hash_count > in_comments or len(found) < len(hashed)


def _mixed_encoding(head: bytes, truncated: bool,
                   name: str) -> tuple[str, list[int], int] | None:
    """A file that is UTF-8 in some lines and another encoding in others (two exports pasted
    together, a line typed in another program). A few stray lines (at most
    :data:`_STRAY_LINES`, or 1% of the lines) are read as UTF-8 with a replacement character:
    ``("utf-8", first bad lines, how many)``. More than that raises a :class:`DataError`
    naming the line where the encoding changes: reading half the file wrongly would give
    wrong categories without anyone noticing. None when the file is not mixed."""
    text = head.decode("utf-8", errors="replace")
    bad_chars = text.count("\ufffd")
    non_ascii = len(text) - len(text.encode("ascii", errors="ignore"))
    if not bad_chars or (non_ascii - bad_chars) * 8 < bad_chars:
        return None                        # strictly UTF-8, or hardly UTF-8 at all: not mixed
    lines = text.split("\n")
    if truncated and len(lines) > 1:
        lines.pop()                        # possibly cut in the middle of a character
    bad, good = [], []
    for n, line in enumerate(lines, start=1):
        if "\ufffd" in line:
            bad.append(n)
        elif not line.isascii():
            good.append(n)
    # a few lines of a cp949 file can be valid UTF-8 by chance: mixed needs more than that
    if not bad or len(good) < 3 and len(good) < 0.1 * (len(good) + len(bad)):
        return None
    if len(bad) <= max(_STRAY_LINES, len(lines) // 100) and len(good) >= len(bad):
        encoding = "utf-8-sig" if head.startswith(codecs.BOM_UTF8) else "utf-8"
        return encoding, bad[:5], len(bad)
    raw = head.split(b"\n")
    change = next((n for n in bad if n > good[0]), bad[0]) if good[0] < bad[0] else \
        next((n for n in good if n > bad[0]), good[0])
    before, after = ("UTF-8", None) if good[0] < bad[0] else (None, "UTF-8")
    other = "cp949" if all(_decode_prefix(raw[n - 1], "cp949") is not None
                           for n in bad[:50]) else _("another encoding")
    raise DataError(_("The file {name} changes encoding at line {line}: the lines before it "
                      "are {before}, the lines from it on are {after}. Open it in a text editor "
                      "or Excel and save it again as UTF-8 (in Excel: CSV UTF-8), then open "
                      "that file.", name=name, line=change, before=before or other,
                      after=after or other))


_STRAY_LINES = 5


def _mixed_message(name: str, encoding: str, lines: list[int], count: int) -> str:
    return _("The file {name} is not all in one encoding: {count} lines are not UTF-8 (lines "
             "{lines}). They were read with \ufffd in place of the characters that could not "
             "be decoded. Save the file again as UTF-8 (in Excel: CSV UTF-8) to read them "
             "correctly.", name=name, count=count, lines=", ".join(map(str, lines)))


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
               encoding: str, sep: str | None, options: ReadOptions,
               errors: str = "strict", hash_count: int = 0) -> tuple[pd.DataFrame, CsvInfo]:
    """Read with everything decided; ``text`` is the decoded start used for detection."""
    lines = text.split("\n")
    mark = options.comment or "#"
    hashed = [i for i, line in enumerate(lines) if line.lstrip().startswith(mark)]
    comment, comment_lines, hash_in_values = options.comment, [], False
    if hashed and len(hashed) < len(lines):
        # detect the separator without the lines that look like comments
        skip = set(hashed)
        rest = "\n".join(line for i, line in enumerate(lines) if i not in skip)
        if sep is None:
            sep = detect_separator(rest, truncated)
        if options.comment is None:
            comment_lines, hash_in_values = _comment_lines(
                lines, hashed, sep, _sample_records(rest, sep, truncated), hash_count)
            if comment_lines and not hash_in_values \
                    and all(lines[n - 1].startswith("#") for n in comment_lines):
                comment = "#"        # every '#' of the file starts a comment line: skip them
        if comment:                  # pandas skips them: so does the sample
            text = rest
    if sep is None:
        sep = detect_separator(text, truncated)
    records = _sample_records(text, sep, truncated) if len(sep) == 1 else []
    decimal = options.decimal or detect_decimal(records, sep)
    if decimal == sep:
        decimal = "."

    kwargs: dict[str, Any] = {"sep": sep, "decimal": decimal, "encoding": encoding,
                              "header": 0 if options.header else None, "index_col": False}
    if errors != "strict":
        kwargs["encoding_errors"] = errors
    if comment:
        kwargs["comment"] = comment
    if options.na_values:
        kwargs["na_values"] = list(options.na_values)
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
                   header=options.header, encoding_errors=errors,
                   comment_lines=comment_lines, hash_in_values=hash_in_values,
                   comment=comment)
    if comment and not options.comment:
        info.warnings.append(_("{count} lines start with # and were skipped as comments "
                               "(lines {lines}).", count=len(comment_lines),
                               lines=", ".join(map(str, comment_lines[:5]))))
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

    if options.cleans:
        info.warnings.extend(messy.clean(frame, options, decimal))
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
    path = _expand(os.fsdecode(os.fspath(source)))
    if not path.is_absolute() and base_dir is not None:
        path = _expand(os.fsdecode(os.fspath(base_dir))) / path
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
    samples = [SampleInfo(**{k: v for k, v in e.items() if k in fields}) for e in entries]
    for sample in samples:          # in the current language (tools/extract_strings.py)
        sample.title = translate(sample.title)
        sample.description = translate(sample.description)
    return samples


def sample_names() -> list[str]:
    return [s.name for s in list_samples()]
