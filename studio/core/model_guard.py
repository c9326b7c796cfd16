"""Checking a ``.keras`` model archive before Keras builds anything from it.

``keras.models.load_model(..., safe_mode=True)`` refuses Lambda layers and custom code, but it
trusts the sizes: a config that asks for a Dense layer of 10^9 units is built (and its weights
allocated) before anything fails, and a small archive whose ``model.weights.h5`` inflates to
gigabytes is read whole. :func:`check_model_archive` therefore opens the zip itself first and
refuses, each with a specific message:

* members other than ``config.json``, ``metadata.json`` and ``model.weights.h5`` (absolute
  paths, ``..``, folders, repeated names, encrypted entries);
* members larger than their limits, or compressed suspiciously well (a "zip bomb");
* a ``config.json`` that is not valid JSON within :mod:`studio.core.jsondoc`'s limits, that is
  not a plain stack of layers (``Sequential``), that names a layer the studio does not make, or
  an object from outside Keras (``module``), or whose widths do not follow from layer to layer;
* more parameters than :data:`MAX_PARAMS`: the design doctor's own limit, so every network the
  studio can train passes, and nothing larger is ever built;
* weights whose declared arrays (inside the HDF5 file, which can compress them again) hold
  more numbers than that parameter count explains.

Only then is the model loaded, with ``safe_mode=True`` as before.
"""

from __future__ import annotations

import os
import stat
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from studio.core import jsondoc
from studio.core.doctor import MAX_PARAMS
from studio.core.errors import StudioError
from studio.core.i18n import _

CONFIG = "config.json"
METADATA = "metadata.json"
WEIGHTS = "model.weights.h5"
#: What Keras writes into a ``.keras`` file for the studio's networks; nothing else is read.
MEMBERS = (CONFIG, METADATA, WEIGHTS)
#: A studio config takes about 1 KB per layer; far more is not one of its networks.
MAX_CONFIG_BYTES = 16 * 1024 * 1024
MAX_METADATA_BYTES = 64 * 1024
#: The most layers in a network: the canvas makes a handful; thousands are not a design.
MAX_LAYERS = 1000
#: The widest input or layer (a one-hot table of this many inputs is not a student's table).
MAX_WIDTH = 10_000_000
#: Bytes the weights file may hold per parameter: float64 weights plus two optimizer slots
#: (Adam) take 24; the rest is margin.
BYTES_PER_PARAM = 32
#: HDF5's own bookkeeping: about 1 KB per array, a few per layer, and the file header.
WEIGHTS_OVERHEAD = 1024 * 1024
OVERHEAD_PER_LAYER = 64 * 1024
#: A member larger than this that inflates more than :data:`MAX_RATIO` times is refused: Keras
#: stores its members uncompressed and trained weights barely compress.
RATIO_MIN_BYTES = 1024 * 1024
MAX_RATIO = 100

#: The layers the studio makes (and the three it may in future): anything else is refused.
LAYERS = ("InputLayer", "Dense", "Dropout", "BatchNormalization", "GaussianNoise",
          "Activation")
_SHAPE_PRESERVING = ("Dropout", "GaussianNoise", "Activation")
_CUSTOM_HINTS = ("Lambda", "TFOpLambda", "SlicingOpLambda")


@dataclass
class ModelSummary:
    """What the archive's config says, checked: widths, parameters, layer classes."""

    n_inputs: int
    n_outputs: int
    params: int
    layers: list[str] = field(default_factory=list)


def check_model_archive(path: str | os.PathLike, max_params: int = MAX_PARAMS) -> ModelSummary:
    """Check ``path`` (a ``.keras`` zip) as described in the module docstring; returns the
    summary of a model that may be loaded, or raises :class:`StudioError`."""
    path = Path(path)
    name = path.name
    try:
        if not stat.S_ISREG(path.stat().st_mode):
            raise StudioError(_("The model {name} is not a regular file.", name=name))
        zf = zipfile.ZipFile(path)
    except FileNotFoundError:
        raise StudioError(_("There is no model file {path}.", path=str(path))) from None
    except (OSError, zipfile.BadZipFile, zlib.error, EOFError, ValueError) as exc:
        raise StudioError(_("The model {name} is not a Keras model file (not a zip "
                            "archive).", name=name)) from exc
    with zf:
        try:
            return _check_open_archive(zf, name, max_params)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError,
                NotImplementedError, RuntimeError, OSError) as exc:
            raise StudioError(_("The model {name} is damaged and cannot be read ({detail}).",
                                name=name, detail=exc)) from exc


