"""The plain-data layout of the design drawing (which neurons each column shows), reused by
the network canvas."""

from __future__ import annotations

from studio.core.design import Design, Layer
from studio.ui.design_layout import column_specs


def test_column_specs_are_pure():
    specs = column_specs(Design([Layer.input(2), Layer.dense(20), Layer.dense(1, "linear")]),
                         input_names=["a", "b"])
    assert [s.kind for s in specs] == ["input", "dense", "output"]
    assert specs[0].names == ["a", "b"]
    assert specs[1].slots == list(range(8)) + [None, 19]
    assert specs[2].label == "Output · 1 · linear"
