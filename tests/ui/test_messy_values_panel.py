"""The Data step shows messy values it found, converts them with one click (the read options
change and the data is read again) and undoes that click."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt

from studio.ui.data.panel import DataPanel


@pytest.fixture
def shop_csv(tmp_path):
    path = tmp_path / "shop.csv"
    rows = ["item,price,label"] + [f'i{i % 5},"₩{1000 + 37 * i:,}",{i % 2}' for i in range(40)]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_convert_button_reads_the_column_as_numbers_and_undo_restores(qtbot, state, shop_csv):
    state.open_data(str(shop_csv), target="label")
    panel = DataPanel(state)
    qtbot.addWidget(panel)
    panel.resize(1100, 700)
    panel.show()
    assert state.dataset.profile_of("price").kind in ("id", "text", "categorical")
    assert panel.messy_box.isVisible()
    texts = [f.message for f in panel.messy_findings]
    assert "Column price: 40 values like '₩1,000' look like numbers with a currency sign." \
        in texts
    button = panel.messy_buttons[0]
    assert button.text() == "Convert to numbers" and button.isVisible()
    qtbot.mouseClick(button, Qt.LeftButton)

    assert state.project.read_options.number_columns == ["price"]
    price = state.dataset.frame["price"]
    assert price.dtype == np.float64 and price.tolist() == [1000.0 + 37 * i for i in range(40)]
    assert state.dataset.profile_of("price").kind == "numeric"
    assert state.project.columns["price"].role == "feature"
    assert panel.messy_findings == []                     # nothing left to convert
    assert panel.messy_undo is not None
    qtbot.waitUntil(panel.messy_undo.isVisible, timeout=2000)   # shown by its layout
    steps = panel.messy_box.findChild(type(panel.title), "cleaningSteps")
    assert "Converted to numbers: price." in steps.text()

    # another read option keeps the conversion
    panel.header_check.setChecked(True)
    assert state.project.read_options.number_columns == ["price"]

    qtbot.mouseClick(panel.messy_undo, Qt.LeftButton)
    assert state.project.read_options.number_columns == []
    assert state.dataset.frame["price"].iloc[0] == "₩1,000"
    assert [b.text() for b in panel.messy_buttons] == ["Convert to numbers"]
    assert panel.messy_undo is None


def test_clean_sample_shows_no_messy_box(qtbot, state):
    panel = DataPanel(state)
    qtbot.addWidget(panel)
    panel.show()
    assert panel.messy_findings == [] and not panel.messy_box.isVisible()
