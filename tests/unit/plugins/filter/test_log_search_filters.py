# -*- coding: utf-8 -*-
# Copyright (c) 2026, secops.async_tasks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The filters log_top and time_window."""

from __future__ import annotations

import datetime

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.secops.async_tasks.plugins.filter.log_top import log_top
from ansible_collections.secops.async_tasks.plugins.filter.time_window import time_window

ROWS = [
    {"dstip": "8.8.8.8", "dstport": 53, "service": "DNS", "sentbyte": 100, "rcvdbyte": "200"},
    {"dstip": "1.1.1.1", "dstport": 53, "service": "DNS", "sentbyte": 10},
    {"dstip": "8.8.8.8", "dstport": 443, "service": "HTTPS", "sentbyte": 1, "rcvdbyte": 2},
    {"dstport": 22, "service": "SSH"},
]


def test_counts_and_sums_by_one_field():
    top = log_top(ROWS, "dstip", sum_fields=["sentbyte", "rcvdbyte"])
    assert top == [
        {"dstip": "8.8.8.8", "count": 2, "sentbyte": 101, "rcvdbyte": 202, "rank": 1},
        {"dstip": "(none)", "count": 1, "sentbyte": 0, "rcvdbyte": 0, "rank": 2},
        {"dstip": "1.1.1.1", "count": 1, "sentbyte": 10, "rcvdbyte": 0, "rank": 3},
    ]


def test_groups_by_several_fields_and_limits():
    top = log_top({"rows": ROWS}, ["dstport", "service"], limit=1)
    assert top == [{"dstport": 53, "service": "DNS", "count": 2, "rank": 1}]
    assert len(log_top(ROWS, "dstport", limit=None)) == 3


@pytest.mark.parametrize("rows, fields, kwargs, words", [
    ("text", "dstip", {}, "expected the rows"),
    ([1], "dstip", {}, "row 0 is a int"),
    (ROWS, [], {}, "give the field"),
    (ROWS, "dstip", {"limit": 0}, "limit must be 1 or more"),
    ([{"dstip": "a", "sentbyte": "lots"}], "dstip", {"sum_fields": ["sentbyte"]}, "row 0 field 'sentbyte'"),
])
def test_log_top_refusals(rows, fields, kwargs, words):
    with pytest.raises(AnsibleFilterError) as caught:
        log_top(rows, fields, **kwargs)
    assert words in str(caught.value)


def test_time_window():
    assert time_window("2026-11-20 14:05:00", before="30m", after="2h") == {
        "start": "2026-11-20 13:35:00", "end": "2026-11-20 16:05:00"}
    assert time_window("2026-11-20T14:05") == {"start": "2026-11-20 13:05:00", "end": "2026-11-20 15:05:00"}
    assert time_window(datetime.datetime(2026, 1, 1, 0, 0, 30), before="1d", after="0s")["start"] == \
        "2025-12-31 00:00:30"
    assert time_window("2026-11-20T13:05:00Z", after="0s", timezone="Europe/Paris")["end"] == "2026-11-20 14:05:00"


@pytest.mark.parametrize("around, before, after, words", [
    ("", "1h", "1h", "give the time"),
    ("yesterday", "1h", "1h", "is not a time"),
    ("2026-11-20 14:05:00", "an hour", "1h", "is not a duration"),
    ("2026-11-20 14:05:00", "0s", "0m", "add up to nothing"),
    ("2026-11-20T14:05:00Z", "1h", "1h", "timezone is not set"),
    ("2026-11-20 14:05:00", "3000000w", "1h", "before '3000000w' is longer than the maximum, 3650d"),
    ("2026-11-20 14:05:00", "1h", "9" * 5000 + "s", "longer than the maximum"),
    ("9999-12-31 23:00:00", "1h", "2h", "after reaches past the calendar"),
    ("0001-01-01 00:30:00", "1h", "2h", "before reaches past the calendar"),
])
def test_time_window_refusals(around, before, after, words):
    with pytest.raises(AnsibleFilterError) as caught:
        time_window(around, before=before, after=after)
    assert words in str(caught.value)


def test_time_window_unknown_zone():
    with pytest.raises(AnsibleFilterError) as caught:
        time_window("2026-11-20 14:05:00", timezone="Mars/Olympus")
    assert "is not a time zone name" in str(caught.value)
