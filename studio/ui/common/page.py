"""What the main window asks of a step's page: one declared interface instead of probing.

Every step page (Start, Data, Design, Compile, Train, Evaluate) is made as ``Page(state)`` from
the one :class:`~studio.ui.state.StudioState`, reads from it and changes the project only
through its methods, so the window can make any page anew (a language switch). The window
calls only what :class:`StepPage` declares; what a page shows follows the state's signals.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable


@runtime_checkable
class StepPage(Protocol):
    """A step's page, as the window uses it."""

    def shutdown(self, timeout_ms: int = 10000) -> bool:
        """Stop the page's background work (a training run) before the project closes or the
        page is replaced; True when nothing runs any more. Pages without any return True."""
        ...
