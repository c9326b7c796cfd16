"""Work around a reference-counting bug of PySide6 6.12.0 on Python < 3.12.

With PySide6 6.12.0 on Python 3.11, every call from Python of a Qt method that returns nothing
(``setText``, ``QTimer.start``, ``deleteLater``…) or ``nullptr`` takes one reference from
``None``, and every ``signal.emit(...)`` takes one from ``True``. After a few hundred calls
CPython aborts ("Fatal Python error: none_dealloc: deallocating None", or bool_dealloc).
Python 3.12 made these singletons immortal, which hides the bug; PySide6 6.11.x does not have
it.

:func:`apply` probes for the leak once and, if it is there, gives ``None``, ``True`` and
``False`` reference counts so large that they cannot reach zero (what Python 3.12 does for
them). Remove this module once PySide6 6.12.0 is excluded from the dependencies.
"""

from __future__ import annotations

import ctypes
import sys

_applied = False


def singleton_refs_leak() -> bool:
    """True when this PySide6 drops references to None or True on ordinary calls."""
    from PySide6.QtCore import QObject, Signal

    class _Probe(QObject):
        sig_probe = Signal()

    probe = _Probe()
    none_before, true_before = sys.getrefcount(None), sys.getrefcount(True)
    for _ in range(16):
        probe.setObjectName("probe")
        probe.sig_probe.emit()
    return (sys.getrefcount(None) <= none_before - 8
            or sys.getrefcount(True) <= true_before - 8)


def apply() -> bool:
    """Make the workaround active if this PySide6 needs it; True if it is active."""
    global _applied
    if _applied or sys.version_info >= (3, 12):
        return _applied
    if not singleton_refs_leak():
        return False
    for obj in (None, True, False):
        ctypes.c_ssize_t.from_address(id(obj)).value += 1 << 40
    _applied = True
    return True
