"""One door for user-visible strings (no string is shown untranslated).

Every user-visible string goes through :func:`_` (:func:`ngettext` when it counts something,
:func:`pgettext` when one English text needs two translations), so Korean is a translation, not
a rewrite. The catalogues are gettext's: ``resources/translations/<lang>.po`` is what translators
edit and ``<lang>.mo`` beside it, compiled from it by tools/extract_strings.py, is what the studio
reads (the tests fail when the two differ). The source text is the English of the code; a missing
entry falls back to English.
"""

from __future__ import annotations

import gettext
import io
import locale
import os
import re
import struct

from studio import resources

_translations: gettext.NullTranslations = gettext.NullTranslations()
_language = "en"

SUPPORTED = ("en", "ko")


def system_language() -> str:
    """The user's language from the environment, or English."""
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "")
        if value:
            return "ko" if value.lower().startswith("ko") else "en"
    try:
        loc = locale.getlocale()[0] or ""
    except ValueError:
        loc = ""
    return "ko" if loc.lower().startswith("ko") else "en"


def set_language(lang: str) -> None:
    """Switch the catalogue; unknown languages (and an unreadable catalogue) fall back to
    English."""
    global _translations, _language
    _language = lang if lang in SUPPORTED else "en"
    _translations = gettext.NullTranslations()
    if _language != "en":
        try:
            mo = resources.read_bytes(f"translations/{_language}.mo")
            _translations = gettext.GNUTranslations(io.BytesIO(mo))
        except (OSError, ValueError, struct.error):
            _translations = gettext.NullTranslations()


def language() -> str:
    return _language


def _fill(translated: str, source: str, kwargs: dict[str, object]) -> str:
    """``translated`` with its ``{placeholders}`` filled from ``kwargs``, the particles chosen in
    Korean; the English ``source`` when the translation does not format."""
    try:
        filled = translated.format(**kwargs)
    except (KeyError, IndexError, ValueError):
        return source.format(**kwargs)
    return josa(filled) if _language == "ko" else filled


def _(text: str, /, **kwargs: object) -> str:
    """Translate ``text`` and fill ``{placeholders}`` from ``kwargs`` (any name, ``text``
    included: the source text is positional only). In Korean, the particles written for both
    endings after a placeholder (``{name}을(를)``) are chosen for the value (:func:`josa`).
    An empty text stays empty (gettext would give the catalogue's header)."""
    translated = _translations.gettext(text) if text else text
    return _fill(translated, text, kwargs) if kwargs else translated


def ngettext(singular: str, plural: str, n: int, /, **kwargs: object) -> str:
    """The form of ``singular`` / ``plural`` that counts ``n`` ("{n} error", "{n} errors"),
    translated and filled as :func:`_` does; ``{n}`` is ``n`` unless ``kwargs`` give it
    (``n=f"{count:,}"``)."""
    translated = _translations.ngettext(singular, plural, n)
    return _fill(translated, singular if n == 1 else plural, {"n": n, **kwargs})


def pgettext(context: str, text: str, /, **kwargs: object) -> str:
    """Translate ``text`` as meant in ``context`` (a menu's "Open" and a state's "Open" are
    two Korean words), filled as :func:`_` does."""
    translated = _translations.pgettext(context, text)
    return _fill(translated, text, kwargs) if kwargs else translated


def translate(text: str) -> str:
    """A text that is data, not a literal of the code (a bundled sample's title), in the
    current language; tools/extract_strings.py collects such texts from where they live
    (babel.cfg names the files)."""
    return _translations.gettext(text) if text else text


# -- Korean particles -----------------------------------------------------------------------
#: Both forms written in the catalogue, and (form after a final consonant, form after a vowel).
_PARTICLES = {"을(를)": ("을", "를"), "를(을)": ("을", "를"), "은(는)": ("은", "는"),
              "는(은)": ("은", "는"), "이(가)": ("이", "가"), "가(이)": ("이", "가"),
              "과(와)": ("과", "와"), "와(과)": ("과", "와"), "(으)로": ("으로", "로"),
              "(이)라": ("이라", "라"), "(이)나": ("이나", "나"), "(이)에요": ("이에요", "예요")}
_PARTICLE = re.compile(r"(?P<word>[^\s'\"‘’“”「」『』()\[\]]?)(?P<quote>['\"‘’“”」』)\]]*)"
                       r"(?P<particle>" + "|".join(re.escape(p) for p in _PARTICLES) + ")")
#: Read as letters (an abbreviation, "ID", "GB") or as digits: the readings that end in a
#: consonant (L 엘, M 엠, N 엔, R 알; 0 영, 1 일, 3 삼, 6 육, 7 칠, 8 팔); the rest end in a vowel.
_SPELLED_FINAL = set("lmnrLMNR013678")
_RIEUL = {"l", "L", "r", "R", "1", "7", "8"}     # final ㄹ: "(으)로" takes 로
_VOWELS = set("aeiou")


def _final_consonant(word: str) -> int | None:
    """The final consonant (0: none, 8: ㄹ, 1: another) of how ``word`` ends when read
    aloud: a Hangul syllable by its jamo; an English word as it is said ("unit" 유닛,
    "income" 인컴, "species" 스피시즈); an abbreviation or a digit as spelled; None when
    there is no way to tell."""
    ch = word[-1]
    if "\uac00" <= ch <= "\ud7a3":
        final = (ord(ch) - 0xAC00) % 28
        return 8 if final == 8 else (1 if final else 0)
    if not (ch.isascii() and ch.isalnum()):
        return None
    letters = re.search(r"[A-Za-z]+$", word)
    token = letters.group(0) if letters else ""
    if ch.isdigit() or len(token) <= 2 or token.isupper():
        return (8 if ch in _RIEUL else 1) if ch in _SPELLED_FINAL else 0
    token = token.lower()
    if token.endswith(("me", "ne")):
        return 1                                  # name 네임, phone 폰, income 인컴
    if token.endswith("l"):
        return 8                                  # model 모델, label 레이블
    if token.endswith(("m", "n", "ng", "ck")):
        return 1                                  # form 폼, column 컬럼, rating 레이팅
    if token[-1] in "kpt" and token[-2] in _VOWELS:
        return 1                                  # unit 유닛, book 북, target 타깃
    return 0


def josa(text: str) -> str:
    """Choose 을/를, 은/는, 이/가, 과/와, (으)로 ... by the syllable before each: "iris를",
    "'생존여부'는", "서울로"; where the word before cannot be read, both forms stay."""
    def pick(m: re.Match) -> str:
        before = text[:m.start("quote")]
        final = _final_consonant(before) if before and m["word"] else None
        if final is None:
            return m.group(0)
        consonant, vowel = _PARTICLES[m["particle"]]
        use_vowel = final == 0 or (final == 8 and m["particle"] == "(으)로")
        return m["word"] + m["quote"] + (vowel if use_vowel else consonant)

    return _PARTICLE.sub(pick, text) if "(" in text else text
