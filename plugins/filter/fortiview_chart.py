# -*- coding: utf-8 -*-
# Copyright (c) 2026, secops.async_tasks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: fortiview_chart
short_description: Scale ranked FortiView entries into the bars of a horizontal bar chart
version_added: 0.1.0
author:
  - SecOps Automation Team
description:
  - Gives each entry of a ranking (as P(secops.async_tasks.fortiview_rank#filter) returns them) a bar length in
    proportion to its number, the largest spanning O(width); what the HTML page of the
    C(secops.async_tasks.fortiview_report) role draws, for your own report templates or dashboards.
  - Lengths are rounded to two decimals. With no entries, or when every number is 0, every bar is 0 long.
  - Numbers no appliance counts are still charted, never failed on - a negative number gets a bar 0 long (never a
    negative length), one beyond 64 bits is scaled like any other - and are counted in RV(_value.out_of_range), for
    the report to say so.
positional: _input, by
options:
  _input:
    description: The ranked entries, each with an integer C(bytes) and C(sessions).
    type: list
    elements: dict
    required: true
  by:
    description: The number the bars show.
    type: str
    choices: [bytes, sessions]
    default: bytes
  width:
    description: Length of the longest bar (pixels, characters, any unit), 1 or more.
    type: int
    default: 290
seealso:
  - plugin: secops.async_tasks.fortiview_rank
    plugin_type: filter
"""

EXAMPLES = r"""
- name: A text chart of the top sources by sessions
  ansible.builtin.debug:
    msg: "{{ bar.entry.name }} {{ '#' * (bar.width | int) }} {{ bar.value }}"
  loop: "{{ (rows | secops.async_tasks.fortiview_rank('top-sources', by='sessions', limit=10)
            | secops.async_tasks.fortiview_chart('sessions', width=40)).bars }}"
  loop_control:
    loop_var: bar
"""

RETURN = r"""
_value:
  description: The chart.
  type: dict
  contains:
    scale_max:
      description: The largest number, which the longest bar shows (0 without entries, or when none is positive).
      type: int
    width:
      description: The length of that bar, O(width).
      type: int
    out_of_range:
      description: Entries whose number is negative or beyond a signed 64-bit integer.
      type: int
    bars:
      description: One per entry, in order - the C(entry), its C(value) (the number charted) and the bar's C(width).
      type: list
      elements: dict
"""

from ansible_collections.secops.async_tasks.plugins.plugin_utils.fortiview import chart


def fortiview_chart(entries, by="bytes", width=290):
    """Bars scaled to the largest number (see DOCUMENTATION)."""
    return chart(entries, by=by, width=width)


class FilterModule:
    """secops.async_tasks.fortiview_chart"""

    def filters(self):
        return {"fortiview_chart": fortiview_chart}
