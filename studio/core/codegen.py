"""From a project to the Keras code a careful student would write: a .py script or a notebook.

The code follows the curriculum's order (load -> split -> preprocess -> model -> compile -> fit
-> curves -> evaluate), with one comment naming each step. It reproduces the studio's run: the
same rows, the same two ``train_test_split`` calls (ratios, seed, stratification), the same
per-column scikit-learn pipelines fitted on the training rows, the same layers with the same
names, initialisers and regularisers, the same compile, callbacks and seed. It needs only
tensorflow (with its keras), pandas and scikit-learn; matplotlib is optional.

The last line the script prints is a JSON object with the parameter count and the test
metrics, so that a test (or a teacher) can compare it with the studio's run.
"""

from __future__ import annotations

import json
import math
import os
import unicodedata
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from studio.core import messy
from studio.core.data import (
    SAMPLE_PREFIX,
    Dataset,
    ReadOptions,
    check_encoding,
    check_read_options,
    check_separator,
    resolve_path,
    sample_names,
)
from studio.core.design import ACTIVATIONS, INITIALIZERS, LAYER_KINDS
from studio.core.errors import DesignError
from studio.core.i18n import _
from studio.core.prep import ENCODE, IMPUTE, SCALE
from studio.core.project import Project
from studio.core.settings import CLASS_WEIGHTS, LOSSES, METRICS, OPTIMIZERS, SCHEDULES

Section = tuple[str, str]   # (title, code)


