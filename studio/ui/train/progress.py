"""What the Train step says about a run in numbers and words: progress, ETA, throughput and
the closing line. Pure Python (no Qt), so it is tested without a window."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from studio.core.i18n import _, ngettext


def format_duration(seconds: float) -> str:
    """``75`` -> ``1:15``; ``3725`` -> ``1:02:05``."""
    s = max(0, round(seconds))
    h, rem = divmod(s, 3600)
    m, s = divmod(rem, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


class ProgressClock:
    """Fraction done, throughput and ETA from the hooks' plain numbers (pure, no Qt).

    Throughput is measured from the first report on, so the graph compilation before the first
    batch does not count; paused time does not count either.
    """

    def __init__(self, total_epochs: int, batch_size: int,
                 now: Callable[[], float] = time.monotonic) -> None:
        self.total_epochs = max(1, int(total_epochs))
        self.batch_size = max(1, int(batch_size))
        self.steps_per_epoch = 0
        self._now = now
        self._paused_at: float | None = None
        self._paused = 0.0
        self._first: tuple[float, int] | None = None   # (active time, steps done)
        self.epoch = 0
        self.done_steps = 0

    def _active(self) -> float:
        t = self._now() - self._paused
        return t - (self._now() - self._paused_at) if self._paused_at is not None else t

    def pause(self) -> None:
        if self._paused_at is None:
            self._paused_at = self._now()

    def resume(self) -> None:
        if self._paused_at is not None:
            self._paused += self._now() - self._paused_at
            self._paused_at = None

    def update(self, epoch: int, step: int = 0, steps: int = 0) -> None:
        if steps:
            self.steps_per_epoch = steps
        self.epoch = epoch
        if self.steps_per_epoch:
            self.done_steps = (epoch - 1) * self.steps_per_epoch + step
            if self._first is None:
                self._first = (self._active(), self.done_steps)

    def epoch_done(self, epoch: int) -> None:
        self.epoch = epoch
        if self.steps_per_epoch:
            self.update(epoch, self.steps_per_epoch)

    @property
    def fraction(self) -> float:
        if self.steps_per_epoch:
            return min(1.0, self.done_steps / (self.total_epochs * self.steps_per_epoch))
        return min(1.0, self.epoch / self.total_epochs)

    @property
    def steps_per_second(self) -> float | None:
        if self._first is None:
            return None
        dt = self._active() - self._first[0]
        ds = self.done_steps - self._first[1]
        return ds / dt if dt > 0.05 and ds > 0 else None

    @property
    def samples_per_second(self) -> float | None:
        sps = self.steps_per_second
        return sps * self.batch_size if sps is not None else None

    @property
    def eta_seconds(self) -> float | None:
        sps = self.steps_per_second
        if sps is None:
            return None
        remaining = self.total_epochs * self.steps_per_epoch - self.done_steps
        return max(0.0, remaining / sps)


def finish_message(result: Any, restore_best: bool = True) -> str:
    """The one line under the curves when a run ends."""
    n, best = result.epochs_run, result.best_epoch
    if result.stopped_reason == "early_stopping":
        if restore_best:
            return _("Early stopping at epoch {n}, best epoch {best} restored.", n=n, best=best)
        return _("Early stopping at epoch {n}; the best epoch was {best}.", n=n, best=best)
    if result.stopped_reason == "stopped":
        return _("Stopped by you after epoch {n} ({sec:.1f} s); the best epoch was {best}.",
                 n=n, sec=result.seconds, best=best)
    return ngettext("Finished {n} epoch in {sec:.1f} s; the best epoch was {best}.",
                    "Finished {n} epochs in {sec:.1f} s; the best epoch was {best}.", n,
                    sec=result.seconds, best=best)


def last_epoch_text(history: dict[str, list[float]]) -> str:
    """``Last epoch: loss 0.107 · val_loss 0.104 · accuracy 0.962 · val_accuracy 0.957``."""
    keys = [k for k in history if k not in ("learning_rate", "seconds") and history[k]]
    keys.sort(key=lambda k: (k.removeprefix("val_") != "loss", k.removeprefix("val_"),
                             k.startswith("val_")))
    if not keys:
        return " "
    parts = [f"{k} {history[k][-1]:.4g}" for k in keys]
    return _("Last epoch: {values}", values=" · ".join(parts))
