# -*- coding: utf-8 -*-
# Copyright (c) 2026, secops.async_tasks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""faz_logsearch.py: request building, reply reading, the count-URL fallback, deletion, refusals."""

from __future__ import annotations

import pytest

from ansible_collections.secops.async_tasks.plugins.module_utils.errors import (
    ApiError,
    InvalidInput,
    MalformedResponse,
    TaskNotFound,
)
from ansible_collections.secops.async_tasks.plugins.module_utils.faz_logsearch import (
    DEFAULT_MAX_ROWS,
    LOGTYPES,
    LogSearch,
    check_filter,
    max_rows_or_default,
    project,
    search_params,
)
from ansible_collections.secops.async_tasks.plugins.module_utils.faz_views import RESULT_LIST, RESULT_OBJECT


class FakeClient:
    """Answers ``call`` from a list of (expected method, url prefix, answer); an answer may be an exception."""

    def __init__(self, *script, check_mode=False):
        self.script = list(script)
        self.calls = []
        self.check_mode = check_mode

    def call(self, method, url, **params):
        self.calls.append((method, url, params))
        expected_method, prefix, answer = self.script.pop(0)
        assert (method, url.startswith(prefix)) == (expected_method, True), (method, url)
        if isinstance(answer, Exception):
            raise answer
        return answer


def options(**overrides):
    base = dict(logtype="traffic", filter=None, device=None, time_range={"start": "2026-01-02 03:04:05"},
                time_order=None, case_sensitive=False)
    base.update(overrides)
    return base


def test_the_29_log_types():
    assert len(LOGTYPES) == len(set(LOGTYPES)) == 29 and "utm" not in LOGTYPES


def test_search_params():
    devices = ["FGT-HQ", {"devname": "FGT-DC", "vdom": "dmz"}, "FG100FTK19000101"]
    params = search_params(options(filter="  srcip=10.0.1.5 ", device=devices,
                                   time_range={"start": "2026-01-02 03:04:05", "end": "2026-01-02 04:00:00"},
                                   time_order="asc", case_sensitive=True))
    assert params == {"logtype": "traffic", "filter": "srcip=10.0.1.5", "time-order": "asc", "case-sensitive": True,
                      "device": [{"devname": "FGT-HQ"}, {"devname": "FGT-DC[dmz]"}, {"devid": "FG100FTK19000101"}],
                      "time-range": {"start": "2026-01-02 03:04:05", "end": "2026-01-02 04:00:00"}}


def test_search_params_defaults():
    params = search_params(options(filter="   "))
    assert "filter" not in params and params["time-order"] == "desc" and params["case-sensitive"] is False
    assert params["device"] == [{"devname": "All_Device"}]


@pytest.mark.parametrize("expression", ["srcip=1 and (dstport=2", "msg='open", 'msg="a\'b', "a=1)"])
def test_filters_surely_wrong_are_refused(expression):
    with pytest.raises(InvalidInput) as caught:
        check_filter(expression)
    assert caught.value.details["option"] == "filter"


@pytest.mark.parametrize("expression", ["srcip=1 and (dstport=2 or dstport=3)", "msg='a (b'", 'msg="it\'s"'])
def test_filters_that_may_be_right_pass(expression):
    assert check_filter(expression) == expression


def test_max_rows():  # its bounds are faz_log_search's bounds() (test_inputs.py)
    assert max_rows_or_default(None) == DEFAULT_MAX_ROWS and max_rows_or_default(0) == 0


def test_project():
    rows = [{"a": 1, "b": 2, "c": 3}, {"b": 5}]
    assert project(rows, ["c", "a", "z"]) == [{"c": 3, "a": 1}, {}]
    assert project(rows, None) is rows


def test_create_reads_the_tid_of_either_shape():
    for data, shape in (({"tid": 7}, RESULT_LIST), ({"tid": "8", "status": {"code": 0}}, RESULT_OBJECT)):
        search = LogSearch(FakeClient(("add", "/logview/adom/root/logsearch", (data, shape))), "root", registry=[])
        assert search.create({"logtype": "traffic"}) == int(data["tid"])
        assert search.registry == [search]


def test_create_without_a_tid_is_malformed():
    search = LogSearch(FakeClient(("add", "/logview", ({"status": "ok"}, RESULT_OBJECT))), "root")
    with pytest.raises(MalformedResponse) as caught:
        search.create({"logtype": "traffic"})
    assert "no task id" in caught.value.msg and '"status": "ok"' in caught.value.msg


@pytest.mark.parametrize("message, kind, words", [
    ("FortiAnalyzer answered code -1: No available slot for searching", ApiError, "no free log search slot"),
    ("FortiAnalyzer answered code -8: Invalid params: filter 'x' not supported", InvalidInput, "rejected filter"),
    ("FortiAnalyzer answered code -8: Invalid params: logtype 'x' is not supported", InvalidInput, "log type"),
    ("FortiAnalyzer answered code -9: something else", ApiError, "refused the log search"),
])
def test_refusals_say_what_to_change(message, kind, words):
    search = LogSearch(FakeClient(("add", "/logview", ApiError(message, code=-1))), "root")
    with pytest.raises(kind) as caught:
        search.create({"logtype": "traffic", "filter": "x=1"})
    assert words in caught.value.msg and message in caught.value.msg


def test_check_mode_previews_the_call_that_create_sends():
    search = LogSearch(FakeClient(), "root", registry=[])
    assert search.create_call() == ("add", "/logview/adom/root/logsearch")
    assert search.tid is None and search.registry == []


