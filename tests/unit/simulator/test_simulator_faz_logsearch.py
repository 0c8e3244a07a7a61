"""The simulator's FortiAnalyzer log search over real HTTPS: create, progress, pages, delete, errors."""

import time

import pytest

from tests.simulator import faz_logsearch
from tests.simulator.faz_logsearch import LogSearchError, STORES, compile_filter

FAZ_API_KEY = "simfazkey0123456789abcdefghijk"
DAY = {"start": "2025-12-16 00:00:00", "end": "2025-12-16 23:59:59"}
SEARCH_URL = "/logview/adom/root/logsearch"


def add(client, **params):
    params.setdefault("time-range", DAY)
    params.setdefault("logtype", "traffic")
    return client.faz_call("add", SEARCH_URL, bearer=FAZ_API_KEY, **params)


def tid_of(answer):
    result = answer["result"]
    return result["tid"] if isinstance(result, dict) else result[0]["data"]["tid"]


def payload(answer):
    """The data of a success in either shape (status checked)."""
    result = answer["result"]
    if isinstance(result, dict):
        assert result["status"]["code"] == 0, answer
        return {key: value for key, value in result.items() if key != "status"}
    assert result[0]["status"]["code"] == 0, answer
    return result[0]["data"]


def error_of(answer):
    """(code, message) of an error in either shape."""
    if "error" in answer:
        return answer["error"]["code"], answer["error"]["message"]
    return answer["result"][0]["status"]["code"], answer["result"][0]["status"]["message"]


def count(client, tid, adom="root"):
    return client.faz_call("get", "/logview/adom/%s/logsearch/count/%s" % (adom, tid), bearer=FAZ_API_KEY)


def fetch(client, tid, adom="root", **paging):
    return client.faz_call("get", "/logview/adom/%s/logsearch/%s" % (adom, tid), bearer=FAZ_API_KEY, **paging)


def delete(client, tid, adom="root"):
    return client.faz_call("delete", "/logview/adom/%s/logsearch/%s" % (adom, tid), bearer=FAZ_API_KEY)


def finished(client, sim, **params):
    """tid of a search that is already done (duration 0)."""
    sim.configure(faz_logsearch_duration=0)
    return tid_of(add(client, **params))


def all_rows(client, tid, page=1000):
    rows, offset = [], 0
    while True:
        data = payload(fetch(client, tid, offset=offset, limit=page))
        rows.extend(data["data"])
        if data["return-lines"] < page:
            return rows
        offset += page


# -- create, progress, pages, delete ------------------------------------------------------------

def test_create_answers_a_tid_in_the_result_list_shape(client):
    answer = add(client, filter="srcip=10.0.1.5")
    assert answer["result"][0]["status"] == {"code": 0, "message": "OK"}
    assert answer["result"][0]["url"] == SEARCH_URL
    assert answer["result"][0]["data"]["tid"] == faz_logsearch.FIRST_TID


def test_create_answers_a_tid_in_the_apiver3_object_shape(client, sim):
    sim.configure(faz_shape="real")
    answer = add(client)
    assert answer["result"] == {"tid": faz_logsearch.FIRST_TID, "status": {"code": 0, "message": "succeeded"}}
    assert answer["jsonrpc"] == "2.0"


def test_progress_grows_over_time_then_counts_every_match(client, sim):
    sim.configure(faz_logsearch_duration=1.0)
    tid = tid_of(add(client, filter="srcip=10.0.1.5"))
    first = payload(count(client, tid))
    assert first["progress-percent"] < 100 and first["total-logs"] == 30000
    seen = [first["progress-percent"]]
    last = client.eventually(lambda: payload(count(client, tid)), lambda data: data["progress-percent"] == 100)
    seen.append(last["progress-percent"])
    assert seen == sorted(seen)
    assert last == {"total-logs": 30000, "scanned-logs": 30000, "matched-logs": 10000, "progress-percent": 100}


def test_fetch_while_running_says_so_and_may_hold_partial_rows(client, sim):
    sim.configure(faz_logsearch_duration=30)
    tid = tid_of(add(client))
    time.sleep(0.4)
    data = payload(fetch(client, tid, limit=5))
    assert data["percentage"] < 100
    assert data["return-lines"] == len(data["data"]) <= 5
    assert data["total-count"] == len(data["data"]) or data["total-count"] > 5


