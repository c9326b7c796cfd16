"""A long session: many trainings in a row in one process must not make it grow.

Each run of Keras's ``fit`` used to leave its traced training step in TensorFlow's global
gradient registry (about 6 MB a run, for good: ``keras.backend.clear_session`` does not
release it); ``studio.core.build.training_session`` now drops it after each run.

The suite runs :data:`RUNS` trainings (10 by default, ~15 s); the full check is 30::

    STUDIO_LONG_SESSION_RUNS=30 python -m pytest tests/hardening/test_long_session.py
    python tests/hardening/test_long_session.py 30        # prints the figures
"""

from __future__ import annotations

import copy
import gc
import os
import resource
import sys
import time

import pytest

RUNS = int(os.environ.get("STUDIO_LONG_SESSION_RUNS", "10"))
#: Runs before the baseline is taken (TensorFlow's caches, the first traces, the allocator).
WARM_UP = 3 if RUNS < 20 else 5
#: Allowed growth per measured run: under half of what the registry leak used to add.
MB_PER_RUN = 2.4


def resident_mb() -> float | None:
    """The process's resident memory now (Linux), or its peak elsewhere, in MB."""
    try:
        with open("/proc/self/statm") as fh:
            pages = int(fh.read().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE") / 2 ** 20
    except (OSError, ValueError, IndexError, AttributeError):
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2 ** 20 if sys.platform == "darwin" else peak / 2 ** 10


def session(runs: int, report=None) -> list[float]:
    """Train the iris sample ``runs`` times for 2 epochs, keeping the latest result alive as
    the window does; the resident memory after each run, in MB."""
    from studio.core.project import new_project
    from studio.core.train import train

    project = new_project("sample:iris", "species")
    project.training.epochs = 2
    project.training.early_stopping.enabled = False
    dataset = project.load_data()
    memory, result = [], None
    for run in range(1, runs + 1):
        start = time.perf_counter()
        result = train(copy.deepcopy(project), dataset)   # the previous result is dropped
        assert result.epochs_run == 2
        gc.collect()
        memory.append(resident_mb())
        if report is not None:
            report(f"run {run:>2}: {time.perf_counter() - start:.2f} s, "
                   f"resident {memory[-1]:.1f} MB")
    return memory


def test_trainings_in_a_row_do_not_grow_memory():
    from studio.core.build import _gradient_registry, configure

    configure()
    registry = _gradient_registry()
    kept_before = {k for k in registry or () if str(k).startswith("CustomGradient-")}
    memory = session(RUNS)
    if registry is not None:       # what used to keep every run's graph: nothing left
        kept = {k for k in registry if str(k).startswith("CustomGradient-")}
        assert kept <= kept_before
    if memory[0] is None:
        pytest.skip("no way to read this process's memory here")
    growth = memory[-1] - memory[WARM_UP - 1]
    bound = MB_PER_RUN * (RUNS - WARM_UP)
    print(f"\n{RUNS} runs: {memory[WARM_UP - 1]:.1f} MB after run {WARM_UP}, "
          f"{memory[-1]:.1f} MB after run {RUNS} (growth {growth:+.1f} MB, bound {bound:.0f})")
    assert growth < bound, memory


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 30
    mem = session(n, report=print)
    warm = 5 if n >= 20 else 3
    print(f"growth from run {warm} to run {n}: {mem[-1] - mem[warm - 1]:+.1f} MB")
