"""Opening a large CSV: the studio's reading and profiling vs ``pandas.read_csv`` alone, its
peak memory, and the preview table being a model/view (no widget per row).

A generated CSV (``--rows`` x 20 columns: 19 numbers with 4 decimals, ~100,000 distinct values
each, and a yes/no label) in a temporary folder.

* Speed: ``pandas.read_csv(path)`` and the studio's ``read_csv`` + ``profile`` (what
  ``studio.core.data.load`` does: detection of encoding, separator and decimal mark, reading,
  the profile of every column) alternated ``--repeats`` times in one process; the ratio of the
  medians.
* Peak memory: each in its own process (``--memory pandas|studio``), the growth of the peak
  resident set (``VmHWM`` on Linux, else ``ru_maxrss``) over the process's peak after its
  imports, divided by the DataFrame's size (``memory_usage(deep=True)``).
* Model/view: the Data step's preview is a ``QTableView`` over ``DataFrameModel`` (a
  ``QAbstractTableModel``); giving it a table of ``--rows`` rows creates no widgets and takes
  milliseconds (offscreen, in its own process).

    python benchmarks/csv_read.py                     # 1,000,000 rows
    python benchmarks/csv_read.py --rows 200000 --repeats 3
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

GOAL_RATIO = 1.3
GOAL_MEMORY = 2.0


def make_csv(rows: int, path: Path, columns: int = 20, seed: int = 0) -> Path:
    """``rows`` x ``columns`` CSV: numbers drawn from 100,000 distinct 4-decimal values, and a
    yes/no last column. Fast to write (no float formatting per cell)."""
    import numpy as np

    rng = np.random.default_rng(seed)
    pool = np.array([f"{v:.4f}" for v in rng.normal(size=100_000)], dtype=object)
    names = [f"f{i}" for i in range(columns - 1)] + ["label"]
    step = 100_000
    with open(path, "w", encoding="utf-8", newline="") as fh:
        fh.write(",".join(names) + "\n")
        for start in range(0, rows, step):
            n = min(step, rows - start)
            block = pool[rng.integers(0, len(pool), size=(n, columns - 1))]
            label = np.where(rng.random(n) < 0.4, "yes", "no").astype(object)
            rows_ = np.column_stack([block, label]).tolist()
            fh.write("\n".join(",".join(r) for r in rows_))
            fh.write("\n")
    return path


def speed(path: Path, repeats: int) -> dict:
    import pandas as pd

    from studio.core.data import profile, read_csv

    pandas_t, read_t, profile_t = [], [], []
    pd.read_csv(path)                      # the file in the page cache for both
    for _ in range(repeats):
        start = time.perf_counter()
        pd.read_csv(path)
        pandas_t.append(time.perf_counter() - start)
        start = time.perf_counter()
        frame, _info = read_csv(path)
        read_t.append(time.perf_counter() - start)
        start = time.perf_counter()
        profile(frame)
        profile_t.append(time.perf_counter() - start)
    studio = [a + b for a, b in zip(read_t, profile_t)]
    p, s = statistics.median(pandas_t), statistics.median(studio)
    return {"pandas_s": p, "studio_s": s, "studio_read_s": statistics.median(read_t),
            "studio_profile_s": statistics.median(profile_t), "ratio": s / p,
            "rows": int(frame.shape[0]), "columns": int(frame.shape[1]), "repeats": repeats}


def _peak_kib() -> int:
    """This process's peak resident set in KiB: ``VmHWM`` on Linux (``ru_maxrss`` there also
    counts the parent's size at the fork), else ``ru_maxrss``."""
    import resource

    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak // 1024 if sys.platform == "darwin" else peak   # bytes on macOS


def memory_child(path: Path, which: str) -> dict:
    """In a fresh process: peak growth while reading (and profiling) over the DataFrame size."""
    import pandas as pd

    from studio.core.data import load

    base = _peak_kib()
    frame = pd.read_csv(path) if which == "pandas" else load(str(path)).frame
    peak = _peak_kib()
    size = int(frame.memory_usage(deep=True).sum())
    return {"which": which, "frame_mb": size / 2**20, "peak_growth_mb": (peak - base) / 1024,
            "ratio": (peak - base) * 1024 / size}


