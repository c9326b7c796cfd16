"""Work around a reference-counting bug of PySide6 6.12.0 on Python < 3.12, and make PySide6's
``__feature__`` support skip reading the source of large non-Qt packages
(:func:`skip_source_scans`).

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

#: Packages that never use PySide6: PySide6 need not read their source (skip_source_scans).
NOT_QT_PACKAGES = frozenset({
    "tensorflow", "keras", "tf_keras", "numpy", "pandas", "scipy", "sklearn", "google", "absl",
    "h5py", "ml_dtypes", "optree", "rich", "pygments", "optuna", "sqlalchemy", "alembic",
    "imblearn", "joblib", "threadpoolctl", "tensorboard", "grpc", "wrapt", "gast", "astunparse",
    "termcolor", "opt_einsum", "flatbuffers", "markdown_it", "namex", "dateutil", "pytz",
    "packaging", "yaml", "colorlog", "tqdm", "setuptools", "pkg_resources", "jinja2",
})
_scans_skipped = False


def skip_source_scans() -> bool:
    """After ``import PySide6``, PySide6's ``__feature__`` support reads the whole source of
    every module imported later (``inspect.getsource``, to see whether it mentions PySide6),
    and ``linecache`` keeps it. Importing pandas that way cost ~0.3 s more CPU at start-up,
    TensorFlow ~1 s and 56 MB of cached source text (benchmarks/startup.py). Modules of
    :data:`NOT_QT_PACKAGES` are now marked "does not use PySide6" without being read, which
    is what the scan would find. Returns True when the scan was wrapped (False if this
    PySide6 has no such scan)."""
    global _scans_skipped
    if _scans_skipped:
        return True
    import PySide6.QtCore  # noqa: F401  (loads PySide6's support modules)

    feature = sys.modules.get("PySide6.support.feature") or sys.modules.get(
        "shibokensupport.feature")
    scan = getattr(feature, "_mod_uses_pyside", None)
    if scan is None:
        return False

    def mod_uses_pyside(module) -> bool:
        name = getattr(module, "__name__", None)
        if isinstance(name, str) and name.partition(".")[0] in NOT_QT_PACKAGES:
            return False
        return scan(module)

    feature._mod_uses_pyside = mod_uses_pyside
    _scans_skipped = True
    return True


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
