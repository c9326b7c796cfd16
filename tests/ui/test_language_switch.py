"""Switching the language while the studio runs (View > Language): every menu, dock, page and
action follows, nothing the rest of the window holds is deleted, and training still works.

The bug: the switch rebuilt the pages and the menu bar; the Edit menu was gone, the Code and
Predict docks and the View menu's dock entries kept the old language, and the next training
run ended in "Internal C++ object (CanvasScene) already deleted" (a lambda of the old canvas
page stayed connected to the state). Now the menus, actions and docks are retranslated in
place; the pages and side panels are made anew from the state, which keeps the undo history.
"""

from __future__ import annotations

import pytest
import shiboken6
from babel.messages.pofile import read_po
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractButton,
    QDockWidget,
    QGroupBox,
    QLabel,
    QMessageBox,
    QWidget,
)

from studio import resources
from studio.core import i18n
from studio.core.i18n import _

RUN_TIMEOUT_MS = 120_000


@pytest.fixture
def english():
    i18n.set_language("en")
    yield
    i18n.set_language("en")


@pytest.fixture
def ready(window, english):
    """The started window (iris) with TensorFlow marked as loaded, as after start-up."""
    from studio.core import build

    build.configure()
    window.set_tensorflow_ready(True, "CPU")
    yield window
    assert window.page("train").shutdown(30000)


def _korean() -> dict[str, str]:
    with resources.as_file("translations/ko.po") as po, po.open("rb") as f:
        return {m.id: m.string for m in read_po(f) if m.id and isinstance(m.id, str)}


def _stale(texts: list[str], lang: str) -> list[str]:
    """Texts that are a catalogue entry of the *other* language: left untranslated."""
    ko = {k: v for k, v in _korean().items() if v and v != k}
    other = set(ko) if lang == "ko" else set(ko.values())
    return sorted({t for t in texts if t in other})


def _visible_texts(window) -> list[str]:
    """Every action's text, every dock's title and every label / button / group title."""
    texts = [a.text() for a in window.findChildren(QAction) if a.text()]
    texts += [d.windowTitle() for d in window.findChildren(QDockWidget)]
    texts += [w.text() for w in window.findChildren(QLabel) + window.findChildren(
        QAbstractButton) if w.text()]
    texts += [g.title() for g in window.findChildren(QGroupBox) if g.title()]
    return texts


def _menus(window) -> dict[str, object]:
    return {a.text(): a.menu() for a in window.menuBar().actions() if a.menu() is not None}


MENU_SOURCES = ["&File", "&Edit", "&View", "E&xperiments", "&Help"]


def _check_window_in(window, lang: str) -> None:
    assert i18n.language() == lang
    menus = _menus(window)
    assert list(menus) == [_(s) for s in MENU_SOURCES]
    edit = menus[_("&Edit")]
    canvas = window.page("design")
    assert canvas.undo_action in edit.actions() and canvas.redo_action in edit.actions()
    view = menus[_("&View")]
    for dock, source in ((window.doctor_dock, "Doctor"), (window.code_dock, "Code"),
                         (window.predict_dock, "Predict"), (window.runs_dock, "Runs")):
        assert dock.windowTitle() == _(source)
        assert dock.toggleViewAction().text() == _(source)
        if dock is not window.doctor_dock:    # the doctor's entry is View > Doctor panel
            assert dock.toggleViewAction() in view.actions()
    assert window.menus.doctor_action in view.actions()
    assert window.menus.doctor_action.text() == _("&Doctor panel")
    steps = [window.step_list.item(i).text().strip() for i in range(window.step_list.count())]
    assert steps == [_(s) for s in ("Start", "Data", "Design", "Compile", "Train", "Evaluate")]
    assert window.code_view.copy_button.text() == _("Copy")
    assert window.predict_panel.form_box.title() == _("One row")
    assert window.page("train").train_button.text() == _("Train")
    assert window.classroom.language_actions[lang].isChecked()
    assert _stale(_visible_texts(window), lang) == []


def test_switching_both_ways_keeps_every_menu_page_and_object(ready, qtbot):
    window, state = ready, ready.state
    window.show_step("design")
    canvas = window.page("design")
    undo_stack = state.undo_stack
    assert canvas.undo_stack is undo_stack
    actions = {id(a): a for a in window.findChildren(QAction)}
    shortcuts = sorted(s.toString() for a in actions.values() for s in a.shortcuts())
    _check_window_in(window, "en")
    units = state.project.design.layers[1].units
    canvas.step_units(state.project.design.layers[1].uid, +1)       # one edit to undo later

    window.classroom.set_language("ko")
    qtbot.wait(10)                       # deleteLater of anything replaced runs here
    _check_window_in(window, "ko")
    assert window.current_step() == "design"
    window.classroom.set_language("en")
    qtbot.wait(10)
    _check_window_in(window, "en")

    # the menus' actions are the same objects (no shortcut bound twice); the new pages use
    # the state's undo stack: the edit made before the switch is undone from Edit > Undo
    canvas = window.page("design")
    assert shiboken6.isValid(canvas) and shiboken6.isValid(canvas.scene)
    assert window.menus.edit_menu.actions() == [canvas.undo_action, canvas.redo_action]
    menu_actions = [a for a in window.findChildren(QAction) if a.shortcuts()
                    and a.parent() is window]
    assert menu_actions and all(id(a) in actions for a in menu_actions)
    assert sorted(s.toString() for a in window.findChildren(QAction)
                  for s in a.shortcuts()) == shortcuts       # each key as often as before
    assert canvas.undo_stack is undo_stack and undo_stack.canUndo()
    canvas.undo_action.trigger()
    assert state.project.design.layers[1].units == units
    canvas.redo_action.trigger()
    assert state.project.design.layers[1].units != units

    # then train 2 epochs: no error, the curves and the canvas got the weights
    errors: list[str] = []
    state.sig_error.connect(errors.append)
    state.project.training.epochs = 2
    state.touch()
    train = window.page("train")
    window.show_step("train")
    assert train.train_button.isEnabled(), train.reason_label.text()
    with qtbot.waitSignal(state.sig_result_ready, timeout=RUN_TIMEOUT_MS):
        train.train_button.click()
    qtbot.waitUntil(lambda: not train.controller.is_running, timeout=10000)
    assert errors == [] and window.error_text() == ""
    assert state.result.epochs_run == 2 and state.result.stopped_reason == "completed"
    assert train.curves.epochs == [1, 2]
    kernels = canvas.scene.kernels
    assert kernels is not None
    assert len(kernels) == sum(1 for la in state.project.design.layers if la.kind == "dense")
    assert not window.predict_panel.training and window.predict_panel.predict_row_button.isEnabled()


