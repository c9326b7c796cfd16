"""Starting the GUI: the window shows at once, TensorFlow loads behind it.

Importing TensorFlow takes seconds, so :func:`run_gui` shows the window first and then imports
it on a background thread (``studio.core.build.configure()``), with "Loading TensorFlow…" in
the status bar. When it is done, :class:`TensorFlowLoader` signals the window (queued into the
GUI thread) and Train becomes available.

``NETSKETCH_STARTUP_PROBE=1`` (benchmarks/startup.py): print start-up timestamps to stderr
(:func:`install_startup_probe`) and quit once Train is enabled.
"""

from __future__ import annotations

import gc
import itertools
import logging
import os
import sys
import threading
import time
import traceback
from collections.abc import Sequence

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QPainter, QPixmap
from PySide6.QtWidgets import QApplication, QMessageBox, QSplashScreen

from studio.core.i18n import _
from studio.ui.common import qt_settings

log = logging.getLogger("studio.ui")

#: Set to ``1`` to measure start-up: see :func:`install_startup_probe`.
STARTUP_PROBE_ENV = "NETSKETCH_STARTUP_PROBE"


class TensorFlowLoader(QObject):
    """Imports TensorFlow on a daemon thread; ``sig_finished(ok, device text or error)``."""

    sig_finished = Signal(bool, str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if self._thread is not None:
            return
        self._thread = threading.Thread(target=self._run, name="tensorflow-import", daemon=True)
        self._thread.start()

    def wait(self, timeout: float | None = None) -> bool:
        if self._thread is None:
            return True
        self._thread.join(timeout)
        return not self._thread.is_alive()

    def _run(self) -> None:
        # Runs in the background thread: no widget is touched here, only a signal emitted.
        try:
            from studio.core import build

            with build.importing_in_background():
                build.configure()
                name = build.gpu_name()
            text = _("GPU ({name})", name=name) if name else _("CPU")
        except Exception as exc:
            log.exception("TensorFlow could not be imported")
            self.sig_finished.emit(False, _("TensorFlow could not be loaded: {detail}",
                                            detail=exc))
            return
        self.sig_finished.emit(True, text)


def make_application(argv: Sequence[str]) -> QApplication:
    """The QApplication with the studio's names and theme (reused if one exists)."""
    from studio.ui.common.theme import apply_theme

    app = QApplication.instance() or QApplication(list(argv))
    app.setApplicationName(qt_settings.APPLICATION)
    app.setApplicationDisplayName(qt_settings.APPLICATION)
    app.setOrganizationName(qt_settings.ORGANIZATION)
    from studio.ui.common.fonts import register_fonts

    register_fonts()          # Hangul renders without a system Korean font
    apply_theme(app)
    return app


def run_gui(argv: Sequence[str], data: str | None = None, language: str | None = None) -> int:
    """Open the studio window (on ``data``, a CSV / project / ``sample:NAME``, if given).
    ``language`` (``--lang``) wins over the one saved in the settings, which wins over the
    system's."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    # Start-up makes ~100,000 objects and no garbage: automatic collections only cost time
    # (0.1-0.2 s); what exists when the window is up is frozen (see responsiveness.py).
    gc.disable()
    app = make_application(argv)
    from studio.core.i18n import language as current_language
    from studio.core.i18n import set_language
    from studio.ui.common.live_texts import install_qt_language

    chosen = language or qt_settings.StudioSettings().language()
    if chosen:
        set_language(chosen)
    install_qt_language(current_language())    # Qt's own buttons (Save, Cancel...) too
    splash = _splash()           # the window's modules take a second to import
    from studio.ui.shell.main_window import MainWindow

    window = MainWindow()
    window.show()
    if splash is not None:
        splash.finish(window)
    window.show_tensorflow_loading()
    loader = TensorFlowLoader(window)
    loader.sig_finished.connect(window.set_tensorflow_ready)

    def start() -> None:   # after the first paint
        try:
            window.start(data)
        finally:
            gc.freeze()
            gc.enable()
        loader.start()

    QTimer.singleShot(0, start)
    if os.environ.get(STARTUP_PROBE_ENV) == "1":
        install_startup_probe(app, window)
    _install_excepthook(window)
    return int(app.exec())


def install_startup_probe(app: QApplication, window, stream=None) -> None:
    """Print ``startup-probe EVENT UNIX_TIME`` lines to ``stream`` (stderr) and quit the app
    once Train is enabled. Call it right after ``window.show()`` with the window's ``start``
    queued, as :func:`run_gui` does when ``NETSKETCH_STARTUP_PROBE=1``.

    Each line also has ``cpu=``, the process's CPU seconds so far (all threads).
    ``window_shown``: ``show()`` has returned; ``input_ready``: the event loop has run the
    start-up work queued behind the first paint (opening the first data, starting the
    TensorFlow import) and is free, so a click is handled at once; ``train_enabled``:
    TensorFlow has loaded in the background and the window updated its pages. That line ends
    with ``max_stall_ms=`` (the longest the event loop was held up meanwhile, from a 10 ms
    timer) and, if Train is still blocked, `` blocked=`` and why.
    """
    ticks: list[float] = []
    timer = QTimer(window)
    timer.setTimerType(Qt.TimerType.PreciseTimer)
    timer.setInterval(10)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))

    def emit(event: str, extra: str = "") -> None:
        out = stream if stream is not None else sys.stderr
        if out is not None:
            out.write(f"startup-probe {event} {time.time():.6f} "
                      f"cpu={time.process_time():.3f}{extra}\n")   # one write: one line
            out.flush()

    def input_ready() -> None:
        emit("input_ready")
        ticks.append(time.perf_counter())
        timer.start()

    def enabled() -> None:     # after set_tensorflow_ready has updated every page
        timer.stop()
        ticks.append(time.perf_counter())
        stall = max((1000 * (b - a) - 10 for a, b in itertools.pairwise(ticks)),
                    default=0.0)
        reason = window.train_blocked_reason()
        emit("train_enabled", f" max_stall_ms={max(0.0, stall):.0f}"
             + (f" blocked={reason}" if reason else ""))
        app.quit()

    emit("window_shown" if window.isVisible() else "window_hidden")
    QTimer.singleShot(0, window, lambda: QTimer.singleShot(0, window, input_ready))
    window.state.sig_tensorflow_changed.connect(
        lambda *_args: QTimer.singleShot(0, window, enabled))


#: Platforms with nothing to look at: no splash there. (Qt's splash waits up to a second for
#: its window to be exposed, which the offscreen platform never reports.)
_HEADLESS_PLATFORMS = ("offscreen", "minimal")


def _splash() -> QSplashScreen | None:
    """A plain card with the name, shown while the main window's modules load (None on a
    headless platform)."""
    from studio.ui.common import theme

    if QApplication.platformName() in _HEADLESS_PLATFORMS:
        return None
    ratio = QApplication.primaryScreen().devicePixelRatio() if QApplication.primaryScreen() \
        else 1.0
    pm = QPixmap(int(440 * ratio), int(150 * ratio))
    pm.setDevicePixelRatio(ratio)
    pm.fill(QColor(theme.SURFACE))
    p = QPainter(pm)
    p.setRenderHint(QPainter.Antialiasing)
    p.setPen(QColor(theme.ACCENT))
    p.drawRect(0, 0, 439, 149)
    font = QFont(QApplication.font())
    font.setPointSizeF(20)
    font.setBold(True)
    p.setFont(font)
    p.setPen(QColor(theme.TEXT))
    p.drawText(28, 68, "NetSketch Studio")
    font.setPointSizeF(11)
    font.setBold(False)
    p.setFont(font)
    p.setPen(QColor(theme.MUTED))
    p.drawText(28, 104, _("Starting…"))
    p.end()
    splash = QSplashScreen(pm)
    splash.show()
    QApplication.processEvents()
    return splash


def _install_excepthook(parent) -> None:
    """A bug in a slot shows one line in a dialog (details on stderr), never kills the app."""
    def hook(kind, value, tb) -> None:
        if sys.stderr is not None:
            traceback.print_exception(kind, value, tb)
        if issubclass(kind, KeyboardInterrupt):
            QApplication.quit()
            return
        QMessageBox.critical(parent, _("Unexpected error"),
                             _("Something went wrong inside the studio ({kind}: {detail}). "
                               "Save your work; please report this.", kind=kind.__name__,
                               detail=value))

    sys.excepthook = hook
