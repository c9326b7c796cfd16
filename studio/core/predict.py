"""Loading a saved model safely and predicting new rows.

A model folder (written by :func:`studio.core.results.save_run`) holds ``model.keras`` and
``preprocessing.json``. The network is loaded only with Keras's ``safe_mode=True``: a model
with a Lambda layer or custom code is refused, never executed. The preprocessing is plain JSON
(no pickle).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

from studio.core.errors import StudioError
from studio.core.evaluate import predict_encoded
from studio.core.i18n import _
from studio.core.prep import FittedPreprocessing

PREDICTION_COLUMN = "prediction"


def load_keras_model(path: str | Path):
    """``keras.models.load_model(path, safe_mode=True)``, refusing unsafe models clearly."""
    from studio.core import build

    build.configure()
    import keras

    path = Path(path)
    if not path.is_file():
        raise StudioError(_("There is no model file {path}.", path=str(path)))
    if path.suffix != ".keras":
        raise StudioError(_("Only .keras model files can be opened ({name}).", name=path.name))
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
    path = Path(path)
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise StudioError(_("There is no preprocessing file {path}.", path=str(path))) from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise StudioError(_("The preprocessing file {path} cannot be read: {detail}",
                            path=str(path), detail=exc)) from exc
    return FittedPreprocessing.from_dict(doc)


def load_model_dir(directory: str | Path):
    """``(model, FittedPreprocessing)`` from a folder with model.keras and preprocessing.json."""
    d = Path(directory)
    if not d.is_dir():
        raise StudioError(_("The model folder {path} does not exist.", path=str(d)))
    fitted = load_preprocessing(d / "preprocessing.json")
    model = load_keras_model(d / "model.keras")
    n_in = model.input_shape[-1] if getattr(model, "input_shape", None) else None
    if n_in is not None and n_in != fitted.n_inputs:
        raise StudioError(_("The model expects {n} inputs but its preprocessing makes {m}: "
                            "the files do not belong together.", n=n_in, m=fitted.n_inputs))
    return model, fitted


def predict_frame(model, fitted: FittedPreprocessing, df: pd.DataFrame) -> pd.DataFrame:
    """The prediction for each row of ``df`` (in the target's units or labels) and, for
    classification, one probability column per class (``P(class)``)."""
    x = fitted.transform(df)
    enc, proba = predict_encoded(model, x, fitted.task)
    out = pd.DataFrame(index=df.index)
    if fitted.task == "regression":
        out[PREDICTION_COLUMN] = fitted.target_to_labels(enc)
        return out
    out[PREDICTION_COLUMN] = fitted.target_to_labels(enc)
    for i, c in enumerate(fitted.classes):
        if proba is not None and i < proba.shape[1]:
            out[f"P({c})"] = proba[:, i].astype(np.float64)
    return out


def predict_csv(model_dir: str | Path, data: str, out: str | Path | None = None,
                keep_columns: bool = True) -> pd.DataFrame:
    """Read ``data`` like the studio does, predict every row, optionally write a CSV."""
    from studio.core.data import load
    from studio.core.project import atomic_write_text

    model, fitted = load_model_dir(model_dir)
    ds = load(str(data))
    pred = predict_frame(model, fitted, ds.frame)
    table = pd.concat([ds.frame, pred], axis=1) if keep_columns else pred
    if out is not None:
        try:
            atomic_write_text(Path(out), table.to_csv(index=False))
        except OSError as exc:
            raise StudioError(_("Cannot write {path}: {detail}", path=str(out),
                                detail=exc.strerror or exc)) from exc
    return table
