"""The doctor's findings, live: severity, title, explanation, what to do, and a Fix button.

Rebuilt from ``state.findings`` whenever the doctor runs again (there are rarely more than a
dozen findings). A finding with an unambiguous fix (``finding.action``) gets a button that
calls ``state.apply_fix``; clicking a card asks the window to show the column or layer it is
about (``sig_finding_activated``).

:class:`FindingsStrip` puts the findings on a step page itself, one line each with its Fix
button: presentation mode hides the doctor's dock to give the projector the whole width, and the
Data and Train pages then show the findings there; the Train page shows the errors that block
training there always, next to the disabled Train button.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from studio.core.i18n import _, ngettext
from studio.ui.common import theme
from studio.ui.common.guard import reports_errors


def severity_names() -> dict[str, str]:
    return {"error": _("Error"), "warning": _("Warning"), "info": _("Tip")}


class FindingCard(QFrame):
    """One finding."""

    sig_fix = Signal(object)
    sig_activated = Signal(object)

    def __init__(self, finding, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.finding = finding
        colour = theme.SEVERITY_COLOURS.get(finding.severity, theme.MUTED)
        self.setObjectName("finding")
        self.setStyleSheet(f"QFrame#finding {{ background: {theme.SURFACE}; border: 1px solid "
                           f"{theme.BORDER}; border-left: 4px solid {colour}; "
                           f"border-radius: 6px; }}")
        self.setCursor(Qt.PointingHandCursor if (finding.column or finding.layer)
                       else Qt.ArrowCursor)
        icon = QLabel()
        icon.setPixmap(theme.severity_icon(finding.severity).pixmap(18, 18))
        icon.setToolTip(severity_names().get(finding.severity, finding.severity))
        self.title = QLabel(finding.title)
        self.title.setWordWrap(True)
        self.title.setStyleSheet("font-weight: 600;")
        head = QHBoxLayout()
        head.setSpacing(8)
        head.addWidget(icon, 0, Qt.AlignTop)
        head.addWidget(self.title, 1)
        self.explanation = QLabel(finding.explanation)
        self.explanation.setWordWrap(True)
        self.explanation.setStyleSheet(f"color: {theme.TEXT};")
        self.fix_text = QLabel(_("What to do: {fix}", fix=finding.fix))
        self.fix_text.setWordWrap(True)
        self.fix_text.setStyleSheet(f"color: {theme.MUTED};")
        lay = QVBoxLayout(self)
        lay.setContentsMargins(10, 8, 10, 8)
        lay.setSpacing(4)
        lay.addLayout(head)
        lay.addWidget(self.explanation)
        lay.addWidget(self.fix_text)
        self.fix_button: QPushButton | None = None
        if finding.action is not None:
            self.fix_button = QPushButton(_("Fix it"))
            self.fix_button.setToolTip(finding.fix)
            self.fix_button.setCursor(Qt.PointingHandCursor)
            self.fix_button.clicked.connect(self._on_fix_clicked)
            row = QHBoxLayout()
            row.addStretch(1)
            row.addWidget(self.fix_button)
            lay.addLayout(row)

    def _on_fix_clicked(self) -> None:
        self.sig_fix.emit(self.finding)

    def mousePressEvent(self, event) -> None:
        if event.button() == Qt.LeftButton:
            self.sig_activated.emit(self.finding)
        super().mousePressEvent(event)


class DoctorPanel(QWidget):
    """The findings list; see the module docstring."""

    sig_finding_activated = Signal(object)   # a doctor.Finding the user clicked

    def __init__(self, state, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setStyleSheet("font-weight: 600; padding: 2px 2px 4px 2px;")
        self._list = QWidget()
        self._list.setObjectName("page")
        self._list_layout = QVBoxLayout(self._list)
        self._list_layout.setContentsMargins(0, 0, 4, 0)
        self._list_layout.setSpacing(8)
        self._list_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        scroll.setWidget(self._list)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(10, 8, 6, 8)
        lay.setSpacing(6)
        lay.addWidget(self.summary)
        lay.addWidget(scroll, 1)
        self.cards: list[FindingCard] = []
        state.sig_findings_changed.connect(self._on_findings_changed)
        self._on_findings_changed(state.findings)

    def _on_findings_changed(self, findings: list) -> None:
        for card in self.cards:
            card.setParent(None)
            card.deleteLater()
        self.cards = []
        for f in findings or []:
            card = FindingCard(f)
            card.sig_fix.connect(self._on_fix)
            card.sig_activated.connect(self.sig_finding_activated)
            self._list_layout.insertWidget(self._list_layout.count() - 1, card)
            self.cards.append(card)
        self.summary.setText(summary_text(findings or [], self.state.project is not None))
        worst = theme.worst_severity(f.severity for f in findings or [])
        colour = {"error": theme.SEVERITY_COLOURS["error"], None: "#15803d"}.get(worst,
                                                                               theme.TEXT)
        self.summary.setStyleSheet(f"font-weight: 600; padding: 2px 2px 4px 2px; "
                                   f"color: {colour};")

    @reports_errors
    def _on_fix(self, finding) -> None:
        apply_finding_fix(self.state, finding)


def apply_finding_fix(state, finding) -> bool:
    """The one-click fix of ``finding`` through the state (which runs the doctor again)."""
    if state.apply_fix(finding):
        return True
    state.report_error(_("This fix no longer applies; the doctor has been run again."))
    state.touch()
    return False


class FindingRow(QFrame):
    """One finding on one line: severity icon, title, Fix button; the explanation and what
    to do in the tooltip."""

    sig_fix = Signal(object)

    def __init__(self, finding, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.finding = finding
        colour = theme.SEVERITY_COLOURS.get(finding.severity, theme.MUTED)
        self.setObjectName("findingRow")
        # no background of its own: the row reads on the light and the dark presentation look
        self.setStyleSheet(f"QFrame#findingRow {{ background: transparent; border: 1px solid "
                           f"{theme.BORDER}; border-left: 5px solid {colour}; "
                           f"border-radius: 6px; }}")
        self.setToolTip(f"{finding.explanation}\n\n" + _("What to do: {fix}", fix=finding.fix))
        icon = QLabel()
        icon.setPixmap(theme.severity_icon(finding.severity).pixmap(18, 18))
        icon.setToolTip(severity_names().get(finding.severity, finding.severity))
        self.title = QLabel(finding.title)
        self.title.setObjectName("findingRowTitle")
        self.title.setWordWrap(True)
        self.title.setStyleSheet("font-weight: 600; border: none;")
        lay = QHBoxLayout(self)
        lay.setContentsMargins(8, 4, 8, 4)
        lay.setSpacing(8)
        lay.addWidget(icon, 0, Qt.AlignVCenter)
        lay.addWidget(self.title, 1)
        self.fix_button: QPushButton | None = None
        if finding.action is not None:
            self.fix_button = QPushButton(_("Fix it"))
            self.fix_button.setObjectName("findingRowFix")
            self.fix_button.setToolTip(finding.fix)
            self.fix_button.setCursor(Qt.PointingHandCursor)
            self.fix_button.clicked.connect(self._on_fix_clicked)
            lay.addWidget(self.fix_button, 0, Qt.AlignVCenter)

    def _on_fix_clicked(self) -> None:
        self.sig_fix.emit(self.finding)


class FindingsStrip(QWidget):
    """The doctor's findings inline on a step page (see the module docstring).

    While presenting (:meth:`set_presenting`, called by the presentation look) it shows the
    findings, errors first, at most :attr:`MAX_ROWS` of them and a line saying how many more
    the Doctor panel has. Otherwise it shows nothing, or with ``errors_always`` the errors
    (the Train page: what blocks it and its fix). Hidden when there is nothing to show."""

    MAX_ROWS = 3

    def __init__(self, state, errors_always: bool = False,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("findingsStrip")
        self.state = state
        self.errors_always = errors_always
        self.presenting = False
        self.rows: list[FindingRow] = []
        self._lay = QVBoxLayout(self)
        self._lay.setContentsMargins(0, 0, 0, 0)
        self._lay.setSpacing(4)
        self.more = theme.label("", "muted")
        self.more.setObjectName("findingsMore")
        self._lay.addWidget(self.more)
        state.sig_findings_changed.connect(self._on_findings_changed)
        self._on_findings_changed(state.findings)

    def set_presenting(self, on: bool) -> None:
        on = bool(on)
        if on != self.presenting:
            self.presenting = on
            self._on_findings_changed(self.state.findings)

    def wanted(self, findings: list) -> list:
        """The findings this strip shows now, all of them (before the row limit)."""
        if self.state.project is None:
            return []
        if self.presenting:
            return list(findings)
        if self.errors_always:
            return [f for f in findings if f.severity == "error"]
        return []

    def _on_findings_changed(self, findings: list) -> None:
        for row in self.rows:
            row.setParent(None)
            row.deleteLater()
        self.rows = []
        wanted = self.wanted(findings or [])
        for f in wanted[:self.MAX_ROWS]:
            row = FindingRow(f)
            row.sig_fix.connect(self._on_fix)
            self._lay.insertWidget(self._lay.count() - 1, row)
            self.rows.append(row)
        rest = len(wanted) - len(self.rows)
        self.more.setText(_("and {n} more in the Doctor panel (Ctrl+D)", n=rest) if rest
                          else "")
        self.more.setVisible(rest > 0)
        if not wanted:
            self.hide()
        elif self.parentWidget() is not None:   # never a window of its own
            self.show()

    @reports_errors
    def _on_fix(self, finding) -> None:
        apply_finding_fix(self.state, finding)


def summary_text(findings: list, has_project: bool = True) -> str:
    if not has_project:
        return _("Open some data to get the doctor's advice.")
    n_err = sum(f.severity == "error" for f in findings)
    n_warn = sum(f.severity == "warning" for f in findings)
    n_info = sum(f.severity == "info" for f in findings)
    if not findings:
        return _("✓ No problems found. Ready to train.")
    parts = []
    if n_err:
        parts.append(ngettext("{n} error", "{n} errors", n_err))
    if n_warn:
        parts.append(ngettext("{n} warning", "{n} warnings", n_warn))
    if n_info:
        parts.append(ngettext("{n} tip", "{n} tips", n_info))
    text = " · ".join(parts)
    if n_err:
        text += "\n" + _("Errors block training.")
    return text
