# -*- coding: utf-8 -*-
# Copyright (c) 2026, secops.async_tasks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""faz_logsearch_runner.py: planning searches, reading pages, facts without rows."""

from __future__ import annotations

import random

import pytest

from ansible_collections.secops.async_tasks.plugins.module_utils import faz_logsearch_runner as runner
from ansible_collections.secops.async_tasks.plugins.module_utils.errors import InvalidInput, TaskNotFound
from ansible_collections.secops.async_tasks.plugins.module_utils.transport import Deadline, RetryPolicy
from ansible_collections.secops.async_tasks.plugins.module_utils.faz_logsearch_runner import (
    LATE_PAGE_ATTEMPTS,
    collect_rows,
    facts_without_rows,
    planned_searches,
)

TOP = dict(logtype="traffic", filter="srcip=10.0.1.5", device=None, time_range={"start": "2026-01-01 00:00:00"},
           time_order=None, case_sensitive=False, max_rows=None, fields=None, searches=None)


def params(**overrides):
    result = dict(TOP)
    result.update(overrides)
    return result


def test_one_search_from_the_options():
    specs, batch = planned_searches(params())
    assert batch is False and len(specs) == 1
    assert specs[0]["request"]["filter"] == "srcip=10.0.1.5" and specs[0]["max_rows"] == 1000


def test_entries_of_searches_override_the_options():
    second = {"logtype": "dns", "filter": "qname=x*", "max_rows": 0, "fields": ["qname"]}
    specs, batch = planned_searches(params(searches=[{"name": "a"}, second]))
    assert batch is True and [spec["name"] for spec in specs] == ["a", "search 2"]
    assert specs[0]["request"]["logtype"] == "traffic" and specs[1]["request"]["logtype"] == "dns"
    assert (specs[1]["max_rows"], specs[1]["fields"], specs[1]["request"]["filter"]) == (0, ["qname"], "qname=x*")


@pytest.mark.parametrize("overrides, option", [
    (dict(logtype=None), "logtype"),
    (dict(logtype=None, searches=[{"name": "x"}]), "searches"),
    (dict(searches=[]), "searches"),
])  # max_rows=-5: the input model refuses it (faz_log_search's bounds(), test_inputs.py)
def test_bad_plans(overrides, option):
    with pytest.raises(InvalidInput) as caught:
        planned_searches(params(**overrides))
    assert caught.value.details["option"] == option


class Pauses:
    """The transport of a fake client: pauses are counted and move ``now`` on, not slept."""

    timeout = 2.0

    def __init__(self):
        self.pauses = []
        self.now = 0.0

    def clock(self):
        return self.now

    def pause(self, seconds):
        self.pauses.append(seconds)
        self.now += seconds


class Pages:
    """A search whose pages come from ``rows``; ``reaped_after`` pages, then "invalid tid".

    ``late``: how many reads of a page (offset > 0) come back empty before its rows do; ``totals``:
    the total each successive read reports (the last one repeats), else ``len(rows)``.
    """

    def __init__(self, rows, reaped_after=None, late=0, totals=None):
        self.rows = rows
        self.reaped_after = reaped_after
        self.late = late
        self.totals = list(totals or [])
        self.reads = {}
        self.asked = []
        self.tid = 9
        self.client = type("Client", (), {"transport": Pauses()})()

    def page(self, offset, limit):
        self.asked.append((offset, limit))
        self.client.transport.now += 0.05  # the request's own time
        if self.reaped_after is not None and len(self.asked) > self.reaped_after:
            raise TaskNotFound("gone")
        total = (self.totals.pop(0) if len(self.totals) > 1 else self.totals[0]) if self.totals else len(self.rows)
        self.reads[offset] = self.reads.get(offset, 0) + 1
        if offset and self.reads[offset] <= self.late:
            return {"rows": [], "matched": total, "percentage": 100}
        return {"rows": self.rows[offset:offset + limit], "matched": total, "percentage": 100}


def numbered(count):
    return [{"id": number} for number in range(count)]


def test_pages_of_at_most_1000_up_to_max_rows():
    search = Pages(numbered(2500))
    rows, matched, recounts = collect_rows(search, {"matched": 2500}, 2200, warn=None)
    assert (len(rows), matched, recounts) == (2200, 2500, [])
    assert search.asked == [(0, 1000), (1000, 1000), (2000, 200)]


def test_the_pages_own_total_wins_over_the_count():
    warnings = []
    search = Pages(numbered(1500))
    rows, matched, recounts = collect_rows(search, {"matched": 4000}, 10000, warn=warnings.append)
    assert (len(rows), matched, recounts) == (1500, 1500, [4000, 1500])
    assert search.asked == [(0, 1000), (1000, 500)] and "4000 -> 1500" in warnings[0]


