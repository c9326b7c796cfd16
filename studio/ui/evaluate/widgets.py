"""Small building blocks of the Evaluate step: metric cards, framed plots that save as PNG,
and tables that copy as tab-separated text (pastes into a spreadsheet)."""

from __future__ import annotations

from collections.abc import Sequence

import pyqtgraph as pg
from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtGui import QColor, QFont, QGuiApplication, QKeySequence, QPalette, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QStyle,
    QTableWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from studio.core.i18n import _
from studio.ui.common import theme

#: Okabe-Ito, for one curve per class.
CLASS_COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442",
                 "#000000")
POINT_COLOUR = "#0072B2"
REFERENCE_COLOUR = "#7F7F7F"


def panel_style(name: str) -> str:
    """A panel in the palette's base colour (white; the dark presentation theme's surface,
    under its light text) with a thin border, like the theme's cards but not clickable."""
    return (f"QFrame#{name} {{ background: palette(base); border: 1px solid {theme.BORDER}; "
            f"border-radius: 8px; }}")


def with_alpha(colour: str, alpha: int) -> QColor:
    c = QColor(colour)
    c.setAlpha(alpha)
    return c


def rich_title(text: str) -> str:
    """``R²`` as ``R<sup>2</sup>``: the superscript-two glyph of the UI fonts is a speck at
    a card's size (it read as "R'"); a raised 2 of the label's own font reads at any size."""
    if "²" not in text:
        return text
    import html

    return html.escape(text).replace("²", "<sup>2</sup>")


class ChartWidget(pg.PlotWidget):
    """A PlotWidget that prefers its minimum size and grows into the room it is given.

    QGraphicsView's own size hint is the scene's size (about 530 px high here); a layout with
    wrapping labels (height for width) adds up those hints, so the Evaluate page asked for
    far more height than the charts need and at 1024x768 their axes scrolled out of sight.
    """

    def sizeHint(self) -> QSize:
        return self.minimumSize()


def make_plot(parent: QWidget, xlabel: str, ylabel: str) -> pg.PlotWidget:
    """A PlotWidget in the widget's palette, with readable axes."""
    pal = parent.palette()
    bg = pal.color(QPalette.ColorRole.Base)
    fg = pal.color(QPalette.ColorRole.Text)
    plot = ChartWidget(parent, background=bg)
    plot.setMinimumSize(240, 200)
    item = plot.getPlotItem()
    item.showGrid(x=True, y=True, alpha=0.15)
    font = QFont()
    font.setPointSize(9)
    for name, text in (("bottom", xlabel), ("left", ylabel)):
        axis = item.getAxis(name)
        axis.setTickFont(font)
        axis.setTextPen(fg)
        axis.setPen(fg)
        item.setLabel(name, text, color=fg, **{"font-size": "10pt"})
    plot.foreground = fg  # for legends
    return plot


