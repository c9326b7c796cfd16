"""``studio snapshot``: the real main window rendered offscreen to a PNG.

For README images, handouts and tests. The window is the one users see (same panels, theme and
signals); when asked, it really trains through its own Train panel first, so the curves, the
curves' reading and the Evaluate page show a real run. Nothing is shown on screen
(``WA_DontShowOnScreen``, and the ``offscreen`` platform when no QApplication exists yet), and
the user's settings are never read or written: QSettings point to a temporary folder.
"""

from __future__ import annotations

import os
import re
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from studio.core.errors import StudioError
from studio.core.i18n import _

TABS = ("start", "data", "design", "compile", "train", "evaluate")
DEFAULT_SIZE = (1600, 1000)
MIN_SIZE = (960, 640)        # the main window's minimum size
MAX_SIZE = (7680, 4320)
TRAIN_TIMEOUT_S = 900.0      # generous: a slow CI machine, a big CSV


def parse_size(text: str) -> tuple[int, int]:
    """``"1600x1000"`` -> ``(1600, 1000)``; a StudioError for anything else."""
    m = re.fullmatch(r"\s*(\d+)\s*[xX×]\s*(\d+)\s*", text or "")
    if not m:
        raise StudioError(_("The size must look like 1600x1000 (width x height in pixels), "
                            "not {value}.", value=repr(text)))
    return check_size((int(m.group(1)), int(m.group(2))))


def check_size(size: tuple[int, int]) -> tuple[int, int]:
    w, h = int(size[0]), int(size[1])
    if not (MIN_SIZE[0] <= w <= MAX_SIZE[0] and MIN_SIZE[1] <= h <= MAX_SIZE[1]):
        raise StudioError(_("The size {w}x{h} is out of range: from {a}x{b} (the window's "
                            "smallest) to {c}x{d}.", w=w, h=h, a=MIN_SIZE[0], b=MIN_SIZE[1],
                            c=MAX_SIZE[0], d=MAX_SIZE[1]))
    return w, h


def check_tab(tab: str) -> str:
    if tab not in TABS:
        raise StudioError(_("Unknown tab {tab}; choose one of: {tabs}.", tab=repr(tab),
                            tabs=", ".join(TABS)))
    return tab


def render_snapshot(output: str | os.PathLike, *, data: str | None = None,
                    target: str | None = None, project: str | os.PathLike | None = None,
                    read_options=None, train_epochs: int | None = None,
                    tab: str | None = None, size: tuple[int, int] = DEFAULT_SIZE,
                    timeout_s: float = TRAIN_TIMEOUT_S, load_tensorflow: bool = True,
                    presentation: bool = False, presentation_theme: str = "light",
                    colours: int | None = None, sketch: bool = False) -> Path:
    """Render the main window on ``data`` (with ``target``) or ``project`` to ``output``.

    With ``train_epochs`` the window's Train panel trains that many epochs first (TensorFlow
    is loaded synchronously before), and the default ``tab`` becomes ``evaluate`` instead of
    ``data``. Returns the PNG's path. User errors (unreadable CSV, unknown target, a design the
    doctor rejects, a bad tab or size, a failed run) raise :class:`StudioError`.
    """
    if project is not None and (data is not None or target is not None):
        raise StudioError(_("Give either --project or DATA with --target, not both."))
    if project is None and data is None:
        raise StudioError(_("Give a CSV file (or sample:NAME) with --target, or --project "
                            "PROJECT.json."))
    if colours is not None and not 2 <= int(colours) <= 256:
        raise StudioError(_("--colours must be from 2 to 256."))
    if train_epochs is not None and int(train_epochs) < 1:
        raise StudioError(_("--train-epochs must be 1 or more."))
    tab = check_tab(tab or ("evaluate" if train_epochs else "data"))
    width, height = check_size(size)
    out = Path(output)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StudioError(_("cannot create the output folder {path}: {detail}",
                            path=str(out.parent), detail=exc.strerror or exc)) from exc

    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    if QApplication.instance() is None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    from studio.ui.common import qt_settings
    from studio.ui.shell.app import make_application

    app = make_application(["studio"])
    with tempfile.TemporaryDirectory(prefix="studio-snapshot-") as settings_dir:
        qt_settings.use_folder(settings_dir)   # never the user's geometry or recent files
        from studio.ui.shell.main_window import MainWindow

        window = MainWindow()
        window.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen, True)
        try:
            window.resize(width, height)
            window.show()
            _open(window, data, target, project, read_options)
            if load_tensorflow or train_epochs:
                _load_tensorflow(window)
            if train_epochs:
                _train(window, int(train_epochs), timeout_s)
            if presentation:        # F5: large fonts, high contrast, no doctor or status bar
                window.classroom.set_presentation_theme(presentation_theme)
                window.classroom.set_presentation(True)
            if sketch:               # the canvas's hand-drawn style
                from PySide6.QtWidgets import QWidget

                canvas = window.findChild(QWidget, "canvasPanel")
                if canvas is not None:
                    canvas.set_style("sketch")
            window.show_step(tab)
            _settle(app)
            if window.size().width() != width or window.size().height() != height:
                window.resize(width, height)
                _settle(app)
            if presentation:
                window.classroom.apply_look()       # the sizes follow the final window height
                _settle(app)
            image = window.grab().toImage()
        finally:
            _close(app, window)
    if colours:                  # docs: an 8-bit palette, a third of the size
        from studio.ui.common.png_palette import reduce_colours

        image = reduce_colours(image, colours)
    if not image.save(str(out), "PNG", 0):      # 0: the smallest file Qt writes
        raise StudioError(_("cannot write the image {path}", path=str(out)))
    return out


