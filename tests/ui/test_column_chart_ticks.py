"""The class-balance bars' labels never run into one another: each is shortened with "…" to
the room under its bar, or only every n-th is shown ("class_0class_1class_2" at 1280x800)."""

import pandas as pd
import pytest
from PySide6.QtGui import QFontMetrics

from studio.core.data import profile
from studio.ui.data.column_chart import ColumnChart


@pytest.mark.parametrize(("width", "names"), [
    (260, ["class_0", "class_1", "class_2"]),
    (200, [f"a rather long category name {i}" for i in range(5)]),
    (180, [f"c{i}" for i in range(30)]),
])
def test_bar_labels_fit_under_their_bars(qtbot, width, names):
    chart = ColumnChart("t")
    qtbot.addWidget(chart)
    chart.resize(width, 220)
    chart.show()
    qtbot.waitExposed(chart)
    series = pd.Series([n for i, n in enumerate(names) for _ in range(i + 2)], name="y")
    chart.show_column(series, profile(series.to_frame())[0], "y", as_classes=True)
    qtbot.wait(50)
    item = chart.plot.getPlotItem()
    axis = item.getAxis("bottom")
    ticks = axis._tickLevels[0]
    fm = QFontMetrics(axis.style.get("tickFont") or chart.plot.font())
    per_bar = item.getViewBox().width() / len(chart.labels)
    shown = [i for i, _t in ticks]
    step = shown[1] - shown[0] if len(shown) > 1 else 1
    for _i, text in ticks:
        assert fm.horizontalAdvance(text) <= per_bar * step          # no label overlaps the next
    assert set(chart.labels) <= set(names) and all(n in names for n in chart.labels)
    assert all(n in chart.plot.toolTip() for n in chart.labels)    # the full names are kept
