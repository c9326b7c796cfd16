"""The Train step: Train is blocked with a visible reason, a real run fills the curves and the
state, the model saves; the curves' reading, the progress clock and the curves on their own."""

from __future__ import annotations

import math
from types import SimpleNamespace

import pytest

from studio.core.curve_reading import chance_loss, read_curves
from studio.ui.train.curves import LiveCurves
from studio.ui.train.panel import TrainPanel
from studio.ui.train.progress import (
    ProgressClock,
    finish_message,
    format_duration,
    last_epoch_text,
)


@pytest.fixture
def state(state):
    """conftest's iris state, trained for 3 epochs."""
    state.project.training.epochs = 3
    state.touch()
    return state


@pytest.fixture
def panel(qtbot, state):
    p = TrainPanel(state)
    qtbot.addWidget(p)
    p.resize(1280, 800)
    yield p
    assert p.shutdown(30000)


# -- the panel ------------------------------------------------------------------------------------

def test_train_waits_for_tensorflow(panel):
    assert not panel.train_button.isEnabled()
    assert "TensorFlow" in panel.reason_label.text()
    panel.set_tensorflow_ready(True, "CPU")
    assert panel.train_button.isEnabled()
    assert panel.reason_label.text() == ""
    assert panel.device_label.text() == "Device: CPU"


def test_train_disabled_while_the_doctor_finds_errors(panel, state):
    panel.set_tensorflow_ready(True, "CPU")
    state.project.compile.learning_rate = 1e6
    state.touch()
    assert state.has_errors
    first = next(f for f in state.findings if f.severity == "error")
    assert not panel.train_button.isEnabled()
    assert first.title in panel.reason_label.text()
    assert panel.start_training() is False
    state.project.compile.learning_rate = 0.01
    state.touch()
    assert panel.train_button.isEnabled() and panel.reason_label.text() == ""


def test_a_run_fills_the_curves_and_the_state(qtbot, panel, state, tmp_path):
    from PySide6.QtCore import Qt

    panel.set_tensorflow_ready(True, "CPU")
    results = []
    state.sig_result_ready.connect(results.append)
    with qtbot.waitSignal(state.sig_result_ready, timeout=60000):
        qtbot.mouseClick(panel.train_button, Qt.MouseButton.LeftButton)
        assert not panel.train_button.isEnabled()
        assert panel.stop_button.isEnabled() and panel.pause_button.isEnabled()
    result = results[0]
    assert state.result is result
    for key in ("loss", "val_loss", "accuracy", "val_accuracy"):
        curve = panel.curves.curve(key)
        assert len(curve.xData) == 3
        x, y = curve.getData()
        assert len(x) == len(y) == 3
        assert list(y) == pytest.approx(result.history[key])
    assert panel.curves.epochs == [1, 2, 3]
    assert set(panel.curves.plots) >= {"loss", "accuracy"}
    assert panel.curves.best_epoch == result.best_epoch
    assert panel.status_label.text() == finish_message(result)
    assert panel.progress.value() == 1000
    assert panel.readings and panel.reading_box.isVisibleTo(panel)
    assert panel.readings[0].title in panel.reading_label.text()
    assert "val_loss" in panel.running_label.fullText()
    qtbot.waitUntil(lambda: not panel.controller.is_running, timeout=10000)
    assert panel.train_button.isEnabled() and not panel.stop_button.isEnabled()
    assert panel.save_button.isEnabled()
    out = panel.save_model(str(tmp_path / "run"))
    assert out is not None
    for name in ("model.keras", "preprocessing.json", "history.csv", "metrics.json"):
        assert (tmp_path / "run" / name).is_file()


def test_worker_error_reaches_the_user(qtbot, panel, state, monkeypatch):
    from studio.ui.train import worker as worker_module

    def broken(*args, **kwargs):
        raise ValueError("boom")

    monkeypatch.setattr(worker_module, "train", broken)
    panel.set_tensorflow_ready(True, "CPU")
    with qtbot.waitSignal(state.sig_error, timeout=10000) as blocker:
        panel.start_training()
    assert "boom" in blocker.args[0]
    assert "boom" in panel.status_label.text()
    qtbot.waitUntil(lambda: not panel.controller.is_running, timeout=10000)
    assert panel.train_button.isEnabled()


# -- the curves on their own ---------------------------------------------------------------------

