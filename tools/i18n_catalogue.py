"""The gettext catalogues' machinery, shared by tools/extract_strings.py and
tools/add_translations.py: Babel extractors, reading and writing ``.po`` files, compiling ``.mo``.

The extractors are named in ``babel.cfg`` (the repository's Babel mapping), so ``pybabel`` uses
them too (``PYTHONPATH=tools pybabel extract -F babel.cfg -o messages.pot .``):

- :func:`extract_python` reads a module's syntax tree, so the calls inside f-strings
  (``f"{_('rows')}: {n}"``) are found on every supported Python, adjacent literals are joined as
  Python joins them, and a call whose text is not a literal (``_(name)``) is reported;
- :func:`extract_json` collects the texts of a data file that the studio shows through
  ``i18n.translate`` (the bundled samples' titles and descriptions); its ``keys`` option names
  the fields.
"""

from __future__ import annotations

import ast
import contextlib
import datetime
import fcntl
import gettext
import io
import json
import logging
import struct
import tomllib
from collections.abc import Collection, Iterator, Mapping
from pathlib import Path
from typing import IO, Any

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
MAPPING = ROOT / "babel.cfg"
TRANSLATIONS = ROOT / "resources" / "translations"
TEMPLATE = TRANSLATIONS / "messages.pot"
LANGUAGES = ("ko",)
LANGUAGE_NAMES = {"ko": "Korean"}
#: Babel keyword specs: ``_(text)``, ``ngettext(singular, plural, n)``, ``pgettext(context, text)``.
KEYWORDS: dict[str, Any] = {"_": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2)}
COMMENT_TAGS = ("TRANSLATORS:",)
PROJECT = "NetSketch Studio"
HEADER_COMMENT = ("# {what} for NetSketch Studio.\n"
                  "# The source texts are the English of the code; tools/extract_strings.py\n"
                  "# updates this file, tools/add_translations.py fills in translations.\n#")
#: Header lines that change on every write; two files that differ only there are the same.
_DATE_LINES = ('"POT-Creation-Date:', '"PO-Revision-Date:')

log = logging.getLogger("i18n_catalogue")


# -- extractors (Babel's interface) -----------------------------------------------------------
def _comments_above(lines: list[str], lineno: int, tags: Collection[str]) -> list[str]:
    """The comment block right above line ``lineno`` when it starts with a translator tag."""
    block: list[str] = []
    i = lineno - 2
    while i >= 0 and lines[i].lstrip().startswith("#"):
        block.insert(0, lines[i].lstrip()[1:].strip())
        i -= 1
    return block if block and any(block[0].startswith(t) for t in tags) else []


def _literal(node: ast.expr) -> object:
    return node.value if isinstance(node, ast.Constant) else None


def _text(node: ast.expr) -> str | None:
    """The text of a string literal that is not blank (adjacent literals are one already)."""
    value = _literal(node)
    return value if isinstance(value, str) and value.strip() else None


def extract_python(fileobj: IO[bytes], keywords: Collection[str], comment_tags: Collection[str],
                   options: Mapping[str, Any]) -> Iterator[tuple[int, str, tuple, list[str]]]:
    """Babel's ``(lineno, function, messages, comments)`` for each call of a keyword by its
    name (``_("Save")``, as the studio imports them): the positional arguments, a text for each
    string literal and None for anything else, which Babel skips (a non-literal text is
    logged)."""
    source = fileobj.read().decode(options.get("encoding", "utf-8"))
    name = str(getattr(fileobj, "name", "<source>"))
    if Path(name).is_relative_to(ROOT):
        name = Path(name).relative_to(ROOT).as_posix()
    lines = source.splitlines()
    for node in ast.walk(ast.parse(source)):
        if not (isinstance(node, ast.Call) and node.args and isinstance(node.func, ast.Name)
                and node.func.id in keywords):
            continue
        funcname = node.func.id
        messages = tuple(_text(arg) for arg in node.args)
        texts = [i[0] if isinstance(i, tuple) else i for i in KEYWORDS.get(funcname) or (1,)]
        if any(i <= len(node.args) and not isinstance(_literal(node.args[i - 1]), str)
               for i in texts):
            log.warning("%s:%d: non-literal %s() call: %s", name, node.lineno, funcname,
                        ast.get_source_segment(source, node))
        yield node.lineno, funcname, messages, _comments_above(lines, node.lineno, comment_tags)


def extract_json(fileobj: IO[bytes], keywords: Collection[str], comment_tags: Collection[str],
                 options: Mapping[str, Any]) -> Iterator[tuple[int, None, str, list[str]]]:
    """The texts under the ``keys`` option's fields (space- or comma-separated), anywhere in a
    JSON document, with the line each is written on."""
    raw = fileobj.read().decode("utf-8")
    keys = set(options.get("keys", "").replace(",", " ").split())
    pos = 0

    def walk(node: object) -> Iterator[str]:
        if isinstance(node, dict):
            for key, value in node.items():
                if key in keys and isinstance(value, str) and value.strip():
                    yield value
                else:
                    yield from walk(value)
        elif isinstance(node, list):
            for item in node:
                yield from walk(item)

    for text in walk(json.loads(raw)):
        found = max(raw.find(json.dumps(text), pos),
                    raw.find(json.dumps(text, ensure_ascii=False), pos))
        pos = max(found, pos)
        yield raw.count("\n", 0, pos) + 1, None, text, []


# -- catalogues -------------------------------------------------------------------------------
def _version() -> str:
    return tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]["version"]


