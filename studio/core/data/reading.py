"""Reading a CSV as people really have it (:func:`read_csv`): from a path, raw bytes or a
bundled sample, with what was detected (:mod:`studio.core.data.sniffing`) or asked for, into a
frame with clean column names and a :class:`~studio.core.data.types.CsvInfo` that reports
what was done (skipped rows, comment lines, renamed columns, infinite values)."""

from __future__ import annotations

import csv
import io
import os
import re
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from studio import resources
from studio.core import messy
from studio.core.data.checks import _expand, _normalise_sep, check_data_path, check_read_options
from studio.core.data.samples import sample_names
from studio.core.data.sniffing import (
    _SNIFF_BYTES,
    _comment_lines,
    _decode_prefix,
    _encoding_candidates,
    _mixed_encoding,
    _mixed_message,
    _sample_records,
    detect_decimal,
    detect_separator,
)
from studio.core.data.types import SAMPLE_PREFIX, CsvInfo, ReadOptions
from studio.core.errors import DataError
from studio.core.i18n import _

SEPARATOR_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe", " ": "space"}

_WHOLE_FILE_LIMIT = 50 * 1024 * 1024   # decode all of a file this small to detect its encoding
_LARGE_PREFIX = 8 * 1024 * 1024        # otherwise this much of its start


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
        assert path is not None          # _open_source gives a path or the bytes
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


def _read_with(name: str, path: Path | None, data: bytes | None, text: str, truncated: bool,
               encoding: str, sep: str | None, options: ReadOptions,
               errors: str = "strict", hash_count: int = 0) -> tuple[pd.DataFrame, CsvInfo]:
    """Read with everything decided; ``text`` is the decoded start used for detection."""
    lines = text.split("\n")
    mark = options.comment or "#"
    hashed = [i for i, line in enumerate(lines) if line.lstrip().startswith(mark)]
    comment, hash_in_values = options.comment, False
    comment_lines: list[int] = []
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
        except _RaggedRowsError:
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


class _RaggedRowsError(Exception):
    """Some rows have more fields than the header (read again, skipping them)."""


def _pandas_read(name: str, path: Path | None, data: bytes | None, sep: str,
                 kwargs: dict[str, Any], on_bad_lines: str) -> pd.DataFrame:
    try:
        return pd.read_csv(path if path is not None else io.BytesIO(data or b""),
                           on_bad_lines=on_bad_lines, **kwargs)
    except UnicodeDecodeError:
        raise
    except pd.errors.EmptyDataError:
        raise DataError(_("The file {name} is empty.", name=name)) from None
    except (pd.errors.ParserError, ValueError, csv.Error) as exc:
        if on_bad_lines == "error" and re.search(r"Expected \d+ fields", str(exc)):
            raise _RaggedRowsError from None
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
