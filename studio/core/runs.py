"""Run history: every training run recorded in the project, compared and restored.

A :class:`RunRecord` is a snapshot of what was trained (design, compile, training and split
settings as project-file dicts) and what happened (history, test metrics, best epoch, time,
device). :func:`compare` answers the student's two questions side by side: *what did I change*
(layers added, removed or changed; settings changed) and *what happened* (metrics).
"""

from __future__ import annotations

import math
import uuid
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any

import numpy as np

from studio.core.design import Design
from studio.core.errors import ProjectError
from studio.core.evaluate import classification_evaluation, regression_evaluation
from studio.core.i18n import _
from studio.core.prep import SplitSettings
from studio.core.settings import CompileSettings, TrainSettings, higher_is_better


@dataclass
class RunRecord:
    id: str
    started_at: str                               # ISO 8601, UTC
    design: list[dict[str, Any]]
    compile: dict[str, Any]
    training: dict[str, Any]
    split: dict[str, Any]
    history: dict[str, list[float]] = field(default_factory=dict)
    metrics: dict[str, float] = field(default_factory=dict)   # on the test split
    per_class: dict[str, dict[str, float]] = field(default_factory=dict)
    best_epoch: int = 0
    epochs_run: int = 0
    seconds: float = 0.0
    device: str = ""
    params: dict[str, int] = field(default_factory=dict)
    stopped_reason: str = ""
    note: str = ""
    #: The test split's answers, to draw the evaluation again when the project is reopened:
    #: {"y_true", "y_pred"} (regression) or {"y_true", "probabilities", "classes"}; kept for
    #: the latest run only and up to SAVED_TEST_ROWS rows (:func:`add_run`)
    test: dict[str, Any] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return self.note or self.started_at.replace("T", " ")[:19]

    def best_value(self, key: str = "val_loss") -> float | None:
        series = self.history.get(key) or []
        if not series:
            return None
        if 0 < self.best_epoch <= len(series):
            return float(series[self.best_epoch - 1])
        return float(max(series)) if higher_is_better(key) else float(min(series))

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: Any) -> RunRecord:
        if not isinstance(d, dict):
            raise ProjectError(_("A saved run must be an object."))
        try:
            return cls(
                id=str(d.get("id") or uuid.uuid4().hex[:12]),
                started_at=str(d.get("started_at", "")),
                design=list(d.get("design") or []),
                compile=dict(d.get("compile") or {}),
                training=dict(d.get("training") or {}),
                split=dict(d.get("split") or {}),
                history={str(k): [_measure(x) for x in v]
                         for k, v in (d.get("history") or {}).items()},
                metrics={str(k): _measure(v) for k, v in (d.get("metrics") or {}).items()},
                per_class={str(k): {str(m): _measure(x) for m, x in v.items()}
                           for k, v in (d.get("per_class") or {}).items()},
                best_epoch=int(d.get("best_epoch", 0)),
                epochs_run=int(d.get("epochs_run", 0)),
                seconds=float(d.get("seconds", 0.0)),
                device=str(d.get("device", "")),
                params={str(k): int(v) for k, v in (d.get("params") or {}).items()},
                stopped_reason=str(d.get("stopped_reason", "")),
                note=str(d.get("note", "")),
                test=_test_answers(d.get("test")),
            )
        except (TypeError, ValueError, AttributeError, OverflowError) as exc:
            raise ProjectError(_("A saved run has an invalid value: {detail}",
                                 detail=exc)) from exc


def _measure(x: Any) -> float:
    """A history or metric value; null (how a NaN is written) reads back as NaN."""
    return math.nan if x is None else float(x)


def record_from_result(project, result, note: str = "") -> RunRecord:
    """A record of ``result`` (a :class:`~studio.core.train.TrainResult`) trained from
    ``project``'s current design and settings."""
    ev = result.evaluation
    return RunRecord(
        id=uuid.uuid4().hex[:12],
        started_at=datetime.now(UTC).isoformat(timespec="seconds"),
        design=project.design.to_list(),
        compile=project.compile.to_dict(),
        training=project.training.to_dict(),
        split=project.split.to_dict(),
        history={k: [float(x) for x in v] for k, v in result.history.items()},
        metrics={k: float(v) for k, v in (ev.scalar_metrics() if ev else {}).items()},
        per_class={str(k): {m: float(x) for m, x in v.items()}
                   for k, v in (ev.per_class if ev else {}).items()},
        best_epoch=int(result.best_epoch),
        epochs_run=int(result.epochs_run),
        seconds=float(result.seconds),
        device=str(result.device),
        params={k: int(v) for k, v in (result.params or {}).items()},
        stopped_reason=str(result.stopped_reason),
        note=note,
        test=test_answers(ev),
    )


