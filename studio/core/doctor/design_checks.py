"""The doctor's checks of the network itself: its structure (an input layer first, a Dense
output last, known kinds and valid layer settings), its size, the input layer's width against
the data, the output layer against the task, and its capacity against the training rows."""

from __future__ import annotations

import numpy as np

from studio.core.design import ACTIVATIONS, INITIALIZERS, LAYER_KINDS, Layer
from studio.core.doctor.state import Diagnosis, is_number
from studio.core.doctor.thresholds import FEW_ROWS_PER_WEIGHT, MAX_PARAMS
from studio.core.errors import StudioError
from studio.core.project import estimate_inputs

#: activations that mean "none" (a linear output)
LINEAR = ("linear", "none", "")
#: the losses of a softmax output
MULTI_CE = ("sparse_categorical_crossentropy", "categorical_crossentropy")


def check_structure(d: Diagnosis) -> None:
    layers = d.p.design.layers
    if not layers:
        d.add("design-empty", "error")
        return
    ok = True
    first, last = layers[0], layers[-1]
    if first.kind != "input":
        ok = False
        d.add("first-not-input", "error", layer=first.uid, kind=first.kind)
    for layer in layers[1:]:
        if layer.kind == "input":
            ok = False
            d.add("input-position", "error", layer=layer.uid)
    if last.kind != "dense":
        ok = False
        d.add("last-not-dense", "error", layer=last.uid, kind=last.kind)
    for i, layer in enumerate(layers):
        if layer.kind not in LAYER_KINDS:
            ok = False
            d.add("layer-kind", "error", layer=layer.uid, kind=layer.kind)
            continue
        if layer.kind == "dense":
            if not isinstance(layer.units, (int, np.integer)) or layer.units < 1:
                ok = False
                d.add("dense-units", "error", layer=layer.uid, n=i + 1, units=layer.units)
            if layer.activation not in ACTIVATIONS and layer.activation not in LINEAR:
                d.add("layer-activation", "error", layer=layer.uid, n=i + 1,
                      act=layer.activation)
            if layer.initializer not in INITIALIZERS:
                d.add("layer-initializer", "error", layer=layer.uid, n=i + 1,
                      name=layer.initializer)
            if not (is_number(layer.l1) and is_number(layer.l2)) or layer.l1 < 0 \
                    or layer.l2 < 0:
                d.add("layer-regularisation", "error", layer=layer.uid, n=i + 1)
        elif layer.kind == "dropout":
            if not is_number(layer.rate) or not 0 <= layer.rate < 1:
                d.add("dropout-rate", "error", layer=layer.uid, n=i + 1, rate=layer.rate)
        elif layer.kind == "input" and (not isinstance(layer.units, (int, np.integer))
                                        or layer.units < 1):
            ok = False  # input-width says what to set it to
    d.structure_ok = ok and first.kind == "input"
    if d.structure_ok:
        _check_size(d)
    if first.kind == "input":
        _check_input_width(d, first)


def _check_size(d: Diagnosis) -> None:
    try:
        params = d.p.design.param_count().total
    except (TypeError, ValueError, OverflowError):
        return
    if params > MAX_PARAMS:
        d.add("network-too-large", "error", params=params)


def _check_input_width(d: Diagnosis, first: Layer) -> None:
    if not d.features or len(d.features) != len(d.p.features):
        return  # no-features / column-not-found say what to do first
    try:
        n = estimate_inputs(d.p, d.ds)
    except (KeyError, StudioError):
        return
    if first.units != n:
        d.add("input-width", "error", layer=first.uid,
              action={"op": "set_input_units", "value": n}, units=first.units, n=n)


def expected_output(d: Diagnosis, out: Layer) -> tuple[int, str]:
    """(units, activation) the output layer needs for the task."""
    info = d.info
    assert info is not None
    if info.task == "regression":
        return 1, "linear"
    if info.task == "binary":
        if out.units == 2 and (out.activation == "softmax" or d.p.compile.loss in MULTI_CE):
            return 2, "softmax"
        return 1, "sigmoid"
    return max(len(info.classes), 2), "softmax"


def check_output(d: Diagnosis, out: Layer) -> None:
    info = d.info
    assert info is not None
    units, act = expected_output(d, out)
    if out.units != units and out.units >= 1:
        d.add("output-units", "error", layer=out.uid,
              action={"op": "set_units", "layer": out.uid, "value": units},
              task=info.task, units_now=out.units, units=units, name=d.p.target,
              classes=info.classes)
    current = "linear" if out.activation in LINEAR else out.activation
    if current != act:
        d.add("output-activation", "error", layer=out.uid,
              action={"op": "set_activation", "layer": out.uid, "value": act},
              task=info.task, current=current, act=act, units=units, name=d.p.target,
              classes=info.classes)


def check_capacity(d: Diagnosis) -> None:
    layers = d.p.design.layers
    if not d.structure_ok:
        return
    if not any(layer.kind == "dense" for layer in layers[1:-1]):
        d.add("no-hidden-layers", "info")
    if d.train_rows <= 0:
        return
    try:
        params = d.p.design.param_count().trainable
    except (TypeError, ValueError):
        return
    if params <= 0 or d.train_rows / params >= FEW_ROWS_PER_WEIGHT:
        return
    d.add("few-rows-per-param", "warning", params=params, rows=d.train_rows)