def test_curves_annotate_learning_rate_changes_and_early_stopping(qtbot):
    curves = LiveCurves()
    qtbot.addWidget(curves)
    curves.begin(10)
    for epoch, lr in enumerate([1e-3, 1e-3, 5e-4, 5e-4, 2.5e-4], start=1):
        curves.add_epoch(epoch, {"loss": 1 / epoch, "val_loss": 1 / epoch + 0.1,
                                 "mae": 2 / epoch, "val_mae": 2 / epoch,
                                 "learning_rate": lr, "seconds": 0.1})
    assert [(a.kind, a.epoch) for a in curves.annotations] == [("learning_rate", 3),
                                                               ("learning_rate", 5)]
    assert curves.best_epoch == 5
    curves.flush()
    assert "learning_rate" not in curves.plots and "seconds" not in curves.plots
    assert len(curves.curve("val_mae").xData) == 5
    result = SimpleNamespace(best_epoch=4, events=[
        {"epoch": 3, "kind": "learning_rate", "value": 5e-4},
        {"epoch": 5, "kind": "early_stopping", "value": 4}])
    curves.finish(result)
    assert [(a.kind, a.epoch) for a in curves.annotations][-1] == ("early_stopping", 5)
    assert len(curves.annotations) == 3          # the lr change at 3 is not drawn twice
    assert curves.best_epoch == 4


def test_curves_redraw_from_a_timer_not_per_epoch(qtbot):
    curves = LiveCurves()
    qtbot.addWidget(curves)
    curves.begin(100)
    curves.add_epoch(1, {"loss": 1.0, "val_loss": 1.2})

    def drawn() -> int:
        x = curves.curve("loss").xData
        return 0 if x is None else len(x)

    assert drawn() == 0                  # the signal only stored the numbers
    qtbot.waitUntil(lambda: drawn() == 1, timeout=1000)


# -- pure helpers ------------------------------------------------------------------------------

def test_progress_clock_rates_and_eta():
    now = [0.0]
    clock = ProgressClock(total_epochs=10, batch_size=32, now=lambda: now[0])
    now[0] = 3.0                         # graph compilation: not counted
    clock.update(1, 1, 10)
    now[0] = 4.0
    clock.update(1, 11 - 1, 10)          # 9 more steps in 1 s
    assert clock.steps_per_second == pytest.approx(9.0)
    assert clock.samples_per_second == pytest.approx(9.0 * 32)
    assert clock.eta_seconds == pytest.approx((100 - 10) / 9.0)
    clock.pause()
    now[0] = 100.0                       # paused time does not count
    clock.resume()
    assert clock.steps_per_second == pytest.approx(9.0)
    clock.epoch_done(1)
    assert clock.fraction == pytest.approx(0.1)
    assert format_duration(75) == "1:15" and format_duration(3725) == "1:02:05"


def test_finish_message_and_last_epoch():
    r = SimpleNamespace(epochs_run=34, best_epoch=24, stopped_reason="early_stopping",
                        seconds=3.2)
    assert finish_message(r) == "Early stopping at epoch 34, best epoch 24 restored."
    assert "loss 0.5 · val_loss 0.6 · accuracy 0.9" in last_epoch_text(
        {"accuracy": [0.9], "loss": [0.5], "val_loss": [0.6], "learning_rate": [0.001]})


def _decay(n, start=1.0, rate=10.0, floor=0.05):
    return [start * math.exp(-i / rate) + floor for i in range(n)]


def test_reading_overfitting_names_the_epoch():
    train = _decay(60)
    val = [v + 0.05 + max(0, i - 20) * 0.01 for i, v in enumerate(_decay(60))]
    r = read_curves({"loss": train, "val_loss": val})
    assert r[0].kind == "overfitting"
    assert r[0].epoch == int(min(range(60), key=val.__getitem__)) + 1
    assert "Dropout" in r[0].fix
    r2 = read_curves({"loss": train, "val_loss": val}, has_dropout=True)
    assert "Raise the Dropout rate" in r2[0].fix


def test_reading_still_improving_suggests_more_epochs():
    r = read_curves({"loss": [1 - i * 0.01 for i in range(30)],
                     "val_loss": [1.05 - i * 0.01 for i in range(30)]})
    assert [x.kind for x in r] == ["still_improving"]
    assert "more epochs" in r[0].fix


def test_reading_underfitting_against_chance():
    flat = {"loss": [1.09, 1.085, 1.08, 1.08, 1.08, 1.08, 1.08, 1.08],
            "val_loss": [1.1] * 8}
    r = read_curves(flat, task="multiclass", n_classes=3)
    assert r[0].kind == "underfitting"
    assert chance_loss("multiclass", None, 3) == pytest.approx(math.log(3))
    assert chance_loss("regression", "mse") == 1.0


def test_reading_unstable_and_good_and_short():
    zigzag = [1, 0.6, 0.9, 0.5, 1.1, 0.4, 1.0, 0.6, 1.2, 0.5]
    r = read_curves({"loss": zigzag, "val_loss": [v + 0.1 for v in zigzag]})
    assert [x.kind for x in r] == ["unstable"]
    assert "learning rate" in r[0].fix
    settled = _decay(40)[:30] + [_decay(40)[29]] * 10
    good = read_curves({"loss": settled, "val_loss": [v + 0.05 for v in settled]},
                       stopped_reason="early_stopping", best_epoch=31)
    assert [x.kind for x in good] == ["good"]
    assert read_curves({"loss": [1.0, 0.5]})[0].kind == "too_short"
