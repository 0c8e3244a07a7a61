# -*- coding: utf-8 -*-
# Copyright (c) 2026, secops.async_tasks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""transport.py: Retry-After, Deadline, backoff, redaction, and POST retries against a local server."""

from __future__ import annotations

import email.utils
import json
import random
import time

import pytest
from hypothesis import given, strategies as st

from ansible_collections.secops.async_tasks.plugins.module_utils.errors import (
    ConnectionFailure,
    DeadlineExceeded,
    InvalidInput,
    RateLimited,
    ServerError,
    TLSFailure,
)
from ansible_collections.secops.async_tasks.plugins.module_utils.client import Product
from ansible_collections.secops.async_tasks.plugins.module_utils.transport import (
    REDACTED,
    Deadline,
    JsonRpcTransport,
    RetryPolicy,
    parse_retry_after,
    redact,
)

PRODUCT = Product("TestProduct", "TESTPRODUCT")
SECRET = "Sup3r-S3cret-Passw0rd"
OK = {"result": "ok"}


class Sleeps:
    """Records the waits a transport asks for instead of sleeping."""

    def __init__(self):
        self.waits = []

    def __call__(self, seconds):
        self.waits.append(seconds)


# Generous: these tests are not about timing, and a loaded machine must not make them fail.
def make_transport(url, deadline_s=60.0, attempts=3, timeout=30.0, sleeps=None, deadline=None):
    return JsonRpcTransport(url, PRODUCT, deadline or Deadline(deadline_s), timeout=timeout,
                            retry=RetryPolicy(attempts=attempts, base=0.01, cap=0.02, rng=random.Random(7)),
                            secrets={SECRET}, sleep=sleeps if sleeps is not None else Sleeps())


# -- parse_retry_after ------------------------------------------------------------------------
@pytest.mark.parametrize("value, expected", [
    ("60", 60.0),
    ("60, 60", 60.0),
    (" 5 ,5", 5.0),
    ("0", 0.0),
    ("1.5", 1.5),
    ("-3", 0.0),
    (30, 30.0),
])
def test_parse_retry_after_seconds(value, expected):
    assert parse_retry_after(value) == expected


@pytest.mark.parametrize("value", [None, "", "  ", "soon", "60s", "Tomorrow, maybe"])
def test_parse_retry_after_rejects_garbage_and_empty(value):
    assert parse_retry_after(value) is None


def test_parse_retry_after_http_date_counts_from_now():
    now = 1_700_000_000.0
    header = email.utils.formatdate(now + 90, usegmt=True)
    assert parse_retry_after(header, now=now) == pytest.approx(90.0)


def test_parse_retry_after_http_date_in_the_past_is_zero():
    now = 1_700_000_000.0
    header = email.utils.formatdate(now - 600, usegmt=True)
    assert parse_retry_after(header, now=now) == 0.0


# -- Deadline ---------------------------------------------------------------------------------
def test_deadline_counts_down_on_its_clock(clock):
    deadline = Deadline(10, clock=clock)
    assert deadline.seconds == 10.0
    assert deadline.remaining() == 10.0
    assert not deadline.expired()
    clock.advance(7.5)
    assert deadline.remaining() == 2.5
    assert deadline.cap(30) == 2.5
    assert deadline.cap(1) == 1.0
    clock.advance(2.5)
    assert deadline.remaining() == 0.0
    assert deadline.expired()
    clock.advance(100)
    assert deadline.remaining() == 0.0
    assert deadline.cap(5) == 0.0


def test_deadline_cap_never_negative(clock):
    deadline = Deadline(1, clock=clock)
    assert deadline.cap(-4) == 0.0


# -- RetryPolicy ------------------------------------------------------------------------------
class EdgeRng:
    """A random source that always returns one end of the range it is asked for."""

    def __init__(self, high):
        self.high = high

    def uniform(self, low, high):
        return high if self.high else low


