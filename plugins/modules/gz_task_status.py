#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, secops.async_tasks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: gz_task_status
short_description: Read a Bitdefender GravityZone task's status with its per-endpoint subtasks
version_added: 0.1.0
description:
  - Reads a GravityZone task through the C(getTaskStatus) JSON-RPC method, version 1.1 (subtasks, paging,
    subtask filters) or 1.0 (the task alone), and returns it with names for its status and type.
  - By default every page of subtasks is fetched, each once, until the console says there are no more.
  - Tells a task that finished with every endpoint done (RV(succeeded=true)) from one that finished with
    failed endpoints; the console calls both "finished".
  - Optionally waits until the task has finished, polling the task alone (one small request per poll) and
    fetching the subtasks once at the end.
  - Always reports RV(ignore:changed=false); safe under C(--check).
author:
  - secops.async_tasks maintainers (@secops-async-tasks)
options:
  task_id:
    description:
      - Id of the task, 24 hexadecimal characters (returned by C(createScanTask) and the other task-creating methods).
      - Exactly one of O(task_id) and O(task_ids) is required.
    type: str
  task_ids:
    description:
      - Several task ids, read in one run - a few at a time, paced under the console's rate limit, one
        deadline - instead of a C(loop). Results come back in RV(results), in the same order.
      - If any task fails (not found, a subtask error with O(fail_on_subtask_error)), the module fails after
        reading the others, and RV(results) marks each failed entry with C(failed) and C(msg).
    type: list
    elements: str
  api_version:
    description:
      - Version of C(getTaskStatus) to call, at C({api_url}/v1.1/jsonrpc/network) or C({api_url}/v1.0/jsonrpc/network).
      - V(1.0) is for consoles without version 1.1; it returns no subtasks, so RV(succeeded) stays null.
    type: str
    choices: ["1.1", "1.0"]
    default: "1.1"
  return_subtasks:
    description:
      - Return the per-endpoint subtasks. Without them, RV(succeeded) stays null.
    type: bool
    default: true
  subtask_status:
    description:
      - Only return subtasks in this status. Makes the subtask list partial, so RV(succeeded) is only decided
        when failed subtasks are seen.
    type: str
    choices: [pending, in_progress, finished]
  ended_after:
    description:
      - Only return subtasks that ended after this time, C(YYYY-MM-DD HH:MM[:SS]) or C(YYYY-MM-DDTHH:MM[:SS]) in
        the console's time zone (sent as C(YYYY-MM-DDTHH:MM:SS)).
      - With C(Z) or an offset, converted into the zone O(timezone) names; refused when O(timezone) is not set.
    type: str
  ended_before:
    description:
      - Only return subtasks that ended before this time, C(YYYY-MM-DD HH:MM[:SS]) or C(YYYY-MM-DDTHH:MM[:SS]) in
        the console's time zone (sent as C(YYYY-MM-DDTHH:MM:SS)).
      - With C(Z) or an offset, converted into the zone O(timezone) names; refused when O(timezone) is not set.
    type: str
  per_page:
    description:
      - Subtasks per page, 1 to 1000. Larger pages mean fewer requests.
    type: int
    default: 100
  page:
    description:
      - Fetch only this page of subtasks (from 1). By default every page is fetched.
    type: int
  max_pages:
    description:
      - When fetching every page, fail rather than fetch more than this many pages. A safety bound against a
        runaway task, not a limit to hit - 1000 pages of 100 is 100,000 endpoints.
    type: int
    default: 1000
  fail_on_subtask_error:
    description:
      - Fail when any returned subtask carries an error, listing the failed endpoints. The failure still
        returns every key described below.
    type: bool
    default: false
extends_documentation_fragment:
  - secops.async_tasks.gravityzone
  - secops.async_tasks.wait
  - secops.async_tasks.attributes.read_facts
  - secops.async_tasks.attributes.gravityzone_group
seealso:
  - module: secops.async_tasks.gz_scan_task
  - module: secops.async_tasks.gz_scan_task_info
notes:
  - A task that finished (status 3) can still have failed endpoints; RV(succeeded) tells a task that succeeded
    from one that only finished, and O(fail_on_subtask_error) turns failed endpoints into a failed task.
  - The role C(secops.async_tasks.gz_task_gate) wraps this module as a CI gate whose exit code is the verdict.
"""

EXAMPLES = r"""
- name: Read a scan task with all its subtasks
  secops.async_tasks.gz_task_status:
    api_url: https://cloudgz.gravityzone.bitdefender.com/api
    api_key: "{{ vault_gz_api_key }}"
    task_id: 65f46d08c6d2865b32048ba3
  register: scan

