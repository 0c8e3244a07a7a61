"""The seed examples, both reply shapes, the facts, and a running task read without waiting."""

import pytest

from tests.integration.helpers import faz_connection, faz_log, module_task
from tests.integration.seed_data import SEED_TASKS, TOP_SOURCES

RESULT_KEYS = ("tid", "adom", "view", "status", "done", "percentage", "total")


def without_raw(rows):
    return [dict((key, value) for key, value in row.items() if key != "raw") for row in rows]


@pytest.mark.parametrize("seed", SEED_TASKS, ids=repr)
def test_seed_task_returns_exactly_the_seed_rows(sim, run_tasks, faz_requests, seed):
    run = run_tasks([module_task(seed.module, tid=seed.tid, **faz_connection(sim))])

    assert run.rc == 0, run.describe()
    result = run.ok_result()
    assert dict((key, result[key]) for key in RESULT_KEYS) == {
        "tid": seed.tid, "adom": "root", "view": seed.view, "status": "done", "done": True, "percentage": 100,
        "total": seed.total}
    assert without_raw(result[seed.rows_key]) == seed.rows
    assert [row["raw"] for row in result[seed.rows_key]] == seed.rows


@pytest.mark.parametrize("seed", SEED_TASKS, ids=repr)
def test_seed_task_is_fetched_with_the_seed_request(sim, run_tasks, faz_requests, seed):
    run = run_tasks([module_task(seed.module, tid=seed.tid, **faz_connection(sim))])

    assert run.rc == 0, run.describe()
    assert [(entry["method"], entry["url"], entry["auth"], entry["code"]) for entry in sim.log("faz")] == [
        ("exec", "/sys/login/user", "none", 0),
        ("get", seed.url, "session", 0),
        ("exec", "/sys/logout", "session", 0),
    ]
    login, fetch, logout = faz_requests
    expected = seed.request
    assert fetch["method"] == expected["method"]
    assert fetch["params"] == expected["params"]  # url and apiver 3, nothing else
    assert isinstance(fetch["id"], int)
    # The session the module logged in with, which it logs out at the end; jsonrpc "2.0" is what
    # real apiver-3 appliances also expect (docs: protocols.md).
    assert fetch["session"] == logout["session"] and fetch["session"]
    assert set(fetch) <= set(expected) | {"jsonrpc"}
    assert login["params"][0]["url"] == "/sys/login/user" and "session" not in login


@pytest.mark.parametrize("seed", SEED_TASKS, ids=repr)
def test_seed_task_in_the_real_shape(sim, run_tasks, seed):
    sim.configure(faz_shape="real")  # the seed rows with real field names: total bytes as 'bandwidth'

    run = run_tasks([module_task(seed.module, tid=seed.tid, **faz_connection(sim))])

    assert run.rc == 0, run.describe()
    result = run.ok_result()
    assert (result["status"], result["done"], result["percentage"], result["total"]) == ("done", True, 100, 3)
    rows = result[seed.rows_key]
    assert [row["bytes"] for row in rows] == [row["bytes"] for row in seed.rows]
    assert [row["raw"]["bandwidth"] for row in rows] == [row["bytes"] for row in seed.rows]
    assert [row["bandwidth"] for row in rows] == [None] * 3  # real units report no rate
    assert [row["sessions"] for row in rows] == [row["sessions"] for row in seed.rows]
    name = "srcip" if seed is TOP_SOURCES else "app"
    assert [row[name] for row in rows] == [row[name] for row in seed.rows]


