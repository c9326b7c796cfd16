"""Training with hooks: epochs reported, pause / stop, NaN stop, reproducibility, saving."""

import itertools
import json
import threading

import numpy as np
import pandas as pd
import pytest

from studio.core.errors import DesignError, TrainingError
from studio.core.project import new_project
from studio.core.train import fast_fit_options, train
from studio.core.train_control import TrainControl


@pytest.fixture(scope="module")
def blobs_csv(tmp_path_factory):
    rng = np.random.default_rng(0)
    n = 600
    x = rng.normal(size=(n, 4))
    y = np.where(x[:, 0] + 0.5 * x[:, 1] > 0, "yes", "no")
    df = pd.DataFrame(x, columns=["a", "b", "c", "d"])
    df["label"] = y
    path = tmp_path_factory.mktemp("data") / "blobs.csv"
    df.to_csv(path, index=False)
    return str(path)


def _project(path, epochs=3):
    proj = new_project(path, "label")
    proj.training.epochs = epochs
    proj.training.early_stopping.enabled = False
    return proj


def test_epoch_hook_gets_plain_numbers_and_metrics_are_written(blobs_csv, tmp_path):
    seen = []
    result = train(_project(blobs_csv), on_epoch=lambda e, logs: seen.append((e, logs)))
    assert [e for e, _ in seen] == [1, 2, 3]
    assert all(isinstance(v, float) for _, logs in seen for v in logs.values())
    assert {"loss", "val_loss", "accuracy", "val_accuracy", "learning_rate"} <= set(seen[0][1])
    assert result.epochs_run == 3 and result.stopped_reason == "completed"
    assert result.evaluation.metrics["accuracy"] > 0.8
    from studio.core.results import save_run

    save_run(result, tmp_path / "run")
    doc = json.loads((tmp_path / "run" / "metrics.json").read_text())
    for key in ("task", "accuracy", "precision", "recall", "f1", "auc", "params", "rows",
                "epochs_run", "seconds", "device"):
        assert key in doc
    assert doc["params"]["total"] == result.params["total"]
    assert (tmp_path / "run" / "history.csv").read_text().count("\n") == 1 + 3
    import keras

    model = keras.models.load_model(tmp_path / "run" / "model.keras", safe_mode=True)
    assert model.count_params() == doc["params"]["total"]


def test_same_seed_same_results(blobs_csv):
    a = train(_project(blobs_csv, 2))
    b = train(_project(blobs_csv, 2))
    assert a.history["loss"] == b.history["loss"]


def test_stop_ends_within_the_epoch(blobs_csv):
    control = TrainControl()
    proj = _project(blobs_csv, epochs=200)
    proj.training.batch_size = 4   # many steps per epoch

    def on_epoch(epoch, logs):
        if epoch == 2:
            control.request_stop()

    result = train(proj, on_epoch=on_epoch, control=control)
    assert result.stopped_reason == "stopped"
    assert result.epochs_run <= 3


def test_pause_blocks_until_resume(blobs_csv):
    control = TrainControl()
    proj = _project(blobs_csv, epochs=4)
    epochs = []
    paused_at = {}

    def on_epoch(epoch, logs):
        epochs.append(epoch)
        if epoch == 1:
            control.pause()
            paused_at["n"] = len(epochs)
            threading.Timer(0.6, control.resume).start()

    result = train(proj, on_epoch=on_epoch, control=control)
    assert epochs == [1, 2, 3, 4] and result.stopped_reason == "completed"
    assert control.paused is False


def test_nan_loss_stops_with_a_clear_message(blobs_csv):
    proj = _project(blobs_csv, epochs=20)
    proj.compile.optimizer = "sgd"
    proj.compile.learning_rate = 9.0
    proj.compile.momentum = 0.99
    proj.compile.loss = "binary_crossentropy"
    proj.columns["a"].scale = "none"

    ds = proj.load_data()
    ds.frame["a"] = ds.frame["a"] * 1e18
    with pytest.raises(TrainingError, match="NaN"):
        train(proj, ds, check=False)


def test_doctor_errors_block_training(blobs_csv):
    proj = _project(blobs_csv)
    proj.compile.loss = "mse"
    with pytest.raises(DesignError):
        train(proj)


def test_fast_fit_options():
    assert fast_fit_options(100, 32)["steps_per_execution"] == 4
    assert fast_fit_options(100_000, 32)["steps_per_execution"] == 128


def test_fast_path_gives_the_same_results_as_plain_fit(blobs_csv):
    """The studio's speed-ups (cached epoch batches, steps_per_execution) change no number."""
    import keras

    from studio.core.train import prepare_project

    proj = _project(blobs_csv, epochs=4)
    proj.training.batch_size = 16
    ds = proj.load_data()
    prepared = prepare_project(proj, ds)
    studio = train(proj, ds, prepared=prepared)

    keras.backend.clear_session()
    keras.utils.set_random_seed(proj.training.seed)
    layers = [keras.Input(shape=(prepared.n_inputs,))]
    for layer in proj.design.layers[1:]:
        if layer.kind == "dropout":
            layers.append(keras.layers.Dropout(layer.rate))
        else:
            act = None if layer.activation == "linear" else layer.activation
            layers.append(keras.layers.Dense(layer.units, activation=act,
                                             kernel_initializer=layer.initializer))
    model = keras.Sequential(layers)
    model.compile(optimizer=keras.optimizers.Adam(proj.compile.learning_rate),
                  loss="binary_crossentropy", metrics=["accuracy"])
    plain = model.fit(prepared.x_train, prepared.y_train.astype("float32"),
                      validation_data=(prepared.x_val, prepared.y_val.astype("float32")),
                      epochs=4, batch_size=16, verbose=0)
    np.testing.assert_allclose(studio.history["loss"], plain.history["loss"], rtol=1e-5)
    np.testing.assert_allclose(studio.history["val_loss"], plain.history["val_loss"], rtol=1e-5)


def test_weights_hook_gets_the_dense_kernels(blobs_csv):
    seen = []
    proj = _project(blobs_csv, epochs=3)
    result = train(proj, on_weights=lambda epoch, kernels: seen.append((epoch, kernels)))
    assert seen and seen[-1][0] == 3  # the last epoch always reports
    dense = [la for la in proj.design.layers if la.kind == "dense"]
    widths = [proj.design.input.units] + [la.units for la in dense]
    assert [k.shape for k in seen[-1][1]] == list(itertools.pairwise(widths))
    final = [w for w in result.model.get_weights() if w.ndim == 2]
    for got, want in zip(seen[-1][1], final):
        np.testing.assert_array_equal(got, want)
