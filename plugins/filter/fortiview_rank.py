# -*- coding: utf-8 -*-
# Copyright (c) 2026, secops.async_tasks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: fortiview_rank
short_description: Rank FortiView rows by bytes or sessions, each with a name and a detail
version_added: 0.1.0
author:
  - SecOps Automation Team
description:
  - Turns the rows of a FortiView task (RV(secops.async_tasks.faz_fortiview_result#module:rows)) into ranked
    entries with the same fields for every view - a C(name) (the source IP, the application, the country...),
    a C(detail) the appliance adds to it (host name, category), C(bytes), C(sessions) and a C(rank) from 1.
  - Sorts by O(by), largest first; entries with the same number keep the appliance's order.
  - The name and the detail are the first non-empty field of a list per view; a detail equal to the name is
    left out. Views V(top-sources), V(top-destinations), V(top-applications), V(top-websites),
    V(top-cloud-applications) and V(top-countries) have built-in lists (for both reply shapes of the
    appliance); any other view needs O(name_fields).
  - C(bytes) is the row's C(bytes), or its C(bandwidth) (what apiver 3 calls total bytes) when there is no
    C(bytes). A missing number counts as 0; a value that is not a number fails, naming the row and field.
positional: _input, view
options:
  _input:
    description:
      - The rows, a list of dictionaries; or one task's result with a C(rows) key (an entry of
        RV(secops.async_tasks.faz_fortiview_result#module:results), or the whole result of a single O(secops.async_tasks.faz_fortiview_result#module:tid)).
    type: raw
    required: true
  view:
    description: The FortiView view the rows come from; picks the built-in name and detail fields.
    type: str
  by:
    description: The number to rank by.
    type: str
    choices: [bytes, sessions]
    default: bytes
  limit:
    description: Keep only the first this many entries (1 or more); all when not given.
    type: int
  name_fields:
    description: Row fields to take the name from, the first non-empty one wins; replaces the view's own list.
    type: list
    elements: str
  detail_fields:
    description:
      - Row fields to take the detail from, the first non-empty one that differs from the name wins; replaces the
        view's own list. V([]) for no detail.
    type: list
    elements: str
seealso:
  - plugin: secops.async_tasks.fortiview_report_views
    plugin_type: filter
  - module: secops.async_tasks.faz_fortiview_result
"""

EXAMPLES = r"""
- name: Fetch the rows of a FortiView task
  secops.async_tasks.faz_fortiview_result:
    view: top-sources
    tid: 12450
    wait: true
  register: sources

- name: The five sources with the most sessions
  ansible.builtin.debug:
    msg: "{{ item.rank }}. {{ item.name }} ({{ item.detail }}): {{ item.sessions }} sessions"
  loop: "{{ sources.rows | secops.async_tasks.fortiview_rank('top-sources', by='sessions', limit=5) }}"

- name: A view without built-in fields
  ansible.builtin.set_fact:
    threats: "{{ rows | secops.async_tasks.fortiview_rank('top-threats', name_fields=['threat'], detail_fields=['threatlevel']) }}"
"""

RETURN = r"""
_value:
  description: The entries, best first.
  type: list
  elements: dict
  contains:
    rank:
      description: Position, from 1.
      type: int
    name:
      description: What the entry is; C((unknown)) when the row has none of the name fields.
      type: str
      sample: 10.0.1.150
    detail:
      description: What the appliance adds to it, or null.
      type: str
      sample: LAPTOP-USER01
    bytes:
      description: Total bytes, both directions.
      type: int
      sample: 2147483648
    sessions:
      description: Sessions.
      type: int
      sample: 4523
"""

from ansible_collections.secops.async_tasks.plugins.plugin_utils.fortiview import rank


def fortiview_rank(rows, view=None, by="bytes", limit=None, name_fields=None, detail_fields=None):
    """Ranked entries of FortiView rows (see DOCUMENTATION)."""
    return rank(rows, view=view, by=by, limit=limit, name_fields=name_fields, detail_fields=detail_fields)


class FilterModule:
    """secops.async_tasks.fortiview_rank"""

    def filters(self):
        return {"fortiview_rank": fortiview_rank}
