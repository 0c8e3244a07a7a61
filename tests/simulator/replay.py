"""Replay of a recorded transcript: every request gets the next recorded answer, exactly as recorded.

A transcript is what the collection's `transcript` option writes: one JSON object per line,
    {"v": 1, "time": "2026-11-30T12:00:00.123Z", "method": "POST", "url": "https://faz.example.com/jsonrpc",
     "params": {...the JSON-RPC request body, secrets replaced...}, "status": 200, "body": {...} or "text"}
optionally with "headers" (reply headers worth keeping, e.g. Retry-After) or, instead of status and
body, "error": "connection" for a request that got no answer (the connection broke).
docs/transcripts.md describes the format.

While a replay is on, the simulator answers FortiAnalyzer and GravityZone requests from the transcript
only (the simulated products are not asked). A request must be the one recorded next: same product
(and GravityZone API version), same JSON-RPC method and, for FortiAnalyzer, the same `params[0].url`.
Anything else is a mismatch: answered with HTTP 500 and kept in `status()["mismatches"]`, so a test
sees at once that the module no longer asks what it asked when the transcript was recorded.
FOR TESTS ONLY.
"""

import json
import random
import re
import threading
import urllib.parse

from .common import json_reply, text_reply
from .faults import Fault

FORMAT_VERSION = 1
GZ_PATH = re.compile(r"/v(1\.[01])/jsonrpc/network/?$")
FAZ_PATH = re.compile(r"/jsonrpc/?$")
CONNECTION_ERROR = "connection"


class TranscriptError(ValueError):
    """A transcript that cannot be replayed: says which line and why."""


def parse_lines(text):
    """The entries of a transcript given as JSON-lines text (blank lines skipped)."""
    entries = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            entry = json.loads(line)
        except ValueError as err:
            raise TranscriptError("line %d is not JSON: %s" % (number, err))
        entries.append(check_entry(entry, number))
    return entries


def load(path):
    """The entries of the transcript file at `path`."""
    with open(path, encoding="utf-8") as stream:
        return parse_lines(stream.read())


def check_entry(entry, number):
    """The entry if it can be replayed, else TranscriptError naming the line."""
    if not isinstance(entry, dict):
        raise TranscriptError("line %d: an entry must be a JSON object" % number)
    if entry.get("v", FORMAT_VERSION) != FORMAT_VERSION:
        raise TranscriptError("line %d: format version %r is not %d" % (number, entry.get("v"), FORMAT_VERSION))
    if not isinstance(entry.get("url"), str) or _product(urllib.parse.urlsplit(entry["url"]).path) is None:
        raise TranscriptError("line %d: 'url' must be a FortiAnalyzer or GravityZone JSON-RPC URL" % number)
    if not isinstance(entry.get("params"), dict):
        raise TranscriptError("line %d: 'params' must be the request body (an object)" % number)
    if entry.get("error") is not None:
        if entry["error"] != CONNECTION_ERROR:
            raise TranscriptError("line %d: 'error' can only be %r" % (number, CONNECTION_ERROR))
        return entry
    status = entry.get("status")
    if not isinstance(status, int) or isinstance(status, bool) or not 100 <= status <= 599:
        raise TranscriptError("line %d: 'status' must be an HTTP status" % number)
    if "body" not in entry:
        raise TranscriptError("line %d: 'body' is missing" % number)
    if not isinstance(entry.get("headers", {}), dict):
        raise TranscriptError("line %d: 'headers' must be an object" % number)
    return entry


def _product(path):
    """("gz", version), ("faz", None) or None for a URL path."""
    match = GZ_PATH.search(path)
    if match:
        return "gz", match.group(1)
    if FAZ_PATH.search(path):
        return "faz", None
    return None


def _call_of(product, body):
    """What identifies a request: JSON-RPC method, and for FortiAnalyzer params[0].url."""
    if not isinstance(body, dict):
        return None, None
    url = None
    if product == "faz":
        params = body.get("params")
        if isinstance(params, list) and params and isinstance(params[0], dict):
            url = params[0].get("url")
    return body.get("method"), url


class Replayer:
    """Serves the entries of one transcript in order; thread safe."""

    def __init__(self, entries, source=None):
        self._entries = [check_entry(entry, number) for number, entry in enumerate(entries, 1)]
        self._source = source
        self._next = 0
        self._mismatches = []
        self._lock = threading.Lock()

    def answer(self, path, raw):
        """(Reply, Fault or None) for one request to a product path."""
        try:
            body = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError):
            body = None
        with self._lock:
            if self._next >= len(self._entries):
                return self._mismatch("request %d: the transcript has only %d entries" % (
                    self._next + 1, len(self._entries)), path, body), None
            entry = self._entries[self._next]
            problem = _difference(entry, path, body)
            if problem:
                return self._mismatch("request %d: %s" % (self._next + 1, problem), path, body), None
            self._next += 1
        if entry.get("error") == CONNECTION_ERROR:
            return json_reply({}), Fault("reset", random.Random(0))
        return _reply(entry), None

    def _mismatch(self, text, path, body):
        product = _product(path)
        method, url = _call_of(product[0] if product else None, body)
        self._mismatches.append({"problem": text, "path": path, "method": method, "url": url})
        return json_reply({"error": "replay mismatch: %s" % text}, 500)

    def status(self):
        """How far the replay got: {"active", "source", "total", "served", "remaining", "mismatches"}."""
        with self._lock:
            return {"active": True, "source": self._source, "total": len(self._entries), "served": self._next,
                    "remaining": len(self._entries) - self._next, "mismatches": list(self._mismatches)}


def _difference(entry, path, body):
    """None if the request is the one the entry recorded, else what differs."""
    recorded = _product(urllib.parse.urlsplit(entry["url"]).path)
    actual = _product(path)
    if actual != recorded:
        return "expected a %s request, got %s" % (_describe(recorded), _describe(actual))
    expected_call = _call_of(recorded[0], entry["params"])
    actual_call = _call_of(recorded[0], body)
    if actual_call != expected_call:
        return "expected %s, got %s" % (_describe_call(expected_call), _describe_call(actual_call))
    return None


def _describe(product):
    if product is None:
        return "non-API"
    return "FortiAnalyzer" if product[0] == "faz" else "GravityZone v%s" % product[1]


def _describe_call(call):
    method, url = call
    return "%s %s" % (method, url) if url else str(method)


def _reply(entry):
    """The recorded answer, byte for byte as far as JSON allows."""
    headers = dict(entry.get("headers") or {})
    content_type = headers.pop("Content-Type", None)
    body = entry["body"]
    if isinstance(body, str):
        kind = content_type or ("text/html" if body.lstrip().startswith("<") else "text/plain; charset=utf-8")
        return text_reply(body, entry["status"], kind, headers)
    return json_reply(body, entry["status"], headers)
