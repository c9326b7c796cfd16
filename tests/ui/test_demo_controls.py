"""Demo controls for the classroom projector: Step (one epoch per click), slow motion (a delay
after each epoch, cut short by Stop), Replay of a finished run (curves point by point, canvas
weights, the run left unchanged), and presentation mode's thick canvas lines, scaled metric
cards and plot text, and data-table headers that fit at 1024x768 in Korean."""

from __future__ import annotations

import copy
import itertools
import time

import pytest
from PySide6.QtCore import Qt

from studio.core import i18n
from studio.ui.design.panel import CanvasPanel
from studio.ui.experiments.runs_view import RunsView
from studio.ui.train.panel import TrainPanel
from studio.ui.train.replay import REPLAY_INTERVAL, TRAIN_DELAY


@pytest.fixture
def state(state):
    """conftest's iris state: a tiny net, 4 epochs, no early stopping."""
    proj = state.project
    proj.training.epochs = 4
    proj.training.batch_size = 32
    proj.training.early_stopping.enabled = False
    hidden = next(la for la in proj.design.hidden if la.kind == "dense")
    hidden.units = 8
    state.touch(design=True)
    return state


@pytest.fixture
def panel(qtbot, state):
    p = TrainPanel(state)
    qtbot.addWidget(p)
    p.resize(1280, 800)
    p.set_tensorflow_ready(True, "CPU")
    yield p
    assert p.shutdown(30000)


def _train(qtbot, panel, state):
    with qtbot.waitSignal(state.sig_result_ready, timeout=60000) as blocker:
        assert panel.start_training()
    qtbot.waitUntil(lambda: not panel.controller.is_running, timeout=10000)
    return blocker.args[0]


# -- Step ------------------------------------------------------------------------------------------

def test_step_trains_exactly_one_epoch_per_click(qtbot, panel, state):
    weights: list[int] = []
    panel.controller.sig_weights.connect(lambda epoch, _k: weights.append(epoch))
    assert panel.demo.step_button.isEnabled() and not panel.controller.is_running
    qtbot.mouseClick(panel.demo.step_button, Qt.MouseButton.LeftButton)    # no run: start one
    for n in (1, 2, 3):
        qtbot.waitUntil(lambda n=n: len(panel.curves.epochs) == n
                        and panel.controller.is_paused, timeout=60000)
        qtbot.wait(200)                                       # nothing more while paused
        assert panel.curves.epochs == list(range(1, n + 1))
        assert all(len(v) == n for v in panel.curves.series.values())
        assert panel.controller.is_running and panel.controller.is_paused
        assert panel.pause_button.text() == "Resume"
        assert f"epoch {n}" in panel.status_label.text()
        qtbot.waitUntil(lambda n=n: n in weights, timeout=5000)   # the canvas sees each step
        qtbot.mouseClick(panel.demo.step_button, Qt.MouseButton.LeftButton)
    # the fourth click trains the last epoch: the run ends instead of pausing
    qtbot.waitUntil(lambda: state.result is not None and not panel.controller.is_running,
                    timeout=60000)
    assert state.result.epochs_run == 4
    assert all(len(v) == 4 for v in state.result.history.values())
    assert state.result.stopped_reason == "completed"


def test_resume_after_a_step_trains_the_rest(qtbot, panel, state):
    assert panel.demo.step_training()
    qtbot.waitUntil(lambda: panel.controller.is_paused, timeout=60000)
    with qtbot.waitSignal(state.sig_result_ready, timeout=60000):
        qtbot.mouseClick(panel.pause_button, Qt.MouseButton.LeftButton)   # Resume
    assert state.result.epochs_run == 4


