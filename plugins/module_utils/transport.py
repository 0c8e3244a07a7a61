# -*- coding: utf-8 -*-
# Copyright (c) 2026, secops.async_tasks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""JSON-RPC over HTTPS with one keep-alive session, retries and one deadline per run.

FOR INTERNAL COLLECTION USE ONLY: this module may change in any release.
"""

from __future__ import annotations

import email.utils
import json
import os
import random
import socket
import ssl
import threading
import time
import traceback

try:
    import requests
    import urllib3
    import urllib3.connection
    import urllib3.connectionpool
    from requests.adapters import HTTPAdapter
    HAS_REQUESTS = True
    REQUESTS_IMPORT_ERROR = None
except ImportError:  # pragma: no cover - exercised through missing_required_lib
    HAS_REQUESTS = False
    REQUESTS_IMPORT_ERROR = traceback.format_exc()

from ansible_collections.secops.async_tasks.plugins.module_utils.concurrency import SIGNAL_SLICE
from ansible_collections.secops.async_tasks.plugins.module_utils.errors import (
    ConnectionFailure,
    DeadlineExceeded,
    InvalidInput,
    MalformedResponse,
    RateLimited,
    ServerError,
    TLSFailure,
)
# REDACTED and redact stay importable from here (older callers and tests); redaction.py holds them.
from ansible_collections.secops.async_tasks.plugins.module_utils.redaction import (  # noqa: F401  pylint: disable=unused-import
    REDACTED,
    redact,
)
from ansible_collections.secops.async_tasks.plugins.module_utils.replies import parse_json, read_body
from ansible_collections.secops.async_tasks.plugins.module_utils.urls import check_proxies

RETRY_STATUSES = frozenset((429, 502, 503, 504))
# Largest reply body read into memory; a FortiView result of 100k rows is ~30 MB.
MAX_BODY_BYTES = 256 * 1024 * 1024
USER_AGENT = "secops.async_tasks"
# What OpenSSL says when the server offers only protocol versions this client refuses (TLS 1.0/1.1).
TOO_OLD_MARKERS = ("TLSV1_ALERT_PROTOCOL_VERSION", "UNSUPPORTED_PROTOCOL", "NO_PROTOCOLS_AVAILABLE",
                   "tlsv1 alert protocol version", "unsupported protocol")


def parse_retry_after(value, now=None):
    """Seconds a ``Retry-After`` header asks for, or None.

    Accepts delta-seconds, the duplicated form GravityZone sends (``"60, 60"``), and an
    HTTP date.
    """
    if value is None:
        return None
    first = str(value).split(",", maxsplit=1)[0].strip()
    if not first:
        return None
    try:
        return max(0.0, float(first))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(str(value))
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    now = time.time() if now is None else now
    return max(0.0, when.timestamp() - now)


class Deadline:
    """The one time budget of a module run, shared by requests, retries and polling."""

    def __init__(self, seconds, clock=time.monotonic):
        self._clock = clock
        self.seconds = float(seconds)
        self._end = clock() + self.seconds

    def remaining(self):
        return max(0.0, self._end - self._clock())

    def expired(self):
        return self.remaining() <= 0.0

    def cap(self, seconds):
        """``seconds`` shortened so that it ends by the deadline."""
        return max(0.0, min(float(seconds), self.remaining()))


class RetryPolicy:
    """Exponential backoff with jitter: attempt n waits between half and all of base·2ⁿ."""

    def __init__(self, attempts=5, base=0.5, cap=8.0, rng=None):
        self.attempts = attempts
        self.base = base
        self.cap = cap
        self._rng = rng or random.Random()

    def backoff(self, retry_number):
        ceiling = min(self.cap, self.base * (2 ** retry_number))
        return ceiling / 2.0 + self._rng.uniform(0.0, ceiling / 2.0)


# The retry policy's decisions (``retry_decision``) and why it stops.
RETURN, RETRY, STOP = "return", "retry", "stop"
MAY_HAVE_ACTED, PAST_DEADLINE, EXHAUSTED = "may have acted", "asked to wait past the deadline", "attempts exhausted"
# How a request without an answer was lost: before it reached the server, or after it was sent.
NEVER_SENT, SENT = "never sent", "sent"


class Decision:
    """What ``post`` does after one attempt: ``action`` RETURN (the reply is the answer), RETRY (after
    ``wait`` seconds) or STOP (``reason``: MAY_HAVE_ACTED, PAST_DEADLINE or EXHAUSTED)."""

    def __init__(self, action, wait=0.0, reason=None):
        self.action = action
        self.wait = wait
        self.reason = reason

    def __eq__(self, other):
        return isinstance(other, Decision) and self.parts() == other.parts()

    def parts(self):
        return self.action, self.wait, self.reason

    def __repr__(self):
        return "Decision(%r, %r, %r)" % self.parts()


def retry_decision(reply, lost, idempotent, attempt, deadline, policy):
    """The one retry policy: after attempt ``attempt`` (0-based) of a request, retry, wait, or stop.

    ``reply`` is the ``HttpReply``, or None when the answer was ``lost`` (NEVER_SENT: refused or
    timed out while connecting; SENT: reset, truncated or timed out after sending). Connection
    failures and HTTP 429/502/503/504 are retried; for an ``idempotent`` request (a read) also lost
    answers, any 5xx and a 2xx whose body cannot be used. A request that is not ``idempotent`` is
    resent only when it provably never reached the server or was refused with 429. The wait is the
    reply's ``Retry-After`` (stop when that is past the ``deadline``), else ``policy``'s backoff. When
    the attempts run out, an answer that is not 429/502/503/504 is returned for the client to describe.
    """
    wait = policy.backoff(attempt)
    last = attempt + 1 >= policy.attempts
    if reply is None:
        if not idempotent and lost != NEVER_SENT:
            return Decision(STOP, reason=MAY_HAVE_ACTED)
        return Decision(STOP, reason=EXHAUSTED) if last else Decision(RETRY, wait)
    if reply.status not in RETRY_STATUSES and not (idempotent and reply.transient):
        return Decision(RETURN)
    if not idempotent and reply.status != 429:
        return Decision(STOP, reason=MAY_HAVE_ACTED)
    asked = parse_retry_after(reply.headers.get("Retry-After"))
    if asked is not None and asked > deadline.remaining():
        return Decision(STOP, asked, PAST_DEADLINE)
    if last:
        return Decision(RETURN) if reply.status not in RETRY_STATUSES else Decision(STOP, reason=EXHAUSTED)
    # "Retry-After: 0" (a console rounding down) must not turn into a burst of instant retries.
    return Decision(RETRY, asked if asked else wait)


class HttpReply:
    """What came back: status, headers, the body as text and its JSON value.

    ``json`` is None when the body cannot be used, and ``problem`` then says why ("a body that is
    not JSON", "JSON nested more than 32 levels deep", ...: see replies.py).
    """

    def __init__(self, status, headers, body_text, problem=None, value=None, repaired=None):
        self.status = status
        self.headers = headers
        self.text = body_text
        self.repaired = repaired or []  # paths of strings whose lone surrogates became U+FFFD
        if problem is None and value is None:
            value, problem = parse_json(body_text) if body_text else (None, "an empty body")
        self.json = None if problem else value
        self.problem = problem

    @classmethod
    def from_bytes(cls, status, headers, raw):
        repaired = []
        text, value, problem = read_body(raw, headers.get("Content-Type"), repairs=repaired)
        return cls(status, headers, text, problem=problem, value=value, repaired=repaired)

    @property
    def transient(self):
        """True when a read may be sent again: a 429 or 5xx, or a 2xx whose body cannot be used."""
        return self.status == 429 or 500 <= self.status < 600 or (200 <= self.status < 300 and bool(self.problem))


class _Exchange:
    """One request in flight and the socket it travels on, so that it can be cut off from outside.

    A server that drips its status line or headers one byte at a time never trips a socket
    timeout (each read gets a byte); a watchdog timer, or the run being stopped, shuts the
    socket down, which wakes the blocked read at once.
    """

    def __init__(self):
        self.cut = False
        self._sock = None
        self._lock = threading.Lock()

    def attach(self, sock):
        with self._lock:
            self._sock = sock
            if self.cut:
                _shut(sock)

    def cut_off(self):
        with self._lock:
            self.cut = True
            if self._sock is not None:
                _shut(self._sock)


def _shut(sock):
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except (OSError, AttributeError):  # already closed, or not a socket yet
        pass


_IN_FLIGHT = threading.local()


def _attach_current(connection):
    exchange = getattr(_IN_FLIGHT, "exchange", None)
    if exchange is not None:
        exchange.attach(connection.sock)


if HAS_REQUESTS:
    class _WatchedHTTPConnection(urllib3.connection.HTTPConnection):
        def getresponse(self, *args, **kwargs):  # pylint: disable=signature-differs
            _attach_current(self)
            return super().getresponse(*args, **kwargs)

    class _WatchedHTTPSConnection(urllib3.connection.HTTPSConnection):
        def getresponse(self, *args, **kwargs):  # pylint: disable=signature-differs
            _attach_current(self)
            return super().getresponse(*args, **kwargs)

    class _WatchedHTTPConnectionPool(urllib3.connectionpool.HTTPConnectionPool):
        ConnectionCls = _WatchedHTTPConnection

    class _WatchedHTTPSConnectionPool(urllib3.connectionpool.HTTPSConnectionPool):
        ConnectionCls = _WatchedHTTPSConnection


class TransportStopped(BaseException):
    """The run is ending (interrupted): no new request may start. A BaseException, like Interrupted."""


def _request_never_sent(exc):
    """True when the connection failed before the request could reach the server."""
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return True
    reason = exc.args[0] if exc.args else None
    reason = getattr(reason, "reason", reason)
    return type(reason).__name__ in ("NewConnectionError", "NameResolutionError")


class JsonRpcTransport:
    """POSTs JSON to one HTTPS endpoint family with keep-alive, retries and a deadline.

    ``product`` holds the wording for user-facing messages: its display name and the
    environment variable prefix, so a TLS failure can say which option to set.
    """

    def __init__(self, base_url, product, deadline, timeout=30, validate_certs=True, ca_path=None,
                 retry=None, secrets=None, sleep=time.sleep, transcript=None, warn=None, report=None):
        if validate_certs and ca_path:
            check_ca_path(ca_path, product)
        self.base_url = base_url.rstrip("/")
        self.product = product
        self.deadline = deadline
        self.timeout = float(timeout)
        self.retry = retry or RetryPolicy()
        self.secrets = secrets if secrets is not None else set()
        check_proxies(self.base_url, self.secrets)  # before any request; proxy passwords become secrets
        self.requests_sent = 0
        self.transcript = transcript  # a transcript.TranscriptWriter, or None
        self.warn = warn  # a module's warn, for what the run repaired and went on with
        # Where waits report progress (one line of text): the in-controller run's display, else None.
        self.report = report
        self._stopped = threading.Event()
        self._sleep = sleep if sleep is not time.sleep else self._wait_unless_stopped
        self._exchanges = set()
        self._exchanges_lock = threading.Lock()
        self.session = requests.Session()
        self.session.headers.update({"Content-Type": "application/json", "Accept": "application/json",
                                     "User-Agent": USER_AGENT})
        # Our own retry loop owns the policy; urllib3 must not retry behind our back.
        adapter = HTTPAdapter(max_retries=0, pool_connections=4, pool_maxsize=8)
        adapter.poolmanager.pool_classes_by_scheme = {"http": _WatchedHTTPConnectionPool,
                                                      "https": _WatchedHTTPSConnectionPool}
        self.session.mount("https://", adapter)
        self.session.mount("http://", adapter)
        # Passed on every request: a Session-level verify loses to REQUESTS_CA_BUNDLE/CURL_CA_BUNDLE
        # in the environment, which would silently ignore ca_path.
        if not validate_certs:
            self.verify = False
            _silence_insecure_warning()
        else:
            self.verify = ca_path or True

    def close(self):
        self.session.close()
        if self.transcript is not None:
            self.transcript.close()

    def stop(self):
        """The run is ending: cut every request in flight, wake every sleep, refuse new requests.

        Only calls made with ``even_when_stopped`` (logout) still go out.
        """
        self._stopped.set()
        with self._exchanges_lock:
            exchanges = list(self._exchanges)
        for exchange in exchanges:
            exchange.cut_off()

    @property
    def stopped(self):
        return self._stopped.is_set()

    def _wait_unless_stopped(self, seconds):
        """Wait ``seconds`` or until ``stop()``, in ``time.sleep`` slices of ``SIGNAL_SLICE`` (see concurrency.py).

        Not ``Event.wait``: a signal handler that raises while the main thread is inside the Event's
        Condition can leave its lock held, and the ``stop()`` of the clean-up then waits forever.
        """
        end = time.monotonic() + seconds
        while not self._stopped.is_set():
            left = end - time.monotonic()
            if left <= 0:
                return
            time.sleep(min(left, SIGNAL_SLICE))

    def pause_quietly(self, seconds):
        """Sleep, cut short by ``stop()``, without raising."""
        self._sleep(seconds)

    def pause(self, seconds):
        """Sleep that a ``stop()`` cuts short; raises TransportStopped if the run is ending."""
        self._sleep(seconds)
        if self.stopped:
            raise TransportStopped("the run is ending")

    def post(self, path, payload, idempotent=True, headers=None, auth=None, budget=None, even_when_stopped=False):
        """Send ``payload`` to ``base_url + path``; return an ``HttpReply``.

        After each attempt ``retry_decision`` (the one retry policy) says whether the reply is the
        answer, when to send again, or why to stop; ``_retrying`` only sends, sleeps and words the errors.
        When the deadline leaves no time for another attempt, an answer that is not 429/502/503/504
        is returned for the client to describe. ``budget`` overrides the deadline for this call
        (logout must run after it).
        """
        if self.stopped and not even_when_stopped:
            raise TransportStopped("the run is ending")
        deadline = budget or self.deadline
        body = json.dumps(payload, separators=(",", ":"))
        url = self.base_url + path

        def send_once(limit):
            return self._send_once(url, body, headers, auth, limit), None

        reply, _nothing = self._retrying(url, body, send_once, idempotent, deadline, even_when_stopped=even_when_stopped)
        return reply

    def download(self, url, write, reset, payload=None, headers=None, idempotent=True, budget=None):
        """Send one request (POST of ``payload`` as JSON, or GET when it is None) to ``url`` (a path of
        ``base_url`` or an absolute URL the caller has checked) and hand a 200 body to ``write(chunk)``
        as it arrives, never holding it whole; returns ``(HttpReply or None, size)``.

        For a 200 the reply is None and ``size`` the bytes written. Any other status is read whole
        (bounded like every reply) and returned for the caller to describe. Whether to try again is
        ``retry_decision``'s call, as for ``post`` (a read is also tried again after a cut);
        ``reset()`` is called before each new attempt, so a half-written body is thrown away. Between
        chunks an idle watchdog allows ``timeout`` seconds without a byte, always within the run's
        deadline: a big report may take longer than ``timeout`` as long as it flows.
        """
        if self.stopped:
            raise TransportStopped("the run is ending")
        deadline = budget or self.deadline
        full_url = url if "://" in url else self.base_url + url
        body = None if payload is None else json.dumps(payload, separators=(",", ":"))

        def download_once(limit):
            reply, size = self._download_once(full_url, body, headers, write, limit)
            if reply is None:
                self._note(full_url, body or "", reply=HttpReply(200, {}, "<%d bytes streamed>" % size,
                                                                 problem="streamed"))
            return reply, size

        def incomplete(last_problem, limit):
            if last_problem is not None and not last_problem.startswith("HTTP "):
                return ConnectionFailure("the download from %s did not complete (%s) in %d attempts within the run's "
                                         "%.0f s deadline; nothing was saved"
                                         % (self._where(), last_problem, self.retry.attempts, limit.seconds))
            return self._exhausted(last_problem, limit)

        return self._retrying(full_url, body or "", download_once, idempotent, deadline, before_retry=reset,
                              exhausted=incomplete)

    def _retrying(self, url, body, send_once, idempotent, deadline, even_when_stopped=False, before_retry=None,
                  exhausted=None):
        """The one send loop of ``post`` and ``download``: ``send_once(deadline)`` makes one attempt and returns
        ``(HttpReply, extra)``, or ``(None, extra)`` when a download's body has been streamed (that is the
        answer). After each attempt ``retry_decision`` says what next; ``before_retry()`` runs before an
        attempt is made again; ``exhausted(last_problem, deadline)`` words giving up (``_exhausted`` by
        default). Returns ``(HttpReply or None, extra)``."""
        exhausted = exhausted or self._exhausted
        last_problem, last_reply, last_extra = None, None, None
        for attempt in range(self.retry.attempts):
            if deadline.expired():
                break
            reply, extra, error, lost = None, None, None, None
            left = deadline.remaining()
            try:
                reply, extra = send_once(deadline)
            except requests.exceptions.SSLError as exc:
                self._note(url, body, error=exc)
                raise self._tls_failure(exc) from None
            except (requests.exceptions.ConnectionError, requests.exceptions.Timeout) as exc:
                self._note(url, body, error=exc)
                error, lost = exc, NEVER_SENT if _request_never_sent(exc) else SENT
            else:
                if reply is None:
                    return None, extra
                self._note(url, body, reply=reply)
                self._report_repairs(reply)
            decision = retry_decision(reply, lost, idempotent, attempt, deadline, self.retry)
            if decision.action == RETURN:
                return reply, extra
            if reply is None:
                last_problem, last_reply = self._describe(error, left), None
            else:
                last_problem, last_reply, last_extra = "HTTP %d" % reply.status, reply, extra
            if decision.action == STOP:
                if decision.reason == EXHAUSTED:
                    raise exhausted(last_problem, deadline)
                raise self._stopped_by(decision, reply, attempt, deadline, last_problem)
            if before_retry is not None:
                before_retry()
            self._sleep(deadline.cap(decision.wait))
            if self.stopped and not even_when_stopped:
                raise TransportStopped("the run is ending")
        if last_reply is not None and last_reply.status not in RETRY_STATUSES:
            return last_reply, last_extra
        raise exhausted(last_problem, deadline)

    def _report_repairs(self, reply, shown=5):
        """One warning for a reply whose strings held lone surrogates (Ansible would refuse them)."""
        if not reply.repaired or self.warn is None:
            return
        fields = ", ".join(reply.repaired[:shown])
        more = len(reply.repaired) - shown
        self.warn("%s sent text that is not valid Unicode (a lone UTF-16 surrogate) in %s%s; each such character "
                  "was replaced by U+FFFD" % (self.product.name, fields, " and %d more field(s)" % more if more > 0 else ""))

    def _stopped_by(self, decision, reply, attempt, deadline, last_problem):
        """The error of a ``STOP`` decision of the retry policy."""
        if decision.reason == MAY_HAVE_ACTED and reply is None:
            return ConnectionFailure(
                "%s at %s stopped answering after the request was sent (%s); it was not resent because it "
                "may already have taken effect" % (self.product.name, self._where(), last_problem))
        if decision.reason == MAY_HAVE_ACTED:
            return ServerError("%s answered HTTP %d; the request was not resent because it may already "
                               "have taken effect" % (self.product.name, reply.status), http_status=reply.status)
        if decision.reason == PAST_DEADLINE:
            return self._gave_up(reply.status, attempt + 1, deadline, decision.wait)
        return self._exhausted(last_problem, deadline)

    def _download_once(self, url, body, headers, write, deadline):
        per_request = deadline.cap(self.timeout)
        if per_request <= 0:
            raise requests.exceptions.Timeout("deadline reached")
        self.requests_sent += 1
        exchange = _Exchange()
        watchdog = _IdleWatchdog(exchange, per_request, deadline)
        self._start_exchange(exchange, watchdog)
        send = self.session.get if body is None else self.session.post
        extra = {} if body is None else {"data": body}
        try:
            with send(url, headers=headers, timeout=(per_request, per_request), verify=self.verify, stream=True,
                      allow_redirects=False, **extra) as response:
                watchdog.touch()
                if response.status_code != 200:
                    raw = self._read_body(response, time.monotonic(), per_request)
                    return HttpReply.from_bytes(response.status_code, response.headers, raw), 0
                return None, self._stream_body(response, write, watchdog)
        except (requests.exceptions.RequestException, MalformedResponse):
            if exchange.cut:
                raise requests.exceptions.ReadTimeout("no data for %.0f s" % per_request) from None
            raise
        finally:
            watchdog.stop()
            self._end_exchange(exchange)

    def _read_chunk(self, read, size):
        """Up to ``size`` bytes of a body, a urllib3 failure turned into the requests error the retry loop knows."""
        try:
            return read(size, decode_content=True)
        except urllib3.exceptions.ReadTimeoutError as exc:
            raise requests.exceptions.ReadTimeout(str(exc)) from None
        except (urllib3.exceptions.ProtocolError, urllib3.exceptions.SSLError, OSError) as exc:
            raise requests.exceptions.ConnectionError(str(exc)) from None
        except urllib3.exceptions.DecodeError:
            raise MalformedResponse("%s sent a body that could not be decompressed" % self.product.name) from None

    def _stream_body(self, response, write, watchdog):
        stream = response.raw
        stream.enforce_content_length = True
        read = getattr(stream, "read1", None) or stream.read
        size = 0
        while True:
            chunk = self._read_chunk(read, 262144)
            if not chunk:
                return size
            watchdog.touch()
            write(chunk)
            size += len(chunk)

    def _note(self, url, body, reply=None, error=None):
        """Add the exchange to the transcript, when the run keeps one."""
        if self.transcript is None:
            return
        if reply is None:
            self.transcript.record("POST", url, body, error=type(error).__name__)
        else:
            self.transcript.record("POST", url, body, status=reply.status, reply_text=reply.text, headers=reply.headers)

    def _send_once(self, url, body, headers, auth, deadline):
        per_request = deadline.cap(self.timeout)
        if per_request <= 0:
            raise requests.exceptions.Timeout("deadline reached")
        self.requests_sent += 1
        started = time.monotonic()
        exchange = _Exchange()
        watchdog = threading.Timer(per_request, exchange.cut_off)
        watchdog.daemon = True
        self._start_exchange(exchange, watchdog)
        try:
            with self.session.post(url, data=body, headers=headers, auth=auth, timeout=(per_request, per_request),
                                   verify=self.verify, stream=True, allow_redirects=False) as response:
                raw = self._read_body(response, started, per_request)
                return HttpReply.from_bytes(response.status_code, response.headers, raw)
        except (requests.exceptions.RequestException, MalformedResponse):
            if exchange.cut:
                # Cut off by the watchdog (or by stop()): it was a timeout, not the server hanging up.
                raise requests.exceptions.ReadTimeout("reply not complete after %.0f s" % per_request) from None
            raise
        finally:
            watchdog.cancel()
            self._end_exchange(exchange)

    def _start_exchange(self, exchange, watchdog):
        """Register ``exchange`` (so ``stop()`` can cut it) as this thread's request in flight; start its watchdog."""
        with self._exchanges_lock:
            self._exchanges.add(exchange)
        _IN_FLIGHT.exchange = exchange
        watchdog.start()

    def _end_exchange(self, exchange):
        _IN_FLIGHT.exchange = None
        with self._exchanges_lock:
            self._exchanges.discard(exchange)

    def _read_body(self, response, started, per_request):
        """The whole body, bounded in size and in wall-clock time.

        ``read1`` returns whatever has arrived instead of waiting for a full buffer, so a server
        that drips bytes slowly is cut off at the timeout; the socket timeout alone never trips.
        """
        stream = response.raw
        # urllib3 2.x refuses a body shorter than its Content-Length by itself; 1.26 only when asked.
        stream.enforce_content_length = True
        read = getattr(stream, "read1", None) or stream.read
        chunks = []
        size = 0
        while True:
            if time.monotonic() - started > per_request:
                raise requests.exceptions.ReadTimeout("reply not complete after %.0f s" % per_request)
            chunk = self._read_chunk(read, 65536)
            if not chunk:
                return b"".join(chunks)
            chunks.append(chunk)
            size += len(chunk)
            if size > MAX_BODY_BYTES:
                raise MalformedResponse("%s sent a reply larger than %d MiB; refusing to read it"
                                        % (self.product.name, MAX_BODY_BYTES // (1024 * 1024)))

    def _where(self):
        return redact(self.base_url, self.secrets)

    def _describe(self, exc, left=None):
        """Words for a request that got no reply; ``left``: what the deadline left it, when less than ``timeout``."""
        if isinstance(exc, requests.exceptions.Timeout):
            if left is not None and left < self.timeout:
                return "no complete answer in the %.1f s left before the run's deadline" % left
            return "no complete answer within %.0f s" % self.timeout
        text = str(exc)
        for marker in ("Connection refused", "Name or service not known", "No route to host",
                       "Connection reset", "Temporary failure in name resolution", "RemoteDisconnected",
                       "Connection aborted", "IncompleteRead", "timed out"):
            if marker in text:
                return marker.lower()
        return redact(type(exc).__name__, self.secrets)

    def _tls_failure(self, exc):
        detail = str(exc)
        if any(marker in detail for marker in TOO_OLD_MARKERS):
            return TLSFailure(
                "TLS connection to %s failed: protocol too old. The %s offers only TLS 1.0 or 1.1, which this "
                "Python's OpenSSL refuses; enable TLS 1.2 or newer on the appliance (its admin HTTPS settings)"
                % (self._where(), self.product.name))
        if "certificate verify failed" in detail:
            reason = detail.split("certificate verify failed:", 1)[-1].split("(_ssl")[0].strip(" )'\"")
            reason = "certificate verify failed" + (": " + reason if reason else "")
        elif "hostname" in detail.lower() and "match" in detail.lower():
            reason = "the certificate does not match the host name"
        else:
            reason = "TLS handshake failed"
        env = self.product.env_prefix + "_CA_PATH"
        return TLSFailure(
            "TLS verification of %s failed (%s). Pass the CA certificate that signed the %s certificate with "
            "ca_path (or %s), or set validate_certs: false only for a lab appliance"
            % (self._where(), redact(reason, self.secrets), self.product.name, env))

    def _gave_up(self, status, attempts, deadline, asked):
        if status == 429:
            return RateLimited(
                "%s is rate limiting this client (HTTP 429) and asked to wait %.0f s; gave up after %d attempt(s) "
                "because the run's %.0f s deadline does not allow it. Run fewer tasks at once or raise timeout"
                % (self.product.name, asked, attempts, deadline.seconds), http_status=429)
        return ServerError("%s answered HTTP %d and asked to retry in %.0f s, past the run's %.0f s deadline"
                           % (self.product.name, status, asked, deadline.seconds), http_status=status)

    def _exhausted(self, last_problem, deadline):
        if last_problem is None:
            return DeadlineExceeded("the run's %.0f s deadline passed before %s at %s answered"
                                    % (deadline.seconds, self.product.name, self._where()))
        if last_problem.startswith("HTTP "):
            status = int(last_problem.split()[1])
            if status == 429:
                return RateLimited("%s kept answering HTTP 429 (rate limited) until the run gave up; try again later"
                                   % self.product.name, http_status=429)
            return ServerError("%s at %s kept answering %s (service unavailable); gave up after retries within "
                               "the run's %.0f s deadline" % (self.product.name, self._where(), last_problem,
                                                              deadline.seconds), http_status=status)
        return ConnectionFailure("cannot reach %s at %s: %s (retried within the run's %.0f s deadline). "
                                 "Check %s and that the appliance is up"
                                 % (self.product.name, self._where(), last_problem, deadline.seconds,
                                    getattr(self.product, "address", "host and port")))


class _IdleWatchdog:
    """Cuts an exchange off when no byte came for ``idle`` seconds, or when the deadline passes."""

    def __init__(self, exchange, idle, deadline):
        self._exchange = exchange
        self._idle = idle
        self._deadline = deadline
        self._last = time.monotonic()
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._watch, name="download-watchdog", daemon=True)

    def start(self):
        self._thread.start()

    def touch(self):
        self._last = time.monotonic()

    def stop(self):
        self._done.set()

    def _watch(self):
        while not self._done.wait(min(1.0, self._idle)):
            if time.monotonic() - self._last > self._idle or self._deadline.expired():
                self._exchange.cut_off()
                return


def check_ca_path(ca_path, product):
    """InvalidInput naming ``ca_path`` unless it is a readable file of PEM CA certificates.

    requests would only notice at the first request (an OSError none of its own errors cover), or take
    a directory as an OpenSSL hashed-certificate directory and report every certificate as unknown.
    """
    wanted = "give the PEM file of the CA certificate that signed the %s certificate" % product.name
    if os.path.isdir(ca_path):
        raise InvalidInput("ca_path %s is a directory and cannot be used: %s" % (ca_path, wanted), option="ca_path")
    if not os.access(ca_path, os.R_OK):
        raise InvalidInput("ca_path %s does not exist or cannot be read: %s" % (ca_path, wanted), option="ca_path")
    try:
        ssl.create_default_context(cafile=ca_path)
    except (ssl.SSLError, ValueError, OSError) as err:
        raise InvalidInput("ca_path %s cannot be used: it is not a PEM bundle of CA certificates (%s); %s"
                           % (ca_path, getattr(err, "reason", None) or type(err).__name__, wanted),
                           option="ca_path") from None


def _silence_insecure_warning():
    try:
        import urllib3
        urllib3.disable_warnings(urllib3.exceptions.InsecureRequestWarning)
    except (ImportError, AttributeError):  # pragma: no cover
        pass
