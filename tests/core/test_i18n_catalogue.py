"""The gettext catalogues: ko.mo is compiled from ko.po, plurals and contexts translate, and the
tools (tools/extract_strings.py, tools/add_translations.py) find, check and merge entries."""

from __future__ import annotations

import importlib
import io
import sys
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract

from studio.core import i18n
from studio.core.i18n import _, ngettext, pgettext

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "resources" / "translations"
sys.path.insert(0, str(ROOT / "tools"))
i18n_catalogue = importlib.import_module("i18n_catalogue")
extract_strings = importlib.import_module("extract_strings")
add_translations = importlib.import_module("add_translations")


@pytest.fixture
def korean():
    i18n.set_language("ko")
    yield
    i18n.set_language("en")


@pytest.fixture
def context_catalogue(monkeypatch):
    """Korean from a catalogue with two translations of "Open" (a menu item, a state)."""
    cat = Catalog(locale="ko", fuzzy=False)
    cat.add("Open", "열기", context="menu")
    cat.add("Open", "열림", context="state")
    cat.add("Open {name}", "{name}을(를) 열기", context="verb")
    mo = i18n_catalogue.compile_mo(cat)
    monkeypatch.setattr(i18n.resources, "read_bytes",
                        lambda relative: mo if relative == "translations/ko.mo" else b"")
    i18n.set_language("ko")
    yield
    i18n.set_language("en")


# -- the catalogue files ----------------------------------------------------------------------
def test_the_mo_is_compiled_from_the_po():
    po = i18n_catalogue.read_catalogue(TRANSLATIONS / "ko.po")
    assert i18n_catalogue.mo_is_current(po, TRANSLATIONS / "ko.mo"), (
        "resources/translations/ko.mo is out of date with ko.po: run "
        "`python tools/extract_strings.py`")


def test_the_po_has_a_korean_header():
    po = i18n_catalogue.read_catalogue(TRANSLATIONS / "ko.po")
    headers = dict(po.mime_headers)
    assert headers["Language"] == "ko"
    assert headers["Plural-Forms"] == "nplurals=1; plural=0;"
    assert "charset=utf-8" in headers["Content-Type"]
    assert headers["Project-Id-Version"].startswith("NetSketch Studio")


def test_the_template_lists_what_the_code_uses():
    template = i18n_catalogue.read_catalogue(TRANSLATIONS / "messages.pot")
    extracted = {i18n_catalogue.key_text(m) for m in i18n_catalogue.extract() if m.id}
    assert {i18n_catalogue.key_text(m) for m in template if m.id} == extracted, (
        "resources/translations/messages.pot is out of date: run "
        "`python tools/extract_strings.py`")


def test_a_damaged_catalogue_falls_back_to_english(monkeypatch):
    monkeypatch.setattr(i18n.resources, "read_bytes", lambda relative: b"not a catalogue")
    i18n.set_language("ko")
    try:
        assert i18n.language() == "ko" and _("Accuracy") == "Accuracy"
    finally:
        i18n.set_language("en")


def test_the_korean_catalogue_translates(korean):
    assert _("Accuracy") == "정확도"
    assert i18n.translate("Iris flowers") == "붓꽃"
    assert _("") == "" and i18n.translate("") == ""          # not the catalogue's header


# -- plurals ------------------------------------------------------------------------------------
def test_ngettext_in_english_counts():
    assert ngettext("{n} error", "{n} errors", 1) == "1 error"
    assert ngettext("{n} error", "{n} errors", 2) == "2 errors"
    assert ngettext("{n} error", "{n} errors", 0) == "0 errors"
    assert ngettext("{n} row", "{n} rows", 1234, n="1,234") == "1,234 rows"     # n= wins


def test_ngettext_in_korean_has_one_form(korean):
    assert ngettext("{n} error", "{n} errors", 1) == "오류 1개"
    assert ngettext("{n} error", "{n} errors", 2) == "오류 2개"
    assert ngettext("{n} warning", "{n} warnings", 5) == "경고 5개"


def test_ngettext_chooses_the_particle_in_korean(korean):
    text = ngettext("Searching {strategy}: {n} trial, choosing on the validation split by "
                    "{metric}.", "Searching {strategy}: {n} trials, choosing on the "
                    "validation split by {metric}.", 3, strategy="grid", metric="val_loss")
    assert "시행 3회" in text and "val_loss로" in text and "(으)로" not in text


def test_an_untranslated_plural_is_english(korean):
    assert ngettext("{n} zebra", "{n} zebras", 1) == "1 zebra"
    assert ngettext("{n} zebra", "{n} zebras", 2) == "2 zebras"


# -- contexts -----------------------------------------------------------------------------------
def test_pgettext_gives_one_english_text_two_translations(context_catalogue):
    assert pgettext("menu", "Open") == "열기"
    assert pgettext("state", "Open") == "열림"
    assert _("Open") == "Open"                       # no entry without a context
    assert pgettext("verb", "Open {name}", name="iris") == "iris를 열기"
    assert pgettext("other", "Open") == "Open"


def test_pgettext_in_english_is_the_text():
    assert pgettext("menu", "Open") == "Open"
    assert pgettext("verb", "Open {name}", name="iris") == "Open iris"


