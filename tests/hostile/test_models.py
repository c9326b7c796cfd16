"""Crafted ``.keras`` archives against the model guard (studio.core.model_guard).

Each case writes an archive with :mod:`zipfile` (and, where needed, a weights file with
h5py): no 10^9-unit model is ever built, its ``config.json`` is written by hand. ``error-``
cases must be refused with a specific message *before* Keras builds anything; ``ok-`` cases
must pass the guard (and the real ones load with Keras).
"""

from __future__ import annotations

import copy
import io
import json
import zipfile

import h5py
import numpy as np
import pytest

from studio.core import model_guard
from studio.core.errors import StudioError
from studio.core.model_guard import check_model_archive, summarise_config

STORED, DEFLATED = zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED


def layer(cls: str, build: int | None = None, **config) -> dict:
    """A layer as Keras 3 serialises it."""
    d = {"module": "keras.layers", "class_name": cls, "config": {"name": cls.lower(),
                                                                  **config},
         "registered_name": None}
    if build is not None:
        d["build_config"] = {"input_shape": [None, build]}
    return d


def config(n_inputs: int = 4, *layers: dict) -> dict:
    layers = layers or (layer("Dense", 4, units=8, activation="relu"),
                        layer("Dense", 8, units=3, activation="softmax"))
    return {"module": "keras", "class_name": "Sequential", "registered_name": None,
            "config": {"name": "netsketch",
                       "layers": [layer("InputLayer", batch_shape=[None, n_inputs]), *layers],
                       "build_input_shape": [None, n_inputs]},
            "build_config": {"input_shape": [None, n_inputs]}}


def weights(arrays: dict[str, tuple] | None = None, compression: str | None = None) -> bytes:
    """An HDF5 weights file with arrays of the given shapes (declared, mostly unwritten)."""
    buf = io.BytesIO()
    with h5py.File(buf, "w") as f:
        for key, shape in (arrays or {"layers/dense/vars/0": (4, 8)}).items():
            f.create_dataset(key, shape=shape, dtype="float32", compression=compression,
                             chunks=True if compression else None)
    return buf.getvalue()


SMALL_WEIGHTS = weights()


def archive(path, members: list[tuple[str, bytes | str]], compression=STORED):
    with zipfile.ZipFile(path, "w", compression=compression) as zf:
        for name, data in members:
            info = zipfile.ZipInfo(name)
            info.compress_type = compression
            zf.writestr(info, data)
    return path


def model_members(cfg=None, weights_bytes: bytes = SMALL_WEIGHTS, metadata=True):
    members = [("config.json", json.dumps(cfg if cfg is not None else config()))]
    if metadata:
        members.insert(0, ("metadata.json", '{"keras_version": "3.15.1"}'))
    members.append(("model.weights.h5", weights_bytes))
    return members


def with_layers(*layers):
    return config(4, *layers)


def _deep(n: int) -> str:
    return "[" * n + "]" * n


def _write(path, data: bytes):
    path.write_bytes(data)
    return path


def _flip(path, marker: bytes):
    """One bit changed inside a stored member (after ``marker``): its checksum is wrong."""
    raw = bytearray(path.read_bytes())
    raw[raw.find(marker) + 1] ^= 0x20
    return _write(path, bytes(raw))


def _encrypted(path):
    """Every entry marked encrypted (zipfile cannot write such entries itself)."""
    raw = bytearray(path.read_bytes())
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = raw.find(signature)
        while at >= 0:
            raw[at + offset] |= 0x1
            at = raw.find(signature, at + 4)
    return _write(path, bytes(raw))


