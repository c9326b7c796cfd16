"""The design doctor: checks a project against its data before training.

:func:`diagnose` returns :class:`Finding` objects, errors first. Each says what is wrong, why it
matters to a beginner (in the course's terms: output activation, loss, scaling, over-fitting,
early stopping ...) and what to do. Errors block training; warnings and infos do not. When the
fix is unambiguous a finding carries an ``action`` that :func:`apply_fix` applies in place (the
GUI wraps that call in one undoable command). Given the data, :func:`apply_fix` leaves a
consistent project: a fix that changes the columns (a leaking column ignored, a one-hot
encoding) also gives the input layer the width the preprocessing will produce, so one click is
enough and no "input-width" error follows it.

Action ops::

    {"op": "set_loss", "value": "binary_crossentropy"}
    {"op": "set_metrics", "value": ["accuracy"]}
    {"op": "set_activation", "layer": uid, "value": "softmax"}
    {"op": "set_units", "layer": uid, "value": 3}
    {"op": "set_input_units", "value": n}
    {"op": "set_column", "column": c, "field": "scale" | "role" | "impute" | "encode", "value": v}
    {"op": "set_class_weight", "value": "balanced"}
    {"op": "set_task", "value": "multiclass"}
    {"op": "set_early_stopping", "value": True}
    {"op": "set_learning_rate", "value": 0.001}
    {"op": "set_batch_size", "value": 32}

Every check is vectorised (profiles, ``value_counts``, ``factorize``); the leakage check looks at
a sample of at most :data:`LEAKAGE_SAMPLE` rows, so a 100k-row table is diagnosed in well under
a second.
"""

from __future__ import annotations

import warnings
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import pandas as pd

from studio.core.data import ColumnProfile, Dataset, TaskInfo, infer_task
from studio.core.design import ACTIVATIONS, INITIALIZERS, LAYER_KINDS, Layer
from studio.core.errors import StudioError
from studio.core.i18n import _
from studio.core.project import Project, estimate_inputs
from studio.core.settings import CLASSIFICATION_METRICS, LOSSES, REGRESSION_METRICS, default_metrics

SEVERITIES = ("error", "warning", "info")

LEAKAGE_SAMPLE = 20_000       # rows looked at by the target-leakage check
MIN_ROWS = 50                 # fewer rows than this: a warning
MAX_CLASSES = 50              # more classes than this: a warning
MANY_CATEGORIES = 50          # a one-hot column wider than this: a warning
RANGE_RATIO = 10.0            # feature ranges differing more than this: scale them
LARGE_VALUE = 100.0           # any |value| above this in an unscaled feature: scale it
IMBALANCE_SHARE = 0.10        # smallest class under this share of the rows ...
IMBALANCE_RATIO = 9.0         # ... or largest / smallest class above this: imbalanced
#: Fewer training rows per trainable weight than this is "very few" (a warning).
FEW_ROWS_PER_WEIGHT = 0.1
MANY_EPOCHS = 200             # more epochs than this without early stopping: a warning
HIGH_LR = 0.1
LOW_LR = 1e-5
CORR_LEAK = 0.999
#: More weights than this cannot train in a student laptop's memory: an error.
MAX_PARAMS = 50_000_000

_LINEAR = ("linear", "none", "")
_REGRESSION_LOSSES = ("mse", "mae", "huber")
_MULTI_CE = ("sparse_categorical_crossentropy", "categorical_crossentropy")
_LOSS_NAMES = {"mse": "MSE", "mae": "MAE", "huber": "Huber"}


@dataclass
class Finding:
    """One thing the doctor noticed."""

    code: str                    # stable id, e.g. "output-activation"
    severity: str                # error | warning | info
    title: str                   # one short line
    explanation: str             # what is wrong and why it matters
    fix: str                     # what to do
    column: str | None = None    # the data column it concerns
    layer: str | None = None     # the Layer.uid it concerns
    action: dict | None = None   # a one-click fix for apply_fix, when unambiguous

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def has_errors(findings: list[Finding]) -> bool:
    """True when a finding blocks training."""
    return any(f.severity == "error" for f in findings)


def _q(name: Any) -> str:
    """A column or value quoted for a message: 'species'."""
    return repr(str(name))


def _units(n: Any) -> str:
    """'1 unit' / '3 units'."""
    return _("1 unit") if n == 1 else _("{n} units", n=n)


def _num(x: Any) -> bool:
    return isinstance(x, (int, float, np.number)) and not isinstance(x, bool)


# ---------------------------------------------------------------------------------------------
# diagnose
# ---------------------------------------------------------------------------------------------

def diagnose(project: Project, dataset: Dataset) -> list[Finding]:
    """Check ``project`` against ``dataset``; findings sorted errors, warnings, infos."""
    d = _Doctor(project, dataset)
    d.run()
    order = {s: i for i, s in enumerate(SEVERITIES)}
    return sorted(d.findings, key=lambda f: order.get(f.severity, len(order)))


