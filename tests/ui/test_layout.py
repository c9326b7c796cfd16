"""Every step looks whole at the sizes a classroom uses: 1024x768 in presentation mode (English
and Korean) and the default 1280x800.

No button, label, combo box, spin box or tab text is elided or cut, no widget sticks out of its
parent, every chart keeps both axes with tick labels and a title nothing covers, arrows of spin
and combo boxes can be seen, and the Data step's column table shows enough rows
(tests/ui/layout_checks.py measures all that). Each screen is saved as a PNG
(``NETSKETCH_LAYOUT_PNGS=folder`` keeps them; else a temporary folder) for a person to look at.

One window serves every setup: it is resized, switched in and out of presentation mode and
between languages (live, as the menu does) instead of being built again, and it trains twice:
wine (a multi-class sample with 14 columns, enough rows for the column table) for the
classification views, then diabetes for the regression view, two epochs each.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from layout_checks import all_problems, broken_plots, tick_values, too_few_rows
from PySide6.QtWidgets import QApplication, QMessageBox

from studio.core import i18n

#: name: ((width, height), presenting, language)
SETUPS = {
    "1280-en": ((1280, 800), False, "en"),
    "1024-presenting-en": ((1024, 768), True, "en"),
    "1024-presenting-ko": ((1024, 768), True, "ko"),
}
STEPS = ["start", "data", "design", "compile", "train", "evaluate"]
#: the regression view: the Train and Evaluate steps again once diabetes is trained
REGRESSION_STEPS = ["train", "evaluate"]
RUN_TIMEOUT_S = 120
#: whole rows of the column table the Data step must show (it had 3-4 at 1280x800)
COLUMN_ROWS = {"1280-en": 8, "1024-presenting-en": 4, "1024-presenting-ko": 4}


def _settle(seconds: float = 0.3) -> None:
    """Let layouts, the presentation look's timer and the plots' redraw timers run."""
    app = QApplication.instance()
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.01)
    app.processEvents()


def _wait(condition, timeout: float = RUN_TIMEOUT_S) -> None:
    app = QApplication.instance()
    end = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > end:
            raise TimeoutError("the window did not get there in time")
        app.processEvents()
        time.sleep(0.01)


def _train(window, epochs: int = 2) -> None:
    state = window.state
    state.project.training.epochs = epochs
    state.touch()
    results = []
    state.sig_result_ready.connect(results.append)
    try:
        window.show_step("train")
        assert window.page("train").start_training(), window.train_blocked_reason()
        _wait(lambda: bool(results))
        _wait(lambda: not window.page("train").controller.is_running)
    finally:
        state.sig_result_ready.disconnect(results.append)
    _settle(0.3)


@pytest.fixture(scope="module")
def png_dir(tmp_path_factory) -> Path:
    folder = os.environ.get("NETSKETCH_LAYOUT_PNGS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        return Path(folder)
    return tmp_path_factory.mktemp("layout-pngs")


class Shown:
    """The one window, and which setup and data it shows now."""

    def __init__(self, window) -> None:
        self.window = window
        self.setup: str | None = None
        self.data = "wine"

    def use(self, setup: str) -> None:
        """Resize, present (or not) and translate the window as ``setup`` says."""
        if setup == self.setup:
            return
        (width, height), presenting, lang = SETUPS[setup]
        w = self.window
        if not presenting:
            w.classroom.set_presentation(False)
        w.resize(width, height)
        _settle(0.1)
        w.classroom.set_language(lang)  # pages made anew, the finished run replayed into them
        w.classroom.set_presentation(presenting)
        _settle(0.4)
        assert (w.width(), w.height()) == (width, height)
        assert i18n.language() == lang
        self.setup = setup

    def use_data(self, data: str) -> None:
        """Open and train ``data`` (wine, then diabetes for the regression view)."""
        if data == self.data:
            return
        assert self.window.files.open_path(f"sample:{data}", remember=False)
        _settle(0.2)
        _train(self.window)
        self.data = data


@pytest.fixture(scope="module")
def shown(qapp, tmp_path_factory):
    """The window: shown, with wine open and trained for two epochs, and a few recent
    files with long names on the Start page."""
    from studio.core import build
    from studio.ui.common import guard, qt_settings
    from studio.ui.common.qt_settings import StudioSettings
    from studio.ui.shell.app import make_application
    from studio.ui.shell.main_window import MainWindow

    folder = tmp_path_factory.mktemp("settings")
    qt_settings.use_folder(folder)
    raise_before, guard.RAISE_UNEXPECTED = guard.RAISE_UNEXPECTED, True
    make_application([])
    i18n.set_language("en")
    settings = StudioSettings()
    data = tmp_path_factory.mktemp("recent")
    for stem in ("students_grades_2024_final", "housing prices (seoul) v2", "iris"):
        path = data / f"{stem}.csv"
        path.write_text("a,b\n1,2\n", encoding="utf-8")
        settings.add_recent(str(path))
    build.configure()
    window = MainWindow(settings=settings)
    window.files.ask_save_changes = lambda: QMessageBox.Discard
    window.resize(*SETUPS["1280-en"][0])
    window.show()
    window.start()
    assert window.files.open_path("sample:wine", remember=False)
    window.set_tensorflow_ready(True, "CPU")
    _settle(0.3)
    _train(window)
    yield Shown(window)
    window.page("train").shutdown(30000)
    # the look is the application's: back to the laptop's
    window.classroom.set_presentation(False)
    window.close()
    window.deleteLater()
    _settle(0.1)
    i18n.set_language("en")
    guard.RAISE_UNEXPECTED = raise_before


def _check_step(shown: Shown, setup: str, step: str, png_dir: Path) -> None:
    window = shown.window
    window.show_step(step)
    _settle(0.3)
    regression = window.state.task_info().task == "regression"
    path = png_dir / f"{setup}-{step}{'-regression' if regression else ''}.png"
    assert window.grab().save(str(path))
    problems = all_problems(window)
    if step == "data":
        problems += too_few_rows(window.data_panel.column_view, COLUMN_ROWS[setup])
    if step in ("train", "evaluate"):
        plot_type = type(window.page("train").curves.plots["loss"])
        plots = [p for p in window.page(step).findChildren(plot_type) if p.isVisible()]
        assert plots, f"no chart on {step}"
    if step == "train":
        problems += fractional_epoch_ticks(window)
    assert not problems, f"{setup} {step} ({path}):\n" + "\n".join(problems)


def fractional_epoch_ticks(window) -> list[str]:
    """Train's epoch axes that label a tick between two epochs (1.2, 1.4 on a 2-epoch run)."""
    problems, checked = [], 0
    for key, plot in window.page("train").curves.plots.items():
        if not plot.isVisible():
            continue
        ticks = tick_values(plot.getPlotItem().getAxis("bottom"))
        checked += 1
        if not ticks:
            problems.append(f"plot {key!r}: no ticks on the epoch axis")
        elif not all(float(t).is_integer() for t in ticks):
            problems.append(f"plot {key!r}: epoch ticks {ticks} (whole epochs only)")
    return problems if checked else ["no curve on the Train step"]


#: (setup, data, step) in the order that switches the window the least: a language switch
#: makes the pages anew (seconds), a training takes seconds too
CASES = ([(s, "wine", t) for s in SETUPS for t in STEPS]
         + [(s, "diabetes", t) for s in reversed(SETUPS) for t in REGRESSION_STEPS])


@pytest.mark.parametrize(("setup", "data", "step"), CASES,
                         ids=[f"{s}-{d}-{t}" for s, d, t in CASES])
def test_every_step_looks_whole(shown, setup, data, step, png_dir):
    shown.use_data(data)
    shown.use(setup)
    _check_step(shown, setup, step, png_dir)


def test_epoch_axes_have_whole_number_ticks(shown):
    """A short run (2 epochs) labels epochs 1 and 2, never 1.2 or 1.4 (every setup's Train
    step is checked above too)."""
    window = shown.window
    assert window.state.project.training.epochs == 2
    window.show_step("train")
    _settle(0.2)
    assert window.page("train").curves.epochs == [1, 2]
    assert fractional_epoch_ticks(window) == []
    assert not broken_plots(window.page("train"))
