"""Every benchmark in one run, and a table of its figures against the goals.

    python benchmarks/run.py            # the full set: 10-20 minutes on 2 cores
    python benchmarks/run.py --quick    # smaller sizes and fewer epochs: under 2 minutes
    python benchmarks/run.py --only train,csv --out results.md

Each benchmark runs in its own process (``--child NAME``; start-up and peak memory start more
processes of their own), so TensorFlow, Qt and the memory figures of one do not leak into the
next. Figures are ratios measured side by side in one process where a goal is a ratio, since
the machines are shared and noisy. The table (figure | measured | goal | met) is printed and
written as Markdown (``--out``, default ``docs/benchmark-results.md``, or
``docs/benchmark-results-quick.md`` with ``--quick``) with the raw numbers beside it as JSON
(the same name, ``.json``). A goal that is missed is reported, never an error: the exit status
is 0 unless the command line is wrong.

The goals are those of issue 9; docs/benchmarks.md explains each benchmark.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

BENCHMARKS = ("train", "gui", "startup", "csv", "canvas", "gpu")

#: Sizes per mode: full = what the goals name; quick = smaller, said in the table.
PLAN = {
    "full": {
        "train_speed": [(150, 4, [16, 8], 30, 3), (20_000, 20, [64, 32], 5, 3),
                        (100_000, 20, [64, 32], 2, 2), (500_000, 20, [64, 32], 1, 1)],
        "sklearn": [(20_000, 20, [64, 32], 5, 3), (500_000, 20, [64, 32], 1, 1)],
        "gui": ["--epochs", "80", "--rounds", "3"],
        "startup": {"runs": 5, "warmup": True},
        "csv": {"rows": 1_000_000, "repeats": 5},
        "canvas": 60,
        "gpu": [],
        "timeout": 1500,
    },
    "quick": {
        "train_speed": [(150, 4, [16, 8], 10, 1), (20_000, 20, [64, 32], 5, 1)],
        "sklearn": [(20_000, 20, [64, 32], 5, 1), (100_000, 20, [64, 32], 1, 1)],
        "gui": ["--epochs", "10", "--rounds", "1"],
        "startup": {"runs": 2, "warmup": False},
        "csv": {"rows": 200_000, "repeats": 3},
        "canvas": 20,
        "gpu": ["--rows", "50000", "--epochs", "1", "--repeats", "1"],
        "timeout": 240,
    },
}


# -- the children: one benchmark each, raw figures as JSON ------------------------------------
def child_train(plan: dict) -> dict:
    import sklearn_speed
    import train_speed

    from studio.core.build import configure

    configure()
    out: dict = {"train_speed": [], "sklearn": []}
    with tempfile.TemporaryDirectory(prefix="studio-bench-train-") as tmp:
        for case in plan["train_speed"]:
            out["train_speed"].append(train_speed.measure(*case, folder=Path(tmp)))
            _progress(f"  train_speed {case[0]:,} rows: {out['train_speed'][-1]['ratio']:.2f}x")
        for case in plan["sklearn"]:
            out["sklearn"].append(sklearn_speed.measure(*case, folder=Path(tmp)))
            _progress(f"  sklearn {case[0]:,} rows: {out['sklearn'][-1]['ratio']:.2f}x")
    return out


def child_gui(plan: dict) -> dict:
    import gui_responsiveness

    return gui_responsiveness.run(gui_responsiveness.parser().parse_args(plan["gui"]))


def child_startup(plan: dict) -> dict:
    import startup

    return startup.run(**plan["startup"])


def child_csv(plan: dict) -> dict:
    import csv_read

    return csv_read.run(**plan["csv"])


def child_canvas(plan: dict) -> dict:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    import canvas_paint

    return {"frames": plan["canvas"], "results": canvas_paint.main(plan["canvas"])}


def child_gpu(plan: dict) -> dict:
    with tempfile.TemporaryDirectory(prefix="studio-bench-gpu-") as tmp:
        subprocess.run([sys.executable, str(HERE / "gpu.py"), "--out", tmp, *plan["gpu"]],
                       check=True, cwd=ROOT, stdout=sys.stderr)
        return json.loads((Path(tmp) / "gpu.json").read_text())


CHILDREN = {"train": child_train, "gui": child_gui, "startup": child_startup,
            "csv": child_csv, "canvas": child_canvas, "gpu": child_gpu}


def _progress(text: str) -> None:
    """Progress on stderr (a child's stdout is the parent's stderr)."""
    print(text, file=sys.stdout if _IN_CHILD else sys.stderr, flush=True)


_IN_CHILD = False


def run_child(name: str, quick: bool, timeout: float) -> tuple[dict | None, str, float]:
    """(figures or None, error text, seconds) of one benchmark in its own process. Its own
    output goes to stderr (progress); the figures come back in a file."""
    with tempfile.TemporaryDirectory(prefix="studio-bench-run-") as tmp:
        result, errors = Path(tmp) / "result.json", Path(tmp) / "stderr.txt"
        cmd = [sys.executable, __file__, "--child", name, "--child-out", str(result)]
        if quick:
            cmd.append("--quick")
        start = time.perf_counter()
        with open(errors, "w", encoding="utf-8") as err:   # TensorFlow's chatter; kept for errors
            try:
                proc = subprocess.run(cmd, cwd=ROOT, stdout=sys.stderr, stderr=err,
                                      timeout=timeout, check=False)
            except subprocess.TimeoutExpired:
                return None, f"timed out after {timeout:.0f} s", time.perf_counter() - start
        seconds = time.perf_counter() - start
        if proc.returncode != 0 or not result.exists():
            text = errors.read_text(encoding="utf-8", errors="replace")
            sys.stderr.write(text[-4000:])
            tail = [line for line in text.splitlines() if line.strip()][-2:]
            return None, f"failed (exit {proc.returncode}): {' / '.join(tail)}", seconds
        return json.loads(result.read_text()), "", seconds


# -- the table -------------------------------------------------------------------------------
def _met(ok: bool | None) -> str:
    return "—" if ok is None else ("yes" if ok else "**no**")


def _x(v: float) -> str:
    return f"{v:.2f}x"


def rows_train(r: dict, quick: bool) -> list[list]:
    rows = []
    for c in r["train_speed"]:
        goal_x = 2.5 if c["rows"] == 20_000 else 1.0
        goal = "≥ 2.5x, same results" if goal_x > 1 else "≥ 1x (not slower), same results"
        note = "" if c["same"] else f"; val_loss {c['plain_loss']:.5f} vs {c['studio_loss']:.5f}"
        rows.append(row(
            f"1. Training vs plain `model.fit`: {c['rows']:,} rows x {c['features']}, "
            f"{c['hidden']}, {c['epochs']} epochs",
            f"{_x(c['ratio'])} ({c['studio_us']:.1f} vs {c['plain_us']:.1f} µs per "
            f"sample-epoch; same results: {'yes' if c['same'] else 'NO'}{note})",
            goal, _met(c["ratio"] >= goal_x and c["same"])))
    sk = r["sklearn"]
    for c in sk:
        last = c is sk[-1]
        label = (f"2. Training vs scikit-learn MLPClassifier: {c['rows']:,} rows, "
                 f"{c['epochs']} epoch{'s' if c['epochs'] > 1 else ''}")
        if last and quick:
            label += " (quick: not the goal's 500,000 rows)"
        rows.append(row(
            label,
            f"{_x(c['ratio'])} (studio {c['studio_s']:.2f} s, scikit-learn "
            f"{c['sklearn_s']:.2f} s; above 1x: studio faster)",
            "> 1x (studio faster)" if last else "reported",
            _met(c["ratio"] > 1.0) if last else "—"))
    return rows


def row(figure: str, measured: str, goal: str, met: str) -> list[str]:
    return [figure, measured, goal, met]


def rows_gui(r: dict, quick: bool) -> list[list]:
    v = r["variants"]["shipped"]
    size = f"{r['rows']:,} rows, {r['epochs']} epochs, {r['rounds']} round(s)"
    return [
        row(f"3. Training time with live curves and weight colouring / headless ({size})",
            f"{_x(v['fit_ratio'])} ({100 * (v['fit_ratio'] - 1):+.1f}%; same results: "
            f"{'yes' if v['same'] else 'NO'})",
            "< 1.03x (under 3%)", _met(v["fit_ratio"] < 1.03)),
        row("4. Longest event-loop stall while training (whole run)",
            f"{v['all']['max']:.0f} ms (run's first 2 s: {v['startup']['max']:.0f} ms; "
            f"steady: {v['steady']['max']:.0f} ms; idle window: {r['idle']['max']:.0f} ms)",
            "< 100 ms", _met(v["all"]["max"] < 100)),
        row("4. 99th percentile event-loop stall while training (whole run)",
            f"{v['all']['p99']:.1f} ms (steady: {v['steady']['p99']:.1f} ms; median "
            f"{v['all']['median']:.2f} ms)",
            "< 20 ms", _met(v["all"]["p99"] < 20)),
    ]


def rows_startup(r: dict, quick: bool) -> list[list]:
    blocked = f" (blocked: {'; '.join(r['train_blocked'])})" if r["train_blocked"] else ""
    return [
        row(f"5. Start-up: process start to window shown and accepting input (median of "
            f"{len(r['runs'])})",
            f"{r['input_ready_s']:.2f} s (shown {r['window_shown_s']:.2f} s; CPU "
            f"{r['input_ready_cpu_s']:.2f} s; slowest {r['input_ready_max_s']:.2f} s)",
            "< 1.5 s", _met(r["input_ready_s"] < 1.5)),
        row("5. Start-up: process start to Train enabled (TensorFlow loaded)",
            f"{r['train_enabled_s']:.2f} s{blocked}", "reported", "—"),
        row("5. Longest event-loop stall while TensorFlow loads",
            f"{r['loading_max_stall_ms']:.0f} ms", "reported", "—"),
    ]


def rows_csv(r: dict, quick: bool) -> list[list]:
    s, m, mv = r["speed"], r["memory"], r["model_view"]
    size = f"{r['rows']:,} rows x 20 columns ({r['file_mb']:.0f} MB)"
    if quick:
        size += ", quick: not the goal's 1,000,000"
    return [
        row(f"6. Reading + profiling a CSV / `pandas.read_csv` alone ({size})",
            f"{_x(s['ratio'])} ({s['studio_s']:.2f} s = read {s['studio_read_s']:.2f} + "
            f"profile {s['studio_profile_s']:.2f}, vs {s['pandas_s']:.2f} s)",
            "≤ 1.3x", _met(s["ratio"] <= 1.3)),
        row("6. Preview table is model/view (no widget per row)",
            f"{'yes' if mv['model_view'] else 'NO'}: {mv['view']} over {mv['model']}, "
            f"{mv['rows']:,} rows, widgets {mv['widgets_before']} → {mv['widgets_after']}, "
            f"{mv['set_frame_ms']:.0f} ms",
            "yes", _met(mv["model_view"])),
        row("6. Peak memory while opening it / the DataFrame's size",
            f"{_x(m['studio']['ratio'])} ({m['studio']['peak_growth_mb']:.0f} MB for "
            f"{m['studio']['frame_mb']:.0f} MB; `pandas.read_csv` alone: "
            f"{_x(m['pandas']['ratio'])})",
            "≤ 2x", _met(m["studio"]["ratio"] <= 2.0)),
    ]


def rows_canvas(r: dict, quick: bool) -> list[list]:
    worst = max(r["results"], key=lambda x: x["ms_per_frame"])
    each = ", ".join(f"{x['style']}{' + weights' if x['weights'] else ''} "
                     f"{x['ms_per_frame']:.1f}" for x in r["results"])
    return [row("7. Canvas paint, 10 layers (8 of 512 units), slowest style",
                f"{worst['ms_per_frame']:.1f} ms per frame ({each})",
                "< 16 ms", _met(worst["ms_per_frame"] < 16.0))]


def rows_gpu(r: dict, quick: bool) -> list[list]:
    if not r.get("gpus"):
        return [row("8. GPU: trains there with no setting; GPU vs CPU (500,000 rows)",
                    "no GPU on this machine (`python benchmarks/gpu.py` on one)",
                    "yes; reported", "n/a")]
    auto = r["runs"]["None"]
    size = f"{r['rows']:,} rows, {r['epochs']} epoch(s)"
    return [row("8. GPU: training uses it with no setting",
                f"{'yes' if r['default_on_gpu'] else 'NO'}: {auto['device']}",
                "yes", _met(bool(r["default_on_gpu"]))),
            row(f"8. GPU vs CPU, CPU time / GPU time ({size})", _x(r["cpu_over_gpu"]),
                "reported", "—")]


ROWS = {"train": rows_train, "gui": rows_gui, "startup": rows_startup, "csv": rows_csv,
        "canvas": rows_canvas, "gpu": rows_gpu}


def table(rows: list[list]) -> str:
    head = ["figure", "measured", "goal", "met"]
    lines = ["| " + " | ".join(head) + " |", "|---|---|---|---|"]
    lines += ["| " + " | ".join(str(c).replace("|", "\\|") for c in row) + " |"
              for row in rows]
    return "\n".join(lines)


def plain_table(rows: list[list]) -> str:
    """The table for a terminal: figure, met, measured (goal)."""
    return "\n".join(f"{row[3].replace('*', ''):>4}  {row[0]}\n      {row[1]}   [goal: {row[2]}]"
                     for row in rows)


def machine() -> dict:
    try:
        load = os.getloadavg()
    except (AttributeError, OSError):
        load = None
    return {"cpus": os.cpu_count(), "platform": platform.platform(),
            "python": platform.python_version(), "load_average": load}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true",
                    help="smaller sizes and fewer epochs (said in the table): under 2 minutes")
    ap.add_argument("--only", help=f"comma-separated, from: {', '.join(BENCHMARKS)}")
    ap.add_argument("--out", help="the Markdown table (default docs/benchmark-results.md, "
                                  "docs/benchmark-results-quick.md with --quick); the JSON "
                                  "beside it")
    ap.add_argument("--child", choices=BENCHMARKS, help=argparse.SUPPRESS)
    ap.add_argument("--child-out", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    plan = PLAN["quick" if args.quick else "full"]
    if args.child:
        global _IN_CHILD
        _IN_CHILD = True
        figures = CHILDREN[args.child](plan)
        Path(args.child_out).write_text(json.dumps(figures, default=float))
        return 0

    names = [n.strip() for n in (args.only or ",".join(BENCHMARKS)).split(",") if n.strip()]
    for n in names:
        if n not in BENCHMARKS:
            ap.error(f"unknown benchmark {n!r}; choose from {', '.join(BENCHMARKS)}")
    out = Path(args.out) if args.out else ROOT / "docs" / (
        "benchmark-results-quick.md" if args.quick else "benchmark-results.md")
    started = datetime.datetime.now().astimezone()
    t0 = time.perf_counter()
    rows: list[list] = []
    raw: dict = {}
    for name in names:
        _progress(f"== {name} ({'quick' if args.quick else 'full'}) ...")
        figures, error, seconds = run_child(name, args.quick, plan["timeout"])
        raw[name] = {"seconds": seconds, "figures": figures, "error": error or None}
        if figures is None:
            rows.append([f"{name}", f"not measured: {error}", "", "**no**"])
        else:
            try:
                rows.extend(ROWS[name](figures, args.quick))
            except (KeyError, TypeError, ValueError) as exc:   # a child's output changed
                rows.append([name, f"could not read its figures: {exc!r}", "", "**no**"])
        _progress(f"== {name}: {seconds:.0f} s")
    total = time.perf_counter() - t0
    info = machine()
    met = sum(1 for r in rows if r[3] == "yes")
    missed = sum(1 for r in rows if r[3] == "**no**")
    mode = "quick (smaller sizes, fewer epochs)" if args.quick else "full"
    header = (f"Benchmarks, {mode}: `python benchmarks/run.py{' --quick' if args.quick else ''}`"
              f" on {started:%Y-%m-%d %H:%M %Z}, {info['cpus']} CPUs, Python "
              f"{info['python']}; load average at the end "
              f"{', '.join(f'{x:.1f}' for x in info['load_average'] or [])}; took "
              f"{total:.0f} s. Goals met: {met}; missed: {missed}.")
    print()
    print(header)
    print(plain_table(rows))
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(
        "# Benchmark results\n\n"
        "Written by `benchmarks/run.py`; what each figure measures and how is in "
        "[benchmarks.md](benchmarks.md).\n\n" + header + "\n\n" + table(rows) + "\n",
        encoding="utf-8")
    doc = {"mode": "quick" if args.quick else "full", "started": started.isoformat(),
           "seconds": total, "machine": info, "table": [dict(zip(
               ("figure", "measured", "goal", "met"), r)) for r in rows], "raw": raw}
    out.with_suffix(".json").write_text(json.dumps(doc, indent=1, default=float) + "\n",
                                        encoding="utf-8")
    print(f"\nwrote {_shown(out)} and {_shown(out.with_suffix('.json'))}")
    return 0


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


if __name__ == "__main__":
    raise SystemExit(main())