ERROR_CASES = [
    # -- the archive -----------------------------------------------------------------------
    ("error-not-a-zip", lambda p: _write(p, b"not a zip at all"), "not a zip archive"),
    ("error-empty-file", lambda p: _write(p, b""), "not a zip archive"),
    ("error-truncated-zip", lambda p: _write(p, archive(p, model_members()).read_bytes()[:300]),
     "not a zip archive"),
    ("error-extra-member", lambda p: archive(p, model_members() + [("evil.py", "x")]),
     "'evil.py' is not part of a Keras model file"),
    ("error-absolute-path", lambda p: archive(p, model_members() + [("/etc/passwd", "x")]),
     "points outside the archive"),
    ("error-dotdot-path", lambda p: archive(p, [("../config.json", "{}")] + model_members()),
     "points outside the archive"),
    ("error-windows-drive", lambda p: archive(p, [("C:/x", "{}")] + model_members()),
     "points outside the archive"),
    ("error-folder-entry", lambda p: archive(p, [("assets/", "")] + model_members()),
     "'assets/' is not part of a Keras model file"),
    ("error-repeated-config", lambda p: archive(p, model_members() + [("config.json", "{}")]),
     "'config.json' appears more than once"),
    ("error-too-many-entries",
     lambda p: archive(p, [("config.json", "{}")] * 7 + model_members()), "it has 10 entries"),
    ("error-no-config", lambda p: archive(p, model_members()[2:]), "it has no config.json"),
    ("error-no-weights", lambda p: archive(p, model_members()[:2]), "no model.weights.h5"),
    ("error-encrypted", lambda p: _encrypted(archive(p, model_members())), "is encrypted"),
    ("error-bad-checksum-config", lambda p: _flip(archive(p, model_members()), b'"netsketch"'),
     "is damaged and cannot be read (Bad CRC-32"),
    ("error-bad-checksum-weights", lambda p: _flip(archive(p, model_members()), b"TREE"),
     "'model.weights.h5' does not match its checksum"),
    ("error-zip-bomb-weights",
     lambda p: archive(p, model_members(weights_bytes=bytes(20 * 2**20)), DEFLATED),
     "would inflate"),
    ("error-zip-bomb-config",
     lambda p: archive(p, [("config.json", json.dumps(config()) + " " * (8 * 2**20)),
                           ("model.weights.h5", SMALL_WEIGHTS)], DEFLATED), "would inflate"),
    ("error-config-too-large",
     lambda p: archive(p, [("config.json", " " * (17 * 2**20))] + model_members()[2:]),
     "a Keras model's is at most"),
    ("error-weights-too-large-for-the-config",
     lambda p: archive(p, model_members(weights_bytes=np.random.default_rng(0).bytes(
         3 * 2**20))), "far more than its 67 parameters need"),
    ("error-weights-declare-gigabytes",
     lambda p: archive(p, model_members(weights_bytes=weights(
         {"layers/dense/vars/0": (10**9,)}, compression="gzip"))),
     "declares arrays of 3,814.7 MB"),
    ("error-weights-not-hdf5",
     lambda p: archive(p, model_members(weights_bytes=b"\x89HDF garbage" * 100)),
     "its weights file cannot be read"),
    # -- config.json ------------------------------------------------------------------------
    ("error-config-not-json", lambda p: archive(p, [("config.json", "{nope")] +
                                                model_members()[2:]), "is not valid JSON"),
    ("error-config-not-utf8", lambda p: archive(p, [("config.json", b"\xff\xfe{}")] +
                                                model_members()[2:]), "is not UTF-8"),
    ("error-config-deep", lambda p: archive(p, [("config.json", _deep(200))] +
                                            model_members()[2:]), "nested more than"),
    ("error-config-nan", lambda p: archive(p, [("config.json", '{"x": NaN}')] +
                                           model_members()[2:]), "contains NaN"),
    ("error-metadata-not-json", lambda p: archive(p, [("metadata.json", "{")] +
                                                  model_members()[1:]), "is not valid JSON"),
    ("error-metadata-too-large", lambda p: archive(p, [("metadata.json", " " * 70_000)] +
                                                   model_members()[1:]), "at most 64 KB"),
]

