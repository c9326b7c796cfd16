"""What a value of a project may become in generated code: a Python literal and never
anything else (:func:`_lit`), a comment that cannot end its line, and the checks that refuse
a project whose names or numbers the code could not state safely (:func:`_check_project`)."""

from __future__ import annotations

import json
import math
import unicodedata
from typing import Any

import numpy as np

from studio.core.data import check_read_options
from studio.core.design import ACTIVATIONS, INITIALIZERS, LAYER_KINDS
from studio.core.errors import DesignError
from studio.core.i18n import _
from studio.core.prep import ENCODE, IMPUTE, SCALE
from studio.core.project import Project
from studio.core.settings import CLASS_WEIGHTS, LOSSES, METRICS, OPTIMIZERS, SCHEDULES

#: Characters that end a line for some reader of the code (str.splitlines, editors,
#: notebooks) although Python's tokenizer does not: written as escapes inside literals.
_LINE_BREAKS = {"\x85": "\\x85", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def _lit(v: Any) -> str:
    """A Python literal for a plain value, and never anything else: a value read from a
    project file can only ever become data in the generated code (issue: crafted projects).
    Text is escaped (quotes, backslashes, control and line-separator characters, lone
    surrogates); numbers are finite or written as ``float("nan")``; other types are refused."""
    if isinstance(v, bool) or v is None:
        return repr(v)
    if isinstance(v, int):
        return repr(int(v))
    if isinstance(v, float):
        if math.isfinite(v):
            return repr(float(v))
        return f'float("{"nan" if math.isnan(v) else ("inf" if v > 0 else "-inf")}")'
    if isinstance(v, str):
        text = json.dumps(v, ensure_ascii=False)
        text = "".join(_LINE_BREAKS.get(ch) or (f"\\u{ord(ch):04x}"
                                                if 0xD800 <= ord(ch) <= 0xDFFF else ch)
                       for ch in text)
        return text
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(_lit(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{" + ", ".join(f"{_lit(k)}: {_lit(x)}" for k, x in v.items()) + "}"
    if isinstance(v, np.generic):
        return _lit(v.item())
    raise DesignError(_("A value of the project cannot be written into code: {value}.",
                        value=repr(v)[:60]))


def _comment(text: Any, limit: int = 120) -> str:
    """``text`` made safe for a ``#`` comment or a docstring line: one line (every kind of
    line break and control character becomes a space), no quotes or backslashes that could
    close a docstring, at most ``limit`` characters."""
    out = []
    for ch in str(text):
        if ch in '"\\' or unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp", "Cs"):
            out.append(" " if ch not in '"\\' else ("'" if ch == '"' else "/"))
        else:
            out.append(ch)
    line = " ".join("".join(out).split())
    return line if len(line) <= limit else line[:limit - 1] + "…"


def _choice(value: Any, choices: tuple[str, ...] | list[str], what: str) -> str:
    """``value`` if it is one of ``choices`` (then it may be written into code as a name),
    else a :class:`DesignError`: an unknown activation or optimizer is never pasted."""
    if isinstance(value, str) and value in choices:
        return value
    raise DesignError(_("The project has an unknown {what}: {value}. Choose one of {choices}.",
                        what=what, value=repr(value)[:60], choices=", ".join(choices)))


def _number(value: Any, what: str, integer: bool = False) -> float | int:
    """A finite number from the project, or a :class:`DesignError` naming the setting."""
    ok = isinstance(value, (int, float, np.number)) and not isinstance(value, bool) \
        and math.isfinite(float(value))
    if ok and integer:
        ok = float(value).is_integer()
    if not ok:
        raise DesignError(_("The project's {what} is not a valid number: {value}.", what=what,
                            value=repr(value)[:60]))
    return int(value) if integer else float(value)


def _check_project(p: Project) -> None:
    """Refuse, before a single line is written, any project value that would otherwise be
    pasted into code: every choice against its list, every number finite."""
    for layer in p.design.layers:
        _choice(layer.kind, LAYER_KINDS, _("layer kind"))
        _number(layer.units, _("number of units"), integer=True)
        if layer.kind == "dense":
            _choice(layer.activation, ACTIVATIONS, _("activation"))
            _choice(layer.initializer, INITIALIZERS, _("initializer"))
            _number(layer.l1, "L1")
            _number(layer.l2, "L2")
        if layer.kind == "dropout":
            _number(layer.rate, _("dropout rate"))
    c, t = p.compile, p.training
    _choice(c.optimizer, OPTIMIZERS, _("optimizer"))
    _choice(c.loss, LOSSES, _("loss"))
    for m in c.metrics:
        _choice(m, METRICS, _("metric"))
    for name in ("learning_rate", "momentum", "weight_decay"):
        _number(getattr(c, name), name)
    for name in ("epochs", "batch_size", "seed"):
        _number(getattr(t, name), name, integer=True)
    _choice(t.class_weight, CLASS_WEIGHTS, _("class weighting"))
    for k, w in t.manual_class_weights.items():
        _number(w, _("class weight of {name}", name=_comment(k, 40)))
    es, sc = t.early_stopping, t.schedule
    _choice(es.monitor, ("val_loss", "loss") + tuple(f"val_{m}" for m in METRICS)
            + tuple(METRICS), _("early-stopping monitor"))
    _number(es.patience, "patience", integer=True)
    _choice(sc.kind, SCHEDULES, _("learning-rate schedule"))
    for name in ("factor", "min_lr", "decay_rate"):
        _number(getattr(sc, name), name)
    for name in ("patience", "step_epochs"):
        _number(getattr(sc, name), name, integer=True)
    for name in ("train", "validation", "test"):
        _number(getattr(p.split, name), name)
    _number(p.split.seed, "split seed", integer=True)
    check_read_options(p.read_options)     # the reader's own check: one validator
    for prep in p.columns.values():
        _choice(prep.impute, IMPUTE, _("missing-value strategy"))
        _choice(prep.scale, SCALE, _("scaling"))
        _choice(prep.encode, ENCODE, _("encoding"))