- name: Fail the pipeline when an endpoint failed
  ansible.builtin.fail:
    msg: "{{ scan.failed_subtasks | map(attribute='endpoint_name') | join(', ') }} failed"
  when: scan.finished and not scan.succeeded

- name: Three tasks in one run instead of a loop
  secops.async_tasks.gz_task_status:
    task_ids: "{{ scan.task_ids }}"
    wait: true
  register: scans

- name: Wait for the task, 1000 subtasks a page, failing on any endpoint error (GRAVITYZONE_* from AWX)
  secops.async_tasks.gz_task_status:
    task_id: "{{ scan_task_id }}"
    per_page: 1000
    wait: true
    wait_timeout: 1800
    fail_on_subtask_error: true

- name: One page of finished subtasks that ended in a time window
  secops.async_tasks.gz_task_status:
    task_id: 65f46d08c6d2865b32048ba3
    subtask_status: finished
    ended_after: "2024-03-14T19:45:10"
    ended_before: "2024-03-16T19:45:00"
    page: 5
    per_page: 1

- name: A console without getTaskStatus 1.1
  secops.async_tasks.gz_task_status:
    task_id: 21a295eeb1a43d8b497b23b7
    api_version: "1.0"
"""

RETURN = r"""
task_id:
  description: Id of the task.
  returned: with O(task_id)
  type: str
  sample: 65f46d08c6d2865b32048ba3
name:
  description: Name of the task.
  returned: with O(task_id)
  type: str
  sample: Quick Scan 2024-03-15
status:
  description: Status number of the task, 1 pending, 2 in progress, 3 finished.
  returned: with O(task_id)
  type: int
  sample: 3
status_name:
  description: V(pending), V(in_progress), V(finished), or V(unknown) for a number the console did not document.
  returned: with O(task_id)
  type: str
  sample: finished
finished:
  description: Whether the task is finished. A finished task can still have failed endpoints; see RV(succeeded).
  returned: with O(task_id)
  type: bool
  sample: true
succeeded:
  description:
    - V(true) when the task is finished and every one of its subtasks was fetched and none failed.
    - V(false) when the task is finished and a fetched subtask failed, or when it names more targets
      (RV(total_targets)) than all its subtasks account for (RV(unaccounted_targets); a warning gives both counts).
    - Null while the task is not finished, or when the subtasks are not all known (API 1.0, O(return_subtasks=false),
      a filter, or O(page)).
  returned: with O(task_id)
  type: bool
  sample: false
type:
  description: Type number of the task.
  returned: with O(task_id)
  type: int
  sample: 1
type_name:
  description:
    - Name of the task type, V(scan), V(reconfigure), V(isolate), V(restore) (from isolation), V(remove_quarantine),
      V(remove_quarantine_exchange), V(remove_all_quarantine), V(remove_all_quarantine_exchange),
      V(restore_quarantine), V(restore_quarantine_exchange), V(add_quarantine), or V(unknown).
  returned: with O(task_id)
  type: str
  sample: scan
start_date:
  description: When the task started, as the console sends it (no time zone).
  returned: with O(task_id)
  type: str
  sample: "2024-03-15T17:45:13"
owner:
  description: Account that created the task.
  returned: with O(task_id)
  type: dict
  contains:
    id:
      description: Account id.
      type: str
    user_name:
      description: Account name.
      type: str
  sample: {"id": "65f17fcddb53ec33e302****", "user_name": "owner@example.email.com"}
company:
  description: Company the task ran in.
  returned: with O(task_id)
  type: dict
  contains:
    id:
      description: Company id.
      type: str
    name:
      description: Company name.
      type: str
  sample: {"id": "65f17fcddb53ec33e30****", "name": "Bitdefender"}
total_targets:
  description: Number of endpoints the task ran on; null with API 1.0.
  returned: with O(task_id)
  type: int
  sample: 5
unaccounted_targets:
  description:
    - Targets of a finished task that no subtask accounts for - RV(total_targets) minus the subtasks read - when
      every subtask was read (no filter, no O(page), no more pages); their outcome is unknown, so RV(succeeded)
      is V(false). Bitdefender's own example answers C(totalTargetsCount) 5 with 2 subtasks.
    - 0 when every target has a subtask, or when the subtasks are not all known.
  returned: with O(task_id)
  type: int
  sample: 0
api_version:
  description: Version of C(getTaskStatus) used.
  returned: with O(task_id)
  type: str
  sample: "1.1"
