"""Any file name as one printable line, for messages and for every output that names a file.

A folder a unit sends may hold names that are not valid in the platform's encoding (bytes from an
old Mac or a ZIP made elsewhere: Python keeps them as lone surrogates, which no UTF-8 writer
accepts) or that hold a newline, carriage return or tab (which would split a one-line message).
Such a name is shown decoded as the platform decodes it, with every undecodable byte written
``\\xe5`` and every control or line-separating character escaped (``\\n``, ``\\r``, ``\\t``,
``\\x1b``, ``\\u2028``): legible, one line, and writable as UTF-8 everywhere. Only for showing: the
file itself is always opened by its real name.
"""
from __future__ import annotations

import os
import unicodedata

_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
_ESCAPED_CATEGORIES = ("Cc", "Cs", "Zl", "Zp")  # controls, surrogates, line and paragraph separators


def shown(path: str | bytes | os.PathLike) -> str:
    """``path`` (str, bytes or a path object) as one printable line of valid Unicode."""
    text = os.fspath(path)
    if isinstance(text, bytes):
        text = os.fsdecode(text)  # as the platform decodes names: undecodable bytes become surrogates
    if text.isprintable():  # the common case, at C speed
        return text
    return "".join(_escape(c) if unicodedata.category(c) in _ESCAPED_CATEGORIES else c for c in text)


def _escape(char: str) -> str:
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # an undecodable byte, as os.fsdecode keeps it (surrogateescape)
        return f"\\x{code - 0xDC00:02x}"
    return _NAMED.get(char) or (f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
