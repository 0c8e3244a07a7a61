# -*- coding: utf-8 -*-
# Copyright (c) 2026, secops.async_tasks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Text helpers for the controller-side plugins (filters): nothing here runs on a managed node."""

from __future__ import annotations

import unicodedata

# Shown by name: the control characters people recognise.
_NAMED = {"\r": "\\r", "\n": "\\n", "\t": "\\t"}
# Characters that end a line, or reorder what a terminal shows, without being "Cc" controls.
_LINE_AND_BIDI = frozenset("\u0085\u2028\u2029\u200e\u200f\u061c") | frozenset(chr(c) for c in range(0x202A, 0x202F)) \
    | frozenset(chr(c) for c in range(0x2066, 0x206A))


def _escaped(char):
    if char in _NAMED:
        return _NAMED[char]
    if char in _LINE_AND_BIDI or unicodedata.category(char) == "Cc":
        code = ord(char)
        return "\\x%02x" % code if code < 0x100 else "\\u%04x" % code
    return char


def one_line(value):
    """``value`` as text that prints as exactly one line.

    Control characters (CR, LF, tab, the rest of C0 and C1), Unicode line and paragraph separators
    and bidirectional overrides are replaced by visible escapes (``\\r``, ``\\n``, ``\\x1b``,
    ``\\u2028``), so text from a server cannot start a line of its own or disguise one.
    ``None`` becomes an empty string.
    """
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    if text.isprintable():
        return text
    return "".join(_escaped(char) for char in text)
