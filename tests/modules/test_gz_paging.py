"""Paging: every page of a 5,000-subtask task fetched exactly once, within the rate limit; max_pages; page."""

from tests.integration.gz_helpers import (
    BIG_TASK,
    BIG_TASK_FAILED,
    BIG_TASK_SUBTASKS,
    gz_log,
    ignoring_errors,
    normalised_subtask,
    raw_subtasks,
    run_gz,
    status_task,
    subtask_pages,
)


def test_every_page_of_5000_subtasks_once_within_the_rate_limit(sim, run_tasks):
    expected = [normalised_subtask(raw) for raw in raw_subtasks(sim, BIG_TASK)]
    assert len(expected) == BIG_TASK_SUBTASKS
    sim.reset()  # the test's own reads are not the module's

    run = run_gz(run_tasks, [
        status_task(sim, "default per_page", task_id=BIG_TASK),
        status_task(sim, "per_page 1000", task_id=BIG_TASK, per_page=1000),
        ignoring_errors(status_task(sim, "max_pages too small", task_id=BIG_TASK, per_page=500, max_pages=3)),
    ])

    for name, per_page, pages in (("default per_page", 100, 50), ("per_page 1000", 1000, 5)):
        result = run.ok_result(name)
        assert result["subtasks"] == expected, name
        assert len(set(subtask["endpoint_id"] for subtask in result["subtasks"])) == BIG_TASK_SUBTASKS
        assert len(result["failed_subtasks"]) == BIG_TASK_FAILED
        assert result["failed_subtasks"] == [subtask for subtask in expected if subtask["failed"]]
        assert result["subtask_counts"] == {"pending": 0, "in_progress": 0, "finished": BIG_TASK_SUBTASKS,
                                            "unknown": 0, "failed": BIG_TASK_FAILED}
        assert (result["finished"], result["succeeded"], result["subtasks_complete"]) == (True, False, True)
        assert (result["pages_fetched"], result["total_targets"]) == (pages, BIG_TASK_SUBTASKS)
        assert (result["name"], result["type_name"]) == ("Full Scan 2025-12-16", "scan")
        # Each page requested once, in order: none skipped, none twice.
        assert subtask_pages(sim, perPage=per_page) == [(page, per_page) for page in range(1, pages + 1)], name

    failure = run.failed_result("max_pages too small")
    assert "more than 3 pages" in failure["msg"] and "max_pages" in failure["msg"]
    assert failure["task_id"] == BIG_TASK
    assert subtask_pages(sim, perPage=500) == [(1, 500), (2, 500), (3, 500)]

    # 50 + 5 + 3 requests, every one answered: the module stayed under 10 requests a second.
    assert len(gz_log(sim)) == 58
    assert all(entry["http_status"] == 200 for entry in gz_log(sim))
    assert sim.counters()["gz"]["rate_limited"] == 0


def test_page_alone_fetches_only_that_page(sim, run_tasks):
    raw = raw_subtasks(sim, BIG_TASK)
    pages = [raw[first:first + 10] for first in range(0, len(raw), 10)]
    clean = next(number for number, page in enumerate(pages, 1) if not any("errorCode" in sub for sub in page))
    failing = next(number for number, page in enumerate(pages, 1) if any("errorCode" in sub for sub in page))
    sim.reset()

    run = run_gz(run_tasks, [
        status_task(sim, "clean page", task_id=BIG_TASK, page=clean, per_page=10),
        status_task(sim, "page with a failure", task_id=BIG_TASK, page=failing, per_page=10),
    ])

    assert run.rc == 0, run.describe()
    assert subtask_pages(sim) == [(clean, 10), (failing, 10)]
    assert len(gz_log(sim)) == 2
    for name, number, succeeded in (("clean page", clean, None), ("page with a failure", failing, False)):
        result = run.ok_result(name)
        assert result["subtasks"] == [normalised_subtask(sub) for sub in pages[number - 1]], name
        assert (result["pages_fetched"], result["subtasks_complete"]) == (1, False), name
        # Not every subtask is known: only a failure seen decides it.
        assert (result["finished"], result["succeeded"]) == (True, succeeded), name
        assert result["total_targets"] == BIG_TASK_SUBTASKS
