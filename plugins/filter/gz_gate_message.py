# -*- coding: utf-8 -*-
# Copyright (c) 2026, secops.async_tasks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: gz_gate_message
short_description: The verdict of a GravityZone gate in words, with the failures listed
version_added: 0.1.0
author:
  - SecOps Automation Team
description:
  - Words a P(secops.async_tasks.gz_task_summary#filter) summary as a message for C(ansible.builtin.fail) or a
    report - a headline (how many endpoints failed in how many tasks, how many tasks could not be read), then
    up to O(max_listed) lines of P(secops.async_tasks.gz_failure_lines#filter), each on a line of its own after
    C(  - ), and how many more there are.
  - When the summary passed, a one-line message saying so.
positional: _input
options:
  _input:
    description: The summary P(secops.async_tasks.gz_task_summary#filter) returned.
    type: dict
    required: true
  max_listed:
    description: Lines to list at most, 0 or more; the rest are counted.
    type: int
    default: 50
seealso:
  - plugin: secops.async_tasks.gz_task_summary
    plugin_type: filter
  - plugin: secops.async_tasks.gz_failure_lines
    plugin_type: filter
"""

EXAMPLES = r"""
- name: Fail the play when an endpoint failed
  ansible.builtin.fail:
    msg: "{{ outcome | secops.async_tasks.gz_gate_message(max_listed=20) }}"
  when: not outcome.passed
  # GravityZone gate failed: 2 endpoint(s) failed in 1 of 2 task(s)
  #   - pc-it-309: error 7: Not enough free disk space to complete the task [7] (task 66000..., Quick Scan)
  #   - pc-ops-394: error 7: Not enough free disk space to complete the task [7] (task 66000..., Quick Scan)
"""

RETURN = r"""
_value:
  description: The message, lines separated by new lines; no line comes from the console unescaped.
  type: str
"""

from ansible_collections.secops.async_tasks.plugins.plugin_utils.gravityzone import gate_message


def gz_gate_message(summary, max_listed=50):
    """The gate's verdict as text (see DOCUMENTATION)."""
    return gate_message(summary, max_listed=max_listed)


class FilterModule:
    """secops.async_tasks.gz_gate_message"""

    def filters(self):
        return {"gz_gate_message": gz_gate_message}
