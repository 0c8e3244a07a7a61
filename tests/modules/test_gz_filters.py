"""Subtask filters: sent as subtaskFilters on every page, applied by the console, and checked before sending."""

from tests.integration.gz_helpers import (
    BIG_TASK,
    BIG_TASK_SUBTASKS,
    SEED_V11_TASK,
    gz_log,
    ignoring_errors,
    normalised_subtask,
    raw_subtasks,
    run_gz,
    status_task,
    subtask_pages,
)

AFTER = "2025-12-16T22:05:00"
BEFORE = "2025-12-16T22:07:30"


def test_filters_are_sent_on_every_page_and_applied(sim, run_tasks):
    everything = raw_subtasks(sim, BIG_TASK)
    # Inclusive at both ends (the API document's "ended after/before"), finished ones only.
    expected = [normalised_subtask(raw) for raw in everything
                if raw["status"] == 3 and AFTER <= raw["endDate"] <= BEFORE]
    assert 100 < len(expected) < 300 and any(subtask["failed"] for subtask in expected)
    pages = (len(expected) + 99) // 100
    sim.reset()

    run = run_gz(run_tasks, [status_task(sim, task_id=BIG_TASK, subtask_status="finished", ended_after=AFTER,
                                            ended_before=BEFORE)])

    assert run.rc == 0, run.describe()
    result = run.ok_result()
    assert result["subtasks"] == expected
    assert result["failed_subtasks"] == [subtask for subtask in expected if subtask["failed"]]
    assert result["pages_fetched"] == pages
    # A filtered list is not the whole task: a failure seen decides, nothing else could.
    assert (result["subtasks_complete"], result["succeeded"], result["total_targets"]) == (False, False,
                                                                                           BIG_TASK_SUBTASKS)
    filters = {"status": 3, "endedAfter": AFTER, "endedBefore": BEFORE}
    assert [entry["filters"] for entry in gz_log(sim)] == [filters] * pages
    assert subtask_pages(sim) == [(page, 100) for page in range(1, pages + 1)]


def test_each_filter_alone(sim, run_tasks):
    run = run_gz(run_tasks, [
        status_task(sim, "in progress", task_id=SEED_V11_TASK, subtask_status="in_progress"),
        status_task(sim, "ended before", task_id=SEED_V11_TASK, ended_before="2024-03-15T17:58:40"),
        status_task(sim, "ended after", task_id=SEED_V11_TASK, ended_after="2024-03-15T18:00:00"),
        status_task(sim, "pending", task_id=SEED_V11_TASK, subtask_status="pending"),
    ])

    assert run.rc == 0, run.describe()
    names = dict((name, [sub["endpoint_name"] for sub in run.ok_result(name)["subtasks"]])
                 for name in ("in progress", "ended before", "ended after", "pending"))
    assert names == {
        "in progress": ["bdvm-virtual-machine"],
        "ended before": ["Computer 10-L9OWIy", "FIN-LAPTOP-07", "i-0a1b2c3d4e5f60718"],  # 17:58:40 included
        "ended after": ["srv-dc-01", "bdvm-virtual-machine"],
        "pending": [],
    }
    assert [entry["filters"] for entry in gz_log(sim)] == [
        {"status": 2}, {"endedBefore": "2024-03-15T17:58:40"}, {"endedAfter": "2024-03-15T18:00:00"}, {"status": 1}]
    # Not the whole task: succeeded only turns false on a failure seen, never true.
    assert [run.ok_result(name)["succeeded"] for name in ("in progress", "ended before", "ended after", "pending")] == [
        False, False, False, None]
    assert not any(run.ok_result(name)["subtasks_complete"] for name in names)


def test_bad_filters_fail_before_any_request(sim, run_tasks):
    cases = [
        ("same time", dict(ended_after="2024-03-15T18:00:00", ended_before="2024-03-15T18:00:00"), "ended_after"),
        ("reversed", dict(ended_after="2024-03-16T00:00:00", ended_before="2024-03-15T00:00:00"), "ended_after"),
        ("not a date", dict(ended_after="15/03/2024 18:00"), "ended_after"),
        ("filter with 1.0", dict(subtask_status="finished", api_version="1.0"), "subtask_status"),
    ]

    run = run_gz(run_tasks, [ignoring_errors(status_task(sim, name, task_id=SEED_V11_TASK, **options))
                                for name, options, option in cases])

    for name, options, option in cases:
        msg = run.failed_result(name)["msg"]
        assert option in msg, (name, msg)
    assert "must be earlier than ended_before" in run.failed_result("same time")["msg"]
    assert "YYYY-MM-DDTHH:MM[:SS]" in run.failed_result("not a date")["msg"]
    assert sim.counters()["gz"]["requests"] == 0
