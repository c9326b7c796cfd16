"""`studio snapshot`: the real window rendered offscreen to a PNG, after really training.

The training case runs once, as a fresh process (as README images are made); the others run
in this process, on pytest-qt's QApplication.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")     # before Qt is imported anywhere

import numpy as np
import pytest

from studio.cli import main

HEAT_COLOUR = 0x0072B2     # the confusion matrix's fullest cell (studio.ui.evaluate.classification)


def _pixels(path) -> tuple[int, int, np.ndarray]:
    """Width, height and the RGB values (0xRRGGBB) of a PNG, read back with Qt."""
    from PySide6.QtGui import QImage

    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    img = QImage(str(path))
    assert not img.isNull()
    img = img.convertToFormat(QImage.Format.Format_RGB32)
    w, h, bpl = img.width(), img.height(), img.bytesPerLine()
    rows = np.frombuffer(img.constBits(), dtype=np.uint32, count=h * bpl // 4)
    rgb = rows.reshape(h, bpl // 4)[:, :w] & 0xFFFFFF
    return w, h, rgb


def test_snapshot_after_training_in_a_fresh_process(tmp_path):
    out = tmp_path / "eval.png"
    env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}  # its own default
    env.pop("DISPLAY", None)
    env.pop("WAYLAND_DISPLAY", None)
    try:       # well under pytest's own timeout, so that a hang shows the child's output
        proc = subprocess.run(
            [sys.executable, "-m", "studio", "snapshot", "sample:iris", "--target", "species",
             "--train-epochs", "3", "--tab", "evaluate", "-o", str(out)],
            check=False, capture_output=True, text=True, timeout=240,
            env=env)
    except subprocess.TimeoutExpired as exc:
        pytest.fail(f"snapshot hung; stdout: {exc.stdout!r} stderr: {exc.stderr!r}")
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    assert str(out) in proc.stdout
    w, h, rgb = _pixels(out)
    assert (w, h) == (1600, 1000)                    # the default size
    assert len(np.unique(rgb)) > 500                 # text, plots: not a blank page
    # the Evaluate page shows a trained model's confusion matrix, not "train the model first"
    assert np.count_nonzero(rgb == HEAT_COLOUR) > 2000


def test_snapshot_without_training_in_process(qapp, capsys, tmp_path):
    out = tmp_path / "sub" / "data.png"               # the folder is created
    code = main(["snapshot", "sample:iris", "--tab", "data", "--size", "1280x800", "-o",
                 str(out)])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    w, h, rgb = _pixels(out)
    assert (w, h) == (1280, 800)
    assert len(np.unique(rgb)) > 200
    assert np.count_nonzero(rgb == HEAT_COLOUR) == 0  # nothing trained, no confusion matrix


def test_fewer_colours_for_smaller_files(qapp, capsys, tmp_path):
    out = tmp_path / "compile.png"
    assert main(["snapshot", "sample:iris", "--tab", "compile", "--colours", "64", "-o",
                 str(out)]) == 0, capsys.readouterr().err
    w, h, rgb = _pixels(out)
    assert (w, h) == (1600, 1000)
    assert 16 < len(np.unique(rgb)) <= 64


def _bad_csv(tmp_path) -> str:
    bad = tmp_path / "workbook.csv"
    bad.write_bytes(b"PK\x03\x04" + bytes(range(256)) * 4)
    return str(bad)


@pytest.mark.parametrize("argv, fragment", [
    (["sample:iris", "--tab", "results"], "Unknown tab"),
    (["sample:iris", "--size", "12x"], "1600x1000"),
    (["sample:iris", "--size", "100x100"], "out of range"),
    (["sample:iris", "--target", "colour"], "colour"),
    (["BAD", "--target", "y"], "Excel"),
    (["sample:iris", "--train-epochs", "0"], "--train-epochs"),
    (["sample:iris", "--colours", "1"], "--colours"),
    (["--project", "nope.json"], "does not exist"),
    ([], "--target"),
])
def test_user_errors_exit_2_with_one_error_line(qapp, capsys, tmp_path, argv, fragment):
    argv = [_bad_csv(tmp_path) if a == "BAD" else a for a in argv]
    out = tmp_path / "x.png"
    code = main(["snapshot", *argv, "-o", str(out)])
    _out, err = capsys.readouterr()
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:") and fragment in lines[0], err
    assert not out.exists()


def test_a_design_the_doctor_rejects_is_not_trained(qapp, capsys, tmp_path):
    proj = tmp_path / "p.json"
    assert main(["new", "sample:iris", "--target", "species", "-o", str(proj)]) == 0
    doc = json.loads(proj.read_text("utf-8"))
    doc["compile"]["loss"] = "mse"
    proj.write_text(json.dumps(doc), encoding="utf-8")
    capsys.readouterr()
    code = main(["snapshot", "--project", str(proj), "--train-epochs", "1", "-o",
                 str(tmp_path / "x.png")])
    _out, err = capsys.readouterr()
    assert code == 2 and err.startswith("error: Cannot train:")


def test_sketch_style_of_the_design(qapp, capsys, tmp_path):
    clean, sketch = tmp_path / "clean.png", tmp_path / "sketch.png"
    for out, extra in ((clean, []), (sketch, ["--sketch"])):
        assert main(["snapshot", "sample:iris", "--tab", "design", "--size", "1280x800",
                     "-o", str(out)] + extra) == 0, capsys.readouterr().err
    _w, _h, a = _pixels(clean)
    _w, _h, b = _pixels(sketch)
    assert a.shape == b.shape and (a != b).any()  # the uneven, hand-drawn lines differ
