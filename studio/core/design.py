"""The network design: an ordered list of layers, with shapes and parameter counts.

A design is what the canvas draws and edits and what :mod:`studio.core.build` turns into a
``keras.Sequential``. The first layer is always the input (its width comes from the
preprocessing); the last is the output ``Dense`` set by the task. Parameter counts are inferred
here without importing Keras, and equal what ``model.summary()`` reports (a test checks it).
"""

from __future__ import annotations

import itertools
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from studio.core.errors import ProjectError
from studio.core.i18n import _

LAYER_KINDS = ("input", "dense", "dropout", "batchnorm")
ACTIVATIONS = ("relu", "linear", "sigmoid", "softmax", "tanh", "elu", "selu", "gelu", "swish",
               "leaky_relu")
INITIALIZERS = ("glorot_uniform", "glorot_normal", "he_uniform", "he_normal", "lecun_normal",
                "random_normal", "zeros")
TASKS = ("regression", "binary", "multiclass")
#: Below this many training rows, defaults favour a smaller network that learns faster.
SMALL_DATA_ROWS = 1000

_ids = itertools.count(1)


#: Activations whose layers start best from He initialisation (variance 2 / fan-in): the
#: ReLU family; SELU wants LeCun normal; the rest (sigmoid, tanh, softmax, linear) Glorot.
_HE_ACTIVATIONS = ("relu", "elu", "gelu", "swish", "leaky_relu")


def initializer_for(activation: str) -> str:
    """The kernel initializer the studio gives a new Dense layer with ``activation``."""
    if activation in _HE_ACTIVATIONS:
        return "he_uniform"
    if activation == "selu":
        return "lecun_normal"
    return "glorot_uniform"


def _new_id() -> str:
    return f"L{next(_ids)}"


@dataclass
class Layer:
    """One layer. Fields that do not apply to a kind are ignored for it."""

    kind: str
    units: int = 0
    activation: str = "relu"
    l1: float = 0.0
    l2: float = 0.0
    initializer: str = "glorot_uniform"
    rate: float = 0.0
    uid: str = field(default_factory=_new_id, compare=False)

    # -- constructors ---------------------------------------------------------------------------
    @classmethod
    def input(cls, units: int) -> Layer:
        return cls(kind="input", units=units, activation="linear")

    @classmethod
    def dense(cls, units: int, activation: str = "relu", **kw: Any) -> Layer:
        """A Dense layer; its initializer follows the activation unless one is given, so a
        layer from the palette starts like the default design's layers."""
        kw.setdefault("initializer", initializer_for(activation))
        return cls(kind="dense", units=units, activation=activation, **kw)

    @classmethod
    def dropout(cls, rate: float = 0.2) -> Layer:
        return cls(kind="dropout", rate=rate, activation="linear")

    @classmethod
    def batchnorm(cls) -> Layer:
        return cls(kind="batchnorm", activation="linear")

    def copy(self) -> Layer:
        """A copy with a fresh uid (for duplicate)."""
        return replace(self, uid=_new_id())

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"kind": self.kind}
        if self.kind in ("input", "dense"):
            d["units"] = self.units
        if self.kind == "dense":
            d.update(activation=self.activation, l1=self.l1, l2=self.l2,
                     initializer=self.initializer)
        if self.kind == "dropout":
            d["rate"] = self.rate
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Layer:
        if not isinstance(d, dict) or d.get("kind") not in LAYER_KINDS:
            raise ProjectError(_("Unknown layer kind: {kind}", kind=repr(
                d.get("kind") if isinstance(d, dict) else d)))
        try:
            return cls(
                kind=d["kind"],
                units=int(d.get("units", 0)),
                activation=str(d.get("activation", "relu" if d["kind"] == "dense" else "linear")),
                l1=float(d.get("l1", 0.0)),
                l2=float(d.get("l2", 0.0)),
                initializer=str(d.get("initializer", "glorot_uniform")),
                rate=float(d.get("rate", 0.0)),
            )
        except (TypeError, ValueError, OverflowError) as exc:
            raise ProjectError(_("A layer has an invalid value: {detail}", detail=exc)) from exc

    def describe(self) -> str:
        """A short label as a teacher writes it under a column."""
        if self.kind == "input":
            return _("Input · {n}", n=self.units)
        if self.kind == "dense":
            return _("Dense {n} · {act}", n=self.units, act=self.activation)
        if self.kind == "dropout":
            return _("Dropout {rate:.0%}", rate=self.rate)
        return _("BatchNormalization")


