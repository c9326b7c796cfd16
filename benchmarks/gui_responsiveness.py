"""GUI responsiveness while training, and what the live window costs the training.

Opens the real main window offscreen on a generated 20,000-row CSV, presses Train in its Train
panel and, while the run lasts (~10-20 s), a 5 ms ``QTimer`` probe records how late each tick
fires (actual interval - 5 ms): an event-loop stall that a user would feel as a frozen window.
Printed separately for the run's start-up (first 2 s: preparing the data, building and tracing
the model on the worker thread) and for steady training: the longest stall, the 99th
percentile and the median.

The same project (same data, split, seed and epochs; early stopping off) is also trained
headless with ``core.train`` in the same process, alternating with the window's runs, and the
ratio of the training times is printed: the overhead of the window's live curves and signals.

    python benchmarks/gui_responsiveness.py                 # 80 epochs, 2 rounds
    python benchmarks/gui_responsiveness.py --epochs 20 --rounds 1
    python benchmarks/gui_responsiveness.py --switch-interval 0.005   # Python's default
"""

from __future__ import annotations

import argparse
import itertools
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np
import pandas as pd

PROBE_MS = 5
STARTUP_S = 2.0


def make_csv(rows: int, features: int, folder: Path) -> Path:
    rng = np.random.default_rng(0)
    x = rng.normal(size=(rows, features)).astype(np.float32)
    logit = x[:, 0] + 0.5 * x[:, 1] ** 2 - x[:, 2] * x[:, 3]
    df = pd.DataFrame(x.round(4), columns=[f"f{i}" for i in range(features)])
    df["label"] = np.where(logit > 0.5, "yes", "no")
    path = folder / f"responsiveness_{rows}x{features}.csv"
    df.to_csv(path, index=False)
    return path


def configure(project, epochs: int, batch: int, seed: int) -> None:
    t = project.training
    t.epochs, t.batch_size, t.seed = epochs, batch, seed
    t.early_stopping.enabled = False      # the same amount of work in every run
    project.split.seed = seed


def stall_stats(gaps_ms: list[float]) -> dict[str, float]:
    if not gaps_ms:
        return {"n": 0, "max": float("nan"), "p99": float("nan"), "median": float("nan")}
    a = np.asarray(gaps_ms)
    return {"n": len(a), "max": float(a.max()), "p99": float(np.percentile(a, 99)),
            "median": float(np.median(a))}


class Probe:
    """A 5 ms precise timer; records (time, lateness in ms) of every tick."""

    def __init__(self) -> None:
        from PySide6.QtCore import Qt, QTimer

        self.ticks: list[float] = []
        self._timer = QTimer()
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(PROBE_MS)
        self._timer.timeout.connect(self._tick)

    def _tick(self) -> None:
        self.ticks.append(time.perf_counter())

    def start(self) -> None:
        self.ticks = [time.perf_counter()]
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def gaps(self, start: float, end: float) -> list[float]:
        """Lateness (ms) of the ticks that fired in [start, end)."""
        t = self.ticks
        return [max(0.0, (b - a) * 1000 - PROBE_MS) for a, b in itertools.pairwise(t)
                if start <= b < end]


def window_run(window, probe: Probe, timeout_s: float, profile=None,
               after_start=None) -> dict:
    from PySide6.QtCore import QEventLoop, QTimer

    state = window.state
    panel = window.page("train")
    window.show_step("train")
    results: list = []
    failures: list = []
    loop = QEventLoop()

    def on_result(r) -> None:
        results.append(r)
        loop.quit()

    def on_failed(m) -> None:
        failures.append(m)
        loop.quit()

    state.sig_result_ready.connect(on_result)
    panel.controller.sig_failed.connect(on_failed)
    QTimer.singleShot(int(timeout_s * 1000), loop.quit)
    probe.start()
    if profile is not None:
        profile.enable()
    t0 = time.perf_counter()
    assert panel.start_training(), panel.blocked_reason()
    if after_start is not None:
        after_start()
    loop.exec()
    t1 = time.perf_counter()
    if profile is not None:
        profile.disable()
    probe.stop()
    state.sig_result_ready.disconnect(on_result)
    panel.controller.sig_failed.disconnect(on_failed)
    if failures or not results:
        raise SystemExit(f"the window's run failed: {failures or 'timeout'}")
    # let the thread finish before the next run
    while panel.controller.is_running:
        loop2 = QEventLoop()
        QTimer.singleShot(20, loop2.quit)
        loop2.exec()
    result = results[0]
    return {"wall": t1 - t0, "fit": result.seconds, "epochs": result.epochs_run,
            "val_loss": result.history["val_loss"][-1],
            "startup": stall_stats(probe.gaps(t0, t0 + STARTUP_S)),
            "steady": stall_stats(probe.gaps(t0 + STARTUP_S, t1)),
            "all": stall_stats(probe.gaps(t0, t1)),
            "worst": sorted(((g, b - t0) for a, b in itertools.pairwise(probe.ticks)
                             if (g := (b - a) * 1000 - PROBE_MS) > 20), reverse=True)[:15]}


