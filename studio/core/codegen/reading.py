"""The generated code's first steps: the ``pandas.read_csv`` arguments that read the file as
the studio did, the code that cleans messy values the same way, the data path as the script
finds it, and each column's scikit-learn pipeline."""

from __future__ import annotations

import math
import os
from pathlib import Path
from typing import Any

import pandas as pd

from studio.core import messy
from studio.core.codegen.literals import _lit
from studio.core.data import (
    SAMPLE_PREFIX,
    ReadOptions,
    check_encoding,
    check_read_options,
    check_separator,
    resolve_path,
    sample_names,
)
from studio.core.errors import DesignError
from studio.core.i18n import _
from studio.core.project import Project


def _read_kwargs(info: Any, columns: list[str], options: ReadOptions | None = None) -> str:
    """The ``pd.read_csv`` keywords that read the file as the studio read it, as code: each
    value checked by the reader's validators and written with :func:`_lit`."""
    sep = check_separator(info.sep if isinstance(info.sep, str) else ",") or ","
    encoding = check_encoding(info.encoding)
    decimal = info.decimal if info.decimal in (".", ",") else "."
    parts = [f"sep={_lit(sep)}", f"encoding={_lit(encoding)}", f"decimal={_lit(decimal)}",
             f"header={0 if getattr(info, 'header', True) else None}", "names=COLUMNS"]
    if sep == " ":
        parts.append('engine="python"')
    if getattr(info, "skipped_rows", 0):
        parts.append('on_bad_lines="skip"')
    if getattr(info, "encoding_errors", "strict") == "replace":
        parts.append('encoding_errors="replace"')
    comment = getattr(info, "comment", None)
    if comment:
        parts.append(f"comment={_lit(check_read_options(ReadOptions(comment=comment)).comment)}")
    if options is not None and options.na_values:
        parts.append(f"na_values={_lit([str(v) for v in options.na_values])}")
    return "dict(" + ", ".join(parts) + ")"


def _clean_code(options: ReadOptions | None, columns: list[str]) -> list[str]:
    """The lines after ``pd.read_csv`` that clean messy values as :func:`studio.core.messy.clean`
    does, step for step (spaces, markers, text columns that are then numbers, the chosen
    number columns). Only literals from the project go in, through :func:`_lit`."""
    if options is None or not (options.strip_spaces or options.na_values
                               or options.number_columns):
        return []
    lines = ["", "# Clean messy values as the studio's Data step was told to.",
             "MISSING_MARKERS = " + _lit([str(v) for v in options.na_values]),
             "for column in df.columns:",
             "    if not pd.api.types.is_string_dtype(df[column].dtype):",
             "        continue",
             "    old = df[column]",
             "    new = old"]
    if options.strip_spaces:
        lines += ["    new = new.str.strip()   # 'Seoul ' and 'Seoul' are one category",
                  '    new = new.mask(new == "")']
    lines += ["    new = new.mask(new.isin(MISSING_MARKERS))",
              "    changed = (new.isna() != old.isna()) | (new.notna() & (new != old))",
              "    if not changed.any():",
              "        continue",
              '    numbers = pd.to_numeric(new, errors="coerce")',
              "    if new.notna().any() and bool((numbers.notna() == new.notna()).all()):",
              "        new = numbers",
              "    df[column] = new"]
    wanted = [str(c) for c in options.number_columns if c in columns]
    if wanted:
        lines += ["",
                  "",
                  "def to_number(column):",
                  '    """Numbers written with a currency sign, thousands separators or a percent',
                  '    sign (12% is 12); what is still not a number becomes missing."""',
                  f"    text = column.astype(str).str.replace({_lit(messy.SYMBOLS_PATTERN)}, "
                  '"", regex=True)',
                  '    if CSV_OPTIONS["decimal"] == ",":',
                  '        text = text.str.replace(".", "", regex=False).str.replace(",", ".", '
                  "regex=False)",
                  "    else:",
                  '        text = text.str.replace(",", "", regex=False)',
                  '    return pd.to_numeric(text, errors="coerce").where(column.notna())'
                  '.astype("float64")',
                  "",
                  "",
                  f"for column in {_lit(wanted)}:",
                  "    if pd.api.types.is_string_dtype(df[column].dtype):",
                  "        df[column] = to_number(df[column])"]
    return lines


