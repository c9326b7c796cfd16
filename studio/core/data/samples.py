"""The bundled sample datasets, listed from ``resources/datasets/samples.json`` in the
current language."""

from __future__ import annotations

import json

from studio import resources
from studio.core.data.types import SampleInfo
from studio.core.i18n import translate


def list_samples() -> list[SampleInfo]:
    """The bundled sample datasets, from ``resources/datasets/samples.json``."""
    try:
        entries = json.loads(resources.read_text("datasets/samples.json"))
    except (FileNotFoundError, json.JSONDecodeError):
        return []
    fields = SampleInfo.__dataclass_fields__
    samples = [SampleInfo(**{k: v for k, v in e.items() if k in fields}) for e in entries]
    for sample in samples:          # in the current language (tools/extract_strings.py)
        sample.title = translate(sample.title)
        sample.description = translate(sample.description)
    return samples


def sample_names() -> list[str]:
    return [s.name for s in list_samples()]