@pytest.mark.parametrize("retry_number, low, high", [
    (0, 0.25, 0.5),
    (1, 0.5, 1.0),
    (3, 2.0, 4.0),
    (4, 4.0, 8.0),
    (5, 4.0, 8.0),
    (30, 4.0, 8.0),
])
def test_backoff_bounds_are_half_to_full_ceiling_with_cap(retry_number, low, high):
    assert RetryPolicy(base=0.5, cap=8.0, rng=EdgeRng(high=False)).backoff(retry_number) == low
    assert RetryPolicy(base=0.5, cap=8.0, rng=EdgeRng(high=True)).backoff(retry_number) == high
    policy = RetryPolicy(base=0.5, cap=8.0, rng=random.Random(retry_number))
    for dummy in range(200):
        assert low <= policy.backoff(retry_number) <= high


def test_backoff_jitter_actually_varies():
    policy = RetryPolicy(base=0.5, cap=8.0, rng=random.Random(1))
    assert len({policy.backoff(3) for dummy in range(20)}) > 1


# -- redact -----------------------------------------------------------------------------------
def test_redact_masks_every_occurrence():
    assert redact("a=%s b=%s" % (SECRET, SECRET), {SECRET}) == "a=%s b=%s" % (REDACTED, REDACTED)


def test_redact_ignores_short_and_empty_secrets():
    assert redact("pin 123 is fine", {"123", "", None}) == "pin 123 is fine"


def test_redact_prefers_the_longest_overlapping_secret():
    assert redact("token abcdef12", {"abcd", "abcdef12"}) == "token %s" % REDACTED


def test_redact_passes_empty_through_and_stringifies():
    assert redact("", {SECRET}) == ""
    assert redact(None, {SECRET}) is None
    assert redact(ValueError("bad %s" % SECRET), {SECRET}) == "bad %s" % REDACTED


@given(prefix=st.text(alphabet=st.characters(blacklist_characters="*")),
       suffix=st.text(alphabet=st.characters(blacklist_characters="*")),
       secret=st.text(alphabet=st.characters(blacklist_characters="*"), min_size=4))
def test_redact_never_leaves_a_secret(prefix, suffix, secret):
    assert secret not in redact(prefix + secret + suffix, {secret})


# -- JsonRpcTransport.post against a scripted server ------------------------------------------
def test_post_returns_parsed_json_and_sends_json(server):
    server.always(server.act.reply(200, OK))
    transport = make_transport(server.url)
    reply = transport.post("/jsonrpc", {"method": "get", "id": 1})
    assert reply.status == 200
    assert reply.json == OK
    assert len(server.requests) == 1
    assert server.requests[0].path == "/jsonrpc"
    assert server.requests[0].json == {"method": "get", "id": 1}
    assert server.requests[0].headers["Content-Type"] == "application/json"
    transport.close()


def test_503_then_200_is_retried_once(server):
    sleeps = Sleeps()
    server.script(server.act.reply(503, {"busy": True}), then=server.act.reply(200, OK))
    transport = make_transport(server.url, sleeps=sleeps)
    reply = transport.post("/jsonrpc", {"id": 1})
    assert reply.json == OK
    assert len(server.requests) == 2
    assert transport.requests_sent == 2
    assert len(sleeps.waits) == 1
    assert 0.005 <= sleeps.waits[0] <= 0.01


@pytest.mark.parametrize("header", ["1", "1, 1"])
def test_429_retry_after_is_honoured(server, header):
    sleeps = Sleeps()
    server.script(server.act.reply(429, {"error": "slow down"}, headers={"Retry-After": header}),
                  then=server.act.reply(200, OK))
    transport = make_transport(server.url, sleeps=sleeps)
    reply = transport.post("/jsonrpc", {"id": 1})
    assert reply.json == OK
    assert sleeps.waits == [1.0]
    assert len(server.requests) == 2


def test_429_with_html_body_and_retry_after_is_retried(server):
    sleeps = Sleeps()
    server.script(server.act.text(429, "<html><body>Too Many Requests</body></html>", headers={"Retry-After": "2"}),
                  then=server.act.reply(200, OK))
    reply = make_transport(server.url, sleeps=sleeps).post("/jsonrpc", {"id": 1})
    assert reply.json == OK
    assert sleeps.waits == [2.0]