def extract(root: Path = ROOT, mapping: Path = MAPPING) -> Catalog:
    """The template: every text that babel.cfg's files give to the translators."""
    with mapping.open(encoding="utf-8") as f:
        method_map, options_map = parse_mapping_cfg(f)
    template = Catalog(header_comment=HEADER_COMMENT.format(what="Translations template"),
                       project=PROJECT, version=_version(), copyright_holder=PROJECT,
                       charset="utf-8", fuzzy=False)
    for filename, lineno, message, comments, context in extract_from_dir(
            root, method_map, options_map, keywords=KEYWORDS, comment_tags=COMMENT_TAGS,
            strip_comment_tags=True):
        template.add(message, None, [(filename, lineno)], auto_comments=comments,
                     context=context)
    return template


def po_path(lang: str) -> Path:
    return TRANSLATIONS / f"{lang}.po"


def mo_path(lang: str) -> Path:
    return TRANSLATIONS / f"{lang}.mo"


def new_catalogue(lang: str) -> Catalog:
    return Catalog(locale=lang, header_comment=HEADER_COMMENT.format(what="Translations"),
                   project=PROJECT, version=_version(), copyright_holder=PROJECT,
                   last_translator=PROJECT, language_team=LANGUAGE_NAMES[lang],
                   charset="utf-8", fuzzy=False)


def read_catalogue(path: Path) -> Catalog:
    with path.open("rb") as f:
        return read_po(f)


def render_po(catalog: Catalog, line_numbers: bool = False) -> bytes:
    """The .po text: sorted by source text, lines unwrapped (a text is one line, so it can be
    found with grep), each entry with the files that use it; with their ``line_numbers`` in
    the template only (in a catalogue they would change on every edit of the code)."""
    for message in catalog:
        # The studio formats with str.format only: Babel guesses python-format from a "%"
        # sign ("12%"), and msgfmt --check would then refuse the translation.
        message.flags.discard("python-format")
    out = io.BytesIO()
    write_po(out, catalog, width=0, sort_output=True, include_lineno=line_numbers)
    return out.getvalue()


def without_dates(text: bytes) -> list[bytes]:
    """The lines of a .po text, less the dates of its header."""
    return [line for line in text.splitlines()
            if not line.startswith(tuple(d.encode() for d in _DATE_LINES))]


def write_if_changed(catalog: Catalog, path: Path, line_numbers: bool = False) -> bool:
    """Write ``catalog`` unless ``path`` holds the same but for its dates; True when written
    (the revision date is then now)."""
    old = path.read_bytes() if path.is_file() else b""
    if old and without_dates(render_po(catalog, line_numbers)) == without_dates(old):
        return False
    now = datetime.datetime.now(datetime.UTC)
    catalog.revision_date = now
    if catalog.locale is None:
        catalog.creation_date = now
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_bytes(render_po(catalog, line_numbers))
    tmp.replace(path)
    return True


def compile_mo(catalog: Catalog) -> bytes:
    """The .mo of ``catalog`` (untranslated and fuzzy entries left out: they fall back to
    English)."""
    out = io.BytesIO()
    write_mo(out, catalog, use_fuzzy=False)
    return out.getvalue()


def mo_entries(data: bytes) -> dict[object, str]:
    """What gettext reads from a .mo (the header less its dates)."""
    translations = gettext.GNUTranslations(io.BytesIO(data))
    entries = dict(translations._catalog)  # type: ignore[attr-defined]
    entries[""] = "\n".join(line for line in entries.get("", "").splitlines()
                            if not line.startswith(tuple(d[1:] for d in _DATE_LINES)))
    return entries


def mo_is_current(catalog: Catalog, path: Path) -> bool:
    """True when the .mo at ``path`` holds what ``catalog`` compiles to (whoever compiled it:
    Babel or GNU msgfmt)."""
    try:
        return mo_entries(path.read_bytes()) == mo_entries(compile_mo(catalog))
    except (OSError, struct.error):
        return False


def write_mo_if_changed(catalog: Catalog, path: Path) -> bool:
    data = compile_mo(catalog)
    if path.is_file() and path.read_bytes() == data:
        return False
    tmp = path.with_suffix(".mo.tmp")
    tmp.write_bytes(data)
    tmp.replace(path)
    return True


def update(catalog: Catalog, template: Catalog,
           keep_obsolete: bool = False) -> tuple[list[str], list[str]]:
    """Bring ``catalog`` to ``template``'s texts, keeping every translation: (added, obsolete)
    source texts. Obsolete entries stay as ``#~`` comments with ``keep_obsolete``, else they
    are dropped. No fuzzy guesses: a new text starts untranslated."""
    added = [key_text(m) for m in template if m.id and catalog.get(m.id, m.context) is None]
    catalog.update(template, no_fuzzy_matching=True, update_creation_date=False)
    obsolete = [key_text(m) for m in catalog.obsolete.values()]
    if not keep_obsolete:
        catalog.obsolete.clear()
    catalog.version = template.version
    return added, obsolete


def key_text(message: Any) -> str:
    """How a message is named in reports: its (singular) source text, after its context."""
    text = message.id if isinstance(message.id, str) else message.id[0]
    return f"{message.context} | {text}" if message.context else text


def untranslated(catalog: Catalog) -> list[str]:
    """Entries without a translation (a plural entry: any form missing) or marked fuzzy."""
    def done(string: object) -> bool:
        forms = tuple(string)[:catalog.num_plurals] if isinstance(string, (list, tuple)) \
            else (string,)
        return bool(forms) and all(isinstance(f, str) and f.strip() for f in forms)

    return [key_text(m) for m in catalog if m.id and (m.fuzzy or not done(m.string))]


@contextlib.contextmanager
def locked() -> Iterator[None]:
    """Only one tool changes the catalogues at a time."""
    with open(ROOT / "tools" / "catalogues.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield
