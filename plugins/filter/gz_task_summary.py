# -*- coding: utf-8 -*-
# Copyright (c) 2026, secops.async_tasks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: gz_task_summary
short_description: Summarise GravityZone tasks for a gate - per task, the failed endpoints, and a verdict
version_added: 0.1.0
author:
  - SecOps Automation Team
description:
  - Turns what M(secops.async_tasks.gz_task_status) returned into one summary per task, the failed endpoints of
    all of them, and a verdict C(passed).
  - Works on what the module returned when it failed too (register it, and read it in a C(rescue) or with
    C(ignore_errors)) - a task that timed out or could not be read is summarised with its C(error), and so is
    every id in O(task_ids) the module did not return (a wrong key, an unreachable console).
  - C(passed) is true only when the module succeeded and every task succeeded (finished, all its subtasks
    fetched, none failed, every target accounted for by a subtask); a task whose outcome could not be told
    (C(succeeded) null) does not pass, and neither does a summary of no task at all.
  - A finished task with targets no subtask accounts for (C(unaccounted_targets)) does not pass unless
    O(accept_unaccounted) is true.
positional: _input
options:
  _input:
    description:
      - The registered result of M(secops.async_tasks.gz_task_status) (with O(secops.async_tasks.gz_task_status#module:task_ids)
        or O(secops.async_tasks.gz_task_status#module:task_id)), or a list of its task results.
    type: raw
    required: true
  task_ids:
    description: The task ids that were asked for, so that one the module did not return is not missed.
    type: list
    elements: str
  accept_unaccounted:
    description:
      - Let a task pass whose only fault is targets that no subtask accounts for (C(unaccounted_targets) of
        M(secops.async_tasks.gz_task_status)) - finished, no failed endpoint, but fewer subtasks than targets.
    type: bool
    default: false
seealso:
  - plugin: secops.async_tasks.gz_failure_lines
    plugin_type: filter
  - plugin: secops.async_tasks.gz_gate_message
    plugin_type: filter
  - module: secops.async_tasks.gz_task_status
"""

EXAMPLES = r"""
- name: Read the tasks, whatever happens
  block:
    - name: Wait for the scans
      secops.async_tasks.gz_task_status:
        task_ids: "{{ scan_ids }}"
        wait: true
      register: scans
  rescue:
    - name: Keep what the failed read returned
      ansible.builtin.set_fact:
        scans: "{{ ansible_failed_result }}"

- name: Summarise them
  ansible.builtin.set_fact:
    outcome: "{{ scans | secops.async_tasks.gz_task_summary(task_ids=scan_ids) }}"

- name: Endpoints to look at
  ansible.builtin.debug:
    msg: "{{ outcome.failed_endpoints | map(attribute='endpoint_name') | list }}"
  when: not outcome.passed
"""

RETURN = r"""
_value:
  description: The summary.
  type: dict
  contains:
    passed:
      description: Whether the module succeeded, and every task (at least one) succeeded.
      type: bool
    results:
      description:
        - One entry per task - C(task_id), C(name), C(type_name), C(status_name), C(finished), C(succeeded),
          C(total_targets), C(unaccounted_targets), C(subtask_counts), C(failed_endpoints), and C(error) (why the
          task could not be read, or null).
      type: list
      elements: dict
    failed_endpoints:
      description:
        - Every failed endpoint of every task - C(task_id), C(task_name), C(endpoint_name), C(endpoint_id),
          C(error_code), C(error_message), as GravityZone sent them.
      type: list
      elements: dict
    unread:
      description: Ids of the tasks that could not be read (timed out, unknown, not returned).
      type: list
      elements: str
    error:
      description: The module's failure message when it failed, or null.
      type: str
"""

from ansible_collections.secops.async_tasks.plugins.plugin_utils.gravityzone import summarise


def gz_task_summary(status, task_ids=None, accept_unaccounted=False):
    """The gate summary of what gz_task_status returned (see DOCUMENTATION)."""
    return summarise(status, task_ids=task_ids, accept_unaccounted=accept_unaccounted)


class FilterModule:
    """secops.async_tasks.gz_task_summary"""

    def filters(self):
        return {"gz_task_summary": gz_task_summary}
