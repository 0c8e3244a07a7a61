"""Failed endpoints: a finished task that did not succeed, fail_on_subtask_error, and pending subtasks sent as 0."""

from tests.integration.gz_helpers import (
    SEED_V10_TASK,
    TASK_KEYS,
    ignoring_errors,
    normalised_subtask,
    raw_subtasks,
    record_gz_requests,
    run_gz,
    status_task,
    task_fields,
)


def test_failed_subtasks_are_reported_and_fail_only_when_asked(sim, run_tasks):
    task_id = sim.gz_create_task(subtasks=12, duration=0, failures=7)
    clean_id = sim.gz_create_task(subtasks=4, duration=0, failures=0)
    expected = [normalised_subtask(raw) for raw in raw_subtasks(sim, task_id)]
    failed = [subtask for subtask in expected if subtask["failed"]]
    assert len(failed) == 7 and all(subtask["error_code"] and subtask["error_message"] for subtask in failed)

    run = run_gz(run_tasks, [
        status_task(sim, "report", task_id=task_id),
        status_task(sim, "clean gate", task_id=clean_id, fail_on_subtask_error=True),
        status_task(sim, "gate", task_id=task_id, fail_on_subtask_error=True),
    ])

    assert run.rc == 2, run.describe()  # the gate failed the play; the report before it did not
    report = run.ok_result("report")
    assert (report["finished"], report["status_name"], report["succeeded"]) == (True, "finished", False)
    assert report["subtasks"] == expected
    assert report["failed_subtasks"] == failed
    assert report["subtask_counts"] == {"pending": 0, "in_progress": 0, "finished": 12, "unknown": 0, "failed": 7}

    gate = run.failed_result("gate")
    msg = gate["msg"]
    assert msg.startswith("GravityZone task %s: 7 of its endpoints failed: " % task_id), msg
    # The first five are listed by name with their code and message, the rest counted.
    for subtask in failed[:5]:
        assert "%s (error %s: %s)" % (subtask["endpoint_name"], subtask["error_code"], subtask["error_message"]) in msg
    assert msg.endswith(" and 2 more"), msg
    assert all(subtask["endpoint_name"] not in msg for subtask in failed[5:])
    # The failure still returns the task, as a success would.
    assert task_fields(gate) == task_fields(report)
    assert set(TASK_KEYS) <= set(gate)

    clean = run.ok_result("clean gate")  # nothing failed: the gate lets it through
    assert (clean["succeeded"], clean["failed_subtasks"], clean["subtask_counts"]["finished"]) == (True, [], 4)


def test_pending_subtasks_sent_as_zero_are_pending(sim, run_tasks, monkeypatch):
    sim.configure(gz_pending_as_zero=True)  # as real consoles do
    requests_seen = record_gz_requests(sim, monkeypatch)

    run = run_gz(run_tasks, [ignoring_errors(status_task(sim, task_id=SEED_V10_TASK, fail_on_subtask_error=True))])

    assert run.rc == 0, run.describe()
    sent = requests_seen[0]["reply"]["result"]["subtasks"]
    assert [subtask["status"] for subtask in sent] == [0, 0]  # what the module was given
    result = run.ok_result()
    assert [(subtask["status"], subtask["status_name"], subtask["failed"]) for subtask in result["subtasks"]] == [
        (0, "pending", False), (0, "pending", False)]
    assert result["subtask_counts"] == {"pending": 2, "in_progress": 0, "finished": 0, "unknown": 0, "failed": 0}
    assert (result["status"], result["status_name"], result["finished"], result["succeeded"]) == (
        1, "pending", False, None)
    assert result["subtasks"] == [normalised_subtask(raw) for raw in sent]
