"""Evaluation on the test split, computed with scikit-learn.

Regression: MAE, MSE, RMSE, R2 and residuals, in the target's own units. Classification:
accuracy, precision, recall, F1 (per class and averaged), the confusion matrix, ROC curves and
AUC (one-vs-rest for multi-class) and the classification report.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from studio.core.prep import Prepared


@dataclass
class Evaluation:
    task: str
    metrics: dict[str, float]
    y_true: np.ndarray                  # user's units (regression) or class indices
    y_pred: np.ndarray                  # same
    probabilities: np.ndarray | None = None   # (n, n_classes), classification only
    classes: list[Any] = field(default_factory=list)
    per_class: dict[str, dict[str, float]] = field(default_factory=dict)
    confusion: np.ndarray | None = None
    roc: dict[str, dict[str, list[float]]] = field(default_factory=dict)  # class -> fpr, tpr
    report: str = ""

    @property
    def residuals(self) -> np.ndarray:
        return self.y_true - self.y_pred

    def scalar_metrics(self) -> dict[str, float]:
        return dict(self.metrics)

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"task": self.task, "metrics": self.metrics}
        if self.task == "regression":
            r = self.residuals
            d["residuals"] = {"mean": float(np.mean(r)), "std": float(np.std(r)),
                              "max_abs": float(np.max(np.abs(r))) if len(r) else 0.0}
        else:
            d["classes"] = [str(c) for c in self.classes]
            d["per_class"] = self.per_class
            d["confusion_matrix"] = self.confusion.tolist() if self.confusion is not None else []
            d["roc_auc"] = {c: v["auc"] for c, v in self.roc.items()}
            d["report"] = self.report
        return d


def predict_encoded(model, x: np.ndarray, task: str) -> tuple[np.ndarray, np.ndarray | None]:
    """Model outputs as (encoded prediction, class probabilities or None)."""
    raw = np.asarray(model.predict(x, batch_size=4096, verbose=0))
    if task == "regression":
        return raw.reshape(-1), None
    if raw.ndim == 1 or raw.shape[1] == 1:
        p1 = raw.reshape(-1)
        proba = np.column_stack([1.0 - p1, p1])
    else:
        proba = raw
    return np.argmax(proba, axis=1), proba


def evaluate(model, prepared: Prepared) -> Evaluation:
    """Predict the test split and compute every metric the curriculum names."""
    task = prepared.task
    pred, proba = predict_encoded(model, prepared.x_test, task)
    if task == "regression":
        f = prepared.fitted
        y_true = prepared.y_test.astype(np.float64) * f.target_std + f.target_mean
        y_pred = pred.astype(np.float64) * f.target_std + f.target_mean
        return regression_evaluation(y_true, y_pred)
    assert proba is not None                  # a classifier gives class probabilities
    return classification_evaluation(prepared.y_test.astype(int), proba, prepared.classes)


def regression_evaluation(y_true: np.ndarray, y_pred: np.ndarray) -> Evaluation:
    from sklearn import metrics as skm

    mse = float(skm.mean_squared_error(y_true, y_pred))
    m = {"mae": float(skm.mean_absolute_error(y_true, y_pred)), "mse": mse,
         "rmse": float(np.sqrt(mse)),
         "r2": float(skm.r2_score(y_true, y_pred)) if len(y_true) > 1 else float("nan")}
    return Evaluation("regression", m, y_true, y_pred)


def classification_evaluation(y_true: np.ndarray, proba: np.ndarray,
                              classes: list[Any]) -> Evaluation:
    from sklearn import metrics as skm

    n_classes = max(len(classes), proba.shape[1])
    labels = list(range(n_classes))
    names = [str(c) for c in classes] + [str(i) for i in range(len(classes), n_classes)]
    y_pred = np.argmax(proba, axis=1)
    binary = n_classes == 2
    avg = "binary" if binary else "macro"
    prf = {"zero_division": 0}
    m = {
        "accuracy": float(skm.accuracy_score(y_true, y_pred)),
        "precision": float(skm.precision_score(y_true, y_pred, average=avg, labels=labels
                                               if not binary else None, **prf)),
        "recall": float(skm.recall_score(y_true, y_pred, average=avg, labels=labels
                                         if not binary else None, **prf)),
        "f1": float(skm.f1_score(y_true, y_pred, average=avg, labels=labels
                                 if not binary else None, **prf)),
    }
    p, r, f1, support = skm.precision_recall_fscore_support(y_true, y_pred, labels=labels,
                                                            zero_division=0)
    per_class = {names[i]: {"precision": float(p[i]), "recall": float(r[i]),
                            "f1": float(f1[i]), "support": int(support[i])}
                 for i in labels}
    roc: dict[str, dict[str, Any]] = {}
    present = np.unique(y_true)
    if binary:
        if len(present) == 2:
            fpr, tpr, _ = skm.roc_curve(y_true, proba[:, 1])
            auc = float(skm.roc_auc_score(y_true, proba[:, 1]))
            roc[names[1]] = {"fpr": fpr.tolist(), "tpr": tpr.tolist(), "auc": auc}
            m["auc"] = auc
        else:
            m["auc"] = float("nan")
    else:
        aucs = []
        for i in labels:
            yi = (y_true == i).astype(int)
            if 0 < yi.sum() < len(yi):
                fpr, tpr, _ = skm.roc_curve(yi, proba[:, i])
                a = float(skm.auc(fpr, tpr))
                roc[names[i]] = {"fpr": fpr.tolist(), "tpr": tpr.tolist(), "auc": a}
                aucs.append(a)
        m["auc"] = float(np.mean(aucs)) if aucs else float("nan")
    report = skm.classification_report(y_true, y_pred, labels=labels, target_names=names,
                                       zero_division=0)
    return Evaluation("binary" if binary else "multiclass", m, y_true, y_pred,
                      probabilities=proba, classes=list(classes), per_class=per_class,
                      confusion=skm.confusion_matrix(y_true, y_pred, labels=labels),
                      roc=roc, report=report)
