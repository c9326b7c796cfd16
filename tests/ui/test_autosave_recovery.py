"""Autosave in the window: unsaved work survives a crash and is offered at the next start."""

from PySide6.QtWidgets import QMessageBox


def _new_window(qtbot, answer: bool):
    from studio.ui.shell.main_window import MainWindow

    w = MainWindow()
    w.ask_recover = lambda when, name: answer
    w.files.ask_save_changes = lambda: QMessageBox.Discard
    qtbot.addWidget(w)
    w.resize(1280, 800)
    w.show()
    return w


def test_crash_then_recover(qtbot, studio_app):
    first = _new_window(qtbot, answer=False)
    first.start()
    first.state.project.training.epochs = 9
    first.state.touch()
    assert first.state.dirty and first.autosaver.tick()
    assert (first.autosaver.folder / "autosave.json").exists()
    # the process "dies": no closeEvent, so the autosave stays for the next start

    second = _new_window(qtbot, answer=True)
    second.start()
    assert second.state.project.training.epochs == 9
    assert second.state.dirty  # recovered work is unsaved work
    assert second.current_step() == "data"
    second.close()  # a clean exit (discarding, as the test answers) removes the autosave
    assert not (second.autosaver.folder / "autosave.json").exists()


def test_declined_recovery_is_discarded(qtbot, studio_app):
    first = _new_window(qtbot, answer=False)
    first.start()
    first.state.project.compile.learning_rate = 0.05
    first.state.touch()
    first.autosaver.tick()
    second = _new_window(qtbot, answer=False)
    second.start()
    assert second.state.project.compile.learning_rate != 0.05
    assert not (second.autosaver.folder / "autosave.json").exists()


def test_saving_removes_the_autosave(qtbot, studio_app, tmp_path):
    w = _new_window(qtbot, answer=False)
    w.start()
    w.state.project.training.epochs = 5
    w.state.touch()
    w.autosaver.tick()
    assert (w.autosaver.folder / "autosave.json").exists()
    assert w.files.save_to(str(tmp_path / "p.json"))
    assert not (w.autosaver.folder / "autosave.json").exists()
    assert not w.autosaver.tick()  # nothing unsaved: nothing written
    w.close()
