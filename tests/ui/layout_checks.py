"""Checks that a shown window does not look broken: helpers for tests/ui/test_layout.py.

Each function walks the visible widgets under a root and returns a list of problems, one
readable line each (an empty list: nothing found). They measure what a user would see:

- :func:`clipped_texts`: a button, label, combo box, spin box or tab whose text needs more
  room (its font metrics, plus the style's margins, icon and arrow) than its widget has,
  so Qt elides or cuts it;
- :func:`clipped_widgets`: a widget that sticks out of a parent that does not scroll, so part
  of it is cut off, or a page wider than a scroll area that cannot scroll sideways;
- :func:`overlapping_widgets`: two unrelated visible widgets drawn over each other (a chart's
  title under its Save PNG button);
- :func:`broken_plots`: a pyqtgraph plot without a visible bottom or left axis with tick
  labels, whose title is cut or overlapped (by a widget or the legend);
- :func:`invisible_arrows`: spin-box and combo-box arrows drawn in (almost) the colour
  behind them;
- :func:`too_few_rows`: a table view that shows fewer rows than it should.

A widget can opt out of the text checks with the dynamic property ``layoutCheckCut`` set to
True, where cutting its text is intended (a long line of numbers cut at the window's edge);
a label whose horizontal size policy is ``Ignored`` says the same.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from PySide6 import QtGui
from PySide6.QtCore import QPoint, QRect, QRectF, Qt
from PySide6.QtGui import QColor, QFontMetrics, QImage, QTextDocument
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QAbstractSpinBox,
    QCheckBox,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListView,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QScrollBar,
    QSizePolicy,
    QStyle,
    QStyleOptionButton,
    QStyleOptionComboBox,
    QStyleOptionSpinBox,
    QStyleOptionToolButton,
    QTabBar,
    QTableView,
    QToolButton,
    QWidget,
)

#: pixels a text may exceed its room by before it counts (anti-aliasing, rounding)
SLACK = 1
#: widget kinds that show content a user reads; the clip and overlap checks look at these
CONTENT = (QAbstractButton, QLabel, QComboBox, QAbstractSpinBox, QLineEdit, QTabBar)
#: ... and these must not stick out of their parents either (a page wider than the window)
FRAMES = (QAbstractScrollArea, QScrollBar, QProgressBar, QGroupBox)


def describe(w: QWidget) -> str:
    """``QPushButton 'Pause' (objectName)`` for a problem's line."""
    text = ""
    for getter in ("text", "currentText", "windowTitle"):
        if hasattr(w, getter):
            try:
                text = str(getattr(w, getter)())
            except TypeError:
                continue
            if text:
                break
    text = re.sub(r"<[^>]+>", "", text)
    text = text if len(text) <= 40 else text[:39] + "…"
    name = f" #{w.objectName()}" if w.objectName() else ""
    return f"{type(w).__name__} {text!r}{name}"


def visible_widgets(root: QWidget) -> Iterator[QWidget]:
    """Every widget under ``root`` that is shown, not inside a hidden one, and on screen or
    scrolled out of view (a dock's tab behind another is none of these)."""
    for w in root.findChildren(QWidget):
        if (w.isVisible() and w.window() is root.window() and w.width() > 0
                and w.height() > 0 and reachable(w)):
            yield w


def reachable(w: QWidget) -> bool:
    """Whether some of ``w`` is in the window, or can be scrolled into it."""
    top = w.window()
    rect = QRect(w.mapTo(top, QPoint(0, 0)), w.size())
    p = w.parentWidget()
    while p is not None and p is not top:
        if _scrolls(p):
            return reachable(p)
        rect = rect.intersected(QRect(p.mapTo(top, QPoint(0, 0)), p.size()))
        if rect.isEmpty():
            return False
        p = p.parentWidget()
    return not rect.intersected(top.rect()).isEmpty()


def _cut_on_purpose(w: QWidget) -> bool:
    if w.property("layoutCheckCut"):
        return True
    return isinstance(w, QLabel) and (
        w.sizePolicy().horizontalPolicy() == QSizePolicy.Policy.Ignored)


