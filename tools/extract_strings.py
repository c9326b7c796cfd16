"""Collect every ``_("...")`` literal under studio/ (and the bundled samples' titles and
descriptions) and update the Korean catalogue.

    python tools/extract_strings.py            # update resources/translations/ko.json
    python tools/extract_strings.py --check    # exit 1 if keys are missing, empty or obsolete
    python tools/extract_strings.py --keep-obsolete

The source text is the key (see studio/core/i18n.py). Adjacent string literals are joined as
Python joins them. Calls whose first argument is not a literal (``_(name)``) cannot be
extracted; they are reported so their texts can be wrapped at the place they are written.
Existing translations are kept; new keys get an empty value; keys no longer in the code are
dropped (and listed) unless ``--keep-obsolete``.
"""

from __future__ import annotations

import argparse
import ast
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE_DIR = ROOT / "studio"
CATALOGUE = ROOT / "resources" / "translations" / "ko.json"


@dataclass
class Extraction:
    #: source text -> first "file:line" that uses it
    strings: dict[str, str] = field(default_factory=dict)
    #: "file:line: code" of calls whose argument is not a literal
    non_literal: list[str] = field(default_factory=list)


def _literal(node: ast.AST) -> str | None:
    """The text of a string literal (implicit concatenation is one Constant already)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def extract_file(path: Path, result: Extraction, root: Path = ROOT) -> None:
    source = path.read_text(encoding="utf-8")
    tree = ast.parse(source, filename=str(path))
    rel = path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                and node.func.id == "_" and node.args):
            continue
        text = _literal(node.args[0])
        where = f"{rel}:{node.lineno}"
        if text is None:
            result.non_literal.append(f"{where}: {ast.get_source_segment(source, node)}")
        elif text.strip():
            result.strings.setdefault(text, where)


def extract(source_dir: Path = SOURCE_DIR) -> Extraction:
    result = Extraction()
    for path in sorted(source_dir.rglob("*.py")):
        extract_file(path, result, source_dir.parent)
    extract_samples(source_dir.parent / "resources" / "datasets" / "samples.json", result)
    return result


def extract_samples(index: Path, result: Extraction) -> None:
    """The bundled samples' titles and descriptions (``core.data.list_samples`` translates
    them with ``i18n.translate``)."""
    if not index.is_file():
        return
    for entry in json.loads(index.read_text(encoding="utf-8")):
        for key in ("title", "description"):
            text = entry.get(key)
            if isinstance(text, str) and text.strip():
                result.strings.setdefault(text, f"resources/datasets/samples.json:{key}")


def load_catalogue(path: Path = CATALOGUE) -> dict[str, str]:
    if not path.is_file():
        return {}
    return json.loads(path.read_text(encoding="utf-8") or "{}")


def merge(strings: dict[str, str], old: dict[str, str],
          keep_obsolete: bool = False) -> tuple[dict[str, str], list[str], list[str]]:
    """(new catalogue, added keys, obsolete keys). The catalogue is sorted by key."""
    added = [s for s in strings if s not in old]
    obsolete = [k for k in old if k not in strings]
    keys = set(strings) | (set(obsolete) if keep_obsolete else set())
    return {k: old.get(k, "") for k in sorted(keys)}, added, obsolete


def write_catalogue(catalogue: dict[str, str], path: Path = CATALOGUE) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(catalogue, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    tmp.replace(path)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="change nothing; exit 1 on gaps")
    ap.add_argument("--keep-obsolete", action="store_true",
                    help="keep keys that the code no longer uses")
    ap.add_argument("--catalogue", type=Path, default=CATALOGUE)
    args = ap.parse_args(argv)

    result = extract()
    old = load_catalogue(args.catalogue)
    catalogue, added, obsolete = merge(result.strings, old, args.keep_obsolete)
    untranslated = [k for k in result.strings if not catalogue.get(k, "").strip()]
    for line in result.non_literal:
        print(f"non-literal _() call: {line}", file=sys.stderr)
    for key in added:
        print(f"added: {result.strings[key]}: {key!r}")
    for key in obsolete:
        print(f"obsolete{' (kept)' if args.keep_obsolete else ' (dropped)'}: {key!r}")
    print(f"{len(result.strings)} strings, {len(added)} added, {len(obsolete)} obsolete, "
          f"{len(untranslated)} untranslated, {len(result.non_literal)} non-literal calls")
    if args.check:
        return 1 if (untranslated or obsolete) else 0
    write_catalogue(catalogue, args.catalogue)
    return 0


if __name__ == "__main__":
    sys.exit(main())
