"""What the console refuses (401, 403, 404, unknown task, 429) and what the module refuses before asking."""

import pytest

from tests.integration.gz_helpers import (
    GZ_NOAPI_KEY,
    GZ_WRONG_KEY,
    SEED_V10_PARAMS,
    SEED_V11_TASK,
    UNKNOWN_TASK,
    gz_log,
    gz_rpc,
    ignoring_errors,
    record_gz_requests,
    requested_page,
    run_gz,
    status_task,
)


def test_console_refusals_name_the_cause_without_the_key(sim, run_tasks):
    run = run_gz(run_tasks, [
        ignoring_errors(status_task(sim, "bad key", task_id=SEED_V11_TASK, api_key=GZ_WRONG_KEY)),
        ignoring_errors(status_task(sim, "api not enabled", task_id=SEED_V11_TASK, api_key=GZ_NOAPI_KEY)),
        ignoring_errors(status_task(sim, "unknown task", task_id=UNKNOWN_TASK)),
        ignoring_errors(status_task(sim, "not the access url", task_id=SEED_V11_TASK,
                                    api_url=sim.gz_api_url[:-len("/api")])),
    ])

    assert GZ_WRONG_KEY not in run.output and GZ_NOAPI_KEY not in run.output
    bad_key = run.failed_result("bad key")
    assert "HTTP 401" in bad_key["msg"] and "api_key" in bad_key["msg"]
    assert bad_key["http_status"] == 401
    no_api = run.failed_result("api not enabled")
    assert "HTTP 403" in no_api["msg"] and "enable the Network API" in no_api["msg"]
    assert no_api["http_status"] == 403
    unknown = run.failed_result("unknown task")
    assert "GravityZone task %s was not found" % UNKNOWN_TASK in unknown["msg"]
    assert "The specified task does not exist" in unknown["msg"]  # the console's data.details
    assert unknown["task_id"] == UNKNOWN_TASK
    wrong_url = run.failed_result("not the access url")
    assert "HTTP 404" in wrong_url["msg"] and "/api" in wrong_url["msg"]
    # One request each, none retried: the 404 never reached the GravityZone endpoint.
    assert [(entry["http_status"], entry["taskId"]) for entry in gz_log(sim)] == [
        (401, None), (403, None), (200, UNKNOWN_TASK)]


def test_bad_input_fails_before_any_request(sim, run_tasks):
    cases = [
        ("three letters", dict(task_id="abc"), "task_id 'abc' is not a GravityZone task id"),
        ("23 characters", dict(task_id=SEED_V11_TASK[:23]), "is not a GravityZone task id"),
        ("not hexadecimal", dict(task_id=SEED_V11_TASK[:22] + "zz"), "is not a GravityZone task id"),
        ("per_page 0", dict(task_id=SEED_V11_TASK, per_page=0), "per_page must be between 1 and 1000, got 0"),
        ("per_page 1001", dict(task_id=SEED_V11_TASK, per_page=1001), "per_page must be between 1 and 1000, got 1001"),
    ]

    run = run_gz(run_tasks, [ignoring_errors(status_task(sim, name, **options)) for name, options, msg in cases])

    for name, options, msg in cases:
        assert msg in run.failed_result(name)["msg"], name
    assert "24 hexadecimal characters" in run.failed_result("three letters")["msg"]
    assert sim.counters()["gz"]["requests"] == 0


@pytest.mark.parametrize("style, body", [("plain", "json"), ("duplicated", "json"), ("plain", "html")],
                         ids=["retry-after", "retry-after-duplicated", "html-body"])
def test_rate_limited_pages_are_retried_after_retry_after(sim, run_tasks, monkeypatch, style, body):
    task_id = sim.gz_create_task(subtasks=20, duration=0, failures=0)
    sim.configure(gz_rate=1, gz_burst=1, gz_retry_after=1, gz_retry_after_style=style, gz_429_body=body)
    requests_seen = record_gz_requests(sim, monkeypatch)

    run = run_gz(run_tasks, [status_task(sim, task_id=task_id, per_page=10)])

    assert run.rc == 0, run.describe()
    result = run.ok_result()
    assert (len(result["subtasks"]), result["pages_fetched"], result["succeeded"]) == (20, 2, True)
    assert len(set(subtask["endpoint_id"] for subtask in result["subtasks"])) == 20
    statuses = [request["status"] for request in requests_seen]
    assert set(statuses) == {200, 429} and statuses[-1] == 200
    for index, request in enumerate(requests_seen):
        if request["status"] == 429:
            retry = requests_seen[index + 1]
            # The same page again, once the second the console asked for had passed.
            assert requested_page(retry) == requested_page(request)
            assert retry["at"] - request["at"] >= 0.9
    # Each page answered exactly once, in order.
    assert [requested_page(request) for request in requests_seen if request["status"] == 200] == [1, 2]
    assert sim.counters()["gz"]["rate_limited"] == statuses.count(429)


def test_retry_after_zero_still_backs_off(sim, run_tasks, monkeypatch):
    # A console that rounds the time to its next token down answers "Retry-After: 0" while still limiting.
    task_id = sim.gz_create_task(subtasks=20, duration=0, failures=0)
    sim.configure(gz_rate=1, gz_burst=1, gz_retry_after=0)
    requests_seen = record_gz_requests(sim, monkeypatch)

    run = run_gz(run_tasks, [status_task(sim, task_id=task_id, per_page=10)])

    refused = [request for request in requests_seen if request["status"] == 429]
    assert refused, "the simulator did not rate limit: the test proves nothing"
    assert run.rc == 0, run.describe()
    assert (len(run.ok_result()["subtasks"]), run.ok_result()["pages_fetched"]) == (20, 2)


def test_retry_after_past_the_deadline_gives_up_at_once(sim, run_tasks):
    sim.configure(gz_rate=0.01, gz_burst=1, gz_retry_after=120)
    gz_rpc(sim, SEED_V10_PARAMS, version="1.0")  # the one token there was

    run = run_gz(run_tasks, [status_task(sim, task_id=SEED_V11_TASK, timeout=5)])

    assert run.rc == 2, run.describe()
    result = run.failed_result()
    assert "HTTP 429" in result["msg"] and "120 s" in result["msg"] and "timeout" in result["msg"]
    assert result["http_status"] == 429
    assert run.record()["duration"] < 10  # it did not sleep two minutes, nor the whole deadline
    assert [entry["http_status"] for entry in gz_log(sim)] == [200, 429]
