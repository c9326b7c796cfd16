"""Presentation mode's look: large fonts, a high-contrast light or a dark theme, thick lines.

Projectors wash out thin grey text and dark backgrounds, and students read from the back of the
room; the default look is for a laptop. :func:`apply_look` layers a few rules over the theme's
stylesheet (later rules win), sets the application font, widens plot pens and the canvas's
lines, scales the plots' axis, title and legend text with the font, shows the doctor's
findings on the step pages (its dock is hidden while presenting), and :func:`reset_look` undoes
it. The sizes follow the window height (1024x768 and 1920x1080 are the usual projector
modes) times the user's zoom. Widgets that size a font of their own (the Evaluate step's metric
cards) follow the application font when it changes.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QFont, QFontMetrics, QPalette, QPen
from PySide6.QtWidgets import QApplication, QGraphicsView, QWidget

from studio.ui.common import theme
from studio.ui.common.doctor_panel import FindingsStrip
from studio.ui.common.fonts import ui_families

#: Presentation mode draws the canvas's lines and neuron outlines this many times as thick:
#: thin grey lines vanish on a projector.
PRESENTATION_PEN_SCALE = 2.0
#: ... and its labels (layer titles, neuron names, the parameter total) this many times as
#: large, read from the back of a classroom; the columns move apart to make room for them.
PRESENTATION_TEXT_SCALE = 1.5
#: plot legends grow with the font up to this factor (more would cover small plots' curves)
LEGEND_SCALE_MAX = 1.25
ZOOM_STEPS = (0.7, 0.8, 0.9, 1.0, 1.1, 1.25, 1.4, 1.6, 1.8, 2.0)
#: line width in presentation mode, as a multiple of the normal width (pyqtgraph draws wide
#: pens much slower, so this stays modest: 2 px lines become 5 px).
PEN_SCALE = 2.5

# High-contrast light: black text, darker borders, strong accent.
LIGHT = {"bg": "#ffffff", "surface": "#ffffff", "border": "#6b7280", "text": "#000000",
         "muted": "#1f2937", "accent": "#1d4ed8", "accent_soft": "#dbe6ff", "header": "#e5e7eb",
         "plot_fg": "#000000", "disabled_bg": "#f3f4f6", "disabled_text": "#4b5563"}
DARK = {"bg": "#0f172a", "surface": "#1e293b", "border": "#64748b", "text": "#f8fafc",
        "muted": "#cbd5e1", "accent": "#60a5fa", "accent_soft": "#1e3a8a", "header": "#334155",
        "plot_fg": "#f8fafc", "disabled_bg": "#0f172a", "disabled_text": "#94a3b8"}


def base_point_size(window_height: int, zoom: float = 1.0, presenting: bool = True) -> float:
    """The application font size: 16 pt at 768 px high, 20 pt from 960 px (presentation)."""
    if not presenting:
        return round(theme.BASE_POINT_SIZE * zoom, 1)
    return round(max(14.0, min(20.0, window_height / 48.0)) * zoom, 1)


def stylesheet(pt: float, colours: dict | None) -> str:
    """Rules appended to theme.STYLESHEET: sizes relative to ``pt``, then colours."""
    h1, h2 = round(pt * 1.6, 1), round(pt * 1.2, 1)
    item_h = int(pt * 3.4)
    css = f"""
QLabel[role="h1"] {{ font-size: {h1}pt; }}
QLabel[role="h2"] {{ font-size: {h2}pt; }}
QListWidget#stepList {{ font-size: {round(pt * 1.1, 1)}pt; }}
QListWidget#stepList::item {{ height: {item_h}px; }}
QMenuBar, QMenu, QToolTip {{ font-size: {pt}pt; }}
"""
    if not colours:
        return css
    c = colours
    return css + f"""
QMainWindow, QDialog, QWidget#page {{ background: {c['bg']}; }}
QWidget {{ color: {c['text']}; }}
QLabel[role="h1"], QLabel[role="h2"] {{ color: {c['text']}; }}
QLabel[role="muted"] {{ color: {c['muted']}; }}
QLabel[role="chip"] {{ background: {c['surface']}; border: 2px solid {c['border']};
                       color: {c['text']}; }}
QListWidget#stepList {{ background: {c['surface']}; border-right: 2px solid {c['border']}; }}
QListWidget#stepList::item {{ color: {c['text']}; }}
QListWidget#stepList::item:selected {{ background: {c['accent_soft']}; color: {c['text']};
                                       border-left: 6px solid {c['accent']}; }}
QGroupBox {{ background: {c['surface']}; border: 2px solid {c['border']}; }}
QGroupBox::title {{ color: {c['text']}; }}
QTableView {{ background: {c['surface']}; color: {c['text']}; border: 2px solid {c['border']};
              selection-background-color: {c['accent_soft']}; selection-color: {c['text']}; }}
QHeaderView::section {{ background: {c['header']}; color: {c['text']};
                        border-color: {c['border']}; }}
