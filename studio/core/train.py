"""Training: a pure function with hooks (no Qt: the GUI and the CLI give it their hooks).

:func:`train` builds the Keras model from the project's design, fits it with the project's
settings and reports through plain-Python hooks; it never touches a widget. The GUI's worker
calls it on a QThread; the CLI calls it directly; tests call it with a :class:`TrainControl`.

Speed: Keras runs ``steps_per_execution`` batches per call into the compiled graph
(:func:`fast_fit_options`), which makes small tabular models several times faster than plain
``model.fit`` with the same results (benchmarks/train_speed.py measures it).
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from studio.core import build, doctor
from studio.core.data import Dataset
from studio.core.design import with_input_width
from studio.core.errors import DesignError, TrainingError
from studio.core.evaluate import Evaluation, evaluate
from studio.core.i18n import _
from studio.core.prep import Prepared, cleaning_options, prepare
from studio.core.project import Project
from studio.core.resampling import resample_prepared
from studio.core.settings import higher_is_better
from studio.core.train_control import TrainControl

EpochHook = Callable[[int, dict[str, float]], None]
WeightsHook = Callable[[int, list[np.ndarray]], None]
ProgressHook = Callable[[int, int, int, dict[str, float]], None]

#: Batches per call into the compiled graph: large enough to amortise Python overhead,
#: small enough that pause and stop are honoured within a few milliseconds.
MAX_STEPS_PER_EXECUTION = 128


@dataclass
class TrainResult:
    model: Any
    prepared: Prepared
    history: dict[str, list[float]]
    epochs_run: int
    best_epoch: int
    stopped_reason: str          # completed | early_stopping | stopped
    seconds: float
    device: str
    params: dict[str, int]
    evaluation: Evaluation | None
    events: list[dict[str, Any]] = field(default_factory=list)  # lr changes, early stop
    #: per-epoch Dense kernels for replay (core.replay.WeightSnapshots), in memory only
    weight_snapshots: Any = None

    def metrics_document(self) -> dict[str, Any]:
        """What ``metrics.json`` holds."""
        doc: dict[str, Any] = {
            "task": self.prepared.task,
            "params": self.params,
            "rows": self.prepared.rows,
            "epochs_run": self.epochs_run,
            "best_epoch": self.best_epoch,
            "stopped_reason": self.stopped_reason,
            "seconds": round(self.seconds, 3),
            "device": self.device,
        }
        if self.evaluation is not None:
            doc.update(self.evaluation.scalar_metrics())
            doc["evaluation"] = self.evaluation.to_dict()
        return doc


def fast_fit_options(n_train: int, batch_size: int) -> dict[str, Any]:
    """Compile options that make small tabular models fast with identical results."""
    steps = max(1, math.ceil(n_train / batch_size))
    return {"steps_per_execution": int(min(steps, MAX_STEPS_PER_EXECUTION)),
            "jit_compile": False}


def epoch_datasets(x_train, y_train, x_val, y_val, batch_size: int, class_weight=None):
    """Training and validation data as cached ``tf.data`` datasets, batch for batch what
    ``model.fit`` would feed from the same arrays.

    ``fit`` on NumPy arrays builds a new, costly input pipeline iterator every epoch (tens of
    milliseconds, more than the whole epoch of a small tabular model). With a global seed,
    Keras's shuffled order is the same in every epoch, so the first epoch's batches are taken
    from Keras's own array adapter once and replayed from a cache: the same batches, the
    same results (``tests/core/test_train.py`` compares against plain ``fit``), a fraction of
    the time. Returns ``None`` when Keras's adapter is not available; callers then pass the
    arrays.
    """
    try:
        from keras.src.trainers.data_adapters.array_data_adapter import ArrayDataAdapter
    except ImportError:  # pragma: no cover - a future Keras moved it
        return None
    train = ArrayDataAdapter(x_train, y_train, batch_size=batch_size, shuffle=True,
                             class_weight=class_weight)
    val = ArrayDataAdapter(x_val, y_val, batch_size=batch_size, shuffle=False)
    import tensorflow as tf

    steps = math.ceil(len(x_train) / batch_size)
    val_steps = math.ceil(len(x_val) / batch_size)
    # Known cardinality lets Keras plan steps_per_execution without running out of data.
    return (train.get_tf_dataset().take(steps).cache()
            .apply(tf.data.experimental.assert_cardinality(steps)),
            val.get_tf_dataset().cache()
            .apply(tf.data.experimental.assert_cardinality(val_steps)))


def _scale_of(metric: str, std: float) -> float:
    """Regression metrics are tracked on the standardised target; report them in its units."""
    base = metric.removeprefix("val_")
    if base in ("mae", "rmse"):
        return std
    return 1.0


def _make_callback(prepared: Prepared, total_epochs: int, on_epoch: EpochHook | None,
                   on_progress: ProgressHook | None, control: TrainControl | None,
                   state: dict[str, Any], progress_interval: float,
                   on_weights: WeightsHook | None = None, weights_interval: float = 0.2,
                   record_weights: Any = None):
    import keras

    std = prepared.fitted.target_std if prepared.task == "regression" else 1.0

    class Hooks(keras.callbacks.Callback):
        def on_epoch_begin(self, epoch, logs=None):
            state["epoch"] = epoch + 1
            state["epoch_start"] = time.perf_counter()

        def on_train_batch_end(self, batch, logs=None):
            logs = logs or {}
            loss = logs.get("loss")
            if loss is not None and not math.isfinite(float(loss)):
                state["nan"] = (state["epoch"], batch + 1)
                self.model.stop_training = True
                return
            if control is not None:
                if control.paused:
                    state["paused_at"] = time.perf_counter()
                    control.wait_while_paused()
                    state["paused_seconds"] += time.perf_counter() - state["paused_at"]
                if control.stop_requested:
                    state["stopped"] = True
                    self.model.stop_training = True
                    return
            now = time.perf_counter()
            if on_progress is not None and now - state["last_progress"] >= progress_interval:
                state["last_progress"] = now
                # Per-batch logs are running means over the epoch so far.
                running = {f"running_{k}": float(v) * _scale_of(k, std)
                           for k, v in logs.items()}
                on_progress(state["epoch"], batch + 1, state["steps"], running)

        def on_epoch_end(self, epoch, logs=None):
            logs = dict(logs or {})
            if (state.get("nan") or state.get("stopped")) and (
                    not logs or any(not math.isfinite(float(v)) for v in logs.values())):
                return
            row = {k: float(v) * _scale_of(k, std) for k, v in logs.items()}
            lr = self.model.optimizer.learning_rate
            row["learning_rate"] = float(np.asarray(lr))
            row["seconds"] = time.perf_counter() - state["epoch_start"]
            if any(not math.isfinite(v) for k, v in row.items() if "loss" in k):
                state["nan"] = (epoch + 1, 0)
                self.model.stop_training = True
                return
            prev_lr = state.get("lr")
            if prev_lr is not None and not math.isclose(prev_lr, row["learning_rate"]):
                state["events"].append({"epoch": epoch + 1, "kind": "learning_rate",
                                        "value": row["learning_rate"]})
            state["lr"] = row["learning_rate"]
            for k, v in row.items():
                state["history"].setdefault(k, []).append(v)
            state["epochs_run"] = epoch + 1
            if control is not None:     # a Step's epoch pauses before its numbers go out
                control.epoch_ended(last=epoch + 1 >= total_epochs)
            if on_epoch is not None:
                on_epoch(epoch + 1, row)
            now = time.perf_counter()
            kernels = None
            if record_weights is not None:
                # Between epochs, on the training thread: reading the weights is safe here.
                kernels = dense_kernels(self.model)
                record_weights.add(epoch + 1, kernels)
            if on_weights is not None and (now - state.get("last_weights", 0.0)
                                           >= weights_interval or epoch + 1 == total_epochs
                                           or (control is not None and control.paused)):
                state["last_weights"] = now
                on_weights(epoch + 1, kernels if kernels is not None
                           else dense_kernels(self.model))

    return Hooks()


def _make_pacer(total_epochs: int, control: TrainControl, state: dict[str, Any]):
    """The last callback: between epochs, after early stopping and the schedules have had
    their say, wait out a slow-motion delay and a pause (a Step's, or Pause pressed during
    the epoch), so that a paused run waits with its epoch complete and stops cleanly."""
    import keras

    class Pacer(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            if (epoch + 1 >= total_epochs or self.model.stop_training or state.get("nan")
                    or state.get("stopped")):
                return                      # the run ends now: nothing to wait for
            state["paused_seconds"] += control.slow_motion()
            if control.paused:
                t0 = time.perf_counter()
                control.wait_while_paused()
                state["paused_seconds"] += time.perf_counter() - t0
            if control.stop_requested:
                state["stopped"] = True
                self.model.stop_training = True

    return Pacer()


def dense_kernels(model) -> list[np.ndarray]:
    """Copies of each Dense layer's kernel (inputs x units), in order: what the canvas colours."""
    import keras

    return [np.array(layer.kernel.numpy(), copy=True) for layer in model.layers
            if isinstance(layer, keras.layers.Dense)]


