"""faz_fortiview_task and faz_fortiview_result: create a task of any view, wait for it, cancel it."""

import datetime

import pytest

from tests.integration.helpers import FAZ_API_KEY, faz_connection, faz_log, module_task

CREATED = pytest.mark.changing_modules("faz_fortiview_task")


def create(sim, **options):
    return module_task("faz_fortiview_task", **dict(faz_connection(sim), **options))


@CREATED
def test_create_then_wait_for_the_result_without_a_loop(sim, run_tasks):
    run = run_tasks([
        dict(create(sim, view="top-destinations", time_range={"last": "24h"}, limit=7, sort_by=["sessions"]),
             register="created"),
        module_task("faz_fortiview_result", view="top-destinations", tid="{{ created.tid }}", wait=True,
                    poll_interval=0.5, **faz_connection(sim)),
    ])

    assert run.rc == 0, run.describe()
    created = run.result("faz_fortiview_task")
    assert created["changed"] is True and created["tid"] >= 13000
    start = datetime.datetime.strptime(created["time_range"]["start"], "%Y-%m-%d %H:%M:%S")
    end = datetime.datetime.strptime(created["time_range"]["end"], "%Y-%m-%d %H:%M:%S")
    assert end - start == datetime.timedelta(hours=24)
    result = run.ok_result("faz_fortiview_result")
    expected = (created["tid"], "top-destinations", "done", True)
    assert (result["tid"], result["view"], result["status"], result["done"]) == expected
    assert len(result["rows"]) == 7 and all("dstip" in row and "raw" in row for row in result["rows"])
    sessions = [row["sessions"] for row in result["rows"]]
    assert sessions == sorted(sessions, reverse=True)
    facts = result["ansible_facts"]["faz_fortiview"]
    assert set(facts) == {"tid", "adom", "view", "status", "done", "percentage", "total", "rows"}
    assert all(facts[key] == result[key] for key in facts)
    adds = faz_log(sim, method="add")
    assert len(adds) == 1 and adds[0]["url"] == "/fortiview/adom/root/top-destinations/run"


@CREATED
def test_parameters_go_at_the_top_level_of_params(sim, run_tasks, faz_requests):
    run = run_tasks([create(sim, view="top-sources", filter="srcip==10.0.1.150", limit=3,
                               time_range={"start": "2026-11-20 08:00:00", "end": "2026-11-20 12:00:00"},
                               device=["FGT60F1234567890", "branch-fw"], sort_by=["bandwidth:asc"])])

    assert run.rc == 0, run.describe()
    sent = [body for body in faz_requests if body.get("method") == "add"]
    assert len(sent) == 1
    params = sent[0]["params"][0]
    assert params == {
        "url": "/fortiview/adom/root/top-sources/run", "apiver": 3,
        "time-range": {"start": "2026-11-20 08:00:00", "end": "2026-11-20 12:00:00"},
        "device": [{"devid": "FGT60F1234567890"}, {"devname": "branch-fw"}],
        "filter": "srcip==10.0.1.150", "limit": 3, "sort-by": [{"field": "bandwidth", "order": "asc"}],
    }
    assert "data" not in params


@CREATED
def test_check_mode_logs_in_reads_the_adom_and_sends_no_add(sim, run_tasks):
    run = run_tasks([create(sim, view="top-applications", limit=5, filter=None)], check=True)

    assert run.rc == 0, run.describe()
    result = run.ok_result()
    assert (result["changed"], result["tid"]) == (True, None)
    assert result["msg"] == "check mode: would create a top-applications task in ADOM root (nothing was changed)"
    request = result["request"]
    assert (request["method"], request["target"]) == ("add", "/fortiview/adom/root/top-applications/run")
    assert request["params"]["limit"] == 5 and request["params"]["time-range"] == result["time_range"]
    assert [(entry["method"], entry["url"]) for entry in faz_log(sim)] == [
        ("exec", "/sys/login/user"), ("get", "/dvmdb/adom/root"), ("exec", "/sys/logout")]
    counters = sim.counters()["faz"]
    assert (counters["tasks_created"], counters["open_sessions"]) == (0, 0)
    assert sim.faz_tasks_created() == 0


