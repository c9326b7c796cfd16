"""The network canvas: the design drawn as a teacher draws it, and edited with undo.

``panel.CanvasPanel`` is the Design step's page; ``scene`` draws, ``items`` are its columns,
``commands`` are the undoable edits, ``view`` zooms/pans/accepts drops, ``palette`` and
``inspector`` are the side panels (a row above and a strip under the canvas on a narrow page),
``style`` the clean and sketch looks, ``export`` PNG/SVG.
"""

from studio.ui.canvas.panel import CanvasPanel

__all__ = ["CanvasPanel"]
