#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, secops.async_tasks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: gz_scan_task_info
short_description: List Bitdefender GravityZone scan tasks by name and status
version_added: 0.1.0
description:
  - Lists scan tasks through the C(getScanTasksList) JSON-RPC method (C({api_url}/v1.0/jsonrpc/network)),
    every page of them, filtered by name and status, so that a playbook can find the task ids of scans that
    someone started from the console (or that an older console created without returning an id).
  - Follow a task it finds with M(secops.async_tasks.gz_task_status).
  - Only reads; never reports RV(ignore:changed=true).
author:
  - secops.async_tasks maintainers (@secops-async-tasks)
options:
  name:
    description:
      - Only tasks whose name starts with this text (the console's filter, which ignores case); with a leading
        C(*), tasks whose name contains the rest anywhere.
      - With O(exact=true), only tasks named exactly this (compared after the console's filter, case included).
    type: str
  exact:
    description:
      - Keep only the tasks whose name is exactly O(name).
    type: bool
    default: false
  status:
    description:
      - Only tasks in this state.
    type: str
    choices: [pending, in_progress, finished]
  per_page:
    description:
      - Tasks asked for per request, 1 to 100. Every page is read whatever this is; fewer, larger pages are
        fewer requests.
    type: int
    default: 100
  max_pages:
    description:
      - Most pages to read; the module fails rather than return a partial list when there are more.
    type: int
    default: 100
extends_documentation_fragment:
  - secops.async_tasks.gravityzone
  - secops.async_tasks.attributes.read_facts
  - secops.async_tasks.attributes.gravityzone_group
seealso:
  - module: secops.async_tasks.gz_scan_task
  - module: secops.async_tasks.gz_task_status
"""

EXAMPLES = r"""
- name: Scans started from the console today that are still running
  secops.async_tasks.gz_scan_task_info:
    name: "Quick Scan {{ now(utc=true).strftime('%Y-%m-%d') }}"
    status: in_progress
  register: running

- name: Wait for each of them
  secops.async_tasks.gz_task_status:
    task_ids: "{{ running.tasks | map(attribute='task_id') }}"
    wait: true
  when: running.tasks | length > 0

- name: The id of the one task named exactly "Weekly full scan"
  secops.async_tasks.gz_scan_task_info:
    name: Weekly full scan
    exact: true
  register: weekly
  failed_when: weekly.total != 1
"""

RETURN = r"""
tasks:
  description: The matching scan tasks, newest first (the console's order).
  returned: success
  type: list
  elements: dict
  contains:
    task_id:
      description: The task's id, for M(secops.async_tasks.gz_task_status).
      type: str
      sample: 67a1b2c3d4e5f60718293a4b
    name:
      description: The task's name.
      type: str
      sample: Quick Scan 2026-11-30
    status:
      description: The task's status as the console sends it (1 pending, 2 in progress, 3 finished).
      type: int
      sample: 3
    status_name:
      description: V(pending), V(in_progress), V(finished) or V(unknown).
      type: str
      sample: finished
    start_date:
      description: When the task started, as the console sends it (no time zone).
      type: str
      sample: "2026-11-30T08:00:01"
total:
  description: How many tasks RV(tasks) holds.
  returned: success
  type: int
  sample: 1
pages_fetched:
  description: How many pages of C(getScanTasksList) were read.
  returned: success
  type: int
  sample: 1
ansible_facts:
  description: The same list, as a fact.
  returned: success
  type: dict
  contains:
    gz_scan_tasks:
      description: C(tasks), C(total) and C(pages_fetched), as above.
      type: dict
"""

from ansible_collections.secops.async_tasks.plugins.module_utils.common import AsyncTasksModule
from ansible_collections.secops.async_tasks.plugins.module_utils.gz_tasks import SCAN_LIST_PER_PAGE_MAX, STATUS_NUMBERS
from ansible_collections.secops.async_tasks.plugins.module_utils.gz_runner import run_scan_list
from ansible_collections.secops.async_tasks.plugins.module_utils.inputs import Bound
from ansible_collections.secops.async_tasks.plugins.module_utils.specs import GZ_CONNECTION_BOUNDS, GZ_CONNECTION_SPEC, MAX_PAGES_BOUND, merged


def argument_spec():
    return merged(
        GZ_CONNECTION_SPEC,
        name=dict(type="str"),
        exact=dict(type="bool", default=False),
        status=dict(type="str", choices=list(STATUS_NUMBERS)),
        per_page=dict(type="int", default=SCAN_LIST_PER_PAGE_MAX),
        max_pages=dict(type="int", default=100),
    )


def bounds():
    return merged(GZ_CONNECTION_BOUNDS, max_pages=MAX_PAGES_BOUND,
                  per_page=Bound(1, SCAN_LIST_PER_PAGE_MAX, "between 1 and %d" % SCAN_LIST_PER_PAGE_MAX))


def main():
    run_scan_list(AsyncTasksModule(argument_spec=argument_spec(), bounds=bounds()))


if __name__ == "__main__":
    main()
