# -*- coding: utf-8 -*-
# Copyright (c) 2026, secops.async_tasks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Reading values out of replies the collection does not control: numbers and bodies.

FOR INTERNAL COLLECTION USE ONLY: this module may change in any release.
"""

from __future__ import annotations

import json

# Reply members never quoted in a message, whatever else is.
_HIDDEN = frozenset(("session", "passwd", "password", "api_key", "apikey", "token", "access_token"))
EXCERPT_CHARS = 300


def to_int(value):
    """An int from an int, a float or a numeric string; None when there is no number.

    Booleans are not numbers here (JSON ``true`` is not a status code), and ``1e999``, valid
    JSON parsed as infinity, is None rather than an ``OverflowError``.
    """
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return value
    try:
        return int(float(str(value).strip()))
    except (TypeError, ValueError, OverflowError):
        return None


def describe_body(reply):
    """What a reply (``transport.HttpReply``) that is not a JSON object looks like, for an error message."""
    head = (reply.text or "").lstrip()[:1]
    if not head:
        return "empty body"
    if head == "<":
        return "an HTML page"
    if reply.json is not None:
        return "JSON, but not an object"
    return getattr(reply, "problem", None) or "not JSON"


def code_of(value):
    """A status code as an int, or the value as it came when it is no number.

    A code that is not a number must still read as "not 0" (an error), never as "no code".
    """
    number = to_int(value)
    return value if number is None else number


def describe_json(value):
    """A short excerpt of a decoded reply for an error message ("say what came back"), secrets hidden."""
    def hide(item):
        if isinstance(item, dict):
            return dict((key, "<hidden>" if str(key).lower() in _HIDDEN else hide(val)) for key, val in item.items())
        if isinstance(item, list):
            return [hide(val) for val in item]
        return item
    text = json.dumps(hide(value), sort_keys=True, default=str)
    return text if len(text) <= EXCERPT_CHARS else text[:EXCERPT_CHARS] + "... (%d characters)" % len(text)
