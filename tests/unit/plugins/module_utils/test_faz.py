# -*- coding: utf-8 -*-
# Copyright (c) 2026, secops.async_tasks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""faz.py: both reply shapes, authentication, -11 handling, logout, check mode, validation."""

from __future__ import annotations

import random

import pytest

from ansible_collections.secops.async_tasks.plugins.module_utils.errors import (
    ApiError,
    AsyncTasksError,
    AuthenticationFailure,
    DeadlineExceeded,
    InvalidInput,
    MalformedResponse,
    PermissionDenied,
    ServerError,
    TaskNotFound,
)
from ansible_collections.secops.async_tasks.plugins.module_utils.faz import FORTIANALYZER, FortiAnalyzerClient
from ansible_collections.secops.async_tasks.plugins.module_utils.faz_views import (
    RESULT_LIST,
    RESULT_OBJECT,
    device_list,
    normalise_task,
    validate_adom,
    validate_filter,
    validate_sort,
    validate_tid,
    validate_view,
)
from ansible_collections.secops.async_tasks.plugins.module_utils.transport import Deadline, JsonRpcTransport, RetryPolicy

USER = "apiadmin"
PASSWORD = "F0rti-Passw0rd!x"
API_KEY = "k3yk3yk3yk3yk3yk3yk3y"
OK_STATUS = {"code": 0, "message": "OK"}
SOURCES_URL = "/fortiview/adom/root/top-sources/run/12450"


class FakeFaz:
    """A FortiAnalyzer that hands out numbered sessions and answers ``get`` from ``answers``.

    ``answers`` is a list of bodies (or callables of the request) used in turn for every
    non-session call; the last one repeats.
    """

    def __init__(self, answers, login_status=None, login_message="OK"):
        self.answers = list(answers)
        self.login_status = login_status
        self.login_message = login_message
        self.issued = []
        self.logged_out = []
        self.calls = []

    def __call__(self, request):
        body = request.json
        url = request.url
        if url == "/sys/login/user":
            if self.login_status not in (None, 0):
                status = {"code": self.login_status, "message": self.login_message}
                return {"id": body["id"], "result": [{"status": status, "url": url}]}
            session = "sid-%d-%08x" % (len(self.issued) + 1, random.getrandbits(32))
            self.issued.append(session)
            return {"id": body["id"], "result": [{"status": OK_STATUS, "url": url}], "session": session}
        if url == "/sys/logout":
            self.logged_out.append(body.get("session"))
            return {"id": body["id"], "result": [{"status": OK_STATUS, "url": url}]}
        self.calls.append(request)
        answer = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        return answer(request) if callable(answer) else answer


def no_permission(request):
    return {"id": request.json["id"], "result": [{"status": {"code": -11, "message": "No permission for the resource"},
                                                  "url": request.url}]}


def make_client(server, check_mode=False, deadline=None, **auth):
    transport = JsonRpcTransport(server.url, FORTIANALYZER, deadline or Deadline(60), timeout=30,
                                 retry=RetryPolicy(attempts=2, base=0.01, cap=0.02), sleep=lambda s: None)
    if not auth:
        auth = {"username": USER, "password": PASSWORD}
    return FortiAnalyzerClient(transport, check_mode=check_mode, **auth)


def serve(server, faz):
    server.always(server.act.json_of(faz))
    return faz


# -- seed shape ---------------------------------------------------------------------------------
def test_seed_top_sources_done(server, fixture_json):
    faz = serve(server, FakeFaz([fixture_json("seed_faz_top_sources_12450_done.json")]))
    with make_client(server) as client:
        state = client.fetch_view_result("top-sources", "root", 12450)
    assert state["tid"] == 12450
    assert state["view"] == "top-sources"
    assert state["status"] == "done"
    assert state["done"] is True
    assert state["percentage"] == 100
    assert state["total"] == 10
    assert state["shape"] == RESULT_LIST
    assert [row["srcip"] for row in state["rows"]] == ["10.0.1.150", "10.0.1.75", "10.0.1.45"]
    first = state["rows"][0]
    assert first["hostname"] == "LAPTOP-USER01"
    assert first["sessions"] == 4523
    assert first["bytes"] == 2147483648
    assert first["bandwidth"] == 45678901
    assert first["country"] == "Reserved"
    assert first["raw"]["hostname"] == "LAPTOP-USER01"
    assert len(faz.calls) == 1


