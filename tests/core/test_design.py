"""Shape and parameter inference equals what Keras reports, for several designs."""

import pytest

from studio.core.design import Design, Layer, default_design, output_for_task
from studio.core.settings import CompileSettings

DESIGNS = {
    "plain": [Layer.input(8), Layer.dense(16), Layer.dense(1, "linear")],
    "dropout": [Layer.input(30), Layer.dense(64), Layer.dropout(0.3), Layer.dense(32),
                Layer.dense(1, "sigmoid")],
    "batchnorm": [Layer.input(13), Layer.dense(32), Layer.batchnorm(), Layer.dense(16),
                  Layer.batchnorm(), Layer.dense(3, "softmax")],
    "input-batchnorm": [Layer.input(5), Layer.batchnorm(), Layer.dense(4, l2=0.01),
                        Layer.dense(2, "softmax")],
    "wide": [Layer.input(100), Layer.dense(512), Layer.dense(1024), Layer.dense(10, "softmax")],
    "no-hidden": [Layer.input(4), Layer.dense(3, "softmax")],
}


@pytest.mark.parametrize("name", sorted(DESIGNS))
def test_param_count_equals_keras(name):
    from studio.core.build import build_model, keras_param_count

    design = Design(DESIGNS[name])
    model = build_model(design, CompileSettings(loss="mse", metrics=[]), "regression")
    assert design.param_count().to_dict() == keras_param_count(model)
    # per layer too: Keras layers follow the design after the input
    for layer, shape, klayer in zip(design.layers[1:], design.shapes()[1:], model.layers):
        assert shape.params == klayer.count_params(), layer.kind
        assert klayer.output.shape[-1] == shape.output_units


def test_shapes_by_hand():
    d = Design(DESIGNS["batchnorm"])
    shapes = d.shapes()
    assert [s.output_units for s in shapes] == [13, 32, 32, 16, 16, 3]
    assert shapes[1].params == 13 * 32 + 32
    assert (shapes[2].trainable, shapes[2].non_trainable) == (64, 64)
    assert d.param_count().non_trainable == 2 * 32 + 2 * 16


def test_output_layer_follows_task():
    assert (output_for_task("regression", 0).units, output_for_task("regression", 0).activation) \
        == (1, "linear")
    assert output_for_task("binary", 2).activation == "sigmoid"
    out = output_for_task("multiclass", 5)
    assert (out.units, out.activation) == (5, "softmax")


def test_default_design_and_round_trip():
    d = default_design(12, "multiclass", 4, n_train_rows=5000)
    assert d.input.units == 12 and d.output.units == 4 and d.output.activation == "softmax"
    assert all(layer.kind == "dense" for layer in d.hidden)
    small = default_design(12, "multiclass", 4, n_train_rows=100)
    assert any(layer.kind == "dropout" for layer in small.hidden)
    again = Design.from_list(d.to_list())
    assert again.to_list() == d.to_list()
    assert again.param_count() == d.param_count()


def test_a_new_dense_layer_gets_the_initializer_of_its_activation():
    """A Dense layer from the palette starts like the default design's ReLU layers."""
    from studio.core.design import Layer, default_design, initializer_for

    hidden = [layer for layer in default_design(4, "binary").layers[1:-1]
              if layer.kind == "dense"]
    assert {layer.initializer for layer in hidden} == {"he_uniform"}
    assert Layer.dense(8, "relu").initializer == "he_uniform"
    assert Layer.dense(8, "tanh").initializer == "glorot_uniform"
    assert Layer.dense(8, "selu").initializer == "lecun_normal"
    assert Layer.dense(8, "relu", initializer="zeros").initializer == "zeros"
    assert initializer_for("softmax") == "glorot_uniform"
