"""task_ids: several tasks in one run, results in the order given, one failed task failing the run."""

from tests.integration.gz_helpers import (
    SEED_V10_TASK,
    SEED_V11_TASK,
    TASK_KEYS,
    UNKNOWN_TASK,
    gz_log,
    ignoring_errors,
    run_gz,
    status_task,
    task_fields,
)


def test_batch_results_in_order_and_an_unknown_task_fails_the_run(sim, run_tasks):
    waited = [sim.gz_create_task(subtasks=3, duration=2, failures=0) for number in range(2)]
    done = sim.gz_create_task(subtasks=4, duration=0, failures=1)

    run = run_gz(run_tasks, [
        status_task(sim, "wait for two", task_ids=waited, wait=True, poll_interval=0.5, wait_timeout=30),
        ignoring_errors(status_task(sim, "one unknown", task_ids=[done, UNKNOWN_TASK, SEED_V11_TASK])),
        status_task(sim, "all known", task_ids=[SEED_V11_TASK, done, SEED_V10_TASK]),
        status_task(sim, "one alone", task_id=done),
    ])

    assert run.rc == 0, run.describe()
    alone = task_fields(run.ok_result("one alone"))
    seed = task_fields(run.ok_result("all known")["results"][0])

    both = run.ok_result("wait for two")
    assert [entry["task_id"] for entry in both["results"]] == waited
    assert all((entry["finished"], entry["succeeded"], len(entry["subtasks"])) == (True, True, 3)
               for entry in both["results"])

    failure = run.failed_result("one unknown")
    assert failure["msg"].startswith("1 of 3 GravityZone tasks failed: GravityZone task %s was not found" % UNKNOWN_TASK)
    results = failure["results"]
    assert [entry["task_id"] for entry in results] == [done, UNKNOWN_TASK, SEED_V11_TASK]
    assert [entry.get("failed", False) for entry in results] == [False, True, False]
    assert "was not found" in results[1]["msg"]
    # The others are read in full, as if read alone.
    assert task_fields(results[0]) == alone
    assert task_fields(results[2]) == seed

    known = run.ok_result("all known")
    assert [entry["task_id"] for entry in known["results"]] == [SEED_V11_TASK, done, SEED_V10_TASK]
    assert all(set(TASK_KEYS) <= set(entry) and not entry.get("failed") for entry in known["results"])
    assert task_fields(known["results"][1]) == alone
    assert (alone["succeeded"], len(alone["failed_subtasks"])) == (False, 1)
    assert [entry["status_name"] for entry in known["results"]] == ["finished", "finished", "pending"]
    assert known["ansible_facts"]["gz_task"] == {"results": known["results"]}
    assert "task_id" not in known  # one task's keys only with task_id
    assert sim.counters()["gz"]["rate_limited"] == 0
    assert [entry["http_status"] for entry in gz_log(sim)] == [200] * len(gz_log(sim))
