"""Every user-visible string has a Korean translation with the same placeholders."""

from __future__ import annotations

import ast
import importlib.util
import json
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("extract_strings",
                                               ROOT / "tools" / "extract_strings.py")
extract_strings = importlib.util.module_from_spec(_spec)
sys.modules["extract_strings"] = extract_strings      # dataclasses look their module up
_spec.loader.exec_module(extract_strings)

PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
HANGUL = re.compile(r"[\uac00-\ud7a3]")


@pytest.fixture(scope="module")
def strings() -> dict[str, str]:
    return extract_strings.extract().strings


@pytest.fixture(scope="module")
def catalogue() -> dict[str, str]:
    return json.loads((ROOT / "resources" / "translations" / "ko.json").read_text("utf-8"))


def test_every_string_has_a_korean_translation(strings, catalogue):
    missing = [f"{where}: {text!r}" for text, where in strings.items()
               if not catalogue.get(text, "").strip()]
    assert not missing, ("untranslated strings (run `python tools/extract_strings.py` and fill "
                         "in resources/translations/ko.json):\n" + "\n".join(missing))


def test_placeholders_match(catalogue):
    wrong = [f"{k!r} -> {v!r}" for k, v in catalogue.items()
             if v and sorted(PLACEHOLDER.findall(k)) != sorted(PLACEHOLDER.findall(v))]
    assert not wrong, "placeholders differ:\n" + "\n".join(wrong)


def test_translations_format_like_the_source(catalogue):
    """A translation formats with the same arguments as its source (e.g. {s:.1f})."""
    for key, value in catalogue.items():
        names = {m.split(":")[0].split("!")[0] for m in PLACEHOLDER.findall(key)}
        if not value or not names or any(not n.isidentifier() for n in names):
            continue
        args = {n: 1 for n in names}
        try:
            key.format(**args)
        except (ValueError, KeyError, IndexError):
            continue                       # a spec that needs another type (e.g. {v:,})
        value.format(**args)


def test_no_obsolete_keys(strings, catalogue):
    obsolete = sorted(set(catalogue) - set(strings))
    assert not obsolete, "obsolete keys (run tools/extract_strings.py):\n" + "\n".join(obsolete)


def test_translations_are_korean(catalogue):
    """A translation that is a sentence has Hangul in it (catches copied English)."""
    english = [k for k, v in catalogue.items()
               if len(re.findall(r"(?<![{\w])[A-Za-z]{2,}\b(?![^{]*})", k)) >= 4 and v
               and not HANGUL.search(v)]
    assert not english, "translations without Hangul:\n" + "\n".join(english)


def test_extractor_joins_adjacent_literals_and_reports_non_literals(tmp_path):
    src = tmp_path / "studio" / "m.py"
    src.parent.mkdir()
    src.write_text('x = _("one "\n      "two {n}", n=1)\ny = _(name)\nz = f(_("three"))\n')
    result = extract_strings.Extraction()
    extract_strings.extract_file(src, result, tmp_path)
    assert list(result.strings) == ["one two {n}", "three"]
    assert len(result.non_literal) == 1 and "_(name)" in result.non_literal[0]


def test_merge_keeps_translations_and_drops_obsolete():
    new, added, obsolete = extract_strings.merge({"a": "", "b": ""}, {"a": "가", "old": "옛"})
    assert new == {"a": "가", "b": ""} and added == ["b"] and obsolete == ["old"]
    kept, _, _ = extract_strings.merge({"a": ""}, {"old": "옛"}, keep_obsolete=True)
    assert kept == {"a": "", "old": "옛"}


# -- widgets set visible text only through _() ---------------------------------------------------
TEXT_CALLS = {"setText", "setToolTip", "setWindowTitle", "setPlaceholderText", "setStatusTip",
              "QLabel", "QPushButton", "QCheckBox", "QGroupBox", "QAction", "QRadioButton",
              "addAction", "addMenu", "setTitle", "label", "showMessage", "addItem", "addTab"}
#: Texts that are the same in every language (names, code, symbols).
ALLOWED = re.compile(r"^(|[\W\d_]+|NetSketch Studio|model\.\w+\(…\)|English|한국어|[A-Z][A-Z0-9²]*"
                     r"|[a-z_]+)$")


def _visible_literals(path: Path):
    tree = ast.parse(path.read_text("utf-8"))
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        f = node.func
        name = f.attr if isinstance(f, ast.Attribute) else getattr(f, "id", "")
        if name not in TEXT_CALLS:
            continue
        arg = node.args[0]
        if isinstance(arg, ast.JoinedStr):
            words = "".join(v.value for v in arg.values if isinstance(v, ast.Constant))
            if re.search(r"[A-Za-z]{2,}", words):
                yield node.lineno, ast.unparse(arg)
        elif isinstance(arg, ast.Constant) and isinstance(arg.value, str) \
                and not ALLOWED.match(arg.value.strip()):
            yield node.lineno, arg.value


def test_ui_sets_no_literal_text_without_translation():
    found = [f"{p.relative_to(ROOT)}:{line}: {text!r}"
             for p in sorted((ROOT / "studio" / "ui").rglob("*.py"))
             for line, text in _visible_literals(p)]
    assert not found, "visible text not wrapped in _():\n" + "\n".join(found)
