# -*- coding: utf-8 -*-
# Copyright (c) 2026, secops.async_tasks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""gz.py: getTaskStatus 1.1/1.0 against a scripted server, paging, names, failures, error mapping."""

from __future__ import annotations

import base64
import copy

import pytest

from ansible_collections.secops.async_tasks.plugins.module_utils.errors import (
    ApiError,
    AsyncTasksError,
    AuthenticationFailure,
    InvalidInput,
    MalformedResponse,
    PermissionDenied,
    RateLimited,
    ServerError,
    TaskNotFound,
)
from ansible_collections.secops.async_tasks.plugins.module_utils.gz import (
    GRAVITYZONE,
    DEFAULT_BURST,
    DEFAULT_RATE,
    GravityZoneClient,
    api_base,
    unique_scan_name,
)
from ansible_collections.secops.async_tasks.plugins.module_utils.gz_tasks import (
    normalise_task,
    status_name,
    validate_date,
    validate_target_id,
    validate_task_id,
)
from ansible_collections.secops.async_tasks.plugins.module_utils.times import load_zone
from ansible_collections.secops.async_tasks.plugins.module_utils.concurrency import RateGate
from ansible_collections.secops.async_tasks.plugins.module_utils.transport import Deadline, JsonRpcTransport, RetryPolicy

API_KEY = "gzK3y0000111122223333444455556666"
TASK_ID = "65f46d08c6d2865b32048ba3"


class Sleeps:
    def __init__(self):
        self.waits = []

    def __call__(self, seconds):
        self.waits.append(seconds)


def make_client(server, clock, check_mode=False, sleeps=None, attempts=3):
    transport = JsonRpcTransport(server.url + "/api", GRAVITYZONE, Deadline(60), timeout=30,
                                 retry=RetryPolicy(attempts=attempts, base=0.01, cap=0.02),
                                 sleep=sleeps if sleeps is not None else Sleeps())
    return GravityZoneClient(transport, API_KEY, check_mode=check_mode, rate_gate=RateGate(DEFAULT_RATE, DEFAULT_BURST, clock=clock, sleep=clock.sleep))


def rpc_result(request, result):
    return {"id": request.json["id"], "jsonrpc": "2.0", "result": result}


def rpc_error(request, code, message, details=None):
    error = {"code": code, "message": message}
    if details is not None:
        error["data"] = {"details": details}
    return {"id": request.json["id"], "jsonrpc": "2.0", "error": error}


def subtask(number, status=3, error_code=None, error_message=None):
    item = {"endpointId": "e%023d" % number, "endpointName": "host-%d" % number, "endpointType": 262,
            "startDate": "2025-12-16T22:00:00", "status": status}
    if status == 3:
        item["endDate"] = "2025-12-16T22:06:33"
    if error_code is not None:
        item["errorCode"] = error_code
    if error_message is not None:
        item["errorMessage"] = error_message
    return item


class PagedTask:
    """A task whose subtasks are served ``per_page`` at a time, as options.page/perPage ask."""

    def __init__(self, subtasks, status=3, more_forever=False):
        self.subtasks = subtasks
        self.status = status
        self.more_forever = more_forever
        self.pages_asked = []

    def __call__(self, request):
        options = request.json["params"].get("options", {})
        page, per_page = options.get("page", 1), options.get("perPage", 30)
        self.pages_asked.append(page)
        chunk = self.subtasks[(page - 1) * per_page:page * per_page]
        more = self.more_forever or page * per_page < len(self.subtasks)
        return rpc_result(request, {"name": "Quick Scan", "startDate": "2025-12-16T22:00:00", "status": self.status,
                                    "type": 1, "hasMoreSubtasks": more, "subtasks": chunk,
                                    "totalTargetsCount": len(self.subtasks)})


