"""The studio's look: a clean light theme, readable fonts, severity colours and icons.

One place for colours and spacing, so panels never hard-code them. Icons are drawn here with
QPainter (no image files to ship or to get blurry on high-DPI screens).
"""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QIcon,
    QPainter,
    QPainterPath,
    QPalette,
    QPen,
    QPixmap,
)
from PySide6.QtWidgets import QApplication, QLabel, QWidget

BASE_POINT_SIZE = 10.5
SPACING = 8          # between related controls
MARGIN = 16          # around a page

# Colours (Tailwind-like neutrals with one blue accent).
BG = "#f5f6f8"
SURFACE = "#ffffff"
BORDER = "#d8dde4"
TEXT = "#1f2937"
MUTED = "#6b7280"
ACCENT = "#2563eb"
ACCENT_SOFT = "#e8effd"
TARGET_TINT = "#fff7e0"
SEVERITY_COLOURS = {"error": "#dc2626", "warning": "#d97706", "info": "#2563eb"}
SEVERITY_SOFT = {"error": "#fdecec", "warning": "#fdf3e3", "info": "#e8effd"}
PLOT_PEN = "#2563eb"
PLOT_BRUSH = (37, 99, 235, 150)
PLOT_TARGET_BRUSH = (217, 119, 6, 170)

_ARROW_SVG = ('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="6" '
              'viewBox="0 0 10 6"><path d="{path}" fill="{colour}"/></svg>')
_arrow_dir: str | None = None


def _arrow_file(direction: str, colour: str) -> str:
    """A small SVG triangle in ``colour``, written once per process to a temporary folder
    (stylesheets take images by path only); its path with forward slashes."""
    global _arrow_dir
    import atexit
    import shutil
    import tempfile
    from pathlib import Path

    if _arrow_dir is None:
        _arrow_dir = tempfile.mkdtemp(prefix="netsketch-arrows-")
        atexit.register(shutil.rmtree, _arrow_dir, True)
    path = Path(_arrow_dir) / f"{direction}-{colour.lstrip('#')}.svg"
    if not path.exists():
        shape = "M0 0 L10 0 L5 6 Z" if direction == "down" else "M0 6 L10 6 L5 0 Z"
        path.write_text(_ARROW_SVG.format(path=shape, colour=colour), encoding="utf-8")
    return path.as_posix()


def arrow_rules(colour: str, disabled: str = "#b0b6bf") -> str:
    """The combo-box and spin-box arrows as images in ``colour``: Qt's native arrows vanish
    once a stylesheet gives the box a border or background (presentation mode's do)."""
    down, up = _arrow_file("down", colour), _arrow_file("up", colour)
    down_off, up_off = _arrow_file("down", disabled), _arrow_file("up", disabled)
    size = "width: 10px; height: 6px;"
    return (f"QComboBox::down-arrow, QAbstractSpinBox::down-arrow {{ image: url({down}); "
            f"{size} }}\n"
            f"QAbstractSpinBox::up-arrow {{ image: url({up}); {size} }}\n"
            f"QComboBox::down-arrow:disabled, QAbstractSpinBox::down-arrow:disabled, "
            f"QAbstractSpinBox::down-arrow:off {{ image: url({down_off}); }}\n"
            f"QAbstractSpinBox::up-arrow:disabled, QAbstractSpinBox::up-arrow:off "
            f"{{ image: url({up_off}); }}\n")


ARROWS = arrow_rules(TEXT)