def _schedule_callback(project: Project):
    import keras

    sc = project.training.schedule
    lr0 = float(project.compile.learning_rate)
    if sc.kind == "plateau":
        return keras.callbacks.ReduceLROnPlateau(monitor="val_loss", factor=sc.factor,
                                                 patience=sc.patience, min_lr=sc.min_lr)
    if sc.kind == "exponential":
        return keras.callbacks.LearningRateScheduler(
            lambda epoch, lr: max(sc.min_lr, lr0 * sc.decay_rate ** epoch))
    if sc.kind == "step":
        return keras.callbacks.LearningRateScheduler(
            lambda epoch, lr: max(sc.min_lr, lr0 * sc.factor ** (epoch // sc.step_epochs)))
    return None


def class_weights(project: Project, prepared: Prepared) -> dict[int, float] | None:
    mode = project.training.class_weight
    if prepared.task == "regression" or mode == "none":
        return None
    n_classes = len(prepared.classes)
    if mode == "balanced":
        counts = np.bincount(prepared.y_train.astype(int), minlength=n_classes)
        total = counts.sum()
        return {i: float(total / (n_classes * c)) if c else 1.0 for i, c in enumerate(counts)}
    weights = project.training.manual_class_weights
    return {i: float(weights.get(str(c), 1.0)) for i, c in enumerate(prepared.classes)}


def prepare_project(project: Project, dataset: Dataset) -> Prepared:
    prepared = prepare(dataset.frame, project.target, project.columns,
                       project.task_info(dataset), project.split)
    # predicting new rows must clean their values as the training data's were
    prepared.fitted.cleaning = cleaning_options(project.read_options)
    return prepared


def train(project: Project, dataset: Dataset | None = None, *, prepared: Prepared | None = None,
          on_epoch: EpochHook | None = None, on_progress: ProgressHook | None = None,
          control: TrainControl | None = None, device: str | None = None,
          progress_interval: float = 0.1, check: bool = True,
          on_weights: WeightsHook | None = None,
          evaluate_test: bool = True, record_weights: Any = None) -> TrainResult:
    """Train the project's design on its data and evaluate it on the test split.

    Hooks receive plain numbers: ``on_epoch(epoch, logs)`` after each epoch (1-based; logs hold
    loss, val_loss, each metric and ``val_`` metric, learning_rate and seconds), and
    ``on_progress(epoch, step, steps, running_logs)`` at most every ``progress_interval``
    seconds. ``control`` pauses, resumes and stops within one execution of a few batches.
    ``on_weights(epoch, kernels)`` receives copies of the Dense kernels after an epoch, at most
    every 0.2 s (and after the last epoch, and after an epoch that paused), for the canvas's
    weight colouring. ``record_weights`` (a :class:`studio.core.replay.WeightSnapshots`)
    receives them after every epoch, for replaying the run; it is returned as the result's
    ``weight_snapshots``. ``control.epoch_delay`` slows the run down between epochs.

    ``training.resample`` (over, under, smote) resamples the training rows only; the
    returned ``prepared`` holds the resampled training split. With ``evaluate_test=False``
    the test split is never touched (hyperparameter search and cross-validation choose on the
    validation split) and ``evaluation`` is ``None``.

    Raises :class:`DesignError` when the doctor finds errors (if ``check``) and
    :class:`TrainingError` when the loss becomes NaN.
    """
    if dataset is None:
        dataset = project.load_data()
    if check:
        findings = doctor.diagnose(project, dataset)
        first = doctor.first_error(findings)
        if first is not None:
            more = len(doctor.errors(findings)) - 1
            raise DesignError(first.title + (" " + _("(and {n} more problems)", n=more)
                                             if more else ""))
    if prepared is None:
        prepared = prepare_project(project, dataset)
    if getattr(project.training, "resample", "none") != "none":
        prepared = resample_prepared(prepared, project.training.resample,
                                     int(project.training.seed))
    design = with_input_width(project.design, prepared.n_inputs)
    settings = project.training

    build.configure()
    import keras

    # The full garbage collection clear_session() makes by default only on the main thread:
    # in the GUI's worker thread it would finalise the window's Qt objects there (a deadlock
    # between Qt's lock and the GIL, seen in CI) and freeze the window while it walks every
    # object. The GUI collects on its own thread before it starts a run (ui/common/runner.py).
    keras.backend.clear_session(free_memory=threading.current_thread() is threading.main_thread())
    keras.utils.set_random_seed(int(settings.seed))
    scope, device_name = build.device_scope(device or settings.device)
    opts = fast_fit_options(len(prepared.x_train), settings.batch_size)
    state: dict[str, Any] = {"epoch": 0, "epoch_start": time.perf_counter(), "history": {},
                             "epochs_run": 0, "events": [], "last_progress": 0.0,
                             "paused_seconds": 0.0, "steps": math.ceil(
                                 len(prepared.x_train) / settings.batch_size)}
    y_train, y_val = prepared.y_train, prepared.y_val
    if project.compile.loss == "categorical_crossentropy" and prepared.task != "regression":
        n = max(len(prepared.classes), design.output.units)
        y_train, y_val = np.eye(n, dtype=np.float32)[y_train], np.eye(n, dtype=np.float32)[y_val]
    elif prepared.task == "binary":
        y_train, y_val = y_train.astype(np.float32), y_val.astype(np.float32)

    with scope, build.training_session(int(settings.batch_size), device_name):
        model = build.build_model(design, project.compile, prepared.task, **opts)
        callbacks = [_make_callback(prepared, settings.epochs, on_epoch, on_progress, control,
                                    state, progress_interval, on_weights,
                                    record_weights=record_weights)]
        es = settings.early_stopping
        early = None
        if es.enabled:
            early = keras.callbacks.EarlyStopping(
                monitor=es.monitor, patience=int(es.patience),
                restore_best_weights=bool(es.restore_best_weights))
            callbacks.append(early)
        sched = _schedule_callback(project)
        if sched is not None:
            callbacks.append(sched)
        if control is not None:
            callbacks.append(_make_pacer(int(settings.epochs), control, state))
        start = time.perf_counter()
        weights = class_weights(project, prepared)
        datasets = epoch_datasets(prepared.x_train, y_train, prepared.x_val, y_val,
                                  int(settings.batch_size), weights)
        if datasets is not None:
            model.fit(datasets[0], validation_data=datasets[1], epochs=int(settings.epochs),
                      callbacks=callbacks, shuffle=False, verbose=0)
        else:
            model.fit(prepared.x_train, y_train, validation_data=(prepared.x_val, y_val),
                      epochs=int(settings.epochs), batch_size=int(settings.batch_size),
                      class_weight=weights, callbacks=callbacks, shuffle=True, verbose=0)
        seconds = time.perf_counter() - start - state["paused_seconds"]

        if state.get("nan"):
            epoch, _batch = state["nan"]
            raise TrainingError(_(
                "Training stopped at epoch {epoch}: the loss became NaN (not a number). The "
                "weights blew up; lower the learning rate (e.g. to {lr:g}), check that the "
                "features are scaled, or use a smaller batch.", epoch=epoch,
                lr=project.compile.learning_rate / 10))

        history = state["history"]
        monitor = es.monitor if es.enabled else "val_loss"
        series = history.get(monitor) or history.get("val_loss") or []
        best_epoch = 0
        if series:
            key = monitor if history.get(monitor) else "val_loss"
            best_epoch = int(np.argmax(series) if higher_is_better(key)
                             else np.argmin(series)) + 1
        if state.get("stopped"):
            reason = "stopped"
        elif early is not None and early.stopped_epoch > 0:
            reason = "early_stopping"
            state["events"].append({"epoch": state["epochs_run"], "kind": "early_stopping",
                                    "value": best_epoch})
        else:
            reason = "completed"
        evaluation = (evaluate(model, prepared)
                      if state["epochs_run"] > 0 and evaluate_test else None)
    return TrainResult(model=model, prepared=prepared, history=history,
                       epochs_run=state["epochs_run"], best_epoch=best_epoch,
                       stopped_reason=reason, seconds=seconds, device=device_name,
                       params=build.keras_param_count(model), evaluation=evaluation,
                       events=state["events"], weight_snapshots=record_weights)