def test_a_late_page_is_read_again_until_its_rows_come():
    warnings = []
    search = Pages(numbered(2500), late=3)
    rows, matched, recounts = collect_rows(search, {"matched": 2500}, 5000, warn=warnings.append, deadline=Deadline(60))
    assert [row["id"] for row in rows] == list(range(2500)) and (matched, recounts, warnings) == (2500, [], [])
    assert search.asked.count((1000, 1000)) == 4 and len(search.client.transport.pauses) == 6


def test_a_page_that_never_comes_is_named_in_a_warning():
    warnings = []
    search = Pages(numbered(2500), late=1000)
    rows, matched, _recounts = collect_rows(search, {"matched": 2500}, 5000, warn=warnings.append,
                                            deadline=Deadline(60))
    assert (len(rows), matched) == (1000, 2500) and search.asked.count((1000, 1000)) == LATE_PAGE_ATTEMPTS
    assert "1500 row(s) from offset 1000 to 2499 had not arrived after 40 reads" in warnings[0]


def test_a_late_page_stops_at_the_deadline():
    warnings = []
    search = Pages(numbered(1200), late=1000)
    rows, _matched, _recounts = collect_rows(search, {"matched": 1200}, 5000, warn=warnings.append,
                                             deadline=Deadline(0))
    assert len(rows) == 1000 and search.asked == [(0, 1000), (1000, 200)] and "offset 1000 to 1199" in warnings[0]


@pytest.mark.parametrize("seed", range(5))
def test_a_late_page_is_read_again_only_with_a_whole_request_timeout_left(monkeypatch, seed):
    monkeypatch.setattr(runner, "LATE_PAGE_BACKOFF", RetryPolicy(base=0.5, cap=4.0, rng=random.Random(seed)))
    warnings = []
    search = Pages(numbered(1200), late=1000)
    transport = search.client.transport
    deadline = Deadline(12, clock=transport.clock)
    left_at_reads = []
    page = search.page

    def timed_page(offset, limit):
        left_at_reads.append(deadline.remaining())
        return page(offset, limit)

    search.page = timed_page
    rows, _matched, _recounts = collect_rows(search, {"matched": 1200}, 5000, warn=warnings.append, deadline=deadline)
    rereads = left_at_reads[2:]  # the first page, then the first read of the late one
    assert len(rows) == 1000 and len(rereads) >= 2 and "offset 1000 to 1199" in warnings[0]
    assert min(rereads) >= transport.timeout, left_at_reads
    # It stopped because one more read after the longest backoff would not have had its timeout.
    assert len(left_at_reads) < LATE_PAGE_ATTEMPTS and deadline.remaining() < transport.timeout + 4.0


def test_a_total_that_grows_between_pages_reads_every_row_once():
    warnings = []
    search = Pages(numbered(2300), totals=[2290, 2300])
    rows, matched, recounts = collect_rows(search, {"matched": 2290}, 5000, warn=warnings.append,
                                           deadline=Deadline(60))
    assert [row["id"] for row in rows] == list(range(2300)) and (matched, recounts) == (2300, [2290, 2300])
    assert "2290 -> 2300" in warnings[0] and search.client.transport.pauses == []


def test_a_search_reaped_after_a_page_returns_what_was_read_with_a_warning():
    warnings = []
    search = Pages(numbered(3000), reaped_after=1)
    rows, matched, _recounts = collect_rows(search, {"matched": 3000}, 3000, warn=warnings.append)
    assert (len(rows), matched) == (1000, 3000) and "after its first page" in warnings[0]


def test_a_search_gone_before_any_page_is_an_error():
    with pytest.raises(TaskNotFound):
        collect_rows(Pages([{"id": 1}], reaped_after=0), {"matched": 1}, 10, warn=None)


def test_facts_without_rows():
    result = {"rows": [1], "tid": 3}
    single = facts_without_rows(dict(changed=False, ansible_facts={"faz_log_search": result}, **result))
    assert single["ansible_facts"]["faz_log_search"] == {"tid": 3} and single["rows"] == [1]
    batch = {"results": [{"rows": [1], "tid": 3}],
             "ansible_facts": {"faz_log_search": {"results": [{"rows": [1], "tid": 3}]}}}
    assert facts_without_rows(batch)["ansible_facts"]["faz_log_search"]["results"] == [{"tid": 3}]
    assert batch["results"][0]["rows"] == [1]