def _check_open_archive(zf: zipfile.ZipFile, name: str, max_params: int) -> ModelSummary:
    infos = _checked_members(zf, name)
    config_doc = _read_json_member(zf, infos[CONFIG], name, MAX_CONFIG_BYTES)
    if METADATA in infos:
        _read_json_member(zf, infos[METADATA], name, MAX_METADATA_BYTES)
    summary = summarise_config(config_doc, name, max_params)
    limit = weights_limit(summary)
    if infos[WEIGHTS].file_size > limit:
        raise StudioError(_("The model {name} was refused: its weights file is {mb:.1f} MB, "
                            "far more than its {params:,} parameters need (at most {limit:.1f} "
                            "MB).", name=name, mb=infos[WEIGHTS].file_size / 2**20,
                            params=summary.params, limit=limit / 2**20))
    bad = zf.testzip()          # reads every member in chunks: bounded by the checked sizes
    if bad is not None:
        raise StudioError(_("The model {name} is damaged: its entry {entry} does not match "
                            "its checksum.", name=name, entry=repr(bad)))
    _check_weight_arrays(zf, infos[WEIGHTS], name, summary)
    return summary


def weights_limit(summary: ModelSummary) -> int:
    """The largest weights file a network of ``summary``'s size can honestly have."""
    return (BYTES_PER_PARAM * summary.params + WEIGHTS_OVERHEAD
            + OVERHEAD_PER_LAYER * len(summary.layers))


def _checked_members(zf: zipfile.ZipFile, name: str) -> dict[str, zipfile.ZipInfo]:
    """The archive's entries by name, after the name, count, size and ratio checks."""
    infos = zf.infolist()
    if len(infos) > 2 * len(MEMBERS):
        raise StudioError(_("The model {name} was refused: it has {n} entries, and a Keras "
                            "model file has {max}.", name=name, n=len(infos), max=len(MEMBERS)))
    found: dict[str, zipfile.ZipInfo] = {}
    for info in infos:
        entry = info.filename
        norm = entry.replace("\\", "/")
        parts = PurePosixPath(norm).parts
        if norm.startswith("/") or (len(norm) > 1 and norm[1] == ":") or ".." in parts:
            raise StudioError(_("The model {name} was refused: its entry {entry} points "
                                "outside the archive.", name=name, entry=repr(entry)))
        if entry not in MEMBERS:
            raise StudioError(_("The model {name} was refused: its entry {entry} is not part "
                                "of a Keras model file (only {allowed}).", name=name,
                                entry=repr(entry), allowed=", ".join(MEMBERS)))
        if entry in found:
            raise StudioError(_("The model {name} was refused: its entry {entry} appears more "
                                "than once.", name=name, entry=repr(entry)))
        if info.flag_bits & 0x1:
            raise StudioError(_("The model {name} was refused: its entry {entry} is "
                                "encrypted.", name=name, entry=repr(entry)))
        _check_ratio(info, name)
        found[entry] = info
    for required in (CONFIG, WEIGHTS):
        if required not in found:
            raise StudioError(_("The model {name} is incomplete: it has no {entry}.",
                                name=name, entry=required))
    return found


def _check_ratio(info: zipfile.ZipInfo, name: str) -> None:
    size, packed = info.file_size, max(1, info.compress_size)
    if size > RATIO_MIN_BYTES and size / packed > MAX_RATIO:
        raise StudioError(_("The model {name} was refused: its entry {entry} would inflate "
                            "{ratio:,.0f} times (from {packed:,} to {size:,} bytes), as a zip "
                            "bomb does.", name=name, entry=repr(info.filename),
                            ratio=size / packed, packed=info.compress_size, size=size))


def _read_json_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, name: str,
                      limit: int) -> Any:
    """A JSON member read with a size limit (the header's size is not trusted: at most
    ``limit + 1`` bytes are inflated) and parsed with jsondoc's depth limit."""
    what = _("The entry {entry} of the model {name}", entry=info.filename, name=name)
    if info.file_size > limit:
        raise StudioError(_("{what} is {kb:,.0f} KB; a Keras model's is at most {limit:,.0f} "
                            "KB.", what=what, kb=info.file_size / 1024, limit=limit / 1024))
    with zf.open(info) as fh:
        raw = fh.read(limit + 1)
    if len(raw) > limit:
        raise StudioError(_("{what} is larger than {limit:,.0f} KB.", what=what,
                            limit=limit / 1024))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise StudioError(_("{what} is not UTF-8 text (byte {pos}).", what=what,
                            pos=exc.start)) from exc
    return jsondoc.loads(text, what, StudioError)


