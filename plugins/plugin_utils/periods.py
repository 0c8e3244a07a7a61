# -*- coding: utf-8 -*-
# Copyright (c) 2026, secops.async_tasks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Periods for the controller-side filters: a period around a moment (time_window) and a FortiView
period resolved into fixed times (resolve_time_range). Nothing here runs on a managed node.

Every time, zone, duration and period is read by module_utils/times.py, as the modules read them;
what is left here is the filters' own shape of arguments.
"""

from __future__ import annotations

from collections.abc import Mapping

from ansible.errors import AnsibleFilterError

from ansible_collections.secops.async_tasks.plugins.module_utils.times import (
    PERIOD_KEYS,
    format_time,
    parse_duration,
    parse_time,
    resolve_period,
    shift,
    zone_of,
)
from ansible_collections.secops.async_tasks.plugins.plugin_utils.values import filter_errors


def window(around, before="1h", after="1h", timezone=None):
    """``{"start", "end"}`` from ``before`` before ``around`` to ``after`` after it, in the appliance's zone."""
    if around is None or str(around).strip() == "":
        raise AnsibleFilterError("time_window: give the time to search around")
    with filter_errors("time_window"):
        zone = zone_of(timezone)
        moment = parse_time(around, "time", zone)
        start = shift(moment, -parse_duration(before, "before", allow_zero=True), "before")
        end = shift(moment, parse_duration(after, "after", allow_zero=True), "after")
    if end <= start:
        raise AnsibleFilterError("time_window: before and after add up to nothing; give at least one second")
    return {"start": format_time(start), "end": format_time(end)}


def resolve(period, now=None, timezone=None):
    """``{"start", "end"}`` for ``{"last": ...}`` or ``{"start": ..., "end": ...}`` (a string: ``last``)."""
    if isinstance(period, str):
        period = {"last": period}
    if not isinstance(period, Mapping):
        raise AnsibleFilterError("resolve_time_range: expected a dictionary with last, or start and end; got %s"
                                 % type(period).__name__)
    unknown = sorted(set(map(str, period)) - set(PERIOD_KEYS))
    if unknown:
        raise AnsibleFilterError("resolve_time_range: unknown key(s) %s; the period takes last, start and end"
                                 % ", ".join(unknown))
    with filter_errors("resolve_time_range"):
        return resolve_period(period, now=now, zone=zone_of(timezone))
