"""Language switching without restart, presentation mode, bundled fonts, glossary."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QStatusBar

from studio.core import i18n


@pytest.fixture
def english():
    i18n.set_language("en")
    yield
    i18n.set_language("en")


def _step_texts(window) -> list[str]:
    return [window.step_list.item(i).text().strip() for i in range(window.step_list.count())]


def _menu_titles(window) -> list[str]:
    return [a.text() for a in window.menuBar().actions()]


def test_bundled_korean_font_registers(studio_app):
    from studio.ui.common.fonts import KOREAN_FAMILY, register_fonts

    families = register_fonts()
    assert KOREAN_FAMILY in families
    assert KOREAN_FAMILY in QFontDatabase.families()
    assert KOREAN_FAMILY in studio_app.font().families()


def test_language_switch_without_restart(window, english):
    assert "Data" in _step_texts(window) and "&File" in _menu_titles(window)
    window.show_step("compile")
    window.classroom.set_language("ko")
    assert i18n.language() == "ko"
    assert "데이터" in _step_texts(window) and "평가" in _step_texts(window)
    assert "파일(&F)" in _menu_titles(window)
    assert window.current_step() == "compile"
    assert window.doctor_dock.windowTitle() == "닥터"
    assert window.classroom.language_actions["ko"].isChecked()
    assert window.settings.language() == "ko"
    window.show_step("data")                           # the rebuilt pages work
    assert window.page("data") is window.data_panel
    window.classroom.set_language("en")
    assert "Data" in _step_texts(window) and "&File" in _menu_titles(window)
    assert window.classroom.language_actions["en"].isChecked()


def test_presentation_mode_toggles(window, english, qtbot):
    window.show_step("data")
    assert window.doctor_dock.isVisible()
    before = window.step_list.font().pointSizeF()
    window.classroom.presentation_action.trigger()               # F5
    assert window.classroom.is_presenting()
    assert window.step_list.font().pointSizeF() > before
    assert not window.doctor_dock.isVisible()
    assert not window.findChild(QStatusBar).isVisible()
    bigger = window.step_list.font().pointSizeF()
    window.classroom.zoom_in()
    assert window.step_list.font().pointSizeF() > bigger
    window.classroom.set_presentation_theme("dark")
    window.classroom.set_presentation(False)
    assert not window.classroom.is_presenting()
    assert window.step_list.font().pointSizeF() == pytest.approx(before)
    assert window.doctor_dock.isVisible()
    assert window.statusBar().isVisible()


def test_keyboard_step_navigation(window):
    window.show_step("data")
    window.classroom.next_step()
    assert window.current_step() == "design"
    window.classroom.previous_step()
    window.classroom.previous_step()
    assert window.current_step() == "start"


def test_glossary_dialog_and_tooltips(window, english):
    from studio.core import glossary
    from studio.ui.classroom.glossary_dialog import GlossaryDialog

    keys = {t.key for t in glossary.entries()}
    assert {"loss", "optimizer", "epoch", "batch", "dropout", "regularisation",
            "early_stopping", "accuracy", "precision", "recall", "f1", "auc", "mae", "rmse",
            "r2"} <= keys
    dlg = GlossaryDialog(window)
    dlg.filter_edit.setText("dropout")
    assert "dropout" in dlg.shown_terms()
    assert "Dropout" in window.settings_panel.epochs.toolTip() or \
        "Epoch" in window.settings_panel.epochs.toolTip()
    i18n.set_language("ko")
    assert glossary.lookup("loss").term == "손실 함수"


def test_code_reports_and_matrix_cells_grow_with_presentation(window):
    """Fixed-width code and reports, and the matrix's per-cell fonts, follow presentation
    mode's font and zoom (they set their own fonts, which would otherwise stay small)."""
    import numpy as np

    from studio.ui.compile.panel import SettingsPanel
    from studio.ui.design.code_view import CodeView
    from studio.ui.evaluate.classification import ClassificationView

    view = window.findChildren(ClassificationView)[0]
    view.confusion.set_matrix(np.array([[3, 1], [0, 4]]), ["a", "b"])
    widgets = {"compile code": window.findChildren(SettingsPanel)[0].code,
               "code view": window.findChildren(CodeView)[0].editor,
               "report": view.report}
    before = {k: w.font().pointSizeF() for k, w in widgets.items()}
    cell = view.confusion.item(0, 0).font().pointSizeF()
    window.classroom.set_presentation(True)
    for k, w in widgets.items():
        assert w.font().pointSizeF() > 1.3 * before[k], k
        assert w.font().styleHint() == w.font().StyleHint.Monospace, k
    assert view.confusion.item(0, 0).font().pointSizeF() > 1.3 * cell
    presenting = widgets["report"].font().pointSizeF()
    window.classroom.zoom_in()
    assert widgets["report"].font().pointSizeF() > presenting
    window.classroom.set_presentation(False)
    assert {k: w.font().pointSizeF() for k, w in widgets.items()} == before
    assert view.confusion.item(0, 0).font().pointSizeF() == cell


def test_closing_a_presenting_or_zoomed_window_gives_the_app_its_look_back(qtbot, studio_app,
                                                                           isolated_settings):
    """The app's font and style sheet are shared: a window closed while presenting (or
    zoomed) left the next window of the process with projector-sized text."""
    from PySide6.QtWidgets import QMessageBox

    from studio.ui.shell.main_window import MainWindow

    normal = studio_app.font().pointSizeF()
    for enter in ("present", "zoom"):
        w = MainWindow()
        w.files.ask_save_changes = lambda: QMessageBox.Discard
        qtbot.addWidget(w)
        w.resize(1024, 768)
        w.show()
        if enter == "present":
            w.classroom.set_presentation(True)
        else:
            w.classroom.zoom_in()
        assert studio_app.font().pointSizeF() > normal
        w.close()
        assert studio_app.font().pointSizeF() == normal, enter
