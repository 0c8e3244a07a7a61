#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, secops.async_tasks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: gz_scan_task
short_description: Start a Bitdefender GravityZone scan task
version_added: 0.1.0
description:
  - Creates a scan task on endpoints or groups through the C(createScanTask) JSON-RPC method
    (C({api_url}/v1.0/jsonrpc/network)) and returns the id of every task created, for
    M(secops.async_tasks.gz_task_status) to follow.
  - Every run creates a new task, so it always reports RV(ignore:changed=true).
  - Older consoles answer C(true) instead of the new task's id. The module then finds the task through
    C(getScanTasksList) by its exact name, paging through the whole list, and fails listing the candidates
    rather than guessing when several tasks carry that name. That is why every task is sent with a name
    (a unique generated one when O(name) is not set).
  - GravityZone allows 30 of these calls a minute per key; an HTTP 429 answer is retried after the
    C(Retry-After) the console sends, within the run's deadline. The call itself is never sent twice
    once it may have reached the console.
author:
  - secops.async_tasks maintainers (@secops-async-tasks)
options:
  target_ids:
    description:
      - Ids of the endpoints, containers or groups to scan (24 hexadecimal characters each).
    type: list
    elements: str
    required: true
  type:
    description:
      - Scan type. V(custom) needs O(custom_scan_depth) and O(custom_scan_paths).
    type: str
    choices: [quick, full, memory, custom]
    default: quick
  name:
    description:
      - Name of the task, as shown in the console.
      - When not set, a unique name is generated (the scan type, the UTC time and a random suffix, such as
        C(Quick scan 2026-11-30 12:00:00 3f9c2a1b)), so that the task can be found by it on consoles that do not
        return its id, and when the answer to the call is lost on the way back (the module then looks the task up
        instead of starting it twice). Give unique names yourself for the first reason; a scan with a name you set
        whose answer is lost fails with a message, and is never sent again.
    type: str
  custom_scan_depth:
    description:
      - With O(type=custom), how deep to scan.
    type: str
    choices: [aggressive, normal, permissive]
  custom_scan_paths:
    description:
      - With O(type=custom), what to scan, such as V(LocalDrives) or a folder path.
    type: list
    elements: str
extends_documentation_fragment:
  - secops.async_tasks.gravityzone
  - secops.async_tasks.attributes.gravityzone_group
attributes:
  check_mode:
    description: Can run in check mode.
    support: full
    details:
      - The module reads the newest scan task (C(getScanTasksList)), which fails unless O(api_url), O(api_key)
        and the key's Network API rights work, but does not send C(createScanTask).
      - GravityZone has no cheap look-up of an id that may be an endpoint, a container or a group, so
        O(target_ids) are checked for their form only.
      - It returns RV(msg) and, in RV(request), the call it would have sent; RV(task_id) stays null.
  diff_mode:
    description: Returns details on what has changed.
    support: none
seealso:
  - module: secops.async_tasks.gz_task_status
  - module: secops.async_tasks.gz_scan_task_info
notes:
  - GravityZone accepts at most 30 C(createScanTask) calls a minute per API key. A call refused with HTTP 429 is
    sent again after C(Retry-After); a call whose answer was lost is not, since the task may already exist.
"""

EXAMPLES = r"""
- name: Quick scan of two endpoints, then wait for it and gate on the result
  module_defaults:
    group/secops.async_tasks.gravityzone:
      api_url: https://cloudgz.gravityzone.bitdefender.com/api
      api_key: "{{ vault_gz_api_key }}"
  block:
    - name: Start the scan
      secops.async_tasks.gz_scan_task:
        name: "Pre-release scan {{ release }}"
        target_ids:
          - 65f466d8c9dd23034805aaaa
          - 660c1d628bd2f47cae59bbbb
      register: scan

    - name: Wait until every endpoint is done, failing on any endpoint error
      secops.async_tasks.gz_task_status:
        task_ids: "{{ scan.task_ids }}"
        wait: true
        wait_timeout: 3600
        fail_on_subtask_error: true

- name: Custom scan of the local drives of a group
  secops.async_tasks.gz_scan_task:
    target_ids: [5f3a2b1c0d9e8f7a6b5c4d3e]
    type: custom
    custom_scan_depth: aggressive
    custom_scan_paths: [LocalDrives]
"""

RETURN = r"""
msg:
  description: In check mode, what the module would have done.
  returned: in check mode
  type: str
  sample: "check mode: would start a quick scan of 1 target(s) (nothing was changed)"
request:
  description: In check mode, the JSON-RPC call that would have been sent (C(method), C(target) the API version, C(params)).
  returned: in check mode
  type: dict
  sample: {"method": "createScanTask", "target": "1.0", "params": {"targetIds": ["65f46d08c6d2865b32048bb0"], "type": 1}}
task_id:
  description: Id of the first task created (found by its name when the console answered C(true)); null in check mode.
  returned: success
  type: str
  sample: 6601a2b3c4d5e6f7a8b9c0d1
task_ids:
  description: Ids of every task created (the console may split a scan into several tasks).
  returned: success
  type: list
  elements: str
  sample: ["6601a2b3c4d5e6f7a8b9c0d1"]
target_ids:
  description: The targets sent.
  returned: success
  type: list
  elements: str
  sample: ["65f466d8c9dd23034805aaaa"]
type:
  description: The scan type.
  returned: success
  type: str
  sample: quick
name:
  description: The task name sent, O(name) or the generated one.
  returned: success
  type: str
  sample: Pre-release scan 1.4.2
"""

from ansible_collections.secops.async_tasks.plugins.module_utils.common import AsyncTasksModule
from ansible_collections.secops.async_tasks.plugins.module_utils.gz_tasks import SCAN_DEPTHS, SCAN_TYPES
from ansible_collections.secops.async_tasks.plugins.module_utils.gz_runner import run_scan
from ansible_collections.secops.async_tasks.plugins.module_utils.specs import GZ_CONNECTION_BOUNDS, GZ_CONNECTION_SPEC, merged


def argument_spec():
    return merged(
        GZ_CONNECTION_SPEC,
        target_ids=dict(type="list", elements="str", required=True),
        type=dict(type="str", default="quick", choices=list(SCAN_TYPES)),
        name=dict(type="str"),
        custom_scan_depth=dict(type="str", choices=list(SCAN_DEPTHS)),
        custom_scan_paths=dict(type="list", elements="str"),
    )


def bounds():
    return merged(GZ_CONNECTION_BOUNDS)


def main():
    run_scan(AsyncTasksModule(argument_spec=argument_spec(), bounds=bounds()))


if __name__ == "__main__":
    main()
