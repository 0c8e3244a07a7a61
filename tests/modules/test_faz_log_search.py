"""faz_log_search in-process: create, wait, page, delete; tid reads; check mode; batch; errors.

Interrupted by SIGTERM/SIGINT under ansible-playbook: tests/integration/test_reliability_interrupt.py.

After every test the simulator holds no log search (and, as after every integration test, no session).
"""

import math

import pytest

from tests.integration.helpers import FAZ_API_KEY, faz_connection, faz_log, module_task

DAY = {"start": "2025-12-16 00:00:00", "end": "2025-12-16 23:59:59"}
HOT = "srcip=10.0.1.5"  # 10,000 of the day's 30,000 traffic logs
CHANGING = pytest.mark.changing_modules("faz_log_search")


def search(sim, api_key=False, **options):
    connection = faz_connection(sim, username=None, password=None, api_key=FAZ_API_KEY) if api_key \
        else faz_connection(sim)
    options.setdefault("poll_interval", 0.5)
    return module_task("faz_log_search", **dict(connection, **options))


@pytest.fixture(autouse=True)
def no_search_left_behind(sim):
    sim.configure(faz_logsearch_duration=1)
    yield
    counters = sim.counters()["faz"]
    assert counters["logsearches_open"] == 0, "log searches left open: %s\n%s" % (
        sim.faz_open_logsearches(), "\n".join(str(entry) for entry in sim.log("faz")))


def log_urls(sim, method):
    return [entry["url"] for entry in faz_log(sim, method=method)]


# -- create, wait, page, delete --------------------------------------------------------------------

def test_search_waits_pages_and_deletes(sim, run_tasks):
    run = run_tasks([search(sim, api_key=True, logtype="traffic", filter=HOT, time_range=DAY, max_rows=2500)])

    assert run.rc == 0, run.describe()
    result = run.ok_result()
    assert result["changed"] is False
    assert (result["status"], result["done"], result["percentage"]) == ("done", True, 100)
    assert (result["matched"], result["returned"], result["truncated"]) == (10000, 2500, True)
    assert len(result["rows"]) == 2500 and all(row["srcip"] == "10.0.1.5" for row in result["rows"])
    assert (result["deleted"], result["kept"], result["logtype"], result["filter"]) == (True, False, "traffic", HOT)
    facts = result["ansible_facts"]["faz_log_search"]
    assert "rows" not in facts and facts["matched"] == 10000 and facts["tid"] == result["tid"]
    tid = result["tid"]
    gets = log_urls(sim, "get")
    polls = gets.count("/logview/adom/root/logsearch/count/%d" % tid)
    pages = [entry for entry in sim.log("faz") if entry["url"] == "/logview/adom/root/logsearch/%d" % tid
             and entry["method"] == "get"]
    assert polls >= 1 and len(pages) == math.ceil(2500 / 1000)
    assert sim.counters()["faz"]["requests"] == polls + len(pages) + 2  # add and delete; no login with a key
    assert log_urls(sim, "delete") == ["/logview/adom/root/logsearch/%d" % tid]


def test_parameters_sent(sim, run_tasks, faz_requests):
    run = run_tasks([search(sim, logtype="attack", filter="srcip=10.0.1.5 and severity=critical",
                               time_range={"start": "2025-12-16 08:00:00", "end": "2025-12-16 20:00:00"},
                               device=["FGT-DC-01", {"devname": "FGT-HQ-01", "vdom": "root"}], time_order="asc",
                               case_sensitive=True, max_rows=10)])

    assert run.rc == 0, run.describe()
    add = [body for body in faz_requests if body.get("method") == "add"][0]["params"][0]
    assert add == {"url": "/logview/adom/root/logsearch", "apiver": 3, "logtype": "attack",
                   "device": [{"devname": "FGT-DC-01"}, {"devname": "FGT-HQ-01[root]"}],
                   "time-range": {"start": "2025-12-16 08:00:00", "end": "2025-12-16 20:00:00"},
                   "time-order": "asc", "case-sensitive": True, "filter": "srcip=10.0.1.5 and severity=critical"}
    pages = [body["params"][0] for body in faz_requests
             if body.get("method") == "get" and "/count/" not in body["params"][0]["url"]]
    assert all(page["limit"] <= 1000 and "offset" in page for page in pages)
    rows = run.ok_result()["rows"]
    stamps = [(row["date"], row["time"]) for row in rows]
    assert stamps == sorted(stamps) and {row["devname"] for row in rows} <= {"FGT-DC-01", "FGT-HQ-01"}


