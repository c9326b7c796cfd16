"""The one door to bundled resources (datasets, icons, fonts, translations).

Resources live in the top-level ``resources`` package, shipped inside the wheel and read through
:mod:`importlib.resources`, so they are found the same way in a checkout, an installed wheel and
a frozen build.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from importlib import resources as _ir
from pathlib import Path


def _root():
    return _ir.files("resources")


def path_of(relative: str):
    """A Traversable for ``relative`` (e.g. ``"datasets/iris.csv"``)."""
    node = _root()
    for part in relative.split("/"):
        node = node.joinpath(part)
    return node


def exists(relative: str) -> bool:
    return path_of(relative).is_file()


def read_bytes(relative: str) -> bytes:
    return path_of(relative).read_bytes()


def read_text(relative: str, encoding: str = "utf-8") -> str:
    return path_of(relative).read_text(encoding=encoding)


@contextlib.contextmanager
def as_file(relative: str) -> Iterator[Path]:
    """A real file system path for ``relative``, for APIs that need one."""
    with _ir.as_file(path_of(relative)) as p:
        yield Path(p)


def listdir(relative: str) -> list[str]:
    node = path_of(relative)
    if not node.is_dir():
        return []
    return sorted(child.name for child in node.iterdir())