def test_pages_cover_every_match_once_in_time_order(client, sim):
    tid = finished(client, sim, filter="srcip=10.0.1.5")
    rows = all_rows(client, tid)
    assert len(rows) == 10000
    assert len({row["id"] for row in rows}) == 10000
    assert all(row["srcip"] == "10.0.1.5" for row in rows)
    stamps = [(row["date"], row["time"]) for row in rows]
    assert stamps == sorted(stamps, reverse=True)  # time-order desc is the default


def test_ascending_order(client, sim):
    tid = finished(client, sim, logtype="attack", **{"time-order": "asc"})
    stamps = [(row["date"], row["time"]) for row in all_rows(client, tid)]
    assert stamps == sorted(stamps) and len(stamps) == 1440


def test_page_reply_fields(client, sim):
    tid = finished(client, sim, logtype="event")
    data = payload(fetch(client, tid, offset=2390, limit=1000))
    assert data["tid"] == tid and data["percentage"] == 100
    assert data["return-lines"] == 10 and len(data["data"]) == 10
    assert data["total-count"] == 2400 and data["scanned-logs"] == 2400


def test_limit_above_the_appliance_maximum_is_refused(client, sim):
    tid = finished(client, sim)
    assert error_of(fetch(client, tid, limit=1001)) == (-8, "Invalid params: limit: 1001 is bigger than max value 1000")
    assert payload(fetch(client, tid, limit=1000))["return-lines"] == 1000


def test_default_page_is_100_rows(client, sim):
    tid = finished(client, sim)
    assert payload(fetch(client, tid))["return-lines"] == 100


def test_rows_are_the_same_for_the_same_search(client, sim):
    first = finished(client, sim, logtype="dns", filter="qname=c2*")
    second = tid_of(add(client, logtype="dns", filter="qname=c2*"))
    assert payload(fetch(client, first, limit=50))["data"] == payload(fetch(client, second, limit=50))["data"]


def test_delete_ends_the_search(client, sim):
    tid = finished(client, sim)
    assert sim.counters()["faz"]["logsearches_open"] == 1
    answer = delete(client, tid)
    assert answer["result"] == [{"status": {"code": 0, "message": "OK"}, "url": "%s/%d" % (SEARCH_URL, tid)}]
    assert error_of(fetch(client, tid)) == (-3, "Invalid tid %d for fetching result." % tid)
    counters = sim.counters()["faz"]
    assert (counters["logsearches_open"], counters["logsearches_deleted"]) == (0, 1)


def test_a_search_of_another_adom_is_unknown(client, sim):
    tid = finished(client, sim)
    assert error_of(fetch(client, tid, adom="other"))[0] == -3
    assert error_of(delete(client, tid, adom="other"))[0] == -3


# -- filters, time range, devices ---------------------------------------------------------------

@pytest.mark.parametrize("expression, expected", [
    ("srcip=10.0.1.5", 10000),
    ("srcip==10.0.1.5 and action!=deny", None),
    ("srcip=10.0.1.5 or srcip=10.0.2.20", None),
    ("service=HTTP*", None),
    ("srcip=10.0.1.0/24", None),
    ("not srcip=10.0.1.5", 20000),
    ("dstport>=1000 and (action=deny or action=timeout)", None),
])
def test_filters_really_filter(client, sim, expression, expected):
    predicate = compile_filter(expression, STORES["traffic"].fields)
    tid = finished(client, sim, filter=expression)
    rows = all_rows(client, tid)
    assert rows and all(predicate(row) for row in rows)
    if expected is not None:
        assert len(rows) == expected
    assert len(rows) < 30000 or expression.startswith("not")


def test_wildcards_and_case(client, sim):
    insensitive = finished(client, sim, logtype="webfilter", filter="hostname=*PHISH*")
    assert payload(fetch(client, insensitive, limit=1))["total-count"] > 0
    sensitive = tid_of(add(client, logtype="webfilter", filter="hostname=*PHISH*", **{"case-sensitive": True}))
    assert payload(fetch(client, sensitive))["total-count"] == 0