def headless_run(project, dataset) -> dict:
    from studio.core.train import train

    t0 = time.perf_counter()
    result = train(project, dataset)
    return {"wall": time.perf_counter() - t0, "fit": result.seconds,
            "val_loss": result.history["val_loss"][-1]}


def idle_probe(seconds: float = 1.0) -> dict:
    from PySide6.QtCore import QEventLoop, QTimer

    probe = Probe()
    loop = QEventLoop()
    QTimer.singleShot(int(seconds * 1000), loop.quit)
    probe.start()
    t0 = time.perf_counter()
    loop.exec()
    probe.stop()
    return stall_stats(probe.gaps(t0, time.perf_counter()))


def fmt(s: dict) -> str:
    return f"max {s['max']:6.1f} ms   p99 {s['p99']:5.1f} ms   median {s['median']:4.2f} ms" \
           f"   ({s['n']} ticks)"


# -- variants, for measuring the fixes side by side -------------------------------------------
#: ``shipped`` is the studio as it is. ``unfixed`` undoes its responsiveness measures at run
#: time (see studio/ui/common/responsiveness.py): no gc.freeze, axes not cached, Python's default
#: 5 ms switch interval. ``si1`` / ``si5``: shipped with a 1 ms / 5 ms switch interval.
VARIANTS = ("shipped", "unfixed", "si1", "si5")


def apply_variant(window, name: str) -> None:
    import gc

    from studio.ui.common import responsiveness

    if name == "unfixed":
        gc.unfreeze()
        responsiveness._frozen = True            # and the panel must not freeze again
    elif responsiveness._frozen and not gc.get_freeze_count():
        responsiveness._frozen = False           # shipped after unfixed: freeze again
    intervals = {"unfixed": 0.005, "si5": 0.005, "si1": 0.001}
    responsiveness.TRAINING_SWITCH_INTERVAL = intervals.get(
        name, _SHIPPED_SWITCH_INTERVAL)


def apply_axis_cache(window, name: str) -> None:
    """After start_training (which makes the run's plots): the axes' cache for ``name``."""
    from PySide6.QtWidgets import QGraphicsItem

    mode = QGraphicsItem.CacheMode.NoCache if name == "unfixed" else \
        QGraphicsItem.CacheMode.DeviceCoordinateCache
    for widget in window.page("train").curves.plots.values():
        for axis in ("left", "bottom"):
            widget.getPlotItem().getAxis(axis).setCacheMode(mode)


def summarise(runs: list[dict], key: str) -> dict[str, float]:
    return {"max": max(r[key]["max"] for r in runs),
            "p99": statistics.median(r[key]["p99"] for r in runs),
            "median": statistics.median(r[key]["median"] for r in runs),
            "n": sum(r[key]["n"] for r in runs)}


_SHIPPED_SWITCH_INTERVAL = None


def parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=20_000)
    ap.add_argument("--features", type=int, default=20)
    ap.add_argument("--epochs", type=int, default=80)
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--rounds", type=int, default=2,
                    help="rounds of: one headless run, then one window run per variant")
    ap.add_argument("--variants", default="shipped",
                    help=f"comma-separated, alternated in each round: {', '.join(VARIANTS)} "
                         "(e.g. shipped,unfixed for before/after)")
    ap.add_argument("--size", default="1600x1000")
    ap.add_argument("--profile", action="store_true",
                    help="cProfile the GUI thread during the window's runs; list the worst "
                         "stalls")
    return ap