class _Doctor:
    """One diagnosis: the shared facts computed once, and one method per group of checks."""

    def __init__(self, project: Project, dataset: Dataset) -> None:
        self.p = project
        self.ds = dataset
        self.frame = dataset.frame
        self.findings: list[Finding] = []
        self.info: TaskInfo | None = None       # None: the target is unusable
        self.target_ok = False
        self.n_target_rows = 0                  # rows with a usable target
        self.train_rows = 0
        self.features = [c for c in project.features if c in self.frame.columns]
        self.structure_ok = False

    def add(self, code: str, severity: str, title: str, explanation: str, fix: str,
            column: str | None = None, layer: str | None = None,
            action: dict | None = None) -> None:
        self.findings.append(Finding(code, severity, title, explanation, fix, column, layer,
                                     action))

    def profile(self, column: str) -> ColumnProfile | None:
        try:
            return self.ds.profile_of(column)
        except KeyError:
            return None

    def run(self) -> None:
        self.check_structure()
        self.check_settings()
        self.check_target()
        self.check_features()
        if self.info is not None and self.structure_ok:
            out = self.p.design.layers[-1]
            self.check_output(out)
            self.check_loss(out)
        if self.info is not None:
            self.check_metrics()
            self.check_imbalance()
            self.check_leakage()
        self.check_capacity()
        self.check_training()

    # -- 1. structure ---------------------------------------------------------------------------
    def check_structure(self) -> None:
        layers = self.p.design.layers
        if not layers:
            self.add("design-empty", "error", _("The network has no layers"),
                     _("A network needs at least an input layer (입력층) that receives the "
                       "features and an output layer (출력층) that makes the prediction."),
                     _("Add an input layer and a Dense output layer, or start from the "
                       "default design."))
            return
        ok = True
        first, last = layers[0], layers[-1]
        if first.kind != "input":
            ok = False
            self.add("first-not-input", "error",
                     _("The first layer is {kind}, not an input layer", kind=first.kind),
                     _("The data enters the network through the input layer, which has one "
                       "unit per feature. Without it the network does not know how many "
                       "numbers each row gives it."),
                     _("Put an input layer at the top of the network."), layer=first.uid)
        for layer in layers[1:]:
            if layer.kind == "input":
                ok = False
                self.add("input-position", "error", _("An input layer is in the middle of "
                                                      "the network"),
                         _("There is only one input layer and it must come first; the "
                           "layers after it receive the previous layer's output."),
                         _("Remove this input layer."), layer=layer.uid)
        if last.kind != "dense":
            ok = False
            self.add("last-not-dense", "error",
                     _("The last layer is {kind}, not a Dense output layer", kind=last.kind),
                     _("The output layer (출력층) makes the prediction: a Dense layer whose "
                       "units and activation match the task. {kind} only changes what passes "
                       "through it and cannot predict anything.", kind=last.kind),
                     _("End the network with a Dense layer suited to the task."),
                     layer=last.uid)
        for i, layer in enumerate(layers):
            if layer.kind not in LAYER_KINDS:
                ok = False
                self.add("layer-kind", "error", _("Unknown layer kind {kind}",
                                                  kind=_q(layer.kind)),
                         _("The studio can build input, Dense, Dropout and "
                           "BatchNormalization layers."),
                         _("Remove this layer or replace it with a known kind."),
                         layer=layer.uid)
                continue
            if layer.kind == "dense":
                if not isinstance(layer.units, (int, np.integer)) or layer.units < 1:
                    ok = False
                    self.add("dense-units", "error",
                             _("Dense layer {n} has {units}", n=i + 1,
                               units=_units(layer.units)),
                             _("A Dense layer needs at least 1 unit (neuron); with none, "
                               "nothing passes to the next layer."),
                             _("Give the layer at least 1 unit, e.g. 16."), layer=layer.uid)
                if layer.activation not in ACTIVATIONS and layer.activation not in _LINEAR:
                    self.add("layer-activation", "error",
                             _("Dense layer {n} has an unknown activation {act}", n=i + 1,
                               act=_q(layer.activation)),
                             _("Known activations are: {names}.", names=", ".join(ACTIVATIONS)),
                             _("Choose one of the known activations, e.g. relu for hidden "
                               "layers."), layer=layer.uid)
                if layer.initializer not in INITIALIZERS:
                    self.add("layer-initializer", "error",
                             _("Dense layer {n} has an unknown weight initializer {name}",
                               n=i + 1, name=_q(layer.initializer)),
                             _("The initializer chooses the weights' starting values. Known "
                               "initializers are: {names}.", names=", ".join(INITIALIZERS)),
                             _("Choose one of the known initializers, e.g. glorot_uniform."),
                             layer=layer.uid)
                if not (_num(layer.l1) and _num(layer.l2)) or layer.l1 < 0 or layer.l2 < 0:
                    self.add("layer-regularisation", "error",
                             _("Dense layer {n} has a negative L1/L2 regularisation",
                               n=i + 1),
                             _("L1/L2 regularisation (규제) adds a penalty for large weights "
                               "to the loss; a negative penalty would reward them."),
                             _("Set L1 and L2 to 0 or a small positive value such as "
                               "0.001."), layer=layer.uid)
            elif layer.kind == "dropout":
                if not _num(layer.rate) or not 0 <= layer.rate < 1:
                    self.add("dropout-rate", "error",
                             _("Dropout layer {n} has a rate of {rate}", n=i + 1,
                               rate=layer.rate),
                             _("Dropout (드롭아웃) switches off this share of the units at "
                               "random during training to fight over-fitting. It must be at "
                               "least 0 and below 1: a rate of 1 would switch off every "
                               "unit."),
                             _("Use a rate between 0.1 and 0.5."), layer=layer.uid)
            elif layer.kind == "input" and (not isinstance(layer.units, (int, np.integer))
                                            or layer.units < 1):
                ok = False  # input-width says what to set it to
        self.structure_ok = ok and first.kind == "input"
        if self.structure_ok:
            self.check_size()
        if first.kind == "input":
            self.check_input_width(first)

    def check_size(self) -> None:
        try:
            params = self.p.design.param_count().total
        except (TypeError, ValueError, OverflowError):
            return
        if params > MAX_PARAMS:
            self.add("network-too-large", "error",
                     _("The network has {params:,} weights, too many for this computer",
                       params=params),
                     _("Every weight takes memory three or four times over while the network "
                       "trains (the weight, its gradient and the optimizer's state). Above "
                       "{max:,} weights the computer would run out of memory, and a table "
                       "of data never needs that many.", max=MAX_PARAMS),
                     _("Use fewer units in the Dense layers (e.g. 64 and 32)."))

    def check_input_width(self, first: Layer) -> None:
        if not self.features or len(self.features) != len(self.p.features):
            return  # no-features / column-not-found say what to do first
        try:
            n = estimate_inputs(self.p, self.ds)
        except (KeyError, StudioError):
            return
        if first.units != n:
            self.add("input-width", "error",
                     _("The input layer has {units} but the data gives {n} inputs",
                       units=_units(first.units), n=n),
                     _("The input layer (입력층) needs exactly one unit per number the "
                       "preprocessing produces: one per numeric column and one per category "
                       "of each one-hot encoded column. This data gives {n}.", n=n),
                     _("Set the input layer to {units}.", units=_units(n)), layer=first.uid,
                     action={"op": "set_input_units", "value": n})

    # -- settings -------------------------------------------------------------------------------
    def check_settings(self) -> None:
        for what, obj in ((_("compile"), self.p.compile), (_("training"), self.p.training),
                          (_("split"), self.p.split)):
            try:
                problems = obj.validate()
            except (TypeError, ValueError, AttributeError) as exc:
                problems = [_("The {what} settings hold a value of the wrong type: {detail}",
                              what=what, detail=exc)]
            for text in problems:
                self.add("settings", "error", text,
                         _("Training cannot start with this {what} setting.", what=what),
                         _("Correct it in the {what} settings.", what=what))

    # -- target ---------------------------------------------------------------------------------
    def check_target(self) -> None:
        t = self.p.target
        if t not in self.frame.columns:
            self.add("target-not-found", "error",
                     _("The target column {name} is not in the data", name=_q(t)),
                     _("The target (the column to predict) must be one of the data's "
                       "columns."),
                     _("Choose the target among the columns of the data."), column=t)
            return
        y = self.frame[t]
        n_missing = int(y.isna().sum())
        if n_missing == len(y):
            self.add("target-empty", "error",
                     _("The target {name} has no values", name=_q(t)),
                     _("Every row of {name} is empty, so there is nothing to learn from: the "
                       "network learns by comparing its predictions with these values.",
                       name=_q(t)),
                     _("Choose a target column that has values."), column=t)
            return
        n_distinct = int(y.nunique(dropna=True))
        if n_distinct < 2:
            self.add("single-class", "error",
                     _("The target {name} has only one value ({value})", name=_q(t),
                       value=_q(y.dropna().iloc[0])),
                     _("A target that never changes cannot be learnt: the network would "
                       "always predict the same value and learn nothing from the features."),
                     _("Choose another target, or load data in which {name} varies.",
                       name=_q(t)), column=t)
            return
        try:
            info = self.p.task_info(self.ds)
        except StudioError as exc:
            self.add("target-task", "error", _("The task cannot be worked out from {name}",
                                               name=_q(t)),
                     str(exc), _("Choose another target or set the task yourself."), column=t)
            return
        self.info = info
        prof = self.profile(t)
        if info.task == "regression":
            y_num = pd.to_numeric(y, errors="coerce")
            usable = int(np.isfinite(y_num.to_numpy(dtype=np.float64, na_value=np.nan)).sum())
            if usable == 0 or (prof is not None and not prof.is_numeric and usable < len(y) / 2):
                self.add("target-not-numeric", "error",
                         _("The target {name} is not numeric, but the task is regression",
                           name=_q(t)),
                         _("Regression (회귀) predicts a number, such as a price or a "
                           "temperature; {name} holds text or categories.", name=_q(t)),
                         _("Treat {name} as classification (분류), or choose a numeric "
                           "target.", name=_q(t)), column=t)
                self.info = None
                return
            dropped = len(y) - usable
        else:
            usable = len(y) - n_missing
            dropped = n_missing
        self.n_target_rows = usable
        train = self.p.split.train if _num(self.p.split.train) and 0 < self.p.split.train <= 1 \
            else 0.7
        self.train_rows = int(usable * train)
        if dropped:
            self.add("target-missing-values", "info",
                     _("{n} rows without a target will be left out", n=dropped),
                     _("{n} of the {total} rows have no usable value in {name}. The network "
                       "cannot compare its prediction with a missing answer, so these rows "
                       "are not used for training or testing.", n=dropped, total=len(y),
                       name=_q(t)),
                     _("Nothing to do, unless you can fill in the missing targets in the "
                       "CSV."), column=t)
        if usable < MIN_ROWS:
            self.add("few-rows", "warning",
                     _("Only {n} rows have a target", n=usable),
                     _("With fewer than {min} rows, the train, validation and test sets are "
                       "tiny: the learning curves (학습곡선) jump around and the test score "
                       "says little about new data.", min=MIN_ROWS),
                     _("Collect more rows if you can; keep the network small and use "
                       "dropout or early stopping."), column=t)
        if info.task in ("binary", "multiclass"):
            self.check_classes(info, prof)

    def check_classes(self, info: TaskInfo, prof: ColumnProfile | None) -> None:
        t = self.p.target
        n = len(info.classes) or int(self.frame[t].nunique(dropna=True))
        if info.task == "binary" and n > 2:
            self.add("task-classes", "error",
                     _("The task is binary but the target {name} has {n} classes",
                       name=_q(t), n=n),
                     _("Binary classification tells two classes apart (e.g. cat vs dog); "
                       "{name} has {n} different values.", name=_q(t), n=n),
                     _("Switch the task to multi-class classification."), column=t,
                     action={"op": "set_task", "value": "multiclass"})
            self.info = None
            return
        inferred = None
        if self.p.task in ("binary", "multiclass") and prof is not None \
                and prof.kind == "numeric":
            try:
                inferred = infer_task(self.frame[t]).task
            except StudioError:
                inferred = None
        if inferred == "regression":
            self.add("task-override", "warning",
                     _("The target {name} looks like a number but is treated as "
                       "classification", name=_q(t)),
                     _("{name} has {n} different numeric values, like a quantity to predict "
                       "(regression, 회귀). As classes, nearby values such as {a} and {b} "
                       "count as entirely different answers, and many classes have very few "
                       "rows.", name=_q(t), n=n,
                       a=_q(info.classes[0]) if info.classes else "1",
                       b=_q(info.classes[1]) if len(info.classes) > 1 else "2"),
                     _("Set the task back to regression unless these numbers are really "
                       "category codes."), column=t)
        elif n > MAX_CLASSES:
            self.add("many-classes", "warning",
                     _("The target {name} has {n} classes", name=_q(t), n=n),
                     _("With more than {max} classes each class has few examples to learn "
                       "from, and the output layer becomes very wide. Often the target is "
                       "really a number (then the task is regression) or an identifier.",
                       max=MAX_CLASSES),
                     _("Check the target: use regression if it is a quantity, or group "
                       "rare classes together."), column=t)

    # -- features -------------------------------------------------------------------------------
    def check_features(self) -> None:
        p = self.p
        absent = [c for c in p.features if c not in self.frame.columns]
        for c in absent:
            self.add("column-not-found", "error",
                     _("The feature {name} is not in the data", name=_q(c)),
                     _("The project uses {name} as a feature, but the loaded CSV has no such "
                       "column (was the file changed or renamed?).", name=_q(c)),
                     _("Ignore the column, or load the data it came from."), column=c,
                     action={"op": "set_column", "column": c, "field": "role",
                             "value": "ignore"})
        if not p.features:
            self.add("no-features", "error", _("No column is used as a feature"),
                     _("The network predicts the target from the features; without any it "
                       "has nothing to learn from."),
                     _("Set the role of at least one column to feature."))
            return
        ranges: dict[str, float] = {}
        unscaled: list[tuple[str, float, float]] = []  # column, range, largest |value|
        for c in self.features:
            prep = p.columns[c]
            prof = self.profile(c)
            if prof is None:
                continue
            kind = prof.kind
            if prof.missing > 0 and prep.impute == "none":
                numeric = kind == "numeric" and prep.encode == "none"
                strategy = "median" if numeric else "most_frequent"
                self.add("missing-values", "error",
                         _("The feature {name} has {n} missing values and no strategy for "
                           "them", name=_q(c), n=prof.missing),
                         _("A network only does arithmetic with numbers; an empty cell "
                           "(NaN) would make every prediction and the loss NaN. Missing "
                           "values must be filled in (imputed) or their rows dropped."),
                         _("Fill them in with the column's {strategy}.",
                           strategy=_("median") if numeric else _("most frequent value")),
                         column=c, action={"op": "set_column", "column": c,
                                           "field": "impute", "value": strategy})
            if kind in ("text", "id", "constant"):
                self._kind_warning(c, kind, prof)
            elif prep.encode == "onehot" and prof.unique > MANY_CATEGORIES:
                self.add("many-categories", "warning",
                         _("The one-hot column {name} becomes {n} inputs", name=_q(c),
                           n=prof.unique),
                         _("One-hot encoding makes one input per category; {n} categories "
                           "make the network much wider and most categories have few "
                           "rows, which invites over-fitting (과적합).", n=prof.unique),
                         _("Group rare categories in the CSV, or, if {name} is a number, "
                           "use it as a number (encoding: none) and scale it.", name=_q(c)),
                         column=c)
            if prep.encode == "none" and prof.is_numeric:
                lo, hi, std = prof.minimum, prof.maximum, prof.std
                if lo is None or hi is None:
                    s = pd.to_numeric(self.frame[c], errors="coerce")
                    lo, hi, std = s.min(), s.max(), s.std()
                if lo is None or hi is None or not np.isfinite(lo) or not np.isfinite(hi):
                    continue
                span = float(hi) - float(lo)
                if prep.scale == "standard":
                    eff = span / float(std) if std and np.isfinite(std) and std > 0 else 0.0
                elif prep.scale == "minmax":
                    eff = 1.0 if span > 0 else 0.0
                else:
                    eff = span
                    if kind == "numeric":
                        unscaled.append((c, span, max(abs(float(lo)), abs(float(hi)))))
                if eff > 0:
                    ranges[c] = eff
        self._check_scaling(unscaled, ranges)

    def _kind_warning(self, c: str, kind: str, prof: ColumnProfile) -> None:
        action = {"op": "set_column", "column": c, "field": "role", "value": "ignore"}
        if kind == "id":
            self.add("id-feature", "warning",
                     _("The feature {name} looks like an identifier", name=_q(c)),
                     _("{name} has a different value in (almost) every row, like a row "
                       "number or a customer ID. It says nothing about the target for new "
                       "rows; the network can only memorise it, which is over-fitting "
                       "(과적합).", name=_q(c)),
                     _("Ignore {name}.", name=_q(c)), column=c, action=action)
        elif kind == "text":
            self.add("text-feature", "warning",
                     _("The feature {name} is free text", name=_q(c)),
                     _("{name} holds text with {n} different values. One-hot encoding "
                       "turns each distinct text into its own input, so the network gets "
                       "very wide and learns little that carries over to new rows.",
                       name=_q(c), n=prof.unique),
                     _("Ignore {name}, or turn it into a few categories in the CSV.",
                       name=_q(c)), column=c, action=action)
        else:
            self.add("constant-feature", "warning",
                     _("The feature {name} has the same value in every row", name=_q(c)),
                     _("A column that never changes carries no information about the "
                       "target; it only adds an input."),
                     _("Ignore {name}.", name=_q(c)), column=c, action=action)

    def _check_scaling(self, unscaled: list[tuple[str, float, float]],
                       ranges: dict[str, float]) -> None:
        if not unscaled:
            return
        spans = [r for r in ranges.values() if r > 0]
        lo, hi = (min(spans), max(spans)) if spans else (0.0, 0.0)
        spread = hi / lo if lo > 0 else 1.0
        for c, span, big in unscaled:
            extreme = spread > RANGE_RATIO and span > 0 and (span >= RANGE_RATIO * lo
                                                             or span * RANGE_RATIO <= hi)
            if not (big > LARGE_VALUE or extreme):
                continue
            if big > LARGE_VALUE:
                why = _("Its values reach {value:g}.", value=big)
            elif span >= RANGE_RATIO * lo:
                why = _("Its range ({span:g}) is more than {k:g} times that of another "
                        "feature.", span=span, k=RANGE_RATIO)
            else:
                why = _("Its range ({span:g}) is less than a {k:g}th of that of another "
                        "feature.", span=span, k=RANGE_RATIO)
            self.add("unscaled-features", "warning",
                     _("The feature {name} is not scaled", name=_q(c)),
                     _("{why} Scaling (스케일링) is a must for neural networks: features on "
                       "very different scales make the weight updates uneven, so training "
                       "is slow and unstable and large columns drown out small ones. "
                       "Standardisation gives every feature mean 0 and variance 1 (fitted "
                       "on the training rows only).", why=why),
                     _("Standardise {name}.", name=_q(c)), column=c,
                     action={"op": "set_column", "column": c, "field": "scale",
                             "value": "standard"})

    # -- 2. output vs task ----------------------------------------------------------------------
    def _expected_output(self, out: Layer) -> tuple[int, str]:
        info = self.info
        assert info is not None
        if info.task == "regression":
            return 1, "linear"
        if info.task == "binary":
            if out.units == 2 and (out.activation == "softmax"
                                   or self.p.compile.loss in _MULTI_CE):
                return 2, "softmax"
            return 1, "sigmoid"
        return max(len(info.classes), 2), "softmax"

    def check_output(self, out: Layer) -> None:
        info = self.info
        assert info is not None
        t = _q(self.p.target)
        units, act = self._expected_output(out)
        if out.units != units and out.units >= 1:
            if info.task == "regression":
                title = _("The output layer has {units} but regression predicts one "
                          "number", units=_units(out.units))
                why = _("Regression (회귀) predicts one value per row ({name}), so the output "
                        "layer (출력층) needs exactly 1 unit.", name=t)
            elif info.task == "binary":
                title = _("The output layer has {units} but the target {name} has 2 "
                          "classes", units=_units(out.units), name=t)
                why = _("Binary classification needs 1 sigmoid unit that gives the "
                        "probability of the class {cls} (or 2 softmax units, one per "
                        "class).", cls=_q(info.classes[-1]) if info.classes else "1")
            else:
                title = _("The output layer has {units} but the target {name} has {n} "
                          "classes", units=_units(out.units), name=t, n=units)
                why = _("Multi-class classification needs one output unit per class: softmax "
                        "turns the {n} outputs into {n} probabilities that add up to 1.",
                        n=units)
            self.add("output-units", "error", title, why,
                     _("Set the output layer to {units}.", units=_units(units)), layer=out.uid,
                     action={"op": "set_units", "layer": out.uid, "value": units})
        current = "linear" if out.activation in _LINEAR else out.activation
        if current != act:
            if info.task == "regression":
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
                        cls=_q(info.classes[-1]) if info.classes else "1")
                if current == "softmax":
                    why = why + " " + _("softmax on one unit always outputs exactly 1, so "
                                        "the network could not learn anything.")
                title = _("The binary output uses {act} instead of sigmoid", act=current)
                fix = _("Set the output activation to sigmoid.")
            else:
                n = units
                why = _("For {n} classes the output activation must be softmax: it turns "
                        "the {n} outputs into probabilities that add up to 1, one per "
                        "class of {name}.", n=n, name=t)
                if current == "sigmoid":
                    why = why + " " + _("sigmoid scores each class on its own, as if a row "
                                        "could belong to several classes at once.")
                title = _("The output for {n} classes uses {act} instead of softmax", n=n,
                          act=current)
                fix = _("Set the output activation to softmax.")
            self.add("output-activation", "error", title, why, fix, layer=out.uid,
                     action={"op": "set_activation", "layer": out.uid, "value": act})

    # -- 3. loss and metrics --------------------------------------------------------------------
    def check_loss(self, out: Layer) -> None:
        info = self.info
        assert info is not None
        loss = self.p.compile.loss
        if loss not in LOSSES:
            return  # reported by the settings check
        units, act = self._expected_output(out)
        if info.task == "regression":
            accepted, right = _REGRESSION_LOSSES, "mse"
        elif act == "sigmoid":
            accepted, right = ("binary_crossentropy",), "binary_crossentropy"
        else:
            accepted, right = _MULTI_CE, "sparse_categorical_crossentropy"
        if loss in accepted:
            return
        action = {"op": "set_loss", "value": right}
        fix = _("Use the loss {loss}.", loss=right)
        if info.task == "regression":
            self.add("loss-task", "error",
                     _("Cross-entropy loss ({loss}) on a regression target", loss=loss),
                     _("Cross-entropy measures how wrong class probabilities are. The target "
                       "{name} is a number, so the error to reduce is the distance between "
                       "prediction and truth: the regression loss (손실 함수) MSE or MAE.",
                       name=_q(self.p.target)), fix, action=action)
        elif loss in _REGRESSION_LOSSES:
            self.add("loss-task", "error",
                     _("{loss} on class labels", loss=_LOSS_NAMES[loss]),
                     _("{loss} measures the distance between numbers, but the classes of "
                       "{name} are labels: class 2 is not 'twice' class 1. Classification "
                       "reduces cross-entropy, which punishes confident wrong "
                       "probabilities.", loss=_LOSS_NAMES[loss], name=_q(self.p.target)),
                     fix, action=action)
        elif act == "softmax":
            self.add("loss-output", "error",
                     _("binary_crossentropy with a softmax output of {n} units", n=units),
                     _("binary_crossentropy expects one sigmoid probability per row. A "
                       "softmax output gives one probability per class and the labels are "
                       "class numbers, so the loss needs sparse_categorical_crossentropy."),
                     fix, action=action)
        else:
            self.add("loss-output", "error",
                     _("{loss} with a single sigmoid output", loss=loss),
                     _("{loss} expects one softmax probability per class. A binary network "
                       "with 1 sigmoid unit gives one probability (of the class {cls}), "
                       "which binary_crossentropy measures.", loss=loss,
                       cls=_q(info.classes[-1]) if info.classes else "1"),
                     fix, action=action)

    def check_metrics(self) -> None:
        info = self.info
        assert info is not None
        metrics = list(self.p.compile.metrics or [])
        wrong_set = CLASSIFICATION_METRICS if info.task == "regression" else REGRESSION_METRICS
        wrong = [m for m in metrics if m in wrong_set]
        if not wrong:
            return
        keep = [m for m in metrics if m not in wrong]
        if not keep:
            keep = default_metrics(info.task)
        if info.task == "regression":
            why = _("The metric(s) {names} count right and wrong classes, but regression "
                    "predicts numbers, which are almost never exactly right. Regression is "
                    "measured with MAE, RMSE or R² (평가 지표).", names=", ".join(wrong))
        else:
            why = _("The metric(s) {names} measure distances between numbers, but the "
                    "target {name} holds classes. Use accuracy (and precision, recall, AUC) for "
                    "classification.", names=", ".join(wrong), name=_q(self.p.target))
        self.add("metric-task", "warning",
                 _("The metric(s) {names} do not fit the task", names=", ".join(wrong)),
                 why, _("Use the metrics {names}.", names=", ".join(keep)),
                 action={"op": "set_metrics", "value": keep})

    # -- 4. data: imbalance, leakage, capacity --------------------------------------------------
    def check_imbalance(self) -> None:
        info = self.info
        assert info is not None
        if info.task == "regression":
            return
        counts = self.frame[self.p.target].value_counts(dropna=True)
        if len(counts) < 2:
            return
        total = int(counts.sum())
        n_min, n_max = int(counts.iloc[-1]), int(counts.iloc[0])
        share = n_min / total
        k = len(counts)
        imbalanced = n_max / max(n_min, 1) > IMBALANCE_RATIO or (
            share < IMBALANCE_SHARE and share < 0.5 / k)
        if not imbalanced or self.p.training.class_weight != "none":
            return
        self.add("class-imbalance", "warning",
                 _("The class {cls} of {name} has only {share:.1%} of the rows",
                   cls=_q(counts.index[-1]), name=_q(self.p.target), share=share),
                 _("The largest class ({big}) has {n_max} rows and the smallest ({small}) "
                   "{n_min}. A network can reach a high accuracy by nearly always "
                   "predicting the large class and still miss the small one; look at the "
                   "confusion matrix (혼동 행렬), precision and recall, not only at "
                   "accuracy.", big=_q(counts.index[0]), n_max=n_max,
                   small=_q(counts.index[-1]), n_min=n_min),
                 _("Use balanced class weights, so that mistakes on rare classes count "
                   "more (or over-sample the rare class)."), column=self.p.target,
                 action={"op": "set_class_weight", "value": "balanced"})

    def check_leakage(self) -> None:
        info = self.info
        assert info is not None
        t = self.p.target
        if not self.features:
            return
        frame = self.frame
        y_all = frame[t]
        if info.task == "regression":
            y_all = pd.to_numeric(y_all, errors="coerce")
        rows = np.flatnonzero(y_all.notna().to_numpy())
        if len(rows) < 10:
            return
        if len(rows) > LEAKAGE_SAMPLE:
            rows = np.sort(np.random.default_rng(0).choice(rows, LEAKAGE_SAMPLE,
                                                           replace=False))
        sub = frame.iloc[rows]
        y = y_all.iloc[rows]
        t_codes, t_uniq = pd.factorize(y)
        nt = len(t_uniq)
        leaks: dict[str, str] = {}
        if 2 <= nt <= len(rows) / 2:
            n_target_values = int(y_all.nunique(dropna=True))
            for c in self.features:
                prof = self.profile(c)
                if prof is not None and not 2 <= prof.unique <= n_target_values + 1:
                    continue  # cannot be a one-to-one recoding of the target
                f_codes, f_uniq = pd.factorize(sub[c])
                ok = f_codes >= 0
                if ok.sum() < 10 or len(f_uniq) < 2:
                    continue
                fc, tc = f_codes[ok], t_codes[ok]
                n_f = len(np.unique(fc))
                n_t = len(np.unique(tc))
                if n_f != n_t or n_t < 2:
                    continue
                n_pairs = len(np.unique(fc.astype(np.int64) * nt + tc))
                if n_pairs == n_f:
                    leaks[c] = _("each value of {name} goes with exactly one value of the "
                                 "target and the other way round", name=_q(c))
        if info.task == "regression":
            numeric = [c for c in self.features if c not in leaks
                       and pd.api.types.is_numeric_dtype(sub[c])
                       and not pd.api.types.is_bool_dtype(sub[c])]
            if numeric:
                x = sub[numeric].to_numpy(dtype=np.float64, na_value=np.nan)
                yv = y.to_numpy(dtype=np.float64, na_value=np.nan)
                with np.errstate(all="ignore"), warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    both = np.isfinite(x) & np.isfinite(yv)[:, None]
                    n = both.sum(axis=0)
                    xm = np.where(both, x, 0.0)
                    ym = np.where(both, yv[:, None], 0.0)
                    mx, my = xm.sum(0) / n, ym.sum(0) / n
                    dx, dy = np.where(both, x - mx, 0.0), np.where(both, yv[:, None] - my, 0.0)
                    r = (dx * dy).sum(0) / np.sqrt((dx * dx).sum(0) * (dy * dy).sum(0))
                for c, rc, nc in zip(numeric, r, n):
                    if nc >= 10 and np.isfinite(rc) and abs(rc) > CORR_LEAK:
                        leaks[c] = _("its correlation with the target is {r:.4f}", r=rc)
        for c, how in leaks.items():
            self.add("target-leakage", "error",
                     _("The feature {name} is a copy of the target {target}", name=_q(c),
                       target=_q(t)),
                     _("In this data {how}. A feature that gives the answer away (target "
                       "leakage) makes the scores look perfect, but when the model is used "
                       "the answer is not known in advance, so it will fail.", how=how),
                     _("Ignore {name}.", name=_q(c)), column=c,
                     action={"op": "set_column", "column": c, "field": "role",
                             "value": "ignore"})

    def check_capacity(self) -> None:
        layers = self.p.design.layers
        if not self.structure_ok:
            return
        if not any(layer.kind == "dense" for layer in layers[1:-1]):
            self.add("no-hidden-layers", "info", _("The network has no hidden layers"),
                     _("Without a hidden layer (은닉층) the network is a linear model (linear "
                       "or logistic regression): it cannot learn curved relationships."),
                     _("Add one or two hidden Dense layers with relu, e.g. 16 and 8 "
                       "units."))
        if self.train_rows <= 0:
            return
        try:
            params = self.p.design.param_count().trainable
        except (TypeError, ValueError):
            return
        if params <= 0 or self.train_rows / params >= FEW_ROWS_PER_WEIGHT:
            return
        self.add("few-rows-per-param", "warning",
                 _("{params} weights to learn from {rows} training rows", params=params,
                   rows=self.train_rows),
                 _("The network has more than ten trainable weights for every training row "
                   "({ratio:.2f} rows per weight). It can simply memorise the training "
                   "rows instead of learning the pattern: over-fitting (과적합). The "
                   "training loss keeps falling while the validation loss rises.",
                   ratio=self.train_rows / params),
                 _("Use fewer or smaller hidden layers, add dropout (드롭아웃) or L1/L2 "
                   "regularisation (규제), and keep early stopping on."))

    # -- 5. training ----------------------------------------------------------------------------
    def check_training(self) -> None:
        tr, comp = self.p.training, self.p.compile
        es = tr.early_stopping
        if not es.enabled and isinstance(tr.epochs, int) and tr.epochs > MANY_EPOCHS:
            self.add("no-early-stopping", "warning",
                     _("{n} epochs without early stopping", n=tr.epochs),
                     _("After a while the validation loss usually stops improving and "
                       "starts to rise while the training loss still falls: over-fitting "
                       "(과적합). Early stopping (조기 종료) ends training there and keeps "
                       "the best weights."),
                     _("Turn early stopping on (or use fewer epochs)."),
                     action={"op": "set_early_stopping", "value": True})
        lr = comp.learning_rate
        if _num(lr) and lr > HIGH_LR:
            self.add("high-learning-rate", "warning",
                     _("The learning rate {lr:g} is very high", lr=lr),
                     _("The learning rate is the size of each weight update. Steps this "
                       "large overshoot the minimum of the loss: it jumps around, grows or "
                       "becomes NaN instead of decreasing."),
                     _("Use 0.001, Adam's usual rate, and raise it only if the learning "
                       "curve falls too slowly."),
                     action={"op": "set_learning_rate", "value": 0.001})
        elif _num(lr) and 0 < lr < LOW_LR:
            self.add("low-learning-rate", "info",
                     _("The learning rate {lr:g} is very low", lr=lr),
                     _("Each weight update is tiny, so the loss falls very slowly and "
                       "training may stop long before the network has learnt much."),
                     _("Try 0.001, Adam's usual rate."),
                     action={"op": "set_learning_rate", "value": 0.001})
        bs = tr.batch_size
        if isinstance(bs, int) and self.train_rows > 0 and bs > self.train_rows:
            better = 1
            while better * 2 <= min(32, self.train_rows):
                better *= 2
            self.add("batch-too-large", "warning",
                     _("The batch size {bs} is larger than the {rows} training rows", bs=bs,
                       rows=self.train_rows),
                     _("The weights are updated once per batch. With one batch holding all "
                       "the rows there is only one update per epoch, so learning is slow."),
                     _("Use a batch size of {n}.", n=better),
                     action={"op": "set_batch_size", "value": better})


