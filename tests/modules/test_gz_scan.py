"""gz_scan_task: create a scan (changed: true), follow it with gz_task_status; nothing sent under --check."""

import base64
import json

import pytest

from tests.integration.gz_helpers import (
    GZ_API_KEY,
    SEED_V11_OPTIONS,
    SEED_V11_RESULT,
    assert_task_result,
    check_invariants,
    gz_connection,
    gz_log,
    ignoring_errors,
    record_gz_requests,
    run_gz,
    status_task,
)
from tests.integration.helpers import COLLECTION
from tests.simulator.common import Settings
from tests.simulator.gz import GravityZone

TARGET = "65f466d8c9dd23034805aaaa"
DEAD_TARGET = "660c1d628bd2f47cae59dead"  # the simulator fails the scan of a target whose id ends in "dead"


def simulator_creates_scan_tasks():
    """Whether this checkout's simulator answers createScanTask (it is being added): asked, not assumed."""
    console = GravityZone(Settings())
    request = {"params": {"targetIds": [TARGET], "type": 1, "returnAllTaskIds": True}, "jsonrpc": "2.0",
               "method": "createScanTask", "id": "probe"}
    authorization = "Basic " + base64.b64encode(("%s:" % GZ_API_KEY).encode("ascii")).decode("ascii")
    reply = console.handle("POST", "1.0", json.dumps(request).encode("utf-8"), authorization)
    return reply.status == 200 and isinstance(reply.body, dict) and isinstance(reply.body.get("result"), list)


needs_create_scan_task = pytest.mark.skipif(not simulator_creates_scan_tasks(),
                                            reason="the simulator does not answer createScanTask yet")


@pytest.fixture(autouse=True)
def module_invariants(sim, run_tasks):
    """The harness's checks after every test (conftest.py), except that a scan that ran reports changed: true."""
    sim.reset()
    yield
    check_invariants(sim, run_tasks.runs, changing=("gz_scan_task",))


def scan_task(sim, task_name, **args):
    """A gz_scan_task task (built here: module_task's ``name`` is the task's, and gz_scan_task has its own)."""
    return {"name": task_name, "%s.gz_scan_task" % COLLECTION: dict(gz_connection(sim), **args)}


@needs_create_scan_task
def test_scan_then_wait_for_it(sim, run_tasks, monkeypatch):
    sim.configure(gz_scan_duration=2)
    requests_seen = record_gz_requests(sim, monkeypatch)

    run = run_gz(run_tasks, [
        dict(scan_task(sim, "scan", target_ids=[TARGET, DEAD_TARGET], name="Pre-release scan"), register="scan"),
        status_task(sim, "wait", task_ids="{{ scan.task_ids }}", wait=True, wait_timeout=30, poll_interval=0.5),
    ])

    assert run.rc == 0, run.describe()
    scan = run.ok_result("scan")
    assert scan["changed"] is True
    assert len(scan["task_ids"]) == 1 and scan["task_id"] == scan["task_ids"][0]
    assert (scan["target_ids"], scan["type"], scan["name"]) == ([TARGET, DEAD_TARGET], "quick", "Pre-release scan")
    creates = [request for request in requests_seen if request["body"]["method"] == "createScanTask"]
    assert [(request["version"], request["body"]["params"]) for request in creates] == [("1.0", {
        "targetIds": [TARGET, DEAD_TARGET], "type": 1, "name": "Pre-release scan", "returnAllTaskIds": True})]

    results = run.ok_result("wait")["results"]
    assert [entry["task_id"] for entry in results] == scan["task_ids"]
    task = results[0]
    assert (task["name"], task["type_name"], task["status_name"], task["finished"]) == (
        "Pre-release scan", "scan", "finished", True)
    assert [subtask["endpoint_id"] for subtask in task["subtasks"]] == [TARGET, DEAD_TARGET]
    assert (task["succeeded"], task["total_targets"]) == (False, 2)
    assert [(subtask["endpoint_id"], subtask["error_code"]) for subtask in task["failed_subtasks"]] == [
        (DEAD_TARGET, "3")]
    assert [entry["http_status"] for entry in gz_log(sim)] == [200] * len(gz_log(sim))


def test_check_mode_reads_through_the_client_and_creates_no_scan(sim, run_tasks):
    run = run_gz(run_tasks, [
        scan_task(sim, "scan", target_ids=[TARGET], type="full", name="Nightly"),
        status_task(sim, "read", **SEED_V11_OPTIONS),
    ], check=True)

    assert run.rc == 0, run.describe()
    scan = run.ok_result("scan")
    assert (scan["changed"], scan["task_ids"], scan["task_id"]) == (True, [], None)
    assert (scan["target_ids"], scan["type"]) == ([TARGET], "full")
    assert scan["msg"] == "check mode: would start a full scan of 1 target(s) (nothing was changed)"
    assert scan["request"] == {"method": "createScanTask", "target": "1.0", "params": {
        "targetIds": [TARGET], "type": 2, "name": "Nightly", "returnAllTaskIds": True}}
    assert_task_result(run.ok_result("read"), SEED_V11_RESULT)
    assert [entry["method"] for entry in gz_log(sim)] == ["getScanTasksList", "getTaskStatus"]
    assert sim.counters()["gz"]["scan_tasks_created"] == 0


def test_check_mode_fails_on_a_key_the_console_refuses(sim, run_tasks):
    run = run_gz(run_tasks, [ignoring_errors(scan_task(sim, "scan", target_ids=[TARGET], api_key="wrong-key-0000"))],
                 check=True)

    result = run.failed_result("scan")
    assert result["http_status"] == 401 and "wrong-key-0000" not in run.output
    assert sim.counters()["gz"]["scan_tasks_created"] == 0


def test_bad_scan_input_fails_before_any_request(sim, run_tasks):
    cases = [
        ("short target", dict(target_ids=[TARGET, "abc"]), "'abc' is not a GravityZone endpoint or group id"),
        ("no targets", dict(target_ids=[]), "target_ids is empty"),
        ("custom without settings", dict(target_ids=[TARGET], type="custom"),
         "type: custom needs custom_scan_depth and custom_scan_paths"),
        ("settings without custom", dict(target_ids=[TARGET], custom_scan_depth="normal"),
         "custom_scan_depth only apply to type: custom"),
    ]

    run = run_gz(run_tasks, [ignoring_errors(scan_task(sim, name, **options)) for name, options, msg in cases])

    for name, options, msg in cases:
        assert msg in run.failed_result(name)["msg"], name
    assert sim.counters()["gz"]["requests"] == 0