QPushButton {{ background: {c['surface']}; color: {c['text']}; border: 2px solid {c['border']}; }}
QPushButton[role="primary"] {{ background: {c['accent']}; color: {c['bg']};
                               border-color: {c['accent']}; }}
QPushButton:disabled, QPushButton[role="primary"]:disabled {{
    background: {c['disabled_bg']}; color: {c['disabled_text']};
    border: 2px dashed {c['border']}; }}
QFrame#card {{ background: {c['surface']}; border: 2px solid {c['border']}; }}
QScrollArea, QScrollArea > QWidget > QWidget {{ background: transparent; }}
QMenuBar, QMenu {{ background: {c['surface']}; color: {c['text']}; }}
QMenu::item:selected, QMenuBar::item:selected {{ background: {c['accent_soft']}; }}
QLineEdit, QSpinBox, QDoubleSpinBox, QComboBox, QPlainTextEdit, QTextEdit,
QPlainTextEdit#compileCode {{
    background: {c['surface']}; color: {c['text']}; border: 2px solid {c['border']}; }}
""" + theme.arrow_rules(c["text"], c["disabled_text"])


def _palette(c: dict) -> QPalette:
    pal = QPalette(QApplication.palette())
    for role, key in ((QPalette.Window, "bg"), (QPalette.WindowText, "text"),
                      (QPalette.Base, "surface"), (QPalette.AlternateBase, "header"),
                      (QPalette.Text, "text"), (QPalette.Button, "surface"),
                      (QPalette.ButtonText, "text"), (QPalette.Highlight, "accent"),
                      (QPalette.PlaceholderText, "muted")):
        pal.setColor(role, QColor(c[key]))
    return pal


def apply_look(app: QApplication, root: QWidget, pt: float, dark: bool | None) -> None:
    """Presentation look (``dark`` True/False) or just a zoomed normal look (``dark`` None)."""
    _remember_palette(app)
    colours = None if dark is None else (DARK if dark else LIGHT)
    font = QFont(app.font())
    font.setFamilies(ui_families(font))
    font.setPointSizeF(pt)
    # each of these re-polishes every widget (seconds with the whole window): only when it
    # changes; widgets made later (a language switch's new pages) take them up themselves
    if app.font() != font:
        app.setFont(font)
    palette = _palette(colours) if colours else app.property("studio_palette")
    if app.palette() != palette:
        app.setPalette(palette)
    sheet = theme.STYLESHEET + stylesheet(pt, colours)
    if app.styleSheet() != sheet:
        app.setStyleSheet(sheet)
    style_plots(root, PEN_SCALE if colours else 1.0, colours,
                font_scale=pt / theme.BASE_POINT_SIZE)
    style_canvases(root, PRESENTATION_PEN_SCALE if colours else 1.0,
                   PRESENTATION_TEXT_SCALE if colours else 1.0)
    show_findings_inline(root, colours is not None)


def show_findings_inline(root: QWidget, presenting: bool) -> None:
    """While presenting, the doctor's dock is hidden: the step pages' findings strips show
    the findings and their Fix buttons instead (studio/ui/common/doctor_panel.py)."""
    for strip in root.findChildren(FindingsStrip):
        strip.set_presenting(presenting)


def reset_look(app: QApplication, root: QWidget) -> None:
    apply_look(app, root, theme.BASE_POINT_SIZE, None)
    if app.styleSheet() != theme.STYLESHEET:
        app.setStyleSheet(theme.STYLESHEET)


def _remember_palette(app: QApplication) -> None:
    if app.property("studio_palette") is None:
        app.setProperty("studio_palette", QPalette(app.palette()))


def style_canvases(root: QWidget, pen_scale: float, text_scale: float = 1.0) -> None:
    """Thicker connection lines and neuron outlines, and larger labels, on every network
    canvas under ``root``; a view showing the whole drawing fits it again."""
    for view in root.findChildren(QGraphicsView):
        scene = view.scene()
        if scene is not None and hasattr(scene, "set_pen_scale"):
            scene.set_pen_scale(pen_scale)
        if scene is not None and hasattr(scene, "set_text_scale"):
            before = scene.text_scale
            scene.set_text_scale(text_scale)
            if scene.text_scale != before and hasattr(view, "refit"):
                view.refit()


def _points(size: object, default: float) -> float:
    """``"10pt"`` -> 10.0 (what pyqtgraph takes as a CSS size)."""
    try:
        return float(str(size).strip().removesuffix("pt"))
    except ValueError:
        return default


def scale_plot_text(plot, font_scale: float, colours: dict | None = None) -> None:
    """Axis ticks and labels, the title and the legend of one PlotWidget at ``font_scale``
    times the sizes they were made with (remembered on first use, so scaling is undone by
    ``font_scale`` 1); with the dark theme's ``colours``, a title and legend that read on it."""
    plot._studio_font_scale = font_scale
    dark = colours is DARK
    plot._studio_fg = QColor(colours["plot_fg"]) if dark else None
    item = plot.getPlotItem()
    for name in ("left", "bottom"):
        ax = item.getAxis(name)
        tick = ax.style.get("tickFont")
        if tick is not None:          # None: the widget's font, which follows the app's
            if not hasattr(ax, "_studio_tick_pt"):
                ax._studio_tick_pt = tick.pointSizeF()
            font = QFont(tick)
            font.setPointSizeF(round(ax._studio_tick_pt * font_scale, 1))
            ax.setTickFont(font)
        size = ax.labelStyle.get("font-size") if ax.labelStyle else None
        if size is not None:
            if not hasattr(ax, "_studio_label_pt"):
                ax._studio_label_pt = _points(size, 10.0)
            ax.labelStyle = {**ax.labelStyle,
                             "font-size": f"{ax._studio_label_pt * font_scale:.1f}pt"}
            ax._updateLabel()
    title = item.titleLabel
    retitle = getattr(plot, "_studio_retitle", None)     # a plot that sizes its own title
    if retitle is not None:
        retitle()
    elif title is not None and title.text:
        if not hasattr(title, "_studio_pt"):
            title._studio_pt = _points(title.opts.get("size"), 11.0)
            title._studio_colour = title.opts.get("color")
        colour = plot._studio_fg if dark else title._studio_colour
        title.setText(title.text, size=f"{title._studio_pt * font_scale:.1f}pt",
                      **({"color": colour} if colour is not None else {}))
    # room on the right for half of the last x tick's label, which large text would overhang
    if not hasattr(item, "_studio_margins"):
        item._studio_margins = tuple(item.layout.getContentsMargins())
    left, top, right, bottom = item._studio_margins
    tick = item.getAxis("bottom").style.get("tickFont")
    if font_scale != 1.0 and tick is not None:
        right = max(right, QFontMetrics(tick).horizontalAdvance("000") / 2)
    item.layout.setContentsMargins(left, top, right, bottom)
    legend = item.legend
    if legend is not None:          # a little larger only: legends sit on the curves
        if not hasattr(legend, "_studio_pt"):
            legend._studio_pt = _points(legend.opts.get("labelTextSize"), 9.0)
            legend._studio_look = (legend.opts.get("brush"), legend.opts.get("labelTextColor"))
        brush, text_colour = legend._studio_look
        if dark:
            brush, text_colour = QColor(colours["surface"]), plot._studio_fg
        legend.setBrush(brush)
        if text_colour is not None:
            legend.setLabelTextColor(text_colour)
        size = legend._studio_pt * min(font_scale, LEGEND_SCALE_MAX)
        legend.setLabelTextSize(f"{size:.1f}pt")
        for _sample, label in legend.items:
            label.setText(label.text)
        legend.updateSize()


