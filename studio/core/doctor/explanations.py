"""What each finding says, by its code: the title, the explanation (what is wrong and why it
matters to a beginner, in the course's terms) and the fix.

:data:`EXPLANATIONS` maps a finding's code to a function of the facts of the case (the column,
the counts, the activation ...) that returns ``(title, explanation, fix)``. The texts go
through :func:`~studio.core.i18n._` when that function is called, that is when the finding is
built, so a diagnosis after a language switch speaks the new language. The checks
(:mod:`.design_checks`, :mod:`.data_checks`, :mod:`.training_checks`) decide *whether* and
with which facts; this module decides *what is said*.

It is longer than the studio's other modules because it is one catalogue: every text of the
doctor in one place, in the order of the checks, so a teacher or translator reads them together
and a wording rule (the course's terms, the Korean in brackets) is kept across all of them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from studio.core.design import ACTIVATIONS, INITIALIZERS
from studio.core.doctor.thresholds import (
    MAX_CLASSES,
    MAX_PARAMS,
    MIN_ROWS,
    RANGE_RATIO,
)
from studio.core.i18n import _, ngettext

#: (title, explanation, fix)
Texts = tuple[str, str, str]


def quoted(name: Any) -> str:
    """A column or value quoted for a message: 'species'."""
    return repr(str(name))


def units_text(n: Any) -> str:
    """'1 unit' / '3 units'."""
    return _("1 unit") if n == 1 else _("{n} units", n=n)


def _positive_class(classes: Sequence[Any]) -> str:
    """The class a single sigmoid output gives the probability of."""
    return quoted(classes[-1]) if classes else "1"


# -- the network's structure --------------------------------------------------------------------

def _design_empty() -> Texts:
    return (_("The network has no layers"),
            _("A network needs at least an input layer (입력층) that receives the "
              "features and an output layer (출력층) that makes the prediction."),
            _("Add an input layer and a Dense output layer, or start from the "
              "default design."))


def _first_not_input(*, kind: str) -> Texts:
    return (_("The first layer is {kind}, not an input layer", kind=kind),
            _("The data enters the network through the input layer, which has one "
              "unit per feature. Without it the network does not know how many "
              "numbers each row gives it."),
            _("Put an input layer at the top of the network."))


def _input_position() -> Texts:
    return (_("An input layer is in the middle of "
              "the network"),
            _("There is only one input layer and it must come first; the "
              "layers after it receive the previous layer's output."),
            _("Remove this input layer."))


def _last_not_dense(*, kind: str) -> Texts:
    return (_("The last layer is {kind}, not a Dense output layer", kind=kind),
            _("The output layer (출력층) makes the prediction: a Dense layer whose "
              "units and activation match the task. {kind} only changes what passes "
              "through it and cannot predict anything.", kind=kind),
            _("End the network with a Dense layer suited to the task."))


def _layer_kind(*, kind: Any) -> Texts:
    return (_("Unknown layer kind {kind}", kind=quoted(kind)),
            _("The studio can build input, Dense, Dropout and "
              "BatchNormalization layers."),
            _("Remove this layer or replace it with a known kind."))


def _dense_units(*, n: int, units: Any) -> Texts:
    return (_("Dense layer {n} has {units}", n=n, units=units_text(units)),
            _("A Dense layer needs at least 1 unit (neuron); with none, "
              "nothing passes to the next layer."),
            _("Give the layer at least 1 unit, e.g. 16."))


def _layer_activation(*, n: int, act: Any) -> Texts:
    return (_("Dense layer {n} has an unknown activation {act}", n=n, act=quoted(act)),
            _("Known activations are: {names}.", names=", ".join(ACTIVATIONS)),
            _("Choose one of the known activations, e.g. relu for hidden "
              "layers."))


def _layer_initializer(*, n: int, name: Any) -> Texts:
    return (_("Dense layer {n} has an unknown weight initializer {name}",
              n=n, name=quoted(name)),
            _("The initializer chooses the weights' starting values. Known "
              "initializers are: {names}.", names=", ".join(INITIALIZERS)),
            _("Choose one of the known initializers, e.g. glorot_uniform."))


def _layer_regularisation(*, n: int) -> Texts:
    return (_("Dense layer {n} has a negative L1/L2 regularisation", n=n),
            _("L1/L2 regularisation (규제) adds a penalty for large weights "
              "to the loss; a negative penalty would reward them."),
            _("Set L1 and L2 to 0 or a small positive value such as "
              "0.001."))


def _dropout_rate(*, n: int, rate: Any) -> Texts:
    return (_("Dropout layer {n} has a rate of {rate}", n=n, rate=rate),
            _("Dropout (드롭아웃) switches off this share of the units at "
              "random during training to fight over-fitting. It must be at "
              "least 0 and below 1: a rate of 1 would switch off every "
              "unit."),
            _("Use a rate between 0.1 and 0.5."))


def _network_too_large(*, params: int) -> Texts:
    return (_("The network has {params:,} weights, too many for this computer",
              params=params),
            _("Every weight takes memory three or four times over while the network "
              "trains (the weight, its gradient and the optimizer's state). Above "
              "{max:,} weights the computer would run out of memory, and a table "
              "of data never needs that many.", max=MAX_PARAMS),
            _("Use fewer units in the Dense layers (e.g. 64 and 32)."))


def _input_width(*, units: Any, n: int) -> Texts:
    return (_("The input layer has {units} but the data gives {n} inputs",
              units=units_text(units), n=n),
            _("The input layer (입력층) needs exactly one unit per number the "
              "preprocessing produces: one per numeric column and one per category "
              "of each one-hot encoded column. This data gives {n}.", n=n),
            _("Set the input layer to {units}.", units=units_text(n)))


def _no_hidden_layers() -> Texts:
    return (_("The network has no hidden layers"),
            _("Without a hidden layer (은닉층) the network is a linear model (linear "
              "or logistic regression): it cannot learn curved relationships."),
            _("Add one or two hidden Dense layers with relu, e.g. 16 and 8 "
              "units."))


def _few_rows_per_param(*, params: int, rows: int) -> Texts:
    return (_("{params} weights to learn from {rows} training rows", params=params,
              rows=rows),
            _("The network has more than ten trainable weights for every training row "
              "({ratio:.2f} rows per weight). It can simply memorise the training "
              "rows instead of learning the pattern: over-fitting (과적합). The "
              "training loss keeps falling while the validation loss rises.",
              ratio=rows / params),
            _("Use fewer or smaller hidden layers, add dropout (드롭아웃) or L1/L2 "
              "regularisation (규제), and keep early stopping on."))


# -- the output layer against the task ----------------------------------------------------------

def _output_units(*, task: str, units_now: Any, units: int, name: Any,
                  classes: Sequence[Any]) -> Texts:
    t = quoted(name)
    if task == "regression":
        title = _("The output layer has {units} but regression predicts one "
                  "number", units=units_text(units_now))
        why = _("Regression (회귀) predicts one value per row ({name}), so the output "
                "layer (출력층) needs exactly 1 unit.", name=t)
    elif task == "binary":
        title = _("The output layer has {units} but the target {name} has 2 "
                  "classes", units=units_text(units_now), name=t)
        why = _("Binary classification needs 1 sigmoid unit that gives the "
                "probability of the class {cls} (or 2 softmax units, one per "
                "class).", cls=_positive_class(classes))
    else:
        title = _("The output layer has {units} but the target {name} has {n} "
                  "classes", units=units_text(units_now), name=t, n=units)
        why = _("Multi-class classification needs one output unit per class: softmax "
                "turns the {n} outputs into {n} probabilities that add up to 1.",
                n=units)
    return title, why, _("Set the output layer to {units}.", units=units_text(units))


def _output_activation(*, task: str, current: str, act: str, units: int, name: Any,
                       classes: Sequence[Any]) -> Texts:
    if task == "regression":
        why = {
            "relu": _("relu cannot output negative numbers. The target is "
                      "standardised before training (mean 0), so about half of the "
                      "values the network must predict are negative."),
            "sigmoid": _("sigmoid squeezes every output into 0..1, but the "
                         "standardised target goes well beyond that range."),
            "softmax": _("softmax on one unit always outputs exactly 1, whatever the "
                         "input: the network cannot learn anything."),
            "tanh": _("tanh squeezes every output into -1..1, but the "
                      "standardised target goes beyond that range."),
        }.get(current, _("{act} limits or bends the range of the prediction, while "
                         "a regression output must be able to take any value.",
                         act=current))
        title = _("The regression output uses {act} instead of no (linear) "
                  "activation", act=current)
        fix = _("Set the output activation to linear (none).")
    elif act == "sigmoid":
        why = _("For binary classification the output activation (출력층 활성화 "
                "함수) must be sigmoid: it turns the single output into a "
                "probability between 0 and 1 for the class {cls}.",
                cls=_positive_class(classes))
        if current == "softmax":
            why = why + " " + _("softmax on one unit always outputs exactly 1, so "
                                "the network could not learn anything.")
        title = _("The binary output uses {act} instead of sigmoid", act=current)
        fix = _("Set the output activation to sigmoid.")
    else:
        n = units
        why = _("For {n} classes the output activation must be softmax: it turns "
                "the {n} outputs into probabilities that add up to 1, one per "
                "class of {name}.", n=n, name=quoted(name))
        if current == "sigmoid":
            why = why + " " + _("sigmoid scores each class on its own, as if a row "
                                "could belong to several classes at once.")
        title = _("The output for {n} classes uses {act} instead of softmax", n=n,
                  act=current)
        fix = _("Set the output activation to softmax.")
    return title, why, fix


# -- compile: loss and metrics ------------------------------------------------------------------

_LOSS_NAMES = {"mse": "MSE", "mae": "MAE", "huber": "Huber"}


def _loss_task(*, task: str, loss: str, right: str, name: Any) -> Texts:
    fix = _("Use the loss {loss}.", loss=right)
    if task == "regression":
        return (_("Cross-entropy loss ({loss}) on a regression target", loss=loss),
                _("Cross-entropy measures how wrong class probabilities are. The target "
                  "{name} is a number, so the error to reduce is the distance between "
                  "prediction and truth: the regression loss (손실 함수) MSE or MAE.",
                  name=quoted(name)), fix)
    return (_("{loss} on class labels", loss=_LOSS_NAMES[loss]),
            _("{loss} measures the distance between numbers, but the classes of "
              "{name} are labels: class 2 is not 'twice' class 1. Classification "
              "reduces cross-entropy, which punishes confident wrong "
              "probabilities.", loss=_LOSS_NAMES[loss], name=quoted(name)), fix)


def _loss_output(*, loss: str, right: str, act: str, units: int,
                 classes: Sequence[Any]) -> Texts:
    fix = _("Use the loss {loss}.", loss=right)
    if act == "softmax":
        return (_("binary_crossentropy with a softmax output of {n} units", n=units),
                _("binary_crossentropy expects one sigmoid probability per row. A "
                  "softmax output gives one probability per class and the labels are "
                  "class numbers, so the loss needs sparse_categorical_crossentropy."),
                fix)
    return (_("{loss} with a single sigmoid output", loss=loss),
            _("{loss} expects one softmax probability per class. A binary network "
              "with 1 sigmoid unit gives one probability (of the class {cls}), "
              "which binary_crossentropy measures.", loss=loss,
              cls=_positive_class(classes)),
            fix)


def _metric_task(*, task: str, wrong: list[str], keep: list[str], name: Any) -> Texts:
    if task == "regression":
        why = _("The metric(s) {names} count right and wrong classes, but regression "
                "predicts numbers, which are almost never exactly right. Regression is "
                "measured with MAE, RMSE or R² (평가 지표).", names=", ".join(wrong))
    else:
        why = _("The metric(s) {names} measure distances between numbers, but the "
                "target {name} holds classes. Use accuracy (and precision, recall, AUC) for "
                "classification.", names=", ".join(wrong), name=quoted(name))
    return (_("The metric(s) {names} do not fit the task", names=", ".join(wrong)),
            why, _("Use the metrics {names}.", names=", ".join(keep)))


# -- settings and training ----------------------------------------------------------------------

def settings_part(part: str) -> str:
    """The name of a group of settings (``compile``, ``training``, ``split``) in messages."""
    return {"compile": _("compile"), "training": _("training"), "split": _("split")}[part]


def wrong_type_problem(part: str, detail: Any) -> str:
    """The problem of a group of settings that holds a value of the wrong type."""
    return _("The {what} settings hold a value of the wrong type: {detail}",
             what=settings_part(part), detail=detail)


def _settings(*, problem: str, part: str) -> Texts:
    what = settings_part(part)
    return (problem,
            _("Training cannot start with this {what} setting.", what=what),
            _("Correct it in the {what} settings.", what=what))


def _no_early_stopping(*, n: int) -> Texts:
    return (_("{n} epochs without early stopping", n=n),
            _("After a while the validation loss usually stops improving and "
              "starts to rise while the training loss still falls: over-fitting "
              "(과적합). Early stopping (조기 종료) ends training there and keeps "
              "the best weights."),
            _("Turn early stopping on (or use fewer epochs)."))


def _high_learning_rate(*, lr: float) -> Texts:
    return (_("The learning rate {lr:g} is very high", lr=lr),
            _("The learning rate is the size of each weight update. Steps this "
              "large overshoot the minimum of the loss: it jumps around, grows or "
              "becomes NaN instead of decreasing."),
            _("Use 0.001, Adam's usual rate, and raise it only if the learning "
              "curve falls too slowly."))


def _low_learning_rate(*, lr: float) -> Texts:
    return (_("The learning rate {lr:g} is very low", lr=lr),
            _("Each weight update is tiny, so the loss falls very slowly and "
              "training may stop long before the network has learnt much."),
            _("Try 0.001, Adam's usual rate."))


def _batch_too_large(*, bs: int, rows: int, n: int) -> Texts:
    return (_("The batch size {bs} is larger than the {rows} training rows", bs=bs,
              rows=rows),
            _("The weights are updated once per batch. With one batch holding all "
              "the rows there is only one update per epoch, so learning is slow."),
            _("Use a batch size of {n}.", n=n))


# -- the target -----------------------------------------------------------------------------

def _target_not_found(*, name: Any) -> Texts:
    return (_("The target column {name} is not in the data", name=quoted(name)),
            _("The target (the column to predict) must be one of the data's "
              "columns."),
            _("Choose the target among the columns of the data."))


def _target_empty(*, name: Any) -> Texts:
    return (_("The target {name} has no values", name=quoted(name)),
            _("Every row of {name} is empty, so there is nothing to learn from: the "
              "network learns by comparing its predictions with these values.",
              name=quoted(name)),
            _("Choose a target column that has values."))


def _single_class(*, name: Any, value: Any) -> Texts:
    return (_("The target {name} has only one value ({value})", name=quoted(name),
              value=quoted(value)),
            _("A target that never changes cannot be learnt: the network would "
              "always predict the same value and learn nothing from the features."),
            _("Choose another target, or load data in which {name} varies.",
              name=quoted(name)))


def _target_task(*, name: Any, reason: str) -> Texts:
    return (_("The task cannot be worked out from {name}", name=quoted(name)),
            reason, _("Choose another target or set the task yourself."))


def _target_not_numeric(*, name: Any) -> Texts:
    return (_("The target {name} is not numeric, but the task is regression",
              name=quoted(name)),
            _("Regression (회귀) predicts a number, such as a price or a "
              "temperature; {name} holds text or categories.", name=quoted(name)),
            _("Treat {name} as classification (분류), or choose a numeric "
              "target.", name=quoted(name)))


def _target_missing_values(*, n: int, total: int, name: Any) -> Texts:
    return (ngettext("{n} row without a target will be left out",
                     "{n} rows without a target will be left out", n),
            _("{n} of the {total} rows have no usable value in {name}. The network "
              "cannot compare its prediction with a missing answer, so these rows "
              "are not used for training or testing.", n=n, total=total,
              name=quoted(name)),
            _("Nothing to do, unless you can fill in the missing targets in the "
              "CSV."))


def _few_rows(*, n: int) -> Texts:
    return (_("Only {n} rows have a target", n=n),
            _("With fewer than {min} rows, the train, validation and test sets are "
              "tiny: the learning curves (학습곡선) jump around and the test score "
              "says little about new data.", min=MIN_ROWS),
            _("Collect more rows if you can; keep the network small and use "
              "dropout or early stopping."))


def _task_classes(*, name: Any, n: int) -> Texts:
    return (_("The task is binary but the target {name} has {n} classes",
              name=quoted(name), n=n),
            _("Binary classification tells two classes apart (e.g. cat vs dog); "
              "{name} has {n} different values.", name=quoted(name), n=n),
            _("Switch the task to multi-class classification."))


def _task_override(*, name: Any, n: int, classes: Sequence[Any]) -> Texts:
    return (_("The target {name} looks like a number but is treated as "
              "classification", name=quoted(name)),
            _("{name} has {n} different numeric values, like a quantity to predict "
              "(regression, 회귀). As classes, nearby values such as {a} and {b} "
              "count as entirely different answers, and many classes have very few "
              "rows.", name=quoted(name), n=n,
              a=quoted(classes[0]) if classes else "1",
              b=quoted(classes[1]) if len(classes) > 1 else "2"),
            _("Set the task back to regression unless these numbers are really "
              "category codes."))


def _many_classes(*, name: Any, n: int) -> Texts:
    return (_("The target {name} has {n} classes", name=quoted(name), n=n),
            _("With more than {max} classes each class has few examples to learn "
              "from, and the output layer becomes very wide. Often the target is "
              "really a number (then the task is regression) or an identifier.",
              max=MAX_CLASSES),
            _("Check the target: use regression if it is a quantity, or group "
              "rare classes together."))


def _class_imbalance(*, cls: Any, name: Any, share: float, big: Any, n_max: int,
                     small: Any, n_min: int) -> Texts:
    return (_("The class {cls} of {name} has only {share:.1%} of the rows",
              cls=quoted(cls), name=quoted(name), share=share),
            _("The largest class ({big}) has {n_max} rows and the smallest ({small}) "
              "{n_min}. A network can reach a high accuracy by nearly always "
              "predicting the large class and still miss the small one; look at the "
              "confusion matrix (혼동 행렬), precision and recall, not only at "
              "accuracy.", big=quoted(big), n_max=n_max,
              small=quoted(small), n_min=n_min),
            _("Use balanced class weights, so that mistakes on rare classes count "
              "more (or over-sample the rare class)."))


# -- the features ---------------------------------------------------------------------------

def _column_not_found(*, name: Any) -> Texts:
    return (_("The feature {name} is not in the data", name=quoted(name)),
            _("The project uses {name} as a feature, but the loaded CSV has no such "
              "column (was the file changed or renamed?).", name=quoted(name)),
            _("Ignore the column, or load the data it came from."))


def _no_features() -> Texts:
    return (_("No column is used as a feature"),
            _("The network predicts the target from the features; without any it "
              "has nothing to learn from."),
            _("Set the role of at least one column to feature."))


def _missing_values(*, name: Any, n: int, numeric: bool) -> Texts:
    return (_("The feature {name} has {n} missing values and no strategy for "
              "them", name=quoted(name), n=n),
            _("A network only does arithmetic with numbers; an empty cell "
              "(NaN) would make every prediction and the loss NaN. Missing "
              "values must be filled in (imputed) or their rows dropped."),
            _("Fill them in with the column's {strategy}.",
              strategy=_("median") if numeric else _("most frequent value")))


def _many_categories(*, name: Any, n: int) -> Texts:
    return (_("The one-hot column {name} becomes {n} inputs", name=quoted(name), n=n),
            _("One-hot encoding makes one input per category; {n} categories "
              "make the network much wider and most categories have few "
              "rows, which invites over-fitting (과적합).", n=n),
            _("Group rare categories in the CSV, or, if {name} is a number, "
              "use it as a number (encoding: none) and scale it.", name=quoted(name)))


def _id_feature(*, name: Any) -> Texts:
    return (_("The feature {name} looks like an identifier", name=quoted(name)),
            _("{name} has a different value in (almost) every row, like a row "
              "number or a customer ID. It says nothing about the target for new "
              "rows; the network can only memorise it, which is over-fitting "
              "(과적합).", name=quoted(name)),
            _("Ignore {name}.", name=quoted(name)))


def _text_feature(*, name: Any, n: int) -> Texts:
    return (_("The feature {name} is free text", name=quoted(name)),
            _("{name} holds text with {n} different values. One-hot encoding "
              "turns each distinct text into its own input, so the network gets "
              "very wide and learns little that carries over to new rows.",
              name=quoted(name), n=n),
            _("Ignore {name}, or turn it into a few categories in the CSV.",
              name=quoted(name)))


def _constant_feature(*, name: Any) -> Texts:
    return (_("The feature {name} has the same value in every row", name=quoted(name)),
            _("A column that never changes carries no information about the "
              "target; it only adds an input."),
            _("Ignore {name}.", name=quoted(name)))


def _unscaled_features(*, name: Any, reason: str, value: float, span: float) -> Texts:
    """``reason``: ``large`` (values beyond the limit), ``wide`` or ``narrow`` (a range much
    larger or smaller than another feature's)."""
    if reason == "large":
        why = _("Its values reach {value:g}.", value=value)
    elif reason == "wide":
        why = _("Its range ({span:g}) is more than {k:g} times that of another "
                "feature.", span=span, k=RANGE_RATIO)
    else:
        why = _("Its range ({span:g}) is less than a {k:g}th of that of another "
                "feature.", span=span, k=RANGE_RATIO)
    return (_("The feature {name} is not scaled", name=quoted(name)),
            _("{why} Scaling (스케일링) is a must for neural networks: features on "
              "very different scales make the weight updates uneven, so training "
              "is slow and unstable and large columns drown out small ones. "
              "Standardisation gives every feature mean 0 and variance 1 (fitted "
              "on the training rows only).", why=why),
            _("Standardise {name}.", name=quoted(name)))


def _target_leakage(*, name: Any, target: Any, correlation: float | None) -> Texts:
    """``correlation`` None: each value of the feature goes with one value of the target."""
    if correlation is None:
        how = _("each value of {name} goes with exactly one value of the "
                "target and the other way round", name=quoted(name))
    else:
        how = _("its correlation with the target is {r:.4f}", r=correlation)
    return (_("The feature {name} is a copy of the target {target}", name=quoted(name),
              target=quoted(target)),
            _("In this data {how}. A feature that gives the answer away (target "
              "leakage) makes the scores look perfect, but when the model is used "
              "the answer is not known in advance, so it will fail.", how=how),
            _("Ignore {name}.", name=quoted(name)))


EXPLANATIONS: dict[str, Callable[..., Texts]] = {
    # the network's structure
    "design-empty": _design_empty,
    "first-not-input": _first_not_input,
    "input-position": _input_position,
    "last-not-dense": _last_not_dense,
    "layer-kind": _layer_kind,
    "dense-units": _dense_units,
    "layer-activation": _layer_activation,
    "layer-initializer": _layer_initializer,
    "layer-regularisation": _layer_regularisation,
    "dropout-rate": _dropout_rate,
    "network-too-large": _network_too_large,
    "input-width": _input_width,
    "no-hidden-layers": _no_hidden_layers,
    "few-rows-per-param": _few_rows_per_param,
    # the output layer against the task
    "output-units": _output_units,
    "output-activation": _output_activation,
    # compile
    "loss-task": _loss_task,
    "loss-output": _loss_output,
    "metric-task": _metric_task,
    # settings and training
    "settings": _settings,
    "no-early-stopping": _no_early_stopping,
    "high-learning-rate": _high_learning_rate,
    "low-learning-rate": _low_learning_rate,
    "batch-too-large": _batch_too_large,
    # the target
    "target-not-found": _target_not_found,
    "target-empty": _target_empty,
    "single-class": _single_class,
    "target-task": _target_task,
    "target-not-numeric": _target_not_numeric,
    "target-missing-values": _target_missing_values,
    "few-rows": _few_rows,
    "task-classes": _task_classes,
    "task-override": _task_override,
    "many-classes": _many_classes,
    "class-imbalance": _class_imbalance,
    # the features
    "column-not-found": _column_not_found,
    "no-features": _no_features,
    "missing-values": _missing_values,
    "many-categories": _many_categories,
    "id-feature": _id_feature,
    "text-feature": _text_feature,
    "constant-feature": _constant_feature,
    "unscaled-features": _unscaled_features,
    "target-leakage": _target_leakage,
}


def explain(code: str, **facts: Any) -> Texts:
    """``(title, explanation, fix)`` of the finding ``code`` for these facts, in the current
    language."""
    return EXPLANATIONS[code](**facts)
