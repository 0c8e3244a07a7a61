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
  - V(last) is a whole number and a unit, V(s), V(m), V(h), V(d) or V(w) (V(30m), V(24h), V(7d)), at most V(3650d)
    (about ten years), as the modules take it; the period ends
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

from ansible_collections.secops.async_tasks.plugins.plugin_utils.periods import resolve


def resolve_time_range(period, now=None, timezone=None):
    """``{"start", "end"}`` for ``{"last": ...}`` or ``{"start": ..., "end": ...}`` (see DOCUMENTATION)."""
    return resolve(period, now=now, timezone=timezone)


class FilterModule:
    """secops.async_tasks.resolve_time_range"""

    def filters(self):
        return {"resolve_time_range": resolve_time_range}