def test_the_step_key_trains_one_epoch(qtbot, panel, state):
    from PySide6.QtGui import QKeySequence
    from PySide6.QtWidgets import QApplication

    from studio.ui.train.demo import STEP_KEY

    # a key no other shortcut of the window uses
    window_keys = {"F5", "F1", "PgUp", "PgDown", "Ctrl+Tab", "Ctrl+Shift+Tab", "Ctrl+D"}
    assert STEP_KEY not in window_keys | {f"Ctrl+{i}" for i in range(1, 10)}
    assert panel.demo.step_action.shortcut() == QKeySequence(STEP_KEY)
    assert STEP_KEY in panel.demo.step_button.toolTip()
    panel.show()
    qtbot.waitExposed(panel)
    panel.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is panel, timeout=5000)
    qtbot.keyClick(panel.demo.speed_box, Qt.Key.Key_F10)      # the focus anywhere in the panel
    qtbot.waitUntil(lambda: len(panel.curves.epochs) == 1 and panel.controller.is_paused,
                    timeout=60000)
    qtbot.keyClick(panel, Qt.Key.Key_F10)                # the next epoch
    qtbot.waitUntil(lambda: len(panel.curves.epochs) == 2 and panel.controller.is_paused,
                    timeout=60000)
    panel.stop_training()


def test_the_speed_is_remembered_for_the_next_session(qtbot, panel, state):
    from studio.ui.common.qt_settings import StudioSettings

    assert panel.demo.speed == "normal"                        # nothing chosen yet
    panel.demo.speed_box.setCurrentIndex(panel.demo.speed_box.findData("very_slow"))
    assert StudioSettings().demo_speed() == "very_slow"
    later = TrainPanel(state)                             # the next session's panel
    qtbot.addWidget(later)
    assert later.demo.speed == "very_slow"
    assert later.controller.epoch_delay == TRAIN_DELAY["very_slow"]
    assert later.demo.speed_box.currentText() == later.demo.speed_box.itemText(
        later.demo.speed_box.findData("very_slow"))
    assert later.shutdown(30000)


# -- slow motion -----------------------------------------------------------------------------------

def test_slow_motion_delays_each_epoch(qtbot, panel, state):
    panel.demo.speed_box.setCurrentIndex(panel.demo.speed_box.findData("slow"))
    assert panel.controller.epoch_delay == TRAIN_DELAY["slow"] > 0
    arrivals: list[float] = []
    panel.controller.sig_epoch_finished.connect(lambda *_a: arrivals.append(time.monotonic()))
    state.project.training.epochs = 3
    _train(qtbot, panel, state)
    gaps = [b - a for a, b in itertools.pairwise(arrivals)]
    assert len(gaps) == 2 and min(gaps) >= TRAIN_DELAY["slow"] * 0.9


def test_stop_during_a_slow_motion_delay_ends_quickly(qtbot, panel, state):
    panel.controller.set_epoch_delay(30.0)             # a delay nobody waits for
    state.project.training.epochs = 50
    with qtbot.waitSignal(panel.controller.sig_epoch_finished, timeout=60000):
        panel.start_training()
    qtbot.wait(100)                                    # the training thread is in the delay
    start = time.monotonic()
    with qtbot.waitSignal(state.sig_result_ready, timeout=5000):
        qtbot.mouseClick(panel.stop_button, Qt.MouseButton.LeftButton)
    assert time.monotonic() - start < 1.5              # the test split's evaluation included
    assert state.result.stopped_reason == "stopped" and state.result.epochs_run == 1


def test_the_gui_thread_never_waits_during_slow_motion(qtbot, panel, state):
    from PySide6.QtCore import QTimer

    panel.controller.set_epoch_delay(0.8)
    state.project.training.epochs = 3
    epochs: list[float] = []
    panel.controller.sig_epoch_finished.connect(lambda *_a: epochs.append(time.monotonic()))
    ticks: list[float] = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(time.monotonic()))
    timer.start(20)
    _train(qtbot, panel, state)
    timer.stop()
    # between the first and the last epoch the run spends 1.6 s in slow-motion delays
    during = [t for t in ticks if epochs[0] <= t <= epochs[-1]]
    gaps = [b - a for a, b in itertools.pairwise(during)]
    assert epochs[-1] - epochs[0] >= 1.5 and len(during) > 20
    assert max(gaps) < 0.5                             # the delays happen in the worker


# -- replay ----------------------------------------------------------------------------------------

