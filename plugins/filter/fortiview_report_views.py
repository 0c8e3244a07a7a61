# -*- coding: utf-8 -*-
# Copyright (c) 2026, secops.async_tasks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: fortiview_report_views
short_description: Pair created FortiView tasks with their fetched rows, as ranked views for a report
version_added: 0.1.0
author:
  - SecOps Automation Team
description:
  - Builds the C(views) of a FortiView report from the FortiView tasks you created (one per view and ranking)
    and the rows you fetched for them; the data behind the HTML, CSV and JSON files of the
    C(secops.async_tasks.fortiview_report) role.
  - Each created task is matched to its rows by task id, and its rows are ranked with
    P(secops.async_tasks.fortiview_rank#filter) by the task's ranking.
  - Views come in the order of their first created task, rankings in the order they were created.
  - A created task whose rows were not fetched fails the filter, naming the task; so does a created task without
    a task id or a ranking.
positional: _input, fetched
options:
  _input:
    description:
      - The created tasks, a list with one entry per task. Each has the task id C(tid), and says its view and
        ranking either as C(view) and C(by) keys, or in the C(item) of a registered loop, as C([view, by]) or
        C({view, by}) (the C(results) of M(secops.async_tasks.faz_fortiview_task) registered in a loop over
        views and rankings).
    type: list
    elements: dict
    required: true
  fetched:
    description:
      - The rows, as M(secops.async_tasks.faz_fortiview_result) returned them - results of O(secops.async_tasks.faz_fortiview_result#module:tids) calls
        (each with a C(results) list of C({tid, rows})), single results with C(tid) and C(rows), or a mix.
    type: list
    elements: dict
    required: true
  filters:
    description: The filter expression used per view, copied to each view's C(filter) for the report to show.
    type: dict
    default: {}
seealso:
  - plugin: secops.async_tasks.fortiview_rank
    plugin_type: filter
  - module: secops.async_tasks.faz_fortiview_task
  - module: secops.async_tasks.faz_fortiview_result
"""

EXAMPLES = r"""
- name: One task per view and ranking
  secops.async_tasks.faz_fortiview_task:
    view: "{{ item.0 }}"
    time_range: "{{ period }}"
    limit: 10
    sort_by: "{{ [item.1] if item.1 == 'sessions' else omit }}"
  loop: "{{ ['top-sources', 'top-applications'] | product(['bytes', 'sessions']) | list }}"
  register: created

- name: Their rows, one call per view
  secops.async_tasks.faz_fortiview_result:
    view: "{{ item }}"
    tids: "{{ created.results | selectattr('item.0', 'equalto', item) | map(attribute='tid') | list }}"
    wait: true
  loop: [top-sources, top-applications]
  register: fetched

- name: The report's views
  ansible.builtin.set_fact:
    views: "{{ created.results | secops.async_tasks.fortiview_report_views(fetched.results) }}"
"""

RETURN = r"""
_value:
  description: One entry per view.
  type: list
  elements: dict
  contains:
    view:
      description: The view.
      type: str
      sample: top-sources
    title:
      description: A heading for it.
      type: str
      sample: Top sources
    column:
      description: A column title for its entries' names.
      type: str
      sample: Source
    filter:
      description: The view's filter from O(filters), or null.
      type: str
    rankings:
      description: One entry per ranking, C(by) (V(bytes) or V(sessions)) and its C(entries) as P(secops.async_tasks.fortiview_rank#filter) returns them.
      type: list
      elements: dict
"""

from ansible_collections.secops.async_tasks.plugins.plugin_utils.fortiview import report_views


def fortiview_report_views(created, fetched, filters=None):
    """Views with ranked entries, from created tasks and fetched rows (see DOCUMENTATION)."""
    return report_views(created, fetched, filters=filters)


class FilterModule:
    """secops.async_tasks.fortiview_report_views"""

    def filters(self):
        return {"fortiview_report_views": fortiview_report_views}
