"""The search space of a hyperparameter search: the parameters (:data:`PARAMS`), their values
as a list or a :class:`Range`, parsed from text (:func:`parse_param`) and checked against the
project file's own rules (:func:`normalise_space`), and :func:`apply_params`, which sets one
point of the space on a project."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from jsonschema import Draft202012Validator

from studio.core.design import ACTIVATIONS, Design, Layer
from studio.core.errors import StudioError
from studio.core.i18n import _
from studio.core.schemas import project as schema

#: Searchable parameters and what they set.
PARAMS = {
    "units": "units per hidden layer",
    "layers": "number of hidden layers",
    "activation": "activation of the hidden layers",
    "dropout": "dropout rate after each hidden layer",
    "l2": "L2 penalty of the hidden layers",
    "lr": "learning rate",
    "batch_size": "batch size",
    "optimizer": "optimizer",
}
ALIASES = {"learning_rate": "lr", "batch": "batch_size", "hidden_layers": "layers",
           "n_layers": "layers", "rate": "dropout"}
INTEGER_PARAMS = ("units", "layers", "batch_size")
LOG_PARAMS = ("lr", "l2", "units", "batch_size")


class SearchError(StudioError):
    pass


@dataclass
class Range:
    """A continuous (or integer) range; ``log`` samples evenly in log space."""

    low: float
    high: float
    log: bool = False
    integer: bool = False

    def grid(self, n: int = 3) -> list[Any]:
        pts = (np.geomspace(self.low, self.high, n) if self.log
               else np.linspace(self.low, self.high, n))
        if self.integer:
            return sorted({round(float(p)) for p in pts})
        return [float(f"{p:.6g}") for p in pts]

    def distribution(self):
        from scipy import stats

        if self.integer and not self.log:
            return stats.randint(int(self.low), int(self.high) + 1)
        if self.log:
            return stats.loguniform(self.low, self.high)
        return stats.uniform(self.low, self.high - self.low)


def canonical(name: str) -> str:
    name = name.strip().lower()
    name = ALIASES.get(name, name)
    if name not in PARAMS:
        raise SearchError(_("Unknown search parameter {name}; choose from {choices}.",
                            name=repr(name), choices=", ".join(PARAMS)))
    return name


def default_space(project) -> dict[str, Any]:
    """A small sensible space around the current design."""
    hidden = [la for la in project.design.hidden if la.kind == "dense"]
    units = hidden[0].units if hidden else 32
    units = min(max(units, 1), schema.MAX_UNITS)
    return {"units": sorted({max(4, units // 2), units, min(units * 2, schema.MAX_UNITS)}),
            "layers": [1, 2],
            "lr": [0.001, 0.003, 0.01],
            "dropout": [0.0, 0.2]}


#: The most values one parameter may list, and the most combinations all lists may make
#: (random search draws from all of them by number).
MAX_VALUES = 1000
MAX_COMBINATIONS = 10 ** 12
CHOICE_PARAMS = ("activation", "optimizer")
#: What each parameter may be: the project file's own rules (studio.core.schemas.project),
#: so a search only tries values a project may hold. A dropout rate of 1 cannot train (the
#: doctor refuses it), so the search stops below 1.
RULES: dict[str, dict[str, Any]] = {
    "units": schema.HIDDEN_UNITS,
    "layers": schema.HIDDEN_LAYERS,
    "activation": {"enum": list(ACTIVATIONS)},
    "dropout": {"type": "number", "minimum": 0, "exclusiveMaximum": 1},
    "l2": schema.REGULARISATION,
    "lr": schema.LEARNING_RATE,
    "batch_size": schema.BATCH_SIZE,
    "optimizer": schema.OPTIMIZER,
}
_rule_validators = {name: Draft202012Validator(rule) for name, rule in RULES.items()}


def rule_text(name: str) -> str:
    """What ``name`` takes, in words (for messages)."""
    if name in CHOICE_PARAMS:
        return _("one of {choices}", choices=", ".join(RULES[name]["enum"]))
    rule = RULES[name]
    if rule.get("type") == "integer":
        return _("whole numbers from {low:,} to {high:,}", low=rule["minimum"],
                 high=rule["maximum"])
    if name == "dropout":
        return _("numbers of at least 0 and below 1")
    if name == "lr":
        return _("numbers above 0 and at most {high:g}", high=rule["maximum"])
    return _("finite numbers of at least 0")


def check_value(name: str, value: Any) -> Any:
    """``value`` as the search uses it (whole numbers as ``int``) if parameter ``name`` may
    take it; else a :class:`SearchError` naming both and what the parameter takes."""
    value = _plain(value)
    ok = _rule_validators[name].is_valid(value)
    if ok and name not in CHOICE_PARAMS:
        ok = not isinstance(value, bool) and _finite(value)
    if not ok:
        raise SearchError(_("{name} cannot be {value}: it takes {rule}.", name=name,
                            value=_shown(value), rule=rule_text(name)))
    if name in INTEGER_PARAMS:
        return int(value)
    return float(value) if name not in CHOICE_PARAMS else value


def check_range(name: str, r: Range) -> Range:
    """A range of ``name`` with both ends allowed and low < high."""
    if name in CHOICE_PARAMS:
        raise SearchError(_("{name} takes a list of choices, not a range; it takes {rule}.",
                            name=name, rule=rule_text(name)))
    low, high = check_value(name, r.low), check_value(name, r.high)
    if not low < high:
        raise SearchError(_("A range of {name} needs low < high, not {low}:{high}.",
                            name=name, low=_shown(low), high=_shown(high)))
    return Range(low, high, log=r.log and low > 0, integer=name in INTEGER_PARAMS)


def _finite(value: Any) -> bool:
    try:
        return math.isfinite(float(value))
    except (OverflowError, TypeError, ValueError):
        return False


def _shown(value: Any) -> str:
    text = value if isinstance(value, str) else repr(value)
    return repr(text[:40]) if isinstance(value, str) else text[:40]


def _number(text: str) -> Any:
    """``text`` as an int when it is one (exact, however long), else a float, else itself
    (so the parameter's rule names it)."""
    try:
        return int(text)
    except ValueError:
        pass
    try:
        return float(text)
    except ValueError:
        return text


def parse_param(text: str) -> tuple[str, Any]:
    """``name=v1,v2,...`` (values) or ``name=low:high`` (a range, log for lr/l2/units/batch),
    each value checked against the parameter's rule (:data:`RULES`)."""
    if "=" not in text:
        raise SearchError(_("Write a search parameter as name=value1,value2 or name=low:high, "
                            "not {spec}.", spec=repr(text)))
    name, values = text.split("=", 1)
    name = canonical(name)
    values = values.strip()

    def conv(v: str) -> Any:
        v = v.strip()
        if name in CHOICE_PARAMS:
            return v.lower()
        if len(v) > 100:
            raise SearchError(_("{name} cannot be {value}: it takes {rule}.", name=name,
                                value=repr(v[:40] + "…"), rule=rule_text(name)))
        return _number(v)

    if ":" in values and name not in CHOICE_PARAMS:
        lo, hi = (conv(v) for v in values.split(":", 1))
        return name, check_range(name, Range(lo, hi, log=name in LOG_PARAMS,
                                             integer=name in INTEGER_PARAMS))
    vals = [conv(v) for v in values.split(",") if v.strip()]
    if not vals:
        raise SearchError(_("{name} has no values.", name=name))
    return name, check_values(name, vals)


def check_values(name: str, values: list[Any]) -> list[Any]:
    if len(values) > MAX_VALUES:
        raise SearchError(_("{name} lists {n:,} values; a search takes at most {max:,} per "
                            "parameter.", name=name, n=len(values), max=MAX_VALUES))
    return [check_value(name, v) for v in values]


def normalise_space(space: dict[str, Any]) -> dict[str, Any]:
    """``space`` with canonical names and every value checked (:func:`check_value`)."""
    out: dict[str, Any] = {}
    for k, v in space.items():
        name = canonical(str(k))
        if isinstance(v, Range):
            out[name] = check_range(name, v)
        elif isinstance(v, (list, tuple, np.ndarray)) and len(v) > 0:
            out[name] = check_values(name, list(v))
        else:
            out[name] = check_values(name, [v])
    if not out:
        raise SearchError(_("The search space is empty."))
    points = math.prod(len(v) for v in out.values() if isinstance(v, list))
    if points > MAX_COMBINATIONS:
        raise SearchError(_("The search space lists {n:.3g} combinations of values; a search "
                            "takes at most {max:.3g}. List fewer values, or give a range "
                            "(low:high) instead.", n=float(points), max=float(MAX_COMBINATIONS)))
    return out


def apply_params(project, params: dict[str, Any]) -> None:
    """Set ``params`` on ``project`` in place (design, compile and training settings)."""
    params = {canonical(k): v for k, v in params.items()}
    params = {k: check_value(k, v) for k, v in params.items()}
    design: Design = project.design
    hidden = [la for la in design.hidden if la.kind == "dense"]
    if {"units", "layers", "activation", "dropout", "l2"} & set(params):
        template = hidden[0] if hidden else Layer.dense(32)
        n = int(params.get("layers", len(hidden) or 1))
        units = params.get("units")
        drops = [la.rate for la in design.hidden if la.kind == "dropout"]
        rate = float(params.get("dropout", drops[0] if drops else 0.0))
        rebuild = "layers" in params or ("dropout" in params and (rate > 0) != bool(drops))
        if rebuild:
            new_hidden: list[Layer] = []
            for i in range(n):
                src = hidden[i] if i < len(hidden) else template
                new_hidden.append(Layer.dense(int(units if units is not None else src.units),
                                              params.get("activation", src.activation),
                                              l1=src.l1, l2=float(params.get("l2", src.l2)),
                                              initializer=src.initializer))
                if rate > 0:
                    new_hidden.append(Layer.dropout(rate))
            design.layers = [design.input, *new_hidden, design.output]
        else:
            for la in design.hidden:
                if la.kind == "dense":
                    if units is not None:
                        la.units = int(units)
                    if "activation" in params:
                        la.activation = str(params["activation"])
                    if "l2" in params:
                        la.l2 = float(params["l2"])
                elif la.kind == "dropout" and "dropout" in params:
                    la.rate = rate
    if "lr" in params:
        project.compile.learning_rate = float(params["lr"])
    if "optimizer" in params:
        project.compile.optimizer = str(params["optimizer"])
    if "batch_size" in params:
        project.training.batch_size = int(params["batch_size"])


def _plain(v: Any) -> Any:
    if isinstance(v, np.generic):
        return v.item()
    return v
