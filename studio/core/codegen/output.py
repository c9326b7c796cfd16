"""The generated code as the studio hands it out: (title, code) sections, one script, a
Jupyter notebook, a file written atomically, and the line that builds a given layer."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from studio.core.codegen.generator import Generator, Section
from studio.core.codegen.literals import _comment
from studio.core.data import Dataset
from studio.core.errors import StudioError
from studio.core.fileio import atomic_write_text
from studio.core.i18n import _
from studio.core.project import Project


def _gen(project: Project, dataset: Dataset | None, data_path: str | None,
         script_dir: Path | None = None) -> Generator:
    if dataset is None:
        dataset = project.load_data()
    return Generator(project, dataset, data_path, script_dir)


def sections(project: Project, dataset: Dataset | None = None,
             data_path: str | None = None, script_dir: Path | None = None) -> list[Section]:
    """The code as (title, code) sections in the curriculum's order. ``script_dir``: the
    folder the code will be saved in (a data file there is found relative to the script)."""
    return _gen(project, dataset, data_path, script_dir).sections()


def script(project: Project, dataset: Dataset | None = None, data_path: str | None = None,
           script_dir: Path | None = None) -> str:
    """The whole project as one Python script."""
    parts = []
    for title, code in sections(project, dataset, data_path, script_dir):
        if title:
            bar = "# " + "-" * 86
            parts.append(f"{bar}\n# {title}\n{bar}\n{code}")
        else:
            parts.append(code)
    return "\n".join(parts)


def notebook(project: Project, dataset: Dataset | None = None,
             data_path: str | None = None, script_dir: Path | None = None) -> str:
    """The same code as a Jupyter notebook (nbformat 4 JSON)."""
    def src(text: str) -> list[str]:
        lines = text.rstrip("\n").split("\n")
        return [line + "\n" for line in lines[:-1]] + [lines[-1]]

    cells: list[dict[str, Any]] = []
    for title, code in sections(project, dataset, data_path, script_dir):
        if title:
            cells.append({"cell_type": "markdown", "metadata": {}, "source": src(f"## {title}")})
        else:
            cells.append({"cell_type": "markdown", "metadata": {},
                          "source": src(f"# {_comment(project.name or 'NetSketch project')}\n\n"
                                        "Exported from NetSketch Studio.")})
        cells.append({"cell_type": "code", "metadata": {}, "execution_count": None,
                      "outputs": [], "source": src(code)})
    doc = {"nbformat": 4, "nbformat_minor": 5,
           "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3",
                                       "language": "python"},
                        "language_info": {"name": "python"}},
           "cells": cells}
    for i, cell in enumerate(cells):
        cell["id"] = f"cell-{i}"
    return json.dumps(doc, indent=1, ensure_ascii=False) + "\n"


def layer_line(code: str, project: Project, uid: str, dataset: Dataset | None = None) -> int:
    """The 0-based line of ``code`` that builds the layer ``uid``, or -1."""
    try:
        gen = _gen(project, dataset, None)
    except Exception:  # no line to show is fine
        return -1
    wanted = next((line for u, line in gen.layer_lines() if u == uid), None)
    if wanted is None:
        return -1
    for i, line in enumerate(code.split("\n")):
        if line == wanted:
            return i
    return -1


def export(project: Project, path: str | os.PathLike, fmt: str | None = None,
           dataset: Dataset | None = None, data_path: str | None = None) -> Path:
    """Write the script (``py``) or notebook (``ipynb``) atomically."""
    path = Path(path)
    fmt = fmt or path.suffix.lstrip(".").lower() or "py"
    if fmt not in ("py", "ipynb"):
        raise StudioError(_("Unknown export format {fmt}: choose py or ipynb.", fmt=repr(fmt)))
    text = script(project, dataset, data_path, path.parent) if fmt == "py" else \
        notebook(project, dataset, data_path, path.parent)
    try:
        atomic_write_text(path, text)
    except OSError as exc:
        raise StudioError(_("Cannot write {path}: {detail}", path=str(path),
                            detail=exc.strerror or exc)) from exc
    return path