#: A run keeps its test split's answers up to this many rows (a few hundred kB of JSON).
SAVED_TEST_ROWS = 20_000


def _test_answers(d: Any) -> dict[str, Any]:
    """A saved run's test answers, checked: equal lengths, finite numbers, class indices in
    range; anything else is dropped (the run's metrics stay, its plots do not come back)."""
    if not isinstance(d, dict) or not d:
        return {}
    try:
        y_true = np.asarray(d["y_true"], dtype=np.float64)
        n = len(y_true)
        if y_true.ndim != 1 or not 0 < n <= SAVED_TEST_ROWS or not np.isfinite(y_true).all():
            return {}
        if "probabilities" in d:
            proba = np.asarray(d["probabilities"], dtype=np.float64)
            classes = [str(c) for c in d.get("classes") or []]
            if (proba.ndim != 2 or proba.shape[0] != n or proba.shape[1] < 2
                    or proba.shape[1] != max(len(classes), 2) or not np.isfinite(proba).all()
                    or (y_true != np.round(y_true)).any() or y_true.min() < 0
                    or y_true.max() >= proba.shape[1]):
                return {}
            return {"y_true": y_true.astype(int).tolist(), "probabilities": proba.tolist(),
                    "classes": classes}
        y_pred = np.asarray(d["y_pred"], dtype=np.float64)
        if y_pred.shape != y_true.shape or not np.isfinite(y_pred).all():
            return {}
        return {"y_true": y_true.tolist(), "y_pred": y_pred.tolist()}
    except (KeyError, TypeError, ValueError, OverflowError):
        return {}


def test_answers(evaluation: Any) -> dict[str, Any]:
    """What a run keeps of ``evaluation`` (a core.evaluate.Evaluation) to draw it again."""
    if evaluation is None or not 0 < len(evaluation.y_true) <= SAVED_TEST_ROWS:
        return {}
    if evaluation.task == "regression":
        return {"y_true": np.asarray(evaluation.y_true, dtype=float).tolist(),
                "y_pred": np.asarray(evaluation.y_pred, dtype=float).tolist()}
    if evaluation.probabilities is None:
        return {}
    return {"y_true": np.asarray(evaluation.y_true, dtype=int).tolist(),
            "probabilities": np.asarray(evaluation.probabilities, dtype=float).tolist(),
            "classes": [str(c) for c in evaluation.classes]}


def saved_evaluation(run: RunRecord) -> Any:
    """The run's test evaluation computed again from its saved answers (None without)."""
    test = run.test
    if not test:
        return None
    if "probabilities" in test:
        return classification_evaluation(np.asarray(test["y_true"], dtype=int),
                                         np.asarray(test["probabilities"], dtype=float),
                                         list(test["classes"]))
    return regression_evaluation(np.asarray(test["y_true"], dtype=float),
                                 np.asarray(test["y_pred"], dtype=float))


def add_run(project, record: RunRecord) -> None:
    """Append ``record`` to the project's runs; only the latest keeps its test answers."""
    for old in project.runs:
        old.test = {}
    project.runs.append(record)


def record_run(project, result, note: str = "") -> RunRecord:
    """Record ``result`` in ``project.runs`` and return the record."""
    rec = record_from_result(project, result, note)
    add_run(project, rec)
    return rec


def restore(project, run: RunRecord) -> None:
    """Make ``run``'s design and settings the project's current ones."""
    project.design = Design.from_list(run.design)
    project.compile = CompileSettings.from_dict(run.compile)
    project.training = TrainSettings.from_dict(run.training)
    project.split = SplitSettings.from_dict(run.split)


