"""A small pyqtgraph chart of one column: a histogram of numbers, or bars of the top values.

Used twice on the Data step: for the selected column, and for the target (its class balance
for classification, its distribution for regression).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyqtgraph as pg
from PySide6.QtWidgets import QVBoxLayout, QWidget

from studio.core.data import ColumnProfile
from studio.core.i18n import _
from studio.ui import theme

MAX_BINS = 30
MAX_BARS = 10
_LABEL_CHARS = 10


def histogram(values: np.ndarray, max_bins: int = MAX_BINS) -> tuple[np.ndarray, np.ndarray]:
    """Counts and edges of finite ``values``; whole numbers with few values get one bin each."""
    v = values[np.isfinite(values)]
    if v.size == 0:
        return np.zeros(0), np.zeros(1)
    lo, hi = float(v.min()), float(v.max())
    if lo == hi:
        return np.array([v.size]), np.array([lo - 0.5, hi + 0.5])
    if np.all(np.mod(v[:10000], 1) == 0) and hi - lo + 1 <= max_bins:
        edges = np.arange(lo - 0.5, hi + 1.0, 1.0)
    else:
        edges = np.histogram_bin_edges(v, bins=min(max_bins, max(5, int(np.sqrt(v.size)))))
    counts, edges = np.histogram(v, bins=edges)
    return counts, edges


class ColumnChart(QWidget):
    """A title, a caption and a plot; :meth:`show_column` fills them."""

    def __init__(self, title: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = theme.label(title, "h2")
        self.caption = theme.label("", "muted")
        self.caption.setWordWrap(True)
        self.plot = pg.PlotWidget(background=theme.SURFACE)
        self.plot.setMenuEnabled(False)
        self.plot.setMouseEnabled(x=False, y=False)
        self.plot.hideButtons()
        self.plot.setMinimumHeight(120)
        item = self.plot.getPlotItem()
        item.showGrid(x=False, y=True, alpha=0.25)
        for name in ("left", "bottom"):
            ax = item.getAxis(name)
            ax.setPen(pg.mkPen(theme.BORDER))
            ax.setTextPen(pg.mkPen(theme.MUTED))
        item.getAxis("left").setWidth(44)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(2)
        lay.addWidget(self.title)
        lay.addWidget(self.caption)
        lay.addWidget(self.plot, 1)
        self.counts: np.ndarray = np.zeros(0)   # what is drawn, for tests
        self.labels: list[str] = []

    def clear(self, message: str = "") -> None:
        self.plot.clear()
        self.counts, self.labels = np.zeros(0), []
        self.caption.setText(message)

    def show_column(self, series: pd.Series, profile: ColumnProfile, title: str,
                    as_classes: bool = False, target: bool = False) -> None:
        """Numbers as a histogram; categories (or ``as_classes``) as bars of the top values."""
        self.title.setText(title)
        self.plot.clear()
        brush = theme.PLOT_TARGET_BRUSH if target else theme.PLOT_BRUSH
        numeric = profile.kind == "numeric" and profile.minimum is not None
        if numeric and not as_classes:
            values = pd.to_numeric(series, errors="coerce").to_numpy(dtype="float64",
                                                                     na_value=np.nan)
            counts, edges = histogram(values)
            self.counts, self.labels = counts, []
            if counts.size:
                bars = pg.BarGraphItem(x0=edges[:-1], x1=edges[1:], height=counts,
                                       brush=pg.mkBrush(*brush), pen=pg.mkPen(theme.SURFACE))
                self.plot.addItem(bars)
                self.plot.getPlotItem().getAxis("bottom").setTicks(None)
                self.plot.setXRange(float(edges[0]), float(edges[-1]), padding=0.02)
                self.plot.setYRange(0, float(counts.max()) * 1.08, padding=0)
            self.caption.setText(self._numeric_caption(profile))
            return
        if as_classes:
            vc = series.value_counts(dropna=True)
            if len(vc) > MAX_BARS:
                vc = vc.iloc[:MAX_BARS]
            else:
                vc = vc.sort_index(key=lambda idx: idx.astype(str))
            pairs = [(_text(k), int(c)) for k, c in vc.items()]
        else:
            pairs = list(profile.top_values[:MAX_BARS])
        self.labels = [p[0] for p in pairs]
        self.counts = np.array([p[1] for p in pairs])
        if pairs:
            x = np.arange(len(pairs))
            bars = pg.BarGraphItem(x=x, height=self.counts, width=0.7,
                                   brush=pg.mkBrush(*brush), pen=pg.mkPen(theme.SURFACE))
            self.plot.addItem(bars)
            ticks = [(float(i), _short(lbl)) for i, lbl in zip(x, self.labels)]
            self.plot.getPlotItem().getAxis("bottom").setTicks([ticks, []])
            self.plot.setXRange(-0.6, len(pairs) - 0.4, padding=0)
            self.plot.setYRange(0, float(self.counts.max()) * 1.1, padding=0)
        total = int(profile.count)
        if as_classes and len(pairs) >= 2:
            share = self.counts / max(total, 1)
            self.caption.setText(_("{n} classes; smallest {small:.0%}, largest {large:.0%} of "
                                   "the rows", n=profile.unique, small=float(share.min()),
                                   large=float(share.max())))
        elif profile.unique > len(pairs):
            self.caption.setText(_("Top {k} of {n} values", k=len(pairs), n=profile.unique))
        else:
            self.caption.setText(_("{n} values", n=profile.unique))

    @staticmethod
    def _numeric_caption(p: ColumnProfile) -> str:
        def fmt(x: float | None) -> str:
            if x is None:
                return "–"
            return f"{x:,.0f}" if abs(x) >= 10_000 else f"{x:.3g}"
        return _("min {lo} · mean {mean} · max {hi}", lo=fmt(p.minimum), mean=fmt(p.mean),
                 hi=fmt(p.maximum))


def _text(v) -> str:
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def _short(text: str) -> str:
    return text if len(text) <= _LABEL_CHARS else text[:_LABEL_CHARS - 1] + "…"

