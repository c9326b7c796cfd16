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
from studio.core.i18n import _
from studio.core.project import atomic_write_bytes, atomic_write_text


def _json_safe(v: Any) -> Any:
    if isinstance(v, float) and not math.isfinite(v):
        return None
    if isinstance(v, dict):
        return {str(k): _json_safe(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_json_safe(x) for x in v]
    if hasattr(v, "item") and callable(v.item):
        try:
            return _json_safe(v.item())
        except (ValueError, TypeError):
            return str(v)
    return v


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
        tmp_model = out / ".model.keras.tmp.keras"
        result.model.save(tmp_model)
        tmp_model.replace(out / "model.keras")
        atomic_write_text(out / "preprocessing.json",
                          json.dumps(_json_safe(result.prepared.fitted.to_dict()), indent=2,
                                     ensure_ascii=False) + "\n")
        atomic_write_text(out / "history.csv", history_csv(result.history))
        atomic_write_bytes(out / "metrics.json", (json.dumps(
            _json_safe(result.metrics_document()), indent=2, ensure_ascii=False) + "\n")
            .encode("utf-8"))
    except OSError as exc:
        raise StudioError(_("Cannot write the results to {path}: {detail}", path=str(out),
                            detail=exc.strerror or exc)) from exc
    return out
