# -*- coding: utf-8 -*-
# Copyright (c) 2026, secops.async_tasks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The ``transcript`` option: every request and reply of a run, secrets replaced, as JSON lines.

FOR INTERNAL COLLECTION USE ONLY: this module may change in any release.

docs/transcripts.md describes the format; the test suite's simulator can serve a transcript back.
Nothing secret is written: values under secret-looking keys (passwords, API keys, session ids,
tokens, Authorization) and every secret the run knows, wherever it appears, are replaced first.
The file is created with mode 0600 (an existing file is set to 0600) and appended to.
"""

from __future__ import annotations

import datetime
import json
import os
import threading

from ansible_collections.secops.async_tasks.plugins.module_utils.errors import InvalidInput
from ansible_collections.secops.async_tasks.plugins.module_utils.redaction import is_secret_key
from ansible_collections.secops.async_tasks.plugins.module_utils.transport import redact

FORMAT_VERSION = 1
MARK = "<redacted>"
# Reply headers worth keeping: why a request was retried, and what a non-JSON body was.
KEPT_HEADERS = ("Retry-After", "Content-Type")
CONNECTION_ERROR = "connection"


def scrub(value, secrets):
    """``value`` with secret keys' values and every known secret replaced (dicts, lists, strings)."""
    if isinstance(value, dict):
        return dict((key, MARK if _secret_key(key, value[key]) else scrub(value[key], secrets)) for key in value)
    if isinstance(value, list):
        return [scrub(item, secrets) for item in value]
    if isinstance(value, str):
        return redact(value, secrets).replace("********", MARK)
    return value


def _secret_key(key, value):
    return is_secret_key(key) and value not in (None, "", [], {})


def _decoded(text, secrets):
    """A body as JSON when it is JSON, else as (scrubbed) text."""
    if text is None:
        return None
    try:
        return scrub(json.loads(text), secrets)
    except ValueError:
        return scrub(text, secrets)


class TranscriptWriter:
    """Appends one JSON line per exchange to ``path``; safe to share between the threads of a batch."""

    def __init__(self, path, secrets, option="transcript"):
        self.path = path
        self._secrets = secrets
        self._lock = threading.Lock()
        try:
            descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        except OSError as err:
            raise InvalidInput("%s %s cannot be written (%s): give a file in a directory you can write to"
                               % (option, path, err.strerror or err), option=option) from None
        try:
            os.fchmod(descriptor, 0o600)  # it will hold request data: never readable by others
        except OSError:
            pass
        self._stream = os.fdopen(descriptor, "a", encoding="utf-8")

    def record(self, method, url, body_text, status=None, reply_text=None, headers=None, error=None):
        """Write one exchange: the request sent, and the reply (or ``error``: no reply came)."""
        entry = {"v": FORMAT_VERSION, "time": _now(), "method": method, "url": scrub(url, self._secrets),
                 "params": _decoded(body_text, self._secrets)}
        if error is not None:
            entry["error"] = CONNECTION_ERROR
        else:
            entry["status"] = status
            entry["body"] = _decoded(reply_text, self._secrets)
            kept = dict((name, headers[name]) for name in KEPT_HEADERS if headers and headers.get(name))
            if kept and not isinstance(entry["body"], (dict, list)):
                entry["headers"] = scrub(kept, self._secrets)
            elif kept.get("Retry-After"):
                entry["headers"] = scrub({"Retry-After": kept["Retry-After"]}, self._secrets)
        line = json.dumps(entry, separators=(",", ":"), ensure_ascii=False) + "\n"
        with self._lock:
            if not self._stream.closed:
                self._stream.write(line)
                self._stream.flush()

    def close(self):
        with self._lock:
            self._stream.close()


def _now():
    moment = datetime.datetime.now(datetime.timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (moment.microsecond // 1000)
