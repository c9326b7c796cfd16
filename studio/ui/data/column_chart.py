"""A small pyqtgraph chart of one column: a histogram of numbers, or bars of the top values.

Used twice on the Data step: for the selected column, and for the target (its class balance
for classification, its distribution for regression).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyqtgraph as pg
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QBoxLayout, QVBoxLayout, QWidget

from studio.core.data import ColumnProfile
from studio.core.i18n import _
from studio.ui.common import theme

MAX_BINS = 30
MAX_BARS = 10


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
        # bold body text, not a heading: an h2 took two lines over a chart half the pane wide
        self.title = theme.label(title, "h3", wrap=True)
        self.caption = theme.label("", "muted")
        self.caption.setWordWrap(True)
        self.plot = pg.PlotWidget(background=theme.SURFACE)
        self.plot.setMenuEnabled(False)
        self.plot.setMouseEnabled(x=False, y=False)
        self.plot.hideButtons()
        item = self.plot.getPlotItem()
        item.showGrid(x=False, y=True, alpha=0.25)
        for name in ("left", "bottom"):
            ax = item.getAxis(name)
            ax.setPen(pg.mkPen(theme.BORDER))
            ax.setTextPen(pg.mkPen(theme.MUTED))
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(2)
        lay.addWidget(self.title)
        lay.addWidget(self.caption)
        lay.addWidget(self.plot, 1)
        self.counts: np.ndarray = np.zeros(0)   # what is drawn, for tests
        self.labels: list[str] = []
        self.plot._studio_retitle = self._fit_to_font    # see studio.ui.common.presentation
        item.getViewBox().sigResized.connect(self._fit_ticks)
        self._fit_to_font()

    def _fit_to_font(self) -> None:
        """Room for the axes' tick labels at the current font (presentation mode's is
        larger): a plot shorter than this lost its x axis at 1024x768. Presentation mode
        calls it again once it has scaled the tick labels (``_studio_retitle``)."""
        item = self.plot.getPlotItem()
        bottom, left = item.getAxis("bottom"), item.getAxis("left")
        tick = QFontMetrics(bottom.style.get("tickFont") or self.plot.font())
        left.setWidth(tick.horizontalAdvance("0000") + 10)
        bottom.setHeight(tick.height() + 10)
        # the x axis, a data area of 40 px or more and the plot's margins
        self.plot.setMinimumHeight(tick.height() + 10 + 48 + 12)
        self.plot.setMinimumWidth(tick.horizontalAdvance("0000") + 110)
        self._fit_ticks()

    def _fit_ticks(self, *_args) -> None:
        """Each bar's label shortened in the middle with "…" ("cl…_0": the ends tell classes
        apart) to the room under its bar, and where even that is too little, every n-th
        label: at 1280x800 the class names ran into one another ("class_0class_1class_2").
        The full names are in the plot's tooltip."""
        if not self.labels or not self.counts.size:
            return
        item = self.plot.getPlotItem()
        axis = item.getAxis("bottom")
        fm = QFontMetrics(axis.style.get("tickFont") or self.plot.font())
        room = item.getViewBox().width() / len(self.labels) - fm.horizontalAdvance(" ")
        least = fm.horizontalAdvance("W…W")
        every = 1 if room >= least else int(np.ceil(least / max(room, 1.0)))
        width = int(max(room, least))
        ticks = [(float(i), fm.elidedText(label, Qt.TextElideMode.ElideMiddle, width))
                 for i, label in enumerate(self.labels) if i % every == 0]
        # a label a little wider than its bar's room may reach past the axis's end: keep it
        axis.setStyle(hideOverlappingLabels=False)
        axis.setTicks([ticks, []])

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._fit_to_font()

    def clear(self, message: str = "") -> None:
        self.plot.clear()
        self.counts, self.labels = np.zeros(0), []
        self.caption.setText(message)

    def show_column(self, series: pd.Series, profile: ColumnProfile, title: str,
                    as_classes: bool = False, target: bool = False) -> None:
        """Numbers as a histogram; categories (or ``as_classes``) as bars of the top values."""
        self.title.setText(title)
        self.plot.clear()
        self.plot.setToolTip("")
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
            self._fit_ticks()
            self.plot.setToolTip("\n".join(f"{lbl}: {c:,}" for lbl, c in pairs))
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


class ChartPair(QWidget):
    """Two charts, one above the other when there is height for both, else side by side
    (presentation mode at 1024x768 left each stacked plot too short for its axes)."""

    def __init__(self, first: QWidget, second: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.charts = (first, second)
        self._lay = QBoxLayout(QBoxLayout.Direction.TopToBottom, self)
        self._lay.setContentsMargins(0, 0, 0, 0)
        self._lay.setSpacing(10)
        for chart in self.charts:
            self._lay.addWidget(chart, 1)

    def stacked(self) -> bool:
        return self._lay.direction() == QBoxLayout.Direction.TopToBottom

    def _fit(self) -> None:
        if not hasattr(self, "_base_width"):
            self._base_width = self.minimumWidth()      # what the page asked for
        spacing = self._lay.spacing()
        stacked_need = sum(self._need_one(c, self.width()) for c in self.charts) + spacing
        stacked = self.height() >= stacked_need
        direction = (QBoxLayout.Direction.TopToBottom if stacked
                     else QBoxLayout.Direction.LeftToRight)
        if direction != self._lay.direction():
            self._lay.setDirection(direction)
        side = sum(c.minimumSizeHint().width() for c in self.charts) + spacing
        self.setMinimumWidth(self._base_width if stacked else max(self._base_width, side))
        half = max(1, (self.width() - spacing) // 2)
        low = max(self._need_one(c, half) for c in self.charts)     # side by side
        if self.minimumHeight() != low:
            self.setMinimumHeight(low)

    @staticmethod
    def _need_one(chart: QWidget, width: int) -> int:
        """The height one chart ``width`` pixels wide needs: its wrapped title and caption
        and its plot's minimum (QSplitter asks for minimum sizes only, so the wrapped labels
        were squeezed and the x axis cut)."""
        labels = [w for w in (chart.title, chart.caption) if w.text()]
        return (sum(w.heightForWidth(width) for w in labels) + chart.plot.minimumHeight()
                + chart.layout().spacing() * len(labels))

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit()
