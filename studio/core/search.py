"""Hyperparameter search: grid, random and Bayesian, choosing on the validation split only.

A search space maps parameter names (:data:`PARAMS`) to a list of values or a :class:`Range`.
Strategies: ``grid`` (scikit-learn's ``ParameterGrid``; a range becomes a few evenly spaced
points), ``random`` (``ParameterSampler``) and ``bayes`` (Optuna's TPE sampler, ask-and-tell).
Each trial trains a copy of the project with early stopping and is scored by the best value of
a validation metric; the test split is removed from what trials see, so it can never influence
the choice. The budget is a number of trials and optionally seconds; a :class:`TrainControl`
stops the search within the running trial.
"""

from __future__ import annotations

import copy
import itertools
import math
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
from jsonschema import Draft202012Validator

from studio.core.design import ACTIVATIONS, Design, Layer
from studio.core.errors import StudioError, TrainingError
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
STRATEGIES = ("grid", "random", "bayes")
INTEGER_PARAMS = ("units", "layers", "batch_size")
LOG_PARAMS = ("lr", "l2", "units", "batch_size")
TrialHook = Callable[[dict[str, Any]], None]


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
            return sorted({int(round(p)) for p in pts})
        return [float(f"{p:.6g}") for p in pts]

    def distribution(self):
        from scipy import stats

        if self.integer and not self.log:
            return stats.randint(int(self.low), int(self.high) + 1)
        if self.log:
            return stats.loguniform(self.low, self.high)
        return stats.uniform(self.low, self.high - self.low)


@dataclass
class SearchResult:
    strategy: str
    metric: str
    mode: str                                   # min | max
    trials: list[dict[str, Any]] = field(default_factory=list)
    stopped_reason: str = "completed"           # completed | trials | seconds | stopped
    seconds: float = 0.0

    @property
    def finished(self) -> list[dict[str, Any]]:
        return [t for t in self.trials if t["status"] == "ok" and t["score"] is not None
                and math.isfinite(t["score"])]

    @property
    def best(self) -> dict[str, Any] | None:
        done = self.table()
        return done[0] if done else None

    def table(self) -> list[dict[str, Any]]:
        """Finished trials, best first by the validation metric."""
        return sorted(self.finished, key=lambda t: t["score"] if self.mode == "min"
                      else -t["score"])


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
    out = {}
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


def apply_best(project, result: SearchResult) -> dict[str, Any]:
    """Apply the best trial's parameters to ``project``; returns them."""
    best = result.best
    if best is None:
        raise SearchError(_("No trial finished, so there is no best setting to apply."))
    apply_params(project, best["params"])
    return best["params"]


def _plain(v: Any) -> Any:
    if isinstance(v, np.generic):
        return v.item()
    return v


def _grid(space: dict[str, Any], n: int | None = None) -> list[dict[str, Any]]:
    """The first ``n`` points of the grid (all without ``n``), made one at a time: a grid of
    many parameters with many values each has more points than memory holds."""
    from sklearn.model_selection import ParameterGrid

    lists = {k: (v.grid() if isinstance(v, Range) else v) for k, v in space.items()}
    return [{k: _plain(v) for k, v in p.items()}
            for p in itertools.islice(ParameterGrid(lists), n)]


def _random(space: dict[str, Any], n: int, seed: int) -> list[dict[str, Any]]:
    from sklearn.model_selection import ParameterSampler

    dists = {k: (v.distribution() if isinstance(v, Range) else v) for k, v in space.items()}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # fewer combinations than n: all of them
        out = []
        for p in ParameterSampler(dists, n_iter=n, random_state=seed):
            q = {}
            for k, v in p.items():
                v = _plain(v)
                r = space[k]
                if isinstance(r, Range):
                    v = int(round(v)) if r.integer else float(f"{v:.6g}")
                q[k] = v
            out.append(q)
    return out


def _suggest(trial, space: dict[str, Any]) -> dict[str, Any]:
    params = {}
    for k, v in space.items():
        if isinstance(v, Range):
            if v.integer:
                params[k] = trial.suggest_int(k, int(v.low), int(v.high), log=v.log)
            else:
                params[k] = trial.suggest_float(k, float(v.low), float(v.high), log=v.log)
        else:
            params[k] = trial.suggest_categorical(k, v)
    return params


def metric_for(project, metric: str | None) -> tuple[str, str]:
    metric = metric or "val_loss"
    if not metric.startswith("val_"):
        metric = "val_" + metric
    from studio.core.settings import higher_is_better

    mode = "max" if higher_is_better(metric) else "min"
    return metric, mode


#: The most trials one search may plan (the dialog offers up to 500).
MAX_TRIALS = 100_000


