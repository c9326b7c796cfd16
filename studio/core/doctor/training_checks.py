"""The doctor's checks of how the network is compiled and trained: settings that do not
validate, a loss or metrics that do not fit the task and the output layer, and training
settings that make learning fail or crawl (no early stopping over many epochs, extreme
learning rates, a batch larger than the training rows)."""

from __future__ import annotations

from studio.core.design import Layer
from studio.core.doctor.design_checks import MULTI_CE, expected_output
from studio.core.doctor.explanations import wrong_type_problem
from studio.core.doctor.state import Diagnosis, is_number
from studio.core.doctor.thresholds import HIGH_LR, LOW_LR, MANY_EPOCHS
from studio.core.settings import CLASSIFICATION_METRICS, LOSSES, REGRESSION_METRICS, default_metrics

_REGRESSION_LOSSES = ("mse", "mae", "huber")


def check_settings(d: Diagnosis) -> None:
    for part, obj in (("compile", d.p.compile), ("training", d.p.training),
                      ("split", d.p.split)):
        try:
            problems = obj.validate()
        except (TypeError, ValueError, AttributeError) as exc:
            problems = [wrong_type_problem(part, exc)]
        for text in problems:
            d.add("settings", "error", problem=text, part=part)


def check_loss(d: Diagnosis, out: Layer) -> None:
    info = d.info
    assert info is not None
    loss = d.p.compile.loss
    if loss not in LOSSES:
        return  # reported by the settings check
    units, act = expected_output(d, out)
    accepted: tuple[str, ...]
    if info.task == "regression":
        accepted, right = _REGRESSION_LOSSES, "mse"
    elif act == "sigmoid":
        accepted, right = ("binary_crossentropy",), "binary_crossentropy"
    else:
        accepted, right = MULTI_CE, "sparse_categorical_crossentropy"
    if loss in accepted:
        return
    action = {"op": "set_loss", "value": right}
    if info.task == "regression" or loss in _REGRESSION_LOSSES:
        d.add("loss-task", "error", action=action, task=info.task, loss=loss, right=right,
              name=d.p.target)
    else:
        d.add("loss-output", "error", action=action, loss=loss, right=right, act=act,
              units=units, classes=info.classes)


def check_metrics(d: Diagnosis) -> None:
    info = d.info
    assert info is not None
    metrics = list(d.p.compile.metrics or [])
    wrong_set = CLASSIFICATION_METRICS if info.task == "regression" else REGRESSION_METRICS
    wrong = [m for m in metrics if m in wrong_set]
    if not wrong:
        return
    keep = [m for m in metrics if m not in wrong]
    if not keep:
        keep = default_metrics(info.task)
    d.add("metric-task", "warning", action={"op": "set_metrics", "value": keep},
          task=info.task, wrong=wrong, keep=keep, name=d.p.target)


def check_training(d: Diagnosis) -> None:
    tr, comp = d.p.training, d.p.compile
    es = tr.early_stopping
    if not es.enabled and isinstance(tr.epochs, int) and tr.epochs > MANY_EPOCHS:
        d.add("no-early-stopping", "warning",
              action={"op": "set_early_stopping", "value": True}, n=tr.epochs)
    lr = comp.learning_rate
    if is_number(lr) and lr > HIGH_LR:
        d.add("high-learning-rate", "warning",
              action={"op": "set_learning_rate", "value": 0.001}, lr=lr)
    elif is_number(lr) and 0 < lr < LOW_LR:
        d.add("low-learning-rate", "info",
              action={"op": "set_learning_rate", "value": 0.001}, lr=lr)
    bs = tr.batch_size
    if isinstance(bs, int) and d.train_rows > 0 and bs > d.train_rows:
        better = 1
        while better * 2 <= min(32, d.train_rows):
            better *= 2
        d.add("batch-too-large", "warning", action={"op": "set_batch_size", "value": better},
              bs=bs, rows=d.train_rows, n=better)