# -- seeds --------------------------------------------------------------------------------------
def test_seed_v1_1_response(server, clock, fixture_json):
    seed = fixture_json("seed_gz_get_task_status_v1_1.response.json")
    server.always(server.act.json_of(lambda request: dict(seed, id=request.json["id"])))
    with make_client(server, clock) as client:
        task = client.task_status(TASK_ID)
    assert task["task_id"] == TASK_ID
    assert task["name"] == "Quick Scan 2024-03-15"
    assert (task["status"], task["status_name"], task["finished"]) == (3, "finished", True)
    assert (task["type"], task["type_name"]) == (1, "scan")
    assert task["owner"] == {"id": "65f17fcddb53ec33e302****", "user_name": "owner@example.email.com"}
    assert task["company"] == {"id": "65f17fcddb53ec33e30****", "name": "Bitdefender"}
    assert task["total_targets"] == 5
    assert task["unaccounted_targets"] == 3  # Bitdefender's own example: 5 targets, 2 subtasks, no more pages
    assert task["start_date"] == "2024-03-15T17:45:13"
    assert [sub["endpoint_name"] for sub in task["subtasks"]] == ["Computer 10-L9OWIy", "bdvm-virtual-machine"]
    assert task["subtask_counts"] == {"pending": 0, "in_progress": 1, "finished": 1, "unknown": 0, "failed": 1}
    failed = task["failed_subtasks"]
    assert len(failed) == 1
    assert failed[0]["endpoint_name"] == "bdvm-virtual-machine"
    assert failed[0]["error_code"] == "1"
    assert failed[0]["error_message"] == "Endpoint client has lost connection with Security Server [1]"
    assert failed[0]["endpoint_type_name"] == "best_agent"
    assert task["succeeded"] is False
    assert task["subtasks_complete"] is True
    assert task["pages_fetched"] == 1
    assert len(server.requests) == 1


def test_seed_v1_1_request_params(server, clock, fixture_json):
    seed_request = fixture_json("seed_gz_get_task_status_v1_1.request.json")
    seed = fixture_json("seed_gz_get_task_status_v1_1.response.json")
    server.always(server.act.json_of(lambda request: dict(seed, id=request.json["id"])))
    filters = seed_request["params"]["subtaskFilters"]
    with make_client(server, clock) as client:
        client.task_status_page(TASK_ID, "1.1", True, page=5, per_page=1, filters=filters)
    sent = server.requests[0]
    assert sent.path == "/api/v1.1/jsonrpc/network"
    assert sent.json["params"] == seed_request["params"]
    assert sent.json["method"] == "getTaskStatus"
    assert sent.json["jsonrpc"] == "2.0"
    assert isinstance(sent.json["id"], str) and sent.json["id"]
    assert sent.headers["Authorization"] == "Basic " + base64.b64encode((API_KEY + ":").encode()).decode()
    assert sent.headers["Content-Type"] == "application/json"


def test_seed_v1_0(server, clock, fixture_json):
    seed_request = fixture_json("seed_gz_get_task_status_v1_0.request.json")
    seed = fixture_json("seed_gz_get_task_status_v1_0.response.json")
    server.always(server.act.json_of(lambda request: dict(seed, id=request.json["id"])))
    task_id = seed_request["params"]["taskId"]
    with make_client(server, clock) as client:
        task = client.task_status(task_id, api_version="1.0")
    assert server.requests[0].path == "/api/v1.0/jsonrpc/network"
    assert server.requests[0].json["params"] == seed_request["params"]
    assert (task["status"], task["status_name"], task["finished"]) == (1, "pending", False)
    assert task["name"] == "task"
    assert task["company"] == {"id": "21a295eeb1a43d8b497b23bb", "name": "Example"}
    assert task["subtasks"] == []
    assert task["subtasks_complete"] is False
    assert task["succeeded"] is None
    assert task["api_version"] == "1.0"
    assert len(server.requests) == 1


