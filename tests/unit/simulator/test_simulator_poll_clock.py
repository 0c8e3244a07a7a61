"""The "poll" task clock: simulated tasks of both products move one step per progress read, not with time."""

import time

from tests.unit.simulator.test_simulator_faz_logsearch import add, count, payload, tid_of


def faz_percentages(client, tid, reads):
    answers = [client.fortiview("get", "top-sources", tid=tid)["result"][0]["data"] for _ in range(reads)]
    return [(data["status"], data["percentage"]) for data in answers]


def test_faz_task_moves_one_step_per_read_whatever_the_time(client, sim):
    sim.configure(task_clock="poll")
    tid = sim.faz_create_task(view="top-sources", duration=3)
    time.sleep(0.2)  # wall-clock time passing moves nothing
    assert faz_percentages(client, tid, 5) == [("running", 0), ("running", 33), ("running", 66), ("done", 100),
                                               ("done", 100)]


def test_poll_step_sets_how_far_one_read_moves(client, sim):
    sim.configure(task_clock="poll", task_poll_step=2)
    tid = sim.faz_create_task(view="top-sources", duration=4)
    assert faz_percentages(client, tid, 3) == [("running", 0), ("running", 50), ("done", 100)]


def test_each_task_has_its_own_reads(client, sim):
    sim.configure(task_clock="poll")
    first = sim.faz_create_task(view="top-sources", duration=2)
    second = sim.faz_create_task(view="top-sources", duration=2)
    assert faz_percentages(client, first, 2) == [("running", 0), ("running", 50)]
    assert faz_percentages(client, second, 1) == [("running", 0)]


def test_wall_clock_is_the_default_and_reads_do_not_move_it(client, sim):
    assert sim.settings()["task_clock"] == "wall"
    tid = sim.faz_create_task(view="top-sources", duration=60)
    assert [status for status, _ in faz_percentages(client, tid, 4)] == ["running"] * 4


def test_gz_task_moves_per_read(client, sim):
    sim.configure(task_clock="poll")
    task_id = sim.gz_create_task(subtasks=4, duration=3, failures=0)
    statuses = [client.task_status(task_id)["result"]["status"] for _ in range(5)]
    assert statuses[0] == 1  # as created: every subtask pending
    assert statuses[-1] == 3 and statuses.index(3) <= 4  # finished within duration / step + 1 reads
    assert statuses == sorted(statuses)


def test_log_search_moves_per_read(client, sim):
    sim.configure(task_clock="poll", faz_logsearch_duration=2)
    tid = tid_of(add(client))
    percentages = [payload(count(client, tid))["progress-percent"] for _ in range(4)]
    assert percentages == [0, 50, 100, 100]
