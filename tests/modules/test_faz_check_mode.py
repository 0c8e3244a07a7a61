"""--check: the modules only read, so they do the same work and report the same result, unchanged."""

import pytest

from tests.integration.helpers import faz_connection, module_task
from tests.integration.seed_data import SEED_TASKS, TOP_SOURCES


@pytest.mark.parametrize("seed", SEED_TASKS, ids=repr)
def test_check_mode_returns_the_same_result(sim, run_tasks, seed):
    tasks = [module_task(seed.module, tid=seed.tid, **faz_connection(sim))]

    checked = run_tasks(tasks, check=True)
    normal = run_tasks(tasks)

    assert checked.rc == 0, checked.describe()
    result = checked.ok_result()
    assert result["changed"] is False
    assert [row["raw"] for row in result[seed.rows_key]] == seed.rows
    ignored = ("invocation",)
    assert dict((key, value) for key, value in result.items() if key not in ignored) == \
        dict((key, value) for key, value in normal.ok_result().items() if key not in ignored)
    # The read really happened in check mode (and the session was logged out: checked after every test).
    assert [entry["url"] for entry in sim.log("faz")].count(seed.url) == 2


def test_check_mode_with_wait_on_a_running_task(sim, run_tasks):
    tid = sim.faz_create_task(view="top-sources", adom="root", duration=1)

    run = run_tasks([module_task("faz_top_sources_result", tid=tid, wait=True, poll_interval=0.5,
                                    **faz_connection(sim))], check=True)

    assert run.rc == 0, run.describe()
    result = run.ok_result()
    assert (result["done"], result["changed"], result["total"]) == (True, False, 10)


def test_check_mode_on_a_running_task_without_wait(sim, run_tasks):
    run = run_tasks([module_task("faz_top_sources_result", tid=TOP_SOURCES.running_tid, **faz_connection(sim))],
                       check=True)

    assert run.rc == 0, run.describe()
    result = run.ok_result()
    assert (result["done"], result["status"], result["percentage"], result["changed"]) == (False, "running", 65, False)
