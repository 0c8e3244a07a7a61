"""The GravityZone simulator over real HTTPS: seeds, auth, rate limit, paging, filters, progress."""

import json
import re
import time

import pytest

GZ_API_KEY = "simgzkey0123456789abcdef0123456789abcdef"
GZ_NOAPI_KEY = "simgzkeyNOAPI0123456789abcdef0123456789ab"
SEED_TASK = "65f46d08c6d2865b32048ba3"
BIG_TASK = "6500000000000000000f5000"
SUMMARY_KEYS = ["name", "startDate", "status", "type", "owner", "company"]
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$")


def subtasks_page(client, task_id, page=1, per_page=30, **filters):
    """getTaskStatus v1.1 with subtasks; returns the result."""
    params = {"options": {"returnSubtasks": True, "page": page, "perPage": per_page}}
    if filters:
        params["subtaskFilters"] = filters
    answer = client.task_status(task_id, **params)
    assert "result" in answer, answer
    return answer["result"]


def error_of(answer):
    """(code, message, details) of a JSON-RPC error answer."""
    error = answer["error"]
    return error["code"], error["message"], error.get("data", {}).get("details")


# -- the seed documents ------------------------------------------------------------------------

@pytest.mark.parametrize("version, name", [("1.1", "gz_get_task_status_v1_1"), ("1.0", "gz_get_task_status_v1_0")])
def test_seed_request_answers_the_seed_response(client, version, name):
    response = client.gz(client.fixture(name + ".request.json"), version=version)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/json"
    # byte-equivalent: same keys, values, types and order
    assert json.dumps(response.json()) == json.dumps(client.fixture(name + ".response.json"))


def test_seed_request_echoes_another_id(client):
    body = client.fixture("gz_get_task_status_v1_1.request.json")
    body["id"] = 99
    answer = client.gz(body).json()
    assert answer["id"] == 99
    assert answer["result"] == client.fixture("gz_get_task_status_v1_1.response.json")["result"]


def test_other_requests_on_the_seed_task_are_computed_from_its_five_subtasks(client):
    result = subtasks_page(client, SEED_TASK)
    assert list(result) == SUMMARY_KEYS + ["hasMoreSubtasks", "subtasks", "totalTargetsCount"]
    assert (len(result["subtasks"]), result["hasMoreSubtasks"], result["totalTargetsCount"]) == (5, False, 5)
    seed = client.fixture("gz_get_task_status_v1_1.response.json")["result"]["subtasks"]
    assert result["subtasks"][0] == seed[0] and result["subtasks"][-1] == seed[1]


def test_seed_task_in_version_1_0(client):
    result = client.task_status(SEED_TASK, version="1.0")["result"]
    assert list(result) == SUMMARY_KEYS


# -- authentication and HTTP errors --------------------------------------------------------------

@pytest.mark.parametrize("key, status", [(None, 401), ("wrong-key", 401), (GZ_NOAPI_KEY, 403)])
def test_keys(client, key, status):
    assert client.gz({"method": "getTaskStatus", "params": {"taskId": BIG_TASK}}, key=key).status_code == status


def test_key_with_a_password_is_refused(client, sim):
    url = sim.gz_api_url + "/v1.1/jsonrpc/network"
    response = client.http.post(url, json={"method": "getTaskStatus"}, auth=(GZ_API_KEY, "x"), timeout=10)
    assert response.status_code == 401


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE"])
def test_methods_other_than_post(client, method):
    response = client.gz(b"", method=method)
    assert response.status_code == 405 and response.headers["Allow"] == "POST"


# -- rate limit ----------------------------------------------------------------------------------

def rate_limited_response(client, sim, **settings):
    sim.configure(gz_rate=0.5, gz_burst=2, **settings)
    body = {"method": "getTaskStatus", "params": {"taskId": BIG_TASK}, "id": 1}
    statuses = [client.gz(body).status_code for attempt in range(2)]
    assert statuses == [200, 200]
    return client.gz(body)


def test_rate_limit_answers_429_with_retry_after(client, sim):
    response = rate_limited_response(client, sim)
    assert response.status_code == 429 and response.headers["Retry-After"] == "1"
    assert response.json()["error"]["code"] == -32003
    counters = sim.counters()["gz"]
    assert (counters["requests"], counters["rate_limited"], counters["by_method"]) == (3, 1, {"getTaskStatus": 2})


@pytest.mark.parametrize("style, header", [("duplicated", "1, 1"), ("missing", None)])
def test_rate_limit_retry_after_styles(client, sim, style, header):
    response = rate_limited_response(client, sim, gz_retry_after_style=style)
    assert response.headers.get("Retry-After") == header


def test_rate_limit_html_body(client, sim):
    response = rate_limited_response(client, sim, gz_429_body="html", gz_retry_after=60)
    assert response.headers["Content-Type"].startswith("text/html")
    assert response.headers["Retry-After"] == "60"
    assert "<html>" in response.text
    with pytest.raises(ValueError):
        response.json()


