"""Helpers shared by the FortiAnalyzer and GravityZone simulators.

Everything here is product neutral: settings, replies, JSON-RPC parsing, seeded random data,
dates, fixtures, the request recorder and the token bucket. FOR TESTS ONLY.
"""

import collections
import copy
import datetime
import json
import os
import random
import re
import tempfile
import threading

DATE_FORMAT = "%Y-%m-%dT%H:%M:%S"
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$")
FIXTURES_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures")
LOG_LIMIT = 10000

# JSON-RPC 2.0 error codes (GravityZone uses them as is; FortiAnalyzer only for broken envelopes).
PARSE_ERROR = -32700
INVALID_REQUEST = -32600
METHOD_NOT_FOUND = -32601
INVALID_PARAMS = -32602


class RpcError(Exception):
    """A JSON-RPC level failure: a code, a message and optional details for the caller."""

    def __init__(self, code, message, details=None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.details = details


class Reply:
    """One HTTP answer: status, body (a JSON-able object or text) and extra headers."""

    def __init__(self, status=200, body=None, headers=None, content_type="application/json"):
        self.status = status
        self.body = body
        self.headers = dict(headers or {})
        self.content_type = content_type

    def encode(self):
        """The body as bytes: JSON for objects, UTF-8 for text."""
        if self.body is None:
            return b""
        if isinstance(self.body, str):
            return self.body.encode("utf-8")
        return json.dumps(self.body).encode("utf-8")


def json_reply(body, status=200, headers=None):
    """A JSON reply."""
    return Reply(status=status, body=body, headers=headers)


def text_reply(text, status, content_type="text/plain; charset=utf-8", headers=None):
    """A non-JSON reply (GravityZone's HTTP-level errors)."""
    return Reply(status=status, body=text, headers=headers, content_type=content_type)


def parse_rpc_object(raw):
    """Decode a request body into a JSON object, or raise the JSON-RPC error a server would send."""
    try:
        request = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):  # RecursionError: nested too deep
        raise RpcError(PARSE_ERROR, "Parse error", "the body is not valid JSON")
    if not isinstance(request, dict):
        raise RpcError(INVALID_REQUEST, "Invalid Request", "the body must be a JSON object")
    if not isinstance(request.get("method"), str):
        raise RpcError(INVALID_REQUEST, "Invalid Request", "'method' must be a string")
    return request


def valid_request_id(request):
    """The request's id if JSON-RPC allows it (string, number or null), else None."""
    value = request.get("id")
    if isinstance(value, bool) or not isinstance(value, (str, int, float, type(None))):
        return None
    return value


def is_int(value):
    """True for a JSON integer (bool is not one)."""
    return isinstance(value, int) and not isinstance(value, bool)


def is_number(value):
    """True for a JSON number (bool is not one)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def seeded_rng(*parts):
    """A random generator that gives the same data for the same parts on every run."""
    return random.Random(":".join(str(part) for part in parts))


def random_hex(rng, length=24):
    """Hex digits like a MongoDB ObjectId (GravityZone ids)."""
    return "".join(rng.choices("0123456789abcdef", k=length))


def format_date(epoch_seconds):
    """Wall-clock seconds as the naive UTC 'YYYY-MM-DDTHH:MM:SS' both products use."""
    moment = datetime.datetime.fromtimestamp(epoch_seconds, tz=datetime.timezone.utc)
    return moment.strftime(DATE_FORMAT)


def parse_date(text):
    """Epoch seconds of a 'YYYY-MM-DDTHH:MM:SS' (UTC) string, or None if it is not one."""
    if not isinstance(text, str) or not DATE_RE.match(text):
        return None
    try:
        moment = datetime.datetime.strptime(text, DATE_FORMAT)
    except ValueError:
        return None
    return moment.replace(tzinfo=datetime.timezone.utc).timestamp()


def load_fixture(name):
    """A fixture's JSON (key order kept). Callers must not mutate it: they get a deep copy."""
    with open(os.path.join(FIXTURES_DIR, name), encoding="utf-8") as handle:
        return copy.deepcopy(json.load(handle))