def test_time_range_bounds_the_logs(client, sim):
    tid = finished(client, sim, **{"time-range": {"start": "2025-12-16T10:00:00", "end": "2025-12-16T10:59:59"}})
    rows = all_rows(client, tid)
    assert len(rows) == 1250  # 30,000 a day
    assert {row["time"][:2] for row in rows} == {"10"}


def test_time_range_with_an_offset_is_converted(client, sim):
    tid = finished(client, sim, logtype="attack",
                   **{"time-range": {"start": "2025-12-16T11:00:00+01:00", "end": "2025-12-16T11:59:59+01:00"}})
    assert {row["time"][:2] for row in all_rows(client, tid)} == {"10"}


def test_device_list_restricts_the_logs(client, sim):
    tid = finished(client, sim, logtype="attack", device=[{"devname": "FGT-DC-01[root]"}])
    rows = all_rows(client, tid)
    assert rows and {row["devname"] for row in rows} == {"FGT-DC-01"}
    everything = tid_of(add(client, logtype="attack", device=[{"devname": "All_Device"}]))
    assert payload(fetch(client, everything))["total-count"] == 1440


def test_known_log_type_without_logs_finds_nothing(client, sim):
    tid = finished(client, sim, logtype="voip")
    assert payload(fetch(client, tid))["total-count"] == 0


@pytest.mark.parametrize("params, message", [
    ({"logtype": "firewall"}, "Invalid params: logtype 'firewall' is not supported"),
    ({"filter": "srcip 10.0.1.5"}, "Invalid params: filter syntax error at 'srcip 10.0.1.5'"),
    ({"filter": "nosuchfield=1"}, "Invalid params: filter 'nosuchfield' not supported"),
    ({"filter": "(srcip=10.0.1.5"}, "Invalid params: filter syntax error: missing ')'"),
    ({"time-range": {"start": "yesterday", "end": "2025-12-16 00:00:00"}},
     "Invalid params: time-range start 'yesterday' is not a date-time"),
    ({"time-range": {"start": "2025-12-17 00:00:00", "end": "2025-12-16 00:00:00"}},
     "Invalid params: time-range end is before start"),
    ({"time-order": "up"}, "Invalid params: 'time-order' must be desc or asc"),
])
def test_bad_searches_are_refused_with_the_reason(client, sim, params, message):
    sim.configure(faz_shape="real")
    answer = add(client, **params)
    assert answer["error"] == {"code": -8, "message": message}
    assert sim.counters()["faz"]["logsearches_created"] == 0


# -- cap, expiry, firmware variants, permissions -----------------------------------------------

def test_search_cap(client, sim):
    sim.configure(faz_logsearch_cap=2)
    first, _second = tid_of(add(client)), tid_of(add(client))
    assert error_of(add(client)) == (-1, "No available slot for searching")
    counters = sim.counters()["faz"]
    assert (counters["logsearches_open"], counters["logsearches_refused"]) == (2, 1)
    delete(client, first)
    assert tid_of(add(client)) > first


def test_expired_searches_are_gone(client, sim):
    tid = finished(client, sim)
    sim.faz_expire_logsearches()
    assert error_of(fetch(client, tid))[0] == -3
    assert sim.counters()["faz"]["logsearches_expired"] == 1


def test_idle_searches_expire_after_the_ttl(client, sim):
    sim.configure(faz_logsearch_ttl=0.2)
    tid = finished(client, sim)
    time.sleep(0.3)
    assert error_of(count(client, tid))[0] == -3
    assert sim.faz_open_logsearches() == []


def test_count_url_can_be_absent(client, sim):
    tid = finished(client, sim)
    sim.configure(faz_logsearch_count_url=False)
    assert error_of(count(client, tid)) == (-6, "Invalid url")
    assert payload(fetch(client, tid))["percentage"] == 100


def test_single_use_searches_are_reaped_by_their_first_finished_fetch(client, sim):
    sim.configure(faz_logsearch_single_use=True)
    tid = finished(client, sim)
    assert payload(fetch(client, tid, limit=10))["return-lines"] == 10
    assert error_of(fetch(client, tid, offset=10, limit=10))[0] == -3