def test_replay_reproduces_the_curves_point_by_point(qtbot, panel, state):
    canvas = CanvasPanel(state)
    qtbot.addWidget(canvas)
    result = _train(qtbot, panel, state)
    run = state.project.runs[-1]
    before_run, before_history = copy.deepcopy(run.to_dict()), copy.deepcopy(result.history)
    dirty, n_runs = state.dirty, len(state.project.runs)
    assert run.id in state.weight_snapshots                    # per-epoch weights, bounded
    assert state.weight_snapshots[run.id].epochs() == [1, 2, 3, 4]
    canvas.scene.set_weights(None)

    frames, shown = [], []
    panel.demo.replay.sig_frame.connect(lambda e, logs: frames.append((e, logs)))
    state.sig_replay_weights.connect(lambda e, _k: shown.append(e))
    assert panel.demo.replay_button.isEnabled()
    with qtbot.waitSignal(panel.demo.replay.sig_finished, timeout=10000):
        qtbot.mouseClick(panel.demo.replay_button, Qt.MouseButton.LeftButton)
        assert panel.demo.replay.is_active and panel.demo.replay.interval_ms == int(
            REPLAY_INTERVAL["normal"] * 1000)
    assert [e for e, _l in frames] == [1, 2, 3, 4]
    for e, logs in frames:
        assert logs == {k: v[e - 1] for k, v in result.history.items()}
    for key in ("loss", "val_loss", "accuracy", "val_accuracy"):
        x, y = panel.curves.curve(key).getData()
        assert list(x) == [1, 2, 3, 4] and list(y) == pytest.approx(result.history[key])
    assert shown == [1, 2, 3, 4]
    assert canvas.scene.line_styles                           # coloured by the weights
    assert run.to_dict() == before_run and result.history == before_history
    assert state.dirty == dirty and len(state.project.runs) == n_runs
    assert state.result is result
    assert "Replay finished" in panel.status_label.text()