def test_real_shape_top_sources_rows_are_normalised(sim, run_tasks):
    sim.configure(faz_shape="real")
    tid = sim.faz_create_task(view="top-sources", status="done", rows=[
        {"srcip": "10.0.1.150", "hostname": "LAPTOP-USER01", "bytes": 2147483648, "sessions": 4523, "threatweight": 30},
        {"srcip": "10.0.2.20", "hostname": "10.0.2.20", "bytes": 1048576, "sessions": 12, "threatweight": 0},
        {"srcip": "10.0.2.21", "hostname": "", "bytes": 4096, "sessions": 1, "threatweight": 5},
    ])

    run = run_tasks([module_task("faz_top_sources_result", tid=tid, **faz_connection(sim))])

    assert run.rc == 0, run.describe()
    result = run.ok_result()
    # apiver 3 sends no total and the percentage as a string ("100").
    assert dict((key, result[key]) for key in RESULT_KEYS) == {
        "tid": tid, "adom": "root", "view": "top-sources", "status": "done", "done": True, "percentage": 100,
        "total": 3}
    assert without_raw(result["sources"]) == [
        # Real units report total bytes as 'bandwidth'; the IP itself (or nothing) as host name means unresolved.
        {"srcip": "10.0.1.150", "hostname": "LAPTOP-USER01", "sessions": 4523, "bytes": 2147483648, "bandwidth": None,
         "country": None},
        {"srcip": "10.0.2.20", "hostname": None, "sessions": 12, "bytes": 1048576, "bandwidth": None, "country": None},
        {"srcip": "10.0.2.21", "hostname": None, "sessions": 1, "bytes": 4096, "bandwidth": None, "country": None},
    ]
    assert [row["raw"] for row in result["sources"]] == [
        {"srcip": "10.0.1.150", "srcip_hostname": "LAPTOP-USER01", "bandwidth": 2147483648, "sessions": 4523,
         "threatweight": 30},
        {"srcip": "10.0.2.20", "srcip_hostname": "10.0.2.20", "bandwidth": 1048576, "sessions": 12, "threatweight": 0},
        {"srcip": "10.0.2.21", "srcip_hostname": "", "bandwidth": 4096, "sessions": 1, "threatweight": 5},
    ]


def test_real_shape_top_applications_rows_are_normalised(sim, run_tasks):
    sim.configure(faz_shape="real")
    tid = sim.faz_create_task(view="top-applications", status="done", rows=[
        {"app": "YouTube", "appcat": "Video/Audio", "bytes": 4294967296, "sessions": 8932, "policyid": 46},
        {"app": "DNS", "appcat": "Network.Service", "bytes": 65536, "sessions": 700, "policyid": 3},
    ])

    run = run_tasks([module_task("faz_top_applications_result", tid=tid, **faz_connection(sim))])

    assert run.rc == 0, run.describe()
    result = run.ok_result()
    assert dict((key, result[key]) for key in RESULT_KEYS) == {
        "tid": tid, "adom": "root", "view": "top-applications", "status": "done", "done": True, "percentage": 100,
        "total": 2}
    assert without_raw(result["applications"]) == [
        {"app": "YouTube", "appcat": "Video/Audio", "sessions": 8932, "bytes": 4294967296, "bandwidth": None,
         "policyid": 46, "policyname": None},
        {"app": "DNS", "appcat": "Network.Service", "sessions": 700, "bytes": 65536, "bandwidth": None,
         "policyid": 3, "policyname": None},
    ]
    assert [row["raw"] for row in result["applications"]] == [
        {"app_group": "YouTube", "appcat": "Video/Audio", "bandwidth": 4294967296, "sessions": 8932, "policyid": 46},
        {"app_group": "DNS", "appcat": "Network.Service", "bandwidth": 65536, "sessions": 700, "policyid": 3},
    ]


@pytest.mark.parametrize("shape", ["seed", "real"])
@pytest.mark.parametrize("seed", SEED_TASKS, ids=repr)
def test_running_task_without_wait_is_returned_not_failed(sim, run_tasks, seed, shape):
    sim.configure(faz_shape=shape)  # real: the percentage arrives as a string ("65")

    run = run_tasks([module_task(seed.module, tid=seed.running_tid, **faz_connection(sim))])

    assert run.rc == 0, run.describe()
    result = run.ok_result()
    assert dict((key, result[key]) for key in RESULT_KEYS) == {
        "tid": seed.running_tid, "adom": "root", "view": seed.view, "status": "running", "done": False,
        "percentage": seed.running_percentage, "total": None}
    assert result[seed.rows_key] == []
    assert len(faz_log(sim, "get")) == 1  # no waiting: one read


@pytest.mark.parametrize("seed", SEED_TASKS, ids=repr)
def test_facts_hold_the_result(sim, run_tasks, seed):
    run = run_tasks([module_task(seed.module, tid=seed.tid, **faz_connection(sim))])

    assert run.rc == 0, run.describe()
    result = run.ok_result()
    facts = result["ansible_facts"][seed.facts_key]
    assert sorted(facts) == sorted(RESULT_KEYS + (seed.rows_key,))
    for key in facts:
        assert facts[key] == result[key], key