def test_always_503_gives_server_error_after_exactly_attempts(server):
    sleeps = Sleeps()
    server.always(server.act.reply(503, {"busy": True}))
    transport = make_transport(server.url, attempts=4, sleeps=sleeps)
    with pytest.raises(ServerError) as caught:
        transport.post("/jsonrpc", {"id": 1})
    assert len(server.requests) == 4
    assert len(sleeps.waits) == 3
    assert caught.value.details["http_status"] == 503
    assert "HTTP 503" in str(caught.value)


def test_always_429_gives_rate_limited(server):
    server.always(server.act.reply(429, {}))
    with pytest.raises(RateLimited) as caught:
        make_transport(server.url, attempts=3).post("/jsonrpc", {"id": 1})
    assert len(server.requests) == 3
    assert caught.value.details["http_status"] == 429


def test_retry_after_beyond_deadline_fails_at_once_without_sleeping(server):
    sleeps = Sleeps()
    server.always(server.act.reply(429, {}, headers={"Retry-After": "60, 60"}))
    transport = make_transport(server.url, deadline_s=5, attempts=5, sleeps=sleeps)
    with pytest.raises(RateLimited) as caught:
        transport.post("/jsonrpc", {"id": 1})
    assert sleeps.waits == []
    assert len(server.requests) == 1
    assert "60 s" in str(caught.value)


def test_retry_waits_never_exceed_the_deadline(server, clock):
    sleeps = Sleeps()
    server.script(server.act.reply(503, {}, headers={"Retry-After": "2"}), then=server.act.reply(200, OK))
    deadline = Deadline(3.0, clock=clock)  # its own clock: the time the first request takes does not count
    make_transport(server.url, sleeps=sleeps, deadline=deadline).post("/jsonrpc", {"id": 1})
    assert len(sleeps.waits) == 1
    assert sleeps.waits[0] <= 2.0


def test_expired_deadline_sends_nothing(server):
    server.always(server.act.reply(200, OK))
    expired = Deadline(0)
    with pytest.raises(DeadlineExceeded):
        make_transport(server.url, deadline=expired).post("/jsonrpc", {"id": 1})
    assert server.requests == []


def test_budget_overrides_an_expired_deadline(server):
    server.always(server.act.reply(200, OK))
    transport = make_transport(server.url, deadline=Deadline(0))
    assert transport.post("/jsonrpc", {"id": 1}, budget=Deadline(5)).json == OK
    assert len(server.requests) == 1


def test_connection_refused_names_host_and_port_without_secret(unused_port):
    sleeps = Sleeps()
    transport = make_transport("http://127.0.0.1:%d" % unused_port, attempts=3, sleeps=sleeps)
    with pytest.raises(ConnectionFailure) as caught:
        transport.post("/jsonrpc", {"passwd": SECRET})
    message = str(caught.value)
    assert "127.0.0.1:%d" % unused_port in message
    assert "connection refused" in message
    assert SECRET not in message
    assert transport.requests_sent == 3
    assert len(sleeps.waits) == 2


def test_connection_refused_is_retried_even_when_not_idempotent(unused_port):
    transport = make_transport("http://127.0.0.1:%d" % unused_port, attempts=2)
    with pytest.raises(ConnectionFailure):
        transport.post("/jsonrpc", {"method": "add"}, idempotent=False)
    assert transport.requests_sent == 2


@pytest.mark.parametrize("status", [502, 503, 504])
def test_non_idempotent_post_is_not_resent_after_5xx(server, status):
    server.always(server.act.reply(status, {}))
    with pytest.raises(ServerError) as caught:
        make_transport(server.url).post("/jsonrpc", {"method": "add"}, idempotent=False)
    assert len(server.requests) == 1
    assert "not resent" in str(caught.value)
    assert caught.value.details["http_status"] == status


@pytest.mark.parametrize("reset", [True, False], ids=["rst", "close"])
def test_non_idempotent_post_is_not_resent_after_a_hang_up(server, reset):
    server.script(server.act.hang_up(reset=reset), then=server.act.reply(200, OK))
    with pytest.raises(ConnectionFailure) as caught:
        make_transport(server.url).post("/jsonrpc", {"method": "add"}, idempotent=False)
    assert len(server.requests) == 1
    assert "not resent" in str(caught.value)