def test_seed_request_is_what_the_seed_documents(server, fixture_json):
    faz = serve(server, FakeFaz([fixture_json("seed_faz_top_sources_12450_done.json")]))
    with make_client(server) as client:
        client.fetch_view_result("top-sources", "root", 12450)
    seed = fixture_json("seed_faz_top_sources_12450.request.json")
    sent = faz.calls[0].json
    assert sent["method"] == seed["method"]
    assert sent["params"] == seed["params"]
    assert sent["session"] == faz.issued[0]
    assert isinstance(sent["id"], int)
    assert sent["jsonrpc"] == "2.0"
    assert "Authorization" not in faz.calls[0].headers


def test_seed_top_applications_done(server, fixture_json):
    serve(server, FakeFaz([fixture_json("seed_faz_top_applications_12455_done.json")]))
    with make_client(server) as client:
        state = client.fetch_view_result("top-applications", "root", 12455)
    assert (state["tid"], state["status"], state["percentage"], state["total"]) == (12455, "done", 100, 15)
    assert [row["app"] for row in state["rows"]] == ["YouTube", "Netflix", "Microsoft.Office365"]
    youtube = state["rows"][0]
    assert youtube["appcat"] == "Video/Audio"
    assert youtube["bytes"] == 4294967296
    assert youtube["bandwidth"] == 89456789
    assert youtube["policyid"] == 46
    assert youtube["policyname"] == "Internet_Access"


@pytest.mark.parametrize("view, tid, fixture, percentage", [
    ("top-sources", 12450, "seed_faz_top_sources_12450_running.json", 65),
    ("top-applications", 12455, "seed_faz_top_applications_12455_running.json", 72),
])
def test_seed_running(server, fixture_json, view, tid, fixture, percentage):
    serve(server, FakeFaz([fixture_json(fixture)]))
    with make_client(server) as client:
        state = client.fetch_view_result(view, "root", tid)
    assert state["status"] == "running"
    assert state["done"] is False
    assert state["percentage"] == percentage
    assert state["rows"] == []
    assert state["total"] is None


def test_seed_invalid_task_is_task_not_found(server, fixture_json):
    serve(server, FakeFaz([fixture_json("seed_faz_invalid_task.json")]))
    with make_client(server) as client:
        with pytest.raises(TaskNotFound) as caught:
            client.fetch_view_result("top-sources", "root", 12450)
    assert caught.value.details["tid"] == 12450
    message = str(caught.value)
    assert "12450" in message
    assert "Invalid task ID" in message
    assert "root" in message


# -- real apiver-3 shape ------------------------------------------------------------------------
def test_real_top_sources_done(server, fixture_json):
    serve(server, FakeFaz([fixture_json("real_faz_top_sources_done.json")]))
    with make_client(server) as client:
        state = client.fetch_view_result("top-sources", "root", 123)
    assert state["shape"] == RESULT_OBJECT
    assert (state["tid"], state["status"], state["done"], state["percentage"]) == (123, "done", True, 100)
    assert state["total"] == 2
    unresolved, resolved = state["rows"]
    assert unresolved["srcip"] == "10.0.1.150"
    assert unresolved["hostname"] is None
    assert unresolved["bytes"] == 2147483648
    assert unresolved["bandwidth"] is None
    assert unresolved["sessions"] == 4523
    assert unresolved["raw"]["threatweight"] == 30
    assert resolved["hostname"] == "DESKTOP-IT01"
    assert resolved["bytes"] == 1879048192
    assert resolved["sessions"] == 3891


def test_real_running_percentage_as_string(server, fixture_json):
    serve(server, FakeFaz([fixture_json("real_faz_top_sources_running.json")]))
    with make_client(server) as client:
        state = client.fetch_view_result("top-sources", "root", 123)
    assert state["percentage"] == 65
    assert state["status"] == "running"
    assert state["done"] is False
    assert state["rows"] == []