def _plain(text: str) -> str:
    """A button's text without its mnemonic ampersands."""
    return re.sub(r"&(.)", r"\1", text)


def _label_need(label: QLabel) -> tuple[int, int] | None:
    """(width, height) the label's text needs in its contents rect, or None if unknown."""
    text = label.text()
    if not text or (label.pixmap() is not None and not label.pixmap().isNull()):
        return None
    rect = label.contentsRect()
    margin = 2 * label.margin()
    room_w = rect.width() - margin
    fmt = label.textFormat()      # an enum: compared with 1 or 2 it never matched
    rich = fmt == Qt.TextFormat.RichText or (fmt == Qt.TextFormat.AutoText
                                             and QtGui.Qt.mightBeRichText(text))
    fm = label.fontMetrics()
    if rich:
        doc = QTextDocument()
        doc.setDefaultFont(label.font())
        doc.setDocumentMargin(0)
        doc.setHtml(text)
        if label.wordWrap():        # wider than the room: a word that cannot wrap
            doc.setTextWidth(max(1, room_w))
            return int(doc.size().width()), int(doc.size().height())
        return int(doc.idealWidth()), int(doc.size().height())
    if label.wordWrap():
        r = fm.boundingRect(QRect(0, 0, max(1, room_w), 100000),
                            int(label.alignment()) | 0x1000, text)   # Qt.TextWordWrap
        return r.width(), r.height()
    lines = text.split("\n")
    return max(fm.horizontalAdvance(s) for s in lines), fm.height() * len(lines)


def _button_problem(b: QAbstractButton) -> str | None:
    text = _plain(b.text())
    if not text:
        return None
    fm = b.fontMetrics()
    need = fm.horizontalAdvance(text)
    style = b.style()
    icon = 0 if b.icon().isNull() else b.iconSize().width() + 4
    if isinstance(b, QPushButton):
        opt = QStyleOptionButton()
        b.initStyleOption(opt)
        room = style.subElementRect(QStyle.SubElement.SE_PushButtonContents, opt, b)
        # the style's own text margins inside the contents: what sizeHint adds over the text
        hint = b.sizeHint().width()
        if b.width() + SLACK < hint and need + icon > room.width():
            return (f"{describe(b)}: text needs {need + icon} px, has {room.width()} "
                    f"(width {b.width()} < size hint {hint})")
        if fm.height() > room.height() + 2:
            return f"{describe(b)}: text {fm.height()} px high, has {room.height()}"
        return None
    if isinstance(b, QToolButton):
        opt = QStyleOptionToolButton()
        b.initStyleOption(opt)
        hint = b.sizeHint().width()
        if b.width() + SLACK < hint:
            return f"{describe(b)}: width {b.width()} < size hint {hint} (text cut)"
        return None
    if isinstance(b, (QCheckBox, QRadioButton)):
        opt = QStyleOptionButton()
        b.initStyleOption(opt)
        kind = (QStyle.SubElement.SE_CheckBoxContents if isinstance(b, QCheckBox)
                else QStyle.SubElement.SE_RadioButtonContents)
        room = style.subElementRect(kind, opt, b)
        if need + icon > room.width() + SLACK:
            return f"{describe(b)}: text needs {need + icon} px, has {room.width()}"
        return None
    if b.width() + SLACK < b.sizeHint().width():
        return f"{describe(b)}: width {b.width()} < size hint {b.sizeHint().width()}"
    return None


def _combo_problem(c: QComboBox) -> str | None:
    text = c.currentText()
    if not text:
        return None
    opt = QStyleOptionComboBox()
    c.initStyleOption(opt)
    field = c.style().subControlRect(QStyle.ComplexControl.CC_ComboBox, opt,
                                     QStyle.SubControl.SC_ComboBoxEditField, c)
    icon = 0 if c.itemIcon(c.currentIndex()).isNull() else c.iconSize().width() + 4
    need = c.fontMetrics().horizontalAdvance(text) + icon
    if need > field.width() + SLACK:
        return f"{describe(c)}: text needs {need} px, its field has {field.width()}"
    if c.fontMetrics().height() > field.height() + 2:
        return f"{describe(c)}: text {c.fontMetrics().height()} px high, field {field.height()}"
    return None


