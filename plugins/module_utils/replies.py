# -*- coding: utf-8 -*-
# Copyright (c) 2026, secops.async_tasks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The first half of the reply model: bytes from the wire to a JSON value of bounded shape, or a problem.

FOR INTERNAL COLLECTION USE ONLY: this module may change in any release.

``read_body(raw, content_type)`` gives ``(text, value, problem)``: the text decoded in the charset the
Content-Type names (UTF-8, JSON's own encoding, otherwise) without replacing anything, the parsed JSON
value, and when the body is not usable, a short description of why (for a ``MalformedResponse``):
not valid in its charset, not JSON, a number that is not finite (``NaN``, ``1e999``), or nesting
deeper than ``MAX_DEPTH`` (no reply of either product nests past 8; a deeper one would only make the
result handed to Ansible impossible to serialise). The product clients then check the shape of the
value they read with ``field`` (faz.py, faz_views.py, gz.py): every field a parser reads has a
kind, and a value of another kind is a ``MalformedResponse`` naming the field, never a value
passed on as if it were right. ``to_int`` is the one integer reader of the collection (the filters'
plugin_utils use it too); ``code_of``, ``describe_body`` and ``describe_json`` word what came back.
"""

from __future__ import annotations

import codecs
import json
import math

from ansible_collections.secops.async_tasks.plugins.module_utils.errors import MalformedResponse
from ansible_collections.secops.async_tasks.plugins.module_utils.redaction import is_secret_key

MAX_DEPTH = 32
KIND_WORDS = {"text": "text", "int": "an integer", "number": "a number", "id": "an id (text or an integer)",
              "object": "an object", "list": "a list", "bool": "true or false"}
EXCERPT_CHARS = 300


class _NotFinite(ValueError):
    pass


def charset(content_type):
    """The charset a Content-Type names; UTF-8 otherwise, JSON's own encoding (RFC 8259).

    requests would guess ISO-8859-1 for a text/* type without a charset and garble non-ASCII.
    """
    for part in (content_type or "").split(";")[1:]:
        name, _sep, value = part.strip().partition("=")
        if name.lower() == "charset" and value.strip('"'):
            try:
                return codecs.lookup(value.strip('"')).name
            except LookupError:
                break
    return "utf-8"


def read_body(raw, content_type):
    """``(text, value, problem)`` of a reply body; ``value`` is None whenever ``problem`` is set."""
    encoding = charset(content_type)
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError:
        return raw.decode(encoding, errors="replace"), None, "a body that is not valid %s" % encoding.upper()
    if not text:
        return text, None, "an empty body"
    value, problem = parse_json(text)
    return text, value, problem


def parse_json(text):
    """``(value, problem)``: the JSON value of ``text``, or None and why it cannot be used."""
    try:
        value = json.loads(text, parse_constant=_not_finite, parse_float=_finite_float)
    except _NotFinite:
        return None, "a number that is not finite (NaN or Infinity)"
    except RecursionError:
        return None, "JSON nested more than %d levels deep" % MAX_DEPTH
    except ValueError:
        return None, "a body that is not JSON"
    if depth_exceeds(value, MAX_DEPTH):
        return None, "JSON nested more than %d levels deep" % MAX_DEPTH
    return value, None


def _not_finite(name):
    raise _NotFinite(name)


def _finite_float(text):
    number = float(text)
    if number in (float("inf"), float("-inf")):
        raise _NotFinite(text)
    return number


def depth_exceeds(value, limit):
    """True when lists/objects nest more than ``limit`` levels inside ``value`` (checked without recursion)."""
    stack = [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if level > limit:
            return True
        stack.extend((child, level + 1) for child in children)
    return False


def field(container, key, kind, where, required=False):
    """``container[key]`` when it is of ``kind`` (None when absent or null and not ``required``).

    Kinds: ``text``; ``int`` (an integer, or a number or numeric text without a fraction, as some
    builds send: returned as int); ``number`` (a count or percentage: any finite number or numeric
    text, its fraction dropped); ``id`` (text or an integer); ``object``; ``list``; ``bool``.
    Anything else raises MalformedResponse: "<where>: 'key' is a list, expected an integer".
    """
    value = container.get(key)
    if value is None:
        if required:
            raise MalformedResponse("%s has no %r" % (where, key))
        return None
    converted = _as_kind(value, kind)
    if converted is None:
        raise MalformedResponse("%s: %r is %s, expected %s" % (where, key, json_kind(value), KIND_WORDS[kind]))
    return converted


def _as_kind(value, kind):
    if kind in ("int", "number"):
        return to_int(value, exact=kind == "int")
    if kind == "id":
        return value if isinstance(value, str) or to_int(value, exact=True) is not None else None
    wanted = {"text": str, "object": dict, "list": list, "bool": bool}[kind]
    return value if isinstance(value, wanted) else None


def to_int(value, exact=False):
    """An int from an int, a finite number or numeric text; None when there is no number.

    Booleans are not numbers here (JSON ``true`` is not a status code), and neither are NaN or
    infinity (``1e999`` is valid JSON). A fraction is dropped, or with ``exact`` makes the value None.
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        try:
            value = float(value.strip())
        except ValueError:
            return None
    if not isinstance(value, float) or not math.isfinite(value) or (exact and not value.is_integer()):
        return None
    return int(value)


def code_of(value):
    """A status code as an int, or the value as it came when it is no number.

    A code that is not a number must still read as "not 0" (an error), never as "no code".
    """
    number = to_int(value)
    return value if number is None else number


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


def describe_json(value):
    """A short excerpt of a decoded reply for an error message ("say what came back"), secrets hidden."""
    def hide(item):
        if isinstance(item, dict):
            return dict((key, "<hidden>" if is_secret_key(key) else hide(val)) for key, val in item.items())
        if isinstance(item, list):
            return [hide(val) for val in item]
        return item
    text = json.dumps(hide(value), sort_keys=True, default=str)
    return text if len(text) <= EXCERPT_CHARS else text[:EXCERPT_CHARS] + "... (%d characters)" % len(text)


def json_kind(value):
    """How a JSON value is described in a message: 'null', 'true or false', 'a number', 'text', ..."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "text"
    return "a list" if isinstance(value, list) else "an object"
