# -*- coding: utf-8 -*-
# Copyright (c) 2026, secops.async_tasks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""times.py: the time forms users write, Z/offset conversion through timezone, the zoneinfo guard."""

from __future__ import annotations

import datetime

import pytest

from ansible_collections.secops.async_tasks.plugins.module_utils import times
from ansible_collections.secops.async_tasks.plugins.module_utils.errors import InvalidInput

PARIS = times.load_zone("Europe/Paris")


@pytest.mark.parametrize("text, expected", [
    ("2025-01-01 00:00:00", "2025-01-01 00:00:00"),
    ("2025-01-01T00:00:00", "2025-01-01 00:00:00"),
    ("2025-01-01 08:15", "2025-01-01 08:15:00"),
    ("2025-01-01T08:15", "2025-01-01 08:15:00"),
    (" 2025-06-30T23:59:59.250 ", "2025-06-30 23:59:59"),
    ("2025-01-01", "2025-01-01 00:00:00"),
])
def test_forms_without_a_zone_are_taken_as_they_are(text, expected):
    assert times.format_time(times.parse_time(text, "time_range.start")) == expected
    # a zone changes nothing for them: they already are in the appliance's time
    assert times.format_time(times.parse_time(text, "time_range.start", zone=PARIS)) == expected


def test_a_bare_date_as_an_end_covers_the_day():
    assert times.format_time(times.parse_time("2025-01-01", "end", date_only_end=True)) == "2025-01-01 23:59:59"


@pytest.mark.parametrize("text, expected", [
    ("2025-01-01T00:00:00Z", "2025-01-01 01:00:00"),          # winter: Paris is UTC+1
    ("2025-07-01T00:00:00Z", "2025-07-01 02:00:00"),          # summer: UTC+2
    ("2025-07-01T00:00:00+02:00", "2025-07-01 00:00:00"),
    ("2025-07-01 00:00-0400", "2025-07-01 06:00:00"),
    ("2025-01-01T00:00+05", "2024-12-31 20:00:00"),
    ("2025-03-30T01:30:00Z", "2025-03-30 03:30:00"),           # the hour Paris skips in spring
])
def test_times_with_a_zone_are_converted_into_the_appliance_zone(text, expected):
    assert times.format_time(times.parse_time(text, "time_range.start", zone=PARIS)) == expected


def test_a_time_with_a_zone_is_refused_without_timezone():
    with pytest.raises(InvalidInput) as caught:
        times.parse_time("2025-01-01T00:00:00Z", "time_range.start", option="time_range")
    assert caught.value.details["option"] == "time_range" and "time_range.start" in caught.value.msg
    assert "timezone is not set" in caught.value.msg and "Europe/Paris" in caught.value.msg


@pytest.mark.parametrize("text", ["2025-13-01 00:00:00", "2025-02-30T10:00", "01/02/2025", "2025-01-01 25:00",
                                  "2025-01-01T00:00:00+25:00", "yesterday", "", None, "2025-01-01T00"])
def test_what_is_not_a_time_is_refused_naming_the_option(text):
    with pytest.raises(InvalidInput) as caught:
        times.parse_time(text, "ended_after", zone=PARIS)
    assert caught.value.details["option"] == "ended_after"
    assert "ended_after" in caught.value.msg


def test_datetimes_are_taken_and_aware_ones_converted():
    naive = datetime.datetime(2025, 1, 1, 12, 0, 0, 999)
    assert times.parse_time(naive, "now") == datetime.datetime(2025, 1, 1, 12, 0, 0)
    aware = datetime.datetime(2025, 1, 1, 12, 0, tzinfo=datetime.timezone.utc)
    assert times.parse_time(aware, "now", zone=PARIS) == datetime.datetime(2025, 1, 1, 13, 0)
    with pytest.raises(InvalidInput):
        times.parse_time(aware, "now")


@pytest.mark.parametrize("name", ["Mars/Olympus", "", "../../etc/passwd", "/etc/localtime", "Europe/../UTC"])
def test_unknown_zone_names_are_refused(name):
    with pytest.raises(InvalidInput) as caught:
        times.load_zone(name)
    assert caught.value.details["option"] == "timezone" and "IANA" in caught.value.msg


def test_without_zoneinfo_timezone_says_which_python_is_needed(monkeypatch):
    monkeypatch.setattr(times, "zoneinfo", None)
    with pytest.raises(InvalidInput) as caught:
        times.load_zone("Europe/Paris")
    assert "Python 3.9" in caught.value.msg and "backports.zoneinfo" in caught.value.msg


def test_now_in_a_zone_is_that_zone_wall_clock():
    utc_now = times.now_in(times.load_zone("UTC"))
    tokyo_now = times.now_in(times.load_zone("Asia/Tokyo"))
    assert abs((tokyo_now - utc_now) - datetime.timedelta(hours=9)) < datetime.timedelta(seconds=5)
    assert tokyo_now.tzinfo is None and tokyo_now.microsecond == 0
