"""Compile and training settings: dataclasses validated here, mirrored by the GUI's forms.

Each ``validate()`` returns a list of plain-language problems (empty when valid). ``to_dict`` /
``from_dict`` are the project-file representation.
"""

from __future__ import annotations

from dataclasses import MISSING, asdict, dataclass, field, fields
from typing import Any

from studio.core.errors import ProjectError
from studio.core.i18n import _

OPTIMIZERS = ("adam", "sgd", "rmsprop", "adamw", "adagrad")
LOSSES = ("mse", "mae", "huber", "binary_crossentropy", "categorical_crossentropy",
          "sparse_categorical_crossentropy")
REGRESSION_METRICS = ("mae", "rmse", "r2")
CLASSIFICATION_METRICS = ("accuracy", "precision", "recall", "auc")
METRICS = REGRESSION_METRICS + CLASSIFICATION_METRICS
#: The metrics for which a larger value is better; for the others and every loss (errors),
#: smaller is better. The one definition: training's best epoch, the curves, the run history
#: and the hyperparameter search all ask :func:`higher_is_better`.
HIGHER_IS_BETTER = frozenset({"accuracy", "precision", "recall", "auc", "r2"})


def higher_is_better(key: str) -> bool:
    """Whether a larger value of ``key`` is better: "val_auc", "accuracy", "r2" (and Keras's
    numbered names such as "auc_1") yes; "loss", "val_mae", "rmse" no."""
    base = key.removeprefix("val_")
    return any(base == m or base.startswith(m + "_") for m in HIGHER_IS_BETTER)
SCHEDULES = ("none", "plateau", "exponential", "step")
DEVICES = ("auto", "cpu", "gpu")
CLASS_WEIGHTS = ("none", "balanced", "manual")
RESAMPLING = ("none", "over", "under", "smote")  # applied to the training split only


def default_loss(task: str) -> str:
    return {"regression": "mse", "binary": "binary_crossentropy"}.get(
        task, "sparse_categorical_crossentropy")


def default_metrics(task: str) -> list[str]:
    return ["mae", "rmse"] if task == "regression" else ["accuracy"]


def _from_dict(cls, d: Any, what: str):
    """``cls`` from a project file's section; a value of the wrong type (text for a number, a
    list for a flag) is refused here with a :class:`ProjectError`, not later by a crash."""
    if d is None:
        return cls()
    if not isinstance(d, dict):
        raise ProjectError(_("The {what} section must be an object.", what=what))
    known = {f.name: f for f in fields(cls)}
    kwargs = {}
    for k, v in d.items():
        if k in known:
            kwargs[k] = _checked(v, _default_of(known[k]), what, k)
    try:
        obj = cls(**kwargs)
    except TypeError as exc:
        raise ProjectError(_("The {what} section is invalid: {detail}", what=what,
                             detail=exc)) from exc
    return obj


def _default_of(f: Any) -> Any:
    if f.default is not MISSING:
        return f.default
    if f.default_factory is not MISSING:
        return f.default_factory()
    return None


def _checked(value: Any, default: Any, what: str, name: str) -> Any:
    """``value`` if it has the type of the field's ``default`` (whole floats count as
    integers, integers as floats), else a :class:`ProjectError`."""
    ok: Any = _BAD
    if isinstance(default, bool):
        ok = value if isinstance(value, bool) else _BAD
    elif isinstance(default, int):
        if isinstance(value, int) and not isinstance(value, bool):
            ok = value
        elif isinstance(value, float) and value.is_integer():
            ok = int(value)
    elif isinstance(default, float):
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            ok = float(value)
    elif isinstance(default, str):
        ok = value if isinstance(value, str) else _BAD
    elif isinstance(default, list):
        ok = list(value) if isinstance(value, list) else _BAD
    elif isinstance(default, dict):
        ok = dict(value) if isinstance(value, dict) else _BAD
    else:
        ok = value
    if ok is _BAD:
        raise ProjectError(_("The {what} setting {name} has an invalid value: {value}.",
                             what=what, name=name, value=repr(value)[:40]))
    return ok


_BAD = object()