def _whole(value: Any, what: str, low: int, high: int) -> int:
    value = _plain(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise SearchError(_("{what} must be a whole number from {low:,} to {high:,}, not "
                            "{value}.", what=what, low=low, high=high, value=_shown(value)))
    return value


def check_metric(project, metric: str | None) -> str:
    """The validation metric to choose by, if the project measures it (``loss`` always)."""
    name, _mode = metric_for(project, metric)
    known = ["val_loss", *(f"val_{m}" for m in project.compile.metrics)]
    if name not in known:
        raise SearchError(_("The search cannot choose by {name}: the project measures {known}.",
                            name=repr(name), known=", ".join(known)))
    return name


def search(project, dataset=None, space: dict[str, Any] | None = None, strategy: str = "random",
           trials: int = 10, seconds: float | None = None, *, prepared=None,
           metric: str | None = None, epochs: int | None = None, patience: int | None = None,
           seed: int = 0, control=None, on_trial: TrialHook | None = None,
           on_epoch: Callable[[int, int, dict[str, float]], None] | None = None
           ) -> SearchResult:
    """Run up to ``trials`` trials of ``strategy`` over ``space`` (default:
    :func:`default_space`) within ``seconds``.

    Each trial trains a copy of ``project`` with early stopping (``patience``, default the
    project's, at most 10) on the training split and is scored by the best ``metric`` on the
    validation split (default ``val_loss``). ``on_trial(row)`` receives each finished trial's
    row; ``on_epoch(trial, epoch, logs)`` each epoch. ``control.request_stop()`` ends the search
    within the running trial (that trial is marked ``stopped`` and not ranked).
    """
    from studio.core.train import prepare_project, train

    if strategy not in STRATEGIES:
        raise SearchError(_("Unknown search strategy {name}; choose grid, random or bayes.",
                            name=repr(strategy)))
    trials = _whole(trials, _("The number of trials"), 1, MAX_TRIALS)
    if epochs is not None:
        epochs = _whole(epochs, _("The epochs per trial"), 1, schema.MAX_EPOCHS)
    if patience is not None:
        patience = _whole(patience, _("The early-stopping patience"), 1, schema.MAX_PATIENCE)
    if seconds is not None and (isinstance(seconds, bool) or not _finite(seconds)
                                or seconds <= 0):
        raise SearchError(_("The time limit must be a number of seconds above 0, not "
                            "{value}.", value=_shown(seconds)))
    space = normalise_space(space if space else default_space(project))
    check_metric(project, metric)
    if dataset is None and prepared is None:
        dataset = project.load_data()
    if prepared is None:
        prepared = prepare_project(project, dataset)
    # The test split is cut away before any trial sees the data: it cannot be used to choose.
    prepared = replace(prepared, x_test=prepared.x_test[:0], y_test=prepared.y_test[:0],
                       index_test=prepared.index_test[:0])
    metric, mode = metric_for(project, metric)
    result = SearchResult(strategy=strategy, metric=metric, mode=mode)
    start = time.perf_counter()

    if strategy == "grid":
        candidates: list[dict[str, Any]] | None = _grid(space, int(trials))
    elif strategy == "random":
        candidates = _random(space, int(trials), seed)
    else:
        candidates = None
        import optuna

        optuna.logging.set_verbosity(optuna.logging.WARNING)
        study = optuna.create_study(
            direction="minimize" if mode == "min" else "maximize",
            sampler=optuna.samplers.TPESampler(seed=seed, n_startup_trials=min(
                5, max(2, int(trials) // 3))))
    n_total = len(candidates) if candidates is not None else int(trials)
    for i in range(n_total):
        if control is not None and control.stop_requested:
            result.stopped_reason = "stopped"
            break
        if seconds is not None and time.perf_counter() - start >= seconds:
            result.stopped_reason = "seconds"
            break
        if candidates is not None:
            params, otrial = candidates[i], None
        else:
            otrial = study.ask()
            params = _suggest(otrial, space)
        p = copy.deepcopy(project)
        p.runs = []
        apply_params(p, params)
        if epochs is not None:
            p.training.epochs = int(epochs)
        es = p.training.early_stopping
        es.enabled, es.monitor, es.restore_best_weights = True, "val_loss", True
        es.patience = int(patience if patience is not None else min(es.patience, 10))
        hook = (lambda e, logs, n=i + 1: on_epoch(n, e, logs)) if on_epoch else None
        row: dict[str, Any] = {"trial": i + 1, "params": dict(params), **params,
                               "score": None, "best_epoch": 0, "epochs_run": 0,
                               "seconds": 0.0, "status": "ok"}
        try:
            res = train(p, dataset, prepared=prepared, on_epoch=hook, control=control,
                        check=False, evaluate_test=False)
        except TrainingError as exc:   # NaN loss: the setting failed, the search goes on
            row.update(status="failed", error=str(exc))
            if otrial is not None:
                study.tell(otrial, state=optuna.trial.TrialState.FAIL)
        else:
            series = res.history.get(metric) or []
            score = (min(series) if mode == "min" else max(series)) if series else None
            row.update(score=None if score is None else float(score),
                       best_epoch=res.best_epoch, epochs_run=res.epochs_run,
                       seconds=round(res.seconds, 3))
            if res.stopped_reason == "stopped":
                row["status"] = "stopped"
            if otrial is not None:
                if row["status"] == "ok" and score is not None and math.isfinite(score):
                    study.tell(otrial, float(score))
                else:
                    study.tell(otrial, state=optuna.trial.TrialState.FAIL)
        result.trials.append(row)
        if on_trial is not None:
            on_trial(row)
        if row["status"] == "stopped":
            result.stopped_reason = "stopped"
            break
    else:
        result.stopped_reason = "completed"
    result.seconds = time.perf_counter() - start
    return result
