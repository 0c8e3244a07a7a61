# -*- coding: utf-8 -*-
# Copyright (c) 2026, secops.async_tasks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""faz_runner.run_result_module end to end through a module's main(), against a local HTTPS server.

The point is what reaches the user: the module's JSON output must never hold the password or a
session id, whichever path it fails on.
"""

from __future__ import annotations

import json
import os
import signal
import threading
import time

import pytest

from ansible_collections.secops.async_tasks.tests.unit.module_args import patch_module_args

from ansible_collections.secops.async_tasks.plugins.modules import faz_top_sources_result

USER = "apiadmin"
PASSWORD = "Modul3-Passw0rd-7781"
SESSION = "SESSxq9ZkP2mW4vT8bN1"
OK_STATUS = {"code": 0, "message": "OK"}


class Faz:
    """Login gives SESSION (or ``login_status``); other calls get ``answer``; logouts are recorded."""

    def __init__(self, answer=None, login_status=0, login_message="OK"):
        self.answer = answer
        self.login_status = login_status
        self.login_message = login_message
        self.logged_out = []
        self.calls = []

    def __call__(self, request):
        if request.url == "/sys/login/user":
            status = {"code": self.login_status, "message": self.login_message}
            reply = {"id": request.json["id"], "result": [{"status": status, "url": request.url}]}
            if self.login_status == 0:
                reply["session"] = SESSION
            return reply
        if request.url == "/sys/logout":
            self.logged_out.append(request.json.get("session"))
            return {"id": request.json["id"], "result": [{"status": OK_STATUS, "url": request.url}]}
        self.calls.append(request)
        answer = self.answer.pop(0) if isinstance(self.answer, list) else self.answer
        return answer(request) if callable(answer) else answer


def module_args(server, **extra):
    args = dict(host="127.0.0.1", port=server.port, validate_certs=False, username=USER, password=PASSWORD,
                tid=12450, timeout=30)  # generous: a loaded machine must not fail these
    args.update(extra)
    return args


def run_main(args, capsys):
    with patch_module_args(args):
        with pytest.raises(SystemExit) as exited:
            faz_top_sources_result.main()
    out = capsys.readouterr().out
    return exited.value.code, json.loads(out), out


def assert_no_secret(out):
    assert PASSWORD not in out
    assert SESSION not in out


def test_login_refused_with_password_echoed_fails_without_secrets(tls_server, capsys):
    faz = Faz(login_status=-22, login_message="Login fail: wrong passwd %s for %s" % (PASSWORD, USER))
    tls_server.always(tls_server.act.json_of(faz))
    code, result, out = run_main(module_args(tls_server), capsys)
    assert code == 1
    assert result["failed"] is True
    assert "refused the login of user" in result["msg"]
    assert "check username and password" in result["msg"]
    assert_no_secret(out)
    assert faz.calls == []


def test_server_error_echoing_the_session_id_fails_without_secrets(tls_server, capsys):
    echo = {"error": {"code": -6, "message": "Invalid url for session %s (user %s)" % (SESSION, USER)}}
    faz = Faz(answer=echo)
    tls_server.always(tls_server.act.json_of(faz))
    code, result, out = run_main(module_args(tls_server), capsys)
    assert code == 1
    assert result["failed"] is True
    assert result["code"] == -6
    assert "Invalid url for session" in result["msg"]
    assert_no_secret(out)
    assert faz.logged_out == [SESSION]


def test_permission_denied_twice_fails_without_secrets_and_logs_out(tls_server, capsys):
    def no_permission(request):
        return {"result": [{"status": {"code": -11, "message": "No permission for session %s" % request.json["session"]}}]}
    faz = Faz(answer=no_permission)
    tls_server.always(tls_server.act.json_of(faz))
    code, result, out = run_main(module_args(tls_server), capsys)
    assert code == 1
    assert result["code"] == -11
    assert_no_secret(out)
    assert len(faz.calls) == 2
    assert faz.logged_out == [SESSION, SESSION]


def test_success_returns_sources_and_facts_without_secrets(tls_server, capsys, fixture_json):
    faz = Faz(answer=fixture_json("seed_faz_top_sources_12450_done.json"))
    tls_server.always(tls_server.act.json_of(faz))
    code, result, out = run_main(module_args(tls_server), capsys)
    assert code == 0
    assert result["changed"] is False
    assert (result["tid"], result["adom"], result["view"], result["status"]) == (12450, "root", "top-sources", "done")
    assert result["done"] is True
    assert result["percentage"] == 100
    assert result["total"] == 10
    assert [row["srcip"] for row in result["sources"]] == ["10.0.1.150", "10.0.1.75", "10.0.1.45"]
    assert result["ansible_facts"]["faz_top_sources"]["sources"] == result["sources"]
    # ansible-core 2.19 returns warnings as structured events: look for the text anywhere in them.
    assert "validate_certs is false" in json.dumps(result["warnings"])
    assert_no_secret(out)
    assert faz.logged_out == [SESSION]


def test_wait_polls_until_done(tls_server, capsys, fixture_json):
    faz = Faz(answer=[fixture_json("seed_faz_top_sources_12450_running.json"),
                      fixture_json("seed_faz_top_sources_12450_done.json")])
    tls_server.always(tls_server.act.json_of(faz))
    code, result, out = run_main(module_args(tls_server, wait=True, wait_timeout=60, poll_interval=0.25), capsys)
    assert code == 0
    assert result["done"] is True
    assert len(faz.calls) == 2
    assert_no_secret(out)


def test_task_in_error_fails_with_the_task_state(tls_server, capsys):
    errored = {"result": [{"data": {"tid": 12450, "status": "error", "percentage": 40}, "status": OK_STATUS}]}
    tls_server.always(tls_server.act.json_of(Faz(answer=errored)))
    code, result, out = run_main(module_args(tls_server), capsys)
    assert code == 1
    assert result["status"] == "error"
    assert result["percentage"] == 40
    assert "ended with status 'error' at 40%" in result["msg"]
    assert_no_secret(out)


@pytest.mark.parametrize("extra, option", [
    ({"tid": 0}, "tid"),
    ({"adom": "a/b"}, "adom"),
    ({"timeout": 0}, "timeout"),
    ({"host": "http://faz.example.com"}, "host"),
])
def test_invalid_input_fails_before_any_request(tls_server, capsys, extra, option):
    code, result, out = run_main(module_args(tls_server, **extra), capsys)
    assert code == 1
    assert result["option"] == option
    assert tls_server.requests == []
    assert PASSWORD not in out


# -- batches (tids) -----------------------------------------------------------------------------
class ExpiringFaz:
    """Every call on the first session answers -11 (it "expired"); later sessions get the task done.

    Thread-safe: a batch fetches its tasks in parallel over the one client.
    """

    def __init__(self, echo_session_for=None):
        self.lock = threading.Lock()
        self.issued = []
        self.logged_out = []
        self.calls = []
        self.echo_session_for = echo_session_for

    def __call__(self, request):
        with self.lock:
            if request.url == "/sys/login/user":
                session = "%s-%d" % (SESSION, len(self.issued) + 1)
                self.issued.append(session)
                return {"id": request.json["id"], "result": [{"status": OK_STATUS, "url": request.url}], "session": session}
            if request.url == "/sys/logout":
                self.logged_out.append(request.json.get("session"))
                return {"id": request.json["id"], "result": [{"status": OK_STATUS, "url": request.url}]}
            session = request.json.get("session")
            self.calls.append((request.url, session))
            if session != self.issued[-1] or len(self.issued) < 2:
                return {"result": [{"status": {"code": -11, "message": "No permission for the resource"}}]}
            tid = int(request.url.rsplit("/", 1)[1])
            if tid == self.echo_session_for:
                return {"error": {"code": -6, "message": "Invalid url /run/%d for session %s" % (tid, session)}}
            row = {"srcip": "10.0.0.%d" % tid, "bandwidth": tid * 1000, "sessions": tid}
            return {"jsonrpc": "2.0", "id": request.json["id"], "result": {"tid": tid, "percentage": 100, "data": [row]}}


def test_batch_with_expired_session_logs_in_again_once(tls_server, capsys):
    faz = ExpiringFaz()
    tls_server.always(tls_server.act.json_of(faz))
    args = module_args(tls_server, tids=[11, 12, 13, 14, 12])
    del args["tid"]
    code, result, out = run_main(args, capsys)
    assert code == 0, result
    assert [item["tid"] for item in result["results"]] == [11, 12, 13, 14, 12]
    assert [item["sources"][0]["bytes"] for item in result["results"]] == [11000, 12000, 13000, 14000, 12000]
    assert len(faz.issued) == 2
    assert sorted(faz.logged_out) == sorted(faz.issued)
    # Each distinct task is fetched at most twice: once rejected, once on the new session.
    assert len([call for call in faz.calls if call[1] == faz.issued[1]]) == 4
    assert len(faz.calls) <= 8
    assert SESSION not in out


def test_batch_with_one_failure_fails_without_secrets(tls_server, capsys):
    faz = ExpiringFaz(echo_session_for=12)
    tls_server.always(tls_server.act.json_of(faz))
    args = module_args(tls_server, tids=[11, 12])
    del args["tid"]
    code, result, out = run_main(args, capsys)
    assert code == 1
    assert result["msg"].startswith("1 of 2 FortiView tasks failed")
    assert [item.get("failed", False) for item in result["results"]] == [False, True]
    assert result["results"][1]["tid"] == 12
    assert result["results"][1]["sources"] == []
    assert_no_secret(out)
    assert sorted(faz.logged_out) == sorted(faz.issued)


def test_sigterm_during_a_request_still_logs_out(tls_server, capsys):
    def terminate_then_answer(request):
        # Sent while the module waits for this very reply, so its SIGTERM handler is installed.
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(0.2)
        return {"result": [{"status": OK_STATUS, "data": {"percentage": 100}}]}
    faz = Faz(answer=terminate_then_answer)
    tls_server.always(tls_server.act.json_of(faz))
    previous = signal.getsignal(signal.SIGTERM)
    code, result, out = run_main(module_args(tls_server), capsys)
    assert code == 1
    assert result["msg"] == "interrupted by SIGTERM; any session this task opened was logged out"
    assert faz.logged_out == [SESSION]
    assert signal.getsignal(signal.SIGTERM) is previous
    assert_no_secret(out)
