# -*- coding: utf-8 -*-
# Copyright (c) 2026, secops.async_tasks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Masking secrets in every form they take on the wire, in text and in whole results.

FOR INTERNAL COLLECTION USE ONLY: this module may change in any release.

Ansible masks the values of ``no_log`` options as they are. A server, a proxy or an exception can
quote a secret in another form: JSON-escaped (``p\\u00e4ss``, ``P\\u00E4SS`` hex in upper case, ``\\/``,
Go's ``\\u003c\\u0026\\u003e``), HTML entities (``&auml;``, ``&#228;``, ``&#xE4;``), URL-encoded
(``p%C3%A4ss``), hex, base64 or base64url (of a Basic header, ``base64("KEY:")``, or of the secret
inside a longer blob at any of the three byte offsets), or UTF-8 read as Latin-1 or Windows-1252
(``pÃ¤ss``). ``forms`` lists them; ``redact`` masks every form of every secret in a text, ``redact_data`` in every string (keys
included) of a result. A header line (``Authorization: Bearer KEY``) holds one of these forms, so it
is masked with them.
"""

from __future__ import annotations

import base64
import html
import json
import re

from html.entities import codepoint2name
from urllib.parse import quote, quote_plus

REDACTED = "********"
# Keys whose value is a secret wherever they appear (request or reply members, headers), compared in
# lower case: what an error excerpt hides (replies.describe_json) and what a transcript blanks out.
SECRET_KEYS = frozenset(("passwd", "password", "session", "sid", "api_key", "apikey", "access_token", "token",
                         "secret", "authorization", "x-api-key"))
# Shorter secrets would mask ordinary text (Ansible masks them as they are anyway).
MIN_SECRET = 4
# Go's encoding/json escapes these three (and keeps other non-ASCII characters as they are).
GO_ESCAPES = (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"))
_UNICODE_ESCAPE = re.compile(r"\\u([0-9a-f]{4})")


def is_secret_key(key):
    """True when a member or header named ``key`` holds a secret (SECRET_KEYS, any case)."""
    return str(key).lower() in SECRET_KEYS


def forms(secret):
    """Every form of ``secret`` worth masking (at least MIN_SECRET characters each)."""
    found = set([secret])
    found.update(_escaped_forms(secret))
    try:
        encoded = secret.encode("utf-8")
    except UnicodeEncodeError:  # an unpaired surrogate: none of the byte forms exist
        encoded = None
    if encoded is not None:
        found.update((quote(secret, safe=""), quote(secret), quote_plus(secret), quote(secret, safe="").lower(),
                      encoded.decode("latin-1"), _cp1252(encoded), encoded.hex(), encoded.hex().upper()))
        for raw in (encoded + b":", encoded):
            found.add(base64.b64encode(raw).decode("ascii").rstrip("="))
            found.add(base64.urlsafe_b64encode(raw).decode("ascii").rstrip("="))
        found.update(_base64_inside(encoded))
    return set(form for form in found if len(form) >= MIN_SECRET)


def _escaped_forms(secret):
    """The secret inside JSON (Python's, upper-case hex, ``\\/``, Go's ``\\u003c``) and HTML (named, decimal, hex)."""
    ascii_json = json.dumps(secret)[1:-1]
    utf8_json = json.dumps(secret, ensure_ascii=False)[1:-1]
    upper_json = _UNICODE_ESCAPE.sub(lambda match: "\\u" + match.group(1).upper(), ascii_json)
    found = set((ascii_json, utf8_json, upper_json))
    found.update(text.replace("/", "\\/") for text in list(found))
    for text in (utf8_json, ascii_json):
        for char, escape in GO_ESCAPES:
            text = text.replace(char, escape)
        found.add(text)
    for apostrophe in ("'", "&#x27;", "&#39;", "&apos;"):
        specials = html.escape(secret, quote=True).replace("&#x27;", apostrophe)
        found.add(specials)
        found.add("".join(_named(char) for char in specials))
    found.add("".join(char if _plain(char) else "&#%d;" % ord(char) for char in secret))
    found.add("".join(char if _plain(char) else "&#x%X;" % ord(char) for char in secret))
    found.add("".join(char if _plain(char) else "&#x%x;" % ord(char) for char in secret))
    return found


def _plain(char):
    return char.isalnum() and ord(char) < 128


def _named(char):
    name = codepoint2name.get(ord(char)) if ord(char) > 127 else None
    return "&%s;" % name if name else char


def _cp1252(encoded):
    """UTF-8 bytes read as Windows-1252, the five bytes it leaves undefined read as Latin-1 (as Windows does)."""
    return "".join(bytes((byte,)).decode("cp1252", errors="ignore") or chr(byte) for byte in encoded)


def _base64_inside(encoded):
    """The base64 and base64url characters that stand for ``encoded`` alone, when it starts 0, 1 or 2 bytes
    past a 3-byte boundary of a longer blob and more bytes follow (the characters that mix in the
    neighbouring bytes are left out)."""
    found = set()
    for offset in (0, 1, 2):
        padded = b"\0" * offset + encoded
        first = -(-8 * offset // 6)
        last = 8 * len(padded) // 6
        for encode in (base64.b64encode, base64.urlsafe_b64encode):
            found.add(encode(padded).decode("ascii")[first:last])
    return found


# The secrets of the last call and their compiled alternations, swapped as one tuple (threads share it).
_LAST = {"pattern": (frozenset(), None, None)}


def _alternation(texts):
    ordered = sorted(texts, key=len, reverse=True)
    return re.compile("|".join(re.escape(text) for text in ordered)) if ordered else None


def _patterns(secrets):
    """``(mask, detect)``: a regex of every form of every secret, and one of those forms as they
    appear inside a JSON text (``json.dumps(..., ensure_ascii=False)``); rebuilt only when the set
    of secrets changed."""
    key = frozenset(str(secret) for secret in list(secrets) if secret and len(str(secret)) >= MIN_SECRET)
    known, mask, detect = _LAST["pattern"]
    if key != known:
        every = set()
        for secret in key:
            every.update(forms(secret))
        mask = _alternation(every)
        detect = _alternation(set(json.dumps(form, ensure_ascii=False)[1:-1] for form in every))
        _LAST["pattern"] = (key, mask, detect)
    return mask, detect


def _pattern(secrets):
    """One regex matching every form of every secret."""
    return _patterns(secrets)[0]


def redact(text, secrets):
    """``text`` with every form of every secret (MIN_SECRET characters or more) masked."""
    if not text:
        return text
    regex = _pattern(secrets)
    text = str(text)
    return regex.sub(REDACTED, text) if regex is not None else text


def redact_data(value, secrets):
    """A result (dicts, lists, strings, keys included) with every form of every secret masked.

    Large results (ten thousand log rows) rarely hold a secret, and walking every string of them
    costs more than the search: the result is serialised once (JSON escapes each character on its
    own, so a string holding a form holds its escaped spelling in the text) and searched for any
    form. Only when one is there, or the result is not JSON data, is every string walked (a
    copy, lists for tuples). The same as the full walk (``walk_data``) once serialised, which is
    how a result leaves: a property test proves it (tests/unit/plugins/module_utils/test_redaction.py).
    """
    mask, detect = _patterns(secrets)
    if mask is None:
        return value
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        return _walk(value, mask)
    if detect.search(text) is None:
        return value
    return _walk(value, mask)


def walk_data(value, secrets):
    """``redact_data`` without the fast path: every string of ``value`` searched (the reference)."""
    mask = _pattern(secrets)
    return value if mask is None else _walk(value, mask)


def _walk(value, regex):
    if isinstance(value, str):
        return regex.sub(REDACTED, value) if regex.search(value) else value
    if isinstance(value, dict):
        return dict((_walk(key, regex), _walk(item, regex)) for key, item in value.items())
    if isinstance(value, (list, tuple)):
        return [_walk(item, regex) for item in value]
    return value