def _flatten(d: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in d.items():
        key = f"{prefix}{k}"
        if isinstance(v, dict) and v:
            out.update(_flatten(v, key + "."))
        else:
            out[key] = v
    return out


def _layer_text(layer: dict[str, Any]) -> str:
    kind = layer.get("kind", "?")
    if kind in ("input", "dense"):
        extra = f" {layer.get('activation')}" if kind == "dense" else ""
        return f"{kind} {layer.get('units')}{extra}"
    if kind == "dropout":
        return f"dropout {layer.get('rate')}"
    return str(kind)


def layer_diff(a: list[dict[str, Any]], b: list[dict[str, Any]]) -> dict[str, list[Any]]:
    """Layers of ``b`` against ``a``, aligned by position (input to output): ``changed`` (index,
    field, old, new), ``added`` and ``removed`` (index, description)."""
    changed, added, removed = [], [], []
    # Compare the hidden stack position by position; the output layer is matched to the
    # output layer so that adding a hidden layer reads as "added", not "changed" everywhere.
    ha, hb = a[1:-1], b[1:-1]
    pairs = [(0, a[0] if a else None, b[0] if b else None)]
    for i in range(max(len(ha), len(hb))):
        pairs.append((i + 1, ha[i] if i < len(ha) else None, hb[i] if i < len(hb) else None))
    if len(a) > 1 or len(b) > 1:
        pairs.append((len(b) - 1 if len(b) > 1 else len(a) - 1,
                      a[-1] if len(a) > 1 else None, b[-1] if len(b) > 1 else None))
    for i, la, lb in pairs:
        if la is None and lb is not None:
            added.append({"index": i, "layer": _layer_text(lb)})
        elif lb is None and la is not None:
            removed.append({"index": i, "layer": _layer_text(la)})
        elif la is not None and lb is not None:
            if la.get("kind") != lb.get("kind"):
                removed.append({"index": i, "layer": _layer_text(la)})
                added.append({"index": i, "layer": _layer_text(lb)})
                continue
            for key in sorted(set(la) | set(lb)):
                if key != "kind" and la.get(key) != lb.get(key):
                    changed.append({"index": i, "layer": _layer_text(lb), "field": key,
                                    "old": la.get(key), "new": lb.get(key)})
    return {"added": added, "removed": removed, "changed": changed}


def compare(runs: list[RunRecord]) -> dict[str, Any]:
    """What changed between ``runs`` (each against the first) and what happened.

    Returns ``{"runs": [ids], "layers": [layer_diff per later run], "settings": {dotted key:
    [value per run]} (only keys that differ), "metrics": {name: [value per run]}}``; metrics
    hold the test metrics plus ``best_val_loss``, ``best_epoch``, ``epochs_run``, ``seconds``
    and total ``params``.
    """
    if not runs:
        return {"runs": [], "layers": [], "settings": {}, "metrics": {}}
    first = runs[0]
    layers = [layer_diff(first.design, r.design) for r in runs[1:]]
    flat = [{**_flatten(r.compile, "compile."), **_flatten(r.training, "training."),
             **_flatten(r.split, "split.")} for r in runs]
    keys = sorted(set().union(*flat))
    settings = {k: [f.get(k) for f in flat] for k in keys
                if any(f.get(k) != flat[0].get(k) for f in flat[1:])}
    metric_names = sorted(set().union(*(r.metrics for r in runs)))
    metrics: dict[str, list[Any]] = {m: [r.metrics.get(m) for r in runs] for m in metric_names}
    metrics["best_val_loss"] = [r.best_value("val_loss") for r in runs]
    metrics["best_epoch"] = [r.best_epoch for r in runs]
    metrics["epochs_run"] = [r.epochs_run for r in runs]
    metrics["seconds"] = [round(r.seconds, 3) for r in runs]
    metrics["params"] = [r.params.get("total") for r in runs]
    return {"runs": [r.id for r in runs], "labels": [r.label for r in runs],
            "layers": layers, "settings": settings, "metrics": metrics}


def describe_comparison(diff: dict[str, Any]) -> list[str]:
    """The diff as short lines for a text view or the terminal."""
    lines: list[str] = []
    for n, ld in enumerate(diff.get("layers", []), start=2):
        for item in ld["added"]:
            lines.append(_("Run {n}: added layer {i} ({layer})", n=n, i=item["index"],
                           layer=item["layer"]))
        for item in ld["removed"]:
            lines.append(_("Run {n}: removed layer {i} ({layer})", n=n, i=item["index"],
                           layer=item["layer"]))
        for item in ld["changed"]:
            lines.append(_("Run {n}: layer {i} {field} {old} → {new}", n=n, i=item["index"],
                           field=item["field"], old=item["old"], new=item["new"]))
    for key, values in diff.get("settings", {}).items():
        lines.append(f"{key}: " + " → ".join(str(v) for v in values))
    if not lines:
        lines.append(_("Same design and settings."))
    return lines