CONFIG_ERRORS = [
    ("error-dense-10e9-units", with_layers(layer("Dense", 4, units=10**9)),
     "more than 50,000,000 parameters by layer 2 (Dense, 1,000,000,000 wide)"),
    ("error-params-add-up-over-the-limit",
     config(3000, *[layer("Dense", 3000, units=3000) for _ in range(6)]),
     "more than 50,000,000 parameters by layer 7 (Dense, 3,000 wide)"),
    ("error-units-float", with_layers(layer("Dense", 4, units=8.0)), "not a whole number"),
    ("error-units-text", with_layers(layer("Dense", 4, units="8")), "not a whole number"),
    ("error-units-bool", with_layers(layer("Dense", 4, units=True)), "not a whole number"),
    ("error-units-zero", with_layers(layer("Dense", 4, units=0)), "widths from 1 to"),
    ("error-units-negative", with_layers(layer("Dense", 4, units=-5)), "widths from 1 to"),
    ("error-units-missing", with_layers(layer("Dense", 4)), "None, not a whole number"),
    ("error-lambda", with_layers(layer("Lambda", function="x")), "Lambda layer or custom"),
    ("error-custom-registered", with_layers(dict(layer("Dense", 4, units=2),
                                                 registered_name="evil>Dense")),
     "Lambda layer or custom"),
    ("error-module-os", with_layers(dict(layer("Dense", 4, units=2), module="os")),
     "Lambda layer or custom"),
    ("error-module-nested", with_layers(layer("Dense", 4, units=2, kernel_initializer={
        "module": "subprocess", "class_name": "Popen", "config": {}})),
     "Lambda layer or custom"),
    ("error-embedding", with_layers(layer("Embedding", input_dim=10**9, output_dim=64)),
     "'Embedding', which the studio does not make"),
    ("error-conv", with_layers(layer("Conv2D", filters=8)), "'Conv2D', which the studio"),
    ("error-class-missing", with_layers({"config": {}}), "None, which the studio"),
    ("error-layer-not-object", with_layers(["Dense", 8]), "is not described as an object"),
    ("error-functional", dict(config(), class_name="Functional"),
     "not a plain stack of layers"),
    ("error-top-not-object", [config()], "not a plain stack of layers"),
    ("error-no-layers", dict(config(), config={"layers": []}), "lists no layers"),
    ("error-layers-not-list", dict(config(), config={"layers": {"a": 1}}), "lists no layers"),
    ("error-too-many-layers", with_layers(*[layer("Dropout", rate=0.1)] * 1000),
     "1,001 layers"),
    ("error-input-3d", dict(config(), config=dict(config()["config"], layers=[
        layer("InputLayer", batch_shape=[None, 100, 100]), layer("Dense", units=2)])),
     "shaped [null, n]"),
    ("error-input-huge", config(10**12, layer("Dropout", rate=0.1)), "widths from 1 to"),
    ("error-input-batch-fixed", dict(config(), config=dict(config()["config"], layers=[
        layer("InputLayer", batch_shape=[32, 4]), layer("Dense", units=2)])),
     "shaped [null, n]"),
    ("error-dense-built-wider", with_layers(layer("Dense", 10**6, units=8)),
     "layer 2 (Dense) is built for 1000000 inputs but the layer before it gives 4"),
    ("error-model-built-wider", dict(config(), build_config={"input_shape": [None, 10**6]}),
     "built for 1000000 inputs but its input layer takes 4"),
    ("error-no-input-width", {"class_name": "Sequential", "config": {
        "layers": [layer("Dense", units=2)]}}, "does not say how many inputs"),
    ("error-second-input", with_layers(layer("InputLayer", batch_shape=[None, 4])),
     "second input layer"),
    ("error-batchnorm-axis", with_layers(layer("BatchNormalization", 4, axis=0)),
     "another axis"),
]

OK_CONFIGS = [
    ("ok-plain", config(), 67),
    ("ok-all-studio-layers", with_layers(
        layer("Dense", 4, units=8), layer("Dropout", rate=0.2),
        layer("BatchNormalization", 8), layer("GaussianNoise", stddev=0.1),
        layer("Activation", activation="relu"), layer("Dense", 8, units=1)), 40 + 32 + 9),
    ("ok-no-bias", with_layers(layer("Dense", 4, units=8, use_bias=False)), 32),
    ("ok-no-input-layer", {"class_name": "Sequential", "config": {
        "layers": [layer("Dense", 4, units=2)], "build_input_shape": [None, 4]}}, 10),
    ("ok-old-batch-input-shape", {"class_name": "Sequential", "config": {"layers": [
        {"class_name": "InputLayer", "config": {"batch_input_shape": [None, 5]}},
        layer("Dense", units=1)]}}, 6),
    ("ok-at-the-limit", config(1000, layer("Dense", 1000, units=49_950)), 49_999_950),
    ("ok-many-small-layers", with_layers(*[layer("Dropout", rate=0.1)] * 999), 0),
]


