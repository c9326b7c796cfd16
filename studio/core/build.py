"""From a design and compile settings to a compiled Keras model.

TensorFlow is imported here, lazily: :func:`configure` sets its environment first (quiet logs,
GPU memory growth), so call it (or any function here) before anything else imports TensorFlow.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
from collections.abc import Iterator
from typing import Any

from studio.core.design import Design
from studio.core.errors import TrainingError
from studio.core.i18n import _
from studio.core.settings import CompileSettings

_configured = False


def configure() -> None:
    """Quiet TensorFlow and turn on GPU memory growth. Safe to call more than once."""
    global _configured
    if _configured:
        return
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    os.environ.setdefault("KERAS_BACKEND", "tensorflow")
    with _quiet_native_stderr():
        import tensorflow as tf

        tf.get_logger().setLevel("ERROR")  # no retracing notices on the console
        for gpu in tf.config.list_physical_devices("GPU"):
            # already initialised: nothing to do
            with contextlib.suppress(RuntimeError, ValueError):
                tf.config.experimental.set_memory_growth(gpu, True)
    _configured = True


#: TensorFlow's shared libraries, loaded first by :func:`importing_in_background`.
_NATIVE_LIBRARIES = {"linux": ("libtensorflow_framework.so.2", "libtensorflow_cc.so.2"),
                     "darwin": ("libtensorflow_framework.2.dylib", "libtensorflow_cc.2.dylib")}


@contextlib.contextmanager
def importing_in_background() -> Iterator[None]:
    """Import TensorFlow on a background thread without freezing the GUI thread.

    Only one thread runs Python at a time, and two parts of the import keep it for long: the
    dynamic loader mapping and relocating TensorFlow's 1 GB shared library (0.3-0.5 s, with
    Python's lock held by ``import``), and the garbage collections that the import's
    million new objects trigger (0.1-0.2 s each, growing). So: the libraries are loaded first
    through ``dlopen`` called with ctypes, which lets go of Python's lock during the call (the
    import then finds them loaded); automatic collection is off while the import runs, and
    what it made is then frozen (``gc.freeze``: later collections skip it; none of it is
    garbage worth collecting). ``benchmarks/startup.py`` measures the longest stall.
    """
    import gc

    _preload_native_libraries()
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if was_enabled:
            gc.enable()


def _preload_native_libraries() -> None:
    """``dlopen`` TensorFlow's libraries without holding Python's lock (Linux and macOS); any
    failure is left to the import, which reports it."""
    import ctypes
    import importlib.util

    names = _NATIVE_LIBRARIES.get(sys.platform)
    if not names:
        return
    try:
        spec = importlib.util.find_spec("tensorflow")
        folder = os.path.dirname(spec.origin) if spec and spec.origin else None
        if folder is None:
            return
        libc = ctypes.CDLL(None)          # a foreign call: the lock is released during it
        libc.dlopen.restype = ctypes.c_void_p
        libc.dlopen.argtypes = [ctypes.c_char_p, ctypes.c_int]
        for name in names:
            path = os.path.join(folder, name)
            if os.path.exists(path):
                libc.dlopen(os.fsencode(path), os.RTLD_NOW)
    except (OSError, AttributeError, ValueError, ImportError):
        pass


@contextlib.contextmanager
def _quiet_native_stderr() -> Iterator[None]:
    """Silence the C++ start-up chatter TensorFlow writes to file descriptor 2 (CUDA probes,
    oneDNN notices) that TF_CPP_MIN_LOG_LEVEL does not cover. Python exceptions still raise."""
    import threading

    if threading.current_thread() is not threading.main_thread():
        # File descriptors are process-wide: hiding them from a background import (the
        # window's) would also hide other threads' messages and crash reports.
        yield
        return
    try:
        fd = sys.stderr.fileno()
    except (AttributeError, OSError, ValueError):  # no console (frozen windowed build)
        yield
        return
    saved = os.dup(fd)
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        sys.stderr.flush()
        os.dup2(devnull, fd)
        yield
    finally:
        sys.stderr.flush()
        os.dup2(saved, fd)
        os.close(saved)
        os.close(devnull)


def gpu_name() -> str | None:
    """The first GPU's name as TensorFlow sees it, or None."""
    configure()
    import tensorflow as tf

    gpus = tf.config.list_physical_devices("GPU")
    if not gpus:
        return None
    try:
        details = tf.config.experimental.get_device_details(gpus[0])
        return str(details.get("device_name") or gpus[0].name)
    except (RuntimeError, ValueError):
        return gpus[0].name