def test_rate_limit_refills(client, sim):
    sim.configure(gz_rate=2, gz_burst=1)
    body = {"method": "getTaskStatus", "params": {"taskId": BIG_TASK}}
    assert [client.gz(body).status_code for attempt in range(2)] == [200, 429]
    time.sleep(0.55)
    assert client.gz(body).status_code == 200


def test_rate_limit_is_per_key(client, sim):
    sim.configure(gz_rate=0.5, gz_burst=1)
    body = {"method": "getTaskStatus", "params": {"taskId": BIG_TASK}}
    assert client.gz(body).status_code == 200
    assert client.gz(body).status_code == 429
    assert client.gz(body, key="another-key").status_code == 401  # unknown keys never reach the limiter


# -- paging --------------------------------------------------------------------------------------

def test_big_task_pages_to_the_end(client):
    started = time.monotonic()
    seen, more, page = [], True, 0
    while more:
        page += 1
        result = subtasks_page(client, BIG_TASK, page=page, per_page=1000)
        more = result["hasMoreSubtasks"]
        seen.extend(result["subtasks"])
    assert page == 5 and len(seen) == 5000  # 5 × 1000 = 5000: the last full page says no more
    assert len({subtask["endpointId"] for subtask in seen}) == 5000
    assert time.monotonic() - started < 3
    failed = [subtask for subtask in seen if "errorCode" in subtask]
    assert len(failed) == 37 and all(subtask["status"] == 3 and subtask["errorMessage"] for subtask in failed)
    assert {subtask["endpointType"] for subtask in seen} == {260, 262, 265}
    assert all(DATE.match(subtask["startDate"]) and DATE.match(subtask["endDate"]) for subtask in seen)
    assert result["status"] == 3 and result["totalTargetsCount"] == 5000


@pytest.mark.parametrize("page, per_page, count, more", [
    (1, 30, 30, True), (166, 30, 30, True), (167, 30, 20, False), (168, 30, 0, False),
    (1, 1000, 1000, True), (5, 1000, 1000, False), (2500, 2, 2, False), (2499, 2, 2, True),
])
def test_paging_math(client, page, per_page, count, more):
    result = subtasks_page(client, BIG_TASK, page=page, per_page=per_page)
    assert (len(result["subtasks"]), result["hasMoreSubtasks"]) == (count, more)


def test_default_page_size_is_30(client):
    result = client.task_status(BIG_TASK, options={"returnSubtasks": True})["result"]
    assert len(result["subtasks"]) == 30 and result["hasMoreSubtasks"] is True


def test_without_return_subtasks_there_are_none(client):
    result = client.task_status(BIG_TASK)["result"]
    assert (result["subtasks"], result["hasMoreSubtasks"], result["totalTargetsCount"]) == ([], False, 5000)


# -- filters -------------------------------------------------------------------------------------

def test_status_filter(client):
    result = subtasks_page(client, SEED_TASK, status=2)
    assert [subtask["endpointName"] for subtask in result["subtasks"]] == ["bdvm-virtual-machine"]
    assert len(subtasks_page(client, SEED_TASK, status=3)["subtasks"]) == 4


def test_ended_after_and_before_are_inclusive(client):
    names = [s["endpointName"] for s in subtasks_page(
        client, SEED_TASK, endedAfter="2024-03-15T17:55:12", endedBefore="2024-03-15T18:02:05")["subtasks"]]
    assert names == ["Computer 10-L9OWIy", "FIN-LAPTOP-07", "srv-dc-01"]
    assert len(subtasks_page(client, SEED_TASK, endedAfter="2024-04-01T00:00:00")["subtasks"]) == 1
    assert len(subtasks_page(client, SEED_TASK, endedBefore="2024-03-15T17:50:00")["subtasks"]) == 1


def test_filters_and_paging_together(client):
    result = subtasks_page(client, SEED_TASK, page=2, per_page=2, status=3)
    assert (len(result["subtasks"]), result["hasMoreSubtasks"], result["totalTargetsCount"]) == (2, False, 5)
    result = subtasks_page(client, SEED_TASK, page=1, per_page=2, status=3)
    assert result["hasMoreSubtasks"] is True


def test_filter_on_the_big_task(client):
    result = subtasks_page(client, BIG_TASK, per_page=1000, status=1)
    assert (result["subtasks"], result["hasMoreSubtasks"]) == ([], False)


# -- version 1.0, unknown tasks, invalid params --------------------------------------------------

def test_version_1_0_has_no_subtask_fields(client):
    result = client.task_status(BIG_TASK, version="1.0")["result"]
    assert list(result) == SUMMARY_KEYS


def test_version_1_0_takes_only_task_id(client):
    answer = client.task_status(BIG_TASK, version="1.0", options={"returnSubtasks": True})
    assert error_of(answer)[:2] == (-32602, "Invalid params")


def test_unknown_task(client):
    answer = client.task_status("0123456789abcdef01234567")
    assert answer["id"] == "req-1"
    assert error_of(answer) == (-32602, "Invalid params", "The specified task does not exist")


