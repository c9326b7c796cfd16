"""Smaller PNGs for the docs: a screenshot reduced to its most used colours.

A window screenshot has a few thousand colours, most of them anti-aliased text edges; keeping
the 256 most frequent ones and mapping every other colour to its nearest keeps the picture
indistinguishable by eye and cuts the file to about a third (an 8-bit palette PNG).
"""

from __future__ import annotations

import numpy as np
from PySide6.QtGui import QImage

MAX_COLOURS = 256


def reduce_colours(image: QImage, colours: int = MAX_COLOURS) -> QImage:
    """An 8-bit palette copy of ``image`` with at most ``colours`` (2-256) colours."""
    colours = max(2, min(MAX_COLOURS, int(colours)))
    img = image.convertToFormat(QImage.Format.Format_RGB32)
    w, h, bpl = img.width(), img.height(), img.bytesPerLine()
    rows = np.frombuffer(img.constBits(), dtype=np.uint32, count=h * bpl // 4)
    pixels = rows.reshape(h, bpl // 4)[:, :w].ravel() & 0xFFFFFF
    unique, inverse, counts = np.unique(pixels, return_inverse=True, return_counts=True)
    if len(unique) <= colours:
        palette, index = unique, inverse
    else:
        palette = unique[np.argsort(counts, kind="stable")[::-1][:colours]]
        have, keep = _rgb(unique), _rgb(palette)
        nearest = np.empty(len(unique), dtype=np.int64)
        for start in range(0, len(unique), 4096):      # bounded memory: 4096 x 256 distances
            d = ((have[start:start + 4096, None, :] - keep[None, :, :]) ** 2).sum(-1)
            nearest[start:start + 4096] = d.argmin(1)
        index = nearest[inverse]
    out = QImage(w, h, QImage.Format.Format_Indexed8)
    out.setColorTable([int(0xFF000000 | int(c)) for c in palette])
    obpl = out.bytesPerLine()
    data = np.zeros((h, obpl), dtype=np.uint8)
    data[:, :w] = index.reshape(h, w)
    np.frombuffer(out.bits(), dtype=np.uint8, count=h * obpl)[:] = data.ravel()
    return out


def _rgb(values: np.ndarray) -> np.ndarray:
    return np.stack([(values >> 16) & 255, (values >> 8) & 255, values & 255],
                    axis=-1).astype(np.int32)
