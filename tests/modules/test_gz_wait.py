"""wait: true - polling the task alone until it is finished, then its subtasks once; giving up after wait_timeout."""

from tests.integration.gz_helpers import (
    SEED_V11_TASK,
    answered_status,
    record_gz_requests,
    run_gz,
    start_at_first_request,
    status_task,
)


def test_wait_polls_the_task_alone_then_fetches_the_subtasks_once(sim, run_tasks, monkeypatch):
    task_id = sim.gz_create_task(subtasks=20, duration=3, failures=0)
    start_at_first_request(sim, monkeypatch, task_id)
    requests_seen = record_gz_requests(sim, monkeypatch)

    run = run_gz(run_tasks, [status_task(sim, task_id=task_id, wait=True, poll_interval=0.5, wait_timeout=30)])

    assert run.rc == 0, run.describe()
    result = run.ok_result()
    assert (result["status"], result["status_name"], result["finished"], result["succeeded"]) == (
        3, "finished", True, True)
    assert result["subtask_counts"] == {"pending": 0, "in_progress": 0, "finished": 20, "unknown": 0, "failed": 0}
    assert all(subtask["end_date"] for subtask in result["subtasks"]) and len(result["subtasks"]) == 20
    assert (result["subtasks_complete"], result["pages_fetched"], result["total_targets"]) == (True, 1, 20)
    # Polls: the task alone (one small answer each), until it said finished...
    polls = requests_seen[:-1]
    assert len(polls) >= 2, "the task was finished at the first poll: nothing was waited for"
    assert answered_status(polls[0]) == 1  # started at the first poll: all pending
    assert [request["body"]["params"] for request in polls] == [
        {"taskId": task_id, "options": {"returnSubtasks": False}}] * len(polls)
    assert all(answered_status(request) in (1, 2) for request in polls[:-1])
    assert answered_status(polls[-1]) == 3
    assert all(request["reply"]["result"]["subtasks"] == [] for request in polls)
    # ...then the subtasks, once.
    assert requests_seen[-1]["body"]["params"] == {"taskId": task_id,
                                                   "options": {"returnSubtasks": True, "page": 1, "perPage": 100}}
    assert [request["status"] for request in requests_seen] == [200] * len(requests_seen)


def test_wait_on_a_finished_task_polls_once_and_wait_timeout_fails(sim, run_tasks, monkeypatch):
    requests_seen = record_gz_requests(sim, monkeypatch)
    task_id = sim.gz_create_task(subtasks=5, duration=60, failures=0)

    run = run_gz(run_tasks, [
        status_task(sim, "finished already", task_id=SEED_V11_TASK, wait=True),
        status_task(sim, "never in time", task_id=task_id, wait=True, wait_timeout=2, poll_interval=0.5),
    ])

    assert run.rc == 2, run.describe()
    assert run.ok_result("finished already")["finished"] is True
    seed_requests = [request for request in requests_seen if request["body"]["params"]["taskId"] == SEED_V11_TASK]
    assert [request["body"]["params"]["options"] for request in seed_requests] == [
        {"returnSubtasks": False}, {"returnSubtasks": True, "page": 1, "perPage": 100}]
    requests_seen = requests_seen[len(seed_requests):]

    record = run.record("never in time")
    result = run.failed_result("never in time")
    assert "wait_timeout=2" in result["msg"] and task_id in result["msg"]
    assert "still pending" in result["msg"] or "still in_progress" in result["msg"]
    assert (result["task_id"], result["finished"]) == (task_id, False)
    assert result["status"] in (1, 2)
    # It gave up after wait_timeout, not after the task's 60 s (the duration includes starting the module).
    assert 2 <= record["duration"] < 8, record["duration"]
    polled = requests_seen[-1]["at"] - requests_seen[0]["at"]
    assert 1.0 <= polled <= 5.0, polled  # within wait_timeout, plus a slow last answer on a loaded machine
    # Only task polls: no subtasks were fetched for a task that did not finish.
    assert all(request["body"]["params"]["options"] == {"returnSubtasks": False} for request in requests_seen)
    assert 2 <= len(requests_seen) <= 6
