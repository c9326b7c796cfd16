"""The schema of a project file (written by ``Project.to_dict``; docs/project-format.md).

It checks the structure and the values no studio writes: types, the known choices (layer
kinds, activations, optimizers, ...), negative counts and rates, and sizes far beyond any
table. What a value *means* for the data (an input layer of the wrong width, a layer order
that cannot build, ratios that do not add up to 1) is left to the design doctor, which
explains it and often fixes it with one click. Unknown fields are allowed: a file written by
a later minor release still opens (they are ignored).

The pieces (``UNITS``, ``LEARNING_RATE``, ...) are also the rules of the hyperparameter
search (:mod:`studio.core.experiments.space`), so a search can only try values a project may
hold.
"""

from __future__ import annotations

from typing import Any

from studio.core.data import ROLES
from studio.core.design import ACTIVATIONS, INITIALIZERS, LAYER_KINDS, TASKS
from studio.core.prep import ENCODE, IMPUTE, SCALE
from studio.core.settings import (
    CLASS_WEIGHTS,
    DEVICES,
    LOSSES,
    METRICS,
    OPTIMIZERS,
    RESAMPLING,
    SCHEDULES,
)

MAX_TEXT = 10_000
#: The widest layer a file may hold (an input of many one-hot columns; the doctor already
#: refuses networks above 50,000,000 weights).
MAX_UNITS = 1_000_000
MAX_LAYERS = 1_000
MAX_COLUMNS = 100_000
MAX_RUNS = 10_000
MAX_EPOCHS = 100_000
MAX_BATCH_SIZE = 1_000_000
MAX_SEED = 2 ** 32 - 1
MAX_PATIENCE = 100_000
#: A learning rate above this is never meant (the settings form stops at 10).
MAX_LEARNING_RATE = 10.0
#: The activations a Dense layer may name: the known ones, and "none" (linear) of old files.
LAYER_ACTIVATIONS = (*ACTIVATIONS, "none")


def _int(lo: int, hi: int) -> dict[str, Any]:
    return {"type": "integer", "minimum": lo, "maximum": hi}


def _text(max_length: int = MAX_TEXT) -> dict[str, Any]:
    return {"type": "string", "maxLength": max_length}


_optional_text = {"type": ["string", "null"], "maxLength": 100}
_texts = {"type": ["array", "null"], "items": {"type": "string", "maxLength": 200},
          "maxItems": 1000}
_nonnegative = {"type": "number", "minimum": 0}

# -- the values (also the search's rules) -------------------------------------------------------
UNITS = _int(0, MAX_UNITS)
#: A Dense layer of the hidden stack, as a search sets it: at least one unit.
HIDDEN_UNITS = _int(1, MAX_UNITS)
HIDDEN_LAYERS = _int(0, 100)
ACTIVATION = {"enum": list(LAYER_ACTIVATIONS)}
#: A dropout rate: 1 switches off every unit (the doctor explains why that cannot train).
RATE = {"type": "number", "minimum": 0, "maximum": 1}
REGULARISATION = _nonnegative
LEARNING_RATE = {"type": "number", "exclusiveMinimum": 0, "maximum": MAX_LEARNING_RATE}
OPTIMIZER = {"enum": list(OPTIMIZERS)}
EPOCHS = _int(1, MAX_EPOCHS)
BATCH_SIZE = _int(1, MAX_BATCH_SIZE)
SEED = _int(0, MAX_SEED)
PATIENCE = _int(1, MAX_PATIENCE)

LAYER = {
    "type": "object",
    "required": ["kind"],
    "properties": {
        "kind": {"enum": list(LAYER_KINDS)},
        "units": UNITS,
        "activation": ACTIVATION,
        "l1": REGULARISATION,
        "l2": REGULARISATION,
        "initializer": {"enum": list(INITIALIZERS)},
        "rate": RATE,
    },
    "allOf": [
        {"if": {"properties": {"kind": {"enum": ["input", "dense"]}}, "required": ["kind"]},
         "then": {"required": ["units"]}},
    ],
}

DESIGN = {"type": "array", "items": LAYER, "minItems": 1, "maxItems": MAX_LAYERS}

COLUMN = {
    "type": "object",
    "properties": {
        "role": {"enum": list(ROLES)},
        "impute": {"enum": list(IMPUTE)},
        "fill_value": {"type": ["string", "number", "boolean", "null"],
                       "maxLength": MAX_TEXT},
        "scale": {"enum": list(SCALE)},
        "encode": {"enum": list(ENCODE)},
    },
}

