"""Korean particles after a value: 을/를, 은/는, 이/가, (으)로 chosen from its last syllable
(the catalogue writes both, "{name}을(를)"; users saw "iris을(를)", "'생존여부'은(는)")."""

from __future__ import annotations

import pytest
from babel.messages.pofile import read_po

from studio import resources
from studio.core import i18n
from studio.core.i18n import _, josa


@pytest.mark.parametrize(("text", "expected"), [
    ("iris을(를) 열기", "iris를 열기"),
    ("'생존여부'은(는) 목표", "'생존여부'는 목표"),
    ("'가격'은(는) 목표", "'가격'은 목표"),
    ("지역이(가) 비어", "지역이 비어"),
    ("나이이(가) 비어", "나이가 비어"),
    ("서울(으)로 이동", "서울로 이동"),          # ㄹ takes 로
    ("부산(으)로 이동", "부산으로 이동"),
    ("제주(으)로 이동", "제주로 이동"),
    ("model.keras을(를)", "model.keras를"),
    ("col1을(를)", "col1을"),                   # 1 is read 일
    ("col2을(를)", "col2를"),                   # 2 is read 이
    ("unit은(는)", "unit은"),                  # n is read 엔
    ("(으)로 시작", "(으)로 시작"),             # nothing before: both forms stay
    ("😀을(를)", "😀을(를)"),                    # cannot be read: both forms stay
    ("사과와(과) 배", "사과와 배"),
    ("수박와(과) 배", "수박과 배"),
])
def test_the_particle_fits_the_word_before(text, expected):
    assert josa(text) == expected


def _korean_catalogue() -> dict[str, str]:
    """ko.po's entries: English source -> Korean."""
    with resources.as_file("translations/ko.po") as po, po.open("rb") as f:
        return {m.id: m.string for m in read_po(f) if m.id and isinstance(m.id, str)}


def test_translations_with_a_value_get_the_right_particle():
    i18n.set_language("ko")
    try:
        catalogue = _korean_catalogue()
        sources = [k for k, v in catalogue.items() if "{" in k and "을(를)" in v]
        assert sources, "the catalogue has no '을(를)' after a placeholder any more"
        source = sources[0]
        names = {n.split("}")[0].split(":")[0].split("!")[0]
                 for n in source.split("{")[1:]}
        text = _(source, **dict.fromkeys(names, "iris"))
        assert "을(를)" not in text and "(를)" not in text
        assert "iris를" in text or "iris" not in catalogue[source]
    finally:
        i18n.set_language("en")
    assert _("{n} rows", n=3) == "3 rows"          # English untouched


def test_sample_titles_follow_the_language():
    from studio.core.data import list_samples

    i18n.set_language("ko")
    try:
        iris = next(s for s in list_samples() if s.name == "iris")
        assert iris.title == "붓꽃" and "품종" in iris.description
    finally:
        i18n.set_language("en")
    assert next(s for s in list_samples() if s.name == "iris").title == "Iris flowers"


@pytest.mark.parametrize(("word", "expected"), [
    ("target", "target을"), ("income", "income을"), ("species", "species를"),
    ("model", "model을"), ("price", "price를"), ("ID", "ID를"), ("GB", "GB를"),
    ("URL", "URL을"), ("rating", "rating을"), ("column", "column을"),
])
def test_english_words_are_read_as_said(word, expected):
    assert josa(f"{word}을(를)") == expected
