"""The Compile step's form mirrors project.compile and project.training both ways, without
echoing, and shows only the options that apply."""

from __future__ import annotations

import pytest

from studio.ui.compile.panel import SettingsPanel
from studio.ui.compile.widgets import LogSpinBox, code_text


@pytest.fixture
def panel(qtbot, state):
    p = SettingsPanel(state)
    qtbot.addWidget(p)
    p.resize(1000, 800)
    p.show()
    return p


def _choose(combo, value) -> None:
    combo.setCurrentIndex(combo.findData(value))
    combo.activated.emit(combo.currentIndex())


def test_form_shows_the_project(panel, state):
    c, t = state.project.compile, state.project.training
    assert panel.optimizer.currentData() == c.optimizer
    assert panel.learning_rate.value() == pytest.approx(c.learning_rate)
    assert panel.loss.currentData() == c.loss == "sparse_categorical_crossentropy"
    assert panel.epochs.value() == t.epochs
    assert panel.batch_size.value() == t.batch_size
    assert panel.es_box.isChecked() == t.early_stopping.enabled
    assert panel.es_patience.value() == t.early_stopping.patience
    assert panel.metric_checks["accuracy"].isChecked()
    # classification: classification metrics only; no SGD / AdamW / schedule rows yet
    assert panel.metric_checks["precision"].isVisible()
    assert not panel.metric_checks["r2"].isVisible()
    assert not panel.momentum.isVisible() and not panel.weight_decay.isVisible()
    assert not panel.sc_factor.isVisible()
    assert panel.class_weight.isEnabled()


def test_widgets_write_the_settings(panel, state):
    changes = []
    state.sig_project_changed.connect(lambda: changes.append(1))
    _choose(panel.optimizer, "sgd")
    assert panel.momentum.isVisible()
    panel.momentum.setValue(0.8)
    panel.learning_rate.setValue(0.005)
    _choose(panel.loss, "categorical_crossentropy")
    panel.metric_checks["auc"].setChecked(True)
    panel.epochs.setValue(12)
    panel.batch_size.setValue(64)
    _choose(panel.class_weight, "balanced")
    _choose(panel.device, "cpu")
    panel.seed.setValue(5)
    panel.es_patience.setValue(4)
    panel.es_restore.setChecked(False)
    _choose(panel.es_monitor, "val_auc")
    panel.es_box.setChecked(False)
    c, t = state.project.compile, state.project.training
    assert (c.optimizer, c.momentum, c.learning_rate, c.loss) == \
        ("sgd", pytest.approx(0.8), pytest.approx(0.005), "categorical_crossentropy")
    assert c.metrics == ["accuracy", "auc"]
    assert (t.epochs, t.batch_size, t.class_weight, t.device, t.seed) == \
        (12, 64, "balanced", "cpu", 5)
    es = t.early_stopping
    assert (es.enabled, es.patience, es.restore_best_weights, es.monitor) == \
        (False, 4, False, "val_auc")
    assert len(changes) == 14                # one touch per edit: no echo from refilling
    assert "SGD(learning_rate=0.005, momentum=0.8)" in panel.code.toPlainText()
    assert state.dirty


def test_schedule_parameters_show_only_when_relevant(panel, state):
    _choose(panel.schedule, "step")
    assert panel.sc_factor.isVisible() and panel.sc_step.isVisible()
    assert not panel.sc_patience.isVisible() and not panel.sc_decay.isVisible()
    panel.sc_step.setValue(7)
    panel.sc_factor.setValue(0.3)
    sc = state.project.training.schedule
    assert (sc.kind, sc.step_epochs, sc.factor) == ("step", 7, pytest.approx(0.3))
    _choose(panel.schedule, "plateau")
    assert panel.sc_patience.isVisible() and panel.sc_factor.isVisible()
    assert not panel.sc_step.isVisible()
    _choose(panel.schedule, "exponential")
    assert panel.sc_decay.isVisible() and not panel.sc_factor.isVisible()
    panel.sc_decay.setValue(0.9)
    assert state.project.training.schedule.decay_rate == pytest.approx(0.9)
    _choose(panel.schedule, "none")
    assert not panel.sc_min_lr.isVisible()
    assert "stays the same" in panel.sc_note.text()


def test_project_changes_update_the_widgets_without_echo(panel, state):
    changes = []
    state.sig_project_changed.connect(lambda: changes.append(1))
    c, t = state.project.compile, state.project.training
    c.learning_rate, c.optimizer = 0.02, "adamw"
    t.epochs, t.schedule.kind, t.schedule.patience = 33, "plateau", 3
    t.early_stopping.enabled = False
    state.touch()
    assert len(changes) == 1
    assert panel.learning_rate.value() == pytest.approx(0.02)
    assert panel.optimizer.currentData() == "adamw" and panel.weight_decay.isVisible()
    assert panel.epochs.value() == 33
    assert panel.schedule.currentData() == "plateau" and panel.sc_patience.value() == 3
    assert not panel.es_box.isChecked()
    assert (c.learning_rate, t.epochs) == (0.02, 33)          # nothing written back


def test_a_doctor_fix_shows_in_the_form(panel, state):
    state.project.compile.loss = "mse"
    state.touch()
    assert panel.loss.currentData() == "mse"
    fix = next(f for f in state.findings if f.action and f.action.get("op") == "set_loss")
    state.apply_fix(fix)
    assert panel.loss.currentData() == "sparse_categorical_crossentropy"


def test_regression_shows_regression_metrics(qtbot, studio_app):
    from studio.ui.state import StudioState

    s = StudioState()
    s.open_data("sample:diabetes", target="progression")
    p = SettingsPanel(s)
    qtbot.addWidget(p)
    p.show()
    assert p.metric_checks["mae"].isVisible() and p.metric_checks["r2"].isVisible()
    assert not p.metric_checks["accuracy"].isVisible()
    assert not p.class_weight.isEnabled()
    p.metric_checks["r2"].setChecked(True)
    assert "r2" in s.project.compile.metrics


def test_learning_rate_steps_like_a_teacher_would(qtbot):
    box = LogSpinBox()
    qtbot.addWidget(box)
    box.setValue(0.001)
    box.stepBy(1)
    assert box.value() == pytest.approx(0.003)
    box.stepBy(1)
    assert box.value() == pytest.approx(0.01)
    box.stepBy(-2)
    assert box.value() == pytest.approx(0.001)
    assert box.textFromValue(0.0003) == "0.0003"
    assert box.valueFromText("1e-4") == pytest.approx(1e-4)


def test_code_text_matches_the_settings(state):
    state.project.training.schedule.kind = "plateau"
    text = code_text(state.project)
    assert "model.compile(" in text and "history = model.fit(" in text
    assert "loss='sparse_categorical_crossentropy'" in text
    assert "ReduceLROnPlateau(" in text
    assert f"epochs={state.project.training.epochs}" in text
