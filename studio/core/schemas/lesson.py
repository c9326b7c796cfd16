"""The schema of a lesson's manifest, ``lesson.json`` (written by ``save_lesson``).

The lesson's other JSON entries have their own schemas: ``project.json`` the project's
(:mod:`.project`), ``metrics.json`` :mod:`.metrics`, ``preprocessing.json``
:mod:`.preprocessing`.
"""

from __future__ import annotations

SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["format"],
    "properties": {
        "format": {"const": "netsketch-lesson"},
        "version": {"type": "integer", "minimum": 1},
        "name": {"type": "string", "maxLength": 10_000},
        "has_model": {"type": "boolean"},
    },
}
