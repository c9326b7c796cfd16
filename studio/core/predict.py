"""Loading a saved model safely and predicting new rows.

A model folder (written by :func:`studio.core.results.save_run`) holds ``model.keras`` and
``preprocessing.json``; both may come from someone else. The archive is checked by
:mod:`studio.core.model_guard` before Keras builds anything (sizes, layer classes, parameter
count), and the network is then loaded only with Keras's ``safe_mode=True``: a model with a
Lambda layer or custom code is refused, never executed. The preprocessing is plain JSON (no
pickle), read with size and depth limits and checked against its schema.

Rows that cannot be computed (text in a number column, an empty cell the model has no
fill-in value for) get no prediction and a ``reason``; a prediction table always has that
column, empty for rows predicted without remark. Writing never replaces the data being
predicted or a file of the model folder, and the file's own columns are written back as the
text they were (``007`` stays ``007``).
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from studio.core import build, jsondoc
from studio.core.data import SAMPLE_PREFIX, ReadOptions, load, resolve_path
from studio.core.data.reading import _open_source
from studio.core.errors import StudioError
from studio.core.evaluate import predict_encoded
from studio.core.fileio import atomic_write_text
from studio.core.i18n import _
from studio.core.model_guard import check_model_archive
from studio.core.prep import FittedPreprocessing

PREDICTION_COLUMN = "prediction"
REASON_COLUMN = "reason"
#: The files of a model folder: predictions are never written over one of them.
MODEL_FILES = ("model.keras", "preprocessing.json", "history.csv", "metrics.json")
#: A preprocessing file is a few KB per column; 100,000 categories take a few MB.
MAX_PREPROCESSING_BYTES = 32 * 1024 * 1024


def load_keras_model(path: str | Path):
    """``keras.models.load_model(path, safe_mode=True)`` after the archive checks, refusing
    unsafe or oversized models clearly."""
    path = Path(path)
    if not path.is_file():
        raise StudioError(_("There is no model file {path}.", path=str(path)))
    if path.suffix != ".keras":
        raise StudioError(_("Only .keras model files can be opened ({name}).", name=path.name))
    check_model_archive(path)          # sizes and parameter count, before Keras builds it
    build.configure()
    import keras

    try:
        return keras.models.load_model(path, safe_mode=True, compile=False)
    except Exception as exc:
        text = str(exc)
        if "lambda" in text.lower() or "safe_mode" in text or "Could not locate" in text \
                or "custom" in text.lower():
            raise StudioError(_("The model {name} was refused: it contains a Lambda layer or "
                                "custom code, which could run anything on this computer. Only "
                                "models made of standard Keras layers can be opened.",
                                name=path.name)) from exc
        raise StudioError(_("The model {name} cannot be read: {detail}", name=path.name,
                            detail=text.splitlines()[0] if text else type(exc).__name__)) \
            from exc


def load_preprocessing(path: str | Path) -> FittedPreprocessing:
    """The fitted preprocessing from ``path``, read with limits and checked (a tampered file
    is refused with the place it is damaged)."""
    doc = jsondoc.read(path, _("The preprocessing file"), StudioError,
                       max_bytes=MAX_PREPROCESSING_BYTES)
    return FittedPreprocessing.from_dict(
        doc, _("The preprocessing file {path}", path=str(path)))


def load_model_dir(directory: str | Path):
    """``(model, FittedPreprocessing)`` from a folder with model.keras and preprocessing.json,
    refusing a pair whose widths do not fit together."""
    d = Path(directory)
    if not d.is_dir():
        raise StudioError(_("The model folder {path} does not exist.", path=str(d)))
    fitted = load_preprocessing(d / "preprocessing.json")
    model = load_keras_model(d / "model.keras")
    check_pair(model, fitted)
    return model, fitted


def check_pair(model, fitted: FittedPreprocessing) -> None:
    """The model takes the inputs the preprocessing makes and gives the outputs its task
    needs (one number, or one probability per class)."""
    n_in = model.input_shape[-1] if getattr(model, "input_shape", None) else None
    if n_in is not None and n_in != fitted.n_inputs:
        raise StudioError(_("The model expects {n} inputs but its preprocessing makes {m}: "
                            "the files do not belong together.", n=n_in, m=fitted.n_inputs))
    n_out = model.output_shape[-1] if getattr(model, "output_shape", None) else None
    if n_out is None:
        return
    if fitted.task == "regression":
        fits, wanted = n_out == 1, 1
    else:
        k = len(fitted.classes)
        fits, wanted = n_out == k or (n_out == 1 and k == 2), k
    if not fits:
        raise StudioError(_("The model gives {n} outputs but its preprocessing needs {m} "
                            "({task}): the files do not belong together.", n=n_out, m=wanted,
                            task=fitted.task))


# -- predicting ---------------------------------------------------------------------------------
def predict_frame(model, fitted: FittedPreprocessing, df: pd.DataFrame,
                  raw: pd.DataFrame | None = None, decimal: str = ".") -> pd.DataFrame:
    """The prediction for each row of ``df`` (in the target's units or labels), for
    classification one probability column per class (``P(class)``), and the ``reason``
    column: why a row got no prediction, or a remark on its prediction, "" otherwise.

    ``raw`` (the same cells as the file's text) makes reasons quote the file; ``decimal`` is
    the file's decimal mark. Only rows that can be computed reach the network."""
    rows = fitted.check_rows(df, raw, decimal)
    reasons = np.where(rows.problems != "", rows.problems, rows.notes)
    ok = rows.usable
    labels = np.full(len(df), None, dtype=object)
    proba_cols = {f"P({c})": np.full(len(df), np.nan) for c in fitted.classes} \
        if fitted.task != "regression" else {}
    if ok.any():
        enc, proba = predict_encoded(model, rows.x[ok], fitted.task)
        finite = np.isfinite(enc) if proba is None else np.isfinite(proba).all(axis=1)
        if proba is not None and proba.shape[1] != len(fitted.classes):
            raise StudioError(_("The model gives {n} outputs but its preprocessing needs {m} "
                                "({task}): the files do not belong together.",
                                n=proba.shape[1], m=len(fitted.classes), task=fitted.task))
        where = np.nonzero(ok)[0]
        good = where[finite]
        if finite.any():
            labels[good] = fitted.target_to_labels(enc[finite])
            for i, c in enumerate(fitted.classes):
                if proba is not None:
                    proba_cols[f"P({c})"][good] = proba[finite, i].astype(np.float64)
        reasons[where[~finite]] = _("the model gave no number for this row (its output is "
                                    "not finite)")
    out = pd.DataFrame(index=df.index)
    if fitted.task == "regression":
        out[PREDICTION_COLUMN] = pd.to_numeric(pd.Series(labels, index=df.index))
    else:
        out[PREDICTION_COLUMN] = labels
    for name, values in proba_cols.items():
        out[name] = values
    out[REASON_COLUMN] = reasons
    return out


@dataclass
class Predictions:
    """A prediction table (the input's columns, then the predictions) and its counts."""

    table: pd.DataFrame
    failed_rows: np.ndarray          # bool per row: no prediction
    noted: int                       # rows predicted with a remark (an unseen category)
    reason_column: str = REASON_COLUMN

    @property
    def rows(self) -> int:
        return len(self.table)

    @property
    def failed(self) -> int:
        return int(self.failed_rows.sum())

    @property
    def predicted(self) -> int:
        return self.rows - self.failed

    def first_problem(self) -> str:
        """The reason of the first row without a prediction ("" when all have one)."""
        where = np.nonzero(self.failed_rows)[0]
        return str(self.table[self.reason_column].iloc[where[0]]) if len(where) else ""

    def summary(self) -> list[str]:
        """One sentence per kind of remark, for the command line and the Predict dock."""
        lines = []
        if self.failed:
            lines.append(_("{k} of {n} rows could not be predicted: see the '{column}' "
                           "column.", k=self.failed, n=self.rows, column=self.reason_column))
        if self.noted:
            lines.append(_("{k} of {n} rows were predicted with a value the model never saw "
                           "(see the '{column}' column).", k=self.noted, n=self.rows,
                           column=self.reason_column))
        return lines


def combine(given: pd.DataFrame | None, pred: pd.DataFrame) -> Predictions:
    """The input's columns (``given``, or none) followed by ``pred``'s, whose names get a
    suffix (``prediction_2``) where the input already has a column of that name."""
    failed = pred[PREDICTION_COLUMN].isna().to_numpy()
    noted = int(((pred[REASON_COLUMN] != "").to_numpy() & ~failed).sum())
    if given is None:
        return Predictions(pred.copy(), failed, noted)
    taken = set(map(str, given.columns))
    names = {}
    for c in pred.columns:
        name, k = c, 2
        while name in taken:
            name, k = f"{c}_{k}", k + 1
        taken.add(name)
        names[c] = name
    table = pd.concat([given, pred.rename(columns=names)], axis=1)
    return Predictions(table, failed, noted, names[REASON_COLUMN])


# -- reading the rows, writing the table --------------------------------------------------------
def read_rows(data: str, options=None, cleaning: dict | None = None):
    """``(Dataset, raw)``: the rows as the studio reads them, and the same cells as the text
    they are in the file (``raw``, None when the file cannot be read again the same way).
    ``cleaning`` (the model's, from preprocessing.json) cleans messy values as they were
    cleaned for training, where ``options`` does not say otherwise."""
    from dataclasses import replace

    if cleaning:
        options = options or ReadOptions()
        given = {k: v for k, v in cleaning.items() if getattr(options, k) in (None, False, [])}
        options = replace(options, **given)
    ds = load(str(data), options)
    return ds, raw_cells(ds, str(data))


def raw_cells(ds, source: str) -> pd.DataFrame | None:
    """The file's cells as text, read again with what was detected (encoding, separator,
    header), aligned with ``ds.frame``; None if that read does not give the same table shape
    (then the caller falls back to the parsed values)."""
    info = ds.info
    try:
        where = source if source.startswith(SAMPLE_PREFIX) \
            else resolve_path(source)
        _name, path, blob = _open_source(where)
        handle = path if path is not None else io.BytesIO(blob or b"")
        raw = pd.read_csv(handle, sep=info.sep, encoding=info.encoding, dtype=str,
                          keep_default_na=False, na_filter=False,
                          header=0 if info.header else None, index_col=False,
                          on_bad_lines="skip" if info.skipped_rows else "error",
                          engine="python" if len(info.sep) > 1 or info.sep == " " else "c")
    except (StudioError, ValueError, OSError, pd.errors.ParserError, UnicodeError):
        return None
    if raw.shape != ds.frame.shape:
        return None
    raw.columns = ds.frame.columns
    raw.index = ds.frame.index
    return raw


def check_output_path(out: str | Path, data: Path | None = None,
                      model_dir: Path | None = None) -> Path:
    """``out``, unless writing there would destroy an input: the data being predicted, or a
    file of the model folder (compared after resolving symlinks, and as the same file when
    both exist, which catches hard links)."""
    out = Path(out).expanduser()
    if out.is_dir():
        raise StudioError(_("{path} is a folder; give the name of the CSV file to write.",
                            path=str(out)))
    protected: list[tuple[Path, str]] = []
    if data is not None:
        protected.append((data, _("the data file being predicted")))
    if model_dir is not None:
        protected += [(Path(model_dir) / f, _("{name} of the model folder", name=f))
                      for f in MODEL_FILES]
    target = Path(os.path.realpath(out))
    for path, what in protected:
        if target == Path(os.path.realpath(path)) or _same_file(out, path):
            raise StudioError(_("The predictions are not written to {path}: it is {what}, "
                                "which would be overwritten. Choose another file.",
                                path=str(out), what=what))
    return out


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


def _input_path(data: str) -> Path | None:
    return None if str(data).startswith(SAMPLE_PREFIX) else resolve_path(str(data))


def predict_csv(model_dir: str | Path, data: str, out: str | Path | None = None,
                keep_columns: bool = True, options=None) -> Predictions:
    """Read ``data`` like the studio does, predict every row that can be, optionally write a
    CSV (the file's own columns as the text they were). Raises :class:`StudioError` without
    writing anything when no row at all can be predicted."""
    if out is not None:
        out = check_output_path(out, _input_path(data), Path(model_dir))
    model, fitted = load_model_dir(model_dir)
    ds, raw = read_rows(data, options, fitted.cleaning)
    pred = predict_frame(model, fitted, ds.frame, raw, ds.info.decimal)
    given = (raw if raw is not None else ds.frame) if keep_columns else None
    result = combine(given, pred)
    if result.predicted == 0:
        raise StudioError(_("None of the {n} rows could be predicted; the first: {reason}.",
                            n=result.rows, reason=result.first_problem()))
    if out is not None:
        try:
            atomic_write_text(Path(out), result.table.to_csv(index=False))
        except OSError as exc:
            raise StudioError(_("Cannot write {path}: {detail}", path=str(out),
                                detail=exc.strerror or exc)) from exc
    return result
