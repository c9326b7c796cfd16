"""Replaying a finished run: its curves epoch by epoch and, when they were recorded, the
weights the canvas colours its connections by.

:class:`WeightSnapshots` keeps a bounded, evenly spaced record of a run's Dense kernels: at
most ``max_snapshots`` epochs (plus always the last one), each kernel cut down to the neurons
the canvas draws (``keep``), so a long run of a wide network costs kilobytes, not gigabytes.
:func:`replay_frames` turns a run's history into what a replay shows at each tick. Pure Python
(no Qt): the training thread records, the GUI thread reads.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

#: At most this many epochs' weights are kept for a replay (evenly spaced over the run).
MAX_SNAPSHOTS = 200

KeepFn = Callable[[int], Sequence[int]]


@dataclass(frozen=True)
class ReducedKernel:
    """A Dense kernel cut down to the rows and columns that are drawn."""

    shape: tuple[int, int]
    rows: np.ndarray
    cols: np.ndarray
    values: np.ndarray          # len(rows) x len(cols), float32

    @classmethod
    def of(cls, kernel: np.ndarray, keep: KeepFn | None) -> ReducedKernel:
        k = np.asarray(kernel)
        n_in, n_out = (int(k.shape[0]), int(k.shape[1])) if k.ndim == 2 else (0, 0)
        rows = np.arange(n_in) if keep is None else np.asarray(list(keep(n_in)), dtype=int)
        cols = np.arange(n_out) if keep is None else np.asarray(list(keep(n_out)), dtype=int)
        values = k[np.ix_(rows, cols)].astype(np.float32, copy=True) if k.ndim == 2 \
            else np.zeros((0, 0), np.float32)
        return cls((n_in, n_out), rows, cols, values)

    def full(self) -> np.ndarray:
        """The kernel's shape with the kept values in place and zeros elsewhere (the canvas
        only looks at the kept neurons)."""
        out = np.zeros(self.shape, dtype=np.float32)
        if self.values.size:
            out[np.ix_(self.rows, self.cols)] = self.values
        return out

    @property
    def nbytes(self) -> int:
        return int(self.values.nbytes + self.rows.nbytes + self.cols.nbytes)


class WeightSnapshots:
    """Per-epoch Dense kernels of one run, bounded in count and size (see the module doc).

    Epochs are kept on a stride that doubles whenever more than ``max_snapshots`` would be
    kept (1, 2, 3, … then 1, 3, 5, … then 1, 5, 9, …), and the latest epoch is always kept, so
    a replay shows the run from its first to its last weights. Thread-safe.
    """

    def __init__(self, max_snapshots: int = MAX_SNAPSHOTS, keep: KeepFn | None = None) -> None:
        self.max_snapshots = max(2, int(max_snapshots))
        self._keep = keep
        self._stride = 1
        self._kept: dict[int, list[ReducedKernel]] = {}
        self._last: tuple[int, list[ReducedKernel]] | None = None
        self._lock = threading.Lock()

    def add(self, epoch: int, kernels: Sequence[np.ndarray]) -> None:
        """Record ``kernels`` (copies are made) after ``epoch`` (1-based)."""
        epoch = int(epoch)
        reduced = [ReducedKernel.of(k, self._keep) for k in kernels]
        with self._lock:
            self._last = (epoch, reduced)
            if (epoch - 1) % self._stride:
                return
            self._kept[epoch] = reduced
            while len(self._kept) > self.max_snapshots:
                self._stride *= 2
                self._kept = {e: v for e, v in self._kept.items()
                              if (e - 1) % self._stride == 0}

    @property
    def stride(self) -> int:
        return self._stride

    def epochs(self) -> list[int]:
        """The epochs whose weights are kept, in order (the latest always among them)."""
        with self._lock:
            out = sorted(self._kept)
            if self._last is not None and self._last[0] not in self._kept:
                out.append(self._last[0])
            return out

    def __len__(self) -> int:
        return len(self.epochs())

    def __bool__(self) -> bool:
        return self._last is not None

    @property
    def nbytes(self) -> int:
        with self._lock:
            snaps = list(self._kept.values()) + ([self._last[1]] if self._last else [])
        return sum(k.nbytes for snap in snaps for k in snap)

    def at(self, epoch: int) -> list[np.ndarray] | None:
        """The kernels as the canvas takes them, from the latest kept epoch at or before
        ``epoch``; None before the first kept epoch."""
        with self._lock:
            candidates = [e for e in self._kept if e <= epoch]
            best = max(candidates) if candidates else None
            snap = self._kept.get(best) if best is not None else None
            if self._last is not None and self._last[0] <= epoch and (
                    best is None or self._last[0] > best):
                snap = self._last[1]
        return None if snap is None else [k.full() for k in snap]


@dataclass
class ReplayFrame:
    epoch: int                          # 1-based
    logs: dict[str, float]              # that epoch's numbers, as on_epoch sent them


def history_length(history: dict[str, Sequence[float]]) -> int:
    return max((len(v) for v in history.values()), default=0)


def replay_frames(history: dict[str, Sequence[float]]) -> list[ReplayFrame]:
    """One frame per epoch of ``history`` (a run's ``{key: [value per epoch]}``), with the
    values copied as plain floats; a key shorter than the run leaves its later epochs out."""
    n = history_length(history)
    return [ReplayFrame(e + 1, {str(k): float(v[e]) for k, v in history.items()
                                if e < len(v) and _is_number(v[e])})
            for e in range(n)]


def epochs_per_tick(n_epochs: int, interval_s: float, longest_s: float | None) -> int:
    """How many epochs one tick of a replay shows: 1, or more when a replay of ``n_epochs``
    at one per ``interval_s`` would take longer than ``longest_s`` (None: no limit)."""
    if longest_s is None or n_epochs <= 0 or interval_s <= 0:
        return 1
    ticks = max(1.0, longest_s / interval_s)
    return max(1, math.ceil(n_epochs / ticks))


def _is_number(v: object) -> bool:
    try:
        float(v)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False
    return True
