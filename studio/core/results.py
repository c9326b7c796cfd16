"""Saving a finished run: the Keras model, the fitted preprocessing, history and metrics.

``model.keras`` holds the network only (loadable by plain Keras with ``safe_mode=True``);
``preprocessing.json`` holds the fitted preprocessing as readable data (no pickle);
``history.csv`` has one row per epoch; ``metrics.json`` the test-split metrics and run facts.
"""

from __future__ import annotations

import csv
import io
import json
import math
from pathlib import Path
from typing import Any

from studio.core.errors import StudioError
from studio.core.fileio import atomic_write_bytes, atomic_write_text, replace_into, unique_temp
from studio.core.i18n import _


def _json_safe(v: Any) -> Any:
    if isinstance(v, float) and not math.isfinite(v):
        return None
    if isinstance(v, dict):
        return {str(k): _json_safe(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        if all(type(x) is int or type(x) is str for x in v):
            return list(v)   # rows of a confusion matrix: thousands of classes stay quick
        return [_json_safe(x) for x in v]
    if hasattr(v, "item") and callable(v.item):
        try:
            return _json_safe(v.item())
        except (ValueError, TypeError):
            return str(v)
    return v


#: Documents with a list longer than this (the confusion matrix of hundreds of classes) are
#: written compactly: indented, they take many times the space and seconds to write.
_INDENT_LIMIT = 10_000


def dumps_document(doc: Any) -> str:
    """``doc`` made JSON-safe, as readable JSON (compact when it is very large)."""
    safe = _json_safe(doc)
    return json.dumps(safe, indent=None if _longest_list(safe) > _INDENT_LIMIT else 2,
                      ensure_ascii=False)


def _longest_list(v: Any, depth: int = 0) -> int:
    """The most numbers any nested list holds (a list of lists counts all its items)."""
    if isinstance(v, dict) and depth < 4:
        return max((_longest_list(x, depth + 1) for x in v.values()), default=0)
    if isinstance(v, list):
        if v and isinstance(v[0], list):
            return sum(len(x) if isinstance(x, list) else 1 for x in v)
        return len(v)
    return 0


def history_csv(history: dict[str, list[float]]) -> str:
    keys = list(history)
    n = max((len(v) for v in history.values()), default=0)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["epoch"] + keys)
    for i in range(n):
        w.writerow([i + 1] + [f"{history[k][i]:.6g}" if i < len(history[k]) else ""
                              for k in keys])
    return buf.getvalue()


def save_run(result, out: str | Path) -> Path:
    """Write model.keras, preprocessing.json, history.csv and metrics.json into ``out``."""
    out = Path(out)
    try:
        out.mkdir(parents=True, exist_ok=True)
        # a unique temporary name (Keras wants the .keras suffix), then one rename
        tmp_model = unique_temp(out, "model", suffix=".keras")
        try:
            result.model.save(tmp_model)
            replace_into(tmp_model, out / "model.keras")
        finally:
            tmp_model.unlink(missing_ok=True)
        atomic_write_text(out / "preprocessing.json",
                          json.dumps(_json_safe(result.prepared.fitted.to_dict()), indent=2,
                                     ensure_ascii=False) + "\n")
        atomic_write_text(out / "history.csv", history_csv(result.history))
        atomic_write_bytes(out / "metrics.json",
                           (dumps_document(result.metrics_document()) + "\n").encode("utf-8"))
    except OSError as exc:
        raise StudioError(_("Cannot write the results to {path}: {detail}", path=str(out),
                            detail=exc.strerror or exc)) from exc
    return out
