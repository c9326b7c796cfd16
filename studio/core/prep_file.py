"""Checking a parsed ``preprocessing.json`` before anything is predicted with it.

The file may come from someone else (a shared run folder, a lesson). The JSON Schema in
:mod:`studio.core.schemas.preprocessing` checks its shape and types; this module checks what
a schema cannot express and a fitted scikit-learn pipeline never writes: numbers that are not
finite (``1e400`` parses as infinity), a column or a category listed twice (a one-hot input
that could never be set), and an ``n_inputs`` that is not the sum of the steps' widths. Each
problem is refused with one sentence naming the place.
"""

from __future__ import annotations

import math
from typing import Any

from studio.core import jsondoc
from studio.core.errors import ProjectError
from studio.core.i18n import _
from studio.core.schemas.preprocessing import SCHEMA

FORMAT = "netsketch-preprocessing"
#: More inputs than this is not a table the studio trained on (a first Dense layer of 16
#: units would already pass the doctor's parameter limit).
MAX_INPUTS = 1_000_000
_STEP_NUMBERS = ("mean", "std", "mm_scale", "mm_min")


def check_document(doc: Any, what: str, newest: int) -> dict[str, Any]:
    """``doc`` if it is a preprocessing document this studio can use; raises
    :class:`ProjectError` naming the first problem otherwise."""
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise ProjectError(_("{what} is not a NetSketch preprocessing file.", what=what))
    version = doc.get("version")
    if isinstance(version, int) and not isinstance(version, bool) and version > newest:
        raise ProjectError(_("{what} comes from a newer NetSketch Studio (format {v}); please "
                             "update.", what=what, v=version))
    jsondoc.check(doc, SCHEMA, what, ProjectError)
    _check_target(doc, what)
    width = 0
    columns: set[str] = set()
    for i, st in enumerate(doc["steps"]):
        if st["column"] in columns:
            raise ProjectError(_("{what} is damaged: the column {name} is listed twice (at "
                                 "steps[{i}]).", what=what, name=repr(st["column"]), i=i))
        columns.add(st["column"])
        _check_step(st, i, what)
        width += len(st["categories"]) if st["kind"] == "onehot" else 1
    if width > MAX_INPUTS:
        raise ProjectError(_("{what} is refused: its columns make {n:,} inputs, more than the "
                             "{max:,} any network of the studio takes.", what=what, n=width,
                             max=MAX_INPUTS))
    declared = doc.get("n_inputs")
    if declared is not None and declared != width:
        raise ProjectError(_("{what} is damaged: it says the network has {n} inputs, but its "
                             "columns make {m}.", what=what, n=declared, m=width))
    return doc


def _finite(value: Any) -> bool:
    """Whether a JSON number is a finite float (a 400-digit integer is not: no scaler holds
    it, and ``math.isfinite`` would raise on it)."""
    try:
        return math.isfinite(float(value))
    except OverflowError:
        return False


def _not_finite(what: str, where: str) -> ProjectError:
    return ProjectError(_("{what} is damaged: at {where} the studio expected {expected}.",
                          what=what, where=where, expected=_("a finite number")))


def _check_target(doc: dict[str, Any], what: str) -> None:
    for key in ("target_mean", "target_std"):
        if key in doc and not _finite(doc[key]):
            raise _not_finite(what, key)
    _check_unique(doc.get("classes", []), what, "classes")


def _check_step(st: dict[str, Any], i: int, what: str) -> None:
    for key in _STEP_NUMBERS:
        if key in st and not _finite(st[key]):
            raise _not_finite(what, f"steps[{i}].{key}")
    fill = st.get("impute")
    if st["kind"] == "numeric" and fill is not None and not _finite(fill):
        raise _not_finite(what, f"steps[{i}].impute")
    if "categories" in st:
        _check_unique(st["categories"], what, f"steps[{i}].categories")


def _check_unique(labels: list[Any], what: str, where: str) -> None:
    """Labels are compared as the text they are matched by (``3`` and ``"3"`` are one)."""
    seen: set[str] = set()
    for label in labels:
        text = str(int(label)) if isinstance(label, float) and label.is_integer() \
            else str(label)
        if text in seen:
            raise ProjectError(_("{what} is damaged: at {where} the value {value} is listed "
                                 "twice.", what=what, where=where, value=repr(text)[:60]))
        seen.add(text)
