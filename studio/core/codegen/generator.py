"""The code of one project, section by section in the curriculum's order (load, split,
preprocess, model, compile, fit, curves, evaluate): :class:`Generator`."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from studio.core.codegen.literals import _check_project, _choice, _comment, _lit
from studio.core.codegen.reading import (
    _clean_code,
    _data_path,
    _is_numeric,
    _pipeline_code,
    _read_kwargs,
)
from studio.core.data import Dataset
from studio.core.design import ACTIVATIONS, INITIALIZERS
from studio.core.i18n import _
from studio.core.project import Project

#: (title, code)
Section = tuple[str, str]


class Generator:
    """The code of one project and its data, one method per section."""


    def __init__(self, project: Project, dataset: Dataset, data_path: str | None,
                 script_dir: Path | None = None) -> None:
        _check_project(project)
        self.p = project
        self.script_dir = script_dir
        self.ds = dataset
        self.info = project.task_info(dataset)
        self.task = self.info.task
        self.data_path = data_path
        frame = dataset.frame
        self.features = [c for c in project.features if c in frame.columns]
        self.categorical: list[str] = []
        self.boolean: list[str] = []
        self.pipes: dict[str, tuple[str, str]] = {}
        for c in self.features:
            numeric = _is_numeric(frame[c]) and project.columns[c].encode == "none"
            if not numeric:
                self.categorical.append(c)
            elif pd.api.types.is_bool_dtype(frame[c]):
                self.boolean.append(c)
            self.pipes[c] = _pipeline_code(project.columns[c], numeric)

    # -- sections --------------------------------------------------------------------------
    def header(self) -> str:
        p = self.p
        path, comment = _data_path(p, self.data_path, self.script_dir)
        info = self.ds.info
        name = _comment(p.name or "project")
        return f'''"""{name}: exported from NetSketch Studio.

