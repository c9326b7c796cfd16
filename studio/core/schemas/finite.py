"""What a JSON Schema cannot say about numbers: that each one is a finite float.

``json`` parses ``1e400`` as infinity and keeps a 400-digit integer exact; neither is a value
any setting of the studio can hold (``float()`` of the integer overflows). A schema's
``minimum`` / ``maximum`` catch them where a field has bounds; :func:`check` catches them
everywhere else, after the schema, with the same kind of sentence.
"""

from __future__ import annotations

import math
from typing import Any

from studio.core import jsondoc
from studio.core.errors import StudioError
from studio.core.i18n import _


def _finite(value: Any) -> bool:
    try:
        return math.isfinite(float(value))
    except OverflowError:
        return False


def not_finite(doc: Any) -> list[Any] | None:
    """The path to the first number in ``doc`` that is not a finite float, or None
    (iterative, like :func:`studio.core.jsondoc.depth`)."""
    stack: list[tuple[Any, list[Any]]] = [(doc, [])]
    while stack:
        item, path = stack.pop()
        if isinstance(item, dict):
            stack.extend((v, [*path, k]) for k, v in reversed(list(item.items())))
        elif isinstance(item, list):
            stack.extend((v, [*path, i]) for i, v in reversed(list(enumerate(item))))
        elif isinstance(item, (int, float)) and not isinstance(item, bool) \
                and not _finite(item):
            return path
    return None


def check(doc: Any, what: str, error: type[StudioError] = StudioError) -> Any:
    """``doc`` unchanged, or ``error`` naming the first number that is not finite."""
    path = not_finite(doc)
    if path is not None:
        raise error(_("{what} is damaged: at {where} the studio expected {expected}.",
                      what=what, where=jsondoc.where(path), expected=_("a finite number")))
    return doc


def validate(doc: Any, schema: dict[str, Any], what: str,
             error: type[StudioError] = StudioError) -> Any:
    """The schema first (its message is the more specific), then the numbers."""
    jsondoc.check(doc, schema, what, error)
    return check(doc, what, error)
