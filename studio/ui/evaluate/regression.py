"""Evaluate step, regression: actual vs predicted, residuals (잔차 분석) and their histogram."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QWidget

from studio.core.i18n import _
from studio.ui.evaluate.widgets import POINT_COLOUR, REFERENCE_COLOUR, Framed, make_plot, with_alpha


def _fmt(v: float) -> str:
    if not math.isfinite(v):
        return "–"
    return f"{v:.3g}" if abs(v) >= 1000 or abs(v) < 0.01 else f"{v:.3f}".rstrip("0").rstrip(".")


def regression_cards(metrics: dict[str, float]) -> list[tuple[str, str, str, str]]:
    r2 = metrics.get("r2", float("nan"))
    return [
        ("mae", _("MAE"), _fmt(metrics.get("mae", float("nan"))),
         _("mean absolute error, in the target's units")),
        ("rmse", _("RMSE"), _fmt(metrics.get("rmse", float("nan"))),
         _("root mean squared error; punishes big misses")),
        ("r2", _("R²"), f"{r2:.3f}" if math.isfinite(r2) else "–",
         _("1 is perfect; 0 is no better than the mean")),
    ]


class RegressionView(QWidget):
    """Three plots of the test split's predictions."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.scatter_plot = make_plot(self, _("actual"), _("predicted"))
        self.residual_plot = make_plot(self, _("predicted"), _("residual (actual − predicted)"))
        self.hist_plot = make_plot(self, _("residual"), _("rows"))
        self.scatter = pg.ScatterPlotItem(size=7, pen=None,
                                          brush=pg.mkBrush(with_alpha(POINT_COLOUR, 150)))
        self.identity = pg.PlotDataItem(pen=pg.mkPen(REFERENCE_COLOUR, width=1.5,
                                                     style=Qt.PenStyle.DashLine))
        self.scatter_plot.addItem(self.identity)
        self.scatter_plot.addItem(self.scatter)
        self.residuals = pg.ScatterPlotItem(size=7, pen=None,
                                            brush=pg.mkBrush(with_alpha(POINT_COLOUR, 150)))
        self.zero = pg.InfiniteLine(pos=0, angle=0, pen=pg.mkPen(
            REFERENCE_COLOUR, width=1.5, style=Qt.PenStyle.DashLine))
        self.residual_plot.addItem(self.zero)
        self.residual_plot.addItem(self.residuals)
        self.hist = pg.PlotDataItem(stepMode="center", fillLevel=0,
                                    brush=pg.mkBrush(with_alpha(POINT_COLOUR, 110)),
                                    pen=pg.mkPen(POINT_COLOUR, width=1.5))
        self.hist_plot.addItem(self.hist)
        self.frames = [
            Framed(_("Actual vs predicted"), self.scatter_plot, self),
            Framed(_("Residuals vs predicted"), self.residual_plot, self),
            Framed(_("Residual histogram"), self.hist_plot, self),
        ]
        self.frames[0].setToolTip(_("Points on the dashed line y = x are perfect predictions."))
        self.frames[1].setToolTip(_("A good model leaves residuals scattered evenly around 0, "
                                    "with no pattern."))
        lay = QGridLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(10)
        for i, f in enumerate(self.frames):
            lay.addWidget(f, 0, i)

    def show_evaluation(self, ev: Any) -> None:
        y_true = np.asarray(ev.y_true, dtype=float)
        y_pred = np.asarray(ev.y_pred, dtype=float)
        res = y_true - y_pred
        self.scatter.setData(y_true, y_pred)
        if len(y_true):
            lo = float(min(y_true.min(), y_pred.min()))
            hi = float(max(y_true.max(), y_pred.max()))
            pad = (hi - lo) * 0.03 or 1.0
            self.identity.setData([lo - pad, hi + pad], [lo - pad, hi + pad])
        self.residuals.setData(y_pred, res)
        if len(res):
            bins = int(np.clip(np.sqrt(len(res)) * 1.5, 5, 40))
            counts, edges = np.histogram(res, bins=bins)
            self.hist.setData(edges, counts)
        else:
            self.hist.setData([], [])
        for p in (self.scatter_plot, self.residual_plot, self.hist_plot):
            p.getPlotItem().autoRange()
