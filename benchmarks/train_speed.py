"""Training speed: the studio's training loop vs a plain ``model.fit`` with Keras defaults.

Same model (same layers and initial weights), same data and split, same epochs, batch size and
seed; both runs are measured side by side in one process, alternating, and the ratio of the
medians is printed. The final validation losses must agree (identical results).

    python benchmarks/train_speed.py            # 150 and 20,000 rows
    python benchmarks/train_speed.py --full     # also 100,000 and 500,000 rows
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np
import pandas as pd

from studio.core.data import load
from studio.core.design import Design, Layer
from studio.core.project import new_project
from studio.core.train import prepare_project, train


def make_csv(rows: int, features: int, folder: Path) -> Path:
    """A binary-target CSV in ``folder`` (reused when it is already there)."""
    path = folder / f"bench_{rows}x{features}.csv"
    if path.exists():
        return path
    rng = np.random.default_rng(0)
    x = rng.normal(size=(rows, features)).astype(np.float32)
    logit = x[:, 0] + 0.5 * x[:, 1] ** 2 - x[:, 2] * x[:, 3]
    df = pd.DataFrame(x, columns=[f"f{i}" for i in range(features)])
    df["label"] = np.where(logit > 0.5, "yes", "no")
    df.to_csv(path, index=False)
    return path


def plain_fit(prepared, design: Design, lr: float, epochs: int, batch: int, seed: int):
    """What a student writes: Sequential, compile, fit — Keras defaults everywhere else."""
    import keras

    keras.backend.clear_session()
    keras.utils.set_random_seed(seed)
    layers = [keras.Input(shape=(design.input.units,))]
    for layer in design.layers[1:]:
        act = None if layer.activation == "linear" else layer.activation
        layers.append(keras.layers.Dense(layer.units, activation=act,
                                         kernel_initializer=layer.initializer))
    model = keras.Sequential(layers)
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=lr),
                  loss="binary_crossentropy", metrics=["accuracy"])
    y_train = prepared.y_train.astype(np.float32)
    y_val = prepared.y_val.astype(np.float32)
    start = time.perf_counter()
    hist = model.fit(prepared.x_train, y_train, validation_data=(prepared.x_val, y_val),
                     epochs=epochs, batch_size=batch, verbose=0)
    return time.perf_counter() - start, hist.history["val_loss"][-1]


def studio_fit(project, dataset, prepared):
    result = train(project, dataset, prepared=prepared, check=False)
    return result.seconds, result.history["val_loss"][-1]


def setup(rows: int, features: int, hidden: list[int], epochs: int, folder: Path):
    """The benchmark's project (binary target, ReLU hidden layers, sigmoid output, Adam at
    0.001, batch 32, early stopping off), its dataset and prepared splits."""
    path = make_csv(rows, features, folder)
    project = new_project(str(path), "label")
    layers = [Layer.input(features)] + [Layer.dense(u, "relu", initializer="he_uniform")
                                        for u in hidden] + [Layer.dense(1, "sigmoid")]
    project.design = Design(layers)
    project.compile.learning_rate = 0.001
    project.compile.metrics = ["accuracy"]
    project.training.epochs = epochs
    project.training.batch_size = 32
    project.training.early_stopping.enabled = False
    dataset = load(str(path))
    return project, dataset, prepare_project(project, dataset)


def measure(rows: int, features: int, hidden: list[int], epochs: int, repeats: int,
            folder: Path) -> dict:
    project, dataset, prepared = setup(rows, features, hidden, epochs, folder)
    seed = project.training.seed
    plain_t, studio_t = [], []
    plain_fit(prepared, project.design, 0.001, 1, 32, seed)  # warm up TensorFlow once
    for _ in range(repeats):
        t, plain_loss = plain_fit(prepared, project.design, 0.001, epochs, 32, seed)
        plain_t.append(t)
        t, studio_loss = studio_fit(project, dataset, prepared)
        studio_t.append(t)
    samples = len(prepared.x_train) * epochs
    p, s = statistics.median(plain_t), statistics.median(studio_t)
    return {"rows": rows, "features": features, "hidden": "-".join(map(str, hidden)),
            "epochs": epochs, "plain_us": 1e6 * p / samples, "studio_us": 1e6 * s / samples,
            "ratio": p / s, "same": abs(plain_loss - studio_loss) <= 1e-4 * max(1, plain_loss),
            "plain_loss": plain_loss, "studio_loss": studio_loss}


CASES_QUICK = [(150, 4, [16, 8], 30, 3), (20_000, 20, [64, 32], 5, 3)]
CASES_FULL = CASES_QUICK + [(100_000, 20, [64, 32], 2, 2), (500_000, 20, [64, 32], 1, 1)]


def run(full: bool = False) -> list[dict]:
    from studio.core.build import configure

    configure()
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        for case in (CASES_FULL if full else CASES_QUICK):
            out.append(measure(*case, folder=Path(tmp)))
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--full", action="store_true", help="also 100,000 and 500,000 rows")
    args = ap.parse_args()
    results = run(args.full)
    print(f"{'rows':>8} {'feat':>4} {'hidden':>7} {'ep':>3} {'plain us/sample-ep':>19} "
          f"{'studio us/sample-ep':>20} {'speed-up':>8}  same results")
    for r in results:
        print(f"{r['rows']:>8} {r['features']:>4} {r['hidden']:>7} {r['epochs']:>3} "
              f"{r['plain_us']:>19.2f} {r['studio_us']:>20.2f} {r['ratio']:>7.2f}x  "
              f"{'yes' if r['same'] else 'NO'} ({r['plain_loss']:.6f} vs {r['studio_loss']:.6f})")
    return 0 if all(r["same"] for r in results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
