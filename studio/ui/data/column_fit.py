"""Column widths for the Data step's tables that follow the font: the header text and the
longest choice of each column fit in the current font, so presentation mode's large font (and
its zoom) does not cut "결측치 처리" to "측치 처" on a 1024x768 projector.

When the column table is too narrow for its headers on one line, headers of two or more words
wrap onto two lines (the header grows to two lines); every header also has a tooltip.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QHeaderView, QTableView

from studio.ui.data.column_model import (
    DOCTOR,
    ENCODE,
    IMPUTE,
    KIND,
    MISSING,
    NAME,
    ROLE,
    SCALE,
    UNIQUE,
    ChoiceDelegate,
    encode_labels,
    impute_labels,
    kind_labels,
    role_labels,
    scale_labels,
)

HEADER_PAD = 18          # the header section's padding (theme: 6 px each side) and a margin
BOLD = 1.1               # header text is semi-bold (theme); the metrics are of the plain font
NAME_ROOM = (110, 200)   # the column-name column's room (at least, at most) before headers wrap


def header_lines(text: str, wrap: bool) -> list[str]:
    """The header's lines: one, or with ``wrap`` two split at the space nearest the middle."""
    words = text.split()
    if not wrap or len(words) < 2:
        return [text]
    best = min(range(1, len(words)), key=lambda i: abs(len(" ".join(words[:i]))
                                                        - len(" ".join(words[i:]))))
    return [" ".join(words[:best]), " ".join(words[best:])]


def _header_width(fm: QFontMetrics, text: str, wrap: bool) -> int:
    return int(max(fm.horizontalAdvance(line) for line in header_lines(text, wrap))
               * BOLD) + HEADER_PAD


def column_widths(view: QTableView, wrap: bool = False) -> dict[int, int]:
    """Fixed widths that fit the longest choice of each column and its header (on two lines
    with ``wrap``) in the view's font."""
    fm = view.fontMetrics()
    head = view.horizontalHeader().fontMetrics()
    model = view.model()

    def widest(texts, pad: int) -> int:
        return max(fm.horizontalAdvance(t) for t in texts) + pad

    def header(col: int) -> int:
        return _header_width(head, str(model.headerData(col, Qt.Horizontal)), wrap)

    combo = ChoiceDelegate.PADDING
    return {ROLE: max(header(ROLE), widest(role_labels().values(), combo)),
            KIND: max(header(KIND), widest(kind_labels().values(), 14)),
            MISSING: header(MISSING), UNIQUE: header(UNIQUE),
            IMPUTE: max(header(IMPUTE), widest(impute_labels().values(), combo)),
            SCALE: max(header(SCALE), widest(scale_labels().values(), combo)),
            ENCODE: max(header(ENCODE), widest(encode_labels().values(), combo)),
            DOCTOR: max(30, fm.height() + 8)}


def fit_column_table(view: QTableView) -> bool:
    """Size the column table's columns, header and rows for the current font; headers wrap
    onto two lines when one line would not leave the column names room. Returns whether they
    wrap."""
    hh = view.horizontalHeader()
    # the room inside the frame, less a vertical scroll bar (there may be one soon)
    room = view.width() - 2 * view.frameWidth() - view.verticalScrollBar().sizeHint().width()
    name_room = _name_room(view)
    one_line = column_widths(view)
    wrap = sum(one_line.values()) + name_room > room
    widths = column_widths(view, wrap=True) if wrap else one_line
    for col, w in widths.items():
        hh.setSectionResizeMode(col, QHeaderView.Fixed)
        view.setColumnWidth(col, w)
    if sum(widths.values()) + NAME_ROOM[0] > room:
        # still too wide (a large zoom): the names keep some room, the table scrolls
        hh.setSectionResizeMode(NAME, QHeaderView.Fixed)
        view.setColumnWidth(NAME, NAME_ROOM[0])
    else:
        hh.setSectionResizeMode(NAME, QHeaderView.Stretch)
    model, head = view.model(), hh.fontMetrics()
    # two lines only when a header is really wider than its column
    lines = 2 if wrap and any(
        _header_width(head, str(model.headerData(c, Qt.Horizontal)), False) > w
        for c, w in widths.items()) else 1
    align = Qt.AlignCenter | (Qt.TextWordWrap if wrap else Qt.AlignmentFlag(0))
    hh.setDefaultAlignment(align)
    hh.setMinimumHeight(lines * hh.fontMetrics().lineSpacing() + 12)
    view.verticalHeader().setDefaultSectionSize(max(32, view.fontMetrics().height() + 12))
    return wrap


def _name_room(view: QTableView) -> int:
    """The width the longest column name needs (the first 200 rows), within NAME_ROOM."""
    model, fm = view.model(), view.fontMetrics()
    names = [str(model.index(r, NAME).data() or "") for r in range(min(200, model.rowCount()))]
    widest = max((fm.horizontalAdvance(n) for n in names), default=0) + 16
    return max(NAME_ROOM[0], min(NAME_ROOM[1], widest))


def cut_headers(view: QTableView) -> list[str]:
    """The headers whose text does not fit their section as drawn now (for tests)."""
    hh = view.horizontalHeader()
    model = view.model()
    wrap = bool(hh.defaultAlignment() & Qt.TextWordWrap)
    font = QFont(hh.font())
    font.setWeight(QFont.Weight.DemiBold)           # the theme's header weight
    fm = QFontMetrics(font)
    cut = []
    for col in range(model.columnCount()):
        text = str(model.headerData(col, Qt.Horizontal) or "")
        if not text:
            continue
        fits = False
        for lines in ([text], header_lines(text, True) if wrap else [text]):
            need_w = max(fm.horizontalAdvance(line) for line in lines) + 12   # 6 px padding
            need_h = len(lines) * fm.lineSpacing() + 8
            fits = fits or (hh.sectionSize(col) >= need_w and hh.height() >= need_h)
        if not fits:
            cut.append(text)
    return cut


def fit_preview_columns(view: QTableView, max_columns: int = 200) -> None:
    """The data preview: rows as tall as the font needs, the first columns as wide as their
    header (at least the default width), the rest at the default width."""
    hh = view.horizontalHeader()
    fm = hh.fontMetrics()
    default = max(110, fm.averageCharWidth() * 10)
    hh.setDefaultSectionSize(default)
    view.verticalHeader().setDefaultSectionSize(max(26, view.fontMetrics().height() + 6))
    model = view.model()
    if model is None:
        return
    for col in range(min(model.columnCount(), max_columns)):
        text = str(model.headerData(col, Qt.Horizontal) or "")
        view.setColumnWidth(col, min(320, max(default, _header_width(fm, text, False))))
