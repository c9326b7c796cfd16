"""Preprocessing and the train / validation / test split, built with scikit-learn.

Each feature column gets its own small ``Pipeline`` (impute -> scale, or impute -> encode) inside
one ``ColumnTransformer``, fitted on the training rows only. The fitted state is exported to a
plain JSON document (:class:`FittedPreprocessing`) that can transform new rows without pickle,
and that a test proves equal to scikit-learn's own transform.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from studio.core.data import ColumnProfile, ReadOptions, TaskInfo, check_read_options
from studio.core.errors import DataError, ProjectError
from studio.core.i18n import _
from studio.core.prep_file import check_document
from studio.core.prep_rows import check_rows
from studio.core.prep_values import categorical_values, label_text

IMPUTE = ("none", "mean", "median", "most_frequent", "constant", "drop")
SCALE = ("standard", "minmax", "none")
ENCODE = ("none", "onehot", "ordinal")
FORMAT_VERSION = 1


@dataclass
class ColumnPrep:
    """What happens to one column: its role and its preprocessing."""

    role: str = "feature"          # feature | target | ignore
    impute: str = "none"           # one of IMPUTE
    fill_value: Any = None         # for impute == "constant"
    scale: str = "standard"        # one of SCALE (numeric and ordinal columns)
    encode: str = "none"           # one of ENCODE ("none" = use the numbers as they are)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: Any) -> ColumnPrep:
        if not isinstance(d, dict):
            raise ProjectError(_("A column's settings must be an object."))
        obj = cls(role=str(d.get("role", "feature")), impute=str(d.get("impute", "none")),
                  fill_value=d.get("fill_value"), scale=str(d.get("scale", "standard")),
                  encode=str(d.get("encode", "none")))
        if obj.role not in ("feature", "target", "ignore"):
            raise ProjectError(_("Unknown column role {role}.", role=repr(obj.role)))
        if obj.impute not in IMPUTE or obj.scale not in SCALE or obj.encode not in ENCODE:
            raise ProjectError(_("A column has an unknown preprocessing option."))
        return obj


def default_column_prep(profile: ColumnProfile) -> ColumnPrep:
    """Defaults from the profile: what a careful student would choose."""
    role = profile.suggested_role
    if role == "target":
        role = "feature"  # the caller chooses the target
    has_missing = profile.missing > 0
    if profile.kind in ("numeric",):
        return ColumnPrep(role=role, impute="median" if has_missing else "none",
                          scale="standard", encode="none")
    if profile.kind == "boolean":
        numeric = profile.minimum is not None
        return ColumnPrep(role=role, impute="most_frequent" if has_missing else "none",
                          scale="none", encode="none" if numeric else "ordinal")
    if profile.kind == "categorical":
        return ColumnPrep(role=role, impute="most_frequent" if has_missing else "none",
                          scale="none", encode="onehot")
    # text, id, constant: ignored by default; if used, encode as categories
    return ColumnPrep(role="ignore", impute="most_frequent" if has_missing else "none",
                      scale="none", encode="onehot" if not profile.is_numeric else "none")


@dataclass
class SplitSettings:
    train: float = 0.7
    validation: float = 0.15
    test: float = 0.15
    seed: int = 42
    stratify: bool = True

    def validate(self) -> list[str]:
        problems = []
        parts = (self.train, self.validation, self.test)
        if any((not isinstance(p, (int, float))) or not math.isfinite(p) or p < 0
               for p in parts):
            problems.append(_("Split ratios must be numbers of at least 0."))
        elif abs(sum(parts) - 1.0) > 1e-6:
            problems.append(_("The train, validation and test ratios must add up to 1 "
                              "(they add up to {total:.2f}).", total=sum(parts)))
        elif self.train <= 0 or self.test <= 0 or self.validation <= 0:
            problems.append(_("Train, validation and test each need a ratio above 0."))
        if not isinstance(self.seed, int) or not 0 <= self.seed < 2 ** 32:
            problems.append(_("The split's seed must be a whole number from 0 to {max}.",
                              max=2 ** 32 - 1))
        return problems

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: Any) -> SplitSettings:
        if d is None:
            return cls()
        if not isinstance(d, dict):
            raise ProjectError(_("The split section must be an object."))
        try:
            return cls(train=float(d.get("train", 0.7)),
                       validation=float(d.get("validation", 0.15)),
                       test=float(d.get("test", 0.15)), seed=int(d.get("seed", 42)),
                       stratify=bool(d.get("stratify", True)))
        except (TypeError, ValueError, OverflowError) as exc:
            raise ProjectError(_("The split section is invalid: {detail}", detail=exc)) from exc


@dataclass
class InputGroup:
    """The inputs one column becomes, e.g. ``city -> 5 one-hot inputs``."""

    column: str
    kind: str            # numeric | onehot | ordinal
    names: list[str]

    @property
    def width(self) -> int:
        return len(self.names)

    def describe(self) -> str:
        if self.kind == "onehot":
            return _("{column} -> {n} one-hot inputs", column=self.column, n=self.width)
        return self.column


def _py(v: Any) -> Any:
    """A JSON-friendly Python scalar."""
    if isinstance(v, np.generic):
        return v.item()
    return v


@dataclass
class FittedPreprocessing:
    """The fitted preprocessing as plain data: safe to save and to read back (no pickle).

    ``steps`` holds one entry per feature column, in input order::

        {"column": "age", "kind": "numeric", "impute": 38.0, "scale": "standard",
         "mean": 41.2, "scale_": 12.3}
        {"column": "city", "kind": "onehot", "impute": "Seoul", "categories": ["Busan", ...]}
        {"column": "smoker", "kind": "ordinal", "impute": null, "categories": ["no", "yes"],
         "scale": "none"}
    """

    steps: list[dict[str, Any]]
    target: str
    task: str
    classes: list[Any] = field(default_factory=list)
    target_mean: float = 0.0
    target_std: float = 1.0
    version: int = FORMAT_VERSION
    #: How the training data's messy values were cleaned while reading (the read options
    #: ``na_values``, ``number_columns``, ``strip_spaces``, ``comment``): predicting new rows
    #: reads them the same way (:func:`studio.core.predict.read_rows`)
    cleaning: dict[str, Any] = field(default_factory=dict)

    @property
    def feature_names(self) -> list[str]:
        names: list[str] = []
        for g in self.groups:
            names.extend(g.names)
        return names

    @property
    def groups(self) -> list[InputGroup]:
        out = []
        for st in self.steps:
            if st["kind"] == "onehot":
                out.append(InputGroup(st["column"], "onehot",
                                      [f"{st['column']}={c}" for c in st["categories"]]))
            else:
                out.append(InputGroup(st["column"], st["kind"], [st["column"]]))
        return out

    @property
    def n_inputs(self) -> int:
        return sum(g.width for g in self.groups)

    @property
    def columns(self) -> list[str]:
        return [st["column"] for st in self.steps]

    # -- transform from the plain data ----------------------------------------------------------
    def transform(self, df: pd.DataFrame) -> np.ndarray:
        """Features for new rows, equal to scikit-learn's transform of the fitted pipeline;
        rows that cannot be computed (see :meth:`check_rows`) are NaN."""
        return self.check_rows(df).x

    def check_rows(self, df: pd.DataFrame, raw: pd.DataFrame | None = None,
                   decimal: str = "."):
        """:func:`studio.core.prep_rows.check_rows`: the features, and per row why it cannot
        be predicted (text in a number column, an empty cell without a fill-in value) or what
        to know about its prediction (a category the model never saw)."""
        missing = [c for c in self.columns if c not in df.columns]
        if missing:
            raise DataError(_("The data lacks the column(s) the model was trained on: "
                              "{names}.", names=", ".join(missing)))
        return check_rows(self.steps, df, raw, decimal)

    def target_to_labels(self, encoded: np.ndarray) -> np.ndarray:
        """Model outputs (class indices, or standardised values) back to the user's labels."""
        if self.task == "regression":
            return np.asarray(encoded, dtype=np.float64) * self.target_std + self.target_mean
        return np.asarray(self.classes, dtype=object)[np.asarray(encoded, dtype=int)]

    def to_dict(self) -> dict[str, Any]:
        """The document ``preprocessing.json`` holds (its schema:
        :mod:`studio.core.schemas.preprocessing`); ``n_inputs`` lets a reader check that the
        steps add up to the network's input width."""
        return {"format": "netsketch-preprocessing", "version": self.version,
                "target": self.target, "task": self.task, "classes": self.classes,
                "target_mean": self.target_mean, "target_std": self.target_std,
                "n_inputs": self.n_inputs, "steps": self.steps,
                **({"cleaning": self.cleaning} if self.cleaning else {})}

    @classmethod
    def from_dict(cls, d: Any, what: str | None = None) -> FittedPreprocessing:
        """From a parsed preprocessing file (called ``what`` in messages), checked against
        its schema and for values no fitted pipeline writes: a tampered file is refused with
        the place it is damaged, never used to predict."""
        doc = check_document(d, what or _("The preprocessing file"), FORMAT_VERSION)
        return cls(steps=[dict(st) for st in doc["steps"]], target=doc["target"],
                   task=doc["task"], classes=list(doc.get("classes", [])),
                   target_mean=float(doc.get("target_mean", 0.0)),
                   target_std=float(doc.get("target_std", 1.0)),
                   cleaning=cleaning_options(doc.get("cleaning")))


