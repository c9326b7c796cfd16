"""The Code view: the project's Keras code, live, highlighted, copyable and exportable.

The text comes from :mod:`studio.core.codegen` and is rebuilt on every project change.
:meth:`CodeView.highlight_layer` selects the line that builds a layer; connect the canvas's
selection signal to it (``canvas.sig_layer_selected.connect(code_view.highlight_layer)``).
"""

from __future__ import annotations

import keyword
import os
import re
from pathlib import Path

from PySide6.QtGui import (
    QColor,
    QFont,
    QSyntaxHighlighter,
    QTextCharFormat,
    QTextCursor,
    QTextFormat,
)
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QHBoxLayout,
    QPlainTextEdit,
    QPushButton,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from studio.core import codegen
from studio.core.errors import StudioError
from studio.core.i18n import _
from studio.ui.common import theme
from studio.ui.state import StudioState


def _fmt(color: str, bold: bool = False, italic: bool = False) -> QTextCharFormat:
    f = QTextCharFormat()
    f.setForeground(QColor(color))
    if bold:
        f.setFontWeight(QFont.Bold)
    f.setFontItalic(italic)
    return f


class PythonHighlighter(QSyntaxHighlighter):
    """Keywords, strings, comments and numbers (one line at a time; enough for our code)."""

    RULES = (
        (re.compile(r"\b(" + "|".join(keyword.kwlist) + r")\b"), _fmt("#7c3aed", bold=True)),
        (re.compile(r"\b\d+(\.\d+)?([eE][-+]?\d+)?\b"), _fmt("#b45309")),
        (re.compile(r"\"[^\"\\]*(\\.[^\"\\]*)*\"|'[^'\\]*(\\.[^'\\]*)*'"), _fmt("#15803d")),
        (re.compile(r"#[^\n]*"), _fmt("#6b7280", italic=True)),
    )

    def highlightBlock(self, text: str) -> None:
        for rx, fmt in self.RULES:
            for m in rx.finditer(text):
                self.setFormat(m.start(), m.end() - m.start(), fmt)


class CodeView(QWidget):
    def __init__(self, state: StudioState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        lay = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.copy_button = QPushButton(_("Copy"))
        self.export_py_button = QPushButton(_("Export .py…"))
        self.export_ipynb_button = QPushButton(_("Export .ipynb…"))
        for b in (self.copy_button, self.export_py_button, self.export_ipynb_button):
            bar.addWidget(b)
        bar.addStretch(1)
        lay.addLayout(bar)
        self.editor = QPlainTextEdit()
        self.editor.setReadOnly(True)
        self.editor.setLineWrapMode(QPlainTextEdit.NoWrap)
        theme.mono_font(self.editor)
        self.highlighter = PythonHighlighter(self.editor.document())
        lay.addWidget(self.editor, 1)
        self.copy_button.clicked.connect(self.copy)
        self.export_py_button.clicked.connect(lambda: self.export_dialog("py"))
        self.export_ipynb_button.clicked.connect(lambda: self.export_dialog("ipynb"))
        state.sig_project_changed.connect(self._on_project_changed)
        state.sig_dataset_changed.connect(self._on_project_changed)
        self._on_project_changed()

    def code(self) -> str:
        return self.editor.toPlainText()

    def _on_project_changed(self) -> None:
        st = self.state
        text = ""
        if st.project is not None and st.dataset is not None:
            try:
                text = codegen.script(st.project, st.dataset)
            except StudioError as exc:
                text = "# " + _("The code cannot be written yet: {detail}", detail=exc)
        bar = self.editor.verticalScrollBar().value()
        self.editor.setPlainText(text)
        self.editor.verticalScrollBar().setValue(bar)
        enabled = bool(text) and not text.startswith("# ")
        for b in (self.copy_button, self.export_py_button, self.export_ipynb_button):
            b.setEnabled(enabled)

    def highlight_layer(self, uid: str) -> int:
        """Select and show the line that builds layer ``uid``; returns it (0-based) or -1."""
        st = self.state
        if st.project is None or st.dataset is None:
            return -1
        line = codegen.layer_line(self.code(), st.project, uid, st.dataset)
        if line < 0:
            self.editor.setExtraSelections([])
            return -1
        block = self.editor.document().findBlockByNumber(line)
        cursor = QTextCursor(block)
        sel = QTextEdit.ExtraSelection()
        sel.format.setBackground(QColor("#fde68a"))
        sel.format.setProperty(QTextFormat.FullWidthSelection, True)
        sel.cursor = cursor
        self.editor.setExtraSelections([sel])
        self.editor.setTextCursor(cursor)
        self.editor.centerCursor()
        return line

    def copy(self) -> None:
        QApplication.clipboard().setText(self.code())

    def export_folder(self) -> str:
        """Where the Export dialog opens: the last export's folder, else the project's, else
        the data's (never the folder the studio happened to be started in)."""
        from studio.ui.common.qt_settings import StudioSettings

        last = StudioSettings().last_export_directory()
        if last and os.path.isdir(last):
            return last
        project = self.state.project
        if project is not None and project.path is not None:
            return str(Path(project.path).parent)
        if project is not None and not project.data_source.startswith("sample:"):
            folder = Path(project.data_source).expanduser().parent
            if folder.is_absolute() and folder.is_dir():
                return str(folder)
        return os.path.expanduser("~")

    def export_dialog(self, fmt: str) -> None:
        if self.state.project is None:
            return
        name = (self.state.project.name or "project") + "." + fmt
        filt = _("Python script (*.py)") if fmt == "py" else _("Jupyter notebook (*.ipynb)")
        path, _f = QFileDialog.getSaveFileName(self, _("Export code"),
                                               os.path.join(self.export_folder(), name), filt)
        if path:
            self.export_to(path, fmt)

    def export_to(self, path: str, fmt: str | None = None) -> bool:
        from studio.ui.common.qt_settings import StudioSettings

        try:
            written = codegen.export(self.state.project, path, fmt, dataset=self.state.dataset)
        except StudioError as exc:
            self.state.report_error(str(exc))
            return False
        StudioSettings().set_last_export_directory(str(written))
        self.last_message = _("Exported the code to {path}", path=str(written))
        self.state.report_status(self.last_message, 10000)
        return True


__all__ = ["CodeView", "PythonHighlighter"]
