"""Lesson files (``.nslesson``): one zip a teacher prepares and students open offline.

Entries (see docs/lesson-format.md)::

    lesson.json          {"format": "netsketch-lesson", "version": 1, "name": ..., "has_model": ...}
    project.json         the project, its data source set to "data.csv"
    data.csv             the dataset as the studio read it
    notes.md             the teacher's notes (Markdown)
    model.keras          the trained network (optional; loaded with safe_mode=True)
    preprocessing.json   its fitted preprocessing as readable JSON (with model.keras)
    history.csv          one row per epoch (with model.keras)
    metrics.json         test metrics and run facts (with model.keras)

Saving is atomic (a temporary file in the same folder, then rename). Opening refuses entries
with absolute paths or ``..``, archives with more than :data:`MAX_ENTRIES` entries, and
archives that would unpack to more than :data:`MAX_UNPACKED_BYTES` (a "zip bomb": a small
file of very compressible data), all checked before anything is written; a damaged archive
is refused with a message, and the temporary folder it was being unpacked into is removed.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import shutil
import tempfile
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from studio.core import build, jsondoc
from studio.core.errors import StudioError
from studio.core.evaluate import evaluate
from studio.core.fileio import replace_into, target_of, unique_temp
from studio.core.i18n import _
from studio.core.predict import load_model_dir
from studio.core.project import Project, dumps
from studio.core.results import _json_safe, dumps_document, history_csv
from studio.core.schemas import finite as schemas
from studio.core.schemas.lesson import SCHEMA as LESSON_SCHEMA
from studio.core.schemas.metrics import SCHEMA as METRICS_SCHEMA
from studio.core.train import TrainResult, prepare_project

FORMAT = "netsketch-lesson"
VERSION = 1
EXTENSION = ".nslesson"
#: A lesson is a table and a small network: more than this unpacked is not a lesson.
MAX_UNPACKED_BYTES = 1024 ** 3
#: A lesson has eight entries; an archive with many more is not one.
MAX_ENTRIES = 256


@dataclass
class Lesson:
    project: Project
    dataset: Any                      # core.data.Dataset
    notes: str = ""
    result: Any = None                # core.train.TrainResult rebuilt from the files, or None
    metrics: dict[str, Any] = field(default_factory=dict)
    folder: Path | None = None        # where it was unpacked


def save_lesson(path: str | os.PathLike, project: Project, dataset, result=None,
                notes: str = "") -> Path:
    """Write a lesson file atomically."""
    path = Path(path)
    doc = project.to_dict()
    doc["data"]["source"] = "data.csv"
    doc["data"]["read"] = {"encoding": "utf-8", "sep": ",", "decimal": ".", "header": True}
    manifest = {"format": FORMAT, "version": VERSION, "name": project.name,
                "has_model": result is not None}
    path = target_of(path)                  # a symlinked lesson stays a symlink
    tmp = str(unique_temp(path.parent, path.name))
    try:
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            zf.writestr("lesson.json", json.dumps(manifest, indent=2, ensure_ascii=False))
            zf.writestr("project.json", dumps(doc))
            zf.writestr("data.csv", dataset.frame.to_csv(index=False))
            zf.writestr("notes.md", notes or "")
            if result is not None:
                with tempfile.TemporaryDirectory() as td:
                    model_path = Path(td) / "model.keras"
                    result.model.save(model_path)
                    zf.write(model_path, "model.keras")
                zf.writestr("preprocessing.json", json.dumps(
                    _json_safe(result.prepared.fitted.to_dict()), indent=2, ensure_ascii=False))
                zf.writestr("history.csv", history_csv(result.history))
                zf.writestr("metrics.json", dumps_document(result.metrics_document()))
        replace_into(Path(tmp), path)
    except OSError as exc:
        _unlink(tmp)
        raise StudioError(_("Cannot write the lesson {path}: {detail}", path=str(path),
                            detail=exc.strerror or exc)) from exc
    except BaseException:
        _unlink(tmp)
        raise
    return path


def _unlink(p: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(p)


def check_member(name: str) -> PurePosixPath:
    """The entry's relative path; refuses absolute paths and ``..``."""
    norm = name.replace("\\", "/")
    p = PurePosixPath(norm)
    if not norm or norm.startswith("/") or (len(norm) > 1 and norm[1] == ":") \
            or any(part == ".." for part in p.parts):
        raise StudioError(_("The lesson file is refused: its entry {name} would be written "
                            "outside the lesson folder.", name=repr(name)))
    return p


