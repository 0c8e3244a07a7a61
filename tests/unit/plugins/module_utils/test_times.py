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


@pytest.mark.parametrize("text, delta", [
    ("30s", datetime.timedelta(seconds=30)), ("15m", datetime.timedelta(minutes=15)), ("24h", datetime.timedelta(hours=24)),
    ("7d", datetime.timedelta(days=7)), ("2W", datetime.timedelta(weeks=2)), (" 1 h ", datetime.timedelta(hours=1)),
])
def test_parse_duration(text, delta):
    assert times.parse_duration(text, "time_range.last") == delta


@pytest.mark.parametrize("text", ["0h", "24", "h", "1y", "-1h", "1.5h"])
def test_parse_duration_rejects(text):
    with pytest.raises(InvalidInput):
        times.parse_duration(text, "time_range.last")


NOW = datetime.datetime(2026, 3, 10, 12, 30, 45, 123456)


@pytest.mark.parametrize("time_range, expected", [
    (None, {"start": "2026-03-10 11:30:45", "end": "2026-03-10 12:30:45"}),
    ({"last": "24h"}, {"start": "2026-03-09 12:30:45", "end": "2026-03-10 12:30:45"}),
    ({"start": "2026-03-01 00:00:00", "end": "2026-03-02 06:00:00"}, {"start": "2026-03-01 00:00:00", "end": "2026-03-02 06:00:00"}),
    ({"start": "2026-03-01T08:00:00"}, {"start": "2026-03-01 08:00:00", "end": "2026-03-10 12:30:45"}),
    ({"start": "2026-03-01", "end": "2026-03-02 10:15"}, {"start": "2026-03-01 00:00:00", "end": "2026-03-02 10:15:00"}),
])
def test_resolve_time_range(time_range, expected):
    assert times.resolve_time_range(time_range, now=NOW) == expected


@pytest.mark.parametrize("time_range", [
    {"last": "24h", "start": "2026-03-01 00:00:00"},
    {"end": "2026-03-01 00:00:00"},
    {"start": "2026-03-02 00:00:00", "end": "2026-03-01 00:00:00"},
    {"start": "2026-03-01 00:00:00", "end": "2026-03-01 00:00:00"},
    {"start": "next tuesday"},
    {"last": "forever"},
])
def test_resolve_time_range_rejects(time_range):
    with pytest.raises(InvalidInput) as caught:
        times.resolve_time_range(time_range, now=NOW)
    assert caught.value.details["option"] == "time_range"


@pytest.mark.parametrize("text", ["3000000w", "3651d", "522w", "87601h", "5256001m", "315360001s", "9" * 5000 + "s",
                                  "0" * 40 + "3651d"])
def test_a_duration_past_the_maximum_is_refused_naming_the_option(text):
    with pytest.raises(InvalidInput) as caught:
        times.parse_duration(text, "time_range.last", "time_range")
    assert caught.value.details["option"] == "time_range"
    assert caught.value.msg.startswith("time_range.last ") and "longer than the maximum, 3650d" in caught.value.msg


@pytest.mark.parametrize("text", ["3650d", "520w", "87600h", "315360000s", "0003650d"])
def test_the_maximum_itself_is_a_duration(text):
    assert times.parse_duration(text, "time_range.last") <= times.MAX_DURATION


@pytest.mark.parametrize("value", ["\u0661h", "\uff11h", 24, None, True, ["1h"]])
def test_only_ascii_digits_and_text_are_durations(value):
    with pytest.raises(InvalidInput, match="is not a duration"):
        times.parse_duration(value, "before")


def test_zero_is_a_duration_only_where_allowed():
    assert times.parse_duration("0s", "after", allow_zero=True) == datetime.timedelta(0)
    with pytest.raises(InvalidInput, match="more than zero"):
        times.parse_duration("0s", "time_range.last")


@pytest.mark.parametrize("now, last", [("0001-01-02 00:00:00", "2d"), ("0005-01-01 00:00:00", "3650d")])
def test_a_period_that_leaves_the_calendar_is_refused(now, last):
    with pytest.raises(InvalidInput, match="reaches past the calendar") as caught:
        times.resolve_period({"last": last}, "time_range", now=now)
    assert caught.value.details["option"] == "time_range"


def test_shift_past_9999_is_refused():
    with pytest.raises(InvalidInput, match="after reaches past the calendar"):
        times.shift(datetime.datetime(9999, 12, 31, 23, 0), datetime.timedelta(hours=2), "after")


def test_period_messages_name_the_keys_under_the_option():
    with pytest.raises(InvalidInput, match=r"^time_range.start 'soon' is not a time"):
        times.resolve_period({"start": "soon"}, "time_range")
    with pytest.raises(InvalidInput, match=r"^start 'soon' is not a time"):
        times.resolve_period({"start": "soon"})
    with pytest.raises(InvalidInput, match=r"^time_range: give either last"):
        times.resolve_period({"last": "1h", "end": "2026-01-01"}, "time_range")


def test_zone_of_nothing_is_none():
    assert times.zone_of(None) is None and times.zone_of("  ") is None
    assert times.zone_of("Europe/Paris") == PARIS


@pytest.mark.parametrize("moment, text", [(datetime.datetime(999, 1, 2, 3, 4, 5), "0999-01-02 03:04:05"),
                                          (datetime.datetime(1, 1, 1), "0001-01-01 00:00:00")])
def test_a_year_before_1000_keeps_four_digits(moment, text):
    assert times.format_time(moment) == text
    assert times.format_time(moment, times.ISO_FORMAT) == text.replace(" ", "T")
