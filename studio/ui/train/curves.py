"""Live learning curves (학습곡선): loss and each metric, training vs validation, per epoch.

Curves are created once and updated with ``setData`` from a ~15 Hz timer:
the epoch signal only appends numbers and marks the plots stale; each tick redraws one stale
plot, so that no event-loop pass repaints them all (see docs/benchmarks.md). The best epoch,
early stopping and learning-rate changes are drawn as labelled vertical lines.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import pyqtgraph as pg
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QFont, QPalette, QTextOption
from PySide6.QtWidgets import QGraphicsItem, QGridLayout, QWidget

from studio.core.i18n import _
from studio.core.settings import higher_is_better
from studio.ui.common import presentation

# Okabe-Ito, safe for the common colour-vision deficiencies.
TRAIN_COLOUR = "#0072B2"      # blue
VAL_COLOUR = "#E69F00"        # orange
BEST_COLOUR = "#009E73"       # bluish green
STOP_COLOUR = "#D55E00"       # vermillion
LR_COLOUR = "#CC79A7"         # reddish purple

REFRESH_HZ = 15
NOT_CURVES = {"learning_rate", "seconds"}


def metric_title(name: str) -> str:
    """A readable name for a history key's base metric."""
    titles = {"loss": _("Loss"), "accuracy": _("Accuracy"), "precision": _("Precision"),
              "recall": _("Recall"), "auc": _("AUC"), "mae": _("MAE"), "rmse": _("RMSE"),
              "r2": _("R²"), "mse": _("MSE")}
    return titles.get(name, name)


def best_so_far(values: list[float], higher_is_better: bool) -> int:
    """1-based index of the best finite value, 0 if none."""
    best, best_i = None, 0
    for i, v in enumerate(values, start=1):
        if not math.isfinite(v):
            continue
        if best is None or (v > best if higher_is_better else v < best):
            best, best_i = v, i
    return best_i


class EpochAxis(pg.AxisItem):
    """An x axis of whole epochs: ticks at 1, 2, 3… or every 2, 5, 10… epochs as the room
    allows, never at 1.2 or 1.4 (pyqtgraph's own ticks on a short run)."""

    #: pixels a tick label needs, about (a few digits and a gap)
    MIN_TICK_PX = 48

    def tickValues(self, minVal, maxVal, size):  # noqa: N803 - pyqtgraph's names
        return epoch_ticks(minVal, maxVal, size, self.MIN_TICK_PX
                           * max(1.0, getattr(self, "_studio_tick_scale", 1.0)))

    def tickStrings(self, values, scale, spacing):
        return [str(round(float(v))) for v in values]


def epoch_ticks(lo: float, hi: float, size: float,
                min_px: float = 48) -> list[tuple[float, list[float]]]:
    """Whole-epoch tick values from ``lo`` to ``hi`` on an axis ``size`` pixels long: the
    smallest step of 1, 2, 5, 10, 20, 50… that leaves ``min_px`` between labels."""
    if not (math.isfinite(lo) and math.isfinite(hi)) or hi < lo:
        return []
    span = max(hi - lo, 1e-9)
    per_epoch = size / span if size > 0 else 0
    step = 1
    while per_epoch * step < min_px and step < 10 ** 9:
        for factor in (2, 2.5, 2):          # 1, 2, 5, 10, 20, 50, ...
            step = int(step * factor)
            if per_epoch * step >= min_px:
                break
    first = max(1, math.ceil(lo / step) * step) if step > 1 else max(1, math.ceil(lo))
    values = [float(v) for v in range(int(first), math.floor(hi) + 1, step)]
    if step > 1 and lo <= 1 <= hi and (not values or values[0] != 1.0):
        values.insert(0, 1.0)               # epoch 1, where every run starts
        if len(values) > 1 and (values[1] - 1) * per_epoch < min_px:
            del values[1]
    return [(float(step), values)]


@dataclass
class Annotation:
    kind: str       # best | learning_rate | early_stopping
    epoch: int
    text: str


