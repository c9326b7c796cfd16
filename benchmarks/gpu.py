"""GPU: does the studio train on the GPU without any setting, and how fast against the CPU?

With a GPU that TensorFlow sees: the studio's ``core.train`` with the project's default device
(``auto``: nothing set) on the 500,000-row case of ``benchmarks/train_speed.py`` (20 features,
hidden 64-32, batch 32), checking the device it reports and where its weights live; then the
same run forced onto the CPU (``device="cpu"``), alternated, and the ratio CPU time / GPU
time. Without a GPU it says so and exits 0.

    python benchmarks/gpu.py                   # prints the figures
    python benchmarks/gpu.py --out DIR         # also writes DIR/gpu.json
    python benchmarks/gpu.py --self-test       # no GPU needed: the same steps, small, on CPU

Self-contained (it generates its data) and short: about 2-3 minutes on one H200 with 16 CPU
cores, most of it importing TensorFlow and writing the CSV.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))


def gpu_devices() -> list[str]:
    from studio.core import build

    build.configure()
    import tensorflow as tf

    return [d.name for d in tf.config.list_physical_devices("GPU")]


def one_run(project, dataset, prepared, device: str | None) -> dict:
    from studio.core.train import train

    result = train(project, dataset, prepared=prepared, check=False, device=device,
                   evaluate_test=False)
    weights = [w.value.device if hasattr(w, "value") else getattr(w, "device", "")
               for w in result.model.weights]
    return {"seconds": result.seconds, "device": result.device,
            "weights_on": sorted({str(d) for d in weights}),
            "val_loss": result.history["val_loss"][-1], "epochs": result.epochs_run}


def measure(rows: int, epochs: int, repeats: int, devices: list[str | None],
            budget_s: float = 60.0) -> dict:
    """Median seconds per device over ``repeats`` rounds (fewer when a round took longer than
    ``budget_s``)."""
    import train_speed

    with tempfile.TemporaryDirectory(prefix="studio-bench-gpu-") as tmp:
        t0 = time.perf_counter()
        project, dataset, prepared = train_speed.setup(rows, 20, [64, 32], epochs, Path(tmp))
        setup_s = time.perf_counter() - t0
    runs: dict[str, list[dict]] = {str(d): [] for d in devices}
    small = dataclasses.replace(prepared, x_train=prepared.x_train[:4096],
                                y_train=prepared.y_train[:4096],
                                x_val=prepared.x_val[:1024], y_val=prepared.y_val[:1024])
    for d in devices:                          # warm up (CUDA start-up, kernels) on a slice
        one_run(project, dataset, small, d)
    start = time.perf_counter()
    for i in range(repeats):
        if i and time.perf_counter() - start > budget_s:   # keep the whole script short
            break
        for d in devices:
            runs[str(d)].append(one_run(project, dataset, prepared, d))
    samples = len(prepared.x_train) * epochs
    out = {"rows": rows, "train_rows": len(prepared.x_train), "epochs": epochs,
           "batch_size": 32, "hidden": "64-32", "repeats": len(runs[str(devices[0])]),
           "setup_s": setup_s,
           "runs": {}}
    for d, rs in runs.items():
        sec = statistics.median(r["seconds"] for r in rs)
        out["runs"][d] = {"seconds": sec, "us_per_sample_epoch": 1e6 * sec / samples,
                          "device": rs[0]["device"], "weights_on": rs[0]["weights_on"],
                          "val_loss": rs[0]["val_loss"]}
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", help="a folder for gpu.json")
    ap.add_argument("--rows", type=int, default=500_000)
    ap.add_argument("--epochs", type=int, default=2)
    ap.add_argument("--repeats", type=int, default=2)
    ap.add_argument("--self-test", action="store_true",
                    help="no GPU needed: run every step on the CPU with 2,000 rows")
    args = ap.parse_args()
    t0 = time.perf_counter()
    gpus = gpu_devices()
    doc: dict = {"gpus": gpus, "python": platform.python_version(),
                 "machine": platform.machine(), "cpus": os.cpu_count()}
    import tensorflow as tf

    doc["tensorflow"] = tf.__version__
    doc["built_with_cuda"] = bool(tf.test.is_built_with_cuda())
    if args.self_test:
        args.rows, args.epochs, args.repeats = 2_000, 1, 1
        devices: list[str | None] = [None, "cpu"]
    elif not gpus:
        doc["result"] = "no GPU: TensorFlow sees no GPU on this machine; nothing measured"
        print(f"No GPU: TensorFlow {tf.__version__} (built with CUDA: "
              f"{doc['built_with_cuda']}) sees no GPU on this machine. Nothing to measure.")
        _write(args.out, doc)
        return 0
    else:
        devices = [None, "cpu"]                # None: the project's default, "auto"
    m = measure(args.rows, args.epochs, args.repeats, devices)
    auto, cpu = m["runs"]["None"], m["runs"]["cpu"]
    doc.update(m)
    doc["default_device"] = auto["device"]
    doc["default_on_gpu"] = auto["device"].startswith("GPU") and any(
        "GPU" in w.upper() for w in auto["weights_on"])
    doc["cpu_over_gpu"] = cpu["seconds"] / auto["seconds"]
    doc["same_results"] = abs(auto["val_loss"] - cpu["val_loss"]) <= 1e-3 * max(
        1.0, abs(cpu["val_loss"]))
    doc["total_s"] = time.perf_counter() - t0
    print(f"TensorFlow {tf.__version__}; GPUs seen: {', '.join(gpus) or 'none'}")
    print(f"{m['rows']:,} rows ({m['train_rows']:,} training), 20 features, hidden 64-32, "
          f"batch 32, {m['epochs']} epochs, median of {m['repeats']}")
    print(f"  default settings: {auto['seconds']:.2f} s ({auto['us_per_sample_epoch']:.2f} "
          f"us/sample-epoch) on {auto['device']}; weights on {', '.join(auto['weights_on'])}")
    print(f"  device=cpu:       {cpu['seconds']:.2f} s ({cpu['us_per_sample_epoch']:.2f} "
          f"us/sample-epoch) on {cpu['device']}")
    print(f"  trains on the GPU without a setting: {'yes' if doc['default_on_gpu'] else 'no'}; "
          f"CPU time / default-device time: {doc['cpu_over_gpu']:.2f}x; final val_loss "
          f"{auto['val_loss']:.5f} vs {cpu['val_loss']:.5f}")
    print(f"total {doc['total_s']:.0f} s")
    _write(args.out, doc)
    return 0


def _write(folder: str | None, doc: dict) -> None:
    if folder:
        path = Path(folder)
        path.mkdir(parents=True, exist_ok=True)
        (path / "gpu.json").write_text(json.dumps(doc, indent=2, default=str) + "\n")
        print(f"wrote {path / 'gpu.json'}")


if __name__ == "__main__":
    raise SystemExit(main())
