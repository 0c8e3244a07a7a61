"""plugins/filter/resolve_time_range.py: the forms faz_fortiview_task's time_range accepts, resolved once."""

import datetime

import pytest

from ansible.errors import AnsibleFilterError

from ansible_collections.secops.async_tasks.plugins.filter.resolve_time_range import FilterModule, resolve_time_range

NOW = "2026-11-20 10:00:00"


@pytest.mark.parametrize("last, start", [
    ("30s", "2026-11-20 09:59:30"), ("30m", "2026-11-20 09:30:00"), ("2h", "2026-11-20 08:00:00"),
    ("7d", "2026-11-13 10:00:00"), ("2w", "2026-11-06 10:00:00"), (" 24H ", "2026-11-19 10:00:00"),
    ("1 d", "2026-11-19 10:00:00"),
])
def test_last_ends_now(last, start):
    assert resolve_time_range({"last": last}, now=NOW) == {"start": start, "end": NOW}


def test_a_string_is_last():
    assert resolve_time_range("2h", now=NOW) == {"start": "2026-11-20 08:00:00", "end": NOW}


def test_now_defaults_to_the_local_clock_without_microseconds():
    before = datetime.datetime.now().replace(microsecond=0)
    period = resolve_time_range({"last": "1h"})
    after = datetime.datetime.now()
    end = datetime.datetime.strptime(period["end"], "%Y-%m-%d %H:%M:%S")
    assert before <= end <= after
    assert end - datetime.datetime.strptime(period["start"], "%Y-%m-%d %H:%M:%S") == datetime.timedelta(hours=1)


def test_now_as_a_datetime():
    now = datetime.datetime(2026, 11, 20, 10, 0, 0, 123456)
    assert resolve_time_range({"last": "1m"}, now=now) == {"start": "2026-11-20 09:59:00", "end": NOW}


@pytest.mark.parametrize("start, expected", [
    ("2026-11-20 08:00:00", "2026-11-20 08:00:00"), ("2026-11-20T08:00:00", "2026-11-20 08:00:00"),
    ("2026-11-20 08:00", "2026-11-20 08:00:00"), ("2026-11-20", "2026-11-20 00:00:00"),
])
def test_start_forms(start, expected):
    assert resolve_time_range({"start": start, "end": NOW}, now=NOW) == {"start": expected, "end": NOW}


def test_end_defaults_to_now_and_empty_values_count_as_unset():
    assert resolve_time_range({"start": "2026-11-20 08:00:00", "end": "", "last": ""}, now=NOW) \
        == {"start": "2026-11-20 08:00:00", "end": NOW}
    assert resolve_time_range({"start": "2026-11-20 08:00:00", "end": None}, now=NOW)["end"] == NOW


@pytest.mark.parametrize("period, words", [
    ({"last": "24h", "start": "2026-11-20 08:00:00"}, "either last"),
    ({}, "give last"),
    ({"last": "", "start": " "}, "give last"),
    ({"last": "0h"}, "not a duration"),
    ({"last": "-1h"}, "not a duration"),
    ({"last": "1.5h"}, "not a duration"),
    ({"last": "24"}, "not a duration"),
    ({"last": "24y"}, "not a duration"),
    ({"last": "1h\n"}, None),  # trailing whitespace is fine (checked below)
    ({"last": "99999999999d"}, "last '99999999999d' is longer than the maximum, 3650d"),
    ({"last": "99999999w"}, "longer than the maximum"),
    ({"start": "yesterday"}, "start 'yesterday' is not a time"),
    ({"start": "2026-11-20 08:00:00", "end": "2026-13-01"}, "end '2026-13-01' is not a time"),
    ({"start": "2026-11-20 10:00:00", "end": "2026-11-20 08:00:00"}, "ends (2026-11-20 08:00:00) before it starts"),
    ({"start": NOW, "end": NOW}, "before it starts"),
    ({"last": "1h", "since": "x"}, "unknown key(s) since"),
])
def test_what_is_refused(period, words):
    if words is None:
        assert resolve_time_range(period, now=NOW)["start"] == "2026-11-20 09:00:00"
        return
    with pytest.raises(AnsibleFilterError) as caught:
        resolve_time_range(period, now=NOW)
    assert words in str(caught.value)
    assert str(caught.value).startswith("resolve_time_range: ")


@pytest.mark.parametrize("period", [None, 24, ["24h"]])
def test_wrong_types(period):
    with pytest.raises(AnsibleFilterError, match="expected a dictionary"):
        resolve_time_range(period, now=NOW)


def test_bad_now():
    with pytest.raises(AnsibleFilterError, match="now 'soon' is not a time"):
        resolve_time_range("1h", now="soon")


def test_registered_under_its_name():
    assert FilterModule().filters() == {"resolve_time_range": resolve_time_range}


@pytest.mark.parametrize("start, expected", [
    ("2026-11-20T08:00", "2026-11-20 08:00:00"), ("2026-11-20T07:00:00Z", "2026-11-20 08:00:00"),
    ("2026-11-20T09:30:00+02:30", "2026-11-20 08:00:00"), ("2026-11-20 08:00", "2026-11-20 08:00:00"),
])
def test_forms_with_timezone(start, expected):
    period = resolve_time_range({"start": start, "end": NOW}, now=NOW, timezone="Europe/Paris")
    assert period == {"start": expected, "end": NOW}


def test_a_time_with_a_zone_needs_timezone():
    with pytest.raises(AnsibleFilterError) as caught:
        resolve_time_range({"start": "2026-11-20T07:00:00Z", "end": NOW}, now=NOW)
    assert "timezone is not set" in str(caught.value) and str(caught.value).startswith("resolve_time_range: ")


def test_last_ends_at_the_appliance_clock():
    tokyo = resolve_time_range("1h", timezone="Asia/Tokyo")
    utc = resolve_time_range("1h", timezone="UTC")
    end = datetime.datetime.strptime(tokyo["end"], "%Y-%m-%d %H:%M:%S")
    assert abs(end - datetime.datetime.strptime(utc["end"], "%Y-%m-%d %H:%M:%S") - datetime.timedelta(hours=9)) \
        < datetime.timedelta(seconds=5)


def test_unknown_timezone():
    with pytest.raises(AnsibleFilterError, match="IANA"):
        resolve_time_range("1h", timezone="Mars/Olympus")


def test_a_period_before_the_year_1_is_refused():
    with pytest.raises(AnsibleFilterError, match="^resolve_time_range: last reaches past the calendar"):
        resolve_time_range("2d", now="0001-01-02 00:00:00")
