"""The learner's glossary: each term as the curriculum defines it (docs: CURRICULUM.md).

Pure data, no Qt. :func:`entries` builds the list at call time so the texts come out in the
current language; :func:`tooltip` gives one definition for a form field's tooltip, so the
Compile form and Help > Glossary say the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass

from studio.core.i18n import _


@dataclass(frozen=True)
class Term:
    key: str
    term: str
    definition: str


def entries() -> list[Term]:
    """Every term, in the order the students meet them."""
    return [
        Term("loss", _("Loss function"), _(
            "The error the network reduces while it learns: how far its predictions are from "
            "the answers. Regression uses MSE or MAE; classification uses (binary or "
            "categorical) cross-entropy.")),
        Term("optimizer", _("Optimizer"), _(
            "How the weights are updated to reduce the loss, step by step. Adam is the usual "
            "choice for both regression and classification.")),
        Term("learning_rate", _("Learning rate"), _(
            "The size of each weight update. Too high: the loss jumps or explodes; too low: "
            "learning is very slow. Adam usually starts at 0.001.")),
        Term("epoch", _("Epoch"), _(
            "One pass of the network over all the training rows. Choose the number of epochs "
            "by reading the learning curves.")),
        Term("batch", _("Batch size"), _(
            "How many rows the network looks at before each weight update. Small batches: "
            "more, noisier updates; large batches: fewer, smoother ones.")),
        Term("dropout", _("Dropout"), _(
            "Switches off a random share of the neurons at each training step, so the network "
            "cannot rely on single neurons: a way to prevent over-fitting.")),
        Term("regularisation", _("Regularisation (L1/L2)"), _(
            "Adds a penalty for large weights to the loss, which keeps the network simpler: "
            "another way to prevent over-fitting.")),
        Term("early_stopping", _("Early stopping"), _(
            "Stops training when the validation loss has not improved for a few epochs "
            "(the patience) and keeps the best weights: a guard against over-fitting.")),
        Term("overfitting", _("Over-fitting"), _(
            "The network memorises the training rows instead of learning the pattern: the "
            "training loss keeps falling while the validation loss rises.")),
        Term("scaling", _("Scaling"), _(
            "Bringing the features to similar ranges (standardisation: mean 0, variance 1; "
            "normalisation: 0 to 1). Required for neural networks; fit it on the training "
            "rows only.")),
        Term("learning_curves", _("Learning curves"), _(
            "The loss and metrics of every epoch, for training and validation "
            "(history.history). Read them to choose epochs, batch size and layers.")),
        Term("mae", _("MAE"), _(
            "Mean absolute error (regression): the average size of the misses, in the "
            "target's units. Lower is better.")),
        Term("rmse", _("RMSE"), _(
            "Root mean squared error (regression): like MAE, but big misses count more. "
            "Lower is better.")),
        Term("r2", _("R²"), _(
            "Coefficient of determination (regression): 1 is perfect, 0 is no better than "
            "always predicting the mean.")),
        Term("accuracy", _("Accuracy"), _(
            "Share of the rows whose class is predicted right (classification). Misleading "
            "when one class is much larger than the others.")),
        Term("precision", _("Precision"), _(
            "Of the rows predicted as a class, the share that really are that class.")),
        Term("recall", _("Recall"), _(
            "Of the rows that really are a class, the share the network finds.")),
        Term("f1", _("F1"), _(
            "The balance (harmonic mean) of precision and recall.")),
        Term("auc", _("AUC-ROC"), _(
            "Area under the ROC curve: how well the network ranks the classes; 1 is perfect, "
            "0.5 is guessing.")),
        Term("confusion_matrix", _("Confusion matrix"), _(
            "A table of actual classes (rows) against predicted classes (columns): the "
            "diagonal holds the right answers, the rest shows which classes are mixed up.")),
    ]


def lookup(key: str) -> Term | None:
    return next((t for t in entries() if t.key == key), None)


def tooltip(key: str) -> str:
    """``"<b>Term</b>: definition"`` for a tooltip, or "" for an unknown key."""
    t = lookup(key)
    return f"<b>{t.term}</b>: {t.definition}" if t else ""