@dataclass
class LayerShape:
    """Output width and parameter counts of one layer, as Keras reports them."""

    output_units: int
    params: int
    trainable: int
    non_trainable: int


@dataclass
class ParamCount:
    total: int
    trainable: int
    non_trainable: int

    def to_dict(self) -> dict[str, int]:
        return asdict(self)


@dataclass
class Design:
    """An ordered list of layers: input first, output Dense last."""

    layers: list[Layer] = field(default_factory=list)

    # -- structure ------------------------------------------------------------------------------
    @property
    def input(self) -> Layer:
        return self.layers[0]

    @property
    def output(self) -> Layer:
        return self.layers[-1]

    @property
    def hidden(self) -> list[Layer]:
        """Everything between the input and the output."""
        return self.layers[1:-1]

    def index_of(self, uid: str) -> int:
        for i, layer in enumerate(self.layers):
            if layer.uid == uid:
                return i
        raise KeyError(uid)

    def copy(self) -> Design:
        return Design([replace(layer) for layer in self.layers])

    # -- shapes ---------------------------------------------------------------------------------
    def shapes(self) -> list[LayerShape]:
        """Per-layer output width and parameters, equal to Keras (without building it).

        Dense: ``in * units + units`` trainable. BatchNormalization: ``4 * width`` of which
        ``2 * width`` (moving mean and variance) are non-trainable. Input and Dropout: none.
        """
        out: list[LayerShape] = []
        width = 0
        for layer in self.layers:
            if layer.kind == "input":
                width = layer.units
                out.append(LayerShape(width, 0, 0, 0))
            elif layer.kind == "dense":
                p = width * layer.units + layer.units
                width = layer.units
                out.append(LayerShape(width, p, p, 0))
            elif layer.kind == "batchnorm":
                out.append(LayerShape(width, 4 * width, 2 * width, 2 * width))
            else:  # dropout
                out.append(LayerShape(width, 0, 0, 0))
        return out

    def param_count(self) -> ParamCount:
        shapes = self.shapes()
        return ParamCount(
            total=sum(s.params for s in shapes),
            trainable=sum(s.trainable for s in shapes),
            non_trainable=sum(s.non_trainable for s in shapes),
        )

    # -- persistence ----------------------------------------------------------------------------
    def to_list(self) -> list[dict[str, Any]]:
        return [layer.to_dict() for layer in self.layers]

    @classmethod
    def from_list(cls, items: Any) -> Design:
        if not isinstance(items, list) or not items:
            raise ProjectError(_("The design must be a non-empty list of layers."))
        return cls([Layer.from_dict(d) for d in items])


def output_for_task(task: str, n_classes: int) -> Layer:
    """The output layer a task needs: 1 linear, 1 sigmoid, or N softmax units."""
    if task == "regression":
        return Layer.dense(1, "linear")
    if task == "binary":
        return Layer.dense(1, "sigmoid")
    return Layer.dense(max(n_classes, 2), "softmax")


def default_hidden_units(n_inputs: int, n_train_rows: int | None = None) -> list[int]:
    """Hidden widths a careful student would start with: two layers, shrinking.

    Small data gets a smaller network so that there are enough rows per parameter.
    """
    if n_train_rows is not None and n_train_rows < SMALL_DATA_ROWS:
        return [32, 16]
    if n_inputs > 64:
        return [128, 64]
    return [64, 32]


def default_design(n_inputs: int, task: str, n_classes: int = 0,
                   n_train_rows: int | None = None) -> Design:
    """Input -> Dense(relu) [-> Dropout] -> Dense(relu) [-> Dropout] -> output for the task.

    Small data gets a dropout layer after each hidden layer: with a few hundred rows a
    network over-fits quickly, and dropout is the curriculum's first remedy.
    """
    layers = [Layer.input(n_inputs)]
    widths = default_hidden_units(n_inputs, n_train_rows)
    small = n_train_rows is not None and n_train_rows < SMALL_DATA_ROWS
    for units in widths:
        layers.append(Layer.dense(units, "relu"))
        if small:
            layers.append(Layer.dropout(0.2))
    layers.append(output_for_task(task, n_classes))
    return Design(layers)


def with_input_width(design: Design, n_inputs: int) -> Design:
    """The design with its input layer following the data."""
    d = design.copy()
    if d.layers and d.layers[0].kind == "input":
        d.layers[0].units = n_inputs
    else:
        d.layers.insert(0, Layer.input(n_inputs))
    return d
