# -*- coding: utf-8 -*-
# Copyright (c) 2026, secops.async_tasks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: counts_text
short_description: Counts by name in words, such as 2 finished, 1 failed
version_added: 0.1.0
author:
  - SecOps Automation Team
description:
  - Writes a dictionary of counts (the RV(secops.async_tasks.gz_task_status#module:subtask_counts) of a GravityZone
    task, say) as words for a message, in the dictionary's order - C(2 finished, 1 in progress, 1 failed) - instead
    of a Python dictionary.
  - Counts of 0 are left out; underscores in the names become spaces. All zero, or empty, gives C(none).
positional: _input
options:
  _input:
    description: The counts, whole numbers by name.
    type: dict
    required: true
"""

EXAMPLES = r"""
- name: Say how the subtasks of a scan stand
  ansible.builtin.debug:
    msg: "Subtasks: {{ scan.subtask_counts | secops.async_tasks.counts_text }}"
  # Subtasks: 4999 finished, 1 failed
"""

RETURN = r"""
_value:
  description: The counts in words, or C(none).
  type: str
  sample: 2 finished, 1 in progress, 1 failed
"""

from ansible_collections.secops.async_tasks.plugins.plugin_utils.cells import counts_text


class FilterModule:
    """secops.async_tasks.counts_text"""

    def filters(self):
        return {"counts_text": counts_text}