def test_check_mode_fails_on_an_adom_that_does_not_exist(sim, run_tasks):
    run = run_tasks([create(sim, view="top-sources", adom="nowhere")], check=True)

    result = run.failed_result()
    assert result["option"] == "adom" and "'nowhere' does not exist" in result["msg"]
    assert "add" not in [entry["method"] for entry in faz_log(sim)]
    assert sim.counters()["faz"]["tasks_created"] == 0


@CREATED
def test_check_mode_cancel_reads_the_task_and_leaves_it(sim, run_tasks):
    tid = sim.faz_create_task(view="top-sources", adom="root", duration=60)
    cancel = create(sim, view="top-sources", state="absent", tid=tid, api_key=FAZ_API_KEY, username=None,
                    password=None)

    run = run_tasks([cancel], check=True)

    result = run.ok_result()
    assert (result["changed"], result["cancelled"], result["tid"]) == (True, None, tid)
    assert result["request"] == {"method": "delete", "target": "/fortiview/adom/root/top-sources/run/%d" % tid,
                                 "params": {}}
    assert [entry["method"] for entry in faz_log(sim)] == ["get"]
    still_there = run_tasks([module_task("faz_top_sources_result", tid=tid, **faz_connection(sim))])
    assert still_there.rc == 0, still_there.describe()


def test_check_mode_cancel_of_a_task_that_is_gone_is_unchanged(sim, run_tasks):
    run = run_tasks([create(sim, view="top-sources", state="absent", tid=99999)], check=True)

    result = run.ok_result()
    assert (result["changed"], result["cancelled"]) == (False, False)
    assert "delete" not in [entry["method"] for entry in faz_log(sim)]


@CREATED
def test_cancel_a_task_then_cancel_it_again(sim, run_tasks):
    tid = sim.faz_create_task(view="top-sources", adom="root", duration=60)
    cancel = create(sim, view="top-sources", state="absent", tid=tid)

    first = run_tasks([cancel])
    second = run_tasks([cancel])

    assert first.ok_result()["changed"] is True and first.ok_result()["cancelled"] is True
    assert second.ok_result()["changed"] is False and second.ok_result()["cancelled"] is False
    gone = run_tasks([module_task("faz_top_sources_result", tid=tid, **faz_connection(sim))])
    assert "not found" in gone.failed_result()["msg"]


@pytest.mark.parametrize("options, option, words", [
    ({"view": "top-sources", "filter": "dstip==1.1.1.1"}, "filter", "it accepts: srcip"),
    ({"view": "top-sources", "sort_by": ["color"]}, "sort_by", "can be sorted by"),
    ({"view": "top-sources", "time_range": {"start": "2026-11-20 12:00:00", "end": "2026-11-20 08:00:00"}},
     "time_range", "before it starts"),
    ({"view": "top-sources", "time_range": {"last": "yesterday"}}, "time_range", "not a duration"),
    ({"view": "top-sources", "limit": 0}, "limit", "between 1 and"),
    ({"view": "top-sources", "adom": "a/b"}, "adom", "not a valid ADOM"),
    ({"view": "top-sources", "state": "absent", "tid": 0}, "tid", "positive integer"),
])
def test_bad_options_fail_before_any_request(sim, run_tasks, options, option, words):
    run = run_tasks([create(sim, **options)])

    result = run.failed_result()
    assert words in result["msg"] and result.get("option") == option, result["msg"]
    assert sim.counters()["faz"]["requests"] == 0


def test_unknown_view_is_refused_by_the_argument_spec(sim, run_tasks):
    run = run_tasks([module_task("faz_fortiview_result", view="top-everything", tid=1, **faz_connection(sim))])

    assert "top-sources" in run.failed_result()["msg"]
    assert sim.counters()["faz"]["requests"] == 0


def test_result_of_a_generic_view_in_the_real_shape(sim, run_tasks):
    sim.configure(faz_shape="real")
    tid = sim.faz_create_task(view="policy-hits", adom="root", duration=0)

    run = run_tasks([module_task("faz_fortiview_result", view="policy-hits", tid=tid, **faz_connection(sim))])

    result = run.ok_result()
    assert (result["status"], result["done"], result["percentage"]) == ("done", True, 100)
    assert result["rows"] and all(row["raw"]["policyid"] == row["policyid"] for row in result["rows"])
