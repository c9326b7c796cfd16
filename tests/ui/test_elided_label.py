"""Train's "Last epoch" line ends in "…" where it does not fit, with the whole line in its
tooltip; it was cut mid-word at the window's edge ("· rmse 장치: CPU")."""

from studio.ui.common.widgets import ElidedLabel

LINE = "Last epoch: loss 1.156 · val_loss 0.6241 · mae 67.79 · val_mae 50.3 · rmse 83.4"


def test_a_narrow_label_elides_and_keeps_the_text(qtbot):
    label = ElidedLabel(LINE)
    qtbot.addWidget(label)
    label.resize(160, 30)
    label.show()
    qtbot.waitExposed(label)
    shown = label.text()
    assert shown.endswith("…") and len(shown) < len(LINE)
    assert label.fontMetrics().horizontalAdvance(shown) <= label.contentsRect().width()
    assert label.toolTip() == LINE and label.fullText() == LINE
    label.resize(label.fontMetrics().horizontalAdvance(LINE) + 40, 30)
    qtbot.waitUntil(lambda: label.text() == LINE)
    assert label.toolTip() == ""
