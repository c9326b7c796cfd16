"""The Train step: start, pause and stop a run, watch the curves, read them, save the model.
Step, slow motion and Replay for classroom demos live in :mod:`studio.ui.train.demo`."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from studio.core.curve_reading import CurveReading, read_result
from studio.core.doctor import first_error
from studio.core.errors import StudioError
from studio.core.i18n import _, ngettext
from studio.ui.common import responsiveness, theme
from studio.ui.common.doctor_panel import FindingsStrip
from studio.ui.common.widgets import ElidedLabel
from studio.ui.state import StudioState
from studio.ui.train.curves import LiveCurves
from studio.ui.train.demo import DemoControls
from studio.ui.train.progress import ProgressClock, finish_message, format_duration, last_epoch_text
from studio.ui.train.worker import TrainingController


class TrainPanel(QWidget):
    """Train / Pause / Stop / Step, speed and Replay, progress, live curves, the curves'
    reading and Save model."""

    def __init__(self, state: StudioState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.controller = TrainingController(self)
        self.readings: list[CurveReading] = []
        self.last_error = ""
        self.clock: ProgressClock | None = None
        self._restore_best = True
        self.demo = DemoControls(self)    # Step, slow motion and Replay, for the projector
        self._build()
        c = self.controller
        c.sig_epoch_finished.connect(self._on_epoch_finished)
        c.sig_progress.connect(self._on_progress)
        c.sig_finished.connect(self._on_finished)
        c.sig_failed.connect(self._on_failed)
        c.sig_running_changed.connect(self._on_running_changed)
        state.sig_findings_changed.connect(self._on_findings_changed)
        state.sig_project_changed.connect(self._on_project_changed)
        state.sig_dataset_changed.connect(self._on_dataset_changed)
        state.sig_tensorflow_changed.connect(self._on_tensorflow_changed)
        self._show_device(state.device_text)
        self._on_project_changed()
        self.show_saved_run()

    # -- layout ------------------------------------------------------------------------------------
    def _build(self) -> None:
        style = self.style()
        self.train_button = QPushButton(style.standardIcon(QStyle.StandardPixmap.SP_MediaPlay),
                                        _("Train"))
        self.train_button.setDefault(True)
        self.pause_button = QPushButton(style.standardIcon(QStyle.StandardPixmap.SP_MediaPause),
                                        _("Pause"))
        self.stop_button = QPushButton(style.standardIcon(QStyle.StandardPixmap.SP_MediaStop),
                                       _("Stop"))
        # No fixed minimum width: one overrides the text's own, and the row then squeezed
        # the buttons' text ("일시 정" for 일시 정지) when it ran out of room.
        self.train_button.clicked.connect(self.start_training)
        self.pause_button.clicked.connect(self.demo.on_pause_clicked)
        self.stop_button.clicked.connect(self.stop_training)
        self.reason_label = QLabel()
        self.reason_label.setObjectName("trainBlockedReason")
        self.reason_label.setWordWrap(True)
        self.reason_label.setStyleSheet(
            f"color: {theme.SEVERITY_COLOURS['warning']}; font-weight: 600;")
        self.device_label = QLabel()
        self.device_label.setObjectName("deviceLabel")
        self.device_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

        # One row of controls (Step, speed and Replay too: a projector at 1024x768 has room
        # for them in Korean); the blocked reason below it, the device beside the last epoch.
        top = QHBoxLayout()
        top.addWidget(self.train_button)
        top.addWidget(self.pause_button)
        top.addWidget(self.stop_button)
        self.demo.build(top)
        top.addStretch(1)
        self.reason_label.setVisible(False)

        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.progress.setValue(0)
        self.progress.setTextVisible(True)
        self.progress.setFormat(_("Not trained yet"))
        self.progress.setMinimumHeight(24)
        self.running_label = ElidedLabel(" ")
        self.running_label.setProperty("role", "muted")
        self.running_label.setObjectName("runningLabel")

        self.curves = LiveCurves()
        self.curves.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

        self.status_label = QLabel(" ")
        self.status_label.setObjectName("trainStatus")
        font = self.status_label.font()
        font.setBold(True)
        self.status_label.setFont(font)
        self.status_label.setWordWrap(True)
        self.reading_label = QLabel()
        self.reading_label.setObjectName("curveReading")
        self.reading_label.setWordWrap(True)
        self.reading_label.setTextFormat(Qt.TextFormat.RichText)
        self.reading_box = QFrame()
        self.reading_box.setObjectName("curveReadingBox")
        self.reading_box.setStyleSheet(
            f"QFrame#curveReadingBox {{ background: {theme.SEVERITY_SOFT['info']}; "
            f"border: 1px solid {theme.BORDER}; border-radius: 6px; }}")
        heading = theme.label(_("Reading the curves"), "h2")
        rb = QVBoxLayout(self.reading_box)
        rb.setContentsMargins(10, 6, 10, 6)
        rb.addWidget(heading)
        rb.addWidget(self.reading_label)
        self.reading_box.setVisible(False)
        self.save_button = QPushButton(
            style.standardIcon(QStyle.StandardPixmap.SP_DialogSaveButton), _("Save model…"))
        self.save_button.setToolTip(_("Writes model.keras, preprocessing.json, history.csv and "
                                      "metrics.json into a folder."))
        self.save_button.clicked.connect(lambda: self.save_model())
        bottom = QHBoxLayout()
        bottom.addWidget(self.status_label, 1)
        bottom.addWidget(self.save_button, 0, Qt.AlignmentFlag.AlignTop)

        lay = QVBoxLayout(self)
        lay.setContentsMargins(12, 12, 12, 12)
        lay.setSpacing(8)
        running = QHBoxLayout()
        # a long line of numbers ends in "…" (all of it in the tooltip) rather than widening
        # the window
        self.running_label.setSizePolicy(QSizePolicy.Policy.Ignored,
                                         QSizePolicy.Policy.Preferred)
        running.addWidget(self.running_label, 1)
        running.addWidget(self.device_label)
        lay.addLayout(top)
        lay.addWidget(self.reason_label)
        # what blocks training, with its Fix button (every finding while presenting)
        self.findings_strip = FindingsStrip(self.state, errors_always=True)
        lay.addWidget(self.findings_strip)
        lay.addWidget(self.progress)
        lay.addLayout(running)
        lay.addWidget(self.curves, 1)
        lay.addLayout(bottom)
        lay.addWidget(self.reading_box)

    # -- public API --------------------------------------------------------------------------------
    @property
    def tensorflow_ready(self) -> bool:
        return self.state.tensorflow_ready

    def set_tensorflow_ready(self, ready: bool, device_text: str = "") -> None:
        """TensorFlow has been imported in the background: the state keeps it (this page,
        like every other, follows the state's signal)."""
        self.state.set_tensorflow_ready(ready, device_text)

    @Slot(bool, str)
    def _on_tensorflow_changed(self, _ready: bool, _text: str) -> None:
        self._show_device(self.state.device_text)
        self.refresh_controls()

    def blocked_reason(self) -> str | None:
        """Why Train is disabled, or None when it can start."""
        if self.state.project is None or self.state.dataset is None:
            return _("Open a data set first.")
        if self.state.has_errors:
            first = first_error(self.state.findings)
            title = first.title if first is not None else _("the design has errors")
            return _("Fix this first: {title}", title=title)
        if not self.tensorflow_ready:
            return _("Loading TensorFlow…")
        return None

    def loss_hint(self, loss: str) -> str:
        """The loss plot's hint: the loss's name, and for regression the target's scale."""
        task = self.state.task_info()
        return _("{loss}, on the scaled target", loss=loss) if (
            task is not None and task.task == "regression") else loss

    def start_training(self, step: bool = False) -> bool:
        """Start a run (with ``step``: one that pauses after its first epoch)."""
        if self.controller.is_running or self.blocked_reason() is not None:
            return False
        self.demo.replay.cancel()
        project, dataset = self.state.project, self.state.dataset
        es = project.training.early_stopping
        self._restore_best = bool(es.enabled and es.restore_best_weights)
        self.curves.begin(project.training.epochs,
                          monitor=es.monitor if es.enabled else "val_loss",
                          loss_name=self.loss_hint(project.compile.loss),
                          metrics=list(project.compile.metrics))
        self.clock = ProgressClock(project.training.epochs, project.training.batch_size)
        self.readings = []
        self.last_error = ""
        self.reading_box.setVisible(False)
        self.status_label.setText(_("Training one epoch, then pausing…") if step
                                  else _("Training…"))
        self.progress.setValue(0)
        self.progress.setFormat(_("Epoch 0/{n} · preparing the data and building the model…",
                                  n=project.training.epochs))
        self.running_label.setText(" ")
        responsiveness.training_started()    # see studio/ui/common/responsiveness.py
        self.controller.start(project, dataset, step=step,
                              record_weights=self.demo.new_weight_record())
        self.refresh_controls()
        return True

    def pause_training(self) -> None:
        if self.controller.is_running and not self.controller.is_paused:
            self.controller.pause()
            if self.clock is not None:
                self.clock.pause()
            self.status_label.setText(_("Paused. Press Resume to continue."))
            self.refresh_controls()

    def resume_training(self) -> None:
        if self.controller.is_running and self.controller.is_paused:
            self.controller.resume()
            if self.clock is not None:
                self.clock.resume()
            self.status_label.setText(_("Training…"))
            self.refresh_controls()

    def stop_training(self) -> None:
        if self.demo.replay.is_active and not self.controller.is_running:
            self.demo.stop_replay()
            return
        if self.controller.is_running:
            self.controller.stop()
            if self.clock is not None:
                self.clock.resume()
            self.status_label.setText(_("Stopping after the current batches…"))
            self.refresh_controls()

    def shutdown(self, timeout_ms: int = 10000) -> bool:
        """Stop any run and wait for its thread (window close, another project, tests)."""
        ok = self.controller.shutdown(timeout_ms)
        self.demo.replay.cancel()
        self.curves.stop_refresh()
        self.refresh_controls()
        return ok

    def save_model(self, folder: str | None = None) -> str | None:
        result = self.state.result
        if result is None or getattr(result, "model", None) is None:
            return None
        if folder is None:
            folder = QFileDialog.getExistingDirectory(self, _("Save the trained model into a "
                                                              "folder"))
            if not folder:
                return None
        try:
            from studio.core.results import save_run

            out = save_run(result, folder)
        except StudioError as exc:
            self._show_error(str(exc))
            return None
        self.status_label.setText(_("Saved model.keras, preprocessing.json, history.csv and "
                                    "metrics.json to {path}", path=str(out)))
        return str(out)

    # -- slots -------------------------------------------------------------------------------------
    @Slot(int, dict)
    def _on_epoch_finished(self, epoch: int, logs: dict) -> None:
        self.curves.add_epoch(epoch, logs)
        if self.clock is not None:
            self.clock.epoch_done(epoch)
        if self.controller.is_paused:        # a Step's epoch: the run waits for the next
            self.demo.after_epoch_paused(epoch)
        self._show_progress()

    @Slot(int, int, int, dict)
    def _on_progress(self, epoch: int, step: int, steps: int, logs: dict) -> None:
        if self.clock is not None:
            self.clock.update(epoch, step, steps)
        loss = logs.get("running_loss")
        if loss is not None:
            self.running_label.setText(_(
                "Epoch {epoch}, batch {step}/{steps}: loss {loss:.4g} (running mean over this "
                "epoch so far)", epoch=epoch, step=step, steps=steps, loss=loss))
        self._show_progress()

    @Slot(object)
    def _on_finished(self, result: Any) -> None:
        self.curves.finish(result)
        self._show_device(result.device)
        planned = self.clock.total_epochs if self.clock else result.epochs_run
        if result.stopped_reason == "stopped":
            self.progress.setFormat(_("Stopped after {epoch} of {n} epochs",
                                      epoch=result.epochs_run, n=planned))
        else:
            self.progress.setValue(1000)
            self.progress.setFormat(
                _("Done: {epoch} of {n} epochs (early stopping)", epoch=result.epochs_run,
                  n=planned) if result.stopped_reason == "early_stopping"
                else ngettext("Done: {n} epoch", "Done: {n} epochs", result.epochs_run))
        self.status_label.setText(finish_message(result, self._restore_best))
        self.running_label.setText(last_epoch_text(result.history))
        self.readings = read_result(result, self.controller.project)
        self.show_readings()
        # the copy that was trained (its settings go into the run history)
        self.state.adopt_result(result, self.controller.project)
        self.refresh_controls()

    @Slot(str)
    def _on_failed(self, message: str) -> None:
        self.curves.stop_refresh()
        self.progress.setFormat(_("Training failed"))
        self._show_error(message)

    @Slot(bool)
    def _on_running_changed(self, running: bool) -> None:
        if not running:
            responsiveness.training_ended()
        self.refresh_controls()

    @Slot(list)
    def _on_findings_changed(self, findings: list) -> None:
        self.refresh_controls()

    @Slot()
    def _on_dataset_changed(self) -> None:
        """Another data set or project: the old run's curves no longer apply."""
        if self.controller.is_running:
            return
        self.demo.replay.cancel()
        project = self.state.project
        self.curves.clear(project.training.epochs if project is not None else 2)
        self.readings, self.last_error = [], ""
        self.reading_box.setVisible(False)
        self.status_label.setText(" ")
        self.running_label.setText(" ")
        self.progress.setValue(0)
        self.progress.setFormat(_("Not trained yet"))
        self.show_saved_run()

    def draw_history(self, history: dict, *, best_epoch: int, events: list, monitor: str,
                     loss: str, metrics: list[str]) -> None:
        """Draw a finished run's curves at once, titled as the live ones were (the monitor,
        the loss's hint, the compiled metrics' plots)."""
        from studio.core.replay import history_length

        n = history_length(history)
        self.curves.begin(max(2, n), monitor=monitor, loss_name=self.loss_hint(loss),
                          metrics=metrics)
        for e in range(n):
            self.curves.add_epoch(e + 1, {k: float(v[e]) for k, v in history.items()
                                          if e < len(v)})
        self.curves.finish(SimpleNamespace(best_epoch=best_epoch, events=events))

    def show_finished(self, result: Any) -> None:
        """A run that finished before this page was made (a language switch made the pages
        anew): its curves, reading and closing texts, as when it finished."""
        project = self.controller.project or self.state.project
        es = project.training.early_stopping
        self.draw_history(getattr(result, "history", {}) or {},
                          best_epoch=int(getattr(result, "best_epoch", 0) or 0),
                          events=list(getattr(result, "events", []) or []),
                          monitor=es.monitor if es.enabled else "val_loss",
                          loss=project.compile.loss, metrics=list(project.compile.metrics))
        self._on_finished(result)       # the texts; the state tells the other pages

    def show_saved_run(self) -> bool:
        """A reopened project (or lesson) with saved runs and no model in memory: the latest
        run's curves come back, with what the project file does not hold said plainly."""
        project, state = self.state.project, self.state
        if state.result is not None or project is None or not project.runs \
                or self.controller.is_running:
            return False
        from studio.core.replay import history_length

        run = project.runs[-1]
        if history_length(run.history) == 0:
            return False
        es = run.training.get("early_stopping") or {}
        events = ([{"epoch": run.epochs_run, "kind": "early_stopping", "value": run.best_epoch}]
                  if run.stopped_reason == "early_stopping" else [])
        self.draw_history(run.history, best_epoch=run.best_epoch, events=events,
                          monitor=str(es.get("monitor") or "val_loss") if es.get("enabled")
                          else "val_loss", loss=str(run.compile.get("loss") or ""),
                          metrics=list(run.compile.get("metrics") or []))
        self.progress.setValue(1000)
        self.progress.setFormat(ngettext("Saved run: {n} epoch", "Saved run: {n} epochs",
                                          run.epochs_run))
        self.running_label.setText(last_epoch_text(run.history))
        self.status_label.setText(_(
            "The latest saved run ({when}): {n} epochs, best epoch {best}. The project file "
            "keeps its curves and test results, not the trained model: train again to "
            "predict new rows or to save the model.", when=run.label, n=run.epochs_run,
            best=run.best_epoch))
        return True

    @Slot()
    def _on_project_changed(self) -> None:
        if self.state.project is not None and not self.controller.is_running:
            self.curves.set_planned_epochs(self.state.project.training.epochs)
        self.refresh_controls()

    # -- helpers -----------------------------------------------------------------------------------
    def refresh_controls(self) -> None:
        running = self.controller.is_running
        reason = None if running else self.blocked_reason()
        self.train_button.setEnabled(not running and reason is None)
        self.reason_label.setText(reason or "")
        self.reason_label.setVisible(bool(reason))
        self.pause_button.setEnabled(running)
        self.stop_button.setEnabled(running)
        paused = self.controller.is_paused
        self.pause_button.setText(_("Resume") if paused else _("Pause"))
        self.pause_button.setIcon(self.style().standardIcon(
            QStyle.StandardPixmap.SP_MediaPlay if paused else QStyle.StandardPixmap.SP_MediaPause))
        result = self.state.result
        self.save_button.setEnabled(not running and result is not None
                                    and getattr(result, "model", None) is not None)
        self.demo.refresh()

    def _show_device(self, text: str) -> None:
        self.device_label.setText(_("Device: {device}", device=text) if text else "")

    def _show_progress(self) -> None:
        clock = self.clock
        if clock is None:
            return
        self.progress.setValue(int(clock.fraction * 1000))
        parts = [_("Epoch {epoch}/{n}", epoch=clock.epoch, n=clock.total_epochs)]
        eta, sps = clock.eta_seconds, clock.samples_per_second
        if eta is not None:
            parts.append(_("ETA {eta}", eta=format_duration(eta)))
        if sps is not None:
            parts.append(_("{sps:,.0f} samples/s", sps=sps))
        if self.controller.is_paused:
            parts.append(_("paused"))
        self.progress.setFormat(" · ".join(parts))

    def show_readings(self) -> None:
        if not self.readings:
            self.reading_box.setVisible(False)
            return
        rows = []
        for r in self.readings[:2]:
            rows.append(f"<b>{_html(r.title)}.</b> {_html(r.text)} "
                        f"<i>{_html(_('Try:'))}</i> {_html(r.fix)}")
        self.reading_label.setText("<br>".join(rows))
        self.reading_box.setVisible(True)

    def _show_error(self, message: str) -> None:
        """Shown in the status line and, through ``state.sig_error``, as the main window's
        dialog (one door for user errors, as studio.ui.common.guard does)."""
        self.last_error = message
        self.status_label.setText(_("Training failed: {message}", message=message))
        self.state.report_error(message)


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