def test_viewer_is_denied_and_strangers_too(client):
    session = client.session("viewer", "sim-viewer-pass")
    answer = client.faz_call("add", SEARCH_URL, session=session, logtype="traffic", **{"time-range": DAY})
    assert error_of(answer)[0] == -11
    assert error_of(client.faz_call("add", SEARCH_URL, logtype="traffic", **{"time-range": DAY}))[0] == -11


def test_unknown_logview_url(client):
    assert error_of(client.faz_call("get", "/logview/adom/root/logstats", bearer=FAZ_API_KEY)) == (-6, "Invalid url")


def test_works_with_a_session_too(client, sim):
    session = client.session()
    sim.configure(faz_logsearch_duration=0)
    answer = client.faz_call("add", SEARCH_URL, session=session, logtype="event", **{"time-range": DAY})
    tid = tid_of(answer)
    data = payload(client.faz_call("get", "%s/%d" % (SEARCH_URL, tid), session=session, limit=3))
    assert data["return-lines"] == 3


# -- control API ---------------------------------------------------------------------------------

def test_control_api_makes_a_search_with_a_row_count(client, sim):
    tid = sim.faz_create_logsearch(logtype="traffic", rows=2500, duration=0)
    data = payload(fetch(client, tid, offset=2000, limit=1000))
    assert data["total-count"] == 2500 and data["return-lines"] == 500
    assert sim.faz_open_logsearches() == [tid]


def test_control_api_over_http(client, sim):
    response = client.control("POST", "faz/logsearches", {"logtype": "attack", "rows": 7, "percentage": 40})
    tid = response.json()["tid"]
    assert payload(count(client, tid))["progress-percent"] == 40
    assert client.control("GET", "faz/logsearches").json() == {"open": [tid]}
    assert client.control("POST", "faz/logsearches/expire").json() == {"expired": True}
    assert client.control("GET", "faz/logsearches").json() == {"open": []}
    bad = client.control("POST", "faz/logsearches", {"logtype": "voip", "rows": 3})
    assert bad.status_code == 400
    assert client.control("POST", "faz/logsearches", {"bogus": 1}).status_code == 400


def test_reset_clears_searches(client, sim):
    tid_of(add(client))
    sim.reset()
    counters = sim.counters()["faz"]
    assert counters["logsearches_open"] == 0 and counters["logsearches_created"] == 0
    assert tid_of(add(client)) == faz_logsearch.FIRST_TID


# -- the filter language, without HTTP -----------------------------------------------------------

ROW = {"srcip": "10.0.1.5", "dstip": "8.8.8.8", "dstport": 53, "service": "DNS", "action": "accept",
       "msg": "Health Check SLA status: wan1 alive"}


@pytest.mark.parametrize("expression, expected", [
    ("srcip=10.0.1.5", True), ("srcip!=10.0.1.5", False), ("dstport=53", True), ("dstport>53", False),
    ("dstport<=53 && action=accept", True), ("action=deny || service=dns", True),
    ("not (action=deny or dstport=80)", True), ("msg=\"Health Check SLA status*\"", True),
    ("msg='health check*'", True), ("msg~alive", True), ("msg!~alive", False), ("srcip=10.0.0.0/16", True),
    ("dstip!=8.8.0.0/16", False), ("srcip=10.0.1.? dstport=53", True), ("srcip=10.0.1.5 and srcip=10.0.1.6", False),
])
def test_filter_language(expression, expected):
    assert compile_filter(expression, frozenset(ROW))(ROW) is expected


def test_filter_case_sensitivity():
    fields = frozenset(ROW)
    assert compile_filter("service=dns", fields)(ROW)
    assert not compile_filter("service=dns", fields, case_sensitive=True)(ROW)


@pytest.mark.parametrize("expression", ["srcip", "srcip=", "and srcip=1", "srcip=1 or", "(srcip=1", "srcip=1)",
                                        "dstport>x", "srcip=10.0.0.0/40", "other=1", 42])
def test_filter_rejections(expression):
    with pytest.raises(LogSearchError) as caught:
        compile_filter(expression, frozenset(ROW))
    assert caught.value.code == -8 and caught.value.message.startswith("Invalid params: ")


def test_empty_filter_matches_everything():
    assert compile_filter("", frozenset(ROW)) is None and compile_filter(None, frozenset(ROW)) is None
