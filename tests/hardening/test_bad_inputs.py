"""Every awkward file of the corpus loads or gives a specific message: in the core, in
``studio info`` and ``studio train`` (exit 2 with one ``error:`` line, or success), and in the
window (a banner, the window still usable). Never a traceback, a hang or a frozen window."""

from __future__ import annotations

import json
import time

import pytest
from corpus import cases

from studio.cli import main
from studio.core.data import load
from studio.core.errors import StudioError

CASES = cases()
IDS = [c.name for c in CASES]
#: Files whose content changes what the network is trained on: trained for real, one epoch.
#: The others differ only in how they are read; `studio train` stops before Keras on the
#: failing ones, and the succeeding ones go through the same pipeline up to the model in
#: test_pipeline_up_to_the_model (training each would add a minute to the suite).
TRAIN_FOR_REAL = {"cp949", "inf_and_1e400", "huge_integer_target", "thousands_of_classes",
                  "five_million_char_field"}
TRAINED = [c for c in CASES if c.target is not None
           and (c.train != "ok" or c.name in TRAIN_FOR_REAL)]
PREPARED = [c for c in CASES if c.target is not None and c.train == "ok"]


def _cli(capsys, argv: list[str]) -> tuple[int, str, str]:
    rc = main(argv)
    captured = capsys.readouterr()
    return rc, captured.out, captured.err


def _assert_clean_failure(rc: int, err: str, fragment: str = "") -> str:
    lines = [line for line in err.splitlines() if line.strip()]
    assert rc == 2, err
    assert len(lines) == 1 and lines[0].startswith("error: "), err
    assert "Traceback" not in err
    if fragment:
        assert fragment.lower() in lines[0].lower(), lines[0]
    return lines[0]


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_core_loads_or_raises_a_studio_error(case, corpus_paths):
    start = time.perf_counter()
    if case.expect == "ok":
        ds = load(str(corpus_paths[case.name]))
        assert ds.info.rows == len(ds.frame) > 0
        assert len(ds.profiles) == ds.info.columns == ds.frame.shape[1]
        assert len(set(ds.frame.columns)) == ds.frame.shape[1]   # names are unique
    else:
        with pytest.raises(StudioError) as err:
            load(str(corpus_paths[case.name]))
        assert case.message.lower() in str(err.value).lower()
        assert "\n" not in str(err.value)
    assert time.perf_counter() - start < 10


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_cli_info(case, corpus_paths, capsys):
    rc, out, err = _cli(capsys, ["info", str(corpus_paths[case.name])])
    if case.expect == "ok":
        assert rc == 0, err
        assert "Rows:" in out and not err.strip()
    else:
        _assert_clean_failure(rc, err, case.message)


@pytest.mark.parametrize("case", TRAINED, ids=[c.name for c in TRAINED])
def test_cli_train(case, corpus_paths, capsys, tmp_path):
    rc, out, err = _cli(capsys, ["train", str(corpus_paths[case.name]), "--target",
                                 case.target, "--epochs", "1", "--out", str(tmp_path / "run")])
    assert "Traceback" not in out + err
    if rc == 0:
        assert case.train in ("ok", None), out
        assert (tmp_path / "run" / "model.keras").is_file()
        assert (tmp_path / "run" / "metrics.json").is_file()
    else:
        assert case.train in ("error", None), err
        _assert_clean_failure(rc, err, case.train_message)


@pytest.mark.parametrize("case", PREPARED, ids=[c.name for c in PREPARED])
def test_pipeline_up_to_the_model(case, corpus_paths):
    """Project, doctor and preprocessing: finite inputs of the width the design expects."""
    import numpy as np

    from studio.core import doctor
    from studio.core.project import new_project
    from studio.core.train import prepare_project

    proj = new_project(str(corpus_paths[case.name]), case.target)
    ds = proj.load_data()
    findings = doctor.diagnose(proj, ds)
    assert not doctor.has_errors(findings), [f.title for f in findings]
    prepared = prepare_project(proj, ds)
    for x in (prepared.x_train, prepared.x_val, prepared.x_test):
        assert np.isfinite(x).all()
        assert x.shape[1] == proj.design.input.units
    assert len(prepared.y_train) and np.isfinite(prepared.y_train).all()