def test_v1_1_without_subtasks_asks_for_none(server, clock):
    task = PagedTask([subtask(1)])
    server.always(server.act.json_of(task))
    with make_client(server, clock) as client:
        result = client.task_status(TASK_ID, return_subtasks=False)
    assert server.requests[0].json["params"] == {"taskId": TASK_ID, "options": {"returnSubtasks": False}}
    assert result["subtasks"] == []
    assert result["succeeded"] is None


# -- paging -------------------------------------------------------------------------------------
def test_pages_until_has_more_subtasks_is_false(server, clock):
    task = PagedTask([subtask(n) for n in range(1, 8)])
    server.always(server.act.json_of(task))
    with make_client(server, clock) as client:
        result = client.task_status(TASK_ID, per_page=3)
    assert task.pages_asked == [1, 2, 3]
    assert [sub["endpoint_name"] for sub in result["subtasks"]] == ["host-%d" % n for n in range(1, 8)]
    assert result["pages_fetched"] == 3
    assert result["subtasks_complete"] is True
    assert result["succeeded"] is True
    assert result["subtask_counts"]["finished"] == 7
    assert all(request.json["params"]["options"]["perPage"] == 3 for request in server.requests)


def test_exact_multiple_of_per_page_stops_on_has_more_false(server, clock):
    task = PagedTask([subtask(n) for n in range(1, 7)])
    server.always(server.act.json_of(task))
    with make_client(server, clock) as client:
        result = client.task_status(TASK_ID, per_page=3)
    assert task.pages_asked == [1, 2]
    assert len(result["subtasks"]) == 6


def test_page_cap_stops_an_endless_task(server, clock):
    task = PagedTask([subtask(n) for n in range(1, 4)], more_forever=True)
    server.always(server.act.json_of(task))
    with make_client(server, clock) as client:
        with pytest.raises(ApiError) as caught:
            client.task_status(TASK_ID, per_page=1, max_pages=4)
    assert task.pages_asked == [1, 2, 3, 4]
    assert caught.value.details["pages_fetched"] == 4
    assert caught.value.details["task_id"] == TASK_ID
    assert "max_pages" in str(caught.value)


def test_one_requested_page_is_not_complete(server, clock):
    task = PagedTask([subtask(n) for n in range(1, 8)])
    server.always(server.act.json_of(task))
    with make_client(server, clock) as client:
        result = client.task_status(TASK_ID, page=2, per_page=3)
    assert task.pages_asked == [2]
    assert [sub["endpoint_name"] for sub in result["subtasks"]] == ["host-4", "host-5", "host-6"]
    assert result["subtasks_complete"] is False
    assert result["succeeded"] is None


def test_filtered_subtasks_are_not_complete_but_failures_still_count(server, clock):
    task = PagedTask([subtask(1), subtask(2, error_code="3", error_message="went offline")])
    server.always(server.act.json_of(task))
    filters = {"status": 3}
    with make_client(server, clock) as client:
        result = client.task_status(TASK_ID, filters=filters)
    assert server.requests[0].json["params"]["subtaskFilters"] == filters
    assert result["subtasks_complete"] is False
    assert result["succeeded"] is False


def test_an_endpoint_repeated_on_the_next_page_is_listed_once(server, clock):
    pages = [[subtask(1), subtask(2, status=2)], [subtask(2, status=3), subtask(3)]]

    def answer(request):
        page = request.json["params"]["options"]["page"]
        return rpc_result(request, {"status": 3, "type": 1, "hasMoreSubtasks": page < 2, "subtasks": pages[page - 1]})
    server.always(server.act.json_of(answer))
    with make_client(server, clock) as client:
        result = client.task_status(TASK_ID, per_page=2)
    assert [sub["endpoint_name"] for sub in result["subtasks"]] == ["host-1", "host-2", "host-3"]
    assert result["subtasks"][1]["status_name"] == "finished"


