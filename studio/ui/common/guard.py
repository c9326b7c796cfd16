"""Slots that never crash the window: user errors become a plain message, never a traceback.

``@reports_errors`` wraps a method of any object with a ``state`` (a StudioState): a
:class:`StudioError` is shown through ``state.sig_error`` (the main window shows it), anything
else is a bug: it is logged with its traceback and shown as one line. Tests set
:data:`RAISE_UNEXPECTED` so that bugs fail loudly instead.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any

from studio.core.errors import StudioError
from studio.core.i18n import _

log = logging.getLogger("studio.ui")

RAISE_UNEXPECTED = False


def reports_errors(fn: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(fn)
    def wrapper(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return fn(self, *args, **kwargs)
        except StudioError as exc:
            report(self, str(exc))
        except Exception as exc:
            if RAISE_UNEXPECTED:
                raise
            log.exception("unexpected error in %s", fn.__qualname__)
            report(self, unexpected_message(exc))
        return None

    return wrapper


def unexpected_message(exc: BaseException) -> str:
    return _("Something went wrong inside the studio ({kind}: {detail}). Your project is "
             "unchanged; please report this.", kind=type(exc).__name__, detail=exc)


def report(owner: Any, message: str) -> None:
    state = getattr(owner, "state", None)      # any object with a StudioState
    if state is not None:
        state.report_error(message)
    else:
        log.error("%s", message)