def _data_path(project: Project, data_path: str | None,
               script_dir: Path | None = None) -> tuple[str, str]:
    """(``DATA_PATH = ...`` right-hand side as code, comment). A data file in the script's
    folder or below it is written relative to the script (``HERE / "data.csv"``), so the
    script runs from any working directory; other paths are written as they are."""
    if data_path is not None:
        return _lit(str(data_path)), ""
    src = project.data_source
    if src.startswith(SAMPLE_PREFIX):
        name = src[len(SAMPLE_PREFIX):]
        if name not in sample_names():
            raise DesignError(_("The project names an unknown sample: {name}.",
                                name=repr(name)[:60]))
        return f"HERE / {_lit(name + '.csv')}", (
            f"  # the studio's sample '{name}': save it as a CSV (studio's Data step) beside "
            "this script")
    resolved = resolve_path(src, project.base_dir)
    if script_dir is not None:
        try:
            rel = resolved.resolve().relative_to(Path(script_dir).resolve())
        except (ValueError, OSError):
            rel = None
        if rel is not None:
            return "HERE / " + _lit(rel.as_posix()), ""
    return _lit(str(resolved).replace(os.sep, "/")), ""


def _is_numeric(s: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(s) or pd.api.types.is_bool_dtype(s)


def _pipeline_code(prep, numeric: bool) -> tuple[str, str]:
    """(function name, expression) of one column's Pipeline, as core.prep builds it."""
    parts: list[str] = []
    name_bits: list[str] = []
    if prep.impute in ("mean", "median", "most_frequent", "constant"):
        strategy = prep.impute if numeric or prep.impute in ("most_frequent", "constant") \
            else "most_frequent"
        if strategy == "constant":
            fill = prep.fill_value
            if numeric:
                try:
                    fill = float(fill) if fill not in (None, "") else 0.0
                except (TypeError, ValueError):
                    raise DesignError(_("The fill value {value} of a number column is not a "
                                        "number.", value=repr(fill)[:40])) from None
                if not math.isfinite(fill):
                    raise DesignError(_("The fill value of a number column must be a finite "
                                        "number, not {value}.", value=repr(fill)))
            else:
                fill = str(fill) if fill not in (None, "") else "missing"
            parts.append(f'("impute", SimpleImputer(strategy="constant", '
                         f'fill_value={_lit(fill)}))')
            name_bits.append("fill")
        else:
            parts.append(f'("impute", SimpleImputer(strategy="{strategy}"))')
            name_bits.append(strategy.replace("most_frequent", "mode"))
    kind = "numeric" if numeric and prep.encode == "none" else (
        "onehot" if prep.encode == "onehot" else "ordinal")
    if kind == "onehot":
        parts.append('("encode", OneHotEncoder(handle_unknown="ignore", '
                     'sparse_output=False))')
        name_bits.append("onehot")
    elif kind == "ordinal":
        parts.append('("encode", OrdinalEncoder(handle_unknown="use_encoded_value", '
                     'unknown_value=-1))')
        name_bits.append("ordinal")
    if kind != "onehot":
        if prep.scale == "standard":
            parts.append('("scale", StandardScaler())')
            name_bits.append("standard")
        elif prep.scale == "minmax":
            parts.append('("scale", MinMaxScaler())')
            name_bits.append("minmax")
    if not parts:
        parts.append('("keep", "passthrough")')
        name_bits.append("as_is")
    name = "_".join(name_bits) + "_pipeline"
    return name, "Pipeline([" + ", ".join(parts) + "])"