def _spin_problem(s: QAbstractSpinBox) -> str | None:
    edit = s.findChild(QLineEdit)
    if edit is None or not edit.text():
        return None
    need = edit.fontMetrics().horizontalAdvance(edit.text())
    room = edit.width() - 4          # QLineEdit's own horizontal margin
    if need > room + SLACK:
        return f"{describe(s)}: value {edit.text()!r} needs {need} px, has {room}"
    return None


def clipped_texts(root: QWidget) -> list[str]:
    """Texts (buttons, labels, combos, spin boxes, tabs) that need more room than they get."""
    problems: list[str] = []
    for w in visible_widgets(root):
        if _cut_on_purpose(w):
            continue
        problem = None
        if isinstance(w, QAbstractButton):
            problem = _button_problem(w)
        elif isinstance(w, QLabel):
            need = _label_need(w)
            if need is not None:
                room = w.contentsRect()
                if need[0] > room.width() - 2 * w.margin() + SLACK:
                    problem = f"{describe(w)}: text needs {need[0]} px wide, has {room.width()}"
                elif need[1] > room.height() + 2:
                    problem = f"{describe(w)}: text needs {need[1]} px high, has {room.height()}"
        elif isinstance(w, QComboBox):
            problem = _combo_problem(w)
        elif isinstance(w, QAbstractSpinBox):
            problem = _spin_problem(w)
        elif isinstance(w, QTabBar):
            for i in range(w.count()):
                rect, hint = w.tabRect(i), w.tabSizeHint(i)
                if w.isTabVisible(i) and rect.width() + SLACK < hint.width() and (
                        w.elideMode() != 3):         # Qt.ElideNone: cut, else elided
                    problem = (f"{describe(w)}: tab {w.tabText(i)!r} is {rect.width()} px, "
                               f"needs {hint.width()}")
                    break
        if problem:
            problems.append(problem)
    return problems