def atomic_write(path, data, mode=0o644):
    """Write bytes to path so readers see the old file or the whole new one, never a part."""
    directory = os.path.dirname(os.path.abspath(path))
    os.makedirs(directory, exist_ok=True)
    handle, tmp_path = tempfile.mkstemp(dir=directory, prefix=".tmp-")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(tmp_path, mode)
        os.replace(tmp_path, path)
    except BaseException:
        if os.path.exists(tmp_path):
            os.unlink(tmp_path)
        raise


def _choice(*allowed):
    def check(value):
        return value in allowed
    check.expects = "one of %s" % ", ".join(repr(item) for item in allowed)
    return check


def _number(minimum, integer=False):
    def check(value):
        kind_ok = is_int(value) if integer else is_number(value)
        return kind_ok and value >= minimum
    check.expects = "%s >= %s" % ("an integer" if integer else "a number", minimum)
    return check


def _boolean(value):
    return isinstance(value, bool)


_boolean.expects = "true or false"


def _optional_int(minimum, maximum, exclude=None):
    def check(value):
        return value is None or (is_int(value) and minimum <= value <= maximum and value != exclude)
    other = "" if exclude is None else " other than %d" % exclude
    check.expects = "null or an integer from %d to %d%s" % (minimum, maximum, other)
    return check


def _text_fields(value):
    return isinstance(value, dict) and all(isinstance(key, str) and isinstance(text, str) for key, text in value.items())


_text_fields.expects = "a dictionary of field names to text"


# name: (default, validator). docs/simulator.md lists the same settings.
SETTINGS = {
    "faz_shape": ("seed", _choice("seed", "real")),
    "faz_profile": ("seed", _choice("seed", "7.4", "7.6", "8.0", "old", "7.2", "7.6.7")),
    "gz_profile": ("current", _choice("current", "legacy", "sparse")),
    "faz_session_cap": (20, _number(1, integer=True)),
    "faz_session_idle": (300, _number(0)),
    "faz_task_duration": (4, _number(0)),
    "faz_task_ttl": (1800, _number(0)),
    "faz_logsearch_duration": (2, _number(0)),
    "faz_logsearch_cap": (10, _number(1, integer=True)),
    "faz_logsearch_ttl": (300, _number(0)),
    "faz_logsearch_count_url": (True, _boolean),
    "faz_logsearch_single_use": (False, _boolean),
    "faz_logsearch_late_reads": (None, _optional_int(0, 1000000)),
    "faz_logsearch_row_text": ({}, _text_fields),
    "gz_rate": (10, _number(0)),
    "gz_burst": (10, _number(1, integer=True)),
    "gz_retry_after": (1, _number(0, integer=True)),
    "gz_retry_after_style": ("plain", _choice("plain", "duplicated", "missing")),
    "gz_429_body": ("json", _choice("json", "html")),
    "gz_pending_as_zero": (True, _boolean),
    "gz_scan_duration": (4, _number(0)),
    "gz_scan_rate_per_minute": (30, _number(0)),
    "faz_report_tid": ("uuid", _choice("uuid", "number")),
    "faz_report_zip": (True, _boolean),
    "faz_report_text": (False, _boolean),
    "faz_report_needs_schedule": (False, _boolean),
    "faz_report_fail": (False, _boolean),
    "faz_report_duration": (1, _number(0)),
    "faz_report_size": (20000, _number(0, integer=True)),
    "gz_report_duration": (1, _number(0)),
    "gz_report_size": (20000, _number(0, integer=True)),
    "gz_report_link_host": ("self", _choice("self", "other")),
    "gz_report_expired": (False, _boolean),
    "report_cut": (0, _number(0)),
    # "wall": a simulated task advances with the monotonic clock (the default, as an appliance does);
    # "poll": it advances `task_poll_step` seconds each time its progress is read, whatever the time,
    # so a test of polling does not depend on how fast the machine runs the client.
    "task_clock": ("wall", _choice("wall", "poll")),
    "task_poll_step": (1, _number(0)),
    "faz_always_code": (None, _optional_int(-99999, 99999, exclude=0)),
    "faz_always_http": (None, _optional_int(400, 599)),
    "gz_always_http": (None, _optional_int(400, 599)),
}


