# -*- coding: utf-8 -*-
# Copyright (c) 2026, secops.async_tasks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The first half of the reply model: bytes from the wire to a JSON value of bounded shape, or a problem.

FOR INTERNAL COLLECTION USE ONLY: this module may change in any release.

``read_body(raw, content_type)`` gives ``(text, value, problem)``: the text decoded in the charset the
Content-Type names (UTF-8, JSON's own encoding, otherwise) without replacing anything, the parsed JSON
value, and when the body is not usable, a short description of why (for a ``MalformedResponse``):
not valid in its charset, not JSON, a number that is not finite (``NaN``, ``1e999``), a key twice in
one object (which of the two would count is a guess), or nesting deeper than ``MAX_DEPTH`` (no reply
of either product nests past 8; a deeper one would only make the result handed to Ansible impossible
to serialise). A UTF-8 byte order mark before the JSON is skipped. A lone surrogate (``"\\ud800"``,
valid JSON that Ansible cannot send back) becomes U+FFFD and the field's path is added to
``repairs``, for a warning. The product clients then check the shape of the
value they read with ``field`` (faz.py, faz_views.py, gz.py): every field a parser reads has a
kind, and a value of another kind is a ``MalformedResponse`` naming the field, never a value
passed on as if it were right. ``to_int`` is the one integer reader of the collection (the filters'
plugin_utils use it too); ``code_of``, ``describe_body`` and ``describe_json`` word what came back.
"""

from __future__ import annotations

import codecs
import json
import math
import re

from ansible_collections.secops.async_tasks.plugins.module_utils.errors import MalformedResponse
from ansible_collections.secops.async_tasks.plugins.module_utils.redaction import is_secret_key

MAX_DEPTH = 32
MIN_INT = -(2 ** 63)
MAX_INT = 2 ** 64 - 1  # a signed or an unsigned 64-bit integer
KIND_WORDS = {"text": "text", "int": "an integer", "id": "an id (text or an integer)", "object": "an object",
              "list": "a list", "bool": "true or false", "count": "a count (an integer, 0 or more)"}
EXCERPT_CHARS = 300
BOM = "\ufeff"
# A \u escape of a surrogate in the JSON text: only then can a decoded string hold a lone one.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


class _NotFinite(ValueError):
    pass


class _DuplicateKey(ValueError):
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


def read_body(raw, content_type, repairs=None):
    """``(text, value, problem)`` of a reply body; ``value`` is None whenever ``problem`` is set.

    ``repairs``, a list, receives the path of every string in which a lone surrogate was replaced.
    """
    encoding = charset(content_type)
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError:
        return raw.decode(encoding, errors="replace"), None, "a body that is not valid %s" % encoding.upper()
    if not text:
        return text, None, "an empty body"
    value, problem = parse_json(text, repairs)
    return text, value, problem


def parse_json(text, repairs=None):
    """``(value, problem)``: the JSON value of ``text``, or None and why it cannot be used."""
    if text.startswith(BOM):
        text = text[len(BOM):]
    try:
        value = json.loads(text, parse_constant=_not_finite, parse_float=_finite_float, object_pairs_hook=_unique)
    except _NotFinite:
        return None, "a number that is not finite (NaN or Infinity)"
    except _DuplicateKey as duplicate:
        return None, "an object with the duplicate key %r" % duplicate.args[0]
    except RecursionError:
        return None, "JSON nested more than %d levels deep" % MAX_DEPTH
    except ValueError:
        return None, "a body that is not JSON"
    if depth_exceeds(value, MAX_DEPTH):
        return None, "JSON nested more than %d levels deep" % MAX_DEPTH
    if _SURROGATE_ESCAPE.search(text):
        value = _repair_surrogates(value, "", repairs if repairs is not None else [])
    return value, None


def _unique(pairs):
    """An object from its pairs; a key twice is a problem (json.loads would keep the last silently)."""
    value = dict(pairs)
    if len(value) != len(pairs):
        seen = set()
        for key, _item in pairs:
            if key in seen:
                raise _DuplicateKey(key)
            seen.add(key)
    return value


def _repair_surrogates(value, path, repairs):
    """``value`` with lone surrogates in strings (keys included) replaced by U+FFFD; paths into ``repairs``."""
    if isinstance(value, str):
        if _LONE_SURROGATE.search(value):
            repairs.append(path or "(the whole reply)")
            return _fixed(value)
        return value
    if isinstance(value, list):
        return [_repair_surrogates(item, "%s[%d]" % (path, index), repairs) for index, item in enumerate(value)]
    if isinstance(value, dict):
        repaired = {}
        for key, item in value.items():
            name = _fixed(key)
            inner = "%s.%s" % (path, name) if path else name
            if name != key:
                repairs.append(inner)
            repaired[name] = _repair_surrogates(item, inner, repairs)
        return repaired
    return value


def _fixed(text):
    """``text`` with its lone surrogates replaced (a valid pair stays one character)."""
    return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace") if _LONE_SURROGATE.search(text) else text


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
    builds send: returned as int; within 64 bits); ``count`` (a count, total or percentage: an
    ``int`` that is not negative, so ``12.5`` or ``-3`` is malformed rather than read as 12 or 0);
    ``id`` (text or an integer); ``object``; ``list``; ``bool``.
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
    if kind in ("int", "count", "id") and isinstance(converted, int) and not MIN_INT <= converted <= MAX_INT:
        raise MalformedResponse("%s: %r is %s, a number beyond 64 bits" % (where, key, shown_number(converted)))
    if kind == "count" and converted < 0:
        raise MalformedResponse("%s: %r is %d, a negative %s" % (where, key, converted, "count"))
    return converted


def shown_number(number):
    """An integer for a message: in full when short, else its first digits and its size."""
    digits = str(number)
    return digits if len(digits) <= 24 else "%s... (%d digits)" % (digits[:12], len(digits))


def _as_kind(value, kind):
    if kind in ("int", "count"):
        return to_int(value, exact=True)
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