def test_real_top_applications_grouped_by_app_group(server, fixture_json):
    serve(server, FakeFaz([fixture_json("real_faz_top_applications_done.json")]))
    with make_client(server) as client:
        state = client.fetch_view_result("top-applications", "root", 124)
    assert [row["app"] for row in state["rows"]] == ["YouTube", "Microsoft.Office365"]
    assert state["rows"][0]["bytes"] == 4294967296
    assert state["rows"][0]["sessions"] == 8932
    assert state["rows"][0]["bandwidth"] is None


def test_real_invalid_tid_error_is_task_not_found(server, fixture_json):
    serve(server, FakeFaz([fixture_json("real_faz_invalid_tid.json")]))
    with make_client(server) as client:
        with pytest.raises(TaskNotFound) as caught:
            client.fetch_view_result("top-sources", "root", 123)
    assert "Invalid tid 123 for fetching result." in str(caught.value)
    assert caught.value.details["tid"] == 123


def test_real_other_error_is_api_error_with_code(server):
    serve(server, FakeFaz([{"jsonrpc": "2.0", "id": 1, "error": {"code": -6, "message": "Cannot find FortiView 'top-x'"}}]))
    with make_client(server) as client:
        with pytest.raises(ApiError) as caught:
            client.fetch_view_result("top-sources", "root", 5)
    assert not isinstance(caught.value, TaskNotFound)
    assert caught.value.details["code"] == -6
    assert "Cannot find FortiView 'top-x'" in str(caught.value)


# -- normalise_task directly: status forms ------------------------------------------------------
@pytest.mark.parametrize("data, status, percentage", [
    ({"status": {"code": 0, "message": "OK"}, "percentage": 100}, "done", 100),
    ({"status": {"code": 0, "message": "OK"}, "percentage": 40}, "running", 40),
    ({"percentage": "100"}, "done", 100),
    ({}, "done", 100),  # no percentage (older builds): the rows list that came decides
    ({"status": "done"}, "done", 100),
    ({"status": "weird-state", "percentage": 40}, "running", 40),
    ({"status": "weird-state", "percentage": 100}, "done", 100),
    ({"status": " Error ", "percentage": 30}, "error", 30),
    ({"status": "failed", "percentage": 30}, "error", 30),
    ({"status": "running", "percentage": "250"}, "running", 100),
])
def test_normalise_task_status_forms(data, status, percentage):
    state = normalise_task("top-sources", 9, dict(data, data=[]), RESULT_OBJECT)
    assert state["status"] == status
    assert state["done"] is (status == "done")
    assert state["percentage"] == percentage


def test_normalise_task_keeps_requested_tid_when_reply_has_none():
    assert normalise_task("top-sources", 77, {"percentage": 10}, RESULT_OBJECT)["tid"] == 77


def test_normalise_task_generic_view_keeps_rows():
    state = normalise_task("top-countries", 5, {"percentage": 100, "data": [{"dstcountry": "France", "sessions": 3}]}, RESULT_OBJECT)
    assert state["rows"] == [{"dstcountry": "France", "sessions": 3, "raw": {"dstcountry": "France", "sessions": 3}}]


def test_normalise_task_rejects_non_object():
    with pytest.raises(MalformedResponse):
        normalise_task("top-sources", 5, ["not", "an", "object"], RESULT_LIST)


# -- malformed replies --------------------------------------------------------------------------
@pytest.mark.parametrize("body", [{"result": []}, {"result": ["x"]}, {"id": 1}, {"result": "text"}])
def test_malformed_envelopes(server, body):
    serve(server, FakeFaz([body]))
    with make_client(server) as client:
        with pytest.raises(MalformedResponse):
            client.fetch_view_result("top-sources", "root", 5)


def test_html_page_is_malformed_response(server):
    server.script(server.act.json_of(FakeFaz([])), then=server.act.text(200, "<html>Login</html>"))
    with pytest.raises(MalformedResponse) as caught:
        with make_client(server) as client:
            client.fetch_view_result("top-sources", "root", 5)
    assert "HTML page" in str(caught.value)


def test_http_401_is_authentication_failure(server):
    server.always(server.act.reply(401, {}))
    with pytest.raises(AuthenticationFailure):
        make_client(server, api_key=API_KEY).fetch_view_result("top-sources", "root", 5)


