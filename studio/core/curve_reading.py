"""Reading the learning curves in plain language, as the curriculum teaches students to tune.

Pure Python (no Qt, no Keras): :func:`read_curves` looks at a Keras ``history`` dictionary and
says what a teacher would say: over-fitting from epoch N, under-fitting, still improving, or
unstable, each with the matching fix. The Train step shows it, and ``studio train`` prints it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from studio.core.i18n import _, ngettext

#: Relative changes below this count as "flat".
FLAT = 0.02


@dataclass
class CurveReading:
    kind: str        # unstable | overfitting | still_improving | underfitting | good | too_short
    title: str       # a few words: "Over-fitting from epoch 24"
    text: str        # what the curves show
    fix: str         # what to try
    epoch: int = 0   # the epoch the finding starts at, when there is one

    def sentence(self) -> str:
        return f"{self.title}: {self.text} {self.fix}".strip()


def chance_loss(task: str | None, loss: str | None, n_classes: int = 0) -> float | None:
    """The loss of a model that has learnt nothing (predicts the prior / the mean).

    Regression losses are computed on the standardised target, so predicting the mean gives an
    MSE of 1. Cross-entropy of a uniform guess is ln(k).
    """
    if task == "regression":
        return {"mse": 1.0, "mae": math.sqrt(2 / math.pi), "huber": 0.40}.get(loss or "mse")
    if task == "binary":
        return math.log(2)
    if task == "multiclass" and n_classes >= 2:
        return math.log(n_classes)
    return None


def _finite(values: Sequence[float]) -> list[float]:
    return [float(v) for v in values if v is not None and math.isfinite(float(v))]


def _rel(a: float, b: float) -> float:
    """Relative change from a to b (positive = went up)."""
    return (b - a) / max(abs(a), 1e-12)


def _oscillates(values: list[float], span: float, min_amplitude: float) -> bool:
    """Goes up nearly as often as down, in steps that are large compared with how far the
    curve has come down over the whole run (``span``): plateau noise is small against it, an
    overshooting learning rate is not."""
    if len(values) < 4 or span <= 0:
        return False
    d = [b - a for a, b in pairwise(values)]
    ups = sum(1 for x in d if x > 0) / len(d)
    turns = sum(1 for a, b in pairwise(d) if a * b < 0) / max(1, len(d) - 1)
    amplitude = sum(abs(x) for x in d) / len(d) / span
    return ups >= 0.3 and turns >= 0.4 and amplitude >= min_amplitude


def _span(values: list[float]) -> float:
    return (max(values) - min(values)) if values else 0.0


def read_curves(history: dict[str, Sequence[float]], *, task: str | None = None,
                loss: str | None = None, n_classes: int = 0, best_epoch: int = 0,
                stopped_reason: str = "completed", epochs_planned: int = 0,
                recent: int | None = None, has_dropout: bool = False,
                has_l2: bool = False) -> list[CurveReading]:
    """What the curves say, most important first (never empty).

    ``recent``: how many last epochs count as "the end" (default: a third of the run, 3 to 20).
    """
    train = _finite(history.get("loss", []))
    val = _finite(history.get("val_loss", []))
    n = len(train)
    if n < 3:
        return [CurveReading(
            "too_short", _("Too short to read"),
            ngettext("{n} epoch is not enough to see a trend.",
                     "{n} epochs are too few to see a trend.", n),
            _("Train for more epochs (for example 30) and look again."))]
    w = recent or max(3, min(20, n // 3))
    w = min(w, n - 1)
    out: list[CurveReading] = []

    # -- unstable: the learning rate is too high --------------------------------------------------
    diverging = train[-1] > train[0] * 1.05 and min(train) < train[-1] * 0.9
    spike = any(b - a > 0.25 * _span(train) for a, b in pairwise(train[2:]))
    if diverging or spike or _oscillates(train[-w - 1:], _span(train), 0.08):
        out.append(CurveReading(
            "unstable", _("Unstable training"),
            _("The training loss jumps up and down instead of falling smoothly: the weight "
              "updates overshoot."),
            _("Lower the learning rate (for example to a tenth) or use a larger batch size.")))
    elif _oscillates(val[-w - 1:], _span(val), 0.15):
        out.append(CurveReading(
            "unstable", _("Jumpy validation loss"),
            _("The validation loss jumps up and down from epoch to epoch. With few validation "
              "rows it is noisy; large steps of the weights make it worse."),
            _("Try a lower learning rate or a larger batch size; a larger validation share "
              "gives steadier numbers.")))

    # -- over-fitting: validation loss rises while training loss falls ----------------------------
    if len(val) == n:
        best_v = min(range(n), key=val.__getitem__)
        after = n - 1 - best_v
        val_rise = _rel(val[best_v], val[-1])
        train_fall = -_rel(train[best_v], train[-1])
        early = stopped_reason == "early_stopping"
        # a rise that matters: relative to the best value, and visible against how far the
        # validation loss came down over the run (tiny wiggles near zero are noise)
        visible = val[-1] - val[best_v] > 0.03 * _span(val)
        if (after >= max(3, math.ceil(0.1 * n)) and train_fall > FLAT and visible
                and (val_rise > 0.05 or (early and val_rise > 0))):
            restored = (_(" Early stopping restored the weights of epoch {best}.",
                          best=best_epoch) if early and best_epoch else "")
            out.append(CurveReading(
                "overfitting", _("Over-fitting from epoch {epoch}", epoch=best_v + 1),
                _("After epoch {epoch} the validation loss rose from {low:.3g} to {end:.3g} "
                  "while the training loss kept falling: the network memorises the training "
                  "rows instead of learning the pattern.", epoch=best_v + 1, low=val[best_v],
                  end=val[-1])
                + restored,
                _overfitting_fix(has_dropout, has_l2, early), epoch=best_v + 1))

    if any(r.kind == "overfitting" for r in out):
        return out

    # -- still improving / under-fitting / good ----------------------------------------------------
    ref = val if len(val) == n else train
    tail_drop = -_rel(ref[-w - 1], ref[-1])
    near_best = ref[-1] <= min(ref) * 1.01 + 1e-12
    base = chance_loss(task, loss, n_classes) or train[0]
    high = train[-1] > 0.7 * base and ref[-1] > 0.7 * base
    if near_best and tail_drop > FLAT and stopped_reason != "early_stopping":
        more = max(n * 2, 20)
        if stopped_reason == "stopped":
            text = _("You stopped the training while the loss was still falling (by {drop:.0%} "
                     "over the last {w} epochs).", drop=tail_drop, w=w)
        else:
            text = _("The loss was still falling at the last epoch (by {drop:.0%} over the "
                     "last {w} epochs).", drop=tail_drop, w=w)
        out.append(CurveReading(
            "still_improving", _("Still improving"), text,
            _("Train for more epochs (for example {more}); early stopping will stop it when "
              "it stops improving.", more=more)))
    elif high:
        out.append(CurveReading(
            "underfitting", _("Under-fitting"),
            _("Both losses stay high and flat: the network has not found the pattern."),
            _("Use more units or another hidden layer, a higher learning rate, more epochs, "
              "or check that the features are scaled and relevant.")))
    elif not out:
        best = best_epoch or (min(range(n), key=ref.__getitem__) + 1)
        out.append(CurveReading(
            "good", _("Good fit"),
            _("Training and validation loss fell together and levelled off; the best epoch "
              "was {best}.", best=best),
            _("Compare the test metrics in Evaluate; small changes to the network may still "
              "help.")))
    return out


def _overfitting_fix(has_dropout: bool, has_l2: bool, early: bool) -> str:
    if has_dropout and has_l2:
        first = _("Raise the Dropout rate or the L2 factor a little")
    elif has_dropout:
        first = _("Raise the Dropout rate (for example to 30-50%) or add L2 regularisation")
    elif has_l2:
        first = _("Add Dropout (for example 20%) or raise the L2 factor")
    else:
        first = _("Add Dropout (for example 20%) or L2 regularisation")
    rest = (_("use a smaller network, or collect more data.") if early else
            _("turn on early stopping, or use a smaller network."))
    return first + ", " + rest


def read_result(result: Any, project: Any = None) -> list[CurveReading]:
    """:func:`read_curves` for a :class:`studio.core.train.TrainResult`."""
    prepared = getattr(result, "prepared", None)
    task = getattr(prepared, "task", None)
    classes = getattr(prepared, "classes", []) or []
    loss = project.compile.loss if project is not None else None
    planned = project.training.epochs if project is not None else 0
    layers = project.design.layers if project is not None else []
    return read_curves(result.history, task=task, loss=loss, n_classes=len(classes),
                       best_epoch=result.best_epoch, stopped_reason=result.stopped_reason,
                       epochs_planned=planned,
                       has_dropout=any(la.kind == "dropout" and la.rate > 0 for la in layers),
                       has_l2=any(la.kind == "dense" and la.l2 > 0 for la in layers))
