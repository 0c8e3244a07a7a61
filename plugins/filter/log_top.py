# -*- coding: utf-8 -*-
# Copyright (c) 2026, secops.async_tasks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: log_top
short_description: Count the rows of a log search by one or more fields, most frequent first
version_added: 0.1.0
author:
  - SecOps Automation Team
description:
  - Groups the rows of a log search (RV(secops.async_tasks.faz_log_search#module:rows)) by the value of O(fields)
    - the destinations a host talked to, the ports, the IPS signatures - and counts them.
  - Each entry has the grouped fields, C(count) (rows in the group), each field of O(sum_fields) added up over the
    group, and C(rank) from 1. Entries are sorted by C(count), largest first, then by value.
  - A row without a grouped field (or with an empty one) counts under C((none)). A summed field that is missing
    counts as 0; one that is not a number fails, naming the row and the field.
positional: _input, fields
options:
  _input:
    description:
      - The rows, a list of dictionaries; or a log search result with a C(rows) key (the whole result of
        M(secops.async_tasks.faz_log_search), or an entry of its RV(secops.async_tasks.faz_log_search#module:results)).
    type: raw
    required: true
  fields:
    description: The field to group by, or a list of fields (grouped by their values together).
    type: raw
    required: true
  limit:
    description: Keep only the first this many entries (1 or more). Default 10; V(null) keeps all.
    type: int
    default: 10
  sum_fields:
    description: Numeric fields to add up per group, such as V(sentbyte) and V(rcvdbyte).
    type: list
    elements: str
seealso:
  - module: secops.async_tasks.faz_log_search
  - plugin: secops.async_tasks.time_window
    plugin_type: filter
"""

EXAMPLES = r"""
- name: Everything 10.0.1.5 sent yesterday
  secops.async_tasks.faz_log_search:
    logtype: traffic
    filter: srcip=10.0.1.5
    time_range:
      last: 24h
    max_rows: 10000
  register: traffic

- name: Its ten most used destinations, with the bytes each way
  ansible.builtin.debug:
    msg: "{{ item.rank }}. {{ item.dstip }}: {{ item.count }} sessions, {{ item.sentbyte }} bytes out"
  loop: "{{ traffic | secops.async_tasks.log_top('dstip', sum_fields=['sentbyte', 'rcvdbyte']) }}"

- name: Ports and services, all of them
  ansible.builtin.set_fact:
    ports: "{{ traffic.rows | secops.async_tasks.log_top(['dstport', 'service'], limit=None) }}"
"""

RETURN = r"""
_value:
  description: The groups, most rows first.
  type: list
  elements: dict
  contains:
    rank:
      description: Position, from 1.
      type: int
    count:
      description: Rows in the group.
      type: int
      sample: 1250
"""

from ansible_collections.secops.async_tasks.plugins.plugin_utils.logrows import top


def log_top(rows, fields, limit=10, sum_fields=None):
    """Rows counted by ``fields`` (see DOCUMENTATION)."""
    return top(rows, fields, limit=limit, sum_fields=sum_fields)


class FilterModule:
    """secops.async_tasks.log_top"""

    def filters(self):
        return {"log_top": log_top}