@pytest.mark.parametrize("params", [
    {"taskId": "xyz"}, {"taskId": 12}, {}, {"taskId": BIG_TASK, "extra": 1},
    {"taskId": BIG_TASK, "options": []}, {"taskId": BIG_TASK, "options": {"page": 0}},
    {"taskId": BIG_TASK, "options": {"page": "2"}}, {"taskId": BIG_TASK, "options": {"perPage": 1001}},
    {"taskId": BIG_TASK, "options": {"perPage": 0}}, {"taskId": BIG_TASK, "options": {"returnSubtasks": "yes"}},
    {"taskId": BIG_TASK, "options": {"pageSize": 5}}, {"taskId": BIG_TASK, "subtaskFilters": {"status": 4}},
    {"taskId": BIG_TASK, "subtaskFilters": {"status": True}},
    {"taskId": BIG_TASK, "subtaskFilters": {"endedAfter": "2024-03-14 19:45:10"}},
    {"taskId": BIG_TASK, "subtaskFilters": {"endedBefore": "2024-02-30T00:00:00"}},
    {"taskId": BIG_TASK, "subtaskFilters": {"state": 3}},
])
def test_invalid_params(client, params):
    response = client.gz({"jsonrpc": "2.0", "method": "getTaskStatus", "id": 5, "params": params})
    assert response.status_code == 200
    code, message, details = error_of(response.json())
    assert (code, message) == (-32602, "Invalid params") and details


@pytest.mark.parametrize("body, code", [
    (b"{oops", -32700), (b"[]", -32600), (b'{"id": 1}', -32600), (b'{"method": "getTaskStatus", "id": {}}', -32600),
    (b'{"method": "getTaskStatus", "params": [1], "id": 1}', -32602),
    (b'{"method": "deleteAllTasks", "params": {}, "id": 1}', -32601),
])
def test_bad_requests_get_json_rpc_errors(client, body, code):
    response = client.gz(body, headers={"Content-Type": "application/json"})
    assert response.status_code == 200
    assert response.json()["error"]["code"] == code


@pytest.mark.parametrize("request_id", ["abc", 17, 2.5, None])
def test_id_is_echoed_as_given(client, request_id):
    answer = client.gz({"method": "getTaskStatus", "params": {"taskId": BIG_TASK}, "id": request_id}).json()
    assert answer["id"] == request_id and type(answer["id"]) is type(request_id)


def test_request_without_jsonrpc_member_is_accepted(client):
    answer = client.gz({"method": "getTaskStatus", "params": {"taskId": BIG_TASK}}).json()
    assert list(answer) == ["id", "jsonrpc", "result"] and answer["id"] is None


# -- tasks made by tests -------------------------------------------------------------------------

def test_created_task_progresses_and_fails_some_subtasks(client, sim):
    task_id = sim.gz_create_task(subtasks=6, duration=0.8, failures=2, name="Nightly scan")
    assert re.match(r"^[0-9a-f]{24}$", task_id)
    first = subtasks_page(client, task_id)
    assert first["name"] == "Nightly scan" and first["status"] in (1, 2)
    assert any(subtask["status"] in (0, 2) for subtask in first["subtasks"])
    done = client.eventually(lambda: subtasks_page(client, task_id), lambda result: result["status"] == 3)
    assert done["status"] == 3 and done["totalTargetsCount"] == 6
    assert all(subtask["status"] == 3 and "endDate" in subtask for subtask in done["subtasks"])
    assert len([subtask for subtask in done["subtasks"] if "errorCode" in subtask]) == 2


def test_pending_subtasks_are_sent_as_zero(client, sim):
    task_id = sim.gz_create_task(subtasks=3, duration=600)
    pending = [s for s in subtasks_page(client, task_id)["subtasks"] if s["status"] == 0]
    assert pending and all("startDate" not in s and "endDate" not in s for s in pending)
    assert len(subtasks_page(client, task_id, status=1)["subtasks"]) == len(pending)  # the filter still says 1
    sim.configure(gz_pending_as_zero=False)
    assert [s["status"] for s in subtasks_page(client, task_id)["subtasks"]].count(1) == len(pending)


def test_log_and_counters(client, sim):
    client.task_status(BIG_TASK, options={"returnSubtasks": True, "page": 2, "perPage": 10},
                       subtaskFilters={"status": 3})
    client.gz({"method": "getTaskStatus"}, key=None)
    client.task_status(BIG_TASK, version="1.0")
    log = sim.log("gz")
    assert log[0] == {"version": "1.1", "method": "getTaskStatus", "taskId": BIG_TASK, "page": 2, "perPage": 10,
                      "returnSubtasks": True, "filters": {"status": 3}, "http_status": 200}
    assert (log[1]["http_status"], log[1]["method"]) == (401, None)
    assert (log[2]["version"], log[2]["returnSubtasks"]) == ("1.0", False)
    assert GZ_API_KEY not in json.dumps([log, sim.counters()])
    assert sim.counters()["gz"] == {"requests": 3, "rate_limited": 0, "scan_tasks_created": 0,
                                    "by_method": {"getTaskStatus": 2}, "reports_created": 0, "reports_open": 0,
                                    "reports_deleted": 0, "report_downloads": 0}
