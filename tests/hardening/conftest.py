"""Fixtures for the hardening tests: the corpus of awkward files (the window, the app and
isolated settings come from tests/conftest.py)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))   # `import corpus` from the test modules


@pytest.fixture(scope="session")
def corpus_paths(tmp_path_factory) -> dict[str, Path]:
    """Every corpus file, written once per session into tests' temporary folder."""
    from corpus import write_corpus

    return write_corpus(tmp_path_factory.mktemp("corpus"))
