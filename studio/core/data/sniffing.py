"""Detection from the start of a file: its encoding (a byte order mark, UTF-8, cp949 when the
text is Korean, latin-1; files mixing two encodings), its separator, its decimal mark and the
lines that look like comments."""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections import Counter

from studio.core.errors import DataError
from studio.core.i18n import _

#: Encodings tried in this order (a UTF-16 or UTF-8 byte order mark decides before any try).
ENCODINGS = ("utf-8-sig", "utf-8", "cp949", "latin-1")
#: The separators detection chooses from, in order of preference on a tie.
SEPARATORS = (",", ";", "\t", "|")

_SNIFF_BYTES = 64 * 1024               # bytes used to detect the separator and decimal mark
_SNIFF_RECORDS = 500

_BOMS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))
_DECIMAL_COMMA = re.compile(r"^\s*[-+]?\d*,\d+(?:[eE][-+]?\d+)?\s*$")
_DECIMAL_POINT = re.compile(r"^\s*[-+]?\d*\.\d+(?:[eE][-+]?\d+)?\s*$")
_NOT_CONTROL = bytes(b for b in range(256) if b >= 32 or b in (9, 10, 12, 13, 26))


def _encoding_candidates(head: bytes, name: str, truncated: bool) -> list[str]:
    """Encodings to try, best first: a byte order mark decides; otherwise the ones that decode
    ``head`` strictly (UTF-8, then cp949 if the result is Korean), then latin-1, which always
    does. The later ones are fallbacks when a large file's start misleads."""
    for bom, encoding in _BOMS:
        if head.startswith(bom):
            return [encoding]
    if head[:4] == b"PK\x03\x04" or head[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise DataError(_("The file {name} looks like an Excel workbook, not a CSV file. In "
                          "Excel choose File > Save As > CSV, then open that file.", name=name))
    probe = head[:_SNIFF_BYTES]
    if b"\x00" in probe or len(probe.translate(None, _NOT_CONTROL)) > len(probe) // 100:
        raise DataError(_("The file {name} does not look like a text CSV file (it contains "
                          "binary data).", name=name))
    if head.isascii():
        return ["utf-8", "cp949", "latin-1"]
    order = []
    if _decode_prefix(head, "utf-8", final=not truncated) is not None:
        order.append("utf-8")
    text = _decode_prefix(head, "cp949", final=not truncated)
    if text is not None and _plausibly_korean(text):
        order.append("cp949")
    return order + ["latin-1"]


def _decode_prefix(head: bytes, encoding: str, final: bool = True,
                   errors: str = "strict") -> str | None:
    """``head`` decoded strictly (a character cut at the end is fine unless ``final``)."""
    try:
        decoder = codecs.getincrementaldecoder(encoding)(errors=errors)
        text = decoder.decode(head, final=final)
    except UnicodeError:  # also UTF-16 without a byte-order mark
        return None
    return text.removeprefix("\ufeff")


def _comment_lines(lines: list[str], hashed: list[int], sep: str,
                   records: list[list[str]], hash_count: int) -> tuple[list[int], bool]:
    """(1-based numbers of the sampled lines that start with ``#`` and look like comments,
    whether ``#`` also appears in other lines). A line like ``#,name,age`` as wide as the
    data rows is a header whose first column is named ``#``, not a comment."""
    if not hashed:
        return [], False
    width = _field_counts(records)[1] if len(records) > 1 else 0
    found = []
    for i in hashed:
        try:
            fields = next(csv.reader([lines[i]], delimiter=sep, quotechar='"'))
        except (csv.Error, StopIteration):
            fields = []
        if len(fields) != width or width <= 1:
            found.append(i + 1)
    in_comments = sum(lines[i].count("#") for i in hashed)
    return found, hash_count > in_comments or len(found) < len(hashed)


def _mixed_encoding(head: bytes, truncated: bool,
                   name: str) -> tuple[str, list[int], int] | None:
    """A file that is UTF-8 in some lines and another encoding in others (two exports pasted
    together, a line typed in another program). A few stray lines (at most
    :data:`_STRAY_LINES`, or 1% of the lines) are read as UTF-8 with a replacement character:
    ``("utf-8", first bad lines, how many)``. More than that raises a :class:`DataError`
    naming the line where the encoding changes: reading half the file wrongly would give
    wrong categories without anyone noticing. None when the file is not mixed."""
    text = head.decode("utf-8", errors="replace")
    bad_chars = text.count("\ufffd")
    non_ascii = len(text) - len(text.encode("ascii", errors="ignore"))
    if not bad_chars or (non_ascii - bad_chars) * 8 < bad_chars:
        return None                        # strictly UTF-8, or hardly UTF-8 at all: not mixed
    lines = text.split("\n")
    if truncated and len(lines) > 1:
        lines.pop()                        # possibly cut in the middle of a character
    bad, good = [], []
    for n, line in enumerate(lines, start=1):
        if "\ufffd" in line:
            bad.append(n)
        elif not line.isascii():
            good.append(n)
    # a few lines of a cp949 file can be valid UTF-8 by chance: mixed needs more than that
    if not bad or (len(good) < 3 and len(good) < 0.1 * (len(good) + len(bad))):
        return None
    if len(bad) <= max(_STRAY_LINES, len(lines) // 100) and len(good) >= len(bad):
        encoding = "utf-8-sig" if head.startswith(codecs.BOM_UTF8) else "utf-8"
        return encoding, bad[:5], len(bad)
    raw = head.split(b"\n")
    change = next((n for n in bad if n > good[0]), bad[0]) if good[0] < bad[0] else \
        next((n for n in good if n > bad[0]), good[0])
    before, after = ("UTF-8", None) if good[0] < bad[0] else (None, "UTF-8")
    other = "cp949" if all(_decode_prefix(raw[n - 1], "cp949") is not None
                           for n in bad[:50]) else _("another encoding")
    raise DataError(_("The file {name} changes encoding at line {line}: the lines before it "
                      "are {before}, the lines from it on are {after}. Open it in a text editor "
                      "or Excel and save it again as UTF-8 (in Excel: CSV UTF-8), then open "
                      "that file.", name=name, line=change, before=before or other,
                      after=after or other))


_STRAY_LINES = 5


def _mixed_message(name: str, encoding: str, lines: list[int], count: int) -> str:
    return _("The file {name} is not all in one encoding: {count} lines are not UTF-8 (lines "
             "{lines}). They were read with \ufffd in place of the characters that could not "
             "be decoded. Save the file again as UTF-8 (in Excel: CSV UTF-8) to read them "
             "correctly.", name=name, count=count, lines=", ".join(map(str, lines)))


def _plausibly_korean(text: str) -> bool:
    """cp949 decodes many Western byte pairs too; real Korean text is mostly Hangul."""
    non_ascii = [c for c in text[:200_000] if ord(c) > 127]
    if not non_ascii:
        return True
    hangul = sum(1 for c in non_ascii if "\uac00" <= c <= "\ud7a3" or "\u3130" <= c <= "\u318f")
    return hangul >= 0.5 * len(non_ascii)


def _sample_records(text: str, sep: str, truncated: bool) -> list[list[str]]:
    """The first records of ``text`` split on ``sep`` with CSV quoting; blank lines skipped.
    When ``text`` is only the start of the file its last record may be cut, so it is dropped."""
    sample = text[:_SNIFF_BYTES]
    cut = truncated or len(text) > len(sample)
    records: list[list[str]] = []
    reader = csv.reader(io.StringIO(sample), delimiter=sep, quotechar='"', doublequote=True)
    try:
        for record in reader:
            if record and any(field.strip() for field in record):
                records.append(record)
            if len(records) > _SNIFF_RECORDS:
                cut = True
                break
    except csv.Error:
        cut = True
    if cut and len(records) > 1:
        records.pop()                          # possibly incomplete
    return records


def _field_counts(records: list[list[str]]) -> tuple[int, int, float]:
    """(header fields, most common data row width, share of data rows with that width)."""
    header = len(records[0])
    data = [len(r) for r in records[1:]] or [header]
    mode, n = Counter(data).most_common(1)[0]
    return header, mode, n / len(data)


def detect_separator(text: str, truncated: bool = False) -> str:
    """The separator among :data:`SEPARATORS` that splits ``text`` into consistent rows.

    Each candidate is scored by the width of its rows (with CSV quoting, so quoted commas and
    line breaks do not count): a header as wide as the data rows with more than one column, then
    a header as wide as the rows (a one-column file of ``3,14``-style numbers is not split on
    its decimal commas), then the most rows of the same width win. ``csv.Sniffer`` alone often
    guesses wrong (a decimal-comma file, a comma inside text), so its guess only breaks ties.
    """
    scores = {}
    for sep in SEPARATORS:
        records = _sample_records(text, sep, truncated)
        if not records:
            continue
        header, mode, consistency = _field_counts(records)
        # rows that end with a separator ("1,2,3,") still match a header "a,b,c"
        header_ok = header == mode or (
            mode == header + 1
            and sum(1 for r in records[1:] if len(r) == mode and not r[-1].strip())
            >= 0.9 * max(1, len(records) - 1))
        scores[sep] = (mode > 1 and header_ok, header_ok, mode > 1, consistency >= 0.9,
                       consistency, mode)
    if not scores:
        return ","
    best = max(scores.values())
    tied = [s for s in SEPARATORS if scores.get(s) == best]
    if len(tied) > 1:
        try:
            sniffed = csv.Sniffer().sniff(text[:_SNIFF_BYTES], delimiters="".join(SEPARATORS))
            if sniffed.delimiter in tied:
                return sniffed.delimiter
        except csv.Error:
            pass
    return tied[0]


def detect_decimal(records: list[list[str]], sep: str) -> str:
    """``","`` when a non-comma separated sample has numbers like ``3,14``; else ``"."``."""
    if sep == ",":
        return "."
    comma = point = 0
    for record in records[1:]:
        for value in record:
            if "," in value and _DECIMAL_COMMA.match(value):
                comma += 1
            elif "." in value and _DECIMAL_POINT.match(value):
                point += 1
    return "," if comma > 0 and comma >= point else "."
