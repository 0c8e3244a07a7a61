# -*- coding: utf-8 -*-
# Copyright (c) 2026, secops.async_tasks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: time_window
short_description: A period around a moment, as the start and end a log search or FortiView task takes
version_added: 0.1.0
author:
  - SecOps Automation Team
description:
  - Turns a moment (an alert's time, say) into C({start, end}), from O(before) before it to O(after) after it, in
    the form the O(secops.async_tasks.faz_log_search#module:time_range) option takes, C(YYYY-MM-DD HH:MM:SS).
  - The moment is read as the modules read a time - as it is, in the appliance's time zone; with C(Z) or an
    offset, converted into the zone O(timezone) names (refused without it).
positional: _input
options:
  _input:
    description:
      - The moment, C(YYYY-MM-DD HH:MM[:SS]) or C(YYYY-MM-DDTHH:MM[:SS]) (optionally with C(Z) or an offset), or a
        C(datetime).
    type: raw
    required: true
  before:
    description: How long before the moment the period starts - a whole number and a unit V(s), V(m), V(h), V(d), V(w),
      at most V(3650d) (about ten years), as the modules' O(secops.async_tasks.faz_log_search#module:time_range.last).
    type: str
    default: 1h
  after:
    description: How long after the moment the period ends, in the same form.
    type: str
    default: 1h
  timezone:
    description:
      - The zone the appliance reads times in (an IANA name such as V(Europe/Paris)), for a moment given with C(Z)
        or an offset; as the modules' O(secops.async_tasks.faz_log_search#module:timezone) option.
    type: str
seealso:
  - plugin: secops.async_tasks.log_top
    plugin_type: filter
  - module: secops.async_tasks.faz_log_search
"""

EXAMPLES = r"""
- name: The traffic of a host from 30 minutes before an alert to 2 hours after it
  secops.async_tasks.faz_log_search:
    logtype: traffic
    filter: srcip=10.0.1.5
    time_range: "{{ '2026-11-20 14:05:00' | secops.async_tasks.time_window(before='30m', after='2h') }}"
"""

RETURN = r"""
_value:
  description: The period.
  type: dict
  contains:
    start:
      description: Start, C(YYYY-MM-DD HH:MM:SS).
      type: str
      sample: "2026-11-20 13:35:00"
    end:
      description: End, C(YYYY-MM-DD HH:MM:SS).
      type: str
      sample: "2026-11-20 16:05:00"
"""

from ansible_collections.secops.async_tasks.plugins.plugin_utils.periods import window


def time_window(around, before="1h", after="1h", timezone=None):
    """``{start, end}`` around a moment (see DOCUMENTATION)."""
    return window(around, before=before, after=after, timezone=timezone)


class FilterModule:
    """secops.async_tasks.time_window"""

    def filters(self):
        return {"time_window": time_window}
