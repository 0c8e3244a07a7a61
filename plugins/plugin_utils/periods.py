# -*- coding: utf-8 -*-
# Copyright (c) 2026, secops.async_tasks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Periods for the controller-side filters: a period around a moment (time_window) and a FortiView
period resolved into fixed times (resolve_time_range). Nothing here runs on a managed node."""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping

from ansible.errors import AnsibleFilterError

from ansible_collections.secops.async_tasks.plugins.module_utils.errors import InvalidInput
from ansible_collections.secops.async_tasks.plugins.module_utils.times import format_time, load_zone, now_in, parse_time

DURATION = re.compile(r"^\s*(\d+)\s*([smhdw])\s*$", re.IGNORECASE)
DURATION_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


def _moment(value, zone):
    """The moment as the modules read a time (times.parse_time: the same forms, Z/offset through timezone)."""
    try:
        return parse_time(value, "time", zone)
    except InvalidInput as err:
        raise AnsibleFilterError("time_window: %s" % err.msg) from None


def _duration(value, where):
    match = DURATION.match(str(value))
    if not match:
        raise AnsibleFilterError("time_window: %s %r is not a duration: use a whole number and a unit s, m, h, d or "
                                 "w, such as 30m or 2h" % (where, value))
    return datetime.timedelta(seconds=int(match.group(1)) * DURATION_UNITS[match.group(2).lower()])


def window(around, before="1h", after="1h", timezone=None):
    """``{"start", "end"}`` from ``before`` before ``around`` to ``after`` after it, in the appliance's zone."""
    if around is None or str(around).strip() == "":
        raise AnsibleFilterError("time_window: give the time to search around")
    try:
        zone = load_zone(timezone) if timezone else None
    except InvalidInput as err:
        raise AnsibleFilterError("time_window: %s" % err.msg) from None
    moment = _moment(around, zone)
    start, end = moment - _duration(before, "before"), moment + _duration(after, "after")
    if end <= start:
        raise AnsibleFilterError("time_window: before and after add up to nothing; give at least one second")
    return {"start": format_time(start), "end": format_time(end)}


TIME_FORMAT = "%Y-%m-%d %H:%M:%S"
_RANGE_DURATION = re.compile(r"^\s*(\d+)\s*([smhdw])\s*$", re.IGNORECASE)
_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


def _last(text):
    match = _RANGE_DURATION.match(str(text))
    if not match or int(match.group(1)) <= 0:
        raise AnsibleFilterError("resolve_time_range: last %r is not a duration; use a whole number and a unit s, m, "
                                 "h, d or w, such as 24h or 7d" % (text,))
    try:
        return datetime.timedelta(seconds=int(match.group(1)) * _SECONDS[match.group(2).lower()])
    except OverflowError:
        raise AnsibleFilterError("resolve_time_range: last %r is longer than the calendar allows" % (text,)) from None


def _range_time(value, which, zone):
    try:
        return parse_time(value, which, zone)
    except InvalidInput as err:
        raise AnsibleFilterError("resolve_time_range: %s" % err.msg) from None


def _given(period, key):
    value = period.get(key)
    return None if value is None or not str(value).strip() else value


def _bounds(period, now, zone):
    last, start, end = _given(period, "last"), _given(period, "start"), _given(period, "end")
    if last is not None:
        if start is not None or end is not None:
            raise AnsibleFilterError("resolve_time_range: give either last, or start (and optionally end), not both")
        try:
            return now - _last(last), now
        except OverflowError:
            raise AnsibleFilterError("resolve_time_range: last %r reaches before the year 1" % (last,)) from None
    if start is None:
        raise AnsibleFilterError("resolve_time_range: give last (such as 24h), or start (and optionally end)")
    return _range_time(start, "start", zone), (_range_time(end, "end", zone) if end is not None else now)


def resolve(period, now=None, timezone=None):
    """``{"start", "end"}`` for ``{"last": ...}`` or ``{"start": ..., "end": ...}`` (see DOCUMENTATION)."""
    if isinstance(period, str):
        period = {"last": period}
    if not isinstance(period, Mapping):
        raise AnsibleFilterError("resolve_time_range: expected a dictionary with last, or start and end; got %s"
                                 % type(period).__name__)
    unknown = sorted(set(period) - {"last", "start", "end"})
    if unknown:
        raise AnsibleFilterError("resolve_time_range: unknown key(s) %s; the period takes last, start and end"
                                 % ", ".join(map(str, unknown)))
    try:
        zone = load_zone(timezone) if timezone else None
    except InvalidInput as err:
        raise AnsibleFilterError("resolve_time_range: %s" % err.msg) from None
    now = now_in(zone) if now is None else _range_time(now, "now", zone)
    start, end = _bounds(period, now, zone)
    if end <= start:
        raise AnsibleFilterError("resolve_time_range: the period ends (%s) before it starts (%s)"
                                 % (end.strftime(TIME_FORMAT), start.strftime(TIME_FORMAT)))
    return {"start": start.strftime(TIME_FORMAT), "end": end.strftime(TIME_FORMAT)}
