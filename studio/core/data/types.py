"""The types of the data step: read options, what reading detected, column profiles, the
task a target implies, the bundled samples and the loaded :class:`Dataset`."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import pandas as pd

from studio.core.errors import ProjectError
from studio.core.i18n import _

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
        (:func:`~studio.core.data.checks.check_read_options` checks the values themselves,
        before reading)."""
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

#: What :func:`~studio.core.data.loading.load` takes to read a bundled sample: ``"sample:NAME"``.
SAMPLE_PREFIX = "sample:"


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
        """What :func:`~studio.core.data.loading.load` takes to read this sample."""
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
