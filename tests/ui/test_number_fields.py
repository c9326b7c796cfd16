"""Number fields never change what was typed without a word (issue: epochs 0 became 200, "1e9"
became 19, 1000000000 became 100,000): the range is in the tooltip, text that is no value in it
gets a red frame and a message while typing, and on finishing a value outside the range is
clamped and the field says so."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from studio.core import i18n
from studio.ui.common.number_field import INVALID_STYLE, IntField
from studio.ui.compile.panel import SettingsPanel


@pytest.fixture
def panel(qtbot, state):
    p = SettingsPanel(state)
    qtbot.addWidget(p)
    p.resize(1000, 800)
    p.show()
    qtbot.waitExposed(p)
    return p


def type_into(spin, text: str) -> None:
    spin.setFocus()
    spin.lineEdit().selectAll()
    QTest.keyClicks(spin.lineEdit(), text)


def finish(spin) -> None:
    QTest.keyClick(spin.lineEdit(), Qt.Key.Key_Return)


def test_epochs_zero_is_refused_visibly_then_clamped_with_a_word(panel, state):
    t = state.project.training
    t.epochs = 200
    state.touch()
    spin = panel.epochs
    type_into(spin, "0")
    assert spin.text() == "0"                          # what was typed stays
    assert spin.is_invalid() and spin.styleSheet() == INVALID_STYLE
    message = spin.message_label()
    assert message.isVisible()
    assert message.text() == "Epochs must be a whole number between 1 and 100,000."
    assert t.epochs == 200                             # nothing written while typing
    finish(spin)
    assert spin.value() == 1 and t.epochs == 1         # not 200 again, silently
    assert not spin.is_invalid() and spin.styleSheet() == ""
    assert message.isVisible() and message.text().startswith("Changed to 1:")
    assert "between 1 and 100,000" in message.text()


def test_1e9_is_not_read_as_19(panel, state):
    spin = panel.epochs
    type_into(spin, "1e9")
    assert spin.text() == "1e9" and spin.is_invalid()
    finish(spin)
    assert spin.value() == 100_000 and state.project.training.epochs == 100_000
    assert spin.message().startswith("Changed to 100,000:")


def test_a_number_past_the_maximum_keeps_its_digits_until_clamped_with_a_word(panel, state):
    spin = panel.epochs
    type_into(spin, "1000000000")
    assert spin.text() == "1000000000"                 # no digit dropped
    assert "between 1 and 100,000" in spin.message()
    finish(spin)
    assert spin.text() == "100,000" and state.project.training.epochs == 100_000
    assert spin.message_label().isVisible() and "Changed to 100,000" in spin.message()


def test_text_that_is_no_number_keeps_the_value_and_says_so(panel, state):
    state.project.training.batch_size = 32
    state.touch()
    spin = panel.batch_size
    type_into(spin, "lots")
    assert spin.text() == "lots" and spin.is_invalid()
    assert spin.message().startswith("'lots' is not a number.")
    finish(spin)
    assert spin.value() == 32 and state.project.training.batch_size == 32
    assert spin.message() == "'lots' is not a number: Batch size stays at 32."
    assert not spin.is_invalid()
    type_into(spin, "64")                              # typing again: the note goes
    assert spin.message() == "" and not spin.message_label().isVisible()
    finish(spin)
    assert state.project.training.batch_size == 64 and spin.message() == ""


def test_the_range_is_in_the_tooltip_beside_the_glossary(panel):
    tip = panel.epochs.toolTip()
    assert "Allowed: whole numbers from 1 to 100,000." in tip
    assert "Epoch" in tip                              # the glossary's definition stays
    assert "Allowed: 1e-07 to 10." in panel.learning_rate.toolTip()
    assert "Allowed: 0 to 0.99." in panel.momentum.toolTip()


def test_rates_and_decimals_are_clamped_and_rounded_with_a_word(panel, state):
    lr = panel.learning_rate
    type_into(lr, "5e-9")
    assert lr.is_invalid() and "between 1e-07 and 10" in lr.message()
    finish(lr)
    assert state.project.compile.learning_rate == pytest.approx(1e-7)
    assert lr.message().startswith("Changed to 1e-07:")
    type_into(lr, "0,01")                              # a decimal comma is read as one
    assert not lr.is_invalid()
    finish(lr)
    assert state.project.compile.learning_rate == pytest.approx(0.01) and lr.message() == ""

    panel.optimizer.setCurrentIndex(panel.optimizer.findData("sgd"))
    panel.optimizer.activated.emit(panel.optimizer.currentIndex())
    m = panel.momentum
    assert m.isVisible()
    type_into(m, "0.123")
    assert m.message() == "Momentum takes at most 2 decimals."
    finish(m)
    assert state.project.compile.momentum == pytest.approx(0.12)
    assert m.message().startswith("Changed to 0.12:")
    panel.optimizer.setCurrentIndex(panel.optimizer.findData("adam"))
    panel.optimizer.activated.emit(panel.optimizer.currentIndex())
    assert not m.isVisible() and m.message() == ""     # a hidden field says nothing
    assert not m.message_label().isVisible()


def test_messages_are_translated(qtbot):
    i18n.set_language("ko")
    try:
        field = IntField(1, 100_000, i18n._("Epochs"))
        qtbot.addWidget(field)
        field.setValue(5)
        problem = field.problem("0")
        assert problem.startswith("에포크") and problem.endswith(
            "1에서 100,000 사이의 정수여야 합니다.")
        assert field.toolTip() == "허용 범위: 1부터 100,000까지의 정수"
        assert field.fixup("abc") == "abc" and "숫자가 아닙니다" in field.message()
    finally:
        i18n.set_language("en")


def test_the_note_goes_after_a_while(qtbot, monkeypatch):
    from studio.ui.common import number_field

    monkeypatch.setattr(number_field, "NOTE_MS", 50)
    field = IntField(1, 10, "Patience")
    qtbot.addWidget(field)
    field.show()
    type_into(field, "99")
    finish(field)
    assert field.value() == 10 and field.message().startswith("Changed to 10:")
    qtbot.waitUntil(lambda: field.message() == "", timeout=2000)
    assert not field.message_label().isVisible()


# -- the canvas's inspector ----------------------------------------------------------------------

@pytest.fixture
def canvas(window):
    from studio.ui.design.panel import CanvasPanel

    window.show_step("design")
    return window.findChild(CanvasPanel, "canvasPanel")


def test_inspector_units_are_clamped_with_a_word_and_ctrl_z_still_undoes(canvas, window):
    state = window.state
    layer = state.project.design.layers[1]
    before = layer.units
    canvas.select(layer.uid)
    spin = canvas.inspector.units
    assert "Allowed: whole numbers from 1 to 4,096." in spin.toolTip()
    type_into(spin, "1e9")
    assert spin.text() == "1e9" and spin.is_invalid()
    message = canvas.inspector.field_message
    assert message.isVisible()
    assert message.text() == "Units must be a whole number between 1 and 4,096."
    finish(spin)
    assert state.project.design.layers[1].units == 4096        # not 19
    assert message.isVisible() and message.text().startswith("Changed to 4,096:")
    spin.setFocus()
    QTest.keyClick(spin.lineEdit(), Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert state.project.design.layers[1].units == before      # one undoable edit
    assert spin.value() == before
    assert not message.isVisible()                             # the note was about 4,096
    QTest.keyClick(spin.lineEdit(), Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert state.project.design.layers[1].units == 4096


def test_inspector_dropout_rate_out_of_range(canvas, window):
    from studio.core.design import Design, Layer

    state = window.state
    layers = list(state.project.design.layers)
    layers.insert(2, Layer.dropout(0.2))
    state.set_design(Design(layers))
    uid = state.project.design.layers[2].uid
    canvas.select(uid)
    spin = canvas.inspector.rate
    type_into(spin, "1.5")
    assert spin.is_invalid() and "Rate must be between 0 and 0.9." in spin.message()
    finish(spin)
    assert state.project.design.layers[2].rate == pytest.approx(0.9)
    assert spin.message().startswith("Changed to 0.90:")
    assert canvas.inspector.field_message.isVisible()