STYLESHEET = f"""
QMainWindow, QDialog {{ background: {BG}; }}
QWidget#page {{ background: {BG}; }}
QLabel[role="h1"] {{ font-size: 17pt; font-weight: 600; color: {TEXT}; }}
QLabel[role="h2"] {{ font-size: 12.5pt; font-weight: 600; color: {TEXT}; }}
QLabel[role="h3"] {{ font-weight: 600; }}
QLabel[role="muted"] {{ color: {MUTED}; }}
QLabel[role="chip"] {{ background: {SURFACE}; border: 1px solid {BORDER}; border-radius: 10px;
                       padding: 2px 10px; color: {TEXT}; }}
QListWidget#stepList {{ background: {SURFACE}; border: none; border-right: 1px solid {BORDER};
                        outline: 0; padding-top: 8px; font-size: 12pt; }}
QListWidget#stepList::item {{ height: 46px; padding-left: 14px; border-left: 4px solid
                              transparent; color: {TEXT}; }}
QListWidget#stepList::item:selected {{ background: {ACCENT_SOFT}; color: {ACCENT};
                                       border-left: 4px solid {ACCENT}; font-weight: 600; }}
QListWidget#stepList::item:hover:!selected {{ background: #f0f2f5; }}
QListWidget#stepList::item:disabled {{ color: #b0b6bf; }}
QGroupBox {{ background: {SURFACE}; border: 1px solid {BORDER}; border-radius: 6px;
             margin-top: 14px; padding: 12px 10px 8px 10px; font-weight: 600; }}
QGroupBox::title {{ subcontrol-origin: margin; left: 10px; padding: 0 4px; color: {TEXT}; }}
QGroupBox QLabel, QGroupBox QCheckBox {{ font-weight: normal; }}
QTableView {{ background: {SURFACE}; border: 1px solid {BORDER}; gridline-color: #eceff3;
              selection-background-color: {ACCENT_SOFT}; selection-color: {TEXT}; }}
QHeaderView::section {{ background: #f0f2f5; border: none; border-right: 1px solid {BORDER};
                        border-bottom: 1px solid {BORDER}; padding: 4px 6px; color: {TEXT};
                        font-weight: 600; }}
QPushButton {{ background: {SURFACE}; border: 1px solid {BORDER}; border-radius: 5px;
               padding: 5px 14px; color: {TEXT}; }}
QPushButton:hover {{ border-color: {ACCENT}; }}
QPushButton:pressed {{ background: {ACCENT_SOFT}; }}
QPushButton:disabled {{ color: #a0a6ae; background: #f3f4f6; }}
QPushButton[role="primary"] {{ background: {ACCENT}; color: white; border-color: {ACCENT};
                               font-weight: 600; }}
QPushButton[role="primary"]:hover {{ background: #1d4ed8; }}
QFrame#card {{ background: {SURFACE}; border: 1px solid {BORDER}; border-radius: 8px; }}
QFrame#card:hover {{ border: 1px solid {ACCENT}; background: #fbfcff; }}
QFrame#banner {{ border-radius: 6px; }}
QPlainTextEdit#compileCode {{ background: #f8fafc; border: 1px solid {BORDER}; border-radius: 6px;
                              padding: 6px; }}
QDockWidget {{ font-weight: 600; }}
QDockWidget::title {{ background: #eef0f3; padding: 6px 8px; border-bottom: 1px solid {BORDER}; }}
QScrollArea {{ border: none; background: transparent; }}
QStatusBar {{ background: {SURFACE}; border-top: 1px solid {BORDER}; }}
QStatusBar QLabel {{ padding: 0 8px; }}
QToolTip {{ background: #111827; color: white; border: none; padding: 6px; }}
""" + f"""
QComboBox, QAbstractSpinBox {{ background: palette(base); color: palette(text);
                               border: 1px solid {BORDER}; border-radius: 4px;
                               padding: 2px 6px; }}
QComboBox {{ padding-right: 22px; }}
QAbstractSpinBox {{ padding-right: 20px; }}
QComboBox:focus, QAbstractSpinBox:focus {{ border-color: {ACCENT}; }}
QComboBox:disabled, QAbstractSpinBox:disabled {{ color: #a0a6ae; background: #f3f4f6; }}
QComboBox::drop-down {{ subcontrol-origin: border; subcontrol-position: center right;
                        width: 20px; border: none; border-left: 1px solid {BORDER}; }}
QAbstractSpinBox::up-button, QAbstractSpinBox::down-button {{
    subcontrol-origin: border; width: 18px; border: none; border-left: 1px solid {BORDER}; }}
QAbstractSpinBox::up-button {{ subcontrol-position: top right; }}
QAbstractSpinBox::down-button {{ subcontrol-position: bottom right; }}
QAbstractSpinBox::up-button:hover, QAbstractSpinBox::down-button:hover,
QComboBox::drop-down:hover {{ background: {ACCENT_SOFT}; }}
{ARROWS}
"""


def apply_theme(app: QApplication) -> None:
    """Fusion style, a light palette, a readable base font and the stylesheet (once: doing it
    again would re-polish every widget)."""
    if app.property("studio_theme"):
        return
    app.setProperty("studio_theme", True)
    app.setStyle("Fusion")
    pal = QPalette()
    pal.setColor(QPalette.Window, QColor(BG))
    pal.setColor(QPalette.WindowText, QColor(TEXT))
    pal.setColor(QPalette.Base, QColor(SURFACE))
    pal.setColor(QPalette.AlternateBase, QColor("#f8f9fb"))
    pal.setColor(QPalette.Text, QColor(TEXT))
    pal.setColor(QPalette.Button, QColor(SURFACE))
    pal.setColor(QPalette.ButtonText, QColor(TEXT))
    pal.setColor(QPalette.Highlight, QColor(ACCENT))
    pal.setColor(QPalette.HighlightedText, QColor("white"))
    pal.setColor(QPalette.ToolTipBase, QColor("#111827"))
    pal.setColor(QPalette.ToolTipText, QColor("white"))
    pal.setColor(QPalette.PlaceholderText, QColor(MUTED))
    pal.setColor(QPalette.Disabled, QPalette.Text, QColor("#a0a6ae"))
    pal.setColor(QPalette.Disabled, QPalette.WindowText, QColor("#a0a6ae"))
    pal.setColor(QPalette.Disabled, QPalette.ButtonText, QColor("#a0a6ae"))
    app.setPalette(pal)
    font = QFont(app.font())
    font.setPointSizeF(max(BASE_POINT_SIZE, font.pointSizeF()))
    from studio.ui.common.fonts import ui_families  # the bundled Korean font as the fallback

    font.setFamilies(ui_families(font))
    app.setFont(font)
    app.setStyleSheet(STYLESHEET)