def memory(path: Path, which: str) -> dict:
    out = subprocess.run([sys.executable, __file__, "--memory", which, "--csv", str(path)],
                         capture_output=True, text=True, check=True, cwd=ROOT)
    return json.loads(out.stdout.strip().splitlines()[-1])


def model_view_child(rows: int) -> dict:
    """Offscreen: the Data step's preview gets a ``rows``-row table; widgets before/after."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    import numpy as np
    import pandas as pd
    from PySide6.QtCore import QAbstractTableModel
    from PySide6.QtWidgets import QTableView, QTableWidget, QWidget

    from studio.ui.common import qt_settings
    from studio.ui.shell.app import make_application

    qt_settings.use_folder(tempfile.mkdtemp(prefix="studio-bench-settings-"))
    app = make_application([])
    from studio.ui.common.table_model import DataFrameModel
    from studio.ui.data.panel import DataPanel
    from studio.ui.state import StudioState

    panel = DataPanel(StudioState())
    panel.resize(1200, 800)
    panel.show()
    app.processEvents()
    view = panel.preview
    frame = pd.DataFrame(np.random.default_rng(0).normal(size=(rows, 20)),
                         columns=[f"f{i}" for i in range(20)])
    before = len(view.findChildren(QWidget))
    start = time.perf_counter()
    panel.table_model.set_frame(frame)
    app.processEvents()                       # the view lays out and paints what it shows
    set_ms = (time.perf_counter() - start) * 1000
    after = len(view.findChildren(QWidget))
    model = view.model()
    ok = (isinstance(view, QTableView) and not isinstance(view, QTableWidget)
          and isinstance(model, QAbstractTableModel) and isinstance(model, DataFrameModel)
          and model.rowCount() == rows and after <= before)
    return {"model_view": bool(ok), "view": type(view).__name__, "model": type(model).__name__,
            "rows": model.rowCount(), "widgets_before": before, "widgets_after": after,
            "set_frame_ms": set_ms}


def model_view(rows: int) -> dict:
    out = subprocess.run([sys.executable, __file__, "--model-view", str(rows)],
                         capture_output=True, text=True, check=True, cwd=ROOT,
                         env=dict(os.environ, QT_QPA_PLATFORM="offscreen"))
    return json.loads(out.stdout.strip().splitlines()[-1])


def run(rows: int = 1_000_000, repeats: int = 5) -> dict:
    with tempfile.TemporaryDirectory(prefix="studio-bench-csv-") as tmp:
        path = make_csv(rows, Path(tmp) / f"bench_{rows}x20.csv")
        out = {"rows": rows, "file_mb": path.stat().st_size / 2**20,
               "speed": speed(path, repeats),
               "memory": {w: memory(path, w) for w in ("pandas", "studio")}}
    out["model_view"] = model_view(rows)
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--memory", choices=("pandas", "studio"), help=argparse.SUPPRESS)
    ap.add_argument("--csv", help=argparse.SUPPRESS)
    ap.add_argument("--model-view", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.memory:
        print(json.dumps(memory_child(Path(args.csv), args.memory)))
        return 0
    if args.model_view:
        print(json.dumps(model_view_child(args.model_view)))
        return 0
    r = run(args.rows, args.repeats)
    s, m, mv = r["speed"], r["memory"], r["model_view"]
    print(f"{r['rows']:,} rows x 20 columns ({r['file_mb']:.0f} MB), median of {s['repeats']}")
    print(f"  pandas.read_csv {s['pandas_s']:.2f} s; studio {s['studio_s']:.2f} s (read "
          f"{s['studio_read_s']:.2f} s + profile {s['studio_profile_s']:.2f} s): "
          f"{s['ratio']:.2f}x (goal <= {GOAL_RATIO}x)")
    for w in ("pandas", "studio"):
        print(f"  peak memory growth, {w:6}: {m[w]['peak_growth_mb']:.0f} MB = "
              f"{m[w]['ratio']:.2f}x the DataFrame ({m[w]['frame_mb']:.0f} MB)")
    print(f"  preview: {mv['view']} over {mv['model']} ({mv['rows']:,} rows), widgets "
          f"{mv['widgets_before']} -> {mv['widgets_after']}, set in {mv['set_frame_ms']:.0f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
