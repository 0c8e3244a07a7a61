"""Replies a careless or broken server sends: secrets quoted back, and hostile bodies. FOR TESTS ONLY.

Two modes, both off until configured, applied by server.py to a product's reply after the product
made it (the product's state changes as usual; only the answer is altered):

* **echo**: the server quotes the secrets of the request back in its error messages (and, with
  ``where: rows``, in every row it returns), in each form a secret takes on the wire: as sent
  (``raw``), JSON-escaped (``json``: ``p\\u00e4ss``), URL-encoded (``url``), base64 in a Basic header
  (``basic``) and inside the header line (``header``). The secrets of a request are the password of a
  FortiAnalyzer login, the ``session`` of the body, and the key of a Bearer or Basic Authorization
  header. ``secret_forms(secret)`` says what each form looks like, for tests to search for.
* **hostile**: a seeded generator replaces or corrupts replies: ``tree`` (a random JSON tree using
  the keys of the real reply), ``deep`` (one value of the real reply replaced by a nest thousands of
  levels deep), ``retype`` (one value of the real reply, at any path, replaced by a value of another
  JSON type), ``drop`` (one key of the real reply removed) and ``bytes`` (the real reply with
  non-UTF-8 bytes in it, still labelled JSON). Paths are chosen by shape (list indexes folded into
  ``*``), so the few envelope fields are hit as often as the many row fields. Every alteration is
  logged (``hostile_log``): kind, path and the value put there, so a test can tell which field a
  failure came from. The same seed and the same requests in the same order give the same replies.
"""

import base64
import collections
import html.entities
import json
import random
import threading
import urllib.parse

from .common import Reply
from .faults import peek

ECHO_FORMS = ("raw", "json", "url", "basic", "header", "json_upper", "json_slash", "go", "html_named", "html_decimal",
              "html_hex", "cp1252", "hex", "base64url", "base64_1", "base64_2")
# HTML 4's named entities, as PHP's htmlentities writes them (the apostrophe has none there).
HTML_NAMES = dict((chr(point), name) for point, name in html.entities.codepoint2name.items())
ECHO_WHERE = ("errors", "rows")
ECHO_FIELDS = ("forms", "where", "products")
HOSTILE_KINDS = ("tree", "deep", "retype", "drop", "bytes")
HOSTILE_FIELDS = ("seed", "kinds", "rate", "products", "methods", "exclude_auth")
PRODUCTS = ("faz", "gz")
FAZ_AUTH_URLS = frozenset(["/sys/login/user", "/sys/logout"])
DEPTHS = (64, 600, 1200, 5000, 100000)  # around and past every JSON parser's recursion limit
HOSTILE_LOG_LIMIT = 1000
NOT_UTF8 = (b"\xff\xfe", b"\xc3\x28", b"\xe4", b"\xed\xa0\x80", b"\x80\x81\x82", b"\xf8\x88\x80\x80\x80")


class RawReply(Reply):
    """A reply whose body is bytes sent as they are (``Reply.encode`` would UTF-8 encode text)."""

    def encode(self):
        return self.body


# ---------------------------------------------------------------------------------------------
# Secrets and their forms
# ---------------------------------------------------------------------------------------------

