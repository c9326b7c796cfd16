"""The Design step: the network canvas edited with undo, its side panels, its looks and
exports, and the Keras code it stands for.

``panel.CanvasPanel`` is the page; ``scene`` draws, ``items`` are its columns, ``commands`` are the
undoable edits, ``view`` zooms/pans/accepts drops, ``palette`` and ``inspector`` are the side
panels, ``style`` the clean and sketch looks, ``export`` PNG/SVG, ``layout`` what is drawn (no
Qt), ``code_view`` the live Keras code."""