# -- the config: a stack of standard layers of a size the studio can make ---------------------
def summarise_config(doc: Any, name: str, max_params: int = MAX_PARAMS) -> ModelSummary:
    """Walk a parsed ``config.json`` without building anything: the layer classes, the width
    after each layer and the parameter count, refusing what the studio never makes."""
    _check_modules(doc, name)
    if not isinstance(doc, dict) or doc.get("class_name") != "Sequential":
        kind = doc.get("class_name") if isinstance(doc, dict) else None
        raise StudioError(_("The model {name} was refused: it is not a plain stack of layers "
                            "(Sequential) as the studio makes, but {kind}.", name=name,
                            kind=repr(kind)))
    config = doc.get("config")
    layers = config.get("layers") if isinstance(config, dict) else None
    if not isinstance(config, dict) or not isinstance(layers, list) or not layers:
        raise StudioError(_("The model {name} is damaged: its config lists no layers.",
                            name=name))
    if len(layers) > MAX_LAYERS:
        raise StudioError(_("The model {name} was refused: it has {n:,} layers; the studio "
                            "makes networks of at most {max:,}.", name=name, n=len(layers),
                            max=MAX_LAYERS))
    width = _declared_input_width(doc, config, layers, name)
    n_inputs, params, classes = width, 0, []
    for i, layer in enumerate(layers):
        cls, lconf = _layer_parts(layer, i, name)
        classes.append(cls)
        _check_build_shape(layer, width, i, cls, name)
        if cls == "InputLayer":
            if i != 0:
                raise StudioError(_("The model {name} is damaged: layer {i} is a second input "
                                    "layer.", name=name, i=i + 1))
        elif cls == "Dense":
            units = _whole(lconf.get("units"), _("the units of layer {i}", i=i + 1), name,
                           top=None)        # the parameter limit below bounds them
            bias = lconf.get("use_bias", True) is not False
            params += width * units + (units if bias else 0)
            width = units
        elif cls == "BatchNormalization":
            axis = lconf.get("axis", -1)
            if axis not in (-1, 1, [-1], [1]):
                raise StudioError(_("The model {name} was refused: its batch normalization "
                                    "(layer {i}) works on another axis than the studio's.",
                                    name=name, i=i + 1))
            params += 4 * width
        if params > max_params:
            raise StudioError(_("The model {name} was refused: it has more than {max:,} "
                                "parameters by layer {i} ({cls}, {units:,} wide). The studio "
                                "makes networks up to that size; building this one could "
                                "exhaust the computer's memory.", name=name, max=max_params,
                                i=i + 1, cls=cls, units=width))
    return ModelSummary(n_inputs=n_inputs, n_outputs=width, params=params, layers=classes)


def _check_modules(doc: Any, name: str) -> None:
    """Every serialised object comes from Keras: a ``module`` elsewhere would make Keras import
    it, and a ``registered_name`` names custom code. Iterative, like jsondoc's depth check."""
    stack = [doc]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            module = item.get("module")
            if module is not None and not (isinstance(module, str) and (
                    module in ("keras", "builtins") or module.startswith("keras."))):
                raise _custom_code(name)
            registered = item.get("registered_name")
            if isinstance(registered, str) and ">" in registered:
                raise _custom_code(name)
            if item.get("class_name") in _CUSTOM_HINTS:
                raise _custom_code(name)
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


def _custom_code(name: str) -> StudioError:
    return StudioError(_("The model {name} was refused: it contains a Lambda layer or custom "
                         "code, which could run anything on this computer. Only models made "
                         "of standard Keras layers can be opened.", name=name))


def _layer_parts(layer: Any, i: int, name: str) -> tuple[str, dict[str, Any]]:
    if not isinstance(layer, dict) or not isinstance(layer.get("config", {}), dict):
        raise StudioError(_("The model {name} is damaged: layer {i} is not described as an "
                            "object.", name=name, i=i + 1))
    cls = layer.get("class_name")
    if cls not in LAYERS:
        raise StudioError(_("The model {name} was refused: layer {i} is a {cls}, which the "
                            "studio does not make (only {allowed}).", name=name, i=i + 1,
                            cls=repr(cls), allowed=", ".join(LAYERS)))
    return cls, layer.get("config", {})


