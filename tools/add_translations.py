"""Merge Korean translations into resources/translations/ko.po and compile ko.mo.

    python tools/add_translations.py NEW.json     # {"English source": "한국어", ...}
    echo '{"Save": "저장"}' | python tools/add_translations.py -
    python tools/add_translations.py NEW.po       # the translated entries of another .po

A key is the English source text; for an entry with a context (``pgettext``) it is the context,
the character U+0004 and the text (``"menu\\u0004Open"``), as gettext writes it; for a plural
entry (``ngettext``) it is the singular, and the value is the translation (Korean has one form)
or the list of forms. Entries given replace existing ones; an entry the catalogue does not hold
yet is added (tools/extract_strings.py drops it again if the code does not use it). The
catalogue stays sorted and formatted as tools/extract_strings.py writes it; a lock makes
concurrent merges safe.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import i18n_catalogue as cat
from babel.messages.catalog import Catalog

CONTEXT_SEPARATOR = "\x04"


def pairs_from_json(text: str) -> dict[tuple[str, str | None], str | list[str]]:
    new = json.loads(text)
    if not isinstance(new, dict) or not all(
            isinstance(k, str)
            and (isinstance(v, str)
                 or (isinstance(v, list) and all(isinstance(f, str) for f in v)))
            for k, v in new.items()):
        raise ValueError("expected a JSON object of English -> Korean strings")
    out: dict[tuple[str, str | None], str | list[str]] = {}
    for key, value in new.items():
        context, _sep, text = key.rpartition(CONTEXT_SEPARATOR)
        out[(text, context or None)] = value
    return out


def pairs_from_po(path: Path) -> dict[tuple[str, str | None], str | list[str]]:
    out: dict[tuple[str, str | None], str | list[str]] = {}
    for message in cat.read_catalogue(path):
        if not message.id or message.fuzzy:
            continue
        forms = [str(f or "") for f in message.string] if isinstance(message.string, tuple) \
            else [str(message.string or "")]
        if all(forms):
            plural = isinstance(message.id, tuple)
            text = str(message.id[0] if plural else message.id)
            out[(text, message.context)] = forms if plural else forms[0]
    return out


def merge(catalog: Catalog, pairs: dict[tuple[str, str | None], str | list[str]]) -> list[str]:
    """Set each translation in ``catalog`` (no longer fuzzy); the texts that could not be set:
    a list of forms for a text that the catalogue does not hold as a plural entry (run
    tools/extract_strings.py first)."""
    refused = []
    for (text, context), value in pairs.items():
        message = catalog.get(text, context=context)
        if message is not None and isinstance(message.id, tuple):
            forms = [value] if isinstance(value, str) else value
            message.string = tuple((forms + forms[-1:] * catalog.num_plurals)
                                   [:catalog.num_plurals])
        elif isinstance(value, list):
            refused.append(text)
            continue
        elif message is not None:
            message.string = value
        else:
            message = catalog.add(text, value, context=context)
        message.flags.discard("fuzzy")
    return refused


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    try:
        if argv[0].endswith(".po"):
            pairs = pairs_from_po(Path(argv[0]))
        else:
            text = sys.stdin.read() if argv[0] == "-" else Path(argv[0]).read_text("utf-8")
            pairs = pairs_from_json(text)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    with cat.locked():
        catalog = cat.read_catalogue(cat.po_path("ko"))
        refused = merge(catalog, pairs)
        cat.write_if_changed(catalog, cat.po_path("ko"))
        cat.write_mo_if_changed(catalog, cat.mo_path("ko"))
    for text in refused:
        print(f"not in the catalogue yet (run tools/extract_strings.py): {text!r}",
              file=sys.stderr)
    print(f"{len(pairs) - len(refused)} entries merged, "
          f"{sum(1 for m in catalog if m.id)} in the catalogue")
    return 1 if refused else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
