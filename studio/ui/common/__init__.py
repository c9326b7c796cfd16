"""Pieces every step uses: the theme and fonts, small widgets, number fields, guarded slots,
the language-switch texts."""