def _whole(value: Any, what: str, name: str, top: int | None = MAX_WIDTH) -> int:
    """A width from the config: a whole number from 1 to ``top`` (no top: only at least 1)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise StudioError(_("The model {name} is damaged: {what} is {value}, not a whole "
                            "number.", name=name, what=what, value=repr(value)[:40]))
    if value < 1 or (top is not None and value > top):
        raise StudioError(_("The model {name} was refused: {what} is {value:,}; the studio "
                            "makes widths from 1 to {max:,}.", name=name, what=what,
                            value=value, max=top or MAX_WIDTH))
    return value


def _width_of_shape(shape: Any, what: str, name: str) -> int:
    """``n`` from a batch shape ``[null, n]``: the studio's networks take flat rows."""
    if not isinstance(shape, list) or len(shape) != 2 or shape[0] is not None:
        raise StudioError(_("The model {name} was refused: {what} is {shape}; the studio's "
                            "networks take rows of numbers, shaped [null, n].", name=name,
                            what=what, shape=repr(shape)[:60]))
    return _whole(shape[1], what, name)


def _declared_input_width(doc: dict[str, Any], config: dict[str, Any], layers: list[Any],
                          name: str) -> int:
    """The input width from the InputLayer, else from the model's build shape; the model's
    build shapes must agree with it (Keras builds every weight from them)."""
    first = layers[0] if isinstance(layers[0], dict) else {}
    width = None
    if first.get("class_name") == "InputLayer" and isinstance(first.get("config"), dict):
        lconf = first["config"]
        shape = lconf.get("batch_shape", lconf.get("batch_input_shape"))
        if shape is None and isinstance(lconf.get("shape"), list):
            shape = [None, *lconf["shape"]]
        width = _width_of_shape(shape, _("the input shape"), name)
    for shape in (config.get("build_input_shape"),
                  (doc.get("build_config") or {}).get("input_shape")
                  if isinstance(doc.get("build_config"), dict) else None):
        if shape is None:
            continue
        declared = _width_of_shape(shape, _("the model's build shape"), name)
        if width is None:
            width = declared
        elif declared != width:
            raise StudioError(_("The model {name} is damaged: it is built for {m} inputs but "
                                "its input layer takes {n}.", name=name, m=declared, n=width))
    if width is None:
        raise StudioError(_("The model {name} is damaged: its config does not say how many "
                            "inputs it takes.", name=name))
    return width


def _check_build_shape(layer: dict[str, Any], width: int, i: int, cls: str,
                       name: str) -> None:
    """A layer's own build shape (Keras allocates its weights from it) must be the width the
    layer before it gives."""
    build = layer.get("build_config")
    if build is None:
        return
    shape = build.get("input_shape") if isinstance(build, dict) else build
    if shape is None:
        return
    declared = _width_of_shape(shape, _("the build shape of layer {i}", i=i + 1), name)
    if declared != width:
        raise StudioError(_("The model {name} is damaged: layer {i} ({cls}) is built for "
                            "{m} inputs but the layer before it gives {n}.", name=name,
                            i=i + 1, cls=cls, m=declared, n=width))


# -- the weights: declared arrays no larger than the config explains --------------------------
def _check_weight_arrays(zf: zipfile.ZipFile, info: zipfile.ZipInfo, name: str,
                         summary: ModelSummary) -> None:
    """HDF5 can compress its arrays again inside the file, so a small weights file may
    declare gigabytes of numbers; their declared sizes are added up without reading them."""
    import h5py

    limit = BYTES_PER_PARAM * summary.params + 64 * len(summary.layers) + 4096
    total = 0
    try:
        with zf.open(info) as fh, h5py.File(fh, "r") as h5:
            found: list[tuple[str, int]] = []

            def visit(key: str, obj: Any) -> None:
                if isinstance(obj, h5py.Dataset):
                    found.append((key, int(obj.size) * int(obj.dtype.itemsize or 8)))

            h5.visititems(visit)
    except (OSError, ValueError, TypeError, KeyError, RuntimeError) as exc:
        raise StudioError(_("The model {name} is damaged: its weights file cannot be read "
                            "({detail}).", name=name, detail=str(exc).splitlines()[0]
                            if str(exc) else type(exc).__name__)) from exc
    for key, nbytes in found:
        total += nbytes
        if total > limit:
            raise StudioError(_("The model {name} was refused: its weights file declares "
                                "arrays of {mb:,.1f} MB (at {key}), far more than its {params:,} "
                                "parameters need.", name=name, mb=total / 2**20, key=key,
                                params=summary.params))
