"""The Evaluate step: the test split's metrics and plots for the last training run."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QStackedWidget, QVBoxLayout, QWidget

from studio.core.i18n import _
from studio.ui import theme
from studio.ui.eval_classification import ClassificationView, classification_cards
from studio.ui.eval_regression import RegressionView, regression_cards
from studio.ui.eval_widgets import MetricCards
from studio.ui.state import StudioState


class EvalPanel(QWidget):
    """Shows ``state.result.evaluation``; empty until a model has been trained."""

    def __init__(self, state: StudioState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.evaluation: Any = None

        self.empty_label = QLabel(_("Train the model to see its evaluation"))
        self.empty_label.setObjectName("evalEmpty")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        f = self.empty_label.font()
        f.setPointSizeF(f.pointSizeF() * 1.5)
        self.empty_label.setFont(f)
        empty_hint = theme.label(_("The evaluation uses the test split: rows the model never "
                                   "saw while it trained."), "muted")
        empty_hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        empty = QWidget()
        el = QVBoxLayout(empty)
        el.addStretch(1)
        el.addWidget(self.empty_label)
        el.addWidget(empty_hint)
        el.addStretch(2)

        self.summary_label = QLabel()
        self.summary_label.setObjectName("evalSummary")
        self.summary_label.setWordWrap(True)
        self.cards = MetricCards()
        self.regression = RegressionView()
        self.classification = ClassificationView()
        self.views = QStackedWidget()
        self.views.addWidget(self.regression)
        self.views.addWidget(self.classification)
        page = QWidget()
        pl = QVBoxLayout(page)
        pl.setContentsMargins(12, 12, 12, 12)
        pl.setSpacing(10)
        pl.addWidget(self.summary_label)
        pl.addWidget(self.cards)
        pl.addWidget(self.views, 1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(page)
        page.setMinimumSize(720, 560)

        self.stack = QStackedWidget()
        self.stack.addWidget(empty)
        self.stack.addWidget(scroll)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.stack)

        state.sig_result_ready.connect(self._on_result_ready)
        state.sig_dataset_changed.connect(self._on_dataset_changed)
        self.show_result(state.result)

    @property
    def is_empty(self) -> bool:
        return self.stack.currentIndex() == 0

    def show_result(self, result: Any) -> None:
        ev = getattr(result, "evaluation", None) if result is not None else None
        self.evaluation = ev
        if ev is None:
            self.stack.setCurrentIndex(0)
            return
        n = len(ev.y_true)
        if ev.task == "regression":
            self.cards.set_cards(regression_cards(ev.metrics))
            self.regression.show_evaluation(ev)
            self.views.setCurrentWidget(self.regression)
            what = _("Regression")
        else:
            self.cards.set_cards(classification_cards(ev))
            self.classification.show_evaluation(ev)
            self.views.setCurrentWidget(self.classification)
            what = _("Binary classification") if ev.task == "binary" else _(
                "Multi-class classification")
        extra = ""
        if result is not None and getattr(result, "epochs_run", 0):
            extra = " " + _("Trained for {n} epochs; best epoch {best}.", n=result.epochs_run,
                            best=result.best_epoch)
        self.summary_label.setText(_("{what} on the test split: {n} rows the model never saw "
                                     "while training.", what=what, n=n) + extra)
        self.stack.setCurrentIndex(1)

    @Slot(object)
    def _on_result_ready(self, result: Any) -> None:
        self.show_result(result)

    @Slot()
    def _on_dataset_changed(self) -> None:
        if self.state.result is None:
            self.show_result(None)
