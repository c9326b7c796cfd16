"""Draw the NetSketch Studio icon (a small neural-network diagram) into resources/icons/.

Writes netsketch.svg (the source), netsketch.png (256x256, drawn with QPainter),
netsketch.ico (Windows: PNG frames 16-256) and netsketch.icns (macOS: PNG frames).
Run from the repository root:  QT_QPA_PLATFORM=offscreen python installer/icons/make_icon.py
"""

from __future__ import annotations

import itertools
import os
import struct
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QGuiApplication, QImage, QLinearGradient, QPainter, QPen

OUT = Path(__file__).resolve().parents[2] / "resources" / "icons"
LAYERS = [3, 4, 2]                       # nodes per layer, left to right
BG_TOP, BG_BOTTOM = "#3b82f6", "#1e3a8a"
EDGE = "#bfdbfe"
NODE_FILL = ["#fde68a", "#ffffff", "#86efac"]   # input, hidden, output
NODE_LINE = "#0f172a"


def _geometry(size: float):
    """Node centres per layer and the node radius, for a square of ``size``."""
    margin_x, margin_y = size * 0.22, size * 0.20
    xs = [margin_x + i * (size - 2 * margin_x) / (len(LAYERS) - 1) for i in range(len(LAYERS))]
    radius = size * 0.075
    layers = []
    for x, n in zip(xs, LAYERS):
        if n == 1:
            ys = [size / 2]
        else:
            ys = [margin_y + j * (size - 2 * margin_y) / (n - 1) for j in range(n)]
        layers.append([(x, y) for y in ys])
    return layers, radius


def svg_text(size: int = 256) -> str:
    layers, r = _geometry(size)
    corner = size * 0.18
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" '
        f'viewBox="0 0 {size} {size}">',
        '<defs><linearGradient id="bg" x1="0" y1="0" x2="0" y2="1">'
        f'<stop offset="0" stop-color="{BG_TOP}"/><stop offset="1" stop-color="{BG_BOTTOM}"/>'
        '</linearGradient></defs>',
        f'<rect x="{size * 0.03:.1f}" y="{size * 0.03:.1f}" width="{size * 0.94:.1f}" '
        f'height="{size * 0.94:.1f}" rx="{corner:.1f}" fill="url(#bg)"/>',
    ]
    for a, b in itertools.pairwise(layers):
        for (x1, y1) in a:
            for (x2, y2) in b:
                parts.append(f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" '
                             f'stroke="{EDGE}" stroke-width="{size * 0.018:.1f}" '
                             'stroke-opacity="0.85"/>')
    for i, layer in enumerate(layers):
        for (x, y) in layer:
            parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" fill="{NODE_FILL[i]}" '
                         f'stroke="{NODE_LINE}" stroke-width="{size * 0.016:.1f}"/>')
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def render(size: int) -> QImage:
    img = QImage(size, size, QImage.Format.Format_ARGB32)
    img.fill(Qt.GlobalColor.transparent)
    p = QPainter(img)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    layers, r = _geometry(size)
    grad = QLinearGradient(0, 0, 0, size)
    grad.setColorAt(0, QColor(BG_TOP))
    grad.setColorAt(1, QColor(BG_BOTTOM))
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QBrush(grad))
    p.drawRoundedRect(QRectF(size * 0.03, size * 0.03, size * 0.94, size * 0.94),
                      size * 0.18, size * 0.18)
    edge = QColor(EDGE)
    edge.setAlphaF(0.85)
    p.setPen(QPen(edge, max(1.0, size * 0.018)))
    for a, b in itertools.pairwise(layers):
        for (x1, y1) in a:
            for (x2, y2) in b:
                p.drawLine(QPointF(x1, y1), QPointF(x2, y2))
    p.setPen(QPen(QColor(NODE_LINE), max(1.0, size * 0.016)))
    for i, layer in enumerate(layers):
        p.setBrush(QColor(NODE_FILL[i]))
        for (x, y) in layer:
            p.drawEllipse(QPointF(x, y), r, r)
    p.end()
    return img


def png_bytes(size: int) -> bytes:
    ba = QByteArray()
    buf = QBuffer(ba)
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    render(size).save(buf, "PNG")
    buf.close()
    return bytes(ba.data())


def ico_bytes(sizes=(16, 24, 32, 48, 64, 128, 256)) -> bytes:
    """An ICO with PNG-compressed frames (valid since Windows Vista)."""
    frames = [png_bytes(s) for s in sizes]
    header = struct.pack("<HHH", 0, 1, len(sizes))
    offset = 6 + 16 * len(sizes)
    entries = b""
    for s, data in zip(sizes, frames):
        dim = 0 if s >= 256 else s
        entries += struct.pack("<BBBBHHII", dim, dim, 0, 0, 1, 32, len(data), offset)
        offset += len(data)
    return header + entries + b"".join(frames)


def icns_bytes() -> bytes:
    """An ICNS with PNG frames (icp4/icp5 16/32, ic07 128, ic08 256)."""
    chunks = b""
    for kind, s in ((b"icp4", 16), (b"icp5", 32), (b"ic07", 128), (b"ic08", 256)):
        data = png_bytes(s)
        chunks += kind + struct.pack(">I", len(data) + 8) + data
    return b"icns" + struct.pack(">I", len(chunks) + 8) + chunks


def main() -> int:
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # noqa: F841
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "netsketch.svg").write_text(svg_text(), encoding="utf-8")
    (OUT / "netsketch.png").write_bytes(png_bytes(256))
    (OUT / "netsketch.ico").write_bytes(ico_bytes())
    (OUT / "netsketch.icns").write_bytes(icns_bytes())
    for f in sorted(OUT.glob("netsketch.*")):
        print(f"{f.relative_to(OUT.parents[1])}: {f.stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
