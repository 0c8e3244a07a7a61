"""gz_task_status against the API document's examples (seed 002): the request sent and the result, exactly."""

from tests.integration.gz_helpers import (
    SEED_V10_PARAMS,
    SEED_V10_RESULT,
    SEED_V10_TASK,
    SEED_V11_OPTIONS,
    SEED_V11_PARAMS,
    SEED_V11_RESULT,
    assert_task_result,
    gz_log,
    record_gz_requests,
    run_gz,
    status_task,
)


def test_seed_v1_1_request_and_response(sim, run_tasks, monkeypatch):
    requests_seen = record_gz_requests(sim, monkeypatch)

    run = run_gz(run_tasks, [status_task(sim, **SEED_V11_OPTIONS)])

    assert run.rc == 0, run.describe()
    assert_task_result(run.ok_result(), SEED_V11_RESULT)
    # The request is the document's, parameter for parameter (only the JSON-RPC id differs).
    assert len(requests_seen) == 1
    request = requests_seen[0]
    assert (request["version"], request["status"]) == ("1.1", 200)
    body = request["body"]
    assert body["params"] == SEED_V11_PARAMS
    assert (body["jsonrpc"], body["method"]) == ("2.0", "getTaskStatus")
    assert isinstance(body["id"], str) and body["id"]
    expected = {"version": "1.1", "method": "getTaskStatus", "taskId": SEED_V11_PARAMS["taskId"], "page": 5, "perPage": 1,
                "returnSubtasks": True, "filters": SEED_V11_PARAMS["subtaskFilters"], "http_status": 200}
    assert [dict((name, entry.get(name)) for name in expected) for entry in gz_log(sim)] == [expected]


def test_seed_v1_0_request_and_response(sim, run_tasks, monkeypatch):
    requests_seen = record_gz_requests(sim, monkeypatch)

    run = run_gz(run_tasks, [status_task(sim, task_id=SEED_V10_TASK, api_version="1.0")])

    assert run.rc == 0, run.describe()
    assert_task_result(run.ok_result(), SEED_V10_RESULT)
    assert [(request["version"], request["body"]["params"], request["status"]) for request in requests_seen] == [
        ("1.0", SEED_V10_PARAMS, 200)]


def test_seed_task_read_in_full_is_complete_and_not_succeeded(sim, run_tasks):
    # Without the seed's page and filters: all five subtasks of the seed task, in one page.
    run = run_gz(run_tasks, [status_task(sim, task_id=SEED_V11_OPTIONS["task_id"])])

    assert run.rc == 0, run.describe()
    result = run.ok_result()
    assert [subtask["endpoint_name"] for subtask in result["subtasks"]] == [
        "Computer 10-L9OWIy", "FIN-LAPTOP-07", "srv-dc-01", "i-0a1b2c3d4e5f60718", "bdvm-virtual-machine"]
    assert [subtask["endpoint_type_name"] for subtask in result["subtasks"]] == [
        "best_agent", "best_agent", "active_directory", "aws_ec2", "best_agent"]
    assert result["subtask_counts"] == {"pending": 0, "in_progress": 1, "finished": 4, "unknown": 0, "failed": 2}
    assert [(sub["endpoint_name"], sub["error_code"]) for sub in result["failed_subtasks"]] == [
        ("i-0a1b2c3d4e5f60718", "3"), ("bdvm-virtual-machine", "1")]
    assert (result["total_targets"], result["subtasks_complete"], result["pages_fetched"]) == (5, True, 1)
    assert (result["finished"], result["succeeded"]) == (True, False)
    assert gz_log(sim, returnSubtasks=True, page=1, perPage=100, filters=None, http_status=200) == gz_log(sim)
