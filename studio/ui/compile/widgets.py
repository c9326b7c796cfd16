"""Pieces of the Compile step's form: choice labels, a learning-rate field, number fields
(studio/ui/common/number_field.py: the range shown, nothing changed without a word), and the Keras
code that the settings stand for (shown under the form)."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from studio.core.i18n import _
from studio.ui.common.number_field import FloatField, IntField

_LR_LADDER = (1e-6, 3e-6, 1e-5, 3e-5, 1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 3e-2, 0.1, 0.3, 1.0)


def optimizer_labels() -> dict[str, str]:
    return {"adam": "Adam", "sgd": _("SGD (with momentum)"), "rmsprop": "RMSprop",
            "adamw": "AdamW", "adagrad": "Adagrad"}


def loss_labels() -> dict[str, str]:
    return {"mse": _("MSE — mean squared error"), "mae": _("MAE — mean absolute error"),
            "huber": _("Huber"), "binary_crossentropy": _("Binary cross-entropy"),
            "categorical_crossentropy": _("Categorical cross-entropy (one-hot)"),
            "sparse_categorical_crossentropy": _("Sparse categorical cross-entropy")}


def metric_labels() -> dict[str, str]:
    return {"mae": "MAE", "rmse": "RMSE", "r2": "R²", "accuracy": _("Accuracy"),
            "precision": _("Precision"), "recall": _("Recall"), "auc": "AUC"}


def schedule_labels() -> dict[str, str]:
    return {"none": _("Constant"), "plateau": _("Reduce on plateau"),
            "exponential": _("Exponential decay"), "step": _("Step decay")}


def schedule_notes() -> dict[str, str]:
    return {"none": _("The learning rate stays the same for the whole training."),
            "plateau": _("When the validation loss stops improving for a while, the rate is "
                         "multiplied by the factor."),
            "exponential": _("The rate shrinks a little every epoch."),
            "step": _("The rate is multiplied by the factor every N epochs.")}


class LogSpinBox(FloatField):
    """A field for rates: arrows step 0.001 -> 0.003 -> 0.01; any value in the range can be
    typed ("1e-4" too), and one outside it is clamped with a word
    (studio/ui/common/number_field.py)."""

    def __init__(self, parent: QWidget | None = None, name: str = "") -> None:
        super().__init__(1e-7, 10.0, name or _("The rate"), decimals=8, parent=parent)
        self.setKeyboardTracking(False)

    def textFromValue(self, value: float) -> str:
        return f"{value:g}"

    def stepBy(self, steps: int) -> None:
        v = self.value()
        if steps > 0:
            higher = [x for x in _LR_LADDER if x > v * 1.0001]
            nxt = higher[min(steps, len(higher)) - 1] if higher else v
        else:
            lower = [x for x in _LR_LADDER if x < v * 0.9999]
            nxt = lower[-min(-steps, len(lower))] if lower else v
        self.setValue(nxt)


def int_spin(lo: int, hi: int, tip: str = "", name: str = "") -> IntField:
    """A whole-number field of the form: its range in the tooltip, values outside it refused
    visibly (``name`` is what its messages call it: "Epochs must be ...")."""
    s = IntField(lo, hi, name or _("The value"))
    s.setKeyboardTracking(False)
    s.setToolTip(tip)
    s.setMinimumWidth(90)
    return s


def float_spin(lo: float, hi: float, step: float, decimals: int, tip: str = "",
               name: str = "") -> FloatField:
    s = FloatField(lo, hi, name or _("The value"), decimals=decimals, step=step)
    s.setKeyboardTracking(False)
    s.setToolTip(tip)
    s.setMinimumWidth(90)
    return s


def code_text(proj) -> str:
    """The Keras calls the settings stand for, as a student would write them."""
    c, t = proj.compile, proj.training
    opt = {"adam": "Adam", "sgd": "SGD", "rmsprop": "RMSprop", "adamw": "AdamW",
           "adagrad": "Adagrad"}.get(c.optimizer, c.optimizer)
    extra = ""
    if c.optimizer == "sgd":
        extra = f", momentum={c.momentum:g}"
    elif c.optimizer == "adamw":
        extra = f", weight_decay={c.weight_decay:g}"
    lines = ["model.compile(",
             f"    optimizer=keras.optimizers.{opt}(learning_rate={c.learning_rate:g}{extra}),",
             f"    loss={c.loss!r},",
             f"    metrics={list(c.metrics)!r},",
             ")"]
    callbacks = []
    es = t.early_stopping
    if es.enabled:
        callbacks.append(f"EarlyStopping(monitor={es.monitor!r}, patience={es.patience}, "
                         f"restore_best_weights={es.restore_best_weights})")
    sc = t.schedule
    if sc.kind == "plateau":
        callbacks.append(f"ReduceLROnPlateau(factor={sc.factor:g}, patience={sc.patience}, "
                         f"min_lr={sc.min_lr:g})")
    elif sc.kind == "exponential":
        callbacks.append(f"LearningRateScheduler(lambda e, lr: "
                         f"{c.learning_rate:g} * {sc.decay_rate:g} ** e)")
    elif sc.kind == "step":
        callbacks.append(f"LearningRateScheduler(lambda e, lr: "
                         f"{c.learning_rate:g} * {sc.factor:g} ** (e // {sc.step_epochs}))")
    lines += ["history = model.fit(",
              "    x_train, y_train,",
              "    validation_data=(x_val, y_val),",
              f"    epochs={t.epochs}, batch_size={t.batch_size},"]
    if t.class_weight != "none":
        lines.append(f"    class_weight=class_weights,  # {t.class_weight}")
    if callbacks:
        lines.append("    callbacks=[" + (",\n               ".join(callbacks)) + "],")
    lines.append(")")
    return "\n".join(lines)
