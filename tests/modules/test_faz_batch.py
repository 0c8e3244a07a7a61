"""tids: several tasks in one run, fetched in parallel over one session."""

import pytest

from tests.integration.helpers import FAZ_VIEWER, faz_connection, faz_log, module_task
from tests.integration.seed_data import SEED_TASKS, TOP_SOURCES


def faz_counters(sim):
    return sim.counters()["faz"]


@pytest.mark.parametrize("seed", SEED_TASKS, ids=repr)
def test_tids_are_returned_in_order_over_one_session(sim, run_tasks, seed):
    tids = [seed.tid, seed.running_tid, seed.tid]

    run = run_tasks([module_task(seed.module, tids=tids, **faz_connection(sim))])

    assert run.rc == 0, run.describe()
    result = run.ok_result()
    results = result["results"]
    assert [(item["tid"], item["status"], item["percentage"]) for item in results] == [
        (seed.tid, "done", 100), (seed.running_tid, "running", seed.running_percentage), (seed.tid, "done", 100)]
    assert [row["raw"] for row in results[0][seed.rows_key]] == seed.rows
    assert results[1][seed.rows_key] == []
    assert result["ansible_facts"][seed.facts_key] == {"results": results}
    assert sorted(entry["url"] for entry in faz_log(sim, "get")) == sorted(
        ["/fortiview/adom/root/%s/run/%d" % (seed.view, tid) for tid in (seed.tid, seed.running_tid)])  # once each
    counters = faz_counters(sim)
    assert (counters["logins"], counters["logouts"]) == (1, 1)


def test_tids_with_an_unknown_task_fail_and_still_report_the_others(sim, run_tasks):
    run = run_tasks([module_task("faz_top_sources_result", tids=[TOP_SOURCES.tid, 99999], **faz_connection(sim))])

    assert run.rc == 2, run.describe()
    result = run.failed_result()
    assert result["msg"].startswith("1 of 2 FortiView tasks failed: ")
    assert "task 99999 not found in ADOM root" in result["msg"]
    done, missing = result["results"]
    assert [row["raw"] for row in done["sources"]] == TOP_SOURCES.rows and done.get("failed") is not True
    assert (missing["tid"], missing["failed"], missing["sources"]) == (99999, True, [])
    assert "expire" in missing["msg"]


def test_tids_wait_for_every_task(sim, run_tasks):
    tids = [sim.faz_create_task(view="top-sources", adom="root", duration=duration) for duration in (1, 2.5)]

    run = run_tasks([module_task("faz_top_sources_result", tids=tids, wait=True, **faz_connection(sim))])

    assert run.rc == 0, run.describe()
    results = run.ok_result()["results"]
    assert [(item["tid"], item["done"], item["total"]) for item in results] == [(tid, True, 10) for tid in tids]
    assert len(faz_log(sim, "get")) <= 12


def test_tids_viewer_logs_in_again_once_for_all_tasks(sim, run_tasks):
    user, password = FAZ_VIEWER
    tids = [TOP_SOURCES.tid, TOP_SOURCES.running_tid, 13999, 14000]

    run = run_tasks([module_task("faz_top_sources_result", tids=tids,
                                    **faz_connection(sim, username=user, password=password))])

    assert run.rc == 2, run.describe()
    result = run.failed_result()
    assert result["msg"].startswith("4 of 4 FortiView tasks failed")
    assert all(item["failed"] and item["code"] == -11 for item in result["results"])
    counters = faz_counters(sim)
    # Parallel calls all see -11: still one new login for the run, not one per task.
    assert (counters["logins"], counters["logouts"], counters["open_sessions"]) == (2, 2, 0)


def test_tids_with_a_dead_session_log_in_once(sim, run_tasks):
    created = [sim.faz_create_task(view="top-sources", adom="root", status="done"),
               sim.faz_create_task(view="top-sources", adom="root", status="done")]
    tids = [TOP_SOURCES.tid, TOP_SOURCES.running_tid] + created

    run = run_tasks([module_task("faz_top_sources_result", tids=tids,
                                    **faz_connection(sim, session_id="ZXhwaXJlZC1zZXNzaW9u"))])

    assert run.rc == 0, run.describe()
    assert [item["status"] for item in run.ok_result()["results"]] == ["done", "running", "done", "done"]
    counters = faz_counters(sim)
    # Every parallel call with the dead session sees -11; one login replaces it for all of them.
    assert (counters["logins"], counters["logouts"]) == (1, 1)
    assert [entry["code"] for entry in faz_log(sim, "get")].count(0) == 4