def test_fields_keep_only_some_columns(sim, run_tasks):
    run = run_tasks([search(sim, logtype="traffic", filter=HOT, time_range=DAY, max_rows=5,
                               fields=["time", "dstip", "dstport", "nosuchcolumn"])])

    result = run.ok_result()
    assert all(list(row) == ["time", "dstip", "dstport"] for row in result["rows"]) and result["returned"] == 5


def test_max_rows_zero_only_counts(sim, run_tasks):
    run = run_tasks([search(sim, logtype="attack", time_range=DAY, max_rows=0)])

    result = run.ok_result()
    assert (result["matched"], result["returned"], result["rows"], result["truncated"]) == (1440, 0, [], True)
    assert sim.counters()["faz"]["logsearch_fetches"] == 0


def test_every_row_of_a_large_search(sim, run_tasks):
    run = run_tasks([search(sim, logtype="traffic", filter=HOT, time_range=DAY, max_rows=10000,
                               fields=["id"])])

    result = run.ok_result()
    assert (result["returned"], result["truncated"]) == (10000, False)
    assert len({row["id"] for row in result["rows"]}) == 10000
    assert sim.counters()["faz"]["logsearch_fetches"] == 10


@pytest.mark.parametrize("setting", [{"faz_shape": "real"}, {"faz_profile": "7.4"}, {"faz_profile": "8.0"},
                                     {"faz_profile": "old"}], ids=["real", "7.4", "8.0", "old"])
def test_in_the_apiver3_object_shape_and_firmware_profiles(sim, run_tasks, setting):
    sim.configure(**setting)
    run = run_tasks([search(sim, logtype="event", time_range=DAY, max_rows=1200)])

    result = run.ok_result()
    assert (result["matched"], result["returned"], result["deleted"]) == (2400, 1200, True)


def test_times_with_an_offset_need_and_use_timezone(sim, run_tasks, faz_requests):
    period = {"start": "2025-12-16T11:00:00+01:00", "end": "2025-12-16T12:00:00+01:00"}
    refused = run_tasks([search(sim, logtype="attack", time_range=period)])
    converted = run_tasks([search(sim, logtype="attack", time_range=period, timezone="UTC", max_rows=1)])

    assert "timezone" in refused.failed_result()["msg"] and sim.counters()["faz"]["logsearches_created"] == 1
    assert converted.ok_result()["time_range"] == {"start": "2025-12-16 10:00:00", "end": "2025-12-16 11:00:00"}


def test_without_the_count_url_progress_comes_from_the_first_page(sim, run_tasks):
    sim.configure(faz_logsearch_count_url=False)
    run = run_tasks([search(sim, logtype="attack", time_range=DAY, max_rows=1500)])

    result = run.ok_result()
    assert (result["matched"], result["returned"], result["deleted"]) == (1440, 1440, True)


def test_a_search_reaped_after_its_first_page_returns_that_page_and_says_so(sim, run_tasks):
    sim.configure(faz_logsearch_single_use=True)
    run = run_tasks([search(sim, logtype="traffic", filter=HOT, time_range=DAY, max_rows=3000)])

    result = run.ok_result()
    assert (result["returned"], result["matched"], result["truncated"]) == (1000, 10000, True)
    assert any("after its first page" in warning for warning in result.get("warnings", [])), result


# -- tid reads, keep, wait: false ----------------------------------------------------------------------