def test_cli_train_without_a_header_uses_the_first_row_as_names(corpus_paths, capsys,
                                                                tmp_path):
    """The file without a header row is read with its first row as the names, and says so."""
    ds = load(str(corpus_paths["no_header"]))
    assert any("first row" in w for w in ds.info.warnings)
    rc, _out, err = _cli(capsys, ["train", str(corpus_paths["no_header"]), "--target",
                                 str(ds.frame.columns[-1]), "--epochs", "1",
                                 "--out", str(tmp_path / "run")])
    assert rc == 0, err
    # --no-header reads the first row as data: one more row, columns column_1...
    rc, _out, err = _cli(capsys, ["train", str(corpus_paths["no_header"]), "--no-header",
                                 "--target", f"column_{ds.frame.shape[1]}", "--epochs", "1",
                                 "--out", str(tmp_path / "run2")])
    assert rc == 0, err
    doc = json.loads((tmp_path / "run2" / "metrics.json").read_text(encoding="utf-8"))
    rows = doc["rows"]
    assert sum(rows.values()) == len(ds.frame) + 1


def test_the_data_step_reads_a_file_again_without_a_header(window, corpus_paths):
    """Unticking "First row has the column names" reads the first row as data, at once; the
    choice is kept in the project and ticking it again goes back."""
    panel = window.data_panel
    assert window.files.open_path(str(corpus_paths["no_header"]), remember=False)
    first = window.state.dataset.frame
    assert panel.header_check.isChecked() and panel.header_check.isEnabled()
    panel.header_check.setChecked(False)
    frame = window.state.dataset.frame
    assert list(frame.columns) == [f"column_{i + 1}" for i in range(first.shape[1])]
    assert len(frame) == len(first) + 1
    assert window.state.project.read_options.header is False
    assert not panel.header_check.isChecked()
    panel.header_check.setChecked(True)
    assert list(window.state.dataset.frame.columns) == list(first.columns)


@pytest.fixture(scope="module")
def shared_window(qapp, tmp_path_factory):
    """One window opens every file in turn, as a student trying file after file would (and
    one window instead of one per file keeps the suite fast)."""
    from PySide6.QtWidgets import QMessageBox

    from studio.ui.common import guard, qt_settings
    from studio.ui.shell.app import make_application
    from studio.ui.shell.main_window import MainWindow

    make_application([])
    qt_settings.use_folder(tmp_path_factory.mktemp("settings"))
    raise_before, guard.RAISE_UNEXPECTED = guard.RAISE_UNEXPECTED, True
    w = MainWindow()
    w.files.ask_save_changes = lambda: QMessageBox.Discard
    w.resize(1280, 800)
    w.show()
    w.start()
    yield w
    w.close()
    w.deleteLater()
    guard.RAISE_UNEXPECTED = raise_before
    import gc

    qapp.processEvents()
    gc.collect()


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_window_opens_it_or_shows_the_message(case, corpus_paths, shared_window, qapp):
    window = shared_window
    before = window.state.project
    start = time.perf_counter()
    opened = window.files.open_path(str(corpus_paths[case.name]))
    qapp.processEvents()                            # paint once: no frozen window
    assert time.perf_counter() - start < 15
    if case.expect == "ok":
        assert opened, window.error_text()
        assert window.state.dataset is not None
        assert window.state.project is not before
        window.show_step("data")
        for column in list(window.state.dataset.frame.columns)[:4]:
            window.data_panel.select_column(column)    # its chart and profile
            qapp.processEvents()
        window.show_step("design")
        window.show_step("train")
        qapp.processEvents()
    else:
        assert not opened
        assert case.message.lower() in window.error_text().lower()
        assert window.state.project is before          # the open work is kept
    # still usable: another file opens
    assert window.files.open_path("sample:iris", remember=False)
    assert window.state.dataset.info.rows == 150
