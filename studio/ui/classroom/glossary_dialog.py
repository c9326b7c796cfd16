"""Help > Glossary: the curriculum's terms and their definitions, in the UI language."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLineEdit,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from studio.core import glossary
from studio.core.i18n import _


class GlossaryDialog(QDialog):
    """A searchable list of terms (the filter matches the term and its definition)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Glossary"))
        self.resize(640, 560)
        lay = QVBoxLayout(self)
        self.filter_edit = QLineEdit()
        self.filter_edit.setPlaceholderText(_("Search the terms…"))
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.textChanged.connect(self._on_filter_changed)
        self.browser = QTextBrowser()
        self.browser.setOpenLinks(False)
        buttons = QDialogButtonBox(QDialogButtonBox.Close)
        buttons.rejected.connect(self.reject)
        lay.addWidget(self.filter_edit)
        lay.addWidget(self.browser, 1)
        lay.addWidget(buttons)
        self._on_filter_changed("")

    def shown_terms(self) -> list[str]:
        return list(self._shown)

    def _on_filter_changed(self, text: str) -> None:
        needle = text.strip().lower()
        terms = [t for t in glossary.entries()
                 if not needle or needle in t.term.lower() or needle in t.definition.lower()]
        self._shown = [t.key for t in terms]
        html = "".join(f"<h3 style='margin-bottom:2px'>{t.term}</h3><p>{t.definition}</p>"
                       for t in terms)
        self.browser.setHtml(html or f"<p>{_('No term matches.')}</p>")
        self.browser.verticalScrollBar().setValue(0)
        self.browser.setAlignment(Qt.AlignLeft)