# -- sessions, login, logout --------------------------------------------------------------------
def test_password_login_and_logout_once(server, fixture_json):
    faz = serve(server, FakeFaz([fixture_json("seed_faz_top_sources_12450_done.json")]))
    with make_client(server) as client:
        client.fetch_view_result("top-sources", "root", 12450)
        assert client.logins == 1
    assert faz.logged_out == faz.issued
    assert len(faz.issued) == 1
    login = server.requests[0].json
    assert login["method"] == "exec"
    assert login["params"][0]["data"] == {"user": USER, "passwd": PASSWORD}
    assert "session" not in login


def test_login_failure_is_authentication_failure_without_password(server):
    faz = serve(server, FakeFaz([], login_status=-22, login_message="Login fail"))
    with pytest.raises(AuthenticationFailure) as caught:
        with make_client(server):
            pass
    message = str(caught.value)
    assert PASSWORD not in message
    assert USER in message
    assert "-22" in message
    assert faz.issued == []
    assert faz.logged_out == []


def test_login_failure_message_echoing_the_password_is_redacted(server):
    serve(server, FakeFaz([], login_status=-22, login_message="Login fail for passwd %s" % PASSWORD))
    with pytest.raises(AuthenticationFailure) as caught:
        with make_client(server):
            pass
    assert PASSWORD not in str(caught.value)


def test_login_failure_other_code_carries_the_code(server):
    serve(server, FakeFaz([], login_status=-20, login_message="Too many sessions"))
    with pytest.raises(AuthenticationFailure) as caught:
        with make_client(server):
            pass
    assert caught.value.details["code"] == -20
    assert "too many sessions" in str(caught.value).lower()


def test_logout_is_sent_when_the_call_raised(server):
    faz = serve(server, FakeFaz([{"result": [{"status": {"code": -6, "message": "Invalid url"}}]}]))
    with pytest.raises(ApiError):
        with make_client(server) as client:
            client.fetch_view_result("top-sources", "root", 5)
    assert len(faz.issued) == 1
    assert faz.logged_out == faz.issued


def test_logout_is_sent_even_after_the_deadline_passed(server, clock):
    faz = serve(server, FakeFaz([{"result": [{"status": OK_STATUS, "data": {"percentage": 100}}]}]))
    client = make_client(server, deadline=Deadline(5, clock=clock))
    with pytest.raises(DeadlineExceeded):
        with client:
            clock.advance(6)
            client.fetch_view_result("top-sources", "root", 5)
    assert faz.calls == []
    assert faz.logged_out == faz.issued
    assert len(faz.issued) == 1


def test_close_never_raises_when_logout_fails(server):
    faz = FakeFaz([{"result": [{"status": OK_STATUS, "data": {"percentage": 100}}]}])
    server.script(server.act.json_of(faz), then=server.act.reply(503, {}))
    client = make_client(server)
    with client:
        pass
    # A lost logout is retried (LOGOUT_ATTEMPTS rounds of the transport's own attempts), then given up on quietly.
    assert [r.url for r in server.requests] == ["/sys/login/user"] + ["/sys/logout"] * (3 * 2)


def test_foreign_session_id_is_used_and_never_logged_out(server):
    faz = serve(server, FakeFaz([{"result": [{"status": OK_STATUS, "data": {"percentage": 100}}]}]))
    with make_client(server, session_id="foreign-session-0001") as client:
        client.fetch_view_result("top-sources", "root", 5)
    assert faz.issued == []
    assert faz.logged_out == []
    assert faz.calls[0].json["session"] == "foreign-session-0001"


def test_api_key_uses_bearer_and_no_session(server):
    faz = serve(server, FakeFaz([{"result": [{"status": OK_STATUS, "data": {"percentage": 100}}]}]))
    with make_client(server, api_key=API_KEY) as client:
        client.fetch_view_result("top-sources", "root", 5)
    assert faz.issued == []
    assert faz.logged_out == []
    assert len(server.requests) == 1
    assert server.requests[0].headers["Authorization"] == "Bearer %s" % API_KEY
    assert "session" not in server.requests[0].json
    assert "access_token" not in server.requests[0].path


