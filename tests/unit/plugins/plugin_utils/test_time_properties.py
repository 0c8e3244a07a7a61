# -*- coding: utf-8 -*-
# Copyright (c) 2026, secops.async_tasks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Property tests of the one time vocabulary (module_utils/times.py) through everything that takes a
duration or a period: every module option found in the argument specs (time_range, searches[].time_range)
through the runner code that reads it, and the filters resolve_time_range and time_window.

Whatever is drawn, the answer is a period that starts before it ends, within MAX_DURATION where a
duration made it, or the product's own refusal naming the option (InvalidInput, AnsibleFilterError):
never an OverflowError, ValueError or any other exception. make test draws the same examples every
run; make reliability sets SECOPS_PROPERTY_RANDOM=1 (and SECOPS_PROPERTY_EXAMPLES) to explore.
"""

from __future__ import annotations

import datetime
import importlib
import os
import pkgutil
import re

import pytest
from ansible.errors import AnsibleFilterError
from hypothesis import HealthCheck, given, settings, strategies as st

from ansible_collections.secops.async_tasks.plugins import modules as modules_package
from ansible_collections.secops.async_tasks.plugins.filter.resolve_time_range import resolve_time_range
from ansible_collections.secops.async_tasks.plugins.filter.time_window import time_window
from ansible_collections.secops.async_tasks.plugins.module_utils import faz_logsearch_runner, faz_runner, report_runner, times
from ansible_collections.secops.async_tasks.plugins.module_utils.errors import InvalidInput

EXAMPLES = int(os.environ.get("SECOPS_PROPERTY_EXAMPLES", "100"))
DERANDOMIZE = os.environ.get("SECOPS_PROPERTY_RANDOM") != "1"
PROPERTY = settings(max_examples=EXAMPLES, deadline=None, derandomize=DERANDOMIZE,
                    suppress_health_check=[HealthCheck.too_slow])
STAMP = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$")
PERIOD_OPTIONS = {"start", "end", "last"}

# -- what is drawn ----------------------------------------------------------------------------
UNITS = st.sampled_from("smhdwSMHDWyx")
SPACE = st.sampled_from(["", " ", "  ", "\t", "\n"])
# Numbers around every unit's limit (3650d = 315360000s), very long ones, leading zeros, non-ASCII digits.
NUMBERS = st.one_of(
    st.integers(0, 400000000).map(str),
    st.sampled_from(["3650", "3651", "520", "521", "522", "87600", "87601", "5256000", "5256001", "315360000",
                     "315360001", "3000000", "99999999999999999999", "0", "00", "-1", "1.5", "\u0661", "\uff11"]),
    st.integers(1, 6000).map(lambda n: "9" * n),
    st.tuples(st.integers(1, 30), st.integers(0, 9999)).map(lambda pair: "0" * pair[0] + str(pair[1])),
)
DURATION_TEXT = st.builds(lambda a, n, b, u, c: a + n + b + u + c, SPACE, NUMBERS, SPACE, UNITS, SPACE)
DURATIONS = st.one_of(DURATION_TEXT, st.text(max_size=12), st.none(), st.integers(), st.booleans(),
                      st.lists(st.text(max_size=3), max_size=2))
MOMENTS = st.datetimes(min_value=datetime.datetime(1, 1, 1), max_value=datetime.datetime(9999, 12, 31, 23, 59, 59))
ZONE_SUFFIX = st.sampled_from(["", "", "Z", "+01:00", "-05:30", "+14:00", "-23:59", "+24:00"])
TIME_TEXT = st.one_of(
    st.builds(lambda moment, sep, suffix: "%04d-%02d-%02d%s%02d:%02d:%02d%s" % (
        moment.year, moment.month, moment.day, sep, moment.hour, moment.minute, moment.second, suffix),
        MOMENTS, st.sampled_from([" ", "T"]), ZONE_SUFFIX),
    MOMENTS.map(lambda moment: "%04d-%02d-%02d" % (moment.year, moment.month, moment.day)),
    st.sampled_from(["0001-01-01 00:00:00", "9999-12-31 23:59:59", "2026-02-30 10:00", "2026-11-20T25:00",
                     "yesterday", "", "   "]),
    st.text(max_size=20),
)
TIMES = st.one_of(TIME_TEXT, st.none(), MOMENTS)
ZONES = st.sampled_from([None, "", "UTC", "Europe/Paris", "Pacific/Kiritimati", "America/St_Johns", "Mars/Olympus"])
PERIODS = st.fixed_dictionaries({}, optional={"last": DURATIONS, "start": TIMES, "end": TIMES})


# -- the module options that take a period, found in the argument specs ------------------------------
def period_options():
    """(module, option path) of every option whose sub-options are start, end and last."""
    found = []

    def walk(module, spec, prefix):
        for name, option in spec.items():
            options = option.get("options") or {}
            if set(options) == PERIOD_OPTIONS:
                found.append((module, prefix + name))
            elif options:
                walk(module, options, prefix + name + ".")

    folders = list(modules_package.__path__)
    for info in sorted(pkgutil.iter_modules(folders), key=lambda info: info.name):
        module = importlib.import_module(modules_package.__name__ + "." + info.name)
        walk(info.name, module.argument_spec(), "")
    return found


def defaults(module):
    spec = importlib.import_module(modules_package.__name__ + "." + module).argument_spec()
    return dict((name, option.get("default")) for name, option in spec.items())


def fortiview_task(time_range, timezone):
    params = dict(defaults("faz_fortiview_task"), view="top-sources", time_range=time_range, timezone=timezone)
    return faz_runner.task_request(params, "top-sources")["time_range"]


def log_search(time_range, timezone):
    params = dict(defaults("faz_log_search"), logtype="traffic", time_range=time_range, timezone=timezone)
    specs, _batch = faz_logsearch_runner.planned_searches(params)
    return specs[0]["request"]["time-range"]


def log_searches_entry(time_range, timezone):
    params = dict(defaults("faz_log_search"), timezone=timezone,
                  searches=[{"logtype": "traffic", "time_range": time_range}])
    specs, _batch = faz_logsearch_runner.planned_searches(params)
    return specs[0]["request"]["time-range"]


def report_run(time_range, timezone):
    return report_runner.report_period(dict(defaults("faz_report"), time_range=time_range, timezone=timezone))


def report_history(time_range, timezone):
    return report_runner.history_period(dict(defaults("faz_report_info"), time_range=time_range, timezone=timezone))


# How the runners read each option: a module option that takes a period and is not here fails below.
READERS = {
    ("faz_report", "time_range"): report_run,
    ("faz_report_info", "time_range"): report_history,
    ("faz_fortiview_task", "time_range"): fortiview_task,
    ("faz_log_search", "time_range"): log_search,
    ("faz_log_search", "searches.time_range"): log_searches_entry,
}


def test_every_module_option_that_takes_a_period_is_drawn_here():
    assert sorted(period_options()) == sorted(READERS)


def assert_a_period(period, longest=None):
    assert set(period) == {"start", "end"} and STAMP.match(period["start"]) and STAMP.match(period["end"])
    start, end = (datetime.datetime.strptime(period[key], times.TIME_FORMAT) for key in ("start", "end"))
    assert start < end
    if longest is not None:
        assert end - start <= longest


def as_option(drawn):
    """A drawn period as the module's argument spec hands it over: every sub-option present, text or None."""
    return None if drawn is None else dict((key, drawn.get(key)) for key in sorted(PERIOD_OPTIONS))


