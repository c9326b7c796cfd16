"""Demo speeds and the replay of a finished run, for teachers at a classroom projector.

:class:`ReplayPlayer` plays a run's history back epoch by epoch on a QTimer in the GUI thread
(it only emits numbers that are already there, so nothing blocks), with the canvas weights
when :class:`studio.core.replay.WeightSnapshots` were recorded for the run. It never changes the
run: the history is copied when the replay starts. The Train panel shows what it emits
(:mod:`studio.ui.train.demo`).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from studio.core.i18n import _
from studio.core.replay import epochs_per_tick, replay_frames
from studio.ui.common.diagram import visible_slots

SPEEDS = ("normal", "slow", "very_slow")
#: Seconds the training thread waits after each epoch (slow motion).
TRAIN_DELAY = {"normal": 0.0, "slow": 0.5, "very_slow": 1.5}
#: Seconds between two epochs of a replay ...
REPLAY_INTERVAL = {"normal": 0.05, "slow": 0.5, "very_slow": 1.5}
#: ... unless the replay would take longer than this: then a tick shows several epochs.
REPLAY_LONGEST_S = {"normal": 6.0, "slow": 60.0, "very_slow": 150.0}


def speed_names() -> dict[str, str]:
    return {"normal": _("Normal"), "slow": _("Slow"), "very_slow": _("Very slow")}


def canvas_slots(units: int) -> list[int]:
    """The neurons the canvas draws of a layer this wide: what a weight snapshot keeps."""
    return [s for s in visible_slots(units) if s is not None]


class ReplayPlayer(QObject):
    """Plays frames of a run's history on a timer: start, pause, resume, step, stop."""

    sig_started = Signal(int)              # epochs in the replay
    sig_frame = Signal(int, dict)          # epoch (1-based), that epoch's numbers
    sig_weights = Signal(int, object)      # epoch, Dense kernels (when recorded)
    sig_finished = Signal()                # the last epoch was shown (or the replay stopped)
    sig_state_changed = Signal()           # started, paused, resumed or ended

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.timeout.connect(self._on_tick)
        self._frames: list = []
        self._next = 0
        self._snapshots: Any = None
        self._speed = "normal"
        self._paused = False

    # -- state ------------------------------------------------------------------------------
    @property
    def is_active(self) -> bool:
        return bool(self._frames) and self._next < len(self._frames)

    @property
    def is_paused(self) -> bool:
        return self.is_active and self._paused

    @property
    def epoch(self) -> int:
        """The last epoch shown (0 before the first)."""
        return self._frames[self._next - 1].epoch if self._next else 0

    @property
    def total_epochs(self) -> int:
        return len(self._frames)

    @property
    def speed(self) -> str:
        return self._speed

    @property
    def interval_ms(self) -> int:
        return self._timer.interval()

    # -- commands ---------------------------------------------------------------------------
    def start(self, history: dict[str, list[float]], snapshots: Any = None,
              paused: bool = False) -> bool:
        """Replay ``history`` (copied) from its first epoch. False when it has no epochs."""
        self._timer.stop()
        self._frames = replay_frames(history)
        self._next = 0
        self._snapshots = snapshots if snapshots else None
        self._paused = bool(paused)
        if not self._frames:
            return False
        self._apply_speed()
        self.sig_started.emit(len(self._frames))
        if not self._paused:
            self._timer.start()
        self.sig_state_changed.emit()
        return True

    def set_speed(self, speed: str) -> None:
        self._speed = speed if speed in SPEEDS else "normal"
        self._apply_speed()

    def pause(self) -> None:
        if self.is_active and not self._paused:
            self._paused = True
            self._timer.stop()
            self.sig_state_changed.emit()

    def resume(self) -> None:
        if self.is_active and self._paused:
            self._paused = False
            self._timer.start()
            self.sig_state_changed.emit()

    def step(self) -> None:
        """Show the next epoch and stay paused."""
        if not self.is_active:
            return
        was_paused = self._paused
        self._paused = True
        self._timer.stop()
        self._show(1)
        if self.is_active and not was_paused:
            self.sig_state_changed.emit()

    def stop(self) -> None:
        """End the replay now, showing the rest of the run at once."""
        if self.is_active:
            self._timer.stop()
            self._show(len(self._frames) - self._next)

    def cancel(self) -> None:
        """Drop the replay without showing the rest (a new run starts)."""
        self._timer.stop()
        was = self.is_active
        self._frames, self._next, self._snapshots = [], 0, None
        if was:
            self.sig_state_changed.emit()

    # -- internals --------------------------------------------------------------------------
    def _apply_speed(self) -> None:
        interval = REPLAY_INTERVAL[self._speed]
        self._per_tick = epochs_per_tick(len(self._frames), interval,
                                         REPLAY_LONGEST_S[self._speed])
        self._timer.setInterval(max(1, int(interval * 1000)))

    def _on_tick(self) -> None:
        self._show(self._per_tick)

    def _show(self, n: int) -> None:
        last = None
        for frame in self._frames[self._next:self._next + max(0, n)]:
            self.sig_frame.emit(frame.epoch, dict(frame.logs))
            last = frame.epoch
        self._next = min(len(self._frames), self._next + max(0, n))
        if last is not None and self._snapshots is not None:
            kernels = self._snapshots.at(last)
            if kernels is not None:
                self.sig_weights.emit(last, kernels)
        if self._frames and self._next >= len(self._frames):
            self._timer.stop()
            self._paused = False
            self.sig_finished.emit()
            self.sig_state_changed.emit()
