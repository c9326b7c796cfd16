"""The studio window: the steps in the curriculum's order, menus, the doctor, the status bar.

Steps (left list, one page each in a QStackedWidget): Start, Data, Design, Compile, Train,
Evaluate — the order the students write the code in. Every page is constructed with the one
:class:`~studio.ui.state.StudioState` (``Page(state)``) and talks only to it. The window
installs its parts: ``files`` (opening and saving, recent files, lessons, drops, the
unsaved-changes prompt; errors as a banner, never a traceback) and ``classroom``
(presenting, language, step keys); it shows TensorFlow's loading state.

About 500 lines in one module: the window's wiring (steps, docks, status bar, the pages'
connections, the language rebuild); files, classroom mode and the menus are parts of their own.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, Qt, Slot
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import (
    QDockWidget,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from studio.core.doctor import first_error
from studio.core.i18n import _
from studio.ui.classroom.mode import Classroom
from studio.ui.common import theme
from studio.ui.common.doctor_panel import DoctorPanel
from studio.ui.common.live_texts import LiveTexts
from studio.ui.common.page import StepPage
from studio.ui.common.qt_settings import StudioSettings
from studio.ui.common.widgets import Banner
from studio.ui.compile.panel import SettingsPanel
from studio.ui.data.panel import DataPanel
from studio.ui.design.panel import CanvasPanel
from studio.ui.evaluate.panel import EvalPanel
from studio.ui.experiments.runs_view import RunsView
from studio.ui.shell.autosaver import Autosaver, ask_recover
from studio.ui.shell.main_menus import MainMenus
from studio.ui.shell.project_files import ProjectFiles
from studio.ui.start.page import StartPage
from studio.ui.state import StudioState
from studio.ui.train.panel import TrainPanel

FIRST_SAMPLE = "sample:iris"
DOCTOR_STEPS = ("data", "design", "compile", "train")


def step_titles() -> dict[str, str]:
    return {"start": _("Start"), "data": _("Data"), "design": _("Design"),
            "compile": _("Compile"), "train": _("Train"), "evaluate": _("Evaluate")}


class MainWindow(QMainWindow):
    """See the module docstring. Construct, show, then call :meth:`start`."""

    def __init__(self, state: StudioState | None = None,
                 settings: StudioSettings | None = None) -> None:
        super().__init__()
        self.state = state or StudioState(self)
        self.settings = settings or StudioSettings()
        self.files = ProjectFiles(self)        # File > New / Open / Save, lessons, drops
        self.classroom = Classroom(self)       # presenting, language, step keys, glossary
        self._keys: list[str] = []
        #: the six steps' pages (a page added with add_step is any widget)
        self._pages: dict[str, StepPage] = {}
        self.runs_view: RunsView | None = None
        self._doctor_wanted = True
        self._code_wanted = True     # View > Code; hidden on steps without the doctor
        self.setWindowTitle("NetSketch Studio")
        self.setAcceptDrops(True)
        self.resize(1280, 800)
        self.setMinimumSize(960, 640)

        # -- steps ----------------------------------------------------------------------------
        self.step_list = QListWidget()
        self.step_list.setObjectName("stepList")
        self.step_list.setFixedWidth(156)
        self.step_list.setIconSize(theme.step_icon(1).availableSizes()[0])
        self.step_list.setFocusPolicy(Qt.NoFocus)
        self.stack = QStackedWidget()
        self.step_list.currentRowChanged.connect(self._on_step_changed)
        self.error_banner = Banner("error", closable=True)
        center = QWidget()
        center.setObjectName("page")
        cl = QVBoxLayout(center)
        cl.setContentsMargins(0, 0, 0, 0)
        cl.setSpacing(0)
        banner_host = QWidget()
        bl = QVBoxLayout(banner_host)
        bl.setContentsMargins(theme.MARGIN, 8, theme.MARGIN, 0)
        bl.addWidget(self.error_banner)
        self._banner_host = banner_host
        banner_host.hide()
        self.error_banner.sig_closed.connect(banner_host.hide)
        cl.addWidget(banner_host)
        cl.addWidget(self.stack, 1)
        root = QWidget()
        rl = QHBoxLayout(root)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.setSpacing(0)
        rl.addWidget(self.step_list)
        rl.addWidget(center, 1)
        self.setCentralWidget(root)

        titles = step_titles()
        for key in ("start", "data", "design", "compile", "train", "evaluate"):
            self.add_step(titles[key], self._make_page(key), key)

        # -- side panels: the doctor, code, predict, runs (docks: the step list stays the
        # curriculum's) --------------------------------------------------------------------
        self._window_texts = LiveTexts()
        self.doctor_dock = self._dock("doctorDock", lambda: _("Doctor"),
                                      Qt.RightDockWidgetArea)
        self.doctor_dock.setFeatures(QDockWidget.DockWidgetClosable
                                     | QDockWidget.DockWidgetMovable)
        self.doctor_dock.setMinimumWidth(240)
        self.resizeDocks([self.doctor_dock], [264], Qt.Horizontal)
        self.doctor_dock.installEventFilter(self)     # its close button = View > Doctor off
        self.code_dock = self._dock("codeDock", lambda: _("Code"), Qt.RightDockWidgetArea)
        self.tabifyDockWidget(self.doctor_dock, self.code_dock)
        self.doctor_dock.raise_()
        self.predict_dock = self._dock("predictDock", lambda: _("Predict"),
                                       Qt.BottomDockWidgetArea)
        self.predict_dock.hide()
        self.runs_dock = self._dock("runsDock", lambda: _("Runs"), Qt.BottomDockWidgetArea)
        self.tabifyDockWidget(self.predict_dock, self.runs_dock)
        self.runs_dock.hide()
        self._make_side_panels()

        # -- status bar ---------------------------------------------------------------------
        self.tf_label = QLabel()
        self.device_label = QLabel()
        self.statusBar().addPermanentWidget(self.tf_label)
        self.statusBar().addPermanentWidget(self.device_label)
        self.statusBar().setSizeGripEnabled(False)
        self._show_tensorflow_state(False, "")
        self.state.sig_tensorflow_changed.connect(self._on_tensorflow_changed)

        self.autosaver = Autosaver(self)
        self.menus = MainMenus(self, self._step_names)
        self.menus.doctor_action.toggled.connect(self._on_doctor_toggled)
        self.code_dock.toggleViewAction().triggered.connect(self._on_code_toggled)
        self.recent_menu = self.menus.recent_menu
        self._wire_pages()
        self.state.sig_error.connect(self.show_error)
        self.state.sig_status.connect(self.statusBar().showMessage)
        self.state.sig_replay_requested.connect(self._on_replay_requested)
        self.state.sig_dirty_changed.connect(self.update_title)
        self.state.sig_path_changed.connect(self.update_title)
        self.state.sig_dataset_changed.connect(self._on_dataset_changed)
        self.state.sig_project_closing.connect(self._on_project_closing)
        self.state.sig_findings_changed.connect(self._update_blocked)
        self._restore_window()
        self.files.refresh_recent()
        self._on_dataset_changed()
        self.step_list.setCurrentRow(0)
        self.classroom.install_menus()

    # -- steps --------------------------------------------------------------------------------
    def add_step(self, name: str, widget: QWidget, key: str | None = None) -> int:
        """Append a step page; returns its index. ``key`` (default: ``name`` lowered) is what
        :meth:`show_step` and :meth:`page` take."""
        key = key or name.lower()
        if key in self._keys:
            raise ValueError(f"step {key!r} exists")
        index = self.stack.addWidget(widget)
        item = QListWidgetItem(theme.step_icon(index + 1), "  " + name)
        item.setData(Qt.UserRole, key)
        self.step_list.addItem(item)
        self._keys.append(key)
        return index

    def steps(self) -> list[str]:
        return list(self._keys)

    def page(self, key: str) -> QWidget:
        return self.stack.widget(self._keys.index(key))

    def show_step(self, key: str) -> None:
        self.step_list.setCurrentRow(self._keys.index(key))

    def current_step(self) -> str:
        return self._keys[self.stack.currentIndex()]

    def _step_names(self) -> dict[str, str]:
        titles = step_titles()
        return {k: titles.get(k, k) for k in self._keys}

    def _make_page(self, key: str) -> QWidget:
        """A new page for step ``key``, made from the state (at start-up, and again on a
        language switch)."""
        if key == "start":
            page = self.start_page = StartPage(self.state)
            page.sig_open.connect(self.files.open_path)
            page.sig_open_csv.connect(self.files.new_from_csv)
            page.sig_open_project.connect(self.files.open_project_dialog)
            page.sig_continue.connect(self._on_continue)
        elif key == "data":
            page = self.data_panel = DataPanel(self.state)
        elif key == "compile":
            page = self.settings_panel = SettingsPanel(self.state)
        else:
            page = {"design": CanvasPanel, "train": TrainPanel, "evaluate": EvalPanel}[key](
                self.state)
        self._pages[key] = page
        return page

    def _dock(self, name: str, title, area) -> QDockWidget:
        dock = QDockWidget(self)
        dock.setObjectName(name)
        self._window_texts.bind(dock.setWindowTitle, title)   # View's entry follows the title
        self.addDockWidget(area, dock)
        return dock

    def _make_side_panels(self) -> None:
        """New doctor, code, predict and runs panels in their docks (at start-up, and again
        on a language switch; a running hyperparameter search keeps its dialog)."""
        from studio.ui.design.code_view import CodeView
        from studio.ui.evaluate.predict_panel import PredictPanel

        old_runs = self.runs_view
        self.doctor_panel = DoctorPanel(self.state)
        self.doctor_panel.sig_finding_activated.connect(self._on_finding_activated)
        self.code_view = CodeView(self.state)
        self.predict_panel = PredictPanel(self.state)
        self.runs_view = RunsView(self.state)
        if old_runs is not None and old_runs.search_dialog is not None:
            dialog, old_runs.search_dialog = old_runs.search_dialog, None
            if dialog.controller.is_running:
                self.runs_view.search_dialog = dialog       # the search goes on
            else:
                dialog.close()
                dialog.deleteLater()      # the next one opens in the new language
        for dock, panel in ((self.doctor_dock, self.doctor_panel),
                            (self.code_dock, self.code_view),
                            (self.predict_dock, self.predict_panel),
                            (self.runs_dock, self.runs_view)):
            old = dock.widget()
            dock.setWidget(panel)
            if old is not None:
                old.deleteLater()

    def _wire_pages(self) -> None:
        """The connections between pages and side panels, and Edit's undo / redo (made again
        whenever the pages are)."""
        canvas: CanvasPanel = self._pages["design"]
        controller = self._pages["train"].controller
        controller.sig_running_changed.connect(self.predict_panel.set_training)
        self.predict_panel.set_training(controller.is_running)
        self.menus.set_edit_actions([canvas.undo_action, canvas.redo_action])
        canvas.attach_training(controller)
        canvas.sig_layer_selected.connect(self.code_view.highlight_layer)

    def _on_step_changed(self, row: int) -> None:
        if row < 0:
            return
        self.stack.setCurrentIndex(row)
        key = self._keys[row]
        side = key in DOCTOR_STEPS
        doctor_was_shown = self.doctor_dock.isVisible()
        self.doctor_dock.setVisible(side and self._doctor_wanted)
        # the code shares the doctor's side: Start and Evaluate get the width; not while
        # presenting: the steps get the whole projector (studio/ui/classroom/mode.py)
        self.code_dock.setVisible(side and self._code_wanted and not self.classroom.presenting)
        if side and self._doctor_wanted and not doctor_was_shown:
            self.doctor_dock.raise_()      # back on a doctor step: the doctor's tab in front

    # -- opening and saving ---------------------------------------------------------------------
    def start(self, data: str | None = None) -> None:
        """What to show at launch: ``data`` if given; the first sample on a first start.
        Work autosaved by a session that did not end cleanly is offered first."""
        if self.autosaver.offer_recovery():
            self.show_step("data")
            return
        if data:
            if self.files.open_path(data):
                self.show_step("data")
            return
        if not self.settings.recent_files() and self.files.open_path(FIRST_SAMPLE, remember=False):
            self.show_step("start")

    # -- feedback ---------------------------------------------------------------------------
    @Slot(str)
    def show_error(self, message: str) -> None:
        """Show a user error inline at the top of the window (never a traceback)."""
        self.error_banner.show_message(message, "error")
        self._banner_host.show()

    def hide_error(self) -> None:
        self.error_banner.show_message("")
        self._banner_host.hide()

    def error_text(self) -> str:
        return self.error_banner.text.text() if self._banner_host.isVisibleTo(self) else ""

    @Slot(bool, str)
    def set_tensorflow_ready(self, ready: bool, device_text: str = "") -> None:
        """Called when the background import of TensorFlow ends (``ready`` False: it failed,
        and ``device_text`` says why): the state keeps it, and every page follows the state."""
        self.state.set_tensorflow_ready(ready, device_text)

    @Slot(bool, str)
    def _on_tensorflow_changed(self, ready: bool, text: str) -> None:
        self._show_tensorflow_state(ready, text, loading=False)
        self._update_blocked()

    def show_tensorflow_loading(self) -> None:
        self._show_tensorflow_state(False, "", loading=True)

    def _show_tensorflow_state(self, ready: bool, device_text: str,
                               loading: bool = False) -> None:
        if loading:
            self.tf_label.setText(_("Loading TensorFlow…"))
            self.device_label.setText("")
        elif ready:
            self.tf_label.setText(_("TensorFlow ready"))
            self.device_label.setText(_("Device: {device}", device=device_text or _("CPU")))
        elif device_text:
            self.tf_label.setText(_("TensorFlow could not be loaded"))
            self.tf_label.setToolTip(device_text)
            self.device_label.setText("")
        else:
            self.tf_label.setText(_("TensorFlow not loaded"))
            self.device_label.setText("")

    def train_blocked_reason(self) -> str | None:
        """Why training cannot start now (the first doctor error first), or None."""
        if self.state.project is None or self.state.dataset is None:
            return _("Open a data set first.")
        first = first_error(self.state.findings)
        if first is not None:
            return first.title
        if not self.state.tensorflow_ready:
            return _("TensorFlow is still loading.")
        return None

    def _update_blocked(self, *_args) -> None:
        reason = self.train_blocked_reason()
        item = self.step_list.item(self._keys.index("train")) if "train" in self._keys else None
        if item is not None:
            item.setToolTip(_("Training is blocked: {reason}", reason=reason) if reason
                            else _("Ready to train."))

    def project_name(self) -> str:
        proj = self.state.project
        if proj is None:
            return ""
        if proj.path is not None:
            return Path(proj.path).stem
        return proj.name or _("Untitled")

    def update_title(self, *_args) -> None:
        name = self.project_name()
        self.setWindowTitle(f"{name}[*] — NetSketch Studio" if name else "NetSketch Studio")
        self.setWindowModified(bool(self.state.dirty and self.state.project is not None))

    def _on_dataset_changed(self) -> None:
        has = self.state.project is not None
        for i, key in enumerate(self._keys):
            if key != "start":
                item = self.step_list.item(i)
                flags = item.flags()
                item.setFlags(flags | Qt.ItemIsEnabled if has else flags & ~Qt.ItemIsEnabled)
        for act in (self.menus.save_action, self.menus.save_as_action):
            act.setEnabled(has)
        self.update_title()
        self._update_blocked()

    def _on_project_closing(self) -> None:
        """Stop work on the old project (training) before the state replaces it."""
        self.files.release_lesson_folder()
        self.runs_view.shutdown()      # a hyperparameter search or recall comparison
        for page in self._pages.values():
            page.shutdown()

    def _on_replay_requested(self, _run) -> None:
        self.show_step("train")          # the Train page plays it (studio/ui/train/demo.py)

    def _on_continue(self) -> None:
        self.show_step("data")

    def _on_finding_activated(self, finding) -> None:
        if finding.column:
            self.show_step("data")
            self.data_panel.select_column(finding.column)
        elif finding.layer:
            self.show_step("design")

    def eventFilter(self, obj, event) -> bool:
        if obj is self.doctor_dock and event.type() == QEvent.Close:
            self.menus.doctor_action.setChecked(False)
        return super().eventFilter(obj, event)

    def _on_code_toggled(self, on: bool) -> None:
        self._code_wanted = on

    def _on_doctor_toggled(self, on: bool) -> None:
        self._doctor_wanted = on
        self.doctor_dock.setVisible(on and self.current_step() in DOCTOR_STEPS)

    # -- window state ---------------------------------------------------------------------------
    def _restore_window(self) -> None:
        geometry = self.settings.window_geometry()
        if geometry is not None:
            self.restoreGeometry(geometry)
        state = self.settings.window_state()
        if state is not None:
            self.restoreState(state)

    # -- export and lessons -------------------------------------------------------------------
    def export_code_dialog(self) -> None:
        self.code_view.export_dialog("py")

    # -- language ---------------------------------------------------------------------------
    def training_running(self) -> bool:
        """Whether a model is training now (a language switch waits for it)."""
        return self._pages["train"].controller.is_running

    def retranslate(self) -> None:
        """Every text of the window in the current language.

        The menus, their actions (and so their shortcuts), the docks and the step list are
        the same objects, retranslated in place. The pages and the side panels are made anew
        from the :class:`~studio.ui.state.StudioState`, which holds everything worth keeping
        (the undo stack included), and wired again as at start-up: a page has no state of its
        own worth keeping, so making it anew is simpler and more robust than a
        ``retranslate_ui`` in every panel that could forget a string. The doctor runs again so
        that its findings are in the new language, and a finished run is shown again in the
        new Train and Evaluate pages.
        """
        current = self.current_step()
        state = self.state
        kernels = self._pages["design"].scene.kernels
        state.rediagnose()
        self.step_list.blockSignals(True)
        titles = step_titles()
        for i, key in enumerate(self._keys):
            if key not in titles:           # a step added by add_step: keep it
                continue
            old = self.stack.widget(i)
            self._pages[key].shutdown()
            page = self._make_page(key)
            self.stack.insertWidget(i, page)
            self.stack.removeWidget(old)
            old.deleteLater()
            self.step_list.item(i).setText("  " + titles[key])
        self.step_list.blockSignals(False)

        self._make_side_panels()
        self.menus.retranslate()
        self._window_texts.apply()
        self._wire_pages()
        self.files.refresh_recent()

        self._show_tensorflow_state(state.tensorflow_ready,
                                    state.device_text or state.tensorflow_error)
        self._update_blocked()
        self._on_dataset_changed()
        if state.result is not None:
            self._pages["train"].show_finished(state.result)
        if kernels is not None:
            self._pages["design"].set_weights(0, kernels)   # the weights shown, as they were
        self.show_step(current)
        self._on_step_changed(self.step_list.currentRow())   # the stack lost its index

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.classroom.window_resized()

    # -- drag and drop: a CSV or project dropped anywhere on the window ---------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        self.files.drag_enter(event)

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        self.files.drag_move(event)

    def dropEvent(self, event: QDropEvent) -> None:
        self.files.drop(event)

    def ask_recover(self, when: str, name: str) -> bool:
        """Ask whether to recover autosaved work (tests replace this)."""
        return ask_recover(self, when, name)

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.files.confirm_discard():
            event.ignore()
            return
        self._on_project_closing()
        self.autosaver.discard()
        self.autosaver.stop()
        self.settings.save_window(self.saveGeometry(), self.saveState())
        self.settings.sync()
        self.classroom.leave_look()     # the app's fonts and style are shared: not left presenting
        event.accept()

