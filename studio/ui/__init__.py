"""The PySide6 + pyqtgraph front end. Widgets only show and edit; numbers come from core."""
