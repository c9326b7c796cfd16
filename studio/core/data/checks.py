"""What reading is given, checked before anything is read: the path (missing, a folder, a
device ...), the encoding, the separator and the :class:`~studio.core.data.types.ReadOptions`
as a whole (the CLI's flags, the Data step's choices and a project file's read options all
come through :func:`check_read_options`)."""

from __future__ import annotations

import codecs
import os
import unicodedata
from pathlib import Path
from typing import Any

from studio.core.data.types import _MAX_LIST, _MAX_TEXT, ReadOptions
from studio.core.errors import DataError
from studio.core.i18n import _

_SEP_ALIASES = {"tab": "\t", "\\t": "\t", "comma": ",", "semicolon": ";", "pipe": "|",
                "space": " "}


def _expand(text: str) -> Path:
    """``text`` as a path with ``~`` and ``~user`` expanded (a :class:`DataError` when there is
    no such user or home folder)."""
    if "\x00" in text:
        raise DataError(_("The file name {path} contains a NUL character.", path=repr(text)[:80]))
    try:
        return Path(text).expanduser()
    except (RuntimeError, KeyError):
        user = text.split("/", 1)[0].split(os.sep, 1)[0]
        raise DataError(_("The path {path} starts with {user}, but there is no such user (or "
                          "no home folder) on this computer.", path=text, user=user)) from None


def check_data_path(path: Path) -> None:
    """Refuse, with a specific message, a path that is not a readable regular file: missing,
    a folder, a pipe (FIFO), a device such as /dev/zero, a socket, a name too long for the
    system, a folder that cannot be entered."""
    import errno
    import stat as stat_module

    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise DataError(_("File not found: {path}", path=str(path))) from None
    except NotADirectoryError:
        raise DataError(_("File not found: {path} (a part of the path is a file, not a "
                          "folder).", path=str(path))) from None
    except PermissionError:
        raise DataError(_("Permission denied: {path} cannot be read (a folder on the way "
                          "cannot be entered).", path=str(path))) from None
    except OSError as exc:
        if exc.errno == errno.ENAMETOOLONG:
            raise DataError(_("The file name is too long for this system ({n} characters): "
                              "{path}", n=len(str(path)), path=_short(str(path)))) from None
        raise DataError(_("The file {path} could not be opened: {reason}", path=str(path),
                          reason=exc.strerror or str(exc))) from None
    except ValueError:          # an embedded NUL
        raise DataError(_("The file name {path} contains a NUL character.",
                          path=repr(str(path))[:80])) from None
    mode = st.st_mode
    if stat_module.S_ISDIR(mode):
        raise DataError(_("{path} is a folder, not a CSV file.", path=str(path)))
    if stat_module.S_ISFIFO(mode):
        raise DataError(_("{path} is a pipe (FIFO), not a file: save the data to a CSV file "
                          "and open that.", path=str(path)))
    if stat_module.S_ISCHR(mode) or stat_module.S_ISBLK(mode):
        raise DataError(_("{path} is a device, not a CSV file.", path=str(path)))
    if stat_module.S_ISSOCK(mode):
        raise DataError(_("{path} is a socket, not a CSV file.", path=str(path)))
    if not stat_module.S_ISREG(mode):
        raise DataError(_("{path} is not a regular file.", path=str(path)))
    if not os.access(path, os.R_OK):
        raise DataError(_("Permission denied: you may not read {path}.", path=str(path)))


def _short(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[:limit // 2] + "…" + text[-limit // 2:]


def _normalise_sep(sep: str | None) -> str | None:
    if sep is None or sep == "":
        return None
    return _alias(sep)


def _alias(sep: str) -> str:
    """The character a separator name (``tab``, ``semicolon`` ...) stands for."""
    return _SEP_ALIASES.get(sep.lower(), sep) if len(sep) > 1 else sep


def check_encoding(encoding: Any) -> str:
    """``encoding`` if Python knows it as a text encoding; ``rot13``, ``base64`` or ``hex``
    (codecs that are not text encodings) and unknown names raise :class:`DataError`."""
    shown = repr(encoding)[:60]
    if not isinstance(encoding, str) or not encoding.strip():
        raise DataError(_("Unknown encoding: {encoding}.", encoding=shown))
    try:
        info = codecs.lookup(encoding)
    except (LookupError, ValueError, TypeError):
        raise DataError(_("Unknown encoding: {encoding}. Use one like utf-8, cp949 or latin-1.",
                          encoding=shown)) from None
    if not getattr(info, "_is_text_encoding", True):
        raise DataError(_("{encoding} is not a text encoding (it turns bytes into other "
                          "bytes). Use one like utf-8, cp949 or latin-1.", encoding=shown))
    return encoding


def check_separator(sep: Any) -> str | None:
    """The one character ``sep`` stands for (a name like ``tab`` or ``semicolon`` is
    accepted), None for "detect"; anything else (several characters, a quote, a line break,
    a digit) raises :class:`DataError`. A separator is never a regular expression."""
    if sep is None or sep == "":
        return None
    if not isinstance(sep, str):
        raise DataError(_("The separator {sep} cannot be used.", sep=repr(sep)[:40]))
    one = _alias(sep)
    bad = len(one) != 1 or one in "\"\r\n." or one.isalnum() \
        or (unicodedata.category(one) in ("Cc", "Cs") and one != "\t")
    if bad:
        raise DataError(_("The separator {sep} cannot be used: give one character such as , or "
                          "; or a name: {names}.", sep=repr(sep)[:40],
                          names="tab, comma, semicolon, pipe, space"))
    return one


def check_read_options(options: ReadOptions) -> ReadOptions:
    """``options`` checked once, before any reading (the CLI's flags, the Data step's
    choices and a project file's read options all come through here): a known text
    encoding, a one-character separator, ``.`` or ``,`` as the decimal mark, a one-character
    comment mark, short lists of missing-value markers and column names."""
    if not isinstance(options, ReadOptions):
        raise DataError(_("The read options are invalid."))
    if options.encoding is not None:
        check_encoding(options.encoding)
    sep = check_separator(options.sep)
    if options.decimal not in (None, ".", ","):
        raise DataError(_("The decimal mark {mark} cannot be used: choose . or ,.",
                          mark=repr(options.decimal)[:40]))
    if options.decimal is not None and sep is not None and options.decimal == sep:
        raise DataError(_("The separator and the decimal mark cannot be the same character."))
    if not isinstance(options.header, bool) or not isinstance(options.strip_spaces, bool):
        raise DataError(_("The read options are invalid."))
    if options.comment is not None:
        c = options.comment
        if not isinstance(c, str) or len(c) != 1 or c in "\"\r\n" or c == sep \
                or c.isalnum() or ord(c) < 32:
            raise DataError(_("The comment mark {mark} cannot be used: give one character "
                              "such as #.", mark=repr(c)[:40]))
    for key in ("na_values", "number_columns"):
        value = getattr(options, key)
        if not isinstance(value, list) or len(value) > _MAX_LIST \
                or any(not isinstance(v, str) or len(v) > _MAX_TEXT or "\x00" in v
                       for v in value):
            raise DataError(_("The read option {key} must be a list of at most {n} short "
                              "texts.", key=key, n=_MAX_LIST))
    return options