def device_scope(device: str):
    """A context in which training runs on the requested device.

    ``auto`` uses the GPU when TensorFlow sees one; ``cpu`` forces the CPU; ``gpu`` uses the GPU
    (falling back to the CPU with the device reported honestly when there is none).
    Returns ``(context manager, description)``.
    """
    configure()
    import contextlib

    import tensorflow as tf

    name = gpu_name()
    if device == "cpu" or name is None:
        return tf.device("/CPU:0"), "CPU"
    return contextlib.nullcontext(), f"GPU ({name})"


def make_optimizer(settings: CompileSettings):
    import keras

    lr = float(settings.learning_rate)
    if settings.optimizer == "sgd":
        return keras.optimizers.SGD(learning_rate=lr, momentum=float(settings.momentum))
    if settings.optimizer == "rmsprop":
        return keras.optimizers.RMSprop(learning_rate=lr)
    if settings.optimizer == "adamw":
        return keras.optimizers.AdamW(learning_rate=lr, weight_decay=float(settings.weight_decay))
    if settings.optimizer == "adagrad":
        return keras.optimizers.Adagrad(learning_rate=lr)
    return keras.optimizers.Adam(learning_rate=lr)


def make_loss(name: str):
    import keras

    return {
        "mse": keras.losses.MeanSquaredError(),
        "mae": keras.losses.MeanAbsoluteError(),
        "huber": keras.losses.Huber(),
        "binary_crossentropy": keras.losses.BinaryCrossentropy(),
        "categorical_crossentropy": keras.losses.CategoricalCrossentropy(),
        "sparse_categorical_crossentropy": keras.losses.SparseCategoricalCrossentropy(),
    }[name]


def training_metrics(settings: CompileSettings, task: str) -> list[Any]:
    """The Keras metrics tracked per epoch (names match :data:`settings.METRICS`).

    Precision, recall and AUC need one probability per row, so they are tracked during
    training for binary tasks only; every metric is computed on the test split afterwards.
    """
    import keras

    out: list[Any] = []
    for m in settings.metrics:
        if task == "regression":
            if m == "mae":
                out.append(keras.metrics.MeanAbsoluteError(name="mae"))
            elif m == "rmse":
                out.append(keras.metrics.RootMeanSquaredError(name="rmse"))
            elif m == "r2":
                out.append(keras.metrics.R2Score(name="r2"))
        else:
            if m == "accuracy":
                if task == "binary" and settings.loss == "binary_crossentropy":
                    out.append(keras.metrics.BinaryAccuracy(name="accuracy"))
                elif settings.loss == "categorical_crossentropy":
                    out.append(keras.metrics.CategoricalAccuracy(name="accuracy"))
                else:
                    out.append(keras.metrics.SparseCategoricalAccuracy(name="accuracy"))
            elif task == "binary" and settings.loss == "binary_crossentropy":
                if m == "precision":
                    out.append(keras.metrics.Precision(name="precision"))
                elif m == "recall":
                    out.append(keras.metrics.Recall(name="recall"))
                elif m == "auc":
                    out.append(keras.metrics.AUC(name="auc"))
    return out