class MetricCard(QFrame):
    """A large number with its name above and a hint below."""

    def __init__(self, key: str, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.key = key
        self.setObjectName("metricCard")
        self.setStyleSheet(panel_style("metricCard"))
        self.setMinimumWidth(130)
        self.title_label = QLabel(rich_title(title))
        self.value_label = QLabel("–")
        self.value_label.setObjectName("metricValue")
        self.hint_label = theme.label("", "muted", wrap=True)
        self._scale_fonts()
        lay = QVBoxLayout(self)
        lay.setContentsMargins(12, 8, 12, 8)
        lay.setSpacing(2)
        lay.addWidget(self.title_label)
        lay.addWidget(self.value_label)
        lay.addWidget(self.hint_label)
        lay.addStretch(1)

    def set_value(self, text: str, hint: str = "") -> None:
        self.value_label.setText(text)
        self.hint_label.setText(hint)
        self.hint_label.setVisible(bool(hint))

    def _scale_fonts(self) -> None:
        """The value twice the card's font (20 pt at least), the hint a little smaller: sizes
        relative to the font, so they grow with presentation mode's font and zoom."""
        pt = self.font().pointSizeF()
        f = QFont(self.font())
        f.setPointSizeF(max(20.0, pt * 2))
        f.setBold(True)
        self.value_label.setFont(f)
        hf = QFont(self.font())
        hf.setPointSizeF(round(pt * 0.9, 1))
        self.hint_label.setFont(hf)

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:      # the application font changed
            self._scale_fonts()


class MetricCards(QWidget):
    """A row of :class:`MetricCard`; rebuilt when the set of metrics changes."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._lay = QHBoxLayout(self)
        self._lay.setContentsMargins(0, 0, 0, 0)
        self._lay.setSpacing(10)
        self.cards: dict[str, MetricCard] = {}

    def set_cards(self, cards: Sequence[tuple[str, str, str, str]]) -> None:
        """``(key, title, value text, hint)`` per card."""
        if [c[0] for c in cards] != list(self.cards):
            for card in self.cards.values():
                self._lay.removeWidget(card)
                card.deleteLater()
            self.cards = {}
            for key, title, _v, _h in cards:
                card = MetricCard(key, title, self)
                self.cards[key] = card
                self._lay.addWidget(card, 1)
        for key, _t, value, hint in cards:
            self.cards[key].set_value(value, hint)


class Framed(QFrame):
    """A titled frame around a plot or table, with Save PNG… (and Copy for tables)."""

    def __init__(self, title: str, body: QWidget, parent: QWidget | None = None,
                 copy_table: QTableWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("evalFrame")
        self.setStyleSheet(panel_style("evalFrame"))
        self.body = body
        self.title_label = QLabel(title)
        self.title_label.setWordWrap(True)      # a long title takes two lines, never cut
        f = self.title_label.font()
        f.setBold(True)
        self.title_label.setFont(f)
        head = QHBoxLayout()
        head.setContentsMargins(0, 0, 0, 0)
        head.addWidget(self.title_label, 1)
        self.extra = QHBoxLayout()
        head.addLayout(self.extra)
        self._head = head
        #: the header's buttons: with their text where the title leaves room, else icons
        #: only (their text is the tooltip), so that they never squeeze or cover the title
        self.buttons: list[QToolButton] = []
        style = self.style()
        if copy_table is not None:
            copy = QToolButton()
            copy.setText(_("Copy"))
            copy.setIcon(style.standardIcon(QStyle.StandardPixmap.SP_FileDialogDetailedView))
            copy.setToolTip(_("Copy the table as text (pastes into a spreadsheet)"))
            copy.clicked.connect(lambda: copy_table_text(copy_table, selection_only=False))
            head.addWidget(copy)
            self.buttons.append(copy)
        save = QToolButton()
        save.setText(_("Save PNG…"))
        save.setIcon(style.standardIcon(QStyle.StandardPixmap.SP_DialogSaveButton))
        save.setToolTip(_("Save this picture as a PNG file"))
        save.clicked.connect(lambda: self.save_png())
        head.addWidget(save)
        self.buttons.append(save)
        self.save_button = save
        for b in self.buttons:
            b.setAccessibleName(b.text())
            b.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(8, 6, 8, 8)
        lay.setSpacing(4)
        lay.addLayout(head)
        lay.addWidget(body, 1)

    def _fit_header(self) -> None:
        """Buttons with text when the title, the extras and they fit on the header's line,
        else icons only."""
        margins = self.layout().contentsMargins()
        room = self.width() - margins.left() - margins.right()
        spacing = max(0, self._head.spacing())
        extras = sum(self.extra.itemAt(i).sizeHint().width() + spacing
                     for i in range(self.extra.count()))
        title = self.title_label.sizeHint().width()

        def width(style: Qt.ToolButtonStyle) -> int:
            total = 0
            for b in self.buttons:
                before = b.toolButtonStyle()
                b.setToolButtonStyle(style)
                total += b.sizeHint().width() + spacing
                b.setToolButtonStyle(before)
            return total

        with_text = title + extras + width(Qt.ToolButtonStyle.ToolButtonTextBesideIcon) + spacing
        style = (Qt.ToolButtonStyle.ToolButtonTextBesideIcon if with_text <= room
                 else Qt.ToolButtonStyle.ToolButtonIconOnly)
        for b in self.buttons:
            if b.toolButtonStyle() != style:
                b.setToolButtonStyle(style)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit_header()

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:      # presentation mode's larger text
            self._fit_header()

    def minimumSizeHint(self) -> QSize:
        """As wide as the title and the icon-only buttons need (not their text)."""
        hint = super().minimumSizeHint()
        margins = self.layout().contentsMargins()
        spacing = max(0, self._head.spacing())
        icons = sum(b.iconSize().width() + 12 + spacing for b in self.buttons)
        extras = sum(self.extra.itemAt(i).minimumSize().width() + spacing
                     for i in range(self.extra.count()))
        need = (self.title_label.minimumSizeHint().width() + extras + icons
                + margins.left() + margins.right())
        body = self.body.minimumSizeHint().width() + margins.left() + margins.right()
        return QSize(max(need, body, self.minimumWidth()), hint.height())

    def save_png(self, path: str | None = None) -> str | None:
        if path is None:
            name = self.title_label.text().lower().replace(" ", "_") + ".png"
            path, _filter = QFileDialog.getSaveFileName(self, _("Save as PNG"), name,
                                                        _("PNG images (*.png)"))
            if not path:
                return None
        if not path.lower().endswith(".png"):
            path += ".png"
        return path if self.body.grab().save(path, "PNG") else None


def table_text(table: QTableWidget, selection_only: bool = True) -> str:
    """Tab-separated text with headers, of the selection (or of everything)."""
    rows = range(table.rowCount())
    cols = range(table.columnCount())
    if selection_only and table.selectedRanges():
        sel = table.selectedRanges()[0]
        rows = range(sel.topRow(), sel.bottomRow() + 1)
        cols = range(sel.leftColumn(), sel.rightColumn() + 1)

    def header(h, i):
        item = h(i)
        return item.text() if item is not None else str(i + 1)

    has_row_headers = table.verticalHeader().isVisible()
    lines = []
    head = [header(table.horizontalHeaderItem, c) for c in cols]
    lines.append("\t".join(([""] if has_row_headers else []) + head))
    for r in rows:
        cells = [table.item(r, c).text() if table.item(r, c) else "" for c in cols]
        if has_row_headers:
            cells.insert(0, header(table.verticalHeaderItem, r))
        lines.append("\t".join(cells))
    return "\n".join(lines) + "\n"


def copy_table_text(table: QTableWidget, selection_only: bool = True) -> str:
    text = table_text(table, selection_only)
    QGuiApplication.clipboard().setText(text)
    return text


def make_table(parent: QWidget | None = None) -> QTableWidget:
    """A read-only table whose selection Ctrl+C copies as tab-separated text."""
    t = QTableWidget(parent)
    t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    t.setSelectionMode(QAbstractItemView.SelectionMode.ContiguousSelection)
    t.setAlternatingRowColors(False)
    sc = QShortcut(QKeySequence(QKeySequence.StandardKey.Copy), t)
    sc.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
    sc.activated.connect(lambda: copy_table_text(t))
    return t