def label(text: str, role: str | None = None, wrap: bool = False,
          parent: QWidget | None = None) -> QLabel:
    """A QLabel with a theme role: "h1", "h2", "h3" (bold body text: a small chart's
    title), "muted" or "chip"."""
    w = QLabel(text, parent)
    if role:
        w.setProperty("role", role)
    w.setWordWrap(wrap)
    return w


def set_role(widget: QWidget, role: str) -> None:
    """Change a widget's theme role and re-apply the stylesheet to it."""
    widget.setProperty("role", role)
    widget.style().unpolish(widget)
    widget.style().polish(widget)


@cache
def severity_icon(severity: str, size: int = 32) -> QIcon:
    """A round icon for a finding: red "!", amber triangle "!", blue "i"."""
    colour = QColor(SEVERITY_COLOURS.get(severity, MUTED))
    pm = QPixmap(size, size)
    pm.fill(Qt.transparent)
    p = QPainter(pm)
    p.setRenderHint(QPainter.Antialiasing)
    p.setPen(Qt.NoPen)
    p.setBrush(colour)
    s = float(size)
    if severity == "warning":
        path = QPainterPath()
        path.moveTo(QPointF(s / 2, s * 0.06))
        path.lineTo(QPointF(s * 0.97, s * 0.92))
        path.lineTo(QPointF(s * 0.03, s * 0.92))
        path.closeSubpath()
        p.drawPath(path)
        glyph_rect = QRectF(0, s * 0.22, s, s * 0.70)
    else:
        p.drawEllipse(QRectF(s * 0.04, s * 0.04, s * 0.92, s * 0.92))
        glyph_rect = QRectF(0, 0, s, s)
    p.setPen(QPen(QColor("white")))
    f = QFont()
    f.setBold(True)
    f.setPixelSize(int(s * (0.55 if severity != "warning" else 0.5)))
    p.setFont(f)
    p.drawText(glyph_rect, Qt.AlignCenter, "i" if severity == "info" else "!")
    p.end()
    return QIcon(pm)


def worst_severity(severities) -> str | None:
    """The most serious of some severities (error > warning > info), or None."""
    order = ("error", "warning", "info")
    found = set(severities)
    return next((s for s in order if s in found), None)


@cache
def step_icon(number: int, size: int = 28) -> QIcon:
    """A numbered circle for the step list: grey normally, blue when selected."""
    icon = QIcon()
    for mode, colour, fill in ((QIcon.Normal, MUTED, SURFACE), (QIcon.Selected, "white", ACCENT),
                               (QIcon.Disabled, "#c0c5cc", SURFACE)):
        pm = QPixmap(size, size)
        pm.fill(Qt.transparent)
        p = QPainter(pm)
        p.setRenderHint(QPainter.Antialiasing)
        ring = QColor(ACCENT if mode == QIcon.Selected else colour)
        p.setPen(QPen(ring, 1.6))
        p.setBrush(QColor(fill))
        p.drawEllipse(QRectF(1.5, 1.5, size - 3, size - 3))
        f = QFont()
        f.setBold(True)
        f.setPixelSize(int(size * 0.5))
        p.setFont(f)
        p.setPen(QColor(colour))
        p.drawText(QRectF(0, 0, size, size), Qt.AlignCenter, str(number))
        p.end()
        icon.addPixmap(pm, mode)
    return icon


def mono_font(widget: QWidget) -> None:
    """Give ``widget`` (code, reports) the system's fixed-width family but not a size: only
    the family is set on its font, so the size keeps following the page's font (presentation
    mode and its zoom) instead of staying at its first size on a projector."""
    font = QFont()
    font.setFamilies(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont).families())
    font.setStyleHint(QFont.StyleHint.Monospace)
    widget.setFont(font)
