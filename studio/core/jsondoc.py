"""Reading the studio's own JSON documents as possibly hostile input.

Every document the studio opens (project files, preprocessing.json, metrics.json, a lesson's
manifest, autosaves) may have been written by someone else. :func:`read` reads one with limits
on its size and nesting depth, and :func:`check` validates a parsed document against a JSON
Schema (Draft 2020-12, with the ``jsonschema`` library), turning the first violation into one
plain sentence that names the document, where in it the problem is and what was expected.

Callers pass the :class:`~studio.core.errors.StudioError` subclass to raise, so a damaged
project file is a ``ProjectError`` and a damaged preprocessing file a ``StudioError``.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import jsonschema
from jsonschema import Draft202012Validator

from studio.core.errors import StudioError
from studio.core.i18n import _

#: Larger documents are refused before parsing (a project with long run histories is ~1 MB).
MAX_BYTES = 64 * 1024 * 1024
#: Deeper nesting is refused (the studio's own documents are at most ~8 levels deep; deep
#: nesting would otherwise reach Python's recursion limit in json or in the checks).
MAX_DEPTH = 64

_validators: dict[int, Draft202012Validator] = {}


def depth(value: Any, limit: int = MAX_DEPTH) -> int:
    """The nesting depth of a parsed JSON value, counting at most to ``limit + 1``
    (iterative: a hostile document cannot exhaust the stack here)."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, (dict, list)):
            deepest = max(deepest, level)
            if deepest > limit:
                return deepest
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, level + 1) for child in children)
    return deepest


_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_BRACKET = re.compile(r"[\[\]{}]")


def _too_deep_text(text: str, limit: int) -> bool:
    """Whether brackets in ``text`` nest deeper than ``limit`` (outside strings), checked
    before parsing so that json's recursive parser never sees such a document."""
    level = 0
    for m in _BRACKET.finditer(_STRING.sub('""', text)):
        if m.group() in "[{":
            level += 1
            if level > limit:
                return True
        else:
            level -= 1
    return False


def loads(text: str, what: str, error: type[StudioError] = StudioError,
          max_depth: int = MAX_DEPTH) -> Any:
    """Parse ``text`` (a document called ``what`` in messages), refusing invalid JSON,
    NaN/Infinity constants and nesting deeper than ``max_depth``."""
    if _too_deep_text(text, max_depth):
        raise error(_("{what} is nested more than {n} levels deep; the studio does not read "
                      "such files.", what=what, n=max_depth))

    def no_constants(name: str) -> Any:
        raise ValueError(name)

    try:
        return json.loads(text, parse_constant=no_constants)
    except json.JSONDecodeError as exc:
        raise error(_("{what} is not valid JSON (line {line}, column {col}).", what=what,
                      line=exc.lineno, col=exc.colno)) from exc
    except ValueError as exc:           # NaN, Infinity, -Infinity
        raise error(_("{what} contains {value}, which is not a number JSON allows.",
                      what=what, value=str(exc))) from exc
    except RecursionError as exc:       # guarded above; kept as a second line of defence
        raise error(_("{what} is nested too deeply to read.", what=what)) from exc


def read(path: str | os.PathLike, what: str, error: type[StudioError] = StudioError,
         max_bytes: int = MAX_BYTES, max_depth: int = MAX_DEPTH) -> Any:
    """Read and parse the JSON file at ``path`` with size and depth limits."""
    path = Path(path)
    try:
        if not path.is_file():
            if path.exists():
                raise error(_("{what} {path} is not a regular file.", what=what,
                              path=str(path)))
            raise error(_("{what} {path} does not exist.", what=what, path=str(path)))
        size = path.stat().st_size
        if size > max_bytes:
            raise error(_("{what} {path} is {mb:.0f} MB; the studio reads files of this kind "
                          "up to {limit:.0f} MB.", what=what, path=str(path),
                          mb=size / 2**20, limit=max_bytes / 2**20))
        with path.open("rb") as fh:
            raw = fh.read(max_bytes + 1)
    except OSError as exc:
        raise error(_("{what} {path} cannot be read: {reason}", what=what, path=str(path),
                      reason=exc.strerror or exc)) from exc
    if len(raw) > max_bytes:
        raise error(_("{what} {path} is larger than {limit:.0f} MB.", what=what,
                      path=str(path), limit=max_bytes / 2**20))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise error(_("{what} {path} is not UTF-8 text (byte {pos}).", what=what,
                      path=str(path), pos=exc.start)) from exc
    return loads(text, what, error, max_depth)


def _validator(schema: Mapping[str, Any]) -> Draft202012Validator:
    key = id(schema)
    v = _validators.get(key)
    if v is None:
        Draft202012Validator.check_schema(schema)
        v = _validators[key] = Draft202012Validator(schema)
    return v


def where(path: Any) -> str:
    """A JSON path like ``design[2].units`` for messages ("the document" at the top)."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or _("the document")


def _expected(err: jsonschema.ValidationError) -> str:
    """What the schema wanted at the failing place, in words."""
    v, kind = err.validator, err.validator_value
    if v == "type":
        kinds = kind if isinstance(kind, list) else [kind]
        names = {"object": _("an object"), "array": _("a list"), "string": _("text"),
                 "integer": _("a whole number"), "number": _("a number"),
                 "boolean": _("true or false"), "null": _("null")}
        return _(" or ").join(names.get(k, str(k)) for k in kinds)
    if v == "enum":
        return _("one of {choices}", choices=", ".join(json.dumps(c, ensure_ascii=False)
                                                      for c in kind[:12]))
    if v == "const":
        return json.dumps(kind, ensure_ascii=False)
    if v == "required":
        return _("a field {name}", name=err.message.split("'")[1] if "'" in err.message
                 else err.message)
    if v in ("minimum", "exclusiveMinimum"):
        return _("a number of at least {n}", n=kind) if v == "minimum" else \
            _("a number above {n}", n=kind)
    if v in ("maximum", "exclusiveMaximum"):
        return _("a number of at most {n}", n=kind) if v == "maximum" else \
            _("a number below {n}", n=kind)
    if v in ("minItems", "maxItems"):
        return _("at least {n} entries", n=kind) if v == "minItems" else \
            _("at most {n} entries", n=kind)
    if v in ("minLength", "maxLength"):
        return _("text of at least {n} characters", n=kind) if v == "minLength" else \
            _("text of at most {n} characters", n=kind)
    if v in ("minProperties", "maxProperties"):
        return _("at least {n} fields", n=kind) if v == "minProperties" else \
            _("at most {n} fields", n=kind)
    if v == "additionalProperties":
        return _("no field other than the known ones")
    return err.message


def check(doc: Any, schema: Mapping[str, Any], what: str,
          error: type[StudioError] = StudioError) -> Any:
    """Validate ``doc`` against ``schema``; raise ``error`` naming the first problem (the one
    deepest in the document, which is the most specific) or return ``doc`` unchanged."""
    if depth(doc) > MAX_DEPTH:
        raise error(_("{what} is nested too deeply to read.", what=what))
    errors = list(_validator(schema).iter_errors(doc))
    if not errors:
        return doc
    best = jsonschema.exceptions.best_match(errors)
    raise error(_("{what} is damaged: at {where} the studio expected {expected}.", what=what,
                  where=where(best.absolute_path), expected=_expected(best)))
