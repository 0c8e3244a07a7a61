"""Failures a user can cause: unknown or expired tasks, a task in error, bad options, no appliance."""

import time

import pytest

from tests.integration.helpers import FAZ_API_KEY, closed_port, faz_connection, faz_log, faz_rpc, module_task
from tests.integration.seed_data import TOP_APPLICATIONS, TOP_SOURCES


@pytest.mark.parametrize("shape", ["seed", "real"])
def test_unknown_tid_fails_and_says_tasks_expire(sim, run_playbook, shape):
    sim.configure(faz_shape=shape)  # seed: status -3 "Invalid task ID"; real: error "Invalid tid 99999 ..."

    run = run_playbook([module_task("faz_top_sources_result", tid=99999, **faz_connection(sim))])

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
def test_tid_of_another_view_or_adom_is_not_found(sim, run_playbook, module, tid, adom):
    run = run_playbook([module_task(module, tid=tid, adom=adom, **faz_connection(sim))])

    assert run.rc == 2, run.describe()
    msg = run.failed_result()["msg"]
    assert "task %d not found in ADOM %s" % (tid, adom) in msg
    assert "only works with the view and ADOM it was created for" in msg


def test_expired_tid_fails_and_says_tasks_expire(sim, run_playbook):
    sim.configure(faz_task_ttl=1)
    tid = sim.faz_create_task(view="top-sources", adom="root", duration=0.2)
    url = "/fortiview/adom/root/top-sources/run/%d" % tid
    time.sleep(0.3)
    data = faz_rpc(sim, "get", url, api_key=FAZ_API_KEY)["result"][0]["data"]
    assert data["status"] == "done"  # it existed and finished...
    time.sleep(1.1)  # ...and is past its time to live now

    run = run_playbook([module_task("faz_top_sources_result", tid=tid, **faz_connection(sim))])

    assert run.rc == 2, run.describe()
    msg = run.failed_result()["msg"]
    assert "task %d not found in ADOM root" % tid in msg
    assert "expire" in msg


def test_task_in_error_fails(sim, run_playbook):
    tid = sim.faz_create_task(view="top-applications", adom="root", duration=0, status="error")

    run = run_playbook([module_task("faz_top_applications_result", tid=tid, **faz_connection(sim))])

    assert run.rc == 2, run.describe()
    result = run.failed_result()
    assert "ended with status 'error'" in result["msg"]
    assert (result["tid"], result["status"], result["done"]) == (tid, "error", False)


@pytest.mark.parametrize("overrides, expected", [
    ({"tid": 0}, "tid must be a positive integer"),
    ({"tid": -5}, "tid must be a positive integer"),
    ({"tid": "abc"}, "tid"),
    ({"adom": "a/b"}, "is not a valid ADOM name"),
    ({"adom": ""}, "is not a valid ADOM name"),
    ({"host": None}, "host is required"),
    ({"host": "http://127.0.0.1"}, "https only"),
    ({"port": 70000}, "port 70000 is not a TCP port"),
    ({"username": None, "password": None}, "no FortiAnalyzer credentials"),
    ({"password": None}, "no FortiAnalyzer credentials"),
    ({"timeout": 0}, "timeout must be a positive number"),
    ({"wait": True, "wait_timeout": 0}, "wait_timeout must be a positive number"),
    ({"wait": True, "poll_interval": 0}, "poll_interval must be a positive number"),
], ids=["tid-0", "tid-negative", "tid-not-a-number", "adom-slash", "adom-empty", "no-host", "http-host", "bad-port",
        "no-credentials", "no-password", "timeout-0", "wait-timeout-0", "poll-interval-0"])
def test_bad_input_fails_before_any_request(sim, run_playbook, overrides, expected):
    args = dict(tid=TOP_SOURCES.tid)
    args.update(overrides)
    connection = faz_connection(sim, **dict((key, value) for key, value in args.items() if value is not None))
    for key, value in args.items():
        if value is None:
            connection.pop(key, None)

    run = run_playbook([module_task("faz_top_sources_result", **connection)])

    assert run.rc == 2, run.describe()
    assert expected in run.failed_result()["msg"]
    assert sim.counters()["faz"]["requests"] == 0


def test_unreachable_appliance_fails_clearly_within_the_deadline(sim, run_playbook):
    port = closed_port()

    run = run_playbook([module_task("faz_top_sources_result", tid=TOP_SOURCES.tid,
                                    **faz_connection(sim, port=port, timeout=2))])

    assert run.rc == 2, run.describe()
    msg = run.failed_result()["msg"]
    assert "cannot reach FortiAnalyzer at https://127.0.0.1:%d" % port in msg
    assert "connection refused" in msg
    # timeout 2 without wait: the run, retries included, ends after 3 x 2 s.
    assert run.record()["duration"] < 10
