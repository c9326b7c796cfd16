"""Autosave and crash recovery for the open work.

The window writes the current project (and its data source, which the project references)
to one autosave file in the user's data folder every minute while there are unsaved changes,
atomically. A clean save or a clean exit removes it. If an autosave is found at start-up, the
previous session ended without saving (a crash, a killed process, a power cut): the studio
offers to recover it.
"""

from __future__ import annotations

import contextlib
import logging
import time
from dataclasses import dataclass
from pathlib import Path

from studio.core import jsondoc
from studio.core.errors import ProjectError, StudioError
from studio.core.i18n import _
from studio.core.project import Project, atomic_write_text, dumps
from studio.core.schemas import finite as schemas
from studio.core.schemas.autosave import SCHEMA

log = logging.getLogger(__name__)

FILE_NAME = "autosave.json"


@dataclass
class Recovery:
    path: Path                 # the autosave file
    project: Project           # the recovered project
    saved_at: float            # time.time() of the autosave
    original: str | None       # the project file it was opened from, if any


def write(project: Project, folder: str | Path) -> Path:
    """Write ``project`` as the autosave in ``folder`` (atomic)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    doc = project.to_dict(relative_to=None)
    source = project.data_source
    if not source.startswith("sample:") and project.base_dir is not None \
            and not Path(source).is_absolute():
        source = str((project.base_dir / source).resolve())
    doc["data"]["source"] = source  # absolute: the autosave lives elsewhere
    wrapper = {"autosave": 1, "saved_at": time.time(),
               "original": str(project.path) if project.path else None, "project": doc}
    path = folder / FILE_NAME
    atomic_write_text(path, dumps(wrapper))
    return path


def read(path: str | Path) -> Recovery:
    """The autosave at ``path``, read with :mod:`~studio.core.jsondoc`'s limits and checked
    against :data:`~studio.core.schemas.autosave.SCHEMA` (the wrapper) and the project's
    schema (the work); a damaged file is a :class:`ProjectError` naming the place."""
    path = Path(path)
    what = _("The autosave file")
    wrapper = jsondoc.read(path, what, ProjectError)
    schemas.validate(wrapper, SCHEMA, what, ProjectError)
    project = Project.from_dict(wrapper["project"], what=_("The autosaved project"))
    original = wrapper.get("original")
    if original:
        project.path = Path(original)
    return Recovery(path, project, float(wrapper.get("saved_at", 0.0)), original)


def find(folder: str | Path) -> Recovery | None:
    """The autosave left by a session that did not end cleanly, or None (also when it is
    damaged: that is not worth an error dialog at start-up; the reason goes to the log, and
    the caller's discard() removes the file)."""
    path = Path(folder) / FILE_NAME
    if not path.is_file():
        return None
    try:
        return read(path)
    except StudioError as exc:
        log.warning("ignoring a damaged autosave: %s", exc)
        return None


def discard(folder: str | Path) -> None:
    """Remove the autosave (after a clean save, a clean exit, or a declined recovery)."""
    with contextlib.suppress(FileNotFoundError):
        (Path(folder) / FILE_NAME).unlink()