Predicts '{_comment(p.target, 60)}' ({self.task}) with a Keras network. Needs tensorflow,
pandas and scikit-learn; matplotlib (optional) draws the learning curves.
"""
import json
from pathlib import Path

import keras
import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.metrics import (accuracy_score, classification_report, f1_score,
                             mean_absolute_error, mean_squared_error, precision_score,
                             r2_score, recall_score, roc_auc_score)
from sklearn.model_selection import train_test_split
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import (MinMaxScaler, OneHotEncoder, OrdinalEncoder,
                                   StandardScaler)

# The data is looked for beside this script (in a notebook: in the current folder).
HERE = Path(__file__).resolve().parent if "__file__" in globals() else Path.cwd()
DATA_PATH = {path}{comment}
# The column names the studio used (blank names filled in, repeated ones numbered).
COLUMNS = {_lit([str(c) for c in self.ds.frame.columns])}
CSV_OPTIONS = {_read_kwargs(info, list(self.ds.frame.columns), p.read_options)}
TARGET = {_lit(p.target)}
SPLIT_SEED = {int(p.split.seed)}   # the same split every run
SEED = {int(p.training.seed)}         # the same initial weights every run
'''

    def load(self) -> str:
        lines = ["df = pd.read_csv(DATA_PATH, **CSV_OPTIONS)",
                 *_clean_code(self.p.read_options, [str(c) for c in self.ds.frame.columns]),
                 'print(df.shape)',
                 'print(df.head())',
                 "",
                 "# Rows without a target cannot be used.",
                 "df = df.dropna(subset=[TARGET])"]
        if self.task == "regression":
            lines += ["df[TARGET] = pd.to_numeric(df[TARGET], errors=\"coerce\")",
                      "df = df[np.isfinite(df[TARGET])]"]
        drop = [c for c in self.features if self.p.columns[c].impute == "drop"]
        if drop:
            lines += ["# Missing values in these columns: drop the row.",
                      f"df = df.dropna(subset={_lit(drop)})"]
        return "\n".join(lines) + "\n"

    def split(self) -> str:
        s = self.p.split
        lines = [f"FEATURES = {_lit(self.features)}",
                 "X = df[FEATURES].copy()"]
        if self.categorical:
            lines += ["",
                      "",
                      "def as_text(value):",
                      '    """A category as text (1.0 -> "1"); missing stays missing."""',
                      "    if pd.isna(value):",
                      "        return np.nan",
                      "    if isinstance(value, float) and value.is_integer():",
                      "        return str(int(value))",
                      "    return str(value)",
                      "",
                      "",
                      "# Columns used as categories are compared as text.",
                      f"for column in {_lit(self.categorical)}:",
                      "    X[column] = X[column].map(as_text).astype(object)"]
        if self.boolean:
            lines += [f"for column in {_lit(self.boolean)}:",
                      "    X[column] = X[column].astype(\"float64\")"]
        if self.task == "regression":
            lines += ["y = df[TARGET].to_numpy(dtype=\"float64\")"]
        else:
            lines += ["",
                      f"CLASSES = {_lit(list(self.info.classes))}",
                      "class_index = {str(c): i for i, c in enumerate(CLASSES)}",
                      "y = df[TARGET].map(lambda v: class_index[str(v) if not isinstance(v, "
                      "float) or not v.is_integer() else str(int(v))]).to_numpy()"]
        strat = self.task != "regression" and s.stratify
        lines += ["",
                  f"# Test set first ({s.test:.0%}), then validation from the rest "
                  f"({s.validation:.0%} of all rows)"
                  + ("; stratified: each class keeps its share." if strat else "."),
                  "X_rest, X_test, y_rest, y_test = train_test_split(",
                  f"    X, y, test_size={_lit(s.test)}, random_state=SPLIT_SEED, shuffle=True"
                  + (", stratify=y)" if strat else ")"),
                  "X_train, X_val, y_train, y_val = train_test_split(",
                  f"    X_rest, y_rest, test_size={_lit(s.validation)} / ({_lit(s.train)} + "
                  f"{_lit(s.validation)}), random_state=SPLIT_SEED, shuffle=True"
                  + (", stratify=y_rest)" if strat else ")"),
                  'print("rows: train", len(X_train), "validation", len(X_val), "test", '
                  'len(X_test))']
        return "\n".join(lines) + "\n"

    def preprocess(self) -> str:
        factories: dict[str, str] = {}
        for fname, expr in self.pipes.values():
            factories.setdefault(fname, expr)
        lines = []
        for fname, expr in factories.items():
            lines += [f"def {fname}():", f"    return {expr}", "", ""]
        lines += ["# One small pipeline per column, fitted on the training rows only.",
                  "preprocess = ColumnTransformer(["]
        for c in self.features:
            lines.append(f"    ({_lit(c)}, {self.pipes[c][0]}(), [{_lit(c)}]),")
        lines += ["], remainder=\"drop\", sparse_threshold=0.0)",
                  "x_train = preprocess.fit_transform(X_train).astype(\"float32\")",
                  "x_val = preprocess.transform(X_val).astype(\"float32\")",
                  "x_test = preprocess.transform(X_test).astype(\"float32\")"]
        if self.task == "regression":
            lines += ["",
                      "# Standardise the target with the training rows' mean and spread;",
                      "# predictions are turned back into the target's units at the end.",
                      "y_mean, y_std = float(np.mean(y_train)), float(np.std(y_train))",
                      "y_train_fit = ((y_train - y_mean) / y_std).astype(\"float32\")",
                      "y_val_fit = ((y_val - y_mean) / y_std).astype(\"float32\")"]
        elif self.p.compile.loss == "categorical_crossentropy":
            n = max(len(self.info.classes), self.p.design.output.units)
            lines += ["",
                      "# categorical_crossentropy wants one-hot targets.",
                      f"y_train_fit = np.eye({n}, dtype=\"float32\")[y_train]",
                      f"y_val_fit = np.eye({n}, dtype=\"float32\")[y_val]"]
        elif self.task == "binary":
            lines += ["y_train_fit = y_train.astype(\"float32\")",
                      "y_val_fit = y_val.astype(\"float32\")"]
        else:
            lines += ["y_train_fit, y_val_fit = y_train, y_val   # class indices"]
        return "\n".join(lines) + "\n"

    def layer_lines(self) -> list[tuple[str, str]]:
        """(uid, code line) for each layer of the design, in order."""
        design = self.p.design
        out = [(design.layers[0].uid if design.layers else "",
                '    keras.Input(shape=(x_train.shape[1],), name="input"),')]
        n_dense = 0
        for i, layer in enumerate(design.layers[1:], start=1):
            last = i == len(design.layers) - 1
            if layer.kind == "dense":
                n_dense += 1
                args = [str(int(layer.units))]
                activation = _choice(layer.activation, ACTIVATIONS, _("activation"))
                initializer = _choice(layer.initializer, INITIALIZERS, _("initializer"))
                if activation != "linear":
                    args.append(f"activation={_lit(activation)}")
                if initializer != "glorot_uniform":
                    args.append(f"kernel_initializer={_lit(initializer)}")
                if layer.l1 or layer.l2:
                    args.append(f"kernel_regularizer=keras.regularizers.L1L2("
                                f"l1={_lit(float(layer.l1))}, l2={_lit(float(layer.l2))})")
                args.append(f'name="{"output" if last else f"dense_{n_dense}"}"')
                line = f"    keras.layers.Dense({', '.join(args)}),"
            elif layer.kind == "dropout":
                line = f'    keras.layers.Dropout({_lit(float(layer.rate))}, name="dropout_{i}"),'
            elif layer.kind == "batchnorm":
                line = f'    keras.layers.BatchNormalization(name="batch_norm_{i}"),'
            else:
                continue
            out.append((layer.uid, line))
        return out

    def model(self) -> str:
        lines = ["keras.utils.set_random_seed(SEED)",
                 "model = keras.Sequential(["]
        lines += [line for _uid, line in self.layer_lines()]
        lines += ['], name="netsketch")', "model.summary()"]
        return "\n".join(lines) + "\n"

    def compile(self) -> str:
        c = self.p.compile
        lr = _lit(float(c.learning_rate))
        opt = {"sgd": f"keras.optimizers.SGD(learning_rate={lr}, momentum="
                      f"{_lit(float(c.momentum))})",
               "rmsprop": f"keras.optimizers.RMSprop(learning_rate={lr})",
               "adamw": f"keras.optimizers.AdamW(learning_rate={lr}, weight_decay="
                        f"{_lit(float(c.weight_decay))})",
               "adagrad": f"keras.optimizers.Adagrad(learning_rate={lr})"}.get(
            c.optimizer, f"keras.optimizers.Adam(learning_rate={lr})")
        loss = {"mse": "keras.losses.MeanSquaredError()",
                "mae": "keras.losses.MeanAbsoluteError()",
                "huber": "keras.losses.Huber()",
                "binary_crossentropy": "keras.losses.BinaryCrossentropy()",
                "categorical_crossentropy": "keras.losses.CategoricalCrossentropy()",
                "sparse_categorical_crossentropy":
                    "keras.losses.SparseCategoricalCrossentropy()"}[c.loss]
        metrics: list[str | None] = []
        binary_bce = self.task == "binary" and c.loss == "binary_crossentropy"
        for m in c.metrics:
            if self.task == "regression":
                metrics.append({"mae": 'keras.metrics.MeanAbsoluteError(name="mae")',
                                "rmse": 'keras.metrics.RootMeanSquaredError(name="rmse")',
                                "r2": 'keras.metrics.R2Score(name="r2")'}.get(m))
            elif m == "accuracy":
                cls = "BinaryAccuracy" if binary_bce else (
                    "CategoricalAccuracy" if c.loss == "categorical_crossentropy"
                    else "SparseCategoricalAccuracy")
                metrics.append(f'keras.metrics.{cls}(name="accuracy")')
            elif binary_bce:
                metrics.append({"precision": 'keras.metrics.Precision(name="precision")',
                                "recall": 'keras.metrics.Recall(name="recall")',
                                "auc": 'keras.metrics.AUC(name="auc")'}.get(m))
        shown = [m for m in metrics if m]
        lines = ["model.compile(",
                 f"    optimizer={opt},",
                 f"    loss={loss},",
                 "    metrics=[" + ", ".join(shown) + "],",
                 ")"]
        return "\n".join(lines) + "\n"

    def fit(self) -> str:
        t = self.p.training
        es, sc = t.early_stopping, t.schedule
        lines = ["callbacks = []"]
        if es.enabled:
            lines += ["# Stop when the validation loss stops improving; keep the best weights.",
                      f"callbacks.append(keras.callbacks.EarlyStopping(monitor={_lit(es.monitor)}, "
                      f"patience={int(es.patience)}, restore_best_weights="
                      f"{bool(es.restore_best_weights)}))"]
        lr0 = _lit(float(self.p.compile.learning_rate))
        if sc.kind == "plateau":
            lines += ["# Halve the learning rate when the validation loss stalls.",
                      f"callbacks.append(keras.callbacks.ReduceLROnPlateau(monitor=\"val_loss\", "
                      f"factor={_lit(float(sc.factor))}, patience={int(sc.patience)}, "
                      f"min_lr={_lit(float(sc.min_lr))}))"]
        elif sc.kind in ("exponential", "step"):
            if sc.kind == "exponential":
                body = (f"max({_lit(float(sc.min_lr))}, {lr0} * {_lit(float(sc.decay_rate))} "
                        "** epoch)")
                what = "shrinks by the same factor every epoch"
            else:
                body = (f"max({_lit(float(sc.min_lr))}, {lr0} * {_lit(float(sc.factor))} ** "
                        f"(epoch // {int(sc.step_epochs)}))")
                what = f"drops every {int(sc.step_epochs)} epochs"
            lines += ["", "",
                      "def schedule(epoch, lr):",
                      f'    """The learning rate {what}."""',
                      f"    return {body}",
                      "", "",
                      "callbacks.append(keras.callbacks.LearningRateScheduler(schedule))"]
        weights = "None"
        if self.task != "regression" and t.class_weight == "balanced":
            n = len(self.info.classes)
            lines += ["# Balanced class weights: rare classes count more in the loss.",
                      f"counts = np.bincount(y_train.astype(int), minlength={n})",
                      f"class_weight = {{i: float(counts.sum() / ({n} * c)) if c else 1.0 "
                      "for i, c in enumerate(counts)}"]
            weights = "class_weight"
        elif self.task != "regression" and t.class_weight == "manual":
            d = {i: float(t.manual_class_weights.get(str(c), 1.0))
                 for i, c in enumerate(self.info.classes)}
            lines += ["# Class weights chosen by hand (class index: weight).",
                      f"class_weight = {_lit(d)}"]
            weights = "class_weight"
        lines += ["",
                  "history = model.fit(",
                  "    x_train, y_train_fit,",
                  "    validation_data=(x_val, y_val_fit),",
                  f"    epochs={int(t.epochs)},",
                  f"    batch_size={int(t.batch_size)},",
                  "    shuffle=True,",
                  f"    class_weight={weights},",
                  "    callbacks=callbacks,",
                  "    verbose=2,",
                  ")"]
        return "\n".join(lines) + "\n"

    def curves(self) -> str:
        return '''try:
    import matplotlib.pyplot as plt
except ImportError:
    plt = None
    print("matplotlib is not installed: no learning curves.")
if plt is not None:
    names = [k for k in history.history if not k.startswith("val_") and k != "learning_rate"]
    fig, axes = plt.subplots(1, len(names), figsize=(5 * len(names), 4), squeeze=False)
    for ax, name in zip(axes[0], names):
        ax.plot(history.history[name], label="train")
        ax.plot(history.history["val_" + name], label="validation")
        ax.set_xlabel("epoch")
        ax.set_title(name)
        ax.legend()
    plt.tight_layout()
    plt.show()
'''

    def evaluate(self) -> str:
        if self.task == "regression":
            return '''y_pred = model.predict(x_test, verbose=0).reshape(-1) * y_std + y_mean
mse = mean_squared_error(y_test, y_pred)
test_metrics = {
    "mae": float(mean_absolute_error(y_test, y_pred)),
    "mse": float(mse),
    "rmse": float(np.sqrt(mse)),
    "r2": float(r2_score(y_test, y_pred)),
}
print(test_metrics)
print(json.dumps({"params": model.count_params(), "test_metrics": test_metrics}))
'''
        avg = '"binary"' if len(self.info.classes) == 2 else '"macro"'
        if len(self.info.classes) == 2:
            proba = ("raw = model.predict(x_test, verbose=0)\n"
                     "if raw.shape[1] == 1:   # one sigmoid output: P(second class)\n"
                     "    proba = np.column_stack([1 - raw[:, 0], raw[:, 0]])\n"
                     "else:\n"
                     "    proba = raw\n")
            auc = "float(roc_auc_score(y_test, proba[:, 1]))"
        else:
            proba = "proba = model.predict(x_test, verbose=0)   # one probability per class\n"
            auc = "float(roc_auc_score(y_test, proba, multi_class=\"ovr\"))"
        return proba + f'''y_pred = np.argmax(proba, axis=1)
test_metrics = {{
    "accuracy": float(accuracy_score(y_test, y_pred)),
    "precision": float(precision_score(y_test, y_pred, average={avg}, zero_division=0)),
    "recall": float(recall_score(y_test, y_pred, average={avg}, zero_division=0)),
    "f1": float(f1_score(y_test, y_pred, average={avg}, zero_division=0)),
}}
try:
    test_metrics["auc"] = {auc}
except ValueError:   # a class missing from the test rows
    pass
print(classification_report(y_test, y_pred, labels=list(range(len(CLASSES))),
                            target_names=[str(c) for c in CLASSES], zero_division=0))
print(json.dumps({{"params": model.count_params(), "test_metrics": test_metrics}}))
'''

    def sections(self) -> list[Section]:
        return [
            ("", self.header()),
            (_("1. Load the data with pandas and look at it"), self.load()),
            (_("2. Split features and target; train / validation / test split"), self.split()),
            (_("3. Preprocess: scale numbers and encode categories (fit on the training rows "
               "only)"), self.preprocess()),
            (_("4. Model structure: Sequential, input, hidden layers, output"), self.model()),
            (_("5. Compile: optimizer, loss and metrics"), self.compile()),
            (_("6. Train: callbacks and model.fit"), self.fit()),
            (_("7. Learning curves"), self.curves()),
            (_("8. Predict on the test data and evaluate"), self.evaluate()),
        ]