def test_no_credentials_is_invalid_input(server):
    transport = JsonRpcTransport(server.url, FORTIANALYZER, Deadline(5))
    with pytest.raises(InvalidInput):
        FortiAnalyzerClient(transport, username=USER)
    assert server.requests == []


# -- -11: log in again at most once ---------------------------------------------------------------
def test_minus_11_then_ok_logs_in_twice_and_logs_out_both(server):
    done = {"result": [{"status": OK_STATUS, "data": {"percentage": 100, "tid": 5}}]}
    faz = serve(server, FakeFaz([no_permission, done]))
    with make_client(server) as client:
        state = client.fetch_view_result("top-sources", "root", 5)
        assert client.logins == 2
    assert state["done"] is True
    assert len(faz.issued) == 2
    assert faz.logged_out == faz.issued
    assert [call.json["session"] for call in faz.calls] == faz.issued
    urls = [r.url for r in server.requests]
    assert urls == ["/sys/login/user", "/fortiview/adom/root/top-sources/run/5", "/sys/logout", "/sys/login/user",
                    "/fortiview/adom/root/top-sources/run/5", "/sys/logout"]


def test_minus_11_twice_is_permission_denied_and_every_session_logged_out(server):
    faz = serve(server, FakeFaz([no_permission]))
    with pytest.raises(PermissionDenied) as caught:
        with make_client(server) as client:
            client.fetch_view_result("top-sources", "root", 5)
    assert len(faz.issued) == 2
    assert len(faz.calls) == 2
    assert sorted(faz.logged_out) == sorted(faz.issued)
    assert caught.value.details["code"] == -11
    assert "/fortiview/adom/root/top-sources/run/5" in str(caught.value)


def test_minus_11_with_api_key_is_permission_denied_without_login(server):
    faz = serve(server, FakeFaz([no_permission]))
    with pytest.raises(PermissionDenied):
        with make_client(server, api_key=API_KEY, username=USER, password=PASSWORD) as client:
            client.fetch_view_result("top-sources", "root", 5)
    assert faz.issued == []
    assert len(server.requests) == 1
    assert all(r.url != "/sys/login/user" for r in server.requests)


def test_minus_11_with_foreign_session_and_no_password_is_permission_denied(server):
    faz = serve(server, FakeFaz([no_permission]))
    with pytest.raises(PermissionDenied):
        with make_client(server, session_id="foreign-session-0002") as client:
            client.fetch_view_result("top-sources", "root", 5)
    assert faz.issued == []
    assert faz.logged_out == []
    assert len(server.requests) == 1


def test_bearer_never_sent_with_a_session_field(server):
    done = {"result": [{"status": OK_STATUS, "data": {"percentage": 100}}]}
    serve(server, FakeFaz([no_permission, done]))
    for auth in ({"api_key": API_KEY}, {"api_key": API_KEY, "session_id": "foreign-session-0003"},
                 {"api_key": API_KEY, "username": USER, "password": PASSWORD}):
        try:
            with make_client(server, **auth) as client:
                client.fetch_view_result("top-sources", "root", 5)
        except PermissionDenied:
            pass
    assert len(server.requests) >= 3
    for request in server.requests:
        has_bearer = request.headers.get("Authorization", "").startswith("Bearer")
        assert not (has_bearer and "session" in request.json), request.json


# -- check mode ---------------------------------------------------------------------------------
@pytest.mark.parametrize("method, target", [
    ("add", "/fortiview/adom/root/top-sources/run"),
    ("delete", "/fortiview/adom/root/top-sources/run/5"),
    ("exec", "/sys/reboot"),
    ("set", "/cli/global/system/admin/user"),
])
def test_check_mode_does_not_send_writes(server, method, target):
    faz = serve(server, FakeFaz([{"result": [{"status": OK_STATUS, "data": {}}]}]))
    with make_client(server, check_mode=True) as client:
        with pytest.raises(AsyncTasksError) as caught:
            client.call(method, target)
        preview = client.preview(method, target, {"data": {"note": "with %s inside" % client._password}})
    assert target in caught.value.msg and "check mode" in caught.value.msg
    assert preview == {"method": method, "target": target, "params": {"data": {"note": "with ******** inside"}}}
    assert faz.calls == []
    assert [r.url for r in server.requests] == ["/sys/login/user", "/sys/logout"]


