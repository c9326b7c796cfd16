"""Replay's building blocks without Qt: bounded weight snapshots, history frames, and
TrainControl's step and slow motion (waited in the caller's thread, cut short by stop)."""

from __future__ import annotations

import itertools
import threading
import time

import numpy as np
import pytest

from studio.core.replay import (
    ReducedKernel,
    WeightSnapshots,
    epochs_per_tick,
    history_length,
    replay_frames,
)
from studio.core.train_control import TrainControl


def test_snapshots_keep_every_epoch_while_few():
    snaps = WeightSnapshots(max_snapshots=10)
    for e in range(1, 6):
        snaps.add(e, [np.full((2, 3), float(e))])
    assert snaps.epochs() == [1, 2, 3, 4, 5]
    assert snaps.at(3)[0][0, 0] == 3.0
    assert snaps.at(0) is None


def test_snapshots_stay_bounded_and_evenly_spaced_with_the_last_kept():
    snaps = WeightSnapshots(max_snapshots=200)
    for e in range(1, 1001):
        snaps.add(e, [np.full((4, 2), float(e))])
    epochs = snaps.epochs()
    assert len(epochs) <= 201 and epochs[0] == 1 and epochs[-1] == 1000
    steps = {b - a for a, b in itertools.pairwise(epochs[:-1])}
    assert steps == {snaps.stride}                     # even spacing
    assert snaps.at(1000)[0][0, 0] == 1000.0            # the final weights
    assert snaps.at(snaps.stride + 1)[0][0, 0] == snaps.stride + 1


def test_snapshots_keep_only_the_drawn_neurons():
    def keep(n):
        return list(range(min(n, 8))) + ([n - 1] if n > 10 else [])

    snaps = WeightSnapshots(keep=keep)
    big = np.arange(784 * 512, dtype=np.float32).reshape(784, 512)
    for e in range(1, 301):
        snaps.add(e, [big])
    assert snaps.nbytes < 200 * 1024                    # not 300 copies of 1.6 MB
    full = snaps.at(300)[0]
    assert full.shape == (784, 512)
    rows, cols = keep(784), keep(512)
    assert np.array_equal(full[np.ix_(rows, cols)], big[np.ix_(rows, cols)])
    r = ReducedKernel.of(big, keep)
    assert r.values.shape == (9, 9)


def test_replay_frames_copy_the_history():
    history = {"loss": [1.0, 0.5, 0.25], "val_loss": [1.1, 0.6, 0.3], "accuracy": [0.5, 0.7]}
    frames = replay_frames(history)
    assert [f.epoch for f in frames] == [1, 2, 3]
    assert frames[1].logs == {"loss": 0.5, "val_loss": 0.6, "accuracy": 0.7}
    assert "accuracy" not in frames[2].logs
    frames[0].logs["loss"] = 99.0
    assert history["loss"][0] == 1.0
    assert history_length(history) == 3 and replay_frames({}) == []


def test_epochs_per_tick():
    assert epochs_per_tick(50, 0.05, 6.0) == 1
    assert epochs_per_tick(1000, 0.05, 6.0) == 9       # 1000 epochs in about 6 s
    assert epochs_per_tick(1000, 0.5, None) == 1


def _in_thread(fn):
    out: dict = {}

    def run():
        t0 = time.perf_counter()
        out["value"] = fn()
        out["seconds"] = time.perf_counter() - t0

    t = threading.Thread(target=run)
    t.start()
    return t, out


def test_slow_motion_waits_and_stop_cuts_it_short():
    c = TrainControl(epoch_delay=0.3)
    t0 = time.perf_counter()
    assert c.slow_motion() == pytest.approx(0.3, abs=0.1)
    assert time.perf_counter() - t0 >= 0.29
    c.epoch_delay = 30.0
    t, out = _in_thread(c.slow_motion)
    time.sleep(0.1)
    c.request_stop()
    t.join(2.0)
    assert not t.is_alive() and out["seconds"] < 0.5


def test_slow_motion_ends_on_pause_and_on_a_faster_speed():
    c = TrainControl(epoch_delay=30.0)
    t, out = _in_thread(c.slow_motion)
    time.sleep(0.1)
    c.pause()
    t.join(2.0)
    assert out["seconds"] < 0.5
    c.resume()
    t, out = _in_thread(c.slow_motion)
    time.sleep(0.1)
    c.epoch_delay = 0.0                                 # Normal speed chosen meanwhile
    t.join(2.0)
    assert out["seconds"] < 0.5


def test_step_pauses_at_the_epoch_end_and_resume_cancels_it():
    c = TrainControl()
    c.step()
    assert c.step_pending and not c.paused
    assert c.epoch_ended() is True and c.paused and not c.step_pending
    c.step()                                             # one more epoch
    assert not c.paused
    assert c.epoch_ended(last=True) is False and not c.paused   # the run ends anyway
    c.step()
    c.resume()                                           # Resume: run freely
    assert c.epoch_ended() is False and not c.paused
    c.step()
    c.request_stop()
    assert c.epoch_ended() is False and not c.paused