def test_idempotent_post_is_resent_after_a_hang_up(server):
    server.script(server.act.hang_up(), then=server.act.reply(200, OK))
    reply = make_transport(server.url).post("/jsonrpc", {"method": "get"})
    assert reply.json == OK
    assert len(server.requests) == 2


def test_non_idempotent_post_is_resent_after_429(server):
    server.script(server.act.reply(429, {}, headers={"Retry-After": "0"}), then=server.act.reply(200, OK))
    reply = make_transport(server.url).post("/jsonrpc", {"method": "add"}, idempotent=False)
    assert reply.json == OK
    assert len(server.requests) == 2


@pytest.mark.parametrize("drip", [
    lambda act: act.drip({"result": "x" * 20}, every=0.5),  # the body takes ~16 s
    lambda act: act.drip({"result": "x" * 20}, every=0.5, chunked=True),
    # The head takes ~35 s, read inside http.client one readline per header: only the watchdog
    # shutting the socket ends it.
    lambda act: act.drip_head({"result": "ok"}, every=0.5),
], ids=["body-content-length", "body-chunked", "status-line-and-headers"])
def test_slow_drip_is_cut_off_at_the_timeout(server, drip):
    server.always(drip(server.act))
    transport = make_transport(server.url, deadline_s=10, attempts=1, timeout=0.3)
    started = time.monotonic()
    with pytest.raises(ConnectionFailure) as caught:
        transport.post("/jsonrpc", {"id": 1})
    elapsed = time.monotonic() - started
    # The read stops at the 0.3 s timeout, long before the server would finish (a bound a loaded
    # machine keeps: the drip lasts 16 s or more).
    assert elapsed < 8.0
    assert "no complete answer" in str(caught.value)


def test_a_request_cut_short_by_the_deadline_says_so_not_the_timeout(server):
    server.always(server.act.drip({"result": "x" * 20}, every=0.5))
    transport = make_transport(server.url, deadline_s=0.4, attempts=1, timeout=30)
    with pytest.raises(ConnectionFailure) as caught:
        transport.post("/jsonrpc", {"id": 1})
    message = str(caught.value)
    assert "left before the run's deadline" in message and "within 30 s" not in message, message


def test_non_json_body_gives_reply_without_json(server):
    server.always(server.act.text(200, "<html><body>Login</body></html>"))
    reply = make_transport(server.url).post("/jsonrpc", {"id": 1})
    assert reply.status == 200
    assert reply.json is None
    assert reply.text == "<html><body>Login</body></html>"


def test_empty_body_gives_reply_without_json(server):
    server.always(server.act.text(200, "", content_type="application/json"))
    reply = make_transport(server.url).post("/jsonrpc", {"id": 1})
    assert reply.json is None
    assert reply.text == ""


@pytest.mark.parametrize("status", [400, 401, 403, 404, 405])  # a 5xx is retried: test_transport_recovery.py
def test_other_http_errors_are_returned_not_retried(server, status):
    server.always(server.act.reply(status, {"error": status}))
    reply = make_transport(server.url).post("/jsonrpc", {"id": 1})
    assert reply.status == status
    assert reply.json == {"error": status}
    assert len(server.requests) == 1


def test_headers_and_auth_are_sent(server):
    server.always(server.act.reply(200, OK))
    make_transport(server.url).post("/jsonrpc", {"id": 1}, headers={"Authorization": "Bearer k3y-value"})
    assert server.requests[0].headers["Authorization"] == "Bearer k3y-value"


def test_503_retry_after_beyond_deadline_fails_at_once_as_server_error(server):
    sleeps = Sleeps()
    server.always(server.act.reply(503, {}, headers={"Retry-After": "120"}))
    with pytest.raises(ServerError) as caught:
        make_transport(server.url, deadline_s=5, sleeps=sleeps).post("/jsonrpc", {"id": 1})
    assert sleeps.waits == []
    assert len(server.requests) == 1
    assert caught.value.details["http_status"] == 503