# -- names and failure detection ----------------------------------------------------------------
@pytest.mark.parametrize("value, name", [
    (1, "pending"), (2, "in_progress"), (3, "finished"), (0, "pending"), ("3", "finished"),
    (4, "unknown"), (99, "unknown"), (None, "unknown"), ("x", "unknown"), (True, "unknown"),
])
def test_status_name(value, name):
    assert status_name(value) == name


@pytest.mark.parametrize("task_type, name", [
    (1, "scan"), (7, "reconfigure"), (16, "isolate"), (17, "restore"), (20, "add_quarantine"),
    (2, "unknown"), (None, "unknown"),
])
def test_type_name(task_type, name):
    task = normalise_task(TASK_ID, {"status": 1, "type": task_type}, [], "1.1", complete=True)
    assert task["type_name"] == name


def test_pending_zero_and_unknown_subtask_statuses_are_counted():
    page = {"status": 2, "subtasks": [subtask(1, status=0), subtask(2, status=7), subtask(3, status=2)]}
    task = normalise_task(TASK_ID, page, [page], "1.1", complete=True)
    assert [sub["status_name"] for sub in task["subtasks"]] == ["pending", "unknown", "in_progress"]
    assert task["subtask_counts"] == {"pending": 1, "in_progress": 1, "finished": 0, "unknown": 1, "failed": 0}
    assert task["succeeded"] is None
    assert task["finished"] is False


@pytest.mark.parametrize("error_code, error_message, failed", [
    (None, None, False),
    ("0", None, False),
    (0, None, False),
    ("", None, False),
    ("3", None, True),
    (5, None, True),
    (None, "The endpoint went offline", True),
    ("0", "Endpoint client has lost connection", True),
])
def test_failed_subtask_detection(error_code, error_message, failed):
    page = {"status": 3, "subtasks": [subtask(1, error_code=error_code, error_message=error_message)]}
    task = normalise_task(TASK_ID, page, [page], "1.1", complete=True)
    assert task["subtasks"][0]["failed"] is failed
    assert len(task["failed_subtasks"]) == (1 if failed else 0)
    assert task["succeeded"] is (not failed)


def test_finished_task_with_a_finished_but_failed_subtask_did_not_succeed():
    page = {"status": 3, "subtasks": [subtask(1), subtask(2, status=3, error_code="1", error_message="lost")]}
    task = normalise_task(TASK_ID, page, [page], "1.1", complete=True)
    assert task["finished"] is True
    assert task["succeeded"] is False
    assert [sub["endpoint_name"] for sub in task["failed_subtasks"]] == ["host-2"]


@pytest.mark.parametrize("total, complete, unaccounted, succeeded", [
    (5, True, 3, False),  # more targets than subtasks, every page read: 3 targets' outcome unknown
    (2, True, 0, True),
    (None, True, 0, True),  # no count sent: nothing to compare
    (5, False, 0, None),  # a filter or one page: the subtasks are not all known
])
def test_targets_no_subtask_accounts_for(total, complete, unaccounted, succeeded):
    page = {"status": 3, "totalTargetsCount": total, "subtasks": [subtask(1), subtask(2)]}
    task = normalise_task(TASK_ID, page, [page], "1.1", complete=complete)
    assert (task["unaccounted_targets"], task["succeeded"]) == (unaccounted, succeeded)


def test_malformed_subtasks_raise():
    page = {"status": 3, "subtasks": {"not": "a list"}}
    with pytest.raises(MalformedResponse):
        normalise_task(TASK_ID, page, [page], "1.1", complete=True)


# -- error mapping ------------------------------------------------------------------------------
@pytest.mark.parametrize("status, error, option_hint", [
    (401, AuthenticationFailure, "api_key"),
    (403, PermissionDenied, "Network API"),
    (405, ApiError, "405"),
    (404, ApiError, "/api"),
])
def test_http_errors(server, clock, status, error, option_hint):
    server.always(server.act.text(status, "<html><body>Error %d</body></html>" % status))
    with make_client(server, clock) as client:
        with pytest.raises(error) as caught:
            client.task_status(TASK_ID)
    assert caught.value.details["http_status"] == status
    assert option_hint in str(caught.value)
    assert API_KEY not in str(caught.value)
    assert len(server.requests) == 1


