"""Evaluation numbers equal scikit-learn's on known predictions."""

import numpy as np
import pytest

from studio.core.evaluate import classification_evaluation, regression_evaluation


def test_regression_metrics():
    y = np.array([1.0, 2.0, 3.0, 4.0])
    p = np.array([1.5, 2.0, 2.0, 5.0])
    ev = regression_evaluation(y, p)
    assert ev.metrics["mae"] == pytest.approx((0.5 + 0 + 1 + 1) / 4)
    assert ev.metrics["mse"] == pytest.approx((0.25 + 0 + 1 + 1) / 4)
    assert ev.metrics["rmse"] == pytest.approx(np.sqrt(2.25 / 4))
    assert ev.metrics["r2"] == pytest.approx(1 - 2.25 / 5.0)
    np.testing.assert_allclose(ev.residuals, y - p)
    assert ev.to_dict()["residuals"]["max_abs"] == 1.0


def test_binary_metrics_confusion_and_roc():
    y = np.array([0, 0, 1, 1, 1, 0])
    p1 = np.array([0.1, 0.6, 0.8, 0.4, 0.9, 0.2])
    ev = classification_evaluation(y, np.column_stack([1 - p1, p1]), ["benign", "malignant"])
    # predictions: 0 1 1 0 1 0 -> TP=2, FP=1, FN=1, TN=2
    assert ev.metrics["accuracy"] == pytest.approx(4 / 6)
    assert ev.metrics["precision"] == pytest.approx(2 / 3)
    assert ev.metrics["recall"] == pytest.approx(2 / 3)
    assert ev.metrics["f1"] == pytest.approx(2 / 3)
    assert ev.confusion.tolist() == [[2, 1], [1, 2]]
    assert ev.metrics["auc"] == pytest.approx(8 / 9)
    assert set(ev.roc) == {"malignant"}
    assert "benign" in ev.report and ev.per_class["malignant"]["support"] == 3


def test_multiclass_one_vs_rest():
    y = np.array([0, 1, 2, 2, 1, 0])
    proba = np.array([[.8, .1, .1], [.2, .7, .1], [.1, .2, .7], [.3, .4, .3], [.1, .8, .1],
                      [.6, .3, .1]])
    ev = classification_evaluation(y, proba, ["a", "b", "c"])
    assert ev.task == "multiclass"
    assert ev.metrics["accuracy"] == pytest.approx(5 / 6)
    assert ev.confusion.sum() == 6 and ev.confusion.trace() == 5
    assert set(ev.roc) == {"a", "b", "c"}
    from sklearn.metrics import roc_auc_score

    assert ev.metrics["auc"] == pytest.approx(roc_auc_score(y, proba, multi_class="ovr",
                                                            average="macro"))
