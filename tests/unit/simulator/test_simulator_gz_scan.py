"""GravityZone scan tasks over real HTTPS: createScanTask, its rate limit, and getScanTasksList."""

import json
import re

import pytest

GZ_API_KEY = "simgzkey0123456789abcdef0123456789abcdef"
TARGETS = ["5ba8e0dbb1a43d0f2b7b23c1", "5ba8e0dbb1a43d0f2b7b23c2", "5ba8e0dbb1a43d0f2b7bdead"]
BIG_TASK = "6500000000000000000f5000"
DAY = re.compile(r" \d{4}-\d{2}-\d{2}$")


def rpc(client, method, params, version="1.0", request_id=7):
    """A JSON-RPC call; returns the HTTP response."""
    return client.gz({"jsonrpc": "2.0", "method": method, "id": request_id, "params": params}, version=version)


def create_scan(client, version="1.0", **params):
    """createScanTask (HTTP 200 asserted); returns the decoded answer."""
    params.setdefault("targetIds", TARGETS[:1])
    params.setdefault("type", 1)
    response = rpc(client, "createScanTask", params, version=version)
    assert response.status_code == 200, response.text
    return response.json()


def new_task_id(client, **params):
    """Create a scan task and return its id."""
    answer = create_scan(client, returnAllTaskIds=True, **params)
    assert isinstance(answer["result"], list) and len(answer["result"]) == 1, answer
    return answer["result"][0]


def scan_list(client, **params):
    """getScanTasksList (HTTP 200 asserted); returns the result."""
    answer = rpc(client, "getScanTasksList", params).json()
    assert "result" in answer, answer
    return answer["result"]


# -- createScanTask ------------------------------------------------------------------------------

@pytest.mark.parametrize("version", ["1.0", "1.1"])
def test_create_scan_task_answers_true_by_default(client, sim, version):
    answer = create_scan(client, version=version, returnAllTaskIds=False)
    assert answer == {"id": 7, "jsonrpc": "2.0", "result": True}
    assert create_scan(client, version=version)["result"] is True
    assert sim.counters()["gz"]["scan_tasks_created"] == 2
    assert sim.gz_scan_tasks_created() == 2


def test_created_scan_task_progresses_per_target_and_dead_targets_fail(client, sim):
    sim.configure(gz_scan_duration=0.6)
    task_id = new_task_id(client, targetIds=TARGETS, name="Nightly")
    assert re.match(r"^[0-9a-f]{24}$", task_id)
    options = {"returnSubtasks": True}
    first = client.task_status(task_id, options=options)["result"]
    assert (first["name"], first["type"], first["totalTargetsCount"]) == ("Nightly", 1, 3)
    assert [subtask["endpointId"] for subtask in first["subtasks"]] == TARGETS
    done = client.eventually(lambda: client.task_status(task_id, options=options)["result"],
                             lambda result: result["status"] == 3)
    failed = [subtask for subtask in done["subtasks"] if "errorCode" in subtask]
    assert [subtask["endpointId"] for subtask in failed] == [TARGETS[2]]
    assert failed[0]["errorMessage"] and failed[0]["status"] == 3
    assert all(subtask["status"] == 3 and "endDate" in subtask for subtask in done["subtasks"])


def test_targets_are_scanned_once_each(client):
    task_id = new_task_id(client, targetIds=[TARGETS[0], TARGETS[0].upper(), TARGETS[1]])
    assert client.task_status(task_id)["result"]["totalTargetsCount"] == 2


@pytest.mark.parametrize("scan_type, prefix", [(1, "Quick Scan"), (2, "Full Scan"), (3, "Memory Scan"), (4, "Custom Scan")])
def test_default_names(client, scan_type, prefix):
    settings = {"customScanSettings": {"scanDepth": 2, "scanPath": ["LocalDrives"]}} if scan_type == 4 else {}
    task_id = new_task_id(client, type=scan_type, **settings)
    name = client.task_status(task_id, version="1.0")["result"]["name"]
    assert name.startswith(prefix) and DAY.search(name)


def test_task_ids_repeat_after_reset(client, sim):
    first = [new_task_id(client), new_task_id(client)]
    sim.reset()
    sim.configure(gz_rate=0)
    assert [new_task_id(client), new_task_id(client)] == first
    assert first[0] != first[1]


@pytest.mark.parametrize("params", [
    {"type": 1},
    {"targetIds": [], "type": 1},
    {"targetIds": "5ba8e0dbb1a43d0f2b7b23c1", "type": 1},
    {"targetIds": ["group-1"], "type": 1},
    {"targetIds": [TARGETS[0], 7], "type": 1},
    {"targetIds": TARGETS, "type": 5},
    {"targetIds": TARGETS, "type": "1"},
    {"targetIds": TARGETS, "type": True},
    {"targetIds": TARGETS},
    {"targetIds": TARGETS, "type": 4},
    {"targetIds": TARGETS, "type": 4, "customScanSettings": {"scanDepth": 4, "scanPath": ["LocalDrives"]}},
    {"targetIds": TARGETS, "type": 4, "customScanSettings": {"scanDepth": 1, "scanPath": []}},
    {"targetIds": TARGETS, "type": 4, "customScanSettings": {"scanDepth": 1}},
    {"targetIds": TARGETS, "type": 1, "customScanSettings": "deep"},
    {"targetIds": TARGETS, "type": 1, "returnAllTaskIds": "yes"},
    {"targetIds": TARGETS, "type": 1, "name": ""},
    {"targetIds": TARGETS, "type": 1, "name": 5},
    {"targetIds": TARGETS, "type": 1, "priority": "high"},
    ["not", "an", "object"],
])
def test_create_scan_task_invalid_params(client, sim, params):
    response = rpc(client, "createScanTask", params)
    assert response.status_code == 200
    error = response.json()["error"]
    assert (error["code"], error["message"]) == (-32602, "Invalid params") and error["data"]["details"]
    assert sim.gz_scan_tasks_created() == 0


