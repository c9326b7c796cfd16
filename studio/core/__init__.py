"""The Qt-free core of NetSketch Studio.

Data flows one way: CSV -> ``data`` (read, profile) -> ``prep`` (scikit-learn pipeline, split)
-> ``design`` (layers, shapes, parameter counts) -> ``doctor`` (findings) -> ``build`` (Keras
model) -> ``train`` (fit with hooks) -> ``evaluate`` (metrics, curves). Nothing in this package
imports Qt or pyqtgraph; ``tests/core/test_no_qt.py`` enforces it. TensorFlow is imported lazily,
only by ``build``, ``train`` and the functions that need it, so that the GUI can show its window
before the slow import.
"""
