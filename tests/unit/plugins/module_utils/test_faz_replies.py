# -*- coding: utf-8 -*-
# Copyright (c) 2026, secops.async_tasks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""What real FortiAnalyzers answer (docs/appliance-behaviour.md): status codes in both reply shapes,
-10 against -11, the rpc-permit login, replies without percentage, created-task ids, real row fields."""

from __future__ import annotations

import pytest

from ansible_collections.secops.async_tasks.plugins.module_utils.errors import (
    ApiError,
    AuthenticationFailure,
    MalformedResponse,
)
from ansible_collections.secops.async_tasks.plugins.module_utils.faz import FORTIANALYZER, FortiAnalyzerClient
from ansible_collections.secops.async_tasks.plugins.module_utils.faz_logsearch import LogSearch
from ansible_collections.secops.async_tasks.plugins.module_utils.faz_views import (
    RESULT_LIST,
    RESULT_OBJECT,
    created_tid,
    names_all_fortigate,
    normalise_task,
)
from ansible_collections.secops.async_tasks.plugins.module_utils.transport import Deadline, JsonRpcTransport, RetryPolicy

PASSWORD = "F0rti-Passw0rd!x"
SESSION = "c2Vzc2lvbi0wMTIzNDU2Nzg5"
OK = {"code": 0, "message": "OK"}
URL = "/fortiview/adom/root/top-sources/run/4401"


class Script:
    """A FortiAnalyzer answering login/logout itself and every other call from ``answers`` in turn."""

    def __init__(self, answers, login=None):
        self.answers = list(answers)
        self.login = login
        self.requests = []

    def __call__(self, request):
        body = request.json
        self.requests.append((body["method"], request.url))
        if request.url == "/sys/login/user":
            login = self.login.pop(0) if isinstance(self.login, list) else self.login  # a list: one a login
            if login is not None:
                return {"id": body["id"], "result": [{"status": login, "url": request.url}]}
            return {"id": body["id"], "result": [{"status": OK, "url": request.url}], "session": SESSION}
        if request.url == "/sys/logout":
            return {"id": body["id"], "result": [{"status": OK, "url": request.url}]}
        return self.answers.pop(0)


def client_for(server, script, **auth):
    server.always(server.act.json_of(script))
    transport = JsonRpcTransport(server.url, FORTIANALYZER, Deadline(60), timeout=30,
                                 retry=RetryPolicy(attempts=2, base=0.01, cap=0.02), sleep=lambda s: None)
    return FortiAnalyzerClient(transport, **(auth or {"username": "admin", "password": PASSWORD}))


# -- 1: a non-zero status code is an error wherever it sits -----------------------------------------
@pytest.mark.parametrize("reply", [
    {"result": {"status": {"code": -1, "message": "query failed"}, "percentage": 100, "data": []}},
    {"result": {"status": {"code": "-1", "message": "query failed"}, "percentage": "100", "data": [{"srcip": "x"}]}},
    {"result": [{"status": {"code": -1, "message": "query failed"}, "data": {"percentage": 100, "sources": []}}]},
])
def test_non_zero_status_beside_data_is_an_error(server, reply):
    with client_for(server, Script([reply])) as client, pytest.raises(ApiError) as caught:
        client.fetch_view_result("top-sources", "root", 4401)
    assert "-1" in caught.value.msg and "query failed" in caught.value.msg


# -- 2: -10 is a request error, only -11 logs in again ---------------------------------------------
def test_minus_10_is_a_request_error_without_relogin(server):
    reply = {"result": [{"status": {"code": -10, "message": "The data is invalid for selected url"}, "url": URL}]}
    script = Script([reply])
    with client_for(server, script) as client, pytest.raises(ApiError) as caught:
        client.fetch_view_result("top-sources", "root", 4401)
    message = caught.value.msg
    assert "-10" in message and "view (top-sources), ADOM (root) and task id (4401)" in message
    assert "permission" not in message.lower()
    assert [url for _method, url in script.requests].count("/sys/login/user") == 1


def test_minus_11_logs_in_again_once(server):
    refused = {"result": [{"status": {"code": -11, "message": "No permission for the resource"}, "url": URL}]}
    done = {"result": [{"status": OK, "data": {"tid": 4401, "status": "done", "percentage": 100, "sources": []}}]}
    script = Script([refused, done])
    with client_for(server, script) as client:
        assert client.fetch_view_result("top-sources", "root", 4401)["done"] is True
    assert [url for _method, url in script.requests].count("/sys/login/user") == 2


# -- 3: a login answered -11 means no JSON-RPC access ---------------------------------------------
def test_login_refused_with_minus_11_explains_rpc_permit(server):
    script = Script([], login={"code": -11, "message": "No permission for the resource"})
    with pytest.raises(AuthenticationFailure) as caught:
        client_for(server, script).__enter__()
    assert "rpc-permit" in caught.value.msg and "set rpc-permit read" in caught.value.msg
    assert "too many sessions" not in caught.value.msg


@pytest.mark.parametrize("status, expected", [
    ({"code": -22, "message": "Login fail"}, "check username and password"),
    ({"code": -20, "message": "Maximum number of admin sessions reached"}, "the admin's session limit is reached"),
    ({"code": -6, "message": "Invalid url"}, "refused the login"),
])
def test_other_login_refusals(server, status, expected):
    with pytest.raises(AuthenticationFailure) as caught:
        client_for(server, Script([], login=status)).__enter__()
    assert expected in caught.value.msg and "rpc-permit" not in caught.value.msg


# -- 4: replies without percentage, partial rows, percentage as a string ---------------------------------
def test_no_percentage_with_rows_is_done():
    data = {"tid": 7, "total": 1, "sources": [{"srcip": "10.0.0.1", "hostname": "a", "bytes": 5, "sessions": 1}]}
    state = normalise_task("top-sources", 7, data, RESULT_LIST)
    assert (state["status"], state["done"], state["percentage"], len(state["rows"])) == ("done", True, 100, 1)


def test_no_percentage_running_word_is_running():
    state = normalise_task("top-sources", 7, {"tid": 7, "status": "running"}, RESULT_LIST)
    assert (state["status"], state["done"], state["rows"]) == ("running", False, [])


def test_partial_rows_while_running_and_string_percentage():
    data = {"tid": 7, "status": OK, "percentage": "40",
            "data": [{"srcip": "10.0.0.1", "srcip_hostname": "10.0.0.1", "bandwidth": "858993459", "sessions": "9"}]}
    state = normalise_task("top-sources", 7, data, RESULT_OBJECT)
    assert (state["status"], state["done"], state["percentage"]) == ("running", False, 40)
    row = state["rows"][0]
    assert (row["hostname"], row["bytes"], row["sessions"]) == (None, 858993459, 9)


# -- 5: created task ids ----------------------------------------------------------------------------
@pytest.mark.parametrize("reply", [
    {"result": [{"data": {"tid": 4410}, "status": OK}]},
    {"result": [{"status": OK, "tid": 4410}]},
    {"result": {"tid": 4410}},
    {"result": {"data": {"tid": "4410"}, "status": {"code": 0, "message": "succeeded"}}},
])
def test_created_tid_in_every_placement(server, reply):
    with client_for(server, Script([reply])) as client:
        tid = client.create_view_task("top-sources", "root", {"start": "2025-01-01 00:00:00",
                                                              "end": "2025-01-02 00:00:00"}, [{"devname": "All_Device"}])
    assert tid == 4410


@pytest.mark.parametrize("data", [{"tid": 0}, {"tid": "abc"}, {"data": {}}, {}, None])
def test_no_usable_tid_says_what_came_back(data):
    with pytest.raises(MalformedResponse) as caught:
        created_tid(data, "top-sources")
    assert "top-sources" in caught.value.msg


# -- 7: real row fields -------------------------------------------------------------------------------
def test_application_rows_with_app_group_and_traffic():
    data = {"percentage": "100", "data": [{"app_group": "YouTube", "bandwidth": "30", "sessions": "2",
                                           "traffic_in": "20", "traffic_out": "10", "policyid": "46"}]}
    row = normalise_task("top-applications", 9, data, RESULT_OBJECT)["rows"][0]
    assert (row["app"], row["bytes"], row["traffic_in"], row["traffic_out"], row["policyid"]) == \
        ("YouTube", 30, 20, 10, 46)


def test_other_views_numbers_become_numbers():
    data = {"percentage": 100, "data": [{"dstip": "203.0.113.1", "bandwidth": "77", "sessions": "3", "x": "7"}]}
    row = normalise_task("top-destinations", 9, data, RESULT_OBJECT)["rows"][0]
    assert (row["bandwidth"], row["sessions"], row["x"], row["raw"]["bandwidth"]) == (77, 3, "7", "77")


# -- 8: All_FortiGate ------------------------------------------------------------------------------------
@pytest.mark.parametrize("devices, expected", [
    ([{"devid": "All_FortiGate"}], True), (["All_FortiGate"], True), ([{"devname": "All_Device"}], False),
    (None, False), ([{"devid": "FGT60F0000000001"}, {"devid": "All_FortiGate"}], True)])
def test_names_all_fortigate(devices, expected):
    assert names_all_fortigate(devices) is expected


# -- issue 17, 1: status code 1 is "still running" on a task's result and progress reads -----------------
@pytest.mark.parametrize("reply", [
    {"result": [{"status": {"code": 1, "message": "in progress"}, "data": {"tid": 4401, "percentage": 40}}]},
    {"result": [{"status": {"code": 1, "message": "running"}, "tid": 4401, "percentage": "40"}]},
    {"jsonrpc": "2.0", "result": {"status": {"code": 1, "message": "in progress"}, "tid": 4401, "percentage": "40",
                                  "data": [{"srcip": "10.0.0.1", "bandwidth": "9", "sessions": "2"}]}},
    {"jsonrpc": "2.0", "result": {"status": {"code": "1", "message": "running"}, "percentage": 100, "data": []}},
])
def test_status_code_1_is_running_in_either_shape(server, reply):
    with client_for(server, Script([reply])) as client:
        state = client.fetch_view_result("top-sources", "root", 4401)
    assert (state["status"], state["done"]) == ("running", False)
    assert state["percentage"] == (100 if reply["result"] and isinstance(reply["result"], dict)
                                   and reply["result"]["percentage"] == 100 else 40)


@pytest.mark.parametrize("code", [2, -1, 3])
def test_other_non_zero_codes_on_a_result_read_stay_errors(server, code):
    reply = {"result": {"status": {"code": code, "message": "in progress"}, "percentage": 40}}
    with client_for(server, Script([reply])) as client, pytest.raises(ApiError) as caught:
        client.fetch_view_result("top-sources", "root", 4401)
    assert "code %d" % code in caught.value.msg


def test_status_code_1_on_a_create_is_an_error(server):
    reply = {"result": {"status": {"code": 1, "message": "in progress"}, "tid": 12}}
    with client_for(server, Script([reply])) as client, pytest.raises(ApiError):
        client.create_view_task("top-sources", "root", {"start": "2026-01-01 00:00:00", "end": "2026-01-02 00:00:00"},
                                [{"devname": "All_Device"}])


def test_log_search_progress_with_status_code_1_is_running(server):
    count = {"result": {"status": {"code": 1, "message": "in progress"}, "progress-percent": 100, "matched-logs": 4}}
    with client_for(server, Script([count])) as client:
        state = LogSearch(client, "root", tid=77).progress()
    assert state["percentage"] == 99 and state["matched"] == 4  # running: never read as complete


# -- issue 17, 4: -22 in an HTTP 200 is a refused API key on any URL; at login, refused credentials ---------
API_KEY = "k3y-0123456789abcdef"


@pytest.mark.parametrize("reply", [
    {"result": [{"status": {"code": -22, "message": "Login fail"}, "url": URL}]},
    {"jsonrpc": "2.0", "error": {"code": -22, "message": "Login fail"}},
    {"jsonrpc": "2.0", "result": {"status": {"code": -22, "message": "Login fail"}}},
])
def test_minus_22_with_an_api_key_says_the_key_was_refused(server, reply):
    script = Script([reply])
    with pytest.raises(AuthenticationFailure) as caught:
        with client_for(server, script, api_key=API_KEY) as client:
            client.fetch_view_result("top-sources", "root", 4401)
    assert "refused the API key" in caught.value.msg and "api_key" in caught.value.msg
    assert "FORTIANALYZER_API_KEY" in caught.value.msg and API_KEY not in caught.value.msg
    assert [url for _method, url in script.requests] == [URL]  # no login, no retry


def test_http_401_with_an_api_key_says_the_same(server):
    server.always(server.act.reply(401, {}))
    transport = JsonRpcTransport(server.url, FORTIANALYZER, Deadline(10), timeout=2,
                                 retry=RetryPolicy(attempts=2, base=0.01, cap=0.02), sleep=lambda s: None)
    with pytest.raises(AuthenticationFailure) as caught:
        FortiAnalyzerClient(transport, api_key=API_KEY).fetch_view_result("top-sources", "root", 4401)
    assert "refused the API key (HTTP 401)" in caught.value.msg and "FORTIANALYZER_API_KEY" in caught.value.msg


def test_minus_22_at_login_names_the_user_and_the_refused_credentials(server):
    with pytest.raises(AuthenticationFailure) as caught:
        client_for(server, Script([], login={"code": -22, "message": "Login fail"})).__enter__()
    assert "of user 'admin'" in caught.value.msg and "credentials were refused" in caught.value.msg


# -- issue 17, 5: -20, each reading ------------------------------------------------------------------
def test_minus_20_at_login_speaking_of_sessions_is_the_cap_retried(server):
    cap = {"code": -20, "message": "Maximum number of admin sessions reached"}
    done = {"result": {"status": OK, "tid": 4401, "percentage": 100, "data": []}}
    script = Script([done], login=[cap, cap, None])
    with client_for(server, script) as client:
        assert client.fetch_view_result("top-sources", "root", 4401)["done"] is True
    assert [url for _method, url in script.requests].count("/sys/login/user") == 3


@pytest.mark.parametrize("message", ["Invalid credentials", "Login failed", None])
def test_minus_20_at_login_not_speaking_of_sessions_is_a_refused_login(server, message):
    script = Script([], login={"code": -20, "message": message} if message else {"code": -20})
    with pytest.raises(AuthenticationFailure) as caught:
        client_for(server, script).__enter__()
    assert "refused the login of user 'admin' (code -20" in caught.value.msg
    assert "credentials were refused" in caught.value.msg and "session limit" not in caught.value.msg
    assert (message or "code -20") in caught.value.msg
    assert [url for _method, url in script.requests] == ["/sys/login/user"]  # not retried


def test_minus_20_on_a_call_with_a_session_logs_in_again_once(server):
    gone = {"result": [{"status": {"code": -20, "message": "Invalid session"}, "url": URL}]}
    done = {"result": {"status": OK, "tid": 4401, "percentage": 100, "data": []}}
    script = Script([gone, done])
    with client_for(server, script) as client:
        assert client.fetch_view_result("top-sources", "root", 4401)["done"] is True
    assert [url for _method, url in script.requests] == ["/sys/login/user", URL, "/sys/logout", "/sys/login/user",
                                                         URL, "/sys/logout"]


def test_minus_20_twice_on_a_call_fails_after_one_new_login(server):
    gone = {"result": [{"status": {"code": -20, "message": "Invalid session"}, "url": URL}]}
    script = Script([gone, gone])
    with pytest.raises(AuthenticationFailure) as caught:
        with client_for(server, script) as client:
            client.fetch_view_result("top-sources", "root", 4401)
    assert "even after logging in again" in caught.value.msg and "Invalid session" in caught.value.msg
    assert [url for _method, url in script.requests].count("/sys/login/user") == 2