def test_429_with_html_body_is_retried_after_retry_after(server, clock, fixture_json):
    seed = fixture_json("seed_gz_get_task_status_v1_1.response.json")
    sleeps = Sleeps()
    server.script(server.act.text(429, "<html><body>Too many requests</body></html>", headers={"Retry-After": "1, 1"}),
                  then=server.act.json_of(lambda request: dict(seed, id=request.json["id"])))
    with make_client(server, clock, sleeps=sleeps) as client:
        task = client.task_status(TASK_ID)
    assert sleeps.waits == [1.0]
    assert task["name"] == "Quick Scan 2024-03-15"
    assert len(server.requests) == 2


def test_429_until_the_end_is_rate_limited(server, clock):
    server.always(server.act.text(429, "<html>Too many requests</html>"))
    with make_client(server, clock, attempts=3) as client:
        with pytest.raises(RateLimited):
            client.task_status(TASK_ID)
    assert len(server.requests) == 3


def test_invalid_params_surfaces_data_details(server, clock):
    details = "perPage must be between 1 and 1000"
    server.always(server.act.json_of(lambda request: rpc_error(request, -32602, "Invalid params", details)))
    with make_client(server, clock) as client:
        with pytest.raises(ApiError) as caught:
            client.task_status(TASK_ID)
    assert not isinstance(caught.value, TaskNotFound)
    assert caught.value.details["code"] == -32602
    assert "Invalid params" in str(caught.value)
    assert details in str(caught.value)


def test_unknown_task_is_task_not_found(server, clock):
    details = "The task with the specified ID was not found"
    server.always(server.act.json_of(lambda request: rpc_error(request, -32602, "Invalid params", details)))
    with make_client(server, clock) as client:
        with pytest.raises(TaskNotFound) as caught:
            client.task_status(TASK_ID)
    assert caught.value.details["task_id"] == TASK_ID
    assert TASK_ID in str(caught.value)
    assert details in str(caught.value)


def test_method_not_found_is_not_task_not_found(server, clock):
    server.always(server.act.json_of(lambda request: rpc_error(request, -32601, "Method not found")))
    with make_client(server, clock) as client:
        with pytest.raises(ApiError) as caught:
            client.task_status(TASK_ID)
    assert not isinstance(caught.value, TaskNotFound)
    assert caught.value.details["code"] == -32601


def test_forbidden_code_is_permission_denied(server, clock):
    server.always(server.act.json_of(lambda request: rpc_error(request, -32001, "Forbidden")))
    with make_client(server, clock) as client:
        with pytest.raises(PermissionDenied):
            client.task_status(TASK_ID)


def test_http_500_with_rpc_error_carries_details(server, clock):
    server.always(server.act.json_of(lambda request: (500, rpc_error(request, -32000, "Server error", "database down"))))
    with make_client(server, clock) as client:
        with pytest.raises(ApiError) as caught:
            client.task_status(TASK_ID)
    assert caught.value.details["http_status"] == 500
    assert "database down" in str(caught.value)


@pytest.mark.parametrize("action, hint", [
    (("text", 200, "<html><body>Sign in</body></html>"), "HTML page"),
    (("reply", 200, {"jsonrpc": "2.0", "id": "x"}), "neither"),
    (("reply", 200, ["a", "list"]), "not a JSON object"),
])
def test_malformed_replies(server, clock, action, hint):
    kind, status, body = action
    server.always(server.act.text(status, body) if kind == "text" else server.act.reply(status, body))
    with make_client(server, clock) as client:
        with pytest.raises(MalformedResponse) as caught:
            client.task_status(TASK_ID)
    assert hint in str(caught.value)


