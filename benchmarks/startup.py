"""Start-up time: from process start to the main window shown and accepting input, and to Train
enabled (TensorFlow loaded in the background).

Each run is a fresh process: ``python -m studio`` (the window, as the ``studio`` command opens
it) with ``QT_QPA_PLATFORM=offscreen``, fresh settings (so the first start opens the iris
sample) and ``NETSKETCH_STARTUP_PROBE=1``, which makes the window print timestamps to stderr
and quit once Train is enabled (``studio.ui.shell.app.install_startup_probe``). Times are from just
before the process is launched, so the interpreter's own start is included. The median of the
runs is reported; the first run (cold file cache) is a warm-up and not counted.

    python benchmarks/startup.py              # 3 runs after a warm-up
    python benchmarks/startup.py --runs 5
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GOAL_INPUT_S = 1.5
PROBE_LINE = re.compile(r"startup-probe (?P<event>\w+) (?P<time>\d+\.\d{6}) "
                        r"cpu=(?P<cpu>[\d.]+)(?: max_stall_ms=(?P<stall>\d+))?"
                        r"(?: blocked=(?P<blocked>[^\n]*))?")


def launch(timeout: float = 180.0) -> dict[str, float | str]:
    """One start of the window in a fresh process; seconds from launch to each probe event."""
    with tempfile.TemporaryDirectory(prefix="studio-startup-") as tmp:
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen", NETSKETCH_STARTUP_PROBE="1",
                   TF_CPP_MIN_LOG_LEVEL="2", XDG_CONFIG_HOME=str(Path(tmp) / "config"),
                   NETSKETCH_DATA_DIR=str(Path(tmp) / "data"))
        # Bytecode caches as an installed studio has them (the warm-up run writes them).
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        t0 = time.time()
        proc = subprocess.run([sys.executable, "-m", "studio"], cwd=ROOT, env=env,
                              capture_output=True, text=True, timeout=timeout,
                              check=False)
        end = time.time()
    out: dict[str, float | str] = {"exit": end - t0}
    # TensorFlow's own logging may share the lines: match the probe's fields only.
    for m in PROBE_LINE.finditer(proc.stderr):
        out[m["event"]] = float(m["time"]) - t0
        out[m["event"] + "_cpu"] = float(m["cpu"])
        if m["stall"]:
            out["loading_max_stall_ms"] = float(m["stall"])
        if m["blocked"]:
            out["train_blocked"] = m["blocked"]
    if proc.returncode != 0 or "input_ready" not in out or "train_enabled" not in out:
        raise RuntimeError(f"the window did not start (exit {proc.returncode}): "
                           f"{proc.stderr[-2000:]}")
    return out


def run(runs: int = 3, warmup: bool = True) -> dict:
    """Median seconds from launch to each event (``*_s``) and CPU seconds the process had used
    by then (``*_cpu_s``: less sensitive to other work on the machine), over ``runs`` starts."""
    if warmup:
        launch()
    results = [launch() for _ in range(runs)]
    out: dict = {"runs": results}
    for key in ("window_shown", "input_ready", "train_enabled"):
        out[key + "_s"] = statistics.median(float(r[key]) for r in results)
        out[key + "_cpu_s"] = statistics.median(float(r[key + "_cpu"]) for r in results)
    out["input_ready_max_s"] = max(float(r["input_ready"]) for r in results)
    out["loading_max_stall_ms"] = max(float(r.get("loading_max_stall_ms", "nan"))
                                      for r in results)
    out["train_blocked"] = sorted({str(r["train_blocked"]) for r in results
                                   if "train_blocked" in r})
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    res = run(args.runs)
    for i, r in enumerate(res["runs"], 1):
        print(f"run {i}: window shown {r['window_shown']:.2f} s, accepting input "
              f"{r['input_ready']:.2f} s (CPU {r['input_ready_cpu']:.2f} s), Train enabled "
              f"{r['train_enabled']:.2f} s; longest stall while TensorFlow loads "
              f"{r.get('loading_max_stall_ms', float('nan')):.0f} ms")
    print(f"median: window shown {res['window_shown_s']:.2f} s, accepting input "
          f"{res['input_ready_s']:.2f} s (goal < {GOAL_INPUT_S} s; CPU "
          f"{res['input_ready_cpu_s']:.2f} s), Train enabled {res['train_enabled_s']:.2f} s; "
          f"longest stall while TensorFlow loads {res['loading_max_stall_ms']:.0f} ms")
    if res["train_blocked"]:
        print("Train still blocked: " + "; ".join(res["train_blocked"]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
