"""A CSV opened through File > New from CSV… and a layer dragged from the palette, both with the
real pointer and keyboard on the xcb platform (Qt's own file dialog, Qt's own drag loop)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QCoreApplication, Qt, QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QLineEdit
from real_input import click_menu, find_action, global_centre, wait_active

pytestmark = pytest.mark.display


@pytest.fixture
def qt_file_dialogs():
    """Qt's own (non-native) file dialog, whatever desktop theme the machine has: it is a
    widget the test can type into."""
    attr = Qt.ApplicationAttribute.AA_DontUseNativeDialogs
    before = QCoreApplication.testAttribute(attr)
    QCoreApplication.setAttribute(attr, True)
    yield
    QCoreApplication.setAttribute(attr, before)


def _tiny_csv(path) -> None:
    rows = ["height,weight,age,label"]
    for i in range(30):
        rows.append(f"{150 + i},{50 + (i * 7) % 30},{20 + i % 9},{'tall' if i >= 15 else 'short'}")
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")


def _answer_file_dialog(xdo, path: str, seen: list[str]) -> QTimer:
    """Once a modal file dialog is up, type ``path`` into it with the real keyboard and press
    Enter (polled: the dialog runs its own event loop inside the menu's click)."""
    timer = QTimer()
    timer.setInterval(50)

    def poll() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QFileDialog) or not dialog.isVisible() \
                or QApplication.activeWindow() is not dialog:
            return
        timer.stop()
        seen.append(dialog.windowTitle())
        edit = dialog.findChild(QLineEdit, "fileNameEdit")
        assert edit is not None and edit.hasFocus(), "the file name field has no focus"
        xdo.run("type", "--delay", "8", path)
        QApplication.processEvents()
        xdo.key("Return")

    timer.timeout.connect(poll)
    timer.start()
    return timer


def test_file_new_from_csv_through_the_menu_and_the_dialog(ready, qtbot, xdo, tmp_path,
                                                           qt_file_dialogs):
    window, state = ready, ready.state
    csv = tmp_path / "people.csv"
    _tiny_csv(csv)
    window.show_step("evaluate")                 # anywhere: new data goes to the Data step
    action = find_action(window, lambda a: a.text() == "&New from CSV…")
    fired: list[bool] = []
    action.triggered.connect(lambda *_a: fired.append(True))
    seen: list[str] = []
    timer = _answer_file_dialog(xdo, str(csv), seen)
    try:
        click_menu(qtbot, xdo, window, action)
        qtbot.waitUntil(lambda: state.project is not None
                        and state.project.data_source == str(csv), timeout=20000)
    finally:
        timer.stop()
    assert fired == [True]
    assert seen == ["Open a CSV file"]
    assert QApplication.activeModalWidget() is None        # the dialog closed on Enter
    assert list(state.dataset.frame.columns) == ["height", "weight", "age", "label"]
    assert len(state.dataset.frame) == 30
    assert state.project.target == "label"
    assert window.current_step() == "data"
    assert window.settings.recent_files()[0] == str(csv)
    wait_active(qtbot, window)                             # focus is back on the window


def test_drag_a_layer_from_the_palette_between_two_columns(ready, qtbot, xdo):
    from studio.ui.design.panel import CanvasPanel

    window, state = ready, ready.state
    window.show_step("design")
    panel = window.findChild(CanvasPanel, "canvasPanel")
    qtbot.waitUntil(lambda: panel.view.isVisible() and len(panel.scene.columns) >= 3)
    kinds_before = [layer.kind for layer in state.project.design.layers]
    button = panel.palette_panel.buttons["dropout"]
    view, scene = panel.view, panel.scene
    gap = 2                                                # between the 1st and 2nd hidden
    target = view.viewport().mapToGlobal(view.mapFromScene(scene.gap_x(gap),
                                                           scene.columns[1].item.top + 10))
    start = global_centre(button)
    assert view.viewport().rect().contains(view.viewport().mapFromGlobal(target))
    mid = (start + target) / 2
    drops: list[tuple[str, int]] = []
    view.sig_drop.connect(lambda kind, index: drops.append((kind, index)))
    gesture = xdo.start(
        "mousemove", "--sync", start.x(), start.y(), "mousedown", "1", "sleep", "0.2",
        "mousemove", "--sync", start.x() + 20, start.y() + 4, "sleep", "0.3",
        "mousemove", "--sync", mid.x(), mid.y(), "sleep", "0.3",
        "mousemove", "--sync", target.x(), target.y(), "sleep", "0.3",
        "mousemove", "--sync", target.x() + 1, target.y() + 1, "sleep", "0.3",
        "mouseup", "1")
    try:
        qtbot.waitUntil(lambda: gesture.poll() is not None
                        and len(state.project.design.layers) == len(kinds_before) + 1,
                        timeout=15000)
    finally:
        if gesture.poll() is None:
            gesture.kill()
        gesture.wait(5)
    assert gesture.returncode == 0, gesture.stderr.read()
    kinds = [layer.kind for layer in state.project.design.layers]
    assert kinds == kinds_before[:gap] + ["dropout"] + kinds_before[gap:]
    assert len(scene.columns) == len(kinds)                # the canvas drew it
    assert drops == [("dropout", gap)]                     # through Qt's dropEvent
    assert not button.isDown()
    # the drop is one undoable edit
    panel.undo_action.trigger()
    assert [layer.kind for layer in state.project.design.layers] == kinds_before
