"""Hyperparameter search: grid, random and Bayesian, choosing on the validation split only.

A search space (:mod:`.space`) maps parameter names to a list of values or a :class:`Range`.
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

from studio.core.errors import TrainingError
from studio.core.experiments.space import (
    Range,
    SearchError,
    _finite,
    _plain,
    _shown,
    apply_params,
    default_space,
    normalise_space,
)
from studio.core.i18n import _
from studio.core.schemas import project as schema
from studio.core.settings import higher_is_better
from studio.core.train import prepare_project, train

STRATEGIES = ("grid", "random", "bayes")
TrialHook = Callable[[dict[str, Any]], None]


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


def apply_best(project, result: SearchResult) -> dict[str, Any]:
    """Apply the best trial's parameters to ``project``; returns them."""
    best = result.best
    if best is None:
        raise SearchError(_("No trial finished, so there is no best setting to apply."))
    apply_params(project, best["params"])
    return best["params"]


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
                    v = round(v) if r.integer else float(f"{v:.6g}")
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
