"""The schema of the autosave wrapper (written by ``studio.core.autosave.write``).

The project inside is checked by the project's own schema (:mod:`.project`), after its
format and version are read, so that the wrapper's schema stays the same across versions.
"""

from __future__ import annotations

SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["autosave", "project"],
    "properties": {
        "autosave": {"const": 1},
        "saved_at": {"type": "number", "minimum": 0},
        "original": {"type": ["string", "null"], "maxLength": 4096},
        "project": {"type": "object"},
    },
}
