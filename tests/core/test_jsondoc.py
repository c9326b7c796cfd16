"""Reading the studio's own JSON documents with limits and schemas (studio.core.jsondoc)."""

from __future__ import annotations

import pytest

from studio.core import jsondoc
from studio.core.errors import ProjectError, StudioError

SCHEMA = {
    "type": "object",
    "required": ["units"],
    "properties": {
        "units": {"type": "integer", "minimum": 1},
        "activation": {"enum": ["relu", "tanh"]},
        "layers": {"type": "array", "items": {"type": "object",
                                              "properties": {"rate": {"type": "number"}}}},
    },
}


@pytest.mark.parametrize("doc, fragment", [
    ({"units": 0}, "at units the studio expected a number of at least 1"),
    ({"units": "8"}, "at units the studio expected a whole number"),
    ({"units": 2, "activation": "os.system"}, 'at activation the studio expected one of "relu"'),
    ({}, "expected a field units"),
    ([], "expected an object"),
    ({"units": 2, "layers": [{"rate": 0.1}, {"rate": "x"}]}, "at layers[1].rate"),
])
def test_check_names_the_place_and_what_was_expected(doc, fragment):
    with pytest.raises(ProjectError) as exc:
        jsondoc.check(doc, SCHEMA, "The project file", ProjectError)
    assert fragment in str(exc.value)
    assert str(exc.value).startswith("The project file is damaged")


def test_check_returns_a_valid_document_unchanged():
    doc = {"units": 3, "activation": "relu", "layers": [{"rate": 0.5}]}
    assert jsondoc.check(doc, SCHEMA, "x") is doc


@pytest.mark.parametrize("text, fragment", [
    ("[1,", r"not valid JSON \(line 1, column 4\)"),
    ('{"a": NaN}', "contains NaN"),
    ('{"a": -Infinity}', "contains -Infinity"),
    ("[" * 100_000 + "]" * 100_000, "nested more than 64 levels"),
])
def test_loads_refuses_what_json_allows_but_the_studio_does_not(text, fragment):
    with pytest.raises(StudioError, match=fragment):
        jsondoc.loads(text, "The file")


def test_brackets_inside_strings_do_not_count_as_nesting():
    assert jsondoc.loads('["[[[[[[[[", "\\"{{{{"]', "x", max_depth=2) == ["[[[[[[[[", '"{{{{']


def test_read_limits_size_and_refuses_folders_and_bad_text(tmp_path):
    big = tmp_path / "big.json"
    big.write_text("[" + "1," * 1000 + "1]")
    with pytest.raises(StudioError, match="MB"):
        jsondoc.read(big, "The file", max_bytes=100)
    assert len(jsondoc.read(big, "The file")) == 1001
    with pytest.raises(StudioError, match="not a regular file"):
        jsondoc.read(tmp_path, "The file")
    with pytest.raises(StudioError, match="does not exist"):
        jsondoc.read(tmp_path / "none.json", "The file")
    bad = tmp_path / "bad.json"
    bad.write_bytes(b'{"a": "\xff"}')
    with pytest.raises(StudioError, match="not UTF-8"):
        jsondoc.read(bad, "The file")


def test_depth_is_counted_without_recursion():
    deep: list = []
    cur = deep
    for _ in range(10_000):
        cur.append([])
        cur = cur[0]
    assert jsondoc.depth(deep) == jsondoc.MAX_DEPTH + 1
    assert jsondoc.depth({"a": [1, {"b": 2}]}) == 3
