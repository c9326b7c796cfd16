"""The two looks of the canvas: *clean* (crisp vector diagram) and *sketch* (as drawn by hand
on a whiteboard: slightly uneven circles and lines, a marker-like font).

The sketch jitter is deterministic, seeded by the layer's uid and the neuron's number, so the
drawing does not flicker when it is redrawn (each edit redraws the scene from the design).
"""

from __future__ import annotations

import math
import zlib
from dataclasses import dataclass

from PySide6.QtCore import QPointF
from PySide6.QtGui import QFont, QFontDatabase, QPainterPath

from studio import resources

INPUT_FILL = "#56B4E9"     # Okabe-Ito sky blue
HIDDEN_FILL = "#FFFFFF"
OUTPUT_FILL = "#E69F00"    # orange
DROPPED = "#D55E00"        # vermillion cross
BAR_FILL = "#009E73"       # bluish green
POSITIVE = "#0072B2"       # weights: blue (colour-blind safe pair)
NEGATIVE = "#D55E00"       # weights: vermillion/orange

#: Hand-writing families tried in order when no font is bundled in resources/fonts.
SKETCH_FAMILIES = ["Comic Neue", "Patrick Hand", "Caveat", "Kalam", "Architects Daughter",
                   "Segoe Print", "Comic Sans MS", "Chalkboard SE", "Marker Felt",
                   "Bradley Hand", "DejaVu Sans"]

_bundled: list[str] | None = None


def _bundled_families() -> list[str]:
    """Families of fonts shipped in resources/fonts (loaded once)."""
    global _bundled
    if _bundled is None:
        _bundled = []
        for name in resources.listdir("fonts"):
            if not name.lower().endswith((".ttf", ".otf")):
                continue
            fid = QFontDatabase.addApplicationFontFromData(resources.read_bytes(f"fonts/{name}"))
            if fid >= 0:
                _bundled.extend(QFontDatabase.applicationFontFamilies(fid))
    return _bundled


def jitter(seed: str, k: int, amount: float = 1.0) -> float:
    """A stable pseudo-random number in [-amount, amount] for (seed, k)."""
    h = zlib.crc32(f"{seed}:{k}".encode())
    return ((h % 10007) / 10006.0 * 2.0 - 1.0) * amount


@dataclass(frozen=True)
class Style:
    name: str
    sketch: bool
    neuron_pen: float
    line_pen: float
    line_alpha: float

    def font(self, size: float, bold: bool = False) -> QFont:
        f = QFont()
        if self.sketch:
            f.setFamilies(_bundled_families() + SKETCH_FAMILIES)
            size *= 1.12
        f.setPointSizeF(size)
        f.setBold(bold)
        return f

    # -- shapes -------------------------------------------------------------------------------
    def circle(self, path: QPainterPath, cx: float, cy: float, r: float, seed: str,
               k: int) -> None:
        """Add a neuron outline to ``path``: an exact circle, or a hand-drawn one."""
        if not self.sketch:
            path.addEllipse(QPointF(cx, cy), r, r)
            return
        n = 32
        start = jitter(seed, k * 7, math.pi)
        over = 0.35 + 0.15 * jitter(seed, k * 7 + 1)       # the pen overshoots its start
        pts = []
        for i in range(n + 2):
            a = start + (2 * math.pi + over) * i / n
            rr = r * (1 + 0.035 * jitter(seed, k * 31 + i // 4) + 0.012 * jitter(seed, i))
            pts.append(QPointF(cx + rr * math.cos(a), cy + rr * math.sin(a)))
        path.moveTo(pts[0])
        for p in pts[1:]:
            path.lineTo(p)

    def line(self, path: QPainterPath, x1: float, y1: float, x2: float, y2: float,
             seed: str, k: int) -> None:
        """Add a straight line, or a slightly bowed hand-drawn one."""
        path.moveTo(x1, y1)
        if not self.sketch:
            path.lineTo(x2, y2)
            return
        mx, my = (x1 + x2) / 2, (y1 + y2) / 2
        length = math.hypot(x2 - x1, y2 - y1) or 1.0
        bow = 0.012 * length * jitter(seed, k)
        nx, ny = -(y2 - y1) / length, (x2 - x1) / length
        path.quadTo(mx + nx * bow, my + ny * bow, x2, y2)


CLEAN = Style("clean", False, 1.6, 1.0, 0.28)
SKETCH = Style("sketch", True, 2.0, 1.1, 0.35)
STYLES = {"clean": CLEAN, "sketch": SKETCH}