@pytest.mark.parametrize("content_type", [
    "application/json",
    "application/json; charset=utf-8",
    "text/plain",
    "text/html",
])
def test_json_body_is_decoded_as_utf8(server, content_type):
    server.always(server.act.reply(200, '{"hostname": "Z\u00fcrich-\u6771\u4eac"}'.encode("utf-8"), content_type=content_type))
    reply = make_transport(server.url).post("/jsonrpc", {"id": 1})
    assert reply.json == {"hostname": "Z\u00fcrich-\u6771\u4eac"}


# -- TLS options (the failure wording is covered by the integration tests) -----------------------
def tls_transport(server, **tls):
    return JsonRpcTransport(server.url, PRODUCT, Deadline(60), timeout=30, retry=RetryPolicy(attempts=1), **tls)


def test_ca_path_verifies_the_server(tls_server, tls_material):
    tls_server.always(tls_server.act.reply(200, OK))
    assert tls_transport(tls_server, ca_path=tls_material.cert_file).post("/jsonrpc", {"id": 1}).json == OK


def test_unknown_ca_is_a_tls_failure_naming_the_option(tls_server):
    tls_server.always(tls_server.act.reply(200, OK))
    with pytest.raises(TLSFailure) as caught:
        tls_transport(tls_server).post("/jsonrpc", {"id": 1})
    assert "certificate verify failed" in str(caught.value)
    assert "TESTPRODUCT_CA_PATH" in str(caught.value)
    assert tls_server.requests == []


def test_validate_certs_false_accepts_any_certificate(tls_server):
    tls_server.always(tls_server.act.reply(200, OK))
    assert tls_transport(tls_server, validate_certs=False).post("/jsonrpc", {"id": 1}).json == OK


def test_missing_ca_path_is_invalid_input_before_any_request(tmp_path):
    with pytest.raises(InvalidInput) as caught:
        JsonRpcTransport("https://127.0.0.1:1", PRODUCT, Deadline(5), ca_path=str(tmp_path / "missing.pem"))
    assert caught.value.details["option"] == "ca_path"
    assert "missing.pem" in str(caught.value)


def test_missing_ca_path_is_ignored_without_validation(tls_server, tmp_path):
    tls_server.always(tls_server.act.reply(200, OK))
    transport = tls_transport(tls_server, validate_certs=False, ca_path=str(tmp_path / "missing.pem"))
    assert transport.post("/jsonrpc", {"id": 1}).json == OK


@pytest.mark.parametrize("variable", ["REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE"])
def test_ca_path_wins_over_a_ca_bundle_in_the_environment(tls_server, tls_material, monkeypatch, variable):
    certifi = pytest.importorskip("certifi")
    monkeypatch.setenv(variable, certifi.where())
    tls_server.always(tls_server.act.reply(200, OK))
    assert tls_transport(tls_server, ca_path=tls_material.cert_file).post("/jsonrpc", {"id": 1}).json == OK


@pytest.mark.parametrize("variable", ["REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE"])
def test_validate_certs_false_wins_over_a_ca_bundle_in_the_environment(tls_server, monkeypatch, variable):
    certifi = pytest.importorskip("certifi")
    monkeypatch.setenv(variable, certifi.where())
    tls_server.always(tls_server.act.reply(200, OK))
    assert tls_transport(tls_server, validate_certs=False).post("/jsonrpc", {"id": 1}).json == OK


# -- issue 20: replies Ansible would refuse, a BOM, duplicate keys (real HTTP) --------------------
def test_lone_surrogates_are_replaced_with_one_warning_naming_the_fields(server, tmp_path):
    from ansible_collections.secops.async_tasks.plugins.module_utils.transcript import TranscriptWriter
    server.always(server.act.text(200, '{"id": 1, "result": {"name": "scan \\ud800", "items": [{"a": "\\udfff"}]}}',
                                  content_type="application/json"))
    warnings = []
    transport = make_transport(server.url)
    transport.warn = warnings.append
    transport.transcript = TranscriptWriter(str(tmp_path / "run.jsonl"), set())
    reply = transport.post("/jsonrpc", {"method": "get", "id": 1})
    transport.close()
    assert reply.json == {"id": 1, "result": {"name": "scan \ufffd", "items": [{"a": "\ufffd"}]}}
    assert len(warnings) == 1 and "result.name, result.items[0].a" in warnings[0] and "U+FFFD" in warnings[0]
    assert json.loads((tmp_path / "run.jsonl").read_text(encoding="utf-8"))["status"] == 200


