"""Pause, resume, step and stop for a training run (:class:`TrainControl`), shared between the
caller's thread (the GUI, a test) and the thread that trains."""

from __future__ import annotations

import threading
import time


class TrainControl:
    """Pause, resume, step and stop, shared between the caller's thread and the training
    thread, and the slow-motion delay between epochs (classroom demos).

    ``step()`` lets the run train to the end of the current epoch (one whole epoch when it
    was paused between epochs) and pause there; ``epoch_delay`` (seconds) is waited after
    each epoch in the training thread, cut short by a stop, a pause or a faster speed.
    """

    #: How often a slow-motion delay looks at stop, pause and speed changes (seconds).
    DELAY_POLL = 0.05

    def __init__(self, epoch_delay: float = 0.0) -> None:
        self._stop = threading.Event()
        self._running = threading.Event()
        self._running.set()
        self._lock = threading.Lock()
        self._step_pending = False
        self.epoch_delay = max(0.0, float(epoch_delay))

    def request_stop(self) -> None:
        self._stop.set()
        self._running.set()  # a paused run must wake up to stop

    def pause(self) -> None:
        self._running.clear()

    def resume(self) -> None:
        """Run freely again (a pending step no longer pauses at the epoch's end)."""
        with self._lock:
            self._step_pending = False
        self._running.set()

    def step(self) -> None:
        """Train to the end of the current epoch, then pause (Step in the Train step)."""
        with self._lock:
            self._step_pending = True
        self._running.set()

    @property
    def step_pending(self) -> bool:
        return self._step_pending

    def epoch_ended(self, last: bool = False) -> bool:
        """Called by training after each epoch, before its hooks: pauses when a step asked
        for it (so the caller already reads ``paused`` when the epoch's numbers arrive), but
        not after the ``last`` epoch, where the run ends anyway. Returns True when it paused."""
        with self._lock:
            if not self._step_pending:
                return False
            self._step_pending = False
            if self._stop.is_set() or last:
                return False
            self._running.clear()
            return True

    def slow_motion(self) -> float:
        """Wait ``epoch_delay`` seconds (read again while waiting, so a faster speed cuts it
        short); return at once on stop or pause. Returns the seconds waited."""
        start = time.perf_counter()
        while not self._stop.is_set() and self._running.is_set():
            left = self.epoch_delay - (time.perf_counter() - start)
            if left <= 0:
                break
            self._stop.wait(min(self.DELAY_POLL, left))
        return time.perf_counter() - start

    @property
    def stop_requested(self) -> bool:
        return self._stop.is_set()

    @property
    def paused(self) -> bool:
        return not self._running.is_set()

    def wait_while_paused(self) -> None:
        while not self._running.wait(0.05):
            pass