class _MetricPlot:
    """One PlotWidget with its train and validation curves and its marker lines."""

    def __init__(self, parent: QWidget, base: str, background: Any, foreground: Any,
                 loss_hint: str = "") -> None:
        self.base = base
        self.widget = pg.PlotWidget(parent, background=background,
                                    axisItems={"bottom": EpochAxis("bottom")})
        self.widget.setVisible(False)
        self.widget.setMinimumSize(220, 160)
        item = self.widget.getPlotItem()
        item.setClipToView(True)
        item.setDownsampling(auto=True, mode="peak")
        item.showGrid(x=True, y=True, alpha=0.15)
        font = QFont()
        font.setPointSize(10)
        label_style = {"color": foreground, "font-size": "10pt"}
        for name in ("left", "bottom"):
            axis = item.getAxis(name)
            axis.setTickFont(font)
            axis.setTextPen(foreground)
            axis.setPen(foreground)
            # With the grid on, an axis covers the whole plot, so every new point repainted
            # both axes' text (~5 ms each while training takes the CPUs). Cached as a pixmap,
            # an axis is drawn again only when its range changes.
            axis.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        item.setLabel("bottom", _("epoch"), **label_style)
        self._foreground = foreground
        self._hint, self._best = loss_hint, 0
        self.widget._studio_retitle = self.set_title     # presentation mode rescales it
        self.set_title()
        offset = (-8, -8) if higher_is_better(base) else (-8, 8)
        legend = item.addLegend(offset=offset, labelTextColor=foreground,
                                labelTextSize="9pt")
        legend.setBrush(pg.mkBrush(background))
        self.train = item.plot(pen=pg.mkPen(TRAIN_COLOUR, width=2), name=_("training"))
        self.val = item.plot(pen=pg.mkPen(VAL_COLOUR, width=2, style=Qt.PenStyle.DashLine),
                             name=_("validation"))
        self.lines: list[pg.InfiniteLine] = []
        self.best_line: pg.InfiniteLine | None = None

    def set_title(self, hint: str | None = None, best: int | None = None) -> None:
        """``Loss (hint) · best epoch 24``: the best epoch's text lives in the title, where it
        never collides with the legend or the curves; the plot shows its line."""
        if hint is not None:
            self._hint = hint
        if best is not None:
            self._best = best
        # presentation mode scales plot text (studio.ui.common.presentation.scale_plot_text); the
        # loss's long hint goes on a line of its own where one line would be wider than the
        # plot (it was cut, and it widened the plot past its column), and the title's row
        # grows to the title's height (pyqtgraph fixes it at 30 px: a second line spilled
        # over the curves)
        scale = getattr(self.widget, "_studio_font_scale", 1.0)
        size = 11 * scale
        name = metric_title(self.base).replace("²", "<sup>2</sup>")    # see rich_title
        best = ("", "")      # (after the name on its line, on a line of its own)
        if self._best:
            text = _("best epoch {epoch}", epoch=self._best)
            best = (f"<span style='color:{BEST_COLOUR}'>│ {text}</span>",
                    f"<span style='color:{BEST_COLOUR}'>{text}</span>")
        hint = (f"<span style='font-size:{size * 0.8:.1f}pt'>({self._hint})</span>"
                if self._hint else "")
        colour = getattr(self.widget, "_studio_fg", None) or self._foreground   # dark theme
        item = self.widget.getPlotItem()
        label = item.titleLabel
        # the title sits over the data area only, right of the y axis
        room = self.widget.width() - item.getAxis("left").width() - 16
        label.item.setTextWidth(-1)        # measured unwrapped (see the end)
        # the name, then the best epoch and the hint on its line while the line fits
        title = name
        for inline, alone in (best, (hint, hint)):
            if not inline:
                continue
            item.setTitle(title + "  " + inline, color=colour, size=f"{size:.1f}pt")
            if label.item.boundingRect().width() <= room:
                title += "  " + inline
            else:
                title += "<br>" + alone
        item.setTitle(title, color=colour, size=f"{size:.1f}pt")
        if room > 40 and label.item.boundingRect().width() > room:
            # a line wider than the data area (the hint of a narrow plot) wraps there
            option = QTextOption(Qt.AlignmentFlag.AlignHCenter)
            option.setWrapMode(QTextOption.WrapMode.WordWrap)
            label.item.document().setDefaultTextOption(option)
            label.item.setTextWidth(room)
            label.updateMin()
        height = int(label.item.boundingRect().height()) + 2
        label.setMaximumHeight(height)
        item.layout.setRowFixedHeight(0, height)

    def clear_marks(self) -> None:
        item = self.widget.getPlotItem()
        for line in self.lines:
            item.removeItem(line)
        self.lines.clear()
        if self.best_line is not None:
            item.removeItem(self.best_line)
            self.best_line = None
        self.set_title(best=0)

    def add_line(self, epoch: int, colour: str, text: str, position: float,
                 text_left: bool = False) -> None:
        side = (1, 0.5) if text_left else (0, 0.5)
        line = pg.InfiniteLine(
            pos=epoch, angle=90,
            pen=pg.mkPen(colour, width=1.5, style=Qt.PenStyle.DashDotLine), label=text,
            labelOpts={"position": position, "color": colour, "fill": (255, 255, 255, 200),
                       "anchors": [side, side]} if text else None)
        self.widget.addItem(line, ignoreBounds=True)
        self.lines.append(line)

    def set_best(self, epoch: int) -> None:
        if self.best_line is not None and epoch == self._best:
            return
        if self.best_line is None:
            self.best_line = pg.InfiniteLine(angle=90, pen=pg.mkPen(BEST_COLOUR, width=2))
            self.widget.addItem(self.best_line, ignoreBounds=True)
        self.best_line.setPos(epoch)
        self.best_line.setVisible(epoch > 0)
        self.set_title(best=epoch)


