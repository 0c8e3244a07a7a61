# -*- coding: utf-8 -*-
# Copyright (c) 2026, secops.async_tasks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: gz_failure_lines
short_description: One line of text per failed GravityZone endpoint, and per task that could not be read
version_added: 0.1.0
author:
  - SecOps Automation Team
description:
  - >-
    Words a P(secops.async_tasks.gz_task_summary#filter) summary as lines for a person or a CI log -
    C(ENDPOINT: error CODE: MESSAGE (task ID, TASK NAME)) per failed endpoint, then one line per task that could
    not be read and per task whose outcome could not be told.
  - Every value from the console goes through P(secops.async_tasks.one_line#filter), so an endpoint name with
    C(\r\n) in it cannot add a line of its own.
positional: _input
options:
  _input:
    description: The summary P(secops.async_tasks.gz_task_summary#filter) returned.
    type: dict
    required: true
seealso:
  - plugin: secops.async_tasks.gz_task_summary
    plugin_type: filter
  - plugin: secops.async_tasks.gz_gate_message
    plugin_type: filter
"""

EXAMPLES = r"""
- name: List the failures without failing
  ansible.builtin.debug:
    msg: "{{ scans | secops.async_tasks.gz_task_summary | secops.async_tasks.gz_failure_lines }}"
  # - "pc-it-309: error 7: Not enough free disk space to complete the task [7] (task 6600000242..., Quick Scan)"
"""

RETURN = r"""
_value:
  description: The lines, none when every task succeeded.
  type: list
  elements: str
"""

from ansible_collections.secops.async_tasks.plugins.plugin_utils.gravityzone import failure_lines


def gz_failure_lines(summary):
    """One line per failure in a gz_task_summary summary (see DOCUMENTATION)."""
    return failure_lines(summary)


class FilterModule:
    """secops.async_tasks.gz_failure_lines"""

    def filters(self):
        return {"gz_failure_lines": gz_failure_lines}