def test_a_bom_before_the_json_is_accepted(server):
    server.always(server.act.text(200, "\ufeff" + json.dumps(OK), content_type="application/json; charset=utf-8"))
    transport = make_transport(server.url)
    assert transport.post("/jsonrpc", {"method": "get", "id": 1}).json == OK
    transport.close()


def test_duplicate_keys_are_a_problem_naming_the_key(server):
    server.always(server.act.text(200, '{"id": 1, "result": {"status": 0, "status": 3}}', content_type="application/json"))
    transport = make_transport(server.url, attempts=1)
    reply = transport.post("/jsonrpc", {"method": "get", "id": 1})
    transport.close()
    assert reply.json is None and reply.problem == "an object with the duplicate key 'status'"


# -- issue 20: TLS messages that say the true cause (real TLS servers on 127.0.0.1) -----------------
@pytest.fixture
def old_tls_server(tls_material):
    """A server that speaks only TLS 1.0 and 1.1 (OpenSSL here still allows it at security level 0)."""
    import ssl
    import warnings
    from tests.unit.conftest import ScriptedServer
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            context.minimum_version = ssl.TLSVersion.TLSv1
            context.maximum_version = ssl.TLSVersion.TLSv1_1
        context.set_ciphers("DEFAULT:@SECLEVEL=0")
    except (ValueError, ssl.SSLError) as err:
        pytest.skip("this OpenSSL cannot serve TLS 1.0/1.1: %s" % err)
    context.load_cert_chain(tls_material.cert_file, tls_material.key_file)
    scripted = ScriptedServer(context)
    yield scripted
    scripted.stop()


def test_a_server_with_only_tls_1_0_or_1_1_is_protocol_too_old(old_tls_server, tls_material):
    old_tls_server.always(old_tls_server.act.reply(200, OK))
    with pytest.raises(TLSFailure) as caught:
        tls_transport(old_tls_server, ca_path=tls_material.cert_file).post("/jsonrpc", {"id": 1})
    assert "protocol too old" in caught.value.msg and "TLS 1.2" in caught.value.msg, caught.value.msg
    assert "ca_path" not in caught.value.msg, caught.value.msg


@pytest.mark.parametrize("detail", [
    "[SSL: TLSV1_ALERT_PROTOCOL_VERSION] tlsv1 alert protocol version (_ssl.c:1006)",
    "[SSL: UNSUPPORTED_PROTOCOL] unsupported protocol (_ssl.c:1000)",
    "[SSL: NO_PROTOCOLS_AVAILABLE] no protocols available (_ssl.c:997)",
])
def test_openssl_protocol_errors_are_classified_as_protocol_too_old(detail):
    transport = JsonRpcTransport("https://127.0.0.1:1", PRODUCT, Deadline(10))
    message = transport._tls_failure(Exception(detail)).msg  # pylint: disable=protected-access
    assert "protocol too old" in message and "ca_path" not in message


@pytest.mark.parametrize("content", ["directory", b"not a certificate\n", b"-----BEGIN CERTIFICATE-----\nAAAA\n"
                                     b"-----END CERTIFICATE-----\n", b"\x30\x82\x01\x0a\x02\x82"])
def test_a_ca_path_that_is_no_pem_bundle_is_named_unusable(tls_server, tmp_path, content):
    path = tmp_path / "ca"
    if content == "directory":
        path.mkdir()
    else:
        path.write_bytes(content)
    tls_server.always(tls_server.act.reply(200, OK))
    with pytest.raises(InvalidInput) as caught:
        tls_transport(tls_server, ca_path=str(path)).post("/jsonrpc", {"id": 1})
    assert caught.value.details["option"] == "ca_path" and str(path) in caught.value.msg
    assert "cannot be used" in caught.value.msg, caught.value.msg
    assert tls_server.requests == []