def test_replay_pauses_steps_and_stops(qtbot, panel, state):
    _train(qtbot, panel, state)
    panel.demo.set_speed("very_slow")
    assert panel.demo.replay_latest()
    qtbot.mouseClick(panel.pause_button, Qt.MouseButton.LeftButton)
    assert panel.demo.replay.is_paused and panel.pause_button.text() == "Resume"
    qtbot.mouseClick(panel.demo.step_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(panel.demo.step_button, Qt.MouseButton.LeftButton)
    assert panel.curves.epochs == [1, 2] and panel.demo.replay.is_paused
    qtbot.wait(200)
    assert panel.curves.epochs == [1, 2]                    # paused: nothing more
    with qtbot.waitSignal(panel.demo.replay.sig_finished, timeout=2000):
        qtbot.mouseClick(panel.stop_button, Qt.MouseButton.LeftButton)
    assert panel.curves.epochs == [1, 2, 3, 4]              # Stop shows the whole run
    assert not panel.demo.replay.is_active and panel.train_button.isEnabled()


def test_replay_from_the_runs_dock(qtbot, panel, state):
    result = _train(qtbot, panel, state)
    runs = RunsView(state)
    qtbot.addWidget(runs)
    runs.select_rows([0])
    assert runs.replay_button.isEnabled()
    before = copy.deepcopy(state.project.runs[0].to_dict())
    with qtbot.waitSignal(panel.demo.replay.sig_finished, timeout=10000):
        qtbot.mouseClick(runs.replay_button, Qt.MouseButton.LeftButton)
    _x, y = panel.curves.curve("val_loss").getData()
    assert list(y) == pytest.approx(result.history["val_loss"])
    assert state.project.runs[0].to_dict() == before


def test_replay_waits_for_the_training(qtbot, panel, state):
    from studio.core.runs import RunRecord

    panel.controller.set_epoch_delay(30.0)
    with qtbot.waitSignal(panel.controller.sig_epoch_finished, timeout=60000):
        panel.start_training()
    run = RunRecord("x", "", [], {}, {}, {}, history={"loss": [1.0, 0.5]})
    assert not panel.demo.replay_button.isEnabled()
    assert panel.demo.replay_run(run) is False
    assert "training" in panel.status_label.text()
    panel.stop_training()


# -- presentation mode -----------------------------------------------------------------------------

def _connection_widths(scene) -> list[float]:
    return sorted(item.pen().widthF() for item in scene.connection_items)


def test_presentation_thickens_canvas_lines(window):
    canvas = window.page("design")
    scene = canvas.scene
    lines, neurons = _connection_widths(scene), scene.neuron_pen_width()
    assert lines and neurons > 0
    window.classroom.set_presentation(True)
    assert scene.pen_scale > 1.5
    assert _connection_widths(scene) == pytest.approx([w * scene.pen_scale for w in lines])
    assert scene.neuron_pen_width() == pytest.approx(neurons * scene.pen_scale)
    canvas.redraw()                                       # an edit keeps the thick look
    assert _connection_widths(scene) == pytest.approx([w * scene.pen_scale for w in lines])
    window.classroom.set_presentation(False)
    assert _connection_widths(scene) == pytest.approx(lines)
    assert scene.neuron_pen_width() == pytest.approx(neurons)


def test_presentation_scales_metric_cards_and_plot_text(window):
    evaluate = window.page("evaluate")
    evaluate.cards.set_cards([("accuracy", "Accuracy", "0.93", "on the test split")])
    card = evaluate.cards.cards["accuracy"]
    curves = window.page("train").curves
    axis = curves.plots["loss"].getPlotItem().getAxis("bottom")
    value, hint = card.value_label.font().pointSizeF(), card.hint_label.font().pointSizeF()
    tick = axis.style["tickFont"].pointSizeF()
    window.classroom.set_presentation(True)
    big = card.value_label.font().pointSizeF()
    assert big > value and card.hint_label.font().pointSizeF() > hint
    assert axis.style["tickFont"].pointSizeF() > tick
    zoomed_tick = axis.style["tickFont"].pointSizeF()
    window.classroom.zoom_in()
    assert card.value_label.font().pointSizeF() > big
    assert axis.style["tickFont"].pointSizeF() > zoomed_tick
    window.classroom.set_presentation(False)
    assert card.value_label.font().pointSizeF() == pytest.approx(value)
    assert axis.style["tickFont"].pointSizeF() == pytest.approx(tick)


def test_the_empty_train_plot_hint_reads_on_the_dark_theme(window):
    curves = window.page("train").curves
    plot = curves.plots["loss"]

    def contrast() -> float:
        hint = curves.placeholder_colour().lightnessF()
        return abs(hint - plot.backgroundBrush().color().lightnessF())

    assert contrast() > 0.5
    window.classroom.set_presentation_theme("dark")
    window.classroom.set_presentation(True)
    try:
        assert plot.backgroundBrush().color().lightnessF() < 0.3       # a dark plot...
        assert curves.placeholder_colour().lightnessF() > 0.7           # ... light text
        assert contrast() > 0.5
    finally:
        window.classroom.set_presentation(False)
        window.classroom.set_presentation_theme("light")
    assert contrast() > 0.5 and curves.placeholder_colour().lightnessF() < 0.3


@pytest.fixture
def korean_presentation(window):
    """The window in Korean and presentation mode at 1024x768; English and the laptop look
    afterwards (the QApplication's font outlives the window)."""
    window.classroom.set_language("ko")
    window.resize(1024, 768)
    window.classroom.set_presentation(True)
    yield window
    window.classroom.set_presentation(False)
    window.classroom.set_language("en")
    i18n.set_language("en")


def test_data_headers_fit_at_1024x768_in_korean_presentation(korean_presentation, qtbot):
    window = korean_presentation
    window.show_step("data")
    qtbot.wait(300)                  # the look follows the window's final size
    view = window.data_panel.column_view
    header = view.horizontalHeader()
    model = view.model()
    texts = [str(model.headerData(c, Qt.Orientation.Horizontal)) for c in
             range(model.columnCount())]
    assert "결측치 처리" in texts and "스케일링" in texts
    assert window.data_panel.cut_headers() == []
    for c, text in enumerate(texts):             # and the test's own measure
        if text:
            assert header.sectionSize(c) >= min(
                header.fontMetrics().horizontalAdvance(w) for w in text.split()) + 12, text
    tips = [model.headerData(c, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
            for c in range(model.columnCount() - 1)]
    assert all(tips)
    for _ in range(3):               # Ctrl+plus: larger still, the headers still fit
        window.classroom.zoom_in()
    qtbot.wait(300)
    assert window.data_panel.cut_headers() == []
