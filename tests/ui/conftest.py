"""GUI tests run offscreen (DESIGN.md rule 9)."""

from __future__ import annotations

import os

os.environ["QT_QPA_PLATFORM"] = "offscreen"
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import pytest  # noqa: E402


@pytest.fixture(scope="session")
def trained_results():
    """Core training results, computed once per session and shared by the panels' tests:
    ``trained_results("iris")`` (multi-class) or ``trained_results("diabetes")`` (regression)."""
    from studio.core.project import new_project
    from studio.core.train import train

    cache: dict[str, tuple] = {}

    def get(sample: str, epochs: int = 3):
        key = f"{sample}:{epochs}"
        if key not in cache:
            targets = {"iris": "species", "diabetes": "progression",
                       "breast_cancer": "diagnosis"}
            project = new_project(f"sample:{sample}", targets[sample])
            project.training.epochs = epochs
            dataset = project.load_data()
            cache[key] = (project, dataset, train(project, dataset))
        return cache[key]

    return get