@pytest.mark.filterwarnings("ignore:Duplicate name")      # the repeated entries, on purpose
@pytest.mark.parametrize("case_id, make, fragment", ERROR_CASES,
                         ids=[c[0] for c in ERROR_CASES])
def test_crafted_archives_are_refused(tmp_path, case_id, make, fragment):
    path = make(tmp_path / "model.keras")
    with pytest.raises(StudioError) as err:
        check_model_archive(path)
    assert fragment in str(err.value)


@pytest.mark.parametrize("case_id, cfg, fragment", CONFIG_ERRORS,
                         ids=[c[0] for c in CONFIG_ERRORS])
def test_crafted_configs_are_refused_before_building(tmp_path, case_id, cfg, fragment):
    with pytest.raises(StudioError) as err:
        summarise_config(copy.deepcopy(cfg), "model.keras")
    assert fragment in str(err.value)
    path = archive(tmp_path / "model.keras", model_members(cfg))   # the same, as a file
    with pytest.raises(StudioError, match=r"model\.keras"):
        check_model_archive(path)


@pytest.mark.parametrize("case_id, cfg, params", OK_CONFIGS, ids=[c[0] for c in OK_CONFIGS])
def test_studio_sized_configs_pass(case_id, cfg, params):
    assert summarise_config(cfg, "model.keras").params == params


@pytest.fixture(scope="module")
def keras_model_file(tmp_path_factory):
    """A real Keras save with every layer class the guard allows (not trained: quick)."""
    from studio.core import build

    build.configure()
    import keras

    model = keras.Sequential([
        keras.Input(shape=(4,), name="input"), keras.layers.Dense(8, activation="relu"),
        keras.layers.Dropout(0.2), keras.layers.BatchNormalization(),
        keras.layers.GaussianNoise(0.1), keras.layers.Activation("relu"),
        keras.layers.Dense(3, activation="softmax")])
    path = tmp_path_factory.mktemp("keras") / "model.keras"
    model.save(path)
    return path


def test_ok_a_real_keras_file_passes_and_loads(keras_model_file):
    from studio.core.predict import load_keras_model

    summary = check_model_archive(keras_model_file)
    assert (summary.n_inputs, summary.n_outputs, summary.params) == (4, 3, 99)
    model = load_keras_model(keras_model_file)
    assert int(model.count_params()) == summary.params


def test_ok_a_real_keras_file_rezipped_with_compression_loads(keras_model_file, tmp_path):
    from studio.core.predict import load_keras_model

    with zipfile.ZipFile(keras_model_file) as zf:
        members = [(i.filename, zf.read(i)) for i in zf.infolist()]
    path = archive(tmp_path / "model.keras", members, DEFLATED)
    assert check_model_archive(path).params == 99
    assert load_keras_model(path).output_shape[-1] == 3


def test_ok_a_weights_file_of_the_right_size_passes(tmp_path):
    arrays = {"layers/dense/vars/0": (4, 8), "layers/dense/vars/1": (8,),
              "layers/dense_1/vars/0": (8, 3), "layers/dense_1/vars/1": (3,),
              **{f"optimizer/vars/{i}": (4, 8) for i in range(4)}}
    path = archive(tmp_path / "model.keras", model_members(weights_bytes=weights(arrays)))
    assert check_model_archive(path).params == 67


def test_a_huge_model_is_refused_before_keras_sees_it(tmp_path, monkeypatch):
    """Before: Keras built the 10^9-unit layer and the kernel killed the process (23 GB)."""
    import keras

    from studio.core.predict import load_keras_model

    def never(*args, **kwargs):
        raise AssertionError("Keras was asked to load a model the guard should refuse")

    monkeypatch.setattr(keras.models, "load_model", never)
    path = archive(tmp_path / "model.keras",
                   model_members(with_layers(layer("Dense", 4, units=10**9))))
    with pytest.raises(StudioError, match="more than 50,000,000 parameters"):
        load_keras_model(path)


def test_the_parameter_limit_is_the_doctors():
    from studio.core.doctor import MAX_PARAMS

    assert model_guard.MAX_PARAMS == MAX_PARAMS
    cfg = config(1000, layer("Dense", 1000, units=49_950))
    with pytest.raises(StudioError, match="more than 1,000 parameters by layer 2"):
        summarise_config(cfg, "m.keras", max_params=1000)
