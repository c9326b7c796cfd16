"""The PySide6 + pyqtgraph front end. Widgets only show and edit; numbers come from core."""

from studio.ui.common import pyside_fix as _pyside_fix

_pyside_fix.skip_source_scans()  # first: faster imports of TensorFlow, pandas (pyside_fix.py)
_pyside_fix.apply()  # PySide6 6.12.0 on Python 3.11: see pyside_fix.py
