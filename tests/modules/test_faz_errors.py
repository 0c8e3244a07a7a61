"""Failures a user can cause: unknown or expired tasks, a task in error, bad options, no appliance."""

import time

import pytest

from tests.integration.helpers import FAZ_API_KEY, closed_port, faz_connection, faz_log, faz_rpc, module_task
from tests.integration.seed_data import TOP_APPLICATIONS, TOP_SOURCES


@pytest.mark.parametrize("shape", ["seed", "real"])
def test_unknown_tid_fails_and_says_tasks_expire(sim, run_tasks, shape):
    sim.configure(faz_shape=shape)  # seed: status -3 "Invalid task ID"; real: error "Invalid tid 99999 ..."

    run = run_tasks([module_task("faz_top_sources_result", tid=99999, **faz_connection(sim))])

    assert run.rc == 2, run.describe()
    result = run.failed_result()
    assert "task 99999 not found in ADOM root" in result["msg"]
    assert "expire" in result["msg"]
    assert result["tid"] == 99999
    assert [entry["code"] for entry in faz_log(sim, "get")] == [-3]
    assert sim.counters()["faz"]["logouts"] == 1


@pytest.mark.parametrize("module, tid, adom", [
    (TOP_APPLICATIONS.module, TOP_SOURCES.tid, "root"),  # a top-sources task read as top-applications
    (TOP_SOURCES.module, TOP_SOURCES.tid, "branch-01"),  # the right task in the wrong ADOM
], ids=["other-view", "other-adom"])
def test_tid_of_another_view_or_adom_is_not_found(sim, run_tasks, module, tid, adom):
    run = run_tasks([module_task(module, tid=tid, adom=adom, **faz_connection(sim))])

    assert run.rc == 2, run.describe()
    msg = run.failed_result()["msg"]
    assert "task %d not found in ADOM %s" % (tid, adom) in msg
    assert "only works with the view and ADOM it was created for" in msg


def test_expired_tid_fails_and_says_tasks_expire(sim, run_tasks):
    sim.configure(faz_task_ttl=1.5)
    tid = sim.faz_create_task(view="top-sources", adom="root", status="done")
    url = "/fortiview/adom/root/top-sources/run/%d" % tid
    data = faz_rpc(sim, "get", url, api_key=FAZ_API_KEY)["result"][0]["data"]
    assert data["status"] == "done"  # it existed and finished...
    time.sleep(1.6)  # ...and is past its time to live now

    run = run_tasks([module_task("faz_top_sources_result", tid=tid, **faz_connection(sim))])

    assert run.rc == 2, run.describe()
    msg = run.failed_result()["msg"]
    assert "task %d not found in ADOM root" % tid in msg
    assert "expire" in msg


def test_task_in_error_fails(sim, run_tasks):
    tid = sim.faz_create_task(view="top-applications", adom="root", duration=0, status="error")

    run = run_tasks([module_task("faz_top_applications_result", tid=tid, **faz_connection(sim))])

    assert run.rc == 2, run.describe()
    result = run.failed_result()
    assert "ended with status 'error'" in result["msg"]
    assert (result["tid"], result["status"], result["done"]) == (tid, "error", False)


@pytest.mark.parametrize("overrides, expected", [
    pytest.param({"tid": 0}, "tid must be a positive integer", id="tid-0"),
    pytest.param({"tid": -5}, "tid must be a positive integer", id="tid-negative"),
    pytest.param({"tid": "abc"}, "argument 'tid' is of type str and we were unable to convert to int", id="tid-not-a-number"),
    pytest.param({"tid": None}, "one of the following is required: tid, tids", id="no-tid"),
    pytest.param({"tids": [TOP_SOURCES.tid]}, "parameters are mutually exclusive: tid|tids", id="tid-and-tids"),
    pytest.param({"tid": None, "tids": []}, "tids is empty", id="tids-empty"),
    pytest.param({"tid": None, "tids": [TOP_SOURCES.tid, 0]}, "tids must be a positive integer", id="tids-0"),
    pytest.param({"adom": "a/b"}, "is not a valid ADOM name", id="adom-slash"),
    pytest.param({"adom": ""}, "is not a valid ADOM name", id="adom-empty"),
    pytest.param({"host": None}, "host is required", id="no-host"),
    pytest.param({"host": "http://127.0.0.1"}, "https only", id="http-host"),
    pytest.param({"port": 70000}, "port 70000 is not a TCP port", id="bad-port"),
    pytest.param({"username": None, "password": None}, "no FortiAnalyzer credentials", id="no-credentials"),
    pytest.param({"password": None}, "no FortiAnalyzer credentials", id="no-password"),
    pytest.param({"timeout": 0}, "timeout must be a positive number", id="timeout-0"),
    pytest.param({"wait": True, "wait_timeout": 0}, "wait_timeout must be a positive number", id="wait-timeout-0"),
    pytest.param({"wait": True, "poll_interval": 0}, "poll_interval must be a positive number", id="poll-interval-0"),
])
def test_bad_input_fails_before_any_request(sim, run_tasks, overrides, expected):
    args = dict(tid=TOP_SOURCES.tid)
    args.update(overrides)
    connection = faz_connection(sim, **args)  # an option set to None is left out

    run = run_tasks([module_task("faz_top_sources_result", **connection)])

    assert run.rc == 2, run.describe()
    assert expected in run.failed_result()["msg"]
    assert sim.counters()["faz"]["requests"] == 0


def test_unreachable_appliance_fails_clearly_within_the_deadline(sim, run_tasks):
    port = closed_port()

    run = run_tasks([module_task("faz_top_sources_result", tid=TOP_SOURCES.tid,
                                    **faz_connection(sim, port=port, timeout=2))])

    assert run.rc == 2, run.describe()
    msg = run.failed_result()["msg"]
    assert "cannot reach FortiAnalyzer at https://127.0.0.1:%d" % port in msg
    assert "connection refused" in msg
    # timeout 2 without wait: the run, retries included, ends after 3 x 2 s.
    assert run.record()["duration"] < 10