#: Characters that end a line for some reader of the code (str.splitlines, editors,
#: notebooks) although Python's tokenizer does not: written as escapes inside literals.
_LINE_BREAKS = {"\x85": "\\x85", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def _lit(v: Any) -> str:
    """A Python literal for a plain value, and never anything else: a value read from a
    project file can only ever become data in the generated code (issue: crafted projects).
    Text is escaped (quotes, backslashes, control and line-separator characters, lone
    surrogates); numbers are finite or written as ``float("nan")``; other types are refused."""
    if isinstance(v, bool) or v is None:
        return repr(v)
    if isinstance(v, int):
        return repr(int(v))
    if isinstance(v, float):
        if math.isfinite(v):
            return repr(float(v))
        return f'float("{"nan" if math.isnan(v) else ("inf" if v > 0 else "-inf")}")'
    if isinstance(v, str):
        text = json.dumps(v, ensure_ascii=False)
        text = "".join(_LINE_BREAKS.get(ch) or (f"\\u{ord(ch):04x}"
                                                if 0xD800 <= ord(ch) <= 0xDFFF else ch)
                       for ch in text)
        return text
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(_lit(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{" + ", ".join(f"{_lit(k)}: {_lit(x)}" for k, x in v.items()) + "}"
    if isinstance(v, np.generic):
        return _lit(v.item())
    raise DesignError(_("A value of the project cannot be written into code: {value}.",
                        value=repr(v)[:60]))


def _comment(text: Any, limit: int = 120) -> str:
    """``text`` made safe for a ``#`` comment or a docstring line: one line (every kind of
    line break and control character becomes a space), no quotes or backslashes that could
    close a docstring, at most ``limit`` characters."""
    out = []
    for ch in str(text):
        if ch in '"\\' or unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp", "Cs"):
            out.append(" " if ch not in '"\\' else ("'" if ch == '"' else "/"))
        else:
            out.append(ch)
    line = " ".join("".join(out).split())
    return line if len(line) <= limit else line[:limit - 1] + "…"


def _choice(value: Any, choices: tuple[str, ...] | list[str], what: str) -> str:
    """``value`` if it is one of ``choices`` (then it may be written into code as a name),
    else a :class:`DesignError`: an unknown activation or optimizer is never pasted."""
    if isinstance(value, str) and value in choices:
        return value
    raise DesignError(_("The project has an unknown {what}: {value}. Choose one of {choices}.",
                        what=what, value=repr(value)[:60], choices=", ".join(choices)))


def _number(value: Any, what: str, integer: bool = False) -> float | int:
    """A finite number from the project, or a :class:`DesignError` naming the setting."""
    ok = isinstance(value, (int, float, np.number)) and not isinstance(value, bool) \
        and math.isfinite(float(value))
    if ok and integer:
        ok = float(value).is_integer()
    if not ok:
        raise DesignError(_("The project's {what} is not a valid number: {value}.", what=what,
                            value=repr(value)[:60]))
    return int(value) if integer else float(value)


def _check_project(p: Project) -> None:
    """Refuse, before a single line is written, any project value that would otherwise be
    pasted into code: every choice against its list, every number finite."""
    for layer in p.design.layers:
        _choice(layer.kind, LAYER_KINDS, _("layer kind"))
        _number(layer.units, _("number of units"), integer=True)
        if layer.kind == "dense":
            _choice(layer.activation, ACTIVATIONS, _("activation"))
            _choice(layer.initializer, INITIALIZERS, _("initializer"))
            _number(layer.l1, "L1")
            _number(layer.l2, "L2")
        if layer.kind == "dropout":
            _number(layer.rate, _("dropout rate"))
    c, t = p.compile, p.training
    _choice(c.optimizer, OPTIMIZERS, _("optimizer"))
    _choice(c.loss, LOSSES, _("loss"))
    for m in c.metrics:
        _choice(m, METRICS, _("metric"))
    for name in ("learning_rate", "momentum", "weight_decay"):
        _number(getattr(c, name), name)
    for name in ("epochs", "batch_size", "seed"):
        _number(getattr(t, name), name, integer=True)
    _choice(t.class_weight, CLASS_WEIGHTS, _("class weighting"))
    for k, w in t.manual_class_weights.items():
        _number(w, _("class weight of {name}", name=_comment(k, 40)))
    es, sc = t.early_stopping, t.schedule
    _choice(es.monitor, ("val_loss", "loss") + tuple(f"val_{m}" for m in METRICS)
            + tuple(METRICS), _("early-stopping monitor"))
    _number(es.patience, "patience", integer=True)
    _choice(sc.kind, SCHEDULES, _("learning-rate schedule"))
    for name in ("factor", "min_lr", "decay_rate"):
        _number(getattr(sc, name), name)
    for name in ("patience", "step_epochs"):
        _number(getattr(sc, name), name, integer=True)
    for name in ("train", "validation", "test"):
        _number(getattr(p.split, name), name)
    _number(p.split.seed, "split seed", integer=True)
    check_read_options(p.read_options)     # the reader's own check: one validator
    for column, prep in p.columns.items():
        _choice(prep.impute, IMPUTE, _("missing-value strategy"))
        _choice(prep.scale, SCALE, _("scaling"))
        _choice(prep.encode, ENCODE, _("encoding"))


def _read_kwargs(info: Any, columns: list[str], options: ReadOptions | None = None) -> str:
    """The ``pd.read_csv`` keywords that read the file as the studio read it, as code: each
    value checked by the reader's validators and written with :func:`_lit`."""
    sep = check_separator(info.sep if isinstance(info.sep, str) else ",") or ","
    encoding = check_encoding(info.encoding)
    decimal = info.decimal if info.decimal in (".", ",") else "."
    parts = [f"sep={_lit(sep)}", f"encoding={_lit(encoding)}", f"decimal={_lit(decimal)}",
             f"header={0 if getattr(info, 'header', True) else None}", "names=COLUMNS"]
    if sep == " ":
        parts.append('engine="python"')
    if getattr(info, "skipped_rows", 0):
        parts.append('on_bad_lines="skip"')
    if getattr(info, "encoding_errors", "strict") == "replace":
        parts.append('encoding_errors="replace"')
    comment = getattr(info, "comment", None)
    if comment:
        parts.append(f"comment={_lit(check_read_options(ReadOptions(comment=comment)).comment)}")
    if options is not None and options.na_values:
        parts.append(f"na_values={_lit([str(v) for v in options.na_values])}")
    return "dict(" + ", ".join(parts) + ")"


def _clean_code(options: ReadOptions | None, columns: list[str]) -> list[str]:
    """The lines after ``pd.read_csv`` that clean messy values as :func:`studio.core.messy.clean`
    does, step for step (spaces, markers, text columns that are then numbers, the chosen
    number columns). Only literals from the project go in, through :func:`_lit`."""
    if options is None or not (options.strip_spaces or options.na_values
                               or options.number_columns):
        return []
    lines = ["", "# Clean messy values as the studio's Data step was told to.",
             "MISSING_MARKERS = " + _lit([str(v) for v in options.na_values]),
             "for column in df.columns:",
             "    if not pd.api.types.is_string_dtype(df[column].dtype):",
             "        continue",
             "    old = df[column]",
             "    new = old"]
    if options.strip_spaces:
        lines += ["    new = new.str.strip()   # 'Seoul ' and 'Seoul' are one category",
                  '    new = new.mask(new == "")']
    lines += ["    new = new.mask(new.isin(MISSING_MARKERS))",
              "    changed = (new.isna() != old.isna()) | (new.notna() & (new != old))",
              "    if not changed.any():",
              "        continue",
              '    numbers = pd.to_numeric(new, errors="coerce")',
              "    if new.notna().any() and bool((numbers.notna() == new.notna()).all()):",
              "        new = numbers",
              "    df[column] = new"]
    wanted = [str(c) for c in options.number_columns if c in columns]
    if wanted:
        lines += ["",
                  "",
                  "def to_number(column):",
                  '    """Numbers written with a currency sign, thousands separators or a percent',
                  '    sign (12% is 12); what is still not a number becomes missing."""',
                  f"    text = column.astype(str).str.replace({_lit(messy.SYMBOLS_PATTERN)}, "
                  '"", regex=True)',
                  '    if CSV_OPTIONS["decimal"] == ",":',
                  '        text = text.str.replace(".", "", regex=False).str.replace(",", ".", '
                  "regex=False)",
                  "    else:",
                  '        text = text.str.replace(",", "", regex=False)',
                  '    return pd.to_numeric(text, errors="coerce").where(column.notna())'
                  '.astype("float64")',
                  "",
                  "",
                  f"for column in {_lit(wanted)}:",
                  "    if pd.api.types.is_string_dtype(df[column].dtype):",
                  "        df[column] = to_number(df[column])"]
    return lines


def _data_path(project: Project, data_path: str | None,
               script_dir: Path | None = None) -> tuple[str, str]:
    """(``DATA_PATH = ...`` right-hand side as code, comment). A data file in the script's
    folder or below it is written relative to the script (``HERE / "data.csv"``), so the
    script runs from any working directory; other paths are written as they are."""
    if data_path is not None:
        return _lit(str(data_path)), ""
    src = project.data_source
    if src.startswith(SAMPLE_PREFIX):
        name = src[len(SAMPLE_PREFIX):]
        if name not in sample_names():
            raise DesignError(_("The project names an unknown sample: {name}.",
                                name=repr(name)[:60]))
        return f"HERE / {_lit(name + '.csv')}", (
            f"  # the studio's sample '{name}': save it as a CSV (studio's Data step) beside "
            "this script")
    resolved = resolve_path(src, project.base_dir)
    if script_dir is not None:
        try:
            rel = resolved.resolve().relative_to(Path(script_dir).resolve())
        except (ValueError, OSError):
            rel = None
        if rel is not None:
            return "HERE / " + _lit(rel.as_posix()), ""
    return _lit(str(resolved).replace(os.sep, "/")), ""


def _is_numeric(s: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(s) or pd.api.types.is_bool_dtype(s)


def _pipeline_code(prep, numeric: bool) -> tuple[str, str]:
    """(function name, expression) of one column's Pipeline, as core.prep builds it."""
    parts: list[str] = []
    name_bits: list[str] = []
    if prep.impute in ("mean", "median", "most_frequent", "constant"):
        strategy = prep.impute if numeric or prep.impute in ("most_frequent", "constant") \
            else "most_frequent"
        if strategy == "constant":
            fill = prep.fill_value
            if numeric:
                try:
                    fill = float(fill) if fill not in (None, "") else 0.0
                except (TypeError, ValueError):
                    raise DesignError(_("The fill value {value} of a number column is not a "
                                        "number.", value=repr(fill)[:40])) from None
                if not math.isfinite(fill):
                    raise DesignError(_("The fill value of a number column must be a finite "
                                        "number, not {value}.", value=repr(fill)))
            else:
                fill = str(fill) if fill not in (None, "") else "missing"
            parts.append(f'("impute", SimpleImputer(strategy="constant", '
                         f'fill_value={_lit(fill)}))')
            name_bits.append("fill")
        else:
            parts.append(f'("impute", SimpleImputer(strategy="{strategy}"))')
            name_bits.append(strategy.replace("most_frequent", "mode"))
    kind = "numeric" if numeric and prep.encode == "none" else (
        "onehot" if prep.encode == "onehot" else "ordinal")
    if kind == "onehot":
        parts.append('("encode", OneHotEncoder(handle_unknown="ignore", '
                     'sparse_output=False))')
        name_bits.append("onehot")
    elif kind == "ordinal":
        parts.append('("encode", OrdinalEncoder(handle_unknown="use_encoded_value", '
                     'unknown_value=-1))')
        name_bits.append("ordinal")
    if kind != "onehot":
        if prep.scale == "standard":
            parts.append('("scale", StandardScaler())')
            name_bits.append("standard")
        elif prep.scale == "minmax":
            parts.append('("scale", MinMaxScaler())')
            name_bits.append("minmax")
    if not parts:
        parts.append('("keep", "passthrough")')
        name_bits.append("as_is")
    name = "_".join(name_bits) + "_pipeline"
    return name, "Pipeline([" + ", ".join(parts) + "])"


class _Gen:
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
        metrics = []
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
        metrics = [m for m in metrics if m]
        lines = ["model.compile(",
                 f"    optimizer={opt},",
                 f"    loss={loss},",
                 "    metrics=[" + ", ".join(metrics) + "],",
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
                body = f"max({_lit(float(sc.min_lr))}, {lr0} * {_lit(float(sc.decay_rate))} ** epoch)"
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


def _gen(project: Project, dataset: Dataset | None, data_path: str | None,
         script_dir: Path | None = None) -> _Gen:
    if dataset is None:
        dataset = project.load_data()
    return _Gen(project, dataset, data_path, script_dir)


def sections(project: Project, dataset: Dataset | None = None,
             data_path: str | None = None, script_dir: Path | None = None) -> list[Section]:
    """The code as (title, code) sections in the curriculum's order. ``script_dir``: the
    folder the code will be saved in (a data file there is found relative to the script)."""
    return _gen(project, dataset, data_path, script_dir).sections()


def script(project: Project, dataset: Dataset | None = None, data_path: str | None = None,
           script_dir: Path | None = None) -> str:
    """The whole project as one Python script."""
    parts = []
    for title, code in sections(project, dataset, data_path, script_dir):
        if title:
            bar = "# " + "-" * 86
            parts.append(f"{bar}\n# {title}\n{bar}\n{code}")
        else:
            parts.append(code)
    return "\n".join(parts)


def notebook(project: Project, dataset: Dataset | None = None,
             data_path: str | None = None, script_dir: Path | None = None) -> str:
    """The same code as a Jupyter notebook (nbformat 4 JSON)."""
    def src(text: str) -> list[str]:
        lines = text.rstrip("\n").split("\n")
        return [line + "\n" for line in lines[:-1]] + [lines[-1]]

    cells: list[dict[str, Any]] = []
    for title, code in sections(project, dataset, data_path, script_dir):
        if title:
            cells.append({"cell_type": "markdown", "metadata": {}, "source": src(f"## {title}")})
        else:
            cells.append({"cell_type": "markdown", "metadata": {},
                          "source": src(f"# {_comment(project.name or 'NetSketch project')}\n\n"
                                        "Exported from NetSketch Studio.")})
        cells.append({"cell_type": "code", "metadata": {}, "execution_count": None,
                      "outputs": [], "source": src(code)})
    doc = {"nbformat": 4, "nbformat_minor": 5,
           "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3",
                                       "language": "python"},
                        "language_info": {"name": "python"}},
           "cells": cells}
    for i, cell in enumerate(doc["cells"]):
        cell["id"] = f"cell-{i}"
    return json.dumps(doc, indent=1, ensure_ascii=False) + "\n"


def layer_line(code: str, project: Project, uid: str, dataset: Dataset | None = None) -> int:
    """The 0-based line of ``code`` that builds the layer ``uid``, or -1."""
    try:
        gen = _gen(project, dataset, None)
    except Exception:  # noqa: BLE001 - no line to show is fine
        return -1
    wanted = next((line for u, line in gen.layer_lines() if u == uid), None)
    if wanted is None:
        return -1
    for i, line in enumerate(code.split("\n")):
        if line == wanted:
            return i
    return -1


def export(project: Project, path: str | os.PathLike, fmt: str | None = None,
           dataset: Dataset | None = None, data_path: str | None = None) -> Path:
    """Write the script (``py``) or notebook (``ipynb``) atomically."""
    from studio.core.errors import StudioError
    from studio.core.project import atomic_write_text

    path = Path(path)
    fmt = fmt or path.suffix.lstrip(".").lower() or "py"
    if fmt not in ("py", "ipynb"):
        raise StudioError(_("Unknown export format {fmt}: choose py or ipynb.", fmt=repr(fmt)))
    text = script(project, dataset, data_path, path.parent) if fmt == "py" else \
        notebook(project, dataset, data_path, path.parent)
    try:
        atomic_write_text(path, text)
    except OSError as exc:
        raise StudioError(_("Cannot write {path}: {detail}", path=str(path),
                            detail=exc.strerror or exc)) from exc
    return path


__all__ = ["export", "layer_line", "notebook", "script", "sections"]