#: The read options that clean values (the rest, encoding and separator, belong to a file).
CLEANING_OPTIONS = ("na_values", "number_columns", "strip_spaces", "comment")


def cleaning_options(d: Any) -> dict[str, Any]:
    """The cleaning part of read options (a ReadOptions or a saved dict), checked by the
    same rules as every read option; empty when nothing is cleaned."""
    if d is None:
        return {}
    options = d if isinstance(d, ReadOptions) else ReadOptions.from_dict(
        {k: v for k, v in d.items() if k in CLEANING_OPTIONS} if isinstance(d, dict) else d)
    check_read_options(options)
    kept = {k: getattr(options, k) for k in CLEANING_OPTIONS}
    return {k: v for k, v in kept.items() if v not in (None, False, [])}


@dataclass
class Prepared:
    """Arrays ready for Keras, and everything needed to explain and undo the preprocessing."""

    x_train: np.ndarray
    x_val: np.ndarray
    x_test: np.ndarray
    y_train: np.ndarray          # class index (classification) or standardised value
    y_val: np.ndarray
    y_test: np.ndarray
    fitted: FittedPreprocessing
    index_train: np.ndarray      # original row labels of each split
    index_val: np.ndarray
    index_test: np.ndarray
    dropped_rows: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def task(self) -> str:
        return self.fitted.task

    @property
    def classes(self) -> list[Any]:
        return self.fitted.classes

    @property
    def n_inputs(self) -> int:
        return self.x_train.shape[1]

    @property
    def rows(self) -> dict[str, int]:
        return {"train": len(self.x_train), "validation": len(self.x_val),
                "test": len(self.x_test)}


