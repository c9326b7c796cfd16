"""What the design drawing shows, as plain data (no Qt): which neurons of each layer are
drawn, their labels, the input names and the column spacing. The network canvas
(:mod:`studio.ui.design`) paints it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from studio.core.design import Design, Layer, LayerShape
from studio.core.i18n import _

#: A layer with more units than this is drawn collapsed: ``SHOWN_HEAD`` neurons, ⋮, the last.
MAX_SHOWN = 10
SHOWN_HEAD = 8

RADIUS = 13.0
STEP_Y = 38.0
STEP_X = 175.0            # column spacing when the view's shape gives no better choice
MIN_STEP_X, MAX_STEP_X = 150.0, 260.0

@dataclass
class ColumnSpec:
    """One drawn column: which neurons are shown (``None`` is the ellipsis) and its labels."""

    index: int                       # position in design.layers
    kind: str                        # input | dense | output | dropout | batchnorm
    units: int                       # width of the layer's output
    slots: list[int | None]          # neuron numbers drawn, None = ⋮
    label: str
    detail: str                      # output shape and parameters
    crossed: set[int] = field(default_factory=set)   # dropout: slot positions crossed out
    names: list[str] = field(default_factory=list)   # input: one per slot ("" for ⋮)


def visible_slots(units: int, max_shown: int = MAX_SHOWN, head: int = SHOWN_HEAD
                  ) -> list[int | None]:
    """``[0, 1, …, head-1, None, units-1]`` for a large layer; all neurons for a small one."""
    if units <= max_shown:
        return list(range(units))
    return list(range(head)) + [None, units - 1]


def layer_label(layer: Layer, is_output: bool) -> str:
    if is_output and layer.kind == "dense":
        return _("Output · {n} · {act}", n=layer.units, act=layer.activation)
    return layer.describe()


def column_specs(design: Design, input_names: Sequence[str] | None = None,
                 shapes: Sequence[LayerShape] | None = None) -> list[ColumnSpec]:
    """What to draw for each layer (pure: no Qt)."""
    shapes = list(shapes) if shapes is not None else design.shapes()
    specs: list[ColumnSpec] = []
    last = len(design.layers) - 1
    for i, (layer, shape) in enumerate(zip(design.layers, shapes)):
        kind = "output" if (i == last and layer.kind == "dense") else layer.kind
        slots = visible_slots(shape.output_units)
        detail = _("({none}, {n}) · {p:,} params", none="None", n=shape.output_units,
                   p=shape.params)
        spec = ColumnSpec(i, kind, shape.output_units, slots, layer_label(layer, i == last),
                          detail)
        if kind == "dropout":
            circles = [k for k, s in enumerate(slots) if s is not None]
            n_cross = min(len(circles), round(layer.rate * len(circles)))
            if layer.rate > 0 and n_cross == 0 and circles:
                n_cross = 1
            if n_cross:
                stride = len(circles) / n_cross
                spec.crossed = {circles[int(j * stride + stride / 2) % len(circles)]
                                for j in range(n_cross)}
        if kind == "input" and input_names and len(input_names) == shape.output_units:
            spec.names = ["" if s is None else str(input_names[s]) for s in slots]
        specs.append(spec)
    return specs


def input_names(project: Any, dataset: Any, result: Any = None) -> list[str] | None:
    """The input neurons' names: the fitted preprocessing's when a run exists, otherwise the
    feature columns with one-hot columns expanded as ``column=value``."""
    if project is None:
        return None
    fitted = getattr(getattr(result, "prepared", None), "fitted", None)
    if fitted is not None and fitted.columns == project.features:
        return list(fitted.feature_names)
    if dataset is None:
        return None
    names: list[str] = []
    frame = dataset.frame
    for c in project.features:
        if c not in frame.columns:
            return None
        if project.columns[c].encode == "onehot":
            values = sorted({_text(v) for v in frame[c].dropna().unique()})
            names.extend(f"{c}={v}" for v in values or [""])
        else:
            names.append(c)
    return names


def _text(v: Any) -> str:
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def column_step(n_columns: int, max_slots: int, view_width: int, view_height: int) -> float:
    """Column spacing that makes the drawing's shape match the view's (so it fills it)."""
    if n_columns < 2 or view_width < 50 or view_height < 50:
        return STEP_X
    drawing_height = max_slots * STEP_Y + 110          # neurons, then the two label lines
    width = drawing_height * view_width / view_height  # the width that fills the view
    step = (width - 220) / (n_columns - 1)             # input names on the left, margins
    return max(MIN_STEP_X, min(MAX_STEP_X, step))