class LiveCurves(QWidget):
    """One plot for the loss and one per metric, training (blue) vs validation (orange)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setSpacing(8)
        self._plots: dict[str, _MetricPlot] = {}
        self._order: list[str] = []
        self.epochs: list[int] = []
        self.series: dict[str, list[float]] = {}
        self.annotations: list[Annotation] = []
        self.best_epoch = 0
        self._total_epochs = 0
        self._monitor = "val_loss"
        self._loss_hint = ""
        self._last_lr: float | None = None
        self._dirty = False
        self._layout: list[str] = []
        self._timer = QTimer(self)
        self._timer.setInterval(int(1000 / REFRESH_HZ))
        self._stale: set[str] = set()     # plots with numbers not drawn yet
        self._timer.timeout.connect(self._on_timer)
        self._ensure_plot("loss")
        self._placeholder = pg.TextItem(_("The learning curves appear here when you press "
                                          "Train."), anchor=(0.5, 0.5),
                                        color=self.palette().color(QPalette.ColorRole.Text))
        loss = self._plots["loss"]
        loss.widget.addItem(self._placeholder, ignoreBounds=True)

        def retitle(plot: _MetricPlot = loss) -> None:      # presentation mode's look
            plot.set_title()
            self._style_placeholder()

        loss.widget._studio_retitle = retitle
        self._style_placeholder()
        self.set_planned_epochs(2)

    def _style_placeholder(self) -> None:
        """The hint in the empty plot in the plot's text colour (light on the dark theme's
        plots, which it was not) and at the plot text's scale."""
        widget = self._plots["loss"].widget
        colour = getattr(widget, "_studio_fg", None) or self.palette().color(
            QPalette.ColorRole.Text)
        self._placeholder.setColor(colour)
        font = QFont(self.font())
        font.setPointSizeF(11 * getattr(widget, "_studio_font_scale", 1.0))
        self._placeholder.setFont(font)

    def placeholder_colour(self):
        """The empty plot's hint colour (for tests)."""
        return self._placeholder.color

    def set_planned_epochs(self, epochs: int) -> None:
        """Before any run: an empty loss plot spanning the planned epochs, with a hint."""
        if self.epochs:
            return
        self._total_epochs = max(1, int(epochs))
        item = self._plots["loss"].widget.getPlotItem()
        item.setXRange(1, max(2, self._total_epochs), padding=0.02)
        item.setYRange(0, 1, padding=0.02)
        self._placeholder.setPos((1 + max(2, self._total_epochs)) / 2, 0.5)
        self._placeholder.setVisible(True)

    # -- public API --------------------------------------------------------------------------------
    @property
    def plots(self) -> dict[str, pg.PlotWidget]:
        return {k: p.widget for k, p in self._plots.items()}

    def curve(self, key: str) -> pg.PlotDataItem:
        """The curve of a history key: ``loss``, ``val_loss``, ``accuracy``, ``val_accuracy``…"""
        base = key.removeprefix("val_")
        plot = self._plots[base]
        return plot.val if key.startswith("val_") else plot.train

    def clear(self, planned_epochs: int = 2) -> None:
        """Back to the empty state (another project was opened)."""
        self.begin(planned_epochs)
        self._timer.stop()
        self._placeholder.setVisible(True)
        self.set_planned_epochs(planned_epochs)

    def begin(self, total_epochs: int, monitor: str = "val_loss", loss_name: str = "",
              metrics: list[str] | tuple[str, ...] = ()) -> None:
        """Clear for a new run of ``total_epochs`` epochs. The plots of the compiled
        ``metrics`` are made now (hidden until their first numbers), not on the first epoch,
        where making a plot would stall the window just as the run gets going."""
        for base in metrics:
            if base not in NOT_CURVES:
                self._ensure_plot(base)
        self.epochs, self.series, self.annotations = [], {}, []
        self.best_epoch, self._last_lr = 0, None
        self._total_epochs = max(1, int(total_epochs))
        self._placeholder.setVisible(False)
        self._monitor = monitor or "val_loss"
        self._loss_hint = loss_name
        self._plots["loss"].set_title(hint=loss_name)
        for p in self._plots.values():
            p.clear_marks()
            p.train.setData([], [])
            p.val.setData([], [])
            item = p.widget.getPlotItem()
            item.setXRange(1, max(2, self._total_epochs), padding=0.02)
            item.enableAutoRange(y=True)    # the empty state fixed the loss plot to 0..1
        self._relayout()
        self._dirty = False
        self._stale.clear()
        self._timer.start()

    def add_epoch(self, epoch: int, logs: dict[str, float]) -> None:
        """Append one epoch's numbers (cheap: the timer draws)."""
        self.epochs.append(int(epoch))
        for key, value in logs.items():
            if key in NOT_CURVES:
                continue
            base = key.removeprefix("val_")
            self._ensure_plot(base)
            values = self.series.setdefault(key, [])
            # a key that appears late is padded so that x and y stay aligned
            values.extend([math.nan] * (len(self.epochs) - 1 - len(values)))
            values.append(float(value))
        lr = logs.get("learning_rate")
        if lr is not None:
            if self._last_lr is not None and not math.isclose(lr, self._last_lr, rel_tol=1e-6):
                self._annotate("learning_rate", int(epoch), _("lr → {lr:.3g}", lr=lr))
            self._last_lr = float(lr)
        monitor = self._monitor if self._monitor in self.series else "val_loss"
        series = self.series.get(monitor, [])
        self.best_epoch = best_so_far(series, higher_is_better(monitor))
        self._stale.update(self._plots)
        self._dirty = True

    def finish(self, result: Any) -> None:
        """Draw what only the end knows: the best epoch, early stopping, the schedule's steps."""
        self._timer.stop()
        if result is not None:
            self.best_epoch = int(getattr(result, "best_epoch", self.best_epoch) or 0)
            seen = {(a.kind, a.epoch) for a in self.annotations}
            for ev in getattr(result, "events", []) or []:
                kind, epoch = ev.get("kind"), int(ev.get("epoch", 0))
                if (kind, epoch) in seen:
                    continue
                if kind == "learning_rate":
                    self._annotate(kind, epoch, _("lr → {lr:.3g}", lr=float(ev["value"])))
                elif kind == "early_stopping":
                    self._annotate(kind, epoch, _("early stop"))
        self._dirty = True
        self.flush()
        for p in self._plots.values():
            item = p.widget.getPlotItem()
            item.enableAutoRange(y=True)
            if self.epochs:   # the whole run, with room for the labels at its end
                item.setXRange(1, max(2, self.epochs[-1]), padding=0.04)

    def stop_refresh(self) -> None:
        self._timer.stop()
        self.flush()

    def flush(self) -> None:
        """Push the numbers into every curve if anything changed since the last draw."""
        if not self._dirty:
            return
        self._dirty = False
        for plot in self._plots.values():
            self._draw(plot)
        self._relayout()

    def _on_timer(self) -> None:
        """Redraw one plot per tick, in turn: repainting every plot in the same event-loop
        pass stalled the window for tens of milliseconds per epoch while training took the
        CPUs and the GIL (benchmarks/gui_responsiveness.py: the p99 stall about halved)."""
        if not self._dirty:
            return
        self._stale = {b for b in self._stale
                       if b in self.series or "val_" + b in self.series}
        first = next((b for b in self._order if b in self._stale), None)
        if first is not None:
            self._draw(self._plots[first])
        self._dirty = bool(self._stale)
        self._relayout()

    def _draw(self, plot: _MetricPlot) -> None:
        self._stale.discard(plot.base)
        x = self.epochs
        train = self.series.get(plot.base)
        val = self.series.get("val_" + plot.base)
        if train is None and val is None:
            return
        for curve, ys in ((plot.train, train), (plot.val, val)):
            if ys is not None:
                ys.extend([math.nan] * (len(x) - len(ys)))
                curve.setData(x, ys, connect="finite")
        if self.best_epoch > 0:
            plot.set_best(self.best_epoch)

    # -- internals ---------------------------------------------------------------------------------
    def _annotate(self, kind: str, epoch: int, text: str) -> None:
        self.annotations.append(Annotation(kind, epoch, text))
        colour = STOP_COLOUR if kind == "early_stopping" else LR_COLOUR
        position = 0.75 if kind == "early_stopping" else 0.55
        for i, base in enumerate(self._order):
            # the text once, on the loss plot; the line on every plot. Early stopping is the
            # last epoch: its text goes left of the line, inside the plot.
            self._plots[base].add_line(epoch, colour, text if i == 0 else "", position,
                                       text_left=kind == "early_stopping")

    def _ensure_plot(self, base: str) -> None:
        if base in self._plots:
            return
        pal = self.palette()
        bg = pal.color(QPalette.ColorRole.Base)
        fg = pal.color(QPalette.ColorRole.Text)
        hint = self._loss_hint if base == "loss" else ""
        plot = _MetricPlot(self, base, bg, fg, hint)
        presentation.style_new_plot(plot.widget)     # thick and large while presenting
        self._plots[base] = plot
        self._order.append(base)
        plot.widget.getPlotItem().setXRange(1, max(2, self._total_epochs), padding=0.02)
        for a in self.annotations:
            colour = STOP_COLOUR if a.kind == "early_stopping" else LR_COLOUR
            plot.add_line(a.epoch, colour, "", 0.5)
        self._relayout()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        QTimer.singleShot(0, self, self._retitle)    # one line or two, for the new width

    def _retitle(self) -> None:
        for plot in self._plots.values():
            if plot.widget.isVisible():
                plot.set_title()

    def _relayout(self) -> None:
        """Loss first, then the metrics of this run: one row up to three plots, else 2 wide."""
        visible = ["loss"] + [b for b in self._order if b != "loss" and (
            b in self.series or "val_" + b in self.series)]
        if visible == self._layout:
            return
        self._layout = visible
        for p in self._plots.values():
            self._grid.removeWidget(p.widget)
        cols = len(visible) if len(visible) <= 3 else 2
        for i, base in enumerate(visible):
            r, c = divmod(i, cols)
            self._grid.addWidget(self._plots[base].widget, r, c)
        for c in range(self._grid.columnCount()):
            self._grid.setColumnStretch(c, 1 if c < cols else 0)
        for r in range(self._grid.rowCount()):
            self._grid.setRowStretch(r, 1 if r * cols < len(visible) else 0)
        for p in self._plots.values():
            p.widget.setVisible(p.base in visible)