@CHANGING
def test_keep_then_read_by_tid_then_delete(sim, run_tasks):
    run = run_tasks([
        dict(search(sim, logtype="dns", time_range=DAY, max_rows=3, keep=True), register="kept"),
        search(sim, tid="{{ kept.tid }}", max_rows=1500),
        search(sim, tid="{{ kept.tid }}", state="absent"),
        search(sim, tid="{{ kept.tid }}", state="absent"),
    ])

    assert run.rc == 0, run.describe()
    kept, read, deleted, again = [record["result"] for record in run.module_records()]
    assert (kept["changed"], kept["kept"], kept["deleted"], kept["returned"]) == (True, True, False, 3)
    assert (read["changed"], read["tid"], read["returned"], read["matched"]) == (False, kept["tid"], 1500, 9600)
    assert (deleted["changed"], deleted["deleted"], again["changed"], again["deleted"]) == (True, True, False, False)
    assert sim.counters()["faz"]["logsearches_created"] == 1


@CHANGING
def test_wait_false_leaves_the_search_running_and_a_later_read_waits_for_it(sim, run_tasks):
    sim.configure(faz_logsearch_duration=3)
    run = run_tasks([
        dict(search(sim, logtype="traffic", filter=HOT, time_range=DAY, wait=False), register="started"),
        search(sim, tid="{{ started.tid }}", max_rows=10, wait=True),
        search(sim, tid="{{ started.tid }}", state="absent"),
    ])

    assert run.rc == 0, run.describe()
    started, read, _deleted = [record["result"] for record in run.module_records()]
    assert (started["changed"], started["status"], started["done"], started["kept"]) == (True, "running", False, True)
    assert started["percentage"] < 100 and started["rows"] == []
    assert (read["status"], read["matched"], read["returned"]) == ("done", 10000, 10)


def test_read_of_a_search_made_elsewhere(sim, run_tasks):
    tid = sim.faz_create_logsearch(logtype="traffic", rows=2500, duration=0)
    run = run_tasks([search(sim, tid=tid, max_rows=5000, fields=["id"])])

    result = run.ok_result()
    assert (result["matched"], result["returned"], result["deleted"], result["kept"]) == (2500, 2500, False, True)
    sim.faz_expire_logsearches()


# -- check mode -------------------------------------------------------------------------------------

def test_check_mode_logs_in_and_sends_no_add(sim, run_tasks):
    run = run_tasks([search(sim, logtype="traffic", filter=HOT, time_range=DAY)], check=True)

    assert run.rc == 0, run.describe()
    result = run.ok_result()
    assert result["changed"] is False and result["tid"] is None
    assert result["msg"].startswith("check mode: would search traffic logs in ADOM root")
    assert result["request"]["params"]["filter"] == HOT
    by_method = sim.counters()["faz"]["by_method"]
    assert "add" not in by_method and "delete" not in by_method
    assert sim.counters()["faz"]["logins"] == 1


@CHANGING
def test_check_mode_delete_reads_the_search_but_keeps_it(sim, run_tasks):
    tid = sim.faz_create_logsearch(logtype="event", rows=5, duration=0)
    run = run_tasks([search(sim, tid=tid, state="absent")], check=True)

    result = run.ok_result()
    assert (result["changed"], result["deleted"]) == (True, None)
    assert sim.faz_open_logsearches() == [tid]
    assert "delete" not in sim.counters()["faz"]["by_method"]
    sim.faz_expire_logsearches()


# -- batch ----------------------------------------------------------------------------------------

