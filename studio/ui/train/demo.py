"""The Train step's demo controls, for a teacher at the projector: Step (one epoch, then
pause), a slow-motion speed, and Replay of a finished run's curves and canvas weights.

A part of :class:`~studio.ui.train.panel.TrainPanel` (``panel.demo``), with its own buttons,
key and replay player; it shows its numbers in the panel's curves and labels. Step and slow
motion go through the training controller (:mod:`studio.ui.train.worker`), so
the waiting happens in the training thread; a replay plays on a QTimer
(:class:`~studio.ui.train.replay.ReplayPlayer`) and only shows numbers the run already has: the
project and its runs are never changed. While a replay plays, Pause, Stop and Step act on it.
Step also answers :data:`STEP_KEY` while the Train step is shown; the chosen speed is kept in
the user's settings (:class:`~studio.ui.common.qt_settings.StudioSettings`) for the next session.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QStyle

from studio.core.i18n import _, ngettext
from studio.core.replay import WeightSnapshots, history_length
from studio.ui.common.qt_settings import StudioSettings
from studio.ui.train.replay import SPEEDS, TRAIN_DELAY, ReplayPlayer, canvas_slots, speed_names

if TYPE_CHECKING:
    from studio.ui.train.panel import TrainPanel

#: Step's key: a debugger's "step over", free in the window (F5 presents, F1 is the glossary,
#: Page Up / Page Down and Ctrl+Tab change the step, Ctrl+1..6 go to one).
STEP_KEY = "F10"


def monitor_of(training: Any) -> str:
    """The metric whose best epoch the curves mark, from settings (object or dict)."""
    es = training.get("early_stopping", {}) if isinstance(training, dict) else \
        getattr(training, "early_stopping", None)
    if isinstance(es, dict):
        return str(es.get("monitor", "val_loss")) if es.get("enabled") else "val_loss"
    if es is not None and getattr(es, "enabled", False):
        return str(getattr(es, "monitor", "val_loss"))
    return "val_loss"


def epoch_text(epoch: int, logs: dict[str, float]) -> str:
    """``Epoch 3: loss 0.52 · val_loss 0.48 · accuracy 0.81 · val_accuracy 0.83``."""
    keys = [k for k in logs if k not in ("learning_rate", "seconds")]
    keys.sort(key=lambda k: (k.removeprefix("val_") != "loss", k.removeprefix("val_"),
                             k.startswith("val_")))
    values = " · ".join(f"{k} {logs[k]:.4g}" for k in keys)
    return _("Epoch {epoch}: {values}", epoch=epoch, values=values)


class DemoControls(QObject):
    """See the module docstring. Made by the Train panel, which it shows its numbers in."""

    def __init__(self, panel: TrainPanel) -> None:
        super().__init__(panel)
        self.panel = panel
        self.state = panel.state
        self._replay_info: dict[str, Any] = {}
        self.replay = ReplayPlayer(self)
        self.replay.sig_started.connect(self._on_replay_started)
        self.replay.sig_frame.connect(self._on_replay_frame)
        self.replay.sig_weights.connect(self._on_replay_weights)
        self.replay.sig_finished.connect(self._on_replay_finished)
        self.replay.sig_state_changed.connect(panel.refresh_controls)
        self.state.sig_replay_requested.connect(self.replay_run)

    # -- building -----------------------------------------------------------------------------
    def build(self, row: QHBoxLayout) -> None:
        """Step, the speed and Replay, at the end of the panel's button row."""
        style = self.panel.style()
        self.step_button = QPushButton(
            style.standardIcon(QStyle.StandardPixmap.SP_MediaSkipForward), _("Step"))
        self.step_button.setObjectName("stepButton")
        key = QKeySequence(STEP_KEY)
        key_text = key.toString(QKeySequence.SequenceFormat.NativeText)
        self.step_button.setToolTip(_("Train one epoch, then pause: press again for the "
                                      "next epoch (a demo of how the curves and weights "
                                      "change).") + f" ({key_text})")
        self.step_button.clicked.connect(self.step_training)
        # the key works while the Train step is shown, wherever the focus is in the window
        self.step_action = QAction(_("Step"), self.panel)
        self.step_action.setShortcut(key)
        self.step_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.step_action.triggered.connect(self._on_step_key)
        self.panel.addAction(self.step_action)
        self.speed_label = QLabel(_("Speed"))
        self.speed_box = QComboBox()
        self.speed_box.setObjectName("speedBox")
        for key, text in speed_names().items():
            self.speed_box.addItem(text, key)
        self.speed_box.setToolTip(_("Slow motion: wait after each epoch while training, "
                                    "and replay slowly, so the class can follow."))
        self.speed_label.setBuddy(self.speed_box)
        saved = StudioSettings().demo_speed()         # the last session's choice
        if saved in SPEEDS:
            self.set_speed(saved, remember=False)
        self.speed_box.currentIndexChanged.connect(
            lambda _i: self.set_speed(self.speed_box.currentData()))
        self.replay_button = QPushButton(
            style.standardIcon(QStyle.StandardPixmap.SP_BrowserReload), _("Replay"))
        self.replay_button.setObjectName("replayButton")
        self.replay_button.setToolTip(_("Play the finished run again, epoch by epoch: its "
                                        "curves and, on the Design step, its weights."))
        self.replay_button.clicked.connect(self.replay_latest)
        row.addWidget(self.step_button)
        row.addSpacing(12)
        row.addWidget(self.speed_label)
        row.addWidget(self.speed_box)
        row.addWidget(self.replay_button)

    # -- step and speed -------------------------------------------------------------------------
    def step_training(self) -> bool:
        """Step: one epoch, then pause. With no run going it starts one that pauses after its
        first epoch; while a replay plays it shows the replay's next epoch."""
        if self.replay.is_active:
            self.replay.step()
            return True
        c = self.panel.controller
        if not c.is_running:
            return self.panel.start_training(step=True)
        c.step()
        if self.panel.clock is not None:
            self.panel.clock.resume()
        self.panel.status_label.setText(_("Training one epoch, then pausing…"))
        self.panel.refresh_controls()
        return True

    def _on_step_key(self) -> None:
        if self.step_button.isEnabled():
            self.step_training()

    def set_speed(self, speed: str, remember: bool = True) -> None:
        """Normal, slow or very slow: the delay after each epoch and the replay's pace;
        remembered for the next session unless ``remember`` is False."""
        speed = speed if speed in SPEEDS else "normal"
        self.panel.controller.set_epoch_delay(TRAIN_DELAY[speed])
        self.replay.set_speed(speed)
        i = self.speed_box.findData(speed)
        if i != self.speed_box.currentIndex():
            self.speed_box.setCurrentIndex(i)
        if remember:
            StudioSettings().set_demo_speed(speed)

    @property
    def speed(self) -> str:
        return self.speed_box.currentData() or "normal"

    def new_weight_record(self) -> WeightSnapshots:
        return WeightSnapshots(keep=canvas_slots)

    def after_epoch_paused(self, epoch: int) -> None:
        """A Step's epoch arrived and the run waits between epochs."""
        if self.panel.clock is not None:
            self.panel.clock.pause()
        self.panel.status_label.setText(_("Paused after epoch {epoch}. Step trains one more "
                                    "epoch; Resume trains the rest.", epoch=epoch))
        self.panel.refresh_controls()

    # -- replay ---------------------------------------------------------------------------------
    def can_replay(self) -> bool:
        result = self.state.result
        return (not self.panel.controller.is_running and result is not None
                and history_length(getattr(result, "history", {}) or {}) > 0)

    def replay_latest(self) -> bool:
        """Replay the finished run the panel shows (``state.result``)."""
        if not self.can_replay():
            return False
        result = self.state.result
        project = self.panel.controller.project or self.state.project
        snapshots = getattr(result, "weight_snapshots", None)
        return self._start_replay(
            result.history, snapshots, best_epoch=int(getattr(result, "best_epoch", 0) or 0),
            events=list(getattr(result, "events", []) or []),
            training=getattr(project, "training", None),
            metrics=list(getattr(getattr(project, "compile", None), "metrics", []) or []),
            loss=str(getattr(getattr(project, "compile", None), "loss", "") or ""),
            latest=True)

    @Slot(object)
    def replay_run(self, run: Any) -> bool:
        """Replay a recorded run (core.runs.RunRecord) from the Runs view."""
        if self.panel.controller.is_running:
            self.panel.status_label.setText(_("A replay can start when the training has ended."))
            return False
        history = getattr(run, "history", {}) or {}
        if not history_length(history):
            self.panel.status_label.setText(_("This run has no recorded epochs to replay."))
            return False
        events = []
        if getattr(run, "stopped_reason", "") == "early_stopping":
            events.append({"epoch": int(run.epochs_run), "kind": "early_stopping",
                           "value": int(run.best_epoch)})
        snapshots = self.state.weight_snapshots.get(getattr(run, "id", None))
        return self._start_replay(history, snapshots, best_epoch=int(run.best_epoch),
                                  events=events, training=run.training,
                                  metrics=list(run.compile.get("metrics", []) or []),
                                  loss=str(run.compile.get("loss", "") or ""),
                                  latest=False, label=run.label)

    def _start_replay(self, history: dict, snapshots: Any, *, best_epoch: int, events: list,
                      training: Any, metrics: list, loss: str, latest: bool,
                      label: str = "") -> bool:
        self.replay.cancel()
        self._replay_info = {"best_epoch": best_epoch, "events": events, "latest": latest,
                             "label": label, "weights": bool(snapshots),
                             "loss_hint": self.panel.loss_hint(loss) if loss else "",
                             "monitor": monitor_of(training) if training is not None
                             else "val_loss", "metrics": metrics}
        self.panel.reading_box.setVisible(False)
        self.replay.set_speed(self.speed)
        return self.replay.start(history, snapshots)

    def stop_replay(self) -> None:
        self.replay.stop()

    @Slot(int)
    def _on_replay_started(self, epochs: int) -> None:
        info = self._replay_info
        self.panel.curves.begin(epochs, monitor=info.get("monitor", "val_loss"),
                          loss_name=info.get("loss_hint", ""), metrics=info.get("metrics", []))
        self.panel.progress.setValue(0)
        self.panel.progress.setFormat(_("Replay: epoch {epoch}/{n}", epoch=0, n=epochs))
        self.panel.running_label.setText(" ")
        label = info.get("label")
        if not label:
            text = _("Replaying the last run…")
        elif info.get("weights"):
            text = _("Replaying run {run}…", run=label)
        else:
            text = _("Replaying run {run}… (the canvas replays the weights of the latest run "
                     "only)", run=label)
        self.panel.status_label.setText(text)

    @Slot(int, dict)
    def _on_replay_frame(self, epoch: int, logs: dict) -> None:
        self.panel.curves.add_epoch(epoch, logs)
        self.panel.curves.flush()
        self.panel.running_label.setText(epoch_text(epoch, logs))
        n = max(1, self.replay.total_epochs)
        self.panel.progress.setValue(int(1000 * epoch / n))
        self.panel.progress.setFormat(_("Replay: epoch {epoch}/{n}", epoch=epoch, n=n))

    @Slot(int, object)
    def _on_replay_weights(self, epoch: int, kernels: object) -> None:
        self.state.show_replay_weights(epoch, kernels)

    @Slot()
    def _on_replay_finished(self) -> None:
        info = self._replay_info
        self.panel.curves.finish(SimpleNamespace(best_epoch=info.get("best_epoch", 0),
                                           events=info.get("events", [])))
        n = self.replay.total_epochs
        self.panel.progress.setValue(1000)
        self.panel.progress.setFormat(_("Replay: epoch {epoch}/{n}", epoch=n, n=n))
        self.panel.status_label.setText(ngettext("Replay finished: {n} epoch.",
                                                   "Replay finished: {n} epochs.", n))
        if info.get("latest"):
            self.panel.show_readings()

    def on_pause_clicked(self) -> None:
        if self.replay.is_active and not self.panel.controller.is_running:
            if self.replay.is_paused:
                self.replay.resume()
            else:
                self.replay.pause()
            return
        if self.panel.controller.is_paused:
            self.panel.resume_training()
        else:
            self.panel.pause_training()

    def refresh(self) -> None:
        running = self.panel.controller.is_running
        replaying = self.replay.is_active
        reason = None if running else self.panel.blocked_reason()
        self.step_button.setEnabled(replaying or running or reason is None)
        self.replay_button.setEnabled(self.can_replay())
        if replaying and not running:
            self.panel.pause_button.setEnabled(True)
            self.panel.stop_button.setEnabled(True)
            paused = self.replay.is_paused
            self.panel.pause_button.setText(_("Resume") if paused else _("Pause"))
            self.panel.pause_button.setIcon(self.panel.style().standardIcon(
                QStyle.StandardPixmap.SP_MediaPlay if paused
                else QStyle.StandardPixmap.SP_MediaPause))