#: What a damaged archive raises while it is read (bad CRC, truncated or corrupt data,
#: an unsupported compression method, an encrypted entry).
_DAMAGED = (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError,
            ValueError)


def extract(path: str | os.PathLike, dest: str | os.PathLike,
            max_bytes: int = MAX_UNPACKED_BYTES, max_entries: int = MAX_ENTRIES) -> Path:
    """Unpack a lesson into ``dest`` after checking every entry."""
    path, dest = Path(path), Path(dest)
    try:
        zf = zipfile.ZipFile(path)
    except FileNotFoundError:
        raise StudioError(_("The lesson file {name} does not exist.", name=str(path))) from None
    except (OSError, *_DAMAGED) as exc:
        raise StudioError(_("{name} is not a lesson file (not a zip archive).",
                            name=path.name)) from exc
    with zf:
        try:
            _extract_checked(zf, path, dest, max_bytes, max_entries)
        except (zipfile.LargeZipFile, *_DAMAGED) as exc:
            raise StudioError(_("The lesson file {name} is damaged and cannot be opened "
                                "({detail}).", name=path.name, detail=exc)) from exc
        except OSError as exc:
            raise StudioError(_("The lesson could not be unpacked into {path}: {detail}",
                                path=str(dest), detail=exc.strerror or exc)) from exc
    return dest


def _extract_checked(zf: zipfile.ZipFile, path: Path, dest: Path, max_bytes: int,
                     max_entries: int) -> None:
    """The checks (entry count, names, total size) before writing anything, then the entries,
    counting what is really written (an archive's header can lie about the sizes)."""
    infos = zf.infolist()
    if len(infos) > max_entries:
        raise StudioError(_("The lesson file is refused: it has {n} entries, and a lesson "
                            "has at most {max}.", n=len(infos), max=max_entries))
    for info in infos:
        check_member(info.filename)
    if sum(i.file_size for i in infos) > max_bytes:
        raise StudioError(_("The lesson file is refused: it would unpack to more than "
                            "{gb:.1f} GB.", gb=max_bytes / 1024 ** 3))
    dest.mkdir(parents=True, exist_ok=True)
    root = dest.resolve()
    written = 0
    for info in infos:
        rel = check_member(info.filename)
        target = (root / Path(*rel.parts)).resolve()
        if root != target and root not in target.parents:
            raise StudioError(_("The lesson file is refused: its entry {name} would be "
                                "written outside the lesson folder.",
                                name=repr(info.filename)))
        if info.is_dir():
            target.mkdir(parents=True, exist_ok=True)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        with zf.open(info) as src, open(target, "wb") as out:
            while chunk := src.read(1 << 20):
                written += len(chunk)
                if written > max_bytes:  # the sizes in the header lied
                    raise StudioError(_("The lesson file is refused: it would unpack to "
                                        "more than {gb:.1f} GB.", gb=max_bytes / 1024 ** 3))
                out.write(chunk)


def open_lesson(path: str | os.PathLike, dest: str | os.PathLike | None = None) -> Lesson:
    """Unpack and restore a lesson: project, data, notes and, when present, the trained model
    with its curves and its evaluation on the test split.

    Without ``dest`` the lesson is unpacked into a new temporary folder (``Lesson.folder``),
    which is removed again when the lesson cannot be opened; :func:`remove_folder` removes it
    when the lesson is closed."""
    path = Path(path)
    made = dest is None
    dest = Path(dest) if dest is not None else Path(tempfile.mkdtemp(prefix="nslesson-"))
    try:
        return _open_unpacked(path, dest)
    except BaseException:
        if made:
            remove_folder(dest)
        raise


def remove_folder(folder: str | os.PathLike | None) -> None:
    """Remove a lesson's temporary folder (nothing happens if it is already gone)."""
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)


def keep_data_beside(project: Project, new_path: str | os.PathLike,
                     folder: str | os.PathLike | None) -> Path | None:
    """Before a lesson's project is saved at ``new_path`` outside the lesson's temporary
    ``folder``: copy its data file out of that folder, beside the new project file, and point
    the project at the copy (the folder is removed when the lesson closes, and the system
    cleans temporary folders). An existing file of that name is never overwritten: the copy
    gets a free name. Returns the copy, or None when there was nothing to copy."""
    if folder is None or project.data_source.startswith("sample:"):
        return None
    source = Path(project.data_source)
    if not source.is_absolute():
        source = (project.base_dir or Path.cwd()) / source
    folder, target_dir = Path(folder).resolve(), Path(new_path).resolve().parent
    try:
        if not source.resolve().is_relative_to(folder) or target_dir.is_relative_to(folder):
            return None
    except OSError:
        return None
    stem = Path(new_path).stem
    copy = target_dir / f"{stem}.csv"
    n = 2
    while copy.exists():
        copy = target_dir / f"{stem}-{n}.csv"
        n += 1
    try:
        shutil.copyfile(source, copy)
    except OSError as exc:
        raise StudioError(_("The lesson's data could not be copied beside the project to "
                            "{path}: {reason}. Nothing was saved.", path=str(copy),
                            reason=exc.strerror or exc)) from exc
    project.data_source = str(copy)
    return copy


