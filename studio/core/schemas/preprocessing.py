"""The schema of ``preprocessing.json`` (written by ``FittedPreprocessing.to_dict``).

What a schema cannot say (numbers finite, repeated columns or categories, the total width)
is checked by :mod:`studio.core.prep_file` after this schema.
"""

from __future__ import annotations

from studio.core.design import TASKS

#: The most feature columns and categories a preprocessing file may hold (far above what the
#: studio makes: the doctor warns from 1,000 inputs).
MAX_STEPS = 10_000
MAX_CATEGORIES = 100_000
MAX_TEXT = 10_000

_number = {"type": "number"}
#: A category or class label: text, a number or true/false (never null: an imputer runs
#: before the encoder, and training refuses missing values without one).
_label = {"type": ["string", "number", "boolean"], "maxLength": MAX_TEXT}

STEP = {
    "type": "object",
    "required": ["column", "kind"],
    "properties": {
        "column": {"type": "string", "minLength": 1, "maxLength": MAX_TEXT},
        "kind": {"enum": ["numeric", "onehot", "ordinal"]},
        "impute": {"type": ["number", "string", "boolean", "null"], "maxLength": MAX_TEXT},
        "scale": {"enum": ["standard", "minmax", "none"]},
        "mean": _number,
        "std": {"type": "number", "exclusiveMinimum": 0},
        "mm_scale": {"type": "number", "exclusiveMinimum": 0},
        "mm_min": _number,
        # (no uniqueItems: jsonschema compares mixed-type lists pair by pair, which a
        # hostile list of 100,000 labels would make take hours; prep_file checks it)
        "categories": {"type": "array", "items": _label, "minItems": 1,
                       "maxItems": MAX_CATEGORIES},
    },
    "allOf": [
        {"if": {"properties": {"scale": {"const": "standard"}}, "required": ["scale"]},
         "then": {"required": ["mean", "std"]}},
        {"if": {"properties": {"scale": {"const": "minmax"}}, "required": ["scale"]},
         "then": {"required": ["mm_scale", "mm_min"]}},
        {"if": {"properties": {"kind": {"enum": ["onehot", "ordinal"]}}},
         "then": {"required": ["categories"]}},
        {"if": {"properties": {"kind": {"const": "numeric"}}},
         "then": {"properties": {"impute": {"type": ["number", "null"]}}}},
    ],
}

SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["format", "version", "target", "task", "steps"],
    "properties": {
        "format": {"const": "netsketch-preprocessing"},
        "version": {"type": "integer", "minimum": 1},
        "target": {"type": "string", "minLength": 1, "maxLength": MAX_TEXT},
        "task": {"enum": list(TASKS)},
        "classes": {"type": "array", "items": _label, "maxItems": MAX_CATEGORIES},
        "target_mean": _number,
        "target_std": {"type": "number", "exclusiveMinimum": 0},
        "n_inputs": {"type": "integer", "minimum": 1},
        "steps": {"type": "array", "items": STEP, "minItems": 1, "maxItems": MAX_STEPS},
        # the training data's cleaning read options (values checked as every read option)
        "cleaning": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "na_values": {"type": "array", "items": {"type": "string"}, "maxItems": 100},
                "number_columns": {"type": "array", "items": {"type": "string"},
                                   "maxItems": MAX_STEPS},
                "strip_spaces": {"type": "boolean"},
                "comment": {"type": "string", "minLength": 1, "maxLength": 1},
            },
        },
    },
    "allOf": [
        {"if": {"properties": {"task": {"enum": ["binary", "multiclass"]}}},
         "then": {"required": ["classes"], "properties": {"classes": {"minItems": 2}}}},
        {"if": {"properties": {"task": {"const": "binary"}}},
         "then": {"properties": {"classes": {"maxItems": 2}}}},
    ],
}