@pytest.mark.parametrize("reader", sorted(READERS), ids="/".join)
@PROPERTY
@given(drawn=st.none() | PERIODS, timezone=ZONES)
def test_a_module_period_is_a_period_or_a_refusal_naming_the_option(reader, drawn, timezone):
    time_range = as_option(drawn)
    if time_range is not None:
        time_range = dict((key, value if value is None or isinstance(value, str) else str(value))
                          for key, value in time_range.items())
    try:
        period = READERS[reader](time_range, timezone)
    except InvalidInput as err:
        assert err.details["option"] in ("time_range", "timezone"), err.details
        assert err.msg.startswith(("time_range", "timezone")), err.msg
        return
    assert_a_period(period, times.MAX_DURATION if (time_range or {}).get("last") else None)


@PROPERTY
@given(duration=DURATIONS, allow_zero=st.booleans())
def test_a_duration_is_bounded_or_refused_naming_the_option(duration, allow_zero):
    try:
        delta = times.parse_duration(duration, "time_range.last", "time_range", allow_zero=allow_zero)
    except InvalidInput as err:
        assert err.details["option"] == "time_range" and err.msg.startswith("time_range.last ")
        return
    match = re.match(r"^\s*0*(\d+)\s*([smhdw])\s*$", duration, re.IGNORECASE | re.ASCII)
    assert match, duration
    assert delta.total_seconds() == int(match.group(1)) * times.DURATION_UNITS[match.group(2).lower()]
    assert datetime.timedelta(0) <= delta <= times.MAX_DURATION and (delta or allow_zero)


@PROPERTY
@given(period=st.one_of(PERIODS, DURATIONS), now=st.none() | TIMES, timezone=ZONES)
def test_the_resolve_time_range_filter_gives_a_period_or_its_own_error(period, now, timezone):
    try:
        resolved = resolve_time_range(period, now=now, timezone=timezone)
    except AnsibleFilterError as err:
        assert str(err).startswith("resolve_time_range: ")
        return
    assert_a_period(resolved, times.MAX_DURATION if isinstance(period, str) or (
        isinstance(period, dict) and period.get("last") not in (None, "")) else None)


@PROPERTY
@given(around=TIMES, before=DURATIONS, after=DURATIONS, timezone=ZONES)
def test_the_time_window_filter_gives_a_period_or_its_own_error(around, before, after, timezone):
    try:
        window = time_window(around, before=before, after=after, timezone=timezone)
    except AnsibleFilterError as err:
        assert str(err).startswith("time_window: ")
        return
    assert_a_period(window, 2 * times.MAX_DURATION)
