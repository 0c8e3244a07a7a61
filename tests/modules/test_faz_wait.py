"""wait: true - polling until the task is done, and giving up after wait_timeout.

The simulator runs the "poll" task clock here (conftest.py): a task of 3 simulated seconds is read as
created, then one second later at each read, so it is done at exactly the 4th poll however slowly
the machine runs. Only the wait_timeout test is about wall-clock time.
"""

import pytest

from tests.integration.helpers import FAZ_API_KEY, faz_connection, faz_log, faz_rpc, module_task
from tests.integration.seed_data import SEED_TASKS, TOP_SOURCES


def task_url(view, tid):
    return "/fortiview/adom/root/%s/run/%d" % (view, tid)


@pytest.mark.parametrize("seed", SEED_TASKS, ids=repr)
def test_wait_returns_the_rows_once_the_task_is_done(sim, run_tasks, seed):
    tid = sim.faz_create_task(view=seed.view, adom="root", duration=3)
    run = run_tasks([module_task(seed.module, tid=tid, wait=True, poll_interval=0.25, **faz_connection(sim))])

    assert run.rc == 0, run.describe()
    result = run.ok_result(seed.module)
    assert (result["tid"], result["status"], result["done"], result["percentage"], result["total"]) == (
        tid, "done", True, 100, 10)
    polls = faz_log(sim, "get", task_url(seed.view, tid))
    # Polled at 0, 33 and 66 %, then once done: no read more, none less.
    assert len(polls) == 4, polls
    assert [entry["code"] for entry in polls] == [0] * len(polls)
    # The rows are the appliance's, as it sends them now that the task is done.
    appliance_rows = faz_rpc(sim, "get", task_url(seed.view, tid), api_key=FAZ_API_KEY)["result"][0]["data"][seed.rows_key]
    assert len(appliance_rows) == 10
    assert [row["raw"] for row in result[seed.rows_key]] == appliance_rows


def test_wait_in_the_real_shape(sim, run_tasks):
    sim.configure(faz_shape="real")  # percentages arrive as strings while it runs

    tid = sim.faz_create_task(view="top-sources", adom="root", duration=3)
    run = run_tasks([module_task("faz_top_sources_result", tid=tid, wait=True, poll_interval=0.25,
                                 **faz_connection(sim))])

    assert run.rc == 0, run.describe()
    result = run.ok_result("faz_top_sources_result")
    assert (result["status"], result["done"], result["percentage"], result["total"]) == ("done", True, 100, 10)
    assert all(row["bytes"] == row["raw"]["bandwidth"] for row in result["sources"])
    assert len(faz_log(sim, "get")) == 4


def test_wait_on_a_finished_task_reads_it_once(sim, run_tasks):
    run = run_tasks([module_task("faz_top_sources_result", tid=TOP_SOURCES.tid, wait=True, **faz_connection(sim))])

    assert run.rc == 0, run.describe()
    assert run.ok_result()["done"] is True
    assert len(faz_log(sim, "get")) == 1


def test_wait_timeout_fails_with_the_last_percentage(sim, run_tasks):
    sim.configure(task_clock="wall")  # giving up on time is the point here
    tid = sim.faz_create_task(view="top-sources", adom="root", duration=60)

    run = run_tasks([module_task("faz_top_sources_result", tid=tid, wait=True, wait_timeout=3, poll_interval=1,
                                    **faz_connection(sim))])

    assert run.rc == 2, run.describe()
    record = run.record()
    result = run.failed_result()
    assert (result["status"], result["done"]) == ("running", False)
    assert 0 < result["percentage"] < 20, result
    assert "still running at %d%%" % result["percentage"] in result["msg"]
    assert "wait_timeout=3" in result["msg"]
    # It gave up after wait_timeout, not after the task's 60 s (the duration includes starting the module).
    assert 3 <= record["duration"] < 10, record["duration"]
    assert len(faz_log(sim, "get")) <= 6