def test_custom_scan_settings_are_ignored_for_other_types(client):
    assert create_scan(client, type=2, customScanSettings={"scanDepth": 9})["result"] is True


def test_create_scan_task_rate_limit_is_its_own_bucket(client, sim):
    sim.configure(gz_scan_rate_per_minute=2)
    assert [create_scan(client)["result"] for attempt in range(2)] == [True, True]
    refused = rpc(client, "createScanTask", {"targetIds": TARGETS, "type": 1})
    assert refused.status_code == 429
    assert 1 <= int(refused.headers["Retry-After"]) <= 30  # one token per 30 s
    assert refused.json()["error"]["code"] == -32003
    assert client.task_status(BIG_TASK)["result"]["status"] == 3  # other methods are not held back
    counters = sim.counters()["gz"]
    assert (counters["rate_limited"], counters["scan_tasks_created"]) == (1, 2)
    assert counters["by_method"] == {"createScanTask": 3, "getTaskStatus": 1}
    sim.configure(gz_scan_rate_per_minute=0)  # 0: no limit
    assert create_scan(client)["result"] is True


def test_create_scan_task_default_limit_is_30_per_minute(client):
    statuses = [rpc(client, "createScanTask", {"targetIds": TARGETS, "type": 1}).status_code for attempt in range(31)]
    assert statuses == [200] * 30 + [429]


def test_create_scan_task_log_and_counters(client, sim):
    task_id = new_task_id(client, targetIds=TARGETS, type=2)
    entry = sim.log("gz")[-1]
    assert entry["method"] == "createScanTask" and entry["taskId"] == task_id
    assert (entry["version"], entry["scanType"], entry["targets"], entry["http_status"]) == ("1.0", 2, 3, 200)
    assert GZ_API_KEY not in json.dumps([sim.log("gz"), sim.counters()])
    assert sim.counters()["gz"]["by_method"] == {"createScanTask": 1}


# -- getScanTasksList ----------------------------------------------------------------------------

def test_scan_tasks_list_shape_and_order(client, sim):
    made = [new_task_id(client, name="List test %d" % index) for index in range(3)]
    result = scan_list(client, name="List test")
    assert list(result) == ["page", "pagesCount", "perPage", "total", "items"]
    assert (result["page"], result["pagesCount"], result["perPage"], result["total"]) == (1, 1, 30, 3)
    assert [item["id"] for item in result["items"]] == made[::-1]  # newest first
    assert list(result["items"][0]) == ["id", "name", "status", "startDate"]
    everything = scan_list(client, perPage=100)
    assert BIG_TASK in [item["id"] for item in everything["items"]]
    assert everything["total"] == len(everything["items"]) >= 4
    assert sim.log("gz")[-1]["perPage"] == 100


def test_scan_tasks_list_name_and_status_filters(client, sim):
    sim.configure(gz_scan_duration=600)
    running = new_task_id(client, name="Weekly servers")
    new_task_id(client, name="Nightly laptops")
    assert [item["id"] for item in scan_list(client, name="weekly")["items"]] == [running]  # prefix, any case
    assert scan_list(client, name="servers")["total"] == 0
    assert [item["id"] for item in scan_list(client, name="*SERVERS")["items"]] == [running]
    assert scan_list(client, name="*")["total"] == scan_list(client)["total"]
    finished = scan_list(client, status=3, perPage=100)["items"]
    assert BIG_TASK in [item["id"] for item in finished] and running not in [item["id"] for item in finished]
    assert all(item["status"] == 3 for item in finished)
    assert [item["id"] for item in scan_list(client, name="Weekly", status=1)["items"]] == [running]


def test_scan_tasks_list_paging(client):
    made = [new_task_id(client, name="Paged %d" % index) for index in range(5)]
    pages = [scan_list(client, name="Paged", page=page, perPage=2) for page in (1, 2, 3, 4)]
    assert [[item["id"] for item in page["items"]] for page in pages] == [made[4:2:-1], made[2:0:-1], made[:1], []]
    assert {(page["pagesCount"], page["total"], page["perPage"]) for page in pages} == {(3, 5, 2)}
    assert scan_list(client, name="nothing like this")["pagesCount"] == 0


@pytest.mark.parametrize("params", [
    {"perPage": 101}, {"perPage": 0}, {"page": 0}, {"page": "1"}, {"status": 4}, {"name": 3}, {"owner": "x"}, [1],
])
def test_scan_tasks_list_invalid_params(client, params):
    error = rpc(client, "getScanTasksList", params).json()["error"]
    assert error["code"] == -32602 and error["data"]["details"]


def test_scan_tasks_list_without_params_and_only_in_version_1_0(client):
    assert rpc(client, "getScanTasksList", None).json()["result"]["page"] == 1
    error = rpc(client, "getScanTasksList", {}, version="1.1").json()["error"]
    assert error["code"] == -32601 and "/v1.0/" in error["data"]["details"]