def test_error_details_echoing_the_api_key_are_redacted(server, clock):
    details = "API key %s is not allowed to call this method" % API_KEY
    server.always(server.act.json_of(lambda request: rpc_error(request, -32602, "Invalid params", details)))
    with make_client(server, clock) as client:
        with pytest.raises(ApiError) as caught:
            client.task_status(TASK_ID)
    assert API_KEY not in str(caught.value)


# -- check mode ---------------------------------------------------------------------------------
def test_check_mode_skips_writes_and_sends_reads(server, clock, fixture_json):
    seed = fixture_json("seed_gz_get_task_status_v1_1.response.json")
    server.always(server.act.json_of(lambda request: dict(copy.deepcopy(seed), id=request.json["id"])))
    with make_client(server, clock, check_mode=True) as client:
        with pytest.raises(AsyncTasksError) as caught:
            client.call("createScanTask", "1.0", params={"targetIds": ["x"], "type": 1})
        task = client.task_status(TASK_ID)
    assert "createScanTask" in caught.value.msg and "check mode" in caught.value.msg
    assert [request.json["method"] for request in server.requests] == ["getTaskStatus"]
    assert task["finished"] is True


def test_missing_api_key_is_invalid_input(server):
    transport = JsonRpcTransport(server.url, GRAVITYZONE, Deadline(5))
    with pytest.raises(InvalidInput) as caught:
        GravityZoneClient(transport, "")
    assert caught.value.details["option"] == "api_key"


# -- validation and api_url ---------------------------------------------------------------------
@pytest.mark.parametrize("task_id, expected", [
    (TASK_ID, TASK_ID),
    (" %s " % TASK_ID, TASK_ID),
    ("21A295EEB1A43D8B497B23B7", "21a295eeb1a43d8b497b23b7"),  # ObjectIds are case-insensitive hex
])
def test_validate_task_id_accepts(task_id, expected):
    assert validate_task_id(task_id) == expected


@pytest.mark.parametrize("task_id", ["", TASK_ID[:-1], TASK_ID + "0", "zz" + TASK_ID[2:], 12345, None])
def test_validate_task_id_rejects(task_id):
    with pytest.raises(InvalidInput) as caught:
        validate_task_id(task_id)
    assert caught.value.details["option"] == "task_id"


@pytest.mark.parametrize("value, expected", [
    ("2024-03-14T19:45:10", "2024-03-14T19:45:10"),
    ("2024-03-14 19:45:10", "2024-03-14T19:45:10"),
    ("2024-03-14T19:45", "2024-03-14T19:45:00"),
    ("2024-03-14", "2024-03-14T00:00:00"),
    (None, None),
])
def test_validate_date_accepts(value, expected):
    assert validate_date(value, "ended_after") == expected


def test_validate_date_converts_times_with_a_zone():
    assert validate_date("2024-03-14T19:45:10+02:00", "ended_after", load_zone("UTC")) == "2024-03-14T17:45:10"


@pytest.mark.parametrize("value", ["yesterday", "2024-03-14T19:45:10Z", "2024-02-30 10:00"])
def test_validate_date_rejects(value):
    with pytest.raises(InvalidInput) as caught:
        validate_date(value, "ended_before")
    assert caught.value.details["option"] == "ended_before"


@pytest.mark.parametrize("url, expected, warned", [
    ("https://cloud.gravityzone.bitdefender.com/api", "https://cloud.gravityzone.bitdefender.com/api", None),
    ("https://cloudgz.gravityzone.bitdefender.com/api/", "https://cloudgz.gravityzone.bitdefender.com/api", None),
    ("https://gz.example.com:8443/api/v1.1/jsonrpc/network", "https://gz.example.com:8443/api", "without the method path"),
    ("https://gravityzone.bitdefender.com/api", "https://gravityzone.bitdefender.com/api", "login page"),
])
def test_api_base(url, expected, warned):
    warnings = []
    assert api_base(url, warnings.append) == expected
    if warned:
        assert len(warnings) == 1 and warned in warnings[0]
    else:
        assert warnings == []