def test_a_switch_after_training_keeps_the_run_and_the_canvas_weights(ready, qtbot):
    window, state = ready, ready.state
    state.project.training.epochs = 2
    state.touch()
    train = window.page("train")
    window.show_step("train")
    with qtbot.waitSignal(state.sig_result_ready, timeout=RUN_TIMEOUT_MS):
        train.train_button.click()
    qtbot.waitUntil(lambda: not train.controller.is_running, timeout=10000)
    result = state.result
    hint = train.curves._loss_hint
    assert hint == state.project.compile.loss
    window.classroom.set_language("ko")
    qtbot.wait(10)
    assert state.result is result and window.page("train").curves.epochs == [1, 2]
    assert window.page("train").curves._loss_hint == hint      # the loss plot's title too
    assert window.page("design").scene.kernels is not None
    assert not window.page("evaluate").is_empty
    _check_window_in(window, "ko")


def test_qt_standard_buttons_follow_the_language(window, english, qtbot):
    """Save / Discard / Cancel of the unsaved-changes prompt are in the studio's language."""
    window.classroom.set_language("ko")
    box = QMessageBox(QMessageBox.Icon.Question, "t", "x",
                      QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
                      | QMessageBox.StandardButton.Cancel, window)
    texts = {b.text().replace("&", "") for b in box.buttons()}
    assert not texts & {"Save", "Discard", "Cancel", "Close without Saving"}, texts
    window.classroom.set_language("en")
    box = QMessageBox(QMessageBox.Icon.Question, "t", "x",
                      QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Cancel,
                      window)
    assert {b.text().replace("&", "") for b in box.buttons()} == {"Save", "Cancel"}


def test_sample_cards_are_in_korean_after_a_switch(window, english):
    from studio.ui.start.page import SampleCard

    window.classroom.set_language("ko")
    cards = window.start_page.findChildren(SampleCard)
    assert cards
    texts = [w.text() for c in cards for w in c.findChildren(QLabel)]
    iris = next(c for c in cards if c.sample.source == "sample:iris")
    title = iris.findChildren(QLabel)[0].text()
    assert any("\uac00" <= ch <= "\ud7a3" for ch in title), title
    assert _stale(texts, "ko") == []
    assert all(any("\uac00" <= ch <= "\ud7a3" for ch in c.toolTip()) for c in cards)


def test_every_page_widget_survives_the_switch(window, english, qtbot):
    """Pages may be rebuilt, but what the window points at is the page the stack shows."""
    window.classroom.set_language("ko")
    qtbot.wait(10)
    for key in window.steps():
        page = window.page(key)
        assert isinstance(page, QWidget) and shiboken6.isValid(page)
    assert window.page("data") is window.data_panel
    assert window.page("compile") is window.settings_panel
    assert window.page("start") is window.start_page


def test_switching_again_and_again_leaks_no_widgets(window, english, qtbot):
    """Each switch deletes what it replaces: the inspector's fields that no layer showed had
    no parent and outlived every canvas page (34 widgets a switch)."""
    import gc

    from PySide6.QtWidgets import QApplication

    def count() -> int:
        for _round in range(3):
            qtbot.wait(20)
            gc.collect()
        return len(QApplication.allWidgets())

    window.classroom.set_language("ko")
    window.classroom.set_language("en")
    settled = count()
    for lang in ("ko", "en", "ko", "en"):
        window.classroom.set_language(lang)
    assert count() == settled


def test_a_switch_while_presenting_does_not_restyle_the_whole_app(window, english, qtbot,
                                                                  monkeypatch):
    """Setting the app's style sheet, font or palette re-polishes every widget: a switch
    while presenting took 4-6 s doing it twice although nothing had changed. The new pages
    take the presentation look up themselves."""
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    window.resize(1024, 768)
    window.classroom.set_presentation(True)
    try:
        qtbot.wait(200)                  # the resize timer's look, before counting
        calls: list[str] = []
        for name in ("setStyleSheet", "setFont", "setPalette"):
            real = getattr(app, name)
            monkeypatch.setattr(app, name, lambda *a, n=name, r=real: (calls.append(n), r(*a)))
        big = app.font().pointSizeF()
        window.classroom.set_language("ko")
        qtbot.wait(200)
        assert calls == []
        assert window.page("train").train_button.font().pointSizeF() == big   # the look
        assert window.start_page.font().pointSizeF() == big
    finally:
        monkeypatch.undo()
        window.classroom.set_language("en")
        window.classroom.set_presentation(False)
