"""Searching output for secrets in every form a secret takes on the wire.

A server or proxy that quotes what it received shows a secret as sent, JSON-escaped (``p\\u00e4ss``),
URL-encoded (``p%C3%A4ss``), as the base64 of a Basic header (``base64("KEY:")``) or inside the
header line. ``wire_forms`` lists them (the header line holds the raw or base64 form, so it needs no
search of its own); ``leaked_forms`` searches a text, and the same text JSON-decoded where it is
JSON, since an escaped form written into a JSON string shows up escaped once more.

Servers written in other languages write more forms (\\u00E4, \\/, Go's \\u003c, HTML entities,
Windows-1252 mojibake, hex, base64url, base64 of a longer blob). Those are not listed one by one:
``decoded`` undoes each encoding on the whole text (every hex or base64 run decoded at every
alignment), and the secret is searched for as it is in each result.
"""

import base64
import binascii
import html
import json
import re
import urllib.parse

_UNICODE_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})")
_HEX_RUN = re.compile(r"[0-9a-fA-F]{8,}")
_BASE64_RUN = re.compile(r"[A-Za-z0-9+/_-]{6,}")

# Shorter secrets (and forms) match ordinary text by chance; Ansible masks them anyway.
MIN_SECRET = 4
MIN_FORM = 6


def wire_forms(secret):
    """{form name: text} of one secret."""
    forms = {"raw": secret,
             "json": json.dumps(secret, ensure_ascii=True)[1:-1],
             "url": urllib.parse.quote(secret, safe=""),
             "url+": urllib.parse.quote_plus(secret)}
    for name, credentials in (("basic", secret + ":"), ("basic-user", "admin:" + secret)):
        try:
            forms[name] = base64.b64encode(credentials.encode("utf-8")).decode("ascii")
        except UnicodeEncodeError:  # a lone surrogate: no UTF-8 form
            pass
    return forms


def searchable(text):
    """``text`` and, when it is JSON, every string inside it decoded."""
    texts = [text]
    for line in text.splitlines():
        try:
            value = json.loads(line)
        except ValueError:
            continue
        texts.append(json.dumps(value, ensure_ascii=False))
        texts.extend(_strings(value))
    return texts


def _strings(value):
    stack, found = [value], []
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            found.append(item)
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return found


def _json_token(secret):
    """True for a secret that is also a JSON number or keyword (``null``, ``1234``): it shows up as one."""
    try:
        return not isinstance(json.loads(secret), (str, list, dict))
    except ValueError:
        return False


def decoded(text):
    """``text`` with each encoding a server may apply undone, one per result (a list of texts)."""
    found = [html.unescape(text), _unescape_json(text), _undo_mojibake(text)]
    for run in _HEX_RUN.findall(text):
        for start in (0, 1):
            part = run[start:len(run) - (len(run) - start) % 2]
            found.append(bytes.fromhex(part).decode("utf-8", errors="replace"))
    for run in _BASE64_RUN.findall(text):
        for start in range(4):
            part = run[start:]
            part = part[:len(part) - 1] if len(part) % 4 == 1 else part
            for alphabet in (None, b"-_"):
                try:
                    raw = base64.b64decode(part + "=" * (-len(part) % 4), altchars=alphabet)
                except (binascii.Error, ValueError):
                    continue
                found.append(raw.decode("utf-8", errors="replace"))
    return found


def _unescape_json(text):
    text = _UNICODE_ESCAPE.sub(lambda match: chr(int(match.group(1), 16)), text).replace("\\/", "/")
    return text.encode("utf-16", "surrogatepass").decode("utf-16", errors="replace")  # pairs joined


def _undo_mojibake(text):
    """Text that was UTF-8 read as Windows-1252 (or Latin-1), read back as UTF-8."""
    raw = bytearray()
    for char in text:
        try:
            raw.extend(char.encode("cp1252"))
        except UnicodeEncodeError:
            raw.extend(char.encode("latin-1") if ord(char) < 256 else char.encode("utf-8", "surrogatepass"))
    return raw.decode("utf-8", errors="replace")


def leaked_forms(text, secrets):
    """[(secret, form name)] of every secret form found in ``text`` (empty when none leaked).

    A secret that is also a JSON number or keyword is skipped: every JSON output holds ``null``.
    """
    texts = searchable(text or "")
    undone = decoded(texts[0]) + decoded("\n".join(texts[1:]))
    leaks = []
    for secret in sorted(set(secret for secret in secrets if isinstance(secret, str))):
        if len(secret) < MIN_SECRET or _json_token(secret):
            continue
        for name, form in sorted(wire_forms(secret).items()):
            if (name == "raw" or len(form) >= MIN_FORM) and any(form in item for item in texts):
                leaks.append((secret, name))
        if not any(found == secret for found, _name in leaks) and any(secret in item for item in undone):
            leaks.append((secret, "decoded"))
    return leaks
