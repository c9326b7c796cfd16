"""The palette of layer kinds, dragged onto the canvas (a click appends before the output)."""

from __future__ import annotations

from PySide6.QtCore import QMimeData, Qt, Signal
from PySide6.QtGui import QDrag
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

from studio.core.i18n import _
from studio.ui.canvas.view import MIME


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
    sig_append = Signal(str)          # a click: add this kind before the output layer

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        title = QLabel(_("Layers"))
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
        hint = QLabel(_("Drag a layer between two columns, or click to add it before the "
                        "output."))
        hint.setWordWrap(True)
        hint.setObjectName("muted")
        lay.addWidget(hint)
        lay.addStretch(1)
        self.setFixedWidth(170)
