"""NetSketch Studio: draw, train and evaluate Keras networks on your own tabular data."""

__version__ = "0.1.0"