def secret_forms(secret, header=None):
    """{form: text} for one secret. ``header`` is the Authorization value it travelled in, if any."""
    basic = "Basic " + base64.b64encode((secret + ":").encode("utf-8")).decode("ascii")
    if header is None or not header.lower().startswith("basic "):
        line = "Authorization: " + (header if header else "Bearer " + secret)
    else:
        basic = header
        line = "Authorization: " + header
    lower_json = json.dumps(secret, ensure_ascii=True)[1:-1]
    utf8 = secret.encode("utf-8", "surrogatepass")
    return {
        "raw": secret,
        "json": lower_json,
        "url": urllib.parse.quote(secret, safe=""),
        "basic": basic,
        "header": line,
        # .NET and Java write \u00E4; PHP and others escape the slash.
        "json_upper": "".join("\\u%04X" % ord(char) if ord(char) > 127 else char for char in lower_json),
        "json_slash": lower_json.replace("/", "\\/"),
        # Go's encoding/json: UTF-8 kept, <, > and & escaped.
        "go": json.dumps(secret, ensure_ascii=False)[1:-1].replace("&", "\\u0026").replace("<", "\\u003c")
                                                          .replace(">", "\\u003e"),
        "html_named": "".join("&%s;" % HTML_NAMES[char] if char in HTML_NAMES else char for char in secret),
        "html_decimal": "".join(char if char.isalnum() and char.isascii() else "&#%d;" % ord(char) for char in secret),
        "html_hex": "".join(char if char.isalnum() and char.isascii() else "&#x%X;" % ord(char) for char in secret),
        # UTF-8 read as Windows-1252 (bytes it leaves undefined read as Latin-1).
        "cp1252": "".join(bytes([byte]).decode("cp1252", errors="ignore") or chr(byte) for byte in utf8),
        "hex": utf8.hex(),
        "base64url": base64.urlsafe_b64encode(utf8 + b":").decode("ascii"),
        # Inside a longer blob, 1 and 2 bytes past a 3-byte boundary, more bytes after it.
        "base64_1": base64.b64encode(b"<" + utf8 + b">>").decode("ascii"),
        "base64_2": base64.b64encode(b"<<" + utf8 + b">").decode("ascii"),
    }


def request_secrets(raw, authorization):
    """[(secret, header or None)] of one request: Authorization key, login password, session id."""
    found = []
    scheme, _space, value = (authorization or "").strip().partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        found.append((value.strip(), authorization.strip()))
    elif scheme.lower() == "basic" and value.strip():
        try:
            decoded = base64.b64decode(value.strip(), validate=True)
        except ValueError:
            decoded = b""
        try:
            user = decoded.decode("utf-8").partition(":")[0]
        except UnicodeDecodeError:  # requests encodes Basic credentials as Latin-1
            user = decoded.decode("latin-1").partition(":")[0]
        if user:
            found.append((user, authorization.strip()))
    request = _json_object(raw)
    params = request.get("params")
    first = params[0] if isinstance(params, list) and params and isinstance(params[0], dict) else {}
    data = first.get("data")
    if isinstance(data, dict) and isinstance(data.get("passwd"), str) and data["passwd"]:
        found.append((data["passwd"], None))
    if isinstance(request.get("session"), str) and request["session"]:
        found.append((request["session"], None))
    return found


def _json_object(raw):
    try:
        value = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return {}
    return value if isinstance(value, dict) else {}


def _quote(secrets, forms):
    """The sentence a server would write: every form of every secret of the request."""
    parts = []
    for secret, header in secrets:
        every = secret_forms(secret, header)
        parts.extend("%s=%s" % (form, every[form]) for form in forms)
    return "received " + "; ".join(parts)


# ---------------------------------------------------------------------------------------------
# Echo: the quote goes into error messages, or into rows
# ---------------------------------------------------------------------------------------------

def _is_error_reply(reply):
    body = reply.body
    if reply.status >= 400:
        return True
    if not isinstance(body, dict):
        return False
    if isinstance(body.get("error"), dict):
        return True
    result = body.get("result")
    first = result[0] if isinstance(result, list) and result and isinstance(result[0], dict) else {}
    status = first.get("status")
    return isinstance(status, dict) and status.get("code") not in (0, None)


def _echo_in_error(reply, quote):
    body = reply.body
    if isinstance(body, str) or body is None:
        text = (body or "").rstrip("\n")
        return Reply(reply.status, "%s (%s)\n" % (text, quote), reply.headers, reply.content_type)
    body = json.loads(json.dumps(body))
    error = body.get("error") if isinstance(body, dict) else None
    if isinstance(error, dict):
        error["message"] = "%s (%s)" % (error.get("message"), quote)
        data = error.get("data")
        if isinstance(data, dict) and "details" in data:
            data["details"] = "%s (%s)" % (data["details"], quote)
    else:
        status = body["result"][0]["status"]
        status["message"] = "%s (%s)" % (status.get("message"), quote)
    return Reply(reply.status, body, reply.headers, reply.content_type)


