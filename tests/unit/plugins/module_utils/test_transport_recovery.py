# -*- coding: utf-8 -*-
# Copyright (c) 2026, secops.async_tasks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Reads recover from every transient failure; creating calls keep the stricter rule (a local server)."""

from __future__ import annotations

import random

import pytest

from ansible_collections.secops.async_tasks.plugins.module_utils.errors import ConnectionFailure
from ansible_collections.secops.async_tasks.plugins.module_utils.transport import Deadline, JsonRpcTransport, RetryPolicy

OK = {"result": "ok"}


class _Product:
    name = "TestProduct"
    env_prefix = "TESTPRODUCT"


def make_transport(url, attempts=3, timeout=30.0):  # generous: not about timing, and load must not fail it
    return JsonRpcTransport(url, _Product(), Deadline(60), timeout=timeout,
                            retry=RetryPolicy(attempts=attempts, base=0.01, cap=0.02, rng=random.Random(7)),
                            sleep=lambda seconds: None)


def transient(server, kind):
    """The server's action for one transient failure."""
    act = server.act
    return {
        "500": act.reply(500, {"error": "internal"}),
        "501-html": act.text(501, "<html>Not Implemented</html>"),
        "html-200": act.text(200, "<html><body>Login</body></html>"),
        "text-200": act.text(200, "Service temporarily unavailable", content_type="application/json"),
        "empty-200": act.text(200, "", content_type="application/json"),
        "not-utf8": act.reply(200, b'{"result": "\xff\xfe"}'),
        "too-deep": act.reply(200, b"[" * 40 + b"1" + b"]" * 40),
        "nan": act.reply(200, b'{"result": NaN}'),
        "reset": act.hang_up(reset=True),
        "closed": act.hang_up(reset=False),
        "truncated": act.json_of(lambda request: (200, b'{"result": "o')),
    }[kind]


KINDS = ["500", "501-html", "html-200", "text-200", "empty-200", "not-utf8", "too-deep", "nan", "reset", "closed"]


@pytest.mark.parametrize("kind", KINDS)
def test_a_read_is_sent_again_after_any_transient_failure(server, kind):
    server.script(transient(server, kind), then=server.act.reply(200, OK))
    reply = make_transport(server.url).post("/jsonrpc", {"method": "get"})
    assert reply.json == OK and len(server.requests) == 2


@pytest.mark.parametrize("kind", ["500", "html-200", "not-utf8", "too-deep", "empty-200"])
def test_a_create_is_not_sent_again_after_a_bad_answer(server, kind):
    server.script(transient(server, kind), then=server.act.reply(200, OK))
    reply = make_transport(server.url).post("/jsonrpc", {"method": "add"}, idempotent=False)
    assert len(server.requests) == 1 and (reply.json is None or reply.status == 500)  # the client says what came back


def test_a_create_is_not_sent_again_after_its_answer_timed_out(server):
    server.script(server.act.drip(OK, every=0.2), then=server.act.reply(200, OK))
    with pytest.raises(ConnectionFailure) as caught:
        make_transport(server.url, timeout=0.3).post("/jsonrpc", {"method": "add"}, idempotent=False)
    assert len(server.requests) == 1
    assert "not resent" in caught.value.msg and "no complete answer" in caught.value.msg


def test_a_read_whose_answer_timed_out_is_sent_again(server):
    server.script(server.act.drip(OK, every=0.2), then=server.act.reply(200, OK))
    reply = make_transport(server.url, timeout=0.3).post("/jsonrpc", {"method": "get"})
    assert reply.json == OK and len(server.requests) == 2


@pytest.mark.parametrize("kind, problem", [("html-200", "not JSON"), ("too-deep", "nested more than 32"),
                                           ("not-utf8", "not valid UTF-8")])
def test_a_read_that_never_gets_a_usable_answer_returns_the_last_one(server, kind, problem):
    server.always(transient(server, kind))
    reply = make_transport(server.url, attempts=3).post("/jsonrpc", {"method": "get"})
    assert len(server.requests) == 3 and reply.json is None and problem in reply.problem