@pytest.mark.parametrize("url", ["http://cloud.gravityzone.bitdefender.com/api", "cloud.gravityzone.bitdefender.com", "", None])
def test_api_base_rejects(url):
    with pytest.raises(InvalidInput) as caught:
        api_base(url, lambda msg: None)
    assert caught.value.details["option"] == "api_url"


# -- RateGate -----------------------------------------------------------------------------------
def test_rate_gate_lets_a_burst_through_then_paces(clock):
    gate = RateGate(rate=8.0, burst=4, clock=clock, sleep=clock.sleep)
    for dummy in range(4):
        gate.acquire()
    assert clock.sleeps == []
    gate.acquire()
    assert clock.sleeps == [pytest.approx(0.125)]


def test_rate_gate_stays_within_gravityzone_limit(clock):
    # GravityZone: 10 requests/second with a burst of 10. Replay our request times through that bucket.
    gate = RateGate(DEFAULT_RATE, DEFAULT_BURST, clock=clock, sleep=clock.sleep)
    times = []
    for dummy in range(60):
        gate.acquire()
        times.append(clock.now)
        clock.advance(0.001)
    tokens, last = 10.0, times[0]
    for moment in times:
        tokens = min(10.0, tokens + (moment - last) * 10.0)
        last = moment
        assert tokens >= 1.0
        tokens -= 1.0
    assert times[-1] - times[0] < 60 / 10.0 * 1.5


# -- createScanTask -----------------------------------------------------------------------------
TARGET = "5ba8e0dbb1a43d0f2b7b23c1"


def legacy_console(pages):
    """A console that answers createScanTask with true and getScanTasksList with ``pages`` (lists of items)."""
    def answer(request):
        if request.json["method"] == "createScanTask":
            return rpc_result(request, True)
        number = request.json["params"]["page"]
        items = pages[number - 1] if number <= len(pages) else []
        return rpc_result(request, {"page": number, "pagesCount": len(pages), "perPage": 100,
                                    "total": sum(len(page) for page in pages), "items": items})
    return answer


def item(task_id, name, status=1):
    return {"id": task_id, "name": name, "status": status, "startDate": "2026-11-30T09:00:00"}


def test_true_answer_is_followed_by_a_lookup_by_exact_name_over_every_page(server, clock):
    other = "65f46d08c6d2865b32048bb0"
    pages = [[item(other, "Nightly 2")] * 100, [item(TASK_ID, "Nightly"), item(other, "nightly")]]
    server.always(server.act.json_of(legacy_console(pages)))
    with make_client(server, clock) as client:
        assert client.create_scan_task([TARGET], "quick", name="Nightly") == [TASK_ID]
    lookups = [request.json for request in server.requests[1:]]
    assert [(body["method"], body["params"]) for body in lookups] == [
        ("getScanTasksList", {"perPage": 100, "name": "Nightly", "page": 1}),
        ("getScanTasksList", {"perPage": 100, "name": "Nightly", "page": 2})]


def test_true_answer_with_several_tasks_of_that_name_fails_listing_them(server, clock):
    twin = "65f46d08c6d2865b32048bb0"
    server.always(server.act.json_of(legacy_console([[item(TASK_ID, "Nightly"), item(twin, "Nightly", 3)]])))
    with make_client(server, clock) as client:
        with pytest.raises(ApiError) as caught:
            client.create_scan_task([TARGET], "quick", name="Nightly")
    message = caught.value.msg
    assert TASK_ID in message and twin in message and "2 scan tasks are named 'Nightly'" in message
    assert caught.value.details["candidates"] == [TASK_ID, twin]
    assert [request.json["method"] for request in server.requests].count("createScanTask") == 1


