"""Training speed: the studio vs scikit-learn's MLPClassifier / MLPRegressor.

The same data and training split (the studio's, already scaled), the same architecture
(hidden ReLU layers, one sigmoid output for a binary target), Adam with the same learning rate,
the same epochs and batch size (32) and seed. scikit-learn runs exactly ``epochs`` passes:
``max_iter=epochs``, no early stopping, ``tol=0`` and ``n_iter_no_change`` larger than the
epochs, no L2 penalty (``alpha=0``; the studio's layers have none). Times are the ``fit``
calls only, alternated in one process; the studio's includes tracing its graph and a pass over
the validation split every epoch, which scikit-learn does not do. The ratio is scikit-learn's
time over the studio's: above 1 the studio is faster.

    python benchmarks/sklearn_speed.py            # 20,000 rows (5 epochs), 100,000 (1 epoch)
    python benchmarks/sklearn_speed.py --full     # 20,000 (5 epochs) and 500,000 (1 epoch)
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
sys.path.insert(0, str(Path(__file__).resolve().parent))

import train_speed  # benchmarks/train_speed.py: the same data and project

#: (rows, features, hidden, epochs, repeats)
CASES_QUICK = [(20_000, 20, [64, 32], 5, 1), (100_000, 20, [64, 32], 1, 1)]
CASES_FULL = [(20_000, 20, [64, 32], 5, 3), (500_000, 20, [64, 32], 1, 1)]


def sklearn_model(task: str, hidden: list[int], lr: float, epochs: int, batch: int, seed: int):
    from sklearn.neural_network import MLPClassifier, MLPRegressor

    cls = MLPRegressor if task == "regression" else MLPClassifier
    return cls(hidden_layer_sizes=tuple(hidden), activation="relu", solver="adam",
               learning_rate_init=lr, batch_size=batch, max_iter=epochs, shuffle=True,
               random_state=seed, alpha=0.0, early_stopping=False, tol=0.0,
               n_iter_no_change=epochs + 1_000_000)


def sklearn_fit(prepared, hidden: list[int], lr: float, epochs: int, batch: int,
                seed: int) -> tuple[float, float]:
    """(seconds, final training loss) of scikit-learn's fit."""
    from sklearn.exceptions import ConvergenceWarning

    model = sklearn_model(prepared.task, hidden, lr, epochs, batch, seed)
    y = prepared.y_train
    if prepared.task != "regression":
        y = y.astype(int)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)   # max_iter reached: intended
        start = time.perf_counter()
        model.fit(prepared.x_train, y)
        seconds = time.perf_counter() - start
    assert model.n_iter_ == epochs, (model.n_iter_, epochs)
    return seconds, float(model.loss_)


def measure(rows: int, features: int, hidden: list[int], epochs: int, repeats: int,
            folder: Path) -> dict:
    import dataclasses

    from studio.core.train import train

    project, dataset, prepared = train_speed.setup(rows, features, hidden, epochs, folder)
    seed, lr = int(project.training.seed), float(project.compile.learning_rate)
    sk_t, st_t = [], []
    small = dataclasses.replace(prepared, x_train=prepared.x_train[:2000],
                                y_train=prepared.y_train[:2000])
    train(project, dataset, prepared=small, check=False, evaluate_test=False)   # warm-up
    for _ in range(repeats):
        t, sk_loss = sklearn_fit(prepared, hidden, lr, epochs, 32, seed)
        sk_t.append(t)
        result = train(project, dataset, prepared=prepared, check=False, evaluate_test=False)
        st_t.append(result.seconds)
        st_loss = result.history["loss"][-1]
    samples = len(prepared.x_train) * epochs
    sk, st = statistics.median(sk_t), statistics.median(st_t)
    return {"rows": rows, "features": features, "hidden": "-".join(map(str, hidden)),
            "epochs": epochs, "task": prepared.task, "train_rows": len(prepared.x_train),
            "sklearn_s": sk, "studio_s": st, "sklearn_us": 1e6 * sk / samples,
            "studio_us": 1e6 * st / samples, "ratio": sk / st,
            "sklearn_loss": sk_loss, "studio_loss": st_loss}


def run(full: bool = False, cases=None) -> list[dict]:
    from studio.core.build import configure

    configure()
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        for case in cases or (CASES_FULL if full else CASES_QUICK):
            out.append(measure(*case, folder=Path(tmp)))
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--full", action="store_true", help="500,000 rows instead of 100,000")
    args = ap.parse_args()
    print(f"{'rows':>8} {'ep':>3} {'sklearn s':>9} {'studio s':>9} {'sklearn us/s-ep':>16} "
          f"{'studio us/s-ep':>15} {'studio faster by':>16}  final training loss")
    for r in run(args.full):
        print(f"{r['rows']:>8} {r['epochs']:>3} {r['sklearn_s']:>9.2f} {r['studio_s']:>9.2f} "
              f"{r['sklearn_us']:>16.2f} {r['studio_us']:>15.2f} {r['ratio']:>15.2f}x  "
              f"sklearn {r['sklearn_loss']:.4f}, studio {r['studio_loss']:.4f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