def clipped_items(root: QWidget) -> list[str]:
    """Items of list views (the Start page's recent files) whose text is elided or cut."""
    problems: list[str] = []
    for view in visible_widgets(root):
        if not isinstance(view, QListView) or view.model() is None or _cut_on_purpose(view):
            continue
        fm = view.fontMetrics()
        viewport = view.viewport().rect()
        for row in range(view.model().rowCount()):
            index = view.model().index(row, view.modelColumn())
            text = str(index.data() or "")
            rect = view.visualRect(index)
            if not text or rect.isEmpty():
                continue
            icon = view.iconSize().width() + 4 if index.data(1) is not None else 0
            lines = max(1, rect.height() // max(1, fm.lineSpacing()))
            need = fm.horizontalAdvance(text) + icon + 8     # the item's own margins
            if need > rect.width() * lines + SLACK or rect.right() > viewport.right() + SLACK:
                problems.append(f"{describe(view)}: item {text!r} needs {need} px, has "
                                f"{min(rect.width(), viewport.width())}")
    return problems


def _scrolls(parent: QWidget) -> bool:
    """Whether ``parent`` is the viewport of a scroll area (its content may stick out)."""
    area = parent.parentWidget()
    return isinstance(area, QAbstractScrollArea) and area.viewport() is parent


def visible_rect(w: QWidget) -> QRect:
    """``w``'s rectangle in window coordinates, cut by every ancestor (what can be seen)."""
    top = w.window()
    rect = QRect(w.mapTo(top, QPoint(0, 0)), w.size())
    p = w.parentWidget()
    while p is not None and p is not top:
        rect = rect.intersected(QRect(p.mapTo(top, QPoint(0, 0)), p.size()))
        p = p.parentWidget()
    return rect.intersected(top.rect())


def _cut_by_scroll_area(root: QWidget) -> list[str]:
    """Scroll areas that cannot scroll sideways (the policy is AlwaysOff) but hold a page
    wider than their viewport: its right side is cut off for good."""
    from PySide6.QtWidgets import QScrollArea

    problems = []
    for area in visible_widgets(root):
        if not isinstance(area, QScrollArea) or area.widget() is None:
            continue
        if area.horizontalScrollBarPolicy() != Qt.ScrollBarPolicy.ScrollBarAlwaysOff:
            continue
        inner, room = area.widget().width(), area.viewport().width()
        if inner > room + SLACK:
            problems.append(f"{describe(area)} showing {describe(area.widget())}: the page "
                            f"is {inner} px wide, {room} px can be seen (no sideways scroll)")
    return problems


def clipped_widgets(root: QWidget) -> list[str]:
    """Content widgets that stick out of an ancestor which does not scroll them into view,
    or of a scroll area that does not scroll sideways."""
    problems: list[str] = _cut_by_scroll_area(root)
    top = root.window()
    for w in visible_widgets(root):
        if not isinstance(w, CONTENT + FRAMES) or _internal(w):
            continue
        rect = QRect(w.mapTo(top, QPoint(0, 0)), w.size())
        p = w.parentWidget()
        while p is not None:
            if _scrolls(p):
                break
            prect = QRect(p.mapTo(top, QPoint(0, 0)), p.size()) if p is not top else top.rect()
            cut = rect.intersected(prect)
            if (cut.width() + SLACK < rect.width() or cut.height() + SLACK < rect.height()):
                problems.append(f"{describe(w)}: {rect.width()}x{rect.height()} px, "
                                f"{cut.width()}x{cut.height()} visible inside "
                                f"{describe(p)}")
                break
            if p is top:
                break
            p = p.parentWidget()
    return problems


def _internal(w: QWidget) -> bool:
    """Parts of composite widgets (a spin box's line edit, a tab bar's scroll buttons, a
    combo box's line edit, a dock's title buttons): their owner is checked instead."""
    p = w.parentWidget()
    if isinstance(w, QLineEdit) and isinstance(p, (QAbstractSpinBox, QComboBox)):
        return True
    if isinstance(w, QToolButton) and isinstance(p, QTabBar):
        return True
    return type(w).__name__ in ("QDockWidgetTitleButton",)


def _related(a: QWidget, b: QWidget) -> bool:
    return a.isAncestorOf(b) or b.isAncestorOf(a)


def overlapping_widgets(root: QWidget) -> list[str]:
    """Pairs of unrelated content widgets whose visible rectangles cross."""
    items = [(w, visible_rect(w)) for w in visible_widgets(root)
             if isinstance(w, CONTENT) and not _internal(w)]
    plots = _plot_widgets(root)
    items += [(p, visible_rect(p)) for p in plots]
    problems: list[str] = []
    for i, (a, ra) in enumerate(items):
        if ra.isEmpty():
            continue
        for b, rb in items[i + 1:]:
            if rb.isEmpty() or _related(a, b):
                continue
            cross = ra.intersected(rb)
            if cross.width() > SLACK and cross.height() > SLACK:
                problems.append(f"{describe(a)} and {describe(b)} overlap by "
                                f"{cross.width()}x{cross.height()} px")
    return problems


def _plot_widgets(root: QWidget) -> list[QWidget]:
    try:
        import pyqtgraph as pg
    except ImportError:     # pragma: no cover - a dependency
        return []
    return [p for p in root.findChildren(pg.PlotWidget)
            if p.isVisible() and p.window() is root.window()]


def _scene_rect_in_window(plot, item) -> QRect:
    """A plot's graphics item's rectangle in window coordinates: its layout rectangle for a
    QGraphicsWidget (an axis's bounding rect spans the plot when the grid is on), else its
    bounding rectangle."""
    local = item.rect() if hasattr(item, "rect") and callable(item.rect) else \
        item.boundingRect()
    poly = plot.mapFromScene(item.mapRectToScene(local))
    r = poly.boundingRect()
    return QRect(plot.mapTo(plot.window(), r.topLeft()), r.size())


def broken_plots(root: QWidget, min_ticks: int = 2) -> list[str]:
    """pyqtgraph plots whose axes or title a user cannot read."""
    problems: list[str] = []
    widgets = [w for w in visible_widgets(root) if isinstance(w, CONTENT) and not _internal(w)]
    for plot in _plot_widgets(root):
        name = _plot_name(plot)
        item = plot.getPlotItem()
        shown = visible_rect(plot)
        vb = _scene_rect_in_window(plot, item.vb)
        if vb.height() < 40 or vb.width() < 60:
            problems.append(f"{name}: the data area is only {vb.width()}x{vb.height()} px")
        for side in ("bottom", "left"):
            axis = item.getAxis(side)
            if not axis.isVisible():
                problems.append(f"{name}: the {side} axis is hidden")
                continue
            rect = _scene_rect_in_window(plot, axis)
            size = rect.height() if side == "bottom" else rect.width()
            tick_font = axis.style.get("tickFont") or axis.font()
            need = QFontMetrics(tick_font).height() if side == "bottom" else 12
            if size < need:
                problems.append(f"{name}: the {side} axis is {size} px, its tick labels "
                                f"need {need}")
            elif not shown.contains(rect.adjusted(1, 1, -1, -1)):
                problems.append(f"{name}: the {side} axis is cut off (axis {_r(rect)}, "
                                f"visible {_r(shown)})")
            labels = _tick_labels(axis)
            if len(labels) < min_ticks:
                problems.append(f"{name}: the {side} axis shows {len(labels)} tick labels")
        title = item.titleLabel
        if title.isVisible() and title.text:
            trect = _scene_rect_in_window(plot, title)
            text_w = title.item.boundingRect().width()
            text_h = title.item.boundingRect().height()
            if text_w > title.boundingRect().width() + 2 or not shown.contains(
                    trect.adjusted(2, 2, -2, -2)):
                problems.append(f"{name}: the title is cut ({text_w:.0f} px of text in "
                                f"{title.boundingRect().width():.0f})")
            elif text_h > title.boundingRect().height() + 4:   # spills over the data area
                problems.append(f"{name}: the title is {text_h:.0f} px high, its row "
                                f"{title.boundingRect().height():.0f}")
            text_rect = _scene_rect_in_window(plot, title.item)
            for w in widgets:
                if plot.isAncestorOf(w) or w.isAncestorOf(plot):
                    continue
                cross = visible_rect(w).intersected(text_rect)
                if cross.width() > SLACK and cross.height() > SLACK:
                    problems.append(f"{name}: {describe(w)} covers the title")
            legend = item.legend
            if legend is not None and legend.isVisible() and legend.items:
                lrect = _scene_rect_in_window(plot, legend)
                cross = lrect.intersected(text_rect)
                # a text item's box has a few px of leading under its last line
                if cross.height() > 4 and cross.width() > 4:
                    problems.append(f"{name}: the legend covers the title")
    return problems


def _r(rect: QRect | QRectF) -> str:
    return f"{rect.x():.0f},{rect.y():.0f} {rect.width():.0f}x{rect.height():.0f}"


def _plot_name(plot) -> str:
    title = plot.getPlotItem().titleLabel.text or ""
    title = re.sub(r"<[^>]+>", "", title).strip()
    if not title:
        p = plot.parentWidget()
        while p is not None and not title:
            label = getattr(p, "title_label", None) or getattr(p, "title", None)
            if isinstance(label, QLabel):
                title = label.text()
            p = p.parentWidget()
    return f"plot {title[:40]!r}" if title else f"plot {plot.objectName() or id(plot)}"


def _tick_labels(axis) -> list[str]:
    """The tick labels an axis draws now (its current range and size)."""
    lo, hi = axis.range
    size = axis.width() if axis.orientation in ("left", "right") else axis.height()
    length = axis.height() if axis.orientation in ("left", "right") else axis.width()
    if length <= 0 or hi <= lo:
        return []
    labels: list[str] = []
    for spacing, values in axis.tickValues(lo, hi, length):
        strings = axis.tickStrings(values, axis.autoSIPrefixScale * axis.scale, spacing)
        labels += [s for v, s in zip(values, strings) if lo <= v <= hi and s]
        if labels:
            break      # the major ticks carry the labels that matter
    del size
    return labels


def tick_values(axis) -> list[float]:
    """The major tick values an axis draws now."""
    lo, hi = axis.range
    length = axis.height() if axis.orientation in ("left", "right") else axis.width()
    ticks = axis.tickValues(lo, hi, length)
    if not ticks:
        return []
    values: list[float] = []
    for _spacing, vals in ticks:
        values += [float(v) for v in vals if lo <= v <= hi]
    return sorted(set(values))


def _contrast(image: QImage, rect: QRect) -> float:
    """The largest difference in lightness (0-255) between a pixel in ``rect`` and the
    rect's most common colour: how visible a glyph drawn there is."""
    counts: dict[int, int] = {}
    pixels = []
    for y in range(max(0, rect.top()), min(image.height(), rect.bottom() + 1)):
        for x in range(max(0, rect.left()), min(image.width(), rect.right() + 1)):
            rgb = image.pixel(x, y)
            pixels.append(rgb)
            counts[rgb] = counts.get(rgb, 0) + 1
    if not pixels:
        return 0.0
    background = QColor(max(counts, key=counts.get)).lightness()
    return max(abs(QColor(p).lightness() - background) for p in set(pixels))


def invisible_arrows(root: QWidget, min_contrast: int = 60) -> list[str]:
    """Spin boxes and combo boxes whose arrows do not stand out from their background."""
    problems: list[str] = []
    for w in visible_widgets(root):
        if isinstance(w, QAbstractSpinBox):
            if w.buttonSymbols() == QAbstractSpinBox.ButtonSymbols.NoButtons:
                continue
            opt = QStyleOptionSpinBox()
            w.initStyleOption(opt)
            parts = [w.style().subControlRect(QStyle.ComplexControl.CC_SpinBox, opt, sc, w)
                     for sc in (QStyle.SubControl.SC_SpinBoxUp,
                                QStyle.SubControl.SC_SpinBoxDown)]
        elif isinstance(w, QComboBox):
            opt = QStyleOptionComboBox()
            w.initStyleOption(opt)
            parts = [w.style().subControlRect(QStyle.ComplexControl.CC_ComboBox, opt,
                                              QStyle.SubControl.SC_ComboBoxArrow, w)]
        else:
            continue
        image = w.grab().toImage()
        ratio = image.devicePixelRatio()
        for part in parts:
            if part.width() < 4 or part.height() < 4:
                problems.append(f"{describe(w)}: its arrow is {part.width()}x{part.height()} px")
                break
            # the middle half of the button, where the glyph is (not its borders)
            inner = QRect(int((part.x() + part.width() / 4) * ratio),
                          int((part.y() + part.height() / 4) * ratio),
                          max(1, int(part.width() / 2 * ratio)),
                          max(1, int(part.height() / 2 * ratio)))
            if _contrast(image, inner) < min_contrast:
                problems.append(f"{describe(w)}: its arrow cannot be seen (contrast "
                                f"{_contrast(image, inner):.0f})")
                break
    return problems


def rows_shown(view: QTableView) -> int:
    """How many whole rows of ``view`` fit in its viewport."""
    height = view.viewport().height()
    rows = view.model().rowCount() if view.model() is not None else 0
    shown, y = 0, 0
    for r in range(rows):
        if view.isRowHidden(r):
            continue
        y += view.rowHeight(r)
        if y > height:
            break
        shown += 1
    return shown


def too_few_rows(view: QTableView, at_least: int) -> list[str]:
    """``view`` shows fewer than ``at_least`` whole rows (or all of them, if it has fewer)."""
    rows = view.model().rowCount() if view.model() is not None else 0
    want = min(at_least, rows)
    shown = rows_shown(view)
    if shown < want:
        return [f"{describe(view)}: shows {shown} rows of {rows}, should show {want}"]
    return []


def all_problems(root: QWidget) -> list[str]:
    """Every check above except :func:`too_few_rows` (which needs to know the table)."""
    return (clipped_texts(root) + clipped_items(root) + clipped_widgets(root)
            + overlapping_widgets(root) + broken_plots(root) + invisible_arrows(root))