def build_model(design: Design, settings: CompileSettings, task: str,
                steps_per_execution: int = 1, jit_compile: bool | str = "auto"):
    """``keras.Sequential`` with the design's layers in order, compiled."""
    configure()
    import keras

    layers: list[Any] = [keras.Input(shape=(design.input.units,), name="input")]
    n_dense = 0
    for i, layer in enumerate(design.layers[1:], start=1):
        last = i == len(design.layers) - 1
        if layer.kind == "dense":
            n_dense += 1
            reg = None
            if layer.l1 or layer.l2:
                reg = keras.regularizers.L1L2(l1=float(layer.l1), l2=float(layer.l2))
            act = None if layer.activation in ("linear", "none") else layer.activation
            layers.append(keras.layers.Dense(
                layer.units, activation=act, kernel_initializer=layer.initializer,
                kernel_regularizer=reg, name="output" if last else f"dense_{n_dense}"))
        elif layer.kind == "dropout":
            layers.append(keras.layers.Dropout(float(layer.rate), name=f"dropout_{i}"))
        elif layer.kind == "batchnorm":
            layers.append(keras.layers.BatchNormalization(name=f"batch_norm_{i}"))
    model = keras.Sequential(layers, name="netsketch")
    model.compile(optimizer=make_optimizer(settings), loss=make_loss(settings.loss),
                  metrics=training_metrics(settings, task),
                  steps_per_execution=steps_per_execution, jit_compile=jit_compile)
    return model


def keras_param_count(model) -> dict[str, int]:
    """Total, trainable and non-trainable parameters as Keras counts them."""
    import numpy as np

    trainable = int(sum(np.prod(w.shape) for w in model.trainable_weights))
    non_trainable = int(sum(np.prod(w.shape) for w in model.non_trainable_weights))
    return {"total": trainable + non_trainable, "trainable": trainable,
            "non_trainable": non_trainable}


# -- one training's TensorFlow state ------------------------------------------------------------
_session_lock = threading.Lock()
_sessions_active = 0
_gradients_before: set[str] = set()


@contextlib.contextmanager
def training_session(batch_size: int, device: str = "") -> Iterator[None]:
    """Around building, fitting and evaluating one model (``core.train``).

    Running out of memory (TensorFlow's ``ResourceExhaustedError``, Python's ``MemoryError``)
    becomes a :class:`~studio.core.errors.TrainingError` that says what to change. On the way
    out, what TensorFlow keeps forever from each traced training step is dropped: every
    trace of Keras's train step registers a ``CustomGradient-N`` gradient function in
    TensorFlow's global gradient registry (through the distribution strategy's
    ``all_reduce``), and its closure holds the whole traced graph, about 6 MB a run. The
    gradients are only looked up while a step is traced, so once no training is under way
    (in any thread) the entries added since the first of them began are removed: 30 runs in
    one session then use no more memory than 5 (``tests/hardening/test_long_session.py``).
    """
    global _sessions_active, _gradients_before
    configure()
    import tensorflow as tf

    registry = _gradient_registry()
    with _session_lock:
        if _sessions_active == 0:
            _gradients_before = set(registry) if registry is not None else set()
        _sessions_active += 1
    try:
        yield
    except (tf.errors.ResourceExhaustedError, MemoryError) as exc:
        raise _out_of_memory(batch_size, device) from exc
    except tf.errors.OpError as exc:
        if "OOM" in str(exc) or "out of memory" in str(exc).lower():
            raise _out_of_memory(batch_size, device) from exc
        raise
    finally:
        with _session_lock:
            _sessions_active -= 1
            if _sessions_active == 0 and registry is not None:
                for key in [k for k in list(registry) if k not in _gradients_before
                            and str(k).startswith("CustomGradient-")]:
                    registry.pop(key, None)


def _gradient_registry() -> dict | None:
    """TensorFlow's registry of gradient functions (a private detail: None if it moved)."""
    try:
        from tensorflow.python.framework import ops

        registry = ops._gradient_registry._registry
    except (ImportError, AttributeError):  # pragma: no cover - a future TensorFlow
        return None
    return registry if isinstance(registry, dict) else None


def _out_of_memory(batch_size: int, device: str):
    return TrainingError(_(
        "Training ran out of memory ({device}, batches of {batch} rows). Use a smaller batch "
        "size (e.g. 32) or fewer units in the Dense layers, then train again.",
        device=device or _("CPU"), batch=batch_size))
