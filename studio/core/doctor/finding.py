"""What the doctor reports: a :class:`Finding`, its severities, and the questions every caller
asks of a list of them (is training blocked, and by what first)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any

SEVERITIES = ("error", "warning", "info")


@dataclass
class Finding:
    """One thing the doctor noticed."""

    code: str                    # stable id, e.g. "output-activation"
    severity: str                # error | warning | info
    title: str                   # one short line
    explanation: str             # what is wrong and why it matters
    fix: str                     # what to do
    column: str | None = None    # the data column it concerns
    layer: str | None = None     # the Layer.uid it concerns
    action: dict | None = None   # a one-click fix for apply_fix, when unambiguous

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def errors(findings: Iterable[Finding]) -> list[Finding]:
    """The findings that block training, in their order."""
    return [f for f in findings if f.severity == "error"]


def first_error(findings: Iterable[Finding]) -> Finding | None:
    """The first finding that blocks training (what to fix first), or None."""
    return next((f for f in findings if f.severity == "error"), None)


def has_errors(findings: Iterable[Finding]) -> bool:
    """True when a finding blocks training."""
    return first_error(findings) is not None
