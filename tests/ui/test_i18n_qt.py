"""Qt's own strings (the standard buttons of QDialogButtonBox and QMessageBox) follow the studio's
language through the qtbase catalogue that PySide6 ships."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QLibraryInfo
from PySide6.QtWidgets import QDialogButtonBox

from studio.ui.common import live_texts
from studio.ui.common.live_texts import install_qt_language

SB = QDialogButtonBox.StandardButton


@pytest.fixture
def english_after(qapp):
    yield qapp
    install_qt_language("en")


def _cancel_text() -> str:
    box = QDialogButtonBox(SB.Cancel)
    return box.button(SB.Cancel).text()


def test_pyside6_ships_the_korean_qtbase_catalogue():
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    assert (Path(folder) / "qtbase_ko.qm").is_file(), folder


def test_the_cancel_button_follows_a_switch(english_after):
    assert install_qt_language("ko")
    assert _cancel_text() == "취소"
    box = QDialogButtonBox(SB.Ok | SB.Cancel)
    assert {b.text() for b in box.buttons()} == {"확인", "취소"}
    assert not install_qt_language("en")
    assert _cancel_text() == "Cancel"
    english_after.processEvents()                # a box that exists follows the switch too
    assert {b.text() for b in box.buttons()} == {"OK", "Cancel"}


def test_a_switch_replaces_the_catalogue(english_after):
    for _ in range(3):
        assert install_qt_language("ko")
    assert len(live_texts._qt_translators) == 1
    install_qt_language("en")
    assert not live_texts._qt_translators


def test_the_catalogues_are_tried_in_turn(english_after, monkeypatch):
    monkeypatch.setattr(live_texts, "QT_CATALOGUES", ("no_such_catalogue", "qtbase"))
    assert install_qt_language("ko")
    assert _cancel_text() == "취소"


def test_without_any_catalogue_qt_stays_in_english(english_after, monkeypatch):
    monkeypatch.setattr(live_texts, "QT_CATALOGUES", ("no_such_catalogue",))
    assert not install_qt_language("ko")
    assert _cancel_text() == "Cancel"