def test_check_mode_still_sends_reads(server, fixture_json):
    faz = serve(server, FakeFaz([fixture_json("seed_faz_top_sources_12450_done.json")]))
    with make_client(server, check_mode=True) as client:
        state = client.fetch_view_result("top-sources", "root", 12450)
    assert state["done"] is True
    assert len(faz.calls) == 1
    assert faz.calls[0].json["method"] == "get"


def test_add_outside_check_mode_is_not_resent_after_502(server):
    faz = FakeFaz([])
    server.script(server.act.json_of(faz), server.act.reply(502, {}), then=server.act.json_of(faz))
    with pytest.raises(ServerError) as caught:
        with make_client(server) as client:
            client.call("add", "/fortiview/adom/root/top-sources/run", limit=10)
    assert caught.value.details["http_status"] == 502
    urls = [r.url for r in server.requests]
    assert urls.count("/fortiview/adom/root/top-sources/run") == 1
    assert urls[-1] == "/sys/logout"


# -- validation ---------------------------------------------------------------------------------
@pytest.mark.parametrize("tid", [1, 12450, 2 ** 31 - 1])
def test_validate_tid_accepts_positive_ints(tid):
    assert validate_tid(tid) == tid


# 2 ** 40 used to pass here while the input model's bound refused it: one bound now (inputs.TID).
@pytest.mark.parametrize("tid", [0, -1, True, False, "12", 12.0, None, 2 ** 31, 2 ** 40])
def test_validate_tid_rejects(tid):
    with pytest.raises(InvalidInput) as caught:
        validate_tid(tid)
    assert caught.value.details["option"] == "tid"


@pytest.mark.parametrize("adom", ["root", "FortiCarrier", "adom_1.test-2"])
def test_validate_adom_accepts(adom):
    assert validate_adom(adom) == adom


@pytest.mark.parametrize("adom", ["a/b", "", "../root", "root ", "x" * 65, None, 5])
def test_validate_adom_rejects(adom):
    with pytest.raises(InvalidInput) as caught:
        validate_adom(adom)
    assert caught.value.details["option"] == "adom"


@pytest.mark.parametrize("view", ["top-sources", "top-applications", "policy-line"])
def test_validate_view_accepts(view):
    assert validate_view(view) == view


@pytest.mark.parametrize("view", ["top_sources", "Top-Sources", "", "top-sources/../x", None])
def test_validate_view_rejects(view):
    with pytest.raises(InvalidInput) as caught:
        validate_view(view)
    assert caught.value.details["option"] == "view"


# -- FortiView task creation and cancelling -----------------------------------------------------
TIME_RANGE = {"start": "2026-01-01 00:00:00", "end": "2026-01-02 00:00:00"}
ALL_DEVICES = [{"devname": "All_Device"}]


@pytest.mark.parametrize("reply", [
    {"result": [{"status": OK_STATUS, "data": {"tid": 4242}}]},
    {"jsonrpc": "2.0", "id": 2, "result": {"tid": 4242}},
    {"jsonrpc": "2.0", "id": 2, "result": {"tid": "4242"}},
], ids=["seed", "real", "real-string"])
def test_create_view_task_returns_the_tid(server, reply):
    faz = serve(server, FakeFaz([reply]))
    with make_client(server) as client:
        tid = client.create_view_task("top-sources", "root", TIME_RANGE, ALL_DEVICES, filter_expression="srcip==10.0.0.1",
                                      limit=10, sort_by=[{"field": "bandwidth", "order": "desc"}])
    assert tid == 4242
    sent = faz.calls[0].json
    assert sent["method"] == "add"
    assert sent["params"] == [{"url": "/fortiview/adom/root/top-sources/run", "apiver": 3, "time-range": TIME_RANGE,
                               "device": ALL_DEVICES, "filter": "srcip==10.0.0.1", "limit": 10,
                               "sort-by": [{"field": "bandwidth", "order": "desc"}]}]


