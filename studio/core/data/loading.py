"""Loading a table (:func:`load`): a bundled sample or a CSV path (relative ones from a base
folder), read and profiled into a :class:`~studio.core.data.types.Dataset`."""

from __future__ import annotations

import os
from pathlib import Path

from studio.core.data.checks import _expand
from studio.core.data.profiling import profile
from studio.core.data.reading import read_csv
from studio.core.data.types import SAMPLE_PREFIX, Dataset, ReadOptions


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