# -- the extractor --------------------------------------------------------------------------
def test_the_extractor_finds_plurals_contexts_and_translator_comments():
    source = ('# TRANSLATORS: the doctor\'s summary\n'
              'a = ngettext("{n} error", "{n} errors", n)\n'
              'b = pgettext("menu", "Open")\n'
              'c = ngettext(singular, "{n} errors", n)\n')
    found = list(extract(i18n_catalogue.extract_python, io.BytesIO(source.encode()),
                         keywords=i18n_catalogue.KEYWORDS,
                         comment_tags=i18n_catalogue.COMMENT_TAGS, strip_comment_tags=True))
    assert [(m, ctx) for _line, m, _comments, ctx in found] == [
        (("{n} error", "{n} errors"), None), ("Open", "menu")]
    assert found[0][2] == ["the doctor's summary"]


def test_the_sample_texts_are_extracted_with_their_lines():
    template = i18n_catalogue.extract()
    iris = template.get("Iris flowers")
    assert iris is not None and iris.locations[0][0] == "resources/datasets/samples.json"
    line = iris.locations[0][1]
    text = (ROOT / "resources" / "datasets" / "samples.json").read_text("utf-8")
    assert '"Iris flowers"' in text.splitlines()[line - 1]


# -- the tools ----------------------------------------------------------------------------------
@pytest.fixture
def small_project(tmp_path, monkeypatch):
    """The tools on a copy: a template of three texts and a complete Korean catalogue."""
    def template() -> Catalog:
        cat = Catalog(project="NetSketch Studio", version="0", fuzzy=False)
        cat.add("Save", locations=[("studio/x.py", 1)])
        cat.add(("{n} error", "{n} errors"), locations=[("studio/x.py", 2)])
        cat.add("Open", locations=[("studio/x.py", 3)], context="menu")
        return cat

    monkeypatch.setattr(i18n_catalogue, "extract", template)
    monkeypatch.setattr(i18n_catalogue, "TRANSLATIONS", tmp_path)
    monkeypatch.setattr(i18n_catalogue, "TEMPLATE", tmp_path / "messages.pot")
    ko = i18n_catalogue.new_catalogue("ko")
    ko.add("Save", "저장")
    ko.add(("{n} error", "{n} errors"), ("오류 {n}개",))
    ko.add("Open", "열기", context="menu")
    i18n_catalogue.write_if_changed(ko, tmp_path / "ko.po")
    assert extract_strings.main([]) == 0                       # writes the .pot and the .mo
    return tmp_path


def test_check_passes_on_a_complete_catalogue(small_project):
    assert extract_strings.main(["--check"]) == 0
    assert {p.name for p in small_project.iterdir()} == {"ko.po", "ko.mo", "messages.pot"}


def test_check_fails_on_a_missing_translation(small_project, capsys):
    po = small_project / "ko.po"
    po.write_text(po.read_text("utf-8").replace('msgstr "저장"', 'msgstr ""'), "utf-8")
    assert extract_strings.main(["--check"]) == 1
    assert "untranslated: 'Save'" in capsys.readouterr().out


def test_check_fails_on_a_missing_entry(small_project, capsys):
    po = small_project / "ko.po"
    po.write_text(po.read_text("utf-8").replace('msgid "Save"\nmsgstr "저장"\n', ""), "utf-8")
    assert extract_strings.main(["--check"]) == 1
    assert "added: 'Save'" in capsys.readouterr().out


def test_check_fails_on_an_obsolete_entry_and_the_update_drops_it(small_project, capsys):
    po = small_project / "ko.po"
    po.write_text(po.read_text("utf-8") + '\nmsgid "Gone"\nmsgstr "사라짐"\n', "utf-8")
    assert extract_strings.main(["--check"]) == 1
    assert "obsolete: 'Gone'" in capsys.readouterr().out
    assert extract_strings.main([]) == 0
    assert "Gone" not in po.read_text("utf-8")
    assert extract_strings.main(["--check"]) == 0


def test_check_fails_on_a_stale_mo(small_project, capsys):
    ko = i18n_catalogue.read_catalogue(small_project / "ko.po")
    ko.get("Save").string = "보관"
    (small_project / "ko.mo").write_bytes(i18n_catalogue.compile_mo(ko))
    assert extract_strings.main(["--check"]) == 1
    assert "ko.mo is not compiled from ko.po" in capsys.readouterr().out


def test_add_translations_merges_texts_contexts_and_plurals(small_project):
    ko = i18n_catalogue.read_catalogue(small_project / "ko.po")
    refused = add_translations.merge(ko, add_translations.pairs_from_json(
        '{"Save": "저장하기", "menu\\u0004Open": "열어 보기", "{n} error": "에러 {n}개", '
        '"New": "새로 만들기", "{n} cat": ["고양이 {n}마리"]}'))
    assert refused == ["{n} cat"]
    assert ko.get("Save").string == "저장하기"
    assert ko.get("Open", context="menu").string == "열어 보기"
    assert ko.get("{n} error").string == ("에러 {n}개",)
    assert ko.get("New").string == "새로 만들기"


def test_add_translations_reads_a_po_file(small_project, tmp_path):
    other = Catalog(locale="ko", fuzzy=False)
    other.add("Save", "저장!")
    other.add("Open", "", context="menu")                 # untranslated: not merged
    path = tmp_path / "new.po"
    i18n_catalogue.write_if_changed(other, path)
    assert add_translations.pairs_from_po(path) == {("Save", None): "저장!"}


def test_add_translations_refuses_what_is_not_pairs():
    with pytest.raises(ValueError):
        add_translations.pairs_from_json('["Save", "저장"]')