def test_create_view_task_leaves_out_unset_options(server):
    faz = serve(server, FakeFaz([{"jsonrpc": "2.0", "id": 2, "result": {"tid": 7}}]))
    with make_client(server) as client:
        client.create_view_task("top-applications", "root", TIME_RANGE, ALL_DEVICES)
    assert set(faz.calls[0].json["params"][0]) == {"url", "apiver", "time-range", "device"}


@pytest.mark.parametrize("reply", [
    {"jsonrpc": "2.0", "id": 2, "result": {}},
    {"jsonrpc": "2.0", "id": 2, "result": {"tid": 0}},
    {"result": [{"status": OK_STATUS}]},
])
def test_create_view_task_without_tid_is_malformed(server, reply):
    serve(server, FakeFaz([reply]))
    with make_client(server) as client:
        with pytest.raises(MalformedResponse):
            client.create_view_task("top-sources", "root", TIME_RANGE, ALL_DEVICES)


def test_create_view_task_in_check_mode_is_not_sent(server):
    faz = serve(server, FakeFaz([{"jsonrpc": "2.0", "id": 2, "result": {"tid": 7}}]))
    with make_client(server, check_mode=True) as client:
        with pytest.raises(AsyncTasksError, match="check mode"):
            client.create_view_task("top-sources", "root", TIME_RANGE, ALL_DEVICES)
    assert faz.calls == []


def test_create_view_task_after_minus_11_is_sent_again_on_the_new_session(server):
    faz = serve(server, FakeFaz([no_permission, {"jsonrpc": "2.0", "id": 2, "result": {"tid": 9}}]))
    with make_client(server) as client:
        assert client.create_view_task("top-sources", "root", TIME_RANGE, ALL_DEVICES) == 9
    assert [call.json["session"] for call in faz.calls] == faz.issued
    assert len(faz.issued) == 2


@pytest.mark.parametrize("reply, expected", [
    ({"result": [{"status": OK_STATUS}]}, True),
    ({"result": [{"status": {"code": -3, "message": "Invalid task ID"}}]}, False),
    ({"jsonrpc": "2.0", "id": 2, "error": {"code": -1, "message": "Invalid tid 5 for fetching result."}}, False),
])
def test_cancel_view_task(server, reply, expected):
    faz = serve(server, FakeFaz([reply]))
    with make_client(server) as client:
        assert client.cancel_view_task("top-sources", "root", 5) is expected
    assert faz.calls[0].json["method"] == "delete"
    assert faz.calls[0].url == "/fortiview/adom/root/top-sources/run/5"


def test_exists_reads_the_task_and_sends_no_delete(server):
    faz = serve(server, FakeFaz([{"result": [{"status": OK_STATUS, "data": {"tid": 5, "percentage": 40}}]}]))
    with make_client(server, check_mode=True) as client:
        assert client.exists("/fortiview/adom/root/top-sources/run/5") is True
    assert [(call.json["method"], call.url) for call in faz.calls] == [("get", "/fortiview/adom/root/top-sources/run/5")]


def test_exists_of_a_task_that_is_gone(server):
    serve(server, FakeFaz([{"result": [{"status": {"code": -3, "message": "Invalid tid 5 for fetching result."}}]}]))
    with make_client(server, check_mode=True) as client:
        assert client.exists("/fortiview/adom/root/top-sources/run/5") is False


def test_check_adom_reads_the_adom_and_names_a_missing_one(server):
    faz = serve(server, FakeFaz([{"result": [{"status": OK_STATUS, "data": {"name": "root"}}]},
                                 {"result": [{"status": {"code": -3, "message": "Object does not exist"}}]}]))
    with make_client(server, check_mode=True) as client:
        client.check_adom("root")
        with pytest.raises(InvalidInput) as caught:
            client.check_adom("nowhere")
    assert caught.value.details["option"] == "adom" and "'nowhere' does not exist" in caught.value.msg
    assert [call.json["params"][0]["url"] for call in faz.calls] == ["/dvmdb/adom/root", "/dvmdb/adom/nowhere"]


def test_cancel_is_resent_after_503_because_delete_is_idempotent(server):
    faz = FakeFaz([{"result": [{"status": OK_STATUS}]}])
    server.script(server.act.json_of(faz), server.act.reply(503, {}), then=server.act.json_of(faz))
    with make_client(server) as client:
        assert client.cancel_view_task("top-sources", "root", 5) is True
    assert [r.url for r in server.requests].count("/fortiview/adom/root/top-sources/run/5") == 2


