"""One door for user-visible strings (DESIGN.md rule 11).

Every user-visible string goes through :func:`_`, so Korean is a translation, not a rewrite.
Translations are JSON catalogues in ``resources/translations/<lang>.json`` mapping the English
source text to its translation. A missing entry falls back to English.
"""

from __future__ import annotations

import json
import locale
import os

from studio import resources

_catalogue: dict[str, str] = {}
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
    """Switch the catalogue; unknown languages fall back to English."""
    global _catalogue, _language
    _language = lang if lang in SUPPORTED else "en"
    _catalogue = {}
    if _language != "en":
        try:
            _catalogue = json.loads(resources.read_text(f"translations/{_language}.json"))
        except (FileNotFoundError, json.JSONDecodeError):
            _catalogue = {}


def language() -> str:
    return _language


def _(text: str, /, **kwargs: object) -> str:
    """Translate ``text`` and fill ``{placeholders}`` from ``kwargs`` (any name, ``text``
    included: the source text is positional only)."""
    translated = _catalogue.get(text, text)
    if kwargs:
        try:
            return translated.format(**kwargs)
        except (KeyError, IndexError, ValueError):
            return text.format(**kwargs)
    return translated