# -- steps ----------------------------------------------------------------------------------------
def _open(window, data, target, project, read_options) -> None:
    state = window.state
    if project is not None:
        state.open_project(str(project))
        return
    if target is None and str(data).startswith("sample:"):
        from studio.core.data import list_samples

        target = next((s.target for s in list_samples() if s.source == data), None)
    state.open_data(str(data), target=target, options=read_options)


def _load_tensorflow(window) -> None:
    """Synchronously, in this thread: the snapshot waits for it anyway."""
    from studio.core import build

    try:
        build.configure()
        name = build.gpu_name()
    except Exception as exc:  # an install problem, reported as one line
        raise StudioError(_("TensorFlow could not be loaded: {detail}", detail=exc)) from exc
    window.set_tensorflow_ready(True, _("GPU ({name})", name=name) if name else _("CPU"))


def _train(window, epochs: int, timeout_s: float) -> None:
    """Train through the window's Train panel, as a click on Train does, and wait."""
    state = window.state
    panel = window.page("train")
    state.set_field("training.epochs", epochs, "epochs")
    window.show_step("train")
    reason = panel.blocked_reason()
    if reason is not None:
        raise StudioError(_("Cannot train: {reason}", reason=reason))
    outcome: dict[str, object] = {}
    state.sig_result_ready.connect(lambda r: outcome.setdefault("result", r))
    panel.controller.sig_failed.connect(lambda m: outcome.setdefault("failed", m))
    if not panel.start_training():
        raise StudioError(_("Cannot train: {reason}", reason=panel.blocked_reason() or "?"))
    done = _wait(lambda: bool(outcome) and not panel.controller.is_running, timeout_s)
    if not done:
        panel.shutdown(30000)
        raise StudioError(_("Training did not finish within {s:.0f} seconds.", s=timeout_s))
    if "failed" in outcome:
        raise StudioError(_("Training failed: {message}", message=outcome["failed"]))


def _wait(predicate: Callable[[], bool], timeout_s: float, poll_ms: int = 20) -> bool:
    """Run the event loop (a QEventLoop, so queued signals are delivered) until
    ``predicate()`` or the timeout."""
    from PySide6.QtCore import QEventLoop, QTimer

    if predicate():
        return True
    loop = QEventLoop()
    deadline = time.monotonic() + timeout_s

    def check() -> None:
        if predicate() or time.monotonic() > deadline:
            loop.quit()

    timer = QTimer()
    timer.setInterval(poll_ms)
    timer.timeout.connect(check)
    timer.start()
    loop.exec()
    timer.stop()
    return predicate()


def _settle(app, ms: int = 300) -> None:
    """Let layouts, deferred resizes and the curves' redraw timer run before grabbing."""
    end = time.monotonic() + ms / 1000
    _wait(lambda: time.monotonic() >= end, ms / 1000 + 1)
    app.processEvents()


def _close(app, window) -> None:
    from PySide6.QtCore import QEvent

    window.state.dirty = False             # no "save changes?" prompt: nothing is saved
    window.close()                         # stops and waits for any training thread
    window.deleteLater()
    app.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    app.processEvents()
