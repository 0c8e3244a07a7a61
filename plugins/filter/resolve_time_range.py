# -*- coding: utf-8 -*-
# Copyright (c) 2026, secops.async_tasks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: resolve_time_range
short_description: Turn a FortiView period (last 24h, or start and end) into fixed start and end times
version_added: 0.1.0
author:
  - SecOps Automation Team
description:
  - Resolves a period in the forms the O(secops.async_tasks.faz_fortiview_task#module:time_range) option takes
    into a fixed C(start) and C(end), C(YYYY-MM-DD HH:MM:SS). Resolve once and pass the result to every task
    that must cover exactly the same seconds.
  - V(last) is a whole number and a unit, V(s), V(m), V(h), V(d) or V(w) (V(30m), V(24h), V(7d)); the period ends
    now, by the clock of the controller (where filters run) or, with O(timezone), in the appliance's time zone,
    with seconds as the smallest unit.
  - V(start) and V(end) accept C(YYYY-MM-DD HH:MM[:SS]), C(YYYY-MM-DDTHH:MM[:SS]) or C(YYYY-MM-DD); V(end)
    defaults to now. Without a zone they are read as they are, in the appliance's time zone. With C(Z) or an
    offset (C(2026-11-20T08:00:00Z), C(2026-11-20T09:00:00+01:00)) they name an instant, which is converted
    into the zone O(timezone) names; without O(timezone) such a time is refused.
  - Empty values count as not given. Giving V(last) together with V(start) or V(end), a period that ends before
    it starts, or one that does not fit the calendar fails with a message saying what is accepted.
positional: _input
options:
  _input:
    description:
      - The period, a dictionary with V(last), or with V(start) and optionally V(end).
      - 'A string is taken as V(last); V(24h) is the same as C({"last": "24h"}).'
    type: raw
    required: true
  now:
    description:
      - The time the period ends at for V(last), and the default V(end); when not given, the current time in
        O(timezone), or the controller's local time without it. A C(datetime) or a string in one of the forms
        above.
    type: raw
  timezone:
    description:
      - The time zone the appliance reads times in, an IANA name such as V(Europe/Paris) (the same value as the
        modules' C(timezone) option). Needed for times with C(Z) or an offset; it also makes V(last) end at the
        appliance's current time.
    type: str
seealso:
  - module: secops.async_tasks.faz_fortiview_task
"""

EXAMPLES = r"""
- name: One period for every view of a report
  ansible.builtin.set_fact:
    period: "{{ {'last': '7d'} | secops.async_tasks.resolve_time_range }}"
  # period: {"start": "2026-11-23 12:00:00", "end": "2026-11-30 12:00:00"}

- name: A fixed period that ends now
  ansible.builtin.set_fact:
    period: "{{ {'start': '2026-11-01'} | secops.async_tasks.resolve_time_range }}"

- name: A FortiView task over it
  secops.async_tasks.faz_fortiview_task:
    view: top-sources
    time_range: "{{ period }}"

- name: The last day as the appliance in Paris counts it, wherever the controller runs
  ansible.builtin.set_fact:
    period: "{{ '24h' | secops.async_tasks.resolve_time_range(timezone='Europe/Paris') }}"

- name: An instant in UTC, converted into the appliance's time
  ansible.builtin.set_fact:
    period: "{{ {'start': '2026-11-20T07:00:00Z'} | secops.async_tasks.resolve_time_range(timezone='Europe/Paris') }}"
  # start: "2026-11-20 08:00:00"

- name: Reproducible, for a test
  ansible.builtin.assert:
    that: >-
      ('2h' | secops.async_tasks.resolve_time_range(now='2026-11-20 10:00:00'))
      == {'start': '2026-11-20 08:00:00', 'end': '2026-11-20 10:00:00'}
"""

RETURN = r"""
_value:
  description: The period as the appliance takes it.
  type: dict
  contains:
    start:
      description: Start, C(YYYY-MM-DD HH:MM:SS).
      type: str
      sample: "2026-11-20 08:00:00"
    end:
      description: End, C(YYYY-MM-DD HH:MM:SS), after the start.
      type: str
      sample: "2026-11-20 20:00:00"
"""

import datetime
import re
from collections.abc import Mapping

from ansible.errors import AnsibleFilterError

from ansible_collections.secops.async_tasks.plugins.module_utils.errors import InvalidInput
from ansible_collections.secops.async_tasks.plugins.module_utils.times import load_zone, now_in, parse_time

TIME_FORMAT = "%Y-%m-%d %H:%M:%S"
_DURATION = re.compile(r"^\s*(\d+)\s*([smhdw])\s*$", re.IGNORECASE)
_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


def _duration(text):
    match = _DURATION.match(str(text))
    if not match or int(match.group(1)) <= 0:
        raise AnsibleFilterError("resolve_time_range: last %r is not a duration; use a whole number and a unit s, m, "
                                 "h, d or w, such as 24h or 7d" % (text,))
    try:
        return datetime.timedelta(seconds=int(match.group(1)) * _SECONDS[match.group(2).lower()])
    except OverflowError:
        raise AnsibleFilterError("resolve_time_range: last %r is longer than the calendar allows" % (text,)) from None


def _time(value, which, zone):
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
            return now - _duration(last), now
        except OverflowError:
            raise AnsibleFilterError("resolve_time_range: last %r reaches before the year 1" % (last,)) from None
    if start is None:
        raise AnsibleFilterError("resolve_time_range: give last (such as 24h), or start (and optionally end)")
    return _time(start, "start", zone), (_time(end, "end", zone) if end is not None else now)


def resolve_time_range(period, now=None, timezone=None):
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
    now = now_in(zone) if now is None else _time(now, "now", zone)
    start, end = _bounds(period, now, zone)
    if end <= start:
        raise AnsibleFilterError("resolve_time_range: the period ends (%s) before it starts (%s)"
                                 % (end.strftime(TIME_FORMAT), start.strftime(TIME_FORMAT)))
    return {"start": start.strftime(TIME_FORMAT), "end": end.strftime(TIME_FORMAT)}


class FilterModule:
    """secops.async_tasks.resolve_time_range"""

    def filters(self):
        return {"resolve_time_range": resolve_time_range}
