"""Export the diagram: PNG (``grab`` of the scene at 2x) and SVG (the scene painted into a
``QSvgGenerator``; pyqtgraph's SVG exporter is broken on PySide6)."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtSvg import QSvgGenerator

from studio.core.i18n import _


def _source(scene) -> QRectF:
    return scene.itemsBoundingRect().adjusted(-24, -24, 24, 24)


def export_png(scene, path: str, scale: float = 2.0) -> bool:
    src = _source(scene)
    img = QImage(int(src.width() * scale), int(src.height() * scale),
                 QImage.Format.Format_ARGB32)
    img.fill(QColor("white"))
    p = QPainter(img)
    p.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
    scene.render(p, QRectF(0, 0, img.width(), img.height()), src,
                 Qt.AspectRatioMode.KeepAspectRatio)
    p.end()
    return img.save(path)


def export_svg(scene, path: str) -> bool:
    src = _source(scene)
    gen = QSvgGenerator()
    gen.setFileName(path)
    gen.setSize(QSize(int(src.width()), int(src.height())))
    gen.setViewBox(QRectF(0, 0, src.width(), src.height()))
    gen.setTitle(_("Network design"))
    gen.setDescription(_("Drawn by NetSketch Studio"))
    p = QPainter()
    if not p.begin(gen):
        return False
    p.fillRect(QRectF(0, 0, src.width(), src.height()), QColor("white"))
    scene.render(p, QRectF(0, 0, src.width(), src.height()), src,
                 Qt.AspectRatioMode.KeepAspectRatio)
    return p.end()