# ---------------------------------------------------------------------------------------------
# apply_fix
# ---------------------------------------------------------------------------------------------

_COLUMN_FIELDS = ("role", "impute", "scale", "encode", "fill_value")


def apply_fix(project: Project, finding: Finding, dataset: Dataset | None = None) -> bool:
    """Apply ``finding.action`` to ``project`` in place. False if there is none or it is
    unknown or no longer applies (e.g. the layer was removed).

    With the ``dataset`` the project is left consistent: after a fix that changes a column
    (its role, encoding or missing values), the input layer is given the number of inputs the
    preprocessing now produces (one per category of a one-hot column)."""
    ok = _apply_action(project, finding)
    if ok and dataset is not None and (finding.action or {}).get("op") in _RESHAPING_OPS:
        sync_input_width(project, dataset)
    return ok


#: fixes that can change how many inputs the preprocessing produces
_RESHAPING_OPS = ("set_column",)


def sync_input_width(project: Project, dataset: Dataset) -> bool:
    """Give the design's input layer the width the data gives now; True if it changed. A
    design without an input layer first is left alone (the doctor says what to do)."""
    layers = project.design.layers
    if not layers or layers[0].kind != "input":
        return False
    try:
        n = estimate_inputs(project, dataset)
    except (KeyError, StudioError):
        return False
    if n < 1 or layers[0].units == n:
        return False
    layers[0].units = n
    return True


