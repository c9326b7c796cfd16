"""Paint time per frame of the canvas for a 10-layer design with 512-unit layers.

Renders the view into a QImage N times (clean and sketch, with and without weights) and prints
ms per frame against the 16 ms goal (60 frames per second).
Run: ``QT_QPA_PLATFORM=offscreen python benchmarks/canvas_paint.py [N]``
"""

from __future__ import annotations

import itertools
import os
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np
from PySide6.QtGui import QImage, QPainter

from studio.core.design import Design, Layer
from studio.ui.design.panel import CanvasPanel
from studio.ui.shell.app import make_application
from studio.ui.state import StudioState

GOAL_MS = 16.0


def main(n: int = 60) -> list[dict]:
    """Prints one line per style and weights on/off; returns them (benchmarks/run.py)."""
    app = make_application([])
    state = StudioState()
    state.open_data("sample:iris", target="species")
    layers = [Layer.input(4)] + [Layer.dense(512) for _ in range(8)] + [Layer.dense(3, "softmax")]
    state.set_design(Design(layers))
    panel = CanvasPanel(state)
    panel.resize(1600, 900)
    panel.show()
    app.processEvents()
    rng = np.random.default_rng(0)
    kernels = [rng.normal(size=(a.units, b.units)).astype("float32")
               for a, b in itertools.pairwise(layers)]
    results = []
    vp = panel.view.viewport()
    img = QImage(vp.size(), QImage.Format.Format_ARGB32_Premultiplied)
    for style in ("clean", "sketch"):
        for weights in (False, True):
            panel.set_style(style)
            panel.scene.set_weights(kernels if weights else None)
            t0 = time.perf_counter()
            for i in range(n):
                panel.view.zoom(1.01 if i % 2 else 1 / 1.01)      # a zoom per frame
                p = QPainter(img)
                panel.view.render(p)
                p.end()
            ms = (time.perf_counter() - t0) * 1000 / n
            t1 = time.perf_counter()
            panel.scene.set_weights(kernels if weights else None)
            upd = (time.perf_counter() - t1) * 1000
            print(f"{style:6s} weights={'on ' if weights else 'off'}  {ms:6.2f} ms/frame  "
                  f"({GOAL_MS / ms:5.1f}x under the {GOAL_MS:.0f} ms goal; "
                  f"weight update {upd:.1f} ms)")
            results.append({"style": style, "weights": weights, "ms_per_frame": ms,
                            "weight_update_ms": upd})
    return results


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 60)