def _open_unpacked(path: Path, dest: Path) -> Lesson:
    extract(path, dest)
    if not (dest / "lesson.json").is_file():
        raise StudioError(_("{name} is not a NetSketch lesson (no lesson.json).",
                            name=path.name))
    read_manifest(dest / "lesson.json", path.name)
    project = Project.load(dest / "project.json",
                           what=_("The lesson's project (project.json)"))
    project.data_source = "data.csv"   # the lesson's own table, never a file elsewhere
    dataset = project.load_data()
    notes_path = dest / "notes.md"
    notes = notes_path.read_text(encoding="utf-8", errors="replace") \
        if notes_path.is_file() else ""
    lesson = Lesson(project=project, dataset=dataset, notes=notes, folder=dest)
    if (dest / "model.keras").exists():
        try:
            lesson.result, lesson.metrics = _restore_result(project, dataset, dest)
        except StudioError:
            raise
        except (ValueError, TypeError, KeyError, AttributeError, OSError) as exc:
            raise StudioError(_("The trained network in the lesson {name} is damaged: "
                                "{detail}", name=path.name, detail=exc)) from exc
    return lesson


def read_manifest(path: Path, name: str) -> dict[str, Any]:
    """``lesson.json`` of the lesson file ``name``, read with :mod:`~studio.core.jsondoc`'s
    limits and checked against :data:`~studio.core.schemas.lesson.SCHEMA` (after its format
    and version, so that another file or a newer lesson is named as such)."""
    what = _("The lesson's manifest (lesson.json)")
    manifest = jsondoc.read(path, what, StudioError)
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise StudioError(_("{name} is not a NetSketch lesson.", name=name))
    version = manifest.get("version", VERSION)
    if isinstance(version, int) and not isinstance(version, bool) and version > VERSION:
        raise StudioError(_("This lesson comes from a newer NetSketch Studio (format {v}); "
                            "please update.", v=version))
    return schemas.validate(manifest, LESSON_SCHEMA, what, StudioError)


def read_metrics(path: Path) -> dict[str, Any]:
    """A lesson's ``metrics.json`` (or a run folder's), with limits and its schema."""
    what = _("The metrics file (metrics.json)")
    return schemas.validate(jsondoc.read(path, what, StudioError), METRICS_SCHEMA, what,
                            StudioError)


def _read_history(path: Path) -> dict[str, list[float]]:
    """``history.csv``: a header (``epoch`` and the keys), then one number per key and
    epoch (``nan`` where training gave none); anything else is refused, naming the cell."""
    if not path.exists():
        return {}
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8", errors="replace"))))
    if not rows:
        return {}
    keys = rows[0][1:]
    hist: dict[str, list[float]] = {k: [] for k in keys}
    for n, row in enumerate(rows[1:], start=2):
        for k, v in zip(keys, row[1:]):
            if v != "":
                try:
                    hist[k].append(float(v))
                except ValueError:
                    raise StudioError(_("The lesson's history (history.csv) is damaged: line "
                                        "{n}, column {name} holds {value}, which is not a "
                                        "number.", n=n, name=repr(k)[:80],
                                        value=repr(v)[:40])) from None
    return hist


def _restore_result(project: Project, dataset, folder: Path):
    metrics: dict[str, Any] = {}
    mpath = folder / "metrics.json"
    if mpath.exists():              # the cheap checks first, before Keras builds anything
        metrics = read_metrics(mpath)
    history = _read_history(folder / "history.csv")
    model, fitted = load_model_dir(folder)
    prepared = prepare_project(project, dataset)
    prepared.fitted = fitted
    result = TrainResult(
        model=model, prepared=prepared, history=history,
        epochs_run=int(metrics.get("epochs_run", 0)), best_epoch=int(metrics.get("best_epoch", 0)),
        stopped_reason=str(metrics.get("stopped_reason", "completed")),
        seconds=float(metrics.get("seconds", 0.0)), device=str(metrics.get("device", "")),
        params=build.keras_param_count(model), evaluation=evaluate(model, prepared))
    return result, metrics
