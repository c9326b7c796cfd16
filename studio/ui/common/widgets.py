"""Small widgets shared by the panels: an inline message banner and no-echo form helpers."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import QComboBox, QFrame, QHBoxLayout, QLabel, QToolButton, QWidget

from studio.core.i18n import _
from studio.ui.common import theme


class Banner(QFrame):
    """A coloured line with an icon and a message; hidden while it has no text."""

    sig_closed = Signal()

    def __init__(self, severity: str = "warning", closable: bool = False,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("banner")
        self.icon = QLabel()
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextSelectableByMouse)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(10, 6, 6, 6)
        lay.setSpacing(8)
        lay.addWidget(self.icon, 0, Qt.AlignTop)
        lay.addWidget(self.text, 1)
        self.close_button = None
        if closable:
            self.close_button = QToolButton()
            self.close_button.setText("✕")
            self.close_button.setAutoRaise(True)
            self.close_button.setToolTip(_("Dismiss"))
            self.close_button.clicked.connect(self._on_close_clicked)
            lay.addWidget(self.close_button, 0, Qt.AlignTop)
        self.set_severity(severity)
        self.hide()

    def set_severity(self, severity: str) -> None:
        self.severity = severity
        self.icon.setPixmap(theme.severity_icon(severity).pixmap(18, 18))
        colour = theme.SEVERITY_COLOURS.get(severity, theme.MUTED)
        soft = theme.SEVERITY_SOFT.get(severity, theme.BG)
        self.setStyleSheet(f"QFrame#banner {{ background: {soft}; border: 1px solid {colour}; "
                           f"border-radius: 6px; }} QLabel {{ color: {theme.TEXT}; }}")

    def show_message(self, text: str, severity: str | None = None) -> None:
        if severity:
            self.set_severity(severity)
        self.text.setText(text)
        self.setVisible(bool(text))

    def _on_close_clicked(self) -> None:
        self.hide()
        self.sig_closed.emit()


@contextlib.contextmanager
def blocked(*widgets: QWidget) -> Iterator[None]:
    """Fill widgets from the model without their change signals echoing back (napari)."""
    old = [w.blockSignals(True) for w in widgets]
    try:
        yield
    finally:
        for w, b in zip(widgets, old):
            w.blockSignals(b)


def select_data(combo: QComboBox, value) -> None:
    """Select the item whose data is ``value`` (no signal if blocked by the caller)."""
    i = combo.findData(value)
    if i >= 0:
        combo.setCurrentIndex(i)


class ElidedLabel(QLabel):
    """One line that ends in "…" where it does not fit (the whole text in its tooltip),
    instead of being cut mid-word at the widget's edge."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._full = text
        self.setMinimumWidth(1)
        self._update()

    def setText(self, text: str) -> None:
        self._full = text
        self._update()

    def fullText(self) -> str:
        return self._full

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._update()

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._update()

    def _update(self) -> None:
        width = max(1, self.contentsRect().width())
        shown = self.fontMetrics().elidedText(self._full, Qt.TextElideMode.ElideRight, width)
        super().setText(shown)
        self.setToolTip(self._full if shown != self._full else "")