class Settings:
    """The simulator's tunables, shared by both products; thread safe."""

    def __init__(self, **overrides):
        self._lock = threading.Lock()
        self._defaults = {name: spec[0] for name, spec in SETTINGS.items()}
        self._defaults.update(self.validate(overrides))
        self._values = dict(self._defaults)

    @staticmethod
    def validate(changes):
        """The changes if every name is known and every value fits, else ValueError."""
        for name, value in changes.items():
            if name not in SETTINGS:
                raise ValueError("unknown setting %r" % name)
            check = SETTINGS[name][1]
            if not check(value):
                raise ValueError("setting %r must be %s" % (name, check.expects))
        return dict(changes)

    def update(self, changes):
        """Merge validated changes (all or nothing); returns the new settings."""
        changes = self.validate(changes)
        with self._lock:
            self._values.update(changes)
            return dict(self._values)

    def restore(self):
        """Back to the values the simulator was started with."""
        with self._lock:
            self._values = dict(self._defaults)

    def snapshot(self):
        """A copy of the current settings."""
        with self._lock:
            return dict(self._values)

    def get(self, name):
        """One setting."""
        with self._lock:
            return self._values[name]


def task_now(settings, task, now, advance=True):
    """The time a progress read of `task` sees: `now` on the wall clock. In the "poll" clock, the first
    read sees the task as it was created and each further read `task_poll_step` seconds later; a read
    with `advance` false (a listing that shows many tasks) sees the time of the last read and moves
    nothing. Tasks with no creation time (seeds) keep `now`."""
    created = getattr(task, "created", None)
    if settings.get("task_clock") != "poll" or created is None:
        return now
    reads = getattr(task, "reads", 0)
    if advance:
        task.reads = reads + 1
    else:
        reads = max(0, reads - 1)
    return created + reads * settings.get("task_poll_step")


class Recorder:
    """Per-product request counters and a bounded request log (never holds secrets)."""

    def __init__(self, counter_names):
        self._names = tuple(counter_names)
        self.counts = {}
        self.by_method = collections.Counter()
        self.entries = collections.deque(maxlen=LOG_LIMIT)
        self.clear()

    def clear(self):
        """Everything back to zero."""
        self.counts = dict.fromkeys(self._names, 0)
        self.by_method.clear()
        self.entries.clear()

    def bump(self, name, amount=1):
        """Add to a named counter."""
        self.counts[name] += amount

    def count_method(self, method):
        """Count one JSON-RPC method call."""
        if isinstance(method, str):
            self.by_method[method] += 1

    def record(self, entry):
        """Append one log entry."""
        self.entries.append(entry)

    def report(self, **extra):
        """The counters as the control API shows them."""
        report = dict(self.counts)
        report.update(extra)
        report["by_method"] = dict(self.by_method)
        return report


class TokenBucket:
    """A token bucket: `rate` tokens per second, at most `burst` saved up."""

    def __init__(self, rate, burst, now):
        self.rate = rate
        self.burst = burst
        self._tokens = float(burst)
        self._updated = now

    def take(self, now):
        """Spend one token if there is one; False means the caller is rate limited."""
        self._tokens = min(float(self.burst), self._tokens + (now - self._updated) * self.rate)
        self._updated = now
        if self._tokens >= 1.0:
            self._tokens -= 1.0
            return True
        return False

    def seconds_until_token(self):
        """After a refused take(): seconds until the bucket holds a whole token again."""
        return max(0.0, 1.0 - self._tokens) / self.rate if self.rate else float("inf")