def style_plots(root: QWidget, pen_scale: float, colours: dict | None,
                font_scale: float = 1.0) -> None:
    """Widen every pyqtgraph curve under ``root`` to ``pen_scale`` times its own width, scale
    the plot text by ``font_scale`` (the application font over the normal one), and recolour
    the plot backgrounds for the dark theme (the light one keeps white)."""
    try:
        import pyqtgraph as pg
    except ImportError:     # pragma: no cover - pyqtgraph is a dependency
        return
    global _look
    _look = (pen_scale, colours, font_scale)
    for plot in root.findChildren(pg.PlotWidget):
        style_plot(plot, pen_scale, colours, font_scale)


#: The look applied last: (pen scale, colours, font scale), for plots made afterwards.
_look: tuple[float, dict | None, float] = (1.0, None, 1.0)


def style_new_plot(plot) -> None:
    """Give a PlotWidget made after the look was applied (a metric's curves appearing during a
    run in presentation mode) the same look as the others."""
    if _look != (1.0, None, 1.0):
        style_plot(plot, *_look)


def style_plot(plot, pen_scale: float, colours: dict | None, font_scale: float) -> None:
    """One PlotWidget's part of :func:`style_plots`."""
    import pyqtgraph as pg

    if not hasattr(plot, "_studio_bg"):
        plot._studio_bg = plot.backgroundBrush().color()
    plot.setBackground(QColor(colours["surface"]) if colours and colours is DARK
                       else plot._studio_bg)
    scale_plot_text(plot, font_scale, colours)
    item = plot.getPlotItem()
    for axis in ("left", "bottom"):
        ax = item.getAxis(axis)
        fg = QColor(colours["plot_fg"]) if colours else QColor(theme.MUTED)
        ax.setTextPen(fg)
        ax.setPen(fg)
    for data in item.listDataItems():
        pen = getattr(data, "opts", {}).get("pen")
        if pen is None or not hasattr(data, "setPen"):     # bars keep their outline
            continue
        pen = QPen(pg.mkPen(pen))
        if not hasattr(data, "_studio_width"):
            data._studio_width = pen.widthF() or 1.0
        pen.setWidthF(data._studio_width * pen_scale)
        data.setPen(pen)
