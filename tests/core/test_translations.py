"""Every user-visible string has a Korean translation with the same placeholders, and the
Korean catalogue (resources/translations/ko.po) holds no entry that the code no longer uses."""

from __future__ import annotations

import ast
import importlib
import io
import logging
import re
import sys
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))
i18n_catalogue = importlib.import_module("i18n_catalogue")

PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
HANGUL = re.compile(r"[\uac00-\ud7a3]")


@pytest.fixture(scope="module")
def template() -> Catalog:
    return i18n_catalogue.extract()


@pytest.fixture(scope="module")
def strings(template) -> dict[str, str]:
    """Each text to translate (a plural entry by its singular, after its context) -> the
    first place that uses it."""
    return {i18n_catalogue.key_text(m): "{}:{}".format(*m.locations[0])
            for m in template if m.id}


@pytest.fixture(scope="module")
def po() -> Catalog:
    return i18n_catalogue.read_catalogue(ROOT / "resources" / "translations" / "ko.po")


@pytest.fixture(scope="module")
def catalogue(po) -> dict[str, str]:
    """Each entry of ko.po -> its translation (Korean has one plural form)."""
    return {i18n_catalogue.key_text(m): m.string[0] if isinstance(m.string, tuple) else m.string
            for m in po if m.id}


@pytest.fixture(scope="module")
def sources(po) -> dict[str, str]:
    """Each entry of ko.po -> the English its translation stands for (a plural entry: its
    plural, which holds every placeholder)."""
    return {i18n_catalogue.key_text(m): m.id[-1] if isinstance(m.id, tuple) else m.id
            for m in po if m.id}


def test_every_string_has_a_korean_translation(strings, catalogue, po):
    fuzzy = {i18n_catalogue.key_text(m) for m in po if m.id and m.fuzzy}
    missing = [f"{where}: {text!r}" for text, where in strings.items()
               if not catalogue.get(text, "").strip() or text in fuzzy]
    assert not missing, ("untranslated strings (run `python tools/extract_strings.py` and fill "
                         "in resources/translations/ko.po):\n" + "\n".join(missing))


def test_placeholders_match(catalogue, sources):
    wrong = [f"{sources[k]!r} -> {v!r}" for k, v in catalogue.items()
             if v and sorted(PLACEHOLDER.findall(sources[k])) != sorted(PLACEHOLDER.findall(v))]
    assert not wrong, "placeholders differ:\n" + "\n".join(wrong)


def test_translations_format_like_the_source(catalogue, sources):
    """A translation formats with the same arguments as its source (e.g. {s:.1f})."""
    for key, value in catalogue.items():
        source = sources[key]
        names = {m.split(":")[0].split("!")[0] for m in PLACEHOLDER.findall(source)}
        if not value or not names or any(not n.isidentifier() for n in names):
            continue
        args = dict.fromkeys(names, 1)
        try:
            source.format(**args)
        except (ValueError, KeyError, IndexError):
            continue                       # a spec that needs another type (e.g. {v:,})
        value.format(**args)


def test_no_obsolete_keys(strings, catalogue, po):
    obsolete = sorted(set(catalogue) - set(strings))
    obsolete += [f"#~ {i18n_catalogue.key_text(m)}" for m in po.obsolete.values()]
    assert not obsolete, "obsolete keys (run tools/extract_strings.py):\n" + "\n".join(obsolete)


def test_translations_are_korean(catalogue, sources):
    """A translation that is a sentence has Hangul in it (catches copied English)."""
    english = [k for k, v in catalogue.items()
               if len(re.findall(r"(?<![{\w])[A-Za-z]{2,}\b(?![^{]*})", sources[k])) >= 4 and v
               and not HANGUL.search(v)]
    assert not english, "translations without Hangul:\n" + "\n".join(english)


def _extract(source: str) -> list[tuple]:
    fileobj = io.BytesIO(source.encode())
    return list(i18n_catalogue.extract_python(fileobj, i18n_catalogue.KEYWORDS,
                                              i18n_catalogue.COMMENT_TAGS, {}))


def test_extractor_joins_adjacent_literals_and_reports_non_literals(caplog):
    with caplog.at_level(logging.WARNING, logger="i18n_catalogue"):
        found = _extract('x = _("one "\n      "two {n}", n=1)\ny = _(name)\n'
                         'z = f"{_(\'three\')}: {n}"\n')
    assert sorted(m[0] for _line, _f, m, _c in found if m[0]) == ["one two {n}", "three"]
    reported = [r.getMessage() for r in caplog.records]
    assert len(reported) == 1 and "_(name)" in reported[0]


def test_merge_keeps_translations_and_drops_obsolete():
    def template(*texts: str) -> Catalog:
        cat = Catalog(fuzzy=False)
        for text in texts:
            cat.add(text)
        return cat

    def catalogue() -> Catalog:
        cat = Catalog(locale="ko", fuzzy=False)
        cat.add("a", "가")
        cat.add("old", "옛")
        return cat

    new = catalogue()
    added, obsolete = i18n_catalogue.update(new, template("a", "b"))
    assert {m.id: m.string or "" for m in new if m.id} == {"a": "가", "b": ""}
    assert added == ["b"] and obsolete == ["old"] and not new.obsolete
    kept = catalogue()
    i18n_catalogue.update(kept, template("a"), keep_obsolete=True)
    assert {m.id: m.string for m in kept.obsolete.values()} == {"old": "옛"}


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