def _echo_in_rows(value, quote):
    """Every object inside a list gets a ``comment`` holding the quote."""
    if isinstance(value, dict):
        return dict((key, _echo_in_rows(item, quote)) for key, item in value.items())
    if isinstance(value, list):
        items = [_echo_in_rows(item, quote) for item in value]
        for item in items:
            if isinstance(item, dict):
                item["comment"] = quote
        return items
    return value


def check_echo(forms=ECHO_FORMS, where="errors", products=PRODUCTS):
    """The echo settings as a plain dict, or ValueError."""
    forms = _names(forms, ECHO_FORMS, "forms")
    if where not in ECHO_WHERE:
        raise ValueError("where must be one of %s" % ", ".join(ECHO_WHERE))
    return {"forms": forms, "where": where, "products": _names(products, PRODUCTS, "products")}


# ---------------------------------------------------------------------------------------------
# Hostile replies
# ---------------------------------------------------------------------------------------------

def json_paths(value, path=()):
    """Every path into a JSON value (root included), list indexes as integers."""
    yield path
    if isinstance(value, dict):
        for key, item in value.items():
            yield from json_paths(item, path + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from json_paths(item, path + (index,))


def path_shape(path):
    """A path with list indexes folded: ('result', 0, 'data') -> 'result.*.data'."""
    return ".".join("*" if isinstance(step, int) else str(step) for step in path) or "$"


def pick_path(rng, value, keep=lambda path: True):
    """A path of ``value`` that ``keep`` accepts, chosen uniformly among shapes, then among instances.

    None when no path is accepted.
    """
    by_shape = collections.OrderedDict()
    for path in json_paths(value):
        if keep(path):
            by_shape.setdefault(path_shape(path), []).append(path)
    if not by_shape:
        return None
    shape = rng.choice(list(by_shape))
    return rng.choice(by_shape[shape])


def _set(value, path, new):
    if not path:
        return new
    parent = value
    for step in path[:-1]:
        parent = parent[step]
    parent[path[-1]] = new
    return value


def _drop(value, path):
    parent = value
    for step in path[:-1]:
        parent = parent[step]
    del parent[path[-1]]
    return value


def _keys_of(value):
    return sorted(set(str(path[-1]) for path in json_paths(value) if path and isinstance(path[-1], str)))


GARBAGE = [None, True, False, 0, -1, 2 ** 31, 2 ** 64 + 1, -(2 ** 63) - 1, 1e308, -0.0, 0.5, "", " ",
           "not a number", "\u00e4\u00f6\u00fc\u2603", "\x00\x1b[31m\r\n", "x" * 5000, [], [None], {},
           {"code": 0}, [{"status": "done"}], float("nan"), float("inf")]


def other_type_values(rng, current):
    """A value of another JSON type than ``current``: garbage of every kind, or the same value spelt as
    another type (``100`` as ``"100"`` and back, ``true`` as ``"true"``), as appliances of other builds send.

    Never the same type with another value: a well-formed reply that says something else is not hostile,
    and nothing could tell it from the truth.
    """
    kind = _json_kind(current)
    respelt = _respelt(current)
    # A number in place of numeric text (or the reverse) is another value, not another type, unless respelt.
    numeric = respelt is not None and not isinstance(current, bool)
    candidates = [item for item in GARBAGE if _json_kind(item) != kind
                  and not (numeric and (_json_kind(item) == "number" or _respelt(item) is not None))]
    if respelt is not None and rng.random() < 0.3:
        return respelt
    return rng.choice(candidates)


def _respelt(value):
    """``value`` as another JSON type with the same meaning, or None."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, str):
        try:
            number = float(value.strip())
        except ValueError:
            return None
        return int(number) if number.is_integer() and "." not in value else number
    return None


def _json_kind(value):
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    return type(value).__name__


def random_tree(rng, keys, depth=0):
    """A random JSON value whose objects use ``keys`` often (so parsers reach deep code paths)."""
    roll = rng.random()
    if depth >= 5 or roll < 0.35:
        return rng.choice(GARBAGE)
    size = rng.randint(0, 4)
    if roll < 0.7:
        return dict((rng.choice(keys) if keys and rng.random() < 0.8 else "k%d" % rng.randint(0, 99),
                     random_tree(rng, keys, depth + 1)) for _item in range(size))
    return [random_tree(rng, keys, depth + 1) for _item in range(size)]


def nest(depth, leaf, as_list=True):
    """``depth`` levels of lists (or objects) around ``leaf``, built without recursion."""
    value = leaf
    for _level in range(depth):
        value = [value] if as_list else {"data": value}
    return value


def deep_json_bytes(depth, as_list=True):
    """The JSON text of ``nest(depth, 1)`` built as text (json.dumps would hit the recursion limit)."""
    if as_list:
        return b"[" * depth + b"1" + b"]" * depth
    return b'{"data":' * depth + b"1" + b"}" * depth


class Alteration:
    """What the hostile mode did to one reply: ``kind``, ``at`` (the path as a tuple), ``value`` (repr, short).

    ``path`` is ``at`` as a shape ('result.*.data'); ``detail`` says more where the kind has more.
    """

    def __init__(self, kind, at=(), value=None, detail=None):
        self.kind = kind
        self.at = tuple(at)
        self.path = path_shape(self.at)
        self.value = value
        self.detail = detail

    def as_dict(self):
        return {"kind": self.kind, "path": self.path, "at": list(self.at), "value": self.value, "detail": self.detail}


def _short(value):
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def hostile_reply(rng, kind, reply):
    """(new Reply, Alteration) for ``reply`` and one hostile ``kind``."""
    body = reply.body
    genuine = isinstance(body, (dict, list))
    if not genuine and kind in ("retype", "drop", "deep"):
        kind = "tree"
    if kind == "tree":
        tree = random_tree(rng, _keys_of(body) if genuine else [])
        return _json(reply, tree), Alteration("tree", (), _short(tree))
    if kind == "bytes":
        return _not_utf8(rng, reply, body if genuine else {}), Alteration("bytes")
    body = json.loads(json.dumps(body))
    if kind == "drop":
        path = pick_path(rng, body, keep=lambda path: bool(path) and isinstance(path[-1], str))
        if path is None:
            return hostile_reply(rng, "tree", reply)
        return _json(reply, _drop(body, path)), Alteration("drop", path)
    path = pick_path(rng, body)
    if kind == "retype":
        current = body
        for step in path:
            current = current[step]
        new = other_type_values(rng, current)
        return _json(reply, _set(body, path, new)), Alteration("retype", path, _short(new))
    depth, as_list = rng.choice(DEPTHS), rng.random() < 0.5
    marker = "__deep__"
    text = json.dumps(_set(body, path, marker), allow_nan=True).encode("utf-8")
    text = text.replace(json.dumps(marker).encode("utf-8"), deep_json_bytes(depth, as_list), 1)
    return (RawReply(reply.status, text, reply.headers, "application/json"),
            Alteration("deep", path, None, "%d levels of %s" % (depth, "lists" if as_list else "objects")))


def _json(reply, value):
    text = json.dumps(value, allow_nan=True).encode("utf-8")
    return RawReply(reply.status, text, reply.headers, "application/json")


def _not_utf8(rng, reply, body):
    text = json.dumps(body, allow_nan=True).encode("utf-8")
    bad = rng.choice(NOT_UTF8)
    quotes = [index for index, byte in enumerate(text) if byte == ord('"')]
    if quotes and rng.random() < 0.8:
        at = rng.choice(quotes) + 1  # inside a string: the JSON is still well formed, its bytes are not UTF-8
    else:
        at = rng.randrange(len(text) + 1)
    content_type = rng.choice(("application/json", "application/json; charset=utf-8"))
    return RawReply(reply.status, text[:at] + bad + text[at:], reply.headers, content_type)


def check_hostile(seed=1, kinds=None, rate=1.0, products=PRODUCTS, methods=None, exclude_auth=False):
    """The hostile settings as a plain dict, or ValueError naming what is wrong."""
    if isinstance(seed, bool) or not isinstance(seed, (int, str)):
        raise ValueError("seed must be an integer or a string")
    if isinstance(rate, bool) or not isinstance(rate, (int, float)) or not 0 <= rate <= 1:
        raise ValueError("rate must be a number from 0 to 1")
    if not isinstance(exclude_auth, bool):
        raise ValueError("exclude_auth must be true or false")
    return {"seed": seed, "kinds": list(HOSTILE_KINDS) if kinds is None else _names(kinds, HOSTILE_KINDS, "kinds"),
            "rate": rate, "products": _names(products, PRODUCTS, "products"),
            "methods": None if methods is None else _names(methods, None, "methods"), "exclude_auth": exclude_auth}


def _names(value, allowed, what):
    if not isinstance(value, (list, tuple)) or not value or not all(isinstance(item, str) for item in value):
        raise ValueError("%s must be a non-empty list of names" % what)
    unknown = sorted(set(value) - set(allowed)) if allowed else []
    if unknown:
        raise ValueError("unknown %s: %s (known: %s)" % (what, ", ".join(unknown), ", ".join(allowed)))
    return list(dict.fromkeys(value))


class ReplyTamper:
    """The echo and hostile modes of one simulator; thread safe. Both off until configured."""

    def __init__(self):
        self._lock = threading.Lock()
        self._echo = None
        self._hostile = None
        self._count = 0
        self._log = collections.deque(maxlen=HOSTILE_LOG_LIMIT)
        self._echoed = 0
        self._altered = 0

    def configure_echo(self, **settings):
        """Quote secrets back (see the module text); returns the settings."""
        settings = check_echo(**settings)
        with self._lock:
            self._echo = settings
            return dict(settings)

    def configure_hostile(self, **settings):
        """Alter replies with the seeded generator (rate 0: off); returns the settings."""
        settings = check_hostile(**settings)
        with self._lock:
            self._hostile = settings if settings["rate"] > 0 else None
            self._count = 0
            self._altered = 0
            self._log.clear()
            return dict(settings)

    def reset(self):
        """Both modes off; log and counters cleared."""
        with self._lock:
            self._echo = None
            self._hostile = None
            self._count = 0
            self._echoed = 0
            self._altered = 0
            self._log.clear()

    def settings(self):
        """{"echo": settings or None, "hostile": settings or None}."""
        with self._lock:
            return {"echo": dict(self._echo) if self._echo else None,
                    "hostile": dict(self._hostile) if self._hostile else None}

    def report(self):
        """{"echoed": n, "altered": n, "log": [alteration dicts, oldest first]}."""
        with self._lock:
            return {"echoed": self._echoed, "altered": self._altered, "log": list(self._log)}

    def apply(self, product, raw, authorization, reply):
        """The reply to send for one product request (``reply`` itself when no mode applies)."""
        with self._lock:
            echo, hostile = self._echo, self._hostile
        if echo is not None and product in echo["products"]:
            reply = self._apply_echo(echo, raw, authorization, reply)
        if hostile is not None and product in hostile["products"] and self._targets(hostile, product, raw):
            reply = self._apply_hostile(hostile, reply, raw)
        return reply

    def _apply_echo(self, echo, raw, authorization, reply):
        secrets = request_secrets(raw, authorization)
        if not secrets:
            return reply
        quote = _quote(secrets, echo["forms"])
        if echo["where"] == "errors":
            if not _is_error_reply(reply):
                return reply
            reply = _echo_in_error(reply, quote)
        elif isinstance(reply.body, (dict, list)):
            reply = Reply(reply.status, _echo_in_rows(reply.body, quote), reply.headers, reply.content_type)
        with self._lock:
            self._echoed += 1
        return reply

    @staticmethod
    def _targets(hostile, product, raw):
        if hostile["methods"] is None and not hostile["exclude_auth"]:
            return True
        method, url = peek(raw)
        if hostile["methods"] is not None and method not in hostile["methods"]:
            return False
        return not (hostile["exclude_auth"] and product == "faz" and method == "exec" and url in FAZ_AUTH_URLS)

    def _apply_hostile(self, hostile, reply, raw):
        with self._lock:
            number = self._count
            self._count += 1
        rng = random.Random("%s:%d" % (hostile["seed"], number))
        if rng.random() >= hostile["rate"]:
            return reply
        new, alteration = hostile_reply(rng, rng.choice(hostile["kinds"]), reply)
        entry = alteration.as_dict()
        entry["request"] = number
        entry["method"], entry["url"] = peek(raw)
        with self._lock:
            self._altered += 1
            self._log.append(entry)
        return new
