"""The Start step: the bundled samples as cards, recent files, and Open CSV / Open project.

The page only emits what the user asked for; the main window opens it (one door for opening,
with its error handling and recent-file bookkeeping).
"""

from __future__ import annotations

import os

from PySide6.QtCore import QEvent, QRect, QSize, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QStyledItemDelegate,
    QVBoxLayout,
    QWidget,
)

from studio.core.data import SampleInfo, list_samples
from studio.core.i18n import _
from studio.ui.common import theme


def task_names() -> dict[str, str]:
    return {"regression": _("Regression"), "binary": _("Binary classification"),
            "multiclass": _("Multi-class classification")}


_TASK_COLOURS = {"regression": ("#0f766e", "#e6f4f2"), "binary": ("#7c3aed", "#f1ebfd"),
                 "multiclass": ("#2563eb", "#e8effd")}


class SampleCard(QFrame):
    """A clickable card for one sample dataset."""

    sig_clicked = Signal(str)   # the sample's source, "sample:NAME"

    def __init__(self, sample: SampleInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.sample = sample
        self.setObjectName("card")
        self.setCursor(Qt.PointingHandCursor)
        self.setToolTip(_("Open {title}", title=sample.title))
        title = theme.label(sample.title, "h2", wrap=True)
        fg, bg = _TASK_COLOURS.get(sample.task, (theme.MUTED, theme.BG))
        badge = QLabel(task_names().get(sample.task, sample.task))
        badge.setStyleSheet(f"color: {fg}; background: {bg}; border-radius: 9px; "
                            f"padding: 1px 8px; font-weight: 600;")   # size: the page's
        facts = theme.label(_("{rows} rows · {cols} columns · predict {target}",
                              rows=sample.rows, cols=sample.columns, target=sample.target),
                            "muted", wrap=True)
        desc = QLabel(sample.description)
        desc.setWordWrap(True)
        desc.setAlignment(Qt.AlignTop | Qt.AlignLeft)
        # the badge on its own line: beside the facts it squeezed them into a narrow column
        # in presentation mode
        lay = QVBoxLayout(self)
        lay.setContentsMargins(14, 12, 14, 12)
        lay.setSpacing(6)
        lay.addWidget(title)
        lay.addWidget(badge, 0, Qt.AlignLeft)
        lay.addWidget(facts)
        lay.addWidget(desc, 1)
        for w in (title, badge, facts, desc):
            w.setAttribute(Qt.WA_TransparentForMouseEvents)

    def mouseReleaseEvent(self, event) -> None:
        if event.button() == Qt.LeftButton and self.rect().contains(event.position().toPoint()):
            self.sig_clicked.emit(self.sample.source)
        super().mouseReleaseEvent(event)


class StartPage(QWidget):
    """Samples, recent files and the two open buttons."""

    sig_open = Signal(str)            # a CSV path, a project path or "sample:NAME"
    sig_open_csv = Signal()           # ask for a CSV file
    sig_open_project = Signal()       # ask for a project file
    sig_continue = Signal()           # go on with the project that is open

    def __init__(self, state=None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("page")
        self.state = state
        heading = theme.label(_("Welcome to NetSketch Studio"), "h1")
        sub = theme.label(_("Load a table, draw a network, compile it, train it and see how "
                            "well it predicts — in the order you write the code."), "muted",
                          wrap=True)
        self.open_csv_button = QPushButton(_("Open CSV…"))
        self.open_csv_button.setProperty("role", "primary")
        self.open_csv_button.setMinimumHeight(36)
        self.open_csv_button.clicked.connect(self.sig_open_csv)
        self.open_project_button = QPushButton(_("Open project…"))
        self.open_project_button.setMinimumHeight(36)
        self.open_project_button.clicked.connect(self.sig_open_project)
        buttons = QHBoxLayout()
        buttons.setSpacing(theme.SPACING)
        buttons.addWidget(self.open_csv_button)
        buttons.addWidget(self.open_project_button)
        buttons.addStretch(1)
        self.continue_button = QPushButton()
        self.continue_button.setMinimumHeight(36)
        self.continue_button.setCursor(Qt.PointingHandCursor)
        self.continue_button.clicked.connect(self.sig_continue)
        self.continue_button.hide()
        buttons.addWidget(self.continue_button)

        # samples
        self.cards: list[SampleCard] = []
        grid_host = QWidget()
        grid_host.setObjectName("page")
        grid = QGridLayout(grid_host)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(12)
        for i, sample in enumerate(list_samples()):
            card = SampleCard(sample)
            card.sig_clicked.connect(self.sig_open)
            grid.addWidget(card, i // 2, i % 2)
            self.cards.append(card)
        self._grid, self._grid_columns = grid, 2
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        scroll.setWidget(grid_host)
        self._scroll = scroll
        self._arrange_cards(2)

        left = QVBoxLayout()
        left.setSpacing(8)
        left.addWidget(theme.label(_("Samples"), "h2"))
        left.addWidget(scroll, 1)

        # recent
        self.recent_list = QListWidget()
        self.recent_list.setObjectName("recentList")
        self.recent_list.setStyleSheet(f"QListWidget#recentList {{ background: {theme.SURFACE};"
                                       f" border: 1px solid {theme.BORDER}; border-radius: 8px;"
                                       f" padding: 4px; }} QListWidget#recentList::item "
                                       f"{{ padding: 6px 4px; }}")
        # long file names wrap inside the narrow column instead of being cut at its edge
        self.recent_list.setWordWrap(True)
        self.recent_list.setTextElideMode(Qt.ElideNone)
        self.recent_list.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.recent_list.setResizeMode(QListWidget.Adjust)
        self.recent_list.setUniformItemSizes(False)
        self.recent_list.setItemDelegate(_WrappedItem(self.recent_list))
        self.recent_list.itemClicked.connect(self._on_recent_activated)
        self.recent_empty = theme.label(_("Files you open appear here."), "muted", wrap=True)
        right = QVBoxLayout()
        right.setSpacing(8)
        right.addWidget(theme.label(_("Recent"), "h2"))
        right.addWidget(self.recent_empty)
        right.addWidget(self.recent_list, 1)
        self._recent_stretch = right.count()
        right.addStretch(1)
        self._right = right

        cols = QHBoxLayout()
        cols.setSpacing(20)
        cols.addLayout(left, 3)
        cols.addLayout(right, 1)

        lay = QVBoxLayout(self)
        lay.setContentsMargins(24, 20, 24, 20)
        lay.setSpacing(10)
        lay.addWidget(heading)
        lay.addWidget(sub)
        lay.addLayout(buttons)
        lay.addSpacing(6)
        lay.addLayout(cols, 1)
        self.set_recent([])
        if state is not None:
            state.sig_dataset_changed.connect(self._on_dataset_changed)
            state.sig_path_changed.connect(self._on_dataset_changed)
            self._on_dataset_changed()


    def _arrange_cards(self, columns: int) -> None:
        """Sample cards in ``columns`` columns (re-placed, not re-created)."""
        grid = self._grid
        for card in self.cards:
            grid.removeWidget(card)
        for i, card in enumerate(self.cards):
            grid.addWidget(card, i // columns, i % columns)
        for c in range(2):
            grid.setColumnStretch(c, 1 if c < columns else 0)
        for r in range(grid.rowCount()):
            grid.setRowStretch(r, 0)
        grid.setRowStretch((len(self.cards) + columns - 1) // columns, 1)
        self._grid_columns = columns

    def _fit_columns(self) -> None:
        """Two columns of cards when they fit side by side, else one (presentation mode at
        1024x768): a card is never cut by the scroll area."""
        if not self.cards:
            return
        need = max(c.minimumSizeHint().width() for c in self.cards)
        room = self._scroll.viewport().width()
        columns = 2 if 2 * need + self._grid.spacing() <= room else 1
        if columns != self._grid_columns:
            self._arrange_cards(columns)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit_columns()

    def showEvent(self, event) -> None:
        # the look may have changed while another step was shown (presentation mode at
        # 1024x768 left two columns of cards, the right one cut by the window's edge)
        super().showEvent(event)
        QTimer.singleShot(0, self, self._fit_columns)

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            QTimer.singleShot(0, self, self._fit_columns)
    def _on_dataset_changed(self) -> None:
        proj = self.state.project
        if proj is None:
            self.continue_button.hide()
            return
        name = proj.path.stem if proj.path is not None else (proj.name or _("Untitled"))
        self.continue_button.setText(_("Continue with {name}  →", name=name))
        self.continue_button.show()

    def set_recent(self, paths: list[str]) -> None:
        self.recent_list.clear()
        for path in paths:
            if path.startswith("sample:"):
                text = _("Sample: {name}", name=path[len("sample:"):])
                exists = True
            else:
                text = os.path.basename(path) or path
                exists = os.path.exists(path)
            item = QListWidgetItem(_breakable(text))
            item.setData(Qt.UserRole, path)
            item.setToolTip(path if exists else _("{path} (not found)", path=path))
            if not exists:
                item.setForeground(Qt.gray)
            self.recent_list.addItem(item)
        self.recent_empty.setVisible(not paths)
        self.recent_list.setVisible(bool(paths))
        self._right.setStretch(self._recent_stretch, 0 if paths else 1)

    def _on_recent_activated(self, item: QListWidgetItem) -> None:
        self.sig_open.emit(str(item.data(Qt.UserRole)))

    def shutdown(self, timeout_ms: int = 10000) -> bool:
        """Nothing runs in the background here (studio.ui.common.page.StepPage)."""
        return True


class _WrappedItem(QStyledItemDelegate):
    """Rows as tall as their wrapped text at the list's width. Qt's own size hint measured
    the text without the stylesheet's item padding, so a name that needed three lines got
    two, and its end was elided."""

    #: the item's padding (the stylesheet's 4 px each side) and the style's text margins
    H_MARGIN, V_PADDING = 18, 12

    def sizeHint(self, option, index) -> QSize:
        hint = super().sizeHint(option, index)
        view = self.parent()
        width = view.viewport().width() if view is not None else hint.width()
        text = str(index.data() or "")
        fm = option.fontMetrics
        room = max(20, width - self.H_MARGIN)
        need = fm.boundingRect(QRect(0, 0, room, 100000),
                               int(Qt.TextFlag.TextWordWrap.value), text)
        return QSize(min(hint.width(), width),
                     max(hint.height(), need.height() + self.V_PADDING))


#: zero-width space: lets a file name wrap after _ - . where it has no space
_BREAK = "\u200b"


def _breakable(name: str) -> str:
    """``students_grades_2024.csv`` with break opportunities after ``_``, ``-`` and ``.``,
    so that it wraps in the narrow Recent column instead of being cut at its edge."""
    for mark in ("_", "-", "."):
        name = name.replace(mark, mark + _BREAK)
    return name