# -- task options -------------------------------------------------------------------------------
@pytest.mark.parametrize("view, expression", [
    ("top-sources", "srcip==10.0.0.1"),
    ("top-sources", "srcip==10.0.0.1 or srcip==10.0.0.2"),
    ("top-sources", "!(srcip==10.0.0.1)"),
    ("top-destinations", "dstip!=8.8.8.8"),
    ("policy-hits", "policyid==46"),
    ("top-applications", "app==YouTube"),
])
def test_validate_filter_accepts(view, expression):
    assert validate_filter(view, expression) == expression


@pytest.mark.parametrize("expression", [None, "", "   "])
def test_validate_filter_empty_is_none(expression):
    assert validate_filter("top-sources", expression) is None


@pytest.mark.parametrize("view, expression, named", [
    ("top-sources", "dstip==10.0.0.1", "'dstip'"),
    ("top-sources", "srcip==10.0.0.1 and app==YouTube", "'app'"),
    ("top-countries", "country==France", "'country'"),
    ("top-sources", "just words", "not of the form"),
])
def test_validate_filter_rejects(view, expression, named):
    with pytest.raises(InvalidInput) as caught:
        validate_filter(view, expression)
    assert named in str(caught.value)
    assert caught.value.details["option"] == "filter"


def test_validate_sort():
    assert validate_sort("top-sources", ["bandwidth", "sessions:asc", {"field": "bytes", "order": "ASC"}]) == [
        {"field": "bandwidth", "order": "desc"}, {"field": "sessions", "order": "asc"}, {"field": "bytes", "order": "asc"}]
    assert validate_sort("top-sources", None) is None
    assert validate_sort("top-sources", []) is None


@pytest.mark.parametrize("sort_by", [["app"], ["bandwidth:up"], [{"field": "nope"}]])
def test_validate_sort_rejects(sort_by):
    with pytest.raises(InvalidInput) as caught:
        validate_sort("top-sources", sort_by)
    assert caught.value.details["option"] == "sort_by"


@pytest.mark.parametrize("devices, expected", [
    (None, [{"devname": "All_Device"}]),
    ([], [{"devname": "All_Device"}]),
    (["All_FortiGate"], [{"devid": "All_FortiGate"}]),
    (["FGT60FTK2109ABCD"], [{"devid": "FGT60FTK2109ABCD"}]),
    (["branch-fw01"], [{"devname": "branch-fw01"}]),
    ([{"devid": "FGT60FTK2109ABCD", "vdom": "root"}], [{"devid": "FGT60FTK2109ABCD", "vdom": "root"}]),
])
def test_device_list(devices, expected):
    assert device_list(devices) == expected


@pytest.mark.parametrize("devices", [[{"vdom": "root"}], [{"devname": "x", "serial": "y"}], [{}]])
def test_device_list_rejects(devices):
    with pytest.raises(InvalidInput) as caught:
        device_list(devices)
    assert caught.value.details["option"] == "device"


@pytest.mark.parametrize("adom", [".", ".."])
def test_validate_adom_rejects_dot_segments(adom):
    with pytest.raises(InvalidInput):
        validate_adom(adom)


@pytest.mark.parametrize("shape, data", [
    (RESULT_OBJECT, {"hostname": [[[]], 0], "tid": [[{"status": "done"}], "x", []]}),
    (RESULT_OBJECT, {"status": "mystery"}),
    (RESULT_LIST, {"tid": 12450}),
])
def test_a_reply_that_tells_nothing_about_the_task_is_not_taken_for_running(shape, data):
    """No status word, no percentage and no rows: fail and quote it, never report 'running, 0 %'."""
    with pytest.raises(MalformedResponse, match="tells neither its status, its percentage nor its rows"):
        normalise_task("top-sources", 12450, data, shape)


def test_a_running_reply_of_an_old_build_still_reads_as_running():
    task = normalise_task("top-sources", 12450, {"tid": 12450, "status": "running"}, RESULT_LIST)
    assert (task["status"], task["done"]) == ("running", False)