def test_progress_from_the_count_url():
    count = {"progress-percent": "45", "matched-logs": 10, "scanned-logs": 100, "total-logs": 200}
    search = LogSearch(FakeClient(("get", "/logview/adom/root/logsearch/count/5", (count, RESULT_LIST))), "root", tid=5)
    assert search.progress() == {"percentage": 45, "matched": 10, "scanned": 100, "total": 200}


@pytest.mark.parametrize("count", [{"matched-logs": 3, "total-logs": 0}, {}, {"status": {"code": 0}}, [], None])
def test_progress_reply_without_usable_progress_falls_back_to_the_page(count):
    """8.0 can answer the count read with status 0 and no progress fields: page 0's own percentage decides."""
    page = {"percentage": 40, "total-count": 1, "data": [{"id": 1}]}
    client = FakeClient(("get", "/logview/adom/root/logsearch/count/5", (count, RESULT_OBJECT)),
                        ("get", "/logview/adom/root/logsearch/5", (page, RESULT_OBJECT)),
                        ("get", "/logview/adom/root/logsearch/5", (dict(page, percentage=100), RESULT_OBJECT)))
    search = LogSearch(client, "root", tid=5)
    assert search.progress()["percentage"] == 40 and search.progress_from == "page"
    assert search.progress()["percentage"] == 100  # the count URL is not asked again
    assert [call[1] for call in client.calls].count("/logview/adom/root/logsearch/count/5") == 1


def test_a_page_without_rows_is_still_malformed():
    client = FakeClient(("get", "/logview", ({"matched-logs": 3}, RESULT_OBJECT)),
                        ("get", "/logview", ({"percentage": 100, "total-logs": 0}, RESULT_OBJECT)))
    with pytest.raises(MalformedResponse) as caught:
        LogSearch(client, "root", tid=5).progress()
    assert "holds no list of rows" in caught.value.msg and '"total-logs": 0' in caught.value.msg


def test_progress_from_the_scanned_share_when_no_percentage_is_sent():
    count = {"matched-logs": 3, "scanned-logs": 150, "total-logs": 200}
    search = LogSearch(FakeClient(("get", "/logview", (count, RESULT_OBJECT))), "root", tid=5)
    assert search.progress()["percentage"] == 75


def test_without_the_count_url_the_first_page_is_polled_and_kept():
    page = {"percentage": 100, "total-count": 3, "data": [{"id": 1}, {"id": 2}, {"id": 3}]}
    client = FakeClient(("get", "/logview/adom/root/logsearch/count/5", ApiError("Invalid url", code=-6)),
                        ("get", "/logview/adom/root/logsearch/5", (page, RESULT_LIST)))
    search = LogSearch(client, "root", tid=5)
    assert search.progress(first_page_limit=3)["percentage"] == 100 and search.count_url is False
    assert search.page(0, 3)["rows"] == page["data"]  # no second request
    assert len(client.calls) == 2 and client.calls[1][2] == {"offset": 0, "limit": 3, "accept_running": True}


def test_other_count_errors_are_errors():
    search = LogSearch(FakeClient(("get", "/logview", ApiError("boom", code=-9))), "root", tid=5)
    with pytest.raises(ApiError):
        search.progress()


def test_page_reads_rows_of_either_name():
    for data in ({"percentage": 100, "data": [{"a": 1}]}, {"logs": [{"a": 1}], "total_lines": 9}, [{"a": 1}]):
        search = LogSearch(FakeClient(("get", "/logview", (data, RESULT_LIST))), "root", tid=5)
        state = search.page(0, 10)
        assert state["rows"] == [{"a": 1}] and state["percentage"] == 100


def test_page_without_rows_is_malformed():
    search = LogSearch(FakeClient(("get", "/logview", ({"percentage": 100}, RESULT_OBJECT))), "root", tid=5)
    with pytest.raises(MalformedResponse):
        search.page(0, 10)


def test_unknown_tid_says_it_expired_and_the_search_is_gone():
    search = LogSearch(FakeClient(("get", "/logview", TaskNotFound("code -3: Invalid tid 5 for fetching result."))),
                       "root", tid=5)
    with pytest.raises(TaskNotFound) as caught:
        search.progress()
    assert "log search 5 not found in ADOM root" in caught.value.msg and "expire" in caught.value.msg
    assert search.gone and search.delete() is False


def test_delete_once_with_a_budget_of_its_own():
    client = FakeClient(("delete", "/logview/adom/root/logsearch/5", (None, RESULT_LIST)))
    search = LogSearch(client, "root", tid=5)
    assert search.delete(even_when_stopped=True) is True and search.delete() is False
    assert client.calls[0][2]["even_when_stopped"] is True and "budget" in client.calls[0][2]


def test_delete_of_a_search_already_gone():
    search = LogSearch(FakeClient(("delete", "/logview", TaskNotFound("gone"))), "root", tid=5)
    assert search.delete() is False and search.gone


def test_times_with_a_zone_are_converted_into_the_appliance_zone():
    from ansible_collections.secops.async_tasks.plugins.module_utils.times import load_zone
    params = search_params(options(time_range={"start": "2026-01-02T03:04Z", "end": "2026-01-02T05:00:00+01:00"}),
                           zone=load_zone("Europe/Paris"))
    assert params["time-range"] == {"start": "2026-01-02 04:04:00", "end": "2026-01-02 05:00:00"}
    with pytest.raises(InvalidInput) as caught:
        search_params(options(time_range={"start": "2026-01-02T03:04:05Z"}))
    assert "timezone" in caught.value.msg
