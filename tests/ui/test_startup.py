"""Start-up: the probe benchmarks/startup.py reads, the splash on headless platforms, the
background import of TensorFlow that keeps the window responsive."""

from __future__ import annotations

import gc
import io
import re
import sys
import types

import pytest

from studio.ui.shell import app as app_module

PROBE = re.compile(r"^startup-probe (\w+) (\d+\.\d{6}) cpu=([\d.]+)(.*)$")


class _App:
    def __init__(self) -> None:
        self.quit_calls = 0

    def quit(self) -> None:
        self.quit_calls += 1


def test_startup_probe_prints_each_moment_and_quits_when_train_is_enabled(window, qtbot):
    out, fake_app = io.StringIO(), _App()
    window.show_tensorflow_loading()
    app_module.install_startup_probe(fake_app, window, stream=out)
    qtbot.waitUntil(lambda: "input_ready" in out.getvalue(), timeout=5000)
    assert fake_app.quit_calls == 0
    window.set_tensorflow_ready(True, "CPU")           # what the loader's signal does
    qtbot.waitUntil(lambda: fake_app.quit_calls == 1, timeout=5000)
    lines = [PROBE.match(line) for line in out.getvalue().splitlines()]
    assert all(lines), out.getvalue()
    events = [m.group(1) for m in lines]
    assert events == ["window_shown", "input_ready", "train_enabled"]
    times = [float(m.group(2)) for m in lines]
    assert times == sorted(times)
    assert re.fullmatch(r" max_stall_ms=\d+", lines[2].group(4))   # not blocked


def test_startup_probe_says_why_train_is_still_blocked(window, qtbot):
    out, fake_app = io.StringIO(), _App()
    app_module.install_startup_probe(fake_app, window, stream=out)
    window.set_tensorflow_ready(False, "TensorFlow could not be loaded: no module")
    qtbot.waitUntil(lambda: fake_app.quit_calls == 1, timeout=5000)
    assert "blocked=TensorFlow is still loading." in out.getvalue()


def test_no_splash_on_a_headless_platform(studio_app, monkeypatch):
    # (whichever platform the session runs on, treated as one with nothing to look at)
    monkeypatch.setattr(app_module, "_HEADLESS_PLATFORMS", (studio_app.platformName(),))
    assert app_module._splash() is None


def test_splash_shows_on_the_real_platform(studio_app, qtbot):
    if studio_app.platformName() != "xcb":
        pytest.skip("the splash is shown only on a real display (GUI tests run offscreen)")
    splash = app_module._splash()
    assert splash is not None
    qtbot.addWidget(splash)
    assert splash.isVisible()
    assert splash.pixmap().deviceIndependentSize().toSize().width() == 440
    splash.close()


def test_pyside_does_not_read_the_source_of_big_non_qt_packages():
    from studio.ui.common import pyside_fix

    assert pyside_fix.skip_source_scans()           # done when studio.ui was imported
    feature = sys.modules["PySide6.support.feature"]
    not_qt = types.ModuleType("tensorflow.python.fake")   # no source: a read would fail
    assert feature._mod_uses_pyside(not_qt) is False
    assert feature._mod_uses_pyside(app_module) is True   # others are still read


def test_tensorflow_imports_in_the_background_with_collection_paused():
    from studio.core import build

    frozen_before = gc.get_freeze_count()
    try:
        assert gc.isenabled()
        with build.importing_in_background():
            assert not gc.isenabled()
            made = [[] for _ in range(1000)]
        assert gc.isenabled()
        assert gc.get_freeze_count() >= frozen_before + len(made)   # frozen, not collected
    finally:
        if not frozen_before:
            gc.unfreeze()
        gc.enable()
