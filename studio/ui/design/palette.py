"""The palette of layer kinds, dragged onto the canvas (a click appends before the output)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QMimeData, Qt, Signal
from PySide6.QtGui import QDrag
from PySide6.QtWidgets import QBoxLayout, QLabel, QPushButton, QWidget

from studio.core.i18n import _
from studio.ui.design.view import MIME

QWIDGETSIZE_MAX = (1 << 24) - 1


def palette_entries() -> list[tuple[str, str, str]]:
    return [("dense", _("Dense"), _("A fully connected layer: every neuron sees every input.")),
            ("dropout", _("Dropout"), _("Switches off a share of neurons while training, "
                                        "against over-fitting.")),
            ("batchnorm", _("BatchNorm"), _("Re-centres and re-scales the values "
                                                     "between layers."))]


class PaletteButton(QPushButton):
    def __init__(self, kind: str, text: str, tip: str, parent=None) -> None:
        super().__init__(text, parent)
        self.kind = kind
        self.setToolTip(tip + "\n" + _("Drag onto the canvas between two layers."))
        self._press = None

    def mime(self) -> QMimeData:
        md = QMimeData()
        md.setData(MIME, self.kind.encode())
        return md

    def mousePressEvent(self, event) -> None:
        self._press = event.position().toPoint()
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event) -> None:
        if self._press is not None and (event.position().toPoint() - self._press
                                        ).manhattanLength() > 8:
            self._press = None
            self.setDown(False)
            drag = QDrag(self)
            drag.setMimeData(self.mime())
            drag.setPixmap(self.grab())
            drag.exec(Qt.DropAction.CopyAction)
            return
        super().mouseMoveEvent(event)


class Palette(QWidget):
    """A column beside the canvas, or a row above it when the page is narrow (``set_compact``):
    then the hint is hidden (each button's tooltip says it) and the canvas keeps the width."""

    sig_append = Signal(str)          # a click: add this kind before the output layer

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("palette")
        lay = self._lay = QBoxLayout(QBoxLayout.Direction.TopToBottom, self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.title = title = QLabel(_("Layers"))
        f = title.font()
        f.setBold(True)
        title.setFont(f)
        lay.addWidget(title)
        self.buttons: dict[str, PaletteButton] = {}
        for kind, text, tip in palette_entries():
            b = PaletteButton(kind, text, tip)
            b.clicked.connect(lambda _c=False, k=kind: self.sig_append.emit(k))
            lay.addWidget(b)
            self.buttons[kind] = b
        self.hint = hint = QLabel(_("Drag a layer between two columns, or click to add it "
                                    "before the output."))
        hint.setWordWrap(True)
        hint.setObjectName("muted")
        lay.addWidget(hint)
        lay.addStretch(1)
        self.compact = False
        self.set_compact(False)

    def side_width(self) -> int:
        """The column's width from the font: the widest button, at least 11 characters (the
        hint wraps inside it)."""
        widest = max(b.sizeHint().width() for b in self.buttons.values())
        widest = max(widest, self.title.sizeHint().width())
        return max(widest + 4, self.fontMetrics().averageCharWidth() * 11)

    def set_compact(self, on: bool) -> None:
        """A row (``on``) or a column of buttons."""
        self.compact = bool(on)
        self._lay.setDirection(QBoxLayout.Direction.LeftToRight if on
                               else QBoxLayout.Direction.TopToBottom)
        self.hint.setHidden(self.compact)
        self.title.setToolTip(self.hint.text() if self.compact else "")
        self.update_width()

    def update_width(self) -> None:
        if self.compact:
            self.setMinimumWidth(0)
            self.setMaximumWidth(QWIDGETSIZE_MAX)
        else:
            self.setFixedWidth(self.side_width())

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:        # presentation mode, its zoom
            self.update_width()