def _feature_pipeline(prep: ColumnPrep, is_numeric: bool):
    """``(kind, Pipeline)`` for one column. scikit-learn is imported here, not at module load,
    so that the window appears before its (slow) import."""
    from sklearn.impute import SimpleImputer
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import MinMaxScaler, OneHotEncoder, OrdinalEncoder, StandardScaler

    steps: list[tuple[str, Any]] = []
    if prep.impute in ("mean", "median", "most_frequent", "constant"):
        strategy = prep.impute if is_numeric or prep.impute in ("most_frequent", "constant") \
            else "most_frequent"
        fill = prep.fill_value
        if strategy == "constant":
            fill = (float(fill) if fill not in (None, "") else 0.0) if is_numeric \
                else (str(fill) if fill not in (None, "") else "missing")
        steps.append(("impute", SimpleImputer(strategy=strategy, fill_value=fill,
                                              missing_values=np.nan)))
    if is_numeric and prep.encode == "none":
        kind = "numeric"
    else:
        kind = "onehot" if prep.encode == "onehot" else "ordinal"
    if kind == "onehot":
        steps.append(("encode", OneHotEncoder(handle_unknown="ignore", sparse_output=False,
                                              dtype=np.float64)))
    elif kind == "ordinal":
        steps.append(("encode", OrdinalEncoder(handle_unknown="use_encoded_value",
                                               unknown_value=-1)))
    if kind != "onehot":
        if prep.scale == "standard":
            steps.append(("scale", StandardScaler()))
        elif prep.scale == "minmax":
            steps.append(("scale", MinMaxScaler()))
    if not steps:
        steps.append(("identity", "passthrough"))
    return kind, Pipeline(steps)


def _export_step(column: str, kind: str, pipe) -> dict[str, Any]:
    from sklearn.preprocessing import StandardScaler

    st: dict[str, Any] = {"column": column, "kind": kind, "impute": None, "scale": "none"}
    named = pipe.named_steps
    if "impute" in named:
        st["impute"] = _py(named["impute"].statistics_[0])
    if "encode" in named:
        st["categories"] = [_py(c) for c in named["encode"].categories_[0]]
    if "scale" in named:
        sc = named["scale"]
        if isinstance(sc, StandardScaler):
            st.update(scale="standard", mean=float(sc.mean_[0]), std=float(sc.scale_[0]))
        else:
            st.update(scale="minmax", mm_scale=float(sc.scale_[0]), mm_min=float(sc.min_[0]))
    return st