READ = {
    "type": ["object", "null"],
    "properties": {
        "encoding": _optional_text,
        "sep": _optional_text,
        "decimal": _optional_text,
        "header": {"type": "boolean"},
        # cleaning messy values (ReadOptions; its from_dict has the same limits)
        "na_values": _texts,
        "number_columns": _texts,
        "strip_spaces": {"type": "boolean"},
        "comment": _optional_text,
    },
}

SPLIT = {
    "type": "object",
    "properties": {
        "train": RATE,
        "validation": RATE,
        "test": RATE,
        "seed": SEED,
        "stratify": {"type": "boolean"},
    },
}

COMPILE = {
    "type": "object",
    "properties": {
        "optimizer": OPTIMIZER,
        "learning_rate": LEARNING_RATE,
        "momentum": {"type": "number", "minimum": 0, "exclusiveMaximum": 1},
        "weight_decay": _nonnegative,
        "loss": {"enum": list(LOSSES)},
        "metrics": {"type": "array", "items": {"enum": list(METRICS)},
                    "maxItems": 4 * len(METRICS)},
    },
}

_factor = {"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 1}

TRAINING = {
    "type": "object",
    "properties": {
        "epochs": EPOCHS,
        "batch_size": BATCH_SIZE,
        "early_stopping": {
            "type": "object",
            "properties": {
                "enabled": {"type": "boolean"},
                "monitor": _text(200),
                "patience": PATIENCE,
                "restore_best_weights": {"type": "boolean"},
            },
        },
        "schedule": {
            "type": "object",
            "properties": {
                "kind": {"enum": list(SCHEDULES)},
                "factor": _factor,
                "patience": PATIENCE,
                "decay_rate": _factor,
                "step_epochs": _int(1, MAX_EPOCHS),
                "min_lr": {"type": "number", "minimum": 0, "maximum": MAX_LEARNING_RATE},
            },
        },
        "class_weight": {"enum": list(CLASS_WEIGHTS)},
        "manual_class_weights": {"type": "object", "additionalProperties": _nonnegative,
                                 "maxProperties": MAX_COLUMNS,
                                 "propertyNames": {"maxLength": MAX_TEXT}},
        "seed": SEED,
        "device": {"enum": list(DEVICES)},
        "resample": {"enum": list(RESAMPLING)},
    },
}

#: A value of a run's history or metrics: a number, or null where it was not a number (NaN).
_measure = {"type": ["number", "null"]}
_measures = {"type": "object", "additionalProperties": _measure,
             "propertyNames": {"maxLength": 200}}

RUN = {
    "type": "object",
    "properties": {
        "id": _text(200),
        "started_at": _text(200),
        "design": {**DESIGN, "minItems": 0},
        "compile": COMPILE,
        "training": TRAINING,
        "split": SPLIT,
        "history": {"type": "object", "propertyNames": {"maxLength": 200},
                    "additionalProperties": {"type": "array", "items": _measure,
                                             "maxItems": MAX_EPOCHS}},
        "metrics": _measures,
        "per_class": {"type": "object", "additionalProperties": _measures,
                      "propertyNames": {"maxLength": MAX_TEXT}, "maxProperties": MAX_COLUMNS},
        "best_epoch": _int(0, MAX_EPOCHS),
        "epochs_run": _int(0, MAX_EPOCHS),
        "seconds": _nonnegative,
        "device": _text(200),
        "params": {"type": "object", "additionalProperties": {"type": "integer", "minimum": 0},
                   "propertyNames": {"maxLength": 200}},
        "stopped_reason": _text(200),
        "note": _text(),
    },
}

#: What decides which schema applies: checked first, so that a newer or foreign file is
#: named as such instead of as damaged.
HEADER = {"type": "object", "required": ["format", "version"],
          "properties": {"format": {"const": "netsketch-project"},
                         "version": {"type": "integer", "minimum": 1}}}

SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["format", "version", "data", "target", "design"],
    "properties": {
        "format": {"const": "netsketch-project"},
        "version": {"type": "integer", "minimum": 1},
        "name": _text(),
        "data": {
            "type": "object",
            "required": ["source"],
            "properties": {"source": {"type": "string", "minLength": 1, "maxLength": 4096},
                           "read": READ},
        },
        "target": {"type": "string", "minLength": 1, "maxLength": MAX_TEXT},
        "task": {"enum": [*TASKS, None]},
        "columns": {"type": "object", "additionalProperties": COLUMN,
                    "maxProperties": MAX_COLUMNS, "propertyNames": {"maxLength": MAX_TEXT}},
        "split": SPLIT,
        "design": DESIGN,
        "compile": COMPILE,
        "training": TRAINING,
        "runs": {"type": "array", "items": RUN, "maxItems": MAX_RUNS},
    },
}
