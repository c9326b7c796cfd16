"""Bundled fonts: NanumGothic (SIL OFL 1.1, see resources/fonts/LICENSE-Nanum.txt).

Classroom machines often have no Korean font; without one, Hangul shows as empty boxes.
:func:`register_fonts` adds the bundled files to Qt's font database once per process, and
:func:`ui_families` is the fallback list the theme gives the application font: the platform's
own UI font first (it looks native for Latin text), then NanumGothic for Hangul.
"""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontDatabase

from studio import resources

FONT_FILES = ("fonts/NanumGothic.ttf", "fonts/NanumGothicBold.ttf")
KOREAN_FAMILY = "NanumGothic"

_registered: list[str] | None = None


def register_fonts() -> list[str]:
    """Register the bundled fonts (needs a QGuiApplication); returns their family names."""
    global _registered
    if _registered is not None:
        return list(_registered)
    families: list[str] = []
    for relative in FONT_FILES:
        if not resources.exists(relative):
            continue
        # Qt reads the file when it is added; as_file gives a real path even from a zip.
        with resources.as_file(relative) as path:
            font_id = QFontDatabase.addApplicationFont(str(path))
        if font_id >= 0:
            families += [f for f in QFontDatabase.applicationFontFamilies(font_id)
                         if f not in families]
    _registered = families
    return list(families)


def ui_families(base: QFont) -> list[str]:
    """The application font's family list: the platform UI font, then the Korean fallback."""
    families = [f for f in base.families() or [base.family()] if f]
    if KOREAN_FAMILY in (register_fonts() or []) and KOREAN_FAMILY not in families:
        families.append(KOREAN_FAMILY)
    return families
