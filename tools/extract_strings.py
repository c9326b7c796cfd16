"""Collect every translatable text and bring the gettext catalogues up to date, with Babel.

    python tools/extract_strings.py            # messages.pot, ko.po and ko.mo up to date
    python tools/extract_strings.py --check    # change nothing; exit 1 on any gap
    python tools/extract_strings.py --keep-obsolete

What is collected is what ``babel.cfg`` names: every ``_("...")``, ``ngettext("...", "...", n)``
and ``pgettext("context", "...")`` under studio/ (inside f-strings too; adjacent literals are
joined as Python joins them), and the bundled samples' titles and descriptions, which the studio
shows through ``i18n.translate``. A call whose text is not a literal (``_(name)``) cannot be
collected; it is reported so its texts can be wrapped where they are written.

The run writes the template ``resources/translations/messages.pot`` (with each text's file and
line), updates ``ko.po`` from it (translations kept; new texts start untranslated; texts no
longer in the code are dropped and listed, or kept as ``#~`` entries with ``--keep-obsolete``)
and compiles ``ko.mo``, which the studio reads. ``--check`` exits 1 when a text is missing from
``ko.po`` or untranslated (or fuzzy), when ``ko.po`` has an obsolete entry, or when ``ko.mo`` or
``messages.pot`` is not what ``ko.po`` and the code make. Translations are filled in by editing
``ko.po`` or with tools/add_translations.py.

Babel's own command line reads the same mapping:
``PYTHONPATH=tools pybabel extract -F babel.cfg -o resources/translations/messages.pot .``
"""

from __future__ import annotations

import argparse
import sys

import i18n_catalogue as cat


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="change nothing; exit 1 on gaps")
    ap.add_argument("--keep-obsolete", action="store_true",
                    help="keep entries that the code no longer uses (as #~ comments)")
    args = ap.parse_args(argv)

    template = cat.extract()
    texts = sum(1 for m in template if m.id)
    gaps = 0
    with cat.locked():
        if args.check:
            old = cat.TEMPLATE.read_bytes() if cat.TEMPLATE.is_file() else b""
            new = cat.render_po(template, line_numbers=True)
            if cat.without_dates(new) != cat.without_dates(old):
                print(f"{cat.TEMPLATE.name} is out of date")
                gaps += 1
        else:
            cat.write_if_changed(template, cat.TEMPLATE, line_numbers=True)
        for lang in cat.LANGUAGES:
            po = cat.po_path(lang)
            catalog = cat.read_catalogue(po) if po.is_file() else cat.new_catalogue(lang)
            stale_mo = not cat.mo_is_current(catalog, cat.mo_path(lang))
            added, obsolete = cat.update(catalog, template, args.keep_obsolete)
            missing = cat.untranslated(catalog)
            for text in added:
                print(f"{lang}: added: {text!r}")
            for text in obsolete:
                kept = " (kept)" if args.keep_obsolete else " (dropped)"
                print(f"{lang}: obsolete{'' if args.check else kept}: {text!r}")
            for text in missing if args.check else ():
                print(f"{lang}: untranslated: {text!r}")
            print(f"{lang}: {texts} texts, {len(added)} added, {len(obsolete)} obsolete, "
                  f"{len(missing)} untranslated")
            if args.check:
                if stale_mo:
                    print(f"{lang}: {cat.mo_path(lang).name} is not compiled from {po.name}")
                gaps += len(added) + len(obsolete) + len(missing) + stale_mo
            else:
                cat.write_if_changed(catalog, po)
                cat.write_mo_if_changed(catalog, cat.mo_path(lang))
    return 1 if gaps else 0


if __name__ == "__main__":
    sys.exit(main())