subtasks:
  description: One entry per endpoint, in the console's order. Empty with API 1.0 or O(return_subtasks=false).
  returned: with O(task_id)
  type: list
  elements: dict
  contains:
    endpoint_id:
      description: Endpoint id.
      type: str
      sample: 65f466d8c9dd23034805****
    endpoint_name:
      description: Endpoint name.
      type: str
      sample: Computer 10-L9OWIy
    endpoint_type:
      description: Endpoint type number.
      type: int
      sample: 262
    endpoint_type_name:
      description: V(best_agent) (262), V(active_directory) (260), V(aws_ec2) (265), or V(unknown).
      type: str
      sample: best_agent
    status:
      description: Status number as sent (real consoles send 0 for pending).
      type: int
      sample: 3
    status_name:
      description: V(pending) (1, or 0), V(in_progress), V(finished), or V(unknown).
      type: str
      sample: finished
    start_date:
      description: When the subtask started on the endpoint.
      type: str
      sample: "2024-03-15T17:45:13"
    end_date:
      description: When it ended; null until then.
      type: str
      sample: "2024-03-15T17:55:12"
    failed:
      description: Whether the subtask carries an error code or message, whatever its status.
      type: bool
      sample: false
    error_code:
      description: The console's error code; null when none.
      type: str
      sample: "1"
    error_message:
      description: The console's error message; null when none.
      type: str
      sample: Endpoint client has lost connection with Security Server [1]
subtask_counts:
  description: Subtasks by V(pending), V(in_progress), V(finished), V(unknown) status, and how many V(failed) (any status).
  returned: with O(task_id)
  type: dict
  sample: {"pending": 0, "in_progress": 1, "finished": 1, "unknown": 0, "failed": 1}
failed_subtasks:
  description: The entries of RV(subtasks) that failed.
  returned: with O(task_id)
  type: list
  elements: dict
  sample: [{"endpoint_name": "bdvm-virtual-machine", "error_code": "1", "failed": true}]
subtasks_complete:
  description: Whether RV(subtasks) holds every subtask of the task (no filter, no single page, API 1.1).
  returned: with O(task_id)
  type: bool
  sample: true
pages_fetched:
  description: Pages of subtasks fetched.
  returned: with O(task_id)
  type: int
  sample: 1
results:
  description:
    - With O(task_ids), one entry per task id, in the same order, each with the keys returned for O(task_id).
    - An entry of a task that failed has C(failed=true) and C(msg), and the task's keys where they were read.
  returned: with O(task_ids)
  type: list
  elements: dict
  sample: [{"task_id": "65f46d08c6d2865b32048ba3", "finished": true, "succeeded": true}]
ansible_facts:
  description: The same keys as above, for branching in later tasks.
  returned: success
  type: complex
  contains:
    gz_task:
      description: With O(task_id), a dict with every key above; with O(task_ids), a dict with RV(results).
      type: dict
      sample: {"task_id": "65f46d08c6d2865b32048ba3", "finished": true, "succeeded": false}
"""

from ansible_collections.secops.async_tasks.plugins.module_utils.common import AsyncTasksModule
from ansible_collections.secops.async_tasks.plugins.module_utils.gz_tasks import API_VERSIONS, STATUS_NUMBERS
from ansible_collections.secops.async_tasks.plugins.module_utils.gz import PER_PAGE_MAX
from ansible_collections.secops.async_tasks.plugins.module_utils.gz_runner import run_task_status
from ansible_collections.secops.async_tasks.plugins.module_utils.inputs import Bound
from ansible_collections.secops.async_tasks.plugins.module_utils.specs import (
    GZ_CONNECTION_BOUNDS,
    GZ_CONNECTION_SPEC,
    MAX_PAGES_BOUND,
    WAIT_BOUNDS,
    WAIT_SPEC,
    merged,
)


def argument_spec():
    return merged(
        GZ_CONNECTION_SPEC, WAIT_SPEC,
        task_id=dict(type="str"),
        task_ids=dict(type="list", elements="str"),
        api_version=dict(type="str", default="1.1", choices=list(API_VERSIONS)),
        return_subtasks=dict(type="bool", default=True),
        subtask_status=dict(type="str", choices=list(STATUS_NUMBERS)),
        ended_after=dict(type="str"),
        ended_before=dict(type="str"),
        per_page=dict(type="int", default=100),
        page=dict(type="int"),
        max_pages=dict(type="int", default=1000),
        fail_on_subtask_error=dict(type="bool", default=False),
    )


def bounds():
    return merged(GZ_CONNECTION_BOUNDS, WAIT_BOUNDS, max_pages=MAX_PAGES_BOUND,
                  per_page=Bound(1, PER_PAGE_MAX, "between 1 and %d" % PER_PAGE_MAX),
                  page=Bound(1, 2 ** 31 - 1, "1 or more (at most 2147483647)"))


def main():
    run_task_status(AsyncTasksModule.reading_one_or_many(argument_spec(), "task_id", "task_ids", bounds=bounds()))


if __name__ == "__main__":
    main()