def test_one_search_per_indicator_over_one_session(sim, run_tasks):
    run = run_tasks([search(sim, logtype="traffic", time_range=DAY, max_rows=20, searches=[
        {"name": "host", "filter": HOT},
        {"name": "c2", "logtype": "attack", "filter": "dstip=203.0.113.66"},
        {"name": "dns", "logtype": "dns", "filter": "qname=c2*", "max_rows": 0},
    ])])

    assert run.rc == 0, run.describe()
    results = run.ok_result()["results"]
    assert [item["name"] for item in results] == ["host", "c2", "dns"]
    assert [item["logtype"] for item in results] == ["traffic", "attack", "dns"]
    assert results[0]["matched"] == 10000 and results[1]["matched"] == 360 and results[2]["returned"] == 0
    assert all(item["deleted"] for item in results)
    counters = sim.counters()["faz"]
    assert (counters["logins"], counters["logouts"], counters["logsearches_created"]) == (1, 1, 3)


def test_a_failed_search_of_a_batch_fails_the_task_after_the_others(sim, run_tasks):
    run = run_tasks([search(sim, logtype="traffic", time_range=DAY, max_rows=2, searches=[
        {"name": "good", "filter": HOT}, {"name": "bad", "filter": "nosuchfield=1"}])])

    result = run.failed_result()
    assert "1 of 2 log searches failed" in result["msg"] and "nosuchfield" in result["msg"]
    good, bad = result["results"]
    assert (good["returned"], good["deleted"]) == (2, True)
    assert bad["failed"] is True and bad["option"] == "filter"


# -- errors -----------------------------------------------------------------------------------------

def test_unknown_log_type_is_refused_before_anything_is_sent(sim, run_tasks):
    run = run_tasks([search(sim, logtype="firewall", time_range=DAY)])

    result = run.failed_result()
    assert "logtype" in result["msg"] and "traffic" in result["msg"]
    assert sim.counters()["faz"]["requests"] == 0


def test_rejected_filter_shows_the_appliance_message(sim, run_tasks):
    run = run_tasks([search(sim, logtype="traffic", time_range=DAY, filter="srcipp=10.0.1.5")])

    result = run.failed_result()
    assert "rejected filter 'srcipp=10.0.1.5'" in result["msg"]
    assert "Invalid params: filter 'srcipp' not supported" in result["msg"] and result["option"] == "filter"
    assert sim.counters()["faz"]["logsearches_created"] == 0


def test_unbalanced_filter_is_refused_locally(sim, run_tasks):
    run = run_tasks([search(sim, logtype="traffic", time_range=DAY, filter="msg='open quote")])

    result = run.failed_result()
    assert "unbalanced quote" in result["msg"] and sim.counters()["faz"]["requests"] == 0


def test_search_cap_reached_says_what_to_do(sim, run_tasks):
    sim.configure(faz_logsearch_cap=1)
    other = sim.faz_create_logsearch(logtype="event", rows=1, duration=0)
    run = run_tasks([search(sim, logtype="traffic", time_range=DAY)])

    result = run.failed_result()
    assert "no free log search slot" in result["msg"] and "No available slot for searching" in result["msg"]
    assert "state: absent" in result["msg"]
    assert sim.faz_open_logsearches() == [other]
    sim.faz_expire_logsearches()


def test_expired_tid_is_named_as_such(sim, run_tasks):
    tid = sim.faz_create_logsearch(logtype="event", rows=1, duration=0)
    sim.faz_expire_logsearches()
    run = run_tasks([search(sim, tid=tid)])

    result = run.failed_result()
    assert "log search %d not found in ADOM root" % tid in result["msg"] and "expire" in result["msg"]


def test_wait_timeout_deletes_the_search_and_reports_progress(sim, run_tasks):
    sim.configure(faz_logsearch_duration=60)
    run = run_tasks([search(sim, logtype="traffic", time_range=DAY, wait_timeout=2)])

    result = run.failed_result()
    assert "was at" in result["msg"] and "the search was deleted" in result["msg"] and result["percentage"] < 100
    assert sim.counters()["faz"]["logsearches_deleted"] == 1


def test_search_options_with_tid_are_refused(sim, run_tasks):
    run = run_tasks([search(sim, tid=512753000, filter=HOT)])

    result = run.failed_result()
    assert "filter only applies when creating a search" in result["msg"]