@dataclass
class CompileSettings:
    """What ``model.compile`` receives: how the error is measured and reduced."""

    optimizer: str = "adam"
    learning_rate: float = 0.001
    momentum: float = 0.9          # SGD only
    weight_decay: float = 0.004    # AdamW only
    loss: str = "mse"
    metrics: list[str] = field(default_factory=lambda: ["mae", "rmse"])

    @classmethod
    def for_task(cls, task: str) -> CompileSettings:
        return cls(loss=default_loss(task), metrics=default_metrics(task))

    def validate(self) -> list[str]:
        problems = []
        if self.optimizer not in OPTIMIZERS:
            problems.append(_("Unknown optimizer {name}; choose one of {choices}.",
                              name=repr(self.optimizer), choices=", ".join(OPTIMIZERS)))
        if not (isinstance(self.learning_rate, (int, float)) and 0 < self.learning_rate <= 10):
            problems.append(_("The learning rate must be a number above 0 (typically 0.0001 "
                              "to 0.1)."))
        if not (0 <= float(self.momentum) < 1):
            problems.append(_("Momentum must be between 0 and 1."))
        if self.loss not in LOSSES:
            problems.append(_("Unknown loss {name}; choose one of {choices}.",
                              name=repr(self.loss), choices=", ".join(LOSSES)))
        for m in self.metrics:
            if m not in METRICS:
                problems.append(_("Unknown metric {name}.", name=repr(m)))
        return problems

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: Any) -> CompileSettings:
        obj = _from_dict(cls, d, "compile")
        obj.metrics = [str(m) for m in (obj.metrics or [])]
        return obj


@dataclass
class EarlyStopping:
    enabled: bool = True
    monitor: str = "val_loss"
    patience: int = 10
    restore_best_weights: bool = True


@dataclass
class Schedule:
    """Learning-rate schedule. ``plateau`` reacts to validation loss; ``exponential`` and
    ``step`` decay on a fixed plan. The kinds are exclusive."""

    kind: str = "none"
    factor: float = 0.5        # plateau and step: multiply the rate by this
    patience: int = 5          # plateau
    decay_rate: float = 0.96   # exponential: per epoch
    step_epochs: int = 10      # step: every N epochs
    min_lr: float = 1e-6


@dataclass
class TrainSettings:
    """What ``model.fit`` receives, plus reproducibility and device."""

    epochs: int = 100
    batch_size: int = 32
    early_stopping: EarlyStopping = field(default_factory=EarlyStopping)
    schedule: Schedule = field(default_factory=Schedule)
    class_weight: str = "none"                  # none | balanced | manual
    manual_class_weights: dict[str, float] = field(default_factory=dict)
    seed: int = 42
    device: str = "auto"
    resample: str = "none"                      # none | over | under | smote (training rows)

    def validate(self) -> list[str]:
        problems = []
        if not isinstance(self.epochs, int) or not 1 <= self.epochs <= 100000:
            problems.append(_("Epochs must be a whole number from 1 to 100000."))
        if not isinstance(self.batch_size, int) or not 1 <= self.batch_size <= 1_000_000:
            problems.append(_("The batch size must be a whole number of at least 1."))
        es = self.early_stopping
        if es.enabled:
            if es.monitor not in ("val_loss", "loss") and not es.monitor.startswith("val_"):
                problems.append(_("Early stopping must monitor a validation value such as "
                                  "val_loss."))
            if not isinstance(es.patience, int) or es.patience < 1:
                problems.append(_("Early-stopping patience must be at least 1 epoch."))
        sc = self.schedule
        if sc.kind not in SCHEDULES:
            problems.append(_("Unknown learning-rate schedule {name}.", name=repr(sc.kind)))
        elif sc.kind in ("plateau", "step") and not 0 < sc.factor < 1:
            problems.append(_("The schedule's factor must be between 0 and 1."))
        elif sc.kind == "exponential" and not 0 < sc.decay_rate < 1:
            problems.append(_("The exponential decay rate must be between 0 and 1."))
        elif sc.kind == "step" and sc.step_epochs < 1:
            problems.append(_("The step schedule needs a step of at least 1 epoch."))
        if self.class_weight not in CLASS_WEIGHTS:
            problems.append(_("Class weights must be none, balanced or manual."))
        if self.resample not in RESAMPLING:
            problems.append(_("Resampling must be none, over, under or smote."))
        if self.device not in DEVICES:
            problems.append(_("The device must be auto, cpu or gpu."))
        if not isinstance(self.seed, int) or not 0 <= self.seed < 2 ** 32:
            problems.append(_("The seed must be a whole number from 0 to {max}.",
                              max=2 ** 32 - 1))
        return problems

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: Any) -> TrainSettings:
        if d is not None and not isinstance(d, dict):
            raise ProjectError(_("The {what} section must be an object.", what="training"))
        d = dict(d or {})
        es = _from_dict(EarlyStopping, d.pop("early_stopping", None), "early_stopping")
        sc = _from_dict(Schedule, d.pop("schedule", None), "schedule")
        obj = _from_dict(cls, d, "training")
        obj.early_stopping, obj.schedule = es, sc
        try:
            obj.manual_class_weights = {str(k): float(v)
                                        for k, v in (obj.manual_class_weights or {}).items()}
        except (TypeError, ValueError) as exc:
            raise ProjectError(_("The {what} section is invalid: {detail}", what="training",
                                 detail=exc)) from exc
        return obj
