"""The Evaluate step: the test split's metrics and plots for the last training run."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QFrame,
    QLabel,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from studio.core.i18n import _, ngettext
from studio.ui.common import theme
from studio.ui.evaluate.classification import ClassificationView, classification_cards
from studio.ui.evaluate.regression import RegressionView, regression_cards
from studio.ui.evaluate.widgets import MetricCards
from studio.ui.state import StudioState


class _CurrentViewStack(QWidget):
    """The regression or the classification view, one at a time, sized by the one shown.

    Not a QStackedWidget: its layout asks every page for its size and its height for a
    width, the hidden ones too, so the classification view's tables made the regression
    plots taller than a 1024x768 window, their x axes out of sight. Here the view not shown
    is hidden in a box layout, which leaves it out."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._views: list[QWidget] = []

    def addWidget(self, view: QWidget) -> None:
        self._views.append(view)
        self._layout.addWidget(view)
        view.setVisible(len(self._views) == 1)

    def currentWidget(self) -> QWidget | None:
        return next((v for v in self._views if not v.isHidden()), None)

    def setCurrentWidget(self, view: QWidget) -> None:
        for v in self._views:
            v.setVisible(v is view)


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
        self.views = _CurrentViewStack()
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
        page.setMinimumWidth(720)

        self.stack = QStackedWidget()
        self.stack.addWidget(empty)
        self.stack.addWidget(scroll)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.stack)

        self.saved_label = theme.label("", "muted", wrap=True)
        self.saved_label.setObjectName("evalSavedRun")
        self.saved_label.hide()
        pl.insertWidget(1, self.saved_label)

        state.sig_result_ready.connect(self._on_result_ready)
        state.sig_dataset_changed.connect(self._on_dataset_changed)
        self.show_result(state.result)
        if state.result is None:
            self.show_saved_run()

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
            extra = " " + ngettext("Trained for {n} epoch; best epoch {best}.",
                                   "Trained for {n} epochs; best epoch {best}.",
                                   result.epochs_run, best=result.best_epoch)
        self.summary_label.setText(_("{what} on the test split: {n} rows the model never saw "
                                     "while training.", what=what, n=n) + extra)
        self.stack.setCurrentIndex(1)

    def show_saved_run(self) -> bool:
        """A reopened project: the latest saved run's evaluation, computed again from the
        test answers the project file keeps (core.runs.saved_evaluation)."""
        from studio.core.runs import saved_evaluation

        project = self.state.project
        run = project.runs[-1] if project is not None and project.runs else None
        evaluation = saved_evaluation(run) if run is not None else None
        if evaluation is None:
            return False
        self.show_result(SimpleNamespace(evaluation=evaluation, epochs_run=run.epochs_run,
                                         best_epoch=run.best_epoch))
        self.saved_label.setText(_("From the run saved on {when}. The project keeps the test "
                                   "results, not the trained model: train again to predict "
                                   "new rows.", when=run.label))
        self.saved_label.show()
        return True

    @Slot(object)
    def _on_result_ready(self, result: Any) -> None:
        self.saved_label.hide()
        self.show_result(result)

    @Slot()
    def _on_dataset_changed(self) -> None:
        if self.state.result is None:
            self.saved_label.hide()
            self.show_result(None)
            self.show_saved_run()

    def shutdown(self, timeout_ms: int = 10000) -> bool:
        """Nothing runs in the background here (studio.ui.common.page.StepPage)."""
        return True
