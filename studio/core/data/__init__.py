"""Reading CSV files as people really have them, and profiling their columns.

Contract (used by prep, doctor, project, CLI and GUI):

- :func:`load` reads ``"sample:NAME"`` or a path into a :class:`Dataset` (frame + what was
  detected + column profiles).
- :func:`read_csv` detects encoding (UTF-8, UTF-8 with BOM, cp949/EUC-KR, latin-1), separator
  (comma, semicolon, tab, pipe) and decimal comma, honouring any override in
  :class:`ReadOptions`. Unreadable input raises :class:`~studio.core.errors.DataError`.
- :func:`profile` describes each column (:class:`ColumnProfile`).
- :func:`infer_task` says regression / binary / multiclass for a target column.

One module per part: :mod:`.types` (the dataclasses), :mod:`.checks` (paths and read options
checked before reading), :mod:`.sniffing` (encoding, separator and decimal detection),
:mod:`.reading` (:func:`read_csv`), :mod:`.profiling`, :mod:`.task`, :mod:`.samples` and
:mod:`.loading` (:func:`load`).
"""

from studio.core.data.checks import (
    check_data_path,
    check_encoding,
    check_read_options,
    check_separator,
)
from studio.core.data.loading import load, resolve_path
from studio.core.data.profiling import profile
from studio.core.data.reading import SEPARATOR_NAMES, read_csv
from studio.core.data.samples import list_samples, sample_names
from studio.core.data.sniffing import ENCODINGS, SEPARATORS, detect_decimal, detect_separator
from studio.core.data.task import infer_task
from studio.core.data.types import (
    COLUMN_KINDS,
    ROLES,
    SAMPLE_PREFIX,
    ColumnProfile,
    CsvInfo,
    Dataset,
    ReadOptions,
    SampleInfo,
    TaskInfo,
)

__all__ = [
    "COLUMN_KINDS",
    "ENCODINGS",
    "ROLES",
    "SAMPLE_PREFIX",
    "SEPARATORS",
    "SEPARATOR_NAMES",
    "ColumnProfile",
    "CsvInfo",
    "Dataset",
    "ReadOptions",
    "SampleInfo",
    "TaskInfo",
    "check_data_path",
    "check_encoding",
    "check_read_options",
    "check_separator",
    "detect_decimal",
    "detect_separator",
    "infer_task",
    "list_samples",
    "load",
    "profile",
    "read_csv",
    "resolve_path",
    "sample_names",
]
