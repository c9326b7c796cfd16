"""studio/core never imports Qt or pyqtgraph: the core runs without a display."""

import re
import subprocess
import sys
from pathlib import Path

CORE = Path(__file__).resolve().parents[2] / "studio" / "core"


def test_core_sources_do_not_import_qt():
    pattern = re.compile(r"^\s*(from|import)\s+(PySide6|pyqtgraph|shiboken6|PyQt)", re.MULTILINE)
    offenders = [p.name for p in CORE.glob("*.py") if pattern.search(p.read_text("utf-8"))]
    assert offenders == []


def test_importing_core_loads_no_qt_module():
    code = ("import sys, studio.core.data, studio.core.prep, studio.core.design, "
            "studio.core.doctor, studio.core.project, studio.core.train, studio.core.evaluate;"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in "
            "('PySide6','pyqtgraph','shiboken6')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "[]"
