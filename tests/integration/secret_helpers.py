"""Searching output for secrets in every form a secret takes on the wire.

A server or proxy that quotes what it received shows a secret as sent, JSON-escaped (``p\\u00e4ss``),
URL-encoded (``p%C3%A4ss``), as the base64 of a Basic header (``base64("KEY:")``) or inside the
header line. ``wire_forms`` lists them (the header line holds the raw or base64 form, so it needs no
search of its own); ``leaked_forms`` searches a text, and the same text JSON-decoded where it is
JSON, since an escaped form written into a JSON string shows up escaped once more.
"""

import base64
import json
import urllib.parse

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


def leaked_forms(text, secrets):
    """[(secret, form name)] of every secret form found in ``text`` (empty when none leaked).

    A secret that is also a JSON number or keyword is skipped: every JSON output holds ``null``.
    """
    texts = searchable(text or "")
    leaks = []
    for secret in sorted(set(secret for secret in secrets if isinstance(secret, str))):
        if len(secret) < MIN_SECRET or _json_token(secret):
            continue
        for name, form in sorted(wire_forms(secret).items()):
            if (name == "raw" or len(form) >= MIN_FORM) and any(form in item for item in texts):
                leaks.append((secret, name))
    return leaks