def _apply_action(project: Project, finding: Finding) -> bool:
    a = finding.action
    if not isinstance(a, dict):
        return False
    op, value = a.get("op"), a.get("value")
    design = project.design
    if op in ("set_activation", "set_units"):
        try:
            layer = design.layers[design.index_of(a.get("layer"))]
        except KeyError:
            return False
        if op == "set_activation":
            layer.activation = str(value)
        else:
            layer.units = int(value)
        return True
    if op == "set_input_units":
        if not design.layers or design.layers[0].kind != "input":
            return False
        design.layers[0].units = int(value)
        return True
    if op == "set_column":
        col, fld = a.get("column"), a.get("field")
        prep = project.columns.get(col)
        if prep is None or fld not in _COLUMN_FIELDS:
            return False
        setattr(prep, fld, value)
        return True
    if op == "set_loss":
        project.compile.loss = str(value)
    elif op == "set_metrics":
        project.compile.metrics = [str(m) for m in value]
    elif op == "set_learning_rate":
        project.compile.learning_rate = float(value)
    elif op == "set_class_weight":
        project.training.class_weight = str(value)
    elif op == "set_early_stopping":
        project.training.early_stopping.enabled = bool(value)
    elif op == "set_batch_size":
        project.training.batch_size = int(value)
    elif op == "set_task":
        project.task = value
    else:
        return False
    return True
