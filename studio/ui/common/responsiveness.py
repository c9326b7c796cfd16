"""Keeping the window responsive while the training thread runs Python: the window never
freezes. Measured with ``benchmarks/gui_responsiveness.py``; see docs/benchmarks.md.

Only one thread runs Python at a time (the GIL), so the training thread can stall the GUI
thread in ways the GUI can do something about:

* **A full garbage collection.** Keras's ``clear_session()`` calls ``gc.collect()`` by default;
  the training thread no longer lets it (core.train), and the GUI thread collects before each
  run instead (ui/common/runner.py). A full collection walks every tracked object while holding
  the GIL: after TensorFlow's import about a million objects, 0.2-0.25 s of frozen window.
  ``gc.freeze()`` once moves the objects that exist at the first run (TensorFlow, Keras, the
  window) into the permanent generation, which collections skip; later runs only walk what was
  made since.
  Nothing that existed then is garbage worth collecting: modules, classes, the widgets.
* **GIL hand-overs.** A GUI thread that gives the GIL up around each Qt call waits up to the
  switch interval (5 ms by default) to get it back from a training thread running Python.
  While a run lasts, :data:`TRAINING_SWITCH_INTERVAL` is used instead when set; 1 ms was
  measured and made no difference beyond the noise, so it is left at Python's default.

The rest is in the curves (studio/ui/train/curves.py): axes cached as pixmaps, one plot redrawn per
timer tick, the metric plots made when the run starts.
"""

from __future__ import annotations

import gc
import sys

#: ``sys.setswitchinterval`` while a training run lasts; None leaves Python's default
#: (``benchmarks/gui_responsiveness.py --variants shipped,si1`` compares).
TRAINING_SWITCH_INTERVAL: float | None = None

_frozen = False
_saved_interval: float | None = None


def freeze_startup_objects() -> bool:
    """Once per process, before the first training run: see the module docstring.
    Returns True when it froze now."""
    global _frozen
    if _frozen:
        return False
    gc.freeze()
    _frozen = True
    return True


def training_started() -> None:
    """Call just before a training thread starts."""
    global _saved_interval
    freeze_startup_objects()
    if TRAINING_SWITCH_INTERVAL is not None and _saved_interval is None:
        _saved_interval = sys.getswitchinterval()
        sys.setswitchinterval(TRAINING_SWITCH_INTERVAL)


def training_ended() -> None:
    """Call when the training thread has finished: Python's interval comes back."""
    global _saved_interval
    if _saved_interval is not None:
        sys.setswitchinterval(_saved_interval)
        _saved_interval = None