def run(args: argparse.Namespace) -> dict:
    """Measure as the command line says (``parser().parse_args([...])``), printing as it
    goes; returns the summary per variant (``benchmarks/run.py`` reads it)."""
    global _SHIPPED_SWITCH_INTERVAL
    variants = [v.strip() for v in args.variants.split(",") if v.strip()]
    for v in variants:
        if v not in VARIANTS:
            raise SystemExit(f"unknown variant {v!r}")

    from studio.ui.common import qt_settings, responsiveness
    from studio.ui.shell.app import make_application

    _SHIPPED_SWITCH_INTERVAL = responsiveness.TRAINING_SWITCH_INTERVAL
    settings_dir = tempfile.mkdtemp(prefix="studio-bench-settings-")
    qt_settings.use_folder(settings_dir)
    make_application([sys.argv[0]])
    from studio.core import build
    from studio.core.data import load
    from studio.core.project import new_project
    from studio.ui.shell.main_window import MainWindow

    build.configure()
    folder = Path(tempfile.mkdtemp(prefix="studio-bench-"))
    csv = make_csv(args.rows, args.features, folder)

    window = MainWindow()
    w, h = (int(v) for v in args.size.lower().split("x"))
    window.resize(w, h)
    window.show()
    window.state.open_data(str(csv), target="label")
    window.set_tensorflow_ready(True, "CPU")
    configure(window.state.project, args.epochs, args.batch_size, args.seed)
    window.state.touch()
    project = new_project(str(csv), "label")
    project.design = window.state.project.design.copy()
    project.compile = window.state.project.compile
    configure(project, args.epochs, args.batch_size, args.seed)
    dataset = load(str(csv))

    print(f"GUI responsiveness: {args.rows:,} rows x {args.features} features, "
          f"{args.epochs} epochs, batch {args.batch_size}, window {w}x{h}, probe {PROBE_MS} ms, "
          f"{os.cpu_count()} CPUs; Python switch interval while training: "
          f"{(_SHIPPED_SWITCH_INTERVAL or sys.getswitchinterval()) * 1000:g} ms")
    print(f"design: {' - '.join(str(layer.units) for layer in project.design.layers)}")
    idle = idle_probe()
    print(f"idle window:             {fmt(idle)}")
    runs: dict[str, list[dict]] = {v: [] for v in variants}
    headless: list[dict] = []
    for i in range(args.rounds):
        hl = headless_run(project, dataset)
        headless.append(hl)
        print(f"round {i + 1}: headless core.train     fit {hl['fit']:6.2f} s   "
              f"wall {hl['wall']:6.2f} s   val_loss {hl['val_loss']:.5f}")
        for name in variants:
            prof = None
            if args.profile:
                import cProfile

                prof = cProfile.Profile()
            apply_variant(window, name)
            wr = window_run(window, Probe(), timeout_s=600, profile=prof,
                            after_start=lambda n=name: apply_axis_cache(window, n))
            runs[name].append(wr)
            print(f"round {i + 1}: window ({name:>7}), live curves   fit {wr['fit']:6.2f} s   "
                  f"wall {wr['wall']:6.2f} s   val_loss {wr['val_loss']:.5f}")
            print(f"    start-up (first {STARTUP_S:g} s): {fmt(wr['startup'])}")
            print(f"    steady training:      {fmt(wr['steady'])}")
            if prof is not None:
                import pstats

                print("    worst stalls (ms @ s after Train): " + ", ".join(
                    f"{g:.0f}@{t:.2f}" for g, t in wr["worst"]))
                pstats.Stats(prof).sort_stats("tottime").print_stats(12)
    print()
    print(f"summary over {args.rounds} round(s): longest stall, median p99 and median of the "
          "medians")
    hl_fit = statistics.median(r["fit"] for r in headless)
    hl_wall = statistics.median(r["wall"] for r in headless)
    out: dict = {"rows": args.rows, "features": args.features, "epochs": args.epochs,
                 "rounds": args.rounds, "idle": idle, "headless_fit_s": hl_fit, "variants": {}}
    for name in variants:
        rs = runs[name]
        fit_ratio = statistics.median(r["fit"] for r in rs) / hl_fit
        wall_ratio = statistics.median(r["wall"] for r in rs) / hl_wall
        same = all(abs(r["val_loss"] - headless[0]["val_loss"]) < 1e-4 for r in rs)
        print(f"  {name}:")
        print(f"    start-up (first {STARTUP_S:g} s): {fmt(summarise(rs, 'startup'))}")
        print(f"    steady training:      {fmt(summarise(rs, 'steady'))}")
        print(f"    training time, window / headless core.train: fit {fit_ratio:.3f}x, wall "
              f"(incl. preparing and building) {wall_ratio:.3f}x; same results: "
              f"{'yes' if same else 'NO'}")
        out["variants"][name] = {
            "startup": summarise(rs, "startup"), "steady": summarise(rs, "steady"),
            "all": summarise(rs, "all"), "fit_ratio": fit_ratio, "wall_ratio": wall_ratio,
            "same": same, "fit_s": [r["fit"] for r in rs]}
    window.state.dirty = False
    window.close()
    return out


def main(argv: list[str] | None = None) -> int:
    run(parser().parse_args(argv))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
