"""Starting the GUI: the window shows at once, TensorFlow loads behind it.

Importing TensorFlow takes seconds, so :func:`run_gui` shows the window first and then imports
it on a background thread (``studio.core.build.configure()``), with "Loading TensorFlow…" in
the status bar. When it is done, :class:`TensorFlowLoader` signals the window (queued into the
GUI thread) and Train becomes available.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
import traceback
from collections.abc import Sequence

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QPainter, QPixmap
from PySide6.QtWidgets import QApplication, QMessageBox, QSplashScreen

from studio.core.i18n import _
from studio.ui import qt_settings

log = logging.getLogger("studio.ui")


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
    from studio.ui.theme import apply_theme

    app = QApplication.instance() or QApplication(list(argv))
    app.setApplicationName(qt_settings.APPLICATION)
    app.setApplicationDisplayName(qt_settings.APPLICATION)
    app.setOrganizationName(qt_settings.ORGANIZATION)
    from studio.ui.fonts import register_fonts

    register_fonts()          # Hangul renders without a system Korean font
    apply_theme(app)
    return app


def run_gui(argv: Sequence[str], data: str | None = None, language: str | None = None) -> int:
    """Open the studio window (on ``data``, a CSV / project / ``sample:NAME``, if given).
    ``language`` (``--lang``) wins over the one saved in the settings, which wins over the
    system's."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    app = make_application(argv)
    from studio.core.i18n import set_language

    chosen = language or qt_settings.StudioSettings().language()
    if chosen:
        set_language(chosen)
    splash = _splash()           # the window's modules take a second to import
    from studio.ui.main_window import MainWindow

    window = MainWindow()
    window.show()
    splash.finish(window)
    window.show_tensorflow_loading()
    loader = TensorFlowLoader(window)
    loader.sig_finished.connect(window.set_tensorflow_ready)

    def start() -> None:   # after the first paint
        window.start(data)
        loader.start()

    QTimer.singleShot(0, start)
    _install_excepthook(window)
    return int(app.exec())


def _splash() -> QSplashScreen:
    """A plain card with the name, shown while the main window's modules load."""
    from studio.ui import theme

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