def _is_numeric_series(s: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(s) or pd.api.types.is_bool_dtype(s)


def encode_target(y: pd.Series, task: str, classes: list[Any]) -> np.ndarray:
    """Class labels -> indices into ``classes``; regression values as float."""
    if task == "regression":
        return pd.to_numeric(y, errors="coerce").to_numpy(dtype=np.float64)
    lookup = {label_text(c): i for i, c in enumerate(classes)}
    codes = y.map(lambda v: lookup.get(label_text(v), -1)).to_numpy(dtype=np.int64)
    return codes


def prepare(df: pd.DataFrame, target: str, columns: dict[str, ColumnPrep], task: TaskInfo,
            split: SplitSettings) -> Prepared:
    """Split the rows, fit the preprocessing on the training rows, transform all splits."""
    from sklearn.compose import ColumnTransformer
    from sklearn.model_selection import train_test_split

    if target not in df.columns:
        raise DataError(_("The target column {name} is not in the data.", name=repr(target)))
    features = [c for c, p in columns.items()
                if p.role == "feature" and c != target and c in df.columns]
    if not features:
        raise DataError(_("No feature columns are selected: choose at least one column as a "
                          "feature."))
    notes: list[str] = []
    n0 = len(df)
    work = df[features + [target]]
    if task.task == "regression":
        y_num = pd.to_numeric(work[target], errors="coerce")
        keep = y_num.notna() & np.isfinite(y_num.fillna(0))
    else:
        keep = work[target].notna()
    for c in features:
        if columns[c].impute == "drop":
            keep &= work[c].notna()
    work = work[keep]
    dropped = n0 - len(work)
    if dropped:
        notes.append(_("{n} rows with a missing target or a missing value in a column set to "
                       "'drop' were left out.", n=dropped))
    infinite = [c for c in features if pd.api.types.is_float_dtype(work[c].dtype)
                and np.isinf(work[c].to_numpy()).any()]
    if infinite:   # data that did not come through data.read_csv (which already did this)
        work = work.copy()
        for c in infinite:
            work[c] = work[c].mask(np.isinf(work[c].to_numpy()))
    for c in features:
        if columns[c].impute == "none" and work[c].isna().any():
            raise DataError(_("The column {name} has missing values and no strategy for them: "
                              "choose impute or drop.", name=repr(c)))
    if len(work) < 10:
        raise DataError(_("Only {n} usable rows: at least 10 are needed to split into train, "
                          "validation and test.", n=len(work)))

    y_codes = encode_target(work[target], task.task, task.classes)
    if task.task != "regression" and (y_codes < 0).any():
        raise DataError(_("The target has labels that are not among its classes."))

    # -- split: shuffled, stratified for classification -----------------------------------------
    idx = np.arange(len(work))
    strat = y_codes if (task.task != "regression" and split.stratify) else None
    test_size = split.test
    val_size = split.validation / (split.train + split.validation)
    try:
        rest, test_idx = train_test_split(idx, test_size=test_size, random_state=split.seed,
                                          shuffle=True, stratify=strat)
        strat_rest = strat[rest] if strat is not None else None
        train_idx, val_idx = train_test_split(rest, test_size=val_size, random_state=split.seed,
                                              shuffle=True, stratify=strat_rest)
    except ValueError:
        rest, test_idx = train_test_split(idx, test_size=test_size, random_state=split.seed,
                                          shuffle=True)
        train_idx, val_idx = train_test_split(rest, test_size=val_size,
                                              random_state=split.seed, shuffle=True)
        if strat is not None:
            notes.append(_("Some classes have too few rows for a stratified split; the split "
                           "is random instead."))

    # -- fit on the training rows only ----------------------------------------------------------
    transformers = []
    kinds = {}
    frame = work[features].copy()
    for c in features:
        numeric = _is_numeric_series(frame[c]) and columns[c].encode == "none"
        if not numeric:
            frame[c] = categorical_values(frame[c])
        elif pd.api.types.is_bool_dtype(frame[c]):
            frame[c] = frame[c].astype(np.float64)
        kind, pipe = _feature_pipeline(columns[c], numeric)
        kinds[c] = kind
        transformers.append((c, pipe, [c]))
    ct = ColumnTransformer(transformers, remainder="drop", sparse_threshold=0.0,
                           verbose_feature_names_out=False)
    train_frame = frame.iloc[train_idx]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        x_train = ct.fit_transform(train_frame)
        x_val = ct.transform(frame.iloc[val_idx])
        x_test = ct.transform(frame.iloc[test_idx])
    steps = [_export_step(c, kinds[c], ct.named_transformers_[c]) for c in features]

    if task.task == "regression":
        y_train_raw = y_codes[train_idx]
        mean = float(np.mean(y_train_raw))
        std = float(np.std(y_train_raw)) or 1.0
        y = ((y_codes - mean) / std).astype(np.float32)
    else:
        mean, std = 0.0, 1.0
        y = y_codes.astype(np.int64)
    fitted = FittedPreprocessing(steps=steps, target=target, task=task.task,
                                 classes=[_py(c) for c in task.classes],
                                 target_mean=mean, target_std=std)
    rows = work.index.to_numpy()
    return Prepared(
        x_train=np.asarray(x_train, dtype=np.float32), x_val=np.asarray(x_val, np.float32),
        x_test=np.asarray(x_test, np.float32),
        y_train=y[train_idx], y_val=y[val_idx], y_test=y[test_idx], fitted=fitted,
        index_train=rows[train_idx], index_val=rows[val_idx], index_test=rows[test_idx],
        dropped_rows=dropped, notes=notes)