@pytest.mark.parametrize("name, pages, words", [
    ("Nightly", [[]], "lists no scan task named 'Nightly'"),
    (None, [[]], "without a name to find it by"),
])
def test_true_answer_without_a_match(server, clock, name, pages, words):
    server.always(server.act.json_of(legacy_console(pages)))
    with make_client(server, clock) as client:
        with pytest.raises(ApiError) as caught:
            client.create_scan_task([TARGET], "quick", name=name)
    assert words in caught.value.msg


def test_unique_scan_names_differ():
    names = set(unique_scan_name("quick") for dummy in range(50))
    assert len(names) == 50 and all(name.startswith("Quick scan ") for name in names)


@pytest.mark.parametrize("result, task_ids", [
    ([TASK_ID, "65f46d08c6d2865b32048ba4"], [TASK_ID, "65f46d08c6d2865b32048ba4"]),
    (TASK_ID, [TASK_ID]),
])
def test_create_scan_task_returns_task_ids(server, clock, result, task_ids):
    server.always(server.act.json_of(lambda request: rpc_result(request, result)))
    with make_client(server, clock) as client:
        assert client.create_scan_task([TARGET], "quick", name="Nightly") == task_ids
    sent = server.requests[0]
    assert sent.path == "/api/v1.0/jsonrpc/network"
    assert sent.json["method"] == "createScanTask"
    assert sent.json["params"] == {"targetIds": [TARGET], "type": 1, "name": "Nightly", "returnAllTaskIds": True}


def test_create_custom_scan_task_sends_settings(server, clock):
    server.always(server.act.json_of(lambda request: rpc_result(request, [TASK_ID])))
    settings = {"scanDepth": 2, "scanPath": ["LocalDrives"]}
    with make_client(server, clock) as client:
        client.create_scan_task([TARGET], "custom", custom_settings=settings)
    assert server.requests[0].json["params"] == {"targetIds": [TARGET], "type": 4, "customScanSettings": settings,
                                                 "returnAllTaskIds": True}


@pytest.mark.parametrize("result, error", [(False, ApiError), ({"id": 1}, MalformedResponse), ("not-an-id", MalformedResponse),
                                           ([], MalformedResponse)])
def test_create_scan_task_bad_answers(server, clock, result, error):
    server.always(server.act.json_of(lambda request: rpc_result(request, result)))
    with make_client(server, clock) as client:
        with pytest.raises(error):
            client.create_scan_task([TARGET], "full")


def test_create_scan_task_is_not_resent_after_502(server, clock):
    server.script(server.act.reply(502, {}), then=server.act.json_of(lambda request: rpc_result(request, [TASK_ID])))
    with make_client(server, clock) as client:
        with pytest.raises(ServerError):
            client.create_scan_task([TARGET], "quick")
    assert len(server.requests) == 1


def test_create_scan_task_is_resent_after_429(server, clock):
    sleeps = Sleeps()
    server.script(server.act.text(429, "<html>slow down</html>", headers={"Retry-After": "1"}),
                  then=server.act.json_of(lambda request: rpc_result(request, [TASK_ID])))
    with make_client(server, clock, sleeps=sleeps) as client:
        assert client.create_scan_task([TARGET], "quick") == [TASK_ID]
    assert len(server.requests) == 2
    assert sleeps.waits == [1.0]


def test_create_scan_task_in_check_mode_is_not_sent(server, clock):
    server.always(server.act.json_of(lambda request: rpc_result(request, [TASK_ID])))
    with make_client(server, clock, check_mode=True) as client:
        with pytest.raises(AsyncTasksError, match="check mode"):
            client.create_scan_task([TARGET], "quick")
    assert server.requests == []


@pytest.mark.parametrize("target_id, ok", [(TARGET, True), (" %s " % TARGET, True), ("group-1", False), (None, False)])
def test_validate_target_id(target_id, ok):
    if ok:
        assert validate_target_id(target_id) == TARGET
    else:
        with pytest.raises(InvalidInput) as caught:
            validate_target_id(target_id)
        assert caught.value.details["option"] == "target_ids"
